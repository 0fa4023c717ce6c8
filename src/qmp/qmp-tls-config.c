/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * TLS credentials for QMP over TCP. GnuTLS is used directly rather than
 * through GTlsConnection, because QEMU's tls-creds-psk needs TLS-PSK, which
 * GIO does not offer. QmpTlsConfig holds the credentials as QEMU lays them
 * out; QmpTlsStream (qmp-tls-stream.c) builds a session from them.
 */

#define G_LOG_DOMAIN "qmp"

#include "qmp-tls-config.h"
#include "qmp-tls-private.h"

#include <errno.h>
#include <string.h>

static gnutls_datum_t
qmp_tls_datum_from_bytes (GBytes *bytes)
{
	gsize size = 0;
	gconstpointer data = g_bytes_get_data (bytes, &size);
	gnutls_datum_t datum = { (guchar *)data, (guint)size };
	return datum;
}

/**
 * QmpTlsConfig:
 *
 * TLS credentials and settings for one or more connections: x509 (a CA
 * file, optionally a certificate and key of our own, the name to verify) or
 * a pre-shared key (a QEMU `keys.psk` file and a username), plus a GnuTLS
 * priority string. Files are read and checked when they are set, so that a
 * bad file is reported before anything connects.
 */
struct _QmpTlsConfig {
	GObject parent_instance;

	gchar *ca_file;
	GBytes *ca_pem;
	gchar *cert_file;
	GBytes *cert_pem;
	gchar *key_file;
	GBytes *key_pem;
	gchar *hostname;

	gchar *psk_file;
	GHashTable *psk_keys; /* username -> hexadecimal key */
	gchar *psk_username;

	gchar *priority;
	guint handshake_timeout;
};

G_DEFINE_TYPE (QmpTlsConfig, qmp_tls_config, G_TYPE_OBJECT)

static GBytes *
qmp_tls_read_file (const gchar *path, const gchar *what, GError **error)
{
	g_autoptr (GError) error_local = NULL;
	gchar *data = NULL;
	gsize len = 0;
	const gchar *reason;

	if (g_file_get_contents (path, &data, &len, &error_local))
		return g_bytes_new_take (data, len);
	/* GLib's message repeats the path in its own words; keep one line of ours */
	switch (error_local->code) {
	case G_FILE_ERROR_NOENT:
		reason = g_strerror (ENOENT);
		break;
	case G_FILE_ERROR_ACCES:
		reason = g_strerror (EACCES);
		break;
	case G_FILE_ERROR_ISDIR:
		reason = g_strerror (EISDIR);
		break;
	default:
		reason = error_local->message;
	}
	g_set_error (error, QMP_TLS_ERROR, QMP_TLS_ERROR_BAD_CONFIG, "cannot read the %s %s: %s",
		     what, path, reason);
	return NULL;
}

/* reads and parses a PEM file of one or more certificates */
static GBytes *
qmp_tls_load_certificates (const gchar *path, const gchar *what, GError **error)
{
	g_autoptr (GBytes) pem = qmp_tls_read_file (path, what, error);
	gnutls_x509_crt_t *crts = NULL;
	guint n = 0;
	gnutls_datum_t datum;
	gint ret;

	if (pem == NULL)
		return NULL;
	datum = qmp_tls_datum_from_bytes (pem);
	ret = gnutls_x509_crt_list_import2 (&crts, &n, &datum, GNUTLS_X509_FMT_PEM, 0);
	for (guint i = 0; ret >= 0 && i < n; i++)
		gnutls_x509_crt_deinit (crts[i]);
	gnutls_free (crts);
	if (ret >= 0 && n == 0)
		ret = GNUTLS_E_NO_CERTIFICATE_FOUND;
	if (!qmp_tls_error_check (ret, error, QMP_TLS_ERROR_BAD_CONFIG,
				  "the %s %s is not a PEM certificate", what, path))
		return NULL;
	return g_steal_pointer (&pem);
}

