/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The prompt's history, in readline's one global list and in a file only
 * the user may read: part of the console module.
 */
gchar *qmpsh_console_history_open (gchar *path);
gboolean qmpsh_console_history_add (const gchar *path, const gchar *line);
void qmpsh_console_history_remove_last (const gchar *path);

G_END_DECLS
