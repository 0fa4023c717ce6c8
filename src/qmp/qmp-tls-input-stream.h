/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "qmp-tls-stream.h"

G_BEGIN_DECLS

#define QMP_TYPE_TLS_INPUT_STREAM (qmp_tls_input_stream_get_type ())
G_DECLARE_FINAL_TYPE (QmpTlsInputStream, qmp_tls_input_stream, QMP, TLS_INPUT_STREAM, GInputStream)

GInputStream *qmp_tls_input_stream_new (QmpTlsStream *tls);

G_END_DECLS
