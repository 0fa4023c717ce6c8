/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-batch.h"
#include "qmp-error.h"
#include "qmpsh-parser.h"

#include <stdio.h>

/* commands in flight at once; QEMU answers in order, so more buys nothing */
#define QMPSH_BATCH_WINDOW 64

/**
 * QmpshBatch:
 *
 * The front end for input that is not a terminal: reads commands line by
 * line (or from `-c`), pipelines them, prints each reply as one JSON line in
 * input order, and works out the exit status. Prints no banner and no prompt.
 */
struct _QmpshBatch {
	GObject parent_instance;
	QmpClient *client;
	QmpshFormatFlags format;
	gboolean print_events;

	GDataInputStream *input;
	const gchar *const *commands;
	guint next_command;
	guint lineno;
	gboolean reading;
	gboolean eof;

	GQueue entries; /* Entry, in input order */
	guint inflight;
	QmpshExit status;
	gboolean lost;
	gboolean quitting; /* `quit` succeeded: the server closing is expected */
	GPtrArray *unanswered;

	GTask *task;
	gulong runstate_id;
	gulong event_id;
};

G_DEFINE_FINAL_TYPE (QmpshBatch, qmpsh_batch, G_TYPE_OBJECT)

typedef struct {
	QmpshBatch *self;
	guint lineno;
	gchar *name;
	gboolean own_id; /* the id is qmpsh's, not the user's: leave it out of the output */
	gboolean done;
	QmpMessage *reply;
	GError *error;
	gchar *failure; /* a line that sent nothing: said on stderr in its turn */
} Entry;

static void qmpsh_batch_read_more (QmpshBatch *self);

static void
entry_free (Entry *entry)
{
	g_free (entry->name);
	g_free (entry->failure);
	g_clear_pointer (&entry->reply, qmp_message_unref);
	g_clear_error (&entry->error);
	g_free (entry);
}

static void
qmpsh_batch_raise (QmpshBatch *self, QmpshExit status)
{
	if (status > self->status)
		self->status = status;
}

static void
qmpsh_batch_print (QmpshBatch *self, QmpMessage *message, gboolean drop_id)
{
	g_autoptr (GString) out = g_string_sized_new (qmp_message_get_length (message) + 2);
	qmpsh_format_json (out, qmp_message_get_text (message), qmp_message_get_length (message),
			   self->format | (drop_id ? QMPSH_FORMAT_DROP_ID : 0));
	g_string_append_c (out, '\n');
	fwrite (out->str, 1, out->len, stdout);
}

/* prints every finished entry at the head of the queue, so output keeps input order */
static void
qmpsh_batch_flush (QmpshBatch *self)
{
	Entry *entry;

	while ((entry = g_queue_peek_head (&self->entries)) != NULL && entry->done) {
		g_queue_pop_head (&self->entries);
		if (entry->failure != NULL) {
			fflush (stdout);
			g_printerr ("qmpsh: line %u: %s\n", entry->lineno, entry->failure);
			qmpsh_batch_raise (self, QMPSH_EXIT_COMMAND);
		} else if (entry->reply != NULL) {
			g_autoptr (GError) error = NULL;
			qmpsh_batch_print (self, entry->reply, entry->own_id);
			if (!qmp_client_reply_to_error (entry->reply, &error)) {
				fflush (stdout);
				g_printerr ("qmpsh: line %u: %s: %s (%s)\n", entry->lineno,
					    entry->name, error->message,
					    qmp_command_error_class_to_string (error->code));
				qmpsh_batch_raise (self, QMPSH_EXIT_COMMAND);
			}
		} else if (g_error_matches (entry->error, QMP_ERROR, QMP_ERROR_DISCONNECTED)) {
			g_ptr_array_add (
				self->unanswered,
				g_strdup_printf ("%s (line %u)", entry->name, entry->lineno));
			qmpsh_batch_raise (self, QMPSH_EXIT_CONNECTION);
		} else {
			fflush (stdout);
			g_printerr ("qmpsh: line %u: %s: %s\n", entry->lineno, entry->name,
				    entry->error->message);
			qmpsh_batch_raise (self, QMPSH_EXIT_COMMAND);
		}
		entry_free (entry);
	}
	fflush (stdout);
}

static void
qmpsh_batch_check_done (QmpshBatch *self)
{
	g_autoptr (GTask) task = NULL;

	if (self->task == NULL || !self->eof || self->entries.length > 0)
		return;
	if (self->lost &&
	    qmp_protocol_get_runstate (QMP_PROTOCOL (self->client)) != QMP_RUNSTATE_IDLE)
		return; /* the reason for the loss is still to be printed */
	if (self->unanswered->len > 0) {
		g_autofree gchar *names = NULL;
		g_ptr_array_add (self->unanswered, NULL);
		names = g_strjoinv (", ", (gchar **)self->unanswered->pdata);
		g_printerr ("qmpsh: left unanswered: %s\n", names);
	}
	task = g_steal_pointer (&self->task);
	g_task_return_int (task, self->status);
}

