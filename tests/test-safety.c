/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * What qmpsh leaves on disk and who else can reach it: --launch leaves
 * nothing behind whatever kills qmpsh, --listen's socket is the user's
 * alone, a plain TCP --listen on an open address warns, and the log does
 * not follow a link someone else planted.
 */

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qmp-test-util.h"

typedef struct {
	gchar *dir;
	gchar *sock;
} Fixture;

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
	fx->dir = qmp_test_make_dir ();
	fx->sock = g_build_filename (fx->dir, "qmp.sock", NULL);
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
	qmp_test_remove_dir (fx->dir);
	g_free (fx->dir);
	g_free (fx->sock);
}

static void
assert_contains (const gchar *haystack, const gchar *needle)
{
	if (strstr (haystack, needle) == NULL)
		g_error ("expected '%s' in:\n%s", needle, haystack);
}

static void
exited_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_subprocess_wait_finish (G_SUBPROCESS (source), res, NULL);
	*(gboolean *)user_data = TRUE;
}

/* a qmpsh that does not end fails the test, instead of hanging it */
static void
wait_exit (GSubprocess *process)
{
	gboolean done = FALSE;
	g_subprocess_wait_async (process, NULL, exited_cb, &done);
	qmp_test_run_until (&done, 30);
}

static guint
count_entries (const gchar *dir)
{
	g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
	guint n = 0;

	g_assert_nonnull (d);
	while (g_dir_read_name (d) != NULL)
		n++;
	return n;
}

static gboolean
process_alive (const gchar *pid)
{
	g_autofree gchar *path = g_strdup_printf ("/proc/%s/stat", pid);
	g_autofree gchar *stat = NULL;
	const gchar *state;

	if (!g_file_get_contents (path, &stat, NULL, NULL))
		return FALSE;
	state = strrchr (stat, ')');
	return state != NULL && state[2] != 'Z';
}

/* the child of @parent whose command line starts with @name */
static gchar *
child_of (const gchar *parent, const gchar *name)
{
	g_autoptr (GDir) proc = g_dir_open ("/proc", 0, NULL);
	const gchar *entry;

	while ((entry = g_dir_read_name (proc)) != NULL) {
		g_autofree gchar *path = g_strdup_printf ("/proc/%s/stat", entry);
		g_autofree gchar *stat = NULL;
		g_autofree gchar *cmdline_path = g_strdup_printf ("/proc/%s/cmdline", entry);
		g_autofree gchar *cmdline = NULL;
		g_auto (GStrv) fields = NULL;
		const gchar *rest;

		if (!g_ascii_isdigit (entry[0]) || !g_file_get_contents (path, &stat, NULL, NULL))
			continue;
		rest = strrchr (stat, ')');
		if (rest == NULL)
			continue;
		fields = g_strsplit (rest + 2, " ", 4);
		if (g_strv_length (fields) < 3 || g_strcmp0 (fields[1], parent) != 0)
			continue;
		if (g_file_get_contents (cmdline_path, &cmdline, NULL, NULL) &&
		    g_str_has_suffix (cmdline, name))
			return g_strdup (entry);
		if (cmdline != NULL && strstr (cmdline, name) != NULL)
			return g_strdup (entry);
	}
	return NULL;
}

/* nothing on disk for --launch: not while it runs, not after a SIGKILL */
static void
test_launch_leaves_nothing (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *tmp = g_build_filename (fx->dir, "tmp", NULL);
	g_autoptr (GSubprocessLauncher) launcher = NULL;
	g_autoptr (GSubprocess) qmpsh = NULL;
	g_autoptr (GDataInputStream) out = NULL;
	g_autoptr (GError) error = NULL;
	g_autofree gchar *line = NULL;
	g_autofree gchar *qemu = NULL;
	const gchar *argv[] = { g_getenv ("QMPSH"), "--launch", NULL };

	g_assert_cmpint (g_mkdir (tmp, 0700), ==, 0);
	launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
					      G_SUBPROCESS_FLAGS_STDOUT_PIPE);
	g_subprocess_launcher_setenv (launcher, "TMPDIR", tmp, TRUE);
	qmpsh = g_subprocess_launcher_spawnv (launcher, argv, &error);
	g_assert_no_error (error);
	g_output_stream_write_all (g_subprocess_get_stdin_pipe (qmpsh), "query-name\n", 11, NULL,
				   NULL, &error);
	g_assert_no_error (error);
	out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (qmpsh));
	line = qmp_test_read_line (out, qmpsh, &error);
	g_assert_no_error (error);
	g_assert_cmpstr (line, ==, "{\"return\":{}}");
	/* QEMU answered: it runs, and there is no socket or directory for it anywhere */
	g_assert_cmpuint (count_entries (tmp), ==, 0);
	qemu = child_of (g_subprocess_get_identifier (qmpsh), "qemu-system-x86_64");
	g_assert_nonnull (qemu);
	g_subprocess_force_exit (qmpsh);
	wait_exit (qmpsh);
	g_assert_cmpuint (count_entries (tmp), ==, 0);
	/* and QEMU goes with the shell that started it */
	for (gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC; process_alive (qemu);)
		g_assert_cmpint (g_get_monotonic_time (), <, deadline);
	g_rmdir (tmp);
}

