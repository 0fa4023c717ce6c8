/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-introspect.h"
#include "qmp-command-error.h"
#include "qmp-error.h"
#include "qmpsh-schema-cache.h"

/**
 * QmpshIntrospect:
 *
 * What the server says of its own commands, asked once a connection and
 * only when something needs it: the prompt asks at once, batch when a line
 * needs it, so that `qmpsh -c query-version` costs no more than one command.
 * #QmpshIntrospect::changed says when an answer came.
 */
struct _QmpshIntrospect {
	GObject parent_instance;
	QmpClient *client;
	QmpSchema *schema;
	gboolean loading;
	gchar *error;	    /* the server has no schema to give, and why */
	GHashTable *facts;  /* "d:TYPE" or "q:PATH" -> Fact */
	GPtrArray *devices; /* the device types device_add takes, sorted */
	gboolean devices_asked;
	guint asking;	   /* facts on their way */
	guint generation;  /* a reset makes answers on their way stale */
	gchar *cache_dir;  /* where schemas are kept between runs, or %NULL */
	gchar *cache_key;  /* this server's, once asked */
	gchar *cache_sum;  /* the cached reply's: the fresh one replaces it if it differs */
	gboolean checking; /* the cached schema is in use, the server to be asked again */
	gboolean checked;  /* and it has been */
};

/* the properties of one device type or QOM object, once asked for */
typedef struct {
	QmpshProps *props;
	gchar *error;
	gboolean loading;
} Fact;

/* facts past which the cache starts again, so that it stays bounded */
#define QMPSH_INTROSPECT_FACTS_MAX 512

typedef struct {
	QmpshIntrospect *self;
	gchar *key;
	guint generation;
} Asked;

G_DEFINE_TYPE (QmpshIntrospect, qmpsh_introspect, G_TYPE_OBJECT)

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/**
 * qmpsh_introspect_new:
 * @client: the client to ask
 *
 * Returns: (transfer full): an introspection that knows nothing yet
 */
QmpshIntrospect *
qmpsh_introspect_new (QmpClient *client)
{
	QmpshIntrospect *self = g_object_new (QMPSH_TYPE_INTROSPECT, NULL);
	self->client = g_object_ref (client);
	return self;
}

static void
fact_free (Fact *fact)
{
	qmpsh_props_free (fact->props);
	g_free (fact->error);
	g_free (fact);
}

static void
asked_free (Asked *asked)
{
	g_object_unref (asked->self);
	g_free (asked->key);
	g_free (asked);
}

/* the schema kept for the next run, once the prompt has what it wants */
static void
qmpsh_introspect_keep (QmpshIntrospect *self, GBytes *index, const gchar *sum)
{
	g_autoptr (GBytes) own = index == NULL ? qmp_schema_to_bytes (self->schema) : NULL;
	g_autofree gchar *own_sum = sum == NULL ? qmpsh_schema_cache_sum (own) : NULL;

	qmpsh_schema_cache_save (self->cache_dir, self->cache_key, index != NULL ? index : own,
				 sum != NULL ? sum : own_sum);
}

static void
qmpsh_introspect_schema_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshIntrospect) self = QMPSH_INTROSPECT (user_data);
	g_autoptr (GError) error = NULL;
	g_autoptr (JsonNode) ret = qmp_client_execute_finish (QMP_CLIENT (source), res, &error);

	if (!self->loading)
		return; /* reset meanwhile: the answer is for another connection */
	self->loading = FALSE;
	if (ret != NULL)
		self->schema = qmp_schema_new (ret, &error);
	if (self->schema == NULL)
		self->error =
			g_strdup_printf ("the server describes no commands (%s)", error->message);
	g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
	/* the reply's tree is the biggest thing qmpsh ever holds: gone before the index is made */
	g_clear_pointer (&ret, json_node_unref);
	if (self->schema != NULL && self->cache_key != NULL)
		qmpsh_introspect_keep (self, NULL, NULL);
}

