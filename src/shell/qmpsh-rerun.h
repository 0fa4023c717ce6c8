/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmp-client.h"
#include "qmp-schema.h"
#include "qmpsh-console.h"
#include "qmpsh-format.h"

G_BEGIN_DECLS

/**
 * QmpshRerun:
 *
 * `.watch every=SECONDS COMMAND ...`, as psql's \watch: the command runs
 * again and again and its reply is drawn again in place, until stopped.
 */
typedef struct _QmpshRerun QmpshRerun;

QmpshRerun *qmpsh_rerun_new (QmpClient *client, QmpSchema *schema, QmpshConsole *console,
			     QmpshFormatFlags format, const gchar *words, GError **error);
void qmpsh_rerun_free (QmpshRerun *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmpshRerun, qmpsh_rerun_free)

G_END_DECLS
