/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * The command language (qmpsh_parser_feed).
 *
 * Input: 1 flag byte (bit 0: HMP mode), then lines split at '\n' (a NUL
 * byte ends a line too), all fed through one parser, so that transactions
 * span lines; each line also goes alone through a fresh parser.
 *
 * Properties, each fatal:
 *   - a line gives a result or an error of QMPSH_PARSE_ERROR, never both or
 *     neither;
 *   - COMMAND, RAW and HMP results carry a `json` that qmp_json_validate
 *     accepts, an object whose "execute" (or for RAW "exec-oob") member is a
 *     string, and that qmp_message_new_from_data reads as a command; for
 *     COMMAND and HMP the only other member is an object "arguments", and
 *     "execute" is the line's name (HMP: human-monitor-command, with the
 *     line as "command-line"); a transaction's actions are objects with a
 *     "type" and a "data" object; RAW is the line's own JSON, compacted;
 *   - when the line is valid UTF-8, so is the `json`, and json-glib reads
 *     the same "execute" from it;
 *   - EMPTY, BUILTIN and CONTINUE carry no `json`; CONTINUE comes only
 *     inside a transaction, and nothing else leaves one open;
 *   - outside a transaction, and not in HMP mode, the parser and a fresh
 *     one give the same kind and `json` for a line: what came before leaves
 *     nothing behind.
 */

#include "fuzz-common.h"
#include "qmp-json.h"
#include "qmp-message.h"
#include "qmpsh-parser.h"

#include <json-glib/json-glib.h>
#include <string.h>

static const gchar *const kind_names[] = {
	"EMPTY", "COMMAND", "RAW", "BUILTIN", "HMP", "CONTINUE"
};

typedef struct {
	const gchar *json;
	gsize len;
	const QmpJsonMember *execute;
	QmpJsonMember execute_copy;
	QmpJsonMember arguments;
	gboolean has_arguments;
	guint others;
	gchar *other_key;
} Top;

static gboolean
top_member_cb (const QmpJsonMember *m, gpointer user_data)
{
	Top *top = user_data;

	if (qmp_json_key_is (m, "execute") || qmp_json_key_is (m, "exec-oob")) {
		top->execute_copy = *m;
		top->execute = &top->execute_copy;
	} else if (qmp_json_key_is (m, "arguments")) {
		top->arguments = *m;
		top->has_arguments = TRUE;
	} else {
		top->others++;
		g_free (top->other_key);
		top->other_key = g_strndup (m->key, m->key_len);
	}
	return TRUE;
}

/* a JSON string's value, for the escapes the parser writes; NULL for others */
static gchar *
json_string_value (const gchar *s, gsize len)
{
	GString *out;

	if (len < 2 || s[0] != '"' || s[len - 1] != '"')
		return NULL;
	out = g_string_new (NULL);
	for (gsize i = 1; i + 1 < len; i++) {
		if (s[i] != '\\') {
			g_string_append_c (out, s[i]);
			continue;
		}
		i++;
		switch (s[i]) {
		case 'n':
			g_string_append_c (out, '\n');
			break;
		case 'r':
			g_string_append_c (out, '\r');
			break;
		case 't':
			g_string_append_c (out, '\t');
			break;
		case 'u': {
			g_autofree gchar *hex = g_strndup (s + i + 1, 4);
			guint64 u = g_ascii_strtoull (hex, NULL, 16);
			if (u >= 0x80 || u == 0) {
				g_string_free (out, TRUE);
				return NULL;
			}
			g_string_append_c (out, (gchar)u);
			i += 4;
			break;
		}
		default:
			g_string_append_c (out, s[i]);
			break;
		}
	}
	return g_string_free (out, FALSE);
}

typedef struct {
	guint count;
	gboolean bad;
} Actions;

static gboolean
action_member_cb (const QmpJsonMember *m, gpointer user_data)
{
	gboolean *seen = user_data;

	if (qmp_json_key_is (m, "type"))
		seen[0] = m->value[0] == '"';
	else if (qmp_json_key_is (m, "data"))
		seen[1] = m->value[0] == '{';
	else
		seen[2] = TRUE;
	return TRUE;
}

