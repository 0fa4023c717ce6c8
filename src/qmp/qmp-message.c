/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmp-message.h"
#include "qmp-error.h"

#include <string.h>

struct _QmpMessage {
	gint refcount;
	gchar *text;
	gsize len;
	JsonNode *root;
	JsonObject *object; /* owned by root */
	QmpMessageKind kind;
};

G_DEFINE_BOXED_TYPE (QmpMessage, qmp_message, qmp_message_ref, qmp_message_unref)

static QmpMessageKind
qmp_message_classify (JsonObject *object)
{
	if (json_object_has_member (object, "event"))
		return QMP_MESSAGE_KIND_EVENT;
	if (json_object_has_member (object, "return"))
		return QMP_MESSAGE_KIND_RETURN;
	if (json_object_has_member (object, "error"))
		return QMP_MESSAGE_KIND_ERROR;
	if (json_object_has_member (object, "QMP"))
		return QMP_MESSAGE_KIND_GREETING;
	if (json_object_has_member (object, "execute") ||
	    json_object_has_member (object, "exec-oob"))
		return QMP_MESSAGE_KIND_COMMAND;
	return QMP_MESSAGE_KIND_UNKNOWN;
}

/**
 * qmp_message_new_take:
 * @text: (transfer full): the text of one JSON object, NUL-terminated
 * @len: its length in bytes
 * @error: a #GError, or %NULL
 *
 * Parses one message, keeping its text.
 *
 * Returns: (transfer full): a message, or %NULL with a %QMP_ERROR_PROTOCOL error
 */
QmpMessage *
qmp_message_new_take (gchar *text, gsize len, GError **error)
{
	g_autofree gchar *owned = text;
	g_autoptr (JsonParser) parser = json_parser_new_immutable ();
	g_autoptr (GError) error_local = NULL;
	QmpMessage *self;
	JsonNode *root;

	if (memchr (text, '\0', len) != NULL) {
		g_set_error_literal (error, QMP_ERROR, QMP_ERROR_PROTOCOL,
				     "malformed JSON: a NUL byte inside a message");
		return NULL;
	}
	if (!json_parser_load_from_data (parser, text, len, &error_local)) {
		g_set_error (error, QMP_ERROR, QMP_ERROR_PROTOCOL, "malformed JSON: %s",
			     error_local->message);
		return NULL;
	}
	root = json_parser_get_root (parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
		g_set_error_literal (error, QMP_ERROR, QMP_ERROR_PROTOCOL,
				     "malformed message: not a JSON object");
		return NULL;
	}

	self = g_new0 (QmpMessage, 1);
	self->refcount = 1;
	self->text = g_steal_pointer (&owned);
	self->len = len;
	self->root = json_node_ref (root);
	self->object = json_node_get_object (root);
	self->kind = qmp_message_classify (self->object);
	return self;
}

/**
 * qmp_message_new_from_data:
 * @text: the text of one JSON object
 * @len: its length, or -1 if NUL-terminated
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full): a message, or %NULL with a %QMP_ERROR_PROTOCOL error
 */
QmpMessage *
qmp_message_new_from_data (const gchar *text, gssize len, GError **error)
{
	gsize n = len < 0 ? strlen (text) : (gsize)len;
	gchar *copy = g_malloc (n + 1);
	memcpy (copy, text, n);
	copy[n] = '\0';
	return qmp_message_new_take (copy, n, error);
}

QmpMessage *
qmp_message_ref (QmpMessage *self)
{
	g_return_val_if_fail (self != NULL, NULL);
	g_atomic_int_inc (&self->refcount);
	return self;
}

void
qmp_message_unref (QmpMessage *self)
{
	if (self == NULL || !g_atomic_int_dec_and_test (&self->refcount))
		return;
	json_node_unref (self->root);
	g_free (self->text);
	g_free (self);
}

/**
 * qmp_message_get_text:
 * @self: a message
 *
 * Returns: the message exactly as it crossed the wire, NUL-terminated
 */
const gchar *
qmp_message_get_text (QmpMessage *self)
{
	return self->text;
}

gsize
qmp_message_get_length (QmpMessage *self)
{
	return self->len;
}

/**
 * qmp_message_get_object:
 * @self: a message
 *
 * Returns: (transfer none): the parsed object; integers beyond gint64 are not
 *   exact in it, so print qmp_message_get_text() instead
 */
JsonObject *
qmp_message_get_object (QmpMessage *self)
{
	return self->object;
}

QmpMessageKind
qmp_message_get_kind (QmpMessage *self)
{
	return self->kind;
}

/**
 * qmp_message_get_id:
 * @self: a message
 *
 * Returns: (transfer none) (nullable): the `id` member
 */
JsonNode *
qmp_message_get_id (QmpMessage *self)
{
	return json_object_get_member (self->object, "id");
}

/**
 * qmp_json_node_key:
 * @node: any JSON value
 *
 * Returns: (transfer full): a canonical text for @node, to match an `id` in a
 *   reply with the one its command carried
 */
gchar *
qmp_json_node_key (JsonNode *node)
{
	return json_to_string (node, FALSE);
}

/**
 * qmp_message_dup_id_key:
 * @self: a message
 *
 * Returns: (transfer full) (nullable): qmp_json_node_key() of the `id`, or %NULL
 */
gchar *
qmp_message_dup_id_key (QmpMessage *self)
{
	JsonNode *id = qmp_message_get_id (self);
	return id != NULL ? qmp_json_node_key (id) : NULL;
}

static const gchar *
qmp_message_get_string_member (QmpMessage *self, const gchar *name)
{
	JsonNode *node = json_object_get_member (self->object, name);
	if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string (node);
}

/**
 * qmp_message_get_event_name:
 * @self: a message
 *
 * Returns: (nullable): the event's name, or %NULL if this is not an event
 */
const gchar *
qmp_message_get_event_name (QmpMessage *self)
{
	return qmp_message_get_string_member (self, "event");
}

/**
 * qmp_message_get_command_name:
 * @self: a message
 *
 * Returns: (nullable): the command's name (`execute` or `exec-oob`)
 */
const gchar *
qmp_message_get_command_name (QmpMessage *self)
{
	const gchar *name = qmp_message_get_string_member (self, "execute");
	return name != NULL ? name : qmp_message_get_string_member (self, "exec-oob");
}

/**
 * qmp_message_with_id:
 * @self: a message that has no `id`
 * @id_text: the JSON text of the id to add
 *
 * Adds an `id` without reformatting the rest of the text, so every number
 * the user wrote reaches the server as written.
 *
 * Returns: (transfer full): a new message
 */
QmpMessage *
qmp_message_with_id (QmpMessage *self, const gchar *id_text)
{
	const gchar *brace = memchr (self->text, '{', self->len);
	gsize head;
	GString *text;
	gboolean empty;

	g_return_val_if_fail (brace != NULL, NULL);
	head = brace - self->text + 1;
	empty = json_object_get_size (self->object) == 0;
	text = g_string_sized_new (self->len + strlen (id_text) + 8);
	g_string_append_len (text, self->text, head);
	g_string_append_printf (text, "\"id\":%s%s", id_text, empty ? "" : ",");
	g_string_append_len (text, self->text + head, self->len - head);
	{
		gsize len = text->len;
		return qmp_message_new_take (g_string_free (text, FALSE), len, NULL);
	}
}
