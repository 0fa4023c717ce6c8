/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define G_LOG_DOMAIN "qmp"

#include "qmp-protocol.h"
#include "qmp-source.h"
#include "qmp-error.h"
#include "qmp-framer.h"
#include "qmp-transport.h"

#include <gio/gunixfdmessage.h>

#define QMP_PROTOCOL_READ_SIZE	   (64 * 1024)
#define QMP_PROTOCOL_FLUSH_TIMEOUT 5 /* seconds a disconnect waits for queued writes */
#define QMP_PROTOCOL_WRITE_JOIN	   (64 * 1024)

typedef struct {
	GBytes *data;
	GUnixFDList *fds;
} QmpOutgoing;

typedef struct {
	QmpRunstate runstate;
	gchar *name;
	gchar *address;
	gsize max_message_size;
	gboolean skip_delimiter;
	GMainContext *context;
	QmpTlsConfig *tls;

	QmpTransport *transport;
	GIOStream *stream;
	GSocket *socket; /* only for UNIX sockets: descriptors go through it */

	/* reader */
	QmpFramer *framer;
	guint8 *read_buf;
	GSource *reader;

	/* writer: any thread pushes, only the owning context writes */
	GAsyncQueue *outq;
	GSource *writer;
	GSource *writer_wait;
	QmpOutgoing *current;
	gsize current_off;

	/* connecting */
	gboolean accepting; /* the peer dials in */
	GTask *connect_task;
	GCancellable *connect_cancellable;
	GSource *connect_cancel_source;

	/* disconnecting */
	GError *error; /* the first error that caused the disconnect */
	GSource *flush_timeout;
	GPtrArray *disconnect_tasks;
	gboolean stopped;
} QmpProtocolPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (QmpProtocol, qmp_protocol, G_TYPE_OBJECT)
G_DEFINE_ENUM_TYPE (QmpRunstate, qmp_runstate, G_DEFINE_ENUM_VALUE (QMP_RUNSTATE_IDLE, "idle"),
		    G_DEFINE_ENUM_VALUE (QMP_RUNSTATE_CONNECTING, "connecting"),
		    G_DEFINE_ENUM_VALUE (QMP_RUNSTATE_RUNNING, "running"),
		    G_DEFINE_ENUM_VALUE (QMP_RUNSTATE_DISCONNECTING, "disconnecting"))

#define GET_PRIVATE(o) ((QmpProtocolPrivate *)qmp_protocol_get_instance_private (o))

enum { PROP_0, PROP_RUNSTATE, PROP_NAME, PROP_MAX_MESSAGE_SIZE, N_PROPS };
static GParamSpec *props[N_PROPS];

enum { SIGNAL_RUNSTATE_CHANGED, SIGNAL_MESSAGE_IN, SIGNAL_MESSAGE_OUT, N_SIGNALS };
static guint signals[N_SIGNALS];

static void qmp_protocol_teardown (QmpProtocol *self);
static void qmp_protocol_finish_teardown (QmpProtocol *self);

/**
 * qmp_runstate_to_string:
 * @runstate: a runstate
 *
 * Returns: its name, in capitals, as users see it
 */
const gchar *
qmp_runstate_to_string (QmpRunstate runstate)
{
	switch (runstate) {
	case QMP_RUNSTATE_IDLE:
		return "IDLE";
	case QMP_RUNSTATE_CONNECTING:
		return "CONNECTING";
	case QMP_RUNSTATE_RUNNING:
		return "RUNNING";
	case QMP_RUNSTATE_DISCONNECTING:
		return "DISCONNECTING";
	default:
		return "UNKNOWN";
	}
}

static void
qmp_outgoing_free (QmpOutgoing *out)
{
	g_bytes_unref (out->data);
	g_clear_object (&out->fds);
	g_free (out);
}

static gboolean
qmp_protocol_debug_enabled (void)
{
	return !g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN);
}

static void
qmp_protocol_set_runstate (QmpProtocol *self, QmpRunstate runstate)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);
	if (priv->runstate == runstate)
		return;
	g_debug ("[%s] runstate %s -> %s", priv->name, qmp_runstate_to_string (priv->runstate),
		 qmp_runstate_to_string (runstate));
	priv->runstate = runstate;
	g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RUNSTATE]);
	g_signal_emit (self, signals[SIGNAL_RUNSTATE_CHANGED], 0, runstate);
}

static gboolean
qmp_protocol_check_state (QmpProtocol *self, QmpRunstate wanted, const gchar *what, GError **error)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);
	if (priv->runstate == wanted)
		return TRUE;
	g_set_error (error, QMP_ERROR, QMP_ERROR_STATE, "cannot %s while the connection is %s",
		     what, qmp_runstate_to_string (priv->runstate));
	return FALSE;
}

QmpRunstate
qmp_protocol_get_runstate (QmpProtocol *self)
{
	g_return_val_if_fail (QMP_IS_PROTOCOL (self), QMP_RUNSTATE_IDLE);
	return GET_PRIVATE (self)->runstate;
}

const gchar *
qmp_protocol_get_name (QmpProtocol *self)
{
	g_return_val_if_fail (QMP_IS_PROTOCOL (self), NULL);
	return GET_PRIVATE (self)->name;
}

/**
 * qmp_protocol_set_name:
 * @self: a protocol
 * @name: the name this connection goes by in debug logs
 */
