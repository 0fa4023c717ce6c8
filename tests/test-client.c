/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/* QmpClient against a real QEMU: UNIX, TCP, pretty monitor, QEMU dialing in */

#include <signal.h>
#include <string.h>

#include "qmp-client.h"
#include "qmp-command-error.h"
#include "qmp-error.h"
#include "qmp-test-util.h"

typedef struct {
	gchar *dir;
	QmpClient *client;
	GArray *runstates;
	GPtrArray *log; /* "event NAME" and "reply NAME" in the order they happened */
	QmpTestCall call;
} Fixture;

static void
runstate_cb (QmpProtocol *protocol, QmpRunstate runstate, Fixture *fx)
{
	g_array_append_val (fx->runstates, runstate);
}

static void
event_cb (QmpClient *client, const gchar *name, QmpMessage *msg, Fixture *fx)
{
	g_ptr_array_add (fx->log, g_strdup_printf ("event %s", name));
}

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
	fx->dir = qmp_test_make_dir ();
	fx->client = qmp_client_new ();
	fx->runstates = g_array_new (FALSE, FALSE, sizeof (QmpRunstate));
	fx->log = g_ptr_array_new_with_free_func (g_free);
	g_signal_connect (fx->client, "runstate-changed", G_CALLBACK (runstate_cb), fx);
	g_signal_connect (fx->client, "event", G_CALLBACK (event_cb), fx);
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
	g_clear_object (&fx->client);
	qmp_test_remove_dir (fx->dir);
	g_free (fx->dir);
	g_array_unref (fx->runstates);
	g_ptr_array_unref (fx->log);
	qmp_test_call_clear (&fx->call);
}

static void
execute_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	Fixture *fx = user_data;
	qmp_test_call_clear (&fx->call);
	fx->call.ret = qmp_client_execute_finish (QMP_CLIENT (source), res, &fx->call.error);
	g_ptr_array_add (fx->log, g_strdup ("reply"));
	fx->call.done = TRUE;
}

static void
do_connect (Fixture *fx, const gchar *address)
{
	qmp_test_call_connect (QMP_PROTOCOL (fx->client), address, &fx->call);
}

static void
do_disconnect (Fixture *fx)
{
	qmp_test_call_disconnect (QMP_PROTOCOL (fx->client), &fx->call);
}

static void
do_execute (Fixture *fx, const gchar *name)
{
	fx->call.done = FALSE;
	qmp_client_execute_async (fx->client, name, NULL, QMP_EXECUTE_FLAG_NONE, NULL, execute_cb,
				  fx);
	qmp_test_run_until (&fx->call.done, 15);
}

static void
assert_runstates (Fixture *fx, const QmpRunstate *expected, guint n)
{
	g_assert_cmpuint (fx->runstates->len, ==, n);
	for (guint i = 0; i < n; i++)
		g_assert_cmpstr (
			qmp_runstate_to_string (g_array_index (fx->runstates, QmpRunstate, i)), ==,
			qmp_runstate_to_string (expected[i]));
}

static const QmpRunstate full_cycle[] = { QMP_RUNSTATE_CONNECTING, QMP_RUNSTATE_RUNNING,
					  QMP_RUNSTATE_DISCONNECTING, QMP_RUNSTATE_IDLE };

/* connect, check the greeting, run query-version, disconnect cleanly */
static void
exercise_session (Fixture *fx, const gchar *address)
{
	const QmpTestVersion *version = qmp_test_qemu_version ();
	JsonObject *greeting;
	JsonObject *qemu;

	do_connect (fx, address);
	g_assert_no_error (fx->call.error);
	g_assert_true (fx->call.ok);
	g_assert_cmpint (qmp_protocol_get_runstate (QMP_PROTOCOL (fx->client)), ==,
			 QMP_RUNSTATE_RUNNING);
	g_assert_nonnull (qmp_client_get_greeting (fx->client));
	g_assert_true (qmp_client_has_capability (fx->client, "oob"));
	g_assert_true (qmp_client_get_oob_enabled (fx->client));

	do_execute (fx, "query-version");
	g_assert_no_error (fx->call.error);
	/* the version the greeting announced, and the one the binary says it is */
	greeting = json_object_get_object_member (
		qmp_message_get_object (qmp_client_get_greeting (fx->client)), "QMP");
	g_assert_true (
		json_node_equal (json_object_get_member (greeting, "version"), fx->call.ret));
	qemu = json_object_get_object_member (json_node_get_object (fx->call.ret), "qemu");
	g_assert_cmpint (json_object_get_int_member (qemu, "major"), ==, version->major);
	g_assert_cmpint (json_object_get_int_member (qemu, "minor"), ==, version->minor);
	g_assert_cmpint (json_object_get_int_member (qemu, "micro"), ==, version->micro);
	g_assert_cmpstr (
		json_object_get_string_member (json_node_get_object (fx->call.ret), "package"), ==,
		version->package);

	do_disconnect (fx);
	g_assert_no_error (fx->call.error);
	g_assert_true (fx->call.ok);
	assert_runstates (fx, full_cycle, G_N_ELEMENTS (full_cycle));
}

