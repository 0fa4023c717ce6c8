/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/* the real qmpsh binary, driven through its stdin, against real QEMU and a scripted server */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#include "qmp-test-util.h"

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
	/* the version the server reports, whichever QEMU runs the tests */
	qmp_test_assert_version_reply (lines[0]);
	qmp_test_assert_status_reply (lines[1], "running", TRUE);
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

/*
 * A raw command's own id is kept, and the numbers qmpsh gives the commands
 * around it step over it: two commands waiting with one id would have one
 * reply between them. qmpsh's numbers are the smallest free ones, used again
 * once answered (1 was qmp_capabilities').
 */
static void
test_caller_ids (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *log = g_build_filename (fx->dir, "log", NULL);
	const gchar *args[] = { "-l", log, fx->sock, NULL };
	g_autoptr (QmpTestRun) run = NULL;
	g_autofree gchar *text = NULL;
	g_auto (GStrv) lines = NULL;

	start_qemu (fx, FALSE);
	run = qmp_test_run_qmpsh ("{\"execute\":\"query-name\",\"id\":3}\n"
				  "{\"execute\":\"query-name\",\"id\":4}\n"
				  "query-status\nquery-status\nquery-status\n",
				  args);
	g_assert_cmpint (run->status, ==, 0);
	lines = lines_of (run->out);
	g_assert_cmpuint (g_strv_length (lines), ==, 5);
	g_assert_cmpstr (lines[0], ==, "{\"return\":{},\"id\":3}");
	g_assert_cmpstr (lines[1], ==, "{\"return\":{},\"id\":4}");
	for (guint i = 2; i < 5; i++)
		qmp_test_assert_status_reply (lines[i], "running", TRUE);
	/* the query-status are 1 (qmp_capabilities' again) and 2, then step over 3 and 4 to 5 */
	g_assert_true (g_file_get_contents (log, &text, NULL, NULL));
	assert_contains (text, " >>> {\"id\":1,\"execute\":\"query-status\"}");
	assert_contains (text, " >>> {\"id\":2,\"execute\":\"query-status\"}");
	assert_contains (text, " >>> {\"id\":5,\"execute\":\"query-status\"}");
	g_assert_null (strstr (text, "{\"id\":3,\"execute\":\"query-status\"}"));
	g_assert_null (strstr (text, "{\"id\":4,\"execute\":\"query-status\"}"));
}

/*
 * Piped, qmpsh keeps up to 8 commands in flight, numbered with the smallest
 * numbers free, so no id grows past a digit or two. A raw command's id that one of
 * them holds waits for that one's reply instead of sharing it.
 */
static void
test_small_ids (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *log = g_build_filename (fx->dir, "log", NULL);
	const gchar *args[] = { "-l", log, fx->sock, NULL };
	g_autoptr (GString) input = g_string_new (NULL);
	g_autoptr (QmpTestRun) run = NULL;
	g_autofree gchar *text = NULL;
	g_auto (GStrv) lines = NULL;
	g_auto (GStrv) logged = NULL;
	guint sent = 0, max_id = 0;

	for (guint i = 0; i < 100; i++)
		g_string_append (input, "query-status\n");
	for (guint id = 1; id <= 8; id++)
		g_string_append_printf (
			input, "{\"execute\":\"query-name\",\"id\":%u}\nquery-status\n", id);
	for (guint i = 0; i < 100; i++)
		g_string_append (input, "query-status\n");
	start_qemu (fx, FALSE);
	run = qmp_test_run_qmpsh (input->str, args);
	g_assert_cmpint (run->status, ==, 0);
	g_assert_cmpstr (run->err, ==, "");
	lines = lines_of (run->out);
	g_assert_cmpuint (g_strv_length (lines), ==, 216);
	for (guint i = 0; i < 216; i++) {
		if (i >= 100 && i < 116 && (i - 100) % 2 == 0) {
			g_autofree gchar *want =
				g_strdup_printf ("{\"return\":{},\"id\":%u}", (i - 100) / 2 + 1);
			g_assert_cmpstr (lines[i], ==, want);
		} else {
			qmp_test_assert_status_reply (lines[i], "running", TRUE);
		}
	}
	g_assert_true (g_file_get_contents (log, &text, NULL, NULL));
	logged = g_strsplit (text, "\n", -1);
	for (guint i = 0; logged[i] != NULL; i++) {
		const gchar *id = strstr (logged[i], " >>> {\"id\":");
		if (id != NULL && strstr (id, "\"query-status\"") != NULL) {
			max_id = MAX (max_id, (guint)g_ascii_strtoull (id + 12, NULL, 10));
			sent++;
		}
	}
	g_assert_cmpuint (sent, ==, 208);
	/* several in flight at once, at most 8, and 8 numbers the raw commands may hold */
	g_assert_cmpuint (max_id, >=, 2);
	g_assert_cmpuint (max_id, <=, 16);
}

