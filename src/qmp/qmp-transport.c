/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define G_LOG_DOMAIN "qmp"

#include "qmp-transport.h"
#include "qmp-address.h"
#include "qmp-error.h"
#include "qmp-ssh-stream.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

/**
 * QmpTransport:
 *
 * How QmpProtocol reaches its peer: it connects to an address, or listens
 * on one and accepts exactly one peer, and with a #QmpTlsConfig runs the
 * TLS handshake before it hands the stream on. What flows over the stream
 * is QmpProtocol's business.
 */
struct _QmpTransport {
	GObject parent_instance;

	GSocketListener *listener;
	GSocketAddress *listen_address;		  /* as bound: the real port when 0 was asked for */
	gchar *listen_path;			  /* a UNIX socket file of ours, removed on close */
	GStrv ssh_command;			  /* nullable: ssh and its first arguments */
	QmpTransportHandshakeFunc handshake_func; /* nullable */
	gpointer handshake_data;
};

G_DEFINE_TYPE (QmpTransport, qmp_transport, G_TYPE_OBJECT)

/* what one connect or accept needs once the socket is connected */
typedef struct {
	QmpTlsConfig *tls; /* nullable */
	QmpTlsEndpoint endpoint;
	gchar *host; /* the name the server's certificate must carry */
} QmpTransportOp;

static void
qmp_transport_op_free (QmpTransportOp *op)
{
	g_clear_object (&op->tls);
	g_free (op->host);
	g_free (op);
}

static GTask *
qmp_transport_task_new (QmpTransport *self, QmpTlsConfig *tls, QmpTlsEndpoint endpoint,
			GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data,
			gpointer source_tag)
{
	GTask *task = g_task_new (self, cancellable, callback, user_data);
	QmpTransportOp *op = g_new0 (QmpTransportOp, 1);

	g_task_set_source_tag (task, source_tag);
	op->tls = tls != NULL ? g_object_ref (tls) : NULL;
	op->endpoint = endpoint;
	g_task_set_task_data (task, op, (GDestroyNotify)qmp_transport_op_free);
	return task;
}

/* QEMU has TLS on TCP only */
static gboolean
qmp_transport_check_tls (GSocketConnectable *address, QmpTlsConfig *tls, GError **error)
{
	if (tls == NULL || !G_IS_UNIX_SOCKET_ADDRESS (address))
		return TRUE;
	g_set_error_literal (error, QMP_ERROR, QMP_ERROR_UNSUPPORTED,
			     "TLS works over TCP only (QEMU has no TLS on UNIX sockets): "
			     "use HOST:PORT, or drop the TLS options");
	return FALSE;
}

static void
qmp_transport_handshake_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (GTask) task = G_TASK (user_data);
	GError *error = NULL;

	if (!qmp_tls_stream_handshake_finish (QMP_TLS_STREAM (source), res, &error)) {
		g_io_stream_close (G_IO_STREAM (source), NULL, NULL);
		g_task_return_error (task, error);
		return;
	}
	g_task_return_pointer (task, g_object_ref (source), g_object_unref);
}

/* the last step of a connect or accept: TLS when it is asked for */
static void
qmp_transport_secure (GTask *task_in, GSocketConnection *connection)
{
	g_autoptr (GTask) task = task_in;
	QmpTransport *self = g_task_get_source_object (task);
	QmpTransportOp *op = g_task_get_task_data (task);
	g_autoptr (QmpTlsStream) tls = NULL;
	GCancellable *cancellable;
	GError *error = NULL;

	if (op->tls == NULL) {
		g_task_return_pointer (task, g_object_ref (connection), g_object_unref);
		return;
	}
	tls = qmp_tls_stream_new (connection, op->tls, op->endpoint, op->host, &error);
	if (tls == NULL) {
		g_task_return_error (task, error);
		return;
	}
	cancellable = g_task_get_cancellable (task);
	if (self->handshake_func != NULL)
		self->handshake_func (self->handshake_data);
	qmp_tls_stream_handshake_async (tls, cancellable, qmp_transport_handshake_cb,
					g_steal_pointer (&task));
}

