/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define G_LOG_DOMAIN "qmp"

#include "qmp-ssh-stream.h"
#include "qmp-address.h"
#include "qmp-source.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/*
 * What ssh prints on its standard output once the forwarding listens: its
 * LocalCommand runs only after every forwarding is set up.
 */
#define QMP_SSH_READY "qmpsh-ready"
/* what is kept of ssh's standard error: its last words are what count */
#define QMP_SSH_SAID_MAX 8192

/**
 * QmpSshStream:
 *
 * A UNIX socket on another machine, reached through the system's OpenSSH
 * client with the user's own configuration, agent and known hosts, so that
 * nothing but sshd is needed on the far side. OpenSSH's `-W` forwards only
 * to HOST:PORT, so ssh forwards a socket in a private directory here to the
 * socket there (`-L`), and this stream is the connection to it. It owns the
 * ssh process: closing the stream ends ssh, reaps it and removes the
 * directory. It is no #GSocketConnection, so no descriptor passes over it:
 * they could not cross the ssh channel.
 */
struct _QmpSshStream {
	GIOStream parent_instance;

	GSubprocess *process;
	GSocketConnection *connection;
	GDataInputStream *out; /* ssh's stdout: the readiness line */
	GInputStream *err;     /* ssh's stderr, a pipe */
	GSource *err_source;
	GString *said; /* what ssh printed on stderr, the end of it */
	gchar *host;
	gchar *path; /* the socket on the far side */
	gchar *dir;  /* ours, holding the forwarded socket */
	gchar *local;
};

G_DEFINE_TYPE (QmpSshStream, qmp_ssh_stream, G_TYPE_IO_STREAM)
G_DEFINE_QUARK (qmp - ssh - error - quark, qmp_ssh_stream_error)

/* reads what ssh has said so far without blocking; FALSE once stderr is done */
static gboolean
qmp_ssh_stream_drain (QmpSshStream *self)
{
	gchar buf[1024];

	if (self->err == NULL)
		return FALSE;
	for (;;) {
		g_autoptr (GError) error = NULL;
		gssize n = g_pollable_input_stream_read_nonblocking (
			G_POLLABLE_INPUT_STREAM (self->err), buf, sizeof (buf), NULL, &error);

		if (n < 0)
			return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
		if (n == 0)
			return FALSE;
		g_debug ("[ssh %s] %.*s", self->host, (gint)n, buf);
		g_string_append_len (self->said, buf, n);
		if (self->said->len > QMP_SSH_SAID_MAX)
			g_string_erase (self->said, 0, self->said->len - QMP_SSH_SAID_MAX / 2);
	}
}

static gboolean
qmp_ssh_stream_err_cb (GObject *pollable, gpointer user_data)
{
	QmpSshStream *self = QMP_SSH_STREAM (user_data);

	if (qmp_ssh_stream_drain (self))
		return G_SOURCE_CONTINUE;
	g_clear_pointer (&self->err_source, g_source_unref);
	return G_SOURCE_REMOVE;
}

/* the line of what ssh said that holds @needle, without "ssh: " and the full stop */
static gchar *
qmp_ssh_stream_line (QmpSshStream *self, const gchar *needle)
{
	const gchar *hit = strstr (self->said->str, needle);
	const gchar *start;
	const gchar *end;
	g_autofree gchar *line = NULL;

	if (hit == NULL)
		return NULL;
	for (start = hit; start > self->said->str && start[-1] != '\n'; start--)
		;
	end = hit + strcspn (hit, "\r\n");
	if (g_str_has_prefix (start, "ssh: "))
		start += 5;
	while (end > start && (end[-1] == '.' || g_ascii_isspace (end[-1])))
		end--;
	line = g_strndup (start, end - start);
	/* the terminal gets no raw bytes from the far side */
	return g_utf8_make_valid (line, -1);
}

