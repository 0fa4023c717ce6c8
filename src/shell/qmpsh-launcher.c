/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-launcher.h"

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

/* the descriptor QEMU finds its end of the monitor's socketpair on */
#define QMPSH_LAUNCHER_MONITOR_FD 3

/**
 * QmpshLauncher:
 *
 * Starts a throwaway QEMU whose QMP monitor is one end of a socketpair that
 * qmpsh holds the other end of: nothing is on disk, nobody else can reach
 * it, and there is no race. QEMU runs in a process group of its own, so the
 * terminal's Ctrl-C is qmpsh's alone, and what QEMU prints comes through a
 * pipe, line by line, for the front end to show where it fits.
 */
struct _QmpshLauncher {
	GObject parent_instance;
	GStrv argv;
	GSubprocess *process;
	GIOStream *stream; /* our end of the monitor */
	GDataInputStream *output;
	GCancellable *cancellable;
	gboolean exited;
	gboolean output_done;
	gboolean reported; /* "exited" was emitted */
	gboolean stopped;
	gchar *how; /* how it exited */
};

G_DEFINE_TYPE (QmpshLauncher, qmpsh_launcher, G_TYPE_OBJECT)

enum { SIGNAL_EXITED, SIGNAL_OUTPUT, N_SIGNALS };
static guint signals[N_SIGNALS];

static const gchar *const default_argv[] = {
	"qemu-system-x86_64", "-M", "none", "-nodefaults", "-display", "none", NULL,
};

/**
 * qmpsh_launcher_new:
 * @argv: (nullable): the QEMU command line; %NULL for a bare x86_64 machine
 *
 * Returns: (transfer full): a launcher
 */
QmpshLauncher *
qmpsh_launcher_new (const gchar *const *argv)
{
	QmpshLauncher *self = g_object_new (QMPSH_TYPE_LAUNCHER, NULL);
	self->argv = g_strdupv ((gchar **)(argv != NULL && argv[0] != NULL ? argv : default_argv));
	return self;
}

static void
qmpsh_launcher_child_setup (gpointer user_data)
{
	/* the terminal's signals (Ctrl-C) go to the foreground group: qmpsh's, not QEMU's */
	setpgid (0, 0);
	/* a throwaway QEMU must not outlive a shell that is killed outright */
	prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gchar *
qmpsh_launcher_describe_exit (GSubprocess *process)
{
	if (g_subprocess_get_if_signaled (process))
		return g_strdup_printf ("was killed by signal %d",
					g_subprocess_get_term_sig (process));
	return g_strdup_printf ("exited with status %d", g_subprocess_get_exit_status (process));
}

/* "exited" comes after the last line QEMU printed, so that its reasons come first */
static void
qmpsh_launcher_maybe_exited (QmpshLauncher *self)
{
	if (self->exited && self->output_done && self->how != NULL) {
		g_autofree gchar *how = g_steal_pointer (&self->how);
		self->reported = TRUE;
		g_signal_emit (self, signals[SIGNAL_EXITED], 0, how);
	}
}

static void
qmpsh_launcher_wait_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshLauncher) self = QMPSH_LAUNCHER (user_data);

	if (!g_subprocess_wait_finish (G_SUBPROCESS (source), res, NULL))
		return; /* cancelled: we are stopping it ourselves */
	self->exited = TRUE;
	self->how = qmpsh_launcher_describe_exit (G_SUBPROCESS (source));
	qmpsh_launcher_maybe_exited (self);
}

static void
qmpsh_launcher_line_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshLauncher) self = QMPSH_LAUNCHER (user_data);
	g_autoptr (GError) error = NULL;
	gsize len = 0;
	g_autofree gchar *line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source),
								       res, &len, &error);

	if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	if (line == NULL) {
		self->output_done = TRUE;
		qmpsh_launcher_maybe_exited (self);
		return;
	}
	/* what QEMU prints need not be UTF-8; the terminal gets no raw bytes */
	if (!g_utf8_validate_len (line, len, NULL)) {
		gchar *valid = g_utf8_make_valid (line, len);
		g_free (line);
		line = valid;
	}
	g_signal_emit (self, signals[SIGNAL_OUTPUT], 0, line);
	g_data_input_stream_read_line_async (self->output, G_PRIORITY_DEFAULT, self->cancellable,
					     qmpsh_launcher_line_cb, g_object_ref (self));
}

/**
 * qmpsh_launcher_start:
 * @self: a launcher
 * @error: a #GError, or %NULL
 *
 * Starts QEMU on one end of a socketpair. Then open a session on
 * qmpsh_launcher_get_stream(); #QmpshLauncher::exited says when QEMU is
 * gone, which before the session is up means it failed to start.
 *
 * Returns: %TRUE if QEMU was started
 */
