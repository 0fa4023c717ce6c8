/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-parser.h"
#include "qmp-json.h"
#include "qmp-message.h"
#include "qmpsh-args.h"
#include "qmpsh-format.h"

#include <json-glib/json-glib.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <string.h>

/* the quark names are not expressions */
/* clang-format off */
G_DEFINE_QUARK (qmpsh-parse-error-quark, qmpsh_parse_error)
/* clang-format on */

/* the command for the @len bytes of @name, as qmpsh_scanner_name_span() reads one, and @args */
static gchar *
command_json (const gchar *name, gsize len, QmpshArgs *args)
{
	GString *json;

	/* a name alone, as most lines are: one allocation; a name needs no escape */
	if (qmpsh_args_is_empty (args)) {
		gchar *text = g_malloc (len + 15);
		memcpy (text, "{\"execute\":\"", 12);
		memcpy (text + 12, name, len);
		memcpy (text + 12 + len, "\"}", 3);
		return text;
	}
	json = g_string_sized_new (64);
	g_string_append (json, "{\"execute\":");
	qmpsh_format_json_string (json, name, len);
	if (!qmpsh_args_is_empty (args)) {
		g_string_append (json, ",\"arguments\":");
		qmpsh_args_to_json (args, json);
	}
	g_string_append_c (json, '}');
	return g_string_free (json, FALSE);
}

static QmpshLine *
parse_command (QmpshScanner *s, GError **error)
{
	gsize name_len;
	const gchar *name = qmpsh_scanner_name_span (s, "a command name", &name_len, error);
	g_autoptr (QmpshArgs) args = NULL;
	g_autoptr (GPtrArray) redirects = NULL; /* made at the first */
	QmpshLine *line;
	gchar stop;

	if (name == NULL)
		return NULL;
	args = qmpsh_args_new ();
	if (!qmpsh_args_parse (args, s, &stop, &redirects, error))
		return NULL;
	if (stop != 0) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
			     "column %u: '%c' outside transaction( ... )",
			     qmpsh_scanner_column (s, s->p - 1), stop);
		return NULL;
	}
	line = qmpsh_line_new_len (QMPSH_LINE_COMMAND, name, name_len,
				   command_json (name, name_len, args));
	line->args = g_steal_pointer (&args);
	/* where the reply goes is the line's; what is passed goes with the command */
	for (guint i = 0; redirects != NULL && i < redirects->len;) {
		QmpshRedirect *r = g_ptr_array_index (redirects, i);
		if (r->output == 0) {
			i++;
			continue;
		}
		if (line->output != NULL) {
			g_set_error_literal (
				error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				"a reply goes to one place: one >FILE, >>FILE or | COMMAND");
			qmpsh_line_free (line);
			return NULL;
		}
		line->output = qmpsh_output_new (r->output, r->path);
		g_ptr_array_remove_index (redirects, i);
	}
	if (redirects != NULL && redirects->len > 0)
		line->redirects = g_steal_pointer (&redirects);
	return line;
}

static QmpshLine *
parse_raw (QmpshScanner *s, GError **error)
{
	const gchar *what = NULL;
	gsize offset = 0;
	gsize len = strlen (s->p);
	g_autofree gchar *compact = NULL;
	g_autoptr (QmpMessage) message = NULL;

	if (!qmp_json_validate (s->p, len, &what, &offset)) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
			     "column %u: the line starts with '{' but is not valid JSON: %s",
			     qmpsh_scanner_column (s, s->p + offset), what);
		return NULL;
	}
	compact = qmp_json_compact (s->p, len);
	message = qmp_message_new_from_data (compact, -1, NULL);
	if (message == NULL || qmp_message_get_kind (message) != QMP_MESSAGE_KIND_COMMAND) {
		g_set_error_literal (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "a raw command is one JSON object with \"execute\" (or "
				     "\"exec-oob\")");
		return NULL;
	}
	if (qmp_message_get_command_name (message) == NULL) {
		g_set_error_literal (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "a raw command's \"execute\" (or \"exec-oob\") is a string, "
				     "the command's name");
		return NULL;
	}
	return qmpsh_line_new (QMPSH_LINE_RAW, qmp_message_get_command_name (message),
			       g_steal_pointer (&compact));
}

