/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * What the TLS files share and nothing else may use: the GnuTLS types with
 * g_auto, the one GnuTLS-to-GError helper, what a stream needs of a
 * configuration beyond its public API, and what the stream's halves and
 * its source need of the stream.
 */

#pragma once

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "qmp-tls-config.h"
#include "qmp-tls-error.h"
#include "qmp-tls-stream.h"

G_BEGIN_DECLS

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_certificate_credentials_t,
				 gnutls_certificate_free_credentials, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_psk_client_credentials_t,
				 gnutls_psk_free_client_credentials, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_psk_server_credentials_t,
				 gnutls_psk_free_server_credentials, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_privkey_t, gnutls_x509_privkey_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_priority_t, gnutls_priority_deinit, NULL)

static inline void
qmp_tls_datum_clear (gnutls_datum_t *datum)
{
	gnutls_free (datum->data);
	datum->data = NULL;
	datum->size = 0;
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (gnutls_datum_t, qmp_tls_datum_clear)

/* the one GnuTLS-to-GError helper, and why a certificate was refused: see qmp-tls-error.c */
G_GNUC_INTERNAL
gboolean qmp_tls_error_check (gint ret, GError **error, QmpTlsError code, const gchar *format, ...)
	G_GNUC_PRINTF (4, 5);
G_GNUC_INTERNAL
GError *qmp_tls_error_new_verify (gnutls_session_t session, const gchar *whose,
				  const gchar *ca_file, const gchar *expected);

/* what a stream needs of its configuration: see each in qmp-tls-config.c */
G_GNUC_INTERNAL
gchar *qmp_tls_config_dup_session_priority (QmpTlsConfig *self);
G_GNUC_INTERNAL
gboolean qmp_tls_config_make_x509 (QmpTlsConfig *self, QmpTlsEndpoint endpoint,
				   gnutls_certificate_credentials_t *out, GError **error);
G_GNUC_INTERNAL
gboolean qmp_tls_config_check_combination (QmpTlsConfig *self, QmpTlsEndpoint endpoint,
					   GError **error);
G_GNUC_INTERNAL
const gchar *qmp_tls_config_lookup_psk_key (QmpTlsConfig *self, const gchar *username);

/* what the input and output streams and the source need of a stream: see qmp-tls-stream.c */
G_GNUC_INTERNAL
GSocket *qmp_tls_stream_get_socket (QmpTlsStream *self);
G_GNUC_INTERNAL
gboolean qmp_tls_stream_is_closed (QmpTlsStream *self);
G_GNUC_INTERNAL
gboolean qmp_tls_stream_has_pending (QmpTlsStream *self);
G_GNUC_INTERNAL
gssize qmp_tls_stream_recv (QmpTlsStream *self, void *buffer, gsize count, GError **error);
G_GNUC_INTERNAL
gssize qmp_tls_stream_send (QmpTlsStream *self, const void *buffer, gsize count, GError **error);

G_END_DECLS
