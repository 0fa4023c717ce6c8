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
GPtrArray *qmp_schema_list_commands (QmpSchema *self);
gboolean qmp_schema_has_command (QmpSchema *self, const gchar *name);
JsonObject *qmp_schema_lookup (QmpSchema *self, const gchar *name);
GArray *qmp_schema_list_members (QmpSchema *self, const gchar *command, const gchar *path);
gchar *qmp_schema_resolve (QmpSchema *self, const gchar *command, const gchar *path);
GPtrArray *qmp_schema_list_values (QmpSchema *self, const gchar *type);
gchar *qmp_schema_describe_type (QmpSchema *self, const gchar *type);
gboolean qmp_schema_has_feature (JsonObject *entity, const gchar *feature);

G_END_DECLS
