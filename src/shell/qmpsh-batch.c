/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-batch.h"
#include "qmp-source.h"
#include "qmp-error.h"
#include "qmpsh-parser.h"

#include <errno.h>
#include <glib-unix.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* commands in flight at once; QEMU answers in order, so more buys nothing */
#define QMPSH_BATCH_WINDOW 64
/* events kept for .wait-event; older ones are dropped first */
#define QMPSH_BATCH_EVENTS_KEPT 1024

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
	QmpshParser *parser;
	QmpshFormatFlags format;
	gboolean print_events;
	gboolean echo;
	GArray *pass_fds;

	gint fd; /* standard input, or -1 with -c */
	GString *inbuf;
	gsize inpos; /* where the next line starts in inbuf */
	GSource *in_watch;
	gboolean fd_eof;
	gboolean skipping; /* in a line too long to keep */
	gsize last_len;	   /* the length of the line qmpsh_batch_next_line() returned */
	gsize searched;	   /* how much of the partial line at inpos has no LF */
	const gchar *const *commands;
	guint next_command;
	guint lineno;
	gboolean eof;
	GSource *stdout_flush;
	GSource *stdout_watch; /* a pipe's reader going away */

	GQueue entries; /* Entry, in input order */
	guint inflight;
	guint barriers; /* .wait-event entries queued: nothing is read past them */
	QmpshExit status;
	gboolean lost;
	gboolean quitting; /* `quit` was sent: the server closing is expected */
	int output_error;  /* errno of the first failed write to stdout */
	GPtrArray *unanswered;

	GQueue events;	  /* QmpMessage: events since the last command was sent */
	gboolean waiting; /* the .wait-event at the head of the queue has begun */
	GSource *wait_timeout;

	GTask *task;
	gulong runstate_id;
	gulong event_id;
};

G_DEFINE_FINAL_TYPE (QmpshBatch, qmpsh_batch, G_TYPE_OBJECT)

typedef enum {
	ENTRY_COMMAND, /* sent; done when its reply (or an error) is in */
	ENTRY_FAILURE, /* a line that sent nothing; its message goes to stderr */
	ENTRY_TEXT,    /* text for stdout, such as .help */
	ENTRY_WAIT,    /* .wait-event: done when the event is in */
	ENTRY_EVENTS,  /* .events on|off, applied in its turn */
} EntryKind;

typedef struct {
	QmpshBatch *self;
	EntryKind kind;
	guint lineno;
	gchar *name;
	gboolean own_id; /* the id is qmpsh's, not the user's: leave it out of the output */
	gboolean hmp;	 /* print the return string as text */
	gboolean done;
	QmpMessage *command;
	QmpMessage *reply;
	GError *error;
	gchar *text;	  /* FAILURE, TEXT */
	gint64 wait_msec; /* WAIT: 0 waits for ever */
	gboolean on;	  /* EVENTS */
} Entry;

static void qmpsh_batch_read_more (QmpshBatch *self);
static void qmpsh_batch_flush (QmpshBatch *self);

static const gchar *const qmpsh_batch_help =
	"Commands, one a line:\n"
	"  NAME key=value ...      a QMP command; a value is JSON when it parses as JSON,\n"
	"                          else a string; a.b=1 builds nested objects\n"
	"  {\"execute\": ...}        a command written whole in JSON\n"
	"  transaction( TYPE key=value ... ; TYPE ... )   may span lines\n"
	"  # comment\n"
	"Built-ins:\n"
	"  .help                   this text\n"
	"  .exit                   stop reading input\n"
	"  .wait-event NAME [timeout=SECONDS]\n"
	"                          wait for an event that came after the last command\n"
	"  .events on|off          print events among the replies, or not\n";