void
qmp_protocol_set_name (QmpProtocol *self, const gchar *name)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);
	g_return_if_fail (QMP_IS_PROTOCOL (self));
	if (g_strcmp0 (priv->name, name) == 0)
		return;
	g_free (priv->name);
	priv->name = g_strdup (name != NULL ? name : "qmp");
	g_object_notify_by_pspec (G_OBJECT (self), props[PROP_NAME]);
}

/**
 * qmp_protocol_set_max_message_size:
 * @self: a protocol
 * @max_size: the largest message to accept from the peer, in bytes
 *
 * Takes effect at the next connection.
 */
void
qmp_protocol_set_max_message_size (QmpProtocol *self, gsize max_size)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);
	if (max_size == 0)
		max_size = QMP_FRAMER_DEFAULT_MAX_SIZE;
	if (priv->max_message_size == max_size)
		return;
	priv->max_message_size = max_size;
	g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MAX_MESSAGE_SIZE]);
}

/**
 * qmp_protocol_set_skip_delimiter:
 * @self: a protocol
 * @skip: whether 0xFF bytes between messages are passed over (guest agent)
 */
void
qmp_protocol_set_skip_delimiter (QmpProtocol *self, gboolean skip)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);
	priv->skip_delimiter = skip;
	if (priv->framer != NULL)
		qmp_framer_set_skip_delimiter (priv->framer, skip);
}

/**
 * qmp_protocol_set_tls:
 * @self: a protocol
 * @config: (nullable): TLS credentials, or %NULL for plain connections
 *
 * With @config, every connection over TCP runs a TLS handshake before the
 * session starts, as a client after qmp_protocol_connect_async() and as a
 * server after qmp_protocol_accept_async(). Takes effect at the next
 * connection.
 */
void
qmp_protocol_set_tls (QmpProtocol *self, QmpTlsConfig *config)
{
	g_return_if_fail (QMP_IS_PROTOCOL (self));
	g_return_if_fail (config == NULL || QMP_IS_TLS_CONFIG (config));
	g_set_object (&GET_PRIVATE (self)->tls, config);
}

/**
 * qmp_protocol_get_tls:
 * @self: a protocol
 *
 * Returns: (transfer none) (nullable): the TLS configuration, if any
 */
QmpTlsConfig *
qmp_protocol_get_tls (QmpProtocol *self)
{
	g_return_val_if_fail (QMP_IS_PROTOCOL (self), NULL);
	return GET_PRIVATE (self)->tls;
}

/**
 * qmp_protocol_can_pass_fds:
 * @self: a protocol
 *
 * Returns: %TRUE when the connection is a plain UNIX socket, the only kind
 *   that carries file descriptors
 */
gboolean
qmp_protocol_can_pass_fds (QmpProtocol *self)
{
	return GET_PRIVATE (self)->socket != NULL;
}

/* ------------------------------------------------------------------------ */
/* reader */

/*
 * Tears the connection down because of @error (transfer full); the first such
 * error is the one qmp_protocol_disconnect_finish() reports.
 */
static void
qmp_protocol_fail (QmpProtocol *self, GError *error)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);

	g_debug ("[%s] failing: %s", priv->name, error->message);
	if (priv->error == NULL)
		priv->error = error;
	else
		g_error_free (error);

	if (priv->runstate == QMP_RUNSTATE_CONNECTING) {
		/* the connect path reports it; stop it */
		g_cancellable_cancel (priv->connect_cancellable);
		return;
	}
	if (priv->runstate == QMP_RUNSTATE_RUNNING)
		qmp_protocol_set_runstate (self, QMP_RUNSTATE_DISCONNECTING);
	qmp_protocol_teardown (self);
}

static void
qmp_protocol_handle_text (QmpProtocol *self, gchar *text, gsize len)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);
	QmpProtocolClass *klass = QMP_PROTOCOL_GET_CLASS (self);
	g_autoptr (QmpMessage) message = NULL;
	g_autoptr (GError) error = NULL;

	if (qmp_protocol_debug_enabled ())
		g_debug ("[%s] <<< %s", priv->name, text);
	message = klass->receive (self, text, len, &error);
	if (message == NULL) {
		g_prefix_error (&error, "from %s: ", priv->address);
		qmp_protocol_fail (self, g_steal_pointer (&error));
		return;
	}
	if (g_signal_has_handler_pending (self, signals[SIGNAL_MESSAGE_IN], 0, TRUE))
		g_signal_emit (self, signals[SIGNAL_MESSAGE_IN], 0, message);
	klass->route (self, message);
}

