/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * QmpClient over TLS against a real QEMU: x509 with a client certificate,
 * PSK, QEMU dialing in, and one test per failure a user can meet. The
 * credentials are made once, with certtool and psktool, in a temporary
 * directory. QEMU refuses to start with an expired or not yet valid
 * certificate, so those two come from a small GnuTLS server in a thread.
 */

#include <gnutls/gnutls.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <signal.h>
#include <sys/socket.h>
#include <string.h>

#include "qmp-client.h"
#include "qmp-command-error.h"
#include "qmp-error.h"
#include "qmp-test-util.h"
#include "qmp-tls.h"
#include "qmpsh-hints.h"

/* the credentials every test shares */
static gchar *top;

static gchar *
cred (const gchar *name)
{
	return g_build_filename (top, name, NULL);
}

/* ------------------------------------------------------------------------ */
/* making credentials */

static void
run_tool (const gchar *const *argv)
{
	g_autoptr (GError) error = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	gint status = 0;

	g_spawn_sync (top, (gchar **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
		      &status, &error);
	g_assert_no_error (error);
	if (!g_spawn_check_exit_status (status, NULL))
		g_error ("%s failed: %s", argv[0], err);
}

static void
write_file (const gchar *name, const gchar *text)
{
	g_autofree gchar *path = cred (name);
	g_autoptr (GError) error = NULL;
	g_file_set_contents (path, text, -1, &error);
	g_assert_no_error (error);
}

/*
 * RSA: the templates ask for encryption_key, but certtool leaves key
 * encipherment out of an ECDSA certificate's (critical) key usage, and QEMU 10
 * refuses such a server certificate ("usage does not permit key
 * encipherment") where 7.2 took it. An RSA certificate has it, on every
 * version; 2048 bits are plenty for a test and quick to make.
 */
static void
make_key (const gchar *name)
{
	const gchar *argv[] = { "certtool",    "--generate-privkey", "--key-type=rsa",
				"--bits=2048", "--outfile",	     name,
				NULL };
	run_tool (argv);
}

static void
make_ca (const gchar *key, const gchar *cn, const gchar *out)
{
	g_autofree gchar *tmpl = g_strdup_printf ("cn = \"%s\"\nca\ncert_signing_key\n"
						  "expiration_days = 3650\n",
						  cn);
	const gchar *argv[] = { "certtool",
				"--generate-self-signed",
				"--load-privkey",
				key,
				"--template",
				"tmpl",
				"--outfile",
				out,
				NULL };
	write_file ("tmpl", tmpl);
	run_tool (argv);
}

static void
make_cert (const gchar *key, const gchar *ca, const gchar *ca_key, const gchar *tmpl,
	   const gchar *out)
{
	const gchar *argv[] = { "certtool",
				"--generate-certificate",
				"--load-privkey",
				key,
				"--load-ca-certificate",
				ca,
				"--load-ca-privkey",
				ca_key,
				"--template",
				"tmpl",
				"--outfile",
				out,
				NULL };
	write_file ("tmpl", tmpl);
	run_tool (argv);
}

#define SERVER_TEMPLATE(names, validity)                                                           \
	names "tls_www_server\nencryption_key\nsigning_key\n" validity
#define LOCALHOST_NAMES "cn = localhost\ndns_name = localhost\nip_address = 127.0.0.1\n"
#define VALID		"expiration_days = 3650\n"

/*
 * top/
 *   x509/       QEMU's server dir: CA, server cert for localhost and 127.0.0.1
 *   client/     our client dir: CA, client cert
 *   qemu-client/ QEMU's client dir for dialing in: CA, client cert
 *   other-ca/   QEMU's server dir with a CA of its own
 *   otherhost/  QEMU's server dir, the certificate for "otherhost"
 *   psk/        keys.psk for user "qemu"; wrong.psk, alice.psk beside it
 *   expired-cert.pem, future-cert.pem, server-key.pem for the fake server
 */
static void
make_credentials (void)
{
	const gchar *dirs[] = { "x509", "client", "qemu-client", "other-ca", "otherhost", "psk" };

	for (guint i = 0; i < G_N_ELEMENTS (dirs); i++) {
		g_autofree gchar *dir = cred (dirs[i]);
		g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
	}
	make_key ("ca-key.pem");
	make_key ("other-ca-key.pem");
	make_key ("server-key.pem");
	make_key ("client-key.pem");
	make_ca ("ca-key.pem", "qmpsh test CA", "ca-cert.pem");
	make_ca ("other-ca-key.pem", "qmpsh other CA", "other-ca/ca-cert.pem");
	make_cert ("server-key.pem", "ca-cert.pem", "ca-key.pem",
		   SERVER_TEMPLATE (LOCALHOST_NAMES, VALID), "x509/server-cert.pem");
	make_cert ("client-key.pem", "ca-cert.pem", "ca-key.pem",
		   "cn = client\no = test\nc = GB\ntls_www_client\nencryption_key\n"
		   "signing_key\n" VALID,
		   "client/client-cert.pem");
	make_cert ("server-key.pem", "other-ca/ca-cert.pem", "other-ca-key.pem",
		   SERVER_TEMPLATE (LOCALHOST_NAMES, VALID), "other-ca/server-cert.pem");
	make_cert ("server-key.pem", "ca-cert.pem", "ca-key.pem",
		   SERVER_TEMPLATE ("cn = otherhost\ndns_name = otherhost\n", VALID),
		   "otherhost/server-cert.pem");
	/* certtool refuses negative validity; past and future dates it takes */
	make_cert ("server-key.pem", "ca-cert.pem", "ca-key.pem",
		   SERVER_TEMPLATE (LOCALHOST_NAMES, "activation_date = \"2001-01-01 00:00:00\"\n"
						     "expiration_date = \"2002-01-01 00:00:00\"\n"),
		   "expired-cert.pem");
	make_cert ("server-key.pem", "ca-cert.pem", "ca-key.pem",
		   SERVER_TEMPLATE (LOCALHOST_NAMES, "activation_date = \"2090-01-01 00:00:00\"\n"
						     "expiration_date = \"2091-01-01 00:00:00\"\n"),
		   "future-cert.pem");

	/* QEMU's layouts: copies, for each directory stands alone */
	{
		const gchar *copies[][2] = {
			{ "ca-cert.pem", "x509/ca-cert.pem" },
			{ "server-key.pem", "x509/server-key.pem" },
			{ "ca-cert.pem", "client/ca-cert.pem" },
			{ "client-key.pem", "client/client-key.pem" },
			{ "ca-cert.pem", "qemu-client/ca-cert.pem" },
			{ "client/client-cert.pem", "qemu-client/client-cert.pem" },
			{ "client-key.pem", "qemu-client/client-key.pem" },
			{ "server-key.pem", "other-ca/server-key.pem" },
			{ "ca-cert.pem", "otherhost/ca-cert.pem" },
			{ "server-key.pem", "otherhost/server-key.pem" },
		};
		for (guint i = 0; i < G_N_ELEMENTS (copies); i++) {
			g_autofree gchar *from = cred (copies[i][0]);
			g_autofree gchar *text = NULL;
			g_assert_true (g_file_get_contents (from, &text, NULL, NULL));
			write_file (copies[i][1], text);
		}
	}
	{
		/* a well-known group: without dh-params.pem QEMU generates one, slowly */
		const gchar *dh[] = { "certtool",  "--get-dh-params", "--sec-param", "medium",
				      "--outfile", "dh-params.pem",   NULL };
		const gchar *servers[] = { "x509", "other-ca", "otherhost", "psk" };
		g_autofree gchar *from = cred ("dh-params.pem");
		g_autofree gchar *text = NULL;
		run_tool (dh);
		g_assert_true (g_file_get_contents (from, &text, NULL, NULL));
		for (guint i = 0; i < G_N_ELEMENTS (servers); i++) {
			g_autofree gchar *to = g_build_filename (servers[i], "dh-params.pem", NULL);
			write_file (to, text);
		}
	}
	{
		const gchar *qemu[] = { "psktool", "-u", "qemu", "-p", "psk/keys.psk", NULL };
		const gchar *wrong[] = { "psktool", "-u", "qemu", "-p", "psk/wrong.psk", NULL };
		const gchar *alice[] = { "psktool", "-u", "alice", "-p", "psk/alice.psk", NULL };
		run_tool (qemu);
		run_tool (wrong);
		run_tool (alice);
	}
}

static void
remove_tree (const gchar *path)
{
	if (g_file_test (path, G_FILE_TEST_IS_DIR)) {
		g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
		const gchar *name;
		while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
			g_autofree gchar *child = g_build_filename (path, name, NULL);
			remove_tree (child);
		}
		g_rmdir (path);
		return;
	}
	g_unlink (path);
}