/* the socket QEMU dials in to is the user's alone, whatever the umask */
static void
test_listen_socket_mode (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *script = g_strdup_printf (
		"umask 000; exec '%s' --listen '%s' -c query-name", g_getenv ("QMPSH"), fx->sock);
	g_autoptr (GSubprocess) qmpsh = NULL;
	g_autoptr (GError) error = NULL;
	GStatBuf st;

	qmpsh = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error, "sh", "-c", script,
				  NULL);
	g_assert_no_error (error);
	for (gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
	     !g_file_test (fx->sock, G_FILE_TEST_EXISTS);) {
		g_assert_cmpint (g_get_monotonic_time (), <, deadline);
		g_usleep (10000);
	}
	g_assert_cmpint (g_stat (fx->sock, &st), ==, 0);
	g_assert_cmpint (st.st_mode & 0777, ==, 0600);
	g_subprocess_send_signal (qmpsh, SIGTERM);
	wait_exit (qmpsh);
	g_assert_cmpint (g_subprocess_get_exit_status (qmpsh), ==, 143);
	g_assert_false (g_file_test (fx->sock, G_FILE_TEST_EXISTS));
}

/* a plain TCP port on every address is anyone's: qmpsh says so */
static void
test_listen_open_address (Fixture *fx, gconstpointer data)
{
	g_autoptr (GSubprocess) qmpsh = NULL;
	g_autoptr (GDataInputStream) err = NULL;
	g_autoptr (GError) error = NULL;
	g_autofree gchar *first = NULL;
	g_autofree gchar *second = NULL;
	g_autofree gchar *loopback = NULL;

	qmpsh = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_PIPE, &error, g_getenv ("QMPSH"),
				  "--listen", "0.0.0.0:0", "-c", "query-name", NULL);
	g_assert_no_error (error);
	err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (qmpsh));
	first = qmp_test_read_line (err, qmpsh, &error);
	second = qmp_test_read_line (err, qmpsh, &error);
	g_assert_no_error (error);
	g_assert_true (g_str_has_prefix (first, "qmpsh: warning: listening on 0.0.0.0:"));
	assert_contains (first, " without TLS: whoever reaches it first controls the VM");
	g_assert_true (g_str_has_prefix (second, "qmpsh: waiting for QEMU to connect to 0.0.0.0:"));
	g_subprocess_send_signal (qmpsh, SIGTERM);
	wait_exit (qmpsh);

	/* on loopback, no warning: the first line is the one that says where to dial */
	g_clear_object (&qmpsh);
	g_clear_object (&err);
	qmpsh = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_PIPE, &error, g_getenv ("QMPSH"),
				  "--listen", "127.0.0.1:0", "-c", "query-name", NULL);
	g_assert_no_error (error);
	err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (qmpsh));
	loopback = qmp_test_read_line (err, qmpsh, &error);
	g_assert_true (
		g_str_has_prefix (loopback, "qmpsh: waiting for QEMU to connect to 127.0.0.1:"));
	g_subprocess_send_signal (qmpsh, SIGTERM);
	wait_exit (qmpsh);
}

/* a link someone else planted where the log goes is not followed; one's own is */
static void
test_log_symlink (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *target = g_build_filename (fx->dir, "target", NULL);
	g_autofree gchar *planted = g_build_filename (fx->dir, "planted.log", NULL);
	g_autofree gchar *own = g_build_filename (fx->dir, "own.log", NULL);
	g_autofree gchar *expected = NULL;
	g_autofree gchar *text = NULL;
	g_autoptr (QmpTestQemu) qemu = NULL;
	g_autoptr (QmpTestRun) refused = NULL;
	g_autoptr (QmpTestRun) followed = NULL;
	const gchar *planted_args[] = { "-l", planted, "-c", "query-name", fx->sock, NULL };
	const gchar *own_args[] = { "-l", own, "-c", "query-name", fx->sock, NULL };

	g_assert_true (g_file_set_contents (target, "precious\n", -1, NULL));
	g_assert_cmpint (symlink (target, planted), ==, 0);
	g_assert_cmpint (symlink (target, own), ==, 0);
	/* the tests run as root, who can plant a link as another user would */
	g_assert_cmpint (lchown (planted, 65534, 65534), ==, 0);
	if (getuid () != 0)
		g_assert_cmpint (lchown (own, getuid (), getgid ()), ==, 0);
	qemu = qmp_test_qemu_start_unix (fx->sock);

	refused = qmp_test_run_qmpsh (NULL, planted_args);
	g_assert_cmpint (refused->status, ==, 2);
	expected = g_strdup_printf ("qmpsh: cannot open the log %s: it is a symbolic link that "
				    "another user owns (give the file it points to, if that is "
				    "meant)\n",
				    planted);
	g_assert_cmpstr (refused->err, ==, expected);
	g_assert_cmpstr (refused->out, ==, "");
	g_assert_true (g_file_get_contents (target, &text, NULL, NULL));
	g_assert_cmpstr (text, ==, "precious\n");

	followed = qmp_test_run_qmpsh (NULL, own_args);
	g_assert_cmpint (followed->status, ==, 0);
	g_clear_pointer (&text, g_free);
	g_assert_true (g_file_get_contents (target, &text, NULL, NULL));
	g_assert_true (g_str_has_prefix (text, "precious\n# "));
	assert_contains (text, ">>> {\"id\":1,\"execute\":\"query-name\"}");
	g_unlink (target);
	g_unlink (planted);
	g_unlink (own);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD ("/safety/launch-leaves-nothing", test_launch_leaves_nothing);
	ADD ("/safety/listen-socket-mode", test_listen_socket_mode);
	ADD ("/safety/listen-open-address", test_listen_open_address);
	ADD ("/safety/log-symlink", test_log_symlink);
#undef ADD
	return g_test_run ();
}