/*
 * A raw command whose id is one qmpsh has in flight goes once that one is
 * answered: sent together, the server's first reply would do for both. The
 * server answers one line at a time, so the raw command must not be in the
 * first line it reads.
 */
static void
test_caller_id_taken (Fixture *fx, gconstpointer data)
{
	const gchar *script[] = { QMP_TEST_GREETING,
				  QMP_TEST_NEGOTIATE,
				  "R",
				  "A:{\"return\": {\"first\": 1}, \"id\": %ID%}\r\n",
				  "R",
				  "A:{\"return\": {\"second\": 2}, \"id\": %ID%}\r\n",
				  "E",
				  NULL };
	g_autoptr (QmpTestServer) server = qmp_test_server_new (fx->sock, script);
	const gchar *args[] = { fx->sock, NULL };
	g_autoptr (QmpTestRun) run = NULL;
	g_autofree gchar *received = NULL;
	g_auto (GStrv) lines = NULL;

	run = qmp_test_run_qmpsh ("query-status\n{\"execute\":\"query-name\",\"id\":1}\n", args);
	g_assert_cmpint (run->status, ==, 0);
	g_assert_cmpstr (run->out, ==,
			 "{\"return\":{\"first\":1}}\n{\"return\":{\"second\":2},\"id\":1}\n");
	received = qmp_test_server_finish (server);
	lines = lines_of (received);
	g_assert_cmpuint (g_strv_length (lines), ==, 3);
	g_assert_cmpstr (lines[1], ==, "{\"id\":1,\"execute\":\"query-status\"}");
	g_assert_cmpstr (lines[2], ==, "{\"execute\":\"query-name\",\"id\":1}");
}

/*
 * An out-of-band command cannot wait for an in-band reply (it may be what
 * unblocks it): one whose id a command in flight holds is refused at once.
 */
static void
test_oob_id_taken (Fixture *fx, gconstpointer data)
{
	const gchar *script[] = { "S:{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, "
				  "\"minor\": 2, \"major\": 7}, \"package\": \"\"}, "
				  "\"capabilities\": [\"oob\"]}}\r\n",
				  QMP_TEST_NEGOTIATE,
				  "R",
				  "W:300",
				  "A:{\"return\": {\"first\": 1}, \"id\": %ID%}\r\n",
				  "E",
				  NULL };
	g_autoptr (QmpTestServer) server = qmp_test_server_new (fx->sock, script);
	const gchar *args[] = { fx->sock, NULL };
	g_autoptr (QmpTestRun) run = NULL;
	g_autofree gchar *received = NULL;

	run = qmp_test_run_qmpsh ("query-status\n{\"exec-oob\":\"query-status\",\"id\":1}\n", args);
	g_assert_cmpint (run->status, ==, 1);
	g_assert_cmpstr (run->out, ==, "{\"return\":{\"first\":1}}\n");
	assert_contains (run->err, "a command with id 1 is still waiting for its reply");
	received = qmp_test_server_finish (server);
	g_assert_null (strstr (received, "exec-oob"));
}

/*
 * With -e each line waits for the one before, so the sourced file's second
 * line is held back and runs later: it still says where it came from
 */