static GBytes *
qmp_tls_load_key (const gchar *path, GError **error)
{
	g_autoptr (GBytes) pem = qmp_tls_read_file (path, "private key", error);
	g_auto (gnutls_x509_privkey_t) key = NULL;
	gnutls_datum_t datum;

	if (pem == NULL)
		return NULL;
	datum = qmp_tls_datum_from_bytes (pem);
	if (!qmp_tls_error_check (gnutls_x509_privkey_init (&key), error, QMP_TLS_ERROR_FAILED,
				  "cannot load %s", path))
		return NULL;
	/* QEMU reads unencrypted keys only, and so do we */
	if (!qmp_tls_error_check (gnutls_x509_privkey_import2 (key, &datum, GNUTLS_X509_FMT_PEM,
							       NULL, GNUTLS_PKCS_PLAIN),
				  error, QMP_TLS_ERROR_BAD_CONFIG,
				  "the private key %s is not an unencrypted PEM key", path))
		return NULL;
	return g_steal_pointer (&pem);
}

/**
 * qmp_tls_config_new:
 * @error: a #GError, or %NULL: where TLS is not available (the module that
 *   holds this cannot be loaded; see qmp-tls-loader.c)
 *
 * Returns: (transfer full): an empty configuration: x509, verifying the
 *   server against the system's trusted CAs and the host it connects to
 */
QmpTlsConfig *
qmp_tls_config_new (GError **error)
{
	return g_object_new (QMP_TYPE_TLS_CONFIG, NULL);
}

/**
 * qmp_tls_config_new_from_dir:
 * @dir: a directory laid out as for QEMU's `tls-creds-x509` or `tls-creds-psk`
 * @endpoint: which side of the handshake the files are for
 * @error: a #GError, or %NULL
 *
 * For x509 the directory holds `ca-cert.pem` and, for
 * %QMP_TLS_ENDPOINT_CLIENT, optionally `client-cert.pem` and
 * `client-key.pem`; for %QMP_TLS_ENDPOINT_SERVER, `server-cert.pem` and
 * `server-key.pem`. A directory with `keys.psk` and no `ca-cert.pem` is
 * read as PSK, with the username %QMP_TLS_PSK_DEFAULT_USERNAME until
 * qmp_tls_config_set_psk_username() says otherwise.
 *
 * Returns: (transfer full): the configuration, or %NULL with one line
 *   naming the file that failed
 */
QmpTlsConfig *
qmp_tls_config_new_from_dir (const gchar *dir, QmpTlsEndpoint endpoint, GError **error)
{
	g_autoptr (QmpTlsConfig) self = qmp_tls_config_new (NULL);
	g_autofree gchar *ca = g_build_filename (dir, "ca-cert.pem", NULL);
	g_autofree gchar *psk = g_build_filename (dir, "keys.psk", NULL);
	const gchar *prefix = endpoint == QMP_TLS_ENDPOINT_SERVER ? "server" : "client";
	g_autofree gchar *cert_name = g_strdup_printf ("%s-cert.pem", prefix);
	g_autofree gchar *key_name = g_strdup_printf ("%s-key.pem", prefix);
	g_autofree gchar *cert = g_build_filename (dir, cert_name, NULL);
	g_autofree gchar *key = g_build_filename (dir, key_name, NULL);

	if (!g_file_test (dir, G_FILE_TEST_IS_DIR)) {
		g_set_error (error, QMP_TLS_ERROR, QMP_TLS_ERROR_BAD_CONFIG,
			     "the TLS credentials directory %s does not exist", dir);
		return NULL;
	}
	if (!g_file_test (ca, G_FILE_TEST_EXISTS) && g_file_test (psk, G_FILE_TEST_EXISTS)) {
		if (!qmp_tls_config_set_psk_file (self, psk, error))
			return NULL;
		return g_steal_pointer (&self);
	}
	if (!qmp_tls_config_set_ca_file (self, ca, error))
		return NULL;
	/* a client may go without a certificate; a server may not, as check() says */
	if (endpoint == QMP_TLS_ENDPOINT_SERVER || g_file_test (cert, G_FILE_TEST_EXISTS) ||
	    g_file_test (key, G_FILE_TEST_EXISTS)) {
		if (!qmp_tls_config_set_cert_file (self, cert, error))
			return NULL;
		if (!qmp_tls_config_set_key_file (self, key, error))
			return NULL;
	}
	return g_steal_pointer (&self);
}

