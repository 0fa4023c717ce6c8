/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define QMP_ERROR qmp_error_quark ()

/**
 * QmpError:
 * @QMP_ERROR_PROTOCOL: the peer broke the protocol: garbage, a message that is
 *   not a JSON object or nests too deep, a malformed greeting
 * @QMP_ERROR_STATE: the call is not valid in the current runstate
 * @QMP_ERROR_DISCONNECTED: the connection went away before the command was answered
 * @QMP_ERROR_TIMEOUT: the peer did not answer in time
 * @QMP_ERROR_UNSUPPORTED: the operation is not possible on this connection
 * @QMP_ERROR_MESSAGE_TOO_LARGE: a message from the peer is larger than the
 *   limit set with qmp_protocol_set_max_message_size(); the message says the limit
 * @QMP_ERROR_NOT_QMP: the peer's first message is not a QMP greeting: it is no
 *   QMP monitor, or one that takes no negotiation, such as the guest agent
 *
 * The error domain of the protocol library; TLS has its own, %QMP_TLS_ERROR,
 * and a command the server refused %QMP_COMMAND_ERROR.
 */
typedef enum {
	QMP_ERROR_PROTOCOL,
	QMP_ERROR_STATE,
	QMP_ERROR_DISCONNECTED,
	QMP_ERROR_TIMEOUT,
	QMP_ERROR_UNSUPPORTED,
	QMP_ERROR_MESSAGE_TOO_LARGE,
	QMP_ERROR_NOT_QMP,
} QmpError;

GQuark qmp_error_quark (void);

G_END_DECLS
