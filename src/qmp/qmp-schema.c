/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmp-schema-private.h"
#include "qmp-error.h"

#include <string.h>

/* QmpSchema itself is described in qmp-schema-private.h */

G_DEFINE_TYPE (QmpSchema, qmp_schema, G_TYPE_OBJECT)

static const struct {
	const gchar *name;
	QmpSchemaMeta meta;
} metas[] = {
	{ "builtin", QMP_SCHEMA_META_BUILTIN },	    { "enum", QMP_SCHEMA_META_ENUM },
	{ "array", QMP_SCHEMA_META_ARRAY },	    { "object", QMP_SCHEMA_META_OBJECT },
	{ "alternate", QMP_SCHEMA_META_ALTERNATE }, { "command", QMP_SCHEMA_META_COMMAND },
	{ "event", QMP_SCHEMA_META_EVENT },
};

/* ---- reading the reply, its types checked --------------------------------- */

static JsonNode *
member_node (JsonObject *object, const gchar *member)
{
	return object != NULL ? json_object_get_member (object, member) : NULL;
}

static const gchar *
node_string (QmpSchema *self, JsonNode *node)
{
	if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
	    json_node_get_value_type (node) != G_TYPE_STRING)
		return NULL;
	return g_string_chunk_insert_const (self->strings, json_node_get_string (node));
}

static const gchar *
get_string (QmpSchema *self, JsonObject *object, const gchar *member)
{
	return node_string (self, member_node (object, member));
}

