/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-complete.h"
#include "qmpsh-builtins.h"

#include <string.h>

void
qmpsh_complete_free (QmpshCompletion *completion)
{
	if (completion == NULL)
		return;
	g_ptr_array_unref (completion->words);
	g_free (completion);
}

static void
offer (QmpshCompletion *c, const gchar *prefix, const gchar *word, const gchar *suffix,
       const gchar *typed)
{
	g_autofree gchar *full = g_strconcat (prefix, word, suffix, NULL);
	if (!g_str_has_prefix (full, typed))
		return;
	for (guint i = 0; i < c->words->len; i++) {
		if (g_strcmp0 (g_ptr_array_index (c->words, i), full) == 0)
			return;
	}
	g_ptr_array_add (c->words, g_steal_pointer (&full));
}

static void
offer_all (QmpshCompletion *c, const gchar *prefix, GPtrArray *words, const gchar *typed)
{
	for (guint i = 0; words != NULL && i < words->len; i++)
		offer (c, prefix, g_ptr_array_index (words, i), "", typed);
}

/* keys already on the line, so that they are not offered again */
static gboolean
key_given (gchar **words, guint n, const gchar *key)
{
	for (guint i = 1; i < n; i++) {
		const gchar *eq = strchr (words[i], '=');
		if (eq != NULL && (gsize)(eq - words[i]) == strlen (key) &&
		    strncmp (words[i], key, eq - words[i]) == 0)
			return TRUE;
	}
	return FALSE;
}

static void
complete_value (QmpshCompletion *c, QmpSchema *schema, const QmpshCompleteLive *live,
		const gchar *command, const gchar *word)
{
	const gchar *eq = strchr (word, '=');
	g_autofree gchar *key = g_strndup (word, eq - word);
	g_autofree gchar *prefix = g_strndup (word, eq - word + 1);
	const gchar *leaf = strrchr (key, '.') != NULL ? strrchr (key, '.') + 1 : key;
	g_autofree gchar *type = schema != NULL ? qmp_schema_resolve (schema, command, key) : NULL;
	g_autoptr (GPtrArray) values = NULL;

	if (type != NULL) {
		values = qmp_schema_list_values (schema, type);
		offer_all (c, prefix, values, word);
	}
	if (live == NULL)
		return;
	/* the running VM's own names, where the key asks for one */
	if (g_strcmp0 (command, "device_del") == 0 && g_strcmp0 (leaf, "id") == 0)
		offer_all (c, prefix, live->device_ids, word);
	else if (g_strcmp0 (leaf, "node-name") == 0 || g_strcmp0 (leaf, "device") == 0 ||
		 g_strcmp0 (leaf, "node") == 0 || g_strcmp0 (leaf, "target") == 0)
		offer_all (c, prefix, live->block_nodes, word);
	else if (g_strcmp0 (leaf, "job-id") == 0 ||
		 (g_strcmp0 (leaf, "id") == 0 &&
		  (g_str_has_prefix (command, "job-") || g_str_has_prefix (command, "block-job-"))))
		offer_all (c, prefix, live->job_ids, word);
}

static void
complete_key (QmpshCompletion *c, QmpSchema *schema, const gchar *command, gchar **words, guint n,
	      const gchar *word)
{
	const gchar *dot = strrchr (word, '.');
	g_autofree gchar *path = dot != NULL ? g_strndup (word, dot - word) : g_strdup ("");
	g_autofree gchar *prefix = dot != NULL ? g_strndup (word, dot - word + 1) : g_strdup ("");
	g_autoptr (GArray) members = NULL;

	if (schema == NULL)
		return;
	members = qmp_schema_list_members (schema, command, path);
	/* what must be given comes first */
	for (guint pass = 0; pass < 2; pass++) {
		for (guint i = 0; i < members->len; i++) {
			QmpSchemaMember *m = &g_array_index (members, QmpSchemaMember, i);
			g_autofree gchar *key = g_strconcat (prefix, m->name, NULL);
			g_autoptr (GArray) inner = NULL;
			if (m->optional != (pass == 1) || key_given (words, n, key))
				continue;
			offer (c, prefix, m->name, "=", word);
			inner = qmp_schema_list_members (schema, command, key);
			if (inner->len > 0)
				offer (c, prefix, m->name, ".", word);
		}
	}
}

/**
 * qmpsh_complete:
 * @schema: (nullable): the server's schema, if it has arrived
 * @live: (nullable): names from the running VM
 * @hmp: whether lines are HMP commands
 * @line: the line being typed
 * @point: where the cursor is, in bytes
 *
 * Works out what the word before the cursor can become: a command name, a
 * built-in, an argument (`key=`, `a.b=`, required ones first), or a value
 * (an enum's values, true and false, the VM's own ids).
 *
 * Returns: (transfer full): the completion
 */
QmpshCompletion *
qmpsh_complete (QmpSchema *schema, const QmpshCompleteLive *live, gboolean hmp, const gchar *line,
		gsize point)
{
	QmpshCompletion *c = g_new0 (QmpshCompletion, 1);
	g_autofree gchar *head = g_strndup (line, point);
	g_autofree gchar *before = NULL;
	g_auto (GStrv) words = NULL;
	guint nbuiltins = 0;
	const QmpshBuiltin *builtins = qmpsh_builtins_get (&nbuiltins);
	const gchar *word;
	guint n;

	c->words = g_ptr_array_new_with_free_func (g_free);
	c->start = point;
	while (c->start > 0 && !g_ascii_isspace (head[c->start - 1]))
		c->start--;
	word = head + c->start;
	before = g_strndup (head, c->start);
	words = g_strsplit_set (g_strstrip (before), " \t", -1);
	n = g_strv_length (words);
	if (n == 1 && words[0][0] == '\0')
		n = 0;

	if (n == 0) {
		/* the command itself: the built-ins of the prompt, and the server's commands */
		for (guint i = 0; i < nbuiltins; i++) {
			if (builtins[i].modes & QMPSH_BUILTIN_PROMPT)
				offer (c, "", builtins[i].name, "", word);
		}
		if (!hmp && schema != NULL) {
			GPtrArray *commands = qmp_schema_list_commands (schema);
			offer (c, "", "transaction(", "", word);
			offer_all (c, "", commands, word);
		}
		if (hmp && live != NULL)
			offer_all (c, "", live->hmp_commands, word);
		return c;
	}
	if (words[0][0] == '.') {
		/* a built-in's first argument, as its row says */
		const QmpshBuiltin *b = qmpsh_builtins_find (words[0]);
		if (b != NULL && b->complete != NULL && n == 1) {
			g_autoptr (GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
			b->complete (schema, live, values);
			offer_all (c, "", values, word);
		}
		return c;
	}
	if (hmp)
		return c;
	if (strchr (word, '=') != NULL) {
		complete_value (c, schema, live, words[0], word);
		return c;
	}
	complete_key (c, schema, words[0], words, n, word);
	c->no_space = TRUE;
	return c;
}
