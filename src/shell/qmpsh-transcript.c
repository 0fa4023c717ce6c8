/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-transcript.h"
#include "qmpsh-format.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>

struct _QmpshTranscript {
	FILE *file;
	QmpProtocol *protocol;
	gulong in_id;
	gulong out_id;
};

/**
 * qmpsh_transcript_open:
 * @path: the file; created with mode 0600 if missing, appended to otherwise
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full): a transcript, or %NULL with a %G_FILE_ERROR
 */
QmpshTranscript *
qmpsh_transcript_open (const gchar *path, GError **error)
{
	QmpshTranscript *self;
	int fd = g_open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0) {
		int saved = errno;
		g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
			     "cannot open the log %s: %s", path, g_strerror (saved));
		return NULL;
	}
	self = g_new0 (QmpshTranscript, 1);
	self->file = fdopen (fd, "a");
	return self;
}

static void
qmpsh_transcript_write (QmpshTranscript *self, const gchar *direction, QmpMessage *message)
{
	g_autoptr (GDateTime) now = g_date_time_new_now_local ();
	g_autofree gchar *stamp = g_date_time_format_iso8601 (now);
	g_autoptr (GString) line = g_string_new (stamp);

	g_string_append_printf (line, " %s ", direction);
	/* a pretty monitor's messages span lines: one line each here */
	qmpsh_format_json (line, qmp_message_get_text (message), qmp_message_get_length (message),
			   QMPSH_FORMAT_NONE);
	g_string_append_c (line, '\n');
	fwrite (line->str, 1, line->len, self->file);
	/* written through at once, so that a crash or a kill loses nothing */
	fflush (self->file);
}

static void
qmpsh_transcript_in_cb (QmpProtocol *protocol, QmpMessage *message, gpointer user_data)
{
	qmpsh_transcript_write (user_data, "<<<", message);
}

static void
qmpsh_transcript_out_cb (QmpProtocol *protocol, QmpMessage *message, gpointer user_data)
{
	qmpsh_transcript_write (user_data, ">>>", message);
}

/**
 * qmpsh_transcript_attach:
 * @self: a transcript
 * @protocol: the connection to record
 * @target: what it connects to, for the session's first line
 */
void
qmpsh_transcript_attach (QmpshTranscript *self, QmpProtocol *protocol, const gchar *target)
{
	g_autoptr (GDateTime) now = g_date_time_new_now_local ();
	g_autofree gchar *stamp = g_date_time_format_iso8601 (now);

	fprintf (self->file, "# %s qmpsh session with %s\n", stamp, target);
	fflush (self->file);
	self->protocol = g_object_ref (protocol);
	self->in_id = g_signal_connect (protocol, "message-in", G_CALLBACK (qmpsh_transcript_in_cb),
					self);
	self->out_id = g_signal_connect (protocol, "message-out",
					 G_CALLBACK (qmpsh_transcript_out_cb), self);
}

void
qmpsh_transcript_free (QmpshTranscript *self)
{
	if (self == NULL)
		return;
	if (self->protocol != NULL) {
		g_clear_signal_handler (&self->in_id, self->protocol);
		g_clear_signal_handler (&self->out_id, self->protocol);
		g_object_unref (self->protocol);
	}
	fclose (self->file);
	g_free (self);
}
