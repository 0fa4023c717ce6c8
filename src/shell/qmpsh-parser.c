/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-parser.h"
#include "qmp-json.h"
#include "qmp-message.h"

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

/*
 * The arguments of a command as a tree of keys in the order the user gave
 * them: a leaf holds the JSON text of its value, exactly as typed, so that
 * numbers of any size reach the server unchanged.
 */
typedef struct _ArgNode ArgNode;
struct _ArgNode {
	gchar *key;
	gchar *json;	    /* a leaf's value, or NULL for an object */
	GPtrArray *members; /* an object's members */
	GHashTable *index;  /* key -> member, once an object has many */
};

/* members an object holds before it is worth an index */
#define ARG_NODE_INDEX_MIN 8

static void
arg_node_free (ArgNode *node)
{
	g_free (node->key);
	g_free (node->json);
	if (node->members != NULL)
		g_ptr_array_unref (node->members);
	if (node->index != NULL)
		g_hash_table_unref (node->index);
	g_free (node);
}

static ArgNode *
arg_node_new_object (const gchar *key)
{
	ArgNode *node = g_new0 (ArgNode, 1);
	node->key = g_strdup (key);
	node->members = g_ptr_array_new_with_free_func ((GDestroyNotify)arg_node_free);
	return node;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ArgNode, arg_node_free)

static ArgNode *
arg_node_find (ArgNode *object, const gchar *key)
{
	if (object->index != NULL)
		return g_hash_table_lookup (object->index, key);
	for (guint i = 0; i < object->members->len; i++) {
		ArgNode *m = g_ptr_array_index (object->members, i);
		if (g_strcmp0 (m->key, key) == 0)
			return m;
	}
	return NULL;
}

/* lines of many keys stay linear: past a few members, lookups go through an index */
static void
arg_node_add (ArgNode *object, ArgNode *member)
{
	g_ptr_array_add (object->members, member);
	if (object->index == NULL && object->members->len >= ARG_NODE_INDEX_MIN) {
		object->index = g_hash_table_new (g_str_hash, g_str_equal);
		for (guint i = 0; i < object->members->len; i++) {
			ArgNode *m = g_ptr_array_index (object->members, i);
			g_hash_table_insert (object->index, m->key, m);
		}
	} else if (object->index != NULL) {
		g_hash_table_insert (object->index, member->key, member);
	}
}

static void
json_append_string (GString *out, const gchar *s, gsize len)
{
	g_string_append_c (out, '"');
	for (gsize i = 0; i < len; i++) {
		guchar c = s[i];
		switch (c) {
		case '"':
			g_string_append (out, "\\\"");
			break;
		case '\\':
			g_string_append (out, "\\\\");
			break;
		case '\n':
			g_string_append (out, "\\n");
			break;
		case '\r':
			g_string_append (out, "\\r");
			break;
		case '\t':
			g_string_append (out, "\\t");
			break;
		default:
			if (c < 0x20)
				g_string_append_printf (out, "\\u%04x", c);
			else
				g_string_append_c (out, c);
		}
	}
	g_string_append_c (out, '"');
}

static void
arg_node_to_json (ArgNode *object, GString *out)
{
	g_string_append_c (out, '{');
	for (guint i = 0; i < object->members->len; i++) {
		ArgNode *m = g_ptr_array_index (object->members, i);
		if (i > 0)
			g_string_append_c (out, ',');
		json_append_string (out, m->key, strlen (m->key));
		g_string_append_c (out, ':');
		if (m->json != NULL)
			g_string_append (out, m->json);
		else
			arg_node_to_json (m, out);
	}
	g_string_append_c (out, '}');
}

/**
 * qmpsh_excerpt:
 * @text: what the user typed
 * @len: its length in bytes, or -1 if NUL-terminated
 *
 * Messages quote what was typed, but never more than a screenful of it.
 *
 * Returns: (transfer full): @text, or its first 40 characters and "..."
 */
gchar *
qmpsh_excerpt (const gchar *text, gssize len)
{
	gsize n = len < 0 ? strlen (text) : (gsize)len;
	const gchar *p = text;

	for (guint i = 0; i < 40 && p != NULL; i++)
		p = g_utf8_find_next_char (p, text + n);
	if (p == NULL || p >= text + n)
		return g_strndup (text, n);
	return g_strdup_printf ("%.*s...", (int)(p - text), text);
}

