/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-session-private.h"
#include "qmp-error.h"
#include "qmp-source.h"
#include "qmpsh-builtins.h"
#include "qmpsh-check.h"
#include "qmpsh-events.h"
#include "qmpsh-introspect.h"
#include "qmpsh-sender.h"

#include <string.h>

G_DEFINE_TYPE (QmpshSession, qmpsh_session, G_TYPE_OBJECT)

enum {
	SIGNAL_CONFIRM,
	SIGNAL_ACTION,
	SIGNAL_LOST,
	SIGNAL_QUIT,
	SIGNAL_DONE,
	SIGNAL_ENDED,
	N_SIGNALS
};
static guint signals[N_SIGNALS];

static void qmpsh_session_run_line (QmpshSession *self, const gchar *text, guint lineno);

/* what there is to say about a line goes to the front end */
static void
qmpsh_session_tell (QmpshSession *self, const QmpshItem *item)
{
	if (self->front_end != NULL)
		self->front_end->item (item, self->front_end_data);
}

void
qmpsh_session_raise_status (QmpshSession *self, QmpshExit status)
{
	if (status > self->status)
		self->status = status;
}

/**
 * qmpsh_session_say:
 * @self: a session
 * @kind: %QMPSH_ITEM_TEXT, %QMPSH_ITEM_FAILURE or %QMPSH_ITEM_NOTE
 * @lineno: the line it answers
 * @text: (transfer full): what to say, in its turn
 */
void
qmpsh_session_say (QmpshSession *self, QmpshItemKind kind, guint lineno, gchar *text)
{
	qmpsh_queue_say (self->queue, kind, lineno, text);
}

/* ------------------------------------------------------------------------ */
/* what the queue says, and what the built-ins ask of it */

static void
qmpsh_session_queue_begin (gpointer owner, QmpshStep *step)
{
	QmpshSession *self = owner;
	g_signal_emit (self, signals[SIGNAL_CONFIRM], 0,
		       g_strcmp0 (step->name, "q") == 0 ? "quit" : step->name);
}

/*
 * `CMD >FILE`, `>>FILE`, `| COMMAND`: the reply goes there, laid out as the
 * front end lays it out but never coloured; a pipe's command has the
 * terminal meanwhile (action::pipe "begin", then "end").
 */
static void
qmpsh_session_write_output (QmpshSession *self, const QmpshItem *item)
{
	QmpshOutput *output = (QmpshOutput *)item->output;
	g_autoptr (GString) text = g_string_new (NULL);
	g_autoptr (GError) error = NULL;
	gboolean pipe = qmpsh_output_get_kind (output) == QMPSH_OUTPUT_PIPE;
	gboolean ok;

	qmpsh_format_json (
		text, qmp_message_get_text (item->message), qmp_message_get_length (item->message),
		(self->format & ~QMPSH_FORMAT_COLOR) | (item->own_id ? QMPSH_FORMAT_DROP_ID : 0));
	g_string_append_c (text, '\n');
	if (pipe)
		g_signal_emit (self, signals[SIGNAL_ACTION], g_quark_from_static_string ("pipe"),
			       "begin");
	ok = qmpsh_output_write (output, text->str, text->len, &error);
	if (pipe)
		g_signal_emit (self, signals[SIGNAL_ACTION], g_quark_from_static_string ("pipe"),
			       "end");
	if (!ok) {
		g_autofree gchar *said = g_strdup_printf ("%s: %s", item->name, error->message);
		QmpshItem failure = {
			.kind = QMPSH_ITEM_FAILURE,
			.lineno = item->lineno,
			.where = item->where,
			.text = said,
			.failed = TRUE,
		};
		qmpsh_session_raise_status (self, QMPSH_EXIT_COMMAND);
		qmpsh_session_tell (self, &failure);
	}
}

static void
qmpsh_session_queue_say (gpointer owner, const QmpshItem *item)
{
	QmpshSession *self = owner;
	if (item->failed)
		qmpsh_session_raise_status (self, QMPSH_EXIT_COMMAND);
	qmpsh_session_tell (self, item);
	if (item->kind == QMPSH_ITEM_REPLY && item->output != NULL && item->message != NULL)
		qmpsh_session_write_output (self, item);
	/* -e: nothing after a failure runs; every line waited for the one before */
	if (item->failed && self->exit_on_error && !self->input_ended) {
		QmpshItem note = {
			.kind = QMPSH_ITEM_NOTE,
			.lineno = item->lineno,
			.where = item->where,
			.text = "stopped at the first failure (exit-on-error): nothing after it "
				"runs",
		};
		qmpsh_queue_drop_held (self->queue);
		self->stopped = TRUE;
		qmpsh_session_tell (self, &note);
		qmpsh_session_end_input (self, item->lineno);
	}
}

