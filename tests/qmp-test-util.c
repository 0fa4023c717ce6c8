/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define _GNU_SOURCE

#include "qmp-test-util.h"

#include <errno.h>
#include <signal.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/un.h>
#include <unistd.h>

gchar *
qmp_test_make_dir (void)
{
	g_autoptr (GError) error = NULL;
	gchar *dir = g_dir_make_tmp ("qmpsh-test-XXXXXX", &error);
	g_assert_no_error (error);
	return dir;
}

void
qmp_test_remove_dir (const gchar *dir)
{
	g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
	const gchar *name;

	while (d != NULL && (name = g_dir_read_name (d)) != NULL) {
		g_autofree gchar *path = g_build_filename (dir, name, NULL);
		/* what qmpsh made there too: its cache directory, say */
		if (g_file_test (path, G_FILE_TEST_IS_DIR) &&
		    !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
			qmp_test_remove_dir (path);
		else
			g_unlink (path);
	}
	g_rmdir (dir);
}

static gboolean
qmp_test_timeout_cb (gpointer user_data)
{
	g_error ("timed out after %u s", GPOINTER_TO_UINT (user_data));
	return G_SOURCE_REMOVE;
}

void
qmp_test_run_until (gboolean *flag, guint seconds)
{
	GSource *timeout = g_timeout_source_new_seconds (seconds);
	g_source_set_callback (timeout, qmp_test_timeout_cb, GUINT_TO_POINTER (seconds), NULL);
	g_source_attach (timeout, NULL);
	while (!*flag)
		g_main_context_iteration (NULL, TRUE);
	g_source_destroy (timeout);
	g_source_unref (timeout);
}

static gboolean
qmp_test_set_flag_cb (gpointer user_data)
{
	*(gboolean *)user_data = TRUE;
	return G_SOURCE_REMOVE;
}

void
qmp_test_run_for (guint msec)
{
	gboolean done = FALSE;
	g_timeout_add (msec, qmp_test_set_flag_cb, &done);
	while (!done)
		g_main_context_iteration (NULL, TRUE);
}

/* ------------------------------------------------------------------------ */

struct _QmpTestQemu {
	GSubprocess *process;
	/* reads the server's stderr until it closes, keeping a copy */
	GThread *stderr_thread;
	GMutex lock;
	GString *err;
};

static void write_all (int fd, const gchar *text, gsize len);

static gpointer
qmp_test_stderr_thread (gpointer user_data)
{
	QmpTestQemu *qemu = user_data;
	GInputStream *in = g_subprocess_get_stderr_pipe (qemu->process);
	gchar buf[4096];
	gssize n;

	while ((n = g_input_stream_read (in, buf, sizeof (buf), NULL, NULL)) > 0) {
		/* in the test's log, as when the server wrote there itself */
		write_all (STDERR_FILENO, buf, n);
		g_mutex_lock (&qemu->lock);
		g_string_append_len (qemu->err, buf, n);
		g_mutex_unlock (&qemu->lock);
	}
	return NULL;
}

/* the server is gone: say how, with everything it wrote to stderr */
static void
qmp_test_process_died (QmpTestQemu *qemu, const gchar *name, const gchar *sock)
{
	g_autofree gchar *how = NULL;

	g_subprocess_wait (qemu->process, NULL, NULL);
	/* the stderr pipe closes once the server and anything it started have gone */
	g_thread_join (g_steal_pointer (&qemu->stderr_thread));
	if (g_subprocess_get_if_exited (qemu->process))
		how = g_strdup_printf ("exited with status %d",
				       g_subprocess_get_exit_status (qemu->process));
	else
		how = g_strdup_printf ("was killed by signal %d (%s)",
				       g_subprocess_get_term_sig (qemu->process),
				       g_strsignal (g_subprocess_get_term_sig (qemu->process)));
	g_error ("%s %s before %s accepted connections; its stderr:\n%s", name, how, sock,
		 qemu->err->str);
}

/* a test that aborts must not leave its QEMU behind, holding meson's pipes open */
static void
qmp_test_die_with_parent (gpointer user_data)
{
	prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static gboolean
qmp_test_socket_accepts (const gchar *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;
	gboolean ok;

	if (path[0] != '/') {
		/* HOST:PORT */
		g_autoptr (GSocketClient) client = g_socket_client_new ();
		g_autoptr (GSocketConnection) conn =
			g_socket_client_connect_to_host (client, path, 0, NULL, NULL);
		return conn != NULL;
	}
	fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	g_strlcpy (addr.sun_path, path, sizeof (addr.sun_path));
	ok = connect (fd, (struct sockaddr *)&addr, sizeof (addr)) == 0;
	close (fd);
	return ok;
}

/* the state letter of /proc/PID/stat or /proc/PID/task/TID/stat, '?' when it is gone */
static gchar
qmp_test_proc_state (const gchar *path)
{
	g_autofree gchar *stat = NULL;
	const gchar *state;

	if (!g_file_get_contents (path, &stat, NULL, NULL))
		return '?';
	/* "pid (comm) S ...": the state follows the last ')' */
	state = strrchr (stat, ')');
	return state != NULL && state[1] == ' ' ? state[2] : '?';
}

/* whether a thread of the server runs or waits for the CPU or the disk */
static gboolean
qmp_test_process_busy (QmpTestQemu *qemu)
{
	const gchar *pid = g_subprocess_get_identifier (qemu->process);
	g_autofree gchar *tasks = NULL;
	g_autoptr (GDir) dir = NULL;
	const gchar *tid;

	if (pid == NULL)
		return FALSE;
	tasks = g_strdup_printf ("/proc/%s/task", pid);
	dir = g_dir_open (tasks, 0, NULL);
	while (dir != NULL && (tid = g_dir_read_name (dir)) != NULL) {
		g_autofree gchar *path = g_build_filename (tasks, tid, "stat", NULL);
		gchar state = qmp_test_proc_state (path);
		if (state == 'R' || state == 'D')
			return TRUE;
	}
	return FALSE;
}

/**
 * qmp_test_process_start:
 * @argv: a server's command line: qemu-system-*, qemu-storage-daemon, qemu-ga
 * @wait_for: sockets to wait for
 *
 * Starts the server, tied to the test's life, and waits until every socket in
 * @wait_for accepts connections.
 *
 * No connection is made before the server has gone idle: QEMU (7.2 and 10.0)
 * hangs its main loop or crashes when a client comes while the I/O thread of
 * its QMP monitors has not yet taken the listening socket over from the main
 * loop; both then watch it (the fix posted to qemu-devel in November 2025,
 * <20251125140706.114197-1-mail@jiesong.me>, describes the race). QEMU queues
 * that handover early in its start, and it makes the I/O thread runnable: once
 * the sockets exist and no thread is runnable for a few looks in a row, it is
 * done. Probing at once, as this did, hung or crashed about one start in a
 * thousand on a loaded machine.
 */
QmpTestQemu *
qmp_test_process_start (const gchar *const *argv, const gchar *const *wait_for)
{
	g_autoptr (GSubprocessLauncher) launcher = NULL;
	g_autoptr (GError) error = NULL;
	QmpTestQemu *qemu = g_new0 (QmpTestQemu, 1);
	gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

	launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_subprocess_launcher_set_child_setup (launcher, qmp_test_die_with_parent, NULL, NULL);
	qemu->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
	g_assert_no_error (error);
	g_mutex_init (&qemu->lock);
	qemu->err = g_string_new (NULL);
	qemu->stderr_thread = g_thread_new ("qmp-test-stderr", qmp_test_stderr_thread, qemu);

	for (guint quiet = 0; wait_for != NULL && wait_for[0] != NULL && quiet < 3;) {
		gboolean made = TRUE;
		if (g_subprocess_get_identifier (qemu->process) == NULL)
			qmp_test_process_died (qemu, argv[0], wait_for[0]);
		for (guint i = 0; wait_for[i] != NULL; i++) {
			if (wait_for[i][0] == '/' && !g_file_test (wait_for[i], G_FILE_TEST_EXISTS))
				made = FALSE;
		}
		quiet = made && !qmp_test_process_busy (qemu) ? quiet + 1 : 0;
		if (g_get_monotonic_time () > deadline) {
			g_mutex_lock (&qemu->lock);
			g_error ("%s has not made its sockets and gone idle after 10 s (a guest "
				 "that runs keeps it busy: start it with -S); its stderr:\n%s",
				 argv[0], qemu->err->str);
		}
		g_usleep (5000);
	}
	/* a probe connection is the one client a monitor serves; QEMU takes the next one after
	 * it closes, so probing is harmless */
	for (guint i = 0; wait_for != NULL && wait_for[i] != NULL; i++) {
		while (!qmp_test_socket_accepts (wait_for[i])) {
			/* GSubprocess reaps the child in GLib's worker thread, without our
			 * main loop; from then on it has no identifier */
			if (g_subprocess_get_identifier (qemu->process) == NULL)
				qmp_test_process_died (qemu, argv[0], wait_for[i]);
			if (g_get_monotonic_time () > deadline) {
				g_mutex_lock (&qemu->lock);
				g_error ("%s runs, but %s accepts no connection after 10 s; its "
					 "stderr:\n%s",
					 argv[0], wait_for[i], qemu->err->str);
			}
			g_usleep (10000);
		}
	}
	return qemu;
}

QmpTestQemu *
qmp_test_qemu_start (const gchar *const *extra_args, const gchar *const *wait_for)
{
	g_autoptr (GPtrArray) argv = g_ptr_array_new ();
	const gchar *base[] = { "qemu-system-x86_64", "-M",   "none", "-nodefaults",
				"-display",	      "none", NULL };

	for (guint i = 0; base[i] != NULL; i++)
		g_ptr_array_add (argv, (gpointer)base[i]);
	for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
		g_ptr_array_add (argv, (gpointer)extra_args[i]);
	g_ptr_array_add (argv, NULL);
	return qmp_test_process_start ((const gchar *const *)argv->pdata, wait_for);
}

/* the plainest QEMU: one monitor on a UNIX socket */
QmpTestQemu *
qmp_test_qemu_start_unix (const gchar *sock)
{
	g_autofree gchar *arg = g_strdup_printf ("unix:%s,server=on,wait=off", sock);
	const gchar *args[] = { "-qmp", arg, NULL };
	const gchar *wait[] = { sock, NULL };
	return qmp_test_qemu_start (args, wait);
}

/*
 * g_subprocess_send_signal() only queues the signal for GLib's worker
 * thread: what the test does next (closing the child's stdin) may reach
 * the child first. This one is sent when it returns. The child must still
 * be running, which the caller knows: it holds what would end it.
 */
void
qmp_test_signal_now (GSubprocess *process, gint signum)
{
	const gchar *pid = g_subprocess_get_identifier (process);

	g_assert_nonnull (pid);
	g_assert_cmpint (kill ((pid_t)g_ascii_strtoll (pid, NULL, 10), signum), ==, 0);
}

void
qmp_test_qemu_signal (QmpTestQemu *qemu, gint signum)
{
	g_subprocess_send_signal (qemu->process, signum);
}

/* a signal is delivered asynchronously: wait until the kernel says QEMU is stopped */
void
qmp_test_qemu_stop (QmpTestQemu *qemu)
{
	g_autofree gchar *path =
		g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (qemu->process));
	gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

	g_subprocess_send_signal (qemu->process, SIGSTOP);
	for (;;) {
		gchar state = qmp_test_proc_state (path);
		g_assert_cmpint (state, !=, '?');
		if (state == 'T' || state == 't')
			return;
		g_assert_cmpint (g_get_monotonic_time (), <, deadline);
		g_usleep (1000);
	}
}

guint
qmp_test_free_port (void)
{
	g_autoptr (GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
						 G_SOCKET_PROTOCOL_TCP, NULL);
	g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
	g_autoptr (GSocketAddress) any = g_inet_socket_address_new (lo, 0);
	g_autoptr (GSocketAddress) bound = NULL;
	g_autoptr (GError) error = NULL;

	g_socket_bind (sock, any, TRUE, &error);
	g_assert_no_error (error);
	bound = g_socket_get_local_address (sock, &error);
	g_assert_no_error (error);
	return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

void
qmp_test_qemu_kill (QmpTestQemu *qemu)
{
	g_subprocess_force_exit (qemu->process);
	g_subprocess_wait (qemu->process, NULL, NULL);
}

/* the server's process id, while it runs */
gint
qmp_test_qemu_get_pid (QmpTestQemu *qemu)
{
	const gchar *pid = g_subprocess_get_identifier (qemu->process);

	g_assert_nonnull (pid);
	return (gint)g_ascii_strtoll (pid, NULL, 10);
}

void
qmp_test_qemu_free (QmpTestQemu *qemu)
{
	if (qemu == NULL)
		return;
	qmp_test_qemu_kill (qemu);
	if (qemu->stderr_thread != NULL)
		g_thread_join (qemu->stderr_thread);
	g_object_unref (qemu->process);
	g_string_free (qemu->err, TRUE);
	g_mutex_clear (&qemu->lock);
	g_free (qemu);
}

/* ------------------------------------------------------------------------ */

const QmpTestVersion *
qmp_test_qemu_version (void)
{
	static QmpTestVersion version;
	static gchar *package;
	const gchar *argv[] = { "qemu-system-x86_64", "--version", NULL };
	g_autoptr (GRegex) regex = NULL;
	g_autoptr (GMatchInfo) match = NULL;
	g_autoptr (GError) error = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	gint status = 0;

	if (package != NULL)
		return &version;
	g_spawn_sync (NULL, (gchar **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
		      &status, &error);
	g_assert_no_error (error);
	if (!g_spawn_check_exit_status (status, NULL))
		g_error ("qemu-system-x86_64 --version failed: %s", err);
	/* "QEMU emulator version 10.0.2 (Debian 1:10.0.2+ds-2)": the package, the part in
	 * parentheses, is what query-version calls "package" */
	regex = g_regex_new ("^QEMU emulator version ([0-9]+)\\.([0-9]+)\\.([0-9]+)"
			     "(?: \\((.*)\\))?$",
			     G_REGEX_MULTILINE, 0, &error);
	g_assert_no_error (error);
	if (!g_regex_match (regex, out, 0, &match))
		g_error ("no version in what qemu-system-x86_64 --version says:\n%s", out);
	for (guint i = 0; i < 3; i++) {
		g_autofree gchar *number = g_match_info_fetch (match, i + 1);
		gint64 *field[] = { &version.major, &version.minor, &version.micro };
		*field[i] = g_ascii_strtoll (number, NULL, 10);
	}
	package = g_match_info_fetch (match, 4);
	if (package == NULL)
		package = g_strdup ("");
	version.package = package;
	return &version;
}

/* @line as one JSON object, with exactly one member, "return", in qmpsh's compact form */
JsonNode *
qmp_test_parse_reply (const gchar *line)
{
	g_autoptr (JsonParser) parser = json_parser_new ();
	g_autoptr (GError) error = NULL;
	g_autofree gchar *text = g_strdup (line);
	g_autofree gchar *compact = NULL;
	JsonObject *object;
	gsize len = strlen (text);

	if (len > 0 && text[len - 1] == '\n')
		text[len - 1] = '\0';
	if (strchr (text, '\n') != NULL)
		g_error ("expected one line, got:\n%s", line);
	if (!json_parser_load_from_data (parser, text, -1, &error))
		g_error ("expected a JSON reply, got '%s': %s", text, error->message);
	if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
		g_error ("expected a JSON object, got '%s'", text);
	object = json_node_get_object (json_parser_get_root (parser));
	if (json_object_get_size (object) != 1 || !json_object_has_member (object, "return"))
		g_error ("expected {\"return\":...} and nothing else, got '%s'", text);
	/* json-glib writes compact JSON as qmpsh does, keeping the order of the members */
	compact = json_to_string (json_parser_get_root (parser), FALSE);
	g_assert_cmpstr (text, ==, compact);
	return json_node_copy (json_object_get_member (object, "return"));
}

/* the member @name of @object, which must be there and hold a @type value */
static JsonNode *
qmp_test_member (JsonObject *object, const gchar *name, GType type)
{
	JsonNode *node = json_object_get_member (object, name);

	if (node == NULL)
		g_error ("the reply has no member \"%s\"", name);
	if (type == JSON_TYPE_OBJECT) {
		g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
	} else {
		g_assert_true (JSON_NODE_HOLDS_VALUE (node));
		g_assert_cmpstr (g_type_name (json_node_get_value_type (node)), ==,
				 g_type_name (type));
	}
	return node;
}

void
qmp_test_assert_version_reply (const gchar *line)
{
	const QmpTestVersion *version = qmp_test_qemu_version ();
	g_autoptr (JsonNode) ret = qmp_test_parse_reply (line);
	JsonObject *object;
	JsonObject *qemu;

	g_assert_true (JSON_NODE_HOLDS_OBJECT (ret));
	object = json_node_get_object (ret);
	g_assert_cmpuint (json_object_get_size (object), ==, 2);
	g_assert_cmpstr (json_node_get_string (qmp_test_member (object, "package", G_TYPE_STRING)),
			 ==, version->package);
	qemu = json_node_get_object (qmp_test_member (object, "qemu", JSON_TYPE_OBJECT));
	g_assert_cmpuint (json_object_get_size (qemu), ==, 3);
	g_assert_cmpint (json_node_get_int (qmp_test_member (qemu, "major", G_TYPE_INT64)), ==,
			 version->major);
	g_assert_cmpint (json_node_get_int (qmp_test_member (qemu, "minor", G_TYPE_INT64)), ==,
			 version->minor);
	g_assert_cmpint (json_node_get_int (qmp_test_member (qemu, "micro", G_TYPE_INT64)), ==,
			 version->micro);
}

void
qmp_test_assert_status_reply (const gchar *line, const gchar *status, gboolean running)
{
	g_autoptr (JsonNode) ret = qmp_test_parse_reply (line);
	JsonObject *object;
	guint members = 2;

	g_assert_true (JSON_NODE_HOLDS_OBJECT (ret));
	object = json_node_get_object (ret);
	g_assert_cmpstr (json_node_get_string (qmp_test_member (object, "status", G_TYPE_STRING)),
			 ==, status);
	g_assert_cmpint (
		json_node_get_boolean (qmp_test_member (object, "running", G_TYPE_BOOLEAN)), ==,
		running);
	if (json_object_has_member (object, "singlestep")) {
		g_assert_false (json_node_get_boolean (
			qmp_test_member (object, "singlestep", G_TYPE_BOOLEAN)));
		members++;
	}
	g_assert_cmpuint (json_object_get_size (object), ==, members);
}

/* ------------------------------------------------------------------------ */

struct _QmpTestServer {
	int listen_fd;
	GStrv script;
	GThread *thread;
	GString *received;
	GMutex lock;
};

static gboolean
read_line (int fd, GString *line)
{
	g_string_truncate (line, 0);
	for (;;) {
		gchar c;
		ssize_t n = read (fd, &c, 1);
		if (n <= 0)
			return FALSE;
		if (c == '\n')
			return TRUE;
		g_string_append_c (line, c);
	}
}

static void
write_all (int fd, const gchar *text, gsize len)
{
	while (len > 0) {
		ssize_t n = write (fd, text, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* the client went away: that is what some tests want */
		text += n;
		len -= n;
	}
}

static gchar *
extract_id (const gchar *line)
{
	g_autoptr (JsonParser) parser = json_parser_new ();
	JsonNode *root;
	JsonNode *id;

	if (!json_parser_load_from_data (parser, line, -1, NULL))
		return g_strdup ("null");
	root = json_parser_get_root (parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
		return g_strdup ("null");
	id = json_object_get_member (json_node_get_object (root), "id");
	return id != NULL ? json_to_string (id, FALSE) : g_strdup ("null");
}

static gpointer
qmp_test_server_thread (gpointer user_data)
{
	QmpTestServer *server = user_data;
	g_autoptr (GString) line = g_string_new (NULL);
	g_autofree gchar *id = g_strdup ("null");
	int fd = accept (server->listen_fd, NULL, NULL);

	g_assert_cmpint (fd, >=, 0);
	for (guint i = 0; server->script[i] != NULL; i++) {
		const gchar *step = server->script[i];
		switch (step[0]) {
		case 'S':
			write_all (fd, step + 2, strlen (step + 2));
			break;
		case 'A': {
			g_autoptr (GString) text = g_string_new (step + 2);
			g_string_replace (text, "%ID%", id, 0);
			write_all (fd, text->str, text->len);
			break;
		}
		case 'R':
			if (read_line (fd, line)) {
				g_free (id);
				id = extract_id (line->str);
				g_mutex_lock (&server->lock);
				g_string_append_printf (server->received, "%s\n", line->str);
				g_mutex_unlock (&server->lock);
			}
			break;
		case 'W':
			g_usleep (1000 * g_ascii_strtoull (step + 2, NULL, 10));
			break;
		case 'E':
			while (read_line (fd, line))
				;
			break;
		case 'L':
			/* answer every command with an empty return, until the client closes */
			while (read_line (fd, line)) {
				g_autofree gchar *reply = NULL;
				g_free (id);
				id = extract_id (line->str);
				g_mutex_lock (&server->lock);
				g_string_append_printf (server->received, "%s\n", line->str);
				g_mutex_unlock (&server->lock);
				reply = g_strdup_printf ("{\"return\": {}, \"id\": %s}\r\n", id);
				write_all (fd, reply, strlen (reply));
			}
			break;
		case 'C':
			close (fd);
			fd = -1;
			break;
		case 'X': {
			/* a reset, not an orderly close */
			struct linger linger = { 1, 0 };
			setsockopt (fd, SOL_SOCKET, SO_LINGER, &linger, sizeof (linger));
			close (fd);
			fd = -1;
			break;
		}
		case 'Z':
			write_all (fd, "", 1);
			break;
		case 'N':
			/* read nothing, so that the client's writes back up, until it closes */
			for (;;) {
				struct pollfd pfd = { fd, POLLRDHUP, 0 };
				if (poll (&pfd, 1, -1) != 0 &&
				    (pfd.revents & (POLLRDHUP | POLLHUP)))
					break;
			}
			break;
		default:
			g_error ("bad script step '%s'", step);
		}
		if (fd < 0)
			break;
	}
	if (fd >= 0)
		close (fd);
	return NULL;
}

static QmpTestServer *qmp_test_server_start (QmpTestServer *server, const gchar *const *script);

QmpTestServer *
qmp_test_server_new (const gchar *path, const gchar *const *script)
{
	QmpTestServer *server = g_new0 (QmpTestServer, 1);
	struct sockaddr_un addr = { .sun_family = AF_UNIX };

	g_strlcpy (addr.sun_path, path, sizeof (addr.sun_path));
	server->listen_fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	g_assert_cmpint (bind (server->listen_fd, (struct sockaddr *)&addr, sizeof (addr)), ==, 0);
	return qmp_test_server_start (server, script);
}

/* the same on 127.0.0.1, for what only TCP does (a reset); @port says where */
QmpTestServer *
qmp_test_server_new_tcp (guint *port, const gchar *const *script)
{
	QmpTestServer *server = g_new0 (QmpTestServer, 1);
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof (addr);

	addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
	server->listen_fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	g_assert_cmpint (bind (server->listen_fd, (struct sockaddr *)&addr, sizeof (addr)), ==, 0);
	g_assert_cmpint (getsockname (server->listen_fd, (struct sockaddr *)&addr, &len), ==, 0);
	*port = ntohs (addr.sin_port);
	return qmp_test_server_start (server, script);
}

static QmpTestServer *
qmp_test_server_start (QmpTestServer *server, const gchar *const *script)
{
	g_assert_cmpint (listen (server->listen_fd, 1), ==, 0);
	server->script = g_strdupv ((gchar **)script);
	server->received = g_string_new (NULL);
	g_mutex_init (&server->lock);
	server->thread = g_thread_new ("qmp-test-server", qmp_test_server_thread, server);
	return server;
}

gchar *
qmp_test_server_dup_received (QmpTestServer *server)
{
	gchar *copy;
	g_mutex_lock (&server->lock);
	copy = g_strdup (server->received->str);
	g_mutex_unlock (&server->lock);
	return copy;
}

/* waits for the script to end, and returns every line the server read */
gchar *
qmp_test_server_finish (QmpTestServer *server)
{
	if (server->thread != NULL)
		g_thread_join (g_steal_pointer (&server->thread));
	return qmp_test_server_dup_received (server);
}

void
qmp_test_server_free (QmpTestServer *server)
{
	if (server == NULL)
		return;
	if (server->thread != NULL)
		g_thread_join (server->thread);
	close (server->listen_fd);
	g_strfreev (server->script);
	g_string_free (server->received, TRUE);
	g_mutex_clear (&server->lock);
	g_free (server);
}

/* ------------------------------------------------------------------------ */

/*
 * The real qmpsh binary with @args, its standard streams pipes (under
 * valgrind in the valgrind setup)
 */
GSubprocess *
qmp_test_spawn_qmpsh (const gchar *const *args)
{
	g_autoptr (GPtrArray) argv = g_ptr_array_new ();
	g_autoptr (GSubprocessLauncher) launcher = NULL;
	g_autoptr (GError) error = NULL;
	GSubprocess *process;
	const gchar *bin = g_getenv ("QMPSH");

	g_assert_nonnull (bin);
	if (g_getenv ("QMPSH_VALGRIND") != NULL) {
		/* the valgrind test setup checks the binary too: any error or leak fails it */
		const gchar *vg[] = { "valgrind",
				      "-q",
				      "--error-exitcode=99",
				      "--leak-check=full",
				      "--errors-for-leak-kinds=definite",
				      "--show-leak-kinds=definite",
				      "--suppressions=/usr/share/glib-2.0/valgrind/glib.supp",
				      NULL };
		for (guint i = 0; vg[i] != NULL; i++)
			g_ptr_array_add (argv, (gpointer)vg[i]);
	}
	g_ptr_array_add (argv, (gpointer)bin);
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add (argv, (gpointer)args[i]);
	g_ptr_array_add (argv, NULL);
	launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
					      G_SUBPROCESS_FLAGS_STDOUT_PIPE |
					      G_SUBPROCESS_FLAGS_STDERR_PIPE);
	process =
		g_subprocess_launcher_spawnv (launcher, (const gchar *const *)argv->pdata, &error);
	g_assert_no_error (error);
	return process;
}

/*
 * How long a qmpsh run, or one line from it, may take before the test
 * fails: a qmpsh that hangs fails its test with a line that says so, well
 * before meson's own timeout kills the whole program. Valgrind's runs are
 * ten times slower, as meson's timeout for them is ten times longer.
 */
static guint
qmp_test_deadline (void)
{
	return g_getenv ("QMPSH_VALGRIND") != NULL ? 600 : 60;
}

typedef struct {
	GAsyncResult *result;
	gboolean timed_out;
} QmpTestWait;

static void
qmp_test_wait_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	((QmpTestWait *)user_data)->result = g_object_ref (res);
}

static gboolean
qmp_test_wait_timeout_cb (gpointer user_data)
{
	((QmpTestWait *)user_data)->timed_out = TRUE;
	return G_SOURCE_REMOVE;
}

/*
 * Runs @context, the thread's default while the asynchronous call of @wait
 * was made, until that call is done, or fails the test after the deadline,
 * having killed @process so that it does not outlive the test.
 */
static GAsyncResult *
qmp_test_wait (GMainContext *context, QmpTestWait *wait, GSubprocess *process, const gchar *what)
{
	guint seconds = qmp_test_deadline ();
	GSource *timer = g_timeout_source_new_seconds (seconds);

	g_source_set_callback (timer, qmp_test_wait_timeout_cb, wait, NULL);
	g_source_attach (timer, context);
	while (wait->result == NULL && !wait->timed_out)
		g_main_context_iteration (context, TRUE);
	g_source_destroy (timer);
	g_source_unref (timer);
	if (wait->result == NULL) {
		if (process != NULL)
			g_subprocess_force_exit (process);
		g_error ("%s: nothing within %u s, so qmpsh hangs", what, seconds);
	}
	return wait->result;
}

/**
 * qmp_test_read_line:
 * @in: a pipe from @process
 * @process: (nullable): killed if no line comes
 * @error: where a read error goes
 *
 * Reads a line as g_data_input_stream_read_line() does, but fails the test
 * if none comes (nor the end) within the deadline.
 *
 * Returns: (transfer full) (nullable): the line without its end, or %NULL at
 *   the end or on an error
 */
gchar *
qmp_test_read_line (GDataInputStream *in, GSubprocess *process, GError **error)
{
	GMainContext *context = g_main_context_new ();
	QmpTestWait wait = { 0 };
	gchar *line;

	g_main_context_push_thread_default (context);
	g_data_input_stream_read_line_async (in, G_PRIORITY_DEFAULT, NULL, qmp_test_wait_done_cb,
					     &wait);
	line = g_data_input_stream_read_line_finish (
		in, qmp_test_wait (context, &wait, process, "reading a line from qmpsh"), NULL,
		error);
	g_main_context_pop_thread_default (context);
	g_object_unref (wait.result);
	g_main_context_unref (context);
	return line;
}

/**
 * qmp_test_communicate:
 * @process: a process with its three pipes
 * @input: (nullable): what it reads
 * @out: (out): what it printed on its standard output
 * @err: (out): and on its standard error
 *
 * g_subprocess_communicate_utf8(): returns once @process has exited and
 * both pipes have ended, but the test fails, and @process is killed, if
 * that takes longer than the deadline.
 */
void
qmp_test_communicate (GSubprocess *process, const gchar *input, gchar **out, gchar **err)
{
	GMainContext *context = g_main_context_new ();
	g_autoptr (GError) error = NULL;
	QmpTestWait wait = { 0 };

	g_main_context_push_thread_default (context);
	g_subprocess_communicate_utf8_async (process, input, NULL, qmp_test_wait_done_cb, &wait);
	g_subprocess_communicate_utf8_finish (
		process, qmp_test_wait (context, &wait, process, "waiting for qmpsh to finish"),
		out, err, &error);
	g_assert_no_error (error);
	g_main_context_pop_thread_default (context);
	g_object_unref (wait.result);
	g_main_context_unref (context);
}

QmpTestRun *
qmp_test_run_qmpsh (const gchar *input, const gchar *const *args)
{
	g_autoptr (GSubprocess) process = qmp_test_spawn_qmpsh (args);
	QmpTestRun *run = g_new0 (QmpTestRun, 1);

	qmp_test_communicate (process, input != NULL ? input : "", &run->out, &run->err);
	if (g_getenv ("QMPSH_VALGRIND") != NULL) {
		/* valgrind's own notes ("--pid-- WARNING: unhandled syscall") are not qmpsh's */
		g_auto (GStrv) lines = g_strsplit (run->err, "\n", -1);
		g_autoptr (GString) kept = g_string_new (NULL);
		for (guint i = 0; lines[i] != NULL; i++) {
			if (lines[i][0] == '\0' ||
			    g_regex_match_simple ("^--[0-9]+-- ", lines[i], 0, 0))
				continue;
			g_string_append_printf (kept, "%s\n", lines[i]);
		}
		g_free (run->err);
		run->err = g_string_free (g_steal_pointer (&kept), FALSE);
	}
	g_assert_true (g_subprocess_get_if_exited (process));
	run->status = g_subprocess_get_exit_status (process);
	return run;
}

void
qmp_test_run_free (QmpTestRun *run)
{
	if (run == NULL)
		return;
	g_free (run->out);
	g_free (run->err);
	g_free (run);
}

/* ------------------------------------------------------------------------ */

void
qmp_test_call_clear (QmpTestCall *call)
{
	call->done = FALSE;
	call->ok = FALSE;
	g_clear_error (&call->error);
	g_clear_pointer (&call->ret, json_node_unref);
}

void
qmp_test_call_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	QmpTestCall *call = user_data;
	gpointer tag = g_task_get_source_tag (G_TASK (res));

	g_clear_error (&call->error);
	if (tag == (gpointer)qmp_protocol_disconnect_async)
		call->ok =
			qmp_protocol_disconnect_finish (QMP_PROTOCOL (source), res, &call->error);
	else if (tag == (gpointer)qmp_protocol_accept_async)
		call->ok = qmp_protocol_accept_finish (QMP_PROTOCOL (source), res, &call->error);
	else
		call->ok = qmp_protocol_connect_finish (QMP_PROTOCOL (source), res, &call->error);
	call->done = TRUE;
}

void
qmp_test_call_execute_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	QmpTestCall *call = user_data;

	g_clear_error (&call->error);
	g_clear_pointer (&call->ret, json_node_unref);
	call->ret = qmp_client_execute_finish (QMP_CLIENT (source), res, &call->error);
	call->done = TRUE;
}

void
qmp_test_call_connect (QmpProtocol *protocol, const gchar *address, QmpTestCall *call)
{
	qmp_test_call_clear (call);
	qmp_protocol_connect_async (protocol, address, NULL, qmp_test_call_done_cb, call);
	qmp_test_run_until (&call->done, 15);
}

void
qmp_test_call_disconnect (QmpProtocol *protocol, QmpTestCall *call)
{
	qmp_test_call_clear (call);
	qmp_protocol_disconnect_async (protocol, NULL, qmp_test_call_done_cb, call);
	qmp_test_run_until (&call->done, 15);
}

void
qmp_test_call_execute (QmpClient *client, const gchar *name, JsonObject *args, QmpTestCall *call)
{
	qmp_test_call_clear (call);
	qmp_client_execute_async (client, name, args, QMP_EXECUTE_FLAG_NONE, NULL,
				  qmp_test_call_execute_cb, call);
	qmp_test_run_until (&call->done, 60);
}

/* ------------------------------------------------------------------------ */

static void
qmp_test_case_free (QmpTestCase *c)
{
	g_ptr_array_unref (c->input);
	g_ptr_array_unref (c->said);
	g_free (c->text);
	g_free (c->received);
	g_free (c->only);
	g_free (c);
}

/**
 * qmp_test_load_cases:
 * @path: a file of cases, as language.cases
 *
 * Returns: (transfer full) (element-type QmpTestCase): the cases, with the
 *   lines of input each one occupies when all are fed in order
 */
GPtrArray *
qmp_test_load_cases (const gchar *path)
{
	g_autofree gchar *contents = NULL;
	g_autoptr (GError) error = NULL;
	g_auto (GStrv) lines = NULL;
	GPtrArray *cases = g_ptr_array_new_with_free_func ((GDestroyNotify)qmp_test_case_free);
	QmpTestCase *c = NULL;
	guint lineno = 0;

	g_file_get_contents (path, &contents, NULL, &error);
	g_assert_no_error (error);
	lines = g_strsplit (contents, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		const gchar *l = lines[i];
		if (l[0] == '#')
			continue;
		if (l[0] == '\0') {
			c = NULL;
			continue;
		}
		if (c == NULL) {
			c = g_new0 (QmpTestCase, 1);
			c->file_line = i + 1;
			c->input = g_ptr_array_new_with_free_func (g_free);
			c->said = g_ptr_array_new_with_free_func (g_free);
			c->first = lineno + 1;
			g_ptr_array_add (cases, c);
		}
		if (g_str_has_prefix (l, "in:")) {
			g_ptr_array_add (c->input, g_strdup (l[3] == ' ' ? l + 4 : l + 3));
			c->last = ++lineno;
		} else if (g_str_has_prefix (l, "wire: ")) {
			c->expect = QMP_TEST_EXPECT_WIRE, c->text = g_strdup (l + 6);
		} else if (g_str_has_prefix (l, "error: ")) {
			c->expect = QMP_TEST_EXPECT_ERROR, c->text = g_strdup (l + 7);
		} else if (g_strcmp0 (l, "nothing") == 0) {
			c->expect = QMP_TEST_EXPECT_NOTHING;
		} else if (g_str_has_prefix (l, "on: ")) {
			c->only = g_strdup (l + 4);
		} else {
			g_error ("%s:%u: cannot read '%s'", path, i + 1, l);
		}
	}
	return cases;
}
