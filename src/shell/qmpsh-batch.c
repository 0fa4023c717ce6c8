/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "config.h"

#include "qmpsh-batch.h"
#include "qmp-command-error.h"
#include "qmp-error.h"
#include "qmp-source.h"
#include "qmpsh-hints.h"
#include "qmpsh-reader.h"

#include <errno.h>
#include <glib-unix.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>

/* only the main thread writes to stdout: its lock is a cost a line */
#if HAVE_STDIO_UNLOCKED
#define qmpsh_fwrite fwrite_unlocked
#define qmpsh_ferror ferror_unlocked
#define qmpsh_putc   putc_unlocked
#else
#define qmpsh_fwrite fwrite
#define qmpsh_ferror ferror
#define qmpsh_putc   putc
#endif

/* commands in flight at once; QEMU answers in order, so more buys nothing */
#define QMPSH_BATCH_WINDOW 64

#define QMPSH_BATCH_SCRATCH_MAX (1024 * 1024)

/**
 * QmpshBatch:
 *
 * The front end for input that is not a terminal: feeds the session line by
 * line (from standard input or `-c`), as fast as its window of commands in
 * flight allows, and lays out what the session says: replies and events as
 * JSON lines on stdout, in input order, and one line on stderr for each line
 * that failed. Prints no banner and no prompt. A reader of stdout that goes
 * away, or a write that fails, ends the run at once.
 *
 * With a target (qmpsh_batch_set_target()), one of several runs at once,
 * each line says which target it is about: a JSON message gets a first
 * member `"target"`, a line of text and a line on stderr a `TARGET: ` prefix.
 */
struct _QmpshBatch {
	GObject parent_instance;
	QmpshSession *session;
	QmpshFormatFlags format;
	gboolean echo;
	gchar *target; /* (nullable): the tag of each line, among several targets */

	QmpshReader *reader; /* standard input, or NULL with -c */
	const gchar *const *commands;
	guint next_command;
	guint lineno;
	gboolean eof;
	gboolean reading;

	GSource *stdout_flush;	/* QmpshBatchFlush */
	gint64 unflushed_since; /* when stdout's buffer took what it holds, or 0 */
	GSource *stdout_watch;	/* a pipe's reader going away */
	int output_error;	/* errno of the first failed write to stdout */
	GPtrArray *unanswered;
	GString *scratch; /* a message laid out */

	gboolean running;
};

G_DEFINE_TYPE (QmpshBatch, qmpsh_batch, G_TYPE_OBJECT)

static void qmpsh_batch_finish (QmpshBatch *self);
static void qmpsh_batch_read_more (QmpshBatch *self);
static void qmpsh_batch_sync (QmpshBatch *self);

/* one line on stderr, after what stdout holds so far; tagged among several targets */
static void G_GNUC_PRINTF (2, 3) qmpsh_batch_say (QmpshBatch *self, const gchar *format, ...)
{
	g_autofree gchar *text = NULL;
	va_list args;

	va_start (args, format);
	text = g_strdup_vprintf (format, args);
	va_end (args);
	qmpsh_batch_sync (self);
	if (self->target != NULL)
		g_printerr ("%s: %s\n", self->target, text);
	else
		g_printerr ("%s\n", text);
}

/* ------------------------------------------------------------------------ */
/* output */

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
		qmpsh_session_raise_status (self->session, QMPSH_EXIT_PIPE);
	} else {
		qmpsh_batch_say (
			self, "qmpsh: cannot write the output: %s; stopped, nothing more is sent",
			g_strerror (self->output_error));
		qmpsh_session_raise_status (self->session, QMPSH_EXIT_OUTPUT);
	}
	self->eof = TRUE;
	qmpsh_batch_finish (self);
}

static void
qmpsh_batch_write (QmpshBatch *self, const gchar *text, gsize len)
{
	if (self->output_error != 0)
		return;
	errno = 0;
	if (qmpsh_fwrite (text, 1, len, stdout) != len || qmpsh_ferror (stdout))
		qmpsh_batch_output_failed (self, errno);
}

/* @text and a newline: a JSON line */
static void
qmpsh_batch_write_line (QmpshBatch *self, const gchar *text, gsize len)
{
	if (self->output_error != 0)
		return;
	errno = 0;
	if (qmpsh_fwrite (text, 1, len, stdout) != len || qmpsh_putc ('\n', stdout) == EOF ||
	    qmpsh_ferror (stdout))
		qmpsh_batch_output_failed (self, errno);
}