/* a line that waited behind a barrier runs once it is down */
static void
qmpsh_session_queue_run (gpointer owner, const gchar *text, guint lineno)
{
	qmpsh_session_run_line (QMPSH_SESSION (owner), text, lineno);
}

static void
qmpsh_session_queue_settled (gpointer owner)
{
	QmpshSession *self = owner;

	/*
	 * A line the front end feeds settles the queue again, inside it: it
	 * looks at the session after each line anyway, so telling it again
	 * would only cost a call for every command
	 */
	if (!self->in_ready && self->front_end != NULL && self->front_end->ready != NULL) {
		self->in_ready = TRUE;
		self->front_end->ready (self->front_end_data);
		self->in_ready = FALSE;
	}
	if (!self->input_ended || self->done_said || qmpsh_queue_get_length (self->queue) > 0)
		return;
	/* a loss is said before the end, with why it happened */
	if (self->lost && !self->lost_said && !qmpsh_sender_is_quitting (self->sender))
		return;
	self->done_said = TRUE;
	g_signal_emit (self, signals[SIGNAL_DONE], 0);
}

static const QmpshQueueHooks queue_hooks = {
	qmpsh_session_queue_begin,
	qmpsh_session_queue_say,
	qmpsh_session_queue_run,
	qmpsh_session_queue_settled,
};

/**
 * qmpsh_session_act:
 * @self: a session
 * @lineno: the line
 * @name: (nullable): what it is about (an event, a command), for messages
 * @barrier: whether the lines after it wait until it is done
 * @func: what it does in its turn (with the session as its owner), until it
 *   calls qmpsh_session_finish()
 * @data: (nullable): for @func, in the step
 * @destroy: (nullable): frees @data with the step
 */
void
qmpsh_session_act (QmpshSession *self, guint lineno, const gchar *name, gboolean barrier,
		   QmpshStepFunc func, gpointer data, GDestroyNotify destroy)
{
	qmpsh_queue_act (self->queue, lineno, name, barrier, func, data, destroy);
}

/**
 * qmpsh_session_finish:
 * @self: a session
 * @step: a built-in's step
 * @kind: what kind of item it says
 * @text: (transfer full) (nullable): what it says, if anything
 * @message: (transfer full) (nullable): an event it says
 * @failed: whether it counts as a failed line
 */
void
qmpsh_session_finish (QmpshSession *self, QmpshStep *step, QmpshItemKind kind, gchar *text,
		      QmpMessage *message, gboolean failed)
{
	qmpsh_queue_finish (self->queue, step, kind, text, message, failed);
}

/**
 * qmpsh_session_poke:
 * @self: a session
 *
 * Something a step may wait for came (its timer, say): the step looks again.
 */
void
qmpsh_session_poke (QmpshSession *self)
{
	qmpsh_queue_call (self->queue, QMPSH_STEP_POKE);
}

/**
 * qmpsh_session_get_events:
 * @self: a session
 *
 * Returns: (transfer none): the events since the last command was sent
 */
QmpshEvents *
qmpsh_session_get_events (QmpshSession *self)
{
	return self->events;
}

/**
 * qmpsh_session_is_lost:
 * @self: a session
 *
 * Returns: %TRUE once the connection has gone away, until it is back
 */
gboolean
qmpsh_session_is_lost (QmpshSession *self)
{
	return self->lost;
}

/* ------------------------------------------------------------------------ */
/* commands */

static void
qmpsh_session_replied (GObject *owner, QmpshStep *step)
{
	QmpshSession *self = (QmpshSession *)owner; /* the sender's, set with self */
	/* a quit that failed leaves the server up: the lines after it run after all */
	qmpsh_queue_set_paused (self->queue, qmpsh_sender_is_quitting (self->sender));
	qmpsh_queue_flush (self->queue);
}

