/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * The JSON checker (qmp_json_validate, qmp_json_check) and the span walkers
 * (qmp_json_foreach_member, qmp_json_foreach_element, qmp_json_compact).
 *
 * Input: any bytes, taken as one JSON text.
 *
 * Properties, each fatal:
 *   - qmp_json_check agrees with qmp_json_validate, and an error's offset
 *     lies within the input;
 *   - on valid UTF-8 without NUL bytes (and nested at most 2000 deep, as
 *     json-glib recurses), the checker accepts exactly what json-glib's
 *     parser accepts as one value, but for the json-glib quirks listed in
 *     json_glib_quirk(), each explained and checked there;
 *   - what the checker accepts has only RFC 8259 tokens (bad_token(), which
 *     catches what json-glib, laxer, would let through) and nests at most
 *     1024 deep, QEMU's limit;
 *   - on valid JSON, every object's members and every array's elements (at
 *     every level) are spans inside the text that reassemble it with only
 *     white space, ':' and ',' between them; each key is a string, each value
 *     valid JSON; a callback returning FALSE stops the walk; json-glib sees
 *     as many elements;
 *   - qmp_json_compact gives valid JSON without white space outside strings,
 *     and is idempotent;
 *   - qmp_json_check's bad_unicode is set exactly when a string holds
 *     invalid UTF-8 or an unpaired surrogate escape; qmp_json_repair_unicode
 *     then gives valid JSON without either, that json-glib reads, leaves
 *     Unicode text byte for byte, and is idempotent;
 *   - qmp_json_measure gives the nesting depth and the token count that
 *     scans of this file's own give;
 *   - qmp_message_new_from_data takes a valid object and refuses the rest.
 */

#include "fuzz-common.h"
#include "qmp-error.h"
#include "qmp-json.h"
#include "qmp-message.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define WALK_DEPTH 64 /* levels the span walk descends into */

static const gchar *skip_ws (const gchar *p, const gchar *end);

/* the deepest nesting of brackets outside strings */
static guint
bracket_depth (const gchar *d, gsize n)
{
	guint depth = 0, max = 0;
	gboolean in_string = FALSE;

	for (gsize i = 0; i < n; i++) {
		gchar c = d[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = FALSE;
		} else if (c == '"') {
			in_string = TRUE;
		} else if (c == '{' || c == '[') {
			depth++;
			max = MAX (max, depth);
		} else if ((c == '}' || c == ']') && depth > 0) {
			depth--;
		}
	}
	return max;
}

/* RFC 8259's number grammar, on the whole of @p, written apart from the checker's */
static gboolean
is_rfc_number (const gchar *p, gsize n)
{
	gsize i = 0, digits;

	if (i < n && p[i] == '-')
		i++;
	if (i < n && p[i] == '0') {
		i++;
	} else {
		for (digits = 0; i < n && g_ascii_isdigit (p[i]); i++)
			digits++;
		if (digits == 0)
			return FALSE;
	}
	if (i < n && p[i] == '.') {
		for (i++, digits = 0; i < n && g_ascii_isdigit (p[i]); i++)
			digits++;
		if (digits == 0)
			return FALSE;
	}
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		if (i < n && (p[i] == '+' || p[i] == '-'))
			i++;
		for (digits = 0; i < n && g_ascii_isdigit (p[i]); i++)
			digits++;
		if (digits == 0)
			return FALSE;
	}
	return i == n;
}

/*
 * Whether every token of @d is one RFC 8259 allows, by a scan of its own:
 * json-glib is laxer than the RFC in tokens ("01", "'a'", raw tabs in
 * strings), so where both accept, this is what catches a checker that
 * accepts a bad token. The structure is left to json-glib. Returns what is
 * wrong, or NULL; counts the tokens as QEMU's lexer does.
 */