/* what is buffered goes out now: before a message on stderr, and at the end */
static void
qmpsh_batch_sync (QmpshBatch *self)
{
	errno = 0;
	self->unflushed_since = 0;
	if (self->output_error == 0 && fflush (stdout) != 0)
		qmpsh_batch_output_failed (self, errno);
}

/*
 * What is printed waits in stdout's buffer, and goes out in one write,
 * once the loop has nothing more to do and no reply is still to come: a
 * script that reads each reply before it writes the next command has it at
 * once, and a pipeline of commands costs a write per buffer, not one per
 * reply. Replies still to come hold the output back QMPSH_BATCH_FLUSH_DELAY
 * at most, for one may take long, or never come. One source, made once,
 * that the loop asks before it sleeps.
 *
 * The deadline is a timerfd's, armed once a window: as a timeout of poll()
 * it would arm and cancel a kernel timer at each of the pipeline's wake-ups,
 * one a reply. Without a timerfd (out of descriptors), poll's timeout it is.
 */
#define QMPSH_BATCH_FLUSH_DELAY (10 * G_TIME_SPAN_MILLISECOND)

typedef struct {
	GSource source;
	QmpshBatch *batch; /* not a reference: the batch destroys the source first */
	int timer_fd;	   /* -1: the deadline is poll's timeout */
	gpointer timer_tag;
	gboolean armed; /* the timer runs, or has fired unread */
} QmpshBatchFlush;

/* the time left to the deadline of what stdout holds, 0 once it is due, or -1 */
static gint64
qmpsh_batch_flush_left (QmpshBatchFlush *flush)
{
	QmpshBatch *self = flush->batch;
	gint64 left;

	if (self->unflushed_since == 0)
		return -1;
	if (!qmpsh_session_awaits_reply (self->session))
		return 0;
	left = self->unflushed_since + QMPSH_BATCH_FLUSH_DELAY -
	       g_source_get_time ((GSource *)flush);
	return MAX (left, 0);
}

static void
qmpsh_batch_flush_arm (QmpshBatchFlush *flush, gint64 left)
{
	struct itimerspec when = {
		.it_value.tv_sec = left / G_USEC_PER_SEC,
		.it_value.tv_nsec = (left % G_USEC_PER_SEC) * 1000,
	};

	if (timerfd_settime (flush->timer_fd, 0, &when, NULL) == 0) {
		flush->armed = TRUE;
		return;
	}
	g_source_remove_unix_fd ((GSource *)flush, flush->timer_tag);
	close (flush->timer_fd);
	flush->timer_fd = -1;
}

static gboolean
qmpsh_batch_flush_prepare (GSource *source, gint *timeout)
{
	QmpshBatchFlush *flush = (QmpshBatchFlush *)source;
	gint64 left = qmpsh_batch_flush_left (flush);

	*timeout = -1;
	if (left <= 0)
		return left == 0;
	if (flush->timer_fd >= 0 && !flush->armed)
		qmpsh_batch_flush_arm (flush, left);
	if (flush->timer_fd < 0)
		*timeout = (gint)((left + 999) / 1000);
	return FALSE;
}

static gboolean
qmpsh_batch_flush_check (GSource *source)
{
	QmpshBatchFlush *flush = (QmpshBatchFlush *)source;

	if (flush->timer_fd >= 0 &&
	    (g_source_query_unix_fd (source, flush->timer_tag) & G_IO_IN) != 0)
		return TRUE;
	return qmpsh_batch_flush_left (flush) == 0;
}

static gboolean
qmpsh_batch_flush_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
	QmpshBatchFlush *flush = (QmpshBatchFlush *)source;
	guint64 expirations;

	if (flush->timer_fd >= 0 &&
	    (g_source_query_unix_fd (source, flush->timer_tag) & G_IO_IN) != 0 &&
	    read (flush->timer_fd, &expirations, sizeof expirations) >= 0)
		flush->armed = FALSE;
	if (qmpsh_batch_flush_left (flush) == 0)
		qmpsh_batch_sync (flush->batch);
	return G_SOURCE_CONTINUE;
}

