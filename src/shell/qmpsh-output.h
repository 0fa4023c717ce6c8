/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * QmpshOutputKind:
 * @QMPSH_OUTPUT_WRITE: `>FILE`: the reply replaces what FILE held
 * @QMPSH_OUTPUT_APPEND: `>>FILE`: the reply goes at its end
 * @QMPSH_OUTPUT_PIPE: `| COMMAND`: the reply is COMMAND's input, run by sh
 */
typedef enum {
	QMPSH_OUTPUT_WRITE = 1,
	QMPSH_OUTPUT_APPEND,
	QMPSH_OUTPUT_PIPE,
} QmpshOutputKind;

/**
 * QmpshOutput:
 *
 * Where a command's reply goes instead of the terminal or standard output,
 * as a shell user writes it after the command.
 */
typedef struct _QmpshOutput QmpshOutput;

QmpshOutput *qmpsh_output_new (QmpshOutputKind kind, const gchar *target);
QmpshOutputKind qmpsh_output_get_kind (const QmpshOutput *self);
const gchar *qmpsh_output_get_target (const QmpshOutput *self);
gboolean qmpsh_output_open (QmpshOutput *self, GError **error);
gboolean qmpsh_output_write (QmpshOutput *self, const gchar *text, gsize len, GError **error);
void qmpsh_output_free (QmpshOutput *self);

void qmpsh_output_buffer_stdout (void);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmpshOutput, qmpsh_output_free)

G_END_DECLS