static void
qmp_transport_connect_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (GTask) task = G_TASK (user_data);
	g_autoptr (GSocketConnection) connection = NULL;
	GError *error = NULL;

	connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), res, &error);
	if (connection == NULL) {
		g_task_return_error (task, error);
		return;
	}
	qmp_transport_secure (g_steal_pointer (&task), connection);
}

static void
qmp_transport_ssh_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (GTask) task = G_TASK (user_data);
	GError *error = NULL;
	GIOStream *stream = qmp_ssh_stream_connect_finish (res, &error);

	if (stream == NULL) {
		g_task_return_error (task, error);
		return;
	}
	g_task_return_pointer (task, stream, g_object_unref);
}

/* ssh://: the system's ssh reaches the socket; it encrypts, so TLS has no place */
static void
qmp_transport_connect_ssh (QmpTransport *self, GTask *task_in, const gchar *address)
{
	g_autoptr (GTask) task = task_in;
	QmpTransportOp *op = g_task_get_task_data (task);
	GCancellable *cancellable = g_task_get_cancellable (task);

	if (op->tls != NULL) {
		g_task_return_new_error (task, QMP_ERROR, QMP_ERROR_UNSUPPORTED,
					 "TLS works over TCP only, and ssh encrypts already: drop "
					 "the TLS options");
		return;
	}
	qmp_ssh_stream_connect_async (address, (const gchar *const *)self->ssh_command, cancellable,
				      qmp_transport_ssh_cb, g_steal_pointer (&task));
}

/**
 * qmp_transport_set_handshake_func:
 * @self: a transport
 * @func: (nullable): called when a connect or accept has its connection and
 *   begins the TLS handshake, which has a timeout of its own
 * @user_data: data for @func
 *
 * Lets the owner stop timing the connect at the point where the handshake
 * takes over: until then, a host that drops the packets is only a wait.
 */
void
qmp_transport_set_handshake_func (QmpTransport *self, QmpTransportHandshakeFunc func,
				  gpointer user_data)
{
	g_return_if_fail (QMP_IS_TRANSPORT (self));
	self->handshake_func = func;
	self->handshake_data = user_data;
}

/**
 * qmp_transport_set_ssh_command:
 * @self: a transport
 * @argv: (nullable): the command that runs ssh, with the arguments it starts
 *   with (`ssh -F CONFIG`); %NULL for `ssh`
 *
 * What reaches `ssh://` addresses.
 */
void
qmp_transport_set_ssh_command (QmpTransport *self, const gchar *const *argv)
{
	g_return_if_fail (QMP_IS_TRANSPORT (self));
	g_strfreev (self->ssh_command);
	self->ssh_command = g_strdupv ((gchar **)argv);
}

/**
 * qmp_transport_connect_async:
 * @self: a transport
 * @address: see qmp_address_parse()
 * @tls: (nullable): TLS credentials, for a TLS client over TCP
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the stream, or on failure
 * @user_data: data for @callback
 *
 * Connects, and with @tls runs the handshake, verifying that the server's
 * certificate carries the host connected to unless @tls names another. An
 * `ssh://` address gives a #QmpSshStream.
 */
void
qmp_transport_connect_async (QmpTransport *self, const gchar *address, QmpTlsConfig *tls,
			     GCancellable *cancellable, GAsyncReadyCallback callback,
			     gpointer user_data)
{
	g_autoptr (GTask) task = NULL;
	g_autoptr (GSocketConnectable) connectable = NULL;
	g_autoptr (GSocketClient) client = NULL;
	QmpTransportOp *op;
	GError *error = NULL;

	g_return_if_fail (QMP_IS_TRANSPORT (self));
	task = qmp_transport_task_new (self, tls, QMP_TLS_ENDPOINT_CLIENT, cancellable, callback,
				       user_data, qmp_transport_connect_async);
	op = g_task_get_task_data (task);
	if (qmp_address_is_ssh (address)) {
		qmp_transport_connect_ssh (self, g_steal_pointer (&task), address);
		return;
	}
	connectable = qmp_address_parse (address, &error);
	if (connectable == NULL || !qmp_transport_check_tls (connectable, tls, &error)) {
		g_task_return_error (task, error);
		return;
	}
	if (G_IS_NETWORK_ADDRESS (connectable))
		op->host =
			g_strdup (g_network_address_get_hostname (G_NETWORK_ADDRESS (connectable)));
	client = g_socket_client_new ();
	g_socket_client_connect_async (client, connectable, cancellable, qmp_transport_connect_cb,
				       g_steal_pointer (&task));
}

