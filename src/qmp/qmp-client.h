/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmp-protocol.h"

G_BEGIN_DECLS

/* QEMU's limit on in-band commands in flight when out-of-band is enabled */
#define QMP_CLIENT_OOB_INFLIGHT_MAX 8

#define QMP_TYPE_CLIENT (qmp_client_get_type ())
G_DECLARE_FINAL_TYPE (QmpClient, qmp_client, QMP, CLIENT, QmpProtocol)

/**
 * QmpExecuteFlags:
 * @QMP_EXECUTE_FLAG_NONE: an ordinary in-band command
 * @QMP_EXECUTE_FLAG_OOB: send with `exec-oob`
 */
typedef enum {
	QMP_EXECUTE_FLAG_NONE = 0,
	QMP_EXECUTE_FLAG_OOB = 1 << 0,
} QmpExecuteFlags;

QmpClient *qmp_client_new (void);

void qmp_client_set_negotiate (QmpClient *self, gboolean negotiate);
void qmp_client_set_greeting_timeout (QmpClient *self, guint msec);
void qmp_client_set_guest_agent (QmpClient *self, gboolean guest_agent);
void qmp_client_set_command_timeout (QmpClient *self, guint msec);
typedef void (*QmpClientEventFunc) (QmpClient *client, const gchar *name, QmpMessage *event,
				    gpointer user_data);
void qmp_client_set_event_func (QmpClient *self, QmpClientEventFunc func, gpointer user_data);

QmpMessage *qmp_client_get_greeting (QmpClient *self);
gboolean qmp_client_has_capability (QmpClient *self, const gchar *capability);
gboolean qmp_client_get_oob_enabled (QmpClient *self);
guint qmp_client_get_pending_count (QmpClient *self);

void qmp_client_execute_async (QmpClient *self, const gchar *name, JsonObject *arguments,
			       QmpExecuteFlags flags, GCancellable *cancellable,
			       GAsyncReadyCallback callback, gpointer user_data);
JsonNode *qmp_client_execute_finish (QmpClient *self, GAsyncResult *result, GError **error);

/**
 * QmpClientReplyFunc:
 * @reply: (transfer full) (nullable): the reply, a `return` or an `error`
 *   message; %NULL when none came
 * @error: (transfer full) (nullable): why none came (disconnected, timed
 *   out, cancelled)
 * @user_data: the data given to qmp_client_send()
 */
typedef void (*QmpClientReplyFunc) (QmpMessage *reply, GError *error, gpointer user_data);

void qmp_client_send (QmpClient *self, QmpMessage *command, GUnixFDList *fds,
		      GCancellable *cancellable, QmpClientReplyFunc func, gpointer user_data,
		      GDestroyNotify destroy);
void qmp_client_send_async (QmpClient *self, QmpMessage *command, GUnixFDList *fds,
			    GCancellable *cancellable, GAsyncReadyCallback callback,
			    gpointer user_data);
QmpMessage *qmp_client_send_finish (QmpClient *self, GAsyncResult *result, GError **error);

G_END_DECLS
