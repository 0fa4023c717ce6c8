/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-parser.h"
#include "qmpsh-format.h"

#include <json-glib/json-glib.h>
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
};

static void
arg_node_free (ArgNode *node)
{
	g_free (node->key);
	g_free (node->json);
	if (node->members != NULL)
		g_ptr_array_unref (node->members);
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
	for (guint i = 0; i < object->members->len; i++) {
		ArgNode *m = g_ptr_array_index (object->members, i);
		if (g_strcmp0 (m->key, key) == 0)
			return m;
	}
	return NULL;
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

/* the first @n parts of a dotted key, for messages */
static gchar *
join_prefix (gchar **parts, guint n)
{
	GString *path = g_string_new (parts[0]);
	for (guint i = 1; i < n; i++)
		g_string_append_printf (path, ".%s", parts[i]);
	return g_string_free (path, FALSE);
}

/* `a.b.c=json`: walks or makes the objects a and a.b, then sets c */
static gboolean
arg_node_set (ArgNode *root, const gchar *dotted, gchar *json, GError **error)
{
	g_auto (GStrv) parts = g_strsplit (dotted, ".", -1);
	g_autofree gchar *value = json;
	ArgNode *object = root;
	guint n = g_strv_length (parts);

	for (guint i = 0; i < n; i++) {
		g_autofree gchar *path = join_prefix (parts, i + 1);
		ArgNode *m;

		if (parts[i][0] == '\0') {
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "key '%s' has an empty part", dotted);
			return FALSE;
		}
		m = arg_node_find (object, parts[i]);
		if (i + 1 == n) {
			if (m != NULL) {
				g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_CONFLICT,
					     "key '%s' is given twice", path);
				return FALSE;
			}
			m = g_new0 (ArgNode, 1);
			m->key = g_strdup (parts[i]);
			m->json = g_steal_pointer (&value);
			g_ptr_array_add (object->members, m);
			return TRUE;
		}
		if (m == NULL) {
			m = arg_node_new_object (parts[i]);
			g_ptr_array_add (object->members, m);
		} else if (m->json != NULL) {
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_CONFLICT,
				     "key '%s' is given both a value and members ('%s')", path,
				     dotted);
			return FALSE;
		}
		object = m;
	}
	return TRUE;
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
		c = *s->p++;
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

/* the JSON text of an unquoted value: a JSON literal as written, or else a string */
static gchar *
value_to_json (Scanner *s, const gchar *key, const gchar *start, gsize len, GError **error)
{
	g_autoptr (JsonParser) parser = json_parser_new_immutable ();
	g_autoptr (GError) error_local = NULL;
	g_autoptr (GString) out = g_string_new (NULL);

	if (json_parser_load_from_data (parser, start, len, &error_local) &&
	    json_parser_get_root (parser) != NULL) {
		qmpsh_format_json (out, start, len, QMPSH_FORMAT_NONE);
		return g_string_free (g_steal_pointer (&out), FALSE);
	}
	if (*start == '{' || *start == '[') {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
			     "column %u: the value of '%s' is not valid JSON: %s",
			     scanner_column (s, start), key, error_local->message);
		return NULL;
	}
	json_append_string (out, start, len);
	return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
is_key_char (gchar c)
{
	return g_ascii_isalnum (c) || c == '-' || c == '_' || c == '.';
}