gboolean
qmpsh_launcher_start (QmpshLauncher *self, GError **error)
{
	g_autoptr (GPtrArray) argv = g_ptr_array_new ();
	g_autoptr (GSubprocessLauncher) launcher = NULL;
	g_autoptr (GSocket) socket = NULL;
	g_autofree gchar *chardev = NULL;
	int pair[2];

	if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0) {
		int saved = errno;
		g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
			     "cannot make a socket for QEMU's monitor: %s", g_strerror (saved));
		return FALSE;
	}
	socket = g_socket_new_from_fd (pair[0], error);
	if (socket == NULL) {
		close (pair[0]);
		close (pair[1]);
		return FALSE;
	}

	chardev = g_strdup_printf ("socket,id=qmpsh,fd=%d", QMPSH_LAUNCHER_MONITOR_FD);
	for (guint i = 0; self->argv[i] != NULL; i++)
		g_ptr_array_add (argv, self->argv[i]);
	g_ptr_array_add (argv, "-chardev");
	g_ptr_array_add (argv, chardev);
	g_ptr_array_add (argv, "-mon");
	g_ptr_array_add (argv, "chardev=qmpsh,mode=control");
	g_ptr_array_add (argv, NULL);

	/* QEMU reads nothing of ours; what it prints comes to us, not to the terminal */
	launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
					      G_SUBPROCESS_FLAGS_STDERR_MERGE);
	g_subprocess_launcher_set_stdin_file_path (launcher, "/dev/null");
	g_subprocess_launcher_take_fd (launcher, pair[1], QMPSH_LAUNCHER_MONITOR_FD);
	g_subprocess_launcher_set_child_setup (launcher, qmpsh_launcher_child_setup, NULL, NULL);
	self->process =
		g_subprocess_launcher_spawnv (launcher, (const gchar *const *)argv->pdata, error);
	if (self->process == NULL) {
		g_prefix_error (error, "cannot start %s: ", self->argv[0]);
		return FALSE;
	}
	self->stream = G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
	self->cancellable = g_cancellable_new ();
	self->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
	g_data_input_stream_read_line_async (self->output, G_PRIORITY_DEFAULT, self->cancellable,
					     qmpsh_launcher_line_cb, g_object_ref (self));
	g_subprocess_wait_async (self->process, self->cancellable, qmpsh_launcher_wait_cb,
				 g_object_ref (self));
	return TRUE;
}

/**
 * qmpsh_launcher_get_stream:
 * @self: a started launcher
 *
 * Returns: (transfer none): qmpsh's end of QEMU's monitor
 */
GIOStream *
qmpsh_launcher_get_stream (QmpshLauncher *self)
{
	return self->stream;
}

/**
 * qmpsh_launcher_is_running:
 * @self: a launcher
 *
 * Returns: %TRUE until #QmpshLauncher::exited says QEMU is gone, or it is stopped
 */
gboolean
qmpsh_launcher_is_running (QmpshLauncher *self)
{
	return self->process != NULL && !self->reported && !self->stopped;
}

/**
 * qmpsh_launcher_stop:
 * @self: a launcher
 *
 * Stops QEMU if it still runs and reaps it.
 */
void
qmpsh_launcher_stop (QmpshLauncher *self)
{
	self->stopped = TRUE;
	if (self->cancellable != NULL)
		g_cancellable_cancel (self->cancellable);
	if (self->process != NULL) {
		if (!self->exited)
			g_subprocess_send_signal (self->process, SIGTERM);
		g_subprocess_wait (self->process, NULL, NULL);
		self->exited = TRUE;
	}
}

static void
qmpsh_launcher_finalize (GObject *object)
{
	QmpshLauncher *self = QMPSH_LAUNCHER (object);
	qmpsh_launcher_stop (self);
	g_clear_object (&self->output);
	g_clear_object (&self->stream);
	g_clear_object (&self->process);
	g_clear_object (&self->cancellable);
	g_free (self->how);
	g_strfreev (self->argv);
	G_OBJECT_CLASS (qmpsh_launcher_parent_class)->finalize (object);
}

static void
qmpsh_launcher_init (QmpshLauncher *self)
{
}

static void
qmpsh_launcher_class_init (QmpshLauncherClass *klass)
{
	G_OBJECT_CLASS (klass)->finalize = qmpsh_launcher_finalize;

	/**
	 * QmpshLauncher::exited:
	 * @self: the launcher
	 * @how: "exited with status N" or "was killed by signal N"
	 *
	 * QEMU exited by itself; emitted after its last #QmpshLauncher::output.
	 */
	signals[SIGNAL_EXITED] =
		g_signal_new ("exited", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
			      NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

	/**
	 * QmpshLauncher::output:
	 * @self: the launcher
	 * @line: a line QEMU printed on its standard output or error, without its end
	 */
	signals[SIGNAL_OUTPUT] =
		g_signal_new ("output", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
			      NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}
