/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * The schema model (qmp_schema_*), built from what a server sends as its
 * `query-qmp-schema` reply, however odd.
 *
 * Input: JSON text: a whole reply ({"return": [...]}) or the list alone. What
 * json-glib cannot read is skipped: the schema is only ever built from a
 * parsed reply.
 *
 * Properties, each fatal (and so is any GLib or json-glib critical, the
 * sign of a node of the wrong type handed to json-glib):
 *   - qmp_schema_new refuses anything but a list, with an error, and takes
 *     any list;
 *   - the command list is sorted, names each command once, and each of its
 *     names is a command for has_command and lookup; of entries that share a
 *     name, the first counts;
 *   - for every command: resolve (cmd, "") is its arg-type; every member
 *     list_members gives has a name, and resolve (cmd, name) is its type;
 *     describe_type and list_values answer for that type; the same, a few
 *     levels down, for the members of members (dotted paths); a path through
 *     a key that is not listed resolves to NULL;
 *   - a description and a list of values stay within what the size of the
 *     reply can account for;
 *   - describe_type and list_values answer for every name in the schema,
 *     and for names that are not in it.
 */

#include "fuzz-common.h"
#include "qmp-error.h"
#include "qmp-schema.h"

#include <string.h>

#define PATH_DEPTH   4	 /* levels of nested keys walked */
#define QUERY_BUDGET 400 /* queries per input, so that each runs fast */

typedef struct {
	QmpSchema *schema;
	guint budget;
	gsize size; /* of the reply's text */
} Ctx;

static gboolean
spend (Ctx *ctx)
{
	if (ctx->budget == 0)
		return FALSE;
	ctx->budget--;
	return TRUE;
}

/* a `meta-type` string, or NULL */
static const gchar *
meta_of (JsonObject *e)
{
	JsonNode *n = e != NULL ? json_object_get_member (e, "meta-type") : NULL;
	return n != NULL && JSON_NODE_HOLDS_VALUE (n) &&
			       json_node_get_value_type (n) == G_TYPE_STRING
		       ? json_node_get_string (n)
		       : NULL;
}

static const gchar *
string_member (JsonObject *e, const gchar *name)
{
	JsonNode *n = e != NULL ? json_object_get_member (e, name) : NULL;
	return n != NULL && JSON_NODE_HOLDS_VALUE (n) &&
			       json_node_get_value_type (n) == G_TYPE_STRING
		       ? json_node_get_string (n)
		       : NULL;
}

/* whether the entry's "features" list the string @feature */
static gboolean
has_feature (JsonObject *e, const gchar *feature)
{
	JsonNode *n = json_object_get_member (e, "features");
	JsonArray *features =
		n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;

	for (guint i = 0; features != NULL && i < json_array_get_length (features); i++) {
		JsonNode *f = json_array_get_element (features, i);
		if (JSON_NODE_HOLDS_VALUE (f) && json_node_get_value_type (f) == G_TYPE_STRING &&
		    g_strcmp0 (json_node_get_string (f), feature) == 0)
			return TRUE;
	}
	return FALSE;
}

static void
check_type (Ctx *ctx, const gchar *type)
{
	g_autofree gchar *described = NULL;
	g_autoptr (GPtrArray) values = NULL;

	if (!spend (ctx))
		return;
	described = qmp_schema_describe_type (ctx->schema, type);
	FUZZ_CHECK (described != NULL, "describe_type (%s) gave NULL", type);
	FUZZ_CHECK (g_utf8_validate (described, -1, NULL), "describe_type (%s) is no UTF-8", type);
	/*
	 * "a short description for people", "a short list": a walk that goes over
	 * the same types again and again gives one the reply cannot account for
	 */
	FUZZ_CHECK (strlen (described) <= 64 + 16 * ctx->size,
		    "describe_type (%s) gives %zu bytes from a reply of %zu", type,
		    strlen (described), ctx->size);
	values = qmp_schema_list_values (ctx->schema, type);
	FUZZ_CHECK (values != NULL, "list_values (%s) gave NULL", type);
	FUZZ_CHECK (values->len <= 2 + ctx->size, "list_values (%s) gives %u values from %zu bytes",
		    type, values->len, ctx->size);
	/* (element-type utf8): an enum's values that are no strings must not come out as NULL */
	for (guint i = 0; i < values->len; i++)
		FUZZ_CHECK (values->pdata[i] != NULL, "list_values (%s) has a NULL value %u", type,
			    i);
}

