/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define G_LOG_DOMAIN "qmp"

/*
 * QmpProtocol: the object, its runstate, messages in and out, and the
 * teardown. How it gets connected, by connecting, listening or being
 * handed a stream, and how the session is set up after, is in
 * qmp-protocol-connect.c; qmp-protocol-private.h is what the two share.
 */

#include "qmp-protocol-private.h"
#include "qmp-source.h"
#include "qmp-error.h"
#include "qmp-framer.h"

#define QMP_PROTOCOL_FLUSH_TIMEOUT 5 /* seconds a disconnect waits for queued writes */

G_DEFINE_TYPE_WITH_PRIVATE (QmpProtocol, qmp_protocol, G_TYPE_OBJECT)

QmpProtocolPrivate *
qmp_protocol_get_private (QmpProtocol *self)
{
	return qmp_protocol_get_instance_private (self);
}

enum { PROP_0, PROP_RUNSTATE, PROP_NAME, PROP_MAX_MESSAGE_SIZE, N_PROPS };
static GParamSpec *props[N_PROPS];

enum { SIGNAL_RUNSTATE_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void qmp_protocol_teardown (QmpProtocol *self);
static void qmp_protocol_finish_teardown (QmpProtocol *self);

/* asked once: GLib reads G_MESSAGES_DEBUG from the environment at each call */
static gboolean
qmp_protocol_debug_enabled (void)
{
	static gint enabled = -1;

	if (enabled < 0)
		enabled = !g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN);
	return enabled;
}

void
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

gboolean
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
	if (priv->reader != NULL)
		qmp_reader_set_skip_delimiter (priv->reader, skip);
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
 * qmp_protocol_set_ssh_command:
 * @self: a protocol
 * @argv: (nullable): the command that runs ssh, with the arguments it starts
 *   with (`ssh -F CONFIG`), for `ssh://` addresses; %NULL for `ssh`
 */
void
qmp_protocol_set_ssh_command (QmpProtocol *self, const gchar *const *argv)
{
	g_return_if_fail (QMP_IS_PROTOCOL (self));
	qmp_transport_set_ssh_command (GET_PRIVATE (self)->transport, argv);
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
 *   that carries file descriptors (not over TCP, TLS or ssh)
 */
gboolean
qmp_protocol_can_pass_fds (QmpProtocol *self)
{
	return GET_PRIVATE (self)->socket != NULL;
}

/**
 * qmp_protocol_get_peer_pid:
 * @self: a protocol
 *
 * The process at the other end of a local UNIX socket, as the kernel says
 * (not as the peer claims): what tells one server from another that answers
 * at the same address with the same greeting.
 *
 * Returns: its process id, or 0 when the connection is no UNIX socket or the
 *   kernel does not say
 */
GPid
qmp_protocol_get_peer_pid (QmpProtocol *self)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);
	g_autoptr (GCredentials) cred =
		priv->socket != NULL ? g_socket_get_credentials (priv->socket, NULL) : NULL;
	pid_t pid = cred != NULL ? g_credentials_get_unix_pid (cred, NULL) : -1;

	return pid > 0 ? pid : 0;
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

/* ------------------------------------------------------------------------ */
/* taps: who sees every message */

typedef struct {
	guint id;
	QmpProtocolTapFunc func;
	gpointer user_data;
} QmpProtocolTap;

/*
 * Functions, not signals: with none set, a message costs a look at a
 * length, where asking GLib whether a signal has handlers cost more than
 * the rest of routing a reply
 */
static void
qmp_protocol_tap (QmpProtocol *self, QmpDirection direction, QmpMessage *message)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);

	/* a tap may remove itself, or another: the array is read afresh each time */
	for (guint i = 0; i < priv->taps->len; i++) {
		QmpProtocolTap tap = g_array_index (priv->taps, QmpProtocolTap, i);
		tap.func (self, direction, message, tap.user_data);
	}
}

/**
 * qmp_protocol_add_tap:
 * @self: a protocol
 * @func: told every message, either way, as it goes
 * @user_data: data for @func
 *
 * Taps run in the thread that sends or receives the message; add and
 * remove them in the thread the protocol runs in.
 *
 * Returns: an id for qmp_protocol_remove_tap(), never 0
 */
