/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-scanner.h"
#include "qmpsh-format.h"
#include "qmpsh-parser.h"

#include <fcntl.h>

/**
 * qmpsh_scanner_column:
 * @s: a scanner
 * @at: a place in its line
 *
 * Returns: the column of @at, counted in characters from 1
 */
guint
qmpsh_scanner_column (QmpshScanner *s, const gchar *at)
{
	return (guint)g_utf8_pointer_to_offset (s->line, at) + 1;
}

void
qmpsh_scanner_skip_ws (QmpshScanner *s)
{
	while (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n')
		s->p++;
}

/**
 * qmpsh_scanner_is_key_char:
 * @c: a character
 *
 * Returns: %TRUE if @c may be in a key (letters, digits, '-', '_', and the
 *   '.' of a dotted key)
 */
gboolean
qmpsh_scanner_is_key_char (gchar c)
{
	return g_ascii_isalnum (c) || c == '-' || c == '_' || c == '.';
}

/**
 * qmpsh_scanner_separator:
 * @s: a scanner
 *
 * Returns: ';' or ')' if a lone one is the next word (the end of an action
 *   of a transaction), else 0
 */
gchar
qmpsh_scanner_separator (QmpshScanner *s)
{
	if ((*s->p == ';' || *s->p == ')') && (s->p[1] == '\0' || g_ascii_isspace (s->p[1])))
		return *s->p;
	return 0;
}

/**
 * qmpsh_scanner_name_span:
 * @s: a scanner
 * @what: what the name is, for the message ("a command name")
 * @len: (out): the name's length
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer none): where the name of a command or an action starts
 *   in the scanned text (letters, digits, '-' and '_': nothing a JSON string
 *   escapes), @len bytes long, or %NULL with a %QMPSH_PARSE_ERROR
 */
/* the bytes of a name */
static const guint8 name_char[256] = {
	['0' ... '9'] = 1, ['A' ... 'Z'] = 1, ['a' ... 'z'] = 1, ['-'] = 1, ['_'] = 1,
};

const gchar *
qmpsh_scanner_name_span (QmpshScanner *s, const gchar *what, gsize *len, GError **error)
{
	const gchar *start = s->p;

	*len = 0;
	/* by a table: this runs for every line */
	while (name_char[(guchar)*s->p])
		s->p++;
	if (*s->p != '\0' && !g_ascii_isspace (*s->p)) {
		while (*s->p != '\0' && !g_ascii_isspace (*s->p))
			s->p++;
		g_autofree gchar *shown = qmpsh_format_excerpt (start, s->p - start);
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
			     "column %u: '%s' is not %s (letters, digits, '-' and '_')",
			     qmpsh_scanner_column (s, start), shown, what);
		return NULL;
	}
	*len = s->p - start;
	return start;
}

/**
 * qmpsh_scanner_name:
 * @s: a scanner
 * @what: what the name is, for the message
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full): the name qmpsh_scanner_name_span() finds, or
 *   %NULL with a %QMPSH_PARSE_ERROR
 */
gchar *
qmpsh_scanner_name (QmpshScanner *s, const gchar *what, GError **error)
{
	gsize len;
	const gchar *start = qmpsh_scanner_name_span (s, what, &len, error);

	return start != NULL ? g_strndup (start, len) : NULL;
}

static gboolean
qmpsh_scanner_escape (QmpshScanner *s, GString *value, GError **error)
{
	gchar c = *s->p;

	if (c == '\0')
		return TRUE; /* reported as an unclosed string */
	s->p++;
	switch (c) {
	case 'n':
		g_string_append_c (value, '\n');
		return TRUE;
	case 't':
		g_string_append_c (value, '\t');
		return TRUE;
	case 'r':
		g_string_append_c (value, '\r');
		return TRUE;
	case '\\':
	case '"':
	case '\'':
		g_string_append_c (value, c);
		return TRUE;
	default:
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
			     "column %u: unknown escape '\\%c' (use \\n \\t \\r \\\\ \\\" or \\')",
			     qmpsh_scanner_column (s, s->p - 2), c);
		return FALSE;
	}
}

/**
 * qmpsh_scanner_quoted:
 * @s: a scanner at a quote
 * @value: where the string goes, its escapes undone
 * @error: a #GError, or %NULL
 *
 * A quoted string: 'a b' or "a b", with backslash escapes, ending a word.
 *
 * Returns: %TRUE, or %FALSE with a %QMPSH_PARSE_ERROR
 */
gboolean
qmpsh_scanner_quoted (QmpshScanner *s, GString *value, GError **error)
{
	const gchar *start = s->p;
	gchar quote = *s->p++;

	for (;;) {
		gchar c = *s->p;
		if (c == '\0') {
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "column %u: the string opened here has no closing %c",
				     qmpsh_scanner_column (s, start), quote);
			return FALSE;
		}
		s->p++;
		if (c == quote)
			break;
		if (c != '\\')
			g_string_append_c (value, c);
		else if (!qmpsh_scanner_escape (s, value, error))
			return FALSE;
	}
	if (*s->p != '\0' && !g_ascii_isspace (*s->p)) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
			     "column %u: expected a space after the closing %c",
			     qmpsh_scanner_column (s, s->p), quote);
		return FALSE;
	}
	return TRUE;
}

