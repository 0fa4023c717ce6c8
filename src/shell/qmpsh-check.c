/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-check.h"
#include "qmp-message.h"
#include "qmpsh-format.h"

#include <string.h>

/*
 * Checks of a line against the server's schema, before anything is sent: a
 * command the server does not have, an argument the command does not take.
 * Each refusal names what was typed and the closest names the schema has.
 */

/* the quark names are not expressions */
/* clang-format off */
G_DEFINE_QUARK (qmpsh-check-error-quark, qmpsh_check_error)
/* clang-format on */

static guint
edit_distance (const gchar *a, const gchar *b)
{
	gsize la = strlen (a), lb = strlen (b);
	g_autofree guint *row = g_new (guint, lb + 1);

	for (gsize j = 0; j <= lb; j++)
		row[j] = j;
	for (gsize i = 1; i <= la; i++) {
		guint diag = row[0];
		row[0] = i;
		for (gsize j = 1; j <= lb; j++) {
			guint up = row[j];
			row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1),
				      diag + (a[i - 1] != b[j - 1]));
			diag = up;
		}
	}
	return row[lb];
}

/**
 * qmpsh_check_suggest:
 * @names: (element-type utf8): the names there are
 * @wrong: what was typed
 *
 * "Did you mean": the names within three edits of @wrong, nearest first.
 *
 * Returns: (transfer full) (nullable): them, joined by ", ", or %NULL
 */
gchar *
qmpsh_check_suggest (GPtrArray *names, const gchar *wrong)
{
	g_autoptr (GString) out = g_string_new (NULL);

	/* a name far longer than any the schema has is no typo of one */
	if (strlen (wrong) > 256)
		return NULL;
	for (guint pass = 0; pass <= 3 && out->len == 0; pass++) {
		for (guint i = 0; i < names->len; i++) {
			const gchar *name = g_ptr_array_index (names, i);
			if (edit_distance (wrong, name) == pass && out->len < 200)
				g_string_append_printf (out, "%s%s", out->len > 0 ? ", " : "",
							name);
		}
	}
	return out->len > 0 ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

/* every key of @object must be a member of the schema's type at @path */
static gboolean
check_keys (QmpSchema *schema, const gchar *command, const gchar *path, JsonObject *object,
	    GError **error)
{
	g_autoptr (GArray) members = qmp_schema_list_members (schema, command, path);
	g_autoptr (GPtrArray) names = g_ptr_array_new ();
	g_autoptr (GList) keys = json_object_get_members (object);

	if (members->len == 0 && path[0] != '\0')
		return TRUE; /* 'any', or an alternate: nothing to hold it to */
	for (guint i = 0; i < members->len; i++)
		g_ptr_array_add (names, (gpointer)g_array_index (members, QmpSchemaMember, i).name);
	for (GList *l = keys; l != NULL; l = l->next) {
		const gchar *key = l->data;
		g_autofree gchar *full =
			path[0] != '\0' ? g_strdup_printf ("%s.%s", path, key) : g_strdup (key);
		JsonNode *value = json_object_get_member (object, key);
		gboolean known = FALSE;

		for (guint i = 0; i < names->len && !known; i++)
			known = g_strcmp0 (g_ptr_array_index (names, i), key) == 0;
		if (!known) {
			g_autofree gchar *close = qmpsh_check_suggest (names, key);
			g_autofree gchar *shown = qmpsh_format_excerpt (full, -1);
			if (close != NULL)
				g_set_error (error, QMPSH_CHECK_ERROR,
					     QMPSH_CHECK_ERROR_UNKNOWN_ARGUMENT,
					     "%s has no argument '%s'; did you mean %s? (nothing "
					     "sent; .help %s lists them)",
					     command, shown, close, command);
			else
				g_set_error (
					error, QMPSH_CHECK_ERROR,
					QMPSH_CHECK_ERROR_UNKNOWN_ARGUMENT,
					"%s has no argument '%s' (nothing sent; .help %s lists "
					"them)",
					command, shown, command);
			return FALSE;
		}
		if (JSON_NODE_HOLDS_OBJECT (value) &&
		    !check_keys (schema, command, full, json_node_get_object (value), error))
			return FALSE;
	}
	return TRUE;
}

/**
 * qmpsh_check_line:
 * @schema: the server's schema
 * @line: a parsed line
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE if the server has the command and it takes every argument
 *   given; else %FALSE with a %QMPSH_CHECK_ERROR whose message ends with
 *   "nothing sent" and how to learn more
 */
gboolean
qmpsh_check_line (QmpSchema *schema, QmpshLine *line, GError **error)
{
	g_autoptr (QmpMessage) message = NULL;
	JsonObject *object;

	if (line->kind != QMPSH_LINE_COMMAND || g_strcmp0 (line->name, "transaction") == 0)
		return TRUE;
	if (!qmp_schema_has_command (schema, line->name)) {
		g_autofree gchar *close =
			qmpsh_check_suggest (qmp_schema_list_commands (schema), line->name);
		g_autofree gchar *shown = qmpsh_format_excerpt (line->name, -1);
		if (close != NULL)
			g_set_error (error, QMPSH_CHECK_ERROR, QMPSH_CHECK_ERROR_UNKNOWN_COMMAND,
				     "no command '%s'; did you mean %s? (nothing sent)", shown,
				     close);
		else
			g_set_error (error, QMPSH_CHECK_ERROR, QMPSH_CHECK_ERROR_UNKNOWN_COMMAND,
				     "no command '%s' (nothing sent; TAB lists them)", shown);
		return FALSE;
	}
	message = qmp_message_new_from_data (line->json, -1, NULL);
	object = message != NULL ? qmp_message_get_object (message) : NULL;
	if (object == NULL || !json_object_has_member (object, "arguments") ||
	    !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "arguments")))
		return TRUE;
	return check_keys (schema, line->name, "",
			   json_object_get_object_member (object, "arguments"), error);
}
