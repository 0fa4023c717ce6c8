/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * QmpRunstate:
 * @QMP_RUNSTATE_IDLE: no connection
 * @QMP_RUNSTATE_CONNECTING: connecting or accepting, then setting up the session
 * @QMP_RUNSTATE_RUNNING: the session is up; messages flow
 * @QMP_RUNSTATE_DISCONNECTING: tearing down, or torn down and waiting for
 *   qmp_protocol_disconnect_async() to report why
 *
 * Where a QmpProtocol's connection is in its life.
 */
typedef enum {
	QMP_RUNSTATE_IDLE,
	QMP_RUNSTATE_CONNECTING,
	QMP_RUNSTATE_RUNNING,
	QMP_RUNSTATE_DISCONNECTING,
} QmpRunstate;

#define QMP_TYPE_RUNSTATE (qmp_runstate_get_type ())
GType qmp_runstate_get_type (void) G_GNUC_CONST;
const gchar *qmp_runstate_to_string (QmpRunstate runstate);

G_END_DECLS
