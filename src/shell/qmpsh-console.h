/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "qmpsh-complete.h"

G_BEGIN_DECLS

#define QMPSH_TYPE_CONSOLE (qmpsh_console_get_type ())
G_DECLARE_FINAL_TYPE (QmpshConsole, qmpsh_console, QMPSH, CONSOLE, GObject)

/**
 * QmpshCompleteFunc:
 * @line: the line being typed
 * @point: where the cursor is
 * @user_data: data
 *
 * Returns: (transfer full) (nullable): what the word at the cursor can become
 */
typedef QmpshCompletion *(*QmpshCompleteFunc) (const gchar *line, gsize point, gpointer user_data);

gboolean qmpsh_console_load (GError **error);
QmpshConsole *qmpsh_console_new (const gchar *history_path);
void qmpsh_console_start (QmpshConsole *self);
void qmpsh_console_stop (QmpshConsole *self);
void qmpsh_console_set_prompt (QmpshConsole *self, const gchar *prompt);
void qmpsh_console_print (QmpshConsole *self, const gchar *text);
void qmpsh_console_printf (QmpshConsole *self, const gchar *format, ...) G_GNUC_PRINTF (2, 3);
void qmpsh_console_clear_line (QmpshConsole *self);
void qmpsh_console_step_aside (QmpshConsole *self, gboolean terminal);
void qmpsh_console_pause_input (QmpshConsole *self, gboolean paused);
void qmpsh_console_step_back (QmpshConsole *self);
void qmpsh_console_forget_last (QmpshConsole *self);

/**
 * QmpshReadyFunc:
 * @line: the line being typed
 * @point: where the cursor is
 * @user_data: the completer's data
 *
 * Asks for what completing at @point wants, if it is not known.
 *
 * Returns: whether all of it is there
 */
typedef gboolean (*QmpshReadyFunc) (const gchar *line, gsize point, gpointer user_data);

void qmpsh_console_set_completer (QmpshConsole *self, QmpshCompleteFunc func, QmpshReadyFunc ready,
				  gpointer user_data);
void qmpsh_console_completer_changed (QmpshConsole *self);

/**
 * QmpshHintFunc:
 * @line: the line being edited, the cursor at its end
 * @user_data: the data given with it
 *
 * Returns: (transfer full) (nullable): what to show, dim, after the cursor
 */
typedef gchar *(*QmpshHintFunc) (const gchar *line, gpointer user_data);

void qmpsh_console_set_hinter (QmpshConsole *self, QmpshHintFunc func, gpointer user_data);
glong qmpsh_console_get_width (QmpshConsole *self);
gint qmpsh_console_get_height (QmpshConsole *self);

G_END_DECLS
