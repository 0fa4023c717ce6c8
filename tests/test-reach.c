/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * Beyond a local monitor: the guest agent (real qemu-ga), QEMU dialing in to
 * --listen, and file descriptors passed with commands, all through the real
 * qmpsh binary.
 */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>

#include "qmp-test-util.h"

typedef struct {
	gchar *dir;
	gchar *sock;
	QmpTestQemu *server;
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
	g_autofree gchar *state = g_build_filename (fx->dir, "state", NULL);
	g_autofree gchar *qga_state = g_build_filename (state, "qga.state", NULL);

	g_clear_pointer (&fx->server, qmp_test_qemu_free);
	g_unlink (qga_state);
	g_rmdir (state);
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

static JsonNode *
return_of (const gchar *line)
{
	g_autoptr (JsonParser) parser = json_parser_new ();
	g_autoptr (GError) error = NULL;
	json_parser_load_from_data (parser, line, -1, &error);
	g_assert_no_error (error);
	return json_node_copy (json_object_get_member (
		json_node_get_object (json_parser_get_root (parser)), "return"));
}

static void
start_ga (Fixture *fx)
{
	g_autofree gchar *state = g_build_filename (fx->dir, "state", NULL);
	const gchar *argv[] = { "qemu-ga", "-m", "unix-listen", "-p", fx->sock, "-t", state, NULL };
	const gchar *wait[] = { fx->sock, NULL };

	g_assert_cmpint (g_mkdir (state, 0700), ==, 0);
	fx->server = qmp_test_process_start (argv, wait);
}

static void
test_ga_info (Fixture *fx, gconstpointer data)
{
	const gchar *args[] = { "--ga", fx->sock, NULL };
	const gchar *plain[] = { "--greeting-timeout", "0.5", fx->sock, NULL };
	g_autoptr (QmpTestRun) run = NULL;
	g_autoptr (QmpTestRun) wrong = NULL;
	g_auto (GStrv) lines = NULL;

	start_ga (fx);
	run = qmp_test_run_qmpsh ("guest-ping\nguest-info\n", args);
	g_assert_cmpstr (run->err, ==, "");
	g_assert_cmpint (run->status, ==, 0);
	lines = g_strsplit (run->out, "\n", -1);
	g_assert_cmpstr (lines[0], ==, "{\"return\":{}}");
	assert_contains (lines[1], "\"supported_commands\":[");
	/* without --ga, the silence of the agent is explained */
	wrong = qmp_test_run_qmpsh ("guest-ping\n", plain);
	g_assert_cmpint (wrong->status, ==, 3);
	assert_contains (wrong->err, "no QMP greeting");
}

static void
test_ga_big_file (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *path = g_build_filename (fx->dir, "big.bin", NULL);
	g_autofree gchar *open_cmd = NULL;
	g_autofree gchar *read_cmd = NULL;
	g_autofree guchar *content = g_malloc (5 * 1000 * 1000);
	g_autofree guchar *back = NULL;
	g_autoptr (QmpTestRun) opened = NULL;
	g_autoptr (QmpTestRun) read = NULL;
	g_autoptr (JsonNode) handle = NULL;
	g_autoptr (JsonNode) ret = NULL;
	gsize len = 0;

	for (gsize i = 0; i < 5 * 1000 * 1000; i++)
		content[i] = (guchar)g_random_int ();
	g_assert_true (g_file_set_contents (path, (gchar *)content, 5 * 1000 * 1000, NULL));
	start_ga (fx);

	open_cmd = g_strdup_printf ("guest-file-open path=%s mode=r", path);
	{
		const gchar *args[] = { "--ga", "-c", open_cmd, fx->sock, NULL };
		opened = qmp_test_run_qmpsh (NULL, args);
	}
	g_assert_cmpint (opened->status, ==, 0);
	handle = return_of (opened->out);
	read_cmd = g_strdup_printf ("guest-file-read handle=%" G_GINT64_FORMAT " count=6000000",
				    json_node_get_int (handle));
	{
		const gchar *args[] = { "--ga", "-c", read_cmd, fx->sock, NULL };
		read = qmp_test_run_qmpsh (NULL, args);
	}
	g_assert_cmpint (read->status, ==, 0);
	/* some 6.7 MB of base64 on one line, read back byte for byte */
	g_assert_cmpuint (strlen (read->out), >, 6 * 1000 * 1000);
	ret = return_of (read->out);
	g_assert_cmpint (json_object_get_int_member (json_node_get_object (ret), "count"), ==,
			 5 * 1000 * 1000);
	back = g_base64_decode (
		json_object_get_string_member (json_node_get_object (ret), "buf-b64"), &len);
	g_assert_cmpuint (len, ==, 5 * 1000 * 1000);
	g_assert_true (memcmp (back, content, len) == 0);
}

static void
test_listen (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autoptr (GSubprocess) qmpsh = NULL;
	g_autoptr (GError) error = NULL;
	g_autofree gchar *chardev =
		g_strdup_printf ("socket,id=m,path=%s,server=off,reconnect=1", fx->sock);
	const gchar *qemu_args[] = { "-chardev", chardev, "-mon", "chardev=m,mode=control", NULL };

	qmpsh = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
				  &error, g_getenv ("QMPSH"), "--listen", fx->sock, "-c",
				  "query-status", NULL);
	g_assert_no_error (error);
	while (!g_file_test (fx->sock, G_FILE_TEST_EXISTS))
		g_usleep (10000);
	/* QEMU dials in; qmpsh runs the command and leaves */
	fx->server = qmp_test_qemu_start (qemu_args, NULL);
	qmp_test_communicate (qmpsh, NULL, &out, &err);
	g_assert_cmpint (g_subprocess_get_exit_status (qmpsh), ==, 0);
	qmp_test_assert_status_reply (out, "running", TRUE);
	assert_contains (err, "waiting for QEMU to connect to");
	/* exactly one peer: the socket is gone */
	g_assert_false (g_file_test (fx->sock, G_FILE_TEST_EXISTS));
}