/* `a.b.c=json`: walks or makes the objects a and a.b, then sets c */
static gboolean
arg_node_set (ArgNode *root, const gchar *dotted, gchar *json, GError **error)
{
	g_autofree gchar *value = json;
	ArgNode *object = root;
	const gchar *part = dotted;
	guint depth = 1;

	for (const gchar *c = dotted; *c != '\0'; c++)
		depth += *c == '.';
	if (depth > QMPSH_KEY_DEPTH_MAX) {
		g_autofree gchar *shown = qmpsh_excerpt (dotted, -1);
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
			     "key '%s' is %u levels deep; QEMU takes at most %u", shown, depth,
			     QMPSH_KEY_DEPTH_MAX);
		return FALSE;
	}
	for (;;) {
		const gchar *dot = strchr (part, '.');
		g_autofree gchar *name =
			dot != NULL ? g_strndup (part, dot - part) : g_strdup (part);
		ArgNode *m;

		if (name[0] == '\0') {
			g_autofree gchar *shown = qmpsh_excerpt (dotted, -1);
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "key '%s' has an empty part", shown);
			return FALSE;
		}
		m = arg_node_find (object, name);
		if (dot == NULL) {
			if (m != NULL) {
				g_autofree gchar *shown = qmpsh_excerpt (dotted, -1);
				g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_CONFLICT,
					     "key '%s' is given twice", shown);
				return FALSE;
			}
			m = g_new0 (ArgNode, 1);
			m->key = g_steal_pointer (&name);
			m->json = g_steal_pointer (&value);
			arg_node_add (object, m);
			return TRUE;
		}
		if (m == NULL) {
			m = arg_node_new_object (name);
			arg_node_add (object, m);
		} else if (m->json != NULL) {
			g_autofree gchar *path = qmpsh_excerpt (dotted, dot - dotted);
			g_autofree gchar *shown = qmpsh_excerpt (dotted, -1);
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_CONFLICT,
				     "key '%s' is given both a value and members ('%s')", path,
				     shown);
			return FALSE;
		}
		object = m;
		part = dot + 1;
	}
}

/* ------------------------------------------------------------------------ */
/* scanning words */

typedef struct {
	const gchar *line;
	const gchar *p;
} Scanner;

static guint
scanner_column (Scanner *s, const gchar *at)
{
	return (guint)g_utf8_pointer_to_offset (s->line, at) + 1;
}

static void
scanner_skip_ws (Scanner *s)
{
	while (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n')
		s->p++;
}

/* a quoted string: 'a b' or "a b", with backslash escapes, as a JSON string */
static gchar *
scan_quoted (Scanner *s, GError **error)
{
	const gchar *start = s->p;
	gchar quote = *s->p++;
	g_autoptr (GString) value = g_string_new (NULL);
	g_autoptr (GString) json = g_string_new (NULL);

	for (;;) {
		gchar c = *s->p;
		if (c == '\0') {
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "column %u: the string opened here has no closing %c",
				     scanner_column (s, start), quote);
			return NULL;
		}
		s->p++;
		if (c == quote)
			break;
		if (c != '\\') {
			g_string_append_c (value, c);
			continue;
		}
		c = *s->p;
		if (c == '\0')
			continue; /* reported as an unclosed string above */
		s->p++;
		switch (c) {
		case 'n':
			g_string_append_c (value, '\n');
			break;
		case 't':
			g_string_append_c (value, '\t');
			break;
		case 'r':
			g_string_append_c (value, '\r');
			break;
		case '\\':
		case '"':
		case '\'':
			g_string_append_c (value, c);
			break;
		default:
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "column %u: unknown escape '\\%c' (use \\n \\t \\r \\\\ \\\" "
				     "or \\')",
				     scanner_column (s, s->p - 2), c != '\0' ? c : ' ');
			return NULL;
		}
	}
	if (*s->p != '\0' && !g_ascii_isspace (*s->p)) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
			     "column %u: expected a space after the closing %c",
			     scanner_column (s, s->p), quote);
		return NULL;
	}
	json_append_string (json, value->str, value->len);
	return g_string_free (g_steal_pointer (&json), FALSE);
}

