/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-queue.h"

#include <string.h>

/**
 * QmpshQueue:
 *
 * The order of what the session says: one step for each line that has
 * something to say, in input order. Replies to pipelined commands finish
 * in any order but are said in the order the lines came; a built-in acts in
 * its turn, once every line before it is answered; a barrier (a question, a
 * `.wait-event`) holds the lines after it back until it is done. A flush
 * that says something may add steps (a line held back runs): one flush
 * loops until nothing changes.
 */
struct _QmpshQueue {
	const QmpshQueueHooks *hooks;
	gpointer owner;
	GQueue steps;
	GQueue held;	   /* Held: lines that came while a barrier stood */
	GRefString *where; /* nullable: where the lines fed now come from */
	guint barriers;	   /* steps not done that hold the lines after them back */
	gboolean paused;   /* no line runs: the server is on its way out */
	gboolean serial;   /* every step is a barrier: a line runs once the one before is done */
	gboolean flushing;
	gboolean again;
};

/**
 * qmpsh_queue_new:
 * @hooks: what the owner hears
 * @owner: given to the hooks and to the steps' functions
 *
 * Returns: (transfer full): an empty queue
 */
QmpshQueue *
qmpsh_queue_new (const QmpshQueueHooks *hooks, gpointer owner)
{
	QmpshQueue *self = g_new0 (QmpshQueue, 1);
	self->hooks = hooks;
	self->owner = owner;
	g_queue_init (&self->steps);
	g_queue_init (&self->held);
	return self;
}

typedef struct {
	gchar *text;
	guint lineno;
	GRefString *where;
} Held;

static void
held_free (Held *held)
{
	g_free (held->text);
	g_clear_pointer (&held->where, g_ref_string_release);
	g_free (held);
}

/**
 * qmpsh_queue_hold:
 * @self: a queue
 * @text: a line that came while a barrier stood
 * @lineno: its number
 *
 * Keeps the line until no barrier stands; the run hook runs it then.
 */
void
qmpsh_queue_hold (QmpshQueue *self, const gchar *text, guint lineno)
{
	Held *held = g_new0 (Held, 1);
	held->text = g_strdup (text);
	held->lineno = lineno;
	held->where = self->where != NULL ? g_ref_string_acquire (self->where) : NULL;
	g_queue_push_tail (&self->held, held);
}

/**
 * qmpsh_queue_drop_held:
 * @self: a queue
 *
 * Returns: how many lines were held, which are dropped
 */
guint
qmpsh_queue_drop_held (QmpshQueue *self)
{
	guint dropped = self->held.length;
	g_queue_clear_full (&self->held, (GDestroyNotify)held_free);
	return dropped;
}

static void
qmpsh_queue_free_step (QmpshStep *step)
{
	if (step->destroy != NULL)
		step->destroy (step->data);
	g_clear_pointer (&step->command, qmp_message_unref);
	g_clear_object (&step->fds);
	g_clear_pointer (&step->message, qmp_message_unref);
	g_clear_error (&step->error);
	g_free (step->text);
	qmpsh_output_free (step->output);
	g_clear_pointer (&step->where, g_ref_string_release);
	g_free (step);
}

void
qmpsh_queue_free (QmpshQueue *self)
{
	GList *link;

	if (self == NULL)
		return;
	while ((link = g_queue_pop_head_link (&self->steps)) != NULL)
		qmpsh_queue_free_step (link->data);
	g_queue_clear_full (&self->held, (GDestroyNotify)held_free);
	g_clear_pointer (&self->where, g_ref_string_release);
	g_free (self);
}

/**
 * qmpsh_queue_set_where:
 * @self: a queue
 * @where: (nullable): FILE:LINE of the line about to be fed, which `.source`
 *   read from a file; %NULL for a line of the input itself
 *
 * The steps pushed from now on, and the lines held, carry @where.
 */
void
qmpsh_queue_set_where (QmpshQueue *self, GRefString *where)
{
	GRefString *old = self->where;

	self->where = where != NULL ? g_ref_string_acquire (where) : NULL;
	if (old != NULL)
		g_ref_string_release (old);
}

/* Returns: (transfer none) (nullable): where the lines fed now come from */
GRefString *
qmpsh_queue_get_where (QmpshQueue *self)
{
	return self->where;
}

