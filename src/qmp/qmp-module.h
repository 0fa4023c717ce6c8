/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gchar *qmp_module_find (const gchar *file_name, const gchar *env, gchar **looked);
gpointer qmp_module_open (const gchar *path, const gchar *symbol, const gchar *what,
			  gchar **failure);

G_END_DECLS
