/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* QEMU's default PSK identity, as its tls-creds-psk "username" property */
#define QMP_TLS_PSK_DEFAULT_USERNAME "qemu"
/* the GnuTLS priority used when none is given */
#define QMP_TLS_DEFAULT_PRIORITY "NORMAL"
/* what QEMU's tls-creds-psk adds to the priority, and so must a PSK client */
#define QMP_TLS_PSK_PRIORITY_ADDITIONS ":+ECDHE-PSK:+DHE-PSK:+PSK"
/* how long a handshake may take, in milliseconds, unless set otherwise */
#define QMP_TLS_DEFAULT_HANDSHAKE_TIMEOUT 5000

/**
 * QmpTlsEndpoint:
 * @QMP_TLS_ENDPOINT_CLIENT: we dialed out: our end runs the TLS client
 * @QMP_TLS_ENDPOINT_SERVER: QEMU dialed in (qmp_protocol_accept_async()): our end runs the
 *   TLS server
 *
 * Which side of the handshake this end takes; QEMU's `endpoint` property of
 * its `tls-creds-*` objects, seen from qmpsh.
 */
typedef enum {
	QMP_TLS_ENDPOINT_CLIENT,
	QMP_TLS_ENDPOINT_SERVER,
} QmpTlsEndpoint;

#define QMP_TYPE_TLS_CONFIG (qmp_tls_config_get_type ())
G_DECLARE_FINAL_TYPE (QmpTlsConfig, qmp_tls_config, QMP, TLS_CONFIG, GObject)

QmpTlsConfig *qmp_tls_config_new (GError **error) G_GNUC_WARN_UNUSED_RESULT;
QmpTlsConfig *qmp_tls_config_new_from_dir (const gchar *dir, QmpTlsEndpoint endpoint,
					   GError **error) G_GNUC_WARN_UNUSED_RESULT;

gboolean qmp_tls_config_set_ca_file (QmpTlsConfig *self, const gchar *path, GError **error);
gboolean qmp_tls_config_set_cert_file (QmpTlsConfig *self, const gchar *path, GError **error);
gboolean qmp_tls_config_set_key_file (QmpTlsConfig *self, const gchar *path, GError **error);
const gchar *qmp_tls_config_get_ca_file (QmpTlsConfig *self);
const gchar *qmp_tls_config_get_cert_file (QmpTlsConfig *self);
const gchar *qmp_tls_config_get_key_file (QmpTlsConfig *self);

void qmp_tls_config_set_hostname (QmpTlsConfig *self, const gchar *hostname);
const gchar *qmp_tls_config_get_hostname (QmpTlsConfig *self);

gboolean qmp_tls_config_set_psk_file (QmpTlsConfig *self, const gchar *path, GError **error);
const gchar *qmp_tls_config_get_psk_file (QmpTlsConfig *self);
void qmp_tls_config_set_psk_username (QmpTlsConfig *self, const gchar *username);
const gchar *qmp_tls_config_get_psk_username (QmpTlsConfig *self);
gboolean qmp_tls_config_is_psk (QmpTlsConfig *self);

gboolean qmp_tls_config_set_priority (QmpTlsConfig *self, const gchar *priority, GError **error);
const gchar *qmp_tls_config_get_priority (QmpTlsConfig *self);
void qmp_tls_config_set_handshake_timeout (QmpTlsConfig *self, guint msec);
guint qmp_tls_config_get_handshake_timeout (QmpTlsConfig *self);

gboolean qmp_tls_config_check (QmpTlsConfig *self, QmpTlsEndpoint endpoint, GError **error);

G_END_DECLS
