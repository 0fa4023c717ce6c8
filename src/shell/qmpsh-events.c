/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-events.h"

#include <string.h>

/* events kept; older ones are dropped first */
#define QMPSH_EVENTS_KEPT 1024

/* a ring: a flood keeps the last ones without a list node and its allocation an event */
struct _QmpshEvents {
	QmpMessage *kept[QMPSH_EVENTS_KEPT];
	guint first; /* the oldest */
	guint count;
};

#define KEPT(self, i) ((self)->kept[((self)->first + (i)) % QMPSH_EVENTS_KEPT])

QmpshEvents *
qmpsh_events_new (void)
{
	return g_new0 (QmpshEvents, 1);
}

void
qmpsh_events_free (QmpshEvents *self)
{
	if (self == NULL)
		return;
	qmpsh_events_forget (self);
	g_free (self);
}

/**
 * qmpsh_events_keep:
 * @self: the events
 * @event: an event that came
 */
void
qmpsh_events_keep (QmpshEvents *self, QmpMessage *event)
{
	if (self->count == QMPSH_EVENTS_KEPT) {
		qmp_message_unref (KEPT (self, 0));
		self->first = (self->first + 1) % QMPSH_EVENTS_KEPT;
		self->count--;
	}
	KEPT (self, self->count) = qmp_message_ref (event);
	self->count++;
}

/**
 * qmpsh_events_forget:
 * @self: the events
 *
 * A command was sent: what a wait looks at starts from here.
 */
void
qmpsh_events_forget (QmpshEvents *self)
{
	for (guint i = 0; i < self->count; i++)
		g_clear_pointer (&KEPT (self, i), qmp_message_unref);
	self->first = 0;
	self->count = 0;
}

/**
 * qmpsh_events_take:
 * @self: the events
 * @name: an event's name
 *
 * Returns: (transfer full) (nullable): the first event @name kept, taken out
 *   so that it answers one wait only
 */
QmpMessage *
qmpsh_events_take (QmpshEvents *self, const gchar *name, const gchar *const *where)
{
	for (guint i = 0; i < self->count; i++) {
		QmpMessage *event = KEPT (self, i);

		if (!qmpsh_events_match (event, name, where))
			continue;
		/* the newer ones move up a slot; a wait is rare, a flood is not */
		for (guint j = i; j + 1 < self->count; j++)
			KEPT (self, j) = KEPT (self, j + 1);
		self->count--;
		return event;
	}
	return NULL;
}

/* the member of @node at the dotted @path, or NULL */
static JsonNode *
member_at (JsonNode *node, const gchar *path, gsize len)
{
	while (node != NULL && len > 0) {
		const gchar *dot = memchr (path, '.', len);
		gsize n = dot != NULL ? (gsize)(dot - path) : len;
		g_autofree gchar *key = g_strndup (path, n);

		if (!JSON_NODE_HOLDS_OBJECT (node))
			return NULL;
		node = json_object_get_member (json_node_get_object (node), key);
		path += n;
		len -= n;
		if (dot != NULL) {
			path++;
			len--;
		}
	}
	return node;
}

/* a string member is its text; any other value is its JSON (1, true, null) */
static gboolean
value_is (JsonNode *node, const gchar *text)
{
	g_autofree gchar *json = NULL;

	if (node == NULL || JSON_NODE_HOLDS_OBJECT (node) || JSON_NODE_HOLDS_ARRAY (node))
		return FALSE;
	if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
		return g_strcmp0 (json_node_get_string (node), text) == 0;
	json = json_to_string (node, FALSE);
	return g_strcmp0 (json, text) == 0;
}

/**
 * qmpsh_events_match:
 * @event: an event
 * @name: the name it must have
 * @where: (nullable) (array zero-terminated=1): `KEY=VALUE` each, KEY a
 *   dotted path into the event's data: each must hold
 *
 * Returns: whether @event is the one wanted
 */
gboolean
qmpsh_events_match (QmpMessage *event, const gchar *name, const gchar *const *where)
{
	JsonObject *object;
	JsonNode *data;

	if (g_strcmp0 (qmp_message_get_event_name (event), name) != 0)
		return FALSE;
	if (where == NULL || where[0] == NULL)
		return TRUE;
	object = qmp_message_get_object (event);
	data = object != NULL ? json_object_get_member (object, "data") : NULL;
	for (guint i = 0; where[i] != NULL; i++) {
		const gchar *eq = strchr (where[i], '=');
		if (eq == NULL || !value_is (member_at (data, where[i], eq - where[i]), eq + 1))
			return FALSE;
	}
	return TRUE;
}

/**
 * qmpsh_events_shown:
 * @show: which are shown
 * @patterns: (nullable) (array zero-terminated=1): glob patterns, upper case
 * @name: an event's name
 *
 * Returns: whether the event is shown
 */
gboolean
qmpsh_events_shown (QmpshEventsShow show, const gchar *const *patterns, const gchar *name)
{
	gboolean matched = FALSE;

	if (show == QMPSH_EVENTS_NONE || show == QMPSH_EVENTS_ALL)
		return show == QMPSH_EVENTS_ALL;
	for (guint i = 0; name != NULL && patterns != NULL && patterns[i] != NULL && !matched; i++)
		matched = g_pattern_match_simple (patterns[i], name);
	return show == QMPSH_EVENTS_ONLY ? matched : !matched;
}