/* sends the command of @step, which keeps its place in the order */
void
qmpsh_session_send (QmpshSession *self, QmpshStep *step)
{
	const gchar *name = qmp_message_get_command_name (step->command);

	/* .wait-event looks at what came after the command before it */
	qmpsh_events_forget (self->events);
	/* what is not a query may change the QOM tree, whose objects are asked again */
	if (name != NULL && !g_str_has_prefix (name, "query-") && !g_str_has_prefix (name, "qom-"))
		qmpsh_introspect_forget_qom (self->introspect);
	if (self->front_end != NULL && self->front_end->sent != NULL)
		self->front_end->sent (step->command, self->front_end_data);
	qmpsh_sender_send (self->sender, step);
	/* after quit nothing more can run: the lines after it wait for the server to go */
	qmpsh_queue_set_paused (self->queue, qmpsh_sender_is_quitting (self->sender));
}

/* ------------------------------------------------------------------------ */
/* lines */

static void
qmpsh_session_run_line (QmpshSession *self, const gchar *text, guint lineno)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (QmpshLine) line = qmpsh_parser_feed (self->parser, text, &error);

	if (line == NULL) {
		qmpsh_session_say (self, QMPSH_ITEM_FAILURE, lineno, g_strdup (error->message));
		return;
	}
	switch (line->kind) {
	case QMPSH_LINE_EMPTY:
	case QMPSH_LINE_CONTINUE:
		return;
	case QMPSH_LINE_BUILTIN:
		if (!qmpsh_builtins_run (self, line, lineno, &error))
			qmpsh_session_say (self, QMPSH_ITEM_FAILURE, lineno,
					   g_strdup (error->message));
		return;
	case QMPSH_LINE_COMMAND:
	case QMPSH_LINE_RAW:
	case QMPSH_LINE_HMP:
	default:
		qmpsh_session_command (self, g_steal_pointer (&line), lineno);
		return;
	}
}

/**
 * qmpsh_session_feed:
 * @self: a session
 * @text: one line of input, without its end
 * @lineno: its number, for messages
 *
 * Runs the line, or keeps it until the barrier before it (a `.wait-event`, a
 * question) is down.
 */
void
qmpsh_session_feed (QmpshSession *self, const gchar *text, guint lineno)
{
	if (qmpsh_queue_is_blocked (self->queue)) {
		qmpsh_queue_hold (self->queue, text, lineno);
		return;
	}
	qmpsh_session_run_line (self, text, lineno);
}

/**
 * qmpsh_session_set_where:
 * @self: a session
 * @where: (nullable): FILE:LINE of the lines fed from now on, which
 *   `.source` read from a file; %NULL for lines of the input itself
 *
 * What those lines say, the front ends place there (qmpsh: FILE:LINE: ...).
 */
void
qmpsh_session_set_where (QmpshSession *self, GRefString *where)
{
	qmpsh_queue_set_where (self->queue, where);
}

/* Returns: (transfer none) (nullable): where the lines fed now come from */
GRefString *
qmpsh_session_get_where (QmpshSession *self)
{
	return qmpsh_queue_get_where (self->queue);
}

/**
 * qmpsh_session_is_busy:
 * @self: a session
 *
 * Returns: %TRUE while a line fed now would wait: behind a barrier, or with
 *   the window of commands in flight full; and once the input has ended
 *   (`.exit`, quit, a loss in batch). Batch stops reading meanwhile, so that
 *   the input waits in its pipe.
 */
gboolean
qmpsh_session_is_busy (QmpshSession *self)
{
	return self->input_ended || qmpsh_queue_is_blocked (self->queue) ||
	       (self->window > 0 && qmpsh_sender_get_inflight (self->sender) >= self->window);
}

/**
 * qmpsh_session_awaits_reply:
 * @self: a session
 *
 * Returns: %TRUE while a command sent has its reply still to come
 */
gboolean
qmpsh_session_awaits_reply (QmpshSession *self)
{
	return qmpsh_sender_get_inflight (self->sender) > 0;
}

/**
 * qmpsh_session_end_input:
 * @self: a session
 * @lineno: the last line
 *
 * No more lines come. #QmpshSession::done follows once every line is answered.
 */
void
qmpsh_session_end_input (QmpshSession *self, guint lineno)
{
	if (self->input_ended)
		return;
	if (qmpsh_parser_is_continuing (self->parser)) {
		gboolean transaction = qmpsh_parser_in_transaction (self->parser);
		qmpsh_parser_reset (self->parser);
		qmpsh_session_say (
			self, QMPSH_ITEM_FAILURE, lineno,
			g_strdup (transaction
					  ? "the input ended inside transaction( ... ): not sent"
					  : "the input ended in a line that was to go on (it "
					    "ended in '\\', or its JSON was not closed): not "
					    "sent"));
	}
	self->input_ended = TRUE;
	qmpsh_queue_flush (self->queue);
}

