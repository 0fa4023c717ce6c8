/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include "qmp-error.h"
#include "qmp-framer.h"
#include "qmp-json.h"
#include "qmp-message.h"
#include "qmpsh-format.h"
#include "qmpsh-reader.h"

#include <glib/gstdio.h>
#include <unistd.h>

/* feeds @stream in pieces of @chunk bytes and collects every message */
static GPtrArray *
frame_all (const gchar *stream, gsize len, gsize chunk, gsize max_size, GError **error)
{
	g_autoptr (QmpFramer) framer = qmp_framer_new (max_size);
	g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (g_free);

	for (gsize off = 0; off < len; off += chunk) {
		gchar *msg;
		qmp_framer_push (framer, stream + off, MIN (chunk, len - off));
		while ((msg = qmp_framer_next (framer, NULL, error)) != NULL)
			g_ptr_array_add (out, msg);
		if (error != NULL && *error != NULL)
			return NULL;
	}
	g_assert_true (qmp_framer_is_idle (framer));
	return g_steal_pointer (&out);
}

static const gchar *const two_messages =
	"{\"event\": \"STOP\", \"data\": {}, \"timestamp\": {\"seconds\": 1, \"microseconds\": "
	"2}}\r\n"
	"{\"return\": {\"s\": \"a } ] { [ \\\" \\\\\"}, \"id\": 1}\r\n";

static void
test_split_every_offset (void)
{
	gsize len = strlen (two_messages);

	/* every split point: a message in two reads, at every byte */
	for (gsize cut = 1; cut < len; cut++) {
		g_autoptr (QmpFramer) framer = qmp_framer_new (0);
		g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
		g_autoptr (GError) error = NULL;
		gchar *msg;

		qmp_framer_push (framer, two_messages, cut);
		while ((msg = qmp_framer_next (framer, NULL, &error)) != NULL)
			g_ptr_array_add (out, msg);
		g_assert_no_error (error);
		qmp_framer_push (framer, two_messages + cut, len - cut);
		while ((msg = qmp_framer_next (framer, NULL, &error)) != NULL)
			g_ptr_array_add (out, msg);
		g_assert_no_error (error);
		g_assert_cmpuint (out->len, ==, 2);
		g_assert_true (g_str_has_prefix (g_ptr_array_index (out, 0), "{\"event\""));
		g_assert_cmpstr (g_ptr_array_index (out, 1), ==,
				 "{\"return\": {\"s\": \"a } ] { [ \\\" \\\\\"}, \"id\": 1}");
	}
}

static void
test_byte_by_byte_and_concatenated (void)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GString) stream = g_string_new (NULL);
	g_autoptr (GPtrArray) one = NULL;
	g_autoptr (GPtrArray) whole = NULL;

	for (guint i = 0; i < 100; i++)
		g_string_append_printf (stream, "{\"return\":{},\"id\":%u}", i);
	one = frame_all (stream->str, stream->len, 1, 0, &error);
	g_assert_no_error (error);
	whole = frame_all (stream->str, stream->len, stream->len, 0, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (one->len, ==, 100);
	g_assert_cmpuint (whole->len, ==, 100);
	g_assert_cmpstr (g_ptr_array_index (whole, 99), ==, "{\"return\":{},\"id\":99}");
	for (guint i = 0; i < 100; i++)
		g_assert_cmpstr (g_ptr_array_index (one, i), ==, g_ptr_array_index (whole, i));
}

static void
test_pretty (void)
{
	const gchar *pretty =
		"{\n    \"QMP\": {\n        \"version\": {\n            \"qemu\": {\n"
		"                \"micro\": 22\n            }\n        },\n"
		"        \"capabilities\": [\n            \"oob\"\n        ]\n    }\n}\n"
		"{\n    \"return\": {\n    }\n}\n";
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) out = frame_all (pretty, strlen (pretty), 7, 0, &error);
	g_autoptr (GString) compact = g_string_new (NULL);

	g_assert_no_error (error);
	g_assert_cmpuint (out->len, ==, 2);
	qmpsh_format_json (compact, g_ptr_array_index (out, 0), strlen (g_ptr_array_index (out, 0)),
			   QMPSH_FORMAT_NONE);
	g_assert_cmpstr (
		compact->str, ==,
		"{\"QMP\":{\"version\":{\"qemu\":{\"micro\":22}},\"capabilities\":[\"oob\"]}}");
}