static gboolean
action_cb (const gchar *value, gsize len, gpointer user_data)
{
	Actions *actions = user_data;
	gboolean seen[3] = { FALSE, FALSE, FALSE };

	actions->count++;
	if (value[0] != '{') {
		actions->bad = TRUE;
		return FALSE;
	}
	qmp_json_foreach_member (value, len, action_member_cb, seen);
	actions->bad = actions->bad || !seen[0] || !seen[1] || seen[2];
	return TRUE;
}

static gboolean
actions_cb (const QmpJsonMember *m, gpointer user_data)
{
	Actions *actions = user_data;

	if (!qmp_json_key_is (m, "actions") || m->value[0] != '[') {
		actions->bad = TRUE;
		return FALSE;
	}
	qmp_json_foreach_element (m->value, m->value_len, action_cb, actions);
	return TRUE;
}

static void
check_json (const QmpshLine *line, const gchar *text, gboolean plain_utf8)
{
	const gchar *what = NULL;
	gsize offset = 0;
	gsize len;
	Top top = { 0 };
	g_autofree gchar *shown = fuzz_escape (text, MIN (strlen (text), 300));
	g_autofree gchar *execute = NULL;
	g_autoptr (QmpMessage) message = NULL;
	g_autoptr (GError) error = NULL;

	FUZZ_CHECK (line->json != NULL, "a %s line without json: \"%s\"", kind_names[line->kind],
		    shown);
	len = strlen (line->json);
	FUZZ_CHECK (qmp_json_validate (line->json, len, &what, &offset),
		    "%s json is not valid JSON (%s at %zu):\n  json \"%s\"\n  line \"%s\"",
		    kind_names[line->kind], what, offset, fuzz_escape (line->json, len), shown);
	FUZZ_CHECK (line->json[0] == '{', "%s json is not an object: \"%s\"",
		    kind_names[line->kind], shown);
	top.json = line->json;
	top.len = len;
	qmp_json_foreach_member (line->json, len, top_member_cb, &top);
	FUZZ_CHECK (top.execute != NULL,
		    "%s json has no \"execute\":\n  json \"%s\"\n  line \"%s\"",
		    kind_names[line->kind], fuzz_escape (line->json, len), shown);
	message = qmp_message_new_from_data (line->json, len, &error);
	FUZZ_CHECK (message != NULL && qmp_message_get_kind (message) == QMP_MESSAGE_KIND_COMMAND,
		    "qmp_message_new_from_data does not read %s json as a command: %s",
		    kind_names[line->kind], error != NULL ? error->message : "another kind");
	execute = json_string_value (top.execute->value, top.execute->value_len);

	if (line->kind == QMPSH_LINE_RAW) {
		const gchar *p = text;
		g_autofree gchar *compact = NULL;
		while (fuzz_is_json_ws (*p))
			p++;
		compact = qmp_json_compact (p, strlen (p));
		FUZZ_CHECK (g_strcmp0 (compact, line->json) == 0,
			    "RAW json is not the line compacted:\n  json \"%s\"\n  line \"%s\"",
			    fuzz_escape (line->json, len), shown);
		g_free (top.other_key);
		/* its name is what error messages show: QmpshLine.name is not nullable */
		FUZZ_CHECK (line->name != NULL,
			    "RAW line with a NULL name (\"execute\" is %s): \"%s\"",
			    fuzz_escape (top.execute->value, top.execute->value_len), shown);
		if (line->name != NULL && execute != NULL &&
		    memchr (top.execute->value, '\\', top.execute->value_len) == NULL)
			FUZZ_CHECK (strcmp (line->name, execute) == 0,
				    "RAW line named %s, its \"execute\" %s", line->name, execute);
		return;
	}
	FUZZ_CHECK (top.execute->value[0] == '"',
		    "%s json's \"execute\" is no string:\n  json \"%s\"\n  line \"%s\"",
		    kind_names[line->kind], fuzz_escape (line->json, len), shown);

	FUZZ_CHECK (top.others == 0 && (!top.has_arguments || top.arguments.value[0] == '{'),
		    "%s json has a member %s, or arguments that are no object: \"%s\"",
		    kind_names[line->kind], top.other_key != NULL ? top.other_key : "-",
		    fuzz_escape (line->json, len));
	g_free (top.other_key);
	if (line->kind == QMPSH_LINE_HMP) {
		g_autofree gchar *trimmed = g_strstrip (g_strdup (text));
		g_autofree gchar *command_line = NULL;
		gsize n = top.arguments.value_len;
		const gchar *v = top.arguments.value;
		FUZZ_CHECK (g_strcmp0 (execute, "human-monitor-command") == 0 && top.has_arguments,
			    "HMP json: \"%s\"", fuzz_escape (line->json, len));
		/* {"command-line":"..."} */
		FUZZ_CHECK (n > 17 && memcmp (v, "{\"command-line\":", 16) == 0,
			    "HMP arguments: \"%s\"", fuzz_escape (v, n));
		command_line = json_string_value (v + 16, n - 17);
		if (command_line != NULL)
			FUZZ_CHECK (g_strcmp0 (command_line, trimmed) == 0,
				    "HMP command-line \"%s\" for the line \"%s\"",
				    fuzz_escape (command_line, strlen (command_line)), shown);
		return;
	}
	FUZZ_CHECK (g_strcmp0 (execute, line->name) == 0,
		    "COMMAND \"execute\" is %s, its name %s: \"%s\"", execute, line->name, shown);
	FUZZ_CHECK (line->name != NULL && line->name[0] != '\0',
		    "COMMAND with an empty name from the line \"%s\"", shown);
	if (g_strcmp0 (line->name, "transaction") == 0 && top.has_arguments &&
	    g_str_has_prefix (top.arguments.value, "{\"actions\":")) {
		Actions actions = { 0 };
		qmp_json_foreach_member (top.arguments.value, top.arguments.value_len, actions_cb,
					 &actions);
		FUZZ_CHECK (!actions.bad, "transaction json: \"%s\"",
			    fuzz_escape (line->json, len));
	}

	/*
	 * What json-glib makes of it, when every line so far (a transaction
	 * spans several) was UTF-8 without a \u escape json-glib might mis-read
	 */
	if (plain_utf8) {
		g_autoptr (JsonParser) parser = json_parser_new_immutable ();
		g_autoptr (GError) glib_error = NULL;
		JsonNode *root;
		FUZZ_CHECK (g_utf8_validate (line->json, len, NULL),
			    "valid UTF-8 in, json not: \"%s\"", shown);
		FUZZ_CHECK (json_parser_load_from_data (parser, line->json, len, &glib_error),
			    "json-glib cannot read the COMMAND json (%s):\n  json \"%s\"",
			    glib_error->message, fuzz_escape (line->json, len));
		root = json_parser_get_root (parser);
		FUZZ_CHECK (
			JSON_NODE_HOLDS_OBJECT (root) &&
				g_strcmp0 (json_object_get_string_member_with_default (
						   json_node_get_object (root), "execute", NULL),
					   line->name) == 0,
			"json-glib reads another \"execute\" from \"%s\"",
			fuzz_escape (line->json, len));
	}
}

