/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * How a QmpProtocol gets connected: it connects to an address, accepts a
 * peer that dials in, or is handed a stream, through its QmpTransport; then
 * the subclass sets up the session. Until that is done the runstate is
 * CONNECTING, and a failure at any step ends in one error that names the
 * address and the root cause.
 */

#define G_LOG_DOMAIN "qmp"

#include "qmp-protocol-private.h"
#include "qmp-error.h"
#include "qmp-source.h"
#include "qmp-ssh-stream.h"

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
	/* over ssh, ssh alone knows why the far side closed: no socket there, say */
	if (priv->stream != NULL && QMP_IS_SSH_STREAM (priv->stream) &&
	    !g_error_matches (root, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		GError *why = qmp_ssh_stream_diagnose (QMP_SSH_STREAM (priv->stream));
		if (why != NULL) {
			g_clear_error (&root);
			root = why;
		}
	}
	qmp_clear_source (&priv->connect_cancel_source);
	qmp_clear_source (&priv->connect_timer);
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
	qmp_clear_source (&priv->connect_timer);
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

/*
 * A host that is down, or a firewall that drops the packets, leaves a TCP
 * connect (or ssh's) waiting for minutes: the connection gets the time
 * the session set-up gets. The error stands in for the cancellation it causes.
 */
static gboolean
qmp_protocol_connect_timeout_cb (gpointer user_data)
{
	QmpProtocol *self = QMP_PROTOCOL (user_data);
	QmpProtocolPrivate *priv = GET_PRIVATE (self);

	qmp_clear_source (&priv->connect_timer);
	g_clear_error (&priv->error);
	priv->error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
				   "not connected within %.1f s: is the host up and reachable, "
				   "and does nothing in between drop the connection?",
				   priv->connect_timeout / 1000.0);
	g_cancellable_cancel (priv->connect_cancellable);
	return G_SOURCE_REMOVE;
}

/* TLS: the connection is made, and the handshake's own timeout takes over */
static void
qmp_protocol_handshake_begins (gpointer user_data)
{
	qmp_clear_source (&GET_PRIVATE (QMP_PROTOCOL (user_data))->connect_timer);
}

/**
 * qmp_protocol_set_connect_timeout:
 * @self: a protocol
 * @msec: how long qmp_protocol_connect_async() may take to connect, ssh's
 *   set-up included, before the session set-up starts; 0 waits for ever.
 *   With TLS, until the connection is made: the handshake has a timeout of
 *   its own, and says what a silent peer there means.
 */
void
qmp_protocol_set_connect_timeout (QmpProtocol *self, guint msec)
{
	g_return_if_fail (QMP_IS_PROTOCOL (self));
	GET_PRIVATE (self)->connect_timeout = msec;
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
	/* a host that drops the packets, TLS or not: TCP would wait for minutes */
	if (priv->connect_timeout > 0) {
		priv->connect_timer = g_timeout_source_new (priv->connect_timeout);
		g_source_set_callback (priv->connect_timer, qmp_protocol_connect_timeout_cb, self,
				       NULL);
		g_source_attach (priv->connect_timer, priv->context);
	}
	qmp_transport_set_handshake_func (priv->transport, qmp_protocol_handshake_begins, self);
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
