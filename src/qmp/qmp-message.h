/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "qmp-scan.h"

G_BEGIN_DECLS

/**
 * QmpMessageKind:
 * @QMP_MESSAGE_KIND_UNKNOWN: none of the below; routed nowhere
 * @QMP_MESSAGE_KIND_GREETING: the server's `{"QMP": ...}` greeting
 * @QMP_MESSAGE_KIND_RETURN: a successful reply
 * @QMP_MESSAGE_KIND_ERROR: an error reply
 * @QMP_MESSAGE_KIND_EVENT: an asynchronous event
 * @QMP_MESSAGE_KIND_COMMAND: a command, as a client sends it
 */
typedef enum {
	QMP_MESSAGE_KIND_UNKNOWN,
	QMP_MESSAGE_KIND_GREETING,
	QMP_MESSAGE_KIND_RETURN,
	QMP_MESSAGE_KIND_ERROR,
	QMP_MESSAGE_KIND_EVENT,
	QMP_MESSAGE_KIND_COMMAND,
} QmpMessageKind;

#define QMP_TYPE_MESSAGE (qmp_message_get_type ())

/**
 * QmpMessage:
 *
 * One QMP message: its text exactly as it crossed the wire, what routing
 * needs of it (kind, id, name), and the JSON object, parsed when first asked
 * for. The text is the authority for printing, because json-glib keeps
 * integers as gint64 and reformats doubles. Reference counted; not to be
 * shared between threads before its object has been asked for.
 */
typedef struct _QmpMessage QmpMessage;

GType qmp_message_get_type (void) G_GNUC_CONST;
QmpMessage *qmp_message_new_from_data (const gchar *text, gssize len, GError **error);
QmpMessage *qmp_message_new_take (gchar *text, gsize len, GError **error);
QmpMessage *qmp_message_new_scanned (const QmpScan *scan);
QmpMessage *qmp_message_new_command (gchar *text, const gchar *name, gboolean oob);
QmpMessage *qmp_message_ref (QmpMessage *self);
void qmp_message_unref (QmpMessage *self);

const gchar *qmp_message_get_text (QmpMessage *self);
gsize qmp_message_get_length (QmpMessage *self);
JsonObject *qmp_message_get_object (QmpMessage *self);
QmpMessageKind qmp_message_get_kind (QmpMessage *self);
const gchar *qmp_message_get_id_key (QmpMessage *self);
gchar *qmp_message_dup_id_key (QmpMessage *self);
const gchar *qmp_message_get_event_name (QmpMessage *self);
const gchar *qmp_message_get_command_name (QmpMessage *self);
QmpMessage *qmp_message_with_id (QmpMessage *self, const gchar *id_text);
gboolean qmp_message_is_oob (QmpMessage *self);
gboolean qmp_message_is_compact (QmpMessage *self);
gboolean qmp_message_get_id_cut (QmpMessage *self, gsize *start, gsize *end);

gboolean qmp_message_has_id (QmpMessage *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmpMessage, qmp_message_unref)

G_END_DECLS
