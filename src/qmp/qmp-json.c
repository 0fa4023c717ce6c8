/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmp-json.h"
#include "qmp-error.h"
#include "qmp-scan.h"

#include <string.h>

/*
 * What the hot path needs of a JSON message without building a tree: a strict
 * syntax check (RFC 8259), and the top-level members as spans of the text.
 * json-glib then parses a message only when someone looks inside it.
 */

#define QMP_JSON_MAX_DEPTH 1024

typedef struct {
	const gchar *start;
	const gchar *p;
	const gchar *end;
	const gchar *what;	       /* set on the first error */
	gboolean bad_unicode;	       /* a string holds invalid UTF-8 or a lone surrogate */
	const QmpJsonSpans *spans;     /* where containers end, so a skip reads no byte twice */
	gboolean spaced;	       /* blanks between the value's tokens, not only around it */
	QmpJsonMemberFunc member_func; /* told each member of the top-level object */
	gpointer member_data;
} Checker;

struct _QmpJsonSpans {
	const gchar *text;
	GArray *opens;	/* gsize: each container's offset, in order */
	GArray *closes; /* gsize: the offset of its closing bracket */
};

static gboolean
fail (Checker *c, const gchar *what)
{
	if (c->what == NULL)
		c->what = what;
	return FALSE;
}

static void
skip_ws (Checker *c)
{
	const gchar *from = c->p;

	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
	if (c->p != from && from != c->start && c->p != c->end)
		c->spaced = TRUE;
}

static gunichar
hex4 (const gchar *p)
{
	gunichar u = 0;
	for (guint i = 0; i < 4; i++)
		u = (u << 4) | g_ascii_xdigit_value (p[i]);
	return u;
}

/* whether the \uXXXX escape at @p (its backslash) is a low surrogate */
static gboolean
low_surrogate_at (const gchar *p, const gchar *end)
{
	gunichar u;

	if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
		return FALSE;
	for (guint i = 2; i < 6; i++) {
		if (!g_ascii_isxdigit (p[i]))
			return FALSE;
	}
	u = hex4 (p + 2);
	return u >= 0xdc00 && u <= 0xdfff;
}

static gboolean
check_string (Checker *c)
{
	c->p++; /* " */
	while (c->p < c->end) {
		guchar ch = *c->p++;
		if (ch == '"')
			return TRUE;
		if (ch < 0x20)
			return fail (c, "a control character inside a string");
		if (ch >= 0x80) {
			gsize n = qmp_scan_utf8_sequence (c->p - 1, c->end);
			if (n == 0)
				c->bad_unicode = TRUE;
			else
				c->p += n - 1;
			continue;
		}
		if (ch != '\\')
			continue;
		if (c->p >= c->end)
			break;
		ch = *c->p++;
		if (ch == 'u') {
			gunichar u;
			for (guint i = 0; i < 4; i++) {
				if (c->p + i >= c->end || !g_ascii_isxdigit (c->p[i]))
					return fail (c, "a bad \\u escape");
			}
			u = hex4 (c->p);
			c->p += 4;
			/* a surrogate is only whole as a high one followed by a low one */
			if (u >= 0xd800 && u <= 0xdbff) {
				if (low_surrogate_at (c->p, c->end))
					c->p += 6;
				else
					c->bad_unicode = TRUE;
			} else if (u >= 0xdc00 && u <= 0xdfff) {
				c->bad_unicode = TRUE;
			}
		} else if (strchr ("\"\\/bfnrt", ch) == NULL || ch == '\0') {
			return fail (c, "a bad escape");
		}
	}
	return fail (c, "an unterminated string");
}

static gboolean
check_digits (Checker *c)
{
	if (c->p >= c->end || !g_ascii_isdigit (*c->p))
		return fail (c, "a bad number");
	while (c->p < c->end && g_ascii_isdigit (*c->p))
		c->p++;
	return TRUE;
}

static gboolean
check_number (Checker *c)
{
	if (*c->p == '-')
		c->p++;
	if (c->p < c->end && *c->p == '0')
		c->p++;
	else if (!check_digits (c))
		return FALSE;
	if (c->p < c->end && *c->p == '.') {
		c->p++;
		if (!check_digits (c))
			return FALSE;
	}
	if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
		c->p++;
		if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
			c->p++;
		if (!check_digits (c))
			return FALSE;
	}
	return TRUE;
}