static void
entry_free (Entry *entry)
{
	g_free (entry->name);
	g_free (entry->text);
	g_clear_pointer (&entry->command, qmp_message_unref);
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

static void qmpsh_batch_check_done (QmpshBatch *self);

/*
 * The output is gone (the reader of a pipe went away, a full disk, a closed
 * descriptor): nothing more can be shown, so nothing more is sent, and the
 * run ends now. A reader that left is the common end of a pipeline (`|
 * head -1`), told only by the exit status, as a filter killed by SIGPIPE is.
 */
static void
qmpsh_batch_output_failed (QmpshBatch *self, int saved)
{
	if (self->output_error != 0)
		return;
	self->output_error = saved != 0 ? saved : EIO;
	if (self->output_error == EPIPE) {
		qmpsh_batch_raise (self, QMPSH_EXIT_PIPE);
	} else {
		g_printerr ("qmpsh: cannot write the output: %s; stopped, nothing more is sent\n",
			    g_strerror (self->output_error));
		qmpsh_batch_raise (self, QMPSH_EXIT_OUTPUT);
	}
	self->eof = TRUE;
	qmp_clear_source (&self->in_watch);
	qmpsh_batch_check_done (self);
}

static void
qmpsh_batch_write (QmpshBatch *self, const gchar *text, gsize len)
{
	if (self->output_error != 0)
		return;
	errno = 0;
	if (fwrite (text, 1, len, stdout) != len || ferror (stdout))
		qmpsh_batch_output_failed (self, errno);
}

/* what is buffered goes out now: before a message on stderr, and at the end */
static void
qmpsh_batch_sync (QmpshBatch *self)
{
	errno = 0;
	if (self->output_error == 0 && fflush (stdout) != 0)
		qmpsh_batch_output_failed (self, errno);
}

static void
qmpsh_batch_print (QmpshBatch *self, QmpMessage *message, gboolean drop_id)
{
	g_autoptr (GString) out = g_string_sized_new (qmp_message_get_length (message) + 2);
	qmpsh_format_json (out, qmp_message_get_text (message), qmp_message_get_length (message),
			   self->format | (drop_id ? QMPSH_FORMAT_DROP_ID : 0));
	g_string_append_c (out, '\n');
	qmpsh_batch_write (self, out->str, out->len);
}

static void
qmpsh_batch_printerr (QmpshBatch *self, Entry *entry, const gchar *text)
{
	qmpsh_batch_sync (self);
	g_printerr ("qmpsh: line %u: %s\n", entry->lineno, text);
}

/* an HMP reply is text: print it as the monitor would */
static gboolean
qmpsh_batch_print_hmp (QmpshBatch *self, QmpMessage *reply)
{
	JsonNode *ret = json_object_get_member (qmp_message_get_object (reply), "return");
	const gchar *text;

	g_autoptr (GString) out = NULL;

	if (ret == NULL || json_node_get_value_type (ret) != G_TYPE_STRING)
		return FALSE;
	/* HMP ends its lines with CRLF, for a terminal in raw mode; a pipe wants LF */
	out = g_string_new (NULL);
	for (text = json_node_get_string (ret); *text != '\0'; text++) {
		if (text[0] != '\r' || text[1] != '\n')
			g_string_append_c (out, *text);
	}
	if (out->len > 0 && out->str[out->len - 1] != '\n')
		g_string_append_c (out, '\n');
	qmpsh_batch_write (self, out->str, out->len);
	return TRUE;
}

static void
qmpsh_batch_finish_command (QmpshBatch *self, Entry *entry)
{
	g_autoptr (GError) error = NULL;

	if (self->echo && entry->command != NULL)
		qmpsh_batch_print (self, entry->command, entry->own_id);
	if (entry->reply == NULL) {
		if (g_error_matches (entry->error, QMP_ERROR, QMP_ERROR_DISCONNECTED) &&
		    g_strcmp0 (entry->name, "quit") == 0 && self->quitting)
			return; /* it did what it was asked */
		if (g_error_matches (entry->error, QMP_ERROR, QMP_ERROR_DISCONNECTED)) {
			g_ptr_array_add (
				self->unanswered,
				g_strdup_printf ("%s (line %u)", entry->name, entry->lineno));
			qmpsh_batch_raise (self, QMPSH_EXIT_CONNECTION);
			return;
		}
		{
			g_autofree gchar *text =
				g_strdup_printf ("%s: %s", entry->name, entry->error->message);
			qmpsh_batch_printerr (self, entry, text);
		}
		qmpsh_batch_raise (self, QMPSH_EXIT_COMMAND);
		return;
	}
	if (!entry->hmp || !qmpsh_batch_print_hmp (self, entry->reply))
		qmpsh_batch_print (self, entry->reply, entry->own_id);
	if (!qmp_client_reply_to_error (entry->reply, &error)) {
		g_autofree gchar *text =
			g_strdup_printf ("%s: %s (%s)", entry->name, error->message,
					 qmp_command_error_class_to_string (error->code));
		qmpsh_batch_printerr (self, entry, text);
		qmpsh_batch_raise (self, QMPSH_EXIT_COMMAND);
	}
}

/* ------------------------------------------------------------------------ */
/* .wait-event */

static QmpMessage *
qmpsh_batch_take_event (QmpshBatch *self, const gchar *name)
{
	for (GList *l = self->events.head; l != NULL; l = l->next) {
		QmpMessage *event = l->data;
		if (g_strcmp0 (qmp_message_get_event_name (event), name) == 0) {
			g_queue_delete_link (&self->events, l);
			return event;
		}
	}
	return NULL;
}

static void
qmpsh_batch_clear_wait (QmpshBatch *self)
{
	self->waiting = FALSE;
	if (self->wait_timeout == NULL)
		return;
	g_source_destroy (self->wait_timeout);
	g_clear_pointer (&self->wait_timeout, g_source_unref);
}

static void
qmpsh_batch_wait_done (QmpshBatch *self, Entry *entry)
{
	qmpsh_batch_clear_wait (self);
	entry->done = TRUE;
	self->barriers--;
	qmpsh_batch_flush (self);
	qmpsh_batch_read_more (self);
}

static gboolean
qmpsh_batch_wait_timeout_cb (gpointer user_data)
{
	QmpshBatch *self = QMPSH_BATCH (user_data);
	Entry *entry = g_queue_peek_head (&self->entries);

	g_clear_pointer (&self->wait_timeout, g_source_unref);
	entry->text = g_strdup_printf ("no %s event within %.3g s", entry->name,
				       entry->wait_msec / 1000.0);
	qmpsh_batch_wait_done (self, entry);
	return G_SOURCE_REMOVE;
}

/* the wait at the head of the queue begins: every earlier line is answered */
static gboolean
qmpsh_batch_begin_wait (QmpshBatch *self, Entry *entry)
{
	if (self->waiting)
		return FALSE;
	entry->reply = qmpsh_batch_take_event (self, entry->name);
	if (entry->reply != NULL || self->lost || self->quitting) {
		if (entry->reply == NULL)
			entry->text = g_strdup_printf ("no %s event: the connection is gone",
						       entry->name);
		entry->done = TRUE;
		self->barriers--;
		return TRUE;
	}
	self->waiting = TRUE;
	if (entry->wait_msec > 0) {
		self->wait_timeout = g_timeout_source_new (entry->wait_msec);
		g_source_set_callback (self->wait_timeout, qmpsh_batch_wait_timeout_cb, self, NULL);
		g_source_attach (self->wait_timeout, NULL);
	}
	return FALSE;
}

/* no event comes once the connection is gone: a wait in progress ends */
static void
qmpsh_batch_end_waits (QmpshBatch *self)
{
	Entry *head = g_queue_peek_head (&self->entries);

	if (!self->waiting || head == NULL || head->kind != ENTRY_WAIT)
		return;
	head->text = g_strdup_printf ("no %s event: the connection is gone", head->name);
	qmpsh_batch_wait_done (self, head);
}

/* ------------------------------------------------------------------------ */

static gboolean
qmpsh_batch_stdout_flush_cb (gpointer user_data)
{
	QmpshBatch *self = QMPSH_BATCH (user_data);
	g_clear_pointer (&self->stdout_flush, g_source_unref);
	qmpsh_batch_sync (self);
	return G_SOURCE_REMOVE;
}

/* one write for everything printed while the loop was busy, not one per reply */
static void
qmpsh_batch_schedule_flush (QmpshBatch *self)
{
	if (self->stdout_flush != NULL)
		return;
	self->stdout_flush = g_idle_source_new ();
	g_source_set_priority (self->stdout_flush, G_PRIORITY_LOW);
	g_source_set_callback (self->stdout_flush, qmpsh_batch_stdout_flush_cb, self, NULL);
	g_source_attach (self->stdout_flush, NULL);
}

/* prints every finished entry at the head of the queue, so output keeps input order */
static void
qmpsh_batch_flush (QmpshBatch *self)
{
	Entry *entry;

	while ((entry = g_queue_peek_head (&self->entries)) != NULL) {
		if (entry->kind == ENTRY_WAIT && !entry->done &&
		    !qmpsh_batch_begin_wait (self, entry))
			break;
		if (!entry->done)
			break;
		g_queue_pop_head (&self->entries);
		switch (entry->kind) {
		case ENTRY_COMMAND:
			qmpsh_batch_finish_command (self, entry);
			break;
		case ENTRY_WAIT:
			if (entry->reply != NULL) {
				qmpsh_batch_print (self, entry->reply, FALSE);
				break;
			}
			/* fall through */
		case ENTRY_FAILURE:
			qmpsh_batch_printerr (self, entry, entry->text);
			qmpsh_batch_raise (self, QMPSH_EXIT_COMMAND);
			break;
		case ENTRY_TEXT:
			qmpsh_batch_write (self, entry->text, strlen (entry->text));
			break;
		case ENTRY_EVENTS:
			self->print_events = entry->on;
			break;
		default:
			g_assert_not_reached ();
		}
		entry_free (entry);
	}
	qmpsh_batch_schedule_flush (self);
}

static void
qmpsh_batch_check_done (QmpshBatch *self)
{
	g_autoptr (GTask) task = NULL;

	if (self->task == NULL || !self->eof ||
	    (self->entries.length > 0 && self->output_error == 0))
		return;
	if (self->lost &&
	    qmp_protocol_get_runstate (QMP_PROTOCOL (self->client)) != QMP_RUNSTATE_IDLE)
		return; /* the reason for the loss is still to be printed */
	if (qmpsh_parser_in_transaction (self->parser)) {
		qmpsh_batch_sync (self);
		g_printerr ("qmpsh: line %u: the input ended inside transaction( ... ): not "
			    "sent\n",
			    self->lineno);
		qmpsh_batch_raise (self, QMPSH_EXIT_COMMAND);
		qmpsh_parser_reset (self->parser);
	}
	if (self->unanswered->len > 0) {
		g_autofree gchar *names = NULL;
		g_ptr_array_add (self->unanswered, NULL);
		names = g_strjoinv (", ", (gchar **)self->unanswered->pdata);
		g_printerr ("qmpsh: left unanswered: %s\n", names);
	}
	qmpsh_batch_sync (self);
	if (self->task == NULL)
		return; /* the output failed just now, and that finished the run */
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
	    qmp_message_get_kind (entry->reply) == QMP_MESSAGE_KIND_ERROR)
		self->quitting = FALSE;
	self->inflight--;
	qmpsh_batch_flush (self);
	qmpsh_batch_read_more (self);
	qmpsh_batch_check_done (self);
}

