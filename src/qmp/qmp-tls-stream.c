/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * QmpTlsStream runs one GnuTLS session on a connected socket, with the
 * credentials of a QmpTlsConfig, and gives QmpProtocol the pollable streams
 * its reader and writer expect: QmpTlsInputStream and QmpTlsOutputStream,
 * which wait on a QmpTlsSource.
 */

#define G_LOG_DOMAIN "qmp"

#include "qmp-tls-stream.h"
#include "qmp-source.h"
#include "qmp-tls-input-stream.h"
#include "qmp-tls-output-stream.h"
#include "qmp-tls-private.h"
#include "qmp-error.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

/**
 * QmpTlsStream:
 *
 * A #GIOStream that runs one GnuTLS session over a connected TCP socket. Its
 * input and output streams are pollable and never block the main loop.
 */
struct _QmpTlsStream {
	GIOStream parent_instance;

	GSocketConnection *base;
	GSocket *socket;
	QmpTlsConfig *config;
	QmpTlsEndpoint endpoint;
	gchar *identity; /* the name the server's certificate must carry */

	gnutls_session_t session;
	gnutls_certificate_credentials_t x509;
	gnutls_psk_client_credentials_t psk_client;
	gnutls_psk_server_credentials_t psk_server;

	GInputStream *input;
	GOutputStream *output;

	GError *transport_error; /* what the socket said behind GNUTLS_E_PULL/PUSH_ERROR */
	gint first_byte;	 /* the first byte from the peer, or -1 */
	gchar *unknown_user;	 /* a PSK identity a client sent that has no key here */
	gboolean handshaken;
	gboolean received;	/* any application data yet */
	gboolean nudge_pending; /* GnuTLS holds a newline record to send first */
	gboolean closed;

	GTask *handshake_task;
	GSource *handshake_wait;
	GSource *handshake_timer;
	GSource *handshake_cancel;
};

G_DEFINE_TYPE (QmpTlsStream, qmp_tls_stream, G_TYPE_IO_STREAM)

/* push and pull: the socket never blocks; EAGAIN tells GnuTLS to come back later */
static ssize_t
qmp_tls_stream_transport_failed (QmpTlsStream *self, GError *error)
{
	if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
		g_error_free (error);
		gnutls_transport_set_errno (self->session, EAGAIN);
		return -1;
	}
	g_clear_error (&self->transport_error);
	self->transport_error = error;
	gnutls_transport_set_errno (self->session, EIO);
	return -1;
}

static ssize_t
qmp_tls_stream_pull_cb (gnutls_transport_ptr_t ptr, void *buf, size_t len)
{
	QmpTlsStream *self = ptr;
	GError *error = NULL;
	gssize n = g_socket_receive_with_blocking (self->socket, buf, len, FALSE, NULL, &error);

	if (n < 0)
		return qmp_tls_stream_transport_failed (self, error);
	if (n > 0 && self->first_byte < 0)
		self->first_byte = ((const guint8 *)buf)[0];
	return n;
}

static ssize_t
qmp_tls_stream_push_cb (gnutls_transport_ptr_t ptr, const void *buf, size_t len)
{
	QmpTlsStream *self = ptr;
	GError *error = NULL;
	gssize n = g_socket_send_with_blocking (self->socket, buf, len, FALSE, NULL, &error);

	if (n < 0)
		return qmp_tls_stream_transport_failed (self, error);
	return n;
}

/* GnuTLS asks this only to learn whether data is waiting: never sleep in the main loop */
static int
qmp_tls_stream_pull_timeout_cb (gnutls_transport_ptr_t ptr, unsigned int ms)
{
	QmpTlsStream *self = ptr;
	return g_socket_condition_check (self->socket, G_IO_IN | G_IO_HUP | G_IO_ERR) != 0 ? 1 : 0;
}