static const gchar *
bad_token (const gchar *d, gsize n, gsize *tokens)
{
	*tokens = 0;
	for (gsize i = 0; i < n;) {
		gchar c = d[i];
		if (!fuzz_is_json_ws (c))
			(*tokens)++;
		if (fuzz_is_json_ws (c) || strchr ("{}[]:,", c) != NULL) {
			i++;
		} else if (c == '"') {
			for (i++;; i++) {
				if (i >= n)
					return "an unterminated string";
				if ((guchar)d[i] < 0x20)
					return "a control character in a string";
				if (d[i] == '"')
					break;
				if (d[i] != '\\')
					continue;
				if (++i >= n)
					return "a backslash at the end";
				if (d[i] == 'u') {
					for (guint k = 1; k <= 4; k++) {
						if (i + k >= n || !g_ascii_isxdigit (d[i + k]))
							return "a short \\u escape";
					}
					i += 4;
				} else if (strchr ("\"\\/bfnrt", d[i]) == NULL || d[i] == '\0') {
					return "a bad escape";
				}
			}
			i++;
		} else if (c == '-' || g_ascii_isdigit (c)) {
			gsize start = i;
			while (i < n && (g_ascii_isdigit (d[i]) || strchr ("+-.eE", d[i]) != NULL))
				i++;
			if (!is_rfc_number (d + start, i - start))
				return "a bad number";
		} else {
			static const gchar *const words[] = { "true", "false", "null" };
			gboolean found = FALSE;
			for (guint k = 0; k < G_N_ELEMENTS (words) && !found; k++) {
				gsize len = strlen (words[k]);
				if (n - i >= len && memcmp (d + i, words[k], len) == 0) {
					i += len;
					found = TRUE;
				}
			}
			if (!found)
				return "a byte no token starts with";
		}
	}
	return NULL;
}

static gboolean
is_number_char (gchar c)
{
	return g_ascii_isalnum (c) || c == '.' || c == '+' || c == '-' || c == '$';
}

/* a \u escape of a UTF-16 surrogate that is not half of a high-low pair */
static gboolean
has_broken_surrogate (const gchar *d, gsize n)
{
	gboolean in_string = FALSE;

	for (gsize i = 0; i < n; i++) {
		if (!in_string) {
			in_string = d[i] == '"';
			continue;
		}
		if (d[i] == '"') {
			in_string = FALSE;
		} else if (d[i] == '\\' && i + 1 < n && d[i + 1] == 'u' && i + 5 < n) {
			g_autofree gchar *hex = g_strndup (d + i + 2, 4);
			guint64 u = g_ascii_strtoull (hex, NULL, 16);
			if (u >= 0xdc00 && u <= 0xdfff)
				return TRUE;
			if (u >= 0xd800 && u <= 0xdbff) {
				g_autofree gchar *low = NULL;
				guint64 v;
				if (i + 11 >= n || d[i + 6] != '\\' || d[i + 7] != 'u')
					return TRUE;
				low = g_strndup (d + i + 8, 4);
				v = g_ascii_strtoull (low, NULL, 16);
				if (v < 0xdc00 || v > 0xdfff)
					return TRUE;
				i += 6;
			}
			i += 5;
		} else if (d[i] == '\\') {
			i++;
		}
	}
	return FALSE;
}

/*
 * Whether a \\u escape that starts a few bytes before @offset has fewer than
 * four hex digits (the checker points at the escape's digits, or at the
 * first that is not one)
 */
static gboolean
short_u_escape_near (const gchar *d, gsize n, gsize offset)
{
	for (gsize at = offset >= 6 ? offset - 6 : 0; at <= offset && at + 1 < n; at++) {
		gboolean all_hex = TRUE;
		if (d[at] != '\\' || d[at + 1] != 'u')
			continue;
		for (gsize k = at + 2; k < at + 6; k++)
			all_hex = all_hex && k < n && g_ascii_isxdigit (d[k]);
		if (!all_hex)
			return TRUE;
	}
	return FALSE;
}

/*
 * Whether byte @pos is inside a string (its quotes included), by a scan of
 * its own: a rule below must not trust the checker's idea of where it is.
 */
