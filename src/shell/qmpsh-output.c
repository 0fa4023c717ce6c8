/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-output.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

struct _QmpshOutput {
	QmpshOutputKind kind;
	gchar *target; /* the file, or the shell command */
	gint fd;       /* the file, once opened */
};

/**
 * qmpsh_output_new:
 * @kind: a file to write or append to, or a command to pipe through
 * @target: the file's name, or the command
 *
 * Returns: (transfer full): where a reply goes; nothing is opened yet
 */
QmpshOutput *
qmpsh_output_new (QmpshOutputKind kind, const gchar *target)
{
	QmpshOutput *self = g_new0 (QmpshOutput, 1);
	self->kind = kind;
	self->target = g_strdup (target);
	self->fd = -1;
	return self;
}

QmpshOutputKind
qmpsh_output_get_kind (const QmpshOutput *self)
{
	return self->kind;
}

const gchar *
qmpsh_output_get_target (const QmpshOutput *self)
{
	return self->target;
}

/**
 * qmpsh_output_open:
 * @self: an output
 * @error: a #GError, or %NULL
 *
 * Opens a file, as a shell does before it runs the command: one that
 * cannot be written keeps the command from being sent. A pipe's command
 * starts only when the reply is there.
 *
 * Returns: %TRUE, or %FALSE with a #G_FILE_ERROR
 */
gboolean
qmpsh_output_open (QmpshOutput *self, GError **error)
{
	gint flags = O_WRONLY | O_CREAT | O_CLOEXEC |
		     (self->kind == QMPSH_OUTPUT_APPEND ? O_APPEND : O_TRUNC);

	if (self->kind == QMPSH_OUTPUT_PIPE || self->fd >= 0)
		return TRUE;
	self->fd = g_open (self->target, flags, 0666);
	if (self->fd < 0) {
		gint saved = errno;
		g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
			     "cannot write %s: %s", self->target, g_strerror (saved));
		return FALSE;
	}
	return TRUE;
}

static gboolean
write_all (gint fd, const gchar *text, gsize len, GError **error)
{
	while (len > 0) {
		gssize n = write (fd, text, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			gint saved = errno;
			g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s",
				     g_strerror (saved));
			return FALSE;
		}
		text += n;
		len -= n;
	}
	return TRUE;
}

/* GSocket ignores SIGPIPE for us, and we SIGINT meanwhile: the command gets them back */
static void
child_setup (gpointer data)
{
	signal (SIGPIPE, SIG_DFL);
	signal (SIGINT, SIG_DFL);
}

/* `| COMMAND`: sh runs it with the reply on its input; its output is ours */
static gboolean
qmpsh_output_pipe (QmpshOutput *self, const gchar *text, gsize len, GError **error)
{
	const gchar *argv[] = { "/bin/sh", "-c", self->target, NULL };
	g_autoptr (GSubprocessLauncher) launcher =
		g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE);
	g_autoptr (GSubprocess) child = NULL;
	g_autoptr (GBytes) input = g_bytes_new (text, len);
	g_autoptr (GError) local = NULL;

	struct sigaction ignore = { .sa_handler = SIG_IGN };
	struct sigaction saved;
	gboolean ok = TRUE;
	gint status;

	g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
	/*
	 * Ctrl-C while the command has the terminal (less, a sleep) is the
	 * command's, as in a shell: qmpsh must not act on it once it is back
	 */
	sigemptyset (&ignore.sa_mask);
	sigaction (SIGINT, &ignore, &saved);
	child = g_subprocess_launcher_spawnv (launcher, argv, error);
	if (child == NULL) {
		sigaction (SIGINT, &saved, NULL);
		return FALSE;
	}
	/* a command that stops reading early (head -1) is no failure of ours */
	if (!g_subprocess_communicate (child, input, NULL, NULL, NULL, &local) &&
	    !g_error_matches (local, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE)) {
		g_propagate_error (error, g_steal_pointer (&local));
		ok = FALSE;
	}
	if (local != NULL)
		g_subprocess_wait (child, NULL, NULL);
	sigaction (SIGINT, &saved, NULL);
	if (!ok)
		return FALSE;
	/* a command Ctrl-C ended left the cursor after the terminal's ^C, as a shell knows */
	if (g_subprocess_get_if_signaled (child) && g_subprocess_get_term_sig (child) == SIGINT)
		fputc ('\n', stdout);
	/* sh could not find or run it: the reply went nowhere */
	status = g_subprocess_get_if_exited (child) ? g_subprocess_get_exit_status (child) : 0;
	if (status == 126 || status == 127) {
		g_set_error (error, G_SPAWN_EXIT_ERROR, status,
			     "the reply went nowhere: sh could not run '%s' (status %d)",
			     self->target, status);
		return FALSE;
	}
	return TRUE;
}

/**
 * qmpsh_output_write:
 * @self: an output, opened
 * @text: the reply, laid out
 * @len: its length
 * @error: a #GError, or %NULL
 *
 * Writes the reply to the file and closes it, or runs the pipe's command
 * on it and waits for it to end.
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
qmpsh_output_write (QmpshOutput *self, const gchar *text, gsize len, GError **error)
{
	gboolean ok;

	if (self->kind == QMPSH_OUTPUT_PIPE)
		return qmpsh_output_pipe (self, text, len, error);
	if (!qmpsh_output_open (self, error))
		return FALSE;
	ok = write_all (self->fd, text, len, error);
	if (close (self->fd) != 0 && ok) {
		gint saved = errno;
		g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s",
			     g_strerror (saved));
		ok = FALSE;
	}
	self->fd = -1;
	if (!ok)
		g_prefix_error (error, "cannot write %s: ", self->target);
	return ok;
}

void
qmpsh_output_free (QmpshOutput *self)
{
	if (self == NULL)
		return;
	if (self->fd >= 0)
		close (self->fd);
	g_free (self->target);
	g_free (self);
}

/**
 * qmpsh_output_buffer_stdout:
 *
 * Before anything is written: a pipe or a file takes stdout in 64 KiB
 * writes, a terminal line by line. The buffer is given, for glibc ignores
 * the size asked for without one and takes the file's block size (4 KiB): a
 * flood of events then cost a write(2) every 40 lines.
 */
void
qmpsh_output_buffer_stdout (void)
{
	static gchar buffer[64 * 1024];

	if (!isatty (STDOUT_FILENO))
		setvbuf (stdout, buffer, _IOFBF, sizeof buffer);
}
