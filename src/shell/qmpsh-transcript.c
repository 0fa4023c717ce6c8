/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-transcript.h"
#include "qmpsh-files.h"
#include "qmpsh-format.h"

#include <errno.h>
#include <unistd.h>

struct _QmpshTranscript {
	gint fd;
	gchar *path;
	GError *error; /* the first write that failed */
	QmpshTranscriptFailFunc fail;
	gpointer fail_data;
	QmpProtocol *protocol;
	guint tap_id;
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
	gint fd = qmpsh_files_open_append (path, "the log", error);

	if (fd < 0)
		return NULL;
	self = g_new0 (QmpshTranscript, 1);
	self->fd = fd;
	self->path = g_strdup (path);
	return self;
}

/**
 * qmpsh_transcript_set_fail_func:
 * @self: a transcript
 * @func: (nullable): told the first time a write fails
 * @user_data: data for @func
 */
void
qmpsh_transcript_set_fail_func (QmpshTranscript *self, QmpshTranscriptFailFunc func,
				gpointer user_data)
{
	self->fail = func;
	self->fail_data = user_data;
}

/**
 * qmpsh_transcript_has_failed:
 * @self: a transcript
 *
 * Returns: %TRUE if some line could not be written
 */
gboolean
qmpsh_transcript_has_failed (QmpshTranscript *self)
{
	return self->error != NULL;
}

/* one write a line, straight through, so that a crash or a kill loses nothing */
static void
qmpsh_transcript_put (QmpshTranscript *self, const gchar *text, gsize len)
{
	while (len > 0 && self->error == NULL) {
		gssize n = write (self->fd, text, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int saved = n < 0 ? errno : EIO;
			self->error = g_error_new (G_FILE_ERROR, g_file_error_from_errno (saved),
						   "cannot write the log %s: %s; the rest of the "
						   "session goes unlogged",
						   self->path, g_strerror (saved));
			if (self->fail != NULL)
				self->fail (self->error, self->fail_data);
			return;
		}
		text += n;
		len -= n;
	}
}

static void
qmpsh_transcript_write (QmpshTranscript *self, const gchar *direction, QmpMessage *message)
{
	g_autoptr (GDateTime) now = NULL;
	g_autofree gchar *stamp = NULL;
	g_autoptr (GString) line = NULL;

	if (self->error != NULL)
		return;
	now = g_date_time_new_now_local ();
	stamp = g_date_time_format_iso8601 (now);
	line = g_string_new (stamp);
	g_string_append_printf (line, " %s ", direction);
	/* a pretty monitor's messages span lines: one line each here */
	qmpsh_format_json (line, qmp_message_get_text (message), qmp_message_get_length (message),
			   QMPSH_FORMAT_NONE);
	g_string_append_c (line, '\n');
	qmpsh_transcript_put (self, line->str, line->len);
}

static void
qmpsh_transcript_tap_cb (QmpProtocol *protocol, QmpDirection direction, QmpMessage *message,
			 gpointer user_data)
{
	qmpsh_transcript_write (user_data, direction == QMP_DIRECTION_IN ? "<<<" : ">>>", message);
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
	g_autofree gchar *head = g_strdup_printf ("# %s qmpsh session with %s\n", stamp, target);

	qmpsh_transcript_put (self, head, strlen (head));
	self->protocol = g_object_ref (protocol);
	self->tap_id = qmp_protocol_add_tap (protocol, qmpsh_transcript_tap_cb, self);
}

void
qmpsh_transcript_free (QmpshTranscript *self)
{
	if (self == NULL)
		return;
	if (self->protocol != NULL) {
		qmp_protocol_remove_tap (self->protocol, self->tap_id);
		g_object_unref (self->protocol);
	}
	close (self->fd);
	g_clear_error (&self->error);
	g_free (self->path);
	g_free (self);
}
