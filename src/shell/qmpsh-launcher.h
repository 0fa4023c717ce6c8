/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define QMPSH_TYPE_LAUNCHER (qmpsh_launcher_get_type ())
G_DECLARE_FINAL_TYPE (QmpshLauncher, qmpsh_launcher, QMPSH, LAUNCHER, GObject)

QmpshLauncher *qmpsh_launcher_new (const gchar *const *argv);
void qmpsh_launcher_start_async (QmpshLauncher *self, GAsyncReadyCallback callback,
				 gpointer user_data);
gboolean qmpsh_launcher_start_finish (QmpshLauncher *self, GAsyncResult *result, GError **error);
const gchar *const *qmpsh_launcher_monitor_args (const gchar *object_help);
GIOStream *qmpsh_launcher_get_stream (QmpshLauncher *self);
void qmpsh_launcher_stop (QmpshLauncher *self);
gboolean qmpsh_launcher_is_running (QmpshLauncher *self);

G_END_DECLS