guint
qmp_protocol_add_tap (QmpProtocol *self, QmpProtocolTapFunc func, gpointer user_data)
{
	QmpProtocolPrivate *priv;
	QmpProtocolTap tap;

	g_return_val_if_fail (QMP_IS_PROTOCOL (self), 0);
	g_return_val_if_fail (func != NULL, 0);
	priv = GET_PRIVATE (self);
	tap = (QmpProtocolTap){ ++priv->last_tap_id, func, user_data };
	g_array_append_val (priv->taps, tap);
	return tap.id;
}

/**
 * qmp_protocol_remove_tap:
 * @self: a protocol
 * @id: what qmp_protocol_add_tap() returned
 */
void
qmp_protocol_remove_tap (QmpProtocol *self, guint id)
{
	QmpProtocolPrivate *priv;

	g_return_if_fail (QMP_IS_PROTOCOL (self));
	priv = GET_PRIVATE (self);
	for (guint i = 0; i < priv->taps->len; i++) {
		if (g_array_index (priv->taps, QmpProtocolTap, i).id == id) {
			g_array_remove_index (priv->taps, i);
			return;
		}
	}
	g_critical ("%s: no tap %u on %p", G_STRFUNC, id, (gpointer)self);
}

static void
qmp_protocol_handle_text (QmpProtocol *self, gchar *text, gsize len, const QmpScan *scan)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);
	QmpProtocolClass *klass = QMP_PROTOCOL_GET_CLASS (self);
	g_autoptr (QmpMessage) message = NULL;
	g_autoptr (GError) error = NULL;

	if (qmp_protocol_debug_enabled ())
		g_debug ("[%s] <<< %.*s", priv->name, (int)len, scan != NULL ? scan->text : text);
	message = klass->receive (self, text, len, scan, &error);
	if (message == NULL) {
		g_prefix_error (&error, "from %s: ", priv->address);
		qmp_protocol_fail (self, g_steal_pointer (&error));
		return;
	}
	if (priv->taps->len > 0)
		qmp_protocol_tap (self, QMP_DIRECTION_IN, message);
	klass->route (self, message);
}

/* the reader's callbacks: they hold the protocol, which the user may drop in a route */
static gboolean
qmp_protocol_message_cb (gchar *text, gsize len, const QmpScan *scan, gpointer user_data)
{
	/* a plain cast: this runs for every message, and the reader was given self */
	g_autoptr (QmpProtocol) self = g_object_ref ((QmpProtocol *)user_data);
	QmpProtocolPrivate *priv = GET_PRIVATE (self);

	/* after a failure during set-up nothing more is routed */
	if (priv->stopped || priv->error != NULL) {
		g_free (text);
		return FALSE;
	}
	qmp_protocol_handle_text (self, text, len, scan);
	return !priv->stopped && priv->error == NULL;
}

/*
 * The commands the replies of one read brought about go out now, in one
 * write, and not at the next turn of the loop: a turn costs more than the
 * rest of routing a reply
 */
static void
qmp_protocol_drained_cb (gpointer user_data)
{
	QmpProtocolPrivate *priv = GET_PRIVATE ((QmpProtocol *)user_data); /* set with self */
	qmp_writer_kick (priv->writer);
}

static void
qmp_protocol_io_failed_cb (GError *error, gpointer user_data)
{
	g_autoptr (QmpProtocol) self = g_object_ref (QMP_PROTOCOL (user_data));
	qmp_protocol_fail (self, error);
}

/* ------------------------------------------------------------------------ */
/* writer */

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
	gsize len = qmp_message_get_length (message);
	gboolean with_fds = fds != NULL && g_unix_fd_list_get_length (fds) > 0;

	if (priv->runstate != QMP_RUNSTATE_RUNNING && priv->runstate != QMP_RUNSTATE_CONNECTING) {
		g_set_error (error, QMP_ERROR, QMP_ERROR_STATE,
			     "cannot send while the connection is %s",
			     qmp_runstate_to_string (priv->runstate));
		return FALSE;
	}
	if (with_fds && priv->socket == NULL) {
		g_set_error_literal (error, QMP_ERROR, QMP_ERROR_UNSUPPORTED,
				     "file descriptors can only be passed over a UNIX socket");
		return FALSE;
	}
	if (qmp_protocol_debug_enabled ())
		g_debug ("[%s] >>> %s", priv->name, qmp_message_get_text (message));
	if (priv->taps->len > 0)
		qmp_protocol_tap (self, QMP_DIRECTION_OUT, message);

	qmp_writer_push (priv->writer, qmp_message_get_text (message), len, with_fds ? fds : NULL);
	return TRUE;
}

