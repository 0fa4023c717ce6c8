/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "qmp-tls.h"

G_BEGIN_DECLS

#define QMP_TYPE_TRANSPORT (qmp_transport_get_type ())
G_DECLARE_FINAL_TYPE (QmpTransport, qmp_transport, QMP, TRANSPORT, GObject)

QmpTransport *qmp_transport_new (void);
void qmp_transport_set_ssh_command (QmpTransport *self, const gchar *const *argv);

/* the connection is made, and the TLS handshake, which times itself, begins */
typedef void (*QmpTransportHandshakeFunc) (gpointer user_data);
void qmp_transport_set_handshake_func (QmpTransport *self, QmpTransportHandshakeFunc func,
				       gpointer user_data);

void qmp_transport_connect_async (QmpTransport *self, const gchar *address, QmpTlsConfig *tls,
				  GCancellable *cancellable, GAsyncReadyCallback callback,
				  gpointer user_data);
GIOStream *qmp_transport_connect_finish (QmpTransport *self, GAsyncResult *result,
					 GError **error) G_GNUC_WARN_UNUSED_RESULT;

gboolean qmp_transport_listen (QmpTransport *self, const gchar *address, GError **error);
gboolean qmp_transport_is_listening (QmpTransport *self);
gchar *qmp_transport_dup_listen_address (QmpTransport *self);
void qmp_transport_accept_async (QmpTransport *self, QmpTlsConfig *tls, GCancellable *cancellable,
				 GAsyncReadyCallback callback, gpointer user_data);
GIOStream *qmp_transport_accept_finish (QmpTransport *self, GAsyncResult *result,
					GError **error) G_GNUC_WARN_UNUSED_RESULT;
void qmp_transport_close (QmpTransport *self);

G_END_DECLS
