/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define G_LOG_DOMAIN "qmp"

#include "qmp-writer.h"
#include "qmp-source.h"

#include <gio/gunixfdmessage.h>
#include <string.h>

#define QMP_WRITER_JOIN (64 * 1024)

/* one message and its LF, in one block with what it needs */
typedef struct {
	GList link; /* in the owner's queue, which then allocates nothing */
	GUnixFDList *fds;
	gsize len;
	guint8 data[];
} QmpOutgoing;

/**
 * QmpWriter:
 *
 * The writing half of QmpProtocol: a queue that any thread may push to,
 * drained by a source in the owning main context, which alone writes to
 * the stream. Writes never block: when the stream takes no more, the
 * writer sleeps until it can. The queue outlives each connection, so what
 * is pushed before the stream is open goes out once it is.
 *
 * What the owning thread pushes, nearly everything, skips the lock: it
 * waits in a queue of its own, drained first. Other threads, and the owner
 * outside its loop, push to the GAsyncQueue, counted in @foreign, so that
 * the source's prepare and check, which run at every turn of the loop,
 * take no lock either; while anything waits there, the owner pushes there
 * too, behind it, so that what one thread pushes keeps its order.
 */
struct _QmpWriter {
	GObject parent_instance;

	GMainContext *context;
	QmpWriterFailedFunc failed;
	QmpWriterFlushedFunc flushed;
	gpointer user_data;

	GQueue local;	    /* QmpOutgoing: what the owning thread pushed */
	GAsyncQueue *queue; /* QmpOutgoing: what other threads pushed */
	gint foreign;	    /* (atomic): how many of those may wait in queue */
	GIOStream *stream;
	GSocket *socket; /* only for UNIX sockets: descriptors go through it */
	gchar *peer;
	GSource *source;
	GSource *wait;	      /* a child of source while the stream takes no more */
	QmpOutgoing *current; /* being written, when it went alone */
	GByteArray *joined;   /* being written, when several went together; kept */
	const guint8 *out;    /* what is being written: current's or joined's, or NULL */
	gsize out_len;
	gsize current_off;
	GSource *flush_timer; /* while a flush waits for the queue to go out */
};

G_DEFINE_TYPE (QmpWriter, qmp_writer, G_TYPE_OBJECT)

typedef struct {
	GSource source;
	QmpWriter *writer; /* not a reference: the writer destroys the source first */
} QmpWriterSource;

static void
qmp_outgoing_free (QmpOutgoing *out)
{
	g_clear_object (&out->fds);
	g_free (out);
}

/**
 * qmp_writer_has_pending:
 * @self: a writer
 *
 * Returns: %TRUE while anything queued is not yet written whole
 */
gboolean
qmp_writer_has_pending (QmpWriter *self)
{
	return self->out != NULL || self->local.length > 0 || g_atomic_int_get (&self->foreign) > 0;
}

/* the next message to write: the owner's first, or NULL */
static QmpOutgoing *
qmp_writer_pop (QmpWriter *self)
{
	GList *link = g_queue_pop_head_link (&self->local);
	QmpOutgoing *out;

	if (link != NULL)
		return link->data;
	if (g_atomic_int_get (&self->foreign) <= 0)
		return NULL;
	out = g_async_queue_try_pop (self->queue);
	if (out != NULL)
		g_atomic_int_dec_and_test (&self->foreign);
	return out;
}

/* @out goes back, to be written next */
static void
qmp_writer_unpop (QmpWriter *self, QmpOutgoing *out)
{
	g_queue_push_head_link (&self->local, &out->link);
}

static gboolean
qmp_writer_source_prepare (GSource *source, gint *timeout)
{
	QmpWriter *self = ((QmpWriterSource *)source)->writer;
	*timeout = -1;
	if (self->wait != NULL)
		return FALSE;
	return qmp_writer_has_pending (self);
}

static gboolean
qmp_writer_source_check (GSource *source)
{
	gint timeout;
	return qmp_writer_source_prepare (source, &timeout);
}

static gssize
qmp_writer_write_some (QmpWriter *self, GError **error)
{
	const guint8 *data = self->out;
	gsize size = self->out_len;

	if (self->current != NULL && self->current->fds != NULL && self->current_off == 0) {
		/* descriptors ride on the first byte of their command, as QEMU expects */
		GOutputVector vector = { data, size };
		GSocketControlMessage *msg =
			g_unix_fd_message_new_with_fd_list (self->current->fds);
		gssize n = g_socket_send_message (self->socket, NULL, &vector, 1, &msg, 1,
						  G_SOCKET_MSG_NONE, NULL, error);
		g_object_unref (msg);
		return n;
	}
	return g_pollable_output_stream_write_nonblocking (
		G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (self->stream)),
		data + self->current_off, size - self->current_off, NULL, error);
}

/*
 * The next write: queued messages joined up to QMP_WRITER_JOIN bytes, so
 * that a burst of commands costs the peer one read, not one each, into a
 * buffer kept from one burst to the next. A message with descriptors goes
 * alone, for they ride on its first byte, and so does a large one.
 */
