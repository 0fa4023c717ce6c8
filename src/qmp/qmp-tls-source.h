/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "qmp-tls-stream.h"

G_BEGIN_DECLS

GSource *qmp_tls_source_new (QmpTlsStream *tls, GObject *pollable, GIOCondition condition,
			     GCancellable *cancellable);

G_END_DECLS
