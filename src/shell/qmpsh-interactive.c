/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-interactive.h"
#include "qmp-source.h"
#include "qmp-error.h"
#include "qmp-json.h"
#include "qmp-schema.h"
#include "qmpsh-complete.h"
#include "qmpsh-watch.h"

#include <string.h>

#define COLOR_ERROR "\033[1;31m"
#define COLOR_EVENT "\033[1;35m"
#define COLOR_DIM   "\033[2m"
#define COLOR_RESET "\033[0m"

/* reconnect attempts back off from the first delay to the last, in ms */
#define RECONNECT_FIRST 250
#define RECONNECT_LAST	2000

/**
 * QmpshInteractive:
 *
 * The front end at a terminal: a prompt that names the target and its state,
 * replies and events printed above the line being typed the moment they come,
 * completion from the server's schema, help, history, confirmation before a
 * command ends the VM, and reconnection when the server goes away.
 */
struct _QmpshInteractive {
	GObject parent_instance;
	QmpClient *client;
	QmpshParser *parser;
	QmpshConsole *console;
	QmpshWatch *watch;
	gchar *target;
	gchar *name;	  /* the VM's name, from query-name */
	gchar *vm_state;  /* running, paused, ... */
	gchar *reconnect; /* the address to reconnect to; NULL: do not */
	QmpshFormatFlags format;
	gboolean confirm;
	gboolean print_events;
	gboolean echo;
	gboolean quitting; /* quit was sent: the server closing is what was asked */
	GArray *pass_fds;
	GQueue events;	     /* QmpMessage: events since the last command, for .wait-event */
	gchar *waiting_for;  /* the event a .wait-event waits for */
	GSource *wait_timer; /* its timeout */

	QmpSchema *schema;
	QmpshCompleteLive live;
	gboolean live_stale;
	gboolean live_loading;

	GCancellable *cancellable; /* the commands in flight; Ctrl-C cancels it */
	guint inflight;
	gchar *confirming; /* the JSON of a command waiting for y/N */
	gchar *confirming_name;

	gboolean connected;
	GSource *reconnect_timer;
	guint reconnect_delay;

	GTask *task;
	QmpshExit status;
	gulong line_id;
	gulong event_id;
	gulong runstate_id;
};

G_DEFINE_FINAL_TYPE (QmpshInteractive, qmpsh_interactive, G_TYPE_OBJECT)

static void qmpsh_interactive_refresh (QmpshInteractive *self);

static gboolean
qmpsh_interactive_color (QmpshInteractive *self)
{
	return (self->format & QMPSH_FORMAT_COLOR) != 0;
}

static void
qmpsh_interactive_say (QmpshInteractive *self, const gchar *color, const gchar *text)
{
	if (qmpsh_interactive_color (self))
		qmpsh_console_printf (self->console, "%s%s%s", color, text, COLOR_RESET);
	else
		qmpsh_console_print (self->console, text);
}

static void
qmpsh_interactive_update_prompt (QmpshInteractive *self)
{
	g_autofree gchar *prompt = NULL;
	const gchar *state = self->connected ? self->vm_state : "disconnected";

	if (qmpsh_watch_is_active (self->watch))
		return; /* the progress bar is the prompt while it runs */
	if (qmpsh_parser_in_transaction (self->parser))
		prompt = g_strdup ("transaction... ");
	else if (self->confirming != NULL)
		prompt = g_strdup_printf ("Really %s? [y/N] ", self->confirming_name);
	else if (state != NULL)
		prompt = g_strdup_printf ("%s (%s)%s> ",
					  self->name != NULL ? self->name : self->target, state,
					  qmpsh_parser_get_hmp (self->parser) ? " hmp" : "");
	else
		prompt = g_strdup_printf ("%s%s> ", self->name != NULL ? self->name : self->target,
					  qmpsh_parser_get_hmp (self->parser) ? " hmp" : "");
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
	g_autoptr (GTask) task = g_steal_pointer (&self->task);
	if (task == NULL)
		return;
	qmpsh_watch_stop (self->watch, NULL);
	qmpsh_console_stop (self->console);
	g_task_return_int (task, self->status);
}

/* ------------------------------------------------------------------------ */
/* replies */

typedef struct {
	QmpshInteractive *self;
	gchar *name;
	gboolean hmp;
	gboolean own_id;
} Sent;

static void
sent_free (Sent *sent)
{
	g_object_unref (sent->self);
	g_free (sent->name);
	g_free (sent);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Sent, sent_free)

static void
qmpsh_interactive_print_reply (QmpshInteractive *self, Sent *sent, QmpMessage *reply)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GString) out = g_string_new (NULL);
	JsonNode *ret;

	if (!qmp_client_reply_to_error (reply, &error)) {
		g_autofree gchar *text =
			g_strdup_printf ("Error: %s (%s)", error->message,
					 qmp_command_error_class_to_string (error->code));
		qmpsh_interactive_say (self, COLOR_ERROR, text);
		return;
	}
	ret = json_object_get_member (qmp_message_get_object (reply), "return");
	if (sent->hmp && ret != NULL && json_node_get_value_type (ret) == G_TYPE_STRING) {
		/* HMP answers with text, lines ending in CRLF */
		g_autoptr (GString) text = g_string_new (json_node_get_string (ret));
		g_string_replace (text, "\r\n", "\n", 0);
		if (text->len > 0)
			qmpsh_console_print (self->console, text->str);
		return;
	}
	qmpsh_format_json (out, qmp_message_get_text (reply), qmp_message_get_length (reply),
			   self->format | (sent->own_id ? QMPSH_FORMAT_DROP_ID : 0));
	qmpsh_console_print (self->console, out->str);
}