/**
 * qmpsh_scanner_bare:
 * @s: a scanner
 * @start: (out): where the value starts
 * @len: (out): its length
 * @error: a #GError, or %NULL
 *
 * An unquoted value: up to a space outside brackets and strings.
 *
 * Returns: %TRUE, or %FALSE with a %QMPSH_PARSE_ERROR for an unclosed
 *   bracket or string
 */
gboolean
qmpsh_scanner_bare (QmpshScanner *s, const gchar **start, gsize *len, GError **error)
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
			     "column %u: %s opened here is not closed",
			     qmpsh_scanner_column (s, *start),
			     in_string ? "a string" : "a bracket");
		return FALSE;
	}
	*len = s->p - *start;
	return TRUE;
}

void
qmpsh_scanner_redirect_free (QmpshRedirect *redirect)
{
	g_free (redirect->path);
	g_free (redirect);
}

/* the file of a redirection, quoted or bare */
static gboolean
qmpsh_scanner_path (QmpshScanner *s, const gchar *start, GString *path, GError **error)
{
	if (*s->p == '\'' || *s->p == '"') {
		gchar quote = *s->p++;
		while (*s->p != '\0' && *s->p != quote)
			g_string_append_c (path, *s->p++);
		if (*s->p != quote) {
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "column %u: the file name has no closing %c",
				     qmpsh_scanner_column (s, start), quote);
			return FALSE;
		}
		s->p++;
	} else {
		while (*s->p != '\0' && !g_ascii_isspace (*s->p))
			g_string_append_c (path, *s->p++);
	}
	if (path->len == 0) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
			     "column %u: a redirection needs a file: >FILE, >>FILE, or to pass one "
			     "to QEMU <FILE, fd>FILE, <>FILE, <&FD",
			     qmpsh_scanner_column (s, start));
		return FALSE;
	}
	return TRUE;
}

/**
 * qmpsh_scanner_redirect:
 * @s: a scanner at '<', '>', '|' or `fd<`, `fd>`
 * @error: a #GError, or %NULL
 *
 * Where the reply goes: `>PATH`, `>>PATH`, `| COMMAND` (the rest of the
 * line). A file to pass: `<PATH`, `fd>PATH`, `<>PATH`, or `<&N` and the
 * like for an inherited descriptor; `fd<` is `<` and `fd<>` is `<>`.
 *
 * Returns: (transfer full): the redirection, or %NULL with a %QMPSH_PARSE_ERROR
 */
QmpshRedirect *
qmpsh_scanner_redirect (QmpshScanner *s, GError **error)
{
	g_autoptr (GString) path = g_string_new (NULL);
	const gchar *start = s->p;
	QmpshRedirect *r;
	QmpshOutputKind output = 0;
	gint flags = 0;

	if (*s->p == '|') {
		/* the rest of the line is the shell's */
		const gchar *command = s->p + 1;
		g_autofree gchar *stripped = g_strstrip (g_strdup (command));
		if (stripped[0] == '\0') {
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "column %u: '|' needs a command to pipe the reply through",
				     qmpsh_scanner_column (s, start));
			return NULL;
		}
		s->p += strlen (s->p);
		r = g_new0 (QmpshRedirect, 1);
		r->output = QMPSH_OUTPUT_PIPE;
		r->path = g_steal_pointer (&stripped);
		r->fd = -1;
		return r;
	}
	if (g_str_has_prefix (s->p, "fd<") || g_str_has_prefix (s->p, "fd>")) {
		s->p += 2;
		if (*s->p == '>') {
			flags = O_WRONLY | O_CREAT | O_TRUNC;
			s->p++;
		}
		if (flags != 0 && *s->p == '>') {
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "column %u: a file is passed with fd>FILE, <FILE or <>FILE; "
				     "there is no fd>>",
				     qmpsh_scanner_column (s, start));
			return NULL;
		}
	}
	if (flags != 0) {
		/* fd>FILE, done above */
	} else if (g_str_has_prefix (s->p, "<>")) {
		flags = O_RDWR | O_CREAT;
		s->p += 2;
	} else if (*s->p == '<') {
		flags = O_RDONLY;
		s->p++;
	} else if (g_str_has_prefix (s->p, ">>")) {
		output = QMPSH_OUTPUT_APPEND;
		s->p += 2;
	} else {
		output = QMPSH_OUTPUT_WRITE;
		s->p++;
	}
	if (!qmpsh_scanner_path (s, start, path, error))
		return NULL;
	r = g_new0 (QmpshRedirect, 1);
	r->flags = flags;
	r->output = output;
	r->fd = -1;
	if (output != 0) {
		r->path = g_strdup (path->str);
		return r;
	}
	if (path->str[0] == '&') {
		gchar *end = NULL;
		guint64 fd = g_ascii_strtoull (path->str + 1, &end, 10);
		if (end == path->str + 1 || *end != '\0' || fd > G_MAXINT) {
			g_autofree gchar *shown = qmpsh_format_excerpt (path->str + 1, -1);
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "column %u: '%s' is no descriptor number",
				     qmpsh_scanner_column (s, start), shown);
			qmpsh_scanner_redirect_free (r);
			return NULL;
		}
		r->fd = (gint)fd;
	} else {
		r->path = g_strdup (path->str);
	}
	return r;
}