static void
test_large_message (void)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GString) stream = g_string_new ("{\"return\": \"");
	g_autoptr (GPtrArray) out = NULL;

	/* 8 MiB of string with braces and escapes in it, read 64 KiB at a time */
	while (stream->len < 8 * 1024 * 1024)
		g_string_append (stream, "abc{}[]\\\"\\\\ ");
	g_string_append (stream, "\", \"id\": 7}\r\n{\"return\": {}}");
	out = frame_all (stream->str, stream->len, 65536, 0, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (out->len, ==, 2);
	g_assert_cmpuint (strlen (g_ptr_array_index (out, 0)), ==, stream->len - 2 - 14);
}

static void
test_over_cap (void)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GString) stream = g_string_new ("{\"return\": \"");
	g_autoptr (GPtrArray) out = NULL;

	while (stream->len < 4096)
		g_string_append (stream, "xxxxxxxx");
	g_string_append (stream, "\"}");
	out = frame_all (stream->str, stream->len, 100, 1024, &error);
	g_assert_null (out);
	g_assert_error (error, QMP_ERROR, QMP_ERROR_MESSAGE_TOO_LARGE);
	g_assert_nonnull (strstr (error->message, "1024-byte limit"));
}

static void
test_not_an_object (void)
{
	const gchar *cases[] = { "[1, 2]", "\"str\"", "42", "garbage{}", "\x01{}" };

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autoptr (GError) error = NULL;
		g_autoptr (GPtrArray) out = frame_all (cases[i], strlen (cases[i]), 3, 0, &error);
		g_assert_null (out);
		g_assert_error (error, QMP_ERROR, QMP_ERROR_PROTOCOL);
		g_assert_nonnull (strstr (error->message, "expected a JSON object"));
	}
}

static void
test_delimiter (void)
{
	const gchar *stream = "\xff{\"return\": {}}\xff\xff{\"return\": 1}";
	g_autoptr (QmpFramer) framer = qmp_framer_new (0);
	g_autoptr (GError) error = NULL;
	g_autofree gchar *a = NULL;
	g_autofree gchar *b = NULL;

	qmp_framer_set_skip_delimiter (framer, TRUE);
	qmp_framer_push (framer, stream, strlen (stream));
	a = qmp_framer_next (framer, NULL, &error);
	b = qmp_framer_next (framer, NULL, &error);
	g_assert_no_error (error);
	g_assert_cmpstr (a, ==, "{\"return\": {}}");
	g_assert_cmpstr (b, ==, "{\"return\": 1}");
}

static void
test_uint64_exact (void)
{
	const gchar *text = "{\"return\": {\"max\": 18446744073709551615, \"neg\": "
			    "-9223372036854775808, \"f\": 0.1, \"e\": 1e+300}, \"id\": 3}";
	g_autoptr (GError) error = NULL;
	g_autoptr (QmpMessage) msg = qmp_message_new_from_data (text, -1, &error);
	g_autoptr (GString) out = g_string_new (NULL);

	g_assert_no_error (error);
	g_assert_cmpint (qmp_message_get_kind (msg), ==, QMP_MESSAGE_KIND_RETURN);
	qmpsh_format_json (out, qmp_message_get_text (msg), qmp_message_get_length (msg),
			   QMPSH_FORMAT_DROP_ID);
	g_assert_cmpstr (out->str, ==,
			 "{\"return\":{\"max\":18446744073709551615,\"neg\":-9223372036854775808,"
			 "\"f\":0.1,\"e\":1e+300}}");
}

