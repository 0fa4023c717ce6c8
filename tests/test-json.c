/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * The JSON scanner (qmp-json.c), data-driven: every case in json.cases is
 * one input and what the scanner must say of it. Beyond what a case states,
 * every case checks what must hold for any input: qmp_json_check() and
 * qmp_json_validate() agree, the error says what and where, and the repair
 * of valid text is valid Unicode and changes nothing that needed no repair.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "qmp-error.h"
#include "qmp-json.h"

typedef enum { VERDICT_NONE, VERDICT_VALID, VERDICT_INVALID } Verdict;

typedef struct {
	guint line; /* where the case begins in json.cases */
	GBytes *input;
	Verdict verdict;
	gboolean bad_unicode;
	gchar *what;
	gsize offset;
	GBytes *repaired;
	gboolean measured;
	guint depth;
	gsize tokens;
	GPtrArray *members; /* "KEY = VALUE", or NULL when the case says nothing */
	GPtrArray *elements;
	GBytes *compact;
} Case;

static void
case_free (Case *c)
{
	g_clear_pointer (&c->input, g_bytes_unref);
	g_clear_pointer (&c->repaired, g_bytes_unref);
	g_clear_pointer (&c->compact, g_bytes_unref);
	g_clear_pointer (&c->members, g_ptr_array_unref);
	g_clear_pointer (&c->elements, g_ptr_array_unref);
	g_free (c->what);
	g_free (c);
}

/*
 * The notation of json.cases: %xHH is the byte HH, %{N:TEXT} is TEXT N
 * times over (TEXT holds no '}': write it %x7d); everything else is itself.
 */
static void
decode_into (GByteArray *out, const gchar *text, gsize len, guint line)
{
	for (gsize i = 0; i < len; i++) {
		if (text[i] != '%') {
			g_byte_array_append (out, (const guint8 *)&text[i], 1);
			continue;
		}
		if (i + 3 < len && text[i + 1] == 'x' && g_ascii_isxdigit (text[i + 2]) &&
		    g_ascii_isxdigit (text[i + 3])) {
			guint8 byte = g_ascii_xdigit_value (text[i + 2]) * 16 +
				      g_ascii_xdigit_value (text[i + 3]);
			g_byte_array_append (out, &byte, 1);
			i += 3;
			continue;
		}
		if (i + 1 < len && text[i + 1] == '{') {
			gchar *end = NULL;
			guint64 n = g_ascii_strtoull (text + i + 2, &end, 10);
			const gchar *close = memchr (text + i, '}', len - i);
			if (end == text + i + 2 || *end != ':' || close == NULL)
				g_error ("json.cases:%u: a bad %%{N:TEXT}", line);
			for (guint64 k = 0; k < n; k++)
				decode_into (out, end + 1, close - (end + 1), line);
			i = close - text;
			continue;
		}
		g_error ("json.cases:%u: a '%%' that is neither %%xHH nor %%{N:TEXT}", line);
	}
}

static GBytes *
decode (const gchar *text, guint line)
{
	GByteArray *out = g_byte_array_new ();
	decode_into (out, text, strlen (text), line);
	return g_byte_array_free_to_bytes (out);
}

static gchar *
decode_string (const gchar *text, guint line)
{
	g_autoptr (GBytes) bytes = decode (text, line);
	gsize len = 0;
	const gchar *data = g_bytes_get_data (bytes, &len);
	return g_strndup (data != NULL ? data : "", len);
}

static void
parse_line (Case *c, const gchar *l)
{
	guint offset;
	gint used = 0;

	if (g_str_has_prefix (l, "in: ")) {
		c->input = decode (l + 4, c->line);
	} else if (g_strcmp0 (l, "valid") == 0) {
		c->verdict = VERDICT_VALID;
	} else if (g_strcmp0 (l, "valid bad-unicode") == 0) {
		c->verdict = VERDICT_VALID;
		c->bad_unicode = TRUE;
	} else if (sscanf (l, "invalid at %u: %n", &offset, &used) == 1 && used > 0) {
		c->verdict = VERDICT_INVALID;
		c->offset = offset;
		c->what = g_strdup (l + used);
	} else if (g_str_has_prefix (l, "repaired: ")) {
		c->repaired = decode (l + 10, c->line);
	} else if (sscanf (l, "measure: depth %u, tokens %" G_GSIZE_MODIFIER "u", &c->depth,
			   &c->tokens) == 2) {
		c->measured = TRUE;
	} else if (g_str_has_prefix (l, "member: ") || g_strcmp0 (l, "members: none") == 0) {
		if (c->members == NULL)
			c->members = g_ptr_array_new_with_free_func (g_free);
		if (l[6] == ':')
			g_ptr_array_add (c->members, decode_string (l + 8, c->line));
	} else if (g_str_has_prefix (l, "element: ") || g_strcmp0 (l, "elements: none") == 0) {
		if (c->elements == NULL)
			c->elements = g_ptr_array_new_with_free_func (g_free);
		if (l[7] == ':')
			g_ptr_array_add (c->elements, decode_string (l + 9, c->line));
	} else if (g_str_has_prefix (l, "compact: ")) {
		c->compact = decode (l + 9, c->line);
	} else {
		g_error ("json.cases:%u: cannot read '%s'", c->line, l);
	}
}