static QmpshLine *
parse_builtin (QmpshScanner *s, GError **error)
{
	g_autoptr (QmpshLine) line = NULL;
	g_auto (GStrv) words = NULL;
	g_autoptr (GError) error_local = NULL;
	gint argc = 0;

	if (!g_shell_parse_argv (s->p, &argc, &words, &error_local)) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX, "%s",
			     error_local->message);
		return NULL;
	}
	line = qmpsh_line_new (QMPSH_LINE_BUILTIN, words[0], NULL);
	line->argv = g_strdupv (words + 1);
	return g_steal_pointer (&line);
}

/* ------------------------------------------------------------------------ */
/* the stateful parser: transactions span lines */

struct _QmpshParser {
	gboolean hmp;
	GString *actions;	/* the transaction being collected, NULL outside one */
	GPtrArray *action_list; /* its actions, for typing by the schema */
	guint nactions;
	gchar *poisoned;  /* why the transaction being collected cannot be sent */
	GString *pending; /* a line that goes on: it ended in '\\', or in open JSON */
	gboolean pending_json;
	gint json_depth; /* where the scan of the pending JSON stopped */
	gboolean json_in_string;
	GHashTable *aliases; /* the config file's: a name, the text it stands for */
	gboolean expanded;   /* the line being parsed is an alias's expansion */
};

/**
 * qmpsh_parser_new:
 *
 * Returns: (transfer full): a parser for the command language
 */
QmpshParser *
qmpsh_parser_new (void)
{
	return g_new0 (QmpshParser, 1);
}

void
qmpsh_parser_free (QmpshParser *self)
{
	if (self == NULL)
		return;
	qmpsh_parser_reset (self);
	g_clear_pointer (&self->aliases, g_hash_table_unref);
	g_free (self);
}

/**
 * qmpsh_parser_set_aliases:
 * @self: a parser
 * @aliases: (nullable) (element-type utf8 utf8): names, and the text each
 *   stands for at the start of a line
 *
 * A line whose first word is an alias is read as the alias's text followed
 * by the rest of the line. The expansion is expanded again while it starts
 * with another alias, each alias at most once a line, so that a cycle ends.
 * Built-ins and the lines inside `transaction( ... )` are never expanded.
 */
void
qmpsh_parser_set_aliases (QmpshParser *self, GHashTable *aliases)
{
	g_clear_pointer (&self->aliases, g_hash_table_unref);
	if (aliases != NULL)
		self->aliases = g_hash_table_ref (aliases);
}

/**
 * qmpsh_parser_get_aliases:
 * @self: a parser
 *
 * Returns: (transfer none) (nullable) (element-type utf8 utf8): the aliases
 */
GHashTable *
qmpsh_parser_get_aliases (QmpshParser *self)
{
	return self->aliases;
}

/* the line with its aliases expanded, or NULL when it starts with none */
static gchar *
expand_aliases (QmpshParser *self, const gchar *text)
{
	/* made for the first alias only: most lines start with none */
	g_autoptr (GHashTable) used = NULL;
	g_autofree gchar *line = NULL;

	for (;;) {
		const gchar *p = line != NULL ? line : text;
		gsize len;
		g_autofree gchar *word = NULL;
		const gchar *expansion;
		gchar *next;

		p += strspn (p, " \t");
		len = strcspn (p, " \t");
		word = g_strndup (p, len);
		expansion = g_hash_table_lookup (self->aliases, word);
		if (expansion == NULL || (used != NULL && g_hash_table_contains (used, word)))
			return g_steal_pointer (&line);
		if (used == NULL)
			used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
		next = g_strconcat (expansion, p + len, NULL);
		g_hash_table_add (used, g_steal_pointer (&word));
		g_free (line);
		line = next;
	}
}