static void
test_source_held (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *file = g_build_filename (fx->dir, "held.qmp", NULL);
	g_autofree gchar *input = g_strdup_printf (".source %s\n", file);
	g_autofree gchar *expected = NULL;
	const gchar *args[] = { "-e", fx->sock, NULL };
	g_autoptr (QmpTestRun) run = NULL;
	g_auto (GStrv) lines = NULL;

	g_assert_true (g_file_set_contents (file, "query-status\nbogus\nquery-name\n", -1, NULL));
	start_qemu (fx, FALSE);
	run = qmp_test_run_qmpsh (input, args);
	g_assert_cmpint (run->status, ==, 1);
	/* query-name, after the failure, never runs */
	lines = lines_of (run->out);
	g_assert_cmpuint (g_strv_length (lines), ==, 2);
	qmp_test_assert_status_reply (lines[0], "running", TRUE);
	assert_contains (lines[1], "\"CommandNotFound\"");
	expected = g_strdup_printf ("qmpsh: %s:2: bogus: The command bogus has not been found "
				    "(CommandNotFound)\n",
				    file);
	g_assert_true (g_str_has_prefix (run->err, expected));
	/* and the note that says it stopped there, not at the .source line */
	g_clear_pointer (&expected, g_free);
	expected = g_strdup_printf ("\nqmpsh: %s:2: stopped at the first failure", file);
	assert_contains (run->err, expected);
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
	g_autoptr (QmpTestServer) server G_GNUC_UNUSED = qmp_test_server_new (fx->sock, script);
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
	const gchar *script[] = { QMP_TEST_GREETING,
				  QMP_TEST_NEGOTIATE,
				  "R",
				  "A:{\"return\": {\"n\": 18446744073709551615}, \"id\": %ID%}\r\n",
				  "R",
				  "C",
				  NULL };
	g_autoptr (QmpTestServer) server G_GNUC_UNUSED = qmp_test_server_new (fx->sock, script);
	const gchar *args[] = { fx->sock, NULL };
	g_autoptr (QmpTestRun) run = qmp_test_run_qmpsh ("first\nsecond\n", args);

	g_assert_cmpint (run->status, ==, 3);
	/* the reply that came is printed, its uint64 exactly as sent */
	g_assert_cmpstr (run->out, ==, "{\"return\":{\"n\":18446744073709551615}}\n");
	assert_contains (run->err, "lost the connection");
	assert_contains (run->err, "left unanswered: second (line 2)");
}

/*
 * A reply waits in the output buffer while others are owed, but not for
 * long: one that never comes does not hold back the one before it.
 */
static void
test_output_not_held (Fixture *fx, gconstpointer data)
{
	const gchar *script[] = { QMP_TEST_GREETING,
				  QMP_TEST_NEGOTIATE,
				  "R",
				  "A:{\"return\": {\"n\": 1}, \"id\": %ID%}\r\n",
				  "R",
				  "N",
				  NULL };
	g_autoptr (QmpTestServer) server = qmp_test_server_new (fx->sock, script);
	g_autoptr (GSubprocess) qmpsh = NULL;
	g_autoptr (GDataInputStream) out = NULL;
	g_autoptr (GError) error = NULL;
	g_autofree gchar *line = NULL;
	gchar *received = NULL;

	qmpsh = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
				  &error, g_getenv ("QMPSH"), fx->sock, NULL);
	g_assert_no_error (error);
	g_output_stream_write_all (g_subprocess_get_stdin_pipe (qmpsh), "first\nsecond\n", 13, NULL,
				   NULL, &error);
	g_assert_no_error (error);
	/* stdin stays open and "second" unanswered: the first reply comes out all the same */
	out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (qmpsh));
	line = qmp_test_read_line (out, qmpsh, &error);
	g_assert_no_error (error);
	g_assert_cmpstr (line, ==, "{\"return\":{\"n\":1}}");
	/* and "second" was on its way, left unanswered */
	for (gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;;) {
		g_free (received);
		received = qmp_test_server_dup_received (server);
		if (strstr (received, "\"execute\":\"second\"") != NULL)
			break;
		g_assert_cmpint (g_get_monotonic_time (), <, deadline);
		g_usleep (10000);
	}
	g_free (received);
	g_subprocess_force_exit (qmpsh);
	g_subprocess_wait (qmpsh, NULL, &error);
	g_assert_no_error (error);
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

/*
 * The default QEMU is a paused PC: what people type first on a throwaway VM,
 * a NIC with its properties, goes in, and reads back
 */