static int
qmp_tls_stream_psk_lookup_cb (gnutls_session_t session, const char *username, gnutls_datum_t *key)
{
	QmpTlsStream *self = gnutls_session_get_ptr (session);
	const gchar *hex = qmp_tls_config_lookup_psk_key (self->config, username);
	gnutls_datum_t datum;

	if (hex == NULL) {
		g_free (self->unknown_user);
		self->unknown_user = g_strdup (username);
		return -1;
	}
	datum.data = (guchar *)hex;
	datum.size = strlen (hex);
	/* GnuTLS frees the key it gets: gnutls_hex_decode2 allocates it with gnutls_malloc */
	return qmp_tls_error_check (gnutls_hex_decode2 (&datum, key), NULL, QMP_TLS_ERROR_FAILED,
				    "decoding the key of '%s'", username)
		       ? 0
		       : -1;
}

static gboolean
qmp_tls_stream_setup_psk (QmpTlsStream *self, GError **error)
{
	QmpTlsConfig *config = self->config;

	if (self->endpoint == QMP_TLS_ENDPOINT_CLIENT) {
		const gchar *username = qmp_tls_config_get_psk_username (config);
		const gchar *hex = qmp_tls_config_lookup_psk_key (config, username);
		gnutls_datum_t key = { (guchar *)hex, strlen (hex) };
		if (!qmp_tls_error_check (
			    gnutls_psk_allocate_client_credentials (&self->psk_client), error,
			    QMP_TLS_ERROR_FAILED, "cannot set up TLS-PSK credentials"))
			return FALSE;
		if (!qmp_tls_error_check (
			    gnutls_psk_set_client_credentials (self->psk_client, username, &key,
							       GNUTLS_PSK_KEY_HEX),
			    error, QMP_TLS_ERROR_BAD_CONFIG, "cannot use the key of '%s' in %s",
			    username, qmp_tls_config_get_psk_file (config)))
			return FALSE;
		return qmp_tls_error_check (
			gnutls_credentials_set (self->session, GNUTLS_CRD_PSK, self->psk_client),
			error, QMP_TLS_ERROR_FAILED, "cannot set up TLS-PSK credentials");
	}
	if (!qmp_tls_error_check (gnutls_psk_allocate_server_credentials (&self->psk_server), error,
				  QMP_TLS_ERROR_FAILED, "cannot set up TLS-PSK credentials"))
		return FALSE;
	gnutls_psk_set_server_credentials_function (self->psk_server, qmp_tls_stream_psk_lookup_cb);
	if (!qmp_tls_error_check (gnutls_psk_set_server_known_dh_params (self->psk_server,
									 GNUTLS_SEC_PARAM_MEDIUM),
				  error, QMP_TLS_ERROR_FAILED,
				  "cannot set up Diffie-Hellman parameters"))
		return FALSE;
	return qmp_tls_error_check (
		gnutls_credentials_set (self->session, GNUTLS_CRD_PSK, self->psk_server), error,
		QMP_TLS_ERROR_FAILED, "cannot set up TLS-PSK credentials");
}

static gboolean
qmp_tls_stream_setup_x509 (QmpTlsStream *self, GError **error)
{
	if (!qmp_tls_config_make_x509 (self->config, self->endpoint, &self->x509, error))
		return FALSE;
	if (!qmp_tls_error_check (
		    gnutls_credentials_set (self->session, GNUTLS_CRD_CERTIFICATE, self->x509),
		    error, QMP_TLS_ERROR_FAILED, "cannot set up TLS credentials"))
		return FALSE;
	/* the peer is always verified, as QEMU's verify-peer=on does */
	if (self->endpoint == QMP_TLS_ENDPOINT_SERVER) {
		gnutls_certificate_server_set_request (self->session, GNUTLS_CERT_REQUIRE);
		gnutls_session_set_verify_cert (self->session, NULL, 0);
		return TRUE;
	}
	/* server name indication is for DNS names only */
	if (self->identity != NULL && !g_hostname_is_ip_address (self->identity) &&
	    !qmp_tls_error_check (gnutls_server_name_set (self->session, GNUTLS_NAME_DNS,
							  self->identity, strlen (self->identity)),
				  error, QMP_TLS_ERROR_BAD_CONFIG,
				  "cannot use the server name '%s'", self->identity))
		return FALSE;
	gnutls_session_set_verify_cert (self->session, self->identity, 0);
	return TRUE;
}

