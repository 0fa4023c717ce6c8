/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "qmp-client.h"
#include "qmp-source.h"
#include "qmp-error.h"
#include "qmp-tls.h"
#include "qmpsh-batch.h"
#include "qmpsh-hints.h"
#include "qmpsh-interactive.h"
#include "qmpsh-launcher.h"
#include "qmpsh-signals.h"
#include "qmpsh-transcript.h"

typedef struct {
	GMainLoop *loop;
	QmpClient *client;
	QmpshLauncher *launcher;
	QmpshBatch *batch;
	QmpshInteractive *interactive;
	QmpshConsole *console;
	gboolean at_terminal;
	gboolean accepting; /* --launch and --listen: the peer dials in */
	gboolean yes;
	gboolean no_reconnect;
	gchar *address; /* what was connected to, to reconnect to */
	gchar *target;
	gchar *launch_failure;
	gchar **commands;
	gboolean events;
	gboolean echo;
	gboolean hmp;
	QmpshTranscript *transcript;
	GArray *pass_fds;
	QmpshFormatFlags format;
	QmpshExit status;
	gint signal;	      /* the signal that ended the session, whatever finishes after */
	GError *launch_error; /* the connection to a launched QEMU failed: said once it exited */
	GSource *launch_wait;
} Qmpsh;

static gchar *
qmpsh_connect_hint (const GError *error, const gchar *address)
{
	if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
		return g_strdup_printf ("no socket there: is QEMU running with "
					"-qmp unix:%s,server=on,wait=off?",
					address);
	if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
		return g_strdup ("nothing is listening there: is QEMU running, with its QMP "
				 "monitor on this address?");
	if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
		return g_strdup ("check the socket's owner and mode, or run as its owner");
	if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
		return g_strdup ("addresses are PATH, HOST:PORT or [IPV6]:PORT");
	return NULL;
}

static void
qmpsh_disconnect_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	Qmpsh *sh = user_data;
	g_autoptr (GError) error = NULL;
	if (!qmp_protocol_disconnect_finish (QMP_PROTOCOL (source), res, &error))
		g_debug ("disconnect: %s", error->message);
	g_main_loop_quit (sh->loop);
}

static void
qmpsh_quit_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	Qmpsh *sh = user_data;
	g_autoptr (JsonNode) ret = qmp_client_execute_finish (QMP_CLIENT (source), res, NULL);
	qmp_protocol_disconnect_async (QMP_PROTOCOL (sh->client), NULL, qmpsh_disconnect_cb, sh);
}

static void
qmpsh_front_done (Qmpsh *sh)
{
	/* a QEMU we started ends with us; asked politely it exits without a word */
	if (sh->launcher != NULL &&
	    qmp_protocol_get_runstate (QMP_PROTOCOL (sh->client)) == QMP_RUNSTATE_RUNNING) {
		qmp_client_execute_async (sh->client, "quit", NULL, QMP_EXECUTE_FLAG_NONE, NULL,
					  qmpsh_quit_cb, sh);
		return;
	}
	qmp_protocol_disconnect_async (QMP_PROTOCOL (sh->client), NULL, qmpsh_disconnect_cb, sh);
}

static void
qmpsh_batch_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	Qmpsh *sh = user_data;
	sh->status = qmpsh_batch_run_finish (QMPSH_BATCH (source), res);
	qmpsh_front_done (sh);
}

static void
qmpsh_interactive_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	Qmpsh *sh = user_data;
	sh->status = qmpsh_interactive_run_finish (QMPSH_INTERACTIVE (source), res);
	qmpsh_front_done (sh);
}