/* compact without the top-level id, wherever it is, and only that one */
static void
test_format_drop_id (void)
{
	const gchar *cases[][2] = {
		{ "{\"id\": 1, \"return\": {}}", "{\"return\":{}}" },
		{ "{\"return\": {}, \"id\": 1}", "{\"return\":{}}" },
		{ "{\"a\": 1, \"id\": \"x,}\", \"b\": 2}", "{\"a\":1,\"b\":2}" },
		{ " {\"id\" : {\"id\": [1, {\"id\": 2}]}} \r\n", "{}" },
		{ "{\"return\": {\"id\": 7, \"s\": \"a \\\" , \\\\\"}, \"id\": 8}",
		  "{\"return\":{\"id\":7,\"s\":\"a \\\" , \\\\\"}}" },
		{ "{\"error\": {\"class\": \"GenericError\", \"desc\": \"no { here\"}, "
		  "\"ids\": 1, \"i\\u0064\": 2, \"id\": 3}",
		  "{\"error\":{\"class\":\"GenericError\",\"desc\":\"no { here\"},\"ids\":1,"
		  "\"i\\u0064\":2}" },
	};

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autoptr (GString) out = g_string_new ("> ");
		qmpsh_format_json (out, cases[i][0], strlen (cases[i][0]), QMPSH_FORMAT_DROP_ID);
		g_assert_cmpstr (out->str + 2, ==, cases[i][1]);
		g_assert_true (g_str_has_prefix (out->str, "> "));
	}
}

static void
test_format_pretty_sorted (void)
{
	const gchar *text = "{\"b\": [1, {}, []], \"a\": {\"z\": null, \"y\": true}}";
	g_autoptr (GString) out = g_string_new (NULL);

	qmpsh_format_json (out, text, strlen (text), QMPSH_FORMAT_PRETTY | QMPSH_FORMAT_SORT_KEYS);
	g_assert_cmpstr (out->str, ==,
			 "{\n  \"a\": {\n    \"y\": true,\n    \"z\": null\n  },\n  \"b\": [\n"
			 "    1,\n    {},\n    []\n  ]\n}");
}

/* a member put first, whatever the layout; the target's text escaped as JSON */
static void
test_format_tagged (void)
{
	const gchar *text = "{\"return\": {\"b\": 1, \"a\": 18446744073709551615}, \"id\": 7}";
	g_autoptr (GString) compact = g_string_new (NULL);
	g_autoptr (GString) sorted = g_string_new (NULL);
	g_autoptr (GString) empty = g_string_new (NULL);

	qmpsh_format_json_tagged (compact, text, strlen (text), QMPSH_FORMAT_DROP_ID, "target",
				  "host:1 \"x\"");
	g_assert_cmpstr (compact->str, ==,
			 "{\"target\":\"host:1 \\\"x\\\"\",\"return\":{\"b\":1,"
			 "\"a\":18446744073709551615}}");
	qmpsh_format_json_tagged (sorted, text, strlen (text),
				  QMPSH_FORMAT_PRETTY | QMPSH_FORMAT_SORT_KEYS, "target", "vm1");
	g_assert_cmpstr (sorted->str, ==,
			 "{\n  \"target\": \"vm1\",\n  \"id\": 7,\n  \"return\": {\n    "
			 "\"a\": 18446744073709551615,\n    \"b\": 1\n  }\n}");
	qmpsh_format_json_tagged (empty, "{}", 2, QMPSH_FORMAT_NONE, "target", "vm1");
	g_assert_cmpstr (empty->str, ==, "{\"target\":\"vm1\"}");
}

/* what a branch of a reader gets next: its lines, counted, until it must wait */
static guint
take_lines (QmpshReader *branch, GPtrArray *got)
{
	guint n = 0;

	for (;;) {
		const gchar *line = NULL;
		g_autofree gchar *message = NULL;
		gsize len;
		QmpshReaderStatus status = qmpsh_reader_next (branch, &line, &len, &message);

		if (status != QMPSH_READER_LINE)
			return n;
		g_ptr_array_add (got, g_strdup (line));
		n++;
	}
}