static void
test_unix (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *sock = g_build_filename (fx->dir, "qmp.sock", NULL);
	g_autoptr (QmpTestQemu) qemu G_GNUC_UNUSED = qmp_test_qemu_start_unix (sock);

	exercise_session (fx, sock);
	/* and again on the same object: a disconnect leaves it reusable */
	g_array_set_size (fx->runstates, 0);
	exercise_session (fx, sock);
}

static void
test_tcp (Fixture *fx, gconstpointer data)
{
	guint port = qmp_test_free_port ();
	g_autofree gchar *addr = g_strdup_printf ("127.0.0.1:%u", port);
	g_autofree gchar *arg = g_strdup_printf ("tcp:%s,server=on,wait=off", addr);
	const gchar *args[] = { "-qmp", arg, NULL };
	const gchar *wait[] = { addr, NULL };
	g_autoptr (QmpTestQemu) qemu G_GNUC_UNUSED = qmp_test_qemu_start (args, wait);

	exercise_session (fx, addr);
}

static void
test_tcp_ipv6 (Fixture *fx, gconstpointer data)
{
	guint port = qmp_test_free_port ();
	g_autofree gchar *addr = g_strdup_printf ("[::1]:%u", port);
	g_autofree gchar *arg =
		g_strdup_printf ("socket,id=m,host=::1,port=%u,server=on,wait=off,ipv6=on", port);
	const gchar *args[] = { "-chardev", arg, "-mon", "chardev=m,mode=control", NULL };
	const gchar *wait[] = { addr, NULL };
	g_autoptr (QmpTestQemu) qemu G_GNUC_UNUSED = qmp_test_qemu_start (args, wait);

	exercise_session (fx, addr);
}

static void
test_qemu_dials_in_tcp (Fixture *fx, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autofree gchar *bound = NULL;
	g_autofree gchar *arg = NULL;
	g_autoptr (QmpTestQemu) qemu = NULL;
	const gchar *args[] = { "-chardev", NULL, "-mon", "chardev=m,mode=control", NULL };

	/* port 0: the system picks one, and the protocol says which */
	g_assert_true (qmp_protocol_listen (QMP_PROTOCOL (fx->client), "127.0.0.1:0", &error));
	g_assert_no_error (error);
	bound = qmp_protocol_dup_listen_address (QMP_PROTOCOL (fx->client));
	g_assert_true (g_str_has_prefix (bound, "127.0.0.1:"));
	g_assert_cmpstr (bound, !=, "127.0.0.1:0");
	arg = g_strdup_printf ("socket,id=m,host=127.0.0.1,port=%s,server=off,reconnect=1",
			       strchr (bound, ':') + 1);
	args[1] = arg;
	qemu = qmp_test_qemu_start (args, NULL);

	fx->call.done = FALSE;
	qmp_protocol_accept_async (QMP_PROTOCOL (fx->client), NULL, qmp_test_call_done_cb,
				   &fx->call);
	qmp_test_run_until (&fx->call.done, 15);
	g_assert_no_error (fx->call.error);
	do_execute (fx, "query-status");
	g_assert_no_error (fx->call.error);
	do_disconnect (fx);
	g_assert_no_error (fx->call.error);
	assert_runstates (fx, full_cycle, G_N_ELEMENTS (full_cycle));
}

static void
test_pretty (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *sock = g_build_filename (fx->dir, "p.sock", NULL);
	g_autofree gchar *arg = g_strdup_printf ("socket,id=m,path=%s,server=on,wait=off", sock);
	const gchar *args[] = { "-chardev", arg, "-mon", "chardev=m,mode=control,pretty=on", NULL };
	const gchar *wait[] = { sock, NULL };
	g_autoptr (QmpTestQemu) qemu G_GNUC_UNUSED = qmp_test_qemu_start (args, wait);

	exercise_session (fx, sock);
}