static gboolean
inside_string (const gchar *d, gsize n, gsize pos)
{
	gboolean in_string = FALSE;

	for (gsize i = 0; i < n && i <= pos; i++) {
		if (i == pos)
			return in_string || d[i] == '"';
		if (in_string) {
			if (d[i] == '\\' && i + 1 == pos)
				return TRUE;
			if (d[i] == '\\')
				i++;
			else if (d[i] == '"')
				in_string = FALSE;
		} else if (d[i] == '"') {
			in_string = TRUE;
		}
	}
	return in_string;
}

/* what json-glib (GScanner underneath) makes of a byte RFC 8259 allows nowhere outside strings */
static const gchar *
scanner_reading (gchar c)
{
	if (c == '/')
		return "json-glib skips comments: '/* */', and '/ ... /' through GScanner's "
		       "comment pair \"//\"";
	if (c == '\'')
		return "json-glib takes single-quoted strings";
	if (c == '$')
		return "json-glib reads '$' as a hex prefix (GScanner's scan_hex_dollar)";
	if (c == '=' || c == ';')
		return "json-glib takes a JavaScript 'var NAME = VALUE;'";
	if (g_ascii_isalpha (c) || c == '_')
		return "json-glib reads bare words as GScanner identifiers ('var', hex digits)";
	return NULL;
}

/*
 * Where json-glib 1.6 and RFC 8259 part. Each rule checks, without the
 * checker's help, that the text really has what json-glib is known to read
 * its own way, at the place the checker stopped; it returns why. NULL means
 * the disagreement is not explained: a bug, in the checker or in json-glib.
 */
static const gchar *
json_glib_quirk (const gchar *d, gsize n, const gchar *what, gsize offset)
{
	const gchar *p = skip_ws (d, d + n);
	gchar at = offset < n ? d[offset] : '\0';

	/* both ways: json-glib's own bug, not the checker's */
	if (has_broken_surrogate (d, n))
		return "json-glib 1.6 mis-reads a \\uD800-\\uDFFF escape that is no high-low pair "
		       "(RFC 8259 8.2 allows it): after a lone high surrogate it takes the next "
		       "character into the escape, even a closing quote, so it refuses some valid "
		       "texts (\"\\ud800\") and takes some invalid ones (\"\\ud800\"+\")";
	if (what == NULL)
		return NULL;
	/* the checker refuses, json-glib accepts */
	if (strcmp (what, "nesting deeper than 1024 levels") == 0 && bracket_depth (d, n) > 1024)
		return "json-glib has no nesting limit; the checker stops at QEMU's";
	if (offset > 0 && inside_string (d, n, offset - 1)) {
		if (strcmp (what, "a control character inside a string") == 0 &&
		    (guchar)d[offset - 1] < 0x20)
			return "json-glib takes raw control characters inside strings";
		if (strcmp (what, "a bad escape") == 0 && offset >= 2 && d[offset - 2] == '\\' &&
		    strchr ("\"\\/bfnrtu", d[offset - 1]) == NULL)
			return "json-glib takes any character after a backslash";
		if (strcmp (what, "a bad \\u escape") == 0 && short_u_escape_near (d, n, offset))
			return "json-glib takes \\u with fewer than four hex digits";
	}
	if (strcmp (what, "text after the end of the value") == 0 && (at == '{' || at == '[') &&
	    !inside_string (d, n, offset))
		return "json-glib reads an object or array after the first value as more of the "
		       "document (QMP-NOTES.md: it drops the second of {}{})";
	if ((gsize)(d + n - p) >= 4 && memcmp (p, "var", 3) == 0 && fuzz_is_json_ws (p[3]))
		return "json-glib takes a JavaScript 'var NAME = VALUE;'";
	if (offset < n && !inside_string (d, n, offset) && scanner_reading (at) != NULL)
		return scanner_reading (at);
	if (offset <= n && (offset == n || !inside_string (d, n, offset))) {
		/* the number-like run the checker stopped in or after */
		gsize start = offset, end = offset;
		if (start > 0 && (start == n || !is_number_char (d[start])))
			start--, end--;
		while (start > 0 && is_number_char (d[start - 1]))
			start--;
		while (end < n && is_number_char (d[end]))
			end++;
		/* GScanner reads "- 1" as -1 */
		if (end > start && d[end - 1] == '-') {
			while (end < n && fuzz_is_json_ws (d[end]))
				end++;
			while (end < n && is_number_char (d[end]))
				end++;
		}
		if (end > start && !inside_string (d, n, start) &&
		    !is_rfc_number (d + start, end - start) &&
		    (g_ascii_isdigit (d[start]) || strchr ("-.", d[start]) != NULL))
			return "json-glib reads numbers as GScanner does: leading zeros, hex "
			       "(0x1F), '1.', '.5', '- 1'";
	}
	return NULL;
}