/*
 * Two branches of one input: each gets every line, in order, and the one
 * ahead waits, once it is far enough ahead, for the other; a closed branch
 * holds nobody back.
 */
static void
test_reader_branches (void)
{
	g_autofree gchar *path = NULL;
	g_autoptr (GString) text = g_string_new (NULL);
	g_autoptr (GPtrArray) fast = g_ptr_array_new_with_free_func (g_free);
	g_autoptr (GPtrArray) slow = g_ptr_array_new_with_free_func (g_free);
	g_autoptr (GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
	g_autoptr (QmpshReader) input = NULL;
	g_autoptr (QmpshReader) a = NULL;
	g_autoptr (QmpshReader) b = NULL;
	g_autoptr (QmpshReader) c = NULL;
	const guint total = 20000; /* some 300 KiB: several reads of the file */
	gint fd = g_file_open_tmp ("qmpsh-reader-XXXXXX", &path, NULL);

	g_assert_cmpint (fd, >=, 0);
	for (guint i = 0; i < total; i++)
		g_string_append_printf (text, "query-name # line %u\n", i);
	/* written whole, then read from the start: a file is always readable */
	g_assert_cmpint (write (fd, text->str, text->len), ==, (gssize)text->len);
	g_assert_cmpint (lseek (fd, 0, SEEK_SET), ==, 0);
	input = qmpsh_reader_new (fd);
	a = qmpsh_reader_new_branch (input);
	b = qmpsh_reader_new_branch (input);
	c = qmpsh_reader_new_branch (input);
	/* c takes one line and leaves */
	qmpsh_reader_set_wanted (c, TRUE);
	while (take_lines (c, gone) == 0)
		g_main_context_iteration (NULL, TRUE);
	qmpsh_reader_close (c);
	/* a alone wants lines: it gets some, and then no more while b takes none */
	qmpsh_reader_set_wanted (a, TRUE);
	for (;;) {
		take_lines (a, fast);
		g_assert_cmpuint (fast->len, <, total);
		/* nothing more to read: the input is left unread for b */
		if (!g_main_context_pending (NULL))
			break;
		g_main_context_iteration (NULL, TRUE);
	}
	g_test_message ("a waits for b after %u lines of %u", fast->len, total);
	g_assert_cmpuint (fast->len, >=, 1024);
	g_assert_cmpuint (fast->len, <, total);
	/* b takes what a has had, and more: then both go on to the end */
	qmpsh_reader_set_wanted (b, TRUE);
	while (fast->len < total || slow->len < total) {
		take_lines (a, fast);
		take_lines (b, slow);
		if (fast->len < total || slow->len < total)
			g_main_context_iteration (NULL, TRUE);
	}
	for (guint i = 0; i < total; i++) {
		g_autofree gchar *want = g_strdup_printf ("query-name # line %u", i);
		g_assert_cmpstr (g_ptr_array_index (fast, i), ==, want);
		g_assert_cmpstr (g_ptr_array_index (slow, i), ==, want);
	}
	g_assert_cmpuint (gone->len, >=, 1);
	g_assert_cmpstr (g_ptr_array_index (gone, 0), ==, "query-name # line 0");
	close (fd);
	g_unlink (path);
}

/*
 * 1,000 levels, each an object whose members come unsorted and hold
 * brackets in strings: sorted and compacted, every level comes out whole
 * and in order, as the spans of the text step over the levels below.
 */
static void
test_format_deep (void)
{
	g_autoptr (GString) text = g_string_new (NULL);
	g_autoptr (GString) want = g_string_new (NULL);
	g_autoptr (GString) out = g_string_new (NULL);

	for (guint i = 0; i < 1000; i++) {
		g_string_append (text, "{\"z\": \"]}[{\\\"\", \"a\": [");
		g_string_append (want, "{\"a\":[");
	}
	g_string_append (text, "0");
	g_string_append (want, "0");
	for (guint i = 0; i < 1000; i++) {
		g_string_append (text, "]}");
		g_string_append (want, "],\"z\":\"]}[{\\\"\"}");
	}
	qmpsh_format_json (out, text->str, text->len, QMPSH_FORMAT_SORT_KEYS);
	g_assert_cmpstr (out->str, ==, want->str);
}

/* a message is compact when no blank stands between its tokens: batch prints it as it came */
static void
test_message_compact (void)
{
	const struct {
		const gchar *text;
		gboolean compact;
	} cases[] = {
		{ "{\"a\":1}", TRUE },
		{ "  {\"event\":\"STOP\",\"data\":{\"a\":[1,2]}}\r\n", TRUE },
		{ "{\"a\":\"blanks { in } a string\"}", TRUE },
		{ "{\"a\": 1}", FALSE },
		{ "{\"a\":[1, 2]}", FALSE },
		{ "{\n  \"a\":1\n}", FALSE },
		{ "{\"a\":1 }", FALSE },
	};

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autoptr (GError) error = NULL;
		g_autoptr (QmpMessage) msg = qmp_message_new_from_data (cases[i].text, -1, &error);

		g_assert_no_error (error);
		if (qmp_message_is_compact (msg) != cases[i].compact)
			g_error ("'%s' is%s compact", cases[i].text,
				 cases[i].compact ? " not" : "");
	}
}