/**
 * qmp_tls_stream_new:
 * @base: a connected TCP connection
 * @config: the TLS configuration
 * @endpoint: %QMP_TLS_ENDPOINT_CLIENT when we connected, %QMP_TLS_ENDPOINT_SERVER
 *   when the peer did
 * @server_identity: (nullable): for a client, the name the server's
 *   certificate must carry unless @config names one: the host connected to
 * @error: a #GError, or %NULL
 *
 * Sets up the session; qmp_tls_stream_handshake_async() runs the handshake,
 * which must succeed before the streams carry data.
 *
 * Returns: (transfer full): the stream, or %NULL if @config cannot be used
 */
QmpTlsStream *
qmp_tls_stream_new (GSocketConnection *base, QmpTlsConfig *config, QmpTlsEndpoint endpoint,
		    const gchar *server_identity, GError **error)
{
	g_autoptr (QmpTlsStream) self = NULL;
	g_autofree gchar *priority = NULL;
	guint flags = endpoint == QMP_TLS_ENDPOINT_SERVER ? GNUTLS_SERVER : GNUTLS_CLIENT;
	const gchar *hostname;

	g_return_val_if_fail (G_IS_SOCKET_CONNECTION (base), NULL);
	g_return_val_if_fail (QMP_IS_TLS_CONFIG (config), NULL);

	if (!qmp_tls_config_check_combination (config, endpoint, error))
		return NULL;
	self = g_object_new (QMP_TYPE_TLS_STREAM, NULL);
	self->base = g_object_ref (base);
	self->socket = g_object_ref (g_socket_connection_get_socket (base));
	self->config = g_object_ref (config);
	self->endpoint = endpoint;
	hostname = qmp_tls_config_get_hostname (config);
	self->identity = g_strdup (hostname != NULL ? hostname : server_identity);
	/* a command goes out as two records, the second one byte: Nagle would hold it
	 * back for a delayed ACK, and QEMU waits for it (see qmp_tls_stream_nudge) */
	if (g_socket_get_family (self->socket) != G_SOCKET_FAMILY_UNIX)
		g_socket_set_option (self->socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);

	/* GNUTLS_NONBLOCK: no timeouts inside GnuTLS, the main loop keeps time */
	if (!qmp_tls_error_check (gnutls_init (&self->session, flags | GNUTLS_NONBLOCK), error,
				  QMP_TLS_ERROR_FAILED, "cannot start a TLS session"))
		return NULL;
	gnutls_session_set_ptr (self->session, self);
	gnutls_transport_set_ptr (self->session, self);
	gnutls_transport_set_push_function (self->session, qmp_tls_stream_push_cb);
	gnutls_transport_set_pull_function (self->session, qmp_tls_stream_pull_cb);
	gnutls_transport_set_pull_timeout_function (self->session, qmp_tls_stream_pull_timeout_cb);
	priority = qmp_tls_config_dup_session_priority (config);
	if (!qmp_tls_error_check (gnutls_priority_set_direct (self->session, priority, NULL), error,
				  QMP_TLS_ERROR_BAD_CONFIG,
				  "the TLS priority string '%s' is invalid", priority))
		return NULL;
	if (qmp_tls_config_is_psk (config)) {
		if (!qmp_tls_stream_setup_psk (self, error))
			return NULL;
	} else if (!qmp_tls_stream_setup_x509 (self, error)) {
		return NULL;
	}
	return g_steal_pointer (&self);
}

/* ------------------------------------------------------------------------ */
/* handshake */

