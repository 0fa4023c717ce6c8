/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define G_LOG_DOMAIN "qmp"

#include "qmp-command-queue.h"
#include "qmp-error.h"
#include "qmp-source.h"

/*
 * One source a cancellable, however many commands wait on it: commands in
 * flight together share the caller's, and a source each would have the
 * main loop poll every one of them at every turn.
 */
typedef struct {
	QmpCommandQueue *queue;
	GCancellable *cancellable;
	GSource *source;
	guint users; /* the commands waiting on it */
} QmpCancelWatch;

/*
 * Whom to tell what became of a command. Its func is NULL once told (a
 * command abandoned: its late reply is then dropped quietly).
 */
typedef struct {
	QmpCommandQueueReplyFunc func;
	gpointer user_data;
	GDestroyNotify destroy; /* for user_data, when the command is never answered */
	GMainContext *context;
	GCancellable *cancellable;
	gint64 created;
} QmpReplyTo;

typedef struct {
	QmpReplyTo to;
	QmpMessage *reply;
	GError *error;
} QmpDelivery;

typedef struct {
	QmpCommandQueue *queue;
	QmpReplyTo to;
	QmpMessage *command;
	GUnixFDList *fds;
	const gchar *key; /* the id of @command, which owns it; the queue's is given when sent */
	guint timeout_msec;
	gboolean oob;
	gboolean carries_fds;
	gboolean sent;
	gboolean held;	    /* in waiting */
	gboolean caller_id; /* the id is the caller's, not one the queue numbered */
	guint small_id;	    /* the queue's number, if 1 to 64, else 0: a bit of small_ids */
	GSource *timeout;
	QmpCancelWatch *watch;
	/* its links in the queue's lists: no allocation, and out of them at once */
	GList order_link;
	GList wait_link;
} QmpPending;

struct _QmpCommandQueue {
	QmpCommandQueueSendFunc send;
	gpointer user_data;
	guint oob_inflight_max;
	gboolean oob_enabled;

	guint64 small_ids;   /* bit n - 1 set: the queue's id n is waiting for its reply */
	guint64 next_id;     /* the numbers past 64 the queue hands out */
	guint caller_ids;    /* commands waiting with an id of their caller's */
	GHashTable *pending; /* id key -> QmpPending sent, owned */
	GQueue order;	     /* QmpPending, oldest first */
	GQueue waiting;	     /* in-band commands held back by the OOB in-flight limit */
	guint inflight_inband;
	guint inflight_total;
	QmpPending *fd_barrier; /* a command with descriptors, in flight alone */
	GHashTable *watches;	/* GCancellable -> QmpCancelWatch, owned */
};

static void
qmp_reply_to_clear (QmpReplyTo *to)
{
	if (to->func != NULL && to->destroy != NULL)
		to->destroy (to->user_data);
	to->func = NULL;
	g_clear_pointer (&to->context, g_main_context_unref);
	g_clear_object (&to->cancellable);
}

/* takes the reply-to out of @from, which tells no one then */
static QmpReplyTo
qmp_reply_to_steal (QmpReplyTo *from)
{
	QmpReplyTo to = *from;
	*from = (QmpReplyTo){ 0 };
	return to;
}

static gboolean
qmp_delivery_cb (gpointer user_data)
{
	QmpDelivery *d = user_data;
	QmpCommandQueueReplyFunc func = g_steal_pointer (&d->to.func);

	func (g_steal_pointer (&d->reply), g_steal_pointer (&d->error), d->to.user_data);
	return G_SOURCE_REMOVE;
}

static void
qmp_delivery_free (gpointer user_data)
{
	QmpDelivery *d = user_data;

	qmp_reply_to_clear (&d->to);
	g_clear_pointer (&d->reply, qmp_message_unref);
	g_clear_error (&d->error);
	g_free (d);
}

/*
 * Tells the caller, and forgets it: at once when that is safe, as GTask
 * would (in the command's context, on a later turn of the loop than the one
 * that submitted it, not while its cancellable is cancelled), else from an
 * idle source. A reply is the common case and goes at once: no GTask, no
 * GSource for it.
 */