/**
 * qmpsh_parser_set_hmp:
 * @self: a parser
 * @hmp: whether plain lines are HMP commands, sent through human-monitor-command
 */
void
qmpsh_parser_set_hmp (QmpshParser *self, gboolean hmp)
{
	self->hmp = hmp;
}

gboolean
qmpsh_parser_get_hmp (QmpshParser *self)
{
	return self->hmp;
}

/**
 * qmpsh_parser_in_transaction:
 * @self: a parser
 *
 * Returns: %TRUE between `transaction(` and its `)`
 */
gboolean
qmpsh_parser_in_transaction (QmpshParser *self)
{
	return self->actions != NULL;
}

/**
 * qmpsh_parser_is_continuing:
 * @self: a parser
 *
 * Returns: whether the next line goes on with what came before: a
 *   transaction, a line that ended in a backslash, or a JSON object not
 *   closed yet
 */
gboolean
qmpsh_parser_is_continuing (QmpshParser *self)
{
	return self->actions != NULL || self->pending != NULL;
}

/**
 * qmpsh_parser_reset:
 * @self: a parser
 *
 * Drops a transaction being collected, or a line that was to go on, as
 * Ctrl-C does.
 */
void
qmpsh_parser_reset (QmpshParser *self)
{
	if (self->pending != NULL)
		g_string_free (g_steal_pointer (&self->pending), TRUE);
	self->pending_json = FALSE;
	if (self->actions != NULL)
		g_string_free (g_steal_pointer (&self->actions), TRUE);
	g_clear_pointer (&self->action_list, g_ptr_array_unref);
	g_clear_pointer (&self->poisoned, g_free);
	self->nactions = 0;
}

/* whether a lone ')' word comes in the rest of a line */
static gboolean
line_closes (const gchar *rest)
{
	g_auto (GStrv) words = g_strsplit_set (rest, " \t", -1);
	for (guint i = 0; words[i] != NULL; i++) {
		if (g_strcmp0 (words[i], ")") == 0)
			return TRUE;
	}
	return FALSE;
}

/* actions of a transaction until the end of the line, or its closing ')' */
static QmpshLine *
qmpsh_parser_collect (QmpshParser *self, QmpshScanner *s, GError **error)
{
	for (;;) {
		g_autofree gchar *type = NULL;
		g_autoptr (QmpshArgs) data = qmpsh_args_new ();
		gchar stop = 0;

		qmpsh_scanner_skip_ws (s);
		if (*s->p == '\0' || *s->p == '#')
			return qmpsh_line_new (QMPSH_LINE_CONTINUE, NULL, NULL);
		if ((stop = qmpsh_scanner_separator (s)) == 0) {
			g_autoptr (GError) error_local = NULL;
			type = qmpsh_scanner_name (s, "an action type", &error_local);
			if (type == NULL ||
			    !qmpsh_args_parse (data, s, &stop, NULL, &error_local)) {
				/* a transaction with a bad action must not be sent at all */
				if (self->poisoned == NULL)
					self->poisoned = g_strdup (error_local->message);
				/* a ')' later on this line still ends it */
				if (line_closes (s->p)) {
					qmpsh_parser_reset (self);
					g_prefix_error (&error_local, "transaction not sent: ");
				}
				g_propagate_error (error, g_steal_pointer (&error_local));
				return NULL;
			}
			g_string_append (self->actions, self->nactions++ > 0 ? ",{" : "{");
			g_string_append (self->actions, "\"type\":");
			qmpsh_format_json_string (self->actions, type, strlen (type));
			g_string_append (self->actions, ",\"data\":");
			qmpsh_args_to_json (data, self->actions);
			g_string_append_c (self->actions, '}');
			g_ptr_array_add (self->action_list,
					 qmpsh_line_action_new (type, g_steal_pointer (&data)));
		} else {
			s->p++;
		}
		if (stop != ')')
			continue;

		qmpsh_scanner_skip_ws (s);
		if (*s->p != '\0' && *s->p != '#') {
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "column %u: unexpected text after the ')' that ends the "
				     "transaction",
				     qmpsh_scanner_column (s, s->p));
			qmpsh_parser_reset (self);
			return NULL;
		}
		if (self->poisoned != NULL) {
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "transaction not sent: one of its actions is wrong (%s)",
				     self->poisoned);
			qmpsh_parser_reset (self);
			return NULL;
		}
		if (self->nactions == 0) {
			g_set_error_literal (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
					     "transaction not sent: it has no actions");
			qmpsh_parser_reset (self);
			return NULL;
		}
		{
			g_autoptr (GString) json = g_string_new (
				"{\"execute\":\"transaction\",\"arguments\":{\"actions\":[");
			QmpshLine *line;
			g_string_append (json, self->actions->str);
			g_string_append (json, "]}}");
			line = qmpsh_line_new (QMPSH_LINE_COMMAND, "transaction",
					       g_string_free (g_steal_pointer (&json), FALSE));
			line->actions = g_steal_pointer (&self->action_list);
			qmpsh_parser_reset (self);
			return line;
		}
	}
}

