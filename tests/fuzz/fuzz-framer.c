/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * The framer (qmp_framer_*) against a model of what it must do, and against
 * itself fed the same bytes in other pieces.
 *
 * Input: 4 header bytes, then the stream.
 *   byte 0: bit 0 skips 0xFF delimiters (guest agent); bits 1-3 pick the size
 *     cap; bits 4-5 the separator used when re-framing the output; bits 6-7
 *     how often the chunked run drains (after every push, every 2nd, every
 *     4th, only at the end)
 *   byte 1: bits 0-1 the chunking: random cut points, one byte at a time, two
 *     halves, random chunk sizes (some empty)
 *   bytes 2-3: the seed of the cut points
 *
 * Properties, each fatal:
 *   - fed whole, the framer returns exactly the messages the model cuts, in
 *     order, each the very bytes of the input, NUL-terminated, with the right
 *     length; it ends as the model says: waiting, or failing on a byte that
 *     cannot start an object, on nesting deeper than 1024, or on a message
 *     longer than the cap (never a message longer than the cap, never a
 *     failure on a message within it); the error is sticky;
 *   - when waiting, the bytes pending are those of the unfinished message,
 *     and it is idle exactly when none are;
 *   - fed in any pieces, it returns the same messages and ends the same way;
 *   - the messages, concatenated (with a separator that may come between
 *     messages), are framed again into the same messages, with nothing left.
 */

#include "fuzz-common.h"
#include "qmp-error.h"
#include "qmp-framer.h"

#include <string.h>

#define MAX_DEPTH 1024 /* as the framer: QEMU's own limit */

typedef enum {
	END_WAITING,
	END_GARBAGE,
	END_DEPTH,
	END_SIZE,
} End;

static const gchar *const end_names[] = { "waiting", "garbage", "depth", "size" };

typedef struct {
	GPtrArray *messages; /* GBytes */
	GArray *no_len;	     /* gboolean: taken without asking the length, so up to a NUL */
	End end;
	gsize pending;
	gboolean idle;
	gchar *error;
} Result;

static void
result_clear (Result *r)
{
	g_clear_pointer (&r->messages, g_ptr_array_unref);
	g_clear_pointer (&r->no_len, g_array_unref);
	g_clear_pointer (&r->error, g_free);
}

static void
result_init (Result *r)
{
	memset (r, 0, sizeof (*r));
	r->messages = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
	r->no_len = g_array_new (FALSE, FALSE, sizeof (gboolean));
}

static gboolean
is_between (guchar c, gboolean skip_delimiter)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || (c == 0xff && skip_delimiter);
}

/*
 * The model: the framing rules of QMP-NOTES.md ("frame by JSON structure") and
 * of qmp-framer.h, written as plainly as possible over the whole input.
 */
static void
model_frame (const guchar *d, gsize n, gsize max_size, gboolean skip, Result *r)
{
	gsize i = 0;

	result_init (r);
	for (;;) {
		gsize start, limit;
		guint depth = 0;
		gboolean in_string = FALSE, escape = FALSE, closed = FALSE;

		while (i < n && is_between (d[i], skip))
			i++;
		if (i == n) {
			r->end = END_WAITING;
			return;
		}
		if (d[i] != '{') {
			r->end = END_GARBAGE;
			return;
		}
		start = i;
		limit = n - start > max_size ? start + max_size : n;
		for (; i < limit && !closed; i++) {
			guchar c = d[i];
			if (in_string) {
				if (escape)
					escape = FALSE;
				else if (c == '\\')
					escape = TRUE;
				else if (c == '"')
					in_string = FALSE;
				continue;
			}
			if (c == '"') {
				in_string = TRUE;
			} else if (c == '{' || c == '[') {
				if (++depth > MAX_DEPTH) {
					r->end = END_DEPTH;
					return;
				}
			} else if (c == '}' || c == ']') {
				closed = --depth == 0;
			}
		}
		if (closed) {
			g_ptr_array_add (r->messages, g_bytes_new (d + start, i - start));
			g_array_append_val (r->no_len, (gboolean){ FALSE });
			continue;
		}
		if (i - start >= max_size) {
			r->end = END_SIZE;
			return;
		}
		r->end = END_WAITING;
		r->pending = n - start;
		return;
	}
}