static void
qmpsh_start_interactive (Qmpsh *sh, QmpshParser *parser)
{
	g_autofree gchar *history =
		g_build_filename (g_get_user_state_dir (), "qmpsh", "history", NULL);
	QmpMessage *greeting = qmp_client_get_greeting (sh->client);
	JsonObject *qemu = NULL;

	if (greeting != NULL) {
		JsonObject *qmp =
			json_object_get_object_member (qmp_message_get_object (greeting), "QMP");
		JsonObject *version = json_object_get_object_member (qmp, "version");
		qemu = version != NULL ? json_object_get_object_member (version, "qemu") : NULL;
	}
	if (qemu != NULL)
		g_print ("Connected to %s: QEMU %" G_GINT64_FORMAT ".%" G_GINT64_FORMAT
			 ".%" G_GINT64_FORMAT ". Type .help for help, TAB to complete, Ctrl-D "
			 "to leave.\n",
			 sh->target, json_object_get_int_member (qemu, "major"),
			 json_object_get_int_member (qemu, "minor"),
			 json_object_get_int_member (qemu, "micro"));
	else
		g_print ("Connected to %s. Type .help for help, Ctrl-D to leave.\n", sh->target);
	sh->console = qmpsh_console_new (history);
	sh->interactive = qmpsh_interactive_new (sh->client, parser, sh->console, sh->target);
	qmpsh_interactive_set_format (sh->interactive, sh->format);
	qmpsh_interactive_set_confirm (sh->interactive, !sh->yes);
	qmpsh_interactive_set_echo (sh->interactive, sh->echo);
	qmpsh_interactive_set_pass_fds (sh->interactive, sh->pass_fds);
	if (!sh->no_reconnect)
		qmpsh_interactive_set_reconnect (sh->interactive, sh->address);
	qmpsh_interactive_run_async (sh->interactive, qmpsh_interactive_done_cb, sh);
}

static void
qmpsh_connect_failed (Qmpsh *sh, const GError *error)
{
	g_autofree gchar *hint = qmpsh_connect_hint (error, sh->target);

	/* what the library reports names no option of ours: the shell adds which one helps */
	if (hint == NULL)
		hint = qmpsh_hints_for_error (error);

	if (sh->launch_failure != NULL)
		g_printerr ("qmpsh: QEMU %s before it connected; see its messages above\n",
			    sh->launch_failure);
	else if (hint != NULL)
		g_printerr ("qmpsh: %s (%s)\n", error->message, hint);
	else
		g_printerr ("qmpsh: %s\n", error->message);
	sh->status = QMPSH_EXIT_CONNECTION;
	g_main_loop_quit (sh->loop);
}

/* a launched QEMU closed its monitor but is still there: say what is known */
static gboolean
qmpsh_launch_wait_cb (gpointer user_data)
{
	Qmpsh *sh = user_data;
	g_autoptr (GError) error = g_steal_pointer (&sh->launch_error);

	g_clear_pointer (&sh->launch_wait, g_source_unref);
	qmpsh_connect_failed (sh, error);
	return G_SOURCE_REMOVE;
}

static void
qmpsh_connected_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	Qmpsh *sh = user_data;
	g_autoptr (GError) error = NULL;
	QmpshParser *parser;
	gboolean ok;

	if (sh->accepting)
		ok = qmp_protocol_accept_finish (QMP_PROTOCOL (source), res, &error);
	else
		ok = qmp_protocol_connect_finish (QMP_PROTOCOL (source), res, &error);
	if (!ok && sh->signal != 0)
		return; /* stopped by a signal, which was said */
	if (!ok) {
		/* a launched QEMU that went away says why on its way out: wait for that */
		if (sh->launcher != NULL && sh->launch_failure == NULL &&
		    qmpsh_launcher_is_running (sh->launcher)) {
			sh->launch_error = g_steal_pointer (&error);
			sh->launch_wait = g_timeout_source_new (2000);
			g_source_set_callback (sh->launch_wait, qmpsh_launch_wait_cb, sh, NULL);
			g_source_attach (sh->launch_wait, NULL);
			return;
		}
		qmpsh_connect_failed (sh, error);
		return;
	}

	parser = qmpsh_parser_new ();
	qmpsh_parser_set_hmp (parser, sh->hmp);
	if (sh->at_terminal) {
		qmpsh_start_interactive (sh, parser);
		return;
	}
	sh->batch = qmpsh_batch_new (sh->client, parser);
	qmpsh_batch_set_format (sh->batch, sh->format);
	qmpsh_batch_set_print_events (sh->batch, sh->events);
	qmpsh_batch_set_echo (sh->batch, sh->echo);
	qmpsh_batch_set_pass_fds (sh->batch, sh->pass_fds);
	qmpsh_batch_run_async (sh->batch, sh->commands == NULL ? STDIN_FILENO : -1,
			       (const gchar *const *)sh->commands, qmpsh_batch_done_cb, sh);
}