static QmpshLine *
qmpsh_parser_hmp (const gchar *text)
{
	g_autofree gchar *trimmed = g_strstrip (g_strdup (text));
	g_autofree gchar *name = g_strndup (trimmed, strcspn (trimmed, " \t"));
	GString *json = g_string_new (
		"{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":");
	qmpsh_format_json_string (json, trimmed, strlen (trimmed));
	g_string_append (json, "}}");
	return qmpsh_line_new (QMPSH_LINE_HMP, name, g_string_free (json, FALSE));
}

/**
 * qmpsh_parser_feed:
 * @self: a parser
 * @text: one line of input
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full): what the line says (%QMPSH_LINE_CONTINUE while a
 *   transaction is being collected), or %NULL with a %QMPSH_PARSE_ERROR that
 *   says where and what was expected
 */
static gboolean
ends_in_backslash (const gchar *text, gsize len)
{
	gsize n = 0;

	while (n < len && text[len - 1 - n] == '\\')
		n++;
	return n % 2 == 1;
}

/*
 * Goes on counting {[ against ]} outside strings from where the last line
 * left off, so that each line is scanned once. Returns FALSE once more
 * close than opened: then the JSON is what it is, and the parse says so.
 */
static gboolean
json_scan (const gchar *text, gint *depth, gboolean *in_string)
{
	for (const gchar *p = text; *p != '\0'; p++) {
		if (*in_string) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			else if (*p == '"')
				*in_string = FALSE;
		} else if (*p == '"') {
			*in_string = TRUE;
		} else if (*p == '{' || *p == '[') {
			(*depth)++;
		} else if ((*p == '}' || *p == ']') && --(*depth) < 0) {
			return FALSE;
		}
	}
	return TRUE;
}

/* the JSON is open at the end of the line: more is to come (a string may not span lines) */
static gboolean
json_open (gboolean ok, gint depth, gboolean in_string)
{
	return ok && depth > 0 && !in_string;
}