/* takes every message the framer has; FALSE once it failed */
static gboolean
drain (QmpFramer *framer, Result *r, gboolean want_len)
{
	for (;;) {
		g_autoptr (GError) error = NULL;
		gsize len = G_MAXSIZE;
		gchar *msg = qmp_framer_next (framer, want_len ? &len : NULL, &error);

		if (msg == NULL) {
			if (error == NULL)
				return TRUE;
			FUZZ_CHECK (g_error_matches (error, QMP_ERROR, QMP_ERROR_PROTOCOL) ||
					    g_error_matches (error, QMP_ERROR,
							     QMP_ERROR_MESSAGE_TOO_LARGE),
				    "framer error in domain %s code %d: %s",
				    g_quark_to_string (error->domain), error->code, error->message);
			r->error = g_strdup (error->message);
			return FALSE;
		}
		FUZZ_CHECK (error == NULL, "a message and an error: %s", error->message);
		if (want_len) {
			FUZZ_CHECK (len != G_MAXSIZE, "qmp_framer_next did not set len");
			FUZZ_CHECK (msg[len] == '\0',
				    "message of %" G_GSIZE_FORMAT " bytes is not NUL-terminated",
				    len);
			g_ptr_array_add (r->messages, g_bytes_new_take (msg, len));
		} else {
			/* no length asked for: the text up to a NUL is what can be compared */
			g_ptr_array_add (r->messages, g_bytes_new_take (msg, strlen (msg)));
		}
		g_array_append_val (r->no_len, (gboolean){ !want_len });
	}
}

static End
classify (const gchar *error)
{
	if (error == NULL)
		return END_WAITING;
	if (strstr (error, "expected a JSON object") != NULL)
		return END_GARBAGE;
	if (strstr (error, "nests deeper than") != NULL)
		return END_DEPTH;
	if (strstr (error, "larger than") != NULL)
		return END_SIZE;
	fuzz_fail (__FILE__, __LINE__, "classify", "unexpected framer error: %s", error);
}

static void
finish (QmpFramer *framer, Result *r)
{
	r->end = classify (r->error);
	if (r->error != NULL) {
		/* sticky: a broken stream stays broken, even with more bytes */
		g_autoptr (GError) again = NULL;
		gchar *msg;
		qmp_framer_push (framer, "{}", 2);
		msg = qmp_framer_next (framer, NULL, &again);
		FUZZ_CHECK (msg == NULL && again != NULL &&
				    g_strcmp0 (again->message, r->error) == 0,
			    "the framer's error is not sticky: first '%s', then '%s'", r->error,
			    again != NULL ? again->message : "(none)");
		return;
	}
	r->pending = qmp_framer_get_pending (framer);
	r->idle = qmp_framer_is_idle (framer);
}

static void
frame_whole (const gchar *d, gsize n, gsize max_size, gboolean skip, Result *r)
{
	g_autoptr (QmpFramer) framer = qmp_framer_new (max_size);

	result_init (r);
	qmp_framer_set_skip_delimiter (framer, skip);
	qmp_framer_push (framer, d, n);
	drain (framer, r, TRUE);
	finish (framer, r);
}

static void
frame_chunked (const gchar *d, gsize n, gsize max_size, gboolean skip, guint mode, guint32 seed,
	       guint drain_every, Result *r)
{
	g_autoptr (QmpFramer) framer = qmp_framer_new (max_size);
	g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
	g_autoptr (GArray) cuts = g_array_new (FALSE, FALSE, sizeof (gsize));
	gsize off = 0;
	guint pushes = 0;
	gboolean failed = FALSE;

	result_init (r);
	qmp_framer_set_skip_delimiter (framer, skip);
	/* the end of each piece */
	switch (mode) {
	case 0: {
		guint k = n > 0 ? g_rand_int_range (rand, 1, 17) : 0;
		for (guint i = 0; i < k; i++) {
			gsize cut = g_rand_int_range (rand, 0, (gint32)MIN (n, G_MAXINT32 - 1) + 1);
			g_array_append_val (cuts, cut);
		}
		break;
	}
	case 1:
		for (gsize i = 1; i <= n; i++)
			g_array_append_val (cuts, i);
		break;
	case 2: {
		gsize cut = n > 0 ? (gsize)g_rand_int_range (rand, 0, (gint32)n + 1) : 0;
		g_array_append_val (cuts, cut);
		break;
	}
	default:
		for (gsize at = 0; at < n;) {
			gsize step = g_rand_int_range (rand, 0, 64); /* not inside MIN () */
			at = MIN (n, at + step);
			g_array_append_val (cuts, at);
		}
		break;
	}
	if (mode == 0) {
		/* sorted by hand: the cut points are few */
		for (guint i = 1; i < cuts->len; i++) {
			for (guint j = i; j > 0 && g_array_index (cuts, gsize, j - 1) >
							   g_array_index (cuts, gsize, j);
			     j--) {
				gsize t = g_array_index (cuts, gsize, j);
				g_array_index (cuts, gsize, j) = g_array_index (cuts, gsize, j - 1);
				g_array_index (cuts, gsize, j - 1) = t;
			}
		}
	}
	{
		gsize end = n;
		g_array_append_val (cuts, end);
	}
	for (guint i = 0; i < cuts->len && !failed; i++) {
		gsize cut = g_array_index (cuts, gsize, i);
		qmp_framer_push (framer, d + off, cut - off);
		off = cut;
		if (++pushes % drain_every == 0 || i + 1 == cuts->len)
			failed = !drain (framer, r, pushes % 2 == 0);
	}
	finish (framer, r);
}

