/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-interactive.h"
#include "qmp-command-error.h"
#include "qmp-error.h"
#include "qmp-json.h"
#include "qmp-source.h"
#include "qmpsh-events.h"
#include "qmpsh-hints.h"
#include "qmpsh-live.h"
#include "qmpsh-pager.h"
#include "qmpsh-rerun.h"
#include "qmpsh-watch.h"

#include <string.h>

#define COLOR_ERROR "\033[1;31m"
#define COLOR_DIM   "\033[2m"
#define COLOR_RESET "\033[0m"

/* reconnect attempts back off from the first delay to the last, in ms */
#define RECONNECT_FIRST 250
#define RECONNECT_LAST	2000

/**
 * QmpshInteractive:
 *
 * The front end at a terminal, over the same session as batch: a prompt
 * that names the target and its state, what the session says printed above
 * the line being typed the moment it comes, events as they come, completion
 * from the server's schema and the VM's live names, a question before a
 * command that ends the VM, a progress bar for `.watch`, and reconnection
 * when the server goes away.
 */
struct _QmpshInteractive {
	GObject parent_instance;
	QmpshSession *session;
	QmpClient *client;
	QmpshConsole *console;
	QmpshWatch *watch;
	QmpshLive *live;
	gchar *target;
	gchar *name;	  /* the VM's name, from query-name */
	gchar *vm_state;  /* running, paused, ... */
	gchar *reconnect; /* the address to reconnect to; NULL: do not */
	QmpshFormatFlags format;
	QmpshEventClock clock; /* the time of day of the last event's second */
	gboolean echo;
	gboolean page;	   /* replies taller than the terminal go through the pager */
	QmpshRerun *rerun; /* `.watch every=2 query-jobs` */
	gchar *confirming; /* the command the session asks about */
	guint lineno;

	gboolean connected;
	GSource *reconnect_timer;
	guint reconnect_delay;

	gboolean running;
	gulong event_id;
	gulong line_id;
};

G_DEFINE_TYPE (QmpshInteractive, qmpsh_interactive, G_TYPE_OBJECT)

static void qmpsh_interactive_refresh (QmpshInteractive *self);

static void
qmpsh_interactive_say (QmpshInteractive *self, const gchar *color, const gchar *text)
{
	if (self->format & QMPSH_FORMAT_COLOR)
		qmpsh_console_printf (self->console, "%s%s%s", color, text, COLOR_RESET);
	else
		qmpsh_console_print (self->console, text);
}

static void
qmpsh_interactive_update_prompt (QmpshInteractive *self)
{
	g_autofree gchar *prompt = NULL;
	const gchar *state = self->connected ? self->vm_state : "disconnected";
	const gchar *hmp =
		qmpsh_parser_get_hmp (qmpsh_session_get_parser (self->session)) ? " hmp" : "";
	const gchar *who = self->name != NULL ? self->name : self->target;

	if (qmpsh_watch_is_active (self->watch))
		return; /* the progress bar is the prompt while it runs */
	if (qmpsh_parser_in_transaction (qmpsh_session_get_parser (self->session)))
		prompt = g_strdup ("transaction... ");
	else if (qmpsh_parser_is_continuing (qmpsh_session_get_parser (self->session)))
		prompt = g_strdup ("... ");
	else if (self->confirming != NULL)
		prompt = g_strdup_printf ("Really %s? [y/N] ", self->confirming);
	else if (state != NULL)
		prompt = g_strdup_printf ("%s (%s)%s> ", who, state, hmp);
	else
		prompt = g_strdup_printf ("%s%s> ", who, hmp);
	qmpsh_console_set_prompt (self->console, prompt);
}

static void
qmpsh_interactive_set_vm_state (QmpshInteractive *self, const gchar *state)
{
	g_free (self->vm_state);
	self->vm_state = g_strdup (state);
	qmpsh_interactive_update_prompt (self);
}

static void
qmpsh_interactive_finish (QmpshInteractive *self)
{
	QmpshExit status = qmpsh_session_get_status (self->session);

	if (!self->running)
		return;
	self->running = FALSE;
	qmpsh_watch_stop (self->watch, NULL);
	g_clear_pointer (&self->rerun, qmpsh_rerun_free);
	qmpsh_console_stop (self->console);
	/* a failure at the prompt was seen: only a loss, or what exit-on-error stopped at, counts
	 */
	qmpsh_session_end (self->session, status >= QMPSH_EXIT_CONNECTION ||
							  qmpsh_session_get_stopped (self->session)
						  ? status
						  : QMPSH_EXIT_OK);
}

