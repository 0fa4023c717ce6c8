/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmpsh-exit.h"
#include "qmpsh-format.h"
#include "qmpsh-reader.h"
#include "qmpsh-session.h"

G_BEGIN_DECLS

#define QMPSH_TYPE_BATCH (qmpsh_batch_get_type ())
G_DECLARE_FINAL_TYPE (QmpshBatch, qmpsh_batch, QMPSH, BATCH, GObject)

QmpshBatch *qmpsh_batch_new (QmpshSession *session, QmpshFormatFlags format, gboolean echo);
void qmpsh_batch_start (QmpshBatch *self, gint fd, const gchar *const *commands);
void qmpsh_batch_start_reader (QmpshBatch *self, QmpshReader *reader);
void qmpsh_batch_set_target (QmpshBatch *self, const gchar *target);
void qmpsh_batch_abandon (QmpshBatch *self, QmpshExit status);

G_END_DECLS
