/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/* QmpClient against a scripted server: what a real QEMU will not do on demand */

#include <string.h>

#include "qmp-client.h"
#include "qmp-command-error.h"
#include "qmp-error.h"
#include "qmp-test-util.h"
#include "qmpsh-hints.h"

typedef struct {
	gchar *dir;
	gchar *sock;
	QmpClient *client;
	QmpTestServer *server;
	QmpTestCall call;
} Fixture;

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
	fx->dir = qmp_test_make_dir ();
	fx->sock = g_build_filename (fx->dir, "fake.sock", NULL);
	fx->client = qmp_client_new ();
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
	/* close our end, so that the server thread ends */
	if (qmp_protocol_get_runstate (QMP_PROTOCOL (fx->client)) != QMP_RUNSTATE_IDLE) {
		fx->call.done = FALSE;
		qmp_protocol_disconnect_async (QMP_PROTOCOL (fx->client), NULL,
					       qmp_test_call_done_cb, &fx->call);
		qmp_test_run_until (&fx->call.done, 15);
	}
	g_clear_object (&fx->client);
	g_clear_pointer (&fx->server, qmp_test_server_free);
	qmp_test_remove_dir (fx->dir);
	g_free (fx->dir);
	g_free (fx->sock);
	qmp_test_call_clear (&fx->call);
}

static void
serve_and_connect (Fixture *fx, const gchar *const *script)
{
	fx->server = qmp_test_server_new (fx->sock, script);
	qmp_test_call_connect (QMP_PROTOCOL (fx->client), fx->sock, &fx->call);
}

static void
execute (Fixture *fx, const gchar *name)
{
	qmp_test_call_execute (fx->client, name, NULL, &fx->call);
}

/* the error that made the connection drop, as disconnect reports it */
static void
expect_disconnect_error (Fixture *fx, GQuark domain, gint code, const gchar *part)
{
	g_clear_error (&fx->call.error);
	fx->call.done = FALSE;
	qmp_protocol_disconnect_async (QMP_PROTOCOL (fx->client), NULL, qmp_test_call_done_cb,
				       &fx->call);
	qmp_test_run_until (&fx->call.done, 15);
	g_assert_false (fx->call.ok);
	g_assert_error (fx->call.error, domain, code);
	if (strstr (fx->call.error->message, part) == NULL)
		g_error ("'%s' does not say '%s'", fx->call.error->message, part);
	g_assert_cmpint (qmp_protocol_get_runstate (QMP_PROTOCOL (fx->client)), ==,
			 QMP_RUNSTATE_IDLE);
}

static void
test_no_greeting (Fixture *fx, gconstpointer data)
{
	const gchar *script[] = { "E", NULL };

	qmp_client_set_greeting_timeout (fx->client, 300);
	serve_and_connect (fx, script);
	g_assert_false (fx->call.ok);
	g_assert_error (fx->call.error, QMP_ERROR, QMP_ERROR_TIMEOUT);
	g_assert_nonnull (strstr (fx->call.error->message, "another client may be attached"));
	g_assert_nonnull (strstr (fx->call.error->message, "TLS"));
	g_assert_true (g_str_has_prefix (fx->call.error->message, "connecting to "));
	g_assert_cmpint (qmp_protocol_get_runstate (QMP_PROTOCOL (fx->client)), ==,
			 QMP_RUNSTATE_IDLE);
}

static void
test_bad_greeting (Fixture *fx, gconstpointer data)
{
	const gchar *script[] = { "S:{\"hello\": \"world\"}\r\n", "E", NULL };
	g_autofree gchar *hint = NULL;

	serve_and_connect (fx, script);
	g_assert_false (fx->call.ok);
	g_assert_error (fx->call.error, QMP_ERROR, QMP_ERROR_NOT_QMP);
	g_assert_nonnull (strstr (fx->call.error->message, "expected the QMP greeting"));
	hint = qmpsh_hints_for_error (fx->call.error);
	g_assert_cmpstr (hint, ==, "for the guest agent use --ga");
	g_assert_cmpint (qmp_protocol_get_runstate (QMP_PROTOCOL (fx->client)), ==,
			 QMP_RUNSTATE_IDLE);
}

static void
test_malformed_greeting (Fixture *fx, gconstpointer data)
{
	const gchar *script[] = { "S:{\"QMP\": {\"version\": 7}}\r\n", "E", NULL };

	serve_and_connect (fx, script);
	g_assert_false (fx->call.ok);
	g_assert_error (fx->call.error, QMP_ERROR, QMP_ERROR_PROTOCOL);
	g_assert_nonnull (strstr (fx->call.error->message, "malformed QMP greeting"));
}

static void
test_eof_during_greeting (Fixture *fx, gconstpointer data)
{
	const gchar *script[] = { "S:{\"QMP\": {\"vers", "C", NULL };

	serve_and_connect (fx, script);
	g_assert_false (fx->call.ok);
	g_assert_error (fx->call.error, QMP_ERROR, QMP_ERROR_PROTOCOL);
	g_assert_nonnull (strstr (fx->call.error->message, "in the middle of a message"));
	g_assert_cmpint (qmp_protocol_get_runstate (QMP_PROTOCOL (fx->client)), ==,
			 QMP_RUNSTATE_IDLE);
}

