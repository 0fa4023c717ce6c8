/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-rerun.h"
#include "qmp-command-error.h"
#include "qmp-source.h"
#include "qmpsh-check.h"
#include "qmpsh-parser.h"
#include "qmpsh-typer.h"

#include <stdio.h>
#include <string.h>

/* how often, by default, and how often at most */
#define QMPSH_RERUN_DEFAULT_SECONDS 2.0
#define QMPSH_RERUN_MIN_SECONDS	    0.1

struct _QmpshRerun {
	QmpClient *client;
	QmpshConsole *console;
	QmpshFormatFlags format;
	gchar *name;
	JsonObject *args;
	gdouble seconds;
	gchar *shown; /* the line above the reply */
	GSource *timer;
	GCancellable *cancellable;
	guint drawn;	/* rows drawn the last time, to draw over */
	gboolean aside; /* the prompt left the screen, and the keys wait */
};

/* rows @text takes on a terminal @cols wide: escape sequences take none */
static guint
rows_of (const gchar *text, gint cols)
{
	guint rows = 0;
	glong width = 0;

	for (const gchar *p = text; *p != '\0'; p = g_utf8_next_char (p)) {
		if (*p == '\033') {
			while (p[1] != '\0' && !g_ascii_isalpha (p[1]))
				p++;
			if (p[1] != '\0')
				p++;
			continue;
		}
		if (*p == '\n') {
			rows += cols > 0 ? MAX (1, (width + cols - 1) / cols) : 1;
			width = 0;
			continue;
		}
		width++;
	}
	return rows;
}

static void qmpsh_rerun_schedule (QmpshRerun *self);

/* the reply, drawn over the one before it */
static void
qmpsh_rerun_draw (QmpshRerun *self, const gchar *text)
{
	g_autoptr (GDateTime) now = g_date_time_new_now_local ();
	g_autofree gchar *stamp = g_date_time_format (now, "%H:%M:%S");
	g_autoptr (GString) out = g_string_new (NULL);
	gint rows = qmpsh_console_get_height (self->console);
	gint cols = (gint)qmpsh_console_get_width (self->console);
	guint need;

	g_string_append_printf (out, "%s every %g s, at %s (Ctrl-C stops watching)\n", self->shown,
				self->seconds, stamp);
	g_string_append (out, text);
	if (out->len > 0 && out->str[out->len - 1] != '\n')
		g_string_append_c (out, '\n');
	need = rows_of (out->str, cols);
	/* in place while it fits; from the top of a cleared screen when it does not */
	if (self->drawn > 0 && rows > 0 && self->drawn < (guint)rows && need < (guint)rows)
		printf ("\033[%uA\r\033[J", self->drawn);
	else if (self->drawn > 0)
		fputs ("\033[H\033[2J", stdout);
	fputs (out->str, stdout);
	fflush (stdout);
	self->drawn = need;
}

static void
qmpsh_rerun_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	QmpshRerun *self = user_data;
	g_autoptr (GError) error = NULL;
	g_autoptr (JsonNode) ret = qmp_client_execute_finish (QMP_CLIENT (source), res, &error);
	g_autoptr (GString) text = g_string_new (NULL);
	g_autofree gchar *json = NULL;

	if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	if (ret != NULL) {
		json = json_to_string (ret, FALSE);
		qmpsh_format_json (text, json, strlen (json), self->format);
	} else if (error->domain == QMP_COMMAND_ERROR) {
		g_string_printf (text, "Error: %s (%s)", error->message,
				 qmp_command_error_class_to_string (error->code));
	} else {
		g_string_printf (text, "Error: %s", error->message);
	}
	qmpsh_rerun_draw (self, text->str);
	qmpsh_rerun_schedule (self);
}

static gboolean
qmpsh_rerun_tick_cb (gpointer user_data)
{
	QmpshRerun *self = user_data;

	g_clear_pointer (&self->timer, g_source_unref);
	/* the first time, outside the line's handler, where the prompt can go */
	if (!self->aside) {
		self->aside = TRUE;
		qmpsh_console_step_aside (self->console, FALSE);
		qmpsh_console_pause_input (self->console, TRUE);
	}
	qmp_client_execute_async (self->client, self->name, self->args, QMP_EXECUTE_FLAG_NONE,
				  self->cancellable, qmpsh_rerun_done_cb, self);
	return G_SOURCE_REMOVE;
}

