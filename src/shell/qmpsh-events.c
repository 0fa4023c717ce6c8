/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-events.h"
#include "qmp-json.h"

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

/* ------------------------------------------------------------------------ */
/* an event on one line */

#define COLOR_EVENT "\033[1;35m"
#define COLOR_RESET "\033[0m"

typedef struct {
	const gchar *stamp;
	gsize stamp_len;
	const gchar *data;
	gsize data_len;
} EventParts;

static gboolean
event_parts_cb (const QmpJsonMember *member, gpointer user_data)
{
	EventParts *parts = user_data;

	if (qmp_json_key_is (member, "timestamp")) {
		parts->stamp = member->value;
		parts->stamp_len = member->value_len;
	} else if (qmp_json_key_is (member, "data")) {
		parts->data = member->value;
		parts->data_len = member->value_len;
	}
	return TRUE;
}

static gboolean
event_stamp_cb (const QmpJsonMember *member, gpointer user_data)
{
	gint64 *stamp = user_data; /* seconds, microseconds */
	gint64 *field = qmp_json_key_is (member, "seconds")	   ? &stamp[0]
			: qmp_json_key_is (member, "microseconds") ? &stamp[1]
								   : NULL;

	/* a number, as QEMU sends it; anything else counts as 0 */
	if (field != NULL && (g_ascii_isdigit (member->value[0]) || member->value[0] == '-'))
		*field = g_ascii_strtoll (member->value, NULL, 10);
	return TRUE;
}

/**
 * qmpsh_events_format_line:
 * @out: where the line goes, without its newline
 * @event: an event
 * @format: %QMPSH_FORMAT_COLOR colours the name; the data is always compact
 * @clock: the time of day of the last line's second
 *
 * Local time to the millisecond, the name, and the data as it came, numbers
 * exact. Only the message's text is read: nothing is parsed into a tree.
 */
void
qmpsh_events_format_line (GString *out, QmpMessage *event, QmpshFormatFlags format,
			  QmpshEventClock *clock)
{
	const gchar *text = qmp_message_get_text (event);
	EventParts parts = { NULL, 0, NULL, 0 };

	qmp_json_foreach_member (text, qmp_message_get_length (event), event_parts_cb, &parts);
	if (parts.stamp != NULL && parts.stamp[0] == '{') {
		gint64 stamp[2] = { 0, 0 };

		qmp_json_foreach_member (parts.stamp, parts.stamp_len, event_stamp_cb, stamp);
		if (!clock->valid || clock->second != stamp[0]) {
			g_autoptr (GDateTime) t = g_date_time_new_from_unix_local (stamp[0]);
			g_autofree gchar *hms =
				t != NULL ? g_date_time_format (t, "%H:%M:%S") : NULL;

			g_strlcpy (clock->hms, hms != NULL ? hms : "??:??:??", sizeof clock->hms);
			clock->second = stamp[0];
			clock->valid = TRUE;
		}
		g_string_append_printf (out, "%s.%03d ", clock->hms, (int)(stamp[1] / 1000));
	}
	if (format & QMPSH_FORMAT_COLOR)
		g_string_append (out, COLOR_EVENT);
	g_string_append (out, qmp_message_get_event_name (event));
	if (format & QMPSH_FORMAT_COLOR)
		g_string_append (out, COLOR_RESET);
	if (parts.data != NULL) {
		g_string_append_c (out, ' ');
		qmpsh_format_json (out, parts.data, parts.data_len,
				   format & ~(QMPSH_FORMAT_PRETTY | QMPSH_FORMAT_DROP_ID));
	}
}