static GPtrArray *
load_cases (const gchar *path)
{
	g_autofree gchar *contents = NULL;
	g_autoptr (GError) error = NULL;
	g_auto (GStrv) lines = NULL;
	GPtrArray *cases = g_ptr_array_new_with_free_func ((GDestroyNotify)case_free);
	Case *c = NULL;

	g_file_get_contents (path, &contents, NULL, &error);
	g_assert_no_error (error);
	lines = g_strsplit (contents, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		const gchar *l = lines[i];
		if (l[0] == '#')
			continue;
		if (l[0] == '\0') {
			c = NULL;
			continue;
		}
		if (c == NULL) {
			c = g_new0 (Case, 1);
			c->line = i + 1;
			g_ptr_array_add (cases, c);
		}
		parse_line (c, l);
	}
	for (guint i = 0; i < cases->len; i++) {
		c = g_ptr_array_index (cases, i);
		if (c->input == NULL || c->verdict == VERDICT_NONE)
			g_error ("json.cases:%u: a case needs an in: line and a verdict", c->line);
		if (c->verdict == VERDICT_INVALID &&
		    (c->repaired != NULL || c->measured || c->members != NULL ||
		     c->elements != NULL || c->compact != NULL))
			g_error ("json.cases:%u: only valid text has more to say", c->line);
	}
	return cases;
}

static void case_fail (const Case *c, const gchar *format, ...) G_GNUC_PRINTF (2, 3);

/* one wrong case fails its own test, and says where it is */
static void
case_fail (const Case *c, const gchar *format, ...)
{
	g_autofree gchar *text = NULL;
	va_list args;

	va_start (args, format);
	text = g_strdup_vprintf (format, args);
	va_end (args);
	g_test_message ("json.cases:%u: %s", c->line, text);
	g_test_fail ();
}

/* bytes as the test log shows them: printable ASCII as it is, the rest %xHH */
static gchar *
show (const gchar *data, gsize len)
{
	GString *out = g_string_new (NULL);
	for (gsize i = 0; i < len && i < 200; i++) {
		guchar ch = data[i];
		if (ch >= 0x20 && ch < 0x7f && ch != '%')
			g_string_append_c (out, ch);
		else
			g_string_append_printf (out, "%%x%02x", ch);
	}
	if (len > 200)
		g_string_append_printf (out, "... (%" G_GSIZE_FORMAT " bytes)", len);
	return g_string_free (out, FALSE);
}

static void
assert_bytes (const Case *c, const gchar *what, const gchar *got, gsize got_len, GBytes *want)
{
	gsize want_len = 0;
	const gchar *want_data = g_bytes_get_data (want, &want_len);
	g_autofree gchar *a = NULL;
	g_autofree gchar *b = NULL;

	if (got_len == want_len && (want_len == 0 || memcmp (got, want_data, want_len) == 0))
		return;
	a = show (got, got_len);
	b = show (want_data, want_len);
	case_fail (c, "%s is '%s', not '%s'", what, a, b);
}

static gboolean
collect_member_cb (const QmpJsonMember *m, gpointer user_data)
{
	g_ptr_array_add (user_data, g_strdup_printf ("%.*s = %.*s", (gint)m->key_len, m->key,
						     (gint)m->value_len, m->value));
	return TRUE;
}

static gboolean
collect_element_cb (const gchar *value, gsize len, gpointer user_data)
{
	g_ptr_array_add (user_data, g_strndup (value, len));
	return TRUE;
}

static gboolean
count_member_cb (const QmpJsonMember *m, gpointer user_data)
{
	(*(guint *)user_data)++;
	return FALSE;
}

static gboolean
count_element_cb (const gchar *value, gsize len, gpointer user_data)
{
	(*(guint *)user_data)++;
	return FALSE;
}

static void
assert_list (const Case *c, const gchar *what, GPtrArray *got, GPtrArray *want)
{
	for (guint i = 0; i < MAX (got->len, want->len); i++) {
		const gchar *g = i < got->len ? g_ptr_array_index (got, i) : "(none)";
		const gchar *w = i < want->len ? g_ptr_array_index (want, i) : "(none)";
		if (g_strcmp0 (g, w) != 0)
			case_fail (c, "%s %u is '%s', not '%s'", what, i + 1, g, w);
	}
}