static void
qmpsh_batch_sent_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	Entry *entry = user_data;
	QmpshBatch *self = entry->self;

	entry->reply = qmp_client_send_finish (QMP_CLIENT (source), res, &entry->error);
	entry->done = TRUE;
	if (entry->reply != NULL && g_strcmp0 (entry->name, "quit") == 0 &&
	    qmp_message_get_kind (entry->reply) == QMP_MESSAGE_KIND_RETURN)
		self->quitting = TRUE;
	self->inflight--;
	qmpsh_batch_flush (self);
	qmpsh_batch_read_more (self);
	qmpsh_batch_check_done (self);
}

static Entry *
qmpsh_batch_push (QmpshBatch *self)
{
	Entry *entry = g_new0 (Entry, 1);
	entry->self = self;
	entry->lineno = self->lineno;
	g_queue_push_tail (&self->entries, entry);
	return entry;
}

/* a line that sends nothing still reports in input order, after earlier replies */
static void
qmpsh_batch_fail_line (QmpshBatch *self, gchar *failure)
{
	Entry *entry = qmpsh_batch_push (self);
	entry->failure = failure;
	entry->done = TRUE;
	qmpsh_batch_flush (self);
}

static void
qmpsh_batch_line (QmpshBatch *self, const gchar *text)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (QmpshLine) line = NULL;
	g_autoptr (QmpMessage) command = NULL;
	Entry *entry;

	self->lineno++;
	line = qmpsh_parse_line (text, &error);
	if (line == NULL) {
		qmpsh_batch_fail_line (self, g_strdup (error->message));
		return;
	}
	switch (line->kind) {
	case QMPSH_LINE_EMPTY:
		return;
	case QMPSH_LINE_BUILTIN:
		if (g_strcmp0 (line->name, ".exit") == 0) {
			self->eof = TRUE;
			return;
		}
		qmpsh_batch_fail_line (
			self,
			g_strdup_printf ("unknown built-in '%s' (built-ins: .exit)", line->name));
		return;
	case QMPSH_LINE_COMMAND:
	case QMPSH_LINE_RAW:
	default:
		break;
	}

	command = qmp_message_new_from_data (line->json, -1, &error);
	if (command == NULL) {
		qmpsh_batch_fail_line (self, g_strdup (error->message));
		return;
	}
	entry = qmpsh_batch_push (self);
	entry->name = g_strdup (line->name);
	entry->own_id = qmp_message_get_id (command) == NULL;
	self->inflight++;
	qmp_client_send_async (self->client, command, NULL, NULL, qmpsh_batch_sent_cb, entry);
}

static void
qmpsh_batch_read_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshBatch) self = QMPSH_BATCH (user_data);
	g_autoptr (GError) error = NULL;
	g_autofree gchar *text = NULL;
	gsize len = 0;

	self->reading = FALSE;
	text = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), res, &len,
							  &error);
	if (text == NULL) {
		if (error != NULL) {
			g_printerr ("qmpsh: reading standard input: %s\n", error->message);
			qmpsh_batch_raise (self, QMPSH_EXIT_COMMAND);
		}
		self->eof = TRUE;
		qmpsh_batch_check_done (self);
		return;
	}
	if (!self->lost)
		qmpsh_batch_line (self, text);
	qmpsh_batch_read_more (self);
	qmpsh_batch_check_done (self);
}

static void
qmpsh_batch_read_more (QmpshBatch *self)
{
	if (self->eof || self->lost)
		return;
	if (self->commands != NULL) {
		while (!self->eof && self->inflight < QMPSH_BATCH_WINDOW) {
			const gchar *text = self->commands[self->next_command];
			if (text == NULL) {
				self->eof = TRUE;
				break;
			}
			self->next_command++;
			qmpsh_batch_line (self, text);
		}
		return;
	}
	if (self->reading || self->inflight >= QMPSH_BATCH_WINDOW)
		return;
	self->reading = TRUE;
	g_data_input_stream_read_line_async (self->input, G_PRIORITY_DEFAULT, NULL,
					     qmpsh_batch_read_cb, g_object_ref (self));
}

static void
qmpsh_batch_lost_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshBatch) self = QMPSH_BATCH (user_data);
	g_autoptr (GError) error = NULL;

	if (!qmp_protocol_disconnect_finish (QMP_PROTOCOL (source), res, &error)) {
		fflush (stdout);
		g_printerr ("qmpsh: lost the connection: %s\n", error->message);
	}
	qmpsh_batch_raise (self, QMPSH_EXIT_CONNECTION);
	self->eof = TRUE;
	qmpsh_batch_flush (self);
	qmpsh_batch_check_done (self);
}