static const gchar *
qmp_tls_stream_peer (QmpTlsStream *self)
{
	return self->endpoint == QMP_TLS_ENDPOINT_CLIENT ? "the server" : "the client";
}

/* one line that says why the handshake failed, with what to try */
static GError *
qmp_tls_stream_handshake_error (QmpTlsStream *self, gint ret)
{
	GError *error = NULL;

	/* every TLS record starts with its content type, 20 to 24: anything else is not TLS */
	if (self->first_byte >= 0 && (self->first_byte < 20 || self->first_byte > 24)) {
		if (self->endpoint == QMP_TLS_ENDPOINT_CLIENT)
			return g_error_new_literal (
				QMP_TLS_ERROR, QMP_TLS_ERROR_NOT_TLS,
				"the server does not speak TLS on this port: it sent plain "
				"text, as a monitor without tls-creds does");
		return g_error_new_literal (QMP_TLS_ERROR, QMP_TLS_ERROR_NOT_TLS,
					    "the client does not speak TLS: it sent plain text, as "
					    "a chardev without tls-creds does");
	}
	if (ret == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR) {
		g_autofree gchar *whose =
			g_strdup_printf ("%s's certificate", qmp_tls_stream_peer (self));
		return qmp_tls_error_new_verify (self->session, whose,
						 qmp_tls_config_get_ca_file (self->config),
						 self->identity);
	}
	if (self->endpoint == QMP_TLS_ENDPOINT_SERVER && ret == GNUTLS_E_NO_CERTIFICATE_FOUND)
		return g_error_new_literal (QMP_TLS_ERROR, QMP_TLS_ERROR_CLIENT_SENT_NO_CERT,
					    "the client sent no certificate: give QEMU's "
					    "tls-creds-x509 a client-cert.pem and client-key.pem");
	if (self->unknown_user != NULL)
		return g_error_new (QMP_TLS_ERROR, QMP_TLS_ERROR_PSK_UNKNOWN_CLIENT,
				    "the client's PSK username '%s' has no key in %s",
				    self->unknown_user, qmp_tls_config_get_psk_file (self->config));
	if ((ret == GNUTLS_E_PULL_ERROR || ret == GNUTLS_E_PUSH_ERROR) &&
	    self->transport_error != NULL) {
		error = g_error_copy (self->transport_error);
		g_prefix_error (&error, "during the TLS handshake: ");
		return error;
	}
	if (self->psk_client != NULL && ret == GNUTLS_E_INSUFFICIENT_CREDENTIALS) {
		qmp_tls_error_check (ret, &error, QMP_TLS_ERROR_PSK_NOT_OFFERED,
				     "the server does not offer TLS-PSK on this port; it probably "
				     "wants x509 certificates");
	} else if (self->psk_client != NULL) {
		/* QEMU drops the connection, whichever of the two it could not match: GnuTLS
		 * can only call that a premature end, which would mislead here */
		g_autoptr (GError) error_local = NULL;
		qmp_tls_error_check (ret, &error_local, QMP_TLS_ERROR_FAILED,
				     "the TLS-PSK handshake failed");
		error = g_error_new (QMP_TLS_ERROR, QMP_TLS_ERROR_PSK_REFUSED,
				     "the TLS-PSK handshake failed: the key or the username '%s' "
				     "is wrong",
				     qmp_tls_config_get_psk_username (self->config));
	} else if (self->psk_server != NULL) {
		qmp_tls_error_check (
			ret, &error, QMP_TLS_ERROR_PSK_UNKNOWN_CLIENT,
			"the TLS-PSK handshake failed: the client's key differs from the "
			"one in %s",
			qmp_tls_config_get_psk_file (self->config));
	} else if (ret == GNUTLS_E_PREMATURE_TERMINATION) {
		qmp_tls_error_check (ret, &error, QMP_TLS_ERROR_FAILED,
				     "%s closed the connection during the TLS handshake",
				     qmp_tls_stream_peer (self));
	} else {
		qmp_tls_error_check (ret, &error, QMP_TLS_ERROR_FAILED,
				     "the TLS handshake with %s failed",
				     qmp_tls_stream_peer (self));
	}
	return error;
}

