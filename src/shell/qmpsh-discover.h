/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * QmpshDiscoverKind:
 * @QMPSH_DISCOVER_KIND_QEMU: a QMP monitor of QEMU (qemu-system-*)
 * @QMPSH_DISCOVER_KIND_STORAGE_DAEMON: a QMP monitor of qemu-storage-daemon
 * @QMPSH_DISCOVER_KIND_GUEST_AGENT: a guest agent: qemu-ga listening on the host, or
 *   the host end of a VM's org.qemu.guest_agent.0 port
 *
 * What speaks on an endpoint.
 */
typedef enum {
	QMPSH_DISCOVER_KIND_QEMU,
	QMPSH_DISCOVER_KIND_STORAGE_DAEMON,
	QMPSH_DISCOVER_KIND_GUEST_AGENT,
} QmpshDiscoverKind;

/**
 * QmpshDiscoverBusy:
 * @QMPSH_DISCOVER_BUSY_UNKNOWN: the system does not say
 * @QMPSH_DISCOVER_BUSY_FREE: no client holds it
 * @QMPSH_DISCOVER_BUSY_HELD: a client holds it: another one gets no greeting until it leaves
 */
typedef enum {
	QMPSH_DISCOVER_BUSY_UNKNOWN,
	QMPSH_DISCOVER_BUSY_FREE,
	QMPSH_DISCOVER_BUSY_HELD,
} QmpshDiscoverBusy;

/**
 * QmpshDiscoverEndpoint:
 * @name: (nullable): the VM's `-name`, or the libvirt domain's
 * @pid: the process serving it, or 0 when not known
 * @kind: what speaks there
 * @address: where to connect: a socket path or HOST:PORT, as qmpsh takes it
 * @busy: whether a client holds it
 *
 * One QMP (or guest agent) endpoint found on this machine.
 */
typedef struct {
	gchar *name;
	gint pid;
	QmpshDiscoverKind kind;
	gchar *address;
	QmpshDiscoverBusy busy;
} QmpshDiscoverEndpoint;

QmpshDiscoverEndpoint *qmpsh_discover_endpoint_new (const gchar *name, gint pid,
						    QmpshDiscoverKind kind, const gchar *address);
void qmpsh_discover_endpoint_free (QmpshDiscoverEndpoint *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmpshDiscoverEndpoint, qmpsh_discover_endpoint_free)

const gchar *qmpsh_discover_kind_to_string (QmpshDiscoverKind kind);
GPtrArray *qmpsh_discover_find_all (void) G_GNUC_WARN_UNUSED_RESULT;
gboolean qmpsh_discover_is_name (const gchar *word);
gchar *qmpsh_discover_explain_silence (const gchar *address) G_GNUC_WARN_UNUSED_RESULT;
gchar *qmpsh_discover_resolve (GPtrArray *endpoints, const gchar *name, gboolean guest_agent,
			       GError **error) G_GNUC_WARN_UNUSED_RESULT;
gchar *qmpsh_discover_to_json (GPtrArray *endpoints) G_GNUC_WARN_UNUSED_RESULT;
gchar *qmpsh_discover_to_names (GPtrArray *endpoints,
				gboolean guest_agent) G_GNUC_WARN_UNUSED_RESULT;
gchar *qmpsh_discover_to_table (GPtrArray *endpoints) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