static void
check_path (Ctx *ctx, const gchar *command, const gchar *path, guint depth)
{
	g_autoptr (GArray) members = NULL;
	g_autofree gchar *missing = NULL;
	g_autofree gchar *nowhere = NULL;

	if (!spend (ctx))
		return;
	members = qmp_schema_list_members (ctx->schema, command, path);
	FUZZ_CHECK (members != NULL, "list_members (%s, %s) gave NULL", command, path);
	for (guint i = 0; i < members->len; i++) {
		QmpSchemaMember *m = &g_array_index (members, QmpSchemaMember, i);
		g_autofree gchar *sub = NULL;
		g_autofree gchar *resolved = NULL;

		FUZZ_CHECK (m->name != NULL, "list_members (%s, %s): member %u has no name",
			    command, path, i);
		for (guint j = 0; j < i; j++)
			FUZZ_CHECK (strcmp (g_array_index (members, QmpSchemaMember, j).name,
					    m->name) != 0,
				    "list_members (%s, %s) lists %s twice", command, path, m->name);
		if (strchr (m->name, '.') != NULL || m->name[0] == '\0')
			continue; /* not a key a path can name */
		sub = path[0] != '\0' ? g_strdup_printf ("%s.%s", path, m->name)
				      : g_strdup (m->name);
		if (!spend (ctx))
			return;
		resolved = qmp_schema_resolve (ctx->schema, command, sub);
		FUZZ_CHECK (g_strcmp0 (resolved, m->type) == 0,
			    "resolve (%s, %s) is %s, but list_members says %s", command, sub,
			    resolved, m->type);
		check_type (ctx, m->type);
		if (depth < PATH_DEPTH && m->type != NULL)
			check_path (ctx, command, sub, depth + 1);
	}
	/* a key no member has leads nowhere */
	missing = path[0] != '\0' ? g_strdup_printf ("%s.no such key", path)
				  : g_strdup ("no such key");
	nowhere = qmp_schema_resolve (ctx->schema, command, missing);
	FUZZ_CHECK (nowhere == NULL, "resolve (%s, %s) is %s", command, missing, nowhere);
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
	fuzz_init ();
	return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	g_autoptr (JsonParser) parser = json_parser_new_immutable ();
	g_autoptr (QmpSchema) schema = NULL;
	g_autoptr (GError) error = NULL;
	g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
	JsonNode *root;
	JsonArray *entries;
	GPtrArray *commands;
	Ctx ctx = { NULL, QUERY_BUDGET, size };

	if (!g_utf8_validate_len ((const gchar *)data, size, NULL) ||
	    !json_parser_load_from_data (parser, (const gchar *)data, size, NULL))
		return -1;
	root = json_parser_get_root (parser);
	if (root == NULL)
		return -1;
	if (JSON_NODE_HOLDS_OBJECT (root) &&
	    json_object_has_member (json_node_get_object (root), "return"))
		root = json_object_get_member (json_node_get_object (root), "return");

	schema = qmp_schema_new (root, &error);
	if (!JSON_NODE_HOLDS_ARRAY (root)) {
		FUZZ_CHECK (schema == NULL && error != NULL &&
				    g_error_matches (error, QMP_ERROR, QMP_ERROR_PROTOCOL),
			    "qmp_schema_new took a %s", json_node_type_name (root));
		return 0;
	}
	FUZZ_CHECK (schema != NULL && error == NULL, "qmp_schema_new refused a list: %s",
		    error != NULL ? error->message : "no error");
	entries = json_node_get_array (root);
	ctx.schema = schema;

	/* the names, for lookups: the first entry of a name counts */
	for (guint i = 0; i < json_array_get_length (entries); i++) {
		JsonNode *n = json_array_get_element (entries, i);
		const gchar *name = JSON_NODE_HOLDS_OBJECT (n)
					    ? string_member (json_node_get_object (n), "name")
					    : NULL;
		if (name != NULL && !g_hash_table_contains (names, name))
			g_hash_table_insert (names, (gpointer)name, json_node_get_object (n));
	}

	commands = qmp_schema_list_commands (schema);
	FUZZ_CHECK (commands != NULL, "no command list");
	for (guint i = 0; i < commands->len; i++) {
		const gchar *command = commands->pdata[i];
		JsonObject *json = g_hash_table_lookup (names, command);
		const QmpSchemaEntry *e;
		g_autofree gchar *args = NULL;

		FUZZ_CHECK (command != NULL, "command %u is NULL", i);
		if (i > 0)
			FUZZ_CHECK (strcmp (commands->pdata[i - 1], command) < 0,
				    "commands not sorted, or listed twice: %s before %s",
				    (const gchar *)commands->pdata[i - 1], command);
		e = qmp_schema_lookup (schema, command);
		FUZZ_CHECK (e != NULL && json != NULL, "lookup (%s) of a listed command is NULL",
			    command);
		FUZZ_CHECK (g_strcmp0 (meta_of (json), "command") == 0,
			    "%s is listed, but its first entry is a %s", command, meta_of (json));
		FUZZ_CHECK (qmp_schema_has_command (schema, command),
			    "has_command (%s) of a listed command is FALSE", command);
		args = qmp_schema_resolve (schema, command, "");
		FUZZ_CHECK (g_strcmp0 (args, string_member (json, "arg-type")) == 0,
			    "resolve (%s, \"\") is %s, arg-type %s", command, args,
			    string_member (json, "arg-type"));
		FUZZ_CHECK (!(e->features & QMP_SCHEMA_FEATURE_DEPRECATED) ==
				    !has_feature (json, "deprecated"),
			    "%s: deprecated is %d in the model", command,
			    !!(e->features & QMP_SCHEMA_FEATURE_DEPRECATED));
		check_path (&ctx, command, "", 0);
	}

	/* every type, and names that are none */
	{
		GHashTableIter iter;
		gpointer name;
		gpointer json;
		g_hash_table_iter_init (&iter, names);
		while (g_hash_table_iter_next (&iter, &name, &json)) {
			const QmpSchemaEntry *e = qmp_schema_lookup (schema, name);
			FUZZ_CHECK (e != NULL && g_strcmp0 (e->name, name) == 0,
				    "lookup (%s) gives %s", (const gchar *)name,
				    e != NULL ? e->name : "NULL");
			FUZZ_CHECK (!(e->features & QMP_SCHEMA_FEATURE_UNSTABLE) ==
					    !has_feature (json, "unstable"),
				    "%s: unstable is %d in the model", (const gchar *)name,
				    !!(e->features & QMP_SCHEMA_FEATURE_UNSTABLE));
			check_type (&ctx, name);
		}
	}
	check_type (&ctx, NULL);
	check_type (&ctx, "no such type");
	check_type (&ctx, "bool");
	FUZZ_CHECK (!qmp_schema_has_command (schema, "no such command"),
		    "has_command of a name not in the schema");
	{
		g_autofree gchar *none = qmp_schema_resolve (schema, "no such command", "");
		g_autoptr (GArray) members =
			qmp_schema_list_members (schema, "no such command", "");
		FUZZ_CHECK (none == NULL && members != NULL && members->len == 0,
			    "a command not in the schema has arguments");
	}
	return 0;
}