static void
qmpsh_interactive_sent_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (Sent) sent = user_data;
	QmpshInteractive *self = sent->self;
	g_autoptr (GError) error = NULL;
	g_autoptr (QmpMessage) reply = qmp_client_send_finish (QMP_CLIENT (source), res, &error);

	self->inflight--;
	self->live_stale = TRUE;
	if (reply != NULL) {
		qmpsh_interactive_print_reply (self, sent, reply);
	} else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		g_autofree gchar *text = g_strdup_printf (
			"stopped waiting for %s; its reply will be dropped", sent->name);
		qmpsh_interactive_say (self, COLOR_DIM, text);
	} else if (!(g_error_matches (error, QMP_ERROR, QMP_ERROR_DISCONNECTED) &&
		     g_strcmp0 (sent->name, "quit") == 0)) {
		g_autofree gchar *text =
			g_strdup_printf ("Error: %s: %s", sent->name, error->message);
		qmpsh_interactive_say (self, COLOR_ERROR, text);
	}
}

static void
qmpsh_interactive_send (QmpshInteractive *self, QmpMessage *command, GUnixFDList *fds,
			const gchar *name, gboolean hmp)
{
	Sent *sent = g_new0 (Sent, 1);

	sent->self = g_object_ref (self);
	sent->name = g_strdup (name);
	sent->hmp = hmp;
	sent->own_id = !qmp_message_has_id (command);
	if (self->echo) {
		g_autoptr (GString) out = g_string_new (NULL);
		qmpsh_format_json (out, qmp_message_get_text (command),
				   qmp_message_get_length (command),
				   self->format & ~QMPSH_FORMAT_PRETTY);
		qmpsh_interactive_say (self, COLOR_DIM, out->str);
	}
	/* quit, or HMP's q: QEMU closes, perhaps before its reply is out */
	if (g_strcmp0 (name, "quit") == 0 || (hmp && g_strcmp0 (name, "q") == 0))
		self->quitting = TRUE;
	/* .wait-event looks at what came after the last command */
	g_queue_clear_full (&self->events, (GDestroyNotify)qmp_message_unref);
	if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable)) {
		g_clear_object (&self->cancellable);
		self->cancellable = g_cancellable_new ();
	}
	self->inflight++;
	qmp_client_send_async (self->client, command, fds, self->cancellable,
			       qmpsh_interactive_sent_cb, sent);
}

/* ------------------------------------------------------------------------ */
/* checks before sending */

static guint
edit_distance (const gchar *a, const gchar *b)
{
	gsize la = strlen (a), lb = strlen (b);
	g_autofree guint *row = g_new (guint, lb + 1);

	for (gsize j = 0; j <= lb; j++)
		row[j] = j;
	for (gsize i = 1; i <= la; i++) {
		guint diag = row[0];
		row[0] = i;
		for (gsize j = 1; j <= lb; j++) {
			guint up = row[j];
			row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1),
				      diag + (a[i - 1] != b[j - 1]));
			diag = up;
		}
	}
	return row[lb];
}

