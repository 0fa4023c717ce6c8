/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmp-tls-config.h"
#include "qmp-tls-stream.h"

G_BEGIN_DECLS

/*
 * The TLS half of the library lives in a module of its own (qmp-tls.so),
 * which alone links GnuTLS: a session without TLS never loads GnuTLS,
 * p11-kit and their libraries. qmp-tls-loader.c opens the module on the
 * first TLS call and forwards every call through this table, which the
 * module's one exported symbol, qmp_tls_module_get(), hands out.
 */
typedef struct {
	GType (*config_get_type) (void);
	QmpTlsConfig *(*config_new) (GError **error);
	QmpTlsConfig *(*config_new_from_dir) (const gchar *dir, QmpTlsEndpoint endpoint,
					      GError **error);
	gboolean (*config_set_ca_file) (QmpTlsConfig *self, const gchar *path, GError **error);
	gboolean (*config_set_cert_file) (QmpTlsConfig *self, const gchar *path, GError **error);
	gboolean (*config_set_key_file) (QmpTlsConfig *self, const gchar *path, GError **error);
	const gchar *(*config_get_ca_file) (QmpTlsConfig *self);
	const gchar *(*config_get_cert_file) (QmpTlsConfig *self);
	const gchar *(*config_get_key_file) (QmpTlsConfig *self);
	void (*config_set_hostname) (QmpTlsConfig *self, const gchar *hostname);
	const gchar *(*config_get_hostname) (QmpTlsConfig *self);
	gboolean (*config_set_psk_file) (QmpTlsConfig *self, const gchar *path, GError **error);
	const gchar *(*config_get_psk_file) (QmpTlsConfig *self);
	void (*config_set_psk_username) (QmpTlsConfig *self, const gchar *username);
	const gchar *(*config_get_psk_username) (QmpTlsConfig *self);
	gboolean (*config_is_psk) (QmpTlsConfig *self);
	gboolean (*config_set_priority) (QmpTlsConfig *self, const gchar *priority, GError **error);
	const gchar *(*config_get_priority) (QmpTlsConfig *self);
	void (*config_set_handshake_timeout) (QmpTlsConfig *self, guint msec);
	guint (*config_get_handshake_timeout) (QmpTlsConfig *self);
	gboolean (*config_check) (QmpTlsConfig *self, QmpTlsEndpoint endpoint, GError **error);
	GType (*stream_get_type) (void);
	QmpTlsStream *(*stream_new) (GSocketConnection *base, QmpTlsConfig *config,
				     QmpTlsEndpoint endpoint, const gchar *server_identity,
				     GError **error);
	void (*stream_handshake_async) (QmpTlsStream *self, GCancellable *cancellable,
					GAsyncReadyCallback callback, gpointer user_data);
	gboolean (*stream_handshake_finish) (QmpTlsStream *self, GAsyncResult *result,
					     GError **error);
} QmpTlsModule;

#define QMP_TLS_MODULE_SYMBOL "qmp_tls_module_get"
typedef const QmpTlsModule *(*QmpTlsModuleGetFunc) (void);

G_END_DECLS