/* ------------------------------------------------------------------------ */
/* what the session says */

/* an event on one line: local time, name, and the data as it came, numbers exact */
static void
qmpsh_interactive_print_event (QmpshInteractive *self, QmpMessage *message)
{
	g_autoptr (GString) out = g_string_new (NULL);

	qmpsh_events_format_line (out, message, self->format, &self->clock);
	qmpsh_console_print (self->console, out->str);
}

/* Error: TEXT, or Error: FILE:LINE: TEXT for a line of a sourced file */
static void
qmpsh_interactive_say_error (QmpshInteractive *self, const QmpshItem *item, const gchar *text)
{
	g_autofree gchar *said = item->where != NULL
					 ? g_strdup_printf ("Error: %s: %s", item->where, text)
					 : g_strdup_printf ("Error: %s", text);

	qmpsh_interactive_say (self, COLOR_ERROR, said);
}

static void
qmpsh_interactive_print_reply (QmpshInteractive *self, const QmpshItem *item)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GString) out = g_string_new (NULL);
	g_autofree gchar *hmp = NULL;

	if (item->message == NULL) {
		g_autofree gchar *text = NULL;
		if (item->error == NULL)
			return; /* quit did what it was asked */
		if (g_error_matches (item->error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			text = g_strdup_printf ("stopped waiting for %s; its reply will be dropped",
						item->name);
			qmpsh_interactive_say (self, COLOR_DIM, text);
			return;
		}
		text = g_strdup_printf ("%s: %s", item->name, item->error->message);
		qmpsh_interactive_say_error (self, item, text);
		return;
	}
	if (!qmp_command_error_from_reply (item->message, &error)) {
		g_autofree gchar *text = g_strdup_printf (
			"%s (%s)", error->message, qmp_command_error_class_to_string (error->code));
		qmpsh_interactive_say_error (self, item, text);
		return;
	}
	/* `>FILE`, `| CMD`: the session wrote it there */
	if (item->output != NULL)
		return;
	hmp = item->hmp ? qmpsh_format_hmp (item->message) : NULL;
	if (hmp != NULL) {
		if (hmp[0] != '\0')
			qmpsh_pager_show (self->console, hmp, self->page);
		return;
	}
	qmpsh_format_json (out, qmp_message_get_text (item->message),
			   qmp_message_get_length (item->message),
			   self->format | (item->own_id ? QMPSH_FORMAT_DROP_ID : 0));
	/* taller than the terminal: through the pager, unless told not to */
	qmpsh_pager_show (self->console, out->str, self->page);
}

static void
qmpsh_interactive_item_cb (const QmpshItem *item, gpointer user_data)
{
	QmpshInteractive *self = QMPSH_INTERACTIVE (user_data);
	g_autofree gchar *text = NULL;

	switch (item->kind) {
	case QMPSH_ITEM_REPLY:
		/* what completion offers may have changed */
		qmpsh_live_mark_stale (self->live);
		qmpsh_interactive_print_reply (self, item);
		break;
	case QMPSH_ITEM_EVENT:
		qmpsh_interactive_print_event (self, item->message);
		break;
	case QMPSH_ITEM_TEXT:
		/* help and the like wrap at the terminal's width, never inside a word */
		text = qmpsh_format_wrap (item->text, qmpsh_console_get_width (self->console));
		qmpsh_console_print (self->console, text);
		break;
	case QMPSH_ITEM_FAILURE:
		qmpsh_interactive_say_error (self, item, item->text);
		break;
	case QMPSH_ITEM_NOTE:
	default:
		qmpsh_interactive_say (self, COLOR_DIM, item->text);
		break;
	}
	qmpsh_interactive_update_prompt (self);
}