/* ------------------------------------------------------------------------ */
/* a TLS server that only shakes hands, for certificates QEMU will not load */

typedef struct {
	GSocket *listener;
	guint port;
	gchar *cert;
	gchar *key;
	GThread *thread;
	/* a sink reads nothing for a while, then everything, and checks it */
	gboolean sink;
	gsize received; /* bytes other than newlines */
	guint newlines;
	gboolean intact;
} FakeTlsServer;

#define PATTERN "0123456789abcdef"

static void
fake_tls_server_drain (FakeTlsServer *server, gnutls_session_t session)
{
	gchar buf[16384];
	gssize n;

	/* let the client fill every buffer on the way */
	g_usleep (300 * 1000);
	server->intact = TRUE;
	while ((n = gnutls_record_recv (session, buf, sizeof (buf))) > 0) {
		for (gssize i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				server->newlines++;
				continue;
			}
			if (buf[i] != PATTERN[server->received % strlen (PATTERN)])
				server->intact = FALSE;
			server->received++;
		}
	}
}

static gpointer
fake_tls_server_thread (gpointer user_data)
{
	FakeTlsServer *server = user_data;
	g_autoptr (GSocket) conn = g_socket_accept (server->listener, NULL, NULL);
	gnutls_certificate_credentials_t creds = NULL;
	gnutls_session_t session = NULL;

	g_assert_nonnull (conn);
	/* GnuTLS reads the descriptor itself, so it must block for real */
	g_assert_true (g_unix_set_fd_nonblocking (g_socket_get_fd (conn), FALSE, NULL));
	g_assert_cmpint (gnutls_certificate_allocate_credentials (&creds), ==, 0);
	g_assert_cmpint (gnutls_certificate_set_x509_key_file (creds, server->cert, server->key,
							       GNUTLS_X509_FMT_PEM),
			 ==, 0);
	g_assert_cmpint (gnutls_init (&session, GNUTLS_SERVER), ==, 0);
	g_assert_cmpint (gnutls_set_default_priority (session), ==, 0);
	g_assert_cmpint (gnutls_credentials_set (session, GNUTLS_CRD_CERTIFICATE, creds), ==, 0);
	gnutls_transport_set_int (session, g_socket_get_fd (conn));
	gnutls_handshake_set_timeout (session, 10000);
	/* the client refuses an expired certificate: this fails, as it should */
	if (gnutls_handshake (session) == 0 && server->sink)
		fake_tls_server_drain (server, session);
	gnutls_deinit (session);
	gnutls_certificate_free_credentials (creds);
	return NULL;
}

static FakeTlsServer *
fake_tls_server_new (const gchar *cert, gboolean sink)
{
	FakeTlsServer *server = g_new0 (FakeTlsServer, 1);
	g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
	g_autoptr (GSocketAddress) any = g_inet_socket_address_new (lo, 0);
	g_autoptr (GSocketAddress) bound = NULL;
	g_autoptr (GError) error = NULL;

	server->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
					 G_SOCKET_PROTOCOL_TCP, &error);
	g_assert_no_error (error);
	server->sink = sink;
	/* small buffers, inherited by the accepted socket, so that back-pressure comes soon */
	g_socket_set_option (server->listener, SOL_SOCKET, SO_RCVBUF, 4096, &error);
	g_assert_no_error (error);
	g_socket_bind (server->listener, any, TRUE, &error);
	g_assert_no_error (error);
	g_socket_listen (server->listener, &error);
	g_assert_no_error (error);
	bound = g_socket_get_local_address (server->listener, &error);
	g_assert_no_error (error);
	server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
	server->cert = cred (cert);
	server->key = cred ("server-key.pem");
	server->thread = g_thread_new ("fake-tls-server", fake_tls_server_thread, server);
	return server;
}

static void
fake_tls_server_free (FakeTlsServer *server)
{
	if (server->thread != NULL)
		g_thread_join (server->thread);
	g_object_unref (server->listener);
	g_free (server->cert);
	g_free (server->key);
	g_free (server);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeTlsServer, fake_tls_server_free)

/* ------------------------------------------------------------------------ */
/* QEMU */

typedef struct {
	QmpTestQemu *qemu;
	gchar *address;
} TlsQemu;

static void
tls_qemu_free (TlsQemu *tq)
{
	qmp_test_qemu_free (tq->qemu);
	g_free (tq->address);
	g_free (tq);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsQemu, tls_qemu_free)

/* a QEMU with one monitor on a loopback port, with @creds_object as tls0 unless NULL */
static TlsQemu *
tls_qemu_start (const gchar *creds_object)
{
	TlsQemu *tq = g_new0 (TlsQemu, 1);
	guint port = qmp_test_free_port ();
	g_autofree gchar *chardev =
		g_strdup_printf ("socket,id=mon,host=127.0.0.1,port=%u,server=on,wait=off%s", port,
				 creds_object != NULL ? ",tls-creds=tls0" : "");
	const gchar *with_tls[] = { "-object", creds_object, "-chardev",
				    chardev,   "-mon",	     "chardev=mon,mode=control",
				    NULL };
	const gchar *plain[] = { "-chardev", chardev, "-mon", "chardev=mon,mode=control", NULL };
	const gchar *wait[] = { NULL, NULL };

	tq->address = g_strdup_printf ("127.0.0.1:%u", port);
	wait[0] = tq->address;
	tq->qemu = qmp_test_qemu_start (creds_object != NULL ? with_tls : plain, wait);
	return tq;
}

static TlsQemu *
tls_qemu_start_x509 (const gchar *dir_name)
{
	g_autofree gchar *dir = cred (dir_name);
	g_autofree gchar *object = g_strdup_printf (
		"tls-creds-x509,id=tls0,dir=%s,endpoint=server,verify-peer=on", dir);
	return tls_qemu_start (object);
}

static TlsQemu *
tls_qemu_start_psk (void)
{
	g_autofree gchar *dir = cred ("psk");
	g_autofree gchar *object =
		g_strdup_printf ("tls-creds-psk,id=tls0,dir=%s,endpoint=server", dir);
	return tls_qemu_start (object);
}

/* ------------------------------------------------------------------------ */
/* the client */

typedef struct {
	QmpClient *client;
	GArray *runstates;
	QmpTestCall call;
} Fixture;

static void
runstate_cb (QmpProtocol *protocol, QmpRunstate runstate, Fixture *fx)
{
	g_array_append_val (fx->runstates, runstate);
}

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
	fx->client = qmp_client_new ();
	fx->runstates = g_array_new (FALSE, FALSE, sizeof (QmpRunstate));
	g_signal_connect (fx->client, "runstate-changed", G_CALLBACK (runstate_cb), fx);
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
	g_clear_object (&fx->client);
	g_array_unref (fx->runstates);
	qmp_test_call_clear (&fx->call);
}