static Entry *
qmpsh_batch_push (QmpshBatch *self, EntryKind kind)
{
	Entry *entry = g_new0 (Entry, 1);
	entry->self = self;
	entry->kind = kind;
	entry->lineno = self->lineno;
	g_queue_push_tail (&self->entries, entry);
	return entry;
}

/* a line that sends nothing still reports in input order, after earlier replies */
static void
qmpsh_batch_fail_line (QmpshBatch *self, gchar *text)
{
	Entry *entry = qmpsh_batch_push (self, ENTRY_FAILURE);
	entry->text = text;
	entry->done = TRUE;
	qmpsh_batch_flush (self);
}

static void
qmpsh_batch_builtin (QmpshBatch *self, QmpshLine *line)
{
	guint argc = g_strv_length (line->argv);
	Entry *entry;

	if (g_strcmp0 (line->name, ".exit") == 0 && argc == 0) {
		self->eof = TRUE;
		return;
	}
	if (g_strcmp0 (line->name, ".help") == 0) {
		entry = qmpsh_batch_push (self, ENTRY_TEXT);
		entry->text = g_strdup (qmpsh_batch_help);
		entry->done = TRUE;
		qmpsh_batch_flush (self);
		return;
	}
	if (g_strcmp0 (line->name, ".events") == 0 && argc == 1 &&
	    (g_strcmp0 (line->argv[0], "on") == 0 || g_strcmp0 (line->argv[0], "off") == 0)) {
		entry = qmpsh_batch_push (self, ENTRY_EVENTS);
		entry->on = g_strcmp0 (line->argv[0], "on") == 0;
		entry->done = TRUE;
		qmpsh_batch_flush (self);
		return;
	}
	if (g_strcmp0 (line->name, ".wait-event") == 0 && (argc == 1 || argc == 2)) {
		gint64 msec = 0;
		if (argc == 2) {
			gchar *end = NULL;
			gdouble seconds = g_str_has_prefix (line->argv[1], "timeout=")
						  ? g_ascii_strtod (line->argv[1] + 8, &end)
						  : -1;
			if (end == NULL || end == line->argv[1] + 8 || *end != '\0' ||
			    seconds <= 0 || seconds > 1e6) {
				qmpsh_batch_fail_line (
					self, g_strdup_printf ("usage: .wait-event NAME "
							       "[timeout=SECONDS], not '%s'",
							       line->argv[1]));
				return;
			}
			msec = (gint64)(seconds * 1000);
		}
		entry = qmpsh_batch_push (self, ENTRY_WAIT);
		entry->name = g_strdup (line->argv[0]);
		entry->wait_msec = msec;
		self->barriers++;
		qmpsh_batch_flush (self);
		return;
	}
	if (g_strcmp0 (line->name, ".exit") == 0 || g_strcmp0 (line->name, ".events") == 0 ||
	    g_strcmp0 (line->name, ".wait-event") == 0) {
		qmpsh_batch_fail_line (
			self, g_strdup_printf ("wrong arguments to %s; see .help", line->name));
		return;
	}
	qmpsh_batch_fail_line (self,
			       g_strdup_printf ("unknown built-in '%s' (built-ins: .help, .exit, "
						".wait-event, .events)",
						line->name));
}