static const gchar *
skip_ws (const gchar *p, const gchar *end)
{
	while (p < end && fuzz_is_json_ws (*p))
		p++;
	return p;
}

typedef struct {
	const gchar *text;
	const gchar *end;
	const gchar *at; /* where the next span must begin, after separators */
	guint count;
	guint stop_after; /* the callback returns FALSE on this call */
	gboolean object;
	guint depth; /* spans are walked into while this is below WALK_DEPTH */
} Walk;

static void walk (const gchar *text, gsize len, guint depth);

/* what may come before the next span: '{' or '[' first, ',' after */
static const gchar *
expect_before (Walk *w, const gchar *span)
{
	const gchar *p = skip_ws (w->at, w->end);
	gchar want = w->count == 0 ? (w->object ? '{' : '[') : ',';

	FUZZ_CHECK (p < w->end && *p == want, "before span %u: want '%c' at offset %td, got \"%s\"",
		    w->count, want, p - w->text, fuzz_escape (p, MIN (w->end - p, 40)));
	p = skip_ws (p + 1, w->end);
	FUZZ_CHECK (p == span, "span %u begins at offset %td, want %td in \"%s\"", w->count,
		    span - w->text, p - w->text, fuzz_escape (w->text, w->end - w->text));
	return p;
}

static void
check_value_span (Walk *w, const gchar *value, gsize len)
{
	const gchar *what = NULL;
	gsize offset = 0;

	FUZZ_CHECK (value >= w->text && value + len <= w->end,
		    "value span %u [%td, +%zu) outside the text of %td bytes", w->count,
		    value - w->text, len, w->end - w->text);
	FUZZ_CHECK (qmp_json_validate (value, len, &what, &offset),
		    "value span %u \"%s\" is not valid JSON: %s at %zu", w->count,
		    fuzz_escape (value, len), what, offset);
	FUZZ_CHECK (len > 0 && !fuzz_is_json_ws (value[0]) && !fuzz_is_json_ws (value[len - 1]),
		    "value span %u \"%s\" is empty or has white space at an end", w->count,
		    fuzz_escape (value, len));
	w->at = value + len;
	if (w->depth < WALK_DEPTH)
		walk (value, len, w->depth + 1);
}

static gboolean
member_cb (const QmpJsonMember *m, gpointer user_data)
{
	Walk *w = user_data;
	const gchar *what = NULL;
	gsize offset = 0;
	const gchar *p;

	FUZZ_CHECK (w->count < w->stop_after, "a member after the callback said stop");
	FUZZ_CHECK (m->key >= w->text && m->key + m->key_len <= w->end,
		    "key span %u outside the text", w->count);
	expect_before (w, m->key);
	FUZZ_CHECK (m->key_len >= 2 && m->key[0] == '"' &&
			    qmp_json_validate (m->key, m->key_len, &what, &offset),
		    "key span %u \"%s\" is not a JSON string", w->count,
		    fuzz_escape (m->key, m->key_len));
	p = skip_ws (m->key + m->key_len, w->end);
	FUZZ_CHECK (p < w->end && *p == ':', "no ':' after key span %u", w->count);
	p = skip_ws (p + 1, w->end);
	FUZZ_CHECK (p == m->value, "value span %u begins at %td, want %td", w->count,
		    m->value - w->text, p - w->text);
	check_value_span (w, m->value, m->value_len);
	return ++w->count < w->stop_after;
}

