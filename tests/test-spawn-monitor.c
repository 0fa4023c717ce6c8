/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * `.spawn-monitor PATH`: against the real QEMU, whichever it is (a QEMU
 * that can add a monitor at run time gets one, and another qmpsh attaches
 * to it; one that cannot says so, with status 1); and against the scripted
 * server playing such a QEMU, for exactly what crosses the wire, the undo
 * when object-add fails included.
 */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#include "qmp-test-util.h"

typedef struct {
	gchar *dir;
	gchar *sock;
	gchar *path; /* where the new monitor is to listen */
	QmpTestQemu *qemu;
} Fixture;

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
	fx->dir = qmp_test_make_dir ();
	fx->sock = g_build_filename (fx->dir, "qmp.sock", NULL);
	fx->path = g_build_filename (fx->dir, "second.sock", NULL);
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
	g_clear_pointer (&fx->qemu, qmp_test_qemu_free);
	qmp_test_remove_dir (fx->dir);
	g_free (fx->dir);
	g_free (fx->sock);
	g_free (fx->path);
}

/* whether the server has the monitor-qmp QOM type at all: asked of QOM, not of the schema */
static gboolean
server_has_monitor_type (Fixture *fx)
{
	const gchar *args[] = { "-c", "qom-list-types abstract=true", fx->sock, NULL };
	g_autoptr (QmpTestRun) run = qmp_test_run_qmpsh (NULL, args);

	g_assert_cmpint (run->status, ==, 0);
	g_assert_nonnull (strstr (run->out, "\"name\":\"object\""));
	return strstr (run->out, "\"name\":\"monitor-qmp\"") != NULL;
}

static void
test_real_qemu (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *qmp = g_strdup_printf ("unix:%s,server=on,wait=off", fx->sock);
	const gchar *qemu_args[] = { "-qmp", qmp, NULL };
	const gchar *wait[] = { fx->sock, NULL };
	g_autofree gchar *line = g_strdup_printf (".spawn-monitor %s", fx->path);
	const gchar *args[] = { "-c", line, "-c", "query-name", fx->sock, NULL };
	g_autoptr (QmpTestRun) run = NULL;
	g_autofree gchar *said = NULL;

	fx->qemu = qmp_test_qemu_start (qemu_args, wait);
	if (server_has_monitor_type (fx)) {
		const gchar *second[] = { "-c", "query-status", fx->path, NULL };
		g_autoptr (QmpTestRun) other = NULL;
		g_autofree gchar *expected = g_strdup_printf ("%s\n{\"return\":{}}\n", fx->path);

		run = qmp_test_run_qmpsh (NULL, args);
		g_assert_cmpstr (run->err, ==, "");
		g_assert_cmpint (run->status, ==, 0);
		g_assert_cmpstr (run->out, ==, expected);
		/* the monitor outlives the qmpsh that made it, and another client has it */
		other = qmp_test_run_qmpsh (NULL, second);
		g_assert_cmpint (other->status, ==, 0);
		qmp_test_assert_status_reply (other->out, "running", TRUE);
		return;
	}
	run = qmp_test_run_qmpsh (NULL, args);
	said = g_strdup_printf (
		"qmpsh: line 1: .spawn-monitor %s: this QEMU cannot add a QMP "
		"monitor while it runs (its object-add has no monitor-qmp); start it "
		"with a second -qmp unix:PATH,server=on,wait=off instead (nothing "
		"sent)\n",
		fx->path);
	g_assert_cmpstr (run->err, ==, said);
	g_assert_cmpint (run->status, ==, 1);
	/* the lines after it still run, and nothing was made */
	g_assert_cmpstr (run->out, ==, "{\"return\":{}}\n");
	g_assert_false (g_file_test (fx->path, G_FILE_TEST_EXISTS));
}

