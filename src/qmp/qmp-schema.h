/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define QMP_TYPE_SCHEMA (qmp_schema_get_type ())
G_DECLARE_FINAL_TYPE (QmpSchema, qmp_schema, QMP, SCHEMA, GObject)

/**
 * QmpSchemaMeta:
 * @QMP_SCHEMA_META_UNKNOWN: a meta-type this version does not know
 * @QMP_SCHEMA_META_BUILTIN: str, int, bool, any, ...: see @json_type
 * @QMP_SCHEMA_META_ENUM: one of a list of strings
 * @QMP_SCHEMA_META_ARRAY: a list of @element_type
 * @QMP_SCHEMA_META_OBJECT: named members, perhaps a union of branches
 * @QMP_SCHEMA_META_ALTERNATE: one of several types, told apart by JSON type
 * @QMP_SCHEMA_META_COMMAND: a command
 * @QMP_SCHEMA_META_EVENT: an event
 */
typedef enum {
	QMP_SCHEMA_META_UNKNOWN,
	QMP_SCHEMA_META_BUILTIN,
	QMP_SCHEMA_META_ENUM,
	QMP_SCHEMA_META_ARRAY,
	QMP_SCHEMA_META_OBJECT,
	QMP_SCHEMA_META_ALTERNATE,
	QMP_SCHEMA_META_COMMAND,
	QMP_SCHEMA_META_EVENT,
} QmpSchemaMeta;

/**
 * QmpSchemaFeatures:
 * @QMP_SCHEMA_FEATURE_DEPRECATED: going away: see QEMU's deprecated.rst
 * @QMP_SCHEMA_FEATURE_UNSTABLE: experimental, or for debugging
 *
 * The special features; the schema may name others, which are not kept.
 */
typedef enum {
	QMP_SCHEMA_FEATURE_DEPRECATED = 1 << 0,
	QMP_SCHEMA_FEATURE_UNSTABLE = 1 << 1,
} QmpSchemaFeatures;

/**
 * QmpSchemaField:
 * @name: (nullable): the member's name; %NULL for an alternate's members
 * @type: its type's (opaque) name
 * @optional: whether it may be left out
 * @features: what the schema marks it with
 *
 * A member of an object, or one of an alternate's types.
 */
typedef struct {
	const gchar *name;
	const gchar *type;
	gboolean optional;
	QmpSchemaFeatures features;
} QmpSchemaField;

/**
 * QmpSchemaVariant:
 * @value: the tag's value that selects it
 * @type: the object type whose members the branch adds
 */
typedef struct {
	const gchar *value;
	const gchar *type;
} QmpSchemaVariant;

/**
 * QmpSchemaEntry:
 * @name: the entry's name: a command's or event's, or a type's (opaque)
 * @meta: what it is
 * @features: what the schema marks it with
 * @json_type: (nullable): for a builtin, "string", "int", "number",
 *   "boolean", "null", "object", "array" or "value"
 * @values: (array length=n_values): an enum's values
 * @value_features: (array length=n_values): what each value is marked with
 * @n_values: how many
 * @element_type: (nullable): an array's element type
 * @members: (array length=n_members): an object's members, or an
 *   alternate's types
 * @n_members: how many
 * @tag: (nullable): for a union, the member that selects the branch
 * @variants: (array length=n_variants): a union's branches
 * @n_variants: how many
 * @arg_type: (nullable): a command's arguments, or an event's data
 * @ret_type: (nullable): what a command returns
 * @allow_oob: whether a command may run out of band
 *
 * One SchemaInfo of `query-qmp-schema`, read with its JSON types checked:
 * what the peer sent of the wrong type is left out, as if absent.
 */
typedef struct {
	const gchar *name;
	QmpSchemaMeta meta;
	QmpSchemaFeatures features;
	const gchar *json_type;
	const gchar **values;
	QmpSchemaFeatures *value_features;
	guint n_values;
	const gchar *element_type;
	QmpSchemaField *members;
	guint n_members;
	const gchar *tag;
	QmpSchemaVariant *variants;
	guint n_variants;
	const gchar *arg_type;
	const gchar *ret_type;
	gboolean allow_oob;
} QmpSchemaEntry;

/**
 * QmpSchemaMember:
 * @name: the member's name
 * @type: its type's (opaque) name in the schema
 * @optional: whether it may be left out
 * @deprecated: whether the schema marks it deprecated
 * @unstable: whether the schema marks it unstable
 * @branch: (nullable): for a member of one branch of a union, the tag's
 *   value that selects it ("driver=file"); several branches are joined by ", "
 *
 * One argument, or member of a nested object, as the schema describes it.
 */
typedef struct {
	const gchar *name;
	const gchar *type;
	gboolean optional;
	gboolean deprecated;
	gboolean unstable;
	gchar *branch;
} QmpSchemaMember;

QmpSchema *qmp_schema_new (JsonNode *schema, GError **error);
QmpSchema *qmp_schema_new_from_bytes (GBytes *bytes, GError **error);
GBytes *qmp_schema_to_bytes (QmpSchema *self);
GPtrArray *qmp_schema_list_commands (QmpSchema *self);
GPtrArray *qmp_schema_list_events (QmpSchema *self);
gboolean qmp_schema_has_command (QmpSchema *self, const gchar *name);
const QmpSchemaEntry *qmp_schema_lookup (QmpSchema *self, const gchar *name);
GArray *qmp_schema_list_members (QmpSchema *self, const gchar *command, const gchar *path);
gchar *qmp_schema_resolve (QmpSchema *self, const gchar *command, const gchar *path);
GPtrArray *qmp_schema_list_values (QmpSchema *self, const gchar *type);
gchar *qmp_schema_describe_type (QmpSchema *self, const gchar *type);

G_END_DECLS