/* an unquoted value: up to a space outside brackets and strings */
static gboolean
scan_bare (Scanner *s, const gchar **start, gsize *len, GError **error)
{
	guint depth = 0;
	gchar in_string = 0;

	*start = s->p;
	for (; *s->p != '\0'; s->p++) {
		gchar c = *s->p;
		if (in_string) {
			if (c == '\\' && s->p[1] != '\0')
				s->p++;
			else if (c == in_string)
				in_string = 0;
			continue;
		}
		if (c == '"' || (c == '\'' && depth > 0))
			in_string = c;
		else if (c == '{' || c == '[')
			depth++;
		else if ((c == '}' || c == ']') && depth > 0)
			depth--;
		else if (depth == 0 && g_ascii_isspace (c))
			break;
	}
	if (in_string || depth > 0) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
			     "column %u: %s opened here is not closed", scanner_column (s, *start),
			     in_string ? "a string" : "a bracket");
		return FALSE;
	}
	*len = s->p - *start;
	return TRUE;
}

/* the JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static gboolean
is_json_number (const gchar *p, gsize len)
{
	const gchar *end = p + len;

	if (p < end && *p == '-')
		p++;
	if (p >= end || !g_ascii_isdigit (*p))
		return FALSE;
	if (*p == '0')
		p++;
	else
		while (p < end && g_ascii_isdigit (*p))
			p++;
	if (p < end && *p == '.') {
		if (++p >= end || !g_ascii_isdigit (*p))
			return FALSE;
		while (p < end && g_ascii_isdigit (*p))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || !g_ascii_isdigit (*p))
			return FALSE;
		while (p < end && g_ascii_isdigit (*p))
			p++;
	}
	return p == end;
}

static gboolean
is_literal (const gchar *p, gsize len, const gchar *word)
{
	return len == strlen (word) && memcmp (p, word, len) == 0;
}

/* the JSON text of an unquoted value: a JSON literal as written, or else a string */
static gchar *
value_to_json (Scanner *s, const gchar *key, const gchar *start, gsize len, GError **error)
{
	const gchar *what = NULL;
	gsize offset = 0;
	GString *out;

	/* json-glib would keep integers as gint64: the text of any number goes as it is */
	if (is_json_number (start, len) || is_literal (start, len, "true") ||
	    is_literal (start, len, "false") || is_literal (start, len, "null"))
		return g_strndup (start, len);
	if (*start == '{' || *start == '[') {
		if (!qmp_json_validate (start, len, &what, &offset)) {
			g_autofree gchar *shown = qmpsh_excerpt (key, -1);
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "column %u: the value of '%s' is not valid JSON: %s",
				     scanner_column (s, start + offset), shown, what);
			return NULL;
		}
		return qmp_json_compact (start, len);
	}
	out = g_string_new (NULL);
	json_append_string (out, start, len);
	return g_string_free (out, FALSE);
}

static gboolean
is_key_char (gchar c)
{
	return g_ascii_isalnum (c) || c == '-' || c == '_' || c == '.';
}

/* a lone ';' or ')' word ends an action of a transaction */
static gchar
scanner_at_separator (Scanner *s)
{
	if ((*s->p == ';' || *s->p == ')') && (s->p[1] == '\0' || g_ascii_isspace (s->p[1])))
		return *s->p;
	return 0;
}

/* `name`: a command or action name */
static gchar *
scan_name (Scanner *s, const gchar *what, GError **error)
{
	const gchar *start = s->p;

	while (*s->p != '\0' && !g_ascii_isspace (*s->p))
		s->p++;
	for (const gchar *c = start; c < s->p; c++) {
		if (!is_key_char (*c) || *c == '.') {
			g_autofree gchar *shown = qmpsh_excerpt (start, s->p - start);
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "column %u: '%s' is not %s (letters, digits, '-' and '_')",
				     scanner_column (s, start), shown, what);
			return NULL;
		}
	}
	return g_strndup (start, s->p - start);
}

/*
 * `key=value ...` into @args, up to the end of the line, a `#` comment, or a
 * lone `;` or `)` word, which is consumed and returned in @stop.
 */
static void
redirect_free (QmpshRedirect *r)
{
	g_free (r->path);
	g_free (r);
}