static gboolean
check_word (Checker *c, const gchar *word)
{
	gsize n = strlen (word);
	if ((gsize)(c->end - c->p) < n || memcmp (c->p, word, n) != 0)
		return fail (c, "an unexpected character");
	c->p += n;
	return TRUE;
}

static gboolean check_value (Checker *c, guint depth);

static gboolean
check_container (Checker *c, guint depth, gboolean object)
{
	gchar close = object ? '}' : ']';

	if (depth >= QMP_JSON_MAX_DEPTH)
		return fail (c, "nesting deeper than 1024 levels");
	c->p++;
	skip_ws (c);
	if (c->p < c->end && *c->p == close) {
		c->p++;
		return TRUE;
	}
	for (;;) {
		QmpJsonMember m = { NULL, 0, NULL, 0 };

		if (object) {
			skip_ws (c);
			if (c->p >= c->end || *c->p != '"')
				return fail (c, "an object key that is not a string");
			m.key = c->p;
			if (!check_string (c))
				return FALSE;
			m.key_len = c->p - m.key;
			skip_ws (c);
			if (c->p >= c->end || *c->p != ':')
				return fail (c, "a missing ':' after an object key");
			c->p++;
			skip_ws (c);
		}
		m.value = c->p;
		if (!check_value (c, depth + 1))
			return FALSE;
		/* the top level's members, told as they are checked: no second scan for them */
		if (object && depth == 0 && c->member_func != NULL) {
			m.value_len = c->p - m.value;
			if (!c->member_func (&m, c->member_data))
				c->member_func = NULL;
		}
		skip_ws (c);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == close) {
			c->p++;
			return TRUE;
		}
		return fail (c, object ? "a missing ',' or '}'" : "a missing ',' or ']'");
	}
}

static gboolean
check_value (Checker *c, guint depth)
{
	skip_ws (c);
	if (c->p >= c->end)
		return fail (c, "an unexpected end");
	switch (*c->p) {
	case '{':
		return check_container (c, depth, TRUE);
	case '[':
		return check_container (c, depth, FALSE);
	case '"':
		return check_string (c);
	case 't':
		return check_word (c, "true");
	case 'f':
		return check_word (c, "false");
	case 'n':
		return check_word (c, "null");
	default:
		if (*c->p == '-' || g_ascii_isdigit (*c->p))
			return check_number (c);
		return fail (c, "an unexpected character");
	}
}

static gboolean
qmp_json_scan (Checker *c)
{
	if (check_value (c, 0)) {
		skip_ws (c);
		if (c->p == c->end)
			return TRUE;
		fail (c, "text after the end of the value");
	}
	return FALSE;
}

/**
 * qmp_json_check:
 * @text: text that should be one JSON value
 * @len: its length
 * @bad_unicode: (out) (optional): set to whether a string in it holds
 *   invalid UTF-8 or an unpaired surrogate escape; see qmp_json_repair_unicode()
 * @error: a #GError, or %NULL
 *
 * Checks the syntax strictly, without building anything. Strings that are
 * not valid Unicode are still valid JSON syntax, so they pass.
 *
 * Returns: %TRUE if @text is exactly one JSON value, else %FALSE with a
 *   %QMP_ERROR_PROTOCOL error that says what and at which byte
 */
gboolean
qmp_json_check (const gchar *text, gsize len, gboolean *bad_unicode, GError **error)
{
	QmpJsonFacts facts = { 0 };

	if (bad_unicode != NULL)
		*bad_unicode = FALSE;
	if (!qmp_json_check_facts (text, len, NULL, NULL, &facts, error))
		return FALSE;
	if (bad_unicode != NULL)
		*bad_unicode = facts.bad_unicode;
	return TRUE;
}

