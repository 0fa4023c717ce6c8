/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmp-schema.h"
#include "qmpsh-props.h"

G_BEGIN_DECLS

/**
 * QmpshCompleteLive:
 * @device_ids: (nullable): ids of devices that can be unplugged
 * @block_nodes: (nullable): block node names and device names
 * @job_ids: (nullable): ids of running jobs
 * @hmp_commands: (nullable): HMP command names, from `help`
 * @bitmaps: (nullable) (element-type utf8 GPtrArray): each block node's
 *   dirty bitmaps
 * @device_types: (nullable): what device_add's driver= takes
 * @props: (nullable): device types' properties, and QOM objects' (their
 *   children for path=)
 * @props_data: for @props
 * @aliases: (nullable) (element-type utf8 utf8): the config file's aliases,
 *   offered as the first word
 *
 * Values from the running VM that completion offers where they fit.
 */
typedef struct {
	GPtrArray *device_ids;
	GPtrArray *block_nodes;
	GPtrArray *job_ids;
	GPtrArray *hmp_commands;
	GHashTable *bitmaps;
	GPtrArray *device_types;
	QmpshPropsFunc props;
	gpointer props_data;
	GHashTable *aliases;
} QmpshCompleteLive;

/**
 * QmpshCompletion:
 * @words: (element-type utf8): the words that can replace the current one
 * @start: where the current word starts in the line
 * @no_space: whether to add no space after a single match (after `key=`)
 */
typedef struct {
	GPtrArray *words;
	gsize start;
	gboolean no_space;
} QmpshCompletion;

QmpshCompletion *qmpsh_complete (QmpSchema *schema, const QmpshCompleteLive *live, gboolean hmp,
				 const gchar *line, gsize point);
void qmpsh_complete_free (QmpshCompletion *completion);
gchar *qmpsh_complete_hint (QmpSchema *schema, const QmpshCompleteLive *live,
			    const gchar *line) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmpshCompletion, qmpsh_complete_free)

G_END_DECLS
