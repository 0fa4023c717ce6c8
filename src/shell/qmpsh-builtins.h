/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmpsh-complete.h"
#include "qmpsh-session.h"

G_BEGIN_DECLS

/**
 * QmpshBuiltinModes:
 * @QMPSH_BUILTIN_BATCH: works in batch (a pipe, `-c`)
 * @QMPSH_BUILTIN_PROMPT: works at the prompt
 * @QMPSH_BUILTIN_ANYWHERE: both
 */
typedef enum {
	QMPSH_BUILTIN_BATCH = 1 << 0,
	QMPSH_BUILTIN_PROMPT = 1 << 1,
	QMPSH_BUILTIN_ANYWHERE = QMPSH_BUILTIN_BATCH | QMPSH_BUILTIN_PROMPT,
} QmpshBuiltinModes;

/**
 * QmpshBuiltinComplete:
 * @schema: (nullable): the server's schema
 * @live: (nullable): names from the running VM
 * @words: (element-type utf8): where to add what the first argument may be
 */
typedef void (*QmpshBuiltinComplete) (QmpSchema *schema, const QmpshCompleteLive *live,
				      GPtrArray *words);

/**
 * QmpshBuiltinRun:
 * @session: the session
 * @lineno: the line
 * @argv: the words after the built-in's name
 * @error: a #GError, set when the words are wrong
 *
 * Returns: %FALSE with @error set if the built-in cannot take @argv
 */
typedef gboolean (*QmpshBuiltinRun) (QmpshSession *session, guint lineno, gchar **argv,
				     GError **error);

/**
 * QmpshBuiltin:
 * @name: its name, dot included
 * @args: its arguments, for help ("NAME [timeout=SECONDS]")
 * @summary: what it does, in a few words
 * @modes: where it works
 * @complete: (nullable): what completes its first argument
 * @run: what it does
 *
 * One row of the table of built-ins: dispatch, help, completion and the
 * "unknown built-in" message all read it, so a built-in is one row.
 */
typedef struct {
	const gchar *name;
	const gchar *args;
	const gchar *summary;
	QmpshBuiltinModes modes;
	QmpshBuiltinComplete complete;
	QmpshBuiltinRun run;
} QmpshBuiltin;

const QmpshBuiltin *qmpsh_builtins_get (guint *n);
const QmpshBuiltin *qmpsh_builtins_find (const gchar *name);
gboolean qmpsh_builtins_run (QmpshSession *session, QmpshLine *line, guint lineno, GError **error);

G_END_DECLS
