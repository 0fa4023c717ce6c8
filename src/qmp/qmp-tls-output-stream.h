/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "qmp-tls-stream.h"

G_BEGIN_DECLS

#define QMP_TYPE_TLS_OUTPUT_STREAM (qmp_tls_output_stream_get_type ())
G_DECLARE_FINAL_TYPE (QmpTlsOutputStream, qmp_tls_output_stream, QMP, TLS_OUTPUT_STREAM,
		      GOutputStream)

GOutputStream *qmp_tls_output_stream_new (QmpTlsStream *tls);

G_END_DECLS
