/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * What the two halves of QmpProtocol share and nothing else may use:
 * qmp-protocol.c (the object, its runstate, messages and teardown) and
 * qmp-protocol-connect.c (connecting, listening, accepting and setting up
 * the session).
 */

#pragma once

#include "qmp-protocol.h"
#include "qmp-reader.h"
#include "qmp-transport.h"
#include "qmp-writer.h"

G_BEGIN_DECLS

typedef struct {
	QmpRunstate runstate;
	gchar *name;
	gchar *address;
	gsize max_message_size;
	gboolean skip_delimiter;
	GMainContext *context;
	QmpTlsConfig *tls;

	QmpTransport *transport;
	GIOStream *stream;
	GSocket *socket; /* only for UNIX sockets: descriptors go through it */
	QmpReader *reader;
	QmpWriter *writer; /* any thread pushes, only the owning context writes */
	GArray *taps;	   /* (element-type QmpProtocolTap): who sees every message */
	guint last_tap_id;

	/* connecting */
	gboolean accepting; /* the peer dials in */
	GTask *connect_task;
	GCancellable *connect_cancellable;
	GSource *connect_cancel_source;
	guint connect_timeout; /* msec to connect in, ssh's set-up included; 0: no limit */
	GSource *connect_timer;

	/* disconnecting */
	GError *error; /* the first error that caused the disconnect */
	GPtrArray *disconnect_tasks;
	gboolean stopped;
} QmpProtocolPrivate;

#define GET_PRIVATE(o) (qmp_protocol_get_private (o))

G_GNUC_INTERNAL
QmpProtocolPrivate *qmp_protocol_get_private (QmpProtocol *self);
G_GNUC_INTERNAL
void qmp_protocol_set_runstate (QmpProtocol *self, QmpRunstate runstate);
G_GNUC_INTERNAL
gboolean qmp_protocol_check_state (QmpProtocol *self, QmpRunstate wanted, const gchar *what,
				   GError **error);
G_GNUC_INTERNAL
void qmp_protocol_start_io (QmpProtocol *self, GIOStream *stream);
G_GNUC_INTERNAL
void qmp_protocol_stop_io (QmpProtocol *self);
G_GNUC_INTERNAL
void qmp_protocol_complete_disconnects (QmpProtocol *self);

G_END_DECLS