/* the reader: a persistent source on the socket, one read each time it is readable */
static gboolean
qmp_protocol_readable_cb (GObject *stream, gpointer user_data)
{
	g_autoptr (QmpProtocol) self = g_object_ref (QMP_PROTOCOL (user_data));
	QmpProtocolPrivate *priv = GET_PRIVATE (self);
	g_autoptr (GError) error = NULL;
	gssize n;

	n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (stream),
						      priv->read_buf, QMP_PROTOCOL_READ_SIZE, NULL,
						      &error);
	if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
		return G_SOURCE_CONTINUE;
	/*
	 * A peer that dies with bytes of ours still unread resets the connection
	 * instead of closing it (QEMU killed just after a reply, before it read
	 * the newline): to the user both are the peer going away.
	 */
	if (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) &&
	    !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE)) {
		g_prefix_error (&error, "reading from %s: ", priv->address);
		qmp_protocol_fail (self, g_steal_pointer (&error));
		return G_SOURCE_CONTINUE;
	}
	if (n <= 0) {
		g_clear_error (&error);
		if (!qmp_framer_is_idle (priv->framer))
			error = g_error_new (QMP_ERROR, QMP_ERROR_PROTOCOL,
					     "%s closed the connection in the middle of a message",
					     priv->address);
		else
			error = g_error_new (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
					     "%s closed the connection", priv->address);
		qmp_protocol_fail (self, g_steal_pointer (&error));
		return G_SOURCE_CONTINUE;
	}

	qmp_framer_push (priv->framer, (const gchar *)priv->read_buf, n);
	while (!priv->stopped && priv->error == NULL) {
		gsize len = 0;
		gchar *text = qmp_framer_next (priv->framer, &len, &error);
		if (text == NULL) {
			if (error != NULL) {
				g_prefix_error (&error, "from %s: ", priv->address);
				qmp_protocol_fail (self, g_steal_pointer (&error));
			}
			break;
		}
		qmp_protocol_handle_text (self, text, len);
	}
	/* after a failure during set-up the reader stays, but reads no more */
	if (priv->error != NULL && priv->reader != NULL) {
		g_source_destroy (priv->reader);
		g_clear_pointer (&priv->reader, g_source_unref);
	}
	return G_SOURCE_CONTINUE;
}

/* ------------------------------------------------------------------------ */
/* writer */

typedef struct {
	GSource source;
	QmpProtocol *self; /* not a reference: the protocol destroys the source first */
} QmpWriterSource;

static gboolean
qmp_writer_prepare (GSource *source, gint *timeout)
{
	QmpWriterSource *ws = (QmpWriterSource *)source;
	QmpProtocolPrivate *priv = GET_PRIVATE (ws->self);
	*timeout = -1;
	if (priv->writer_wait != NULL)
		return FALSE;
	return priv->current != NULL || g_async_queue_length (priv->outq) > 0;
}

static gboolean
qmp_writer_check (GSource *source)
{
	gint timeout;
	return qmp_writer_prepare (source, &timeout);
}

static gssize
qmp_protocol_write_some (QmpProtocol *self, QmpOutgoing *out, gsize off, GError **error)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);
	gsize size = 0;
	const guint8 *data = g_bytes_get_data (out->data, &size);

	if (out->fds != NULL && off == 0) {
		/* descriptors ride on the first byte of their command, as QEMU expects */
		GOutputVector vector = { data, size };
		GSocketControlMessage *msg = g_unix_fd_message_new_with_fd_list (out->fds);
		gssize n = g_socket_send_message (priv->socket, NULL, &vector, 1, &msg, 1,
						  G_SOCKET_MSG_NONE, NULL, error);
		g_object_unref (msg);
		return n;
	}
	return g_pollable_output_stream_write_nonblocking (
		G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (priv->stream)), data + off,
		size - off, NULL, error);
}

/*
 * The next write: queued messages joined up to QMP_PROTOCOL_WRITE_JOIN bytes,
 * so that a burst of commands costs the peer one read, not one each. A
 * message with descriptors goes alone, for they ride on its first byte.
 */
static QmpOutgoing *
qmp_protocol_next_write (QmpProtocol *self)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);
	QmpOutgoing *first = g_async_queue_try_pop (priv->outq);
	QmpOutgoing *next;
	GByteArray *joined = NULL;

	if (first == NULL || first->fds != NULL)
		return first;
	while (g_bytes_get_size (first->data) + (joined != NULL ? joined->len : 0) <
		       QMP_PROTOCOL_WRITE_JOIN &&
	       (next = g_async_queue_try_pop (priv->outq)) != NULL) {
		gsize size;
		gconstpointer data;
		if (next->fds != NULL) {
			g_async_queue_push_front (priv->outq, next);
			break;
		}
		if (joined == NULL) {
			data = g_bytes_get_data (first->data, &size);
			joined = g_byte_array_sized_new (QMP_PROTOCOL_WRITE_JOIN);
			g_byte_array_append (joined, data, size);
		}
		data = g_bytes_get_data (next->data, &size);
		g_byte_array_append (joined, data, size);
		qmp_outgoing_free (next);
	}
	if (joined != NULL) {
		g_bytes_unref (first->data);
		first->data = g_byte_array_free_to_bytes (joined);
	}
	return first;
}

static gboolean
qmp_writer_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
	QmpWriterSource *ws = (QmpWriterSource *)source;
	QmpProtocol *self = ws->self;
	QmpProtocolPrivate *priv = GET_PRIVATE (self);

	if (priv->writer_wait != NULL) {
		g_source_remove_child_source (source, priv->writer_wait);
		g_clear_pointer (&priv->writer_wait, g_source_unref);
	}

	for (;;) {
		g_autoptr (GError) error = NULL;
		gssize n;

		if (priv->current == NULL) {
			priv->current = qmp_protocol_next_write (self);
			priv->current_off = 0;
			if (priv->current == NULL)
				break;
		}
		n = qmp_protocol_write_some (self, priv->current, priv->current_off, &error);
		if (n < 0) {
			if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
				/* back-pressure: sleep until the socket can take more */
				GOutputStream *os = g_io_stream_get_output_stream (priv->stream);
				priv->writer_wait = g_pollable_output_stream_create_source (
					G_POLLABLE_OUTPUT_STREAM (os), NULL);
				g_source_set_dummy_callback (priv->writer_wait);
				g_source_add_child_source (source, priv->writer_wait);
				return G_SOURCE_CONTINUE;
			}
			g_prefix_error (&error, "writing to %s: ", priv->address);
			qmp_protocol_fail (self, g_steal_pointer (&error));
			return G_SOURCE_CONTINUE;
		}
		priv->current_off += n;
		if (priv->current_off == g_bytes_get_size (priv->current->data))
			g_clear_pointer (&priv->current, qmp_outgoing_free);
	}

	if (priv->runstate == QMP_RUNSTATE_DISCONNECTING && priv->flush_timeout != NULL)
		qmp_protocol_finish_teardown (self);
	return G_SOURCE_CONTINUE;
}