static void
check_line (const QmpshLine *line, const GError *error, const gchar *text, gboolean plain_utf8)
{
	g_autofree gchar *shown = fuzz_escape (text, MIN (strlen (text), 300));

	FUZZ_CHECK ((line == NULL) != (error == NULL), "result %p and error %s for \"%s\"",
		    (void *)line, error != NULL ? error->message : "(none)", shown);
	if (line == NULL) {
		FUZZ_CHECK (error->domain == QMPSH_PARSE_ERROR && error->message != NULL &&
				    error->message[0] != '\0',
			    "error in domain %s: %s", g_quark_to_string (error->domain),
			    error->message);
		return;
	}
	FUZZ_CHECK (line->kind <= QMPSH_LINE_CONTINUE, "kind %d", line->kind);
	switch (line->kind) {
	case QMPSH_LINE_COMMAND:
	case QMPSH_LINE_RAW:
	case QMPSH_LINE_HMP:
		check_json (line, text, plain_utf8);
		break;
	case QMPSH_LINE_BUILTIN:
		FUZZ_CHECK (line->name != NULL && line->argv != NULL && line->json == NULL,
			    "BUILTIN without a name or words, or with json: \"%s\"", shown);
		break;
	default:
		FUZZ_CHECK (line->json == NULL, "%s line with json \"%s\"", kind_names[line->kind],
			    line->json);
		break;
	}
	if (line->redirects != NULL) {
		FUZZ_CHECK (line->kind == QMPSH_LINE_COMMAND && line->redirects->len > 0,
			    "redirections on a %s line", kind_names[line->kind]);
		for (guint i = 0; i < line->redirects->len; i++) {
			QmpshRedirect *r = g_ptr_array_index (line->redirects, i);
			FUZZ_CHECK ((r->path != NULL && r->path[0] != '\0' && r->fd == -1) ||
					    (r->path == NULL && r->fd >= 0),
				    "redirection %u: path %s fd %d", i, r->path, r->fd);
		}
	}
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
	fuzz_init ();
	return 0;
}