/* "did you mean": the names close to @wrong, nearest first */
static gchar *
suggest (GPtrArray *names, const gchar *wrong)
{
	g_autoptr (GString) out = g_string_new (NULL);
	guint best = 3;

	for (guint pass = 0; pass <= 3 && out->len == 0; pass++) {
		for (guint i = 0; i < names->len; i++) {
			const gchar *name = g_ptr_array_index (names, i);
			guint d = edit_distance (wrong, name);
			if (d == pass && d <= best && out->len < 200)
				g_string_append_printf (out, "%s%s", out->len > 0 ? ", " : "",
							name);
		}
	}
	return out->len > 0 ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

/* every key of @object must be a member of the schema's type at @path */
static gboolean
check_keys (QmpshInteractive *self, const gchar *command, const gchar *path, JsonObject *object)
{
	g_autoptr (GArray) members = qmp_schema_list_members (self->schema, command, path);
	g_autoptr (GPtrArray) names = g_ptr_array_new ();
	g_autoptr (GList) keys = json_object_get_members (object);

	if (members->len == 0 && path[0] != '\0')
		return TRUE; /* 'any', or an alternate: nothing to hold it to */
	for (guint i = 0; i < members->len; i++)
		g_ptr_array_add (names, (gpointer)g_array_index (members, QmpSchemaMember, i).name);
	for (GList *l = keys; l != NULL; l = l->next) {
		const gchar *key = l->data;
		g_autofree gchar *full =
			path[0] != '\0' ? g_strdup_printf ("%s.%s", path, key) : g_strdup (key);
		JsonNode *value = json_object_get_member (object, key);
		gboolean known = FALSE;
		for (guint i = 0; i < names->len; i++)
			known = known || g_strcmp0 (g_ptr_array_index (names, i), key) == 0;
		if (!known) {
			g_autofree gchar *close = suggest (names, key);
			g_autofree gchar *text = NULL;
			if (close != NULL)
				text = g_strdup_printf ("%s has no argument '%s'; did you mean %s? "
							"(nothing sent; .help %s lists them)",
							command, full, close, command);
			else
				text = g_strdup_printf (
					"%s has no argument '%s' (nothing sent; .help "
					"%s lists them)",
					command, full, command);
			qmpsh_interactive_say (self, COLOR_ERROR, text);
			return FALSE;
		}
		if (JSON_NODE_HOLDS_OBJECT (value) &&
		    !check_keys (self, command, full, json_node_get_object (value)))
			return FALSE;
	}
	return TRUE;
}

static gboolean
qmpsh_interactive_check (QmpshInteractive *self, QmpshLine *line)
{
	g_autoptr (QmpMessage) msg = NULL;
	JsonObject *args;

	if (self->schema == NULL || line->kind != QMPSH_LINE_COMMAND ||
	    g_strcmp0 (line->name, "transaction") == 0)
		return TRUE;
	if (!qmp_schema_has_command (self->schema, line->name)) {
		g_autofree gchar *close =
			suggest (qmp_schema_list_commands (self->schema), line->name);
		g_autofree gchar *text =
			close != NULL ? g_strdup_printf ("no command '%s'; did you mean %s? "
							 "(nothing sent)",
							 line->name, close)
				      : g_strdup_printf ("no command '%s' (nothing sent; TAB lists "
							 "them)",
							 line->name);
		qmpsh_interactive_say (self, COLOR_ERROR, text);
		return FALSE;
	}
	msg = qmp_message_new_from_data (line->json, -1, NULL);
	if (!json_object_has_member (qmp_message_get_object (msg), "arguments"))
		return TRUE;
	args = json_object_get_object_member (qmp_message_get_object (msg), "arguments");
	return args == NULL || check_keys (self, line->name, "", args);
}

/* ------------------------------------------------------------------------ */
/* built-ins */

static void
qmpsh_interactive_help (QmpshInteractive *self, const gchar *command)
{
	g_autoptr (GString) out = g_string_new (NULL);
	g_autoptr (GArray) members = NULL;
	JsonObject *entity;

	if (command == NULL) {
		qmpsh_console_print (
			self->console,
			"Type a QMP command: NAME key=value ... (TAB completes names, arguments "
			"and values),\n"
			"a command in JSON ({\"execute\": ...}), or transaction( TYPE key=value "
			"... ; ... ).\n"
			"Built-ins:\n"
			"  .help [COMMAND]         this text, or a command's arguments\n"
			"  .exit                   leave (Ctrl-D too)\n"
			"  .events on|off          show events as they come, or not\n"
			"  .wait-event NAME [timeout=SECONDS]\n"
			"  .watch [JOB-ID]         follow a job's progress (Ctrl-C stops "
			"watching)\n"
			"Keys: TAB completes, Ctrl-R searches the history, Ctrl-C stops waiting "
			"for a reply\nor clears the line, Ctrl-D leaves.");
		return;
	}
	if (self->schema == NULL) {
		qmpsh_console_print (self->console,
				     "the schema has not arrived yet; try again in a moment");
		return;
	}
	entity = qmp_schema_lookup (self->schema, command);
	if (!qmp_schema_has_command (self->schema, command)) {
		g_autofree gchar *close =
			suggest (qmp_schema_list_commands (self->schema), command);
		qmpsh_console_printf (self->console, "no command '%s'%s%s%s", command,
				      close != NULL ? "; did you mean " : "",
				      close != NULL ? close : "", close != NULL ? "?" : "");
		return;
	}
	g_string_append_printf (
		out, "%s%s%s%s\n", command,
		qmp_schema_has_feature (entity, "deprecated") ? " (deprecated)" : "",
		qmp_schema_has_feature (entity, "unstable") ? " (unstable)" : "",
		json_object_get_boolean_member_with_default (entity, "allow-oob", FALSE)
			? " (may run out of band)"
			: "");
	members = qmp_schema_list_members (self->schema, command, "");
	if (members->len == 0)
		g_string_append (out, "  no arguments\n");
	for (guint i = 0; i < members->len; i++) {
		QmpSchemaMember *m = &g_array_index (members, QmpSchemaMember, i);
		g_autofree gchar *type = qmp_schema_describe_type (self->schema, m->type);
		g_string_append_printf (out, "  %-22s %s%s%s%s", m->name, type,
					m->optional ? ", optional" : ", required",
					m->deprecated ? ", deprecated" : "",
					m->unstable ? ", unstable" : "");
		if (m->branch != NULL)
			g_string_append_printf (out, " (when %s)", m->branch);
		g_string_append_c (out, '\n');
	}
	qmpsh_console_print (self->console, out->str);
}

static void qmpsh_interactive_print_event (QmpshInteractive *self, const gchar *name,
					   QmpMessage *message);

static void
qmpsh_interactive_wait_done (QmpshInteractive *self, QmpMessage *event)
{
	g_autofree gchar *name = g_steal_pointer (&self->waiting_for);

	qmp_clear_source (&self->wait_timer);
	if (event != NULL) {
		qmpsh_interactive_print_event (self, name, event);
	} else {
		g_autofree gchar *text = g_strdup_printf ("no %s event came", name);
		qmpsh_interactive_say (self, COLOR_ERROR, text);
	}
}

static gboolean
qmpsh_interactive_wait_timeout_cb (gpointer user_data)
{
	QmpshInteractive *self = QMPSH_INTERACTIVE (user_data);
	g_clear_pointer (&self->wait_timer, g_source_unref);
	qmpsh_interactive_wait_done (self, NULL);
	return G_SOURCE_REMOVE;
}

/* .wait-event NAME [timeout=S]: an event that came after the last command, or the next */
static void
qmpsh_interactive_wait_event (QmpshInteractive *self, const gchar *name, const gchar *timeout)
{
	gdouble seconds = 0;

	if (timeout != NULL) {
		gchar *end = NULL;
		seconds = g_str_has_prefix (timeout, "timeout=")
				  ? g_ascii_strtod (timeout + 8, &end)
				  : -1;
		if (end == NULL || end == timeout + 8 || *end != '\0' || seconds <= 0 ||
		    seconds > 1e6) {
			qmpsh_interactive_say (self, COLOR_ERROR,
					       "usage: .wait-event NAME [timeout=SECONDS]");
			return;
		}
	}
	qmp_clear_source (&self->wait_timer);
	g_free (self->waiting_for);
	self->waiting_for = g_strdup (name);
	for (GList *l = self->events.head; l != NULL; l = l->next) {
		QmpMessage *event = l->data;
		if (g_strcmp0 (qmp_message_get_event_name (event), name) == 0) {
			g_queue_delete_link (&self->events, l);
			qmpsh_interactive_wait_done (self, event);
			qmp_message_unref (event);
			return;
		}
	}
	if (seconds > 0) {
		self->wait_timer = g_timeout_source_new ((guint)(seconds * 1000));
		g_source_set_callback (self->wait_timer, qmpsh_interactive_wait_timeout_cb, self,
				       NULL);
		g_source_attach (self->wait_timer, NULL);
	}
	qmpsh_console_printf (self->console, "waiting for %s (Ctrl-C stops waiting)", name);
}

static void
qmpsh_interactive_builtin (QmpshInteractive *self, QmpshLine *line)
{
	guint argc = g_strv_length (line->argv);

	if (g_strcmp0 (line->name, ".exit") == 0) {
		qmpsh_interactive_finish (self);
	} else if (g_strcmp0 (line->name, ".help") == 0) {
		qmpsh_interactive_help (self, argc > 0 ? line->argv[0] : NULL);
	} else if (g_strcmp0 (line->name, ".events") == 0 && argc == 1 &&
		   (g_strcmp0 (line->argv[0], "on") == 0 ||
		    g_strcmp0 (line->argv[0], "off") == 0)) {
		self->print_events = g_strcmp0 (line->argv[0], "on") == 0;
	} else if (g_strcmp0 (line->name, ".wait-event") == 0 && (argc == 1 || argc == 2)) {
		qmpsh_interactive_wait_event (self, line->argv[0],
					      argc == 2 ? line->argv[1] : NULL);
	} else if (g_strcmp0 (line->name, ".watch") == 0 && argc <= 1) {
		if (!self->connected)
			qmpsh_interactive_say (self, COLOR_ERROR, "not connected");
		else
			qmpsh_watch_start (self->watch, argc > 0 ? line->argv[0] : NULL);
	} else {
		g_autofree gchar *text = g_strdup_printf (
			"unknown built-in or wrong arguments: %s (see .help)", line->name);
		qmpsh_interactive_say (self, COLOR_ERROR, text);
	}
}

/* ------------------------------------------------------------------------ */
/* lines */

static gboolean
qmpsh_interactive_is_drastic (QmpshLine *line)
{
	const gchar *name = line->name;
	if (line->kind == QMPSH_LINE_HMP)
		return g_strcmp0 (name, "quit") == 0 || g_strcmp0 (name, "q") == 0 ||
		       g_strcmp0 (name, "system_reset") == 0 ||
		       g_strcmp0 (name, "system_powerdown") == 0;
	return g_strcmp0 (name, "quit") == 0 || g_strcmp0 (name, "system_reset") == 0 ||
	       g_strcmp0 (name, "system_powerdown") == 0;
}

static void
qmpsh_interactive_dispatch (QmpshInteractive *self, QmpshLine *line)
{
	g_autoptr (QmpMessage) command = NULL;
	g_autoptr (GUnixFDList) fds = NULL;
	g_autoptr (GError) error = NULL;

	if (!self->connected) {
		qmpsh_interactive_say (self, COLOR_ERROR,
				       self->reconnect_timer != NULL
					       ? "not connected (reconnecting); the command was "
						 "not sent"
					       : "not connected; the command was not sent");
		return;
	}
	if (!qmpsh_interactive_check (self, line))
		return;
	if (self->confirm && qmpsh_interactive_is_drastic (line)) {
		self->confirming = g_strdup (line->json);
		self->confirming_name =
			g_strdup (g_strcmp0 (line->name, "q") == 0 ? "quit" : line->name);
		qmpsh_interactive_update_prompt (self);
		return;
	}
	command = qmp_message_new_from_data (line->json, -1, &error);
	if (command == NULL) {
		qmpsh_interactive_say (self, COLOR_ERROR, error->message);
		return;
	}
	fds = qmpsh_line_open_fds (line, self->pass_fds,
				   qmp_protocol_can_pass_fds (QMP_PROTOCOL (self->client)), &error);
	if (fds == NULL && error != NULL) {
		g_autofree gchar *text =
			g_strdup_printf ("Error: %s (nothing sent)", error->message);
		qmpsh_interactive_say (self, COLOR_ERROR, text);
		return;
	}
	qmpsh_interactive_send (self, command, fds, line->name, line->kind == QMPSH_LINE_HMP);
}

static void
qmpsh_interactive_confirmed (QmpshInteractive *self, const gchar *answer)
{
	g_autofree gchar *json = g_steal_pointer (&self->confirming);
	g_autofree gchar *name = g_steal_pointer (&self->confirming_name);
	g_autofree gchar *trimmed = g_strstrip (g_strdup (answer));

	qmpsh_interactive_update_prompt (self);
	if (g_ascii_strcasecmp (trimmed, "y") == 0 || g_ascii_strcasecmp (trimmed, "yes") == 0) {
		g_autoptr (QmpMessage) command = qmp_message_new_from_data (json, -1, NULL);
		gboolean hmp = strstr (json, "human-monitor-command") != NULL;
		qmpsh_interactive_send (self, command, NULL, name, hmp);
	} else {
		qmpsh_console_printf (self->console, "%s not sent", name);
	}
}

static void
qmpsh_interactive_line_cb (QmpshConsole *console, const gchar *text, gpointer user_data)
{
	QmpshInteractive *self = QMPSH_INTERACTIVE (user_data);
	g_autoptr (QmpshLine) line = NULL;
	g_autoptr (GError) error = NULL;

	if (text == NULL) {
		qmpsh_interactive_finish (self);
		return;
	}
	if (self->confirming != NULL) {
		qmpsh_console_forget_last (self->console);
		qmpsh_interactive_confirmed (self, text);
		return;
	}
	line = qmpsh_parser_feed (self->parser, text, &error);
	qmpsh_interactive_update_prompt (self);
	if (line == NULL) {
		g_autofree gchar *msg = g_strdup_printf ("Error: %s", error->message);
		qmpsh_interactive_say (self, COLOR_ERROR, msg);
		return;
	}
	switch (line->kind) {
	case QMPSH_LINE_EMPTY:
	case QMPSH_LINE_CONTINUE:
		return;
	case QMPSH_LINE_BUILTIN:
		qmpsh_interactive_builtin (self, line);
		return;
	case QMPSH_LINE_COMMAND:
	case QMPSH_LINE_RAW:
	case QMPSH_LINE_HMP:
	default:
		qmpsh_interactive_dispatch (self, line);
		return;
	}
}

/**
 * qmpsh_interactive_interrupt:
 * @self: the front end
 *
 * Ctrl-C: stops watching a job, or stops waiting for replies (they are
 * dropped when they come), or clears the line being typed. Never quits.
 */
void
qmpsh_interactive_interrupt (QmpshInteractive *self)
{
	if (qmpsh_watch_is_active (self->watch)) {
		qmpsh_watch_stop (self->watch, "stopped watching; the job goes on");
		qmpsh_interactive_update_prompt (self);
		return;
	}
	if (self->confirming != NULL) {
		qmpsh_interactive_confirmed (self, "n");
		return;
	}
	if (self->waiting_for != NULL) {
		g_autofree gchar *name = g_steal_pointer (&self->waiting_for);
		qmp_clear_source (&self->wait_timer);
		qmpsh_console_printf (self->console, "stopped waiting for %s", name);
		return;
	}
	if (self->inflight > 0 && self->cancellable != NULL) {
		g_cancellable_cancel (self->cancellable);
		return;
	}
	qmpsh_parser_reset (self->parser);
	qmpsh_console_clear_line (self->console);
	qmpsh_interactive_update_prompt (self);
}

/* ------------------------------------------------------------------------ */
/* events */

typedef struct {
	const gchar *text;
	gsize len;
} EventData;

static gboolean
find_data_cb (const QmpJsonMember *member, gpointer user_data)
{
	EventData *data = user_data;
	if (!qmp_json_key_is (member, "data"))
		return TRUE;
	data->text = member->value;
	data->len = member->value_len;
	return FALSE;
}

/* an event on one line: local time, name, and the data as it came, numbers exact */
static void
qmpsh_interactive_print_event (QmpshInteractive *self, const gchar *name, QmpMessage *message)
{
	JsonObject *object = qmp_message_get_object (message);
	JsonObject *stamp = json_object_has_member (object, "timestamp")
				    ? json_object_get_object_member (object, "timestamp")
				    : NULL;
	EventData data = { NULL, 0 };
	g_autoptr (GString) out = g_string_new (NULL);

	if (stamp != NULL) {
		gint64 sec = json_object_get_int_member_with_default (stamp, "seconds", 0);
		gint64 usec = json_object_get_int_member_with_default (stamp, "microseconds", 0);
		g_autoptr (GDateTime) t = g_date_time_new_from_unix_local (sec);
		g_autofree gchar *hms = t != NULL ? g_date_time_format (t, "%H:%M:%S") : NULL;
		g_string_append_printf (out, "%s.%03d ", hms != NULL ? hms : "??:??:??",
					(int)(usec / 1000));
	}
	if (qmpsh_interactive_color (self))
		g_string_append_printf (out, "%s%s%s", COLOR_EVENT, name, COLOR_RESET);
	else
		g_string_append (out, name);
	qmp_json_foreach_member (qmp_message_get_text (message), qmp_message_get_length (message),
				 find_data_cb, &data);
	if (data.text != NULL) {
		g_string_append_c (out, ' ');
		qmpsh_format_json (out, data.text, data.len,
				   self->format & ~(QMPSH_FORMAT_PRETTY | QMPSH_FORMAT_DROP_ID));
	}
	qmpsh_console_print (self->console, out->str);
}

static void
qmpsh_interactive_event_cb (QmpClient *client, const gchar *name, QmpMessage *message,
			    gpointer user_data)
{
	QmpshInteractive *self = QMPSH_INTERACTIVE (user_data);
	JsonObject *object = qmp_message_get_object (message);

	if (g_strcmp0 (name, "STOP") == 0)
		qmpsh_interactive_set_vm_state (self, "paused");
	else if (g_strcmp0 (name, "RESUME") == 0)
		qmpsh_interactive_set_vm_state (self, "running");
	else if (g_strcmp0 (name, "SHUTDOWN") == 0)
		qmpsh_interactive_set_vm_state (self, "shutdown");
	else if (g_strcmp0 (name, "SUSPEND") == 0)
		qmpsh_interactive_set_vm_state (self, "suspended");
	else if (g_strcmp0 (name, "WAKEUP") == 0)
		qmpsh_interactive_set_vm_state (self, "running");
	qmpsh_watch_event (self->watch, name, object);
	if (self->waiting_for != NULL && g_strcmp0 (self->waiting_for, name) == 0) {
		qmpsh_interactive_wait_done (self, message);
		return;
	}
	g_queue_push_tail (&self->events, qmp_message_ref (message));
	if (self->events.length > 1024)
		qmp_message_unref (g_queue_pop_head (&self->events));
	if (self->print_events)
		qmpsh_interactive_print_event (self, name, message);
}

/* ------------------------------------------------------------------------ */
/* what the prompt and completion know of the VM */

static void
qmpsh_interactive_name_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshInteractive) self = user_data;
	g_autoptr (JsonNode) ret = qmp_client_execute_finish (QMP_CLIENT (source), res, NULL);
	JsonObject *object =
		ret != NULL && JSON_NODE_HOLDS_OBJECT (ret) ? json_node_get_object (ret) : NULL;
	const gchar *name =
		object != NULL ? json_object_get_string_member_with_default (object, "name", NULL)
			       : NULL;

	if (name != NULL) {
		g_free (self->name);
		self->name = g_strdup (name);
		qmpsh_interactive_update_prompt (self);
	}
}

