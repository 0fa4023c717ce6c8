/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "qmp-tls-config.h"

G_BEGIN_DECLS

#define QMP_TYPE_TLS_STREAM (qmp_tls_stream_get_type ())
G_DECLARE_FINAL_TYPE (QmpTlsStream, qmp_tls_stream, QMP, TLS_STREAM, GIOStream)

QmpTlsStream *qmp_tls_stream_new (GSocketConnection *base, QmpTlsConfig *config,
				  QmpTlsEndpoint endpoint, const gchar *server_identity,
				  GError **error) G_GNUC_WARN_UNUSED_RESULT;
void qmp_tls_stream_handshake_async (QmpTlsStream *self, GCancellable *cancellable,
				     GAsyncReadyCallback callback, gpointer user_data);
gboolean qmp_tls_stream_handshake_finish (QmpTlsStream *self, GAsyncResult *result, GError **error);

G_END_DECLS