static void
qmp_reply_to_tell (QmpReplyTo *to, QmpMessage *reply, GError *error)
{
	GSource *current = g_main_current_source ();
	GSource *idle;
	QmpDelivery *d;

	if (to->func == NULL) {
		if (reply != NULL)
			qmp_message_unref (reply);
		if (error != NULL)
			g_error_free (error);
		qmp_reply_to_clear (to);
		return;
	}
	if (current != NULL && g_source_get_context (current) == to->context &&
	    g_source_get_time (current) > to->created &&
	    (to->cancellable == NULL || !g_cancellable_is_cancelled (to->cancellable))) {
		QmpCommandQueueReplyFunc func = g_steal_pointer (&to->func);
		func (reply, error, to->user_data);
		qmp_reply_to_clear (to);
		return;
	}
	d = g_new0 (QmpDelivery, 1);
	d->to = qmp_reply_to_steal (to);
	d->reply = reply;
	d->error = error;
	idle = g_idle_source_new ();
	g_source_set_priority (idle, G_PRIORITY_DEFAULT);
	g_source_set_callback (idle, qmp_delivery_cb, d, qmp_delivery_free);
	g_source_attach (idle, d->to.context);
	g_source_unref (idle);
}

/**
 * qmp_command_queue_refuse:
 * @context: (nullable): the caller's context, %NULL for the thread's default
 * @func: whom to tell
 * @user_data: data for @func
 * @error: (transfer full): why the command cannot go
 *
 * Tells @func, from an idle source, that a command it never submitted failed.
 */
void
qmp_command_queue_refuse (GMainContext *context, QmpCommandQueueReplyFunc func, gpointer user_data,
			  GError *error)
{
	QmpReplyTo to = {
		.func = func,
		.user_data = user_data,
		.context = context != NULL ? g_main_context_ref (context)
					   : g_main_context_ref_thread_default (),
		.created = G_MAXINT64,
	};
	qmp_reply_to_tell (&to, NULL, error);
}

static void
qmp_cancel_watch_free (QmpCancelWatch *watch)
{
	qmp_clear_source (&watch->source);
	g_object_unref (watch->cancellable);
	g_free (watch);
}

/* the command waits no more: its cancellable's source goes with the last one */
static void
qmp_pending_release_watch (QmpPending *pending)
{
	QmpCancelWatch *watch = g_steal_pointer (&pending->watch);

	if (watch != NULL && --watch->users == 0)
		g_hash_table_remove (watch->queue->watches, watch->cancellable);
}

static void
qmp_pending_free (QmpPending *pending)
{
	qmp_clear_source (&pending->timeout);
	qmp_pending_release_watch (pending);
	qmp_reply_to_clear (&pending->to);
	g_clear_object (&pending->fds);
	g_clear_pointer (&pending->command, qmp_message_unref); /* and pending->key with it */
	g_free (pending);
}

static const gchar *
qmp_pending_name (QmpPending *pending)
{
	const gchar *name = qmp_message_get_command_name (pending->command);
	return name != NULL ? name : "(unnamed command)";
}

/* takes the pending command out of every list; the caller owns it then */
static void
qmp_command_queue_unlink (QmpCommandQueue *self, QmpPending *pending)
{
	g_queue_unlink (&self->order, &pending->order_link);
	if (pending->held) {
		g_queue_unlink (&self->waiting, &pending->wait_link);
		pending->held = FALSE;
	}
	if (pending->sent) {
		if (!pending->oob && self->inflight_inband > 0)
			self->inflight_inband--;
		if (self->inflight_total > 0)
			self->inflight_total--;
	}
	if (self->fd_barrier == pending)
		self->fd_barrier = NULL;
	if (pending->caller_id)
		self->caller_ids--;
	if (pending->small_id > 0)
		self->small_ids &= ~(G_GUINT64_CONSTANT (1) << (pending->small_id - 1));
	if (pending->sent)
		g_hash_table_steal (self->pending, pending->key);
}