static void
qmp_tls_stream_handshake_done (QmpTlsStream *self, GError *error)
{
	g_autoptr (GTask) task = g_steal_pointer (&self->handshake_task);

	qmp_clear_source (&self->handshake_wait);
	qmp_clear_source (&self->handshake_timer);
	qmp_clear_source (&self->handshake_cancel);
	if (error != NULL)
		g_task_return_error (task, error);
	else
		g_task_return_boolean (task, TRUE);
}

static gboolean qmp_tls_stream_handshake_ready_cb (GSocket *socket, GIOCondition condition,
						   gpointer user_data);

static void
qmp_tls_stream_handshake_step (QmpTlsStream *self)
{
	gint ret;

	/* warnings (a warning alert) are not failures: go on */
	do {
		ret = gnutls_handshake (self->session);
	} while (ret < 0 && ret != GNUTLS_E_AGAIN && !gnutls_error_is_fatal (ret));

	if (ret == GNUTLS_E_AGAIN) {
		GIOCondition condition =
			gnutls_record_get_direction (self->session) == 1 ? G_IO_OUT : G_IO_IN;
		self->handshake_wait = g_socket_create_source (self->socket, condition, NULL);
		g_source_set_callback (self->handshake_wait,
				       G_SOURCE_FUNC (qmp_tls_stream_handshake_ready_cb), self,
				       NULL);
		g_source_set_name (self->handshake_wait, "qmp-tls-handshake");
		g_source_attach (self->handshake_wait, g_task_get_context (self->handshake_task));
		return;
	}
	if (ret < 0) {
		qmp_tls_stream_handshake_done (self, qmp_tls_stream_handshake_error (self, ret));
		return;
	}
	self->handshaken = TRUE;
	if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN)) {
		/* the protocol version, key exchange and cipher, as GnuTLS describes them */
		gchar *desc = gnutls_session_get_desc (self->session);
		g_debug ("TLS handshake done: %s", desc);
		gnutls_free (desc);
	}
	qmp_tls_stream_handshake_done (self, NULL);
}

static gboolean
qmp_tls_stream_handshake_ready_cb (GSocket *socket, GIOCondition condition, gpointer user_data)
{
	QmpTlsStream *self = QMP_TLS_STREAM (user_data);
	/* the dispatching loop holds the source; the next wait makes a new one */
	g_clear_pointer (&self->handshake_wait, g_source_unref);
	qmp_tls_stream_handshake_step (self);
	return G_SOURCE_REMOVE;
}

static gboolean
qmp_tls_stream_handshake_timeout_cb (gpointer user_data)
{
	QmpTlsStream *self = QMP_TLS_STREAM (user_data);
	qmp_tls_stream_handshake_done (
		self, g_error_new (QMP_ERROR, QMP_ERROR_TIMEOUT,
				   "no TLS handshake within %.1f s: another client may be "
				   "attached to this monitor (QEMU serves one at a time), or "
				   "%s does not speak TLS",
				   qmp_tls_config_get_handshake_timeout (self->config) / 1000.0,
				   qmp_tls_stream_peer (self)));
	return G_SOURCE_REMOVE;
}

static gboolean
qmp_tls_stream_handshake_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
	QmpTlsStream *self = QMP_TLS_STREAM (user_data);
	GError *error = NULL;
	g_cancellable_set_error_if_cancelled (cancellable, &error);
	qmp_tls_stream_handshake_done (self, error);
	return G_SOURCE_REMOVE;
}

/**
 * qmp_tls_stream_handshake_async:
 * @self: a stream from qmp_tls_stream_new()
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the handshake is done or failed
 * @user_data: data for @callback
 *
 * Runs the handshake without blocking, in the thread-default main context,
 * and verifies the peer's certificate as the configuration says. Fails
 * with a %QMP_TLS_ERROR and one line that says why, or %QMP_ERROR_TIMEOUT
 * after the configuration's handshake timeout.
 */