static const struct {
	const gchar *needle;
	QmpSshError code;
	const gchar *what; /* the host's name follows */
} qmp_ssh_says[] = {
	{ "REMOTE HOST IDENTIFICATION HAS CHANGED", QMP_SSH_ERROR_HOST_KEY,
	  "the recorded host key differs from the one offered by" },
	{ "Host key verification failed", QMP_SSH_ERROR_HOST_KEY,
	  "known_hosts holds no trusted host key for" },
	{ "Permission denied", QMP_SSH_ERROR_AUTH, "ssh could not log in to" },
	{ "Too many authentication failures", QMP_SSH_ERROR_AUTH, "ssh could not log in to" },
	{ "open failed: administratively prohibited", QMP_SSH_ERROR_FORWARDING,
	  "no forwarding to UNIX sockets is allowed by sshd on" },
	{ "Could not resolve hostname", QMP_SSH_ERROR_CONNECT, "ssh cannot reach" },
	{ "connect to host", QMP_SSH_ERROR_CONNECT, "ssh cannot reach" },
	{ "Connection closed by", QMP_SSH_ERROR_CONNECT, "ssh cannot reach" },
	{ "Connection reset by", QMP_SSH_ERROR_CONNECT, "ssh cannot reach" },
	{ "Connection timed out", QMP_SSH_ERROR_CONNECT, "ssh cannot reach" },
	{ "kex_exchange_identification", QMP_SSH_ERROR_CONNECT, "ssh cannot reach" },
};

/**
 * qmp_ssh_stream_diagnose:
 * @self: an ssh stream
 *
 * What ssh has said of a failure: call it when the connection failed, to
 * learn why from ssh, which alone knows (the far side's socket refused the
 * forwarding, the login failed, ...).
 *
 * Returns: (transfer full) (nullable): a %QMP_SSH_ERROR, or %NULL if ssh
 *   runs on and has reported no failure
 */
GError *
qmp_ssh_stream_diagnose (QmpSshStream *self)
{
	g_autofree gchar *last = NULL;
	gchar *nl;

	g_return_val_if_fail (QMP_IS_SSH_STREAM (self), NULL);
	qmp_ssh_stream_drain (self);
	for (guint i = 0; i < G_N_ELEMENTS (qmp_ssh_says); i++) {
		g_autofree gchar *line = qmp_ssh_stream_line (self, qmp_ssh_says[i].needle);

		if (line == NULL)
			continue;
		return g_error_new (QMP_SSH_ERROR, qmp_ssh_says[i].code, "%s %s: %s",
				    qmp_ssh_says[i].what, self->host, line);
	}
	/* ssh tells no more than "open failed" of the far side's socket */
	if (strstr (self->said->str, "open failed") != NULL)
		return g_error_new (QMP_SSH_ERROR, QMP_SSH_ERROR_NO_SOCKET,
				    "no socket %s on %s, or none this user may open", self->path,
				    self->host);
	if (self->process == NULL || g_subprocess_get_identifier (self->process) != NULL)
		return NULL;
	/* it exited for a reason of its own: its last line says which */
	g_strchomp (self->said->str);
	nl = strrchr (self->said->str, '\n');
	last = g_utf8_make_valid (nl != NULL ? nl + 1 : self->said->str, -1);
	if (g_subprocess_get_if_signaled (self->process))
		return g_error_new (QMP_SSH_ERROR, QMP_SSH_ERROR_FAILED,
				    "ssh was killed by signal %d",
				    g_subprocess_get_term_sig (self->process));
	if (last[0] == '\0')
		return g_error_new (QMP_SSH_ERROR, QMP_SSH_ERROR_FAILED,
				    "ssh exited with status %d",
				    g_subprocess_get_exit_status (self->process));
	return g_error_new (QMP_SSH_ERROR, QMP_SSH_ERROR_FAILED, "ssh exited with status %d (%s)",
			    g_subprocess_get_exit_status (self->process), last);
}

