/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmp-client.h"
#include "qmpsh-complete.h"
#include "qmpsh-introspect.h"
#include "qmpsh-session.h"

G_BEGIN_DECLS

#define QMPSH_TYPE_LIVE (qmpsh_live_get_type ())
G_DECLARE_FINAL_TYPE (QmpshLive, qmpsh_live, QMPSH, LIVE, GObject)

QmpshLive *qmpsh_live_new (QmpshSession *session);
void qmpsh_live_mark_stale (QmpshLive *self);
void qmpsh_live_load_hmp (QmpshLive *self);
gboolean qmpsh_live_prepare (QmpshLive *self, gboolean hmp, const gchar *line, gsize point);
QmpshCompletion *qmpsh_live_complete (QmpshLive *self, gboolean hmp, const gchar *line,
				      gsize point);
gchar *qmpsh_live_hint (QmpshLive *self, const gchar *line) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
