/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * QmpshSignalFunc:
 * @signum: the signal that came
 * @user_data: data
 *
 * Called in the main context for each signal that came, in order.
 */
typedef void (*QmpshSignalFunc) (gint signum, gpointer user_data);

GSource *qmpsh_signals_watch (QmpshSignalFunc func, gpointer user_data);
gint qmpsh_signals_last_word (void);

G_END_DECLS
