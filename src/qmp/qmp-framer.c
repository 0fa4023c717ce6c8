/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmp-framer.h"
#include "qmp-error.h"
#include "qmp-scan.h"

#include <string.h>

/* QEMU's own parser refuses deeper nesting; json-glib recurses, so stop there too. */
#define QMP_FRAMER_MAX_DEPTH 1024

/* a message larger than this is never scanned in one pass: it takes the general path */
#define QMP_FRAMER_SCAN_MAX (256 * 1024)

struct _QmpFramer {
	GString *buf;
	gsize start; /* first byte of the message being scanned */
	gsize pos;   /* next byte to scan */
	gsize max_size;
	guint depth; /* 0: between messages */
	gboolean in_string;
	gboolean escape;
	gboolean skip_delimiter;
	gchar *scratch; /* the compact form of a message being scanned */
	gsize scratch_size;
	GError *error; /* sticky: a broken stream stays broken */
};

/**
 * qmp_framer_new:
 * @max_size: the largest message accepted, in bytes; 0 for the default
 *
 * Returns: (transfer full): a new framer
 */
QmpFramer *
qmp_framer_new (gsize max_size)
{
	QmpFramer *self = g_new0 (QmpFramer, 1);
	self->buf = g_string_sized_new (4096);
	self->max_size = max_size > 0 ? max_size : QMP_FRAMER_DEFAULT_MAX_SIZE;
	return self;
}

void
qmp_framer_free (QmpFramer *self)
{
	if (self == NULL)
		return;
	g_string_free (self->buf, TRUE);
	g_free (self->scratch);
	g_clear_error (&self->error);
	g_free (self);
}

/**
 * qmp_framer_set_skip_delimiter:
 * @self: a framer
 * @skip: whether to pass over 0xFF bytes between messages
 *
 * The guest agent answers `guest-sync-delimited` with a 0xFF byte before its
 * reply, so that a client can find the start of a message after garbage.
 */
void
qmp_framer_set_skip_delimiter (QmpFramer *self, gboolean skip)
{
	self->skip_delimiter = skip;
}

/**
 * qmp_framer_push:
 * @self: a framer
 * @data: bytes read from the peer
 * @len: their length
 *
 * Appends bytes; complete messages are then taken with qmp_framer_next().
 */
void
qmp_framer_push (QmpFramer *self, const gchar *data, gsize len)
{
	/* drop what was already handed out before growing the buffer */
	if (self->start > 0) {
		g_string_erase (self->buf, 0, self->start);
		self->pos -= self->start;
		self->start = 0;
	}
	g_string_append_len (self->buf, data, len);
}

static void qmp_framer_fail (QmpFramer *self, GError **error, QmpError code, const gchar *format,
			     ...) G_GNUC_PRINTF (4, 5);

static void
qmp_framer_fail (QmpFramer *self, GError **error, QmpError code, const gchar *format, ...)
{
	va_list args;
	va_start (args, format);
	self->error = g_error_new_valist (QMP_ERROR, code, format, args);
	va_end (args);
	g_propagate_error (error, g_error_copy (self->error));
}

static gboolean
qmp_framer_skip_between (QmpFramer *self, GError **error)
{
	const gchar *data = self->buf->str;
	gsize len = self->buf->len;

	while (self->pos < len) {
		guchar c = data[self->pos];
		if (c == '{') {
			self->start = self->pos;
			return TRUE;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
		    (c == 0xff && self->skip_delimiter)) {
			self->pos++;
			continue;
		}
		if (g_ascii_isprint (c))
			qmp_framer_fail (
				self, error, QMP_ERROR_PROTOCOL,
				"expected a JSON object from the peer, got '%c' at the start "
				"of a message",
				c);
		else
			qmp_framer_fail (
				self, error, QMP_ERROR_PROTOCOL,
				"expected a JSON object from the peer, got byte 0x%02x at the "
				"start of a message",
				c);
		return FALSE;
	}
	self->start = self->pos;
	return TRUE;
}

/* g_strndup() would stop at a NUL byte; the parser must see the whole message */
static gchar *
qmp_framer_copy (const gchar *data, gsize n)
{
	gchar *copy = g_malloc (n + 1);
	memcpy (copy, data, n);
	copy[n] = '\0';
	return copy;
}

/*
 * A message read whole, as QEMU sends them: framed, checked and made
 * compact in one pass. FALSE, with nothing taken, for anything else.
 */
static gboolean
qmp_framer_scan (QmpFramer *self, QmpScan *scan)
{
	gsize avail = MIN (self->buf->len - self->start, MIN (self->max_size, QMP_FRAMER_SCAN_MAX));

	if (avail > self->scratch_size) {
		self->scratch_size = MAX (avail, 4096);
		g_free (self->scratch);
		self->scratch = g_malloc (self->scratch_size);
	}
	if (!qmp_scan_object (self->buf->str + self->start, avail, self->scratch, scan))
		return FALSE;
	self->start += scan->consumed;
	self->pos = self->start;
	return TRUE;
}

