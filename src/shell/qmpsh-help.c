/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-help.h"
#include "qmpsh-builtins.h"
#include "qmpsh-check.h"

/**
 * qmpsh_help_summary:
 * @interactive: whether it is for the prompt (which has more built-ins, and keys)
 *
 * Returns: (transfer full): what `.help` says: the language, and the built-ins
 *   of this mode from their table
 */
gchar *
qmpsh_help_summary (gboolean interactive)
{
	GString *out = g_string_new (NULL);
	QmpshBuiltinModes mode = interactive ? QMPSH_BUILTIN_PROMPT : QMPSH_BUILTIN_BATCH;
	guint n = 0;
	const QmpshBuiltin *builtins = qmpsh_builtins_get (&n);

	g_string_append (out,
			 "Commands, one a line:\n"
			 "  NAME key=value ...      a QMP command; a value is JSON when it parses "
			 "as JSON,\n"
			 "                          else a string; a.b=1 builds nested objects\n"
			 "  {\"execute\": ...}        a command written whole in JSON\n"
			 "  transaction( TYPE key=value ... ; TYPE ... )   may span lines\n"
			 "  # comment\n"
			 "Built-ins:\n");
	for (guint i = 0; i < n; i++) {
		g_autofree gchar *head = NULL;
		if (!(builtins[i].modes & mode))
			continue;
		head = g_strdup_printf ("%s%s%s", builtins[i].name,
					builtins[i].args[0] != '\0' ? " " : "", builtins[i].args);
		if (g_utf8_strlen (head, -1) > 23)
			g_string_append_printf (out, "  %s\n  %-23s %s\n", head, "",
						builtins[i].summary);
		else
			g_string_append_printf (out, "  %-23s %s\n", head, builtins[i].summary);
	}
	if (interactive)
		g_string_append (out,
				 "Keys: TAB completes, Ctrl-R searches the history, Ctrl-C stops "
				 "waiting for a reply\n"
				 "or clears the line, Ctrl-D leaves.\n");
	return g_string_free (out, FALSE);
}

/**
 * qmpsh_help_describe:
 * @schema: the server's schema
 * @name: a command
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full): the command's arguments, one a line with its
 *   type and whether it is required, or %NULL with a %QMPSH_CHECK_ERROR that
 *   names the commands closest to @name
 */
gchar *
qmpsh_help_describe (QmpSchema *schema, const gchar *name, GError **error)
{
	g_autoptr (GString) out = g_string_new (NULL);
	g_autoptr (GArray) members = NULL;
	const QmpSchemaEntry *entity;

	if (!qmp_schema_has_command (schema, name)) {
		g_autofree gchar *close =
			qmpsh_check_suggest (qmp_schema_list_commands (schema), name);
		g_set_error (error, QMPSH_CHECK_ERROR, QMPSH_CHECK_ERROR_UNKNOWN_COMMAND,
			     "no command '%s'%s%s%s", name, close != NULL ? "; did you mean " : "",
			     close != NULL ? close : "", close != NULL ? "?" : "");
		return NULL;
	}
	entity = qmp_schema_lookup (schema, name);
	g_string_append_printf (out, "%s%s%s%s\n", name,
				entity->features & QMP_SCHEMA_FEATURE_DEPRECATED ? " (deprecated)"
										 : "",
				entity->features & QMP_SCHEMA_FEATURE_UNSTABLE ? " (unstable)" : "",
				entity->allow_oob ? " (may run out of band)" : "");
	members = qmp_schema_list_members (schema, name, "");
	if (members->len == 0)
		g_string_append (out, "  no arguments\n");
	for (guint i = 0; i < members->len; i++) {
		QmpSchemaMember *m = &g_array_index (members, QmpSchemaMember, i);
		g_autofree gchar *type = qmp_schema_describe_type (schema, m->type);
		g_string_append_printf (out, "  %-22s %s%s%s%s", m->name, type,
					m->optional ? ", optional" : ", required",
					m->deprecated ? ", deprecated" : "",
					m->unstable ? ", unstable" : "");
		if (m->branch != NULL)
			g_string_append_printf (out, " (when %s)", m->branch);
		g_string_append_c (out, '\n');
	}
	return g_string_free (g_steal_pointer (&out), FALSE);
}
