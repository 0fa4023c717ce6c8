/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * The reader's one pass (qmp_scan_object, and the framer taking messages
 * with it) against the general path it stands in for: the framer without
 * it, qmp_json_check_facts(), qmp_json_compact(), qmp_json_foreach_member().
 *
 * Input: any bytes, taken as a stream from the peer.
 *
 * Properties, each fatal:
 *   - when the scan takes the input's head, the head is one JSON object that
 *     qmp_json_check() finds valid, valid Unicode; the scan's text is
 *     qmp_json_compact()'s; its members are the ones qmp_json_foreach_member()
 *     walks, each compacted; a head cut one byte short is not taken; the
 *     message made of it, left out its id (qmp_message_get_id_cut()), is what
 *     qmpsh_format_json() gives with QMPSH_FORMAT_DROP_ID;
 *   - an input that is one valid object, valid Unicode, with at most
 *     QMP_SCAN_MAX_MEMBERS members, starting with `{` and followed by blanks
 *     only, is taken;
 *   - the framer fed the input with the scan gives, message by message, what
 *     it gives without: the same text where it did not scan, its compact form
 *     where it did (and then a message the checker finds valid Unicode), and
 *     the same error at the end, if any.
 */

#include "fuzz-common.h"
#include "qmp-framer.h"
#include "qmp-json.h"
#include "qmp-message.h"
#include "qmp-scan.h"
#include "qmpsh-format.h"

#include <string.h>

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
	fuzz_init ();
	return 0;
}

/* the member the scan saw is @m, compacted */
static void
check_member (const QmpScan *scan, guint i, const QmpJsonMember *m)
{
	const QmpScanMember *sm = &scan->members[i];
	g_autofree gchar *key = qmp_json_compact (m->key, m->key_len);
	g_autofree gchar *value = qmp_json_compact (m->value, m->value_len);

	FUZZ_CHECK (
		fuzz_equal (scan->text + sm->key, sm->key_len, key, strlen (key)) &&
			fuzz_equal (scan->text + sm->value, sm->value_len, value, strlen (value)),
		"member %u is not \"%s\": \"%s\"", i, key,
		fuzz_escape (scan->text + sm->value, MIN (sm->value_len, 200)));
}

/* the scanned message's text around its id is the formatter's, without the id */
static void
check_id_cut (const QmpScan *scan)
{
	g_autoptr (QmpMessage) message = qmp_message_new_scanned (scan);
	g_autoptr (GString) formatted = g_string_new (NULL);
	gsize start = 0, end = 0;

	if (!qmp_message_get_id_cut (message, &start, &end))
		return;
	qmpsh_format_json (formatted, scan->text, scan->len, QMPSH_FORMAT_DROP_ID);
	FUZZ_CHECK (
		start <= end && end <= scan->len && formatted->len == start + (scan->len - end) &&
			memcmp (formatted->str, scan->text, start) == 0 &&
			memcmp (formatted->str + start, scan->text + end, scan->len - end) == 0,
		"without its id, \"%s\" is \"%s\"", fuzz_escape (scan->text, MIN (scan->len, 200)),
		fuzz_escape (formatted->str, MIN (formatted->len, 200)));
}