/* whether a command of the caller's with the id @key waits, held back or sent */
static gboolean
qmp_command_queue_has_caller_id (QmpCommandQueue *self, const gchar *key)
{
	if (self->caller_ids == 0)
		return FALSE;
	for (GList *l = self->order.head; l != NULL; l = l->next) {
		QmpPending *p = l->data;
		if (p->caller_id && strcmp (p->key, key) == 0)
			return TRUE;
	}
	return FALSE;
}

/* the command's caller hears @error now; a reply that comes later is dropped */
static void
qmp_command_queue_abandon (QmpCommandQueue *self, QmpPending *pending, GError *error)
{
	QmpReplyTo to = qmp_reply_to_steal (&pending->to);

	qmp_clear_source (&pending->timeout);
	qmp_pending_release_watch (pending);
	if (!pending->sent) {
		qmp_command_queue_unlink (self, pending);
		qmp_pending_free (pending);
	}
	qmp_reply_to_tell (&to, NULL, error);
}

static gboolean
qmp_pending_timeout_cb (gpointer user_data)
{
	QmpPending *pending = user_data;
	GError *error = g_error_new (QMP_ERROR, QMP_ERROR_TIMEOUT, "no reply to '%s' within %u ms",
				     qmp_pending_name (pending), pending->timeout_msec);
	g_clear_pointer (&pending->timeout, g_source_unref);
	qmp_command_queue_abandon (pending->queue, pending, error);
	return G_SOURCE_REMOVE;
}

/* every command waiting on the cancellable is answered with its error, in order */
static gboolean
qmp_cancel_watch_cb (GCancellable *cancellable, gpointer user_data)
{
	QmpCancelWatch *watch = user_data;
	QmpCommandQueue *self = watch->queue;
	g_autoptr (GPtrArray) hit = g_ptr_array_new ();
	g_autoptr (GArray) told = g_array_new (FALSE, FALSE, sizeof (QmpReplyTo));

	for (GList *l = self->order.head; l != NULL; l = l->next) {
		QmpPending *pending = l->data;

		if (pending->watch == watch)
			g_ptr_array_add (hit, pending);
	}
	/* the watch is freed with its last user: not touched below */
	for (guint i = 0; i < hit->len; i++) {
		QmpPending *pending = g_ptr_array_index (hit, i);

		QmpReplyTo to = qmp_reply_to_steal (&pending->to);

		g_array_append_val (told, to);
		qmp_clear_source (&pending->timeout);
		qmp_pending_release_watch (pending);
		if (!pending->sent) {
			qmp_command_queue_unlink (self, pending);
			qmp_pending_free (pending);
		}
	}
	/* the callers hear of it once the queue is whole again: they may send more */
	for (guint i = 0; i < told->len; i++) {
		GError *error = NULL;

		g_cancellable_set_error_if_cancelled (cancellable, &error);
		qmp_reply_to_tell (&g_array_index (told, QmpReplyTo, i), NULL, error);
	}
	return G_SOURCE_REMOVE;
}

static void
qmp_pending_watch (QmpPending *pending, GCancellable *cancellable, GMainContext *context)
{
	QmpCommandQueue *self = pending->queue;
	QmpCancelWatch *watch = g_hash_table_lookup (self->watches, cancellable);

	if (watch == NULL) {
		watch = g_new0 (QmpCancelWatch, 1);
		watch->queue = self;
		watch->cancellable = g_object_ref (cancellable);
		watch->source = g_cancellable_source_new (cancellable);
		g_source_set_callback (watch->source, G_SOURCE_FUNC (qmp_cancel_watch_cb), watch,
				       NULL);
		g_source_attach (watch->source, context);
		g_hash_table_insert (self->watches, cancellable, watch);
	}
	watch->users++;
	pending->watch = watch;
}