/* --read-only: the new monitor would take any command, so it is not made */
static void
test_read_only (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *qmp = g_strdup_printf ("unix:%s,server=on,wait=off", fx->sock);
	const gchar *qemu_args[] = { "-qmp", qmp, NULL };
	const gchar *wait[] = { fx->sock, NULL };
	g_autofree gchar *line = g_strdup_printf (".spawn-monitor %s", fx->path);
	const gchar *args[] = { "--read-only", "-c", line, "-c", "query-name", fx->sock, NULL };
	g_autoptr (QmpTestRun) run = NULL;

	fx->qemu = qmp_test_qemu_start (qemu_args, wait);
	run = qmp_test_run_qmpsh (NULL, args);
	g_assert_cmpstr (run->err, ==,
			 "qmpsh: line 1: .spawn-monitor adds a monitor that may change the VM: "
			 "--read-only lets only queries through (nothing sent)\n");
	g_assert_cmpint (run->status, ==, 1);
	g_assert_cmpstr (run->out, ==, "{\"return\":{}}\n");
	g_assert_false (g_file_test (fx->path, G_FILE_TEST_EXISTS));
}

/* a recorded schema, as the scripted server's reply; with @monitor, object-add takes monitor-qmp */
static gchar *
schema_reply (const gchar *version, gboolean monitor)
{
	g_autofree gchar *file = g_strdup_printf ("schema-%s.json", version);
	g_autofree gchar *path =
		g_build_filename (g_getenv ("QMPSH_TESTS_DIR"), "data", file, NULL);
	g_autoptr (JsonParser) parser = json_parser_new ();
	g_autoptr (GError) error = NULL;
	g_autofree gchar *text = NULL;
	JsonArray *entries;
	const gchar *arg_type = NULL;
	const gchar *qom_type = NULL;

	json_parser_load_from_file (parser, path, &error);
	g_assert_no_error (error);
	entries = json_node_get_array (json_parser_get_root (parser));
	for (guint pass = 0; monitor && pass < 3; pass++) {
		for (guint i = 0; i < json_array_get_length (entries); i++) {
			JsonObject *e = json_array_get_object_element (entries, i);
			const gchar *name = json_object_get_string_member (e, "name");
			if (pass == 0 && g_str_equal (name, "object-add"))
				arg_type = json_object_get_string_member (e, "arg-type");
			if (pass == 1 && g_strcmp0 (name, arg_type) == 0) {
				JsonArray *members = json_object_get_array_member (e, "members");
				qom_type = json_object_get_string_member (
					json_array_get_object_element (members, 0), "type");
			}
			if (pass == 2 && g_strcmp0 (name, qom_type) == 0) {
				JsonObject *member = json_object_new ();
				json_object_set_string_member (member, "name", "monitor-qmp");
				json_array_add_object_element (
					json_object_get_array_member (e, "members"), member);
				json_array_add_string_element (
					json_object_get_array_member (e, "values"), "monitor-qmp");
			}
		}
	}
	g_assert_true (!monitor || qom_type != NULL);
	text = json_to_string (json_parser_get_root (parser), FALSE);
	return g_strdup_printf ("A:{\"return\": %s, \"id\": %%ID%%}\r\n", text);
}

/* what the server read, one line each, qmpsh's ids (its own and the monitor's) made fixed */
static gchar *
received_fixed (QmpTestServer *server)
{
	g_autofree gchar *received = qmp_test_server_finish (server);
	g_autoptr (GRegex) own = g_regex_new ("^\\{\"id\":[0-9]+,", G_REGEX_MULTILINE, 0, NULL);
	g_autoptr (GRegex) monitor = g_regex_new ("qmpsh-monitor-[0-9]+-1", 0, 0, NULL);
	g_autofree gchar *step = g_regex_replace_literal (own, received, -1, 0, "{", 0, NULL);

	return g_regex_replace_literal (monitor, step, -1, 0, "ID", 0, NULL);
}

#define WIRE_NEGOTIATE "{\"execute\":\"qmp_capabilities\"}\n"
#define WIRE_SCHEMA    "{\"execute\":\"query-qmp-schema\"}\n"
#define WIRE_CHARDEV_ADD                                                                           \
	"{\"execute\":\"chardev-add\",\"arguments\":{\"id\":\"ID\",\"backend\":{\"type\":"         \
	"\"socket\",\"data\":{\"addr\":{\"type\":\"unix\",\"data\":{\"path\":\"%s\"}},"            \
	"\"server\":true,\"wait\":false}}}}\n"