static GSourceFuncs qmp_writer_funcs = {
	.prepare = qmp_writer_prepare,
	.check = qmp_writer_check,
	.dispatch = qmp_writer_dispatch,
};

/**
 * qmp_protocol_send:
 * @self: a protocol
 * @message: the message
 * @fds: (nullable): file descriptors to pass with it (UNIX sockets only)
 * @error: a #GError, or %NULL
 *
 * Queues @message for the writer. Any thread may call this.
 *
 * Returns: %TRUE if queued
 */
gboolean
qmp_protocol_send (QmpProtocol *self, QmpMessage *message, GUnixFDList *fds, GError **error)
{
	g_return_val_if_fail (QMP_IS_PROTOCOL (self), FALSE);
	return QMP_PROTOCOL_GET_CLASS (self)->send (self, message, fds, error);
}

static gboolean
qmp_protocol_real_send (QmpProtocol *self, QmpMessage *message, GUnixFDList *fds, GError **error)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);
	QmpOutgoing *out;
	GString *wire;
	gsize len = qmp_message_get_length (message);

	if (priv->runstate != QMP_RUNSTATE_RUNNING && priv->runstate != QMP_RUNSTATE_CONNECTING) {
		g_set_error (error, QMP_ERROR, QMP_ERROR_STATE,
			     "cannot send while the connection is %s",
			     qmp_runstate_to_string (priv->runstate));
		return FALSE;
	}
	if (fds != NULL && g_unix_fd_list_get_length (fds) > 0 && priv->socket == NULL) {
		g_set_error_literal (error, QMP_ERROR, QMP_ERROR_UNSUPPORTED,
				     "file descriptors can only be passed over a UNIX socket");
		return FALSE;
	}
	if (qmp_protocol_debug_enabled ())
		g_debug ("[%s] >>> %s", priv->name, qmp_message_get_text (message));
	if (g_signal_has_handler_pending (self, signals[SIGNAL_MESSAGE_OUT], 0, TRUE))
		g_signal_emit (self, signals[SIGNAL_MESSAGE_OUT], 0, message);

	wire = g_string_sized_new (len + 1);
	g_string_append_len (wire, qmp_message_get_text (message), len);
	g_string_append_c (wire, '\n');
	out = g_new0 (QmpOutgoing, 1);
	out->data = g_string_free_to_bytes (wire);
	if (fds != NULL && g_unix_fd_list_get_length (fds) > 0)
		out->fds = g_object_ref (fds);
	g_async_queue_push (priv->outq, out);
	/* the owner's loop checks the queue before it sleeps; other threads must wake it */
	if (!g_main_context_is_owner (priv->context))
		g_main_context_wakeup (priv->context);
	return TRUE;
}

/* ------------------------------------------------------------------------ */
/* starting and stopping */

static void
qmp_protocol_start_io (QmpProtocol *self, GIOStream *stream)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);

	priv->stream = g_object_ref (stream);
	/* a TLS stream is no socket connection: descriptors never pass through TLS */
	if (G_IS_SOCKET_CONNECTION (stream)) {
		GSocket *socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream));
		if (g_socket_get_family (socket) == G_SOCKET_FAMILY_UNIX) {
			priv->socket = g_object_ref (socket);
			g_socket_set_blocking (socket, FALSE);
		}
	}
	priv->stopped = FALSE;
	priv->framer = qmp_framer_new (priv->max_message_size);
	qmp_framer_set_skip_delimiter (priv->framer, priv->skip_delimiter);
	priv->read_buf = g_malloc (QMP_PROTOCOL_READ_SIZE);

	priv->writer = g_source_new (&qmp_writer_funcs, sizeof (QmpWriterSource));
	((QmpWriterSource *)priv->writer)->self = self;
	g_source_set_name (priv->writer, "qmp-writer");
	g_source_attach (priv->writer, priv->context);

	priv->reader = g_pollable_input_stream_create_source (
		G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (priv->stream)), NULL);
	g_source_set_callback (priv->reader, G_SOURCE_FUNC (qmp_protocol_readable_cb), self, NULL);
	g_source_set_name (priv->reader, "qmp-reader");
	g_source_attach (priv->reader, priv->context);
}