static QmpshLine *
qmpsh_parser_feed_checked (QmpshParser *self, const gchar *text, GError **error)
{
	QmpshScanner s = { text, text };
	gsize len = strlen (text);

	/*
	 * `cmd a=1 \` goes on on the next line, as in a shell: an odd number of
	 * backslashes at the end (two are one, escaped); never in a comment
	 */
	if (ends_in_backslash (text, len) && text[strspn (text, " \t")] != '#') {
		if (self->pending == NULL)
			self->pending = g_string_new (NULL);
		g_string_append_len (self->pending, text, len - 1);
		return qmpsh_line_new (QMPSH_LINE_CONTINUE, NULL, NULL);
	}
	qmpsh_scanner_skip_ws (&s);
	/* a JSON object written over lines, as jq prints one */
	if (self->actions == NULL && *s.p == '{') {
		gint depth = 0;
		gboolean in_string = FALSE;
		gboolean ok = json_scan (s.p, &depth, &in_string);
		if (json_open (ok, depth, in_string)) {
			if (self->pending == NULL)
				self->pending = g_string_new (NULL);
			g_string_append_len (self->pending, text, len);
			g_string_append_c (self->pending, '\n');
			self->pending_json = TRUE;
			self->json_depth = depth;
			self->json_in_string = in_string;
			return qmpsh_line_new (QMPSH_LINE_CONTINUE, NULL, NULL);
		}
	}
	if (self->actions != NULL)
		return qmpsh_parser_collect (self, &s, error);
	if (*s.p == '\0' || *s.p == '#')
		return qmpsh_line_new (QMPSH_LINE_EMPTY, NULL, NULL);
	if (self->aliases != NULL && g_hash_table_size (self->aliases) > 0 && !self->expanded &&
	    *s.p != '.') {
		g_autofree gchar *expanded = expand_aliases (self, s.p);
		if (expanded != NULL) {
			QmpshLine *line;
			self->expanded = TRUE;
			line = qmpsh_parser_feed_checked (self, expanded, error);
			self->expanded = FALSE;
			return line;
		}
	}
	/* `.oob CMD key=value ...`: a command like any other, sent out of band */
	if (*s.p == '.' && strncmp (s.p, ".oob", 4) == 0 &&
	    (s.p[4] == '\0' || g_ascii_isspace (s.p[4]))) {
		QmpshLine *line;
		s.p += 4;
		qmpsh_scanner_skip_ws (&s);
		if (*s.p == '\0' || *s.p == '{') {
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "usage: .oob COMMAND [KEY=VALUE...]");
			return NULL;
		}
		line = parse_command (&s, error);
		if (line != NULL)
			line->oob = TRUE;
		return line;
	}
	if (*s.p == '.')
		return parse_builtin (&s, error);
	if (qmpsh_scanner_separator (&s) != 0) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
			     "column %u: '%c' outside transaction( ... )",
			     qmpsh_scanner_column (&s, s.p), *s.p);
		return NULL;
	}
	if (*s.p == '{')
		return parse_raw (&s, error);
	if (*s.p == 't' && strncmp (s.p, "transaction(", 12) == 0 &&
	    (s.p[12] == '\0' || g_ascii_isspace (s.p[12]))) {
		s.p += 12;
		self->actions = g_string_new (NULL);
		self->action_list =
			g_ptr_array_new_with_free_func ((GDestroyNotify)qmpsh_line_action_free);
		return qmpsh_parser_collect (self, &s, error);
	}
	if (self->hmp)
		return qmpsh_parser_hmp (s.p);
	return parse_command (&s, error);
}

/**
 * qmpsh_parser_check_limits:
 * @json: a command
 * @error: a #GError, or %NULL
 *
 * What QEMU's JSON parser would refuse (json-streamer.c) is refused before
 * it is sent.
 *
 * Returns: %TRUE, or %FALSE with a %QMPSH_PARSE_ERROR_LIMIT
 */
gboolean
qmpsh_parser_check_limits (const gchar *json, GError **error)
{
	gsize len = strlen (json);
	gsize tokens = 0;
	guint depth;

	/* each level and each token takes a byte at least: a short command is within both */
	if (len <= QMPSH_JSON_DEPTH_MAX && len <= QMPSH_JSON_TOKENS_MAX)
		return TRUE;
	depth = qmp_json_measure (json, len, &tokens);
	if (len > QMPSH_LINE_MAX) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_LIMIT,
			     "the command is %" G_GSIZE_FORMAT " bytes as JSON; QEMU takes at "
			     "most %u MiB",
			     len, QMPSH_LINE_MAX >> 20);
		return FALSE;
	}
	if (depth > QMPSH_JSON_DEPTH_MAX) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_LIMIT,
			     "the command nests %u levels deep as JSON; QEMU takes at most %u",
			     depth, QMPSH_JSON_DEPTH_MAX);
		return FALSE;
	}
	if (tokens > QMPSH_JSON_TOKENS_MAX) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_LIMIT,
			     "the command has %" G_GSIZE_FORMAT " JSON tokens; QEMU takes at "
			     "most %u",
			     tokens, QMPSH_JSON_TOKENS_MAX);
		return FALSE;
	}
	return TRUE;
}