/* the server's own answer, after the cached one: it wins if they differ */
static void
qmpsh_introspect_check_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	Asked *asked = user_data;
	QmpshIntrospect *self = asked->self;
	g_autoptr (JsonNode) ret = qmp_client_execute_finish (QMP_CLIENT (source), res, NULL);
	gboolean current = asked->generation == self->generation && self->checking;
	g_autoptr (GError) error = NULL;
	g_autoptr (GBytes) index = NULL;
	g_autofree gchar *sum = NULL;

	asked_free (asked);
	if (!current || ret == NULL)
		return; /* reset meanwhile, or no answer: the cached schema is all there is */
	self->checking = FALSE;
	/*
	 * The cached schema goes first, so that the fresh one takes its memory
	 * instead of more: the prompt is at its peak now, the reply's tree in
	 * hand. Nothing keeps a schema across turns of the loop, so an equal
	 * one replaces it unseen.
	 */
	g_clear_object (&self->schema);
	self->schema = qmp_schema_new (ret, &error);
	g_clear_pointer (&ret, json_node_unref);
	if (self->schema == NULL) {
		self->error =
			g_strdup_printf ("the server describes no commands (%s)", error->message);
		g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
		return;
	}
	/* what qmpsh knows of a schema is its index: the same index, the same schema */
	index = qmp_schema_to_bytes (self->schema);
	sum = qmpsh_schema_cache_sum (index);
	if (g_strcmp0 (sum, self->cache_sum) == 0)
		return;
	g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
	qmpsh_introspect_keep (self, index, sum);
}

static gboolean
qmpsh_introspect_cached_cb (gpointer user_data)
{
	g_signal_emit (QMPSH_INTROSPECT (user_data), signals[SIGNAL_CHANGED], 0);
	return G_SOURCE_REMOVE;
}

/* the schema from the cache, at once; the server is asked all the same */
static gboolean
qmpsh_introspect_from_cache (QmpshIntrospect *self)
{
	g_free (self->cache_key);
	self->cache_key = qmpsh_schema_cache_key (self->client);
	if (self->cache_key == NULL)
		return FALSE;
	g_clear_pointer (&self->cache_sum, g_free);
	self->schema = qmpsh_schema_cache_load (self->cache_dir, self->cache_key, &self->cache_sum);
	if (self->schema == NULL)
		return FALSE;
	self->checking = TRUE;
	/* whoever asked looks at the schema now; those who wait hear it after */
	g_idle_add_full (G_PRIORITY_DEFAULT, qmpsh_introspect_cached_cb, g_object_ref (self),
			 g_object_unref);
	return TRUE;
}

/**
 * qmpsh_introspect_check:
 * @self: an introspection
 *
 * The schema came from the cache: now asks the server for its own, which
 * replaces it if they differ (#QmpshIntrospect::changed says so). The
 * prompt calls this once it has what TAB wants first, the live names: the
 * server answers in order, and its schema takes it long to build.
 */
void
qmpsh_introspect_check (QmpshIntrospect *self)
{
	Asked *asked;

	if (!self->checking || self->checked ||
	    qmp_protocol_get_runstate (QMP_PROTOCOL (self->client)) != QMP_RUNSTATE_RUNNING)
		return;
	self->checked = TRUE;
	asked = g_new0 (Asked, 1);
	asked->self = g_object_ref (self);
	asked->generation = self->generation;
	qmp_client_execute_async (self->client, "query-qmp-schema", NULL, QMP_EXECUTE_FLAG_NONE,
				  NULL, qmpsh_introspect_check_cb, asked);
}

/**
 * qmpsh_introspect_set_cache_dir:
 * @self: an introspection
 * @dir: (nullable): where to keep schemas between runs, or %NULL for nowhere
 *
 * With a cache, a fetch takes the schema from it at once when it holds this
 * server's, and asks the server in the background all the same: its answer
 * replaces the cached one if they differ.
 */
void
qmpsh_introspect_set_cache_dir (QmpshIntrospect *self, const gchar *dir)
{
	g_free (self->cache_dir);
	self->cache_dir = g_strdup (dir);
}

/**
 * qmpsh_introspect_fetch:
 * @self: an introspection
 *
 * Asks for the server's schema, unless it is in, on its way, or known not
 * to come.
 */
void
qmpsh_introspect_fetch (QmpshIntrospect *self)
{
	if (self->schema != NULL || self->loading || self->error != NULL)
		return;
	if (qmp_protocol_get_runstate (QMP_PROTOCOL (self->client)) != QMP_RUNSTATE_RUNNING) {
		self->error = g_strdup ("not connected");
		return;
	}
	if (self->cache_dir != NULL && qmpsh_introspect_from_cache (self))
		return;
	self->loading = TRUE;
	qmp_client_execute_async (self->client, "query-qmp-schema", NULL, QMP_EXECUTE_FLAG_NONE,
				  NULL, qmpsh_introspect_schema_cb, g_object_ref (self));
}

/**
 * qmpsh_introspect_reset:
 * @self: an introspection
 *
 * A new connection, perhaps to another QEMU: what was known is forgotten.
 */