/* `<PATH`, `>PATH`, `<>PATH`, or `<&N` and the like for an inherited descriptor */
static QmpshRedirect *
scan_redirect (Scanner *s, GError **error)
{
	g_autoptr (GString) path = g_string_new (NULL);
	const gchar *start = s->p;
	QmpshRedirect *r;
	gint flags;

	if (g_str_has_prefix (s->p, "<>")) {
		flags = O_RDWR | O_CREAT;
		s->p += 2;
	} else if (*s->p == '<') {
		flags = O_RDONLY;
		s->p++;
	} else {
		flags = O_WRONLY | O_CREAT | O_TRUNC;
		s->p++;
	}
	if (*s->p == '\'' || *s->p == '"') {
		gchar quote = *s->p++;
		while (*s->p != '\0' && *s->p != quote)
			g_string_append_c (path, *s->p++);
		if (*s->p != quote) {
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "column %u: the file name has no closing %c",
				     scanner_column (s, start), quote);
			return NULL;
		}
		s->p++;
	} else {
		while (*s->p != '\0' && !g_ascii_isspace (*s->p))
			g_string_append_c (path, *s->p++);
	}
	if (path->len == 0) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
			     "column %u: a redirection needs a file: <FILE, >FILE, <>FILE or <&FD",
			     scanner_column (s, start));
		return NULL;
	}
	r = g_new0 (QmpshRedirect, 1);
	r->flags = flags;
	r->fd = -1;
	if (path->str[0] == '&') {
		gchar *end = NULL;
		guint64 fd = g_ascii_strtoull (path->str + 1, &end, 10);
		if (end == path->str + 1 || *end != '\0' || fd > G_MAXINT) {
			g_autofree gchar *shown = qmpsh_excerpt (path->str + 1, -1);
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "column %u: '%s' is no descriptor number",
				     scanner_column (s, start), shown);
			redirect_free (r);
			return NULL;
		}
		r->fd = (gint)fd;
	} else {
		r->path = g_strdup (path->str);
	}
	return r;
}

static gboolean parse_arguments_full (Scanner *s, ArgNode *args, gchar *stop, GPtrArray *redirects,
				      GError **error);

static gboolean
parse_arguments (Scanner *s, ArgNode *args, gchar *stop, GError **error)
{
	return parse_arguments_full (s, args, stop, NULL, error);
}

/* with @redirects, `<FILE` words may end the line */
static gboolean
parse_arguments_full (Scanner *s, ArgNode *args, gchar *stop, GPtrArray *redirects, GError **error)
{
	*stop = 0;
	for (;;) {
		const gchar *key_start;
		g_autofree gchar *key = NULL;
		g_autofree gchar *value = NULL;

		scanner_skip_ws (s);
		if (*s->p == '\0' || *s->p == '#')
			return TRUE;
		if ((*stop = scanner_at_separator (s)) != 0) {
			s->p++;
			return TRUE;
		}
		if (*s->p == '<' || *s->p == '>') {
			QmpshRedirect *r;
			if (redirects == NULL) {
				g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
					     "column %u: files go with single commands, not here",
					     scanner_column (s, s->p));
				return FALSE;
			}
			r = scan_redirect (s, error);
			if (r == NULL)
				return FALSE;
			g_ptr_array_add (redirects, r);
			continue;
		}
		if (redirects != NULL && redirects->len > 0) {
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "column %u: redirections go after every key=value",
				     scanner_column (s, s->p));
			return FALSE;
		}
		key_start = s->p;
		while (is_key_char (*s->p))
			s->p++;
		if (*s->p != '=' || s->p == key_start) {
			const gchar *end = key_start;
			g_autofree gchar *shown = NULL;
			while (*end != '\0' && !g_ascii_isspace (*end))
				end++;
			shown = qmpsh_excerpt (key_start, end - key_start);
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "column %u: expected key=value, got '%s'",
				     scanner_column (s, key_start), shown);
			return FALSE;
		}
		key = g_strndup (key_start, s->p - key_start);
		s->p++; /* = */
		if (*s->p == '"' || *s->p == '\'') {
			value = scan_quoted (s, error);
		} else {
			const gchar *vstart;
			gsize vlen;
			if (!scan_bare (s, &vstart, &vlen, error))
				return FALSE;
			if (vlen == 0) {
				g_autofree gchar *shown = qmpsh_excerpt (key, -1);
				g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
					     "column %u: '%s=' has no value (for an empty string "
					     "write %s=\"\")",
					     scanner_column (s, key_start), shown, shown);
				return FALSE;
			}
			value = value_to_json (s, key, vstart, vlen, error);
		}
		if (value == NULL)
			return FALSE;
		if (!arg_node_set (args, key, g_steal_pointer (&value), error)) {
			g_prefix_error (error, "column %u: ", scanner_column (s, key_start));
			return FALSE;
		}
	}
}

