/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gint qmpsh_files_open_append (const gchar *path, const gchar *what, GError **error);
gboolean qmpsh_files_private_dir (const gchar *dir, GError **error);
gboolean qmpsh_files_private_file (const gchar *path, GError **error);
gchar *qmpsh_files_state_dir (void);

G_END_DECLS