static void
qmpsh_batch_line (QmpshBatch *self, const gchar *text, gsize len)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (QmpshLine) line = NULL;
	g_autoptr (QmpMessage) command = NULL;
	g_autoptr (GUnixFDList) fds = NULL;
	Entry *entry;

	self->lineno++;
	if (len != strlen (text)) {
		qmpsh_batch_fail_line (self, g_strdup_printf ("a NUL byte at byte %" G_GSIZE_FORMAT,
							      strlen (text) + 1));
		return;
	}
	line = qmpsh_parser_feed (self->parser, text, &error);
	if (line == NULL) {
		qmpsh_batch_fail_line (self, g_strdup (error->message));
		return;
	}
	switch (line->kind) {
	case QMPSH_LINE_EMPTY:
	case QMPSH_LINE_CONTINUE:
		return;
	case QMPSH_LINE_BUILTIN:
		qmpsh_batch_builtin (self, line);
		return;
	case QMPSH_LINE_COMMAND:
	case QMPSH_LINE_RAW:
	case QMPSH_LINE_HMP:
	default:
		break;
	}

	if (line->kind == QMPSH_LINE_RAW) {
		command = qmp_message_new_from_data (line->json, -1, &error);
		if (command == NULL) {
			qmpsh_batch_fail_line (self, g_strdup (error->message));
			return;
		}
	} else {
		/* built by the parser: valid, without an id, not worth parsing again */
		command =
			qmp_message_new_command (g_steal_pointer (&line->json), line->name, FALSE);
	}
	fds = qmpsh_line_open_fds (line, self->pass_fds,
				   qmp_protocol_can_pass_fds (QMP_PROTOCOL (self->client)), &error);
	if (fds == NULL && error != NULL) {
		qmpsh_batch_fail_line (self, g_strdup_printf ("%s: %s (nothing sent)", line->name,
							      error->message));
		return;
	}
	/* .wait-event looks at what came after the command before it */
	g_queue_clear_full (&self->events, (GDestroyNotify)qmp_message_unref);
	entry = qmpsh_batch_push (self, ENTRY_COMMAND);
	entry->name = g_strdup (line->name);
	entry->own_id = !qmp_message_has_id (command);
	entry->hmp = line->kind == QMPSH_LINE_HMP;
	/* QEMU may close before its reply to quit is out: that close is no loss */
	if (g_strcmp0 (line->name, "quit") == 0)
		self->quitting = TRUE;
	if (self->echo)
		entry->command = qmp_message_ref (command);
	self->inflight++;
	qmp_client_send_async (self->client, command, fds, NULL, qmpsh_batch_sent_cb, entry);
}