#define WIRE_OBJECT_ADD                                                                            \
	"{\"execute\":\"object-add\",\"arguments\":{\"qom-type\":\"monitor-qmp\",\"id\":"          \
	"\"ID\",\"chardev\":\"ID\"}}\n"
#define WIRE_CHARDEV_REMOVE "{\"execute\":\"chardev-remove\",\"arguments\":{\"id\":\"ID\"}}\n"

static void
test_added (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *schema = schema_reply ("10.0", TRUE);
	const gchar *script[] = { QMP_TEST_GREETING,
				  QMP_TEST_NEGOTIATE,
				  "R",
				  schema,
				  "R",
				  "A:{\"return\": {}, \"id\": %ID%}\r\n",
				  "R",
				  "A:{\"return\": {}, \"id\": %ID%}\r\n",
				  "E",
				  NULL };
	g_autoptr (QmpTestServer) server = qmp_test_server_new (fx->sock, script);
	g_autofree gchar *line = g_strdup_printf (".spawn-monitor %s", fx->path);
	const gchar *args[] = { "-c", line, fx->sock, NULL };
	g_autoptr (QmpTestRun) run = qmp_test_run_qmpsh (NULL, args);
	g_autofree gchar *received = received_fixed (server);
	g_autofree gchar *expected = g_strdup_printf (
		WIRE_NEGOTIATE WIRE_SCHEMA WIRE_CHARDEV_ADD WIRE_OBJECT_ADD, fx->path);
	g_autofree gchar *out = g_strdup_printf ("%s\n", fx->path);

	g_assert_cmpstr (run->err, ==, "");
	g_assert_cmpint (run->status, ==, 0);
	/* the address alone, for a script to take */
	g_assert_cmpstr (run->out, ==, out);
	g_assert_cmpstr (received, ==, expected);
}

/* a relative path is qmpsh's directory's: QEMU gets it whole */
static void
test_relative_path (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *schema = schema_reply ("10.0", TRUE);
	const gchar *script[] = { QMP_TEST_GREETING,
				  QMP_TEST_NEGOTIATE,
				  "R",
				  schema,
				  "R",
				  "A:{\"return\": {}, \"id\": %ID%}\r\n",
				  "R",
				  "A:{\"return\": {}, \"id\": %ID%}\r\n",
				  "E",
				  NULL };
	g_autoptr (QmpTestServer) server = qmp_test_server_new (fx->sock, script);
	g_autofree gchar *cwd = g_get_current_dir ();
	const gchar *args[] = { "-c", ".spawn-monitor second.sock", fx->sock, NULL };
	g_autoptr (QmpTestRun) run = NULL;
	g_autofree gchar *received = NULL;
	g_autofree gchar *expected = NULL;
	g_autofree gchar *out = g_strdup_printf ("%s\n", fx->path);

	g_assert_cmpint (g_chdir (fx->dir), ==, 0);
	run = qmp_test_run_qmpsh (NULL, args);
	g_assert_cmpint (g_chdir (cwd), ==, 0);
	received = received_fixed (server);
	expected = g_strdup_printf (WIRE_NEGOTIATE WIRE_SCHEMA WIRE_CHARDEV_ADD WIRE_OBJECT_ADD,
				    fx->path);
	g_assert_cmpint (run->status, ==, 0);
	g_assert_cmpstr (run->out, ==, out);
	g_assert_cmpstr (received, ==, expected);
}

/* object-add refused: the chardev made for it goes again, and the line fails */
static void
test_object_add_fails (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *schema = schema_reply ("10.0", TRUE);
	const gchar *script[] = {
		QMP_TEST_GREETING,
		QMP_TEST_NEGOTIATE,
		"R",
		schema,
		"R",
		"A:{\"return\": {}, \"id\": %ID%}\r\n",
		"R",
		"A:{\"error\": {\"class\": \"GenericError\", \"desc\": \"no monitor today\"}, "
		"\"id\": %ID%}\r\n",
		"R",
		"A:{\"return\": {}, \"id\": %ID%}\r\n",
		"E",
		NULL,
	};
	g_autoptr (QmpTestServer) server = qmp_test_server_new (fx->sock, script);
	g_autofree gchar *line = g_strdup_printf (".spawn-monitor %s", fx->path);
	const gchar *args[] = { "-c", line, fx->sock, NULL };
	g_autoptr (QmpTestRun) run = qmp_test_run_qmpsh (NULL, args);
	g_autofree gchar *received = received_fixed (server);
	g_autofree gchar *expected = g_strdup_printf (
		WIRE_NEGOTIATE WIRE_SCHEMA WIRE_CHARDEV_ADD WIRE_OBJECT_ADD WIRE_CHARDEV_REMOVE,
		fx->path);
	g_autofree gchar *said = g_strdup_printf (
		"qmpsh: line 1: .spawn-monitor %s: object-add: no monitor today (its chardev is "
		"removed again)\n",
		fx->path);

	g_assert_cmpstr (received, ==, expected);
	g_assert_cmpstr (run->err, ==, said);
	g_assert_cmpint (run->status, ==, 1);
	g_assert_cmpstr (run->out, ==, "");
}

