/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmp-client.h"

G_BEGIN_DECLS

/* a temporary directory removed, with its sockets, at the end of the test */
gchar *qmp_test_make_dir (void);
void qmp_test_remove_dir (const gchar *dir);

/* runs the default main context until *flag is TRUE, failing after @seconds */
void qmp_test_run_until (gboolean *flag, guint seconds);
/* runs the default main context for @msec */
void qmp_test_run_for (guint msec);

/*
 * A real QEMU, started with qemu-system-x86_64 -M none -nodefaults
 * -display none and @extra_args; qmp_test_qemu_start() returns once every
 * socket in @wait_for accepts connections, and the test fails at once, with
 * the server's exit status and stderr, if the server exits before that.
 * The server's stderr still reaches the test's.
 */
typedef struct _QmpTestQemu QmpTestQemu;
QmpTestQemu *qmp_test_qemu_start (const gchar *const *extra_args, const gchar *const *wait_for);
QmpTestQemu *qmp_test_process_start (const gchar *const *argv, const gchar *const *wait_for);
QmpTestQemu *qmp_test_qemu_start_unix (const gchar *sock);
void qmp_test_qemu_kill (QmpTestQemu *qemu);
gint qmp_test_qemu_get_pid (QmpTestQemu *qemu);
void qmp_test_qemu_signal (QmpTestQemu *qemu, gint signum);
void qmp_test_qemu_stop (QmpTestQemu *qemu);
void qmp_test_signal_now (GSubprocess *process, gint signum);
guint qmp_test_free_port (void);
void qmp_test_qemu_free (QmpTestQemu *qemu);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmpTestQemu, qmp_test_qemu_free)

/*
 * The version of the qemu-system-x86_64 the tests start (the first on PATH),
 * from its --version: what the servers' replies are checked against, so that
 * the tests hold for whichever QEMU runs them.
 */
typedef struct {
	gint64 major;
	gint64 minor;
	gint64 micro;
	const gchar *package; /* QEMU's "package" string, "" when it has none */
} QmpTestVersion;
const QmpTestVersion *qmp_test_qemu_version (void);

/*
 * Each asserts that @line (one line of qmpsh's output, with or without its
 * newline) is exactly one compact reply, {"return":...} and nothing else:
 * to query-version, with the numbers and package of qmp_test_qemu_version();
 * to query-status, with these status and running members. query-status has
 * no other member but singlestep, always false, which QEMU 10 dropped.
 */
void qmp_test_assert_version_reply (const gchar *line);
/* the "return" of a reply printed by qmpsh, the test failing for anything else */
JsonNode *qmp_test_parse_reply (const gchar *line);
void qmp_test_assert_status_reply (const gchar *line, const gchar *status, gboolean running);

/*
 * A scripted server on a UNIX socket, for what a real QEMU will not do on
 * demand. It serves one client in a thread, step by step:
 *   "S:text"  send text as it is
 *   "R"       read one line from the client and remember its "id"
 *   "A:text"  send text with every "%ID%" replaced by that id
 *   "C"       close the connection
 *   "W:msec"  wait
 *   "E"       read until the client closes
 *   "L"       answer each line with an empty return until the client closes
 *   "X"       reset the connection (RST, not FIN)
 *   "Z"       send one NUL byte
 *   "N"       read nothing until the client closes
 */
typedef struct _QmpTestServer QmpTestServer;

/* script steps: a QEMU 7.2 greeting without capabilities, and the negotiation */
#define QMP_TEST_GREETING                                                                          \
	"S:{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, "        \
	"\"package\": \"\"}, \"capabilities\": []}}\r\n"
#define QMP_TEST_NEGOTIATE "R", "A:{\"return\": {}, \"id\": %ID%}\r\n"

QmpTestServer *qmp_test_server_new (const gchar *path, const gchar *const *script);
QmpTestServer *qmp_test_server_new_tcp (guint *port, const gchar *const *script);
gchar *qmp_test_server_dup_received (QmpTestServer *server);
gchar *qmp_test_server_finish (QmpTestServer *server);
void qmp_test_server_free (QmpTestServer *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmpTestServer, qmp_test_server_free)

/*
 * One asynchronous call of the library, run to its end: connect, accept,
 * disconnect (done_cb tells them apart by source tag) or execute.
 */
typedef struct {
	gboolean done;
	gboolean ok;
	GError *error;
	JsonNode *ret;
} QmpTestCall;
void qmp_test_call_clear (QmpTestCall *call);
void qmp_test_call_done_cb (GObject *source, GAsyncResult *res, gpointer call);
void qmp_test_call_execute_cb (GObject *source, GAsyncResult *res, gpointer call);
void qmp_test_call_connect (QmpProtocol *protocol, const gchar *address, QmpTestCall *call);
void qmp_test_call_disconnect (QmpProtocol *protocol, QmpTestCall *call);
void qmp_test_call_execute (QmpClient *client, const gchar *name, JsonObject *args,
			    QmpTestCall *call);

/*
 * The cases of language.cases: each is one or more input lines, then what
 * the server must receive, a part of the error said, or nothing.
 */
typedef enum {
	QMP_TEST_EXPECT_WIRE,
	QMP_TEST_EXPECT_ERROR,
	QMP_TEST_EXPECT_NOTHING,
} QmpTestExpect;

typedef struct {
	guint file_line; /* where the case is in the file */
	GPtrArray *input;
	QmpTestExpect expect;
	gchar *text; /* the wire JSON, or a part of the error */
	guint first; /* the lines of input this case occupies */
	guint last;
	gchar *received; /* filled in by the run */
	GPtrArray *said;
	gchar *only; /* "on: NAME": the case holds only against that recording */
} QmpTestCase;

GPtrArray *qmp_test_load_cases (const gchar *path);

/* runs the real qmpsh binary to completion */
typedef struct {
	gint status;
	gchar *out;
	gchar *err;
} QmpTestRun;
QmpTestRun *qmp_test_run_qmpsh (const gchar *input, const gchar *const *args);
GSubprocess *qmp_test_spawn_qmpsh (const gchar *const *args);
gchar *qmp_test_read_line (GDataInputStream *in, GSubprocess *process, GError **error);
void qmp_test_communicate (GSubprocess *process, const gchar *input, gchar **out, gchar **err);
void qmp_test_run_free (QmpTestRun *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmpTestRun, qmp_test_run_free)

G_END_DECLS