static void
test_message_kinds (void)
{
	struct {
		const gchar *text;
		QmpMessageKind kind;
	} cases[] = {
		{ "{\"QMP\": {\"version\": {}, \"capabilities\": []}}", QMP_MESSAGE_KIND_GREETING },
		{ "{\"return\": 1}", QMP_MESSAGE_KIND_RETURN },
		{ "{\"error\": {\"class\": \"GenericError\", \"desc\": \"x\"}}",
		  QMP_MESSAGE_KIND_ERROR },
		{ "{\"event\": \"STOP\"}", QMP_MESSAGE_KIND_EVENT },
		{ "{\"execute\": \"stop\"}", QMP_MESSAGE_KIND_COMMAND },
		{ "{\"whatever\": 1}", QMP_MESSAGE_KIND_UNKNOWN },
	};
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autoptr (GError) error = NULL;
		g_autoptr (QmpMessage) msg = qmp_message_new_from_data (cases[i].text, -1, &error);
		g_assert_no_error (error);
		g_assert_cmpint (qmp_message_get_kind (msg), ==, cases[i].kind);
	}
}

static void
test_message_with_id (void)
{
	g_autoptr (QmpMessage) a = qmp_message_new_from_data (
		"{\"execute\": \"x\", \"arguments\": {\"n\": 18446744073709551615}}", -1, NULL);
	g_autoptr (QmpMessage) b = qmp_message_with_id (a, "5");
	g_autoptr (QmpMessage) c = qmp_message_new_from_data ("{}", -1, NULL);
	g_autoptr (QmpMessage) d = qmp_message_with_id (c, "\"s\"");
	g_autofree gchar *key = qmp_message_dup_id_key (b);

	g_assert_cmpstr (
		qmp_message_get_text (b), ==,
		"{\"id\":5,\"execute\": \"x\", \"arguments\": {\"n\": 18446744073709551615}}");
	g_assert_cmpstr (key, ==, "5");
	g_assert_cmpstr (qmp_message_get_text (d), ==, "{\"id\":\"s\"}");
}

static void
test_malformed (void)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (QmpMessage) msg = qmp_message_new_from_data ("{\"a\": }", -1, &error);
	g_assert_null (msg);
	g_assert_error (error, QMP_ERROR, QMP_ERROR_PROTOCOL);
	g_assert_true (g_str_has_prefix (error->message, "malformed JSON"));
}