static gchar *
command_json (const gchar *name, ArgNode *args)
{
	GString *json = g_string_new ("{\"execute\":");
	json_append_string (json, name, strlen (name));
	if (args != NULL && args->members->len > 0) {
		g_string_append (json, ",\"arguments\":");
		arg_node_to_json (args, json);
	}
	g_string_append_c (json, '}');
	return g_string_free (json, FALSE);
}

static QmpshLine *
qmpsh_line_new (QmpshLineKind kind, const gchar *name, gchar *json)
{
	QmpshLine *line = g_new0 (QmpshLine, 1);
	line->kind = kind;
	line->name = g_strdup (name);
	line->json = json;
	return line;
}

static QmpshLine *
parse_command (Scanner *s, GError **error)
{
	g_autofree gchar *name = scan_name (s, "a command name", error);
	g_autoptr (ArgNode) args = arg_node_new_object (NULL);
	g_autoptr (GPtrArray) redirects =
		g_ptr_array_new_with_free_func ((GDestroyNotify)redirect_free);
	QmpshLine *line;
	gchar stop;

	if (name == NULL)
		return NULL;
	if (!parse_arguments_full (s, args, &stop, redirects, error))
		return NULL;
	if (stop != 0) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
			     "column %u: '%c' outside transaction( ... )",
			     scanner_column (s, s->p - 1), stop);
		return NULL;
	}
	line = qmpsh_line_new (QMPSH_LINE_COMMAND, name, command_json (name, args));
	if (redirects->len > 0)
		line->redirects = g_steal_pointer (&redirects);
	return line;
}

static QmpshLine *
parse_raw (Scanner *s, GError **error)
{
	const gchar *what = NULL;
	gsize offset = 0;
	gsize len = strlen (s->p);
	g_autofree gchar *compact = NULL;
	g_autoptr (QmpMessage) message = NULL;

	if (!qmp_json_validate (s->p, len, &what, &offset)) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
			     "column %u: the line starts with '{' but is not valid JSON: %s",
			     scanner_column (s, s->p + offset), what);
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
	return qmpsh_line_new (QMPSH_LINE_RAW, qmp_message_get_command_name (message),
			       g_steal_pointer (&compact));
}

static QmpshLine *
parse_builtin (Scanner *s, GError **error)
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
	GString *actions; /* the transaction being collected, NULL outside one */
	guint nactions;
	gchar *poisoned; /* why the transaction being collected cannot be sent */
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
	g_free (self);
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
 * qmpsh_parser_reset:
 * @self: a parser
 *
 * Drops a transaction being collected, as Ctrl-C does.
 */