static void
qmpsh_launcher_exited_cb (QmpshLauncher *launcher, const gchar *how, gpointer user_data)
{
	Qmpsh *sh = user_data;
	QmpRunstate runstate = qmp_protocol_get_runstate (QMP_PROTOCOL (sh->client));

	if (runstate == QMP_RUNSTATE_CONNECTING) {
		sh->launch_failure = g_strdup (how);
		qmp_protocol_disconnect_async (QMP_PROTOCOL (sh->client), NULL, NULL, NULL);
	} else if (sh->launch_error != NULL) {
		g_autoptr (GError) error = g_steal_pointer (&sh->launch_error);
		qmp_clear_source (&sh->launch_wait);
		sh->launch_failure = g_strdup (how);
		qmpsh_connect_failed (sh, error);
	}
}

/* what a launched QEMU prints: above the prompt at a terminal, on stderr otherwise */
static void
qmpsh_launcher_output_cb (QmpshLauncher *launcher, const gchar *line, gpointer user_data)
{
	Qmpsh *sh = user_data;

	if (sh->console != NULL) {
		qmpsh_console_print (sh->console, line);
		return;
	}
	fflush (stdout);
	g_printerr ("%s\n", line);
}

/* the transcript is lost from here on: said once, where the user looks */
static void
qmpsh_transcript_failed_cb (const GError *error, gpointer user_data)
{
	Qmpsh *sh = user_data;
	g_autofree gchar *text = g_strdup_printf ("qmpsh: %s", error->message);

	if (sh->console != NULL) {
		qmpsh_console_print (sh->console, text);
		return;
	}
	fflush (stdout);
	g_printerr ("%s\n", text);
}

static QmpshExit
qmpsh_signal_status (gint signum)
{
	switch (signum) {
	case SIGHUP:
		return QMPSH_EXIT_SIGHUP;
	case SIGTERM:
		return QMPSH_EXIT_SIGTERM;
	default:
		return QMPSH_EXIT_SIGINT;
	}
}

/* the session ends on a signal: said on stderr, and in the exit status */
static void
qmpsh_stop (Qmpsh *sh, gint signum)
{
	if (sh->signal != 0)
		return;
	sh->signal = signum;
	if (sh->console != NULL)
		qmpsh_console_stop (sh->console);
	fflush (stdout);
	g_printerr ("qmpsh: %s\n", signum == SIGHUP    ? "hung up"
				   : signum == SIGTERM ? "terminated"
						       : "interrupted");
	/* what is under way ends: a wait for QEMU to dial in stops listening, too */
	if (qmp_protocol_get_runstate (QMP_PROTOCOL (sh->client)) != QMP_RUNSTATE_IDLE)
		qmp_protocol_disconnect_async (QMP_PROTOCOL (sh->client), NULL, NULL, NULL);
	g_main_loop_quit (sh->loop);
}

static void
qmpsh_signal_cb (gint signum, gpointer user_data)
{
	Qmpsh *sh = user_data;
	/* at the prompt Ctrl-C stops waiting or clears the line; it never kills the shell */
	if (signum == SIGINT && sh->interactive != NULL) {
		qmpsh_interactive_interrupt (sh->interactive);
		return;
	}
	qmpsh_stop (sh, signum);
}

/*
 * Descriptors 0, 1 and 2 are the shell's: were one closed, the socket would
 * get its number, and replies would be written into the monitor.
 */
