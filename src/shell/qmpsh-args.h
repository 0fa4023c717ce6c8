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

QmpshArgs *qmpsh_args_new (void);
void qmpsh_args_free (QmpshArgs *self);
gboolean qmpsh_args_parse (QmpshArgs *self, QmpshScanner *s, gchar *stop, GPtrArray *redirects,
			   GError **error);
gboolean qmpsh_args_is_empty (QmpshArgs *self);
void qmpsh_args_to_json (QmpshArgs *self, GString *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmpshArgs, qmpsh_args_free)

G_END_DECLS