void
qmp_tls_stream_handshake_async (QmpTlsStream *self, GCancellable *cancellable,
				GAsyncReadyCallback callback, gpointer user_data)
{
	g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
	guint timeout;

	g_return_if_fail (QMP_IS_TLS_STREAM (self));
	g_task_set_source_tag (task, qmp_tls_stream_handshake_async);
	if (self->handshake_task != NULL || self->handshaken) {
		g_task_return_new_error (task, QMP_ERROR, QMP_ERROR_STATE,
					 "the TLS handshake has already begun");
		return;
	}
	if (g_task_return_error_if_cancelled (task))
		return;
	self->handshake_task = g_steal_pointer (&task);
	timeout = qmp_tls_config_get_handshake_timeout (self->config);
	if (timeout > 0) {
		self->handshake_timer = g_timeout_source_new (timeout);
		g_source_set_callback (self->handshake_timer, qmp_tls_stream_handshake_timeout_cb,
				       self, NULL);
		g_source_attach (self->handshake_timer, g_task_get_context (self->handshake_task));
	}
	if (cancellable != NULL) {
		self->handshake_cancel = g_cancellable_source_new (cancellable);
		g_source_set_callback (self->handshake_cancel,
				       G_SOURCE_FUNC (qmp_tls_stream_handshake_cancelled_cb), self,
				       NULL);
		g_source_attach (self->handshake_cancel, g_task_get_context (self->handshake_task));
	}
	qmp_tls_stream_handshake_step (self);
}

gboolean
qmp_tls_stream_handshake_finish (QmpTlsStream *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
	return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* records */

static gboolean
qmp_tls_stream_check_open (QmpTlsStream *self, GError **error)
{
	if (self->closed) {
		g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
				     "the TLS connection is closed");
		return FALSE;
	}
	if (!self->handshaken) {
		g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
				     "the TLS handshake has not finished");
		return FALSE;
	}
	return TRUE;
}

/* a record-layer failure: the socket's own error when it was the socket's */
static gssize
qmp_tls_stream_io_failed (QmpTlsStream *self, gint ret, const gchar *what, GError **error)
{
	if ((ret == GNUTLS_E_PULL_ERROR || ret == GNUTLS_E_PUSH_ERROR) &&
	    self->transport_error != NULL) {
		g_propagate_error (error, g_steal_pointer (&self->transport_error));
		return -1;
	}
	qmp_tls_error_check (ret, error, QMP_TLS_ERROR_FAILED, "TLS error while %s", what);
	return -1;
}

/*
 * QEMU with verify-peer=on lets a client without a certificate finish the
 * handshake, then drops it without a word: the first read after such a
 * handshake that ends the connection says so.
 */
static gboolean
qmp_tls_stream_explain_drop (QmpTlsStream *self, GError **error)
{
	const gchar *cert_file;

	if (self->received || self->endpoint != QMP_TLS_ENDPOINT_CLIENT || self->x509 == NULL ||
	    gnutls_certificate_client_get_request_status (self->session) == 0)
		return FALSE;
	cert_file = qmp_tls_config_get_cert_file (self->config);
	if (cert_file == NULL) {
		g_set_error_literal (error, QMP_TLS_ERROR, QMP_TLS_ERROR_NO_CLIENT_CERT,
				     "the server closed the connection after the TLS handshake: "
				     "it probably requires a client certificate");
		return TRUE;
	}
	g_set_error (error, QMP_TLS_ERROR, QMP_TLS_ERROR_CLIENT_CERT_REFUSED,
		     "the server closed the connection after the TLS handshake: it probably "
		     "does not accept the client certificate %s (not signed by a CA it trusts, "
		     "or refused by its tls-authz)",
		     cert_file);
	return TRUE;
}