/**
 * qmp_json_check_facts:
 * @text: text that should be one JSON value
 * @len: its length
 * @member_func: (nullable): told each member of the value, if it is an
 *   object, as it is checked, until it returns %FALSE; what it was told
 *   stands only if the check succeeds
 * @user_data: data for @member_func
 * @facts: (out): what the check saw on the way, when @text is valid
 * @error: a #GError, or %NULL
 *
 * qmp_json_check() in the same one pass as qmp_json_foreach_member(), also
 * saying whether the value is compact: with no blank between its tokens,
 * it can be printed compact as it came.
 *
 * Returns: %TRUE if @text is exactly one JSON value
 */
gboolean
qmp_json_check_facts (const gchar *text, gsize len, QmpJsonMemberFunc member_func,
		      gpointer user_data, QmpJsonFacts *facts, GError **error)
{
	Checker c = { text, text, text + len, NULL, FALSE, NULL, FALSE, member_func, user_data };

	if (!qmp_json_scan (&c)) {
		g_set_error (error, QMP_ERROR, QMP_ERROR_PROTOCOL,
			     "malformed JSON: %s at byte %" G_GSIZE_FORMAT, c.what,
			     (gsize)(c.p - c.start));
		return FALSE;
	}
	facts->bad_unicode = c.bad_unicode;
	facts->compact = !c.spaced;
	return TRUE;
}

/**
 * qmp_json_validate:
 * @text: text that should be one JSON value
 * @len: its length
 * @what: (out): what is wrong, when it is
 * @offset: (out): at which byte
 *
 * Returns: %TRUE if @text is exactly one JSON value
 */
gboolean
qmp_json_validate (const gchar *text, gsize len, const gchar **what, gsize *offset)
{
	Checker c = { text, text, text + len, NULL, FALSE, NULL, FALSE, NULL, NULL };

	if (qmp_json_scan (&c))
		return TRUE;
	*what = c.what;
	*offset = c.p - c.start;
	return FALSE;
}

/**
 * qmp_json_repair_unicode:
 * @text: valid JSON
 * @len: its length
 * @out_len: (out): the length of the result
 *
 * Replaces what is not Unicode in the strings of @text, each invalid UTF-8
 * byte and each unpaired surrogate escape, with `\ufffd`, the replacement
 * character, as jq and browsers do. Everything else stays byte for byte.
 *
 * Returns: (transfer full): the repaired text, NUL-terminated
 */
gchar *
qmp_json_repair_unicode (const gchar *text, gsize len, gsize *out_len)
{
	const gchar *end = text + len;
	GString *out = g_string_sized_new (len + 16);
	gboolean in_string = FALSE;

	for (const gchar *p = text; p < end;) {
		guchar ch = *p;
		if (!in_string) {
			in_string = ch == '"';
			g_string_append_c (out, *p++);
			continue;
		}
		if (ch == '"') {
			in_string = FALSE;
			g_string_append_c (out, *p++);
		} else if (ch >= 0x80) {
			gsize n = qmp_scan_utf8_sequence (p, end);
			if (n == 0) {
				g_string_append (out, "\\ufffd");
				p++;
			} else {
				g_string_append_len (out, p, n);
				p += n;
			}
		} else if (ch == '\\' && p + 1 < end && p[1] == 'u') {
			gunichar u = hex4 (p + 2);
			if (u >= 0xd800 && u <= 0xdbff && low_surrogate_at (p + 6, end)) {
				g_string_append_len (out, p, 12);
				p += 12;
			} else if (u >= 0xd800 && u <= 0xdfff) {
				g_string_append (out, "\\ufffd");
				p += 6;
			} else {
				g_string_append_len (out, p, 6);
				p += 6;
			}
		} else if (ch == '\\') {
			g_string_append_len (out, p, 2);
			p += 2;
		} else {
			g_string_append_c (out, *p++);
		}
	}
	*out_len = out->len;
	return g_string_free (out, FALSE);
}

