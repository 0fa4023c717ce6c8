/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmp-client.h"
#include "qmp-schema.h"
#include "qmpsh-events.h"
#include "qmpsh-exit.h"
#include "qmpsh-format.h"
#include "qmpsh-introspect.h"
#include "qmpsh-options.h"
#include "qmpsh-parser.h"
#include "qmpsh-queue.h"

G_BEGIN_DECLS

#define QMPSH_TYPE_SESSION (qmpsh_session_get_type ())
G_DECLARE_FINAL_TYPE (QmpshSession, qmpsh_session, QMPSH, SESSION, GObject)

QmpshSession *qmpsh_session_new (QmpClient *client, gboolean interactive);
QmpClient *qmpsh_session_get_client (QmpshSession *self);
QmpshParser *qmpsh_session_get_parser (QmpshSession *self);
gboolean qmpsh_session_get_interactive (QmpshSession *self);
void qmpsh_session_apply_options (QmpshSession *self, const QmpshOptions *options,
				  GHashTable *aliases);
void qmpsh_session_set_hmp (QmpshSession *self, gboolean hmp);
void qmpsh_session_set_confirm (QmpshSession *self, gboolean confirm);
void qmpsh_session_set_pass_fds (QmpshSession *self, GArray *fds);
void qmpsh_session_set_exit_on_error (QmpshSession *self, gboolean on);
gboolean qmpsh_session_get_stopped (QmpshSession *self);
void qmpsh_session_set_read_only (QmpshSession *self, gboolean on);
gboolean qmpsh_session_get_read_only (QmpshSession *self);
void qmpsh_session_set_format (QmpshSession *self, QmpshFormatFlags format);
void qmpsh_session_set_raw (QmpshSession *self, gboolean on);
void qmpsh_session_set_show_events (QmpshSession *self, QmpshEventsShow show,
				    const gchar *const *patterns);
void qmpsh_session_set_window (QmpshSession *self, guint window);

/**
 * QmpshSessionFrontEnd:
 * @item: told what there is to say about a line, in input order
 * @event: (nullable): told each event to show, in arrival order, while events are shown
 * @ready: (nullable): told when something was answered: a busy session may take lines again
 * @sent: (nullable): told each command as it goes to the server (for `-v` at the prompt)
 *
 * What the one front end takes from the session, as it comes. Functions,
 * not signals: each runs for every command or event, hundreds of thousands
 * of times a second in a pipeline or a flood.
 */
typedef struct {
	void (*item) (const QmpshItem *item, gpointer user_data);
	void (*event) (QmpMessage *event, gpointer user_data);
	void (*ready) (gpointer user_data);
	void (*sent) (QmpMessage *command, gpointer user_data);
} QmpshSessionFrontEnd;

void qmpsh_session_set_front_end (QmpshSession *self, const QmpshSessionFrontEnd *front_end,
				  gpointer user_data);
QmpshIntrospect *qmpsh_session_get_introspect (QmpshSession *self);
QmpshEvents *qmpsh_session_get_events (QmpshSession *self);

void qmpsh_session_feed (QmpshSession *self, const gchar *text, guint lineno);
void qmpsh_session_set_where (QmpshSession *self, GRefString *where);
GRefString *qmpsh_session_get_where (QmpshSession *self);
gboolean qmpsh_session_is_busy (QmpshSession *self);
gboolean qmpsh_session_awaits_reply (QmpshSession *self);
void qmpsh_session_end_input (QmpshSession *self, guint lineno);
gboolean qmpsh_session_interrupt (QmpshSession *self);
void qmpsh_session_answer (QmpshSession *self, gboolean yes);
void qmpsh_session_reconnected (QmpshSession *self);
void qmpsh_session_close (QmpshSession *self);
void qmpsh_session_end (QmpshSession *self, QmpshExit status);
QmpshExit qmpsh_session_get_status (QmpshSession *self);
void qmpsh_session_raise_status (QmpshSession *self, QmpshExit status);

/* for the built-ins */
void qmpsh_session_say (QmpshSession *self, QmpshItemKind kind, guint lineno, gchar *text);
void qmpsh_session_act (QmpshSession *self, guint lineno, const gchar *name, gboolean barrier,
			QmpshStepFunc func, gpointer data, GDestroyNotify destroy);
void qmpsh_session_finish (QmpshSession *self, QmpshStep *step, QmpshItemKind kind, gchar *text,
			   QmpMessage *message, gboolean failed);
void qmpsh_session_poke (QmpshSession *self);
gboolean qmpsh_session_is_lost (QmpshSession *self);

G_END_DECLS