/* stops reader and writer and closes the stream; idempotent */
static void
qmp_protocol_stop_io (QmpProtocol *self)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);
	QmpOutgoing *out;

	if (priv->stopped || priv->stream == NULL)
		return;
	priv->stopped = TRUE;
	qmp_clear_source (&priv->flush_timeout);
	qmp_clear_source (&priv->reader);
	if (priv->writer != NULL) {
		if (priv->writer_wait != NULL) {
			g_source_remove_child_source (priv->writer, priv->writer_wait);
			g_clear_pointer (&priv->writer_wait, g_source_unref);
		}
		g_source_destroy (priv->writer);
		g_clear_pointer (&priv->writer, g_source_unref);
	}
	g_clear_pointer (&priv->current, qmp_outgoing_free);
	while ((out = g_async_queue_try_pop (priv->outq)) != NULL)
		qmp_outgoing_free (out);
	g_io_stream_close (priv->stream, NULL, NULL);
	g_clear_object (&priv->stream);
	g_clear_object (&priv->socket);
	g_clear_pointer (&priv->framer, qmp_framer_free);
	g_clear_pointer (&priv->read_buf, g_free);

	QMP_PROTOCOL_GET_CLASS (self)->stopped (self, priv->error);
}

static void
qmp_protocol_complete_disconnects (QmpProtocol *self)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);
	g_autoptr (GPtrArray) tasks = g_steal_pointer (&priv->disconnect_tasks);
	g_autoptr (GError) error = g_steal_pointer (&priv->error);

	priv->disconnect_tasks = g_ptr_array_new_with_free_func (g_object_unref);
	qmp_protocol_set_runstate (self, QMP_RUNSTATE_IDLE);
	for (guint i = 0; i < tasks->len; i++) {
		GTask *task = g_ptr_array_index (tasks, i);
		if (error != NULL)
			g_task_return_error (task, g_error_copy (error));
		else
			g_task_return_boolean (task, TRUE);
	}
}

static void
qmp_protocol_finish_teardown (QmpProtocol *self)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);
	qmp_protocol_stop_io (self);
	/* after an error the state waits in DISCONNECTING for disconnect() to collect it */
	if (priv->disconnect_tasks->len > 0)
		qmp_protocol_complete_disconnects (self);
}

static gboolean
qmp_protocol_flush_timeout_cb (gpointer user_data)
{
	QmpProtocol *self = QMP_PROTOCOL (user_data);
	QmpProtocolPrivate *priv = GET_PRIVATE (self);
	g_debug ("[%s] gave up flushing after %d s", priv->name, QMP_PROTOCOL_FLUSH_TIMEOUT);
	g_clear_pointer (&priv->flush_timeout, g_source_unref);
	qmp_protocol_finish_teardown (self);
	return G_SOURCE_REMOVE;
}

/* DISCONNECTING: flush what is queued unless an error stopped the stream, then stop */
static void
qmp_protocol_teardown (QmpProtocol *self)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);
	gboolean queued = priv->current != NULL || g_async_queue_length (priv->outq) > 0;

	if (priv->stopped || priv->stream == NULL || priv->error != NULL || !queued) {
		qmp_protocol_finish_teardown (self);
		return;
	}
	if (priv->flush_timeout != NULL)
		return;
	priv->flush_timeout = g_timeout_source_new_seconds (QMP_PROTOCOL_FLUSH_TIMEOUT);
	g_source_set_callback (priv->flush_timeout, qmp_protocol_flush_timeout_cb, self, NULL);
	g_source_attach (priv->flush_timeout, priv->context);
}

/* ------------------------------------------------------------------------ */
/* connect and accept */

static void
qmp_protocol_connect_failed (QmpProtocol *self, GError *error)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);
	g_autoptr (GTask) task = g_steal_pointer (&priv->connect_task);
	g_autoptr (GError) root = error;

	if (task == NULL)
		return; /* already reported */
	/* an error the session saw first (a bad greeting, EOF) beats the cancellation it caused */
	if (priv->error != NULL && g_error_matches (root, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
	    !g_cancellable_is_cancelled (g_task_get_cancellable (task))) {
		g_clear_error (&root);
		root = g_steal_pointer (&priv->error);
	}
	g_clear_error (&priv->error);
	qmp_clear_source (&priv->connect_cancel_source);
	g_clear_object (&priv->connect_cancellable);
	qmp_protocol_stop_io (self);
	g_prefix_error (
		&root, "%s %s: ", priv->accepting ? "waiting for a connection on" : "connecting to",
		priv->address);
	qmp_protocol_set_runstate (self, QMP_RUNSTATE_IDLE);
	g_task_return_error (task, g_steal_pointer (&root));
	qmp_protocol_complete_disconnects (self);
}

static void
qmp_protocol_session_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	QmpProtocol *self = QMP_PROTOCOL (source);
	QmpProtocolPrivate *priv = GET_PRIVATE (self);
	g_autoptr (GError) error = NULL;

	if (priv->connect_task == NULL)
		return;
	if (!QMP_PROTOCOL_GET_CLASS (self)->establish_session_finish (self, res, &error)) {
		qmp_protocol_connect_failed (self, g_steal_pointer (&error));
		return;
	}
	if (priv->error != NULL) {
		qmp_protocol_connect_failed (self, g_error_copy (priv->error));
		return;
	}
	qmp_clear_source (&priv->connect_cancel_source);
	g_clear_object (&priv->connect_cancellable);
	qmp_protocol_set_runstate (self, QMP_RUNSTATE_RUNNING);
	{
		g_autoptr (GTask) task = g_steal_pointer (&priv->connect_task);
		g_task_return_boolean (task, TRUE);
	}
}

