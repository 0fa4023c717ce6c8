/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmpsh-scanner.h"

G_BEGIN_DECLS

/**
 * QmpshArgs:
 *
 * The arguments of a command, `key=value ...` with dotted keys, as a tree of
 * keys in the order the user gave them. Each value keeps what was typed
 * (quoted or not) beside its JSON text, which is exactly what was typed for
 * numbers of any size.
 */
typedef struct _QmpshArgs QmpshArgs;
typedef struct _QmpshArgsNode QmpshArgsNode;

/**
 * QmpshArgsKind:
 * @QMPSH_ARGS_OBJECT: the members dotted keys gave (`a.b=1 a.c=2`)
 * @QMPSH_ARGS_BARE: a bare word (`id=1`)
 * @QMPSH_ARGS_QUOTED: a quoted one (`id="1"`)
 * @QMPSH_ARGS_JSON: a JSON object or array as written (`o={"a": 1}`)
 */
typedef enum {
	QMPSH_ARGS_OBJECT,
	QMPSH_ARGS_BARE,
	QMPSH_ARGS_QUOTED,
	QMPSH_ARGS_JSON,
} QmpshArgsKind;

QmpshArgs *qmpsh_args_new (void);
void qmpsh_args_free (QmpshArgs *self);
gboolean qmpsh_args_parse (QmpshArgs *self, QmpshScanner *s, gchar *stop, GPtrArray **redirects,
			   GError **error);
gboolean qmpsh_args_is_empty (QmpshArgs *self);
void qmpsh_args_to_json (QmpshArgs *self, GString *out);
QmpshArgsNode *qmpsh_args_get_root (QmpshArgs *self);
QmpshArgsKind qmpsh_args_node_get_kind (const QmpshArgsNode *node);
const gchar *qmpsh_args_node_get_key (const QmpshArgsNode *node);
const gchar *qmpsh_args_node_get_text (const QmpshArgsNode *node);
const gchar *qmpsh_args_node_get_json (const QmpshArgsNode *node);
guint qmpsh_args_node_get_column (const QmpshArgsNode *node);
guint qmpsh_args_node_get_n_members (const QmpshArgsNode *node);
QmpshArgsNode *qmpsh_args_node_get_member (const QmpshArgsNode *node, guint i);
QmpshArgsNode *qmpsh_args_node_find (const QmpshArgsNode *node, const gchar *key);
void qmpsh_args_node_to_json (const QmpshArgsNode *node, GString *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmpshArgs, qmpsh_args_free)

G_END_DECLS
