/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <gmodule.h>

#include "qmpsh-console-private.h"

/* the module's one exported symbol: the rest is built with hidden visibility */
G_MODULE_EXPORT const QmpshConsoleModule *qmpsh_console_module_get (void);

/**
 * qmpsh_console_module_get:
 *
 * Returns: (transfer none): the table of the module's functions
 */
G_MODULE_EXPORT const QmpshConsoleModule *
qmpsh_console_module_get (void)
{
	static const QmpshConsoleModule module = {
		.get_type = qmpsh_console_get_type,
		.new_console = qmpsh_console_new,
		.start = qmpsh_console_start,
		.stop = qmpsh_console_stop,
		.set_prompt = qmpsh_console_set_prompt,
		.print = qmpsh_console_print,
		.clear_line = qmpsh_console_clear_line,
		.step_aside = qmpsh_console_step_aside,
		.pause_input = qmpsh_console_pause_input,
		.step_back = qmpsh_console_step_back,
		.forget_last = qmpsh_console_forget_last,
		.set_completer = qmpsh_console_set_completer,
		.completer_changed = qmpsh_console_completer_changed,
		.set_hinter = qmpsh_console_set_hinter,
		.get_width = qmpsh_console_get_width,
		.get_height = qmpsh_console_get_height,
	};

	return &module;
}