/* @n in decimal at the end of @digits; returns where it starts */
static const gchar *
qmp_id_text (guint64 n, gchar digits[24])
{
	/* the digits by hand: g_strdup_printf () costs more than the rest of a send */
	gchar *p = digits + 23;

	*p = '\0';
	do {
		*--p = (gchar)('0' + n % 10);
		n /= 10;
	} while (n > 0);
	return p;
}

/*
 * The smallest number no command waiting uses, written in @digits; returns
 * where it starts, and in @small the number if it is one of small_ids.
 *
 * Small numbers, used again once answered: QEMU reads its monitor a byte at
 * a time, a turn of its main loop each, so every digit of every id costs the
 * server time. A command abandoned after it went keeps its number until its
 * late reply comes, so that reply cannot be taken for another's.
 */
static const gchar *
qmp_command_queue_next_id (QmpCommandQueue *self, gchar digits[24], guint *small)
{
	guint64 free_ids = ~self->small_ids;

	while (free_ids != 0) {
		guint n = (guint)__builtin_ctzll (free_ids) + 1;
		const gchar *p = qmp_id_text (n, digits);

		free_ids &= free_ids - 1;
		/* only a caller's id can be one of them */
		if (self->caller_ids == 0 || (!g_hash_table_contains (self->pending, p) &&
					      !qmp_command_queue_has_caller_id (self, p))) {
			self->small_ids |= G_GUINT64_CONSTANT (1) << (n - 1);
			*small = n;
			return p;
		}
	}
	*small = 0;
	for (;;) {
		const gchar *p = qmp_id_text (64 + ++self->next_id, digits);

		if (!g_hash_table_contains (self->pending, p) &&
		    !qmp_command_queue_has_caller_id (self, p))
			return p;
	}
}

static void
qmp_command_queue_transmit (QmpCommandQueue *self, QmpPending *pending)
{
	g_autoptr (GError) error = NULL;

	/* numbered as it goes, not before: only the commands in flight hold a number */
	if (!pending->caller_id) {
		gchar digits[24];
		QmpMessage *wire = qmp_message_with_id (
			pending->command,
			qmp_command_queue_next_id (self, digits, &pending->small_id));

		qmp_message_unref (pending->command);
		pending->command = wire;
		pending->key = qmp_message_get_id_key (wire);
	}
	g_hash_table_insert (self->pending, (gpointer)pending->key, pending);
	pending->sent = TRUE;
	self->inflight_total++;
	if (!pending->oob)
		self->inflight_inband++;
	if (pending->carries_fds)
		self->fd_barrier = pending;
	if (!self->send (pending->command, pending->fds, self->user_data, &error)) {
		QmpReplyTo to = qmp_reply_to_steal (&pending->to);
		qmp_command_queue_unlink (self, pending);
		qmp_pending_free (pending);
		qmp_reply_to_tell (&to, NULL, g_steal_pointer (&error));
		return;
	}
	g_clear_object (&pending->fds);
}

/*
 * Whether @pending may go now. A command with descriptors goes alone: QEMU
 * keeps only the descriptors of the latest message it read, and with oob it
 * reads ahead of what it runs, so another command's descriptors, or the next
 * command, could come between a getfd and its descriptor.
 */
static gboolean
qmp_command_queue_can_transmit (QmpCommandQueue *self, QmpPending *pending)
{
	if (self->fd_barrier != NULL)
		return FALSE;
	/* the caller's id is one of the queue's numbers in flight: it waits for that reply */
	if (pending->caller_id && g_hash_table_contains (self->pending, pending->key))
		return FALSE;
	if (pending->carries_fds)
		return self->inflight_total == 0;
	if (pending->oob)
		return TRUE;
	return !self->oob_enabled || self->inflight_inband < self->oob_inflight_max;
}

static void
qmp_command_queue_pump (QmpCommandQueue *self)
{
	/* refill in bursts, not one by one: a burst goes out in one write */
	if (self->oob_enabled && self->inflight_inband > 2)
		return;
	while (self->waiting.length > 0 &&
	       qmp_command_queue_can_transmit (self, g_queue_peek_head (&self->waiting))) {
		QmpPending *pending = g_queue_pop_head_link (&self->waiting)->data;
		pending->held = FALSE;
		qmp_command_queue_transmit (self, pending);
	}
}