void
qmpsh_introspect_reset (QmpshIntrospect *self)
{
	g_clear_object (&self->schema);
	g_clear_pointer (&self->error, g_free);
	self->loading = FALSE;
	self->checking = FALSE;
	self->checked = FALSE;
	g_clear_pointer (&self->cache_key, g_free);
	g_clear_pointer (&self->cache_sum, g_free);
	g_hash_table_remove_all (self->facts);
	g_clear_pointer (&self->devices, g_ptr_array_unref);
	self->devices_asked = FALSE;
	self->asking = 0;
	self->generation++;
}

/* drops what is known (and not being asked) of the facts whose key starts so */
static void
qmpsh_introspect_forget (QmpshIntrospect *self, const gchar *prefix)
{
	GHashTableIter iter;
	gpointer key;
	gpointer value;

	g_hash_table_iter_init (&iter, self->facts);
	while (g_hash_table_iter_next (&iter, &key, &value)) {
		if ((prefix == NULL || g_str_has_prefix (key, prefix)) && !((Fact *)value)->loading)
			g_hash_table_iter_remove (&iter);
	}
}

static void
qmpsh_introspect_props_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	Asked *asked = user_data;
	QmpshIntrospect *self = asked->self;
	g_autoptr (GError) error = NULL;
	g_autoptr (JsonNode) ret = qmp_client_execute_finish (QMP_CLIENT (source), res, &error);
	Fact *fact = g_hash_table_lookup (self->facts, asked->key);

	if (asked->generation == self->generation && fact != NULL && fact->loading) {
		fact->loading = FALSE;
		self->asking--;
		if (ret != NULL)
			fact->props = qmpsh_props_new (ret);
		else
			fact->error = g_strdup (error->message);
		g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
	}
	asked_free (asked);
}

/**
 * qmpsh_introspect_get_props:
 * @self: the introspection
 * @kind: a device type's properties, or a QOM object's
 * @name: the device type, or the object's path
 * @error: where the server's refusal goes
 *
 * Asks the server the first time; #QmpshIntrospect::changed says when the
 * answer came. A device type's properties hold for the connection; a QOM
 * object's until qmpsh_introspect_forget_qom().
 *
 * Returns: (transfer none) (nullable): the properties; %NULL with @error set
 *   when the server has none to give; %NULL with it unset while asking
 */
const QmpshProps *
qmpsh_introspect_get_props (QmpshIntrospect *self, QmpshPropsKind kind, const gchar *name,
			    GError **error)
{
	g_autofree gchar *key =
		g_strdup_printf ("%c:%s", kind == QMPSH_PROPS_DEVICE ? 'd' : 'q', name);
	Fact *fact = g_hash_table_lookup (self->facts, key);
	g_autoptr (JsonObject) args = NULL;
	Asked *asked;

	if (fact != NULL && fact->error != NULL)
		g_set_error_literal (error, QMP_COMMAND_ERROR, QMP_COMMAND_ERROR_GENERIC_ERROR,
				     fact->error);
	if (fact != NULL)
		return fact->props;
	if (qmp_protocol_get_runstate (QMP_PROTOCOL (self->client)) != QMP_RUNSTATE_RUNNING) {
		g_set_error_literal (error, QMP_ERROR, QMP_ERROR_STATE, "not connected");
		return NULL;
	}
	if (g_hash_table_size (self->facts) >= QMPSH_INTROSPECT_FACTS_MAX)
		qmpsh_introspect_forget (self, NULL);
	fact = g_new0 (Fact, 1);
	fact->loading = TRUE;
	self->asking++;
	g_hash_table_insert (self->facts, g_strdup (key), fact);
	asked = g_new0 (Asked, 1);
	asked->self = g_object_ref (self);
	asked->key = g_steal_pointer (&key);
	asked->generation = self->generation;
	args = json_object_new ();
	json_object_set_string_member (args, kind == QMPSH_PROPS_DEVICE ? "typename" : "path",
				       name);
	qmp_client_execute_async (
		self->client, kind == QMPSH_PROPS_DEVICE ? "device-list-properties" : "qom-list",
		args, QMP_EXECUTE_FLAG_NONE, NULL, qmpsh_introspect_props_cb, asked);
	return NULL;
}

/**
 * qmpsh_introspect_forget_qom:
 * @self: the introspection
 *
 * The QOM tree may have changed (a command that is not a query was sent):
 * what was learnt of its objects is asked again when next needed.
 */
void
qmpsh_introspect_forget_qom (QmpshIntrospect *self)
{
	qmpsh_introspect_forget (self, "q:");
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
	return g_strcmp0 (*(const gchar *const *)a, *(const gchar *const *)b);
}