static void
qmpsh_interactive_status_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshInteractive) self = user_data;
	g_autoptr (JsonNode) ret = qmp_client_execute_finish (QMP_CLIENT (source), res, NULL);
	JsonObject *object =
		ret != NULL && JSON_NODE_HOLDS_OBJECT (ret) ? json_node_get_object (ret) : NULL;
	const gchar *status =
		object != NULL ? json_object_get_string_member_with_default (object, "status", NULL)
			       : NULL;

	if (status != NULL)
		qmpsh_interactive_set_vm_state (self,
						g_strcmp0 (status, "prelaunch") == 0 ||
								g_strcmp0 (status, "paused") == 0
							? "paused"
							: status);
}

static void
qmpsh_interactive_schema_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshInteractive) self = user_data;
	g_autoptr (GError) error = NULL;
	g_autoptr (JsonNode) ret = qmp_client_execute_finish (QMP_CLIENT (source), res, &error);

	if (ret == NULL) {
		g_debug ("no schema: %s", error->message);
		return;
	}
	g_clear_object (&self->schema);
	self->schema = qmp_schema_new (ret, NULL);
	self->live_stale = TRUE;
}

static gint
qmpsh_compare_strings (gconstpointer a, gconstpointer b)
{
	return g_strcmp0 (*(const gchar *const *)a, *(const gchar *const *)b);
}