static gboolean
element_cb (const gchar *value, gsize len, gpointer user_data)
{
	Walk *w = user_data;

	FUZZ_CHECK (w->count < w->stop_after, "an element after the callback said stop");
	FUZZ_CHECK (value >= w->text && value + len <= w->end, "element span %u outside the text",
		    w->count);
	expect_before (w, value);
	check_value_span (w, value, len);
	return ++w->count < w->stop_after;
}

/* @text is valid JSON: walks it whole, and once stopping after a few */
static void
walk (const gchar *text, gsize len, guint depth)
{
	const gchar *p = skip_ws (text, text + len);
	gboolean object;

	if (p == text + len || (*p != '{' && *p != '['))
		return;
	object = *p == '{';
	for (guint pass = 0; pass < 2; pass++) {
		/* the second pass only stops early, without walking into the spans again */
		Walk w = { text,
			   text + len,
			   text,
			   0,
			   pass == 0 ? G_MAXUINT : 2,
			   object,
			   pass == 0 ? depth : WALK_DEPTH };
		if (object)
			qmp_json_foreach_member (text, len, member_cb, &w);
		else
			qmp_json_foreach_element (text, len, element_cb, &w);
		if (pass == 1) {
			FUZZ_CHECK (w.count <= 2, "%u calls after the callback said stop", w.count);
			continue;
		}
		/* the rest: the closing bracket, then white space to the end */
		p = skip_ws (w.at, w.end);
		if (w.count == 0) {
			FUZZ_CHECK (p < w.end && *p == (object ? '{' : '['), "no opening bracket");
			p = skip_ws (p + 1, w.end);
		}
		FUZZ_CHECK (p < w.end && *p == (object ? '}' : ']'),
			    "after %u spans: want '%c' at %td in \"%s\"", w.count,
			    object ? '}' : ']', p - text, fuzz_escape (text, len));
		p = skip_ws (p + 1, w.end);
		FUZZ_CHECK (p == w.end, "text after the closing bracket at %td", p - text);
	}
}

