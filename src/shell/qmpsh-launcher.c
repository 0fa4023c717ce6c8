/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-launcher.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

/**
 * QmpshLauncher:
 *
 * Starts a throwaway QEMU whose QMP monitor dials in to a socket in a fresh
 * private directory. The socket listens before QEMU starts, so there is no
 * race; when QEMU exits before it connects, the wait for it fails at once.
 */
struct _QmpshLauncher {
	GObject parent_instance;
	GStrv argv;
	gchar *dir;
	gchar *socket_path;
	GSubprocess *process;
	GCancellable *wait_cancellable;
	gboolean exited;
};

G_DEFINE_FINAL_TYPE (QmpshLauncher, qmpsh_launcher, G_TYPE_OBJECT)

enum { SIGNAL_EXITED, N_SIGNALS };
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

/* a throwaway QEMU must not outlive a shell that is killed outright */
static void
qmpsh_launcher_child_setup (gpointer user_data)
{
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

static void
qmpsh_launcher_wait_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshLauncher) self = QMPSH_LAUNCHER (user_data);
	g_autoptr (GError) error = NULL;
	g_autofree gchar *how = NULL;

	if (!g_subprocess_wait_finish (G_SUBPROCESS (source), res, &error))
		return; /* cancelled: we are stopping it ourselves */
	self->exited = TRUE;
	how = qmpsh_launcher_describe_exit (G_SUBPROCESS (source));
	g_signal_emit (self, signals[SIGNAL_EXITED], 0, how);
}

/**
 * qmpsh_launcher_start:
 * @self: a launcher
 * @protocol: an idle protocol; it is made to listen on the private socket
 * @error: a #GError, or %NULL
 *
 * Makes the private directory, listens, and starts QEMU. Then call
 * qmp_protocol_accept_async() on @protocol; #QmpshLauncher::exited says when
 * QEMU is gone, which before it connected means it failed to start.
 *
 * Returns: %TRUE if QEMU was started
 */
gboolean
qmpsh_launcher_start (QmpshLauncher *self, QmpProtocol *protocol, GError **error)
{
	g_autoptr (GPtrArray) argv = g_ptr_array_new ();
	g_autoptr (GSubprocessLauncher) launcher = NULL;
	g_autofree gchar *chardev = NULL;

	self->dir = g_dir_make_tmp ("qmpsh-XXXXXX", error);
	if (self->dir == NULL) {
		g_prefix_error (error, "cannot make a directory for QEMU's socket: ");
		return FALSE;
	}
	self->socket_path = g_build_filename (self->dir, "qmp.sock", NULL);
	if (!qmp_protocol_listen (protocol, self->socket_path, error))
		return FALSE;

	chardev = g_strdup_printf ("socket,id=qmpsh,path=%s,server=off", self->socket_path);
	for (guint i = 0; self->argv[i] != NULL; i++)
		g_ptr_array_add (argv, self->argv[i]);
	g_ptr_array_add (argv, "-chardev");
	g_ptr_array_add (argv, chardev);
	g_ptr_array_add (argv, "-mon");
	g_ptr_array_add (argv, "chardev=qmpsh,mode=control");
	g_ptr_array_add (argv, NULL);

	/* QEMU reads nothing of ours, and what it prints must not mix with replies on stdout */
	launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
	g_subprocess_launcher_take_stdout_fd (launcher, dup (STDERR_FILENO));
	g_subprocess_launcher_set_child_setup (launcher, qmpsh_launcher_child_setup, NULL, NULL);
	self->process =
		g_subprocess_launcher_spawnv (launcher, (const gchar *const *)argv->pdata, error);
	if (self->process == NULL) {
		g_prefix_error (error, "cannot start %s: ", self->argv[0]);
		return FALSE;
	}
	self->wait_cancellable = g_cancellable_new ();
	g_subprocess_wait_async (self->process, self->wait_cancellable, qmpsh_launcher_wait_cb,
				 g_object_ref (self));
	return TRUE;
}

/**
 * qmpsh_launcher_is_running:
 * @self: a launcher
 *
 * Returns: %TRUE while the QEMU it started has not exited
 */
gboolean
qmpsh_launcher_is_running (QmpshLauncher *self)
{
	return self->process != NULL && !self->exited;
}

/**
 * qmpsh_launcher_stop:
 * @self: a launcher
 *
 * Stops QEMU if it still runs, reaps it, and removes the private directory.
 */
void
qmpsh_launcher_stop (QmpshLauncher *self)
{
	if (self->wait_cancellable != NULL)
		g_cancellable_cancel (self->wait_cancellable);
	if (self->process != NULL) {
		if (!self->exited)
			g_subprocess_send_signal (self->process, SIGTERM);
		g_subprocess_wait (self->process, NULL, NULL);
		self->exited = TRUE;
	}
	if (self->socket_path != NULL)
		g_unlink (self->socket_path);
	if (self->dir != NULL) {
		g_rmdir (self->dir);
		g_clear_pointer (&self->dir, g_free);
	}
}

static void
qmpsh_launcher_finalize (GObject *object)
{
	QmpshLauncher *self = QMPSH_LAUNCHER (object);
	qmpsh_launcher_stop (self);
	g_clear_object (&self->process);
	g_clear_object (&self->wait_cancellable);
	g_free (self->socket_path);
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
	 * QEMU exited by itself.
	 */
	signals[SIGNAL_EXITED] =
		g_signal_new ("exited", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
			      NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}