static void
qmpsh_interactive_sent_cb (QmpMessage *command, gpointer user_data)
{
	QmpshInteractive *self = QMPSH_INTERACTIVE (user_data);
	g_autoptr (GString) out = NULL;

	/*
	 * the names TAB offers may change with it: a TAB before its reply asks
	 * again, and QEMU answers after it has run the command
	 */
	qmpsh_live_mark_stale (self->live);
	if (!self->echo)
		return;
	out = g_string_new (NULL);
	qmpsh_format_json (out, qmp_message_get_text (command), qmp_message_get_length (command),
			   self->format & ~QMPSH_FORMAT_PRETTY);
	qmpsh_interactive_say (self, COLOR_DIM, out->str);
}

static void
qmpsh_interactive_shown_event_cb (QmpMessage *event, gpointer user_data)
{
	qmpsh_interactive_print_event (QMPSH_INTERACTIVE (user_data), event);
}

static const QmpshSessionFrontEnd qmpsh_interactive_front_end = {
	.item = qmpsh_interactive_item_cb,
	.event = qmpsh_interactive_shown_event_cb,
	.sent = qmpsh_interactive_sent_cb,
};

static void
qmpsh_interactive_confirm_cb (QmpshSession *session, const gchar *name, gpointer user_data)
{
	QmpshInteractive *self = QMPSH_INTERACTIVE (user_data);
	g_free (self->confirming);
	self->confirming = g_strdup (name);
	qmpsh_interactive_update_prompt (self);
}

static void
qmpsh_interactive_waiting_cb (QmpshSession *session, const gchar *name, gpointer user_data)
{
	QmpshInteractive *self = QMPSH_INTERACTIVE (user_data);
	qmpsh_console_printf (self->console, "waiting for %s (Ctrl-C stops waiting)", name);
}

static void
qmpsh_interactive_watch_cb (QmpshSession *session, const gchar *job, gpointer user_data)
{
	QmpshInteractive *self = QMPSH_INTERACTIVE (user_data);

	QmpSchema *schema = qmpsh_introspect_get_schema (qmpsh_session_get_introspect (session));
	const QmpSchemaEntry *e =
		job != NULL && schema != NULL ? qmp_schema_lookup (schema, job) : NULL;
	g_autoptr (GError) error = NULL;

	if (!self->connected) {
		qmpsh_interactive_say (self, COLOR_ERROR, "Error: not connected");
		return;
	}
	/* a command, with or without every= and arguments: run it again and again */
	if (job != NULL && (strchr (job, ' ') != NULL || g_str_has_prefix (job, "every=") ||
			    (e != NULL && e->meta == QMP_SCHEMA_META_COMMAND))) {
		self->rerun = qmpsh_rerun_new (self->client, schema, self->console, self->format,
					       job, &error);
		if (self->rerun == NULL) {
			g_autofree gchar *text = g_strdup_printf ("Error: %s", error->message);
			qmpsh_interactive_say (self, COLOR_ERROR, text);
		}
		return;
	}
	qmpsh_watch_start (self->watch, job);
}

/* `| less`: the command has the terminal while it runs */
static void
qmpsh_interactive_pipe_cb (QmpshSession *session, const gchar *when, gpointer user_data)
{
	QmpshInteractive *self = QMPSH_INTERACTIVE (user_data);

	if (g_strcmp0 (when, "begin") == 0)
		qmpsh_console_step_aside (self->console, TRUE);
	else
		qmpsh_console_step_back (self->console);
}

static void
qmpsh_interactive_exit_cb (QmpshSession *session, const gchar *arg, gpointer user_data)
{
	qmpsh_interactive_finish (QMPSH_INTERACTIVE (user_data));
}

/* every line is answered after the input ended: exit-on-error stopped at a failure */
static void
qmpsh_interactive_done_cb (QmpshSession *session, gpointer user_data)
{
	if (qmpsh_session_get_stopped (session))
		qmpsh_interactive_finish (QMPSH_INTERACTIVE (user_data));
}

/* ------------------------------------------------------------------------ */
/* lines and keys */