static gboolean
has_ws_outside_strings (const gchar *d, gsize n)
{
	gboolean in_string = FALSE;

	for (gsize i = 0; i < n; i++) {
		if (in_string) {
			if (d[i] == '\\')
				i++;
			else if (d[i] == '"')
				in_string = FALSE;
		} else if (d[i] == '"') {
			in_string = TRUE;
		} else if (fuzz_is_json_ws (d[i])) {
			return TRUE;
		}
	}
	return FALSE;
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
	fuzz_init ();
	return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	const gchar *text = (const gchar *)data;
	const gchar *what = NULL;
	gsize offset = G_MAXSIZE;
	g_autoptr (GError) error = NULL;
	g_autoptr (QmpMessage) message = NULL;
	g_autoptr (GError) message_error = NULL;
	gboolean ok;
	gboolean bad_unicode = FALSE;
	const gchar *p;

	ok = qmp_json_validate (text, size, &what, &offset);
	FUZZ_CHECK (ok == qmp_json_check (text, size, &bad_unicode, &error),
		    "qmp_json_check and qmp_json_validate disagree");
	if (ok) {
		QmpJsonFacts facts = { 0 };
		g_autofree gchar *compact = qmp_json_compact (text, size);
		gsize start = 0, end = size;

		FUZZ_CHECK (error == NULL, "qmp_json_check set an error on success");
		g_autoptr (GArray) told = g_array_new (FALSE, FALSE, sizeof (QmpJsonMember));
		g_autoptr (GArray) walked = g_array_new (FALSE, FALSE, sizeof (QmpJsonMember));

		FUZZ_CHECK (qmp_json_check_facts (text, size, fuzz_collect_member, told, &facts,
						  NULL) &&
				    facts.bad_unicode == bad_unicode,
			    "qmp_json_check_facts and qmp_json_check disagree");
		/* the members told while checking are the spans qmp_json_foreach_member finds */
		qmp_json_foreach_member (text, size, fuzz_collect_member, walked);
		FUZZ_CHECK (told->len == walked->len &&
				    (told->len == 0 ||
				     memcmp (told->data, walked->data,
					     told->len * sizeof (QmpJsonMember)) == 0),
			    "checking told %u members, walking found %u, or not the same spans",
			    told->len, walked->len);
		/* compact: the text, blanks around it aside, is its own compact form */
		while (start < end && strchr (" \t\r\n", text[start]) != NULL)
			start++;
		while (end > start && strchr (" \t\r\n", text[end - 1]) != NULL)
			end--;
		FUZZ_CHECK (facts.compact == (strlen (compact) == end - start &&
					      memcmp (compact, text + start, end - start) == 0),
			    "compact %d, but the compact form is \"%s\"", facts.compact,
			    fuzz_escape (compact, MIN (strlen (compact), 400)));
	} else {
		FUZZ_CHECK (what != NULL && offset <= size,
			    "refused with what=%s at offset %zu of %zu", what, offset, size);
		FUZZ_CHECK (error != NULL &&
				    g_error_matches (error, QMP_ERROR, QMP_ERROR_PROTOCOL) &&
				    strstr (error->message, what) != NULL,
			    "qmp_json_check's error does not say what: %s",
			    error != NULL ? error->message : "(none)");
	}

	/* against json-glib, where both can read the text */
	if (g_utf8_validate_len (text, size, NULL) && bracket_depth (text, size) <= 2000) {
		g_autoptr (JsonParser) parser = json_parser_new_immutable ();
		g_autoptr (GError) glib_error = NULL;
		gboolean glib_ok = json_parser_load_from_data (parser, text, size, &glib_error) &&
				   json_parser_get_root (parser) != NULL;
		if (glib_ok != ok) {
			const gchar *quirk = json_glib_quirk (text, size, ok ? NULL : what, offset);
			FUZZ_CHECK (quirk != NULL,
				    "the checker %s (%s at %zu) and json-glib %s (%s): \"%s\"",
				    ok ? "accepts" : "refuses", ok ? "-" : what, ok ? 0 : offset,
				    glib_ok ? "accepts" : "refuses",
				    glib_error != NULL ? glib_error->message : "no error",
				    fuzz_escape (text, MIN (size, 400)));
		}
		if (ok && glib_ok) {
			JsonNode *root = json_parser_get_root (parser);
			guint count = 0;
			Walk w = { text, text + size, text, 0, G_MAXUINT, FALSE, WALK_DEPTH };
			if (JSON_NODE_HOLDS_ARRAY (root)) {
				qmp_json_foreach_element (text, size, element_cb, &w);
				count = json_array_get_length (json_node_get_array (root));
				FUZZ_CHECK (w.count == count, "%u elements, json-glib sees %u",
					    w.count, count);
			} else if (JSON_NODE_HOLDS_OBJECT (root)) {
				/* json-glib keeps one of several members with a key */
				w.object = TRUE;
				qmp_json_foreach_member (text, size, member_cb, &w);
				count = json_object_get_size (json_node_get_object (root));
				FUZZ_CHECK (w.count >= count, "%u members, json-glib sees %u",
					    w.count, count);
			}
		}
	}
	if (ok) {
		gsize tokens = 0, measured = 0;
		const gchar *bad = bad_token (text, size, &tokens);
		guint depth = qmp_json_measure (text, size, &measured);
		FUZZ_CHECK (depth == bracket_depth (text, size) && measured == tokens,
			    "qmp_json_measure: depth %u and %zu tokens, want %u and %zu", depth,
			    measured, bracket_depth (text, size), tokens);
		/* what is not Unicode in strings: invalid UTF-8, a surrogate escape unpaired */
		FUZZ_CHECK (bad_unicode == (!g_utf8_validate_len (text, size, NULL) ||
					    has_broken_surrogate (text, size)),
			    "qmp_json_check says bad_unicode %d of \"%s\"", bad_unicode,
			    fuzz_escape (text, MIN (size, 400)));
		FUZZ_CHECK (bad == NULL, "the checker accepts %s: \"%s\"", bad,
			    fuzz_escape (text, MIN (size, 400)));
		/* QEMU's limit, which the framer keeps too */
		FUZZ_CHECK (bracket_depth (text, size) <= 1024, "the checker accepts %u levels",
			    bracket_depth (text, size));
	}
	if (!ok) {
		message = qmp_message_new_from_data (text, size, &message_error);
		FUZZ_CHECK (message == NULL && message_error != NULL,
			    "qmp_message_new_from_data took invalid JSON");
		return 0;
	}

	walk (text, size, 0);
	{
		/* the repair makes it Unicode, changing nothing else, and json-glib then reads it
		 */
		gsize len = 0, again_len = 0;
		gboolean still_bad = TRUE;
		g_autofree gchar *repaired = qmp_json_repair_unicode (text, size, &len);
		g_autofree gchar *again = NULL;
		g_autoptr (GError) repaired_error = NULL;
		FUZZ_CHECK (qmp_json_check (repaired, len, &still_bad, &repaired_error) &&
				    !still_bad && g_utf8_validate_len (repaired, len, NULL) &&
				    repaired[len] == '\0',
			    "qmp_json_repair_unicode gives \"%s\" (%s, bad_unicode %d)",
			    fuzz_escape (repaired, len),
			    repaired_error != NULL ? repaired_error->message : "valid", still_bad);
		FUZZ_CHECK (bad_unicode || fuzz_equal (repaired, len, text, size),
			    "qmp_json_repair_unicode changed text that was Unicode: \"%s\"",
			    fuzz_escape (repaired, len));
		again = qmp_json_repair_unicode (repaired, len, &again_len);
		FUZZ_CHECK (fuzz_equal (again, again_len, repaired, len),
			    "qmp_json_repair_unicode is not idempotent");
		if (bracket_depth (repaired, len) <= 2000) {
			g_autoptr (JsonParser) parser = json_parser_new_immutable ();
			g_autoptr (GError) glib_error = NULL;
			FUZZ_CHECK (
				json_parser_load_from_data (parser, repaired, len, &glib_error) ||
					bracket_depth (repaired, len) > 1024,
				"json-glib refuses the repaired \"%s\": %s",
				fuzz_escape (repaired, MIN (len, 400)),
				glib_error != NULL ? glib_error->message : "");
		}
	}
	{
		g_autofree gchar *compact = qmp_json_compact (text, size);
		gsize len = strlen (compact);
		g_autofree gchar *twice = qmp_json_compact (compact, len);
		FUZZ_CHECK (qmp_json_validate (compact, len, &what, &offset),
			    "qmp_json_compact gives invalid JSON: %s at %zu in \"%s\"", what,
			    offset, fuzz_escape (compact, len));
		FUZZ_CHECK (!has_ws_outside_strings (compact, len),
			    "qmp_json_compact left white space: \"%s\"",
			    fuzz_escape (compact, len));
		FUZZ_CHECK (g_strcmp0 (compact, twice) == 0, "qmp_json_compact is not idempotent");
	}
	p = skip_ws (text, text + size);
	message = qmp_message_new_from_data (text, size, &message_error);
	if (memchr (text, '\0', size) == NULL && *p == '{')
		FUZZ_CHECK (message != NULL, "qmp_message_new_from_data refused an object: %s",
			    message_error->message);
	else
		FUZZ_CHECK (message == NULL, "qmp_message_new_from_data took a non-object");
	return 0;
}
