/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmp-schema.h"
#include "qmpsh-args.h"

G_BEGIN_DECLS

gboolean qmpsh_conform_check (QmpSchema *schema, const gchar *type, JsonNode *value,
			      const gchar *path, GError **error);
const QmpSchemaEntry *qmpsh_conform_branch (QmpSchema *schema, const QmpSchemaEntry *object,
					    const gchar *tag_value);
const QmpSchemaField *qmpsh_conform_find_member (QmpSchema *schema, const QmpSchemaEntry *object,
						 const QmpSchemaEntry *branch, const gchar *name);
const QmpSchemaEntry *qmpsh_conform_object_of (QmpSchema *schema, const gchar *type);
const gchar *qmpsh_conform_tag_value (const QmpSchemaEntry *object, const QmpshArgsNode *node);
const gchar *qmpsh_conform_walk (QmpSchema *schema, const gchar *type, const QmpshArgsNode *root,
				 const gchar *path, const QmpshArgsNode **node);
gchar *qmpsh_conform_describe_short (QmpSchema *schema,
				     const gchar *type) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