static void
do_connect (Fixture *fx, const gchar *address)
{
	g_array_set_size (fx->runstates, 0);
	qmp_test_call_connect (QMP_PROTOCOL (fx->client), address, &fx->call);
}

static void
do_execute (Fixture *fx, const gchar *name, JsonObject *args)
{
	qmp_test_call_execute (fx->client, name, args, &fx->call);
}

static void
do_disconnect (Fixture *fx)
{
	qmp_test_call_disconnect (QMP_PROTOCOL (fx->client), &fx->call);
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

static const QmpRunstate failed[] = { QMP_RUNSTATE_CONNECTING, QMP_RUNSTATE_IDLE };

/*
 * The connect failed with exactly @expected after "connecting to ADDRESS: ",
 * and left IDLE; @hint is what qmpsh adds of its options, or NULL.
 */
static void
assert_connect_failed (Fixture *fx, const gchar *address, GQuark domain, gint code,
		       const gchar *expected, const gchar *hint)
{
	g_autofree gchar *full = g_strdup_printf ("connecting to %s: %s", address, expected);
	g_autofree gchar *said = NULL;
	g_assert_false (fx->call.ok);
	g_assert_error (fx->call.error, domain, code);
	g_assert_cmpstr (fx->call.error->message, ==, full);
	said = qmpsh_hints_for_error (fx->call.error);
	g_assert_cmpstr (said, ==, hint);
	g_assert_cmpint (qmp_protocol_get_runstate (QMP_PROTOCOL (fx->client)), ==,
			 QMP_RUNSTATE_IDLE);
	assert_runstates (fx, failed, G_N_ELEMENTS (failed));
}

/* the session works: query-status answers */
static void
assert_session_works (Fixture *fx)
{
	g_assert_no_error (fx->call.error);
	g_assert_true (fx->call.ok);
	g_assert_cmpint (qmp_protocol_get_runstate (QMP_PROTOCOL (fx->client)), ==,
			 QMP_RUNSTATE_RUNNING);
	g_assert_nonnull (qmp_client_get_greeting (fx->client));
	g_assert_false (qmp_protocol_can_pass_fds (QMP_PROTOCOL (fx->client)));
	do_execute (fx, "query-status", NULL);
	g_assert_no_error (fx->call.error);
	g_assert_cmpstr (
		json_object_get_string_member (json_node_get_object (fx->call.ret), "status"), ==,
		"running");
}

static QmpTlsConfig *
client_config (void)
{
	g_autofree gchar *dir = cred ("client");
	g_autoptr (GError) error = NULL;
	QmpTlsConfig *config = qmp_tls_config_new_from_dir (dir, QMP_TLS_ENDPOINT_CLIENT, &error);
	g_assert_no_error (error);
	return config;
}

static QmpTlsConfig *
ca_only_config (void)
{
	g_autofree gchar *ca = cred ("ca-cert.pem");
	g_autoptr (GError) error = NULL;
	QmpTlsConfig *config = qmp_tls_config_new (NULL);
	g_assert_true (qmp_tls_config_set_ca_file (config, ca, &error));
	g_assert_no_error (error);
	return config;
}

static QmpTlsConfig *
psk_config (const gchar *file, const gchar *username)
{
	g_autofree gchar *path = cred (file);
	g_autoptr (GError) error = NULL;
	QmpTlsConfig *config = qmp_tls_config_new (NULL);
	g_assert_true (qmp_tls_config_set_psk_file (config, path, &error));
	g_assert_no_error (error);
	qmp_tls_config_set_psk_username (config, username);
	return config;
}

/* ------------------------------------------------------------------------ */
/* what works */

static void
test_x509 (Fixture *fx, gconstpointer data)
{
	g_autoptr (TlsQemu) qemu = tls_qemu_start_x509 ("x509");
	g_autoptr (QmpTlsConfig) config = client_config ();
	g_autofree gchar *by_name =
		g_strdup_printf ("localhost:%s", strchr (qemu->address, ':') + 1);
	const QmpRunstate cycle[] = { QMP_RUNSTATE_CONNECTING, QMP_RUNSTATE_RUNNING,
				      QMP_RUNSTATE_DISCONNECTING, QMP_RUNSTATE_IDLE };
	JsonArray *schema;

	qmp_protocol_set_tls (QMP_PROTOCOL (fx->client), config);
	do_connect (fx, qemu->address);
	assert_session_works (fx);
	g_assert_true (qmp_client_get_oob_enabled (fx->client));

	/* some 200 KB: many records, most of them read from what GnuTLS already holds */
	do_execute (fx, "query-qmp-schema", NULL);
	g_assert_no_error (fx->call.error);
	schema = json_node_get_array (fx->call.ret);
	g_assert_cmpuint (json_array_get_length (schema), >, 500);

	do_disconnect (fx);
	g_assert_no_error (fx->call.error);
	assert_runstates (fx, cycle, G_N_ELEMENTS (cycle));

	/* again, by the DNS name in the certificate, with the same configuration */
	do_connect (fx, by_name);
	assert_session_works (fx);
	do_disconnect (fx);
	g_assert_no_error (fx->call.error);
	assert_runstates (fx, cycle, G_N_ELEMENTS (cycle));
}

static void
test_hostname_override (Fixture *fx, gconstpointer data)
{
	g_autoptr (TlsQemu) qemu = tls_qemu_start_x509 ("otherhost");
	g_autoptr (QmpTlsConfig) config = client_config ();

	qmp_tls_config_set_hostname (config, "otherhost");
	qmp_protocol_set_tls (QMP_PROTOCOL (fx->client), config);
	do_connect (fx, qemu->address);
	assert_session_works (fx);
	do_disconnect (fx);
}

static void
test_psk (Fixture *fx, gconstpointer data)
{
	g_autoptr (TlsQemu) qemu = tls_qemu_start_psk ();
	g_autoptr (GError) error = NULL;
	g_autofree gchar *dir = cred ("psk");
	/* QEMU's own PSK directory works as --tls-creds */
	g_autoptr (QmpTlsConfig) config =
		qmp_tls_config_new_from_dir (dir, QMP_TLS_ENDPOINT_CLIENT, &error);

	g_assert_no_error (error);
	g_assert_true (qmp_tls_config_is_psk (config));
	g_assert_cmpstr (qmp_tls_config_get_psk_username (config), ==, "qemu");
	qmp_protocol_set_tls (QMP_PROTOCOL (fx->client), config);
	do_connect (fx, qemu->address);
	assert_session_works (fx);
	do_disconnect (fx);
	g_assert_no_error (fx->call.error);
}

/* a command of many records: QEMU reads every one of them, and answers */
static void
test_big_command (Fixture *fx, gconstpointer data)
{
	g_autoptr (TlsQemu) qemu = tls_qemu_start_x509 ("x509");
	g_autoptr (QmpTlsConfig) config = client_config ();
	g_autoptr (JsonObject) args = json_object_new ();
	g_autoptr (GString) big = g_string_new (NULL);

	while (big->len < 100 * 1024)
		g_string_append (big, PATTERN);
	json_object_set_string_member (args, "path", big->str);
	qmp_protocol_set_tls (QMP_PROTOCOL (fx->client), config);
	do_connect (fx, qemu->address);
	g_assert_no_error (fx->call.error);
	do_execute (fx, "qom-list", args);
	/* QEMU read the 100 KiB path intact: it looked it up */
	g_assert_error (fx->call.error, QMP_COMMAND_ERROR, QMP_COMMAND_ERROR_DEVICE_NOT_FOUND);
	g_assert_true (g_str_has_prefix (fx->call.error->message, "Device '" PATTERN PATTERN));
	do_execute (fx, "query-status", NULL);
	g_assert_no_error (fx->call.error);
	do_disconnect (fx);
	g_assert_no_error (fx->call.error);
}

static gboolean
set_flag_cb (GObject *stream, gpointer user_data)
{
	*(gboolean *)user_data = TRUE;
	return G_SOURCE_REMOVE;
}

static void
handshake_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	Fixture *fx = user_data;
	fx->call.ok =
		qmp_tls_stream_handshake_finish (QMP_TLS_STREAM (source), res, &fx->call.error);
	fx->call.done = TRUE;
}