static void
replace_list (GPtrArray **list, GPtrArray *fresh)
{
	g_clear_pointer (list, g_ptr_array_unref);
	*list = fresh;
}

/*
 * The names in a list reply: @member of each object, where its "type" starts
 * with @type_prefix if that is given. Generated names ("#block123") are no
 * use to type.
 */
static GPtrArray *
names_of (GObject *source, GAsyncResult *res, const gchar *member, const gchar *type_prefix)
{
	g_autoptr (JsonNode) ret = qmp_client_execute_finish (QMP_CLIENT (source), res, NULL);
	GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
	JsonArray *list =
		ret != NULL && JSON_NODE_HOLDS_ARRAY (ret) ? json_node_get_array (ret) : NULL;

	for (guint i = 0; list != NULL && i < json_array_get_length (list); i++) {
		JsonObject *o = json_array_get_object_element (list, i);
		const gchar *name =
			o != NULL ? json_object_get_string_member_with_default (o, member, NULL)
				  : NULL;
		if (name == NULL || name[0] == '#' ||
		    (type_prefix != NULL &&
		     !g_str_has_prefix (json_object_get_string_member_with_default (o, "type", ""),
					type_prefix)))
			continue;
		g_ptr_array_add (names, g_strdup (name));
	}
	return names;
}

