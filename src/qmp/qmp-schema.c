/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmp-schema.h"
#include "qmp-error.h"

#include <string.h>

/**
 * QmpSchema:
 *
 * The server's own description of its commands, from `query-qmp-schema`:
 * what completion and help know. Type names in it are opaque; only command
 * and event names are stable.
 */
struct _QmpSchema {
	GObject parent_instance;
	JsonNode *root;
	GHashTable *by_name; /* name -> JsonObject, owned by root */
	GPtrArray *commands; /* sorted names */
};

G_DEFINE_FINAL_TYPE (QmpSchema, qmp_schema, G_TYPE_OBJECT)

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
 * Returns: (transfer full): the schema, or %NULL with %QMP_ERROR_PROTOCOL
 */
QmpSchema *
qmp_schema_new (JsonNode *schema, GError **error)
{
	g_autoptr (QmpSchema) self = NULL;
	JsonArray *entries;

	if (schema == NULL || !JSON_NODE_HOLDS_ARRAY (schema)) {
		g_set_error_literal (error, QMP_ERROR, QMP_ERROR_PROTOCOL,
				     "query-qmp-schema did not return a list");
		return NULL;
	}
	self = g_object_new (QMP_TYPE_SCHEMA, NULL);
	self->root = json_node_ref (schema);
	entries = json_node_get_array (schema);
	for (guint i = 0; i < json_array_get_length (entries); i++) {
		JsonObject *e = json_array_get_object_element (entries, i);
		const gchar *name =
			e != NULL ? json_object_get_string_member_with_default (e, "name", NULL)
				  : NULL;
		const gchar *meta =
			e != NULL
				? json_object_get_string_member_with_default (e, "meta-type", NULL)
				: NULL;
		if (name == NULL || meta == NULL)
			continue;
		g_hash_table_insert (self->by_name, (gpointer)name, e);
		if (g_strcmp0 (meta, "command") == 0)
			g_ptr_array_add (self->commands, (gpointer)name);
	}
	g_ptr_array_sort (self->commands, compare_names);
	return g_steal_pointer (&self);
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

gboolean
qmp_schema_has_command (QmpSchema *self, const gchar *name)
{
	JsonObject *e = qmp_schema_lookup (self, name);
	return e != NULL &&
	       g_strcmp0 (json_object_get_string_member (e, "meta-type"), "command") == 0;
}

/**
 * qmp_schema_lookup:
 * @self: a schema
 * @name: a command, event or type name
 *
 * Returns: (transfer none) (nullable): its SchemaInfo entry
 */
JsonObject *
qmp_schema_lookup (QmpSchema *self, const gchar *name)
{
	return name != NULL ? g_hash_table_lookup (self->by_name, name) : NULL;
}

/**
 * qmp_schema_has_feature:
 * @entity: a SchemaInfo entry or a member of one
 * @feature: "deprecated" or "unstable"
 *
 * Returns: %TRUE if its `features` name @feature
 */
gboolean
qmp_schema_has_feature (JsonObject *entity, const gchar *feature)
{
	JsonArray *features;

	if (entity == NULL || !json_object_has_member (entity, "features"))
		return FALSE;
	features = json_object_get_array_member (entity, "features");
	for (guint i = 0; features != NULL && i < json_array_get_length (features); i++) {
		if (g_strcmp0 (json_array_get_string_element (features, i), feature) == 0)
			return TRUE;
	}
	return FALSE;
}

static const gchar *
meta_type (QmpSchema *self, const gchar *type)
{
	JsonObject *e = qmp_schema_lookup (self, type);
	return e != NULL ? json_object_get_string_member_with_default (e, "meta-type", "") : "";
}

/* an alternate that may be an object: the object, for nested keys */
static const gchar *
object_type_of (QmpSchema *self, const gchar *type)
{
	JsonObject *e = qmp_schema_lookup (self, type);
	JsonArray *members;

	if (g_strcmp0 (meta_type (self, type), "object") == 0)
		return type;
	if (g_strcmp0 (meta_type (self, type), "alternate") != 0)
		return NULL;
	members = json_object_get_array_member (e, "members");
	for (guint i = 0; i < json_array_get_length (members); i++) {
		JsonObject *m = json_array_get_object_element (members, i);
		const gchar *t = json_object_get_string_member_with_default (m, "type", NULL);
		if (g_strcmp0 (meta_type (self, t), "object") == 0)
			return t;
	}
	return NULL;
}

static void
member_clear (QmpSchemaMember *m)
{
	g_free (m->branch);
}

static void
add_members (QmpSchema *self, GArray *out, JsonObject *object, const gchar *branch)
{
	JsonArray *members = json_object_get_array_member (object, "members");

	for (guint i = 0; members != NULL && i < json_array_get_length (members); i++) {
		JsonObject *m = json_array_get_object_element (members, i);
		QmpSchemaMember member = { 0 };
		gboolean seen = FALSE;

		member.name = json_object_get_string_member_with_default (m, "name", NULL);
		member.type = json_object_get_string_member_with_default (m, "type", NULL);
		if (member.name == NULL)
			continue;
		/* a member several branches share is listed once, with all their names */
		for (guint j = 0; j < out->len; j++) {
			QmpSchemaMember *o = &g_array_index (out, QmpSchemaMember, j);
			if (g_strcmp0 (o->name, member.name) != 0)
				continue;
			seen = TRUE;
			if (branch != NULL && o->branch != NULL) {
				gchar *joined = g_strdup_printf ("%s, %s", o->branch, branch);
				g_free (o->branch);
				o->branch = joined;
			}
		}
		if (seen)
			continue;
		member.optional = json_object_has_member (m, "default") || branch != NULL;
		member.deprecated = qmp_schema_has_feature (m, "deprecated");
		member.unstable = qmp_schema_has_feature (m, "unstable");
		member.branch = g_strdup (branch);
		g_array_append_val (out, member);
	}
}

static GArray *
list_object_members (QmpSchema *self, const gchar *type)
{
	GArray *out = g_array_new (FALSE, TRUE, sizeof (QmpSchemaMember));
	JsonObject *object = qmp_schema_lookup (self, object_type_of (self, type));
	JsonArray *variants;
	const gchar *tag;

	g_array_set_clear_func (out, (GDestroyNotify)member_clear);
	if (object == NULL)
		return out;
	add_members (self, out, object, NULL);
	tag = json_object_get_string_member_with_default (object, "tag", NULL);
	variants = json_object_has_member (object, "variants")
			   ? json_object_get_array_member (object, "variants")
			   : NULL;
	for (guint i = 0; variants != NULL && i < json_array_get_length (variants); i++) {
		JsonObject *v = json_array_get_object_element (variants, i);
		g_autofree gchar *branch = g_strdup_printf (
			"%s=%s", tag, json_object_get_string_member_with_default (v, "case", "?"));
		JsonObject *branch_type = qmp_schema_lookup (
			self, json_object_get_string_member_with_default (v, "type", NULL));
		if (branch_type != NULL)
			add_members (self, out, branch_type, branch);
	}
	return out;
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
	JsonObject *cmd = qmp_schema_lookup (self, command);
	g_auto (GStrv) parts = NULL;
	const gchar *type;

	if (cmd == NULL || !qmp_schema_has_command (self, command))
		return NULL;
	type = json_object_get_string_member_with_default (cmd, "arg-type", NULL);
	if (path == NULL || path[0] == '\0')
		return g_strdup (type);
	parts = g_strsplit (path, ".", -1);
	for (guint i = 0; parts[i] != NULL && type != NULL; i++) {
		g_autoptr (GArray) members = list_object_members (self, type);
		const gchar *next = NULL;
		for (guint j = 0; j < members->len; j++) {
			QmpSchemaMember *m = &g_array_index (members, QmpSchemaMember, j);
			if (g_strcmp0 (m->name, parts[i]) == 0)
				next = m->type;
		}
		type = next;
	}
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

/*
 * Types refer to types, and a schema from the wire may refer to itself (an
 * array of itself, an alternate that lists itself): walks stop this deep.
 */
#define QMP_SCHEMA_WALK_DEPTH 8

static void
list_values (QmpSchema *self, const gchar *type, GPtrArray *out, guint depth)
{
	JsonObject *e = qmp_schema_lookup (self, type);
	const gchar *meta = meta_type (self, type);

	if (depth >= QMP_SCHEMA_WALK_DEPTH)
		return;
	if (g_strcmp0 (type, "bool") == 0) {
		g_ptr_array_add (out, g_strdup ("true"));
		g_ptr_array_add (out, g_strdup ("false"));
	} else if (g_strcmp0 (meta, "enum") == 0) {
		JsonArray *values = json_object_get_array_member (e, "values");
		for (guint i = 0; values != NULL && i < json_array_get_length (values); i++) {
			const gchar *v = json_array_get_string_element (values, i);
			if (v != NULL)
				g_ptr_array_add (out, g_strdup (v));
		}
	} else if (g_strcmp0 (meta, "alternate") == 0) {
		JsonArray *members = json_object_get_array_member (e, "members");
		for (guint i = 0; members != NULL && i < json_array_get_length (members); i++) {
			JsonObject *m = json_array_get_object_element (members, i);
			if (m != NULL)
				list_values (self,
					     json_object_get_string_member_with_default (m, "type",
											 NULL),
					     out, depth + 1);
		}
	}
}

/**
 * qmp_schema_list_values:
 * @self: a schema
 * @type: a type
 *
 * Returns: (transfer full) (element-type utf8): what a value of @type may be
 *   written as, when that is a short list: an enum's values, true and false
 */
GPtrArray *
qmp_schema_list_values (QmpSchema *self, const gchar *type)
{
	GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
	list_values (self, type, out, 0);
	return out;
}

static gchar *
describe_type (QmpSchema *self, const gchar *type, guint depth)
{
	JsonObject *e = qmp_schema_lookup (self, type);
	const gchar *meta = meta_type (self, type);

	if (e == NULL)
		return g_strdup (type != NULL ? type : "?");
	if (depth >= QMP_SCHEMA_WALK_DEPTH)
		return g_strdup ("...");
	if (g_strcmp0 (meta, "builtin") == 0)
		return g_strdup (type);
	if (g_strcmp0 (meta, "enum") == 0) {
		g_autoptr (GPtrArray) values = qmp_schema_list_values (self, type);
		g_autofree gchar *joined = NULL;
		g_ptr_array_add (values, NULL);
		joined = g_strjoinv ("|", (gchar **)values->pdata);
		return g_strdup_printf ("enum: %s", joined);
	}
	if (g_strcmp0 (meta, "array") == 0) {
		g_autofree gchar *element = describe_type (
			self, json_object_get_string_member_with_default (e, "element-type", NULL),
			depth + 1);
		return g_strdup_printf ("array of %s", element);
	}
	if (g_strcmp0 (meta, "alternate") == 0) {
		JsonArray *members = json_object_get_array_member (e, "members");
		g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
		for (guint i = 0; members != NULL && i < json_array_get_length (members); i++) {
			JsonObject *m = json_array_get_object_element (members, i);
			if (m == NULL)
				continue;
			g_ptr_array_add (parts,
					 describe_type (self,
							json_object_get_string_member_with_default (
								m, "type", NULL),
							depth + 1));
		}
		g_ptr_array_add (parts, NULL);
		return g_strjoinv (" or ", (gchar **)parts->pdata);
	}
	return g_strdup (meta);
}

/**
 * qmp_schema_describe_type:
 * @self: a schema
 * @type: a type
 *
 * Returns: (transfer full): a short description for people: "str", "int",
 *   "bool", "enum: a|b|c", "array of str", "object", "str or object"
 */
gchar *
qmp_schema_describe_type (QmpSchema *self, const gchar *type)
{
	return describe_type (self, type, 0);
}

static void
qmp_schema_finalize (GObject *object)
{
	QmpSchema *self = QMP_SCHEMA (object);
	g_hash_table_unref (self->by_name);
	g_ptr_array_unref (self->commands);
	if (self->root != NULL)
		json_node_unref (self->root);
	G_OBJECT_CLASS (qmp_schema_parent_class)->finalize (object);
}

static void
qmp_schema_init (QmpSchema *self)
{
	self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
	self->commands = g_ptr_array_new ();
}

static void
qmp_schema_class_init (QmpSchemaClass *klass)
{
	G_OBJECT_CLASS (klass)->finalize = qmp_schema_finalize;
}
