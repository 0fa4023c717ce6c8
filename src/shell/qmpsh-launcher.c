/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/* memfd_create () */
#define _GNU_SOURCE

#include "qmpsh-launcher.h"
#include "qmp-source.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

/* the descriptor QEMU finds its end of the monitor's socketpair on */
#define QMPSH_LAUNCHER_MONITOR_FD 3
/* QEMU answers `-object help` in tens of milliseconds; a command that does not is left */
#define QMPSH_LAUNCHER_PROBE_MSEC 5000
/* the list is a few kB: the memfd holds no more, whatever the command prints */
#define QMPSH_LAUNCHER_PROBE_MAX (1 << 20)

/**
 * QmpshLauncher:
 *
 * Starts a throwaway QEMU whose QMP monitor is one end of a socketpair that
 * qmpsh holds the other end of: nothing is on disk, nobody else can reach
 * it, and there is no race. QEMU runs in a process group of its own, so the
 * terminal's Ctrl-C is qmpsh's alone, and what QEMU prints comes through a
 * pipe, line by line, for the front end to show where it fits.
 *
 * Before that, the same command line with `-object help` says which
 * monitor option this QEMU takes (qmpsh_launcher_monitor_args()): one
 * that warns about neither, whatever its version.
 */
struct _QmpshLauncher {
	GObject parent_instance;
	GStrv argv;
	GSubprocess *probe; /* the command asked for its `-object help` */
	GSource *probe_timer;
	gint probe_fd; /* where the probe prints, a memfd: its children cannot hold it open */
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

/*
 * A paused PC with nothing plugged in: a PCI bus, so that what people try
 * first (device_add driver=virtio-net-pci, query-pci) works, and a CPU that
 * runs nothing until `cont`. It starts about as fast as `-M none`, which
 * has no bus at all (device_add: "No 'PCI' bus found").
 */
static const gchar *const default_argv[] = {
	"qemu-system-x86_64", "-M", "pc", "-S", "-nodefaults", "-display", "none", NULL,
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

/**
 * qmpsh_launcher_monitor_args:
 * @object_help: (nullable): what the QEMU command printed for `-object help`;
 *   %NULL if it printed nothing or failed
 *
 * The option that puts qmpsh's monitor on the chardev called `qmpsh`: the
 * `monitor-qmp` object where QEMU lists that type among those `-object`
 * creates (QEMU deprecates `-mon` where it does), else `-mon`, which every
 * QEMU before has.
 *
 * Returns: (transfer none) (array zero-terminated=1): the words to add
 */
const gchar *const *
qmpsh_launcher_monitor_args (const gchar *object_help)
{
	static const gchar *const object[] = { "-object", "monitor-qmp,id=qmpsh,chardev=qmpsh",
					       NULL };
	static const gchar *const mon[] = { "-mon", "chardev=qmpsh,mode=control", NULL };
	g_auto (GStrv) lines = object_help != NULL ? g_strsplit (object_help, "\n", -1) : NULL;

	/* one type a line, indented, after a heading */
	for (guint i = 0; lines != NULL && lines[i] != NULL; i++) {
		if (g_str_equal (g_strstrip (lines[i]), "monitor-qmp"))
			return object;
	}
	return mon;
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

/* QEMU itself, with qmpsh's monitor added as @monitor says */
static gboolean
qmpsh_launcher_spawn (QmpshLauncher *self, const gchar *const *monitor, GError **error)
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
	for (guint i = 0; monitor[i] != NULL; i++)
		g_ptr_array_add (argv, (gpointer)monitor[i]);
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
	self->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
	g_data_input_stream_read_line_async (self->output, G_PRIORITY_DEFAULT, self->cancellable,
					     qmpsh_launcher_line_cb, g_object_ref (self));
	g_subprocess_wait_async (self->process, self->cancellable, qmpsh_launcher_wait_cb,
				 g_object_ref (self));
	return TRUE;
}

/*
 * Where the probe prints: a memfd of a fixed size that cannot grow, so
 * that a command that prints without end fills no memory; the text ends
 * at the first NUL. -1 if there is none to have.
 */
static gint
qmpsh_launcher_probe_file (void)
{
	gint fd = memfd_create ("qmpsh-object-help", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0)
		return -1;
	if (ftruncate (fd, QMPSH_LAUNCHER_PROBE_MAX) < 0 ||
	    fcntl (fd, F_ADD_SEALS, F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) < 0) {
		close (fd);
		return -1;
	}
	return fd;
}

/* what the probe printed, if it exited with 0; NULL for no answer */
static gchar *
qmpsh_launcher_probe_read (QmpshLauncher *self)
{
	g_autoptr (GString) text = g_string_new (NULL);
	gchar buf[4096];
	off_t at = 0;

	if (!g_subprocess_get_if_exited (self->probe) ||
	    g_subprocess_get_exit_status (self->probe) != 0)
		return NULL;
	while (at < QMPSH_LAUNCHER_PROBE_MAX) {
		ssize_t n = pread (self->probe_fd, buf, sizeof buf, at);
		gsize len;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len = strnlen (buf, n);
		g_string_append_len (text, buf, len);
		if (len < (gsize)n)
			break;
		at += n;
	}
	return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
qmpsh_launcher_probe_done (QmpshLauncher *self)
{
	qmp_clear_source (&self->probe_timer);
	if (self->probe_fd >= 0)
		close (self->probe_fd);
	self->probe_fd = -1;
	g_clear_object (&self->probe);
}

/* the probe and what it started: it runs in a process group of its own */
static void
qmpsh_launcher_probe_kill (QmpshLauncher *self)
{
	const gchar *id = g_subprocess_get_identifier (self->probe);

	if (id != NULL)
		kill (-(pid_t)g_ascii_strtoll (id, NULL, 10), SIGKILL);
}

/* a command that lingers over `-object help` answers nothing: the old option is safe */
static gboolean
qmpsh_launcher_probe_timeout_cb (gpointer user_data)
{
	QmpshLauncher *self = QMPSH_LAUNCHER (user_data);
	g_clear_pointer (&self->probe_timer, g_source_unref);
	qmpsh_launcher_probe_kill (self);
	return G_SOURCE_REMOVE;
}

static void
qmpsh_launcher_probe_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (GTask) task = G_TASK (user_data);
	QmpshLauncher *self = g_task_get_source_object (task);
	g_autoptr (GError) error = NULL;
	g_autofree gchar *help = NULL;

	if (!g_subprocess_wait_finish (G_SUBPROCESS (source), res, &error)) {
		/* stopped: the probe is reaped there */
		g_task_return_error (task, g_steal_pointer (&error));
		return;
	}
	if (self->stopped) {
		g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "stopped");
		return;
	}
	help = qmpsh_launcher_probe_read (self);
	qmpsh_launcher_probe_done (self);
	if (!qmpsh_launcher_spawn (self, qmpsh_launcher_monitor_args (help), &error))
		g_task_return_error (task, g_steal_pointer (&error));
	else
		g_task_return_boolean (task, TRUE);
}

/**
 * qmpsh_launcher_start_async:
 * @self: a launcher
 * @callback: called once QEMU is started, or could not be
 * @user_data: for @callback
 *
 * Asks the QEMU command which monitor option it takes (the command line
 * with `-object help`), then starts QEMU on one end of a socketpair. Then
 * open a session on qmpsh_launcher_get_stream(); #QmpshLauncher::exited
 * says when QEMU is gone, which before the session is up means it failed
 * to start.
 */
void
qmpsh_launcher_start_async (QmpshLauncher *self, GAsyncReadyCallback callback, gpointer user_data)
{
	g_autoptr (GTask) task = g_task_new (self, NULL, callback, user_data);
	g_autoptr (GSubprocessLauncher) launcher = NULL;
	g_autoptr (GPtrArray) argv = g_ptr_array_new ();
	g_autoptr (GError) error = NULL;
	gint fd;

	g_task_set_source_tag (task, qmpsh_launcher_start_async);
	self->cancellable = g_cancellable_new ();
	fd = qmpsh_launcher_probe_file ();
	if (fd < 0) {
		/* no place for the answer: no question, and the option every QEMU knew */
		if (!qmpsh_launcher_spawn (self, qmpsh_launcher_monitor_args (NULL), &error))
			g_task_return_error (task, g_steal_pointer (&error));
		else
			g_task_return_boolean (task, TRUE);
		return;
	}
	self->probe_fd = fd;
	for (guint i = 0; self->argv[i] != NULL; i++)
		g_ptr_array_add (argv, self->argv[i]);
	g_ptr_array_add (argv, "-object");
	g_ptr_array_add (argv, "help");
	g_ptr_array_add (argv, NULL);
	launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE);
	g_subprocess_launcher_set_stdin_file_path (launcher, "/dev/null");
	g_subprocess_launcher_take_stdout_fd (launcher, dup (fd));
	g_subprocess_launcher_set_child_setup (launcher, qmpsh_launcher_child_setup, NULL, NULL);
	self->probe =
		g_subprocess_launcher_spawnv (launcher, (const gchar *const *)argv->pdata, &error);
	if (self->probe == NULL) {
		qmpsh_launcher_probe_done (self);
		g_prefix_error (&error, "cannot start %s: ", self->argv[0]);
		g_task_return_error (task, g_steal_pointer (&error));
		return;
	}
	self->probe_timer = g_timeout_source_new (QMPSH_LAUNCHER_PROBE_MSEC);
	g_source_set_callback (self->probe_timer, qmpsh_launcher_probe_timeout_cb, self, NULL);
	g_source_attach (self->probe_timer, NULL);
	g_subprocess_wait_async (self->probe, self->cancellable, qmpsh_launcher_probe_cb,
				 g_steal_pointer (&task));
}

/**
 * qmpsh_launcher_start_finish:
 * @self: a launcher
 * @result: what the callback got
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE if QEMU was started
 */
gboolean
qmpsh_launcher_start_finish (QmpshLauncher *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
	return g_task_propagate_boolean (G_TASK (result), error);
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
	if (self->probe != NULL) {
		qmpsh_launcher_probe_kill (self);
		g_subprocess_wait (self->probe, NULL, NULL);
		qmpsh_launcher_probe_done (self);
	}
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
	self->probe_fd = -1;
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