/**
 * qmp_command_queue_submit:
 * @self: a queue
 * @context: (nullable): the caller's context, %NULL for the thread's default
 * @cancellable: (nullable): stops the wait
 * @func: told of the reply, or of why none came
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data if @func is never called (the queue freed)
 * @command: the command; an `id` in it is kept
 * @fds: (nullable): descriptors to pass along with it
 * @timeout_msec: how long it may wait for its reply; 0 waits for ever
 *
 * Sends @command now, or when the in-flight limits let it go, and tells
 * @func what came of it, once.
 */
void
qmp_command_queue_submit (QmpCommandQueue *self, GMainContext *context, GCancellable *cancellable,
			  QmpCommandQueueReplyFunc func, gpointer user_data, GDestroyNotify destroy,
			  QmpMessage *command, GUnixFDList *fds, guint timeout_msec)
{
	QmpReplyTo to = {
		.func = func,
		.user_data = user_data,
		.destroy = destroy,
		.context = context != NULL ? g_main_context_ref (context)
					   : g_main_context_ref_thread_default (),
		.cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL,
		.created = g_get_monotonic_time (),
	};
	QmpPending *pending;
	const gchar *key = qmp_message_get_id_key (command);

	if (key != NULL) {
		/* an out-of-band command must not wait for an in-band one to be answered */
		if (qmp_command_queue_has_caller_id (self, key) ||
		    (qmp_message_is_oob (command) && g_hash_table_contains (self->pending, key))) {
			qmp_reply_to_tell (&to, NULL,
					   g_error_new (QMP_ERROR, QMP_ERROR_STATE,
							"a command with id %s is still waiting "
							"for its reply; use another id",
							key));
			return;
		}
	}

	/* g_new0 () is calloc (), which glibc serves from no per-thread cache */
	pending = g_new (QmpPending, 1);
	*pending = (QmpPending){
		.queue = self,
		.to = to,
		.command = qmp_message_ref (command),
		.fds = fds != NULL ? g_object_ref (fds) : NULL,
		.carries_fds = fds != NULL && g_unix_fd_list_get_length (fds) > 0,
		.key = key,
		.oob = qmp_message_is_oob (command),
		.caller_id = key != NULL,
		.timeout_msec = timeout_msec,
	};
	self->caller_ids += pending->caller_id;
	pending->order_link.data = pending;
	pending->wait_link.data = pending;
	g_queue_push_tail_link (&self->order, &pending->order_link);

	if (timeout_msec > 0) {
		pending->timeout = g_timeout_source_new (timeout_msec);
		g_source_set_callback (pending->timeout, qmp_pending_timeout_cb, pending, NULL);
		g_source_attach (pending->timeout, pending->to.context);
	}
	if (cancellable != NULL)
		qmp_pending_watch (pending, cancellable, pending->to.context);

	/* commands keep their order: none overtakes one held back, but out-of-band ones */
	if ((self->waiting.length > 0 && !(pending->oob && !pending->carries_fds)) ||
	    !qmp_command_queue_can_transmit (self, pending)) {
		pending->held = TRUE;
		g_queue_push_tail_link (&self->waiting, &pending->wait_link);
	} else {
		qmp_command_queue_transmit (self, pending);
	}
}

/**
 * qmp_command_queue_route_reply:
 * @self: a queue
 * @reply: a `return` or an `error` message
 *
 * Hands @reply to the command it answers: the one with its id, or, for an
 * error without an id (the server could not read it), the oldest one sent.
 *
 * Returns: %FALSE when it answers no command waiting here
 */