static void
test_qemu_dials_in (Fixture *fx, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autofree gchar *sock = g_build_filename (fx->dir, "listen.sock", NULL);
	g_autofree gchar *arg = NULL;
	g_autoptr (QmpTestQemu) qemu = NULL;
	const gchar *args[] = { "-chardev", NULL, "-mon", "chardev=m,mode=control", NULL };

	g_assert_true (qmp_protocol_listen (QMP_PROTOCOL (fx->client), sock, &error));
	g_assert_no_error (error);
	arg = g_strdup_printf ("socket,id=m,path=%s,server=off,reconnect=1", sock);
	args[1] = arg;
	qemu = qmp_test_qemu_start (args, NULL);

	fx->call.done = FALSE;
	qmp_protocol_accept_async (QMP_PROTOCOL (fx->client), NULL, qmp_test_call_done_cb,
				   &fx->call);
	qmp_test_run_until (&fx->call.done, 15);
	g_assert_no_error (fx->call.error);
	/* exactly one peer: the listening socket is gone */
	g_assert_false (g_file_test (sock, G_FILE_TEST_EXISTS));

	do_execute (fx, "query-status");
	g_assert_no_error (fx->call.error);
	g_assert_cmpstr (
		json_object_get_string_member (json_node_get_object (fx->call.ret), "status"), ==,
		"running");
	do_disconnect (fx);
	g_assert_no_error (fx->call.error);
	assert_runstates (fx, full_cycle, G_N_ELEMENTS (full_cycle));
}

static void
stop_detail_cb (QmpClient *client, const gchar *name, QmpMessage *msg, guint *count)
{
	g_assert_cmpstr (name, ==, "STOP");
	g_assert_nonnull (json_object_get_member (qmp_message_get_object (msg), "timestamp"));
	(*count)++;
}

static void
test_events (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *sock = g_build_filename (fx->dir, "qmp.sock", NULL);
	g_autoptr (QmpTestQemu) qemu G_GNUC_UNUSED = qmp_test_qemu_start_unix (sock);
	guint stops = 0;

	g_signal_connect (fx->client, "event::STOP", G_CALLBACK (stop_detail_cb), &stops);
	do_connect (fx, sock);
	g_assert_no_error (fx->call.error);

	do_execute (fx, "stop");
	g_assert_no_error (fx->call.error);
	do_execute (fx, "cont");
	g_assert_no_error (fx->call.error);
	g_assert_cmpuint (stops, ==, 1);

	/* QEMU sends STOP before the reply to stop, and RESUME before the reply to cont */
	g_assert_cmpuint (fx->log->len, ==, 4);
	g_assert_cmpstr (g_ptr_array_index (fx->log, 0), ==, "event STOP");
	g_assert_cmpstr (g_ptr_array_index (fx->log, 1), ==, "reply");
	g_assert_cmpstr (g_ptr_array_index (fx->log, 2), ==, "event RESUME");
	g_assert_cmpstr (g_ptr_array_index (fx->log, 3), ==, "reply");
	do_disconnect (fx);
}

static void
test_state_errors (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *sock = g_build_filename (fx->dir, "qmp.sock", NULL);
	g_autoptr (QmpTestQemu) qemu G_GNUC_UNUSED = qmp_test_qemu_start_unix (sock);

	do_execute (fx, "query-status");
	g_assert_error (fx->call.error, QMP_ERROR, QMP_ERROR_STATE);
	g_assert_nonnull (strstr (fx->call.error->message, "IDLE"));

	do_connect (fx, sock);
	g_assert_no_error (fx->call.error);
	do_connect (fx, sock);
	g_assert_error (fx->call.error, QMP_ERROR, QMP_ERROR_STATE);
	g_assert_nonnull (strstr (fx->call.error->message, "RUNNING"));
	/* the refused call changed nothing */
	g_assert_cmpint (qmp_protocol_get_runstate (QMP_PROTOCOL (fx->client)), ==,
			 QMP_RUNSTATE_RUNNING);
	do_execute (fx, "query-status");
	g_assert_no_error (fx->call.error);
	do_disconnect (fx);
}

