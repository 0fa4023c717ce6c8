/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * TLS errors: the domain, the one place a GnuTLS return code becomes a
 * GError, and the one line that says why a peer's certificate was refused.
 */

#define G_LOG_DOMAIN "qmp"

#include "qmp-tls-error.h"
#include "qmp-tls-private.h"

#include <stdarg.h>
#include <string.h>

/* the quark names are not expressions */
/* clang-format off */
G_DEFINE_QUARK (qmp-tls-error-quark, qmp_tls_error)
/* clang-format on */

/*
 * On failure (@ret < 0), sets @error to @code and "CONTEXT: GNUTLS REASON",
 * and returns FALSE.
 */
gboolean
qmp_tls_error_check (gint ret, GError **error, QmpTlsError code, const gchar *format, ...)
{
	g_autofree gchar *context = NULL;
	g_autofree gchar *reason = NULL;
	va_list args;

	if (ret >= 0)
		return TRUE;
	va_start (args, format);
	context = g_strdup_vprintf (format, args);
	va_end (args);
	/* GnuTLS ends its messages with a full stop; ours go on */
	reason = g_strdup (gnutls_strerror (ret));
	if (g_str_has_suffix (reason, "."))
		reason[strlen (reason) - 1] = '\0';
	g_debug ("%s: %s (%d)", context, reason, ret);
	g_set_error (error, QMP_TLS_ERROR, code, "%s: %s", context, reason);
	return FALSE;
}

/* the names a certificate is for: its DNS and IP subject alternative names, else its CN */
static gchar *
qmp_tls_error_dup_certificate_names (gnutls_x509_crt_t crt)
{
	g_autoptr (GString) names = g_string_new (NULL);

	for (guint i = 0;; i++) {
		gchar buf[256];
		gsize size = sizeof (buf);
		gint type = gnutls_x509_crt_get_subject_alt_name (crt, i, buf, &size, NULL);
		if (type == GNUTLS_E_SHORT_MEMORY_BUFFER)
			continue;
		if (type < 0)
			break;
		if (names->len > 0 && (type == GNUTLS_SAN_DNSNAME || type == GNUTLS_SAN_IPADDRESS))
			g_string_append (names, ", ");
		if (type == GNUTLS_SAN_DNSNAME) {
			g_string_append_printf (names, "'%.*s'", (gint)size, buf);
		} else if (type == GNUTLS_SAN_IPADDRESS && (size == 4 || size == 16)) {
			g_autoptr (GInetAddress) ip = g_inet_address_new_from_bytes (
				(const guint8 *)buf,
				size == 4 ? G_SOCKET_FAMILY_IPV4 : G_SOCKET_FAMILY_IPV6);
			g_autofree gchar *text = g_inet_address_to_string (ip);
			g_string_append_printf (names, "'%s'", text);
		}
	}
	if (names->len == 0) {
		gchar buf[256];
		gsize size = sizeof (buf);
		if (gnutls_x509_crt_get_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, buf,
						   &size) >= 0)
			g_string_append_printf (names, "'%.*s'", (gint)size, buf);
		else
			g_string_append (names, "no name");
	}
	return g_string_free (g_steal_pointer (&names), FALSE);
}

static gchar *
qmp_tls_error_format_time (time_t when)
{
	g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (when);
	if (dt == NULL)
		return g_strdup ("an unreadable date");
	return g_date_time_format (dt, "%Y-%m-%d %H:%M:%S UTC");
}

static GError *
qmp_tls_error_new_unknown_ca (gnutls_x509_crt_t crt, const gchar *whose, const gchar *ca_file)
{
	g_auto (gnutls_datum_t) issuer = { NULL, 0 };
	g_autofree gchar *by = NULL;

	if (gnutls_x509_crt_get_issuer_dn3 (crt, &issuer, 0) >= 0)
		by = g_strdup_printf (" (issued by %s)", (const gchar *)issuer.data);
	if (ca_file != NULL)
		return g_error_new (QMP_TLS_ERROR, QMP_TLS_ERROR_UNKNOWN_CA,
				    "%s%s is not signed by the CA in %s", whose,
				    by != NULL ? by : "", ca_file);
	return g_error_new (QMP_TLS_ERROR, QMP_TLS_ERROR_UNKNOWN_CA,
			    "%s%s is not signed by a CA this system trusts: give its CA", whose,
			    by != NULL ? by : "");
}

/*
 * One line that says why the certificate the peer sent in @session was
 * refused. @whose names it ("the server's certificate"), @ca_file is the CA
 * it was checked against (NULL: the system's), @expected the name it had to
 * carry (NULL: none).
 */
GError *
qmp_tls_error_new_verify (gnutls_session_t session, const gchar *whose, const gchar *ca_file,
			  const gchar *expected)
{
	guint status = gnutls_session_get_verify_cert_status (session);
	g_auto (gnutls_x509_crt_t) crt = NULL;
	g_auto (gnutls_datum_t) text = { NULL, 0 };
	const gnutls_datum_t *certs;
	guint n = 0;

	certs = gnutls_certificate_get_peers (session, &n);
	if (certs == NULL || n == 0 || gnutls_x509_crt_init (&crt) < 0 ||
	    gnutls_x509_crt_import (crt, &certs[0], GNUTLS_X509_FMT_DER) < 0)
		g_clear_pointer (&crt, gnutls_x509_crt_deinit);

	if ((status & GNUTLS_CERT_SIGNER_NOT_FOUND) && crt != NULL)
		return qmp_tls_error_new_unknown_ca (crt, whose, ca_file);
	if ((status & GNUTLS_CERT_EXPIRED) && crt != NULL) {
		g_autofree gchar *when =
			qmp_tls_error_format_time (gnutls_x509_crt_get_expiration_time (crt));
		return g_error_new (QMP_TLS_ERROR, QMP_TLS_ERROR_EXPIRED, "%s expired on %s", whose,
				    when);
	}
	if ((status & GNUTLS_CERT_NOT_ACTIVATED) && crt != NULL) {
		g_autofree gchar *when =
			qmp_tls_error_format_time (gnutls_x509_crt_get_activation_time (crt));
		return g_error_new (QMP_TLS_ERROR, QMP_TLS_ERROR_NOT_YET_VALID,
				    "%s is not valid before %s: check the clocks", whose, when);
	}
	if ((status & GNUTLS_CERT_UNEXPECTED_OWNER) && crt != NULL) {
		g_autofree gchar *names = qmp_tls_error_dup_certificate_names (crt);
		return g_error_new (QMP_TLS_ERROR, QMP_TLS_ERROR_HOSTNAME_MISMATCH,
				    "%s is for %s, but '%s' was expected: connect by a name it "
				    "has, or give the expected one",
				    whose, names, expected != NULL ? expected : "(none)");
	}
	if (gnutls_certificate_verification_status_print (status, GNUTLS_CRT_X509, &text, 0) >= 0)
		return g_error_new (QMP_TLS_ERROR, QMP_TLS_ERROR_UNTRUSTED, "%s is not trusted: %s",
				    whose, (const gchar *)text.data);
	return g_error_new (QMP_TLS_ERROR, QMP_TLS_ERROR_UNTRUSTED, "%s is not trusted", whose);
}