static void
qmp_protocol_start_session (QmpProtocol *self, GIOStream *stream)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);
	qmp_protocol_start_io (self, stream);
	QMP_PROTOCOL_GET_CLASS (self)->establish_session_async (self, priv->connect_cancellable,
								qmp_protocol_session_cb, NULL);
}

/* the transport has connected or accepted, and run the TLS handshake if asked */
static void
qmp_protocol_transport_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpProtocol) self = QMP_PROTOCOL (user_data);
	QmpProtocolPrivate *priv = GET_PRIVATE (self);
	g_autoptr (GIOStream) stream = NULL;
	GError *error = NULL;

	if (priv->accepting)
		stream = qmp_transport_accept_finish (QMP_TRANSPORT (source), res, &error);
	else
		stream = qmp_transport_connect_finish (QMP_TRANSPORT (source), res, &error);
	if (stream == NULL) {
		qmp_protocol_connect_failed (self, error);
		return;
	}
	qmp_protocol_start_session (self, stream);
}

static gboolean
qmp_protocol_user_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (QMP_PROTOCOL (user_data));
	g_cancellable_cancel (priv->connect_cancellable);
	return G_SOURCE_REMOVE;
}

static gboolean
qmp_protocol_begin_connect (QmpProtocol *self, const gchar *what, GCancellable *cancellable,
			    GAsyncReadyCallback callback, gpointer user_data, gpointer source_tag)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);
	g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
	g_autoptr (GError) error = NULL;

	g_task_set_source_tag (task, source_tag);
	if (!qmp_protocol_check_state (self, QMP_RUNSTATE_IDLE, what, &error)) {
		g_task_return_error (task, g_steal_pointer (&error));
		return FALSE;
	}
	g_clear_error (&priv->error);
	priv->connect_task = g_steal_pointer (&task);
	/* our own cancellable, so that a failing session can stop the connect too */
	priv->connect_cancellable = g_cancellable_new ();
	if (cancellable != NULL) {
		priv->connect_cancel_source = g_cancellable_source_new (cancellable);
		g_source_set_callback (priv->connect_cancel_source,
				       G_SOURCE_FUNC (qmp_protocol_user_cancelled_cb), self, NULL);
		g_source_attach (priv->connect_cancel_source, priv->context);
	}
	qmp_protocol_set_runstate (self, QMP_RUNSTATE_CONNECTING);
	return TRUE;
}

/**
 * qmp_protocol_connect_async:
 * @self: a protocol in %QMP_RUNSTATE_IDLE
 * @address: see qmp_address_parse()
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when connected and the session is set up, or on failure
 * @user_data: data for @callback
 *
 * Connects and sets up the session. On failure the runstate returns to
 * %QMP_RUNSTATE_IDLE and the error names the address and the root cause.
 */
void
qmp_protocol_connect_async (QmpProtocol *self, const gchar *address, GCancellable *cancellable,
			    GAsyncReadyCallback callback, gpointer user_data)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);

	g_return_if_fail (QMP_IS_PROTOCOL (self));
	if (!qmp_protocol_begin_connect (self, "connect", cancellable, callback, user_data,
					 qmp_protocol_connect_async))
		return;
	priv->accepting = FALSE;
	g_free (priv->address);
	priv->address = g_strdup (address);
	qmp_transport_connect_async (priv->transport, address, priv->tls, priv->connect_cancellable,
				     qmp_protocol_transport_cb, g_object_ref (self));
}

gboolean
qmp_protocol_connect_finish (QmpProtocol *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
	return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * qmp_protocol_open_async:
 * @self: a protocol in %QMP_RUNSTATE_IDLE
 * @stream: a stream already connected to the peer, such as one end of a
 *   socketpair whose other end a child process holds; its streams must be
 *   pollable
 * @name: what the peer is called in messages
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the session is set up, or on failure
 * @user_data: data for @callback
 *
 * Sets up the session over @stream, as qmp_protocol_connect_async() does
 * once it has connected. Descriptors can be passed if @stream is a UNIX
 * socket connection. Finish with qmp_protocol_connect_finish().
 */
void
qmp_protocol_open_async (QmpProtocol *self, GIOStream *stream, const gchar *name,
			 GCancellable *cancellable, GAsyncReadyCallback callback,
			 gpointer user_data)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);

	g_return_if_fail (QMP_IS_PROTOCOL (self));
	g_return_if_fail (G_IS_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (stream)));
	if (!qmp_protocol_begin_connect (self, "open", cancellable, callback, user_data,
					 qmp_protocol_connect_async))
		return;
	priv->accepting = FALSE;
	g_free (priv->address);
	priv->address = g_strdup (name);
	qmp_protocol_start_session (self, stream);
}

/**
 * qmp_protocol_listen:
 * @self: a protocol in %QMP_RUNSTATE_IDLE
 * @address: a UNIX socket path or `HOST:PORT` to listen on (port 0 picks one)
 * @error: a #GError, or %NULL
 *
 * Binds and listens, so that a peer started after this returns can dial in
 * without a race. qmp_protocol_accept_async() then takes exactly one peer.
 *
 * Returns: %TRUE when listening
 */
