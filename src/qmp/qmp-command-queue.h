/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gio/gunixfdlist.h>

#include "qmp-message.h"

G_BEGIN_DECLS

/* sends one command, with its descriptors; FALSE with @error when it cannot go */
typedef gboolean (*QmpCommandQueueSendFunc) (QmpMessage *command, GUnixFDList *fds,
					     gpointer user_data, GError **error);

/**
 * QmpCommandQueueReplyFunc:
 * @reply: (transfer full) (nullable): the reply, or %NULL when none came
 * @error: (transfer full) (nullable): why none came
 * @user_data: the data given with the command
 *
 * Told once what became of a command, in the command's main context and
 * never from inside the call that submitted it.
 */
typedef void (*QmpCommandQueueReplyFunc) (QmpMessage *reply, GError *error, gpointer user_data);

/**
 * QmpCommandQueue:
 *
 * The commands of one session that wait for their replies: each gets an
 * `id` unless it has one, goes out when it may, and is matched with its
 * reply by that id. With out-of-band execution on, only so many in-band
 * commands are in flight and the rest wait, in order; a command with
 * descriptors goes alone. A command whose
 * time is up, or whose caller cancelled, is answered with that at once,
 * and its reply is dropped when it comes.
 */
typedef struct _QmpCommandQueue QmpCommandQueue;

QmpCommandQueue *qmp_command_queue_new (guint oob_inflight_max, QmpCommandQueueSendFunc send,
					gpointer user_data);
void qmp_command_queue_free (QmpCommandQueue *self);
void qmp_command_queue_set_oob (QmpCommandQueue *self, gboolean oob_enabled);
void qmp_command_queue_submit (QmpCommandQueue *self, GMainContext *context,
			       GCancellable *cancellable, QmpCommandQueueReplyFunc func,
			       gpointer user_data, GDestroyNotify destroy, QmpMessage *command,
			       GUnixFDList *fds, guint timeout_msec);
void qmp_command_queue_refuse (GMainContext *context, QmpCommandQueueReplyFunc func,
			       gpointer user_data, GError *error);
gboolean qmp_command_queue_route_reply (QmpCommandQueue *self, QmpMessage *reply);
void qmp_command_queue_fail_all (QmpCommandQueue *self, const GError *reason);
guint qmp_command_queue_get_length (QmpCommandQueue *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmpCommandQueue, qmp_command_queue_free)

G_END_DECLS