static gboolean
qmp_writer_next (QmpWriter *self)
{
	QmpOutgoing *first = qmp_writer_pop (self);
	QmpOutgoing *next = NULL;

	if (first == NULL)
		return FALSE;
	if (first->fds == NULL && first->len < QMP_WRITER_JOIN)
		next = qmp_writer_pop (self);
	if (next != NULL && (next->fds != NULL || next->len >= QMP_WRITER_JOIN)) {
		qmp_writer_unpop (self, next);
		next = NULL;
	}
	if (next == NULL) {
		self->current = first;
		self->out = first->data;
		self->out_len = first->len;
		return TRUE;
	}
	g_byte_array_set_size (self->joined, 0);
	g_byte_array_append (self->joined, first->data, first->len);
	qmp_outgoing_free (first);
	do {
		if (next->fds != NULL || next->len >= QMP_WRITER_JOIN) {
			qmp_writer_unpop (self, next);
			break;
		}
		g_byte_array_append (self->joined, next->data, next->len);
		qmp_outgoing_free (next);
	} while (self->joined->len < QMP_WRITER_JOIN && (next = qmp_writer_pop (self)) != NULL);
	self->out = self->joined->data;
	self->out_len = self->joined->len;
	return TRUE;
}

/* back-pressure: sleep until the stream can take more */
static void
qmp_writer_wait (QmpWriter *self)
{
	GOutputStream *os = g_io_stream_get_output_stream (self->stream);
	self->wait = g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (os), NULL);
	g_source_set_dummy_callback (self->wait);
	g_source_add_child_source (self->source, self->wait);
}

/* writes what is queued until it is out or the stream takes no more; FALSE after a failure */
static gboolean
qmp_writer_drain (QmpWriter *self)
{
	for (;;) {
		g_autoptr (GError) error = NULL;
		gssize n;

		if (self->out == NULL) {
			self->current_off = 0;
			if (!qmp_writer_next (self))
				break;
		}
		n = qmp_writer_write_some (self, &error);
		if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
			qmp_writer_wait (self);
			return TRUE;
		}
		if (n < 0) {
			g_prefix_error (&error, "writing to %s: ", self->peer);
			/* the callback may stop the writer: nothing is touched after it */
			self->failed (g_steal_pointer (&error), self->user_data);
			return FALSE;
		}
		self->current_off += n;
		if (self->current_off == self->out_len) {
			g_clear_pointer (&self->current, qmp_outgoing_free);
			self->out = NULL;
		}
	}
	return TRUE;
}

/**
 * qmp_writer_kick:
 * @self: a writer
 *
 * In the owning context, writes what is queued now, rather than at the
 * next turn of the loop, unless the stream takes no more or a flush
 * waits; what cannot go now goes as it would have.
 */
void
qmp_writer_kick (QmpWriter *self)
{
	g_autoptr (QmpWriter) held = NULL;

	if (self->source == NULL || self->wait != NULL || self->flush_timer != NULL ||
	    !qmp_writer_has_pending (self) || !g_main_context_is_owner (self->context))
		return;
	held = g_object_ref (self);
	qmp_writer_drain (self);
}

static gboolean
qmp_writer_source_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
	g_autoptr (QmpWriter) self = g_object_ref (((QmpWriterSource *)source)->writer);

	if (self->wait != NULL) {
		g_source_remove_child_source (source, self->wait);
		g_clear_pointer (&self->wait, g_source_unref);
	}
	if (!qmp_writer_drain (self) || self->wait != NULL)
		return G_SOURCE_CONTINUE;
	if (self->flush_timer != NULL) {
		qmp_clear_source (&self->flush_timer);
		self->flushed (self->user_data);
	}
	return G_SOURCE_CONTINUE;
}

static GSourceFuncs qmp_writer_source_funcs = {
	.prepare = qmp_writer_source_prepare,
	.check = qmp_writer_source_check,
	.dispatch = qmp_writer_source_dispatch,
};

/**
 * qmp_writer_push:
 * @self: a writer
 * @text: one whole message, without its LF
 * @len: its length
 * @fds: (nullable): descriptors to pass with its first byte
 *
 * Queues @text and a LF, copied. Any thread may call this; the owning
 * context writes.
 */
void
qmp_writer_push (QmpWriter *self, const gchar *text, gsize len, GUnixFDList *fds)
{
	QmpOutgoing *out = g_malloc (sizeof (QmpOutgoing) + len + 1);

	out->link = (GList){ .data = out };
	out->fds = fds != NULL ? g_object_ref (fds) : NULL;
	out->len = len + 1;
	memcpy (out->data, text, len);
	out->data[len] = '\n';
	/* the owner's loop checks its queue before it sleeps; other threads must wake it */
	if (g_atomic_int_get (&self->foreign) <= 0 && g_main_context_is_owner (self->context)) {
		g_queue_push_tail_link (&self->local, &out->link);
		return;
	}
	/* counted first: a pop that finds nothing yet takes nothing off */
	g_atomic_int_inc (&self->foreign);
	g_async_queue_push (self->queue, out);
	g_main_context_wakeup (self->context);
}