/**
 * qmp_transport_connect_finish:
 * @self: a transport
 * @result: the result
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full): the connected stream, a #GSocketConnection, a
 *   #QmpTlsStream or a #QmpSshStream, or %NULL
 */
GIOStream *
qmp_transport_connect_finish (QmpTransport *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail (g_task_is_valid (result, self), NULL);
	return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * qmp_transport_close:
 * @self: a transport
 *
 * Stops listening and removes the UNIX socket file it listened on, if any.
 */
void
qmp_transport_close (QmpTransport *self)
{
	g_return_if_fail (QMP_IS_TRANSPORT (self));
	if (self->listener != NULL) {
		g_socket_listener_close (self->listener);
		g_clear_object (&self->listener);
	}
	if (self->listen_path != NULL) {
		g_unlink (self->listen_path);
		g_clear_pointer (&self->listen_path, g_free);
	}
	g_clear_object (&self->listen_address);
}

static GSocketAddress *
qmp_transport_resolve (const gchar *address, GError **error)
{
	g_autoptr (GSocketConnectable) connectable = qmp_address_parse (address, error);
	g_autoptr (GSocketAddressEnumerator) e = NULL;
	GSocketAddress *sockaddr;

	if (connectable == NULL)
		return NULL;
	if (G_IS_SOCKET_ADDRESS (connectable))
		return G_SOCKET_ADDRESS (g_steal_pointer (&connectable));
	e = g_socket_connectable_enumerate (connectable);
	sockaddr = g_socket_address_enumerator_next (e, NULL, error);
	if (sockaddr == NULL) {
		if (error != NULL && *error == NULL)
			g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no address for %s",
				     address);
		g_prefix_error (error, "listening on %s: ", address);
	}
	return sockaddr;
}

/**
 * qmp_transport_listen:
 * @self: a transport
 * @address: a UNIX socket path or `HOST:PORT` to listen on (port 0 picks one)
 * @error: a #GError, or %NULL
 *
 * Binds and listens, so that a peer started after this returns can dial in
 * without a race. A UNIX socket is the user's alone (mode 0600) from the
 * moment it exists. Listening again replaces the earlier listener.
 *
 * Returns: %TRUE when listening
 */
gboolean
qmp_transport_listen (QmpTransport *self, const gchar *address, GError **error)
{
	g_autoptr (GSocketAddress) sockaddr = NULL;
	g_autoptr (GSocketAddress) bound = NULL;
	g_autoptr (GSocketListener) listener = NULL;
	mode_t old_mask;
	gboolean added;

	g_return_val_if_fail (QMP_IS_TRANSPORT (self), FALSE);
	sockaddr = qmp_transport_resolve (address, error);
	if (sockaddr == NULL)
		return FALSE;
	listener = g_socket_listener_new ();
	g_socket_listener_set_backlog (listener, 1);
	/* whoever connects controls the VM: the socket is the user's alone, from its birth */
	old_mask = umask (0077);
	added = g_socket_listener_add_address (listener, sockaddr, G_SOCKET_TYPE_STREAM,
					       G_SOCKET_PROTOCOL_DEFAULT, NULL, &bound, error);
	umask (old_mask);
	if (!added) {
		g_prefix_error (error, "listening on %s: ", address);
		return FALSE;
	}
	qmp_transport_close (self);
	self->listener = g_steal_pointer (&listener);
	self->listen_address = g_steal_pointer (&bound);
	if (G_IS_UNIX_SOCKET_ADDRESS (sockaddr)) {
		self->listen_path = g_strdup (
			g_unix_socket_address_get_path (G_UNIX_SOCKET_ADDRESS (sockaddr)));
		g_chmod (self->listen_path, 0600);
	}
	return TRUE;
}

