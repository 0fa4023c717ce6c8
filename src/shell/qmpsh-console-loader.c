/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <gio/gio.h>
#include <gmodule.h>

#include "qmp-module.h"
#include "qmpsh-console-private.h"

/*
 * The console's calls, forwarded to the console module
 * (qmpsh-console-private.h), which qmpsh_console_load() opens before the
 * prompt starts: a batch run never loads readline. A console only exists
 * once the module is open, so the calls on one need not ask again.
 */

#define QMPSH_CONSOLE_MODULE_NAME "qmpsh-console." G_MODULE_SUFFIX

static const QmpshConsoleModule *module;

/**
 * qmpsh_console_load:
 * @error: a #GError, or %NULL
 *
 * Opens the console module ($QMPSH_CONSOLE_MODULE; beside the program; where
 * it is installed), once.
 *
 * Returns: whether the console can be used
 */
gboolean
qmpsh_console_load (GError **error)
{
	g_autofree gchar *looked = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *why = NULL;
	QmpshConsoleModuleGetFunc get;

	if (module != NULL)
		return TRUE;
	path = qmp_module_find (QMPSH_CONSOLE_MODULE_NAME, "QMPSH_CONSOLE_MODULE", &looked);
	if (path == NULL) {
		g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
			     "the prompt is not available: its module is not installed (no %s); "
			     "commands still run from -c or a pipe",
			     looked);
		return FALSE;
	}
	get = (QmpshConsoleModuleGetFunc)qmp_module_open (path, QMPSH_CONSOLE_MODULE_SYMBOL,
							  "console module", &why);
	if (get == NULL) {
		g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
			     "the prompt is not available: %s", why);
		return FALSE;
	}
	module = get ();
	return TRUE;
}

/* every other call comes after a successful qmpsh_console_load() */
static const QmpshConsoleModule *
opened (void)
{
	g_assert (module != NULL);
	return module;
}

GType
qmpsh_console_get_type (void)
{
	return opened ()->get_type ();
}

QmpshConsole *
qmpsh_console_new (const gchar *history_path)
{
	return opened ()->new_console (history_path);
}

void
qmpsh_console_start (QmpshConsole *self)
{
	opened ()->start (self);
}

void
qmpsh_console_stop (QmpshConsole *self)
{
	opened ()->stop (self);
}

void
qmpsh_console_set_prompt (QmpshConsole *self, const gchar *prompt)
{
	opened ()->set_prompt (self, prompt);
}

void
qmpsh_console_print (QmpshConsole *self, const gchar *text)
{
	opened ()->print (self, text);
}

void
qmpsh_console_printf (QmpshConsole *self, const gchar *format, ...)
{
	g_autofree gchar *text = NULL;
	va_list args;

	va_start (args, format);
	text = g_strdup_vprintf (format, args);
	va_end (args);
	opened ()->print (self, text);
}

void
qmpsh_console_clear_line (QmpshConsole *self)
{
	opened ()->clear_line (self);
}

void
qmpsh_console_step_aside (QmpshConsole *self, gboolean terminal)
{
	opened ()->step_aside (self, terminal);
}

void
qmpsh_console_pause_input (QmpshConsole *self, gboolean paused)
{
	opened ()->pause_input (self, paused);
}

void
qmpsh_console_step_back (QmpshConsole *self)
{
	opened ()->step_back (self);
}

void
qmpsh_console_forget_last (QmpshConsole *self)
{
	opened ()->forget_last (self);
}

void
qmpsh_console_set_completer (QmpshConsole *self, QmpshCompleteFunc func, QmpshReadyFunc ready,
			     gpointer user_data)
{
	opened ()->set_completer (self, func, ready, user_data);
}

void
qmpsh_console_completer_changed (QmpshConsole *self)
{
	opened ()->completer_changed (self);
}

void
qmpsh_console_set_hinter (QmpshConsole *self, QmpshHintFunc func, gpointer user_data)
{
	opened ()->set_hinter (self, func, user_data);
}

glong
qmpsh_console_get_width (QmpshConsole *self)
{
	return opened ()->get_width (self);
}

gint
qmpsh_console_get_height (QmpshConsole *self)
{
	return opened ()->get_height (self);
}
