/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * The formatter (qmpsh_format_json), with every combination of its flags.
 *
 * Input: any bytes; only what qmp_json_validate accepts is formatted, as the
 * shell formats only checked messages.
 *
 * Properties, each fatal, for each of the 16 flag combinations:
 *   - with the colour escapes taken out, the output is the output without
 *     QMPSH_FORMAT_COLOR, and it is valid JSON;
 *   - the number tokens of the output are those of the input, byte for
 *     byte: in the same order, or, with QMPSH_FORMAT_SORT_KEYS, the same
 *     multiset; with QMPSH_FORMAT_DROP_ID, less those of a top-level "id";
 *   - compact(format(x, flags)) == compact(format(x, flags without PRETTY)),
 *     and compact(format(x, NONE)) == compact(x): layout changes no token;
 *   - DROP_ID leaves no top-level "id" and drops nothing else: it is the
 *     input with that member cut out; SORT_KEYS leaves every object's keys
 *     in order, and sorting twice changes nothing;
 *   - PRETTY output has no white space outside strings but newlines and the
 *     indentation after them.
 */

#include "fuzz-common.h"
#include "qmp-json.h"
#include "qmpsh-format.h"

#include <string.h>

#define ALL_FLAGS                                                                                  \
	(QMPSH_FORMAT_PRETTY | QMPSH_FORMAT_COLOR | QMPSH_FORMAT_SORT_KEYS | QMPSH_FORMAT_DROP_ID)

static gchar *
format (const gchar *text, gsize len, QmpshFormatFlags flags)
{
	GString *out = g_string_new (NULL);
	qmpsh_format_json (out, text, len, flags);
	return g_string_free (out, FALSE);
}

/* the output less the ANSI colour sequences; none can be inside a valid string */
static gchar *
strip_colors (const gchar *s)
{
	GString *out = g_string_new (NULL);

	for (const gchar *p = s; *p != '\0'; p++) {
		if (*p == '\033') {
			FUZZ_CHECK (p[1] == '[', "an escape that is no CSI in \"%s\"",
				    fuzz_escape (s, strlen (s)));
			p += 2;
			while (*p != '\0' && (g_ascii_isdigit (*p) || *p == ';'))
				p++;
			FUZZ_CHECK (*p == 'm', "a colour sequence that does not end in 'm'");
			continue;
		}
		g_string_append_c (out, *p);
	}
	return g_string_free (out, FALSE);
}

/* the number tokens of valid JSON text, each as its bytes */
static GPtrArray *
number_tokens (const gchar *d, gsize n)
{
	GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
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
		} else if (c == '-' || g_ascii_isdigit (c)) {
			gsize start = i;
			while (i < n && (g_ascii_isdigit (d[i]) || strchr ("+-.eE", d[i]) != NULL))
				i++;
			g_ptr_array_add (out, g_strndup (d + start, i - start));
			i--;
		}
	}
	return out;
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
	return strcmp (*(const gchar *const *)a, *(const gchar *const *)b);
}

static gchar *
join_tokens (GPtrArray *tokens)
{
	GString *out = g_string_new (NULL);
	for (guint i = 0; i < tokens->len; i++)
		g_string_append_printf (out, "%s%s", i > 0 ? " " : "",
					(const gchar *)tokens->pdata[i]);
	return g_string_free (out, FALSE);
}

static void
check_numbers (GPtrArray *in, const gchar *out, gboolean sorted, QmpshFormatFlags flags)
{
	g_autoptr (GPtrArray) got = number_tokens (out, strlen (out));
	g_autofree gchar *want_text = NULL;
	g_autofree gchar *got_text = NULL;

	if (sorted) {
		g_ptr_array_sort (in, compare_strings);
		g_ptr_array_sort (got, compare_strings);
	}
	want_text = join_tokens (in);
	got_text = join_tokens (got);
	FUZZ_CHECK (g_strcmp0 (want_text, got_text) == 0,
		    "flags 0x%x: the numbers changed:\n  in  %s\n  out %s", flags, want_text,
		    got_text);
}

typedef struct {
	GString *out;
	guint count;
} Cut;

