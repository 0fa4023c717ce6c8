/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-live.h"

#include <string.h>

/**
 * QmpshLive:
 *
 * What completion knows of the running VM: device ids, block node names,
 * job ids, and HMP's command names. Fetched in the background after a
 * command that may have changed them, so TAB never waits for the VM: what is
 * cached answers now, what changed shows at the next TAB.
 */
struct _QmpshLive {
	GObject parent_instance;
	QmpClient *client;
	QmpshCompleteLive lists;
	gboolean stale;
	gboolean loading;
};

G_DEFINE_FINAL_TYPE (QmpshLive, qmpsh_live, G_TYPE_OBJECT)

/**
 * qmpsh_live_new:
 * @client: the client to ask
 *
 * Returns: (transfer full): a cache of live values, stale
 */
QmpshLive *
qmpsh_live_new (QmpClient *client)
{
	QmpshLive *self = g_object_new (QMPSH_TYPE_LIVE, NULL);
	self->client = g_object_ref (client);
	self->stale = TRUE;
	return self;
}

/**
 * qmpsh_live_mark_stale:
 * @self: the cache
 *
 * A command ran that may have changed the VM: fetch again at the next refresh.
 */
void
qmpsh_live_mark_stale (QmpshLive *self)
{
	self->stale = TRUE;
}

const QmpshCompleteLive *
qmpsh_live_get (QmpshLive *self)
{
	return &self->lists;
}

static void
replace_list (GPtrArray **list, GPtrArray *fresh)
{
	g_clear_pointer (list, g_ptr_array_unref);
	*list = fresh;
}

/*
 * The names in a list reply: @member of each object, where its "type" starts
 * with @type_prefix if that is given. Generated names ("#block123") are no
 * use to type.
 */
static GPtrArray *
names_of (GObject *source, GAsyncResult *res, const gchar *member, const gchar *type_prefix)
{
	g_autoptr (JsonNode) ret = qmp_client_execute_finish (QMP_CLIENT (source), res, NULL);
	GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
	JsonArray *list =
		ret != NULL && JSON_NODE_HOLDS_ARRAY (ret) ? json_node_get_array (ret) : NULL;

	for (guint i = 0; list != NULL && i < json_array_get_length (list); i++) {
		JsonNode *node = json_array_get_element (list, i);
		JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
		const gchar *name =
			o != NULL ? json_object_get_string_member_with_default (o, member, NULL)
				  : NULL;
		if (name == NULL || name[0] == '#' ||
		    (type_prefix != NULL &&
		     !g_str_has_prefix (json_object_get_string_member_with_default (o, "type", ""),
					type_prefix)))
			continue;
		g_ptr_array_add (names, g_strdup (name));
	}
	return names;
}

static void
qmpsh_live_qom_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshLive) self = user_data;
	replace_list (&self->lists.device_ids, names_of (source, res, "name", "child<"));
}

static void
qmpsh_live_nodes_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshLive) self = user_data;
	replace_list (&self->lists.block_nodes, names_of (source, res, "node-name", NULL));
}

static void
qmpsh_live_jobs_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshLive) self = user_data;
	replace_list (&self->lists.job_ids, names_of (source, res, "id", NULL));
	self->loading = FALSE;
}

/**
 * qmpsh_live_refresh:
 * @self: the cache
 * @schema: (nullable): the server's schema: only what it has is asked for
 *
 * Fetches the values again in the background, if they are stale.
 */
void
qmpsh_live_refresh (QmpshLive *self, QmpSchema *schema)
{
	g_autoptr (JsonObject) qom = NULL;

	if (self->loading || !self->stale || schema == NULL ||
	    qmp_protocol_get_runstate (QMP_PROTOCOL (self->client)) != QMP_RUNSTATE_RUNNING)
		return;
	self->stale = FALSE;
	self->loading = TRUE;
	if (qmp_schema_has_command (schema, "qom-list")) {
		qom = json_object_new ();
		json_object_set_string_member (qom, "path", "/machine/peripheral");
		qmp_client_execute_async (self->client, "qom-list", qom, QMP_EXECUTE_FLAG_NONE,
					  NULL, qmpsh_live_qom_cb, g_object_ref (self));
	}
	if (qmp_schema_has_command (schema, "query-named-block-nodes"))
		qmp_client_execute_async (self->client, "query-named-block-nodes", NULL,
					  QMP_EXECUTE_FLAG_NONE, NULL, qmpsh_live_nodes_cb,
					  g_object_ref (self));
	/* the last one clears loading */
	qmp_client_execute_async (self->client, "query-jobs", NULL, QMP_EXECUTE_FLAG_NONE, NULL,
				  qmpsh_live_jobs_cb, g_object_ref (self));
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
	return g_strcmp0 (*(const gchar *const *)a, *(const gchar *const *)b);
}

/* HMP's `help` lists "name[|alias] args -- what it does", one a line */
static void
qmpsh_live_hmp_help_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshLive) self = user_data;
	g_autoptr (JsonNode) ret = qmp_client_execute_finish (QMP_CLIENT (source), res, NULL);
	GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
	g_auto (GStrv) lines = NULL;

	if (ret != NULL && json_node_get_value_type (ret) == G_TYPE_STRING)
		lines = g_strsplit (json_node_get_string (ret), "\n", -1);
	for (guint i = 0; lines != NULL && lines[i] != NULL; i++) {
		gsize n = strcspn (lines[i], " \t\r");
		g_auto (GStrv) aliases = NULL;
		g_autofree gchar *head = g_strndup (lines[i], n);
		if (n == 0)
			continue;
		aliases = g_strsplit (head, "|", -1);
		for (guint j = 0; aliases[j] != NULL; j++)
			g_ptr_array_add (names, g_strdup (aliases[j]));
	}
	g_ptr_array_sort (names, compare_strings);
	replace_list (&self->lists.hmp_commands, names);
}

/**
 * qmpsh_live_load_hmp:
 * @self: the cache
 *
 * Fetches HMP's command names, from its own `help`.
 */
void
qmpsh_live_load_hmp (QmpshLive *self)
{
	g_autoptr (JsonObject) args = json_object_new ();
	json_object_set_string_member (args, "command-line", "help");
	qmp_client_execute_async (self->client, "human-monitor-command", args,
				  QMP_EXECUTE_FLAG_NONE, NULL, qmpsh_live_hmp_help_cb,
				  g_object_ref (self));
}

static void
qmpsh_live_finalize (GObject *object)
{
	QmpshLive *self = QMPSH_LIVE (object);
	g_clear_object (&self->client);
	g_clear_pointer (&self->lists.device_ids, g_ptr_array_unref);
	g_clear_pointer (&self->lists.block_nodes, g_ptr_array_unref);
	g_clear_pointer (&self->lists.job_ids, g_ptr_array_unref);
	g_clear_pointer (&self->lists.hmp_commands, g_ptr_array_unref);
	G_OBJECT_CLASS (qmpsh_live_parent_class)->finalize (object);
}

static void
qmpsh_live_init (QmpshLive *self)
{
}

static void
qmpsh_live_class_init (QmpshLiveClass *klass)
{
	G_OBJECT_CLASS (klass)->finalize = qmpsh_live_finalize;
}
