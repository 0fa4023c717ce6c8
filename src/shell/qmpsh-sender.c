/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-sender.h"
#include "qmp-error.h"

/**
 * QmpshSender:
 *
 * The commands in flight: sends a step's command, puts the reply (or why
 * none came) into the step, and tells the owner. It knows which commands
 * end the server, so that the close after `quit` (or HMP's `q`) is what was
 * asked, not a loss, and Ctrl-C stops waiting for all that is in flight.
 */
struct _QmpshSender {
	GObject parent_instance;
	QmpClient *client;
	GObject *owner; /* not a reference: it owns the sender */
	QmpshSenderDone done;
	GCancellable *cancellable; /* the commands in flight; Ctrl-C cancels it */
	guint inflight;
	gboolean quitting; /* quit was sent: the server closing is what was asked */
};

G_DEFINE_TYPE (QmpshSender, qmpsh_sender, G_TYPE_OBJECT)

/* a command in flight keeps the owner, so that a late reply finds it */
typedef struct {
	QmpshSender *self;
	GObject *owner;
	QmpshStep *step;
} Sent;

/**
 * qmpsh_sender_new:
 * @client: the client to send through
 * @owner: told of each reply; kept alive while its commands are in flight
 * @done: what tells it
 *
 * Returns: (transfer full): a sender
 */
QmpshSender *
qmpsh_sender_new (QmpClient *client, GObject *owner, QmpshSenderDone done)
{
	QmpshSender *self = g_object_new (QMPSH_TYPE_SENDER, NULL);
	self->client = g_object_ref (client);
	self->owner = owner;
	self->done = done;
	return self;
}

static gboolean
qmpsh_sender_ends_server (QmpshStep *step)
{
	return g_strcmp0 (step->name, "quit") == 0 ||
	       (step->hmp && g_strcmp0 (step->name, "q") == 0);
}

/* a command never answered (the client went first) */
static void
qmpsh_sent_free (gpointer user_data)
{
	Sent *sent = user_data;
	g_object_unref (sent->self);
	g_object_unref (sent->owner);
	g_free (sent);
}

static void
qmpsh_sender_reply_cb (QmpMessage *reply, GError *error, gpointer user_data)
{
	g_autofree Sent *sent = user_data;
	g_autoptr (QmpshSender) self = sent->self;
	g_autoptr (GObject) owner = sent->owner;
	QmpshStep *step = sent->step;

	step->message = reply;
	step->error = error;
	step->done = TRUE;
	self->inflight--;
	if (step->message != NULL) {
		step->failed = qmp_message_get_kind (step->message) != QMP_MESSAGE_KIND_RETURN;
		/* a quit that failed leaves the server up */
		if (step->failed && qmpsh_sender_ends_server (step))
			self->quitting = FALSE;
	} else if (g_error_matches (step->error, QMP_ERROR, QMP_ERROR_DISCONNECTED) &&
		   self->quitting && qmpsh_sender_ends_server (step)) {
		/* it did what it was asked: QEMU closed before its reply was out */
		g_clear_error (&step->error);
	} else {
		step->failed = !g_error_matches (step->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	}
	self->done (owner, step);
}

/**
 * qmpsh_sender_send:
 * @self: a sender
 * @step: a step with a command, which keeps its place in the order
 */
void
qmpsh_sender_send (QmpshSender *self, QmpshStep *step)
{
	Sent *sent = g_new (Sent, 1);

	step->kind = QMPSH_STEP_REPLY;
	step->begun = TRUE;
	step->own_id = !qmp_message_has_id (step->command);
	/* QEMU may close before its reply to quit is out: that close is no loss */
	if (qmpsh_sender_ends_server (step))
		self->quitting = TRUE;
	if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable)) {
		g_clear_object (&self->cancellable);
		self->cancellable = g_cancellable_new ();
	}
	sent->self = g_object_ref (self);
	sent->owner = g_object_ref (self->owner);
	sent->step = step;
	self->inflight++;
	qmp_client_send (self->client, step->command, step->fds, self->cancellable,
			 qmpsh_sender_reply_cb, sent, qmpsh_sent_free);
	g_clear_object (&step->fds);
}

/**
 * qmpsh_sender_cancel:
 * @self: a sender
 *
 * Stops waiting for every reply in flight; each is dropped when it comes.
 *
 * Returns: %TRUE if something was in flight
 */
gboolean
qmpsh_sender_cancel (QmpshSender *self)
{
	if (self->inflight == 0 || self->cancellable == NULL)
		return FALSE;
	g_cancellable_cancel (self->cancellable);
	return TRUE;
}

guint
qmpsh_sender_get_inflight (QmpshSender *self)
{
	return self->inflight;
}

/**
 * qmpsh_sender_is_quitting:
 * @self: a sender
 *
 * Returns: %TRUE once a command that ends the server was sent (and did not fail)
 */
gboolean
qmpsh_sender_is_quitting (QmpshSender *self)
{
	return self->quitting;
}

/**
 * qmpsh_sender_reset:
 * @self: a sender
 *
 * A new connection: no quit was sent on it.
 */
void
qmpsh_sender_reset (QmpshSender *self)
{
	self->quitting = FALSE;
}

static void
qmpsh_sender_dispose (GObject *object)
{
	QmpshSender *self = QMPSH_SENDER (object);
	g_clear_object (&self->client);
	g_clear_object (&self->cancellable);
	G_OBJECT_CLASS (qmpsh_sender_parent_class)->dispose (object);
}

static void
qmpsh_sender_init (QmpshSender *self)
{
}

static void
qmpsh_sender_class_init (QmpshSenderClass *klass)
{
	G_OBJECT_CLASS (klass)->dispose = qmpsh_sender_dispose;
}
