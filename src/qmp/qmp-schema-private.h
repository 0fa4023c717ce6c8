/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * What the two files of QmpSchema share and nothing else may use:
 * qmp-schema.c (reading the reply, the questions asked of it) and
 * qmp-schema-binary.c (the index written out and read back).
 */

#pragma once

#include "qmp-schema.h"

G_BEGIN_DECLS

/**
 * QmpSchema:
 *
 * The server's own description of its commands, from `query-qmp-schema`:
 * what completion, checks and help know. Type names in it are opaque; only
 * command and event names are stable.
 *
 * The reply is read once into #QmpSchemaEntry records, every JSON type
 * checked on the way: the peer may send anything, and nothing after this
 * touches its JSON. Walks from type to type see each type once, so a schema
 * whose types refer to themselves costs what its size does.
 */
struct _QmpSchema {
	GObject parent_instance;
	GStringChunk *strings;
	QmpSchemaEntry *entries;
	guint n_entries;
	GHashTable *by_name; /* name -> QmpSchemaEntry, first of a name wins */
	GPtrArray *commands; /* sorted names */
	GPtrArray *events;   /* sorted names */
};

G_GNUC_INTERNAL
void qmp_schema_index_entry (QmpSchema *self, QmpSchemaEntry *e);
G_GNUC_INTERNAL
void qmp_schema_index_done (QmpSchema *self);

G_END_DECLS