/* the verdict, from both entry points, which must agree */
static void
check_verdict (const Case *c, const gchar *text, gsize len)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GError) error_again = NULL;
	const gchar *what = NULL;
	gsize offset = G_MAXSIZE;
	gboolean bad_unicode = !c->bad_unicode;
	gboolean valid = qmp_json_validate (text, len, &what, &offset);
	gboolean checked = qmp_json_check (text, len, &bad_unicode, &error);

	g_assert_cmpint (checked, ==, valid);
	/* without the out argument, the same verdict */
	g_assert_cmpint (qmp_json_check (text, len, NULL, &error_again), ==, valid);
	if (c->verdict == VERDICT_VALID) {
		if (!valid) {
			case_fail (c, "refused: %s", error->message);
			return;
		}
		g_assert_no_error (error);
		g_assert_no_error (error_again);
		g_assert_cmpint (bad_unicode, ==, c->bad_unicode);
		return;
	}
	if (valid) {
		case_fail (c, "accepted, but should be refused");
		return;
	}
	g_assert_cmpstr (what, ==, c->what);
	g_assert_cmpuint (offset, ==, c->offset);
	g_assert_cmpuint (offset, <=, len);
	{
		g_autofree gchar *message = g_strdup_printf (
			"malformed JSON: %s at byte %" G_GSIZE_FORMAT, c->what, c->offset);
		g_assert_error (error, QMP_ERROR, QMP_ERROR_PROTOCOL);
		g_assert_cmpstr (error->message, ==, message);
		g_assert_error (error_again, QMP_ERROR, QMP_ERROR_PROTOCOL);
		g_assert_cmpstr (error_again->message, ==, message);
	}
	/* bad_unicode is only said of valid text */
	g_assert_cmpint (bad_unicode, ==, FALSE);
}

static void
check_repair (const Case *c, const gchar *text, gsize len)
{
	gsize out_len = G_MAXSIZE;
	g_autofree gchar *out = qmp_json_repair_unicode (text, len, &out_len);
	g_autoptr (GError) error = NULL;
	gboolean bad_unicode = TRUE;

	g_assert_cmpuint (out_len, !=, G_MAXSIZE);
	g_assert_cmpint (out[out_len], ==, '\0');
	if (c->repaired != NULL)
		assert_bytes (c, "the repaired text", out, out_len, c->repaired);
	else if (!c->bad_unicode)
		assert_bytes (c, "the repaired text", out, out_len, c->input);
	else
		case_fail (c, "bad unicode, but no repaired: line");
	/* what comes out is valid JSON whose strings are all Unicode */
	if (!qmp_json_check (out, out_len, &bad_unicode, &error)) {
		case_fail (c, "the repaired text is refused: %s", error->message);
		return;
	}
	g_assert_false (bad_unicode);
}

static void
check_spans (const Case *c, const gchar *text, gsize len)
{
	if (c->members != NULL) {
		g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_free);
		guint calls = 0;
		qmp_json_foreach_member (text, len, collect_member_cb, got);
		assert_list (c, "member", got, c->members);
		/* a callback that says stop is called no more */
		qmp_json_foreach_member (text, len, count_member_cb, &calls);
		g_assert_cmpuint (calls, ==, MIN (c->members->len, 1));
	}
	if (c->elements != NULL) {
		g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_free);
		guint calls = 0;
		qmp_json_foreach_element (text, len, collect_element_cb, got);
		assert_list (c, "element", got, c->elements);
		qmp_json_foreach_element (text, len, count_element_cb, &calls);
		g_assert_cmpuint (calls, ==, MIN (c->elements->len, 1));
	}
	if (c->compact != NULL) {
		g_autofree gchar *out = qmp_json_compact (text, len);
		assert_bytes (c, "the compact text", out, strlen (out), c->compact);
	}
	if (c->measured) {
		gsize tokens = G_MAXSIZE;
		guint depth = qmp_json_measure (text, len, &tokens);
		g_assert_cmpuint (depth, ==, c->depth);
		g_assert_cmpuint (tokens, ==, c->tokens);
	}
}

static void
test_case (gconstpointer data)
{
	const Case *c = data;
	gsize len = 0;
	const gchar *bytes = g_bytes_get_data (c->input, &len);
	/* exactly the input's bytes, so that a read past their end is seen under valgrind */
	g_autofree gchar *text = g_malloc (MAX (len, 1));

	if (len > 0)
		memcpy (text, bytes, len);

	check_verdict (c, text, len);
	if (c->verdict != VERDICT_VALID)
		return;
	check_repair (c, text, len);
	check_spans (c, text, len);
}

int
main (int argc, char **argv)
{
	g_autofree gchar *path = NULL;
	g_autoptr (GPtrArray) cases = NULL;

	g_test_init (&argc, &argv, NULL);
	/* one wrong case fails its own test, not the rest */
	g_test_set_nonfatal_assertions ();
	path = g_build_filename (g_getenv ("QMPSH_TESTS_DIR"), "json.cases", NULL);
	cases = load_cases (path);
	g_assert_cmpuint (cases->len, >=, 100);
	for (guint i = 0; i < cases->len; i++) {
		Case *c = g_ptr_array_index (cases, i);
		g_autofree gchar *name = g_strdup_printf ("/json/line-%u", c->line);
		g_test_add_data_func (name, c, test_case);
	}
	return g_test_run ();
}