static void
test_json_check (void)
{
	const gchar *good[] = { "{}",
				"[]",
				"0",
				"-0.5e+3",
				"\"a\\u00e9\\n\"",
				"true",
				"{\"a\": [1, {\"b\": null}], \"c\": false}",
				" {\"x\" : 1 } " };
	const gchar *bad[] = { "{",   "{\"a\"}", "{\"a\":}",  "[1,]",  "01",	 "1.",	      ".5",
			       "tru", "\"\\q\"", "\"\\u12\"", "{} {}", "{a: 1}", "\"a\x01\"", "-" };

	for (guint i = 0; i < G_N_ELEMENTS (good); i++) {
		g_autoptr (GError) error = NULL;
		if (!qmp_json_check (good[i], strlen (good[i]), NULL, &error))
			g_error ("'%s' refused: %s", good[i], error->message);
	}
	for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
		g_autoptr (GError) error = NULL;
		if (qmp_json_check (bad[i], strlen (bad[i]), NULL, &error))
			g_error ("'%s' accepted", bad[i]);
		g_assert_error (error, QMP_ERROR, QMP_ERROR_PROTOCOL);
		g_assert_true (g_str_has_prefix (error->message, "malformed JSON: "));
	}
}

/* what is not Unicode in a server's strings arrives as U+FFFD, the rest as it came */
static void
test_repair_unicode (void)
{
	const gchar *cases[][2] = {
		{ "{\"a\": \"ok \xc3\xa9 \\u00e9 \\ud83d\\ude00\"}",
		  "{\"a\": \"ok \xc3\xa9 \\u00e9 \\ud83d\\ude00\"}" },
		{ "{\"a\": \"x\xffy\xc3\"}", "{\"a\":\"x\\ufffdy\\ufffd\"}" },
		{ "{\"a\": \"\\ud800 \\udc00\"}", "{\"a\":\"\\ufffd \\ufffd\"}" },
		{ "{\"\xed\xa0\x80\": 1}", "{\"\\ufffd\\ufffd\\ufffd\":1}" },
		{ "{\"a\": \"\xf4\x90\x80\x80 \xc0\xaf\"}",
		  "{\"a\":\"\\ufffd\\ufffd\\ufffd\\ufffd \\ufffd\\ufffd\"}" },
	};

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autoptr (GError) error = NULL;
		g_autoptr (QmpMessage) msg = qmp_message_new_from_data (cases[i][0], -1, &error);
		g_autoptr (GString) compact = g_string_new (NULL);
		g_assert_no_error (error);
		/* json-glib reads it, without a warning */
		g_assert_nonnull (qmp_message_get_object (msg));
		g_assert_cmpuint (json_object_get_size (qmp_message_get_object (msg)), ==, 1);
		qmpsh_format_json (compact, qmp_message_get_text (msg),
				   qmp_message_get_length (msg), QMPSH_FORMAT_NONE);
		if (i == 0)
			g_assert_cmpstr (qmp_message_get_text (msg), ==, cases[i][1]);
		else
			g_assert_cmpstr (compact->str, ==, cases[i][1]);
	}
}

static void
test_id_keys (void)
{
	g_autoptr (QmpMessage) a =
		qmp_message_new_from_data ("{\"return\": {}, \"id\": {\"k\": [1, 2]}}", -1, NULL);
	g_autoptr (QmpMessage) b =
		qmp_message_new_from_data ("{\"id\":{\"k\":[1,2]},\"execute\":\"x\"}", -1, NULL);
	g_autoptr (QmpMessage) c =
		qmp_message_new_from_data ("{\"return\": 1, \"id\": \"\\u00e9\"}", -1, NULL);
	g_autoptr (QmpMessage) d =
		qmp_message_new_from_data ("{\"execute\": \"x\", \"id\": \"\xc3\xa9\"}", -1, NULL);
	g_autofree gchar *ka = qmp_message_dup_id_key (a);
	g_autofree gchar *kb = qmp_message_dup_id_key (b);
	g_autofree gchar *kc = qmp_message_dup_id_key (c);
	g_autofree gchar *kd = qmp_message_dup_id_key (d);

	/* however the server spaces or escapes an id, it matches the one sent */
	g_assert_cmpstr (ka, ==, kb);
	g_assert_cmpstr (kc, ==, kd);
	g_assert_cmpstr (qmp_message_get_command_name (b), ==, "x");
}