static void
qmpsh_interactive_line_cb (QmpshConsole *console, const gchar *text, gpointer user_data)
{
	QmpshInteractive *self = QMPSH_INTERACTIVE (user_data);

	if (text == NULL) {
		qmpsh_interactive_finish (self);
		return;
	}
	if (self->confirming != NULL) {
		g_autofree gchar *answer = g_strstrip (g_strdup (text));
		/* an answer to a question is no command to find again */
		qmpsh_console_forget_last (self->console);
		g_clear_pointer (&self->confirming, g_free);
		/* what the answer says ("not sent"), then the prompt */
		qmpsh_session_answer (self->session,
				      g_ascii_strcasecmp (answer, "y") == 0 ||
					      g_ascii_strcasecmp (answer, "yes") == 0);
		qmpsh_interactive_update_prompt (self);
		return;
	}
	qmpsh_session_feed (self->session, text, ++self->lineno);
	qmpsh_interactive_update_prompt (self);
}

/**
 * qmpsh_interactive_interrupt:
 * @self: the front end
 *
 * Ctrl-C: stops watching a job, or what the session waits for (a question,
 * an event, replies), or clears the line being typed. Never quits.
 */
void
qmpsh_interactive_interrupt (QmpshInteractive *self)
{
	if (qmpsh_watch_is_active (self->watch)) {
		qmpsh_watch_stop (self->watch, "stopped watching; the job goes on");
		qmpsh_interactive_update_prompt (self);
		return;
	}
	if (self->rerun != NULL) {
		g_clear_pointer (&self->rerun, qmpsh_rerun_free);
		qmpsh_interactive_update_prompt (self);
		return;
	}
	if (self->confirming != NULL) {
		g_clear_pointer (&self->confirming, g_free);
		qmpsh_console_clear_line (self->console);
		qmpsh_session_answer (self->session, FALSE);
		qmpsh_interactive_update_prompt (self);
		return;
	}
	if (qmpsh_session_interrupt (self->session)) {
		qmpsh_interactive_update_prompt (self);
		return;
	}
	qmpsh_console_clear_line (self->console);
	qmpsh_interactive_update_prompt (self);
}

static QmpshCompletion *
qmpsh_interactive_complete (const gchar *line, gsize point, gpointer user_data)
{
	QmpshInteractive *self = QMPSH_INTERACTIVE (user_data);

	return qmpsh_live_complete (self->live,
				    qmpsh_parser_get_hmp (qmpsh_session_get_parser (self->session)),
				    line, point);
}

static gboolean
qmpsh_interactive_ready (const gchar *line, gsize point, gpointer user_data)
{
	QmpshInteractive *self = QMPSH_INTERACTIVE (user_data);

	return qmpsh_live_prepare (self->live,
				   qmpsh_parser_get_hmp (qmpsh_session_get_parser (self->session)),
				   line, point);
}

static gchar *
qmpsh_interactive_hint (const gchar *line, gpointer user_data)
{
	QmpshInteractive *self = QMPSH_INTERACTIVE (user_data);

	if (qmpsh_parser_get_hmp (qmpsh_session_get_parser (self->session)) ||
	    qmpsh_parser_is_continuing (qmpsh_session_get_parser (self->session)) ||
	    self->confirming != NULL)
		return NULL;
	return qmpsh_live_hint (self->live, line);
}

/* `.set hints on|off`; none where dim text cannot be shown */
/**
 * qmpsh_interactive_set_pager:
 * @self: the prompt
 * @on: whether replies taller than the terminal go through $PAGER
 */
void
qmpsh_interactive_set_pager (QmpshInteractive *self, gboolean on)
{
	self->page = on;
}

/* `.set raw on`: a message in or out, dim, above the line */
static void
qmpsh_interactive_raw_cb (QmpshSession *session, const gchar *line, gpointer user_data)
{
	qmpsh_interactive_say (QMPSH_INTERACTIVE (user_data), COLOR_DIM, line);
}

/* `.set pager on|off` */
static void
qmpsh_interactive_pager_cb (QmpshSession *session, const gchar *value, gpointer user_data)
{
	QMPSH_INTERACTIVE (user_data)->page = g_strcmp0 (value, "on") == 0;
}

static void
qmpsh_interactive_hints_cb (QmpshSession *session, const gchar *value, gpointer user_data)
{
	QmpshInteractive *self = QMPSH_INTERACTIVE (user_data);
	gboolean on = g_strcmp0 (value, "on") == 0;

	qmpsh_console_set_hinter (self->console, on ? qmpsh_interactive_hint : NULL, self);
}

/* ------------------------------------------------------------------------ */
/* what the prompt knows of the VM */

