/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define QMP_SSH_ERROR qmp_ssh_stream_error_quark ()

/**
 * QmpSshError:
 * @QMP_SSH_ERROR_SPAWN: ssh could not be started
 * @QMP_SSH_ERROR_CONNECT: ssh could not reach the host: no such host, nothing
 *   listening, no route, or the connection closed before login
 * @QMP_SSH_ERROR_HOST_KEY: the host's key is not known, or has changed
 * @QMP_SSH_ERROR_AUTH: the server let ssh not log in
 * @QMP_SSH_ERROR_NO_SOCKET: logged in, but the socket on the far side could not be
 *   opened: there is none, or the user may not open it
 * @QMP_SSH_ERROR_FORWARDING: the server allows no forwarding to UNIX sockets
 * @QMP_SSH_ERROR_FAILED: ssh failed otherwise; the message holds what it said
 *
 * Why an `ssh://` connection failed, as ssh told it.
 */
typedef enum {
	QMP_SSH_ERROR_SPAWN,
	QMP_SSH_ERROR_CONNECT,
	QMP_SSH_ERROR_HOST_KEY,
	QMP_SSH_ERROR_AUTH,
	QMP_SSH_ERROR_NO_SOCKET,
	QMP_SSH_ERROR_FORWARDING,
	QMP_SSH_ERROR_FAILED,
} QmpSshError;

GQuark qmp_ssh_stream_error_quark (void);

#define QMP_TYPE_SSH_STREAM (qmp_ssh_stream_get_type ())
G_DECLARE_FINAL_TYPE (QmpSshStream, qmp_ssh_stream, QMP, SSH_STREAM, GIOStream)

void qmp_ssh_stream_connect_async (const gchar *address, const gchar *const *ssh_command,
				   GCancellable *cancellable, GAsyncReadyCallback callback,
				   gpointer user_data);
GIOStream *qmp_ssh_stream_connect_finish (GAsyncResult *result,
					  GError **error) G_GNUC_WARN_UNUSED_RESULT;
GError *qmp_ssh_stream_diagnose (QmpSshStream *self);

G_END_DECLS