static JsonArray *
get_array (JsonObject *object, const gchar *member)
{
	JsonNode *node = member_node (object, member);
	return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonObject *
element_object (JsonArray *array, guint i)
{
	JsonNode *node = json_array_get_element (array, i);
	return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static QmpSchemaFeatures
get_features (QmpSchema *self, JsonObject *object)
{
	JsonArray *features = get_array (object, "features");
	QmpSchemaFeatures out = 0;

	for (guint i = 0; features != NULL && i < json_array_get_length (features); i++) {
		const gchar *name = node_string (self, json_array_get_element (features, i));
		if (g_strcmp0 (name, "deprecated") == 0)
			out |= QMP_SCHEMA_FEATURE_DEPRECATED;
		else if (g_strcmp0 (name, "unstable") == 0)
			out |= QMP_SCHEMA_FEATURE_UNSTABLE;
	}
	return out;
}

static QmpSchemaMeta
meta_from_string (const gchar *name)
{
	for (guint i = 0; i < G_N_ELEMENTS (metas); i++) {
		if (g_strcmp0 (name, metas[i].name) == 0)
			return metas[i].meta;
	}
	return QMP_SCHEMA_META_UNKNOWN;
}

/* an enum's values: its "members" (with features) where given, else "values" */
static void
read_values (QmpSchema *self, QmpSchemaEntry *e, JsonObject *object)
{
	JsonArray *members = get_array (object, "members");
	JsonArray *values = members != NULL ? members : get_array (object, "values");
	guint len = values != NULL ? json_array_get_length (values) : 0;

	e->values = g_new0 (const gchar *, len + 1);
	e->value_features = g_new0 (QmpSchemaFeatures, len + 1);
	for (guint i = 0; i < len; i++) {
		JsonObject *m = members != NULL ? element_object (values, i) : NULL;
		const gchar *value =
			members != NULL ? get_string (self, m, "name")
					: node_string (self, json_array_get_element (values, i));
		if (value == NULL)
			continue;
		e->value_features[e->n_values] = get_features (self, m);
		e->values[e->n_values++] = value;
	}
}

/* an object's members need a name and a type; an alternate's a type */
static void
read_members (QmpSchema *self, QmpSchemaEntry *e, JsonObject *object, gboolean named)
{
	JsonArray *members = get_array (object, "members");
	guint len = members != NULL ? json_array_get_length (members) : 0;

	e->members = g_new0 (QmpSchemaField, len + 1);
	for (guint i = 0; i < len; i++) {
		JsonObject *m = element_object (members, i);
		QmpSchemaField *f = &e->members[e->n_members];

		f->name = named ? get_string (self, m, "name") : NULL;
		f->type = get_string (self, m, "type");
		if ((named && f->name == NULL) || f->type == NULL)
			continue;
		f->optional = named && json_object_has_member (m, "default");
		f->features = get_features (self, m);
		e->n_members++;
	}
}

static void
read_variants (QmpSchema *self, QmpSchemaEntry *e, JsonObject *object)
{
	JsonArray *variants = get_array (object, "variants");
	guint len = variants != NULL ? json_array_get_length (variants) : 0;

	e->tag = get_string (self, object, "tag");
	e->variants = g_new0 (QmpSchemaVariant, len + 1);
	for (guint i = 0; e->tag != NULL && i < len; i++) {
		JsonObject *v = element_object (variants, i);
		QmpSchemaVariant *variant = &e->variants[e->n_variants];

		variant->value = get_string (self, v, "case");
		variant->type = get_string (self, v, "type");
		if (variant->value != NULL && variant->type != NULL)
			e->n_variants++;
	}
}

static gboolean
read_entry (QmpSchema *self, QmpSchemaEntry *e, JsonObject *object)
{
	JsonNode *oob = member_node (object, "allow-oob");

	e->name = get_string (self, object, "name");
	e->meta = meta_from_string (get_string (self, object, "meta-type"));
	if (e->name == NULL || g_hash_table_contains (self->by_name, e->name))
		return FALSE;
	e->features = get_features (self, object);
	switch (e->meta) {
	case QMP_SCHEMA_META_BUILTIN:
		e->json_type = get_string (self, object, "json-type");
		break;
	case QMP_SCHEMA_META_ENUM:
		read_values (self, e, object);
		break;
	case QMP_SCHEMA_META_ARRAY:
		e->element_type = get_string (self, object, "element-type");
		break;
	case QMP_SCHEMA_META_OBJECT:
		read_members (self, e, object, TRUE);
		read_variants (self, e, object);
		break;
	case QMP_SCHEMA_META_ALTERNATE:
		read_members (self, e, object, FALSE);
		break;
	case QMP_SCHEMA_META_COMMAND:
		e->ret_type = get_string (self, object, "ret-type");
		e->allow_oob = oob != NULL && JSON_NODE_HOLDS_VALUE (oob) &&
			       json_node_get_value_type (oob) == G_TYPE_BOOLEAN &&
			       json_node_get_boolean (oob);
		G_GNUC_FALLTHROUGH;
	case QMP_SCHEMA_META_EVENT:
		e->arg_type = get_string (self, object, "arg-type");
		break;
	case QMP_SCHEMA_META_UNKNOWN:
		break;
	}
	return TRUE;
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
	return g_strcmp0 (*(const gchar *const *)a, *(const gchar *const *)b);
}

/**
 * qmp_schema_new:
 * @schema: the `return` value of `query-qmp-schema`
 * @error: a #GError, or %NULL
 *
 * Entries that are not objects, or have no name, are left out; of entries
 * that share a name the first counts.
 *
 * Returns: (transfer full): the schema, or %NULL with %QMP_ERROR_PROTOCOL
 */
QmpSchema *
qmp_schema_new (JsonNode *schema, GError **error)
{
	g_autoptr (QmpSchema) self = NULL;
	JsonArray *list;
	guint len;

	if (schema == NULL || !JSON_NODE_HOLDS_ARRAY (schema)) {
		g_set_error_literal (error, QMP_ERROR, QMP_ERROR_PROTOCOL,
				     "query-qmp-schema did not return a list");
		return NULL;
	}
	self = g_object_new (QMP_TYPE_SCHEMA, NULL);
	list = json_node_get_array (schema);
	len = json_array_get_length (list);
	self->entries = g_new0 (QmpSchemaEntry, len + 1);
	for (guint i = 0; i < len; i++) {
		QmpSchemaEntry *e = &self->entries[self->n_entries];
		JsonObject *object = element_object (list, i);

		if (object == NULL || !read_entry (self, e, object)) {
			g_free (e->values);
			g_free (e->value_features);
			g_free (e->members);
			g_free (e->variants);
			memset (e, 0, sizeof (*e));
			continue;
		}
		self->n_entries++;
		qmp_schema_index_entry (self, e);
	}
	qmp_schema_index_done (self);
	return g_steal_pointer (&self);
}

/* @e, filled in, is found by name, and listed if a command or event */
void
qmp_schema_index_entry (QmpSchema *self, QmpSchemaEntry *e)
{
	g_hash_table_insert (self->by_name, (gpointer)e->name, e);
	if (e->meta == QMP_SCHEMA_META_COMMAND)
		g_ptr_array_add (self->commands, (gpointer)e->name);
	else if (e->meta == QMP_SCHEMA_META_EVENT)
		g_ptr_array_add (self->events, (gpointer)e->name);
}

/* every entry is in: the lists sorted */
void
qmp_schema_index_done (QmpSchema *self)
{
	g_ptr_array_sort (self->commands, compare_names);
	g_ptr_array_sort (self->events, compare_names);
}

/**
 * qmp_schema_list_commands:
 * @self: a schema
 *
 * Returns: (transfer none) (element-type utf8): the command names, sorted
 */
GPtrArray *
qmp_schema_list_commands (QmpSchema *self)
{
	return self->commands;
}

/**
 * qmp_schema_list_events:
 * @self: a schema
 *
 * Returns: (transfer none) (element-type utf8): the event names, sorted
 */
GPtrArray *
qmp_schema_list_events (QmpSchema *self)
{
	return self->events;
}

gboolean
qmp_schema_has_command (QmpSchema *self, const gchar *name)
{
	const QmpSchemaEntry *e = qmp_schema_lookup (self, name);
	return e != NULL && e->meta == QMP_SCHEMA_META_COMMAND;
}

/**
 * qmp_schema_lookup:
 * @self: a schema
 * @name: (nullable): a command, event or type name
 *
 * Returns: (transfer none) (nullable): its entry
 */
const QmpSchemaEntry *
qmp_schema_lookup (QmpSchema *self, const gchar *name)
{
	return name != NULL ? g_hash_table_lookup (self->by_name, name) : NULL;
}

static QmpSchemaMeta
meta_of (QmpSchema *self, const gchar *type)
{
	const QmpSchemaEntry *e = qmp_schema_lookup (self, type);
	return e != NULL ? e->meta : QMP_SCHEMA_META_UNKNOWN;
}

/* the object a value of @type may be: itself, or an alternate's object branch */
static const QmpSchemaEntry *
object_of (QmpSchema *self, const gchar *type)
{
	const QmpSchemaEntry *e = qmp_schema_lookup (self, type);

	if (e != NULL && e->meta == QMP_SCHEMA_META_OBJECT)
		return e;
	if (e == NULL || e->meta != QMP_SCHEMA_META_ALTERNATE)
		return NULL;
	for (guint i = 0; i < e->n_members; i++) {
		if (meta_of (self, e->members[i].type) == QMP_SCHEMA_META_OBJECT)
			return qmp_schema_lookup (self, e->members[i].type);
	}
	return NULL;
}

/* ---- members, branches included ------------------------------------------ */

static void
member_clear (QmpSchemaMember *m)
{
	g_free (m->branch);
}

typedef struct {
	GArray *out;
	GHashTable *index;   /* name -> position in out, plus one */
	GPtrArray *branches; /* GString per position, or NULL */
} Members;

static void
add_members (Members *ms, const QmpSchemaEntry *object, const gchar *tag, const gchar *value)
{
	for (guint i = 0; i < object->n_members; i++) {
		const QmpSchemaField *f = &object->members[i];
		guint at = GPOINTER_TO_UINT (g_hash_table_lookup (ms->index, f->name));
		QmpSchemaMember member = { 0 };
		GString *branch;

		/* a member several branches share is listed once, with all their names */
		if (at != 0) {
			branch = g_ptr_array_index (ms->branches, at - 1);
			if (branch != NULL && value != NULL)
				g_string_append_printf (branch, ", %s=%s", tag, value);
			continue;
		}
		member.name = f->name;
		member.type = f->type;
		member.optional = f->optional || value != NULL;
		member.deprecated = (f->features & QMP_SCHEMA_FEATURE_DEPRECATED) != 0;
		member.unstable = (f->features & QMP_SCHEMA_FEATURE_UNSTABLE) != 0;
		g_array_append_val (ms->out, member);
		branch = NULL;
		if (value != NULL) {
			branch = g_string_new (NULL);
			g_string_append_printf (branch, "%s=%s", tag, value);
		}
		g_ptr_array_add (ms->branches, branch);
		g_hash_table_insert (ms->index, (gpointer)f->name, GUINT_TO_POINTER (ms->out->len));
	}
}

static GArray *
list_object_members (QmpSchema *self, const gchar *type)
{
	const QmpSchemaEntry *object = object_of (self, type);
	g_autoptr (GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
	g_autoptr (GPtrArray) branches = g_ptr_array_new ();
	Members ms = { g_array_new (FALSE, TRUE, sizeof (QmpSchemaMember)), index, branches };

	g_array_set_clear_func (ms.out, (GDestroyNotify)member_clear);
	if (object == NULL)
		return ms.out;
	add_members (&ms, object, NULL, NULL);
	for (guint i = 0; i < object->n_variants; i++) {
		const QmpSchemaEntry *branch = qmp_schema_lookup (self, object->variants[i].type);
		if (branch != NULL && branch->meta == QMP_SCHEMA_META_OBJECT)
			add_members (&ms, branch, object->tag, object->variants[i].value);
	}
	for (guint i = 0; i < ms.out->len; i++) {
		GString *branch = g_ptr_array_index (branches, i);
		if (branch != NULL)
			g_array_index (ms.out, QmpSchemaMember, i).branch =
				g_string_free (branch, FALSE);
	}
	return ms.out;
}

/* the type of @object's member @name, a branch's included */
static const gchar *
member_type (QmpSchema *self, const QmpSchemaEntry *object, const gchar *name)
{
	if (object == NULL)
		return NULL;
	for (guint i = 0; i < object->n_members; i++) {
		if (g_strcmp0 (object->members[i].name, name) == 0)
			return object->members[i].type;
	}
	for (guint i = 0; i < object->n_variants; i++) {
		const QmpSchemaEntry *branch = qmp_schema_lookup (self, object->variants[i].type);
		for (guint j = 0; branch != NULL && branch->meta == QMP_SCHEMA_META_OBJECT &&
				  j < branch->n_members;
		     j++) {
			if (g_strcmp0 (branch->members[j].name, name) == 0)
				return branch->members[j].type;
		}
	}
	return NULL;
}

/**
 * qmp_schema_resolve:
 * @self: a schema
 * @command: a command
 * @path: a dotted key path into its arguments; "" for the arguments themselves
 *
 * Returns: (transfer full) (nullable): the type at @path, or %NULL when the
 *   command or a key on the way does not exist
 */
gchar *
qmp_schema_resolve (QmpSchema *self, const gchar *command, const gchar *path)
{
	const QmpSchemaEntry *cmd = qmp_schema_lookup (self, command);
	const gchar *type;
	const gchar *p = path;

	if (cmd == NULL || cmd->meta != QMP_SCHEMA_META_COMMAND)
		return NULL;
	type = cmd->arg_type;
	while (p != NULL && *p != '\0' && type != NULL) {
		const gchar *dot = strchr (p, '.');
		g_autofree gchar *key = dot != NULL ? g_strndup (p, dot - p) : g_strdup (p);

		type = member_type (self, object_of (self, type), key);
		p = dot != NULL ? dot + 1 : NULL;
	}
	/* "a." names no member */
	if (p != NULL && *p == '\0' && p != path)
		return NULL;
	return g_strdup (type);
}

/**
 * qmp_schema_list_members:
 * @self: a schema
 * @command: a command
 * @path: the dotted key path of a nested object in its arguments, "" for the top
 *
 * Union branches' members are all listed, each with the branch that has it.
 *
 * Returns: (transfer full) (element-type QmpSchemaMember): the members, in
 *   schema order; empty when @path is no object
 */
GArray *
qmp_schema_list_members (QmpSchema *self, const gchar *command, const gchar *path)
{
	g_autofree gchar *type = qmp_schema_resolve (self, command, path);
	return list_object_members (self, type);
}

/* ---- values and descriptions, each type seen once --------------------------- */

static void
list_values (QmpSchema *self, const gchar *type, GPtrArray *out, GHashTable *seen,
	     GHashTable *values)
{
	const QmpSchemaEntry *e = qmp_schema_lookup (self, type);
	const gchar *bools[] = { "true", "false" };

	if (e == NULL || !g_hash_table_add (seen, (gpointer)e->name))
		return;
	if (e->meta == QMP_SCHEMA_META_BUILTIN && g_strcmp0 (e->json_type, "boolean") == 0) {
		for (guint i = 0; i < G_N_ELEMENTS (bools); i++) {
			if (g_hash_table_add (values, (gpointer)bools[i]))
				g_ptr_array_add (out, g_strdup (bools[i]));
		}
	} else if (e->meta == QMP_SCHEMA_META_ENUM) {
		for (guint i = 0; i < e->n_values; i++) {
			if (g_hash_table_add (values, (gpointer)e->values[i]))
				g_ptr_array_add (out, g_strdup (e->values[i]));
		}
	} else if (e->meta == QMP_SCHEMA_META_ALTERNATE) {
		for (guint i = 0; i < e->n_members; i++)
			list_values (self, e->members[i].type, out, seen, values);
	}
}

/**
 * qmp_schema_list_values:
 * @self: a schema
 * @type: (nullable): a type
 *
 * Returns: (transfer full) (element-type utf8): what a value of @type may be
 *   written as, when that is a short list: an enum's values, true and false;
 *   for an alternate, those of its branches, each once
 */
GPtrArray *
qmp_schema_list_values (QmpSchema *self, const gchar *type)
{
	GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
	g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
	g_autoptr (GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);

	list_values (self, type, out, seen, values);
	return out;
}

static const gchar *
meta_word (QmpSchemaMeta meta)
{
	for (guint i = 0; i < G_N_ELEMENTS (metas); i++) {
		if (metas[i].meta == meta)
			return metas[i].name;
	}
	return "?";
}

static void
describe (QmpSchema *self, const gchar *type, GString *out, GHashTable *seen)
{
	const QmpSchemaEntry *e = qmp_schema_lookup (self, type);

	if (e == NULL) {
		g_string_append (out, type != NULL ? type : "?");
		return;
	}
	if (e->meta == QMP_SCHEMA_META_BUILTIN) {
		g_string_append (out, e->name);
		return;
	}
	/* a type met again is named, not spelled out: it costs its size once */
	if (!g_hash_table_add (seen, (gpointer)e->name)) {
		g_string_append (out, meta_word (e->meta));
		return;
	}
	switch (e->meta) {
	case QMP_SCHEMA_META_ENUM:
		g_string_append (out, "enum: ");
		for (guint i = 0; i < e->n_values; i++)
			g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", e->values[i]);
		break;
	case QMP_SCHEMA_META_ARRAY:
		g_string_append (out, "array of ");
		describe (self, e->element_type, out, seen);
		break;
	case QMP_SCHEMA_META_ALTERNATE: {
		g_autoptr (GHashTable) branches = g_hash_table_new (g_str_hash, g_str_equal);
		for (guint i = 0; i < e->n_members; i++) {
			if (!g_hash_table_add (branches, (gpointer)e->members[i].type))
				continue;
			if (g_hash_table_size (branches) > 1)
				g_string_append (out, " or ");
			describe (self, e->members[i].type, out, seen);
		}
		break;
	}
	default:
		g_string_append (out, meta_word (e->meta));
		break;
	}
}

/**
 * qmp_schema_describe_type:
 * @self: a schema
 * @type: (nullable): a type
 *
 * Returns: (transfer full): a short description for people: "str", "int",
 *   "bool", "enum: a|b|c", "array of str", "object", "str or object"
 */
gchar *
qmp_schema_describe_type (QmpSchema *self, const gchar *type)
{
	g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
	GString *out = g_string_new (NULL);

	describe (self, type, out, seen);
	return g_string_free (out, FALSE);
}

static void
qmp_schema_finalize (GObject *object)
{
	QmpSchema *self = QMP_SCHEMA (object);

	for (guint i = 0; i < self->n_entries; i++) {
		g_free (self->entries[i].values);
		g_free (self->entries[i].value_features);
		g_free (self->entries[i].members);
		g_free (self->entries[i].variants);
	}
	g_free (self->entries);
	g_hash_table_unref (self->by_name);
	g_ptr_array_unref (self->commands);
	g_ptr_array_unref (self->events);
	g_string_chunk_free (self->strings);
	G_OBJECT_CLASS (qmp_schema_parent_class)->finalize (object);
}

static void
qmp_schema_init (QmpSchema *self)
{
	self->strings = g_string_chunk_new (4096);
	self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
	self->commands = g_ptr_array_new ();
	self->events = g_ptr_array_new ();
}

static void
qmp_schema_class_init (QmpSchemaClass *klass)
{
	G_OBJECT_CLASS (klass)->finalize = qmp_schema_finalize;
}