static const gchar *
string_member (JsonNode *node, const gchar *member)
{
	if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
		return NULL;
	return json_object_get_string_member_with_default (json_node_get_object (node), member,
							   NULL);
}

static void
qmpsh_interactive_name_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshInteractive) self = user_data;
	g_autoptr (JsonNode) ret = qmp_client_execute_finish (QMP_CLIENT (source), res, NULL);
	const gchar *name = string_member (ret, "name");

	if (name == NULL)
		return;
	g_free (self->name);
	self->name = g_strdup (name);
	qmpsh_interactive_update_prompt (self);
}

static void
qmpsh_interactive_status_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshInteractive) self = user_data;
	g_autoptr (JsonNode) ret = qmp_client_execute_finish (QMP_CLIENT (source), res, NULL);
	const gchar *status = string_member (ret, "status");

	if (status == NULL)
		return;
	qmpsh_interactive_set_vm_state (self, g_strcmp0 (status, "prelaunch") == 0 ||
							      g_strcmp0 (status, "paused") == 0
						      ? "paused"
						      : status);
}

/* after a (re)connect: the name, the state and, in the background, the schema */
static void
qmpsh_interactive_refresh (QmpshInteractive *self)
{
	if (qmpsh_parser_get_hmp (qmpsh_session_get_parser (self->session)))
		qmpsh_live_load_hmp (self->live);
	qmp_client_execute_async (self->client, "query-name", NULL, QMP_EXECUTE_FLAG_NONE, NULL,
				  qmpsh_interactive_name_cb, g_object_ref (self));
	qmp_client_execute_async (self->client, "query-status", NULL, QMP_EXECUTE_FLAG_NONE, NULL,
				  qmpsh_interactive_status_cb, g_object_ref (self));
	qmpsh_introspect_fetch (qmpsh_session_get_introspect (self->session));
	qmpsh_live_mark_stale (self->live);
}

static void
qmpsh_interactive_event_cb (QmpClient *client, const gchar *name, QmpMessage *message,
			    gpointer user_data)
{
	QmpshInteractive *self = QMPSH_INTERACTIVE (user_data);
	static const gchar *const states[][2] = {
		{ "STOP", "paused" },	    { "RESUME", "running" }, { "SHUTDOWN", "shutdown" },
		{ "SUSPEND", "suspended" }, { "WAKEUP", "running" },
	};

	for (guint i = 0; i < G_N_ELEMENTS (states); i++) {
		if (g_strcmp0 (name, states[i][0]) == 0)
			qmpsh_interactive_set_vm_state (self, states[i][1]);
	}
	qmpsh_watch_event (self->watch, name);
}

/* ------------------------------------------------------------------------ */
/* losing the connection, and finding it again */

static void qmpsh_interactive_schedule_reconnect (QmpshInteractive *self);

static void
qmpsh_interactive_reconnected_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshInteractive) self = user_data;
	g_autoptr (GError) error = NULL;

	if (!qmp_protocol_connect_finish (QMP_PROTOCOL (source), res, &error)) {
		g_debug ("reconnect: %s", error->message);
		qmpsh_interactive_schedule_reconnect (self);
		return;
	}
	self->connected = TRUE;
	self->reconnect_delay = 0;
	qmpsh_session_reconnected (self->session);
	qmpsh_console_printf (self->console, "reconnected to %s", self->target);
	qmpsh_interactive_update_prompt (self);
	qmpsh_interactive_refresh (self);
}

static gboolean
qmpsh_interactive_reconnect_cb (gpointer user_data)
{
	QmpshInteractive *self = QMPSH_INTERACTIVE (user_data);

	g_clear_pointer (&self->reconnect_timer, g_source_unref);
	qmp_protocol_connect_async (QMP_PROTOCOL (self->client), self->reconnect, NULL,
				    qmpsh_interactive_reconnected_cb, g_object_ref (self));
	return G_SOURCE_REMOVE;
}