static void
test_pass_fds (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *log = g_build_filename (fx->dir, "vm.log", NULL);
	g_autofree gchar *disk = g_build_filename (fx->dir, "disk.img", NULL);
	g_autofree gchar *input = NULL;
	g_autoptr (QmpTestRun) run = NULL;
	g_auto (GStrv) lines = NULL;
	const gchar *args[] = { fx->sock, NULL };

	g_assert_true (g_file_set_contents (disk, "disk", -1, NULL));
	fx->server = qmp_test_qemu_start_unix (fx->sock);
	input = g_strdup_printf ("getfd fdname=x fd>%s\n"
				 "closefd fdname=x\n"
				 "closefd fdname=x\n"
				 "add-fd fdset-id=1 <%s\n"
				 "query-fdsets\n"
				 "getfd fdname=y </nonexistent/file\n",
				 log, disk);
	run = qmp_test_run_qmpsh (input, args);
	g_assert_cmpint (run->status, ==, 1);
	lines = g_strsplit (run->out, "\n", -1);
	/* the descriptor arrived: closing it works once, and the file was made */
	g_assert_cmpstr (lines[0], ==, "{\"return\":{}}");
	g_assert_cmpstr (lines[1], ==, "{\"return\":{}}");
	assert_contains (lines[2], "File descriptor named 'x' not found");
	g_assert_true (g_file_test (log, G_FILE_TEST_EXISTS));
	assert_contains (lines[3], "\"fdset-id\":1");
	assert_contains (lines[4], "\"fdset-id\":1");
	assert_contains (lines[4], "\"fds\":[{\"fd\":");
	g_assert_null (lines[5] != NULL && lines[5][0] != '\0' ? lines[5] : NULL);
	assert_contains (run->err, "line 6: getfd: cannot open /nonexistent/file");
}

static void
test_pass_fd_inherited (Fixture *fx, gconstpointer data)
{
	g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (
		G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_autoptr (GSubprocess) qmpsh = NULL;
	g_autoptr (GError) error = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *path = g_build_filename (fx->dir, "inherited", NULL);
	int fd = g_open (path, O_WRONLY | O_CREAT, 0600);

	fx->server = qmp_test_qemu_start_unix (fx->sock);
	g_subprocess_launcher_take_fd (launcher, fd, 5);
	qmpsh = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("QMPSH"), "--pass-fd=5",
					     "-c", "getfd fdname=z <&5", "-c", "closefd fdname=z",
					     "-c", "getfd fdname=w <&4", fx->sock, NULL);
	g_assert_no_error (error);
	qmp_test_communicate (qmpsh, NULL, &out, &err);
	g_assert_cmpstr (out, ==, "{\"return\":{}}\n{\"return\":{}}\n");
	/* only what --pass-fd allowed goes */
	assert_contains (err, "descriptor 4 is not one to pass: give --pass-fd=4");
	g_assert_cmpint (g_subprocess_get_exit_status (qmpsh), ==, 1);
}

static void
test_fds_refused_over_tcp (Fixture *fx, gconstpointer data)
{
	guint port = qmp_test_free_port ();
	g_autofree gchar *addr = g_strdup_printf ("127.0.0.1:%u", port);
	g_autofree gchar *arg = g_strdup_printf ("tcp:%s,server=on,wait=off", addr);
	g_autofree gchar *log = g_build_filename (fx->dir, "vm.log", NULL);
	g_autofree gchar *cmd = g_strdup_printf ("getfd fdname=x fd>%s", log);
	const gchar *qemu_args[] = { "-qmp", arg, NULL };
	const gchar *wait[] = { addr, NULL };
	const gchar *args[] = { "-c", cmd, addr, NULL };
	g_autoptr (QmpTestRun) run = NULL;

	fx->server = qmp_test_qemu_start (qemu_args, wait);
	run = qmp_test_run_qmpsh (NULL, args);
	g_assert_cmpint (run->status, ==, 1);
	g_assert_cmpstr (run->out, ==, "");
	assert_contains (run->err, "file descriptors can only be passed over a UNIX socket");
	/* refused before the file was touched */
	g_assert_false (g_file_test (log, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	signal (SIGPIPE, SIG_IGN);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD ("/reach/ga-info", test_ga_info);
	ADD ("/reach/ga-big-file", test_ga_big_file);
	ADD ("/reach/listen", test_listen);
	ADD ("/reach/pass-fds", test_pass_fds);
	ADD ("/reach/pass-fd-inherited", test_pass_fd_inherited);
	ADD ("/reach/fds-refused-over-tcp", test_fds_refused_over_tcp);
#undef ADD
	return g_test_run ();
}