/*
 * The stream on its own, against a peer that reads nothing for a while: a
 * write far larger than the socket buffers meets GIO_ERROR_WOULD_BLOCK, and
 * the record GnuTLS keeps after EAGAIN goes out once, in order.
 */
static void
test_back_pressure (Fixture *fx, gconstpointer data)
{
	g_autoptr (FakeTlsServer) server = fake_tls_server_new ("x509/server-cert.pem", TRUE);
	g_autoptr (QmpTlsConfig) config = ca_only_config ();
	g_autoptr (GSocketClient) client = g_socket_client_new ();
	g_autoptr (GSocketConnection) conn = NULL;
	g_autoptr (QmpTlsStream) tls = NULL;
	g_autoptr (GString) payload = g_string_new (NULL);
	g_autofree gchar *address = g_strdup_printf ("127.0.0.1:%u", server->port);
	g_autoptr (GError) error = NULL;
	GPollableOutputStream *out;
	guint blocked = 0;
	guint writes = 0;
	gsize off = 0;

	while (payload->len < 1024 * 1024)
		g_string_append (payload, PATTERN);
	conn = g_socket_client_connect_to_host (client, address, 0, NULL, &error);
	g_assert_no_error (error);
	g_socket_set_option (g_socket_connection_get_socket (conn), SOL_SOCKET, SO_SNDBUF, 4096,
			     &error);
	g_assert_no_error (error);
	tls = qmp_tls_stream_new (conn, config, QMP_TLS_ENDPOINT_CLIENT, "127.0.0.1", &error);
	g_assert_no_error (error);
	qmp_tls_stream_handshake_async (tls, NULL, handshake_cb, fx);
	qmp_test_run_until (&fx->call.done, 15);
	g_assert_no_error (fx->call.error);

	out = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (G_IO_STREAM (tls)));
	g_assert_true (g_pollable_output_stream_can_poll (out));
	/* as QmpProtocol's writer: after WOULD_BLOCK, wait, then the same bytes again */
	while (off < payload->len) {
		gsize chunk = MIN (payload->len - off, 40000);
		gssize n = g_pollable_output_stream_write_nonblocking (out, payload->str + off,
								       chunk, NULL, &error);
		if (n < 0) {
			g_autoptr (GSource) wait = NULL;
			gboolean writable = FALSE;
			g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
			g_clear_error (&error);
			blocked++;
			wait = g_pollable_output_stream_create_source (out, NULL);
			g_source_set_callback (wait, G_SOURCE_FUNC (set_flag_cb), &writable, NULL);
			g_source_attach (wait, NULL);
			qmp_test_run_until (&writable, 15);
			g_source_destroy (wait);
			continue;
		}
		g_assert_cmpint (n, >, 0);
		off += n;
		if (n == (gssize)chunk)
			writes++;
	}
	g_assert_cmpuint (blocked, >, 0);
	/* give the last newline record a chance, then say goodbye */
	qmp_test_run_for (50);
	g_assert_true (g_pollable_output_stream_is_writable (out));
	g_io_stream_close (G_IO_STREAM (tls), NULL, &error);
	g_assert_no_error (error);
	g_thread_join (g_steal_pointer (&server->thread));
	g_assert_cmpuint (server->received, ==, payload->len);
	g_assert_true (server->intact);
	/* one newline record behind every completed write, for QEMU's sake */
	g_assert_cmpuint (server->newlines, >=, writes - 1);
	g_assert_cmpuint (server->newlines, <=, writes);
}

/* QEMU dials in (--listen): we are the TLS server */
static void
accept_from_qemu (Fixture *fx, QmpTlsConfig *config, const gchar *qemu_object)
{
	g_autoptr (GError) error = NULL;
	g_autofree gchar *bound = NULL;
	g_autofree gchar *chardev = NULL;
	g_autoptr (QmpTestQemu) qemu = NULL;
	const gchar *args[] = { "-object", qemu_object, "-chardev",
				NULL,	   "-mon",	"chardev=m,mode=control",
				NULL };

	qmp_protocol_set_tls (QMP_PROTOCOL (fx->client), config);
	g_assert_true (qmp_protocol_listen (QMP_PROTOCOL (fx->client), "127.0.0.1:0", &error));
	g_assert_no_error (error);
	bound = qmp_protocol_dup_listen_address (QMP_PROTOCOL (fx->client));
	chardev = g_strdup_printf (
		"socket,id=m,host=127.0.0.1,port=%s,server=off,reconnect=1,tls-creds=tls0",
		strchr (bound, ':') + 1);
	args[3] = chardev;
	qemu = qmp_test_qemu_start (args, NULL);

	fx->call.done = FALSE;
	qmp_protocol_accept_async (QMP_PROTOCOL (fx->client), NULL, qmp_test_call_done_cb,
				   &fx->call);
	qmp_test_run_until (&fx->call.done, 15);
	assert_session_works (fx);
	do_disconnect (fx);
	g_assert_no_error (fx->call.error);
}

static void
test_dial_in_x509 (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *ours = cred ("x509");
	g_autofree gchar *theirs = cred ("qemu-client");
	g_autofree gchar *object =
		g_strdup_printf ("tls-creds-x509,id=tls0,dir=%s,endpoint=client", theirs);
	g_autoptr (GError) error = NULL;
	g_autoptr (QmpTlsConfig) config =
		qmp_tls_config_new_from_dir (ours, QMP_TLS_ENDPOINT_SERVER, &error);

	g_assert_no_error (error);
	accept_from_qemu (fx, config, object);
}

static void
test_dial_in_psk (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *dir = cred ("psk");
	g_autofree gchar *object =
		g_strdup_printf ("tls-creds-psk,id=tls0,dir=%s,endpoint=client", dir);
	g_autoptr (QmpTlsConfig) config = psk_config ("psk/keys.psk", NULL);

	accept_from_qemu (fx, config, object);
}

/* ------------------------------------------------------------------------ */
/* what fails, with what the user reads */

static void
test_no_client_cert (Fixture *fx, gconstpointer data)
{
	g_autoptr (TlsQemu) qemu = tls_qemu_start_x509 ("x509");
	g_autoptr (QmpTlsConfig) config = ca_only_config ();
	g_autofree gchar *expected = g_strdup_printf (
		"reading from %s: the server closed the connection after the TLS handshake: it "
		"probably requires a client certificate",
		qemu->address);

	qmp_protocol_set_tls (QMP_PROTOCOL (fx->client), config);
	do_connect (fx, qemu->address);
	assert_connect_failed (fx, qemu->address, QMP_TLS_ERROR, QMP_TLS_ERROR_NO_CLIENT_CERT,
			       expected, "--tls-cert/--tls-key");
}

static void
test_plain_client_on_tls_port (Fixture *fx, gconstpointer data)
{
	g_autoptr (TlsQemu) qemu = tls_qemu_start_x509 ("x509");

	qmp_client_set_greeting_timeout (fx->client, 300);
	do_connect (fx, qemu->address);
	assert_connect_failed (fx, qemu->address, QMP_ERROR, QMP_ERROR_TIMEOUT,
			       "no QMP greeting within 0.3 s: another client may be attached to "
			       "this monitor (QEMU serves one at a time), the port may expect "
			       "TLS, or it is not a QMP monitor",
			       NULL);
}