static void
test_connect_failures (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *missing = g_build_filename (fx->dir, "none.sock", NULL);
	g_autofree gchar *tcp = g_strdup_printf ("127.0.0.1:%u", qmp_test_free_port ());
	const QmpRunstate failed[] = { QMP_RUNSTATE_CONNECTING, QMP_RUNSTATE_IDLE };

	do_connect (fx, missing);
	g_assert_error (fx->call.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
	g_assert_true (g_str_has_prefix (fx->call.error->message, "connecting to "));
	assert_runstates (fx, failed, G_N_ELEMENTS (failed));

	do_connect (fx, tcp);
	g_assert_error (fx->call.error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
	g_assert_cmpint (qmp_protocol_get_runstate (QMP_PROTOCOL (fx->client)), ==,
			 QMP_RUNSTATE_IDLE);

	do_connect (fx, "localhost:notaport");
	g_assert_error (fx->call.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
	g_assert_cmpint (qmp_protocol_get_runstate (QMP_PROTOCOL (fx->client)), ==,
			 QMP_RUNSTATE_IDLE);
}

static void
test_pending_fail_on_kill (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *sock = g_build_filename (fx->dir, "qmp.sock", NULL);
	g_autoptr (QmpTestQemu) qemu = qmp_test_qemu_start_unix (sock);
	const QmpRunstate lost[] = { QMP_RUNSTATE_CONNECTING, QMP_RUNSTATE_RUNNING,
				     QMP_RUNSTATE_DISCONNECTING };

	do_connect (fx, sock);
	g_assert_no_error (fx->call.error);

	/* a stopped QEMU answers nothing; then it dies with the command pending */
	qmp_test_qemu_stop (qemu);
	fx->call.done = FALSE;
	qmp_client_execute_async (fx->client, "query-status", NULL, QMP_EXECUTE_FLAG_NONE, NULL,
				  execute_cb, fx);
	qmp_test_run_for (200);
	g_assert_false (fx->call.done);
	g_assert_cmpuint (qmp_client_get_pending_count (fx->client), ==, 1);
	qmp_test_qemu_kill (qemu);
	qmp_test_run_until (&fx->call.done, 15);
	g_assert_error (fx->call.error, QMP_ERROR, QMP_ERROR_DISCONNECTED);
	g_assert_nonnull (strstr (fx->call.error->message, "query-status"));
	g_assert_cmpuint (qmp_client_get_pending_count (fx->client), ==, 0);
	assert_runstates (fx, lost, G_N_ELEMENTS (lost));

	/* disconnect reports the first error: the peer closed */
	do_disconnect (fx);
	g_assert_false (fx->call.ok);
	g_assert_error (fx->call.error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
	g_assert_cmpint (qmp_protocol_get_runstate (QMP_PROTOCOL (fx->client)), ==,
			 QMP_RUNSTATE_IDLE);
}

static void
test_command_error (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *sock = g_build_filename (fx->dir, "qmp.sock", NULL);
	g_autoptr (QmpTestQemu) qemu G_GNUC_UNUSED = qmp_test_qemu_start_unix (sock);

	do_connect (fx, sock);
	do_execute (fx, "no-such-command");
	g_assert_error (fx->call.error, QMP_COMMAND_ERROR, QMP_COMMAND_ERROR_COMMAND_NOT_FOUND);
	g_assert_cmpstr (fx->call.error->message, ==,
			 "The command no-such-command has not been found");
	do_disconnect (fx);
	g_assert_no_error (fx->call.error);
}

/*
 * Every integration test starts its servers through qmp_test_process_start():
 * a server that exits before it listens fails the test at once, with its exit
 * status and stderr, rather than after the 10 s a slow start may take.
 */
static void
test_helper_server_exits (void)
{
	if (g_test_subprocess ()) {
		/* QEMU refuses the option before it would make the socket */
		const gchar *args[] = { "-qmp", "unix:/nonexistent/qmp.sock,server=on,wait=off",
					"-no-such-option", NULL };
		const gchar *wait[] = { "/nonexistent/qmp.sock", NULL };
		qmp_test_qemu_start (args, wait);
		return;
	}
	g_test_trap_subprocess (NULL, 5 * G_USEC_PER_SEC, 0);
	g_assert_false (g_test_trap_reached_timeout ());
	g_test_trap_assert_failed ();
	g_test_trap_assert_stderr ("*qemu-system-x86_64 exited with status 1 before "
				   "/nonexistent/qmp.sock accepted connections; its stderr:\n"
				   "*-no-such-option: invalid option*");
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD ("/client/unix", test_unix);
	ADD ("/client/tcp", test_tcp);
	ADD ("/client/tcp-ipv6", test_tcp_ipv6);
	ADD ("/client/qemu-dials-in-tcp", test_qemu_dials_in_tcp);
	ADD ("/client/pretty", test_pretty);
	ADD ("/client/qemu-dials-in", test_qemu_dials_in);
	ADD ("/client/events", test_events);
	ADD ("/client/state-errors", test_state_errors);
	ADD ("/client/connect-failures", test_connect_failures);
	ADD ("/client/pending-fail-on-kill", test_pending_fail_on_kill);
	ADD ("/client/command-error", test_command_error);
#undef ADD
	g_test_add_func ("/client/helper-server-exits", test_helper_server_exits);
	return g_test_run ();
}
