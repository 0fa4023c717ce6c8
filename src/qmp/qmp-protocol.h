/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gio/gunixfdlist.h>

#include "qmp-address.h"
#include "qmp-message.h"
#include "qmp-runstate.h"
#include "qmp-scan.h"
#include "qmp-tls.h"

G_BEGIN_DECLS

#define QMP_TYPE_PROTOCOL (qmp_protocol_get_type ())
G_DECLARE_DERIVABLE_TYPE (QmpProtocol, qmp_protocol, QMP, PROTOCOL, GObject)

/**
 * QmpProtocolClass:
 * @receive: turns one framed message into a message: its @text, or, when
 *   @text is %NULL, what the framer's scan learnt of it; the default checks
 *   the text as a JSON object
 * @send: queues one message, with file descriptors to pass along it; the
 *   default pushes it on the writer's queue
 * @route: handles one incoming message; called in arrival order
 * @establish_session_async: sets up the session once the stream is open (the
 *   greeting and negotiation for QMP); the default does nothing
 * @establish_session_finish: finishes @establish_session_async
 * @stopped: the reader and writer have stopped; @reason says why, or is
 *   %NULL when the user asked to disconnect
 *
 * The virtual methods of the protocol, after the asynchronous protocol of
 * QEMU's Python package.
 */
struct _QmpProtocolClass {
	GObjectClass parent_class;

	QmpMessage *(*receive) (QmpProtocol *self, gchar *text, gsize len, const QmpScan *scan,
				GError **error);
	gboolean (*send) (QmpProtocol *self, QmpMessage *message, GUnixFDList *fds, GError **error);
	void (*route) (QmpProtocol *self, QmpMessage *message);
	void (*establish_session_async) (QmpProtocol *self, GCancellable *cancellable,
					 GAsyncReadyCallback callback, gpointer user_data);
	gboolean (*establish_session_finish) (QmpProtocol *self, GAsyncResult *result,
					      GError **error);
	void (*stopped) (QmpProtocol *self, const GError *reason);

	gpointer padding[8];
};

QmpRunstate qmp_protocol_get_runstate (QmpProtocol *self);
const gchar *qmp_protocol_get_name (QmpProtocol *self);
void qmp_protocol_set_name (QmpProtocol *self, const gchar *name);
void qmp_protocol_set_max_message_size (QmpProtocol *self, gsize max_size);
void qmp_protocol_set_connect_timeout (QmpProtocol *self, guint msec);
gboolean qmp_protocol_can_pass_fds (QmpProtocol *self);
GPid qmp_protocol_get_peer_pid (QmpProtocol *self);
void qmp_protocol_set_skip_delimiter (QmpProtocol *self, gboolean skip);
void qmp_protocol_set_tls (QmpProtocol *self, QmpTlsConfig *config);
void qmp_protocol_set_ssh_command (QmpProtocol *self, const gchar *const *argv);
QmpTlsConfig *qmp_protocol_get_tls (QmpProtocol *self);

void qmp_protocol_connect_async (QmpProtocol *self, const gchar *address, GCancellable *cancellable,
				 GAsyncReadyCallback callback, gpointer user_data);
gboolean qmp_protocol_connect_finish (QmpProtocol *self, GAsyncResult *result, GError **error);
void qmp_protocol_open_async (QmpProtocol *self, GIOStream *stream, const gchar *name,
			      GCancellable *cancellable, GAsyncReadyCallback callback,
			      gpointer user_data);

gboolean qmp_protocol_listen (QmpProtocol *self, const gchar *address, GError **error);
gchar *qmp_protocol_dup_listen_address (QmpProtocol *self);
void qmp_protocol_accept_async (QmpProtocol *self, GCancellable *cancellable,
				GAsyncReadyCallback callback, gpointer user_data);
gboolean qmp_protocol_accept_finish (QmpProtocol *self, GAsyncResult *result, GError **error);

void qmp_protocol_disconnect_async (QmpProtocol *self, GCancellable *cancellable,
				    GAsyncReadyCallback callback, gpointer user_data);
gboolean qmp_protocol_disconnect_finish (QmpProtocol *self, GAsyncResult *result, GError **error);

gboolean qmp_protocol_send (QmpProtocol *self, QmpMessage *message, GUnixFDList *fds,
			    GError **error);

/**
 * QmpDirection:
 * @QMP_DIRECTION_IN: a message from the peer, before it is routed
 * @QMP_DIRECTION_OUT: a message to the peer, as it is queued for the writer
 */
typedef enum {
	QMP_DIRECTION_IN,
	QMP_DIRECTION_OUT,
} QmpDirection;

/**
 * QmpProtocolTapFunc:
 * @self: the protocol
 * @direction: which way @message goes
 * @message: the message
 * @user_data: the data given to qmp_protocol_add_tap()
 *
 * Sees every message, either way, as it goes: for transcripts and raw views.
 */
typedef void (*QmpProtocolTapFunc) (QmpProtocol *self, QmpDirection direction, QmpMessage *message,
				    gpointer user_data);

guint qmp_protocol_add_tap (QmpProtocol *self, QmpProtocolTapFunc func, gpointer user_data);
void qmp_protocol_remove_tap (QmpProtocol *self, guint id);

G_END_DECLS