static gboolean
qmpsh_batch_can_read (QmpshBatch *self)
{
	return !self->eof && !self->lost && self->output_error == 0 && self->barriers == 0 &&
	       self->inflight < QMPSH_BATCH_WINDOW;
}

static gboolean qmpsh_batch_input_cb (gint fd, GIOCondition condition, gpointer user_data);

/*
 * The next whole line of standard input, or NULL; at the end a last line may
 * lack its LF. A line longer than QEMU reads is not kept: it is dropped as it
 * comes, and reported as a failed line once its end is found.
 */
static gchar *
qmpsh_batch_next_line (QmpshBatch *self, gboolean *too_long)
{
	const gchar *start = self->inbuf->str + self->inpos;
	gsize avail = self->inbuf->len - self->inpos;
	/* a long line comes in many reads: what was searched is not searched again */
	gsize searched = MIN (self->searched, avail);
	const gchar *nl = memchr (start + searched, '\n', avail - searched);
	gsize len;

	*too_long = FALSE;
	self->searched = 0;
	if (nl == NULL) {
		self->searched = avail;
		if (avail > QMPSH_LINE_MAX) {
			self->skipping = TRUE;
			self->inpos = self->inbuf->len;
			self->searched = 0;
			avail = 0;
		}
		if (!self->fd_eof || (avail == 0 && !self->skipping))
			return NULL;
		nl = self->inbuf->str + self->inbuf->len;
	}
	len = nl - start;
	self->inpos += len + (nl < self->inbuf->str + self->inbuf->len ? 1 : 0);
	if (self->skipping) {
		self->skipping = FALSE;
		*too_long = TRUE;
		return NULL;
	}
	if (len > 0 && start[len - 1] == '\r')
		len--;
	self->last_len = len;
	return g_strndup (start, len);
}