/**
 * qmpsh_parser_feed:
 * @self: a parser
 * @text: one line of input
 * @error: a #GError, or %NULL
 *
 * A line that is not UTF-8, is longer than QEMU reads, or makes a command
 * QEMU's parser would refuse is refused here, so nothing of it is sent.
 *
 * Returns: (transfer full): what the line says (%QMPSH_LINE_CONTINUE while a
 *   transaction is being collected), or %NULL with a %QMPSH_PARSE_ERROR that
 *   says where and what was expected
 */
QmpshLine *
qmpsh_parser_feed (QmpshParser *self, const gchar *text, GError **error)
{
	g_autoptr (QmpshLine) line = NULL;
	const gchar *bad = NULL;
	gsize len = strlen (text);

	if (len > QMPSH_LINE_MAX) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_LIMIT,
			     "the line is longer than %u MiB, QEMU's limit for one command",
			     QMPSH_LINE_MAX >> 20);
		return NULL;
	}
	if (!g_utf8_validate_len (text, len, &bad)) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_ENCODING,
			     "invalid UTF-8 at byte %" G_GSIZE_FORMAT " (column %u)",
			     (gsize)(bad - text) + 1, (guint)g_utf8_strlen (text, bad - text) + 1);
		return NULL;
	}
	if (self->pending != NULL) {
		/* what went before comes first, and a whole line is what is checked */
		g_autofree gchar *joined = NULL;
		gboolean goes_on = FALSE;

		if (self->pending_json) {
			/* only the new line is scanned: the work stays linear in the input */
			gboolean ok = json_scan (text, &self->json_depth, &self->json_in_string);
			goes_on = json_open (ok, self->json_depth, self->json_in_string);
		} else {
			goes_on = ends_in_backslash (text, len);
		}
		g_string_append_len (self->pending, text,
				     goes_on && !self->pending_json ? len - 1 : len);
		if (self->pending->len > QMPSH_LINE_MAX) {
			qmpsh_parser_reset (self);
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_LIMIT,
				     "the line, with those it went on with, is longer than %u MiB, "
				     "QEMU's limit for one command",
				     QMPSH_LINE_MAX >> 20);
			return NULL;
		}
		if (goes_on) {
			if (self->pending_json)
				g_string_append_c (self->pending, '\n');
			return qmpsh_line_new (QMPSH_LINE_CONTINUE, NULL, NULL);
		}
		self->pending_json = FALSE;
		joined = g_string_free (g_steal_pointer (&self->pending), FALSE);
		if (strlen (joined) > QMPSH_LINE_MAX) {
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_LIMIT,
				     "the line, with those it went on with, is longer than %u MiB, "
				     "QEMU's limit for one command",
				     QMPSH_LINE_MAX >> 20);
			return NULL;
		}
		line = qmpsh_parser_feed_checked (self, joined, error);
	} else {
		line = qmpsh_parser_feed_checked (self, text, error);
	}
	if (line != NULL && line->json != NULL && !qmpsh_parser_check_limits (line->json, error))
		return NULL;
	if (self->actions != NULL && self->actions->len > QMPSH_LINE_MAX) {
		qmpsh_parser_reset (self);
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_LIMIT,
			     "transaction not sent: it is longer than %u MiB, QEMU's limit for "
			     "one command",
			     QMPSH_LINE_MAX >> 20);
		return NULL;
	}
	return g_steal_pointer (&line);
}