static void
qmpsh_interactive_schedule_reconnect (QmpshInteractive *self)
{
	if (self->reconnect == NULL || !self->running || self->reconnect_timer != NULL)
		return;
	self->reconnect_delay = self->reconnect_delay == 0
					? RECONNECT_FIRST
					: MIN (self->reconnect_delay * 2, RECONNECT_LAST);
	self->reconnect_timer = g_timeout_source_new (self->reconnect_delay);
	g_source_set_callback (self->reconnect_timer, qmpsh_interactive_reconnect_cb, self, NULL);
	g_source_attach (self->reconnect_timer, NULL);
}

static void
qmpsh_interactive_lost_cb (QmpshSession *session, const GError *error, gpointer user_data)
{
	QmpshInteractive *self = QMPSH_INTERACTIVE (user_data);
	g_autofree gchar *reason = qmpsh_hints_describe (error);
	g_autofree gchar *text =
		g_strdup_printf ("disconnected from %s: %s%s", self->target, reason,
				 self->reconnect != NULL ? "; reconnecting" : "");

	self->connected = FALSE;
	qmpsh_watch_stop (self->watch, NULL);
	g_clear_pointer (&self->rerun, qmpsh_rerun_free);
	qmpsh_interactive_say (self, COLOR_ERROR, text);
	qmpsh_interactive_update_prompt (self);
	if (self->reconnect == NULL) {
		qmpsh_interactive_finish (self);
		return;
	}
	qmpsh_interactive_schedule_reconnect (self);
}

static void
qmpsh_interactive_quit_cb (QmpshSession *session, gpointer user_data)
{
	QmpshInteractive *self = QMPSH_INTERACTIVE (user_data);

	self->connected = FALSE;
	qmpsh_console_printf (self->console, "%s quit", self->target);
	qmpsh_interactive_finish (self);
}

/* ------------------------------------------------------------------------ */

static void
qmpsh_interactive_watch_prompt_cb (QmpshWatch *watch, const gchar *text, gpointer user_data)
{
	QmpshInteractive *self = QMPSH_INTERACTIVE (user_data);
	if (text != NULL)
		qmpsh_console_set_prompt (self->console, text);
	else
		qmpsh_interactive_update_prompt (self);
}

static void
qmpsh_interactive_watch_say_cb (QmpshWatch *watch, const gchar *text, gpointer user_data)
{
	qmpsh_console_print (QMPSH_INTERACTIVE (user_data)->console, text);
}

/**
 * qmpsh_interactive_new:
 * @session: the session, set up for the prompt
 * @console: the terminal
 * @target: what the client is connected to, for the prompt and messages
 * @format: how replies are laid out
 * @echo: whether each command is shown as sent
 *
 * Returns: (transfer full): the front end
 */
QmpshInteractive *
qmpsh_interactive_new (QmpshSession *session, QmpshConsole *console, const gchar *target,
		       QmpshFormatFlags format, gboolean echo)
{
	QmpshInteractive *self = g_object_new (QMPSH_TYPE_INTERACTIVE, NULL);

	self->session = g_object_ref (session);
	self->client = g_object_ref (qmpsh_session_get_client (session));
	self->console = g_object_ref (console);
	self->target = g_strdup (target);
	self->format = format;
	self->echo = echo;
	self->page = TRUE;
	self->connected = TRUE;
	self->live = qmpsh_live_new (session);
	self->watch = qmpsh_watch_new (self->client);
	g_signal_connect (self->watch, "prompt", G_CALLBACK (qmpsh_interactive_watch_prompt_cb),
			  self);
	g_signal_connect (self->watch, "say", G_CALLBACK (qmpsh_interactive_watch_say_cb), self);
	/* from the session: what to print above the line being typed */
	qmpsh_session_set_front_end (session, &qmpsh_interactive_front_end, self);
	/* what to ask, wait for, or show in the prompt's place */
	g_signal_connect_object (session, "confirm", G_CALLBACK (qmpsh_interactive_confirm_cb),
				 self, 0);
	g_signal_connect_object (session, "action::waiting",
				 G_CALLBACK (qmpsh_interactive_waiting_cb), self, 0);
	g_signal_connect_object (session, "action::watch", G_CALLBACK (qmpsh_interactive_watch_cb),
				 self, 0);
	/* the end of the session, or of the connection */
	g_signal_connect_object (session, "action::exit", G_CALLBACK (qmpsh_interactive_exit_cb),
				 self, 0);
	g_signal_connect_object (session, "lost", G_CALLBACK (qmpsh_interactive_lost_cb), self, 0);
	g_signal_connect_object (session, "done", G_CALLBACK (qmpsh_interactive_done_cb), self, 0);
	g_signal_connect_object (session, "quit", G_CALLBACK (qmpsh_interactive_quit_cb), self, 0);
	self->line_id =
		g_signal_connect (console, "line", G_CALLBACK (qmpsh_interactive_line_cb), self);
	self->event_id = g_signal_connect (self->client, "event",
					   G_CALLBACK (qmpsh_interactive_event_cb), self);
	qmpsh_console_set_completer (console, qmpsh_interactive_complete, qmpsh_interactive_ready,
				     self);
	g_signal_connect_object (self->live, "changed",
				 G_CALLBACK (qmpsh_console_completer_changed), console,
				 G_CONNECT_SWAPPED);
	g_signal_connect_object (session, "action::pipe", G_CALLBACK (qmpsh_interactive_pipe_cb),
				 self, 0);
	g_signal_connect_object (session, "action::pager", G_CALLBACK (qmpsh_interactive_pager_cb),
				 self, 0);
	g_signal_connect_object (session, "action::raw", G_CALLBACK (qmpsh_interactive_raw_cb),
				 self, 0);
	g_signal_connect_object (session, "action::hints", G_CALLBACK (qmpsh_interactive_hints_cb),
				 self, 0);
	/* hints are dim text: not where colour is off (NO_COLOR) or the terminal is dumb */
	if ((format & QMPSH_FORMAT_COLOR) && g_strcmp0 (g_getenv ("TERM"), "dumb") != 0)
		qmpsh_console_set_hinter (console, qmpsh_interactive_hint, self);
	return self;
}

