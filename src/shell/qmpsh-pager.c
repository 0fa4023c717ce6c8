/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-pager.h"
#include "qmpsh-output.h"

/* $PAGER, or less -FRX, if it is there to run */
static gchar *
qmpsh_pager_find (void)
{
	const gchar *pager = g_getenv ("PAGER");
	g_auto (GStrv) words = NULL;
	g_autofree gchar *found = NULL;

	if (pager == NULL || pager[0] == '\0')
		pager = "less -FRX";
	if (!g_shell_parse_argv (pager, NULL, &words, NULL))
		return NULL;
	found = g_find_program_in_path (words[0]);
	return found != NULL ? g_strdup (pager) : NULL;
}

/**
 * qmpsh_pager_show:
 * @console: the console
 * @text: what to show
 * @page: whether text taller than the terminal goes through $PAGER (or
 *   `less -FRX`), which has the terminal meanwhile
 *
 * As qmpsh_console_print(); a pager that is not there to run means the
 * text is printed as it is.
 */
void
qmpsh_pager_show (QmpshConsole *console, const gchar *text, gboolean page)
{
	gint rows = qmpsh_console_get_height (console);
	guint lines = 0;
	g_autofree gchar *pager = NULL;
	g_autoptr (QmpshOutput) output = NULL;
	g_autoptr (GString) whole = NULL;

	for (const gchar *p = text; *p != '\0' && (gint)lines < rows; p++)
		lines += *p == '\n';
	if (!page || rows <= 0 || (gint)lines + 1 < rows || (pager = qmpsh_pager_find ()) == NULL) {
		qmpsh_console_print (console, text);
		return;
	}
	whole = g_string_new (text);
	if (whole->len > 0 && whole->str[whole->len - 1] != '\n')
		g_string_append_c (whole, '\n');
	output = qmpsh_output_new (QMPSH_OUTPUT_PIPE, pager);
	qmpsh_console_step_aside (console, TRUE);
	if (!qmpsh_output_write (output, whole->str, whole->len, NULL))
		qmpsh_console_print (console, text);
	qmpsh_console_step_back (console);
}