/* ------------------------------------------------------------------------ */
/* starting and stopping */

void
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
	qmp_writer_start (priv->writer, priv->stream, priv->socket, priv->address);
	priv->reader =
		qmp_reader_new (g_io_stream_get_input_stream (priv->stream), priv->max_message_size,
				priv->address, priv->context, qmp_protocol_message_cb,
				qmp_protocol_drained_cb, qmp_protocol_io_failed_cb, self);
	qmp_reader_set_skip_delimiter (priv->reader, priv->skip_delimiter);
}

/* stops reader and writer and closes the stream; idempotent */
void
qmp_protocol_stop_io (QmpProtocol *self)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);

	if (priv->stopped || priv->stream == NULL)
		return;
	priv->stopped = TRUE;
	if (priv->reader != NULL) {
		qmp_reader_stop (priv->reader);
		g_clear_object (&priv->reader);
	}
	qmp_writer_stop (priv->writer);
	g_io_stream_close (priv->stream, NULL, NULL);
	g_clear_object (&priv->stream);
	g_clear_object (&priv->socket);

	QMP_PROTOCOL_GET_CLASS (self)->stopped (self, priv->error);
}

void
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

/* the writer wrote out what was queued, or gave up: the disconnect goes on */
static void
qmp_protocol_flushed_cb (gpointer user_data)
{
	g_autoptr (QmpProtocol) self = g_object_ref (QMP_PROTOCOL (user_data));
	qmp_protocol_finish_teardown (self);
}

/* DISCONNECTING: flush what is queued unless an error stopped the stream, then stop */
static void
qmp_protocol_teardown (QmpProtocol *self)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (self);

	if (priv->stopped || priv->stream == NULL || priv->error != NULL ||
	    !qmp_writer_has_pending (priv->writer)) {
		qmp_protocol_finish_teardown (self);
		return;
	}
	qmp_writer_flush (priv->writer, QMP_PROTOCOL_FLUSH_TIMEOUT);
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
qmp_protocol_real_receive (QmpProtocol *self, gchar *text, gsize len, const QmpScan *scan,
			   GError **error)
{
	if (scan != NULL)
		return qmp_message_new_scanned (scan);
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
	qmp_clear_source (&priv->connect_cancel_source);
	qmp_clear_source (&priv->connect_timer);
	qmp_writer_stop (priv->writer);
	if (priv->reader != NULL) {
		qmp_reader_stop (priv->reader);
		g_clear_object (&priv->reader);
	}
	if (priv->stream != NULL)
		g_io_stream_close (priv->stream, NULL, NULL);
	g_clear_object (&priv->stream);
	g_clear_object (&priv->socket);
	g_clear_object (&priv->connect_cancellable);
	g_clear_object (&priv->tls);
	qmp_transport_close (priv->transport);
	G_OBJECT_CLASS (qmp_protocol_parent_class)->dispose (object);
}

static void
qmp_protocol_finalize (GObject *object)
{
	QmpProtocolPrivate *priv = GET_PRIVATE (QMP_PROTOCOL (object));

	g_object_unref (priv->writer);
	g_object_unref (priv->transport);
	g_clear_error (&priv->error);
	g_ptr_array_unref (priv->disconnect_tasks);
	g_array_unref (priv->taps);
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
	priv->writer = qmp_writer_new (priv->context, qmp_protocol_io_failed_cb,
				       qmp_protocol_flushed_cb, self);
	priv->disconnect_tasks = g_ptr_array_new_with_free_func (g_object_unref);
	priv->taps = g_array_new (FALSE, FALSE, sizeof (QmpProtocolTap));
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
}