/**
 * qmp_tls_config_set_ca_file:
 * @self: a configuration
 * @path: (nullable): a PEM file of the CA certificates to trust, or %NULL for
 *   the system's
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE if the file holds at least one certificate
 */
gboolean
qmp_tls_config_set_ca_file (QmpTlsConfig *self, const gchar *path, GError **error)
{
	g_autoptr (GBytes) pem = NULL;

	g_return_val_if_fail (QMP_IS_TLS_CONFIG (self), FALSE);
	if (path != NULL) {
		pem = qmp_tls_load_certificates (path, "CA certificate", error);
		if (pem == NULL)
			return FALSE;
	}
	g_free (self->ca_file);
	self->ca_file = g_strdup (path);
	g_clear_pointer (&self->ca_pem, g_bytes_unref);
	self->ca_pem = g_steal_pointer (&pem);
	return TRUE;
}

/**
 * qmp_tls_config_set_cert_file:
 * @self: a configuration
 * @path: (nullable): a PEM file with our certificate (and its chain), or %NULL
 * @error: a #GError, or %NULL
 *
 * The certificate a client presents when the server asks for one, or the
 * one a server presents. It needs its key: qmp_tls_config_set_key_file().
 *
 * Returns: %TRUE if the file holds a certificate
 */
gboolean
qmp_tls_config_set_cert_file (QmpTlsConfig *self, const gchar *path, GError **error)
{
	g_autoptr (GBytes) pem = NULL;

	g_return_val_if_fail (QMP_IS_TLS_CONFIG (self), FALSE);
	if (path != NULL) {
		pem = qmp_tls_load_certificates (path, "certificate", error);
		if (pem == NULL)
			return FALSE;
	}
	g_free (self->cert_file);
	self->cert_file = g_strdup (path);
	g_clear_pointer (&self->cert_pem, g_bytes_unref);
	self->cert_pem = g_steal_pointer (&pem);
	return TRUE;
}

/**
 * qmp_tls_config_set_key_file:
 * @self: a configuration
 * @path: (nullable): a PEM file with the unencrypted private key of the
 *   certificate, or %NULL
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE if the file holds a key; whether it matches the certificate
 *   is for qmp_tls_config_check() to say
 */
gboolean
qmp_tls_config_set_key_file (QmpTlsConfig *self, const gchar *path, GError **error)
{
	g_autoptr (GBytes) pem = NULL;

	g_return_val_if_fail (QMP_IS_TLS_CONFIG (self), FALSE);
	if (path != NULL) {
		pem = qmp_tls_load_key (path, error);
		if (pem == NULL)
			return FALSE;
	}
	g_free (self->key_file);
	self->key_file = g_strdup (path);
	g_clear_pointer (&self->key_pem, g_bytes_unref);
	self->key_pem = g_steal_pointer (&pem);
	return TRUE;
}

const gchar *
qmp_tls_config_get_ca_file (QmpTlsConfig *self)
{
	g_return_val_if_fail (QMP_IS_TLS_CONFIG (self), NULL);
	return self->ca_file;
}

const gchar *
qmp_tls_config_get_cert_file (QmpTlsConfig *self)
{
	g_return_val_if_fail (QMP_IS_TLS_CONFIG (self), NULL);
	return self->cert_file;
}

