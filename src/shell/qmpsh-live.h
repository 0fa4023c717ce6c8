/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmp-client.h"
#include "qmpsh-complete.h"

G_BEGIN_DECLS

#define QMPSH_TYPE_LIVE (qmpsh_live_get_type ())
G_DECLARE_FINAL_TYPE (QmpshLive, qmpsh_live, QMPSH, LIVE, GObject)

QmpshLive *qmpsh_live_new (QmpClient *client);
void qmpsh_live_mark_stale (QmpshLive *self);
void qmpsh_live_refresh (QmpshLive *self, QmpSchema *schema);
void qmpsh_live_load_hmp (QmpshLive *self);
const QmpshCompleteLive *qmpsh_live_get (QmpshLive *self);

G_END_DECLS