static void
qmpsh_batch_read_more (QmpshBatch *self)
{
	if (self->commands != NULL) {
		while (qmpsh_batch_can_read (self)) {
			const gchar *text = self->commands[self->next_command];
			if (text == NULL) {
				self->eof = TRUE;
				break;
			}
			self->next_command++;
			qmpsh_batch_line (self, text, strlen (text));
		}
		return;
	}
	while (qmpsh_batch_can_read (self)) {
		gboolean too_long = FALSE;
		g_autofree gchar *text = qmpsh_batch_next_line (self, &too_long);
		if (too_long) {
			self->lineno++;
			qmpsh_batch_fail_line (
				self, g_strdup_printf ("the line is longer than %u MiB, QEMU's "
						       "limit for one command: skipped",
						       QMPSH_LINE_MAX >> 20));
			continue;
		}
		if (text == NULL) {
			if (self->fd_eof) {
				self->eof = TRUE;
				break;
			}
			/* lines run out: read more when there is more */
			if (self->in_watch == NULL) {
				self->in_watch = g_unix_fd_source_new (
					self->fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
				g_source_set_callback (self->in_watch,
						       G_SOURCE_FUNC (qmpsh_batch_input_cb), self,
						       NULL);
				g_source_attach (self->in_watch, NULL);
			}
			return;
		}
		qmpsh_batch_line (self, text, self->last_len);
	}
	/* enough in flight, or done: stop reading, so that the input waits in its pipe */
	qmp_clear_source (&self->in_watch);
}

static gboolean
qmpsh_batch_input_cb (gint fd, GIOCondition condition, gpointer user_data)
{
	QmpshBatch *self = QMPSH_BATCH (user_data);
	gchar buf[65536];
	gssize n = read (fd, buf, sizeof (buf));

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return G_SOURCE_CONTINUE;
	if (n < 0) {
		qmpsh_batch_sync (self);
		g_printerr ("qmpsh: reading standard input: %s\n", g_strerror (errno));
		qmpsh_batch_raise (self, QMPSH_EXIT_COMMAND);
	}
	if (n <= 0)
		self->fd_eof = TRUE;
	else
		g_string_append_len (self->inbuf, buf, n);
	if (self->inpos > 65536) {
		g_string_erase (self->inbuf, 0, self->inpos);
		self->inpos = 0;
	}
	qmpsh_batch_read_more (self);
	qmpsh_batch_check_done (self);
	return G_SOURCE_CONTINUE;
}

static void
qmpsh_batch_lost_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshBatch) self = QMPSH_BATCH (user_data);
	g_autoptr (GError) error = NULL;

	if (!qmp_protocol_disconnect_finish (QMP_PROTOCOL (source), res, &error)) {
		qmpsh_batch_sync (self);
		g_printerr ("qmpsh: lost the connection: %s\n", error->message);
	}
	qmpsh_batch_raise (self, QMPSH_EXIT_CONNECTION);
	self->eof = TRUE;
	qmpsh_batch_end_waits (self);
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
		qmpsh_batch_end_waits (self);
		qmpsh_batch_flush (self);
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
	Entry *head = g_queue_peek_head (&self->entries);

	if (self->print_events) {
		qmpsh_batch_print (self, message, FALSE);
		qmpsh_batch_schedule_flush (self);
	}
	g_queue_push_tail (&self->events, qmp_message_ref (message));
	if (self->events.length > QMPSH_BATCH_EVENTS_KEPT)
		qmp_message_unref (g_queue_pop_head (&self->events));
	if (head != NULL && head->kind == ENTRY_WAIT && self->waiting &&
	    g_strcmp0 (head->name, name) == 0) {
		head->reply = qmpsh_batch_take_event (self, name);
		qmpsh_batch_wait_done (self, head);
		qmpsh_batch_check_done (self);
	}
}

