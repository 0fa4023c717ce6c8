/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmp-message.h"
#include "qmpsh-format.h"

G_BEGIN_DECLS

/**
 * QmpshEvents:
 *
 * The events that came since the last command was sent, for `.wait-event`:
 * one that came before the wait began still counts, so a wait is race-free.
 */
typedef struct _QmpshEvents QmpshEvents;

QmpshEvents *qmpsh_events_new (void);
void qmpsh_events_free (QmpshEvents *self);
void qmpsh_events_keep (QmpshEvents *self, QmpMessage *event);
void qmpsh_events_forget (QmpshEvents *self);
QmpMessage *qmpsh_events_take (QmpshEvents *self, const gchar *name, const gchar *const *where);

/**
 * QmpshEventsShow:
 * @QMPSH_EVENTS_NONE: no event is shown
 * @QMPSH_EVENTS_ALL: every event is
 * @QMPSH_EVENTS_ONLY: those whose name matches one of the patterns
 * @QMPSH_EVENTS_MUTE: all but those
 *
 * Which events are shown as they come (`.events`, `--events`).
 */
typedef enum {
	QMPSH_EVENTS_NONE,
	QMPSH_EVENTS_ALL,
	QMPSH_EVENTS_ONLY,
	QMPSH_EVENTS_MUTE,
} QmpshEventsShow;

gboolean qmpsh_events_shown (QmpshEventsShow show, const gchar *const *patterns, const gchar *name);
gboolean qmpsh_events_match (QmpMessage *event, const gchar *name, const gchar *const *where);

/**
 * QmpshEventClock:
 * @valid: whether @second and @hms hold anything yet
 * @second: the last second an event line was stamped with
 * @hms: its local time of day
 *
 * A flood's events share a few seconds; the time zone is worked out once each.
 */
typedef struct {
	gboolean valid;
	gint64 second;
	gchar hms[16];
} QmpshEventClock;

void qmpsh_events_format_line (GString *out, QmpMessage *event, QmpshFormatFlags format,
			       QmpshEventClock *clock);

G_END_DECLS