/* chardev-add refused (a path QEMU cannot bind): nothing more is sent */
static void
test_chardev_add_fails (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *schema = schema_reply ("10.0", TRUE);
	const gchar *script[] = {
		QMP_TEST_GREETING,
		QMP_TEST_NEGOTIATE,
		"R",
		schema,
		"R",
		"A:{\"error\": {\"class\": \"GenericError\", \"desc\": \"Failed to bind socket\"}, "
		"\"id\": %ID%}\r\n",
		"R",
		"A:{\"return\": {}, \"id\": %ID%}\r\n",
		"E",
		NULL,
	};
	g_autoptr (QmpTestServer) server = qmp_test_server_new (fx->sock, script);
	g_autofree gchar *line = g_strdup_printf (".spawn-monitor %s", fx->path);
	const gchar *args[] = { "-c", line, "-c", "query-name", fx->sock, NULL };
	g_autoptr (QmpTestRun) run = qmp_test_run_qmpsh (NULL, args);
	g_autofree gchar *received = received_fixed (server);
	g_autofree gchar *said = g_strdup_printf (
		"qmpsh: line 1: .spawn-monitor %s: chardev-add: Failed to bind socket\n", fx->path);

	g_autofree gchar *expected = g_strdup_printf (WIRE_NEGOTIATE WIRE_SCHEMA WIRE_CHARDEV_ADD
						      "{\"execute\":\"query-name\"}\n",
						      fx->path);

	/* the next line's command, once the built-in was done, and nothing in between */
	g_assert_cmpstr (received, ==, expected);
	g_assert_cmpstr (run->out, ==, "{\"return\":{}}\n");
	g_assert_cmpstr (run->err, ==, said);
	g_assert_cmpint (run->status, ==, 1);
}

/* a server whose object-add knows no monitor-qmp (7.2's schema): only the schema is asked */
static void
test_cannot (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *schema = schema_reply ("7.2", FALSE);
	const gchar *script[] = { QMP_TEST_GREETING, QMP_TEST_NEGOTIATE, "R", schema, "E", NULL };
	g_autoptr (QmpTestServer) server = qmp_test_server_new (fx->sock, script);
	g_autofree gchar *line = g_strdup_printf (".spawn-monitor %s", fx->path);
	const gchar *args[] = { "-c", line, fx->sock, NULL };
	g_autoptr (QmpTestRun) run = qmp_test_run_qmpsh (NULL, args);
	g_autofree gchar *received = received_fixed (server);

	g_assert_cmpstr (received, ==, WIRE_NEGOTIATE WIRE_SCHEMA);
	g_assert_nonnull (strstr (run->err, "this QEMU cannot add a QMP monitor while it runs"));
	g_assert_cmpint (run->status, ==, 1);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	/* qmpsh may exit before reading the input we give it */
	signal (SIGPIPE, SIG_IGN);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD ("/spawn-monitor/real-qemu", test_real_qemu);
	ADD ("/spawn-monitor/read-only", test_read_only);
	ADD ("/spawn-monitor/added", test_added);
	ADD ("/spawn-monitor/relative-path", test_relative_path);
	ADD ("/spawn-monitor/object-add-fails", test_object_add_fails);
	ADD ("/spawn-monitor/chardev-add-fails", test_chardev_add_fails);
	ADD ("/spawn-monitor/cannot", test_cannot);
#undef ADD
	return g_test_run ();
}
