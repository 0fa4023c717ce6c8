/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-events.h"

/* events kept; older ones are dropped first */
#define QMPSH_EVENTS_KEPT 1024

struct _QmpshEvents {
	GQueue kept; /* QmpMessage, oldest first */
};

QmpshEvents *
qmpsh_events_new (void)
{
	QmpshEvents *self = g_new0 (QmpshEvents, 1);
	g_queue_init (&self->kept);
	return self;
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
	g_queue_push_tail (&self->kept, qmp_message_ref (event));
	if (self->kept.length > QMPSH_EVENTS_KEPT)
		qmp_message_unref (g_queue_pop_head (&self->kept));
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
	g_queue_clear_full (&self->kept, (GDestroyNotify)qmp_message_unref);
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
qmpsh_events_take (QmpshEvents *self, const gchar *name)
{
	for (GList *l = self->kept.head; l != NULL; l = l->next) {
		QmpMessage *event = l->data;
		if (g_strcmp0 (qmp_message_get_event_name (event), name) == 0) {
			g_queue_delete_link (&self->kept, l);
			return event;
		}
	}
	return NULL;
}
