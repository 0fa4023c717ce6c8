/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define QMP_TLS_ERROR qmp_tls_error_quark ()

/**
 * QmpTlsError:
 * @QMP_TLS_ERROR_FAILED: TLS failed for a reason none of the others names;
 *   the message gives GnuTLS's
 * @QMP_TLS_ERROR_BAD_CONFIG: a setting cannot be used: a file that cannot be
 *   read or does not hold what it should, a key that is not the
 *   certificate's, x509 and PSK together, a priority string GnuTLS refuses
 * @QMP_TLS_ERROR_INCOMPLETE_CREDENTIALS: a certificate without its private
 *   key, or a private key without its certificate
 * @QMP_TLS_ERROR_PSK_NO_KEY: the PSK keys file has no key for the username a
 *   client is to send
 * @QMP_TLS_ERROR_NOT_TLS: the peer does not speak TLS: it sent plain text
 * @QMP_TLS_ERROR_UNKNOWN_CA: the peer's certificate is not signed by a CA
 *   that is trusted here
 * @QMP_TLS_ERROR_HOSTNAME_MISMATCH: the server's certificate is for other
 *   names than the one expected
 * @QMP_TLS_ERROR_EXPIRED: the peer's certificate has expired
 * @QMP_TLS_ERROR_NOT_YET_VALID: the peer's certificate is not valid yet
 * @QMP_TLS_ERROR_UNTRUSTED: the peer's certificate is refused for another
 *   reason, which the message gives
 * @QMP_TLS_ERROR_NO_CLIENT_CERT: the server dropped the connection after the
 *   handshake, as QEMU does when it requires a client certificate, and none
 *   was given
 * @QMP_TLS_ERROR_CLIENT_CERT_REFUSED: the server dropped the connection after
 *   the handshake though a client certificate was sent: it does not trust
 *   it, or its authorization refuses it
 * @QMP_TLS_ERROR_CLIENT_SENT_NO_CERT: accepting, the client sent no certificate
 * @QMP_TLS_ERROR_PSK_REFUSED: the server refused the pre-shared key: the key
 *   or the username is not one it has
 * @QMP_TLS_ERROR_PSK_UNKNOWN_CLIENT: accepting, the client's PSK username has
 *   no key here, or its key is another one
 * @QMP_TLS_ERROR_PSK_NOT_OFFERED: the server takes no pre-shared key on this
 *   port: it wants x509 certificates
 *
 * What failed in TLS, for a caller to say what to try; the message says
 * what failed, where, and why, and names no setting of the caller's.
 */
typedef enum {
	QMP_TLS_ERROR_FAILED,
	QMP_TLS_ERROR_BAD_CONFIG,
	QMP_TLS_ERROR_INCOMPLETE_CREDENTIALS,
	QMP_TLS_ERROR_PSK_NO_KEY,
	QMP_TLS_ERROR_NOT_TLS,
	QMP_TLS_ERROR_UNKNOWN_CA,
	QMP_TLS_ERROR_HOSTNAME_MISMATCH,
	QMP_TLS_ERROR_EXPIRED,
	QMP_TLS_ERROR_NOT_YET_VALID,
	QMP_TLS_ERROR_UNTRUSTED,
	QMP_TLS_ERROR_NO_CLIENT_CERT,
	QMP_TLS_ERROR_CLIENT_CERT_REFUSED,
	QMP_TLS_ERROR_CLIENT_SENT_NO_CERT,
	QMP_TLS_ERROR_PSK_REFUSED,
	QMP_TLS_ERROR_PSK_UNKNOWN_CLIENT,
	QMP_TLS_ERROR_PSK_NOT_OFFERED,
} QmpTlsError;

GQuark qmp_tls_error_quark (void);

G_END_DECLS