const gchar *
qmp_tls_config_get_key_file (QmpTlsConfig *self)
{
	g_return_val_if_fail (QMP_IS_TLS_CONFIG (self), NULL);
	return self->key_file;
}

/**
 * qmp_tls_config_set_hostname:
 * @self: a configuration
 * @hostname: (nullable): the name the server's certificate must carry, or
 *   %NULL for the host part of the address connected to
 */
void
qmp_tls_config_set_hostname (QmpTlsConfig *self, const gchar *hostname)
{
	g_return_if_fail (QMP_IS_TLS_CONFIG (self));
	g_free (self->hostname);
	self->hostname = g_strdup (hostname);
}

const gchar *
qmp_tls_config_get_hostname (QmpTlsConfig *self)
{
	g_return_val_if_fail (QMP_IS_TLS_CONFIG (self), NULL);
	return self->hostname;
}

static gboolean
qmp_tls_is_hex (const gchar *text)
{
	gsize len = strlen (text);
	if (len == 0 || len % 2 != 0)
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isxdigit (text[i]))
			return FALSE;
	}
	return TRUE;
}

/**
 * qmp_tls_config_set_psk_file:
 * @self: a configuration
 * @path: (nullable): a file of `USERNAME:HEXKEY` lines, as QEMU's `keys.psk`
 *   and `psktool` write it, or %NULL to go back to x509
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE if every line of the file is well formed
 */
gboolean
qmp_tls_config_set_psk_file (QmpTlsConfig *self, const gchar *path, GError **error)
{
	g_autoptr (GBytes) contents = NULL;
	g_autoptr (GHashTable) keys = NULL;
	g_auto (GStrv) lines = NULL;

	g_return_val_if_fail (QMP_IS_TLS_CONFIG (self), FALSE);
	if (path != NULL) {
		contents = qmp_tls_read_file (path, "PSK keys file", error);
		if (contents == NULL)
			return FALSE;
		keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
		lines = g_strsplit (g_bytes_get_data (contents, NULL) != NULL
					    ? (const gchar *)g_bytes_get_data (contents, NULL)
					    : "",
				    "\n", -1);
		for (guint i = 0; lines[i] != NULL; i++) {
			gchar *line = g_strstrip (lines[i]);
			gchar *colon = strchr (line, ':');
			if (line[0] == '\0')
				continue;
			if (colon == NULL || colon == line) {
				g_set_error (error, QMP_TLS_ERROR, QMP_TLS_ERROR_BAD_CONFIG,
					     "%s:%u: not a USERNAME:HEXKEY line of a PSK keys file",
					     path, i + 1);
				return FALSE;
			}
			*colon = '\0';
			if (!qmp_tls_is_hex (colon + 1)) {
				g_set_error (error, QMP_TLS_ERROR, QMP_TLS_ERROR_BAD_CONFIG,
					     "%s:%u: the key of '%s' is not an even number of "
					     "hexadecimal digits",
					     path, i + 1, line);
				return FALSE;
			}
			/* the first line for a name wins, as in GnuTLS's own lookup */
			if (!g_hash_table_contains (keys, line))
				g_hash_table_insert (keys, g_strdup (line), g_strdup (colon + 1));
		}
		if (g_hash_table_size (keys) == 0) {
			g_set_error (error, QMP_TLS_ERROR, QMP_TLS_ERROR_BAD_CONFIG,
				     "the PSK keys file %s has no USERNAME:HEXKEY line", path);
			return FALSE;
		}
	}
	g_free (self->psk_file);
	self->psk_file = g_strdup (path);
	g_clear_pointer (&self->psk_keys, g_hash_table_unref);
	self->psk_keys = g_steal_pointer (&keys);
	return TRUE;
}

const gchar *
qmp_tls_config_get_psk_file (QmpTlsConfig *self)
{
	g_return_val_if_fail (QMP_IS_TLS_CONFIG (self), NULL);
	return self->psk_file;
}

