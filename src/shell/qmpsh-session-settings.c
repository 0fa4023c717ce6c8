/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * QmpshSession: what the front end tells it (the language's mode, the
 * files commands may pass, which events to give out, stopping at the first
 * failure, read-only, the layout of replies sent elsewhere) and what it
 * asks of it.
 */

#include "qmpsh-session-private.h"

#include <string.h>

QmpClient *
qmpsh_session_get_client (QmpshSession *self)
{
	return self->client;
}

QmpshParser *
qmpsh_session_get_parser (QmpshSession *self)
{
	return self->parser;
}

gboolean
qmpsh_session_get_interactive (QmpshSession *self)
{
	return self->interactive;
}

/**
 * qmpsh_session_set_hmp:
 * @self: a session
 * @hmp: whether plain lines are HMP commands
 */
void
qmpsh_session_set_hmp (QmpshSession *self, gboolean hmp)
{
	qmpsh_parser_set_hmp (self->parser, hmp);
}

/**
 * qmpsh_session_set_confirm:
 * @self: a session
 * @confirm: whether quit, system_reset and system_powerdown are asked about
 *   first, through #QmpshSession::confirm
 */
void
qmpsh_session_set_confirm (QmpshSession *self, gboolean confirm)
{
	self->confirm = confirm;
}

/**
 * qmpsh_session_set_pass_fds:
 * @self: a session
 * @fds: (nullable): inherited descriptors that `<&N` may pass
 */
void
qmpsh_session_set_pass_fds (QmpshSession *self, GArray *fds)
{
	g_clear_pointer (&self->pass_fds, g_array_unref);
	self->pass_fds = fds != NULL ? g_array_ref (fds) : NULL;
}

/**
 * qmpsh_session_set_exit_on_error:
 * @self: a session
 * @on: whether the first failed line ends the input
 *
 * With it on, each line waits until the one before it is answered (no
 * pipelining), so that nothing after a failure is sent.
 */
void
qmpsh_session_set_exit_on_error (QmpshSession *self, gboolean on)
{
	self->exit_on_error = on;
	qmpsh_queue_set_serial (self->queue, on);
}

/**
 * qmpsh_session_set_format:
 * @self: a session
 * @format: how the front end lays replies out: a reply sent to a file or a
 *   command (`>FILE`, `| CMD`) is laid out the same, without colour
 */
void
qmpsh_session_set_format (QmpshSession *self, QmpshFormatFlags format)
{
	self->format = format;
}

/**
 * qmpsh_session_set_read_only:
 * @self: a session
 * @on: whether only commands that change nothing are sent
 */
void
qmpsh_session_set_read_only (QmpshSession *self, gboolean on)
{
	self->read_only = on;
}

/**
 * qmpsh_session_get_read_only:
 * @self: a session
 *
 * Returns: whether only commands that change nothing are sent
 */
gboolean
qmpsh_session_get_read_only (QmpshSession *self)
{
	return self->read_only;
}

/**
 * qmpsh_session_get_stopped:
 * @self: a session
 *
 * Returns: whether a failure ended the input, exit-on-error being on
 */
gboolean
qmpsh_session_get_stopped (QmpshSession *self)
{
	return self->stopped;
}

/**
 * qmpsh_session_set_show_events:
 * @self: a session
 * @show: which events are given out through #QmpshSession::event
 * @patterns: (nullable) (array zero-terminated=1): for %QMPSH_EVENTS_ONLY
 *   and %QMPSH_EVENTS_MUTE, glob patterns of names, in any case
 */
void
qmpsh_session_set_show_events (QmpshSession *self, QmpshEventsShow show,
			       const gchar *const *patterns)
{
	self->show_events = show;
	g_clear_pointer (&self->event_patterns, g_strfreev);
	if (patterns == NULL)
		return;
	self->event_patterns = g_new0 (gchar *, g_strv_length ((gchar **)patterns) + 1);
	for (guint i = 0; patterns[i] != NULL; i++)
		self->event_patterns[i] = g_ascii_strup (patterns[i], -1);
}

/**
 * qmpsh_session_set_window:
 * @self: a session
 * @window: how many commands may be in flight before the session is busy;
 *   0 for no limit
 */
void
qmpsh_session_set_window (QmpshSession *self, guint window)
{
	self->window = window;
}

QmpshExit
qmpsh_session_get_status (QmpshSession *self)
{
	return self->status;
}

/* `.set raw on`: each message, either way, as it goes, for the front end to show */
static void
qmpsh_session_raw (QmpshSession *self, const gchar *direction, QmpMessage *message)
{
	g_autoptr (GDateTime) now = g_date_time_new_now_local ();
	g_autofree gchar *stamp = g_date_time_format (now, "%H:%M:%S.%f");
	g_autoptr (GString) line = g_string_new (NULL);

	/* milliseconds are enough to read the order by */
	g_string_append_len (line, stamp, MIN (strlen (stamp), 12));
	g_string_append_printf (line, " %s ", direction);
	qmpsh_format_json (line, qmp_message_get_text (message), qmp_message_get_length (message),
			   QMPSH_FORMAT_NONE);
	g_signal_emit_by_name (self, "action::raw", line->str);
}

static void
qmpsh_session_raw_cb (QmpProtocol *protocol, QmpDirection direction, QmpMessage *message,
		      gpointer user_data)
{
	qmpsh_session_raw (user_data, direction == QMP_DIRECTION_IN ? "<<<" : ">>>", message);
}

/**
 * qmpsh_session_set_raw:
 * @self: a session
 * @on: whether every message in and out, the shell's own queries too, is
 *   given to the front end as it goes (`action::raw`, with a timestamped line)
 */
void
qmpsh_session_set_raw (QmpshSession *self, gboolean on)
{
	if (on == (self->raw_tap_id != 0))
		return;
	if (!on) {
		qmp_protocol_remove_tap ((QmpProtocol *)self->client, self->raw_tap_id);
		self->raw_tap_id = 0;
		return;
	}
	self->raw_tap_id =
		qmp_protocol_add_tap ((QmpProtocol *)self->client, qmpsh_session_raw_cb, self);
}