/* the input less its top-level "id" member(s), compact: what DROP_ID must give */
static gboolean
cut_id_cb (const QmpJsonMember *m, gpointer user_data)
{
	Cut *cut = user_data;
	g_autofree gchar *key = NULL;
	g_autofree gchar *value = NULL;

	if (qmp_json_key_is (m, "id"))
		return TRUE;
	key = qmp_json_compact (m->key, m->key_len);
	value = qmp_json_compact (m->value, m->value_len);
	g_string_append_printf (cut->out, "%s%s:%s", cut->count++ > 0 ? "," : "", key, value);
	return TRUE;
}

static gchar *
cut_id (const gchar *text, gsize len)
{
	const gchar *p = text;
	Cut cut = { g_string_new ("{"), 0 };

	while (fuzz_is_json_ws (*p))
		p++;
	if (*p != '{') {
		g_string_free (cut.out, TRUE);
		return qmp_json_compact (text, len);
	}
	qmp_json_foreach_member (text, len, cut_id_cb, &cut);
	g_string_append_c (cut.out, '}');
	return g_string_free (cut.out, FALSE);
}

typedef struct {
	const gchar *prev;
	gsize prev_len;
	gboolean top;
	const gchar *text;
} Order;

static void check_order (const gchar *text, gsize len, gboolean top);

static gboolean
order_member_cb (const QmpJsonMember *m, gpointer user_data)
{
	Order *order = user_data;

	if (order->prev != NULL) {
		gint r = memcmp (order->prev, m->key, MIN (order->prev_len, m->key_len));
		FUZZ_CHECK (r < 0 || (r == 0 && order->prev_len <= m->key_len),
			    "SORT_KEYS: key %s before %s in \"%s\"",
			    g_strndup (order->prev, order->prev_len),
			    g_strndup (m->key, m->key_len),
			    fuzz_escape (order->text, strlen (order->text)));
	}
	FUZZ_CHECK (!order->top || !qmp_json_key_is (m, "id"), "DROP_ID left a top-level id");
	order->prev = m->key;
	order->prev_len = m->key_len;
	check_order (m->value, m->value_len, FALSE);
	return TRUE;
}

static gboolean
order_element_cb (const gchar *value, gsize len, gpointer user_data)
{
	check_order (value, len, FALSE);
	return TRUE;
}

/* every object's keys are in memcmp order (and, at the top, none is "id") */
static void
check_order (const gchar *text, gsize len, gboolean top)
{
	Order order = { NULL, 0, top, text };
	const gchar *p = text;

	while (p < text + len && fuzz_is_json_ws (*p))
		p++;
	if (p < text + len && *p == '{')
		qmp_json_foreach_member (text, len, order_member_cb, &order);
	else if (p < text + len && *p == '[')
		qmp_json_foreach_element (text, len, order_element_cb, &order);
}