/**
 * qmp_tls_config_set_psk_username:
 * @self: a configuration
 * @username: (nullable): the PSK identity a client sends, or %NULL for
 *   %QMP_TLS_PSK_DEFAULT_USERNAME
 *
 * Its key comes from the PSK keys file; qmp_tls_config_check() says whether
 * the file has one.
 */
void
qmp_tls_config_set_psk_username (QmpTlsConfig *self, const gchar *username)
{
	g_return_if_fail (QMP_IS_TLS_CONFIG (self));
	g_free (self->psk_username);
	self->psk_username = g_strdup (username != NULL ? username : QMP_TLS_PSK_DEFAULT_USERNAME);
}

const gchar *
qmp_tls_config_get_psk_username (QmpTlsConfig *self)
{
	g_return_val_if_fail (QMP_IS_TLS_CONFIG (self), NULL);
	return self->psk_username;
}

/**
 * qmp_tls_config_is_psk:
 * @self: a configuration
 *
 * Returns: %TRUE when a PSK keys file is set
 */
gboolean
qmp_tls_config_is_psk (QmpTlsConfig *self)
{
	g_return_val_if_fail (QMP_IS_TLS_CONFIG (self), FALSE);
	return self->psk_keys != NULL;
}

/*
 * The hexadecimal key of @username in the PSK keys file, or %NULL; for
 * QmpTlsStream, which is only asked for keys when the file is set.
 */
const gchar *
qmp_tls_config_lookup_psk_key (QmpTlsConfig *self, const gchar *username)
{
	return g_hash_table_lookup (self->psk_keys, username);
}

/* the priority a session uses: PSK needs its key exchanges added, as QEMU adds them */
gchar *
qmp_tls_config_dup_session_priority (QmpTlsConfig *self)
{
	const gchar *base = self->priority != NULL ? self->priority : QMP_TLS_DEFAULT_PRIORITY;
	if (self->psk_keys != NULL)
		return g_strconcat (base, QMP_TLS_PSK_PRIORITY_ADDITIONS, NULL);
	return g_strdup (base);
}

/**
 * qmp_tls_config_set_priority:
 * @self: a configuration
 * @priority: (nullable): a GnuTLS priority string, or %NULL for
 *   %QMP_TLS_DEFAULT_PRIORITY
 * @error: a #GError, or %NULL
 *
 * With PSK, %QMP_TLS_PSK_PRIORITY_ADDITIONS are appended, as QEMU does.
 *
 * Returns: %TRUE if GnuTLS accepts the string
 */
gboolean
qmp_tls_config_set_priority (QmpTlsConfig *self, const gchar *priority, GError **error)
{
	g_auto (gnutls_priority_t) cache = NULL;
	const gchar *err_pos = NULL;
	gint ret;

	g_return_val_if_fail (QMP_IS_TLS_CONFIG (self), FALSE);
	if (priority != NULL) {
		/* not inside the check's arguments: err_pos is set by the call */
		ret = gnutls_priority_init (&cache, priority, &err_pos);
		if (!qmp_tls_error_check (ret, error, QMP_TLS_ERROR_BAD_CONFIG,
					  "the TLS priority string '%s' is invalid at '%s'",
					  priority, err_pos != NULL ? err_pos : priority))
			return FALSE;
	}
	g_free (self->priority);
	self->priority = g_strdup (priority);
	return TRUE;
}

const gchar *
qmp_tls_config_get_priority (QmpTlsConfig *self)
{
	g_return_val_if_fail (QMP_IS_TLS_CONFIG (self), NULL);
	return self->priority != NULL ? self->priority : QMP_TLS_DEFAULT_PRIORITY;
}

/**
 * qmp_tls_config_set_handshake_timeout:
 * @self: a configuration
 * @msec: how long a handshake may take; 0 waits for ever
 *
 * QEMU serves one client per monitor: a second one connects, but no
 * handshake happens until the first leaves.
 */