static void
test_tls_client_on_plain_port (Fixture *fx, gconstpointer data)
{
	g_autoptr (TlsQemu) qemu = tls_qemu_start (NULL);
	g_autoptr (QmpTlsConfig) config = client_config ();

	qmp_protocol_set_tls (QMP_PROTOCOL (fx->client), config);
	do_connect (fx, qemu->address);
	assert_connect_failed (fx, qemu->address, QMP_TLS_ERROR, QMP_TLS_ERROR_NOT_TLS,
			       "the server does not speak TLS on this port: it sent plain text, "
			       "as a monitor without tls-creds does",
			       NULL);
}

static void
test_unknown_ca (Fixture *fx, gconstpointer data)
{
	g_autoptr (TlsQemu) qemu = tls_qemu_start_x509 ("other-ca");
	g_autoptr (QmpTlsConfig) config = client_config ();
	g_autofree gchar *ca = cred ("client/ca-cert.pem");
	g_autofree gchar *expected = g_strdup_printf (
		"the server's certificate (issued by CN=qmpsh other CA) is not signed by the CA "
		"in %s",
		ca);

	qmp_protocol_set_tls (QMP_PROTOCOL (fx->client), config);
	do_connect (fx, qemu->address);
	assert_connect_failed (fx, qemu->address, QMP_TLS_ERROR, QMP_TLS_ERROR_UNKNOWN_CA, expected,
			       "--tls-ca");
}

static void
test_hostname_mismatch (Fixture *fx, gconstpointer data)
{
	g_autoptr (TlsQemu) qemu = tls_qemu_start_x509 ("otherhost");
	g_autoptr (TlsQemu) good = tls_qemu_start_x509 ("x509");
	g_autoptr (QmpTlsConfig) config = client_config ();

	qmp_protocol_set_tls (QMP_PROTOCOL (fx->client), config);
	do_connect (fx, qemu->address);
	assert_connect_failed (fx, qemu->address, QMP_TLS_ERROR, QMP_TLS_ERROR_HOSTNAME_MISMATCH,
			       "the server's certificate is for 'otherhost', but '127.0.0.1' was "
			       "expected: connect by a name it has, or give the expected one",
			       "--tls-hostname");

	/* a name given with --tls-hostname is checked too */
	qmp_tls_config_set_hostname (config, "qemu.example");
	do_connect (fx, good->address);
	assert_connect_failed (fx, good->address, QMP_TLS_ERROR, QMP_TLS_ERROR_HOSTNAME_MISMATCH,
			       "the server's certificate is for 'localhost', '127.0.0.1', but "
			       "'qemu.example' was expected: connect by a name it has, or give "
			       "the expected one",
			       "--tls-hostname");
}

static void
test_expired (Fixture *fx, gconstpointer data)
{
	g_autoptr (FakeTlsServer) server = fake_tls_server_new ("expired-cert.pem", FALSE);
	g_autoptr (QmpTlsConfig) config = client_config ();
	g_autofree gchar *address = g_strdup_printf ("127.0.0.1:%u", server->port);

	qmp_protocol_set_tls (QMP_PROTOCOL (fx->client), config);
	do_connect (fx, address);
	assert_connect_failed (fx, address, QMP_TLS_ERROR, QMP_TLS_ERROR_EXPIRED,
			       "the server's certificate expired on 2002-01-01 00:00:00 UTC", NULL);
}

static void
test_not_yet_valid (Fixture *fx, gconstpointer data)
{
	g_autoptr (FakeTlsServer) server = fake_tls_server_new ("future-cert.pem", FALSE);
	g_autoptr (QmpTlsConfig) config = client_config ();
	g_autofree gchar *address = g_strdup_printf ("127.0.0.1:%u", server->port);

	qmp_protocol_set_tls (QMP_PROTOCOL (fx->client), config);
	do_connect (fx, address);
	assert_connect_failed (fx, address, QMP_TLS_ERROR, QMP_TLS_ERROR_NOT_YET_VALID,
			       "the server's certificate is not valid before 2090-01-01 00:00:00 "
			       "UTC: check the clocks",
			       NULL);
}

static void
test_psk_wrong (Fixture *fx, gconstpointer data)
{
	g_autoptr (TlsQemu) qemu = tls_qemu_start_psk ();
	g_autoptr (QmpTlsConfig) wrong_key = psk_config ("psk/wrong.psk", NULL);
	g_autoptr (QmpTlsConfig) wrong_user = psk_config ("psk/alice.psk", "alice");

	qmp_protocol_set_tls (QMP_PROTOCOL (fx->client), wrong_key);
	do_connect (fx, qemu->address);
	assert_connect_failed (fx, qemu->address, QMP_TLS_ERROR, QMP_TLS_ERROR_PSK_REFUSED,
			       "the TLS-PSK handshake failed: the key or the username 'qemu' is "
			       "wrong",
			       "--tls-psk, --tls-psk-user");

	/* QEMU has no key for alice: the same failure, seen from here */
	qmp_protocol_set_tls (QMP_PROTOCOL (fx->client), wrong_user);
	do_connect (fx, qemu->address);
	assert_connect_failed (fx, qemu->address, QMP_TLS_ERROR, QMP_TLS_ERROR_PSK_REFUSED,
			       "the TLS-PSK handshake failed: the key or the username 'alice' is "
			       "wrong",
			       "--tls-psk, --tls-psk-user");
}

static void
test_psk_on_x509_port (Fixture *fx, gconstpointer data)
{
	g_autoptr (TlsQemu) qemu = tls_qemu_start_x509 ("x509");
	g_autoptr (QmpTlsConfig) config = psk_config ("psk/keys.psk", NULL);

	qmp_protocol_set_tls (QMP_PROTOCOL (fx->client), config);
	do_connect (fx, qemu->address);
	assert_connect_failed (fx, qemu->address, QMP_TLS_ERROR, QMP_TLS_ERROR_PSK_NOT_OFFERED,
			       "the server does not offer TLS-PSK on this port; it probably wants "
			       "x509 certificates: Insufficient credentials for that request",
			       "--tls-creds, --tls-ca");
}