static void
qmpsh_interactive_qom_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshInteractive) self = user_data;
	replace_list (&self->live.device_ids, names_of (source, res, "name", "child<"));
}

static void
qmpsh_interactive_nodes_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshInteractive) self = user_data;
	replace_list (&self->live.block_nodes, names_of (source, res, "node-name", NULL));
}

static void
qmpsh_interactive_jobs_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshInteractive) self = user_data;
	replace_list (&self->live.job_ids, names_of (source, res, "id", NULL));
	self->live_loading = FALSE;
}

/* the VM's names for completion, fetched after commands that may change them */
static void
qmpsh_interactive_refresh_live (QmpshInteractive *self)
{
	g_autoptr (JsonObject) qom = NULL;

	if (!self->connected || self->live_loading || !self->live_stale || self->schema == NULL)
		return;
	self->live_stale = FALSE;
	self->live_loading = TRUE;
	if (qmp_schema_has_command (self->schema, "qom-list")) {
		qom = json_object_new ();
		json_object_set_string_member (qom, "path", "/machine/peripheral");
		qmp_client_execute_async (self->client, "qom-list", qom, QMP_EXECUTE_FLAG_NONE,
					  NULL, qmpsh_interactive_qom_cb, g_object_ref (self));
	}
	if (qmp_schema_has_command (self->schema, "query-named-block-nodes"))
		qmp_client_execute_async (self->client, "query-named-block-nodes", NULL,
					  QMP_EXECUTE_FLAG_NONE, NULL, qmpsh_interactive_nodes_cb,
					  g_object_ref (self));
	/* the last one clears live_loading */
	qmp_client_execute_async (self->client, "query-jobs", NULL, QMP_EXECUTE_FLAG_NONE, NULL,
				  qmpsh_interactive_jobs_cb, g_object_ref (self));
}