void
qmp_tls_config_set_handshake_timeout (QmpTlsConfig *self, guint msec)
{
	g_return_if_fail (QMP_IS_TLS_CONFIG (self));
	self->handshake_timeout = msec;
}

guint
qmp_tls_config_get_handshake_timeout (QmpTlsConfig *self)
{
	g_return_val_if_fail (QMP_IS_TLS_CONFIG (self), 0);
	return self->handshake_timeout;
}

/* builds the x509 credentials of one session */
gboolean
qmp_tls_config_make_x509 (QmpTlsConfig *self, QmpTlsEndpoint endpoint,
			  gnutls_certificate_credentials_t *out, GError **error)
{
	g_auto (gnutls_certificate_credentials_t) creds = NULL;

	if (!qmp_tls_error_check (gnutls_certificate_allocate_credentials (&creds), error,
				  QMP_TLS_ERROR_FAILED, "cannot set up TLS credentials"))
		return FALSE;
	if (self->ca_pem != NULL) {
		gnutls_datum_t ca = qmp_tls_datum_from_bytes (self->ca_pem);
		if (!qmp_tls_error_check (
			    gnutls_certificate_set_x509_trust_mem (creds, &ca, GNUTLS_X509_FMT_PEM),
			    error, QMP_TLS_ERROR_BAD_CONFIG, "cannot use the CA certificate %s",
			    self->ca_file))
			return FALSE;
	} else {
		if (!qmp_tls_error_check (gnutls_certificate_set_x509_system_trust (creds), error,
					  QMP_TLS_ERROR_FAILED,
					  "cannot load the system's trusted CA certificates"))
			return FALSE;
	}
	if (self->cert_pem != NULL && self->key_pem != NULL) {
		gnutls_datum_t cert = qmp_tls_datum_from_bytes (self->cert_pem);
		gnutls_datum_t key = qmp_tls_datum_from_bytes (self->key_pem);
		gint ret = gnutls_certificate_set_x509_key_mem2 (creds, &cert, &key,
								 GNUTLS_X509_FMT_PEM, NULL, 0);
		if (ret == GNUTLS_E_CERTIFICATE_KEY_MISMATCH) {
			g_set_error (error, QMP_TLS_ERROR, QMP_TLS_ERROR_BAD_CONFIG,
				     "the private key %s does not belong to the certificate %s",
				     self->key_file, self->cert_file);
			return FALSE;
		}
		if (!qmp_tls_error_check (ret, error, QMP_TLS_ERROR_BAD_CONFIG,
					  "cannot use the certificate %s with the key %s",
					  self->cert_file, self->key_file))
			return FALSE;
	}
	if (endpoint == QMP_TLS_ENDPOINT_SERVER &&
	    !qmp_tls_error_check (
		    gnutls_certificate_set_known_dh_params (creds, GNUTLS_SEC_PARAM_MEDIUM), error,
		    QMP_TLS_ERROR_FAILED, "cannot set up Diffie-Hellman parameters"))
		return FALSE;
	*out = g_steal_pointer (&creds);
	return TRUE;
}