static void
test_launch (Fixture *fx, gconstpointer data)
{
	const gchar *args[] = { "--launch", NULL };
	g_autoptr (QmpTestRun) run =
		qmp_test_run_qmpsh ("query-status\n"
				    "device_add driver=virtio-net-pci id=n1 mac=52:54:00:12:34:56\n"
				    "qom-get path=/machine/peripheral/n1 property=mac\n"
				    "query-pci\n",
				    args);
	g_auto (GStrv) lines = NULL;
	g_autoptr (JsonNode) ret = NULL;
	JsonArray *devices;
	gboolean found = FALSE;

	g_assert_cmpint (run->status, ==, 0);
	g_assert_cmpstr (run->err, ==, "");
	lines = lines_of (run->out);
	g_assert_cmpuint (g_strv_length (lines), ==, 4);
	qmp_test_assert_status_reply (lines[0], "prelaunch", FALSE);
	g_assert_cmpstr (lines[1], ==, "{\"return\":{}}");
	g_assert_cmpstr (lines[2], ==, "{\"return\":\"52:54:00:12:34:56\"}");
	/* on bus 0 as a virtio (vendor 0x1af4) Ethernet controller (class 0x0200) */
	ret = qmp_test_parse_reply (lines[3]);
	devices = json_object_get_array_member (
		json_array_get_object_element (json_node_get_array (ret), 0), "devices");
	for (guint i = 0; i < json_array_get_length (devices); i++) {
		JsonObject *device = json_array_get_object_element (devices, i);
		if (g_strcmp0 (json_object_get_string_member (device, "qdev_id"), "n1") != 0)
			continue;
		g_assert_cmpint (json_object_get_int_member (
					 json_object_get_object_member (device, "id"), "vendor"),
				 ==, 0x1af4);
		g_assert_cmpint (
			json_object_get_int_member (
				json_object_get_object_member (device, "class_info"), "class"),
			==, 0x0200);
		found = TRUE;
	}
	g_assert_true (found);
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

/*
 * A qemu-system-x86_64 in the fixture's directory that writes down how it
 * was run and then runs the real one, the first on PATH: @probe is the
 * shell that answers `-object help`; with @rewrite the monitor object
 * qmpsh adds becomes the -mon of a QEMU that has no such object, so that a
 * newer QEMU's answer can be played by this one.
 */
static gchar *
write_qemu (Fixture *fx, const gchar *probe, gboolean rewrite)
{
	g_autofree gchar *path = g_build_filename (fx->dir, "qemu-system-x86_64", NULL);
	g_autofree gchar *script = g_strdup_printf (
		"#!/bin/sh\n"
		"for a in \"$@\"; do prev=$last; last=$a; done\n"
		"if [ \"$prev\" = -object ] && [ \"$last\" = help ]; then\n"
		"  printf '%%s\\n' \"$@\" > '%s/probe.args'\n"
		"  %s\n"
		"fi\n"
		"printf '%%s\\n' \"$@\" > '%s/run.args'\n"
		"if [ %d = 1 ]; then\n"
		"  for a in \"$@\"; do\n"
		"    shift\n"
		"    if [ \"$a\" = -object ]; then held=1; continue; fi\n"
		"    if [ -n \"$held\" ] && [ \"$a\" = monitor-qmp,id=qmpsh,chardev=qmpsh ]; then\n"
		"      set -- \"$@\" -mon chardev=qmpsh,mode=control\n"
		"    elif [ -n \"$held\" ]; then set -- \"$@\" -object \"$a\"\n"
		"    else set -- \"$@\" \"$a\"; fi\n"
		"    held=\n"
		"  done\n"
		"fi\n"
		"exec qemu-system-x86_64 \"$@\"\n",
		fx->dir, probe, fx->dir, rewrite ? 1 : 0);
	g_autoptr (GError) error = NULL;

	g_file_set_contents (path, script, -1, &error);
	g_assert_no_error (error);
	g_assert_cmpint (g_chmod (path, 0755), ==, 0);
	return g_steal_pointer (&path);
}

/* what the QEMU of write_qemu() was run with, one word a line */
static gchar *
read_args (Fixture *fx, const gchar *name)
{
	g_autofree gchar *path = g_build_filename (fx->dir, name, NULL);
	g_autoptr (GError) error = NULL;
	gchar *text = NULL;

	g_file_get_contents (path, &text, NULL, &error);
	g_assert_no_error (error);
	return text;
}

/* whether the real QEMU the tests run lists the monitor object among those -object makes */
static gboolean
qemu_has_monitor_object (void)
{
	g_autofree gchar *out = NULL;
	g_auto (GStrv) lines = NULL;
	g_autoptr (GError) error = NULL;
	const gchar *argv[] = { "qemu-system-x86_64", "-object", "help", NULL };
	gint status = -1;

	g_spawn_sync (NULL, (gchar **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
		      NULL, NULL, &out, NULL, &status, &error);
	g_assert_no_error (error);
	g_assert_cmpint (status, ==, 0);
	lines = g_strsplit (out, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		if (g_str_equal (g_strstrip (lines[i]), "monitor-qmp"))
			return TRUE;
	}
	return FALSE;
}

/*
 * The real QEMU gets the monitor option it lists, and so warns about none:
 * -mon where it has no monitor object (7.2, 10.0), the object where it has
 */
static void
test_launch_monitor_option (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *qemu = write_qemu (fx, "exec qemu-system-x86_64 \"$@\"", FALSE);
	const gchar *args[] = { "--launch", "-c",	   "query-status", "--",   qemu, "-M",
				"none",	    "-nodefaults", "-display",	   "none", NULL };
	g_autoptr (QmpTestRun) run = qmp_test_run_qmpsh (NULL, args);
	g_autofree gchar *probe = read_args (fx, "probe.args");
	g_autofree gchar *used = read_args (fx, "run.args");
	const gchar *common = "-M\nnone\n-nodefaults\n-display\nnone\n-chardev\n"
			      "socket,id=qmpsh,fd=3\n";
	g_autofree gchar *expected = g_strconcat (
		common,
		qemu_has_monitor_object () ? "-object\nmonitor-qmp,id=qmpsh,chardev=qmpsh\n"
					   : "-mon\nchardev=qmpsh,mode=control\n",
		NULL);

	g_assert_cmpint (run->status, ==, 0);
	qmp_test_assert_status_reply (run->out, "running", TRUE);
	/* the command as given, asked first; then run with the option it listed */
	g_assert_cmpstr (probe, ==, "-M\nnone\n-nodefaults\n-display\nnone\n-object\nhelp\n");
	g_assert_cmpstr (used, ==, expected);
	/* nothing from QEMU: no deprecation warning above all */
	g_assert_null (strstr (run->err, "deprecated"));
	g_assert_cmpstr (run->err, ==, "");
}

/* a QEMU that lists monitor-qmp gets the object, and no -mon */
static void
test_launch_monitor_object (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *qemu = write_qemu (
		fx, "qemu-system-x86_64 -object help; echo '  monitor-qmp'; exit 0", TRUE);
	const gchar *args[] = { "--launch", "-c",	   "query-status", "--",   qemu, "-M",
				"none",	    "-nodefaults", "-display",	   "none", NULL };
	g_autoptr (QmpTestRun) run = qmp_test_run_qmpsh (NULL, args);
	g_autofree gchar *used = read_args (fx, "run.args");

	g_assert_cmpint (run->status, ==, 0);
	qmp_test_assert_status_reply (run->out, "running", TRUE);
	g_assert_cmpstr (run->err, ==, "");
	g_assert_cmpstr (used, ==,
			 "-M\nnone\n-nodefaults\n-display\nnone\n-chardev\nsocket,id=qmpsh,fd=3\n"
			 "-object\nmonitor-qmp,id=qmpsh,chardev=qmpsh\n");
}

/* a command that cannot answer `-object help` (a wrapper, say) gets -mon, and runs */
static void
test_launch_probe_fails (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *qemu = write_qemu (fx, "echo no such option >&2; exit 1", FALSE);
	const gchar *args[] = { "--launch", "-c",	   "query-status", "--",   qemu, "-M",
				"none",	    "-nodefaults", "-display",	   "none", NULL };
	g_autoptr (QmpTestRun) run = qmp_test_run_qmpsh (NULL, args);
	g_autofree gchar *used = read_args (fx, "run.args");

	g_assert_cmpint (run->status, ==, 0);
	qmp_test_assert_status_reply (run->out, "running", TRUE);
	/* what the question made it print is not the user's to see */
	g_assert_cmpstr (run->err, ==, "");
	g_assert_true (g_str_has_suffix (used, "-mon\nchardev=qmpsh,mode=control\n"));
}

static void
test_events_in_arrival_order (Fixture *fx, gconstpointer data)
{
	const gchar *args[] = { "--events", fx->sock, NULL };
	g_autoptr (QmpTestRun) run = NULL;
	g_auto (GStrv) lines = NULL;

	start_qemu (fx, FALSE);
	run = qmp_test_run_qmpsh ("stop\nquery-status\nbogus\n", args);
	g_assert_cmpint (run->status, ==, 1);
	lines = lines_of (run->out);
	g_assert_cmpuint (g_strv_length (lines), ==, 4);
	/* QEMU sends STOP before its reply to stop */
	assert_contains (lines[0], "\"event\":\"STOP\"");
	g_assert_cmpstr (lines[1], ==, "{\"return\":{}}");
	assert_contains (lines[2], "\"status\":\"paused\"");
	assert_contains (lines[3], "CommandNotFound");
}

static void
test_jq_reads_it (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *cmd = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *expected = NULL;
	g_autoptr (GError) error = NULL;
	gint status = 0;

	start_qemu (fx, FALSE);
	cmd = g_strdup_printf ("sh -c '\"%s\" -c query-version \"%s\" | jq .return.qemu.major'",
			       g_getenv ("QMPSH"), fx->sock);
	g_spawn_command_line_sync (cmd, &out, NULL, &status, &error);
	g_assert_no_error (error);
	g_assert_true (g_spawn_check_exit_status (status, NULL));
	expected = g_strdup_printf ("%" G_GINT64_FORMAT "\n", qmp_test_qemu_version ()->major);
	g_assert_cmpstr (out, ==, expected);
}

static void
test_wait_event (Fixture *fx, gconstpointer data)
{
	const gchar *args[] = { fx->sock, NULL };
	g_autoptr (QmpTestRun) run = NULL;
	g_auto (GStrv) lines = NULL;

	start_qemu (fx, FALSE);
	/* STOP comes before the reply to stop, so before the wait begins: it still counts */
	run = qmp_test_run_qmpsh ("stop\n.wait-event STOP timeout=10\ncont\n"
				  ".wait-event RESUME\n.wait-event RESUME timeout=0.2\n",
				  args);
	g_assert_cmpint (run->status, ==, 1);
	lines = lines_of (run->out);
	g_assert_cmpuint (g_strv_length (lines), ==, 4);
	g_assert_cmpstr (lines[0], ==, "{\"return\":{}}");
	assert_contains (lines[1], "\"event\":\"STOP\"");
	g_assert_cmpstr (lines[2], ==, "{\"return\":{}}");
	assert_contains (lines[3], "\"event\":\"RESUME\"");
	/* each event answers one wait only */
	assert_contains (run->err, "line 5: no RESUME event within 0.2 s");
}

static void
test_transaction (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *chardev =
		g_strdup_printf ("socket,id=m,path=%s,server=on,wait=off", fx->sock);
	const gchar *qemu_args[] = { "-chardev",  chardev,
				     "-mon",	  "chardev=m,mode=control",
				     "-blockdev", "null-co,node-name=n0",
				     NULL };
	const gchar *wait[] = { fx->sock, NULL };
	const gchar *args[] = { fx->sock, NULL };
	g_autoptr (QmpTestRun) run = NULL;
	g_auto (GStrv) lines = NULL;

	fx->qemu = qmp_test_qemu_start (qemu_args, wait);
	run = qmp_test_run_qmpsh ("transaction(\n"
				  "  block-dirty-bitmap-add node=n0 name=b0\n"
				  "  block-dirty-bitmap-add node=n0 name=b1 granularity=65536\n"
				  ")\n"
				  "transaction( block-dirty-bitmap-clear node=n0 name=b0 ; "
				  "block-dirty-bitmap-clear node=n0 name=b1 )\n"
				  "query-named-block-nodes flat=true\n",
				  args);
	g_assert_cmpstr (run->err, ==, "");
	g_assert_cmpint (run->status, ==, 0);
	lines = lines_of (run->out);
	g_assert_cmpuint (g_strv_length (lines), ==, 3);
	g_assert_cmpstr (lines[0], ==, "{\"return\":{}}");
	g_assert_cmpstr (lines[1], ==, "{\"return\":{}}");
	assert_contains (lines[2], "\"name\":\"b0\"");
	assert_contains (lines[2], "\"name\":\"b1\"");
	assert_contains (lines[2], "\"granularity\":65536");
}

static void
test_hmp (Fixture *fx, gconstpointer data)
{
	const gchar *args[] = { "-H", fx->sock, NULL };
	g_autoptr (QmpTestRun) run = NULL;

	start_qemu (fx, FALSE);
	run = qmp_test_run_qmpsh ("info status\nstop\ninfo status\n", args);
	g_assert_cmpint (run->status, ==, 0);
	g_assert_cmpstr (run->out, ==, "VM status: running\nVM status: paused\n");
}

/* a reply {"return":{...}} as -p --sort-keys prints it: two spaces a level, keys sorted */
static gchar *
pretty_sorted (const gchar *line)
{
	g_autoptr (JsonParser) parser = json_parser_new ();
	g_autoptr (GError) error = NULL;
	g_autoptr (GString) text = g_string_new ("{\n  \"return\": {\n");
	g_autoptr (GList) names = NULL;
	JsonObject *ret;

	json_parser_load_from_data (parser, line, -1, &error);
	g_assert_no_error (error);
	ret = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
					     "return");
	names = g_list_sort (json_object_get_members (ret), (GCompareFunc)g_strcmp0);
	for (GList *l = names; l != NULL; l = l->next) {
		g_autofree gchar *value =
			json_to_string (json_object_get_member (ret, l->data), FALSE);
		g_string_append_printf (text, "    \"%s\": %s%s\n", (const gchar *)l->data, value,
					l->next != NULL ? "," : "");
	}
	g_string_append (text, "  }\n}\n");
	return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_output_options (Fixture *fx, gconstpointer data)
{
	const gchar *compact[] = { "-c", "query-status", fx->sock, NULL };
	const gchar *pretty[] = { "-p", "--sort-keys", "-c", "query-status", fx->sock, NULL };
	const gchar *color[] = { "--color=always", "-c", "query-status", fx->sock, NULL };
	const gchar *verbose[] = { "-v", "-c", "query-name", fx->sock, NULL };
	const gchar *bad[] = { "--color=sometimes", fx->sock, NULL };
	g_autoptr (QmpTestRun) a = NULL;
	g_autoptr (QmpTestRun) b = NULL;
	g_autoptr (QmpTestRun) c = NULL;
	g_autoptr (QmpTestRun) d = NULL;
	g_autoptr (QmpTestRun) plain = NULL;
	g_autofree gchar *sorted = NULL;

	start_qemu (fx, FALSE);
	/* the members differ between QEMU versions: the same reply, pretty and sorted */
	plain = qmp_test_run_qmpsh (NULL, compact);
	qmp_test_assert_status_reply (plain->out, "running", TRUE);
	sorted = pretty_sorted (plain->out);
	a = qmp_test_run_qmpsh (NULL, pretty);
	g_assert_cmpstr (a->out, ==, sorted);
	b = qmp_test_run_qmpsh (NULL, color);
	assert_contains (b->out, "\033[1;34m\"status\"\033[0m:\033[32m\"running\"\033[0m");
	c = qmp_test_run_qmpsh (NULL, verbose);
	g_assert_cmpstr (c->out, ==, "{\"execute\":\"query-name\"}\n{\"return\":{}}\n");
	d = qmp_test_run_qmpsh (NULL, bad);
	g_assert_cmpint (d->status, ==, 2);
	assert_contains (d->err, "--color takes auto, always or never");
}

static void
test_log (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *log = g_build_filename (fx->dir, "transcript", NULL);
	const gchar *args[] = { "-l", log, "-c", "query-status", fx->sock, NULL };
	const gchar *unwritable[] = { "-l", "/nonexistent/dir/log", fx->sock, NULL };
	g_autoptr (QmpTestRun) first = NULL;
	g_autoptr (QmpTestRun) second = NULL;
	g_autoptr (QmpTestRun) bad = NULL;
	g_autofree gchar *text = NULL;
	g_auto (GStrv) lines = NULL;
	GStatBuf st;

	start_qemu (fx, FALSE);
	first = qmp_test_run_qmpsh (NULL, args);
	second = qmp_test_run_qmpsh (NULL, args);
	g_assert_cmpint (second->status, ==, 0);
	g_assert_true (g_file_get_contents (log, &text, NULL, NULL));
	g_assert_cmpint (g_stat (log, &st), ==, 0);
	g_assert_cmpint (st.st_mode & 0777, ==, 0600);
	lines = lines_of (text);
	/* two sessions appended, each: header, greeting, negotiation and its reply, command
	 * and its reply */
	g_assert_cmpuint (g_strv_length (lines), ==, 12);
	g_assert_true (g_str_has_prefix (lines[0], "# "));
	assert_contains (lines[1], " <<< {\"QMP\":");
	assert_contains (lines[2], " >>> {\"id\":1,\"execute\":\"qmp_capabilities\"");
	assert_contains (lines[3], " <<< {\"return\":{},\"id\":1}");
	/* 1 again: qmp_capabilities was answered */
	assert_contains (lines[4], " >>> {\"id\":1,\"execute\":\"query-status\"}");
	assert_contains (lines[5], " <<< {\"return\":{\"status\":\"running\"");
	g_assert_true (g_str_has_prefix (lines[6], "# "));
	bad = qmp_test_run_qmpsh (NULL, unwritable);
	g_assert_cmpint (bad->status, ==, 2);
	assert_contains (bad->err, "cannot open the log /nonexistent/dir/log");
}

static void
test_many_pipelined (Fixture *fx, gconstpointer data)
{
	const gchar *args[] = { fx->sock, NULL };
	g_autoptr (GString) input = g_string_new (NULL);
	g_autoptr (QmpTestRun) run = NULL;
	g_auto (GStrv) lines = NULL;

	start_qemu (fx, FALSE);
	/* more than the batch window and the OOB in-flight limit; every reply in order */
	for (guint i = 0; i < 500; i++)
		g_string_append_printf (input, "{\"execute\": \"query-name\", \"id\": \"n%u\"}\n",
					i);
	run = qmp_test_run_qmpsh (input->str, args);
	g_assert_cmpint (run->status, ==, 0);
	lines = lines_of (run->out);
	g_assert_cmpuint (g_strv_length (lines), ==, 500);
	for (guint i = 0; i < 500; i++) {
		g_autofree gchar *expected = g_strdup_printf ("{\"return\":{},\"id\":\"n%u\"}", i);
		g_assert_cmpstr (lines[i], ==, expected);
	}
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
	ADD ("/cli/caller-ids", test_caller_ids);
	ADD ("/cli/small-ids", test_small_ids);
	ADD ("/cli/caller-id-taken", test_caller_id_taken);
	ADD ("/cli/oob-id-taken", test_oob_id_taken);
	ADD ("/cli/source-held", test_source_held);
	ADD ("/cli/dash-c", test_dash_c);
	ADD ("/cli/never-greets", test_never_greets);
	ADD ("/cli/connection-lost", test_connection_lost);
	ADD ("/cli/output-not-held", test_output_not_held);
	ADD ("/cli/no-server", test_no_server);
	ADD ("/cli/usage", test_usage);
	ADD ("/cli/launch", test_launch);
	ADD ("/cli/launch-missing-binary", test_launch_missing_binary);
	ADD ("/cli/launch-qemu-dies", test_launch_qemu_dies);
	ADD ("/cli/launch-monitor-option", test_launch_monitor_option);
	ADD ("/cli/launch-monitor-object", test_launch_monitor_object);
	ADD ("/cli/launch-probe-fails", test_launch_probe_fails);
	ADD ("/cli/events-in-arrival-order", test_events_in_arrival_order);
	ADD ("/cli/jq-reads-it", test_jq_reads_it);
	ADD ("/cli/wait-event", test_wait_event);
	ADD ("/cli/transaction", test_transaction);
	ADD ("/cli/hmp", test_hmp);
	ADD ("/cli/output-options", test_output_options);
	ADD ("/cli/log", test_log);
	ADD ("/cli/many-pipelined", test_many_pipelined);
#undef ADD
	return g_test_run ();
}