/* the text around a scanned message's id is what the formatter gives without it */
static void
assert_id_cut (QmpMessage *message)
{
	const gchar *text = qmp_message_get_text (message);
	gsize len = qmp_message_get_length (message);
	g_autoptr (GString) formatted = g_string_new (NULL);
	g_autoptr (GString) cut = g_string_new (NULL);
	gsize start = 0, end = 0;

	g_assert_true (qmp_message_get_id_cut (message, &start, &end));
	g_string_append_len (cut, text, start);
	g_string_append_len (cut, text + end, len - end);
	qmpsh_format_json (formatted, text, len, QMPSH_FORMAT_DROP_ID);
	g_assert_cmpstr (cut->str, ==, formatted->str);
}

/*
 * The reader's path: taken with the one-pass scan, cut at every offset, the
 * stream gives what the general path gives, compacted; what the scan
 * declines (invalid UTF-8, nine members) comes as it came.
 */
static void
test_scan_every_offset (void)
{
	const gchar *stream =
		"{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"STOP\"}\r\n"
		"{\n  \"return\": [\"\\u00e9\\ud83d\\ude00 } ]\", -1.5e+3, true, null],\n  \"id\": "
		"7\n}\n"
		"{\"event\": \"X\", \"data\": {\"s\": \"\xff\"}}\r\n"
		"{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9}";
	const gchar *const expected[] = {
		"{\"timestamp\":{\"seconds\":1,\"microseconds\":2},\"event\":\"STOP\"}",
		"{\"return\":[\"\\u00e9\\ud83d\\ude00 } ]\",-1.5e+3,true,null],\"id\":7}",
		"{\"event\": \"X\", \"data\": {\"s\": \"\xff\"}}",
		"{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9}",
	};
	const gboolean want_scanned[] = { TRUE, TRUE, FALSE, FALSE };
	gsize len = strlen (stream);

	for (gsize cut = 0; cut <= len; cut++) {
		g_autoptr (QmpFramer) framer = qmp_framer_new (0);
		guint n = 0;

		for (guint piece = 0; piece < 2; piece++) {
			qmp_framer_push (framer, stream + (piece == 0 ? 0 : cut),
					 piece == 0 ? cut : len - cut);
			for (;;) {
				g_autoptr (GError) error = NULL;
				QmpScan scan = { 0 };
				gboolean scanned = FALSE;
				gsize n_len = 0;
				g_autofree gchar *text =
					qmp_framer_take (framer, &n_len, &scan, &scanned, &error);
				g_autoptr (QmpMessage) message = NULL;

				g_assert_no_error (error);
				if (text == NULL && !scanned)
					break;
				g_assert_cmpuint (n, <, G_N_ELEMENTS (expected));
				if (scanned) {
					g_assert_null (text);
					g_assert_cmpmem (scan.text, scan.len, expected[n],
							 strlen (expected[n]));
					message = qmp_message_new_scanned (&scan);
					g_assert_true (qmp_message_is_compact (message));
				} else {
					/* declined, or cut by the read: as it came, checked after
					 */
					if (!want_scanned[n])
						g_assert_cmpmem (text, n_len, expected[n],
								 strlen (expected[n]));
					message = qmp_message_new_take (g_steal_pointer (&text),
									n_len, &error);
					g_assert_no_error (error);
				}
				if (n == 0) {
					g_assert_cmpint (qmp_message_get_kind (message), ==,
							 QMP_MESSAGE_KIND_EVENT);
					g_assert_cmpstr (qmp_message_get_event_name (message), ==,
							 "STOP");
				} else if (n == 1) {
					g_autofree gchar *id = qmp_message_dup_id_key (message);
					g_assert_cmpstr (id, ==, "7");
					if (scanned)
						assert_id_cut (message);
				}
				/* whole in one read, a clean message is always scanned */
				if (cut == 0 || cut == len)
					g_assert_true (scanned == want_scanned[n]);
				n++;
			}
		}
		g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));
		g_assert_true (qmp_framer_is_idle (framer));
	}
}