static void
qmpsh_introspect_devices_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	Asked *asked = user_data;
	QmpshIntrospect *self = asked->self;
	g_autoptr (JsonNode) ret = qmp_client_execute_finish (QMP_CLIENT (source), res, NULL);
	JsonArray *list =
		ret != NULL && JSON_NODE_HOLDS_ARRAY (ret) ? json_node_get_array (ret) : NULL;

	if (asked->generation == self->generation) {
		self->devices = g_ptr_array_new_with_free_func (g_free);
		for (guint i = 0; list != NULL && i < json_array_get_length (list); i++) {
			JsonNode *node = json_array_get_element (list, i);
			JsonNode *name = JSON_NODE_HOLDS_OBJECT (node)
						 ? json_object_get_member (
							   json_node_get_object (node), "name")
						 : NULL;
			if (name != NULL && JSON_NODE_HOLDS_VALUE (name) &&
			    json_node_get_value_type (name) == G_TYPE_STRING)
				g_ptr_array_add (self->devices,
						 g_strdup (json_node_get_string (name)));
		}
		g_ptr_array_sort (self->devices, compare_strings);
		g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
	}
	asked_free (asked);
}

/**
 * qmpsh_introspect_get_device_types:
 * @self: the introspection
 *
 * Returns: (transfer none) (nullable) (element-type utf8): the device types
 *   device_add takes here, sorted; %NULL while they are asked for
 */
GPtrArray *
qmpsh_introspect_get_device_types (QmpshIntrospect *self)
{
	g_autoptr (JsonObject) args = NULL;
	Asked *asked;

	if (self->devices != NULL || self->devices_asked ||
	    qmp_protocol_get_runstate (QMP_PROTOCOL (self->client)) != QMP_RUNSTATE_RUNNING)
		return self->devices;
	self->devices_asked = TRUE;
	asked = g_new0 (Asked, 1);
	asked->self = g_object_ref (self);
	asked->generation = self->generation;
	args = json_object_new ();
	json_object_set_string_member (args, "implements", "device");
	json_object_set_boolean_member (args, "abstract", FALSE);
	qmp_client_execute_async (self->client, "qom-list-types", args, QMP_EXECUTE_FLAG_NONE, NULL,
				  qmpsh_introspect_devices_cb, asked);
	return NULL;
}

/**
 * qmpsh_introspect_is_asking:
 * @self: the introspection
 *
 * Returns: whether an answer is on its way: #QmpshIntrospect::changed
 *   comes when it is there
 */
gboolean
qmpsh_introspect_is_asking (QmpshIntrospect *self)
{
	return self->loading || self->asking > 0 || (self->devices_asked && self->devices == NULL);
}

/**
 * qmpsh_introspect_get_schema:
 * @self: an introspection
 *
 * Returns: (transfer none) (nullable): the server's schema, once it is in
 */
QmpSchema *
qmpsh_introspect_get_schema (QmpshIntrospect *self)
{
	return self->schema;
}

/**
 * qmpsh_introspect_get_error:
 * @self: an introspection
 *
 * Returns: (nullable): why there is no schema, once that is known
 */
const gchar *
qmpsh_introspect_get_error (QmpshIntrospect *self)
{
	return self->error;
}

static void
qmpsh_introspect_dispose (GObject *object)
{
	QmpshIntrospect *self = QMPSH_INTROSPECT (object);
	g_clear_object (&self->client);
	g_clear_object (&self->schema);
	g_clear_pointer (&self->devices, g_ptr_array_unref);
	if (self->facts != NULL)
		g_hash_table_remove_all (self->facts);
	G_OBJECT_CLASS (qmpsh_introspect_parent_class)->dispose (object);
}

static void
qmpsh_introspect_finalize (GObject *object)
{
	g_free (QMPSH_INTROSPECT (object)->error);
	g_free (QMPSH_INTROSPECT (object)->cache_dir);
	g_free (QMPSH_INTROSPECT (object)->cache_key);
	g_free (QMPSH_INTROSPECT (object)->cache_sum);
	g_hash_table_unref (QMPSH_INTROSPECT (object)->facts);
	G_OBJECT_CLASS (qmpsh_introspect_parent_class)->finalize (object);
}

static void
qmpsh_introspect_init (QmpshIntrospect *self)
{
	self->facts =
		g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)fact_free);
}

static void
qmpsh_introspect_class_init (QmpshIntrospectClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS (klass);
	object_class->dispose = qmpsh_introspect_dispose;
	object_class->finalize = qmpsh_introspect_finalize;

	/**
	 * QmpshIntrospect::changed:
	 * @self: the introspection
	 *
	 * An answer came: the schema, or why there is none.
	 */
	signals[SIGNAL_CHANGED] =
		g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
			      NULL, NULL, G_TYPE_NONE, 0);
}