gboolean
qmp_protocol_listen (QmpProtocol *self, const gchar *address, GError **error)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);

	g_return_val_if_fail (QMP_IS_PROTOCOL (self), FALSE);
	if (!qmp_protocol_check_state (self, QMP_RUNSTATE_IDLE, "listen", error))
		return FALSE;
	if (!qmp_transport_listen (priv->transport, address, error))
		return FALSE;
	g_free (priv->address);
	priv->address = qmp_transport_dup_listen_address (priv->transport);
	return TRUE;
}

/**
 * qmp_protocol_dup_listen_address:
 * @self: a listening protocol
 *
 * Returns: (transfer full) (nullable): the bound address in a form
 *   qmp_address_parse() reads, with the real port when 0 was asked for
 */
gchar *
qmp_protocol_dup_listen_address (QmpProtocol *self)
{
	g_return_val_if_fail (QMP_IS_PROTOCOL (self), NULL);
	return qmp_transport_dup_listen_address (GET_PRIVATE (self)->transport);
}

/**
 * qmp_protocol_accept_async:
 * @self: a protocol that qmp_protocol_listen() made listen
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when a peer is connected and the session set up, or on failure
 * @user_data: data for @callback
 *
 * Accepts exactly one peer, then stops listening.
 */
void
qmp_protocol_accept_async (QmpProtocol *self, GCancellable *cancellable,
			   GAsyncReadyCallback callback, gpointer user_data)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);

	g_return_if_fail (QMP_IS_PROTOCOL (self));
	if (!qmp_transport_is_listening (priv->transport)) {
		g_task_report_new_error (self, callback, user_data, qmp_protocol_accept_async,
					 QMP_ERROR, QMP_ERROR_STATE,
					 "cannot accept: not listening (call listen first)");
		return;
	}
	if (!qmp_protocol_begin_connect (self, "accept", cancellable, callback, user_data,
					 qmp_protocol_accept_async))
		return;
	priv->accepting = TRUE;
	qmp_transport_accept_async (priv->transport, priv->tls, priv->connect_cancellable,
				    qmp_protocol_transport_cb, g_object_ref (self));
}

gboolean
qmp_protocol_accept_finish (QmpProtocol *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
	return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * qmp_protocol_disconnect_async:
 * @self: a protocol
 * @cancellable: (nullable): a #GCancellable; ignored, a disconnect always finishes
 * @callback: called once the runstate is back to %QMP_RUNSTATE_IDLE
 * @user_data: data for @callback
 *
 * Flushes queued writes, stops the reader and writer, closes the stream and
 * returns to %QMP_RUNSTATE_IDLE. qmp_protocol_disconnect_finish() reports the
 * first error that caused the disconnect, if one did.
 */
void
qmp_protocol_disconnect_async (QmpProtocol *self, GCancellable *cancellable,
			       GAsyncReadyCallback callback, gpointer user_data)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);
	g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

	g_return_if_fail (QMP_IS_PROTOCOL (self));
	g_task_set_source_tag (task, qmp_protocol_disconnect_async);

	switch (priv->runstate) {
	case QMP_RUNSTATE_IDLE:
		qmp_transport_close (priv->transport);
		g_task_return_boolean (task, TRUE);
		return;
	case QMP_RUNSTATE_CONNECTING:
		g_ptr_array_add (priv->disconnect_tasks, g_steal_pointer (&task));
		g_cancellable_cancel (priv->connect_cancellable);
		return;
	case QMP_RUNSTATE_RUNNING:
		g_ptr_array_add (priv->disconnect_tasks, g_steal_pointer (&task));
		qmp_protocol_set_runstate (self, QMP_RUNSTATE_DISCONNECTING);
		qmp_protocol_teardown (self);
		return;
	case QMP_RUNSTATE_DISCONNECTING:
	default:
		g_ptr_array_add (priv->disconnect_tasks, g_steal_pointer (&task));
		if (priv->stopped || priv->stream == NULL)
			qmp_protocol_complete_disconnects (self);
		return;
	}
}

gboolean
qmp_protocol_disconnect_finish (QmpProtocol *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
	return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* defaults and GObject */

static QmpMessage *
qmp_protocol_real_receive (QmpProtocol *self, gchar *text, gsize len, GError **error)
{
	return qmp_message_new_take (text, len, error);
}

static void
qmp_protocol_real_route (QmpProtocol *self, QmpMessage *message)
{
	g_debug ("[%s] no route for a message", GET_PRIVATE (self)->name);
}

static void
qmp_protocol_real_establish_session_async (QmpProtocol *self, GCancellable *cancellable,
					   GAsyncReadyCallback callback, gpointer user_data)
{
	g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
	g_task_return_boolean (task, TRUE);
}

static gboolean
qmp_protocol_real_establish_session_finish (QmpProtocol *self, GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean (G_TASK (result), error);
}

static void
qmp_protocol_real_stopped (QmpProtocol *self, const GError *reason)
{
}

static void
qmp_protocol_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (QMP_PROTOCOL (object));
	switch (prop_id) {
	case PROP_RUNSTATE:
		g_value_set_enum (value, priv->runstate);
		break;
	case PROP_NAME:
		g_value_set_string (value, priv->name);
		break;
	case PROP_MAX_MESSAGE_SIZE:
		g_value_set_uint64 (value, priv->max_message_size);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
	}
}

static void
qmp_protocol_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
	QmpProtocol *self = QMP_PROTOCOL (object);
	switch (prop_id) {
	case PROP_NAME:
		qmp_protocol_set_name (self, g_value_get_string (value));
		break;
	case PROP_MAX_MESSAGE_SIZE:
		qmp_protocol_set_max_message_size (self, g_value_get_uint64 (value));
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
	}
}

