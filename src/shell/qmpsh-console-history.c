/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-console-history.h"
#include "qmpsh-files.h"

#include <stdio.h>

#include <readline/history.h>

/* lines kept, in memory and in the file */
#define QMPSH_HISTORY_MAX 1000

/**
 * qmpsh_console_history_open:
 * @path: (transfer full) (nullable): the history file, or %NULL for none
 *
 * Starts the history with what the file holds.
 *
 * Returns: (transfer full) (nullable): @path, or %NULL if it cannot be kept
 *   private, said on stderr: the session then keeps no history on disk
 */
gchar *
qmpsh_console_history_open (gchar *path)
{
	g_autofree gchar *dir = NULL;
	g_autoptr (GError) error = NULL;

	using_history ();
	stifle_history (QMPSH_HISTORY_MAX);
	if (path == NULL)
		return NULL;
	/* commands can hold secrets: only the user may read them, or aim them elsewhere */
	dir = g_path_get_dirname (path);
	if (!qmpsh_files_private_dir (dir, &error) || !qmpsh_files_private_file (path, &error)) {
		g_printerr ("qmpsh: keeping no history: %s\n", error->message);
		g_free (path);
		return NULL;
	}
	read_history (path);
	return path;
}

/**
 * qmpsh_console_history_add:
 * @path: (nullable): the history file
 * @line: a line typed
 *
 * Returns: whether @line went in: not blank, nor the line before it again
 */
gboolean
qmpsh_console_history_add (const gchar *path, const gchar *line)
{
	HIST_ENTRY *last;

	if (line[0] == '\0' || g_ascii_isspace (line[0]))
		return FALSE;
	/* consecutive duplicates once only */
	last = history_length > 0 ? history_get (history_base + history_length - 1) : NULL;
	if (last != NULL && g_strcmp0 (last->line, line) == 0)
		return FALSE;
	add_history (line);
	if (path != NULL) {
		append_history (1, path);
		history_truncate_file (path, QMPSH_HISTORY_MAX);
	}
	return TRUE;
}

/**
 * qmpsh_console_history_remove_last:
 * @path: (nullable): the history file
 *
 * Takes the newest line back out, from the file too.
 */
void
qmpsh_console_history_remove_last (const gchar *path)
{
	HIST_ENTRY *entry;

	if (history_length == 0)
		return;
	entry = remove_history (history_length - 1);
	if (entry != NULL)
		free_history_entry (entry);
	if (path != NULL)
		write_history (path);
}