static void
qmpsh_rerun_schedule (QmpshRerun *self)
{
	self->timer = g_timeout_source_new (self->aside ? (guint)(self->seconds * 1000) : 0);
	g_source_set_callback (self->timer, qmpsh_rerun_tick_cb, self, NULL);
	g_source_attach (self->timer, NULL);
}

/* the command, typed by the schema as any line is; only one that changes nothing */
static gboolean
qmpsh_rerun_parse (QmpshRerun *self, QmpSchema *schema, const gchar *text, GError **error)
{
	g_autoptr (QmpshParser) parser = qmpsh_parser_new ();
	g_autoptr (QmpshLine) line = qmpsh_parser_feed (parser, text, error);
	g_autoptr (QmpMessage) command = NULL;
	QmpshTyper typer = { schema, NULL, NULL };
	JsonObject *object;

	if (line == NULL)
		return FALSE;
	if (line->kind != QMPSH_LINE_COMMAND || line->redirects != NULL || line->output != NULL) {
		g_set_error_literal (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "usage: .watch [every=SECONDS] COMMAND [KEY=VALUE...]");
		return FALSE;
	}
	if (schema != NULL && qmpsh_typer_type_line (&typer, line, error) == QMPSH_TYPER_REFUSED)
		return FALSE;
	command = qmpsh_line_take_message (line, error);
	if (command == NULL)
		return FALSE;
	if (!qmpsh_line_reads_only (line, command)) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
			     ".watch runs again only what changes nothing (query-*, qom-get, ...), "
			     "not %s",
			     line->name);
		return FALSE;
	}
	self->name = g_strdup (line->name);
	object = qmp_message_get_object (command);
	if (object != NULL && json_object_has_member (object, "arguments"))
		self->args = json_object_ref (json_object_get_object_member (object, "arguments"));
	self->shown = g_strdup (text);
	return TRUE;
}

/**
 * qmpsh_rerun_new:
 * @client: where the command goes
 * @schema: (nullable): to type and check it by
 * @console: the terminal, which the watch has until it is freed
 * @format: how the reply is laid out
 * @words: `[every=SECONDS] COMMAND [KEY=VALUE...]`
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full) (nullable): the watch, running; %NULL with
 *   @error set when the words are not a command that changes nothing
 */
QmpshRerun *
qmpsh_rerun_new (QmpClient *client, QmpSchema *schema, QmpshConsole *console,
		 QmpshFormatFlags format, const gchar *words, GError **error)
{
	g_autoptr (QmpshRerun) self = g_new0 (QmpshRerun, 1);
	const gchar *rest = words + strspn (words, " \t");

	self->client = g_object_ref (client);
	self->console = g_object_ref (console);
	self->format = format | QMPSH_FORMAT_PRETTY;
	self->seconds = QMPSH_RERUN_DEFAULT_SECONDS;
	if (g_str_has_prefix (rest, "every=")) {
		gchar *end = NULL;
		self->seconds = g_ascii_strtod (rest + 6, &end);
		if (end == rest + 6 || (*end != ' ' && *end != '\t') ||
		    !(self->seconds >= QMPSH_RERUN_MIN_SECONDS) || self->seconds > 86400) {
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     ".watch: every= takes seconds, %g to 86400",
				     QMPSH_RERUN_MIN_SECONDS);
			return NULL;
		}
		rest = end + strspn (end, " \t");
	}
	if (!qmpsh_rerun_parse (self, schema, rest, error))
		return NULL;
	self->cancellable = g_cancellable_new ();
	qmpsh_rerun_schedule (self);
	return g_steal_pointer (&self);
}

/* stops it: the prompt comes back under the last reply */
void
qmpsh_rerun_free (QmpshRerun *self)
{
	if (self == NULL)
		return;
	if (self->cancellable != NULL)
		g_cancellable_cancel (self->cancellable);
	if (self->aside) {
		qmpsh_console_pause_input (self->console, FALSE);
		qmpsh_console_step_back (self->console);
	}
	qmp_clear_source (&self->timer);
	g_clear_object (&self->cancellable);
	g_clear_object (&self->client);
	g_clear_object (&self->console);
	g_clear_pointer (&self->args, json_object_unref);
	g_free (self->name);
	g_free (self->shown);
	g_free (self);
}