/* the checks that need no GnuTLS session: what goes with what */
gboolean
qmp_tls_config_check_combination (QmpTlsConfig *self, QmpTlsEndpoint endpoint, GError **error)
{
	if (self->psk_keys != NULL) {
		if (self->ca_pem != NULL || self->cert_pem != NULL || self->key_pem != NULL) {
			g_set_error_literal (error, QMP_TLS_ERROR, QMP_TLS_ERROR_BAD_CONFIG,
					     "TLS takes either a PSK keys file or x509 "
					     "certificates, not both");
			return FALSE;
		}
		if (endpoint == QMP_TLS_ENDPOINT_CLIENT &&
		    !g_hash_table_contains (self->psk_keys, self->psk_username)) {
			g_set_error (error, QMP_TLS_ERROR, QMP_TLS_ERROR_PSK_NO_KEY,
				     "the PSK keys file %s has no key for the username '%s'",
				     self->psk_file, self->psk_username);
			return FALSE;
		}
		return TRUE;
	}
	if ((self->cert_pem == NULL) != (self->key_pem == NULL)) {
		if (self->cert_pem == NULL)
			g_set_error (error, QMP_TLS_ERROR, QMP_TLS_ERROR_INCOMPLETE_CREDENTIALS,
				     "the private key %s has no certificate: give both",
				     self->key_file);
		else
			g_set_error (error, QMP_TLS_ERROR, QMP_TLS_ERROR_INCOMPLETE_CREDENTIALS,
				     "the certificate %s has no private key: give both",
				     self->cert_file);
		return FALSE;
	}
	if (endpoint == QMP_TLS_ENDPOINT_SERVER && self->cert_pem == NULL) {
		g_set_error_literal (error, QMP_TLS_ERROR, QMP_TLS_ERROR_BAD_CONFIG,
				     "accepting a TLS connection needs a server certificate and "
				     "key (server-cert.pem and server-key.pem)");
		return FALSE;
	}
	return TRUE;
}

/**
 * qmp_tls_config_check:
 * @self: a configuration
 * @endpoint: the side of the handshake it is for
 * @error: a #GError, or %NULL
 *
 * Checks what single setters cannot: that a certificate has its key and the
 * key matches it, that the PSK username has a key, that x509 and PSK are not
 * mixed. Every connection checks again; call this to fail early.
 *
 * Returns: %TRUE if a connection could use the configuration
 */
gboolean
qmp_tls_config_check (QmpTlsConfig *self, QmpTlsEndpoint endpoint, GError **error)
{
	g_auto (gnutls_certificate_credentials_t) creds = NULL;
	g_autofree gchar *priority = NULL;
	g_auto (gnutls_priority_t) cache = NULL;

	g_return_val_if_fail (QMP_IS_TLS_CONFIG (self), FALSE);
	if (!qmp_tls_config_check_combination (self, endpoint, error))
		return FALSE;
	priority = qmp_tls_config_dup_session_priority (self);
	if (!qmp_tls_error_check (gnutls_priority_init (&cache, priority, NULL), error,
				  QMP_TLS_ERROR_BAD_CONFIG,
				  "the TLS priority string '%s' is invalid", priority))
		return FALSE;
	if (self->psk_keys != NULL)
		return TRUE;
	return qmp_tls_config_make_x509 (self, endpoint, &creds, error);
}

static void
qmp_tls_config_finalize (GObject *object)
{
	QmpTlsConfig *self = QMP_TLS_CONFIG (object);

	g_free (self->ca_file);
	g_clear_pointer (&self->ca_pem, g_bytes_unref);
	g_free (self->cert_file);
	g_clear_pointer (&self->cert_pem, g_bytes_unref);
	g_free (self->key_file);
	g_clear_pointer (&self->key_pem, g_bytes_unref);
	g_free (self->hostname);
	g_free (self->psk_file);
	g_clear_pointer (&self->psk_keys, g_hash_table_unref);
	g_free (self->psk_username);
	g_free (self->priority);
	G_OBJECT_CLASS (qmp_tls_config_parent_class)->finalize (object);
}

static void
qmp_tls_config_init (QmpTlsConfig *self)
{
	self->psk_username = g_strdup (QMP_TLS_PSK_DEFAULT_USERNAME);
	self->handshake_timeout = QMP_TLS_DEFAULT_HANDSHAKE_TIMEOUT;
}

static void
qmp_tls_config_class_init (QmpTlsConfigClass *klass)
{
	G_OBJECT_CLASS (klass)->finalize = qmp_tls_config_finalize;
}