/**
 * qmp_framer_next:
 * @self: a framer
 * @len: (out) (optional): the length of the message
 * @error: a #GError, or %NULL
 *
 * Takes the next complete message, if there is one, as it came.
 *
 * Returns: (transfer full) (nullable): the text of one JSON object, or %NULL
 *   with @error unset when more bytes are needed, or %NULL with a
 *   %QMP_ERROR_PROTOCOL error when the stream cannot hold a JSON object
 */
gchar *
qmp_framer_next (QmpFramer *self, gsize *len, GError **error)
{
	return qmp_framer_take (self, len, NULL, NULL, error);
}

/**
 * qmp_framer_take:
 * @self: a framer
 * @len: (out) (optional): the length of the message
 * @scan: (out) (optional): where to say what a one-pass scan learnt
 * @scanned: (out): set to whether @scan holds the next message
 * @error: a #GError, or %NULL
 *
 * As qmp_framer_next(), but with @scan, a message that is clean (valid JSON,
 * valid Unicode) comes compact, already checked, with its members in @scan:
 * the reader's hot path, which then reads each byte once. Such a message is
 * not returned: @scanned is set, and its text is in @scan until the next call.
 *
 * Returns: (transfer full) (nullable): as qmp_framer_next(); %NULL also when
 *   @scanned is set
 */
gchar *
qmp_framer_take (QmpFramer *self, gsize *len, QmpScan *scan, gboolean *scanned, GError **error)
{
	const gchar *data;
	gsize end;

	if (scanned != NULL)
		*scanned = FALSE;
	g_return_val_if_fail (scan == NULL || scanned != NULL, NULL);
	if (self->error != NULL) {
		g_propagate_error (error, g_error_copy (self->error));
		return NULL;
	}
	if (self->depth == 0 && !qmp_framer_skip_between (self, error))
		return NULL;
	if (scan != NULL && self->depth == 0 && self->pos == self->start &&
	    self->start < self->buf->len) {
		if (qmp_framer_scan (self, scan)) {
			if (len != NULL)
				*len = scan->len;
			*scanned = TRUE;
			return NULL;
		}
	}

	data = self->buf->str;
	end = self->buf->len;
	if (end - self->start > self->max_size)
		end = self->start + self->max_size;

	/* the scan's state in locals, which the compiler can keep in registers */
	{
		gsize pos = self->pos;
		guint depth = self->depth;
		gboolean in_string = self->in_string;
		gboolean escape = self->escape;
		gchar *message = NULL;

		while (pos < end) {
			gchar c = data[pos++];

			if (in_string) {
				if (escape) {
					escape = FALSE;
					continue;
				}
				/* most of a message is inside strings: run to its end */
				while (c != '"' && c != '\\' && pos < end)
					c = data[pos++];
				if (c == '\\')
					escape = TRUE;
				else if (c == '"')
					in_string = FALSE;
				continue;
			}
			if (c == '"') {
				in_string = TRUE;
			} else if (c == '{' || c == '[') {
				if (++depth > QMP_FRAMER_MAX_DEPTH) {
					self->pos = pos;
					qmp_framer_fail (
						self, error, QMP_ERROR_PROTOCOL,
						"message from the peer nests deeper than %u levels",
						(guint)QMP_FRAMER_MAX_DEPTH);
					return NULL;
				}
			} else if ((c == '}' || c == ']') && --depth == 0) {
				gsize n = pos - self->start;

				message = qmp_framer_copy (data + self->start, n);
				self->start = pos;
				if (len != NULL)
					*len = n;
				break;
			}
		}
		self->pos = pos;
		self->depth = depth;
		self->in_string = in_string;
		self->escape = escape;
		if (message != NULL)
			return message;
	}

	if (self->pos - self->start >= self->max_size) {
		qmp_framer_fail (self, error, QMP_ERROR_MESSAGE_TOO_LARGE,
				 "message from the peer is larger than the %" G_GSIZE_FORMAT
				 "-byte limit",
				 self->max_size);
		return NULL;
	}
	return NULL;
}

/**
 * qmp_framer_get_pending:
 * @self: a framer
 *
 * Returns: the number of bytes held that are not yet part of a returned message
 */
gsize
qmp_framer_get_pending (QmpFramer *self)
{
	return self->buf->len - self->start;
}

/**
 * qmp_framer_is_idle:
 * @self: a framer
 *
 * Returns: %TRUE when no message has been begun and not finished
 */
gboolean
qmp_framer_is_idle (QmpFramer *self)
{
	return self->depth == 0 && self->pos >= self->buf->len;
}