static gboolean
qmp_writer_flush_timeout_cb (gpointer user_data)
{
	QmpWriter *self = QMP_WRITER (user_data);
	g_debug ("gave up flushing to %s", self->peer);
	g_clear_pointer (&self->flush_timer, g_source_unref);
	self->flushed (self->user_data);
	return G_SOURCE_REMOVE;
}

/**
 * qmp_writer_flush:
 * @self: a started writer with something queued
 * @timeout_seconds: how long to wait for the queue to go out
 *
 * Calls the writer's flushed function once what is queued is written out,
 * or once @timeout_seconds have passed, whichever comes first. Asking again
 * while a flush waits changes nothing.
 */
void
qmp_writer_flush (QmpWriter *self, guint timeout_seconds)
{
	g_return_if_fail (QMP_IS_WRITER (self));
	if (self->flush_timer != NULL)
		return;
	self->flush_timer = g_timeout_source_new_seconds (timeout_seconds);
	g_source_set_callback (self->flush_timer, qmp_writer_flush_timeout_cb, self, NULL);
	g_source_attach (self->flush_timer, self->context);
}

/**
 * qmp_writer_start:
 * @self: a stopped writer
 * @stream: the stream to write to; its output stream must be pollable
 * @socket: (nullable): the UNIX socket under @stream, which alone can pass
 *   descriptors
 * @peer: what the peer is called in errors
 *
 * Starts writing what is queued, and what is pushed after, to @stream.
 */
void
qmp_writer_start (QmpWriter *self, GIOStream *stream, GSocket *socket, const gchar *peer)
{
	g_return_if_fail (QMP_IS_WRITER (self));
	g_return_if_fail (self->source == NULL);
	self->stream = g_object_ref (stream);
	self->socket = socket != NULL ? g_object_ref (socket) : NULL;
	g_free (self->peer);
	self->peer = g_strdup (peer);
	self->source = g_source_new (&qmp_writer_source_funcs, sizeof (QmpWriterSource));
	((QmpWriterSource *)self->source)->writer = self;
	g_source_set_name (self->source, "qmp-writer");
	g_source_attach (self->source, self->context);
}

/**
 * qmp_writer_stop:
 * @self: a writer
 *
 * Stops writing and drops what is queued; safe from the writer's own
 * callbacks, and when stopped already.
 */
void
qmp_writer_stop (QmpWriter *self)
{
	QmpOutgoing *out;

	g_return_if_fail (QMP_IS_WRITER (self));
	qmp_clear_source (&self->flush_timer);
	if (self->source != NULL) {
		if (self->wait != NULL) {
			g_source_remove_child_source (self->source, self->wait);
			g_clear_pointer (&self->wait, g_source_unref);
		}
		g_source_destroy (self->source);
		g_clear_pointer (&self->source, g_source_unref);
	}
	g_clear_pointer (&self->current, qmp_outgoing_free);
	self->out = NULL;
	while ((out = qmp_writer_pop (self)) != NULL)
		qmp_outgoing_free (out);
	g_clear_object (&self->stream);
	g_clear_object (&self->socket);
}

/**
 * qmp_writer_new:
 * @context: the main context that writes
 * @failed: called, in @context, when a write fails; the writer then waits
 *   to be stopped
 * @flushed: called, in @context, when a flush qmp_writer_flush() asked for is done
 * @user_data: data for @failed and @flushed
 *
 * Returns: (transfer full): a stopped writer
 */
QmpWriter *
qmp_writer_new (GMainContext *context, QmpWriterFailedFunc failed, QmpWriterFlushedFunc flushed,
		gpointer user_data)
{
	QmpWriter *self = g_object_new (QMP_TYPE_WRITER, NULL);
	self->context = g_main_context_ref (context);
	self->failed = failed;
	self->flushed = flushed;
	self->user_data = user_data;
	return self;
}

static void
qmp_writer_dispose (GObject *object)
{
	qmp_writer_stop (QMP_WRITER (object));
	G_OBJECT_CLASS (qmp_writer_parent_class)->dispose (object);
}

static void
qmp_writer_finalize (GObject *object)
{
	QmpWriter *self = QMP_WRITER (object);
	g_async_queue_unref (self->queue);
	g_byte_array_unref (self->joined);
	g_main_context_unref (self->context);
	g_free (self->peer);
	G_OBJECT_CLASS (qmp_writer_parent_class)->finalize (object);
}

static void
qmp_writer_init (QmpWriter *self)
{
	self->queue = g_async_queue_new ();
	self->joined = g_byte_array_new ();
}

static void
qmp_writer_class_init (QmpWriterClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS (klass);
	object_class->dispose = qmp_writer_dispose;
	object_class->finalize = qmp_writer_finalize;
}