/**
 * qmpsh_interactive_set_reconnect:
 * @self: the front end
 * @address: (nullable): where to reconnect when the connection is lost, or
 *   %NULL to end the session instead
 */
void
qmpsh_interactive_set_reconnect (QmpshInteractive *self, const gchar *address)
{
	g_free (self->reconnect);
	self->reconnect = g_strdup (address);
}

/**
 * qmpsh_interactive_start:
 * @self: the front end
 *
 * Shows the prompt; the session's #QmpshSession::ended comes when the user
 * leaves, or the connection is lost for good.
 */
void
qmpsh_interactive_start (QmpshInteractive *self)
{
	self->running = TRUE;
	qmpsh_interactive_update_prompt (self);
	/* the prompt comes first; what it names, and the schema, arrive behind it */
	qmpsh_console_start (self->console);
	qmpsh_interactive_refresh (self);
}

static void
qmpsh_interactive_dispose (GObject *object)
{
	QmpshInteractive *self = QMPSH_INTERACTIVE (object);

	qmp_clear_source (&self->reconnect_timer);
	g_clear_pointer (&self->rerun, qmpsh_rerun_free);
	if (self->client != NULL)
		g_clear_signal_handler (&self->event_id, self->client);
	if (self->console != NULL) {
		g_clear_signal_handler (&self->line_id, self->console);
		qmpsh_console_set_completer (self->console, NULL, NULL, NULL);
		qmpsh_console_set_hinter (self->console, NULL, NULL);
	}
	g_clear_object (&self->watch);
	g_clear_object (&self->live);
	g_clear_object (&self->console);
	g_clear_object (&self->client);
	if (self->session != NULL)
		qmpsh_session_set_front_end (self->session, NULL, NULL);
	g_clear_object (&self->session);
	G_OBJECT_CLASS (qmpsh_interactive_parent_class)->dispose (object);
}

static void
qmpsh_interactive_finalize (GObject *object)
{
	QmpshInteractive *self = QMPSH_INTERACTIVE (object);
	g_free (self->target);
	g_free (self->name);
	g_free (self->vm_state);
	g_free (self->reconnect);
	g_free (self->confirming);
	G_OBJECT_CLASS (qmpsh_interactive_parent_class)->finalize (object);
}

static void
qmpsh_interactive_init (QmpshInteractive *self)
{
}

static void
qmpsh_interactive_class_init (QmpshInteractiveClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS (klass);
	object_class->dispose = qmpsh_interactive_dispose;
	object_class->finalize = qmpsh_interactive_finalize;
}