/* the scan of @text's head, when it takes it, is what the general path says */
static void
check_scan (const gchar *text, gsize size)
{
	g_autofree gchar *out = g_malloc (size + 1);
	QmpScan scan = { 0 };
	QmpJsonFacts facts = { 0 };
	g_autoptr (GArray) members = g_array_new (FALSE, FALSE, sizeof (QmpJsonMember));
	gboolean whole;
	gsize end = size;

	while (end > 0 && strchr (" \t\r\n", text[end - 1]) != NULL)
		end--;
	whole = size > 0 && text[0] == '{' && memchr (text, '\0', size) == NULL &&
		qmp_json_check_facts (text, size, fuzz_collect_member, members, &facts, NULL) &&
		!facts.bad_unicode && members->len <= QMP_SCAN_MAX_MEMBERS;
	if (!qmp_scan_object (text, size, out, &scan)) {
		FUZZ_CHECK (!whole, "one clean object with %u members, not taken", members->len);
		return;
	}
	{
		g_autofree gchar *compact = qmp_json_compact (text, scan.consumed);
		g_autoptr (GArray) walked = g_array_new (FALSE, FALSE, sizeof (QmpJsonMember));
		gboolean bad_unicode = TRUE;
		QmpScan shorter = { 0 };

		FUZZ_CHECK (scan.consumed <= size && scan.text == out, "a scan outside its input");
		FUZZ_CHECK (qmp_json_check (text, scan.consumed, &bad_unicode, NULL) &&
				    !bad_unicode,
			    "the scan took \"%s\", which is not valid, or not valid Unicode",
			    fuzz_escape (text, MIN (scan.consumed, 200)));
		FUZZ_CHECK (fuzz_equal (scan.text, scan.len, compact, strlen (compact)),
			    "the scan's text \"%s\" is not the compact form \"%s\"",
			    fuzz_escape (scan.text, MIN (scan.len, 200)),
			    fuzz_escape (compact, MIN (strlen (compact), 200)));
		FUZZ_CHECK (!whole || scan.consumed == end, "took %zu bytes of a whole %zu",
			    scan.consumed, end);
		qmp_json_foreach_member (text, scan.consumed, fuzz_collect_member, walked);
		FUZZ_CHECK (walked->len == scan.n_members, "%u members scanned, %u walked",
			    scan.n_members, walked->len);
		for (guint i = 0; i < walked->len; i++)
			check_member (&scan, i, &g_array_index (walked, QmpJsonMember, i));
		check_id_cut (&scan);
		/* last: it writes over the text of the first scan */
		FUZZ_CHECK (!qmp_scan_object (text, scan.consumed - 1, out, &shorter),
			    "the scan took a head cut short");
	}
}

/* the framer, with the scan and without, fed @text whole */
static void
check_framer (const gchar *text, gsize size)
{
	g_autoptr (QmpFramer) plain = qmp_framer_new (4096);
	g_autoptr (QmpFramer) scanning = qmp_framer_new (4096);

	qmp_framer_push (plain, text, size);
	qmp_framer_push (scanning, text, size);
	for (;;) {
		g_autoptr (GError) plain_error = NULL;
		g_autoptr (GError) scan_error = NULL;
		QmpScan scan = { 0 };
		gboolean scanned = FALSE;
		gsize plain_len = 0, len = 0;
		g_autofree gchar *expected = qmp_framer_next (plain, &plain_len, &plain_error);
		g_autofree gchar *got =
			qmp_framer_take (scanning, &len, &scan, &scanned, &scan_error);

		if (expected == NULL) {
			FUZZ_CHECK (got == NULL && !scanned,
				    "a message with the scan, none without");
			FUZZ_CHECK ((plain_error == NULL) == (scan_error == NULL) &&
					    (plain_error == NULL ||
					     g_strcmp0 (plain_error->message,
							scan_error->message) == 0),
				    "the framer ends otherwise with the scan");
			return;
		}
		if (scanned) {
			g_autofree gchar *compact = qmp_json_compact (expected, plain_len);
			gboolean bad_unicode = TRUE;

			FUZZ_CHECK (got == NULL && len == scan.len, "a scanned message returned");
			FUZZ_CHECK (fuzz_equal (scan.text, scan.len, compact, strlen (compact)),
				    "scanned \"%s\", framed \"%s\"",
				    fuzz_escape (scan.text, MIN (scan.len, 200)),
				    fuzz_escape (expected, MIN (plain_len, 200)));
			FUZZ_CHECK (
				memchr (expected, '\0', plain_len) == NULL &&
					qmp_json_check (expected, plain_len, &bad_unicode, NULL) &&
					!bad_unicode,
				"scanned a message the checker refuses");
		} else {
			FUZZ_CHECK (got != NULL && fuzz_equal (got, len, expected, plain_len),
				    "the framer with the scan gave another message");
		}
	}
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	check_scan ((const gchar *)data, size);
	check_framer ((const gchar *)data, size);
	return 0;
}