/* ssh ends with the stream; nothing of it is left behind */
static void
qmp_ssh_stream_shutdown (QmpSshStream *self)
{
	if (self->connection != NULL)
		g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
	qmp_clear_source (&self->err_source);
	if (self->process != NULL && g_subprocess_get_identifier (self->process) != NULL) {
		/* its group: a ProxyCommand or LocalCommand of its own ends with it */
		pid_t pid = (pid_t)g_ascii_strtoll (g_subprocess_get_identifier (self->process),
						    NULL, 10);
		if (pid <= 0 || kill (-pid, SIGKILL) != 0)
			g_subprocess_force_exit (self->process);
		g_subprocess_wait (self->process, NULL, NULL);
	}
	if (self->local != NULL)
		g_unlink (self->local);
	if (self->dir != NULL) {
		g_rmdir (self->dir);
		g_clear_pointer (&self->dir, g_free);
	}
}

static void
qmp_ssh_stream_child_setup (gpointer user_data)
{
	/*
	 * the terminal's Ctrl-C is qmpsh's, not ssh's, which would drop the
	 * connection; and the group is what is killed at the end
	 */
	setpgid (0, 0);
	/* ssh must not outlive a qmpsh that is killed outright */
	prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GStrv
qmp_ssh_stream_argv (QmpSshStream *self, const gchar *const *ssh_command, const gchar *user,
		     gint port)
{
	static const gchar *const fixed[] = {
		"-N", "-T",
		/* no prompt: qmpsh owns the terminal, and a script would hang on one */
		"-o", "BatchMode=yes", "-o", "ExitOnForwardFailure=yes",
		/* ssh of our own, that ends when we end it: no shared master that stays */
		"-o", "ControlPath=none", "-o", "ForkAfterAuthentication=no",
		/* says when the forwarding listens */
		"-o", "PermitLocalCommand=yes", "-o", "LocalCommand=echo " QMP_SSH_READY, NULL
	};
	g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
	g_autofree gchar *forward = g_strdup_printf ("%s:%s", self->local, self->path);

	for (guint i = 0; ssh_command[i] != NULL; i++)
		g_strv_builder_add (b, ssh_command[i]);
	for (guint i = 0; fixed[i] != NULL; i++)
		g_strv_builder_add (b, fixed[i]);
	g_strv_builder_add (b, "-L");
	g_strv_builder_add (b, forward);
	if (port > 0) {
		g_autofree gchar *text = g_strdup_printf ("%d", port);
		g_strv_builder_add (b, "-p");
		g_strv_builder_add (b, text);
	}
	if (user != NULL) {
		g_strv_builder_add (b, "-l");
		g_strv_builder_add (b, user);
	}
	g_strv_builder_add (b, "--");
	g_strv_builder_add (b, self->host);
	return g_strv_builder_end (b);
}

static gboolean
qmp_ssh_stream_spawn (QmpSshStream *self, const gchar *address, const gchar *const *ssh_command,
		      GError **error)
{
	static const gchar *const default_command[] = { "ssh", NULL };
	g_autoptr (GSubprocessLauncher) launcher = NULL;
	g_autofree gchar *user = NULL;
	g_auto (GStrv) argv = NULL;
	g_autoptr (GError) error_local = NULL;
	gint port = -1;

	if (!qmp_address_parse_ssh (address, &user, &self->host, &port, &self->path, error))
		return FALSE;
	self->dir = g_dir_make_tmp ("qmpsh-ssh-XXXXXX", error);
	if (self->dir == NULL)
		return FALSE;
	self->local = g_build_filename (self->dir, "monitor", NULL);
	argv = qmp_ssh_stream_argv (
		self, ssh_command != NULL && ssh_command[0] != NULL ? ssh_command : default_command,
		user, port);
	launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
					      G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_subprocess_launcher_set_stdin_file_path (launcher, "/dev/null");
	/* LocalCommand runs in $SHELL: one that is no shell (nologin) would never say ready */
	g_subprocess_launcher_setenv (launcher, "SHELL", "/bin/sh", TRUE);
	g_subprocess_launcher_set_child_setup (launcher, qmp_ssh_stream_child_setup, NULL, NULL);
	self->process =
		g_subprocess_launcher_spawnv (launcher, (const gchar *const *)argv, &error_local);
	if (self->process == NULL) {
		g_set_error (error, QMP_SSH_ERROR, QMP_SSH_ERROR_SPAWN, "cannot run %s: %s",
			     argv[0], error_local->message);
		return FALSE;
	}
	self->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
	self->err = g_object_ref (g_subprocess_get_stderr_pipe (self->process));
	self->err_source =
		g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->err), NULL);
	g_source_set_callback (self->err_source, G_SOURCE_FUNC (qmp_ssh_stream_err_cb), self, NULL);
	g_source_attach (self->err_source, g_main_context_get_thread_default ());
	return TRUE;
}