static QmpshCompletion *
qmpsh_interactive_complete (const gchar *line, gsize point, gpointer user_data)
{
	QmpshInteractive *self = QMPSH_INTERACTIVE (user_data);
	/* what is cached now answers; what changed shows at the next TAB */
	qmpsh_interactive_refresh_live (self);
	return qmpsh_complete (self->schema, &self->live, qmpsh_parser_get_hmp (self->parser), line,
			       point);
}

/* HMP's `help` lists "name[|alias] args -- what it does", one a line */
static void
qmpsh_interactive_hmp_help_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshInteractive) self = user_data;
	g_autoptr (JsonNode) ret = qmp_client_execute_finish (QMP_CLIENT (source), res, NULL);
	GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
	g_auto (GStrv) lines = NULL;

	if (ret != NULL && json_node_get_value_type (ret) == G_TYPE_STRING)
		lines = g_strsplit (json_node_get_string (ret), "\n", -1);
	for (guint i = 0; lines != NULL && lines[i] != NULL; i++) {
		gsize n = strcspn (lines[i], " \t\r");
		g_auto (GStrv) aliases = NULL;
		g_autofree gchar *head = g_strndup (lines[i], n);
		if (n == 0)
			continue;
		aliases = g_strsplit (head, "|", -1);
		for (guint j = 0; aliases[j] != NULL; j++)
			g_ptr_array_add (names, g_strdup (aliases[j]));
	}
	g_ptr_array_sort (names, qmpsh_compare_strings);
	replace_list (&self->live.hmp_commands, names);
}

/* after a (re)connect: the name, the state and, in the background, the schema */
static void
qmpsh_interactive_refresh (QmpshInteractive *self)
{
	if (qmpsh_parser_get_hmp (self->parser)) {
		g_autoptr (JsonObject) args = json_object_new ();
		json_object_set_string_member (args, "command-line", "help");
		qmp_client_execute_async (self->client, "human-monitor-command", args,
					  QMP_EXECUTE_FLAG_NONE, NULL,
					  qmpsh_interactive_hmp_help_cb, g_object_ref (self));
	}
	qmp_client_execute_async (self->client, "query-name", NULL, QMP_EXECUTE_FLAG_NONE, NULL,
				  qmpsh_interactive_name_cb, g_object_ref (self));
	qmp_client_execute_async (self->client, "query-status", NULL, QMP_EXECUTE_FLAG_NONE, NULL,
				  qmpsh_interactive_status_cb, g_object_ref (self));
	qmp_client_execute_async (self->client, "query-qmp-schema", NULL, QMP_EXECUTE_FLAG_NONE,
				  NULL, qmpsh_interactive_schema_cb, g_object_ref (self));
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
	if (self->reconnect == NULL || self->task == NULL || self->reconnect_timer != NULL)
		return;
	self->reconnect_delay = self->reconnect_delay == 0
					? RECONNECT_FIRST
					: MIN (self->reconnect_delay * 2, RECONNECT_LAST);
	self->reconnect_timer = g_timeout_source_new (self->reconnect_delay);
	g_source_set_callback (self->reconnect_timer, qmpsh_interactive_reconnect_cb, self, NULL);
	g_source_attach (self->reconnect_timer, NULL);
}

static void
qmpsh_interactive_lost_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshInteractive) self = user_data;
	g_autoptr (GError) error = NULL;
	g_autofree gchar *text = NULL;

	qmp_protocol_disconnect_finish (QMP_PROTOCOL (source), res, &error);
	text = g_strdup_printf ("disconnected from %s: %s%s", self->target,
				error != NULL ? error->message : "the connection closed",
				self->reconnect != NULL ? "; reconnecting" : "");
	qmpsh_interactive_say (self, COLOR_ERROR, text);
	qmpsh_interactive_update_prompt (self);
	if (self->reconnect == NULL) {
		self->status = QMPSH_EXIT_CONNECTION;
		qmpsh_interactive_finish (self);
		return;
	}
	qmpsh_interactive_schedule_reconnect (self);
}

static void
qmpsh_interactive_runstate_cb (QmpProtocol *protocol, QmpRunstate runstate, gpointer user_data)
{
	QmpshInteractive *self = QMPSH_INTERACTIVE (user_data);

	if (runstate != QMP_RUNSTATE_DISCONNECTING || !self->connected || self->task == NULL)
		return;
	/* said at once, with no key pressed: the loop is not waiting for the keyboard */
	self->connected = FALSE;
	if (self->quitting) {
		qmpsh_console_printf (self->console, "%s quit", self->target);
		qmpsh_interactive_finish (self);
		return;
	}
	qmpsh_watch_stop (self->watch, NULL);
	g_clear_object (&self->schema);
	qmp_protocol_disconnect_async (protocol, NULL, qmpsh_interactive_lost_cb,
				       g_object_ref (self));
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
	QmpshInteractive *self = QMPSH_INTERACTIVE (user_data);
	qmpsh_console_print (self->console, text);
}

/**
 * qmpsh_interactive_new:
 * @client: a connected client
 * @parser: (transfer full): the command language
 * @console: the terminal
 * @target: what the client is connected to, for the prompt and messages
 *
 * Returns: (transfer full): the front end
 */
