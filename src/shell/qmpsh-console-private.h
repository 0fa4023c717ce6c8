/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmpsh-console.h"

G_BEGIN_DECLS

/*
 * The console lives in a module of its own (qmpsh-console.so), which alone
 * links GNU readline and what it brings (libtinfo): a batch run never loads
 * them. qmpsh-console-loader.c opens the module when the prompt is wanted
 * and forwards every call through this table, which the module's one
 * exported symbol, qmpsh_console_module_get(), hands out.
 */
typedef struct {
	GType (*get_type) (void);
	QmpshConsole *(*new_console) (const gchar *history_path);
	void (*start) (QmpshConsole *self);
	void (*stop) (QmpshConsole *self);
	void (*set_prompt) (QmpshConsole *self, const gchar *prompt);
	void (*print) (QmpshConsole *self, const gchar *text);
	void (*clear_line) (QmpshConsole *self);
	void (*step_aside) (QmpshConsole *self, gboolean terminal);
	void (*pause_input) (QmpshConsole *self, gboolean paused);
	void (*step_back) (QmpshConsole *self);
	void (*forget_last) (QmpshConsole *self);
	void (*set_completer) (QmpshConsole *self, QmpshCompleteFunc func, QmpshReadyFunc ready,
			       gpointer user_data);
	void (*completer_changed) (QmpshConsole *self);
	void (*set_hinter) (QmpshConsole *self, QmpshHintFunc func, gpointer user_data);
	glong (*get_width) (QmpshConsole *self);
	gint (*get_height) (QmpshConsole *self);
} QmpshConsoleModule;

/* a completion the console owns: freed without qmpsh_complete_free() */
typedef QmpshCompletion *QmpshCompletionOwned;

#define QMPSH_CONSOLE_MODULE_SYMBOL "qmpsh_console_module_get"
typedef const QmpshConsoleModule *(*QmpshConsoleModuleGetFunc) (void);

G_END_DECLS