static void
test_refused_negotiation (Fixture *fx, gconstpointer data)
{
	const gchar *script[] = {
		QMP_TEST_GREETING, "R",
		"A:{\"error\": {\"class\": \"GenericError\", \"desc\": \"no\"}, \"id\": %ID%}\r\n",
		"E", NULL
	};

	serve_and_connect (fx, script);
	g_assert_false (fx->call.ok);
	g_assert_error (fx->call.error, QMP_COMMAND_ERROR, QMP_COMMAND_ERROR_GENERIC_ERROR);
	g_assert_nonnull (strstr (fx->call.error->message, "negotiating capabilities: no"));
}

static void
test_eof_mid_message (Fixture *fx, gconstpointer data)
{
	const gchar *script[] = {
		QMP_TEST_GREETING, QMP_TEST_NEGOTIATE, "R", "S:{\"return\": {\"par", "C", NULL
	};

	serve_and_connect (fx, script);
	g_assert_no_error (fx->call.error);
	execute (fx, "query-status");
	g_assert_error (fx->call.error, QMP_ERROR, QMP_ERROR_DISCONNECTED);
	g_assert_nonnull (strstr (fx->call.error->message, "query-status"));
	expect_disconnect_error (fx, QMP_ERROR, QMP_ERROR_PROTOCOL, "in the middle of a message");
}

static void
test_garbage (Fixture *fx, gconstpointer data)
{
	const gchar *script[] = {
		QMP_TEST_GREETING, QMP_TEST_NEGOTIATE, "R", "S:garbage\r\n", "E", NULL
	};

	serve_and_connect (fx, script);
	execute (fx, "query-status");
	g_assert_error (fx->call.error, QMP_ERROR, QMP_ERROR_DISCONNECTED);
	expect_disconnect_error (fx, QMP_ERROR, QMP_ERROR_PROTOCOL, "expected a JSON object");
}

static void
test_non_object (Fixture *fx, gconstpointer data)
{
	const gchar *script[] = {
		QMP_TEST_GREETING, QMP_TEST_NEGOTIATE, "R", "S:[\"return\", 1]\r\n", "E", NULL
	};

	serve_and_connect (fx, script);
	execute (fx, "query-status");
	g_assert_error (fx->call.error, QMP_ERROR, QMP_ERROR_DISCONNECTED);
	expect_disconnect_error (fx, QMP_ERROR, QMP_ERROR_PROTOCOL, "got '['");
}

static void
test_malformed_json (Fixture *fx, gconstpointer data)
{
	const gchar *script[] = {
		QMP_TEST_GREETING, QMP_TEST_NEGOTIATE, "R", "S:{\"return\": tru}\r\n", "E", NULL
	};

	serve_and_connect (fx, script);
	execute (fx, "query-status");
	g_assert_error (fx->call.error, QMP_ERROR, QMP_ERROR_DISCONNECTED);
	expect_disconnect_error (fx, QMP_ERROR, QMP_ERROR_PROTOCOL, "malformed JSON");
}

static void
test_over_cap (Fixture *fx, gconstpointer data)
{
	g_autoptr (GString) big = g_string_new ("S:{\"return\": \"");
	const gchar *script[] = { QMP_TEST_GREETING, QMP_TEST_NEGOTIATE, "R", NULL, "E", NULL };
	g_autofree gchar *hint = NULL;

	while (big->len < 8192)
		g_string_append (big, "0123456789abcdef");
	g_string_append (big, "\"}\r\n");
	script[4] = big->str;
	qmp_protocol_set_max_message_size (QMP_PROTOCOL (fx->client), 4096);
	serve_and_connect (fx, script);
	execute (fx, "query-status");
	g_assert_error (fx->call.error, QMP_ERROR, QMP_ERROR_DISCONNECTED);
	expect_disconnect_error (fx, QMP_ERROR, QMP_ERROR_MESSAGE_TOO_LARGE,
				 "message from the peer is larger than the 4096-byte limit");
	hint = qmpsh_hints_for_error (fx->call.error);
	g_assert_cmpstr (hint, ==, "raise it with --max-message-size");
}

static void
test_idless_error (Fixture *fx, gconstpointer data)
{
	const gchar *script[] = {
		QMP_TEST_GREETING,
		QMP_TEST_NEGOTIATE,
		"R",
		"S:{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error\"}}\r\n",
		"E",
		NULL
	};

	serve_and_connect (fx, script);
	execute (fx, "query-status");
	g_assert_error (fx->call.error, QMP_COMMAND_ERROR, QMP_COMMAND_ERROR_GENERIC_ERROR);
	g_assert_cmpstr (fx->call.error->message, ==, "JSON parse error");
	/* the connection is still fine */
	g_assert_cmpint (qmp_protocol_get_runstate (QMP_PROTOCOL (fx->client)), ==,
			 QMP_RUNSTATE_RUNNING);
}

