/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmp-client.h"

G_BEGIN_DECLS

#define QMPSH_TYPE_WATCH (qmpsh_watch_get_type ())
G_DECLARE_FINAL_TYPE (QmpshWatch, qmpsh_watch, QMPSH, WATCH, GObject)

QmpshWatch *qmpsh_watch_new (QmpClient *client);
void qmpsh_watch_start (QmpshWatch *self, const gchar *id);
void qmpsh_watch_stop (QmpshWatch *self, const gchar *why);
gboolean qmpsh_watch_is_active (QmpshWatch *self);
void qmpsh_watch_event (QmpshWatch *self, const gchar *name);

G_END_DECLS
