/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/* the real qmpsh binary, driven through its stdin, against real QEMU and a scripted server */

#include <signal.h>
#include <string.h>

#include "qmp-test-util.h"

#define GREETING                                                                                   \
	"S:{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, "        \
	"\"package\": \"\"}, \"capabilities\": []}}\r\n"
#define NEGOTIATE "R", "A:{\"return\": {}, \"id\": %ID%}\r\n"

typedef struct {
	gchar *dir;
	gchar *sock;
	QmpTestQemu *qemu;
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
	g_clear_pointer (&fx->qemu, qmp_test_qemu_free);
	qmp_test_remove_dir (fx->dir);
	g_free (fx->dir);
	g_free (fx->sock);
}

static void
start_qemu (Fixture *fx, gboolean pretty)
{
	g_autofree gchar *chardev =
		g_strdup_printf ("socket,id=m,path=%s,server=on,wait=off", fx->sock);
	const gchar *args[] = { "-chardev", chardev, "-mon",
				pretty ? "chardev=m,mode=control,pretty=on"
				       : "chardev=m,mode=control",
				NULL };
	const gchar *wait[] = { fx->sock, NULL };
	fx->qemu = qmp_test_qemu_start (args, wait);
}

static gchar **
lines_of (const gchar *out)
{
	g_autofree gchar *trimmed = g_strdup (out);
	g_strchomp (trimmed);
	return g_strsplit (trimmed, "\n", -1);
}

static void
assert_contains (const gchar *haystack, const gchar *needle)
{
	if (strstr (haystack, needle) == NULL)
		g_error ("expected '%s' in:\n%s", needle, haystack);
}

static void
two_replies (Fixture *fx, gboolean pretty)
{
	const gchar *args[] = { fx->sock, NULL };
	g_autoptr (QmpTestRun) run = NULL;
	g_auto (GStrv) lines = NULL;

	start_qemu (fx, pretty);
	run = qmp_test_run_qmpsh ("query-version\nquery-status\n", args);
	g_assert_cmpstr (run->err, ==, "");
	g_assert_cmpint (run->status, ==, 0);
	lines = lines_of (run->out);
	g_assert_cmpuint (g_strv_length (lines), ==, 2);
	g_assert_true (g_str_has_prefix (lines[0], "{\"return\":{\"qemu\":{"));
	assert_contains (lines[0], "\"major\":7");
	g_assert_cmpstr (
		lines[1], ==,
		"{\"return\":{\"status\":\"running\",\"singlestep\":false,\"running\":true}}");
}

static void
test_two_replies (Fixture *fx, gconstpointer data)
{
	two_replies (fx, FALSE);
}

static void
test_two_replies_pretty_monitor (Fixture *fx, gconstpointer data)
{
	two_replies (fx, TRUE);
}

static void
test_command_error_exit (Fixture *fx, gconstpointer data)
{
	const gchar *args[] = { fx->sock, NULL };
	g_autoptr (QmpTestRun) run = NULL;
	g_auto (GStrv) lines = NULL;

	start_qemu (fx, FALSE);
	run = qmp_test_run_qmpsh ("stop\nquery-status\nbogus\n", args);
	g_assert_cmpint (run->status, ==, 1);
	lines = lines_of (run->out);
	g_assert_cmpuint (g_strv_length (lines), ==, 3);
	g_assert_cmpstr (lines[0], ==, "{\"return\":{}}");
	assert_contains (lines[1], "\"status\":\"paused\"");
	g_assert_cmpstr (lines[2], ==,
			 "{\"error\":{\"class\":\"CommandNotFound\",\"desc\":\"The command bogus "
			 "has not been found\"}}");
	assert_contains (run->err, "line 3: bogus: The command bogus has not been found");
}

static void
test_dash_c (Fixture *fx, gconstpointer data)
{
	const gchar *args[] = { "-c", "query-name", "-c", "query-status", fx->sock, NULL };
	g_autoptr (QmpTestRun) run = NULL;
	g_auto (GStrv) lines = NULL;

	start_qemu (fx, FALSE);
	/* stdin is not read with -c: this would fail if it were */
	run = qmp_test_run_qmpsh ("bogus\n", args);
	g_assert_cmpint (run->status, ==, 0);
	lines = lines_of (run->out);
	g_assert_cmpuint (g_strv_length (lines), ==, 2);
	g_assert_cmpstr (lines[0], ==, "{\"return\":{}}");
}

static void
test_never_greets (Fixture *fx, gconstpointer data)
{
	const gchar *script[] = { "E", NULL };
	g_autoptr (QmpTestServer) server = qmp_test_server_new (fx->sock, script);
	const gchar *args[] = { "--greeting-timeout", "1", fx->sock, NULL };
	g_autoptr (QmpTestRun) run = qmp_test_run_qmpsh ("query-status\n", args);

	g_assert_cmpint (run->status, ==, 3);
	g_assert_cmpstr (run->out, ==, "");
	assert_contains (run->err, "no QMP greeting within 1.0 s");
	assert_contains (run->err, "another client may be attached");
	g_assert_cmpuint (strchr (run->err, '\n') - run->err + 1, ==, strlen (run->err));
}