static void
test_unknown_id (Fixture *fx, gconstpointer data)
{
	const gchar *script[] = { QMP_TEST_GREETING,
				  QMP_TEST_NEGOTIATE,
				  "R",
				  "S:{\"return\": {\"stray\": true}, \"id\": 9999}\r\n",
				  "A:{\"return\": {\"mine\": true}, \"id\": %ID%}\r\n",
				  "E",
				  NULL };

	serve_and_connect (fx, script);
	execute (fx, "query-status");
	g_assert_no_error (fx->call.error);
	g_assert_true (
		json_object_get_boolean_member (json_node_get_object (fx->call.ret), "mine"));
	g_assert_cmpuint (qmp_client_get_pending_count (fx->client), ==, 0);
}

static void
test_command_timeout (Fixture *fx, gconstpointer data)
{
	const gchar *script[] = { QMP_TEST_GREETING, QMP_TEST_NEGOTIATE, "R", "E", NULL };

	qmp_client_set_command_timeout (fx->client, 200);
	serve_and_connect (fx, script);
	execute (fx, "query-status");
	g_assert_error (fx->call.error, QMP_ERROR, QMP_ERROR_TIMEOUT);
	g_assert_nonnull (strstr (fx->call.error->message, "query-status"));
}

static void
test_cancel (Fixture *fx, gconstpointer data)
{
	const gchar *script[] = { QMP_TEST_GREETING,
				  QMP_TEST_NEGOTIATE,
				  "R",
				  "W:300",
				  "A:{\"return\": {\"late\": 1}, \"id\": %ID%}\r\n",
				  "R",
				  "A:{\"return\": {\"second\": 2}, \"id\": %ID%}\r\n",
				  "E",
				  NULL };
	g_autoptr (GCancellable) cancellable = g_cancellable_new ();

	serve_and_connect (fx, script);
	fx->call.done = FALSE;
	qmp_client_execute_async (fx->client, "slow", NULL, QMP_EXECUTE_FLAG_NONE, cancellable,
				  qmp_test_call_execute_cb, &fx->call);
	g_cancellable_cancel (cancellable);
	qmp_test_run_until (&fx->call.done, 15);
	g_assert_error (fx->call.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	/* the late reply is dropped, and the next command gets its own */
	execute (fx, "next");
	g_assert_no_error (fx->call.error);
	g_assert_true (json_object_has_member (json_node_get_object (fx->call.ret), "second"));
}

static gboolean
tick_cb (gpointer user_data)
{
	(*(guint *)user_data)++;
	return G_SOURCE_CONTINUE;
}

/* a peer that does not read must not stall the loop: the writer waits for the socket */
static void
test_back_pressure (Fixture *fx, gconstpointer data)
{
	const gchar *script[] = { QMP_TEST_GREETING,
				  QMP_TEST_NEGOTIATE,
				  "W:1500",
				  "R",
				  "A:{\"return\": {\"got\": true}, \"id\": %ID%}\r\n",
				  "E",
				  NULL };
	g_autoptr (JsonObject) args = json_object_new ();
	g_autoptr (GString) big = g_string_new (NULL);
	g_autofree gchar *received = NULL;
	guint ticks = 0;
	guint source;

	while (big->len < 2 * 1024 * 1024)
		g_string_append (big, "0123456789abcdef");
	json_object_set_string_member (args, "data", big->str);
	serve_and_connect (fx, script);

	source = g_timeout_add (20, tick_cb, &ticks);
	fx->call.done = FALSE;
	qmp_client_execute_async (fx->client, "big", args, QMP_EXECUTE_FLAG_NONE, NULL,
				  qmp_test_call_execute_cb, &fx->call);
	qmp_test_run_for (300);
	/* the socket buffer is far smaller than 2 MiB: the write is still going on */
	g_assert_false (fx->call.done);
	g_assert_cmpuint (ticks, >=, 3);
	qmp_test_run_until (&fx->call.done, 120);
	g_source_remove (source);
	g_assert_no_error (fx->call.error);
	g_assert_true (json_object_get_boolean_member (json_node_get_object (fx->call.ret), "got"));
	received = qmp_test_server_dup_received (fx->server);
	/* the negotiation and the whole command arrived */
	g_assert_cmpuint (strlen (received), >, 2 * 1024 * 1024);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD ("/faults/no-greeting", test_no_greeting);
	ADD ("/faults/bad-greeting", test_bad_greeting);
	ADD ("/faults/malformed-greeting", test_malformed_greeting);
	ADD ("/faults/eof-during-greeting", test_eof_during_greeting);
	ADD ("/faults/refused-negotiation", test_refused_negotiation);
	ADD ("/faults/eof-mid-message", test_eof_mid_message);
	ADD ("/faults/garbage", test_garbage);
	ADD ("/faults/non-object", test_non_object);
	ADD ("/faults/malformed-json", test_malformed_json);
	ADD ("/faults/over-cap", test_over_cap);
	ADD ("/faults/idless-error", test_idless_error);
	ADD ("/faults/unknown-id", test_unknown_id);
	ADD ("/faults/command-timeout", test_command_timeout);
	ADD ("/faults/cancel", test_cancel);
	ADD ("/faults/back-pressure", test_back_pressure);
#undef ADD
	return g_test_run ();
}