QmpshInteractive *
qmpsh_interactive_new (QmpClient *client, QmpshParser *parser, QmpshConsole *console,
		       const gchar *target)
{
	QmpshInteractive *self = g_object_new (QMPSH_TYPE_INTERACTIVE, NULL);
	self->client = g_object_ref (client);
	self->parser = parser;
	self->console = g_object_ref (console);
	self->target = g_strdup (target);
	self->connected = TRUE;
	self->watch = qmpsh_watch_new (client);
	g_signal_connect (self->watch, "prompt", G_CALLBACK (qmpsh_interactive_watch_prompt_cb),
			  self);
	g_signal_connect (self->watch, "say", G_CALLBACK (qmpsh_interactive_watch_say_cb), self);
	self->line_id =
		g_signal_connect (console, "line", G_CALLBACK (qmpsh_interactive_line_cb), self);
	self->event_id =
		g_signal_connect (client, "event", G_CALLBACK (qmpsh_interactive_event_cb), self);
	self->runstate_id = g_signal_connect (client, "runstate-changed",
					      G_CALLBACK (qmpsh_interactive_runstate_cb), self);
	qmpsh_console_set_completer (console, qmpsh_interactive_complete, self);
	return self;
}

void
qmpsh_interactive_set_format (QmpshInteractive *self, QmpshFormatFlags flags)
{
	self->format = flags;
}

/**
 * qmpsh_interactive_set_echo:
 * @self: the front end
 * @echo: whether each command is shown as sent
 */
void
qmpsh_interactive_set_echo (QmpshInteractive *self, gboolean echo)
{
	self->echo = echo;
}

/**
 * qmpsh_interactive_set_pass_fds:
 * @self: the front end
 * @fds: (nullable): inherited descriptors that `<&N` may pass
 */
void
qmpsh_interactive_set_pass_fds (QmpshInteractive *self, GArray *fds)
{
	g_clear_pointer (&self->pass_fds, g_array_unref);
	self->pass_fds = fds != NULL ? g_array_ref (fds) : NULL;
}

/**
 * qmpsh_interactive_set_confirm:
 * @self: the front end
 * @confirm: whether quit, system_reset and system_powerdown ask first
 */
void
qmpsh_interactive_set_confirm (QmpshInteractive *self, gboolean confirm)
{
	self->confirm = confirm;
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
 * qmpsh_interactive_run_async:
 * @self: the front end
 * @callback: called when the user leaves, or the connection is lost for good
 * @user_data: data for @callback
 */
void
qmpsh_interactive_run_async (QmpshInteractive *self, GAsyncReadyCallback callback,
			     gpointer user_data)
{
	self->task = g_task_new (self, NULL, callback, user_data);
	g_task_set_source_tag (self->task, qmpsh_interactive_run_async);
	self->print_events = TRUE;
	qmpsh_interactive_update_prompt (self);
	/* the prompt comes first; what it names, and the schema, arrive behind it */
	qmpsh_console_start (self->console);
	qmpsh_interactive_refresh (self);
}

QmpshExit
qmpsh_interactive_run_finish (QmpshInteractive *self, GAsyncResult *result)
{
	return g_task_propagate_int (G_TASK (result), NULL);
}

static void
qmpsh_interactive_dispose (GObject *object)
{
	QmpshInteractive *self = QMPSH_INTERACTIVE (object);

	qmp_clear_source (&self->reconnect_timer);
	if (self->client != NULL) {
		g_clear_signal_handler (&self->event_id, self->client);
		g_clear_signal_handler (&self->runstate_id, self->client);
	}
	if (self->console != NULL) {
		g_clear_signal_handler (&self->line_id, self->console);
		qmpsh_console_set_completer (self->console, NULL, NULL);
	}
	qmp_clear_source (&self->wait_timer);
	g_clear_object (&self->watch);
	g_clear_object (&self->console);
	g_clear_object (&self->client);
	g_clear_object (&self->schema);
	g_clear_object (&self->cancellable);
	G_OBJECT_CLASS (qmpsh_interactive_parent_class)->dispose (object);
}

static void
qmpsh_interactive_finalize (GObject *object)
{
	QmpshInteractive *self = QMPSH_INTERACTIVE (object);
	g_clear_pointer (&self->parser, qmpsh_parser_free);
	g_clear_pointer (&self->live.device_ids, g_ptr_array_unref);
	g_clear_pointer (&self->live.block_nodes, g_ptr_array_unref);
	g_clear_pointer (&self->live.job_ids, g_ptr_array_unref);
	g_clear_pointer (&self->live.hmp_commands, g_ptr_array_unref);
	g_free (self->target);
	g_free (self->name);
	g_free (self->vm_state);
	g_free (self->reconnect);
	g_free (self->confirming);
	g_free (self->confirming_name);
	g_free (self->waiting_for);
	g_queue_clear_full (&self->events, (GDestroyNotify)qmp_message_unref);
	g_clear_pointer (&self->pass_fds, g_array_unref);
	g_clear_object (&self->task);
	G_OBJECT_CLASS (qmpsh_interactive_parent_class)->finalize (object);
}

static void
qmpsh_interactive_init (QmpshInteractive *self)
{
	g_queue_init (&self->events);
}

static void
qmpsh_interactive_class_init (QmpshInteractiveClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS (klass);
	object_class->dispose = qmpsh_interactive_dispose;
	object_class->finalize = qmpsh_interactive_finalize;
}