static void
qmp_protocol_dispose (GObject *object)
{
	QmpProtocol *self = QMP_PROTOCOL (object);
	QmpProtocolPrivate *priv = GET_PRIVATE (self);

	/* no vfunc calls from here on: the subclass is already gone */
	priv->stopped = TRUE;
	qmp_clear_source (&priv->flush_timeout);
	qmp_clear_source (&priv->connect_cancel_source);
	if (priv->writer != NULL) {
		if (priv->writer_wait != NULL) {
			g_source_remove_child_source (priv->writer, priv->writer_wait);
			g_clear_pointer (&priv->writer_wait, g_source_unref);
		}
		g_source_destroy (priv->writer);
		g_clear_pointer (&priv->writer, g_source_unref);
	}
	if (priv->stream != NULL)
		g_io_stream_close (priv->stream, NULL, NULL);
	g_clear_object (&priv->stream);
	g_clear_object (&priv->socket);
	qmp_clear_source (&priv->reader);
	g_clear_object (&priv->connect_cancellable);
	g_clear_object (&priv->tls);
	qmp_transport_close (priv->transport);
	G_OBJECT_CLASS (qmp_protocol_parent_class)->dispose (object);
}

static void
qmp_protocol_finalize (GObject *object)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (QMP_PROTOCOL (object));
	QmpOutgoing *out;

	g_clear_pointer (&priv->current, qmp_outgoing_free);
	while ((out = g_async_queue_try_pop (priv->outq)) != NULL)
		qmp_outgoing_free (out);
	g_async_queue_unref (priv->outq);
	g_object_unref (priv->transport);
	g_clear_pointer (&priv->framer, qmp_framer_free);
	g_free (priv->read_buf);
	g_clear_error (&priv->error);
	g_ptr_array_unref (priv->disconnect_tasks);
	g_main_context_unref (priv->context);
	g_free (priv->name);
	g_free (priv->address);
	G_OBJECT_CLASS (qmp_protocol_parent_class)->finalize (object);
}

static void
qmp_protocol_init (QmpProtocol *self)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);
	priv->name = g_strdup ("qmp");
	priv->max_message_size = QMP_FRAMER_DEFAULT_MAX_SIZE;
	priv->context = g_main_context_ref_thread_default ();
	priv->transport = qmp_transport_new ();
	priv->outq = g_async_queue_new ();
	priv->disconnect_tasks = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
qmp_protocol_class_init (QmpProtocolClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS (klass);

	object_class->get_property = qmp_protocol_get_property;
	object_class->set_property = qmp_protocol_set_property;
	object_class->dispose = qmp_protocol_dispose;
	object_class->finalize = qmp_protocol_finalize;

	klass->receive = qmp_protocol_real_receive;
	klass->send = qmp_protocol_real_send;
	klass->route = qmp_protocol_real_route;
	klass->establish_session_async = qmp_protocol_real_establish_session_async;
	klass->establish_session_finish = qmp_protocol_real_establish_session_finish;
	klass->stopped = qmp_protocol_real_stopped;

	/**
	 * QmpProtocol:runstate:
	 *
	 * Where the connection is in its life.
	 */
	props[PROP_RUNSTATE] = g_param_spec_enum (
		"runstate", NULL, NULL, QMP_TYPE_RUNSTATE, QMP_RUNSTATE_IDLE,
		G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

	/**
	 * QmpProtocol:name:
	 *
	 * The name this connection goes by in debug logs.
	 */
	props[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, "qmp",
						G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
							G_PARAM_EXPLICIT_NOTIFY);

	/**
	 * QmpProtocol:max-message-size:
	 *
	 * The largest message accepted from the peer, in bytes.
	 */
	props[PROP_MAX_MESSAGE_SIZE] = g_param_spec_uint64 (
		"max-message-size", NULL, NULL, 1, G_MAXUINT64, QMP_FRAMER_DEFAULT_MAX_SIZE,
		G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

	g_object_class_install_properties (object_class, N_PROPS, props);

	/**
	 * QmpProtocol::runstate-changed:
	 * @self: the protocol
	 * @runstate: the new #QmpRunstate
	 *
	 * Emitted on every change of runstate, in the owning main context.
	 */
	signals[SIGNAL_RUNSTATE_CHANGED] =
		g_signal_new ("runstate-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
			      NULL, NULL, NULL, G_TYPE_NONE, 1, QMP_TYPE_RUNSTATE);

	/**
	 * QmpProtocol::message-in:
	 * @self: the protocol
	 * @message: a message as it came from the peer
	 *
	 * Emitted for every message received, before it is routed; for
	 * transcripts.
	 */
	signals[SIGNAL_MESSAGE_IN] =
		g_signal_new ("message-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
			      NULL, NULL, G_TYPE_NONE, 1, QMP_TYPE_MESSAGE);

	/**
	 * QmpProtocol::message-out:
	 * @self: the protocol
	 * @message: a message as it goes to the peer
	 *
	 * Emitted for every message queued for the writer, in the thread that
	 * queued it; for transcripts.
	 */
	signals[SIGNAL_MESSAGE_OUT] =
		g_signal_new ("message-out", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
			      NULL, NULL, G_TYPE_NONE, 1, QMP_TYPE_MESSAGE);
}
