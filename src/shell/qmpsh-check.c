/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-check.h"
#include "qmp-message.h"
#include "qmpsh-format.h"

#include <string.h>

/*
 * What the checks of a line share (qmpsh-typer.c makes them): their error
 * domain, the command the server does not have, and "did you mean".
 */

/* the quark names are not expressions */
/* clang-format off */
G_DEFINE_QUARK (qmpsh-check-error-quark, qmpsh_check_error)
/* clang-format on */

/* edits from @a to @b: insertions, deletions, substitutions, swaps of neighbours */
static guint
edit_distance (const gchar *a, const gchar *b)
{
	gsize la = strlen (a), lb = strlen (b);
	g_autofree guint *rows = g_new (guint, 3 * (lb + 1));
	guint *before = rows, *prev = rows + lb + 1, *row = rows + 2 * (lb + 1);

	for (gsize j = 0; j <= lb; j++)
		prev[j] = j;
	for (gsize i = 1; i <= la; i++) {
		guint *spare = before;
		row[0] = i;
		for (gsize j = 1; j <= lb; j++) {
			guint cost = a[i - 1] != b[j - 1];
			row[j] = MIN (MIN (prev[j] + 1, row[j - 1] + 1), prev[j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
				row[j] = MIN (row[j], before[j - 2] + 1);
		}
		before = prev;
		prev = row;
		row = spare;
	}
	return prev[lb];
}

/**
 * qmpsh_check_suggest:
 * @names: (element-type utf8): the names there are
 * @wrong: what was typed
 *
 * "Did you mean": the names nearest @wrong, if near enough to be what was
 * meant: one edit away for a word of up to three letters, two for up to
 * six, three beyond.
 *
 * Returns: (transfer full) (nullable): them, joined by ", ", or %NULL
 */
gchar *
qmpsh_check_suggest (GPtrArray *names, const gchar *wrong)
{
	g_autoptr (GString) out = g_string_new (NULL);
	gsize len = strlen (wrong);
	guint most = len <= 3 ? 1 : len <= 6 ? 2 : 3;
	g_autofree guint *distance = NULL;
	guint best = G_MAXUINT;

	/* a name far longer than any the schema has is no typo of one */
	if (len > 256)
		return NULL;
	distance = g_new (guint, names->len + 1);
	for (guint i = 0; i < names->len; i++) {
		distance[i] = edit_distance (wrong, g_ptr_array_index (names, i));
		best = MIN (best, distance[i]);
	}
	for (guint i = 0; best <= most && i < names->len; i++) {
		if (distance[i] == best && out->len < 200)
			g_string_append_printf (out, "%s%s", out->len > 0 ? ", " : "",
						(const gchar *)g_ptr_array_index (names, i));
	}
	return out->len > 0 ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

/**
 * qmpsh_check_command:
 * @schema: the server's schema
 * @name: a command's name
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE if the server has the command, or %FALSE with a
 *   %QMPSH_CHECK_ERROR_UNKNOWN_COMMAND that names the closest ones
 */
gboolean
qmpsh_check_command (QmpSchema *schema, const gchar *name, GError **error)
{
	g_autofree gchar *close = NULL;
	g_autofree gchar *shown = NULL;

	if (qmp_schema_has_command (schema, name))
		return TRUE;
	close = qmpsh_check_suggest (qmp_schema_list_commands (schema), name);
	shown = qmpsh_format_excerpt (name, -1);
	if (close != NULL)
		g_set_error (error, QMPSH_CHECK_ERROR, QMPSH_CHECK_ERROR_UNKNOWN_COMMAND,
			     "no command '%s'; did you mean %s? (nothing sent)", shown, close);
	else
		g_set_error (error, QMPSH_CHECK_ERROR, QMPSH_CHECK_ERROR_UNKNOWN_COMMAND,
			     "no command '%s' (nothing sent; TAB lists them)", shown);
	return FALSE;
}