static void
qmp_ssh_stream_socket_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (GTask) task = G_TASK (user_data);
	QmpSshStream *self = g_task_get_task_data (task);
	GError *error = NULL;

	self->connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), res, &error);
	if (self->connection == NULL) {
		g_task_return_error (task, error);
		return;
	}
	g_task_return_pointer (task, g_object_ref (self), g_object_unref);
}

static void
qmp_ssh_stream_wait_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (GTask) task = G_TASK (user_data);
	QmpSshStream *self = g_task_get_task_data (task);
	GError *error = NULL;

	if (!g_subprocess_wait_finish (G_SUBPROCESS (source), res, &error)) {
		g_task_return_error (task, error);
		return;
	}
	error = qmp_ssh_stream_diagnose (self);
	if (error == NULL)
		error = g_error_new (QMP_SSH_ERROR, QMP_SSH_ERROR_FAILED,
				     "ssh closed its output but runs on");
	g_task_return_error (task, error);
}

static void
qmp_ssh_stream_ready_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (GTask) task = G_TASK (user_data);
	QmpSshStream *self = g_task_get_task_data (task);
	g_autoptr (GSocketClient) client = NULL;
	g_autoptr (GSocketAddress) address = NULL;
	g_autofree gchar *line = NULL;
	GCancellable *cancellable = g_task_get_cancellable (task);
	GError *error = NULL;

	line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), res, NULL,
						     &error);
	if (error != NULL) {
		g_task_return_error (task, error);
		return;
	}
	if (line == NULL) {
		/* ssh gave up before the forwarding listened: once it is gone, it says why */
		g_subprocess_wait_async (self->process, cancellable, qmp_ssh_stream_wait_cb,
					 g_steal_pointer (&task));
		return;
	}
	if (!g_str_equal (g_strchomp (line), QMP_SSH_READY)) {
		g_data_input_stream_read_line_async (self->out, G_PRIORITY_DEFAULT, cancellable,
						     qmp_ssh_stream_ready_cb,
						     g_steal_pointer (&task));
		return;
	}
	client = g_socket_client_new ();
	address = g_unix_socket_address_new (self->local);
	g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (address), cancellable,
				       qmp_ssh_stream_socket_cb, g_steal_pointer (&task));
}

/**
 * qmp_ssh_stream_connect_async:
 * @address: `ssh://[USER@]HOST[:PORT]/PATH`, see qmp_address_parse_ssh()
 * @ssh_command: (nullable): the ssh command and the arguments it starts
 *   with, such as `ssh -F CONFIG`; %NULL for `ssh`
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the stream, or on failure
 * @user_data: data for @callback
 *
 * Starts ssh, in batch mode (it asks for nothing), and connects to the
 * socket at PATH on HOST through it. A failure before the connection is
 * made is a %QMP_SSH_ERROR that says what ssh said; one after it (the far
 * side has no such socket) shows in qmp_ssh_stream_diagnose().
 */