static QmpshLine *
parse_command (Scanner *s, GError **error)
{
	g_autoptr (QmpshLine) line = g_new0 (QmpshLine, 1);
	g_autoptr (ArgNode) args = arg_node_new_object (NULL);
	g_autoptr (GString) json = g_string_new (NULL);
	const gchar *start = s->p;

	while (*s->p != '\0' && !g_ascii_isspace (*s->p))
		s->p++;
	line->kind = QMPSH_LINE_COMMAND;
	line->name = g_strndup (start, s->p - start);
	for (const gchar *c = line->name; *c != '\0'; c++) {
		if (!is_key_char (*c) || *c == '.') {
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "column %u: '%s' is not a command name (letters, digits, "
				     "'-' and '_')",
				     scanner_column (s, start), line->name);
			return NULL;
		}
	}

	for (;;) {
		const gchar *key_start;
		g_autofree gchar *key = NULL;
		g_autofree gchar *value = NULL;

		scanner_skip_ws (s);
		if (*s->p == '\0' || *s->p == '#')
			break;
		key_start = s->p;
		while (is_key_char (*s->p))
			s->p++;
		if (*s->p != '=' || s->p == key_start) {
			const gchar *end = key_start;
			while (*end != '\0' && !g_ascii_isspace (*end))
				end++;
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "column %u: expected key=value, got '%.*s'",
				     scanner_column (s, key_start), (int)(end - key_start),
				     key_start);
			return NULL;
		}
		key = g_strndup (key_start, s->p - key_start);
		s->p++; /* = */
		if (*s->p == '"' || *s->p == '\'') {
			value = scan_quoted (s, error);
		} else {
			const gchar *vstart;
			gsize vlen;
			if (!scan_bare (s, &vstart, &vlen, error))
				return NULL;
			value = value_to_json (s, key, vstart, vlen, error);
		}
		if (value == NULL)
			return NULL;
		if (!arg_node_set (args, key, g_steal_pointer (&value), error)) {
			g_prefix_error (error, "column %u: ", scanner_column (s, key_start));
			return NULL;
		}
	}

	g_string_append (json, "{\"execute\":");
	json_append_string (json, line->name, strlen (line->name));
	if (args->members->len > 0) {
		g_string_append (json, ",\"arguments\":");
		arg_node_to_json (args, json);
	}
	g_string_append_c (json, '}');
	line->json = g_string_free (g_steal_pointer (&json), FALSE);
	return g_steal_pointer (&line);
}

static QmpshLine *
parse_raw (Scanner *s, GError **error)
{
	g_autoptr (QmpshLine) line = g_new0 (QmpshLine, 1);
	g_autoptr (JsonParser) parser = json_parser_new_immutable ();
	g_autoptr (GError) error_local = NULL;
	g_autoptr (GString) out = g_string_new (NULL);
	JsonNode *root;
	gsize len = strlen (s->p);

	if (!json_parser_load_from_data (parser, s->p, len, &error_local)) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
			     "the line starts with '{' but is not valid JSON: %s",
			     error_local->message);
		return NULL;
	}
	root = json_parser_get_root (parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
		g_set_error_literal (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "a raw command must be one JSON object");
		return NULL;
	}
	qmpsh_format_json (out, s->p, len, QMPSH_FORMAT_NONE);
	line->kind = QMPSH_LINE_RAW;
	line->name = g_strdup (json_object_get_string_member_with_default (
		json_node_get_object (root), "execute",
		json_object_get_string_member_with_default (json_node_get_object (root), "exec-oob",
							    "")));
	line->json = g_string_free (g_steal_pointer (&out), FALSE);
	return g_steal_pointer (&line);
}

static QmpshLine *
parse_builtin (Scanner *s, GError **error)
{
	g_autoptr (QmpshLine) line = g_new0 (QmpshLine, 1);
	g_auto (GStrv) words = NULL;
	g_autoptr (GError) error_local = NULL;
	gint argc = 0;

	if (!g_shell_parse_argv (s->p, &argc, &words, &error_local)) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX, "%s",
			     error_local->message);
		return NULL;
	}
	line->kind = QMPSH_LINE_BUILTIN;
	line->name = g_strdup (words[0]);
	line->argv = g_strdupv (words + 1);
	return g_steal_pointer (&line);
}

/**
 * qmpsh_parse_line:
 * @line: one line of input
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full): what the line says, or %NULL with a
 *   %QMPSH_PARSE_ERROR that says where and what was expected
 */
QmpshLine *
qmpsh_parse_line (const gchar *line, GError **error)
{
	Scanner s = { line, line };

	scanner_skip_ws (&s);
	if (*s.p == '\0' || *s.p == '#') {
		QmpshLine *empty = g_new0 (QmpshLine, 1);
		empty->kind = QMPSH_LINE_EMPTY;
		return empty;
	}
	if (*s.p == '{')
		return parse_raw (&s, error);
	if (*s.p == '.')
		return parse_builtin (&s, error);
	return parse_command (&s, error);
}

void
qmpsh_line_free (QmpshLine *line)
{
	if (line == NULL)
		return;
	g_free (line->name);
	g_free (line->json);
	g_strfreev (line->argv);
	g_free (line);
}