static void
qmpsh_batch_runstate_cb (QmpProtocol *protocol, QmpRunstate runstate, gpointer user_data)
{
	QmpshBatch *self = QMPSH_BATCH (user_data);

	if (runstate != QMP_RUNSTATE_DISCONNECTING || self->task == NULL || self->lost)
		return;
	if (self->quitting) {
		/* QEMU closes after `quit`: what comes after it in the input cannot run */
		self->eof = TRUE;
		qmpsh_batch_check_done (self);
		return;
	}
	/* nobody asked for this disconnect: the peer went away or broke the protocol */
	self->lost = TRUE;
	qmp_protocol_disconnect_async (protocol, NULL, qmpsh_batch_lost_cb, g_object_ref (self));
}

static void
qmpsh_batch_event_cb (QmpClient *client, const gchar *name, QmpMessage *message, gpointer user_data)
{
	QmpshBatch *self = QMPSH_BATCH (user_data);
	if (!self->print_events)
		return;
	qmpsh_batch_print (self, message, FALSE);
	fflush (stdout);
}

/**
 * qmpsh_batch_new:
 * @client: a connected client
 *
 * Returns: (transfer full): a batch front end
 */
QmpshBatch *
qmpsh_batch_new (QmpClient *client)
{
	QmpshBatch *self = g_object_new (QMPSH_TYPE_BATCH, NULL);
	self->client = g_object_ref (client);
	self->runstate_id = g_signal_connect (client, "runstate-changed",
					      G_CALLBACK (qmpsh_batch_runstate_cb), self);
	self->event_id =
		g_signal_connect (client, "event", G_CALLBACK (qmpsh_batch_event_cb), self);
	return self;
}

/**
 * qmpsh_batch_set_format:
 * @self: a batch front end
 * @flags: how replies and events are laid out
 */
void
qmpsh_batch_set_format (QmpshBatch *self, QmpshFormatFlags flags)
{
	self->format = flags;
}

/**
 * qmpsh_batch_set_print_events:
 * @self: a batch front end
 * @print_events: whether events are printed, as JSON lines among the replies
 */
void
qmpsh_batch_set_print_events (QmpshBatch *self, gboolean print_events)
{
	self->print_events = print_events;
}

/**
 * qmpsh_batch_run_async:
 * @self: a batch front end
 * @input: (nullable): where the commands come from, one a line
 * @commands: (nullable): the commands, when they come from `-c` instead
 * @callback: called when every command is answered or the connection is lost
 * @user_data: data for @callback
 */
void
qmpsh_batch_run_async (QmpshBatch *self, GInputStream *input, const gchar *const *commands,
		       GAsyncReadyCallback callback, gpointer user_data)
{
	self->task = g_task_new (self, NULL, callback, user_data);
	g_task_set_source_tag (self->task, qmpsh_batch_run_async);
	self->commands = commands;
	if (input != NULL) {
		self->input = g_data_input_stream_new (input);
		g_data_input_stream_set_newline_type (self->input, G_DATA_STREAM_NEWLINE_TYPE_ANY);
	}
	qmpsh_batch_read_more (self);
	qmpsh_batch_check_done (self);
}

/**
 * qmpsh_batch_run_finish:
 * @self: a batch front end
 * @result: the result
 *
 * Returns: the exit status
 */
QmpshExit
qmpsh_batch_run_finish (QmpshBatch *self, GAsyncResult *result)
{
	return g_task_propagate_int (G_TASK (result), NULL);
}

static void
qmpsh_batch_dispose (GObject *object)
{
	QmpshBatch *self = QMPSH_BATCH (object);
	if (self->client != NULL) {
		g_clear_signal_handler (&self->runstate_id, self->client);
		g_clear_signal_handler (&self->event_id, self->client);
	}
	g_clear_object (&self->client);
	g_clear_object (&self->input);
	G_OBJECT_CLASS (qmpsh_batch_parent_class)->dispose (object);
}

static void
qmpsh_batch_finalize (GObject *object)
{
	QmpshBatch *self = QMPSH_BATCH (object);
	g_queue_clear_full (&self->entries, (GDestroyNotify)entry_free);
	g_ptr_array_unref (self->unanswered);
	g_clear_object (&self->task);
	G_OBJECT_CLASS (qmpsh_batch_parent_class)->finalize (object);
}

static void
qmpsh_batch_init (QmpshBatch *self)
{
	g_queue_init (&self->entries);
	self->unanswered = g_ptr_array_new_with_free_func (g_free);
}

static void
qmpsh_batch_class_init (QmpshBatchClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS (klass);
	object_class->dispose = qmpsh_batch_dispose;
	object_class->finalize = qmpsh_batch_finalize;
}