gboolean
qmp_command_queue_route_reply (QmpCommandQueue *self, QmpMessage *reply)
{
	const gchar *key = qmp_message_get_id_key (reply);
	QmpPending *pending = NULL;
	QmpReplyTo to;

	if (key != NULL) {
		pending = g_hash_table_lookup (self->pending, key);
	} else if (qmp_message_get_kind (reply) == QMP_MESSAGE_KIND_ERROR) {
		for (GList *l = self->order.head; l != NULL && pending == NULL; l = l->next) {
			QmpPending *p = l->data;
			if (p->sent)
				pending = p;
		}
	}
	if (pending == NULL)
		return FALSE;
	qmp_command_queue_unlink (self, pending);
	to = qmp_reply_to_steal (&pending->to);
	qmp_pending_free (pending);
	qmp_command_queue_pump (self);
	/* last: the caller may do anything with the reply, the queue included */
	qmp_reply_to_tell (&to, qmp_message_ref (reply), NULL);
	return TRUE;
}

/**
 * qmp_command_queue_fail_all:
 * @self: a queue
 * @reason: (nullable): why the connection went, or %NULL when asked to
 *
 * Answers every command still waiting with %QMP_ERROR_DISCONNECTED, and
 * empties the queue for the next session.
 */
void
qmp_command_queue_fail_all (QmpCommandQueue *self, const GError *reason)
{
	GList *order = self->order.head;

	/* the table owns nothing: the commands are in order, freed below */
	g_hash_table_unref (self->pending);
	self->pending = g_hash_table_new (g_str_hash, g_str_equal);
	g_queue_init (&self->order);
	g_queue_init (&self->waiting); /* its links are the commands' own */
	self->inflight_inband = 0;
	self->inflight_total = 0;
	self->caller_ids = 0;
	self->small_ids = 0;
	self->fd_barrier = NULL;
	for (GList *l = order; l != NULL;) {
		QmpPending *p = l->data;
		QmpReplyTo to = qmp_reply_to_steal (&p->to);
		GError *error = NULL;

		if (to.func != NULL)
			error = g_error_new (QMP_ERROR, QMP_ERROR_DISCONNECTED,
					     "disconnected before '%s' was answered%s%s",
					     qmp_pending_name (p), reason != NULL ? ": " : "",
					     reason != NULL ? reason->message : "");
		l = l->next; /* the link is the command's, freed with it */
		qmp_pending_free (p);
		qmp_reply_to_tell (&to, NULL, error);
	}
}

/**
 * qmp_command_queue_set_oob:
 * @self: a queue
 * @oob_enabled: whether out-of-band execution was negotiated, which limits
 *   the in-band commands in flight
 */
void
qmp_command_queue_set_oob (QmpCommandQueue *self, gboolean oob_enabled)
{
	self->oob_enabled = oob_enabled;
}

/**
 * qmp_command_queue_get_length:
 * @self: a queue
 *
 * Returns: how many commands wait for a reply, abandoned ones included
 */
guint
qmp_command_queue_get_length (QmpCommandQueue *self)
{
	return self->order.length;
}

/**
 * qmp_command_queue_new:
 * @oob_inflight_max: how many in-band commands may be in flight with
 *   out-of-band execution on
 * @send: sends one command
 * @user_data: data for @send
 *
 * Returns: (transfer full): an empty queue
 */
QmpCommandQueue *
qmp_command_queue_new (guint oob_inflight_max, QmpCommandQueueSendFunc send, gpointer user_data)
{
	QmpCommandQueue *self = g_new0 (QmpCommandQueue, 1);
	self->oob_inflight_max = oob_inflight_max;
	self->send = send;
	self->user_data = user_data;
	self->pending = g_hash_table_new (g_str_hash, g_str_equal);
	self->watches =
		g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)qmp_cancel_watch_free);
	g_queue_init (&self->order);
	g_queue_init (&self->waiting);
	return self;
}

void
qmp_command_queue_free (QmpCommandQueue *self)
{
	GList *link;

	if (self == NULL)
		return;
	/* the links are the commands' own: freed with them, not by the lists */
	while ((link = g_queue_pop_head_link (&self->order)) != NULL)
		qmp_pending_free (link->data);
	g_hash_table_unref (self->pending);
	g_hash_table_unref (self->watches);
	g_free (self);
}