/* the line read by a parser that has seen nothing before it */
static QmpshLine *
parse_alone (const gchar *text, GError **error)
{
	g_autoptr (QmpshParser) fresh = qmpsh_parser_new ();

	return qmpsh_parser_feed (fresh, text, error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	g_autoptr (QmpshParser) parser = qmpsh_parser_new ();
	gboolean hmp;
	gboolean plain_utf8;
	gsize start = 1;

	if (size < 1)
		return -1;
	hmp = data[0] & 1;
	plain_utf8 = g_utf8_validate_len ((const gchar *)data + 1, size - 1, NULL) &&
		     g_strstr_len ((const gchar *)data + 1, size - 1, "\\u") == NULL;
	qmpsh_parser_set_hmp (parser, hmp);
	FUZZ_CHECK (qmpsh_parser_get_hmp (parser) == hmp, "HMP mode not kept");

	while (start <= size) {
		gsize end = start;
		g_autofree gchar *text = NULL;
		g_autoptr (QmpshLine) line = NULL;
		g_autoptr (QmpshLine) alone = NULL;
		g_autoptr (GError) error = NULL;
		g_autoptr (GError) alone_error = NULL;
		/* a line after one that went on is read with it, not alone */
		gboolean was_in = qmpsh_parser_is_continuing (parser);
		/* after a backslash or open JSON the line is the joined one, not this text */
		gboolean joined = was_in && !qmpsh_parser_in_transaction (parser);

		while (end < size && data[end] != '\n' && data[end] != '\0')
			end++;
		text = g_strndup ((const gchar *)data + start, end - start);
		start = end + 1;

		line = qmpsh_parser_feed (parser, text, &error);
		if (!joined)
			check_line (line, error, text, plain_utf8);
		/* CONTINUE: a transaction, a backslash at the end, or JSON not closed yet */
		if (line != NULL && line->kind == QMPSH_LINE_CONTINUE)
			FUZZ_CHECK (qmpsh_parser_is_continuing (parser),
				    "CONTINUE with nothing to go on with");
		else if (line != NULL)
			FUZZ_CHECK (!qmpsh_parser_is_continuing (parser),
				    "a %s line leaves something to go on with",
				    kind_names[line->kind]);

		alone = parse_alone (text, &alone_error);
		check_line (alone, alone_error, text, plain_utf8);
		if (!was_in && !hmp) {
			/* a fresh parser reads the line the same */
			FUZZ_CHECK ((line == NULL) == (alone == NULL),
				    "the parser %s and a fresh one %s \"%s\"",
				    line != NULL ? "takes" : "refuses",
				    alone != NULL ? "takes" : "refuses",
				    fuzz_escape (text, strlen (text)));
			if (line != NULL)
				FUZZ_CHECK (line->kind == alone->kind &&
						    g_strcmp0 (line->json, alone->json) == 0,
					    "the parser and a fresh one differ on \"%s\"",
					    fuzz_escape (text, strlen (text)));
		}
	}

	/* Ctrl-C drops a transaction being collected, and a line that was to go on */
	qmpsh_parser_reset (parser);
	FUZZ_CHECK (!qmpsh_parser_is_continuing (parser), "still going on after reset");
	return 0;
}
