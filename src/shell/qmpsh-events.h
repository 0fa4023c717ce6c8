/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmp-message.h"

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
QmpMessage *qmpsh_events_take (QmpshEvents *self, const gchar *name);

G_END_DECLS