static void
qmpsh_batch_flush_finalize (GSource *source)
{
	QmpshBatchFlush *flush = (QmpshBatchFlush *)source;

	if (flush->timer_fd >= 0)
		close (flush->timer_fd);
}

static GSourceFuncs qmpsh_batch_flush_funcs = {
	.prepare = qmpsh_batch_flush_prepare,
	.check = qmpsh_batch_flush_check,
	.dispatch = qmpsh_batch_flush_dispatch,
	.finalize = qmpsh_batch_flush_finalize,
};

static GSource *
qmpsh_batch_flush_new (QmpshBatch *batch)
{
	GSource *source = g_source_new (&qmpsh_batch_flush_funcs, sizeof (QmpshBatchFlush));
	QmpshBatchFlush *flush = (QmpshBatchFlush *)source;

	flush->batch = batch;
	flush->timer_fd = timerfd_create (CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (flush->timer_fd >= 0)
		flush->timer_tag = g_source_add_unix_fd (source, flush->timer_fd, G_IO_IN);
	g_source_set_priority (source, G_PRIORITY_LOW);
	g_source_set_name (source, "qmpsh-stdout-flush");
	return source;
}

static void
qmpsh_batch_schedule_flush (QmpshBatch *self)
{
	if (self->unflushed_since == 0)
		self->unflushed_since = g_source_get_time (self->stdout_flush);
}

static void
qmpsh_batch_print_json (QmpshBatch *self, QmpMessage *message, gboolean drop_id)
{
	const gchar *text = qmp_message_get_text (message);
	gsize len = qmp_message_get_length (message);
	GString *out = self->scratch;
	gsize cut = 0, cut_end = 0;

	if (self->target != NULL) {
		g_string_truncate (out, 0);
		qmpsh_format_json_tagged (out, text, len,
					  self->format | (drop_id ? QMPSH_FORMAT_DROP_ID : 0),
					  "target", self->target);
		g_string_append_c (out, '\n');
		qmpsh_batch_write (self, out->str, out->len);
		qmpsh_batch_schedule_flush (self);
		return;
	}
	/* the reply to a command qmpsh numbered, read whole: the text around its id */
	if (self->format == 0 && drop_id && qmp_message_get_id_cut (message, &cut, &cut_end)) {
		qmpsh_batch_write (self, text, cut);
		qmpsh_batch_write_line (self, text + cut_end, len - cut_end);
		qmpsh_batch_schedule_flush (self);
		return;
	}
	/* JSON Lines of a compact message: the message as it came, blanks around it aside */
	if (self->format == 0 && !drop_id && qmp_message_is_compact (message)) {
		while (len > 0 && g_ascii_isspace (text[len - 1]))
			len--;
		while (len > 0 && g_ascii_isspace (*text))
			text++, len--;
		qmpsh_batch_write_line (self, text, len);
		qmpsh_batch_schedule_flush (self);
		return;
	}
	g_string_truncate (out, 0);
	qmpsh_format_json (out, text, len, self->format | (drop_id ? QMPSH_FORMAT_DROP_ID : 0));
	g_string_append_c (out, '\n');
	qmpsh_batch_write (self, out->str, out->len);
	qmpsh_batch_schedule_flush (self);
	/* kept from one message to the next, but not the size of a rare large one */
	if (out->allocated_len > QMPSH_BATCH_SCRATCH_MAX) {
		g_string_free (out, TRUE);
		self->scratch = g_string_sized_new (256);
	}
}

/* text (HMP's answer, a built-in's), each of its lines tagged among several targets */
static void
qmpsh_batch_print_text (QmpshBatch *self, const gchar *text)
{
	g_auto (GStrv) lines = NULL;

	if (self->target == NULL) {
		qmpsh_batch_write (self, text, strlen (text));
		qmpsh_batch_schedule_flush (self);
		return;
	}
	lines = g_strsplit (text, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		/* the LF that ends the text starts no line */
		if (lines[i + 1] == NULL && lines[i][0] == '\0')
			break;
		qmpsh_batch_write (self, self->target, strlen (self->target));
		qmpsh_batch_write (self, ": ", 2);
		qmpsh_batch_write (self, lines[i], strlen (lines[i]));
		qmpsh_batch_write (self, "\n", 1);
	}
	qmpsh_batch_schedule_flush (self);
}

/* qmpsh: line N: ..., or qmpsh: FILE:N: ... for a line of a sourced file */
static void
qmpsh_batch_printerr (QmpshBatch *self, const QmpshItem *item, const gchar *text)
{
	if (item->where != NULL)
		qmpsh_batch_say (self, "qmpsh: %s: %s", item->where, text);
	else
		qmpsh_batch_say (self, "qmpsh: line %u: %s", item->lineno, text);
}

/* -vv, `.set raw on`: each message, either way, on standard error as it goes */
static void
qmpsh_batch_raw_cb (QmpshSession *session, const gchar *line, gpointer user_data)
{
	qmpsh_batch_say (QMPSH_BATCH (user_data), "%s", line);
}

static void
qmpsh_batch_reply (QmpshBatch *self, const QmpshItem *item)
{
	g_autoptr (GError) error = NULL;
	g_autofree gchar *hmp = NULL;

	if (self->echo && item->command != NULL)
		qmpsh_batch_print_json (self, item->command, item->own_id);
	if (item->message == NULL) {
		g_autofree gchar *text = NULL;
		if (item->error == NULL)
			return; /* quit did what it was asked */
		if (g_error_matches (item->error, QMP_ERROR, QMP_ERROR_DISCONNECTED)) {
			g_ptr_array_add (
				self->unanswered,
				item->where != NULL
					? g_strdup_printf ("%s (%s)", item->name, item->where)
					: g_strdup_printf ("%s (line %u)", item->name,
							   item->lineno));
			return;
		}
		text = g_strdup_printf ("%s: %s", item->name, item->error->message);
		qmpsh_batch_printerr (self, item, text);
		return;
	}
	hmp = item->hmp ? qmpsh_format_hmp (item->message) : NULL;
	if (item->output != NULL) {
		/* `>FILE`, `| CMD`: the session writes it there; what came before goes first */
		qmpsh_batch_sync (self);
	} else if (hmp != NULL) {
		qmpsh_batch_print_text (self, hmp);
	} else {
		qmpsh_batch_print_json (self, item->message, item->own_id);
	}
	if (!qmp_command_error_from_reply (item->message, &error)) {
		g_autofree gchar *text =
			g_strdup_printf ("%s: %s (%s)", item->name, error->message,
					 qmp_command_error_class_to_string (error->code));
		qmpsh_batch_printerr (self, item, text);
	}
}

static void
qmpsh_batch_item_cb (const QmpshItem *item, gpointer user_data)
{
	QmpshBatch *self = user_data; /* set with self, unchecked: this runs for every line */

	switch (item->kind) {
	case QMPSH_ITEM_REPLY:
		qmpsh_batch_reply (self, item);
		return;
	case QMPSH_ITEM_EVENT:
		qmpsh_batch_print_json (self, item->message, FALSE);
		return;
	case QMPSH_ITEM_TEXT:
		qmpsh_batch_print_text (self, item->text);
		return;
	case QMPSH_ITEM_FAILURE:
	case QMPSH_ITEM_NOTE:
	default:
		qmpsh_batch_printerr (self, item, item->text);
		return;
	}
}

static void
qmpsh_batch_event_cb (QmpMessage *message, gpointer user_data)
{
	qmpsh_batch_print_json (user_data, message, FALSE); /* every event: set with self */
}

/* ------------------------------------------------------------------------ */
/* input */

static void
qmpsh_batch_end_input (QmpshBatch *self)
{
	self->eof = TRUE;
	if (self->reader != NULL)
		qmpsh_reader_close (self->reader);
	qmpsh_session_end_input (self->session, self->lineno);
}

/* the next line of standard input, fed to the session; FALSE when there is none yet */
static gboolean
qmpsh_batch_read_line (QmpshBatch *self)
{
	const gchar *text = NULL;
	g_autofree gchar *message = NULL;
	gsize len = 0;

	switch (qmpsh_reader_next (self->reader, &text, &len, &message)) {
	case QMPSH_READER_LINE:
		self->lineno++;
		if (len != strlen (text)) {
			g_autofree gchar *why = g_strdup_printf (
				"a NUL byte at byte %" G_GSIZE_FORMAT, strlen (text) + 1);
			qmpsh_session_say (self->session, QMPSH_ITEM_FAILURE, self->lineno,
					   g_steal_pointer (&why));
		} else {
			qmpsh_session_feed (self->session, text, self->lineno);
		}
		return TRUE;
	case QMPSH_READER_TOO_LONG:
		self->lineno++;
		qmpsh_session_say (self->session, QMPSH_ITEM_FAILURE, self->lineno,
				   g_strdup ("the line is longer than 64 MiB, QEMU's limit for one "
					     "command: skipped"));
		return TRUE;
	case QMPSH_READER_AGAIN:
		/* lines run out: read more when there is more */
		qmpsh_reader_set_wanted (self->reader, TRUE);
		return FALSE;
	case QMPSH_READER_FAILED:
		qmpsh_batch_say (self, "qmpsh: %s", message);
		qmpsh_session_raise_status (self->session, QMPSH_EXIT_COMMAND);
		/* fall through */
	case QMPSH_READER_END:
	default:
		qmpsh_batch_end_input (self);
		return FALSE;
	}
}

static void
qmpsh_batch_read_more (QmpshBatch *self)
{
	/* a line fed may answer at once, and that asks for more: one loop reads */
	if (self->reading)
		return;
	self->reading = TRUE;
	while (!self->eof && self->output_error == 0 && !qmpsh_session_is_busy (self->session)) {
		if (self->commands != NULL) {
			const gchar *text = self->commands[self->next_command];
			if (text == NULL) {
				qmpsh_batch_end_input (self);
				break;
			}
			self->next_command++;
			qmpsh_session_feed (self->session, text, ++self->lineno);
		} else if (!qmpsh_batch_read_line (self)) {
			break;
		}
	}
	/* busy or done: stop reading, so that the input waits in its pipe */
	if (self->reader != NULL && (self->eof || qmpsh_session_is_busy (self->session)))
		qmpsh_reader_set_wanted (self->reader, FALSE);
	self->reading = FALSE;
}

static void
qmpsh_batch_input_cb (QmpshReader *reader, gpointer user_data)
{
	qmpsh_batch_read_more (QMPSH_BATCH (user_data));
}

static void
qmpsh_batch_ready_cb (gpointer user_data)
{
	qmpsh_batch_read_more (user_data); /* set with self */
}

static const QmpshSessionFrontEnd qmpsh_batch_front_end = {
	.item = qmpsh_batch_item_cb,
	.event = qmpsh_batch_event_cb,
	.ready = qmpsh_batch_ready_cb,
};

/* ------------------------------------------------------------------------ */
/* the end */

static void
qmpsh_batch_finish (QmpshBatch *self)
{
	if (!self->running)
		return;
	if (self->unanswered->len > 0) {
		g_autofree gchar *names = NULL;
		g_ptr_array_add (self->unanswered, NULL);
		names = g_strjoinv (", ", (gchar **)self->unanswered->pdata);
		qmpsh_batch_say (self, "qmpsh: left unanswered: %s", names);
		g_ptr_array_set_size (self->unanswered, 0);
	}
	qmpsh_batch_sync (self);
	if (!self->running)
		return; /* the output failed just now, and that finished the run */
	self->running = FALSE;
	qmp_clear_source (&self->stdout_watch);
	if (self->reader != NULL)
		qmpsh_reader_close (self->reader);
	qmpsh_session_end (self->session, qmpsh_session_get_status (self->session));
}

static void
qmpsh_batch_done_cb (QmpshSession *session, gpointer user_data)
{
	qmpsh_batch_finish (QMPSH_BATCH (user_data));
}

static void
qmpsh_batch_lost_cb (QmpshSession *session, const GError *error, gpointer user_data)
{
	QmpshBatch *self = QMPSH_BATCH (user_data);
	g_autofree gchar *text = qmpsh_hints_describe (error);

	qmpsh_batch_say (self, "qmpsh: lost the connection: %s", text);
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
	g_source_set_callback (self->stdout_watch, G_SOURCE_FUNC (qmpsh_batch_reader_gone_cb), self,
			       NULL);
	g_source_attach (self->stdout_watch, NULL);
}

/* ------------------------------------------------------------------------ */

/**
 * qmpsh_batch_new:
 * @session: the session, set up for batch
 * @format: how replies and events are laid out
 * @echo: whether each command is printed, as sent, before its reply
 *
 * Returns: (transfer full): a batch front end
 */
QmpshBatch *
qmpsh_batch_new (QmpshSession *session, QmpshFormatFlags format, gboolean echo)
{
	QmpshBatch *self = g_object_new (QMPSH_TYPE_BATCH, NULL);

	self->session = g_object_ref (session);
	self->format = format;
	self->echo = echo;
	qmpsh_session_set_window (session, QMPSH_BATCH_WINDOW);
	/* what batch takes from the session: output, its pace, and its end */
	qmpsh_session_set_front_end (session, &qmpsh_batch_front_end, self);
	g_signal_connect_object (session, "action::raw", G_CALLBACK (qmpsh_batch_raw_cb), self, 0);
	/* every line is answered, or none more can be (.exit, quit, a loss) */
	g_signal_connect_object (session, "done", G_CALLBACK (qmpsh_batch_done_cb), self, 0);
	g_signal_connect_object (session, "lost", G_CALLBACK (qmpsh_batch_lost_cb), self, 0);
	return self;
}

/**
 * qmpsh_batch_start:
 * @self: a batch front end
 * @fd: where the commands come from, one a line, or -1 when they come from @commands
 * @commands: (nullable): the commands, when they come from `-c` instead
 *
 * Runs the commands; the session's #QmpshSession::ended comes when every one
 * is answered or the connection is lost.
 */
void
qmpsh_batch_start (QmpshBatch *self, gint fd, const gchar *const *commands)
{
	g_autoptr (QmpshReader) reader = commands == NULL ? qmpsh_reader_new (fd) : NULL;

	self->commands = commands;
	qmpsh_batch_start_reader (self, reader);
}

/**
 * qmpsh_batch_start_reader:
 * @self: a batch front end
 * @reader: (nullable): where the commands come from (a branch of a reader that
 *   several batches share), or %NULL when they came from qmpsh_batch_start()'s @commands
 *
 * As qmpsh_batch_start().
 */
void
qmpsh_batch_start_reader (QmpshBatch *self, QmpshReader *reader)
{
	self->running = TRUE;
	if (reader != NULL) {
		self->reader = g_object_ref (reader);
		g_signal_connect (self->reader, "input", G_CALLBACK (qmpsh_batch_input_cb), self);
	}
	qmpsh_batch_watch_reader (self);
	qmpsh_batch_read_more (self);
}

/**
 * qmpsh_batch_set_target:
 * @self: a batch front end
 * @target: (nullable): the target as the user named it, when there are several
 *
 * Tags every line with @target: replies and events as JSON with
 * `"target"` for first member, text and stderr lines with `TARGET: `.
 */
void
qmpsh_batch_set_target (QmpshBatch *self, const gchar *target)
{
	g_free (self->target);
	self->target = g_strdup (target);
}

/**
 * qmpsh_batch_abandon:
 * @self: a batch front end
 * @status: why
 *
 * The output the batches share is gone (another one found out): nothing
 * more is written or sent, and the run ends now with @status.
 */
void
qmpsh_batch_abandon (QmpshBatch *self, QmpshExit status)
{
	if (!self->running || self->output_error != 0)
		return;
	self->output_error = EPIPE;
	qmpsh_session_raise_status (self->session, status);
	self->eof = TRUE;
	qmpsh_batch_finish (self);
}

static void
qmpsh_batch_dispose (GObject *object)
{
	QmpshBatch *self = QMPSH_BATCH (object);

	qmp_clear_source (&self->stdout_flush);
	qmp_clear_source (&self->stdout_watch);
	g_clear_object (&self->reader);
	if (self->session != NULL)
		qmpsh_session_set_front_end (self->session, NULL, NULL);
	g_clear_object (&self->session);
	g_clear_pointer (&self->unanswered, g_ptr_array_unref);
	if (self->scratch != NULL)
		g_string_free (g_steal_pointer (&self->scratch), TRUE);
	g_clear_pointer (&self->target, g_free);
	G_OBJECT_CLASS (qmpsh_batch_parent_class)->dispose (object);
}

static void
qmpsh_batch_init (QmpshBatch *self)
{
	self->stdout_flush = qmpsh_batch_flush_new (self);
	g_source_attach (self->stdout_flush, NULL);
	self->unanswered = g_ptr_array_new_with_free_func (g_free);
	self->scratch = g_string_sized_new (256);
}

static void
qmpsh_batch_class_init (QmpshBatchClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS (klass);
	object_class->dispose = qmpsh_batch_dispose;
}
