/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <gio/gunixfdlist.h>

#include "qmp-message.h"
#include "qmpsh-output.h"

G_BEGIN_DECLS

/**
 * QmpshItemKind:
 * @QMPSH_ITEM_REPLY: a command's reply, or why none came
 * @QMPSH_ITEM_EVENT: the event a `.wait-event` waited for
 * @QMPSH_ITEM_TEXT: text that answers a line, for standard output (`.help`)
 * @QMPSH_ITEM_FAILURE: a line that did not do what it said, and why
 * @QMPSH_ITEM_NOTE: a remark that is no failure ("system_reset not sent")
 */
typedef enum {
	QMPSH_ITEM_REPLY,
	QMPSH_ITEM_EVENT,
	QMPSH_ITEM_TEXT,
	QMPSH_ITEM_FAILURE,
	QMPSH_ITEM_NOTE,
} QmpshItemKind;

/**
 * QmpshItem:
 * @kind: what it is
 * @lineno: the input line it answers
 * @where: (nullable): FILE:LINE, for a line a `.source`d file holds (@lineno
 *   is then the `.source` line's)
 * @name: (nullable): the command's or built-in's name
 * @command: (nullable): REPLY: the command as it was sent
 * @message: (nullable): REPLY: the reply; EVENT: the event
 * @error: (nullable): REPLY: why no reply came
 * @text: (nullable): TEXT, FAILURE and NOTE: the text, whole lines
 * @hmp: REPLY: the command was HMP, so its return is text
 * @own_id: REPLY: the `id` is qmpsh's, not the user's
 * @failed: it counts as a failed command (a FAILURE, an error reply, no reply)
 * @output: (nullable): REPLY: where the reply goes instead of the screen or
 *   standard output; the session has written it there
 *
 * What there is to say about one line of input, in input order. The front
 * ends lay it out: batch as JSON lines and stderr, the prompt as it prints.
 */
typedef struct {
	QmpshItemKind kind;
	guint lineno;
	const gchar *where;
	const gchar *name;
	QmpMessage *command;
	QmpMessage *message;
	const GError *error;
	const gchar *text;
	gboolean hmp;
	gboolean own_id;
	gboolean failed;
	const QmpshOutput *output;
} QmpshItem;

/**
 * QmpshStepKind:
 * @QMPSH_STEP_REPLY: a command in flight: done when its reply (or why none
 *   came) is in
 * @QMPSH_STEP_SAY: something to say, done at once
 * @QMPSH_STEP_CONFIRM: a command waiting for y/N
 * @QMPSH_STEP_ACT: a built-in acting in its turn, through its #QmpshStepFunc
 */
typedef enum {
	QMPSH_STEP_REPLY,
	QMPSH_STEP_SAY,
	QMPSH_STEP_CONFIRM,
	QMPSH_STEP_ACT,
} QmpshStepKind;

/**
 * QmpshStepWhy:
 * @QMPSH_STEP_BEGIN: the step's turn came: every line before it is answered
 * @QMPSH_STEP_POKE: something it may wait for came: an event, the schema, a timer
 * @QMPSH_STEP_INTERRUPT: Ctrl-C at the prompt: stop, and say so
 * @QMPSH_STEP_LOST: the connection went away: nothing more comes
 */
typedef enum {
	QMPSH_STEP_BEGIN,
	QMPSH_STEP_POKE,
	QMPSH_STEP_INTERRUPT,
	QMPSH_STEP_LOST,
} QmpshStepWhy;

typedef struct _QmpshStep QmpshStep;

/**
 * QmpshStepFunc:
 * @owner: the queue's owner (the session)
 * @step: the step
 * @why: why it is called; it ends with qmpsh_queue_finish()
 */
typedef void (*QmpshStepFunc) (gpointer owner, QmpshStep *step, QmpshStepWhy why);

