/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <gio/gunixfdlist.h>

#include "qmp-message.h"
#include "qmpsh-args.h"
#include "qmpsh-scanner.h"

G_BEGIN_DECLS

/**
 * QmpshLineKind:
 * @QMPSH_LINE_EMPTY: blank or a comment: nothing to do
 * @QMPSH_LINE_COMMAND: `name key=value ...`, turned into a QMP command
 * @QMPSH_LINE_RAW: a JSON object the user wrote whole, sent as it is
 * @QMPSH_LINE_BUILTIN: a dot-prefixed shell built-in, with its words
 * @QMPSH_LINE_HMP: an HMP command line, wrapped in human-monitor-command
 * @QMPSH_LINE_CONTINUE: a line inside a transaction: more lines to come
 */
typedef enum {
	QMPSH_LINE_EMPTY,
	QMPSH_LINE_COMMAND,
	QMPSH_LINE_RAW,
	QMPSH_LINE_BUILTIN,
	QMPSH_LINE_HMP,
	QMPSH_LINE_CONTINUE,
} QmpshLineKind;

/**
 * QmpshLineAction:
 * @type: the action's type (a command's name)
 * @data: its key=value words
 *
 * One action of `transaction( ... )`.
 */
typedef struct {
	gchar *type;
	QmpshArgs *data;
} QmpshLineAction;

/**
 * QmpshLine:
 * @kind: what the line is
 * @name: the command or built-in name, in the line's own block
 * @json: the message to send (COMMAND and RAW), compact: by today's rules
 *   until the schema types it (qmpsh_typer_type_line())
 * @args: (nullable): a COMMAND's key=value words, for typing by the schema
 * @actions: (element-type QmpshLineAction) (nullable): a transaction's
 * @argv: the built-in's words after its name
 * @redirects: (element-type QmpshRedirect) (nullable): files to pass with it
 * @oob: a COMMAND sent with `exec-oob` (`.oob CMD ...`)
 * @output: (nullable): where the reply goes instead (`>FILE`, `>>FILE`, `| CMD`)
 */
typedef struct {
	QmpshLineKind kind;
	const gchar *name;
	gchar *json;
	QmpshArgs *args;
	GPtrArray *actions;
	gchar **argv;
	GPtrArray *redirects;
	gboolean oob;
	QmpshOutput *output;
} QmpshLine;

QmpshLine *qmpsh_line_new (QmpshLineKind kind, const gchar *name, gchar *json);
QmpshLine *qmpsh_line_new_len (QmpshLineKind kind, const gchar *name, gsize name_len, gchar *json);
GUnixFDList *qmpsh_line_open_fds (QmpshLine *line, GArray *inherited, gboolean can_pass,
				  GError **error);
QmpMessage *qmpsh_line_take_message (QmpshLine *line, GError **error);
gboolean qmpsh_line_is_drastic (QmpshLine *line);
gboolean qmpsh_line_reads_only (QmpshLine *line, QmpMessage *command);
gboolean qmpsh_line_takes_fds (QmpshLine *line);
void qmpsh_line_free (QmpshLine *line);
QmpshLineAction *qmpsh_line_action_new (const gchar *type, QmpshArgs *data);
void qmpsh_line_action_free (QmpshLineAction *action);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmpshLine, qmpsh_line_free)

G_END_DECLS