void
qmpsh_parser_reset (QmpshParser *self)
{
	if (self->actions != NULL)
		g_string_free (g_steal_pointer (&self->actions), TRUE);
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
qmpsh_parser_collect (QmpshParser *self, Scanner *s, GError **error)
{
	for (;;) {
		g_autofree gchar *type = NULL;
		g_autoptr (ArgNode) data = arg_node_new_object (NULL);
		gchar stop = 0;

		scanner_skip_ws (s);
		if (*s->p == '\0' || *s->p == '#')
			return qmpsh_line_new (QMPSH_LINE_CONTINUE, NULL, NULL);
		if ((stop = scanner_at_separator (s)) == 0) {
			g_autoptr (GError) error_local = NULL;
			type = scan_name (s, "an action type", &error_local);
			if (type == NULL || !parse_arguments (s, data, &stop, &error_local)) {
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
			json_append_string (self->actions, type, strlen (type));
			g_string_append (self->actions, ",\"data\":");
			arg_node_to_json (data, self->actions);
			g_string_append_c (self->actions, '}');
		} else {
			s->p++;
		}
		if (stop != ')')
			continue;

		scanner_skip_ws (s);
		if (*s->p != '\0' && *s->p != '#') {
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "column %u: unexpected text after the ')' that ends the "
				     "transaction",
				     scanner_column (s, s->p));
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
			g_string_append (json, self->actions->str);
			g_string_append (json, "]}}");
			qmpsh_parser_reset (self);
			return qmpsh_line_new (QMPSH_LINE_COMMAND, "transaction",
					       g_string_free (g_steal_pointer (&json), FALSE));
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
	json_append_string (json, trimmed, strlen (trimmed));
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
static QmpshLine *
qmpsh_parser_feed_checked (QmpshParser *self, const gchar *text, GError **error)
{
	Scanner s = { text, text };

	scanner_skip_ws (&s);
	if (self->actions != NULL)
		return qmpsh_parser_collect (self, &s, error);
	if (*s.p == '\0' || *s.p == '#')
		return qmpsh_line_new (QMPSH_LINE_EMPTY, NULL, NULL);
	if (*s.p == '.')
		return parse_builtin (&s, error);
	if (scanner_at_separator (&s) != 0) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
			     "column %u: '%c' outside transaction( ... )", scanner_column (&s, s.p),
			     *s.p);
		return NULL;
	}
	if (*s.p == '{')
		return parse_raw (&s, error);
	if (g_str_has_prefix (s.p, "transaction(") &&
	    (s.p[12] == '\0' || g_ascii_isspace (s.p[12]))) {
		s.p += 12;
		self->actions = g_string_new (NULL);
		return qmpsh_parser_collect (self, &s, error);
	}
	if (self->hmp)
		return qmpsh_parser_hmp (s.p);
	return parse_command (&s, error);
}

/* what QEMU's JSON parser would refuse (json-streamer.c), refused before it is sent */
static gboolean
check_qemu_limits (const gchar *json, GError **error)
{
	gsize len = strlen (json);
	gsize tokens = 0;
	guint depth = qmp_json_measure (json, len, &tokens);

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
	line = qmpsh_parser_feed_checked (self, text, error);
	if (line != NULL && line->json != NULL && !check_qemu_limits (line->json, error))
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

/**
 * qmpsh_parse_line:
 * @text: one line, complete in itself
 * @error: a #GError, or %NULL
 *
 * Parses a line with a fresh parser: a transaction must open and close on it.
 *
 * Returns: (transfer full): what the line says, or %NULL with an error
 */
QmpshLine *
qmpsh_parse_line (const gchar *text, GError **error)
{
	g_autoptr (QmpshParser) parser = qmpsh_parser_new ();
	g_autoptr (QmpshLine) line = qmpsh_parser_feed (parser, text, error);

	if (line != NULL && line->kind == QMPSH_LINE_CONTINUE) {
		g_set_error_literal (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "transaction( is not closed with ')'");
		return NULL;
	}
	return g_steal_pointer (&line);
}

/**
 * qmpsh_line_open_fds:
 * @line: a parsed line
 * @inherited: (nullable): the descriptors `--pass-fd` allows `<&N` to name
 * @can_pass: whether the connection carries descriptors (a UNIX socket)
 * @error: a #GError, or %NULL
 *
 * Opens the files the line's redirections name, in order; over a connection
 * that cannot carry them, refuses before a `>FILE` is created or truncated.
 *
 * Returns: (transfer full) (nullable): the descriptors to pass, %NULL with
 *   @error unset when there are none, or %NULL with @error set
 */
GUnixFDList *
qmpsh_line_open_fds (QmpshLine *line, GArray *inherited, gboolean can_pass, GError **error)
{
	g_autoptr (GUnixFDList) fds = NULL;

	if (line->redirects == NULL)
		return NULL;
	if (!can_pass) {
		g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
				     "file descriptors can only be passed over a UNIX socket, "
				     "not over TCP or TLS");
		return NULL;
	}
	fds = g_unix_fd_list_new ();
	for (guint i = 0; i < line->redirects->len; i++) {
		QmpshRedirect *r = g_ptr_array_index (line->redirects, i);
		gboolean allowed = FALSE;
		int fd;

		if (r->path == NULL) {
			for (guint j = 0; inherited != NULL && j < inherited->len; j++)
				allowed = allowed || g_array_index (inherited, gint, j) == r->fd;
			if (!allowed) {
				g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
					     "descriptor %d is not one to pass: give --pass-fd=%d",
					     r->fd, r->fd);
				return NULL;
			}
			if (g_unix_fd_list_append (fds, r->fd, error) < 0)
				return NULL;
			continue;
		}
		fd = g_open (r->path, r->flags | O_CLOEXEC, 0600);
		if (fd < 0) {
			int saved = errno;
			g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
				     "cannot open %s: %s", r->path, g_strerror (saved));
			return NULL;
		}
		g_unix_fd_list_append (fds, fd, NULL);
		close (fd);
	}
	return g_steal_pointer (&fds);
}

void
qmpsh_line_free (QmpshLine *line)
{
	if (line == NULL)
		return;
	g_free (line->name);
	g_free (line->json);
	g_strfreev (line->argv);
	if (line->redirects != NULL)
		g_ptr_array_unref (line->redirects);
	g_free (line);
}