gboolean
qmp_transport_is_listening (QmpTransport *self)
{
	g_return_val_if_fail (QMP_IS_TRANSPORT (self), FALSE);
	return self->listener != NULL;
}

/**
 * qmp_transport_dup_listen_address:
 * @self: a transport
 *
 * Returns: (transfer full) (nullable): the bound address in a form
 *   qmp_address_parse() reads, with the real port when 0 was asked for;
 *   %NULL when not listening
 */
gchar *
qmp_transport_dup_listen_address (QmpTransport *self)
{
	g_return_val_if_fail (QMP_IS_TRANSPORT (self), NULL);
	if (self->listen_address == NULL)
		return NULL;
	return qmp_address_to_string (self->listen_address);
}

static void
qmp_transport_accept_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (GTask) task = G_TASK (user_data);
	g_autoptr (GSocketConnection) connection = NULL;
	GError *error = NULL;

	connection =
		g_socket_listener_accept_finish (G_SOCKET_LISTENER (source), res, NULL, &error);
	/* exactly one peer */
	qmp_transport_close (g_task_get_source_object (task));
	if (connection == NULL) {
		g_task_return_error (task, error);
		return;
	}
	qmp_transport_secure (g_steal_pointer (&task), connection);
}

/**
 * qmp_transport_accept_async:
 * @self: a transport that qmp_transport_listen() made listen
 * @tls: (nullable): TLS credentials, for a TLS server over TCP
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the stream, or on failure
 * @user_data: data for @callback
 *
 * Accepts exactly one peer, then stops listening, whatever the outcome; with
 * @tls, runs the handshake as the server.
 */
void
qmp_transport_accept_async (QmpTransport *self, QmpTlsConfig *tls, GCancellable *cancellable,
			    GAsyncReadyCallback callback, gpointer user_data)
{
	g_autoptr (GTask) task = NULL;
	GError *error = NULL;

	g_return_if_fail (QMP_IS_TRANSPORT (self));
	task = qmp_transport_task_new (self, tls, QMP_TLS_ENDPOINT_SERVER, cancellable, callback,
				       user_data, qmp_transport_accept_async);
	if (self->listener == NULL) {
		g_task_return_new_error (task, QMP_ERROR, QMP_ERROR_STATE,
					 "cannot accept: not listening (call listen first)");
		return;
	}
	if (!qmp_transport_check_tls (G_SOCKET_CONNECTABLE (self->listen_address), tls, &error)) {
		qmp_transport_close (self);
		g_task_return_error (task, error);
		return;
	}
	g_socket_listener_accept_async (self->listener, cancellable, qmp_transport_accept_cb,
					g_steal_pointer (&task));
}

/**
 * qmp_transport_accept_finish:
 * @self: a transport
 * @result: the result
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full): the connected stream, a #GSocketConnection or a
 *   #QmpTlsStream, or %NULL
 */
GIOStream *
qmp_transport_accept_finish (QmpTransport *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail (g_task_is_valid (result, self), NULL);
	return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * qmp_transport_new:
 *
 * Returns: (transfer full): a transport that neither listens nor connects
 */
QmpTransport *
qmp_transport_new (void)
{
	return g_object_new (QMP_TYPE_TRANSPORT, NULL);
}

static void
qmp_transport_dispose (GObject *object)
{
	qmp_transport_close (QMP_TRANSPORT (object));
	G_OBJECT_CLASS (qmp_transport_parent_class)->dispose (object);
}

static void
qmp_transport_finalize (GObject *object)
{
	g_strfreev (QMP_TRANSPORT (object)->ssh_command);
	G_OBJECT_CLASS (qmp_transport_parent_class)->finalize (object);
}

static void
qmp_transport_init (QmpTransport *self)
{
}

static void
qmp_transport_class_init (QmpTransportClass *klass)
{
	G_OBJECT_CLASS (klass)->dispose = qmp_transport_dispose;
	G_OBJECT_CLASS (klass)->finalize = qmp_transport_finalize;
}