/* the offset of the bracket that closes the container at @offset */
static gsize
spans_close (const QmpJsonSpans *spans, gsize offset)
{
	guint lo = 0, hi = spans->opens->len;

	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		gsize at = g_array_index (spans->opens, gsize, mid);

		if (at == offset)
			return g_array_index (spans->closes, gsize, mid);
		if (at < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	g_return_val_if_reached (offset);
}

/* advances over one value known to be valid */
static void
skip_value (Checker *c)
{
	guint depth = 0;

	skip_ws (c);
	if (c->spans != NULL && c->p < c->end && (*c->p == '{' || *c->p == '[')) {
		c->p = c->spans->text + spans_close (c->spans, c->p - c->spans->text) + 1;
		return;
	}
	do {
		if (c->p >= c->end)
			return;
		switch (*c->p) {
		case '"':
			check_string (c);
			break;
		case '{':
		case '[':
			depth++;
			c->p++;
			break;
		case '}':
		case ']':
			depth--;
			c->p++;
			break;
		default:
			if (depth == 0) {
				while (c->p < c->end && strchr (" \t\r\n,:]}", *c->p) == NULL)
					c->p++;
				return;
			}
			c->p++;
			break;
		}
	} while (depth > 0);
}

/**
 * qmp_json_foreach_member:
 * @text: one JSON object, already checked
 * @len: its length
 * @func: called for each top-level member until it returns %FALSE
 * @user_data: data for @func
 */
void
qmp_json_foreach_member (const gchar *text, gsize len, QmpJsonMemberFunc func, gpointer user_data)
{
	qmp_json_spans_foreach_member (NULL, text, len, func, user_data);
}

/**
 * qmp_json_spans_foreach_member:
 * @spans: (nullable): the spans of the text @text is part of
 * @text: one JSON object, already checked
 * @len: its length
 * @func: called with each member until it returns %FALSE
 * @user_data: data for @func
 *
 * As qmp_json_foreach_member(), but a member's value that is an object or
 * an array is stepped over at once: nested containers are read once.
 */
void
qmp_json_spans_foreach_member (const QmpJsonSpans *spans, const gchar *text, gsize len,
			       QmpJsonMemberFunc func, gpointer user_data)
{
	Checker c = { text, text, text + len, NULL, FALSE, spans, FALSE, NULL, NULL };

	skip_ws (&c);
	if (c.p >= c.end || *c.p != '{')
		return;
	c.p++;
	for (;;) {
		QmpJsonMember m;
		skip_ws (&c);
		if (c.p >= c.end || *c.p == '}')
			return;
		if (*c.p == ',') {
			c.p++;
			continue;
		}
		m.key = c.p;
		check_string (&c);
		m.key_len = c.p - m.key;
		skip_ws (&c);
		if (c.p < c.end && *c.p == ':')
			c.p++;
		skip_ws (&c);
		m.value = c.p;
		skip_value (&c);
		m.value_len = c.p - m.value;
		if (!func (&m, user_data))
			return;
	}
}

/**
 * qmp_json_foreach_element:
 * @text: one JSON array, already checked
 * @len: its length
 * @func: called with each element's span until it returns %FALSE
 * @user_data: data for @func
 */
void
qmp_json_foreach_element (const gchar *text, gsize len, QmpJsonElementFunc func, gpointer user_data)
{
	qmp_json_spans_foreach_element (NULL, text, len, func, user_data);
}

/**
 * qmp_json_spans_foreach_element:
 * @spans: (nullable): the spans of the text @text is part of
 * @text: one JSON array, already checked
 * @len: its length
 * @func: called with each element's span until it returns %FALSE
 * @user_data: data for @func
 *
 * As qmp_json_foreach_element(), stepping over nested containers at once.
 */
void
qmp_json_spans_foreach_element (const QmpJsonSpans *spans, const gchar *text, gsize len,
				QmpJsonElementFunc func, gpointer user_data)
{
	Checker c = { text, text, text + len, NULL, FALSE, spans, FALSE, NULL, NULL };

	skip_ws (&c);
	if (c.p >= c.end || *c.p != '[')
		return;
	c.p++;
	for (;;) {
		const gchar *start;
		skip_ws (&c);
		if (c.p >= c.end || *c.p == ']')
			return;
		if (*c.p == ',') {
			c.p++;
			continue;
		}
		start = c.p;
		skip_value (&c);
		if (!func (start, c.p - start, user_data))
			return;
	}
}

/**
 * qmp_json_key_is:
 * @member: a member
 * @key: a plain key, without escapes
 *
 * Returns: %TRUE if the member's key is @key
 */
gboolean
qmp_json_key_is (const QmpJsonMember *member, const gchar *key)
{
	gsize n = strlen (key);
	return member->key_len == n + 2 && memcmp (member->key + 1, key, n) == 0;
}

/**
 * qmp_json_compact:
 * @text: valid JSON
 * @len: its length
 *
 * Returns: (transfer full): @text without the white space between tokens
 */
gchar *
qmp_json_compact (const gchar *text, gsize len)
{
	GString *out = g_string_sized_new (len);
	gboolean in_string = FALSE;

	for (gsize i = 0; i < len; i++) {
		gchar ch = text[i];
		if (in_string) {
			g_string_append_c (out, ch);
			if (ch == '\\' && i + 1 < len)
				g_string_append_c (out, text[++i]);
			else if (ch == '"')
				in_string = FALSE;
			continue;
		}
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n')
			continue;
		if (ch == '"')
			in_string = TRUE;
		g_string_append_c (out, ch);
	}
	return g_string_free (out, FALSE);
}

/**
 * qmp_json_measure:
 * @text: valid JSON
 * @len: its length
 * @tokens: (out): how many tokens it has, as QEMU's lexer counts them
 *
 * Returns: how deep its objects and arrays nest
 */
guint
qmp_json_measure (const gchar *text, gsize len, gsize *tokens)
{
	guint depth = 0;
	guint deepest = 0;
	gsize count = 0;

	for (gsize i = 0; i < len; i++) {
		gchar ch = text[i];
		switch (ch) {
		case '"':
			count++;
			for (i++; i < len && text[i] != '"'; i++) {
				if (text[i] == '\\')
					i++;
			}
			break;
		case '{':
		case '[':
			count++;
			depth++;
			deepest = MAX (deepest, depth);
			break;
		case '}':
		case ']':
			count++;
			depth--;
			break;
		case ',':
		case ':':
			count++;
			break;
		case ' ':
		case '\t':
		case '\r':
		case '\n':
			break;
		default:
			/* a number or a literal: one token however long */
			count++;
			while (i + 1 < len && strchr (" \t\r\n,:]}", text[i + 1]) == NULL)
				i++;
			break;
		}
	}
	*tokens = count;
	return deepest;
}

/**
 * qmp_json_spans_new:
 * @text: JSON text, already checked
 * @len: its length
 *
 * Reads @text once for where each of its objects and arrays ends, so that
 * walking it level by level (qmp_json_spans_foreach_member()) costs its
 * size, not its size times its depth.
 *
 * Returns: (transfer full): the spans; @text must outlive them
 */
QmpJsonSpans *
qmp_json_spans_new (const gchar *text, gsize len)
{
	QmpJsonSpans *spans = g_new0 (QmpJsonSpans, 1);
	Checker c = { text, text, text + len, NULL, FALSE, NULL, FALSE, NULL, NULL };
	g_autoptr (GArray) open = g_array_new (FALSE, FALSE, sizeof (guint));

	spans->text = text;
	spans->opens = g_array_new (FALSE, FALSE, sizeof (gsize));
	spans->closes = g_array_new (FALSE, FALSE, sizeof (gsize));
	while (c.p < c.end) {
		gsize at = c.p - text;

		if (*c.p == '"') {
			check_string (&c);
			continue;
		}
		if (*c.p == '{' || *c.p == '[') {
			guint index = spans->opens->len;

			g_array_append_val (spans->opens, at);
			g_array_append_val (spans->closes, at);
			g_array_append_val (open, index);
		} else if ((*c.p == '}' || *c.p == ']') && open->len > 0) {
			guint index = g_array_index (open, guint, open->len - 1);

			g_array_index (spans->closes, gsize, index) = at;
			g_array_set_size (open, open->len - 1);
		}
		c.p++;
	}
	return spans;
}

void
qmp_json_spans_free (QmpJsonSpans *spans)
{
	if (spans == NULL)
		return;
	g_array_unref (spans->opens);
	g_array_unref (spans->closes);
	g_free (spans);
}
