/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define G_LOG_DOMAIN "qmp"

#include "qmp-reader.h"
#include "qmp-error.h"
#include "qmp-framer.h"
#include "qmp-source.h"

#include <errno.h>
#include <gio/gfiledescriptorbased.h>
#include <glib-unix.h>
#include <sys/socket.h>
#include <sys/stat.h>

#define QMP_READER_READ_SIZE (64 * 1024)

/**
 * QmpReader:
 *
 * The reading half of QmpProtocol: a persistent source on a pollable input
 * stream that reads what is there each time it is readable, frames it, and
 * hands on one message at a time, in order. The first failure is the last
 * thing it says: it reads no more after it.
 */
struct _QmpReader {
	GObject parent_instance;

	GPollableInputStream *input;
	gint socket_fd; /* the socket under @input, read directly; or -1 */
	QmpFramer *framer;
	QmpScan scan; /* what the framer learnt of the message being handed on */
	guint8 *buf;
	gchar *peer;
	GSource *source;
	gboolean stopped;
	QmpReaderMessageFunc message;
	QmpReaderDrainedFunc drained;
	QmpReaderFailedFunc failed;
	gpointer user_data;
};

G_DEFINE_TYPE (QmpReader, qmp_reader, G_TYPE_OBJECT)

static void
qmp_reader_fail (QmpReader *self, GError *error)
{
	qmp_reader_stop (self);
	self->failed (error, self->user_data);
}

/* what one read said about the end of the stream, or about the stream */
static GError *
qmp_reader_read_error (QmpReader *self, gssize n, GError *error_in)
{
	g_autoptr (GError) error = error_in;

	/*
	 * A peer that dies with bytes of ours still unread resets the connection
	 * instead of closing it (QEMU killed just after a reply, before it read
	 * the newline): to the user both are the peer going away.
	 */
	if (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) &&
	    !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE)) {
		g_prefix_error (&error, "reading from %s: ", self->peer);
		return g_steal_pointer (&error);
	}
	if (!qmp_framer_is_idle (self->framer))
		return g_error_new (QMP_ERROR, QMP_ERROR_PROTOCOL,
				    "%s closed the connection in the middle of a message",
				    self->peer);
	return g_error_new (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "%s closed the connection",
			    self->peer);
}

/*
 * A read of what is there. A socket's stream would do no more than recv()
 * does, through some ten calls and type checks a read: a socket is read
 * directly, its errors said as the stream says them.
 */
static gssize
qmp_reader_read (QmpReader *self, GError **error)
{
	gssize n;
	int saved;

	if (self->socket_fd < 0)
		return g_pollable_input_stream_read_nonblocking (self->input, self->buf,
								 QMP_READER_READ_SIZE, NULL, error);
	do
		n = recv (self->socket_fd, self->buf, QMP_READER_READ_SIZE, MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n >= 0)
		return n;
	saved = errno;
	if (saved == EAGAIN || saved == EWOULDBLOCK)
		g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, g_strerror (saved));
	else
		g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
			     "Error receiving data: %s", g_strerror (saved));
	return -1;
}

static gboolean
qmp_reader_readable_cb (GObject *stream, gpointer user_data)
{
	g_autoptr (QmpReader) self = g_object_ref (user_data); /* set with self */
	GError *error = NULL;
	gssize n;

	n = qmp_reader_read (self, &error);
	if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
		g_error_free (error);
		return G_SOURCE_CONTINUE;
	}
	if (n <= 0) {
		qmp_reader_fail (self, qmp_reader_read_error (self, n, error));
		return G_SOURCE_CONTINUE;
	}
	qmp_framer_push (self->framer, (const gchar *)self->buf, n);
	/* the callbacks may stop the reader: it then hands on nothing more */
	while (!self->stopped) {
		gsize len = 0;
		gboolean scanned = FALSE;
		gchar *text = qmp_framer_take (self->framer, &len, &self->scan, &scanned, &error);
		if (text == NULL && !scanned) {
			if (error != NULL) {
				g_prefix_error (&error, "from %s: ", self->peer);
				qmp_reader_fail (self, error);
			}
			break;
		}
		if (!self->message (text, len, scanned ? &self->scan : NULL, self->user_data))
			qmp_reader_stop (self);
	}
	if (!self->stopped && self->drained != NULL)
		self->drained (self->user_data);
	return G_SOURCE_CONTINUE;
}