/**
 * QmpshStep:
 * @kind: what it is
 * @lineno: the line it answers
 * @where: (nullable): FILE:LINE of a sourced line
 * @name: (nullable): the command, or what a built-in is about
 * @begun: its turn came
 * @done: it has said what it has to say, or it will say nothing
 * @barrier: the lines after it wait until it is done
 * @command: (nullable): the command, as sent or to send
 * @fds: (nullable): descriptors to pass with @command
 * @message: (nullable): the reply, or the event a wait took
 * @error: (nullable): why no reply came
 * @text: (nullable): what it says
 * @say: for SAY and ACT: what kind of item it says
 * @hmp: the command is HMP
 * @own_id: the command's id is qmpsh's
 * @failed: it counts as a failed line
 * @output: (nullable): where the reply goes instead
 * @func: ACT: what it does
 * @data: ACT: for @func
 * @destroy: ACT: frees @data
 *
 * One line's place in the order of what is said.
 */
struct _QmpshStep {
	QmpshStepKind kind;
	guint lineno;
	GRefString *where;
	const gchar *name; /* in the step's own block */
	gboolean begun;
	gboolean done;
	gboolean barrier;
	QmpMessage *command;
	GUnixFDList *fds;
	QmpMessage *message;
	GError *error;
	gchar *text;
	QmpshItemKind say;
	gboolean hmp;
	gboolean own_id;
	gboolean failed;
	QmpshOutput *output;
	QmpshStepFunc func;
	gpointer data;
	GDestroyNotify destroy;
	GList link; /* in the queue's order: the step's own, nothing allocated */
};

/**
 * QmpshQueueHooks:
 * @begin: a CONFIRM step's turn came
 * @say: a step is done, in input order: what it has to say
 * @run: no barrier stands: a line held back runs now (and may add steps)
 * @settled: a flush is over
 *
 * What the owner of a queue hears; each gets the owner.
 */
typedef struct {
	void (*begin) (gpointer owner, QmpshStep *step);
	void (*say) (gpointer owner, const QmpshItem *item);
	void (*run) (gpointer owner, const gchar *text, guint lineno);
	void (*settled) (gpointer owner);
} QmpshQueueHooks;

typedef struct _QmpshQueue QmpshQueue;

QmpshQueue *qmpsh_queue_new (const QmpshQueueHooks *hooks, gpointer owner);
void qmpsh_queue_free (QmpshQueue *self);
void qmpsh_queue_set_where (QmpshQueue *self, GRefString *where);
GRefString *qmpsh_queue_get_where (QmpshQueue *self);
QmpshStep *qmpsh_queue_push (QmpshQueue *self, QmpshStepKind kind, guint lineno, const gchar *name);
void qmpsh_queue_say (QmpshQueue *self, QmpshItemKind kind, guint lineno, gchar *text);
void qmpsh_queue_act (QmpshQueue *self, guint lineno, const gchar *name, gboolean barrier,
		      QmpshStepFunc func, gpointer data, GDestroyNotify destroy);
void qmpsh_queue_finish (QmpshQueue *self, QmpshStep *step, QmpshItemKind kind, gchar *text,
			 QmpMessage *message, gboolean failed);
void qmpsh_queue_lift_barrier (QmpshQueue *self, QmpshStep *step);
void qmpsh_queue_hold (QmpshQueue *self, const gchar *text, guint lineno);
guint qmpsh_queue_drop_held (QmpshQueue *self);
gboolean qmpsh_queue_call (QmpshQueue *self, QmpshStepWhy why);
void qmpsh_queue_flush (QmpshQueue *self);
QmpshStep *qmpsh_queue_peek (QmpshQueue *self);
guint qmpsh_queue_get_length (QmpshQueue *self);
gboolean qmpsh_queue_is_blocked (QmpshQueue *self);
void qmpsh_queue_set_paused (QmpshQueue *self, gboolean paused);
void qmpsh_queue_set_serial (QmpshQueue *self, gboolean serial);

G_END_DECLS