/**
 * qmpsh_queue_push:
 * @self: a queue
 * @kind: what the step is; a CONFIRM is a barrier
 * @lineno: the line it answers
 * @name: (nullable): its name
 *
 * Returns: (transfer none): the step, last in the order
 */
QmpshStep *
qmpsh_queue_push (QmpshQueue *self, QmpshStepKind kind, guint lineno, const gchar *name)
{
	/* one block with its name; g_new0 () would be calloc (), which bypasses glibc's cache */
	gsize name_len = name != NULL ? strlen (name) + 1 : 0;
	QmpshStep *step = g_malloc (sizeof (QmpshStep) + name_len);

	*step = (QmpshStep){
		.kind = kind,
		.lineno = lineno,
		.where = self->where != NULL ? g_ref_string_acquire (self->where) : NULL,
		.name = name != NULL ? memcpy (step + 1, name, name_len) : NULL,
		.barrier = kind == QMPSH_STEP_CONFIRM || self->serial,
	};
	if (step->barrier)
		self->barriers++;
	step->link.data = step;
	g_queue_push_tail_link (&self->steps, &step->link);
	return step;
}

/**
 * qmpsh_queue_say:
 * @self: a queue
 * @kind: %QMPSH_ITEM_TEXT, %QMPSH_ITEM_FAILURE or %QMPSH_ITEM_NOTE
 * @lineno: the line it answers
 * @text: (transfer full): what to say
 *
 * Says @text in its turn, after what the lines before have to say.
 */
void
qmpsh_queue_say (QmpshQueue *self, QmpshItemKind kind, guint lineno, gchar *text)
{
	QmpshStep *step = qmpsh_queue_push (self, QMPSH_STEP_SAY, lineno, NULL);
	step->say = kind;
	step->text = text;
	step->failed = kind == QMPSH_ITEM_FAILURE;
	step->done = TRUE;
	qmpsh_queue_flush (self);
}

/**
 * qmpsh_queue_act:
 * @self: a queue
 * @lineno: the line
 * @name: (nullable): what it is about (an event, a command), for messages
 * @barrier: whether the lines after it wait until it is done
 * @func: what it does, called with %QMPSH_STEP_BEGIN in its turn and then
 *   with whatever comes, until it calls qmpsh_queue_finish()
 * @data: (nullable): for @func, in the step
 * @destroy: (nullable): frees @data with the step
 */
void
qmpsh_queue_act (QmpshQueue *self, guint lineno, const gchar *name, gboolean barrier,
		 QmpshStepFunc func, gpointer data, GDestroyNotify destroy)
{
	QmpshStep *step = qmpsh_queue_push (self, QMPSH_STEP_ACT, lineno, name);
	step->func = func;
	step->data = data;
	step->destroy = destroy;
	if (barrier && !step->barrier) {
		step->barrier = TRUE;
		self->barriers++;
	}
	qmpsh_queue_flush (self);
}

/**
 * qmpsh_queue_finish:
 * @self: a queue
 * @step: a step
 * @kind: what kind of item it says
 * @text: (transfer full) (nullable): what it says, if anything
 * @message: (transfer full) (nullable): an event it says
 * @failed: whether it counts as a failed line
 */
void
qmpsh_queue_finish (QmpshQueue *self, QmpshStep *step, QmpshItemKind kind, gchar *text,
		    QmpMessage *message, gboolean failed)
{
	step->say = kind;
	step->text = text;
	step->message = message;
	step->failed = failed;
	step->done = TRUE;
	qmpsh_queue_flush (self);
}

/**
 * qmpsh_queue_lift_barrier:
 * @self: a queue
 * @step: a barrier that, though not done, no longer holds the lines after it
 *   (a question that was answered)
 */
void
qmpsh_queue_lift_barrier (QmpshQueue *self, QmpshStep *step)
{
	if (!step->barrier)
		return;
	step->barrier = FALSE;
	self->barriers--;
}

/**
 * qmpsh_queue_call:
 * @self: a queue
 * @why: what happened
 *
 * Tells the step at the head, if it is a built-in that began and is not
 * done, what happened.
 *
 * Returns: %TRUE if there was such a step
 */
