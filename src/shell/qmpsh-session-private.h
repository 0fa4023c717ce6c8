/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/* What the files of QmpshSession share: qmpsh-session.c, qmpsh-session-command.c */

#pragma once

#include "qmpsh-events.h"
#include "qmpsh-introspect.h"
#include "qmpsh-queue.h"
#include "qmpsh-sender.h"
#include "qmpsh-session.h"

G_BEGIN_DECLS

/**
 * QmpshSession:
 *
 * The session engine both front ends drive, so that a line means the same
 * at the prompt and in a pipe. It takes lines, parses and checks them, runs
 * the built-ins, opens the files a line passes, sends commands (asking first
 * when told to), matches replies, keeps events for `.wait-event`, knows which
 * commands end the session, and works out the exit status. What it has to
 * say comes out as #QmpshItem, one line's worth each, in input order, however
 * the replies are pipelined. A line behind a `.wait-event` or a question
 * waits its turn, so nothing overtakes what it depends on.
 */
struct _QmpshSession {
	GObject parent_instance;
	QmpClient *client;
	QmpshParser *parser;
	gboolean interactive;
	gboolean confirm;
	gboolean exit_on_error;
	gboolean read_only;
	QmpshFormatFlags format; /* for replies written to a file or a pipe */
	guint raw_tap_id;	 /* `.set raw on`: the client's messages, either way */
	gboolean stopped;	 /* exit-on-error ended the input */
	QmpshEventsShow show_events;
	GStrv event_patterns;		       /* for ONLY and MUTE */
	const QmpshSessionFrontEnd *front_end; /* (nullable): who shows what there is */
	gpointer front_end_data;
	GArray *pass_fds;
	guint window; /* commands in flight at most; 0: no limit */

	QmpshIntrospect *introspect;

	QmpshQueue *queue; /* what there is to say, in input order */
	QmpshSender *sender;
	QmpshEvents *events;

	gboolean lost;
	gboolean lost_said;
	gboolean input_ended;
	gboolean done_said;
	gboolean in_ready; /* the front end's ready runs: not again meanwhile */
	gboolean closing;  /* the front end is done: a disconnect now is asked for */
	gboolean ended;
	QmpshExit status;

	gulong runstate_id;
};

void qmpsh_session_send (QmpshSession *self, QmpshStep *step);
void qmpsh_session_command (QmpshSession *self, QmpshLine *line, guint lineno);

G_END_DECLS