/**
 * qmpsh_session_interrupt:
 * @self: a session
 *
 * Ctrl-C at the prompt: answers a question no, stops a `.wait-event`, or
 * stops waiting for the replies in flight (they are dropped when they come);
 * lines typed meanwhile are dropped too.
 *
 * Returns: %TRUE if there was something to stop
 */
gboolean
qmpsh_session_interrupt (QmpshSession *self)
{
	QmpshStep *head = qmpsh_queue_peek (self->queue);
	guint dropped = qmpsh_queue_drop_held (self->queue);
	gboolean stopped = dropped > 0;

	/* said after what the interrupt stops says: lines gone without a word surprise */
	if (dropped > 0)
		qmpsh_session_say (
			self, QMPSH_ITEM_NOTE, 0,
			g_strdup_printf (dropped == 1 ? "%u line typed meanwhile was not run"
						      : "%u lines typed meanwhile were not run",
					 dropped));

	if (head != NULL && head->kind == QMPSH_STEP_CONFIRM && head->begun) {
		qmpsh_session_answer (self, FALSE);
		return TRUE;
	}
	if (qmpsh_queue_call (self->queue, QMPSH_STEP_INTERRUPT))
		return TRUE;
	if (qmpsh_sender_cancel (self->sender))
		return TRUE;
	if (qmpsh_parser_is_continuing (self->parser)) {
		qmpsh_parser_reset (self->parser);
		return FALSE;
	}
	return stopped;
}

/**
 * qmpsh_session_answer:
 * @self: a session
 * @yes: whether the command #QmpshSession::confirm asked about goes
 */
void
qmpsh_session_answer (QmpshSession *self, gboolean yes)
{
	QmpshStep *head = qmpsh_queue_peek (self->queue);

	if (head == NULL || head->kind != QMPSH_STEP_CONFIRM || !head->begun)
		return;
	qmpsh_queue_lift_barrier (self->queue, head);
	if (yes) {
		qmpsh_session_send (self, head);
	} else {
		head->kind = QMPSH_STEP_SAY;
		head->say = QMPSH_ITEM_NOTE;
		head->text = g_strdup_printf (
			"%s not sent", g_strcmp0 (head->name, "q") == 0 ? "quit" : head->name);
		head->done = TRUE;
	}
	qmpsh_queue_flush (self->queue);
}

/* ------------------------------------------------------------------------ */
/* the schema */

static void
qmpsh_session_introspect_cb (QmpshIntrospect *introspect, gpointer user_data)
{
	qmpsh_session_poke (QMPSH_SESSION (user_data));
}

/**
 * qmpsh_session_get_introspect:
 * @self: a session
 *
 * Returns: (transfer none): what the server says of its commands, asked for
 *   once a connection and only when a line needs it
 */
QmpshIntrospect *
qmpsh_session_get_introspect (QmpshSession *self)
{
	return self->introspect;
}

/* ------------------------------------------------------------------------ */
/* the connection */

static void
qmpsh_session_lost_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshSession) self = QMPSH_SESSION (user_data);
	g_autoptr (GError) error = NULL;

	if (qmp_protocol_disconnect_finish (QMP_PROTOCOL (source), res, &error))
		error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
					     "the connection closed");
	qmpsh_session_raise_status (self, QMPSH_EXIT_CONNECTION);
	qmpsh_queue_call (self->queue, QMPSH_STEP_LOST);
	self->lost_said = TRUE;
	g_signal_emit (self, signals[SIGNAL_LOST], 0, error);
	/* in batch nothing more can run; the prompt reconnects */
	if (!self->interactive)
		qmpsh_session_end_input (self, 0);
	qmpsh_queue_flush (self->queue);
}

