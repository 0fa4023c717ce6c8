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
 * job ids, and HMP's command names. Fetched again after a command that may
 * have changed them, when TAB next wants them: qmpsh_live_prepare() says
 * whether they, and what the server's schema and device types add, are
 * there yet, and #QmpshLive::changed when more has come.
 */
struct _QmpshLive {
	GObject parent_instance;
	QmpClient *client;
	QmpshIntrospect *introspect;
	QmpshCompleteLive lists;
	gboolean stale;
	gboolean loading;
};

G_DEFINE_TYPE (QmpshLive, qmpsh_live, G_TYPE_OBJECT)

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const QmpshProps *
qmpsh_live_props_cb (gpointer data, QmpshPropsKind kind, const gchar *name, GError **error)
{
	QmpshLive *self = data;
	return qmpsh_introspect_get_props (self->introspect, kind, name, error);
}

static void
qmpsh_live_changed (QmpshLive *self)
{
	g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/**
 * qmpsh_live_new:
 * @session: the session whose client to ask, whose schema to complete from,
 *   and whose parser's aliases to offer as the first word
 *
 * Returns: (transfer full): a cache of live values, stale
 */
QmpshLive *
qmpsh_live_new (QmpshSession *session)
{
	QmpshLive *self = g_object_new (QMPSH_TYPE_LIVE, NULL);
	GHashTable *aliases = qmpsh_parser_get_aliases (qmpsh_session_get_parser (session));

	self->client = g_object_ref (qmpsh_session_get_client (session));
	self->introspect = g_object_ref (qmpsh_session_get_introspect (session));
	if (aliases != NULL)
		self->lists.aliases = g_hash_table_ref (aliases);
	self->stale = TRUE;
	/* device types' properties and QOM objects: asked of the server once each */
	self->lists.props = qmpsh_live_props_cb;
	self->lists.props_data = self;
	g_signal_connect_object (self->introspect, "changed", G_CALLBACK (qmpsh_live_changed), self,
				 G_CONNECT_SWAPPED);
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

/* a string member of an object node, or NULL: the peer may send anything */
static const gchar *
string_of (JsonNode *node, const gchar *member)
{
	JsonNode *m = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
			      ? json_object_get_member (json_node_get_object (node), member)
			      : NULL;
	if (m == NULL || !JSON_NODE_HOLDS_VALUE (m) ||
	    json_node_get_value_type (m) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string (m);
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

/* query-named-block-nodes: the node names, and each node's dirty bitmaps */
static void
qmpsh_live_nodes_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshLive) self = user_data;
	g_autoptr (JsonNode) ret = qmp_client_execute_finish (QMP_CLIENT (source), res, NULL);
	GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
	GHashTable *bitmaps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
						     (GDestroyNotify)g_ptr_array_unref);
	JsonArray *list =
		ret != NULL && JSON_NODE_HOLDS_ARRAY (ret) ? json_node_get_array (ret) : NULL;

	for (guint i = 0; list != NULL && i < json_array_get_length (list); i++) {
		JsonNode *node = json_array_get_element (list, i);
		const gchar *name = string_of (node, "node-name");
		JsonNode *b = JSON_NODE_HOLDS_OBJECT (node)
				      ? json_object_get_member (json_node_get_object (node),
								"dirty-bitmaps")
				      : NULL;
		GPtrArray *of_node;

		if (name == NULL || g_hash_table_contains (bitmaps, name))
			continue;
		g_ptr_array_add (names, g_strdup (name));
		of_node = g_ptr_array_new_with_free_func (g_free);
		for (guint j = 0; b != NULL && JSON_NODE_HOLDS_ARRAY (b) &&
				  j < json_array_get_length (json_node_get_array (b));
		     j++) {
			const gchar *bitmap = string_of (
				json_array_get_element (json_node_get_array (b), j), "name");
			if (bitmap != NULL)
				g_ptr_array_add (of_node, g_strdup (bitmap));
		}
		g_hash_table_insert (bitmaps, g_strdup (name), of_node);
	}
	replace_list (&self->lists.block_nodes, names);
	g_clear_pointer (&self->lists.bitmaps, g_hash_table_unref);
	self->lists.bitmaps = bitmaps;
}

static void
qmpsh_live_jobs_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshLive) self = user_data;
	replace_list (&self->lists.job_ids, names_of (source, res, "id", NULL));
	self->loading = FALSE;
	qmpsh_live_changed (self);
	/* the lists are in: a cached schema may now be checked without delaying them */
	qmpsh_introspect_check (self->introspect);
}