static gboolean
qmp_reader_fd_readable_cb (gint fd, GIOCondition condition, gpointer user_data)
{
	return qmp_reader_readable_cb (NULL, user_data);
}

/*
 * What says the input is readable. GLib takes a source's descriptors out
 * of the poll set while it dispatches one that cannot recurse, and puts
 * them back after: two writes to the context's wakeup descriptor a read,
 * and as many for the child source a pollable stream's source hides. So a
 * socket gets a descriptor source of its own, one source that may recurse
 * (nothing here runs the loop from a callback); other streams (TLS) keep
 * theirs, which knows what the stream holds buffered.
 */
static GSource *
qmp_reader_create_source (QmpReader *self)
{
	GSource *source;

	if (G_IS_FILE_DESCRIPTOR_BASED (self->input)) {
		gint fd = g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (self->input));
		struct stat st;

		if (fstat (fd, &st) == 0 && S_ISSOCK (st.st_mode))
			self->socket_fd = fd;
		source = g_unix_fd_source_new (fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
		g_source_set_callback (source, G_SOURCE_FUNC (qmp_reader_fd_readable_cb), self,
				       NULL);
	} else {
		source = g_pollable_input_stream_create_source (self->input, NULL);
		g_source_set_callback (source, G_SOURCE_FUNC (qmp_reader_readable_cb), self, NULL);
	}
	g_source_set_can_recurse (source, TRUE);
	return source;
}

/**
 * qmp_reader_set_skip_delimiter:
 * @self: a reader
 * @skip: whether 0xFF bytes between messages are passed over (guest agent)
 */
void
qmp_reader_set_skip_delimiter (QmpReader *self, gboolean skip)
{
	g_return_if_fail (QMP_IS_READER (self));
	qmp_framer_set_skip_delimiter (self->framer, skip);
}

/**
 * qmp_reader_stop:
 * @self: a reader
 *
 * Reads no more and hands nothing more on; safe from the reader's own
 * callbacks.
 */
void
qmp_reader_stop (QmpReader *self)
{
	g_return_if_fail (QMP_IS_READER (self));
	self->stopped = TRUE;
	qmp_clear_source (&self->source);
}

/**
 * qmp_reader_new:
 * @input: a pollable input stream
 * @max_message_size: the largest message to accept, in bytes; 0 for the default
 * @peer: what the peer is called in errors
 * @context: the main context to read in
 * @message: called with each message
 * @drained: (nullable): called after the messages of each read are handed on
 * @failed: called once, when reading fails or the peer closes the stream
 * @user_data: data for @message and @failed
 *
 * Returns: (transfer full): a reader, reading
 */
QmpReader *
qmp_reader_new (GInputStream *input, gsize max_message_size, const gchar *peer,
		GMainContext *context, QmpReaderMessageFunc message, QmpReaderDrainedFunc drained,
		QmpReaderFailedFunc failed, gpointer user_data)
{
	QmpReader *self;

	g_return_val_if_fail (G_IS_POLLABLE_INPUT_STREAM (input), NULL);
	self = g_object_new (QMP_TYPE_READER, NULL);
	self->input = G_POLLABLE_INPUT_STREAM (g_object_ref (input));
	self->framer = qmp_framer_new (max_message_size);
	self->buf = g_malloc (QMP_READER_READ_SIZE);
	self->peer = g_strdup (peer);
	self->message = message;
	self->drained = drained;
	self->failed = failed;
	self->user_data = user_data;
	self->source = qmp_reader_create_source (self);
	g_source_set_name (self->source, "qmp-reader");
	g_source_attach (self->source, context);
	return self;
}

static void
qmp_reader_dispose (GObject *object)
{
	qmp_reader_stop (QMP_READER (object));
	G_OBJECT_CLASS (qmp_reader_parent_class)->dispose (object);
}

static void
qmp_reader_finalize (GObject *object)
{
	QmpReader *self = QMP_READER (object);
	g_clear_object (&self->input);
	g_clear_pointer (&self->framer, qmp_framer_free);
	g_free (self->buf);
	g_free (self->peer);
	G_OBJECT_CLASS (qmp_reader_parent_class)->finalize (object);
}

static void
qmp_reader_init (QmpReader *self)
{
	self->socket_fd = -1;
}

static void
qmp_reader_class_init (QmpReaderClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS (klass);
	object_class->dispose = qmp_reader_dispose;
	object_class->finalize = qmp_reader_finalize;
}