static void
qmpsh_session_runstate_cb (QmpProtocol *protocol, QmpRunstate runstate, gpointer user_data)
{
	QmpshSession *self = QMPSH_SESSION (user_data);

	if (runstate != QMP_RUNSTATE_DISCONNECTING || self->lost || self->closing)
		return;
	self->lost = TRUE;
	qmpsh_introspect_reset (self->introspect);
	if (qmpsh_sender_is_quitting (self->sender)) {
		/* QEMU closes after quit: that is what was asked; what came after cannot run */
		qmpsh_queue_drop_held (self->queue);
		qmpsh_queue_call (self->queue, QMPSH_STEP_LOST);
		self->input_ended = TRUE;
		g_signal_emit (self, signals[SIGNAL_QUIT], 0);
		qmpsh_queue_flush (self->queue);
		return;
	}
	/* nobody asked for this: the peer went away or broke the protocol */
	qmp_protocol_disconnect_async (protocol, NULL, qmpsh_session_lost_cb, g_object_ref (self));
}

/**
 * qmpsh_session_close:
 * @self: a session
 *
 * The session is over (a front end ended it, or a signal): the disconnect
 * that follows is no loss.
 */
void
qmpsh_session_close (QmpshSession *self)
{
	self->closing = TRUE;
}

/**
 * qmpsh_session_end:
 * @self: a session
 * @status: the run's exit status, as the front end sees it
 *
 * The front end is done: closes the session and says so once, through
 * #QmpshSession::ended.
 */
void
qmpsh_session_end (QmpshSession *self, QmpshExit status)
{
	if (self->ended)
		return;
	self->ended = TRUE;
	qmpsh_session_close (self);
	g_signal_emit (self, signals[SIGNAL_ENDED], 0, status);
}

/**
 * qmpsh_session_reconnected:
 * @self: a session
 *
 * The client is connected again: a new session with the server begins.
 */
void
qmpsh_session_reconnected (QmpshSession *self)
{
	self->lost = FALSE;
	self->lost_said = FALSE;
	qmpsh_sender_reset (self->sender);
	qmpsh_introspect_reset (self->introspect);
	qmpsh_queue_set_paused (self->queue, FALSE);
	qmpsh_events_forget (self->events);
	if (self->interactive)
		qmpsh_introspect_fetch (self->introspect);
}

static void
qmpsh_session_event_cb (QmpClient *client, const gchar *name, QmpMessage *message,
			gpointer user_data)
{
	QmpshSession *self = user_data; /* every event: connected with self, unchecked */

	if (self->front_end != NULL && self->front_end->event != NULL &&
	    qmpsh_events_shown (self->show_events, (const gchar *const *)self->event_patterns,
				name))
		self->front_end->event (message, self->front_end_data);
	qmpsh_events_keep (self->events, message);
	qmpsh_session_poke (self);
}

/**
 * qmpsh_session_set_front_end:
 * @self: a session
 * @front_end: (nullable): what the front end is told, as it comes; %NULL
 *   when it goes away
 * @user_data: data for @front_end's functions
 *
 * There is one front end, set before the first line is fed.
 */
void
qmpsh_session_set_front_end (QmpshSession *self, const QmpshSessionFrontEnd *front_end,
			     gpointer user_data)
{
	self->front_end = front_end;
	self->front_end_data = user_data;
}

/**
 * qmpsh_session_new:
 * @client: a connected client
 * @interactive: whether a person is at a prompt (built-ins such as `.watch`
 *   are only for them)
 *
 * Returns: (transfer full): a session
 */
QmpshSession *
qmpsh_session_new (QmpClient *client, gboolean interactive)
{
	QmpshSession *self = g_object_new (QMPSH_TYPE_SESSION, NULL);
	self->client = g_object_ref (client);
	self->sender = qmpsh_sender_new (client, G_OBJECT (self), qmpsh_session_replied);
	self->introspect = qmpsh_introspect_new (client);
	g_signal_connect (self->introspect, "changed", G_CALLBACK (qmpsh_session_introspect_cb),
			  self);
	self->interactive = interactive;
	self->show_events = interactive ? QMPSH_EVENTS_ALL : QMPSH_EVENTS_NONE;
	self->runstate_id = g_signal_connect (client, "runstate-changed",
					      G_CALLBACK (qmpsh_session_runstate_cb), self);
	qmp_client_set_event_func (client, qmpsh_session_event_cb, self);
	return self;
}

/**
 * qmpsh_session_apply_options:
 * @self: a session
 * @options: the command line, as parsed
 * @aliases: (nullable): the config file's aliases
 *
 * What the options say of how lines run, for a new session: HMP, aliases,
 * descriptors, -e, --read-only, the layout, -vv, and which events are
 * shown (the prompt shows every event unless told; batch none).
 */