/* a read for the input stream: a GIO error, %G_IO_ERROR_WOULD_BLOCK when nothing is there */
gssize
qmp_tls_stream_recv (QmpTlsStream *self, void *buffer, gsize count, GError **error)
{
	gssize ret;

	if (!qmp_tls_stream_check_open (self, error))
		return -1;
	ret = gnutls_record_recv (self->session, buffer, count);
	if (ret > 0) {
		self->received = TRUE;
		return ret;
	}
	/* QEMU closes without close_notify; QMP messages are self-delimiting, so a
	 * truncation cannot pass unnoticed: take the bare close as the end */
	if (ret == 0 || ret == GNUTLS_E_PREMATURE_TERMINATION || ret == GNUTLS_E_PULL_ERROR ||
	    ret == GNUTLS_E_FATAL_ALERT_RECEIVED) {
		if (qmp_tls_stream_explain_drop (self, error))
			return -1;
		if (ret == 0 || ret == GNUTLS_E_PREMATURE_TERMINATION)
			return 0;
	}
	if (ret == GNUTLS_E_AGAIN || (ret < 0 && !gnutls_error_is_fatal (ret))) {
		/* a warning alert or a renegotiation request: nothing for us yet */
		g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
				     g_strerror (EAGAIN));
		return -1;
	}
	return qmp_tls_stream_io_failed (self, ret, "reading", error);
}

static gssize
qmp_tls_stream_send_failed (QmpTlsStream *self, gssize ret, GError **error)
{
	if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED) {
		g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
				     g_strerror (EAGAIN));
		return -1;
	}
	return qmp_tls_stream_io_failed (self, ret, "writing", error);
}

/*
 * QEMU up to at least 7.2 reads its monitor one byte per wake-up and only
 * while the socket is readable: what GnuTLS holds decrypted for it waits for
 * the next record to arrive, so a command sent in one record is not executed
 * until the client sends something more. A one-byte record behind every
 * write keeps the socket readable until QEMU has taken the whole write, and
 * is consumed whole itself. A newline between QMP messages is whitespace.
 */
static void
qmp_tls_stream_nudge (QmpTlsStream *self)
{
	gssize ret = gnutls_record_send (self->session, "\n", 1);
	/* GnuTLS keeps the record and must send it before anything else */
	if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED)
		self->nudge_pending = TRUE;
	else
		qmp_tls_error_check (ret, NULL, QMP_TLS_ERROR_FAILED, "sending a newline record");
}

/* a write for the output stream: a GIO error, %G_IO_ERROR_WOULD_BLOCK when it takes no more */
gssize
qmp_tls_stream_send (QmpTlsStream *self, const void *buffer, gsize count, GError **error)
{
	gssize ret;

	if (!qmp_tls_stream_check_open (self, error))
		return -1;
	if (self->nudge_pending) {
		ret = gnutls_record_send (self->session, NULL, 0);
		if (ret < 0)
			return qmp_tls_stream_send_failed (self, ret, error);
		self->nudge_pending = FALSE;
	}
	/* after GNUTLS_E_AGAIN GnuTLS holds the record it made and sends that on the
	 * next call, whatever it is given: callers retry with the same data, as
	 * QmpProtocol's writer does */
	ret = gnutls_record_send (self->session, buffer, count);
	if (ret < 0)
		return qmp_tls_stream_send_failed (self, ret, error);
	/* the caller's write is out, in records of at most 16 KiB */
	if ((gsize)ret == count && count > 0)
		qmp_tls_stream_nudge (self);
	return ret;
}

/* the socket under the session */
GSocket *
qmp_tls_stream_get_socket (QmpTlsStream *self)
{
	return self->socket;
}

gboolean
qmp_tls_stream_is_closed (QmpTlsStream *self)
{
	return self->closed;
}

/* whether GnuTLS holds decrypted records, which the socket knows nothing of */
gboolean
qmp_tls_stream_has_pending (QmpTlsStream *self)
{
	return self->handshaken && !self->closed && gnutls_record_check_pending (self->session) > 0;
}

