/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-reader.h"
#include "qmp-source.h"
#include "qmpsh-parser.h"

#include <errno.h>
#include <glib-unix.h>
#include <string.h>
#include <unistd.h>

#define QMPSH_READER_CHUNK (64 * 1024)

/**
 * QmpshReader:
 *
 * Lines from a descriptor (standard input, a file of commands), read from
 * the main loop only while they are wanted, so that input waits in its pipe
 * while the session is busy. A line longer than QEMU reads is dropped as it
 * streams in, so memory stays near that cap whatever comes, and reported once
 * its end is found; a partial line is searched for its end only once.
 */
struct _QmpshReader {
	GObject parent_instance;
	gint fd;
	GString *buf;
	gsize pos;	/* where the next line starts */
	gsize searched; /* how much of the partial line at pos has no LF */
	gboolean skipping;
	gboolean eof;
	gchar *failure;
	GSource *watch;
};

G_DEFINE_TYPE (QmpshReader, qmpsh_reader, G_TYPE_OBJECT)

enum { SIGNAL_INPUT, N_SIGNALS };
static guint signals[N_SIGNALS];

/**
 * qmpsh_reader_new:
 * @fd: the descriptor to read; not closed
 *
 * Returns: (transfer full): a reader
 */
QmpshReader *
qmpsh_reader_new (gint fd)
{
	QmpshReader *self = g_object_new (QMPSH_TYPE_READER, NULL);
	self->fd = fd;
	return self;
}

static gboolean
qmpsh_reader_readable_cb (gint fd, GIOCondition condition, gpointer user_data)
{
	QmpshReader *self = QMPSH_READER (user_data);
	gchar chunk[QMPSH_READER_CHUNK];
	gssize n = read (fd, chunk, sizeof (chunk));

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return G_SOURCE_CONTINUE;
	if (n < 0)
		self->failure = g_strdup_printf ("cannot read the input: %s", g_strerror (errno));
	if (n <= 0)
		self->eof = TRUE;
	else
		g_string_append_len (self->buf, chunk, n);
	/* what was handed out goes, before the buffer grows much */
	if (self->pos > QMPSH_READER_CHUNK) {
		g_string_erase (self->buf, 0, self->pos);
		self->pos = 0;
	}
	if (self->eof)
		qmp_clear_source (&self->watch);
	g_signal_emit (self, signals[SIGNAL_INPUT], 0);
	return G_SOURCE_CONTINUE;
}

/**
 * qmpsh_reader_set_wanted:
 * @self: a reader
 * @wanted: whether to read when there is input; #QmpshReader::input then says so
 */
void
qmpsh_reader_set_wanted (QmpshReader *self, gboolean wanted)
{
	if (!wanted || self->eof) {
		qmp_clear_source (&self->watch);
		return;
	}
	if (self->watch != NULL)
		return;
	self->watch = g_unix_fd_source_new (self->fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
	g_source_set_callback (self->watch, G_SOURCE_FUNC (qmpsh_reader_readable_cb), self, NULL);
	/* no wakeup of the loop for each read: see qmp_reader_new() */
	g_source_set_can_recurse (self->watch, TRUE);
	g_source_attach (self->watch, NULL);
}

/**
 * qmpsh_reader_next:
 * @self: a reader
 * @line: (out) (transfer full): the line, without its LF (or CRLF)
 * @len: (out): its length: a NUL byte in it makes it longer than strlen()
 * @message: (out) (transfer full): for %QMPSH_READER_FAILED, why
 *
 * Returns: what there is
 */
QmpshReaderStatus
qmpsh_reader_next (QmpshReader *self, gchar **line, gsize *len, gchar **message)
{
	const gchar *start = self->buf->str + self->pos;
	gsize avail = self->buf->len - self->pos;
	gsize searched = MIN (self->searched, avail);
	const gchar *nl = memchr (start + searched, '\n', avail - searched);
	gsize n;

	*line = NULL;
	*len = 0;
	*message = NULL;
	self->searched = 0;
	if (nl == NULL) {
		self->searched = avail;
		if (avail > QMPSH_LINE_MAX) {
			self->skipping = TRUE;
			self->pos = self->buf->len;
			self->searched = 0;
			avail = 0;
		}
		if (!self->eof)
			return QMPSH_READER_AGAIN;
		if (avail == 0 && !self->skipping) {
			if (self->failure != NULL) {
				*message = g_steal_pointer (&self->failure);
				return QMPSH_READER_FAILED;
			}
			return QMPSH_READER_END;
		}
		/* at the end a last line may lack its LF */
		nl = self->buf->str + self->buf->len;
	}
	n = nl - start;
	self->pos += n + (nl < self->buf->str + self->buf->len ? 1 : 0);
	if (self->skipping) {
		self->skipping = FALSE;
		return QMPSH_READER_TOO_LONG;
	}
	if (n > 0 && start[n - 1] == '\r')
		n--;
	*line = g_strndup (start, n);
	*len = n;
	return QMPSH_READER_LINE;
}

static void
qmpsh_reader_dispose (GObject *object)
{
	QmpshReader *self = QMPSH_READER (object);
	qmp_clear_source (&self->watch);
	G_OBJECT_CLASS (qmpsh_reader_parent_class)->dispose (object);
}

static void
qmpsh_reader_finalize (GObject *object)
{
	QmpshReader *self = QMPSH_READER (object);
	g_string_free (self->buf, TRUE);
	g_free (self->failure);
	G_OBJECT_CLASS (qmpsh_reader_parent_class)->finalize (object);
}

static void
qmpsh_reader_init (QmpshReader *self)
{
	self->buf = g_string_new (NULL);
	self->fd = -1;
}

static void
qmpsh_reader_class_init (QmpshReaderClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS (klass);
	object_class->dispose = qmpsh_reader_dispose;
	object_class->finalize = qmpsh_reader_finalize;

	/**
	 * QmpshReader::input:
	 * @self: the reader
	 *
	 * More input came, or its end: qmpsh_reader_next() may have a line now.
	 */
	signals[SIGNAL_INPUT] = g_signal_new ("input", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
					      0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}