static gboolean
qmpsh_check_std_fds (void)
{
	for (gint fd = 0; fd <= 2; fd++) {
		gint null;
		if (fcntl (fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		null = g_open ("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0);
		if (null >= 0 && null != fd)
			close (null);
		if (fd == STDOUT_FILENO) {
			g_printerr ("qmpsh: standard output is closed, so replies have nowhere to "
				    "go (discard them with >/dev/null)\n");
			return FALSE;
		}
	}
	return TRUE;
}

/* anyone who reaches a plain TCP port has the VM: say so, unless it is loopback */
static void
qmpsh_warn_open_listen (QmpProtocol *protocol)
{
	g_autofree gchar *bound = qmp_protocol_dup_listen_address (protocol);
	g_autoptr (GSocketConnectable) address = qmp_address_parse (bound, NULL);
	g_autoptr (GSocketAddressEnumerator) e = NULL;
	g_autoptr (GSocketAddress) sockaddr = NULL;
	GInetAddress *inet;

	if (address == NULL || G_IS_UNIX_SOCKET_ADDRESS (address) ||
	    qmp_protocol_get_tls (protocol) != NULL)
		return;
	e = g_socket_connectable_enumerate (address);
	sockaddr = g_socket_address_enumerator_next (e, NULL, NULL);
	if (sockaddr == NULL || !G_IS_INET_SOCKET_ADDRESS (sockaddr))
		return;
	inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (sockaddr));
	if (g_inet_address_get_is_loopback (inet))
		return;
	g_printerr ("qmpsh: warning: listening on %s without TLS: whoever reaches it first "
		    "controls the VM (listen on 127.0.0.1 or a UNIX socket, or add --tls-creds)\n",
		    bound);
}

static gboolean
qmpsh_parse_seconds (const gchar *option, const gchar *value, guint *msec, GError **error)
{
	gchar *end = NULL;
	gdouble seconds = g_ascii_strtod (value, &end);
	if (end == value || *end != '\0' || seconds < 0 || seconds > G_MAXUINT / 1000) {
		g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			     "%s wants a number of seconds, not '%s'", option, value);
		return FALSE;
	}
	*msec = (guint)(seconds * 1000);
	return TRUE;
}

int
main (int argc, char **argv)
{
	Qmpsh sh = { 0 };
	gboolean launch = FALSE;
	gboolean skip_negotiation = FALSE;
	gboolean guest_agent = FALSE;
	g_autofree gchar *listen = NULL;
	g_auto (GStrv) pass_fd = NULL;
	g_autoptr (GArray) pass_fds = NULL;
	g_autofree gchar *tls_creds = NULL;
	g_autofree gchar *tls_ca = NULL;
	g_autofree gchar *tls_cert = NULL;
	g_autofree gchar *tls_key = NULL;
	g_autofree gchar *tls_hostname = NULL;
	g_autofree gchar *tls_psk = NULL;
	g_autofree gchar *tls_psk_user = NULL;
	g_autofree gchar *tls_priority = NULL;
	g_autoptr (QmpTlsConfig) tls = NULL;
	gboolean pretty = FALSE;
	gboolean compact = FALSE;
	gboolean sort_keys = FALSE;
	gboolean version = FALSE;
	g_autofree gchar *color = NULL;
	g_autofree gchar *log = NULL;
	gboolean use_color;
	g_autofree gchar *greeting_timeout = NULL;
	g_autofree gchar *command_timeout = NULL;
	gint64 max_message_size = 0;
	g_auto (GStrv) commands = NULL;
	g_auto (GStrv) rest = NULL;
	g_autoptr (GOptionContext) context = NULL;
	g_autoptr (GError) error = NULL;
	guint greeting_msec = 5000;
	guint command_msec = 0;
	GSource *signals = NULL;
	gint late_signal;
	const GOptionEntry entries[] = {
		{ "command", 'c', 0, G_OPTION_ARG_STRING_ARRAY, &commands,
		  "Run CMD and exit without reading standard input (repeatable)", "CMD" },
		{ "launch", 0, 0, G_OPTION_ARG_NONE, &launch,
		  "Start a throwaway QEMU (the command after --, or a bare x86_64 machine)", NULL },
		{ "pretty", 'p', 0, G_OPTION_ARG_NONE, &pretty, "Indent replies", NULL },
		{ "compact", 0, 0, G_OPTION_ARG_NONE, &compact, "One line of JSON per reply",
		  NULL },
		{ "sort-keys", 0, 0, G_OPTION_ARG_NONE, &sort_keys, "Sort object keys in output",
		  NULL },
		{ "color", 0, 0, G_OPTION_ARG_STRING, &color,
		  "Colour output: auto (at a terminal, unless NO_COLOR is set), always, never",
		  "WHEN" },
		{ "verbose", 'v', 0, G_OPTION_ARG_NONE, &sh.echo,
		  "Print each command, as sent, before its reply", NULL },
		{ "hmp", 'H', 0, G_OPTION_ARG_NONE, &sh.hmp,
		  "Lines are HMP commands, sent through human-monitor-command", NULL },
		{ "log", 'l', 0, G_OPTION_ARG_FILENAME, &log,
		  "Append a transcript of every message in and out to FILE", "FILE" },
		{ "events", 0, 0, G_OPTION_ARG_NONE, &sh.events,
		  "Print events as JSON lines among the replies", NULL },
		{ "ga", 0, 0, G_OPTION_ARG_NONE, &guest_agent,
		  "Speak to the guest agent (qemu-ga): no greeting, guest-sync-delimited first",
		  NULL },
		{ "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
		  "Wait for QEMU to dial in on ADDRESS (PATH or HOST:PORT); accept one peer",
		  "ADDRESS" },
		{ "tls-creds", 0, 0, G_OPTION_ARG_FILENAME, &tls_creds,
		  "TLS with QEMU's credential layout in DIR (ca-cert.pem, client-cert.pem, "
		  "client-key.pem; or keys.psk)",
		  "DIR" },
		{ "tls-ca", 0, 0, G_OPTION_ARG_FILENAME, &tls_ca,
		  "TLS: the CA certificate to verify the server with", "FILE" },
		{ "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, "TLS: the client certificate",
		  "FILE" },
		{ "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key,
		  "TLS: the client certificate's key", "FILE" },
		{ "tls-hostname", 0, 0, G_OPTION_ARG_STRING, &tls_hostname,
		  "TLS: the name the server's certificate must have (default: the address's host)",
		  "NAME" },
		{ "tls-psk", 0, 0, G_OPTION_ARG_FILENAME, &tls_psk,
		  "TLS with a pre-shared key from FILE (QEMU's keys.psk: USER:HEXKEY lines)",
		  "FILE" },
		{ "tls-psk-user", 0, 0, G_OPTION_ARG_STRING, &tls_psk_user,
		  "TLS-PSK: the username (default qemu)", "NAME" },
		{ "tls-priority", 0, 0, G_OPTION_ARG_STRING, &tls_priority,
		  "TLS: a GnuTLS priority string (default NORMAL)", "STRING" },
		{ "pass-fd", 0, 0, G_OPTION_ARG_STRING_ARRAY, &pass_fd,
		  "Let commands pass inherited descriptor N with <&N (repeatable)", "N" },
		{ "skip-negotiation", 'N', 0, G_OPTION_ARG_NONE, &skip_negotiation,
		  "Expect no greeting and negotiate nothing", NULL },
		{ "greeting-timeout", 0, 0, G_OPTION_ARG_STRING, &greeting_timeout,
		  "Seconds to wait for the greeting (default 5; 0 waits for ever)", "SECONDS" },
		{ "timeout", 't', 0, G_OPTION_ARG_STRING, &command_timeout,
		  "Seconds each command may wait for its reply (default: for ever)", "SECONDS" },
		{ "max-message-size", 0, 0, G_OPTION_ARG_INT64, &max_message_size,
		  "Largest message accepted from the server (default 64 MiB)", "BYTES" },
		{ "yes", 'y', 0, G_OPTION_ARG_NONE, &sh.yes,
		  "Do not ask before quit, system_reset and system_powerdown", NULL },
		{ "no-reconnect", 0, 0, G_OPTION_ARG_NONE, &sh.no_reconnect,
		  "At the prompt, end the session when the connection is lost", NULL },
		{ "version", 'V', 0, G_OPTION_ARG_NONE, &version, "Print the version and exit",
		  NULL },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, NULL },
		{ NULL },
	};

	setlocale (LC_ALL, "");
	if (!qmpsh_check_std_fds ())
		return QMPSH_EXIT_OUTPUT;
	/* stdout carries replies only: debug logs (G_MESSAGES_DEBUG) go to stderr */
	g_log_writer_default_set_use_stderr (TRUE);
	context =
		g_option_context_new ("ADDRESS | --launch [-- QEMU-COMMAND...] | --listen ADDRESS");
	g_option_context_set_summary (context, "A shell for QMP, the QEMU Machine Protocol.");
	g_option_context_add_main_entries (context, entries, NULL);
	g_option_context_set_description (
		context,
		"ADDRESS is a UNIX socket path (or unix:PATH), HOST:PORT (or tcp:HOST:PORT)\n"
		"or [IPV6]:PORT.\n"
		"Exit status: 0 all commands succeeded, 1 a command failed, 2 usage error,\n"
		"3 the connection failed or was lost, 130 interrupted.\n");
	if (!g_option_context_parse (context, &argc, &argv, &error) ||
	    (greeting_timeout != NULL &&
	     !qmpsh_parse_seconds ("--greeting-timeout", greeting_timeout, &greeting_msec,
				   &error)) ||
	    (command_timeout != NULL &&
	     !qmpsh_parse_seconds ("--timeout", command_timeout, &command_msec, &error))) {
		g_printerr ("qmpsh: %s\nTry 'qmpsh --help' for more information.\n",
			    error->message);
		return QMPSH_EXIT_USAGE;
	}
	if (version) {
		g_print ("qmpsh %s\n", QMPSH_VERSION);
		return QMPSH_EXIT_OK;
	}
	pass_fds = g_array_new (FALSE, FALSE, sizeof (gint));
	sh.pass_fds = pass_fds;
	for (guint i = 0; pass_fd != NULL && pass_fd[i] != NULL; i++) {
		gchar *end = NULL;
		guint64 fd = g_ascii_strtoull (pass_fd[i], &end, 10);
		gint n = (gint)fd;
		if (end == pass_fd[i] || *end != '\0' || fd > G_MAXINT || fcntl (n, F_GETFD) < 0) {
			g_printerr ("qmpsh: --pass-fd=%s: no such open descriptor\n", pass_fd[i]);
			return QMPSH_EXIT_USAGE;
		}
		g_array_append_val (sh.pass_fds, n);
	}
	if (launch && listen != NULL) {
		g_printerr ("qmpsh: --launch and --listen exclude each other\n");
		return QMPSH_EXIT_USAGE;
	}
	if (listen != NULL && rest != NULL) {
		g_printerr ("qmpsh: with --listen ADDRESS, give no other address\n");
		return QMPSH_EXIT_USAGE;
	}
	if (!launch && listen == NULL && (rest == NULL || g_strv_length (rest) != 1)) {
		g_printerr ("qmpsh: %s\nTry 'qmpsh --help' for more information.\n",
			    rest == NULL ? "no address given: name a QMP socket, or use --launch "
					   "or --listen"
					 : "give one address only");
		return QMPSH_EXIT_USAGE;
	}
	if (pretty && compact) {
		g_printerr ("qmpsh: --pretty and --compact exclude each other\n");
		return QMPSH_EXIT_USAGE;
	}
	if (max_message_size < 0) {
		g_printerr ("qmpsh: --max-message-size must be positive\n");
		return QMPSH_EXIT_USAGE;
	}
	if (color == NULL || g_strcmp0 (color, "auto") == 0) {
		const gchar *no_color = g_getenv ("NO_COLOR");
		use_color = isatty (STDOUT_FILENO) && (no_color == NULL || no_color[0] == '\0');
	} else if (g_strcmp0 (color, "always") == 0) {
		use_color = TRUE;
	} else if (g_strcmp0 (color, "never") == 0) {
		use_color = FALSE;
	} else {
		g_printerr ("qmpsh: --color takes auto, always or never, not '%s'\n", color);
		return QMPSH_EXIT_USAGE;
	}
	if (tls_creds != NULL || tls_ca != NULL || tls_cert != NULL || tls_key != NULL ||
	    tls_hostname != NULL || tls_psk != NULL || tls_psk_user != NULL ||
	    tls_priority != NULL) {
		QmpTlsEndpoint endpoint =
			listen != NULL ? QMP_TLS_ENDPOINT_SERVER : QMP_TLS_ENDPOINT_CLIENT;
		if (launch) {
			g_printerr ("qmpsh: --launch connects over a private UNIX socket: TLS "
				    "options do not apply\n");
			return QMPSH_EXIT_USAGE;
		}
		if (tls_psk_user != NULL && tls_psk == NULL && tls_creds == NULL) {
			g_printerr ("qmpsh: --tls-psk-user goes with --tls-psk or a --tls-creds "
				    "directory holding keys.psk\n");
			return QMPSH_EXIT_USAGE;
		}
		tls = tls_creds != NULL ? qmp_tls_config_new_from_dir (tls_creds, endpoint, &error)
					: qmp_tls_config_new ();
		if (tls == NULL ||
		    (tls_ca != NULL && !qmp_tls_config_set_ca_file (tls, tls_ca, &error)) ||
		    (tls_cert != NULL && !qmp_tls_config_set_cert_file (tls, tls_cert, &error)) ||
		    (tls_key != NULL && !qmp_tls_config_set_key_file (tls, tls_key, &error)) ||
		    (tls_psk != NULL && !qmp_tls_config_set_psk_file (tls, tls_psk, &error)) ||
		    (tls_priority != NULL &&
		     !qmp_tls_config_set_priority (tls, tls_priority, &error))) {
			g_printerr ("qmpsh: %s\n", error->message);
			return QMPSH_EXIT_USAGE;
		}
		if (tls_hostname != NULL)
			qmp_tls_config_set_hostname (tls, tls_hostname);
		if (tls_psk_user != NULL)
			qmp_tls_config_set_psk_username (tls, tls_psk_user);
		qmp_tls_config_set_handshake_timeout (tls, greeting_msec);
		if (!qmp_tls_config_check (tls, endpoint, &error)) {
			g_printerr ("qmpsh: %s\n", error->message);
			return QMPSH_EXIT_USAGE;
		}
	}
	if (log != NULL) {
		sh.transcript = qmpsh_transcript_open (log, &error);
		if (sh.transcript == NULL) {
			g_printerr ("qmpsh: %s\n", error->message);
			return QMPSH_EXIT_USAGE;
		}
	}

	/* the prompt is for people at a terminal; everything else is a script */
	sh.at_terminal = commands == NULL && isatty (STDIN_FILENO) && isatty (STDOUT_FILENO);
	/* a pipe takes replies in large writes; a terminal line by line */
	if (!isatty (STDOUT_FILENO))
		setvbuf (stdout, NULL, _IOFBF, 65536);
	/* JSON Lines for programs; indented for people, unless told otherwise */
	if (!pretty && !compact)
		pretty = isatty (STDOUT_FILENO);
	sh.format = (pretty ? QMPSH_FORMAT_PRETTY : 0) | (sort_keys ? QMPSH_FORMAT_SORT_KEYS : 0) |
		    (use_color ? QMPSH_FORMAT_COLOR : 0);
	sh.commands = commands;
	sh.loop = g_main_loop_new (NULL, FALSE);
	sh.client = qmp_client_new ();
	qmp_client_set_negotiate (sh.client, !skip_negotiation);
	if (guest_agent)
		qmp_client_set_guest_agent (sh.client, TRUE);
	qmp_client_set_greeting_timeout (sh.client, greeting_msec);
	qmp_client_set_command_timeout (sh.client, command_msec);
	qmp_protocol_set_max_message_size (QMP_PROTOCOL (sh.client), max_message_size);
	if (tls != NULL)
		qmp_protocol_set_tls (QMP_PROTOCOL (sh.client), tls);
	signals = qmpsh_signals_watch (qmpsh_signal_cb, &sh);
	g_source_attach (signals, NULL);
	if (sh.transcript != NULL)
		qmpsh_transcript_set_fail_func (sh.transcript, qmpsh_transcript_failed_cb, &sh);
	if (sh.transcript != NULL)
		qmpsh_transcript_attach (sh.transcript, QMP_PROTOCOL (sh.client),
					 launch		  ? "a launched QEMU"
					 : listen != NULL ? listen
							  : rest[0]);

	sh.accepting = listen != NULL;
	if (listen != NULL) {
		if (!qmp_protocol_listen (QMP_PROTOCOL (sh.client), listen, &error)) {
			g_printerr ("qmpsh: %s\n", error->message);
			sh.status = QMPSH_EXIT_CONNECTION;
		} else {
			g_autofree gchar *bound =
				qmp_protocol_dup_listen_address (QMP_PROTOCOL (sh.client));
			/* said on stderr, so that a script can start QEMU towards it */
			qmpsh_warn_open_listen (QMP_PROTOCOL (sh.client));
			g_printerr ("qmpsh: waiting for QEMU to connect to %s\n", bound);
			sh.target = g_steal_pointer (&bound);
			qmp_protocol_accept_async (QMP_PROTOCOL (sh.client), NULL,
						   qmpsh_connected_cb, &sh);
			g_main_loop_run (sh.loop);
		}
	} else if (launch) {
		sh.launcher = qmpsh_launcher_new ((const gchar *const *)rest);
		g_signal_connect (sh.launcher, "exited", G_CALLBACK (qmpsh_launcher_exited_cb),
				  &sh);
		g_signal_connect (sh.launcher, "output", G_CALLBACK (qmpsh_launcher_output_cb),
				  &sh);
		if (!qmpsh_launcher_start (sh.launcher, &error)) {
			g_printerr ("qmpsh: %s\n", error->message);
			sh.status = QMPSH_EXIT_CONNECTION;
		} else {
			sh.target = g_strdup ("launched QEMU");
			qmp_protocol_open_async (
				QMP_PROTOCOL (sh.client), qmpsh_launcher_get_stream (sh.launcher),
				"the launched QEMU", NULL, qmpsh_connected_cb, &sh);
			g_main_loop_run (sh.loop);
		}
	} else {
		sh.target = g_strdup (rest[0]);
		sh.address = g_strdup (rest[0]);
		qmp_protocol_set_name (QMP_PROTOCOL (sh.client), rest[0]);
		qmp_protocol_connect_async (QMP_PROTOCOL (sh.client), rest[0], NULL,
					    qmpsh_connected_cb, &sh);
		g_main_loop_run (sh.loop);
	}

	fflush (stdout);
	if (sh.launcher != NULL)
		qmpsh_launcher_stop (sh.launcher);
	/* let cancelled operations report, so that nothing outlives the loop */
	while (g_main_context_iteration (NULL, FALSE))
		;
	/* a signal that came as the work ended still ends the run as a signal */
	late_signal = qmpsh_signals_last_word ();
	if (sh.signal == 0 && late_signal != 0 && (late_signal != SIGINT || sh.interactive == NULL))
		qmpsh_stop (&sh, late_signal);
	if (sh.signal != 0)
		sh.status = qmpsh_signal_status (sh.signal);
	else if (sh.transcript != NULL && qmpsh_transcript_has_failed (sh.transcript) &&
		 sh.status < QMPSH_EXIT_OUTPUT)
		sh.status = QMPSH_EXIT_OUTPUT;
	qmp_clear_source (&signals);
	qmp_clear_source (&sh.launch_wait);
	g_clear_error (&sh.launch_error);
	g_clear_object (&sh.batch);
	g_clear_object (&sh.interactive);
	g_clear_object (&sh.console);
	g_clear_pointer (&sh.transcript, qmpsh_transcript_free);
	g_clear_object (&sh.launcher);
	g_clear_object (&sh.client);
	g_main_loop_unref (sh.loop);
	g_free (sh.target);
	g_free (sh.address);
	g_free (sh.launch_failure);
	return sh.status;
}