void
qmpsh_session_apply_options (QmpshSession *self, const QmpshOptions *options, GHashTable *aliases)
{
	qmpsh_session_set_hmp (self, options->hmp);
	qmpsh_parser_set_aliases (qmpsh_session_get_parser (self), aliases);
	qmpsh_session_set_pass_fds (self, options->pass_fds);
	qmpsh_session_set_exit_on_error (self, options->exit_on_error);
	qmpsh_session_set_read_only (self, options->read_only);
	qmpsh_session_set_format (self, options->format);
	qmpsh_session_set_raw (self, options->raw);
	if (options->events || !self->interactive)
		qmpsh_session_set_show_events (self,
					       !options->events			 ? QMPSH_EVENTS_NONE
					       : options->event_patterns != NULL ? QMPSH_EVENTS_ONLY
										 : QMPSH_EVENTS_ALL,
					       (const gchar *const *)options->event_patterns);
}

static void
qmpsh_session_dispose (GObject *object)
{
	QmpshSession *self = QMPSH_SESSION (object);

	if (self->client != NULL) {
		g_clear_signal_handler (&self->runstate_id, self->client);
		qmp_client_set_event_func (self->client, NULL, NULL);
		qmpsh_session_set_raw (self, FALSE);
	}
	g_clear_object (&self->client);
	g_clear_object (&self->introspect);
	g_clear_object (&self->sender);
	G_OBJECT_CLASS (qmpsh_session_parent_class)->dispose (object);
}

static void
qmpsh_session_finalize (GObject *object)
{
	QmpshSession *self = QMPSH_SESSION (object);

	g_clear_pointer (&self->queue, qmpsh_queue_free);
	g_clear_pointer (&self->events, qmpsh_events_free);
	g_clear_pointer (&self->parser, qmpsh_parser_free);
	g_clear_pointer (&self->pass_fds, g_array_unref);
	g_strfreev (self->event_patterns);
	G_OBJECT_CLASS (qmpsh_session_parent_class)->finalize (object);
}

static void
qmpsh_session_init (QmpshSession *self)
{
	self->queue = qmpsh_queue_new (&queue_hooks, self);
	self->events = qmpsh_events_new ();
	self->parser = qmpsh_parser_new ();
}

static void
qmpsh_session_class_init (QmpshSessionClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS (klass);
	GType type = G_TYPE_FROM_CLASS (klass);

	object_class->dispose = qmpsh_session_dispose;
	object_class->finalize = qmpsh_session_finalize;

	/**
	 * QmpshSession::confirm:
	 * @self: the session
	 * @name: the command to ask about; answer with qmpsh_session_answer()
	 */
	signals[SIGNAL_CONFIRM] = g_signal_new ("confirm", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL,
						NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

	/**
	 * QmpshSession::action:
	 * @self: the session
	 * @arg: (nullable): what the built-in names
	 *
	 * A built-in's turn asks something of the front end, detailed by what:
	 * `action::exit` (`.exit`: no more input is taken), `action::watch`
	 * (`.watch`, with the job), `action::waiting` (a `.wait-event` waits for
	 * the event named), `action::hints` (`.set hints`, with "on" or "off").
	 */
	signals[SIGNAL_ACTION] =
		g_signal_new ("action", type, G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0, NULL, NULL,
			      NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

	/**
	 * QmpshSession::lost:
	 * @self: the session
	 * @error: (type GError): why the connection went away
	 *
	 * The connection went away without being asked to.
	 */
	signals[SIGNAL_LOST] = g_signal_new ("lost", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
					     G_TYPE_NONE, 1, G_TYPE_POINTER);

	/**
	 * QmpshSession::quit:
	 * @self: the session
	 *
	 * The server closed after `quit` (or HMP's `q`), as asked.
	 */
	signals[SIGNAL_QUIT] =
		g_signal_new ("quit", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

	/**
	 * QmpshSession::done:
	 * @self: the session
	 *
	 * The input ended and every line of it is answered.
	 */
	signals[SIGNAL_DONE] =
		g_signal_new ("done", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

	/**
	 * QmpshSession::ended:
	 * @self: the session
	 * @status: the exit status
	 *
	 * The front end is done with the session.
	 */
	signals[SIGNAL_ENDED] = g_signal_new ("ended", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
					      G_TYPE_NONE, 1, G_TYPE_INT);
}