static void
compare (const Result *want, const Result *got, const gchar *what, const gchar *input, gsize n)
{
	g_autofree gchar *shown = fuzz_escape (input, MIN (n, 400));

	for (guint i = 0; i < MIN (want->messages->len, got->messages->len); i++) {
		gsize wl, gl;
		const gchar *w = g_bytes_get_data (want->messages->pdata[i], &wl);
		const gchar *g = g_bytes_get_data (got->messages->pdata[i], &gl);
		if (g_array_index (got->no_len, gboolean, i))
			wl = strnlen (w, wl);
		FUZZ_CHECK (fuzz_equal (w, wl, g, gl),
			    "%s: message %u differs:\n  want \"%s\"\n  got  \"%s\"\n  input \"%s\"",
			    what, i, fuzz_escape (w, MIN (wl, 200)), fuzz_escape (g, MIN (gl, 200)),
			    shown);
	}
	FUZZ_CHECK (want->messages->len == got->messages->len,
		    "%s: %u messages, want %u; input \"%s\"", what, got->messages->len,
		    want->messages->len, shown);
	FUZZ_CHECK (want->end == got->end, "%s: ends %s (%s), want %s; input \"%s\"", what,
		    end_names[got->end], got->error != NULL ? got->error : "no error",
		    end_names[want->end], shown);
	if (want->end == END_WAITING) {
		FUZZ_CHECK (want->pending == got->pending,
			    "%s: %" G_GSIZE_FORMAT " bytes pending, want %" G_GSIZE_FORMAT
			    "; input \"%s\"",
			    what, got->pending, want->pending, shown);
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
	static const gsize caps[] = { 0, 1, 2, 3, 8, 32, 100, 4096 };
	static const gchar *const separators[] = { "", "\n", "\r\n \t", "\xff" };
	const gchar *stream = (const gchar *)data + 4;
	gsize n;
	gboolean skip;
	gsize max_size;
	const gchar *sep;
	guint drain_every;
	guint mode;
	guint32 seed;
	Result model, whole, chunked, again;
	g_autoptr (GString) joined = g_string_new (NULL);

	if (size < 4)
		return -1;
	n = size - 4;
	skip = data[0] & 1;
	max_size = caps[(data[0] >> 1) & 7];
	sep = separators[(data[0] >> 4) & 3];
	if (!skip && sep[0] == '\xff')
		sep = "";
	drain_every = 1u << ((data[0] >> 6) & 3);
	if (drain_every == 8)
		drain_every = G_MAXUINT;
	mode = data[1] & 3;
	seed = data[2] | (data[3] << 8);

	model_frame ((const guchar *)stream, n,
		     max_size > 0 ? max_size : QMP_FRAMER_DEFAULT_MAX_SIZE, skip, &model);

	frame_whole (stream, n, max_size, skip, &whole);
	compare (&model, &whole, "fed whole, against the model", stream, n);
	if (whole.end == END_WAITING) {
		FUZZ_CHECK (whole.idle == (whole.pending == 0),
			    "idle is %d with %" G_GSIZE_FORMAT " bytes pending", whole.idle,
			    whole.pending);
	}
	for (guint i = 0; i < whole.messages->len; i++) {
		gsize len;
		g_bytes_get_data (whole.messages->pdata[i], &len);
		FUZZ_CHECK (len <= (max_size > 0 ? max_size : QMP_FRAMER_DEFAULT_MAX_SIZE),
			    "a message of %" G_GSIZE_FORMAT
			    " bytes passed a cap of %" G_GSIZE_FORMAT,
			    len, max_size);
	}

	frame_chunked (stream, n, max_size, skip, mode, seed, drain_every, &chunked);
	compare (&whole, &chunked, "fed in pieces, against fed whole", stream, n);

	/* what came out goes back in as one stream */
	for (guint i = 0; i < whole.messages->len; i++) {
		gsize len;
		const gchar *msg = g_bytes_get_data (whole.messages->pdata[i], &len);
		if (i > 0)
			g_string_append (joined, sep);
		g_string_append_len (joined, msg, len);
	}
	frame_whole (joined->str, joined->len, max_size, skip, &again);
	FUZZ_CHECK (again.end == END_WAITING && again.pending == 0 && again.idle,
		    "re-framing the output ends %s (%s) with %" G_GSIZE_FORMAT
		    " bytes pending, idle %d",
		    end_names[again.end], again.error != NULL ? again.error : "no error",
		    again.pending, again.idle);
	again.end = whole.end;
	again.pending = whole.pending;
	compare (&whole, &again, "re-framed output, against fed whole", stream, n);

	result_clear (&model);
	result_clear (&whole);
	result_clear (&chunked);
	result_clear (&again);
	return 0;
}