static void
test_connection_lost (Fixture *fx, gconstpointer data)
{
	const gchar *script[] = {
		GREETING, NEGOTIATE,
		"R",	  "A:{\"return\": {\"n\": 18446744073709551615}, \"id\": %ID%}\r\n",
		"R",	  "C",
		NULL
	};
	g_autoptr (QmpTestServer) server = qmp_test_server_new (fx->sock, script);
	const gchar *args[] = { fx->sock, NULL };
	g_autoptr (QmpTestRun) run = qmp_test_run_qmpsh ("first\nsecond\n", args);

	g_assert_cmpint (run->status, ==, 3);
	/* the reply that came is printed, its uint64 exactly as sent */
	g_assert_cmpstr (run->out, ==, "{\"return\":{\"n\":18446744073709551615}}\n");
	assert_contains (run->err, "lost the connection");
	assert_contains (run->err, "left unanswered: second (line 2)");
}

static void
test_no_server (Fixture *fx, gconstpointer data)
{
	const gchar *args[] = { fx->sock, NULL };
	g_autoptr (QmpTestRun) run = qmp_test_run_qmpsh ("query-status\n", args);

	g_assert_cmpint (run->status, ==, 3);
	assert_contains (run->err, "connecting to");
	assert_contains (run->err, "is QEMU running");
}

static void
test_usage (Fixture *fx, gconstpointer data)
{
	const gchar *none[] = { NULL };
	const gchar *bad[] = { "--no-such-option", fx->sock, NULL };
	const gchar *timeout[] = { "--greeting-timeout", "soon", fx->sock, NULL };
	g_autoptr (QmpTestRun) a = qmp_test_run_qmpsh (NULL, none);
	g_autoptr (QmpTestRun) b = qmp_test_run_qmpsh (NULL, bad);
	g_autoptr (QmpTestRun) c = qmp_test_run_qmpsh (NULL, timeout);

	g_assert_cmpint (a->status, ==, 2);
	assert_contains (a->err, "no address given");
	g_assert_cmpint (b->status, ==, 2);
	assert_contains (b->err, "--no-such-option");
	g_assert_cmpint (c->status, ==, 2);
	assert_contains (c->err, "'soon'");
}

static void
test_launch (Fixture *fx, gconstpointer data)
{
	const gchar *args[] = { "--launch", "-c", "query-status", NULL };
	g_autoptr (QmpTestRun) run = qmp_test_run_qmpsh (NULL, args);

	g_assert_cmpint (run->status, ==, 0);
	g_assert_cmpstr (
		run->out, ==,
		"{\"return\":{\"status\":\"running\",\"singlestep\":false,\"running\":true}}\n");
	g_assert_cmpstr (run->err, ==, "");
}

static void
test_launch_missing_binary (Fixture *fx, gconstpointer data)
{
	const gchar *args[] = { "--launch", "-c", "query-status", "--", "/nonexistent/qemu", NULL };
	g_autoptr (QmpTestRun) run = qmp_test_run_qmpsh (NULL, args);

	g_assert_cmpint (run->status, ==, 3);
	assert_contains (run->err, "cannot start /nonexistent/qemu");
}

static void
test_launch_qemu_dies (Fixture *fx, gconstpointer data)
{
	const gchar *args[] = { "--launch",	      "-c", "query-status",    "--",
				"qemu-system-x86_64", "-M", "no-such-machine", NULL };
	g_autoptr (QmpTestRun) run = qmp_test_run_qmpsh (NULL, args);

	g_assert_cmpint (run->status, ==, 3);
	assert_contains (run->err, "QEMU exited with status 1 before it connected");
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	/* qmpsh may exit before reading the input we give it */
	signal (SIGPIPE, SIG_IGN);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD ("/cli/two-replies", test_two_replies);
	ADD ("/cli/two-replies-pretty-monitor", test_two_replies_pretty_monitor);
	ADD ("/cli/command-error-exit", test_command_error_exit);
	ADD ("/cli/dash-c", test_dash_c);
	ADD ("/cli/never-greets", test_never_greets);
	ADD ("/cli/connection-lost", test_connection_lost);
	ADD ("/cli/no-server", test_no_server);
	ADD ("/cli/usage", test_usage);
	ADD ("/cli/launch", test_launch);
	ADD ("/cli/launch-missing-binary", test_launch_missing_binary);
	ADD ("/cli/launch-qemu-dies", test_launch_qemu_dies);
#undef ADD
	return g_test_run ();
}
