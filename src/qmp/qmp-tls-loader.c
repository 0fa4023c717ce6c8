/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <gmodule.h>

#include "qmp-module.h"
#include "qmp-tls-error.h"
#include "qmp-tls-module.h"

/*
 * The library's TLS calls, forwarded to the TLS module (qmp-tls-module.h),
 * which is opened on the first of them: without TLS, GnuTLS is never
 * loaded. A config or a stream only exists once the module is open, so the
 * calls on one need not ask again.
 */

/*
 * The domain is a quark of its name, so this one and the module's own
 * (qmp-tls-error.c) are the same. The quark names are not expressions:
 */
/* clang-format off */
G_DEFINE_QUARK (qmp-tls-error-quark, qmp_tls_error)
/* clang-format on */

#define QMP_TLS_MODULE_NAME "qmp-tls." G_MODULE_SUFFIX

static const QmpTlsModule *
qmp_tls_loader_open (gchar **failure)
{
	g_autofree gchar *looked = NULL;
	g_autofree gchar *path = qmp_module_find (QMP_TLS_MODULE_NAME, "QMP_TLS_MODULE", &looked);
	g_autofree gchar *why = NULL;
	QmpTlsModuleGetFunc get;

	if (path == NULL) {
		*failure = g_strdup_printf ("TLS is not available: its module is not "
					    "installed (no %s)",
					    looked);
		return NULL;
	}
	get = (QmpTlsModuleGetFunc)qmp_module_open (path, QMP_TLS_MODULE_SYMBOL, "TLS module",
						    &why);
	if (get == NULL) {
		*failure = g_strdup_printf ("TLS is not available: %s", why);
		return NULL;
	}
	return get ();
}

/* the module, opened once; or %NULL and why, every time it is asked for */
static const QmpTlsModule *
qmp_tls_loader_get (GError **error)
{
	static const QmpTlsModule *module = NULL;
	static gchar *failure = NULL;

	if (module == NULL && failure == NULL)
		module = qmp_tls_loader_open (&failure);
	if (module == NULL)
		g_set_error_literal (error, QMP_TLS_ERROR, QMP_TLS_ERROR_BAD_CONFIG, failure);
	return module;
}

/* for the calls on a config or a stream, which only the open module makes */
static const QmpTlsModule *
qmp_tls_loader_opened (void)
{
	const QmpTlsModule *module = qmp_tls_loader_get (NULL);

	g_assert (module != NULL);
	return module;
}

GType
qmp_tls_config_get_type (void)
{
	const QmpTlsModule *module = qmp_tls_loader_get (NULL);

	return module != NULL ? module->config_get_type () : G_TYPE_INVALID;
}

QmpTlsConfig *
qmp_tls_config_new (GError **error)
{
	const QmpTlsModule *module = qmp_tls_loader_get (error);

	return module != NULL ? module->config_new (error) : NULL;
}

QmpTlsConfig *
qmp_tls_config_new_from_dir (const gchar *dir, QmpTlsEndpoint endpoint, GError **error)
{
	const QmpTlsModule *module = qmp_tls_loader_get (error);

	return module != NULL ? module->config_new_from_dir (dir, endpoint, error) : NULL;
}

gboolean
qmp_tls_config_set_ca_file (QmpTlsConfig *self, const gchar *path, GError **error)
{
	return qmp_tls_loader_opened ()->config_set_ca_file (self, path, error);
}

gboolean
qmp_tls_config_set_cert_file (QmpTlsConfig *self, const gchar *path, GError **error)
{
	return qmp_tls_loader_opened ()->config_set_cert_file (self, path, error);
}

gboolean
qmp_tls_config_set_key_file (QmpTlsConfig *self, const gchar *path, GError **error)
{
	return qmp_tls_loader_opened ()->config_set_key_file (self, path, error);
}

const gchar *
qmp_tls_config_get_ca_file (QmpTlsConfig *self)
{
	return qmp_tls_loader_opened ()->config_get_ca_file (self);
}

const gchar *
qmp_tls_config_get_cert_file (QmpTlsConfig *self)
{
	return qmp_tls_loader_opened ()->config_get_cert_file (self);
}

const gchar *
qmp_tls_config_get_key_file (QmpTlsConfig *self)
{
	return qmp_tls_loader_opened ()->config_get_key_file (self);
}

void
qmp_tls_config_set_hostname (QmpTlsConfig *self, const gchar *hostname)
{
	qmp_tls_loader_opened ()->config_set_hostname (self, hostname);
}

const gchar *
qmp_tls_config_get_hostname (QmpTlsConfig *self)
{
	return qmp_tls_loader_opened ()->config_get_hostname (self);
}

gboolean
qmp_tls_config_set_psk_file (QmpTlsConfig *self, const gchar *path, GError **error)
{
	return qmp_tls_loader_opened ()->config_set_psk_file (self, path, error);
}

const gchar *
qmp_tls_config_get_psk_file (QmpTlsConfig *self)
{
	return qmp_tls_loader_opened ()->config_get_psk_file (self);
}

void
qmp_tls_config_set_psk_username (QmpTlsConfig *self, const gchar *username)
{
	qmp_tls_loader_opened ()->config_set_psk_username (self, username);
}

const gchar *
qmp_tls_config_get_psk_username (QmpTlsConfig *self)
{
	return qmp_tls_loader_opened ()->config_get_psk_username (self);
}

gboolean
qmp_tls_config_is_psk (QmpTlsConfig *self)
{
	return qmp_tls_loader_opened ()->config_is_psk (self);
}

gboolean
qmp_tls_config_set_priority (QmpTlsConfig *self, const gchar *priority, GError **error)
{
	return qmp_tls_loader_opened ()->config_set_priority (self, priority, error);
}

const gchar *
qmp_tls_config_get_priority (QmpTlsConfig *self)
{
	return qmp_tls_loader_opened ()->config_get_priority (self);
}

void
qmp_tls_config_set_handshake_timeout (QmpTlsConfig *self, guint msec)
{
	qmp_tls_loader_opened ()->config_set_handshake_timeout (self, msec);
}

guint
qmp_tls_config_get_handshake_timeout (QmpTlsConfig *self)
{
	return qmp_tls_loader_opened ()->config_get_handshake_timeout (self);
}

gboolean
qmp_tls_config_check (QmpTlsConfig *self, QmpTlsEndpoint endpoint, GError **error)
{
	return qmp_tls_loader_opened ()->config_check (self, endpoint, error);
}

GType
qmp_tls_stream_get_type (void)
{
	const QmpTlsModule *module = qmp_tls_loader_get (NULL);

	return module != NULL ? module->stream_get_type () : G_TYPE_INVALID;
}

QmpTlsStream *
qmp_tls_stream_new (GSocketConnection *base, QmpTlsConfig *config, QmpTlsEndpoint endpoint,
		    const gchar *server_identity, GError **error)
{
	return qmp_tls_loader_opened ()->stream_new (base, config, endpoint, server_identity,
						     error);
}

void
qmp_tls_stream_handshake_async (QmpTlsStream *self, GCancellable *cancellable,
				GAsyncReadyCallback callback, gpointer user_data)
{
	qmp_tls_loader_opened ()->stream_handshake_async (self, cancellable, callback, user_data);
}

gboolean
qmp_tls_stream_handshake_finish (QmpTlsStream *self, GAsyncResult *result, GError **error)
{
	return qmp_tls_loader_opened ()->stream_handshake_finish (self, result, error);
}