void
qmp_ssh_stream_connect_async (const gchar *address, const gchar *const *ssh_command,
			      GCancellable *cancellable, GAsyncReadyCallback callback,
			      gpointer user_data)
{
	g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
	QmpSshStream *self = g_object_new (QMP_TYPE_SSH_STREAM, NULL);
	GError *error = NULL;

	g_task_set_source_tag (task, qmp_ssh_stream_connect_async);
	g_task_set_task_data (task, self, g_object_unref);
	if (!qmp_ssh_stream_spawn (self, address, ssh_command, &error)) {
		g_task_return_error (task, error);
		return;
	}
	g_data_input_stream_read_line_async (self->out, G_PRIORITY_DEFAULT, cancellable,
					     qmp_ssh_stream_ready_cb, g_steal_pointer (&task));
}

/**
 * qmp_ssh_stream_connect_finish:
 * @result: the result
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full): a #QmpSshStream, or %NULL
 */
GIOStream *
qmp_ssh_stream_connect_finish (GAsyncResult *result, GError **error)
{
	g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
	return g_task_propagate_pointer (G_TASK (result), error);
}

static GInputStream *
qmp_ssh_stream_get_input_stream (GIOStream *stream)
{
	return g_io_stream_get_input_stream (G_IO_STREAM (QMP_SSH_STREAM (stream)->connection));
}

static GOutputStream *
qmp_ssh_stream_get_output_stream (GIOStream *stream)
{
	return g_io_stream_get_output_stream (G_IO_STREAM (QMP_SSH_STREAM (stream)->connection));
}

static gboolean
qmp_ssh_stream_close_fn (GIOStream *stream, GCancellable *cancellable, GError **error)
{
	qmp_ssh_stream_shutdown (QMP_SSH_STREAM (stream));
	return TRUE;
}

/* closing ends ssh at once: no thread, as GIOStream's own close_async would use */
static void
qmp_ssh_stream_close_async (GIOStream *stream, int io_priority, GCancellable *cancellable,
			    GAsyncReadyCallback callback, gpointer user_data)
{
	g_autoptr (GTask) task = g_task_new (stream, cancellable, callback, user_data);

	qmp_ssh_stream_shutdown (QMP_SSH_STREAM (stream));
	g_task_return_boolean (task, TRUE);
}

static gboolean
qmp_ssh_stream_close_finish (GIOStream *stream, GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean (G_TASK (result), error);
}

static void
qmp_ssh_stream_dispose (GObject *object)
{
	QmpSshStream *self = QMP_SSH_STREAM (object);

	qmp_ssh_stream_shutdown (self);
	g_clear_object (&self->connection);
	g_clear_object (&self->out);
	g_clear_object (&self->err);
	g_clear_object (&self->process);
	G_OBJECT_CLASS (qmp_ssh_stream_parent_class)->dispose (object);
}

static void
qmp_ssh_stream_finalize (GObject *object)
{
	QmpSshStream *self = QMP_SSH_STREAM (object);

	g_string_free (self->said, TRUE);
	g_free (self->host);
	g_free (self->path);
	g_free (self->dir);
	g_free (self->local);
	G_OBJECT_CLASS (qmp_ssh_stream_parent_class)->finalize (object);
}

static void
qmp_ssh_stream_init (QmpSshStream *self)
{
	self->said = g_string_new (NULL);
}

static void
qmp_ssh_stream_class_init (QmpSshStreamClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS (klass);
	GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

	object_class->dispose = qmp_ssh_stream_dispose;
	object_class->finalize = qmp_ssh_stream_finalize;
	stream_class->get_input_stream = qmp_ssh_stream_get_input_stream;
	stream_class->get_output_stream = qmp_ssh_stream_get_output_stream;
	stream_class->close_fn = qmp_ssh_stream_close_fn;
	stream_class->close_async = qmp_ssh_stream_close_async;
	stream_class->close_finish = qmp_ssh_stream_close_finish;
}