gboolean
qmpsh_queue_call (QmpshQueue *self, QmpshStepWhy why)
{
	QmpshStep *head = g_queue_peek_head (&self->steps);

	if (head == NULL || head->kind != QMPSH_STEP_ACT || !head->begun || head->done)
		return FALSE;
	head->func (self->owner, head, why);
	qmpsh_queue_flush (self);
	return TRUE;
}

static void
qmpsh_queue_begin (QmpshQueue *self, QmpshStep *step)
{
	step->begun = TRUE;
	if (step->kind == QMPSH_STEP_CONFIRM)
		self->hooks->begin (self->owner, step);
	else if (step->kind == QMPSH_STEP_ACT)
		step->func (self->owner, step, QMPSH_STEP_BEGIN);
}

static void
qmpsh_queue_say_step (QmpshQueue *self, QmpshStep *step)
{
	QmpshItem item = { 0 };

	item.lineno = step->lineno;
	item.where = step->where;
	item.name = step->name;
	item.failed = step->failed;
	item.message = step->message;
	item.text = step->text;
	if (step->kind == QMPSH_STEP_REPLY) {
		item.kind = QMPSH_ITEM_REPLY;
		item.command = step->command;
		item.error = step->error;
		item.hmp = step->hmp;
		item.own_id = step->own_id;
		item.output = step->output;
	} else if (step->text != NULL || step->message != NULL) {
		item.kind = step->say;
	} else {
		return; /* done without a word */
	}
	self->hooks->say (self->owner, &item);
}

/**
 * qmpsh_queue_flush:
 * @self: a queue
 *
 * Says what the steps at the head have to say, begins the next one's turn,
 * and lets the lines held back run when no barrier stands.
 */
void
qmpsh_queue_flush (QmpshQueue *self)
{
	QmpshStep *step;

	if (self->flushing) {
		self->again = TRUE;
		return;
	}
	self->flushing = TRUE;
	do {
		self->again = FALSE;
		while ((step = g_queue_peek_head (&self->steps)) != NULL) {
			if (!step->begun)
				qmpsh_queue_begin (self, step);
			if (!step->done)
				break;
			g_queue_pop_head_link (&self->steps);
			if (step->barrier)
				self->barriers--;
			qmpsh_queue_say_step (self, step);
			qmpsh_queue_free_step (step);
		}
		/* lines that waited behind a barrier run once it is down */
		while (self->barriers == 0 && !self->paused && self->held.length > 0) {
			Held *held = g_queue_pop_head (&self->held);
			/* it runs where it came from: the same file and line */
			GRefString *now = g_steal_pointer (&self->where);
			self->where = g_steal_pointer (&held->where);
			self->hooks->run (self->owner, held->text, held->lineno);
			qmpsh_queue_set_where (self, now);
			if (now != NULL)
				g_ref_string_release (now);
			held_free (held);
		}
	} while (self->again);
	self->flushing = FALSE;
	self->hooks->settled (self->owner);
}

/**
 * qmpsh_queue_peek:
 * @self: a queue
 *
 * Returns: (transfer none) (nullable): the step whose turn it is
 */
QmpshStep *
qmpsh_queue_peek (QmpshQueue *self)
{
	return g_queue_peek_head (&self->steps);
}

guint
qmpsh_queue_get_length (QmpshQueue *self)
{
	return self->steps.length + self->held.length;
}

/**
 * qmpsh_queue_is_blocked:
 * @self: a queue
 *
 * Returns: %TRUE while a barrier holds the lines after it back, or lines
 *   held back are still to run
 */
gboolean
qmpsh_queue_is_blocked (QmpshQueue *self)
{
	return self->barriers > 0 || self->paused || self->held.length > 0;
}

/**
 * qmpsh_queue_set_paused:
 * @self: a queue
 * @paused: whether lines are held back whatever the steps (after a quit, the
 *   server is on its way out)
 */
void
qmpsh_queue_set_paused (QmpshQueue *self, gboolean paused)
{
	self->paused = paused;
}

/**
 * qmpsh_queue_set_serial:
 * @self: a queue
 * @serial: whether each line waits until the one before it is done (its
 *   reply in), so that a failure is known before the next line runs
 */
void
qmpsh_queue_set_serial (QmpshQueue *self, gboolean serial)
{
	self->serial = serial;
}
