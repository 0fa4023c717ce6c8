/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmp-client.h"
#include "qmpsh-queue.h"

G_BEGIN_DECLS

/**
 * QmpshSenderDone:
 * @owner: the sender's owner
 * @step: the step whose command was answered (or why no answer came is in it)
 */
typedef void (*QmpshSenderDone) (GObject *owner, QmpshStep *step);

#define QMPSH_TYPE_SENDER (qmpsh_sender_get_type ())
G_DECLARE_FINAL_TYPE (QmpshSender, qmpsh_sender, QMPSH, SENDER, GObject)

QmpshSender *qmpsh_sender_new (QmpClient *client, GObject *owner, QmpshSenderDone done);
void qmpsh_sender_send (QmpshSender *self, QmpshStep *step);
gboolean qmpsh_sender_cancel (QmpshSender *self);
guint qmpsh_sender_get_inflight (QmpshSender *self);
gboolean qmpsh_sender_is_quitting (QmpshSender *self);
void qmpsh_sender_reset (QmpshSender *self);

G_END_DECLS
