/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmp-schema.h"
#include "qmpsh-session.h"

G_BEGIN_DECLS

gboolean qmpsh_spawn_monitor_supported (QmpSchema *schema);
void qmpsh_spawn_monitor_act (QmpshSession *session, guint lineno, const gchar *path);

G_END_DECLS
