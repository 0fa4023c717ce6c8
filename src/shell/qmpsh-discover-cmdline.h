/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmpsh-discover.h"

G_BEGIN_DECLS

GPtrArray *qmpsh_discover_cmdline_parse (const gchar *const *argv, const gchar *cwd,
					 gint pid) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