static gboolean
qmpsh_batch_reader_gone_cb (gint fd, GIOCondition condition, gpointer user_data)
{
	QmpshBatch *self = QMPSH_BATCH (user_data);
	g_clear_pointer (&self->stdout_watch, g_source_unref);
	qmpsh_batch_output_failed (self, EPIPE);
	return G_SOURCE_REMOVE;
}

/* a pipe whose reader left says so at once: nothing more is sent from then on */
static void
qmpsh_batch_watch_reader (QmpshBatch *self)
{
	struct stat st;

	if (fstat (STDOUT_FILENO, &st) != 0 || !(S_ISFIFO (st.st_mode) || S_ISSOCK (st.st_mode)))
		return;
	self->stdout_watch = g_unix_fd_source_new (STDOUT_FILENO, G_IO_ERR | G_IO_HUP);
	g_source_set_callback (self->stdout_watch, G_SOURCE_FUNC (qmpsh_batch_reader_gone_cb),
			       self, NULL);
	g_source_attach (self->stdout_watch, NULL);
}

/**
 * qmpsh_batch_new:
 * @client: a connected client
 * @parser: (transfer full): the command language, set up (HMP mode or not)
 *
 * Returns: (transfer full): a batch front end
 */
QmpshBatch *
qmpsh_batch_new (QmpClient *client, QmpshParser *parser)
{
	QmpshBatch *self = g_object_new (QMPSH_TYPE_BATCH, NULL);
	self->client = g_object_ref (client);
	self->parser = parser;
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
 * qmpsh_batch_set_pass_fds:
 * @self: a batch front end
 * @fds: (nullable): inherited descriptors that `<&N` may pass
 */
void
qmpsh_batch_set_pass_fds (QmpshBatch *self, GArray *fds)
{
	g_clear_pointer (&self->pass_fds, g_array_unref);
	self->pass_fds = fds != NULL ? g_array_ref (fds) : NULL;
}

/**
 * qmpsh_batch_set_echo:
 * @self: a batch front end
 * @echo: whether each command is printed, as sent, before its reply
 */
void
qmpsh_batch_set_echo (QmpshBatch *self, gboolean echo)
{
	self->echo = echo;
}

/**
 * qmpsh_batch_run_async:
 * @self: a batch front end
 * @fd: where the commands come from, one a line, or -1 when they come from @commands
 * @commands: (nullable): the commands, when they come from `-c` instead
 * @callback: called when every command is answered or the connection is lost
 * @user_data: data for @callback
 */
void
qmpsh_batch_run_async (QmpshBatch *self, gint fd, const gchar *const *commands,
		       GAsyncReadyCallback callback, gpointer user_data)
{
	self->task = g_task_new (self, NULL, callback, user_data);
	g_task_set_source_tag (self->task, qmpsh_batch_run_async);
	self->commands = commands;
	self->fd = fd;
	qmpsh_batch_watch_reader (self);
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
	qmpsh_batch_clear_wait (self);
	g_clear_object (&self->client);
	qmp_clear_source (&self->in_watch);
	qmp_clear_source (&self->stdout_flush);
	qmp_clear_source (&self->stdout_watch);
	G_OBJECT_CLASS (qmpsh_batch_parent_class)->dispose (object);
}

static void
qmpsh_batch_finalize (GObject *object)
{
	QmpshBatch *self = QMPSH_BATCH (object);
	g_queue_clear_full (&self->entries, (GDestroyNotify)entry_free);
	g_queue_clear_full (&self->events, (GDestroyNotify)qmp_message_unref);
	g_ptr_array_unref (self->unanswered);
	g_string_free (self->inbuf, TRUE);
	g_clear_pointer (&self->pass_fds, g_array_unref);
	g_clear_pointer (&self->parser, qmpsh_parser_free);
	g_clear_object (&self->task);
	G_OBJECT_CLASS (qmpsh_batch_parent_class)->finalize (object);
}

static void
qmpsh_batch_init (QmpshBatch *self)
{
	g_queue_init (&self->entries);
	g_queue_init (&self->events);
	self->unanswered = g_ptr_array_new_with_free_func (g_free);
	self->inbuf = g_string_new (NULL);
	self->fd = -1;
}

static void
qmpsh_batch_class_init (QmpshBatchClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS (klass);
	object_class->dispose = qmpsh_batch_dispose;
	object_class->finalize = qmpsh_batch_finalize;
}
