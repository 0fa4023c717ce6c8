/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmpsh-console.h"

G_BEGIN_DECLS

void qmpsh_pager_show (QmpshConsole *console, const gchar *text, gboolean page);

G_END_DECLS