/* ------------------------------------------------------------------------ */
/* QmpTlsStream as a GIOStream */

static GInputStream *
qmp_tls_stream_get_input_stream (GIOStream *stream)
{
	return QMP_TLS_STREAM (stream)->input;
}

static GOutputStream *
qmp_tls_stream_get_output_stream (GIOStream *stream)
{
	return QMP_TLS_STREAM (stream)->output;
}

static gboolean
qmp_tls_stream_close (GIOStream *stream, GCancellable *cancellable, GError **error)
{
	QmpTlsStream *self = QMP_TLS_STREAM (stream);

	/* best effort and without waiting: QEMU neither sends nor needs close_notify */
	if (self->handshaken && !self->closed)
		qmp_tls_error_check (gnutls_bye (self->session, GNUTLS_SHUT_WR), NULL,
				     QMP_TLS_ERROR_FAILED, "sending close_notify");
	self->closed = TRUE;
	g_input_stream_close (self->input, NULL, NULL);
	g_output_stream_close (self->output, NULL, NULL);
	return g_io_stream_close (G_IO_STREAM (self->base), cancellable, error);
}

/* closing never blocks, so the asynchronous close need not run in a thread */
static void
qmp_tls_stream_close_async (GIOStream *stream, int io_priority, GCancellable *cancellable,
			    GAsyncReadyCallback callback, gpointer user_data)
{
	g_autoptr (GTask) task = g_task_new (stream, cancellable, callback, user_data);
	GError *error = NULL;

	g_task_set_source_tag (task, qmp_tls_stream_close_async);
	if (qmp_tls_stream_close (stream, cancellable, &error))
		g_task_return_boolean (task, TRUE);
	else
		g_task_return_error (task, error);
}

static gboolean
qmp_tls_stream_close_finish (GIOStream *stream, GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean (G_TASK (result), error);
}

static void
qmp_tls_stream_dispose (GObject *object)
{
	QmpTlsStream *self = QMP_TLS_STREAM (object);

	qmp_clear_source (&self->handshake_wait);
	qmp_clear_source (&self->handshake_timer);
	qmp_clear_source (&self->handshake_cancel);
	G_OBJECT_CLASS (qmp_tls_stream_parent_class)->dispose (object);
}

static void
qmp_tls_stream_finalize (GObject *object)
{
	QmpTlsStream *self = QMP_TLS_STREAM (object);

	/* the session first: it points at the credentials */
	if (self->session != NULL)
		gnutls_deinit (self->session);
	g_clear_pointer (&self->x509, gnutls_certificate_free_credentials);
	g_clear_pointer (&self->psk_client, gnutls_psk_free_client_credentials);
	g_clear_pointer (&self->psk_server, gnutls_psk_free_server_credentials);
	g_clear_object (&self->input);
	g_clear_object (&self->output);
	g_clear_object (&self->socket);
	g_clear_object (&self->base);
	g_clear_object (&self->config);
	g_clear_error (&self->transport_error);
	g_free (self->identity);
	g_free (self->unknown_user);
	G_OBJECT_CLASS (qmp_tls_stream_parent_class)->finalize (object);
}

static void
qmp_tls_stream_init (QmpTlsStream *self)
{
	self->input = qmp_tls_input_stream_new (self);
	self->output = qmp_tls_output_stream_new (self);
	self->first_byte = -1;
}

static void
qmp_tls_stream_class_init (QmpTlsStreamClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS (klass);
	GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

	object_class->dispose = qmp_tls_stream_dispose;
	object_class->finalize = qmp_tls_stream_finalize;
	stream_class->get_input_stream = qmp_tls_stream_get_input_stream;
	stream_class->get_output_stream = qmp_tls_stream_get_output_stream;
	stream_class->close_fn = qmp_tls_stream_close;
	stream_class->close_async = qmp_tls_stream_close_async;
	stream_class->close_finish = qmp_tls_stream_close_finish;
}