static void
test_busy (Fixture *fx, gconstpointer data)
{
	g_autoptr (TlsQemu) qemu = tls_qemu_start_x509 ("x509");
	g_autoptr (QmpTlsConfig) config = client_config ();
	g_autoptr (QmpClient) first = qmp_client_new ();

	/* the first client holds the monitor */
	qmp_tls_config_set_handshake_timeout (config, 300);
	qmp_protocol_set_tls (QMP_PROTOCOL (first), config);
	fx->call.done = FALSE;
	qmp_protocol_connect_async (QMP_PROTOCOL (first), qemu->address, NULL,
				    qmp_test_call_done_cb, &fx->call);
	qmp_test_run_until (&fx->call.done, 15);
	g_assert_no_error (fx->call.error);

	qmp_protocol_set_tls (QMP_PROTOCOL (fx->client), config);
	do_connect (fx, qemu->address);
	assert_connect_failed (fx, qemu->address, QMP_ERROR, QMP_ERROR_TIMEOUT,
			       "no TLS handshake within 0.3 s: another client may be attached "
			       "to this monitor (QEMU serves one at a time), or the server does "
			       "not speak TLS",
			       NULL);

	/* a disconnect while the handshake waits ends it at once */
	qmp_tls_config_set_handshake_timeout (config, 0);
	fx->call.done = FALSE;
	g_array_set_size (fx->runstates, 0);
	qmp_protocol_connect_async (QMP_PROTOCOL (fx->client), qemu->address, NULL,
				    qmp_test_call_done_cb, &fx->call);
	qmp_test_run_for (100);
	g_assert_false (fx->call.done);
	qmp_protocol_disconnect_async (QMP_PROTOCOL (fx->client), NULL, NULL, NULL);
	qmp_test_run_until (&fx->call.done, 15);
	g_assert_error (fx->call.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	assert_runstates (fx, failed, G_N_ELEMENTS (failed));
}

static void
test_unix_refused (Fixture *fx, gconstpointer data)
{
	g_autoptr (QmpTlsConfig) config = client_config ();
	g_autoptr (GError) error = NULL;
	g_autofree gchar *path = cred ("listen.sock");
	g_autofree gchar *expected = NULL;

	qmp_protocol_set_tls (QMP_PROTOCOL (fx->client), config);
	/* refused before connecting: the socket need not exist */
	do_connect (fx, "/nonexistent/qmp.sock");
	assert_connect_failed (fx, "/nonexistent/qmp.sock", QMP_ERROR, QMP_ERROR_UNSUPPORTED,
			       "TLS works over TCP only (QEMU has no TLS on UNIX sockets): use "
			       "HOST:PORT, or drop the TLS options",
			       NULL);

	/* and for listening, before anyone can dial in */
	g_assert_true (qmp_protocol_listen (QMP_PROTOCOL (fx->client), path, &error));
	g_assert_no_error (error);
	fx->call.done = FALSE;
	g_array_set_size (fx->runstates, 0);
	qmp_protocol_accept_async (QMP_PROTOCOL (fx->client), NULL, qmp_test_call_done_cb,
				   &fx->call);
	qmp_test_run_until (&fx->call.done, 15);
	expected = g_strdup_printf ("waiting for a connection on %s: TLS works over TCP only "
				    "(QEMU has no TLS on UNIX sockets): use HOST:PORT, or drop "
				    "the TLS options",
				    path);
	g_assert_error (fx->call.error, QMP_ERROR, QMP_ERROR_UNSUPPORTED);
	g_assert_cmpstr (fx->call.error->message, ==, expected);
	assert_runstates (fx, failed, G_N_ELEMENTS (failed));
	g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* ------------------------------------------------------------------------ */
/* loading */

static void
assert_tls_error (GError *error, gint code, const gchar *expected, const gchar *hint)
{
	g_autofree gchar *said = qmpsh_hints_for_error (error);
	g_assert_error (error, QMP_TLS_ERROR, code);
	g_assert_cmpstr (error->message, ==, expected);
	g_assert_cmpstr (said, ==, hint);
}

static void
test_config_errors (Fixture *fx, gconstpointer data)
{
	g_autoptr (QmpTlsConfig) config = qmp_tls_config_new (NULL);
	g_autofree gchar *missing = cred ("missing.pem");
	g_autofree gchar *garbage = cred ("garbage.pem");
	g_autofree gchar *client_cert = cred ("client/client-cert.pem");
	g_autofree gchar *server_key = cred ("server-key.pem");
	g_autofree gchar *bad_psk = cred ("bad.psk");
	g_autofree gchar *bad_hex = cred ("badhex.psk");
	g_autofree gchar *empty = cred ("empty.psk");
	g_autofree gchar *keys = cred ("psk/keys.psk");
	g_autofree gchar *ca = cred ("ca-cert.pem");
	g_autofree gchar *expected = NULL;
	GError *error = NULL;

	write_file ("garbage.pem", "this is not PEM\n");
	write_file ("bad.psk", "qemu:00ff\nno colon here\n");
	write_file ("badhex.psk", "qemu:xyz\n");
	write_file ("empty.psk", "\n\n");

	g_assert_false (qmp_tls_config_set_ca_file (config, missing, &error));
	expected = g_strdup_printf ("cannot read the CA certificate %s: No such file or directory",
				    missing);
	assert_tls_error (error, QMP_TLS_ERROR_BAD_CONFIG, expected, NULL);
	g_clear_error (&error);
	g_clear_pointer (&expected, g_free);

	g_assert_false (qmp_tls_config_set_ca_file (config, garbage, &error));
	g_assert_error (error, QMP_TLS_ERROR, QMP_TLS_ERROR_BAD_CONFIG);
	expected = g_strdup_printf ("the CA certificate %s is not a PEM certificate: ", garbage);
	g_assert_true (g_str_has_prefix (error->message, expected));
	g_test_message ("%s", error->message);
	g_clear_error (&error);
	g_clear_pointer (&expected, g_free);

	g_assert_false (qmp_tls_config_set_key_file (config, garbage, &error));
	g_assert_error (error, QMP_TLS_ERROR, QMP_TLS_ERROR_BAD_CONFIG);
	expected = g_strdup_printf ("the private key %s is not an unencrypted PEM key: ", garbage);
	g_assert_true (g_str_has_prefix (error->message, expected));
	g_test_message ("%s", error->message);
	g_clear_error (&error);
	g_clear_pointer (&expected, g_free);

	/* a certificate without its key, then with a key that is not its own */
	g_assert_true (qmp_tls_config_set_cert_file (config, client_cert, &error));
	g_assert_no_error (error);
	g_assert_false (qmp_tls_config_check (config, QMP_TLS_ENDPOINT_CLIENT, &error));
	expected =
		g_strdup_printf ("the certificate %s has no private key: give both", client_cert);
	assert_tls_error (error, QMP_TLS_ERROR_INCOMPLETE_CREDENTIALS, expected,
			  "--tls-cert, --tls-key");
	g_clear_error (&error);
	g_clear_pointer (&expected, g_free);
	g_assert_true (qmp_tls_config_set_key_file (config, server_key, &error));
	g_assert_false (qmp_tls_config_check (config, QMP_TLS_ENDPOINT_CLIENT, &error));
	expected = g_strdup_printf ("the private key %s does not belong to the certificate %s",
				    server_key, client_cert);
	assert_tls_error (error, QMP_TLS_ERROR_BAD_CONFIG, expected, NULL);
	g_clear_error (&error);
	g_clear_pointer (&expected, g_free);

	/* x509 and PSK do not mix */
	g_assert_true (qmp_tls_config_set_cert_file (config, NULL, &error));
	g_assert_true (qmp_tls_config_set_key_file (config, NULL, &error));
	g_assert_true (qmp_tls_config_set_ca_file (config, ca, &error));
	g_assert_true (qmp_tls_config_check (config, QMP_TLS_ENDPOINT_CLIENT, &error));
	g_assert_no_error (error);
	g_assert_true (qmp_tls_config_set_psk_file (config, keys, &error));
	g_assert_false (qmp_tls_config_check (config, QMP_TLS_ENDPOINT_CLIENT, &error));
	assert_tls_error (error, QMP_TLS_ERROR_BAD_CONFIG,
			  "TLS takes either a PSK keys file or x509 certificates, not both", NULL);
	g_clear_error (&error);
	g_assert_true (qmp_tls_config_set_ca_file (config, NULL, &error));
	g_assert_true (qmp_tls_config_check (config, QMP_TLS_ENDPOINT_CLIENT, &error));

	/* PSK files */
	g_assert_false (qmp_tls_config_set_psk_file (config, bad_psk, &error));
	expected = g_strdup_printf ("%s:2: not a USERNAME:HEXKEY line of a PSK keys file", bad_psk);
	assert_tls_error (error, QMP_TLS_ERROR_BAD_CONFIG, expected, NULL);
	g_clear_error (&error);
	g_clear_pointer (&expected, g_free);
	g_assert_false (qmp_tls_config_set_psk_file (config, bad_hex, &error));
	expected = g_strdup_printf (
		"%s:1: the key of 'qemu' is not an even number of hexadecimal digits", bad_hex);
	assert_tls_error (error, QMP_TLS_ERROR_BAD_CONFIG, expected, NULL);
	g_clear_error (&error);
	g_clear_pointer (&expected, g_free);
	g_assert_false (qmp_tls_config_set_psk_file (config, empty, &error));
	expected = g_strdup_printf ("the PSK keys file %s has no USERNAME:HEXKEY line", empty);
	assert_tls_error (error, QMP_TLS_ERROR_BAD_CONFIG, expected, NULL);
	g_clear_error (&error);
	g_clear_pointer (&expected, g_free);
	/* the good file stayed */
	g_assert_cmpstr (qmp_tls_config_get_psk_file (config), ==, keys);
	qmp_tls_config_set_psk_username (config, "bob");
	g_assert_false (qmp_tls_config_check (config, QMP_TLS_ENDPOINT_CLIENT, &error));
	expected = g_strdup_printf ("the PSK keys file %s has no key for the username 'bob'", keys);
	assert_tls_error (error, QMP_TLS_ERROR_PSK_NO_KEY, expected, "--tls-psk-user");
	g_clear_error (&error);
	g_clear_pointer (&expected, g_free);

	/* priorities */
	g_assert_false (qmp_tls_config_set_priority (config, "NORMAL:+NOPE", &error));
	assert_tls_error (error, QMP_TLS_ERROR_BAD_CONFIG,
			  "the TLS priority string 'NORMAL:+NOPE' is invalid at '+NOPE': "
			  "The request is invalid",
			  NULL);
	g_clear_error (&error);
	g_assert_true (qmp_tls_config_set_priority (config, "NORMAL:-VERS-TLS1.3", &error));
	g_assert_cmpstr (qmp_tls_config_get_priority (config), ==, "NORMAL:-VERS-TLS1.3");
}

static void
test_config_dir_errors (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *missing = cred ("no-such-dir");
	g_autofree gchar *client = cred ("client");
	g_autofree gchar *ca = cred ("client/ca-cert.pem");
	g_autofree gchar *server_cert = cred ("client/server-cert.pem");
	g_autofree gchar *expected = NULL;
	g_autoptr (QmpTlsConfig) config = NULL;
	GError *error = NULL;

	config = qmp_tls_config_new_from_dir (missing, QMP_TLS_ENDPOINT_CLIENT, &error);
	g_assert_null (config);
	expected = g_strdup_printf ("the TLS credentials directory %s does not exist", missing);
	assert_tls_error (error, QMP_TLS_ERROR_BAD_CONFIG, expected, NULL);
	g_clear_error (&error);
	g_clear_pointer (&expected, g_free);

	/* a client dir read for accepting: there is no server certificate in it */
	config = qmp_tls_config_new_from_dir (client, QMP_TLS_ENDPOINT_SERVER, &error);
	g_assert_null (config);
	expected = g_strdup_printf ("cannot read the certificate %s: No such file or directory",
				    server_cert);
	assert_tls_error (error, QMP_TLS_ERROR_BAD_CONFIG, expected, NULL);
	g_clear_error (&error);
	g_clear_pointer (&expected, g_free);

	/* the client dir: CA, certificate and key */
	config = qmp_tls_config_new_from_dir (client, QMP_TLS_ENDPOINT_CLIENT, &error);
	g_assert_no_error (error);
	g_assert_cmpstr (qmp_tls_config_get_ca_file (config), ==, ca);
	g_assert_nonnull (qmp_tls_config_get_cert_file (config));
	g_assert_nonnull (qmp_tls_config_get_key_file (config));
	g_assert_false (qmp_tls_config_is_psk (config));
	g_assert_true (qmp_tls_config_check (config, QMP_TLS_ENDPOINT_CLIENT, &error));
	g_assert_no_error (error);
}

/* ------------------------------------------------------------------------ */
/* the qmpsh binary, with its options */

static void
assert_says (const gchar *text, const gchar *part)
{
	if (strstr (text, part) == NULL)
		g_error ("expected '%s' in:\n%s", part, text);
}

static void
test_cli_x509 (Fixture *fx, gconstpointer data)
{
	g_autoptr (TlsQemu) tq = tls_qemu_start_x509 ("x509");
	g_autofree gchar *client = cred ("client");
	g_autofree gchar *other = cred ("other-ca/ca-cert.pem");
	g_autofree gchar *creds = g_strdup_printf ("--tls-creds=%s", client);
	g_autofree gchar *ca = g_strdup_printf ("--tls-ca=%s", other);
	const gchar *ok[] = { creds, "-c", "query-status", tq->address, NULL };
	const gchar *wrong_name[] = { creds,	   "--tls-hostname=elsewhere",
				      "-c",	   "query-status",
				      tq->address, NULL };
	const gchar *wrong_ca[] = { creds, ca, "-c", "query-status", tq->address, NULL };
	const gchar *unix_sock[] = { creds, "-c", "query-status", "/tmp/no.sock", NULL };
	g_autoptr (QmpTestRun) a = qmp_test_run_qmpsh (NULL, ok);
	g_autoptr (QmpTestRun) b = qmp_test_run_qmpsh (NULL, wrong_name);
	g_autoptr (QmpTestRun) c = qmp_test_run_qmpsh (NULL, wrong_ca);
	g_autoptr (QmpTestRun) d = qmp_test_run_qmpsh (NULL, unix_sock);
	g_autofree gchar *cert = g_strdup_printf ("--tls-cert=%s/client-cert.pem", client);
	const gchar *no_key[] = { cert, "-c", "query-status", tq->address, NULL };
	g_autoptr (QmpTestRun) e = qmp_test_run_qmpsh (NULL, no_key);
	g_autofree gchar *no_key_line =
		g_strdup_printf ("qmpsh: the certificate %s/client-cert.pem has no private key: "
				 "give both (--tls-cert, --tls-key)\n",
				 client);

	g_assert_cmpint (a->status, ==, 0);
	assert_says (a->out, "\"status\":\"running\"");
	g_assert_cmpint (b->status, ==, 3);
	assert_says (b->err, "but 'elsewhere' was expected");
	/* what qmpsh adds of its options ends the line */
	assert_says (b->err, "or give the expected one (--tls-hostname)\n");
	g_assert_cmpint (c->status, ==, 3);
	assert_says (c->err, "is not signed by the CA in");
	assert_says (c->err, "ca-cert.pem (--tls-ca)\n");
	g_assert_cmpint (d->status, ==, 3);
	assert_says (d->err, "TLS works over TCP only");
	/* half a key pair is a usage error, with the options to complete it */
	g_assert_cmpint (e->status, ==, 2);
	g_assert_cmpstr (e->err, ==, no_key_line);
}

/* qmpsh runs with LD_DEBUG=files: the dynamic loader says on stderr what it loads */
static QmpTestRun *
run_watching_loads (const gchar *const *args)
{
	QmpTestRun *run;

	g_setenv ("LD_DEBUG", "files", TRUE);
	run = qmp_test_run_qmpsh (NULL, args);
	g_unsetenv ("LD_DEBUG");
	return run;
}

/*
 * GnuTLS, p11-kit and the rest are loaded only with the TLS module, and
 * that only when TLS is used; a module that cannot be loaded is one line.
 */
static void
test_loaded_when_used (Fixture *fx, gconstpointer data)
{
	g_autoptr (TlsQemu) tq = tls_qemu_start_x509 ("x509");
	g_autofree gchar *dir = g_dir_make_tmp ("qmpsh-tls-XXXXXX", NULL);
	g_autofree gchar *sock = g_build_filename (dir, "qmp.sock", NULL);
	g_autoptr (QmpTestQemu) plain_qemu = qmp_test_qemu_start_unix (sock);
	g_autofree gchar *client = cred ("client");
	g_autofree gchar *creds = g_strdup_printf ("--tls-creds=%s", client);
	const gchar *tls_args[] = { creds, "-c", "query-status", tq->address, NULL };
	const gchar *plain_args[] = { "-c", "query-status", sock, NULL };
	g_autoptr (QmpTestRun) tls = run_watching_loads (tls_args);
	g_autoptr (QmpTestRun) plain = run_watching_loads (plain_args);
	g_autoptr (QmpTestRun) missing = NULL;
	g_autofree gchar *module = g_strdup (g_getenv ("QMP_TLS_MODULE"));

	g_assert_cmpint (tls->status, ==, 0);
	assert_says (tls->err, "qmp-tls.so");
	assert_says (tls->err, "libgnutls");
	g_assert_cmpint (plain->status, ==, 0);
	assert_says (plain->out, "\"status\"");
	/* the loader did report what it loaded: libglib is always there */
	assert_says (plain->err, "libglib-2.0");
	g_assert_null (strstr (plain->err, "libgnutls"));
	g_assert_null (strstr (plain->err, "qmp-tls.so"));
	g_assert_null (strstr (plain->err, "p11-kit"));
	/* nor readline: only the prompt opens the console module */
	g_assert_null (strstr (plain->err, "libreadline"));
	g_assert_null (strstr (plain->err, "qmpsh-console.so"));

	g_setenv ("QMP_TLS_MODULE", "/nonexistent/qmp-tls.so", TRUE);
	missing = qmp_test_run_qmpsh (NULL, tls_args);
	g_setenv ("QMP_TLS_MODULE", module, TRUE);
	g_assert_cmpint (missing->status, ==, 2);
	assert_says (missing->err, "qmpsh: TLS is not available: ");
	assert_says (missing->err, "/nonexistent/qmp-tls.so");
	/* one line: its first line end is its last character */
	g_assert_cmpstr (strchr (missing->err, '\n'), ==, "\n");
	qmp_test_qemu_stop (plain_qemu);
	g_remove (sock);
	g_rmdir (dir);
}

static void
test_cli_psk (Fixture *fx, gconstpointer data)
{
	g_autoptr (TlsQemu) tq = tls_qemu_start_psk ();
	g_autofree gchar *keys = cred ("psk/keys.psk");
	g_autofree gchar *wrong = cred ("psk/wrong.psk");
	g_autofree gchar *psk = g_strdup_printf ("--tls-psk=%s", keys);
	g_autofree gchar *bad = g_strdup_printf ("--tls-psk=%s", wrong);
	const gchar *ok[] = { psk, "-c", "query-status", tq->address, NULL };
	const gchar *nok[] = { bad, "-c", "query-status", tq->address, NULL };
	const gchar *no_user[] = { psk, "--tls-psk-user=bob", tq->address, NULL };
	g_autoptr (QmpTestRun) a = qmp_test_run_qmpsh (NULL, ok);
	g_autoptr (QmpTestRun) b = qmp_test_run_qmpsh (NULL, nok);
	g_autoptr (QmpTestRun) c = qmp_test_run_qmpsh (NULL, no_user);

	g_assert_cmpint (a->status, ==, 0);
	assert_says (a->out, "\"status\":\"running\"");
	g_assert_cmpint (b->status, ==, 3);
	assert_says (b->err,
		     "the key or the username 'qemu' is wrong (--tls-psk, --tls-psk-user)\n");
	/* a bad option is a usage error, found before connecting */
	g_autofree gchar *no_key =
		g_strdup_printf ("qmpsh: the PSK keys file %s has no key for the username 'bob' "
				 "(--tls-psk-user)\n",
				 keys);

	g_assert_cmpint (c->status, ==, 2);
	g_assert_cmpstr (c->err, ==, no_key);
}

/*
 * A host that drops the packets: a TCP listener whose queue is full drops
 * each new SYN, as a firewall would, and the kernel goes on retrying for
 * two minutes. --greeting-timeout bounds the connect, TLS or not; with TLS
 * it had bounded only the handshake, which never began.
 */
static void
test_cli_dropped (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *keys = cred ("psk/keys.psk");
	g_autofree gchar *psk = g_strdup_printf ("--tls-psk=%s", keys);
	g_autoptr (GSocket) listener =
		g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
	g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
	g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
	g_autoptr (GSocketAddress) bound = NULL;
	g_autoptr (GPtrArray) fillers = g_ptr_array_new_with_free_func (g_object_unref);
	g_autoptr (GError) error = NULL;
	g_autofree gchar *address = NULL;
	g_autofree gchar *expected = NULL;

	g_assert_nonnull (listener);
	g_assert_true (g_socket_bind (listener, any, TRUE, &error));
	g_socket_set_listen_backlog (listener, 0);
	g_assert_true (g_socket_listen (listener, &error));
	bound = g_socket_get_local_address (listener, &error);
	g_assert_no_error (error);
	address = g_strdup_printf ("127.0.0.1:%u",
				   g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
	/* a backlog of 0 queues one connection: two fill it, whatever the kernel rounds to */
	for (guint i = 0; i < 2; i++) {
		GSocket *filler =
			g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
		g_socket_set_blocking (filler, FALSE);
		g_socket_connect (filler, bound, NULL, NULL);
		g_ptr_array_add (fillers, filler);
	}
	qmp_test_run_for (100);
	expected =
		g_strdup_printf ("qmpsh: connecting to %s: not connected within 0.5 s: is the "
				 "host up and reachable, and does nothing in between drop the "
				 "connection? (a slow link may need a longer --greeting-timeout)\n",
				 address);
	for (guint tls = 0; tls < 2; tls++) {
		const gchar *args[] = { "--greeting-timeout=0.5", "-c", "query-status", address,
					tls ? psk : NULL,	  NULL };
		g_autoptr (QmpTestRun) run = qmp_test_run_qmpsh (NULL, args);

		g_assert_cmpint (run->status, ==, 3);
		g_assert_cmpstr (run->out, ==, "");
		g_assert_cmpstr (run->err, ==, expected);
	}
}

int
main (int argc, char **argv)
{
	gint ret;

	g_test_init (&argc, &argv, NULL);
	top = qmp_test_make_dir ();
	make_credentials ();

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD ("/tls/loaded-when-used", test_loaded_when_used);
	ADD ("/tls/config-errors", test_config_errors);
	ADD ("/tls/config-dir-errors", test_config_dir_errors);
	ADD ("/tls/x509", test_x509);
	ADD ("/tls/hostname-override", test_hostname_override);
	ADD ("/tls/psk", test_psk);
	ADD ("/tls/big-command", test_big_command);
	ADD ("/tls/back-pressure", test_back_pressure);
	ADD ("/tls/dial-in-x509", test_dial_in_x509);
	ADD ("/tls/dial-in-psk", test_dial_in_psk);
	ADD ("/tls/no-client-cert", test_no_client_cert);
	ADD ("/tls/plain-client-on-tls-port", test_plain_client_on_tls_port);
	ADD ("/tls/tls-client-on-plain-port", test_tls_client_on_plain_port);
	ADD ("/tls/unknown-ca", test_unknown_ca);
	ADD ("/tls/hostname-mismatch", test_hostname_mismatch);
	ADD ("/tls/expired", test_expired);
	ADD ("/tls/not-yet-valid", test_not_yet_valid);
	ADD ("/tls/psk-wrong", test_psk_wrong);
	ADD ("/tls/psk-on-x509-port", test_psk_on_x509_port);
	ADD ("/tls/busy", test_busy);
	ADD ("/tls/unix-refused", test_unix_refused);
	ADD ("/tls/cli-x509", test_cli_x509);
	ADD ("/tls/cli-psk", test_cli_psk);
	ADD ("/tls/cli-dropped", test_cli_dropped);
#undef ADD
	ret = g_test_run ();
	remove_tree (top);
	g_free (top);
	return ret;
}