/* a scanned reply's id leaves with its comma, wherever it stands; two ids: not cut */
static void
test_scan_id_cut (void)
{
	const gchar *const cases[][2] = {
		{ "{\"return\": {}, \"id\": 1}", "{\"return\":{}}" },
		{ "{\"id\": \"a\", \"return\": 2}", "{\"return\":2}" },
		{ "{\"a\": 1, \"id\": [1, {\"id\": 2}], \"b\": 3}", "{\"a\":1,\"b\":3}" },
		{ "{\"id\": null}", "{}" },
	};

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autoptr (QmpFramer) framer = qmp_framer_new (0);
		g_autoptr (QmpMessage) message = NULL;
		g_autoptr (GError) error = NULL;
		QmpScan scan = { 0 };
		gboolean scanned = FALSE;
		gsize start = 0, end = 0;
		g_autoptr (GString) cut = g_string_new (NULL);

		qmp_framer_push (framer, cases[i][0], strlen (cases[i][0]));
		g_assert_null (qmp_framer_take (framer, NULL, &scan, &scanned, &error));
		g_assert_no_error (error);
		g_assert_true (scanned);
		message = qmp_message_new_scanned (&scan);
		g_assert_true (qmp_message_get_id_cut (message, &start, &end));
		g_string_append_len (cut, qmp_message_get_text (message), start);
		g_string_append (cut, qmp_message_get_text (message) + end);
		g_assert_cmpstr (cut->str, ==, cases[i][1]);
		assert_id_cut (message);
	}
	{
		g_autoptr (QmpFramer) framer = qmp_framer_new (0);
		g_autoptr (QmpMessage) message = NULL;
		QmpScan scan = { 0 };
		gboolean scanned = FALSE;
		gsize start = 0, end = 0;
		const gchar *twice = "{\"id\": 1, \"return\": {}, \"id\": 2}";

		qmp_framer_push (framer, twice, strlen (twice));
		g_assert_null (qmp_framer_take (framer, NULL, &scan, &scanned, NULL));
		g_assert_true (scanned);
		message = qmp_message_new_scanned (&scan);
		g_assert_false (qmp_message_get_id_cut (message, &start, &end));
	}
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/framer/split-every-offset", test_split_every_offset);
	g_test_add_func ("/framer/byte-by-byte-and-concatenated",
			 test_byte_by_byte_and_concatenated);
	g_test_add_func ("/framer/pretty", test_pretty);
	g_test_add_func ("/framer/large-message", test_large_message);
	g_test_add_func ("/framer/over-cap", test_over_cap);
	g_test_add_func ("/framer/not-an-object", test_not_an_object);
	g_test_add_func ("/framer/delimiter", test_delimiter);
	g_test_add_func ("/framer/scan-every-offset", test_scan_every_offset);
	g_test_add_func ("/framer/scan-id-cut", test_scan_id_cut);
	g_test_add_func ("/message/uint64-exact", test_uint64_exact);
	g_test_add_func ("/message/kinds", test_message_kinds);
	g_test_add_func ("/message/compact", test_message_compact);
	g_test_add_func ("/message/with-id", test_message_with_id);
	g_test_add_func ("/message/malformed", test_malformed);
	g_test_add_func ("/message/json-check", test_json_check);
	g_test_add_func ("/message/id-keys", test_id_keys);
	g_test_add_func ("/message/repair-unicode", test_repair_unicode);
	g_test_add_func ("/format/drop-id", test_format_drop_id);
	g_test_add_func ("/format/pretty-sorted", test_format_pretty_sorted);
	g_test_add_func ("/format/deep", test_format_deep);
	g_test_add_func ("/format/tagged", test_format_tagged);
	g_test_add_func ("/reader/branches", test_reader_branches);
	return g_test_run ();
}