/**
 * qmpsh_live_refresh:
 * @self: the cache
 * @schema: (nullable): the server's schema: only what it has is asked for
 *
 * Fetches the values again in the background, if they are stale.
 */
static void
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

/* asks early for what TAB will want on this line */
static void
qmpsh_live_update (QmpshLive *self, const gchar *line)
{
	const gchar *driver = strstr (line, " driver=");

	if (!g_str_has_prefix (line + strspn (line, " \t"), "device_add"))
		return;
	/* the device types, asked once; then the driver's properties once `driver=X ` is typed */
	self->lists.device_types = qmpsh_introspect_get_device_types (self->introspect);
	if (driver != NULL) {
		g_autofree gchar *name = g_strndup (driver + 8, strcspn (driver + 8, " \t"));
		if (name[0] != '\0' && driver[8 + strlen (name)] != '\0')
			qmpsh_introspect_get_props (self->introspect, QMPSH_PROPS_DEVICE, name,
						    NULL);
	}
}

/**
 * qmpsh_live_prepare:
 * @self: what the prompt knows
 * @hmp: whether lines are HMP commands
 * @line: the line being edited
 * @point: the cursor's byte offset in it
 *
 * Asks for what completing @line wants that is not known, or no longer:
 * the live names after a command, the schema, a driver's properties.
 *
 * Returns: whether all of it is there: if not, #QmpshLive::changed comes
 *   when more is
 */
gboolean
qmpsh_live_prepare (QmpshLive *self, gboolean hmp, const gchar *line, gsize point)
{
	qmpsh_live_refresh (self, qmpsh_introspect_get_schema (self->introspect));
	/* completing asks for what it finds missing (a QOM object's children) */
	qmpsh_complete_free (qmpsh_live_complete (self, hmp, line, point));
	return !self->loading && !qmpsh_introspect_is_asking (self->introspect);
}

/**
 * qmpsh_live_complete:
 * @self: what the prompt knows
 * @hmp: whether lines are HMP commands
 * @line: the line being edited
 * @point: the cursor's byte offset in it
 *
 * Returns: (transfer full): what TAB offers
 */
QmpshCompletion *
qmpsh_live_complete (QmpshLive *self, gboolean hmp, const gchar *line, gsize point)
{
	qmpsh_live_update (self, line);
	return qmpsh_complete (qmpsh_introspect_get_schema (self->introspect), &self->lists, hmp,
			       line, point);
}

/**
 * qmpsh_live_hint:
 * @self: what the prompt knows
 * @line: the line being edited, the cursor at its end
 *
 * Working out the hint also asks, early, for what TAB will want next (a
 * driver's properties once `driver=` is typed).
 *
 * Returns: (transfer full) (nullable): the hint after the cursor
 */
gchar *
qmpsh_live_hint (QmpshLive *self, const gchar *line)
{
	qmpsh_live_update (self, line);
	return qmpsh_complete_hint (qmpsh_introspect_get_schema (self->introspect), &self->lists,
				    line);
}

static void
qmpsh_live_finalize (GObject *object)
{
	QmpshLive *self = QMPSH_LIVE (object);
	g_clear_object (&self->client);
	g_clear_object (&self->introspect);
	g_clear_pointer (&self->lists.bitmaps, g_hash_table_unref);
	g_clear_pointer (&self->lists.device_ids, g_ptr_array_unref);
	g_clear_pointer (&self->lists.block_nodes, g_ptr_array_unref);
	g_clear_pointer (&self->lists.job_ids, g_ptr_array_unref);
	g_clear_pointer (&self->lists.hmp_commands, g_ptr_array_unref);
	g_clear_pointer (&self->lists.aliases, g_hash_table_unref);
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

	/**
	 * QmpshLive::changed:
	 * @live: what the prompt knows
	 *
	 * More of what completion wants has come.
	 */
	signals[SIGNAL_CHANGED] =
		g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
			      NULL, NULL, G_TYPE_NONE, 0);
}