/* pretty: white space outside strings only as "\n" and then pairs of spaces */
static void
check_layout (const gchar *s, QmpshFormatFlags flags)
{
	gboolean in_string = FALSE;

	for (const gchar *p = s; *p != '\0'; p++) {
		if (in_string) {
			if (*p == '\\')
				p++;
			else if (*p == '"')
				in_string = FALSE;
			continue;
		}
		if (*p == '"') {
			in_string = TRUE;
		} else if (*p == '\n') {
			gsize spaces = strspn (p + 1, " ");
			FUZZ_CHECK (spaces % 2 == 0 && (flags & QMPSH_FORMAT_PRETTY),
				    "flags 0x%x: a newline and %zu spaces", flags, spaces);
			p += spaces;
		} else if (*p == ' ') {
			FUZZ_CHECK ((flags & QMPSH_FORMAT_PRETTY) && p > s && p[-1] == ':',
				    "flags 0x%x: a space not after ':' in \"%s\"", flags,
				    fuzz_escape (s, strlen (s)));
		} else {
			FUZZ_CHECK (!fuzz_is_json_ws (*p), "flags 0x%x: white space 0x%02x", flags,
				    (guchar)*p);
		}
	}
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
	gsize offset = 0;
	g_autofree gchar *compact = NULL;
	g_autofree gchar *without_id = NULL;
	g_autoptr (GPtrArray) numbers = NULL;
	gchar *outputs[ALL_FLAGS + 1] = { NULL };

	if (!qmp_json_validate (text, size, &what, &offset))
		return -1;
	compact = qmp_json_compact (text, size);
	without_id = cut_id (text, size);

	for (guint flags = 0; flags <= ALL_FLAGS; flags++) {
		g_autofree gchar *out = format (text, size, flags);
		g_autofree gchar *plain = strip_colors (out);
		g_autofree gchar *out_compact = NULL;
		gsize len = strlen (plain);
		gboolean sorted = (flags & QMPSH_FORMAT_SORT_KEYS) != 0;
		gboolean drop = (flags & QMPSH_FORMAT_DROP_ID) != 0;

		FUZZ_CHECK (strlen (out) == strlen (plain) || (flags & QMPSH_FORMAT_COLOR),
			    "flags 0x%x: colours without QMPSH_FORMAT_COLOR", flags);
		FUZZ_CHECK (
			qmp_json_validate (plain, len, &what, &offset),
			"flags 0x%x: the output is not valid JSON (%s at %zu):\n  in  \"%s\"\n  "
			"out \"%s\"",
			flags, what, offset, fuzz_escape (text, MIN (size, 300)),
			fuzz_escape (plain, MIN (len, 300)));
		check_layout (plain, flags);
		if (flags & QMPSH_FORMAT_COLOR) {
			FUZZ_CHECK (g_strcmp0 (plain, outputs[flags & ~QMPSH_FORMAT_COLOR]) == 0,
				    "flags 0x%x: colours change more than colours", flags);
		}
		outputs[flags] = g_strdup (plain);

		numbers =
			number_tokens (drop ? without_id : text, drop ? strlen (without_id) : size);
		check_numbers (numbers, plain, sorted, flags);
		g_clear_pointer (&numbers, g_ptr_array_unref);

		out_compact = qmp_json_compact (plain, len);
		if (flags & QMPSH_FORMAT_PRETTY) {
			g_autofree gchar *flat =
				qmp_json_compact (outputs[flags & ~QMPSH_FORMAT_PRETTY],
						  strlen (outputs[flags & ~QMPSH_FORMAT_PRETTY]));
			FUZZ_CHECK (
				g_strcmp0 (out_compact, flat) == 0,
				"flags 0x%x: compact(pretty(x)) != compact(x):\n  \"%s\"\n  \"%s\"",
				flags, out_compact, flat);
		}
		if (!sorted && !drop) {
			FUZZ_CHECK (g_strcmp0 (out_compact, compact) == 0,
				    "flags 0x%x: the tokens changed:\n  in  \"%s\"\n  out \"%s\"",
				    flags, fuzz_escape (compact, strlen (compact)),
				    fuzz_escape (out_compact, strlen (out_compact)));
		}
		if (drop && !sorted) {
			FUZZ_CHECK (g_strcmp0 (out_compact, without_id) == 0,
				    "flags 0x%x: DROP_ID gives \"%s\", want \"%s\"", flags,
				    fuzz_escape (out_compact, strlen (out_compact)),
				    fuzz_escape (without_id, strlen (without_id)));
		}
		if (sorted) {
			g_autofree gchar *again = format (plain, len, flags & ~QMPSH_FORMAT_COLOR);
			check_order (plain, len, drop);
			FUZZ_CHECK (g_strcmp0 (again, plain) == 0,
				    "flags 0x%x: sorting twice changes the output", flags);
			if (drop) {
				g_autofree gchar *cut_first = format (
					without_id, strlen (without_id),
					flags & ~(QMPSH_FORMAT_COLOR | QMPSH_FORMAT_DROP_ID));
				FUZZ_CHECK (g_strcmp0 (cut_first, plain) == 0,
					    "flags 0x%x: dropping the id and sorting differ from "
					    "sorting the input without its id",
					    flags);
			}
		}
	}
	for (guint flags = 0; flags <= ALL_FLAGS; flags++)
		g_free (outputs[flags]);
	return 0;
}
