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
#include "qmpsh-config.h"
#include "qmpsh-console.h"
#include "qmpsh-discover.h"
#include "qmpsh-files.h"
#include "qmpsh-fleet.h"
#include "qmpsh-hints.h"
#include "qmpsh-interactive.h"
#include "qmpsh-launcher.h"
#include "qmpsh-options.h"
#include "qmpsh-output.h"
#include "qmpsh-signals.h"
#include "qmpsh-transcript.h"

typedef struct {
	const QmpshOptions *options;
	GHashTable *aliases; /* the config file's */
	GMainLoop *loop;
	QmpClient *client;
	QmpshLauncher *launcher;
	QmpshSession *session;
	QmpshBatch *batch;
	QmpshInteractive *interactive;
	QmpshConsole *console;
	QmpshTranscript *transcript;
	GSource *signals;
	gboolean at_terminal;
	gchar *target; /* what the peer is called in messages */
	gchar *launch_failure;
	QmpshExit status;
	gint signal;	      /* the signal that ended the session, whatever finishes after */
	GError *launch_error; /* the connection to a launched QEMU failed: said once it exited */
	GSource *launch_wait;
} Qmpsh;

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
	JsonNode *ret = qmp_client_execute_finish (QMP_CLIENT (source), res, NULL);

	/* answered or not, the session ends */
	g_clear_pointer (&ret, json_node_unref);
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

/* the front end is done: the run ends once the connection is down */
static void
qmpsh_ended_cb (QmpshSession *session, gint status, gpointer user_data)
{
	Qmpsh *sh = user_data;
	sh->status = status;
	qmpsh_front_done (sh);
}

static void
qmpsh_start_interactive (Qmpsh *sh, QmpshSession *session)
{
	g_autofree gchar *state = qmpsh_files_state_dir ();
	g_autofree gchar *history = g_build_filename (state, "qmpsh", "history", NULL);
	g_autofree gchar *cache = g_build_filename (g_get_user_cache_dir (), "qmpsh", NULL);
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
	qmpsh_session_set_confirm (session, !sh->options->yes);
	/* the prompt completes at once from the schema of the last run, if it was this server's */
	qmpsh_introspect_set_cache_dir (qmpsh_session_get_introspect (session), cache);
	sh->interactive = qmpsh_interactive_new (session, sh->console, sh->target,
						 sh->options->format, sh->options->echo);
	if (!sh->options->no_reconnect)
		qmpsh_interactive_set_reconnect (sh->interactive, sh->options->address);
	if (sh->options->no_pager)
		qmpsh_interactive_set_pager (sh->interactive, FALSE);
	qmpsh_interactive_start (sh->interactive);
}

/*
 * A monitor that sends no greeting or lets nobody in: when the reason is
 * known (libvirtd's, or held by another client), the line says that instead
 */
static gboolean
qmpsh_connect_explained (Qmpsh *sh, const GError *error)
{
	const gchar *address = sh->options->address;
	g_autofree gchar *why = NULL;

	if (address == NULL || sh->options->launch || sh->options->listen != NULL ||
	    sh->options->guest_agent ||
	    !(g_error_matches (error, QMP_ERROR, QMP_ERROR_TIMEOUT) ||
	      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED)))
		return FALSE;
	/* greeted, then stuck: the monitor is ours, and QEMU is what is slow */
	if (sh->client != NULL && qmp_client_get_greeting (sh->client) != NULL)
		return FALSE;
	why = qmpsh_discover_explain_silence (address);
	if (why == NULL)
		return FALSE;
	g_printerr ("qmpsh: connecting to %s: %s\n", address, why);
	return TRUE;
}

static void
qmpsh_connect_failed (Qmpsh *sh, const GError *error)
{
	g_autofree gchar *hint = qmpsh_hints_for_connect (error, sh->target);

	/* what the library reports names no option of ours: the shell adds which one helps */
	if (hint == NULL)
		hint = qmpsh_hints_for_error (error);

	if (sh->launch_failure != NULL)
		g_printerr ("qmpsh: QEMU %s before it connected; see its messages above\n",
			    sh->launch_failure);
	else if (qmpsh_connect_explained (sh, error))
		g_debug ("connecting: %s", error->message);
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
	g_autoptr (QmpshSession) session = NULL;
	gboolean ok;

	if (sh->options->listen != NULL)
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

	session = qmpsh_session_new (sh->client, sh->at_terminal);
	sh->session = g_object_ref (session);
	g_signal_connect (session, "ended", G_CALLBACK (qmpsh_ended_cb), sh);
	qmpsh_session_apply_options (session, sh->options, sh->aliases);
	if (sh->at_terminal) {
		qmpsh_start_interactive (sh, session);
		return;
	}
	sh->batch = qmpsh_batch_new (session, sh->options->format, sh->options->echo);
	qmpsh_batch_start (sh->batch, sh->options->commands == NULL ? STDIN_FILENO : -1,
			   (const gchar *const *)sh->options->commands);
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
	if (sh->session != NULL)
		qmpsh_session_close (sh->session);
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

/* the client, as the options say */
static void
qmpsh_setup (Qmpsh *sh)
{
	const QmpshOptions *o = sh->options;

	sh->loop = g_main_loop_new (NULL, FALSE);
	sh->client = qmpsh_options_new_client (o);
	sh->signals = qmpsh_signals_watch (qmpsh_signal_cb, sh);
	g_source_attach (sh->signals, NULL);
	if (sh->transcript != NULL) {
		qmpsh_transcript_set_fail_func (sh->transcript, qmpsh_transcript_failed_cb, sh);
		qmpsh_transcript_attach (sh->transcript, QMP_PROTOCOL (sh->client),
					 o->launch	     ? "a launched QEMU"
					 : o->listen != NULL ? o->listen
							     : o->address);
	}
}

/* the launched QEMU runs: the session opens on its monitor */
static void
qmpsh_launched_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	Qmpsh *sh = user_data;
	g_autoptr (GError) error = NULL;

	if (!qmpsh_launcher_start_finish (QMPSH_LAUNCHER (source), res, &error)) {
		if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			return; /* stopped, by a signal that was said */
		g_printerr ("qmpsh: %s\n", error->message);
		sh->status = QMPSH_EXIT_CONNECTION;
		g_main_loop_quit (sh->loop);
		return;
	}
	qmp_protocol_open_async (QMP_PROTOCOL (sh->client),
				 qmpsh_launcher_get_stream (sh->launcher), "the launched QEMU",
				 NULL, qmpsh_connected_cb, sh);
}

/* listen, launch or connect; FALSE if that failed at once */
static gboolean
qmpsh_start (Qmpsh *sh, GError **error)
{
	const QmpshOptions *o = sh->options;

	if (o->listen != NULL) {
		if (!qmp_protocol_listen (QMP_PROTOCOL (sh->client), o->listen, error))
			return FALSE;
		sh->target = qmp_protocol_dup_listen_address (QMP_PROTOCOL (sh->client));
		qmpsh_warn_open_listen (QMP_PROTOCOL (sh->client));
		/* said on stderr, so that a script can start QEMU towards it */
		g_printerr ("qmpsh: waiting for QEMU to connect to %s\n", sh->target);
		qmp_protocol_accept_async (QMP_PROTOCOL (sh->client), NULL, qmpsh_connected_cb, sh);
		return TRUE;
	}
	if (o->launch) {
		sh->launcher = qmpsh_launcher_new ((const gchar *const *)o->launch_argv);
		g_signal_connect (sh->launcher, "exited", G_CALLBACK (qmpsh_launcher_exited_cb),
				  sh);
		g_signal_connect (sh->launcher, "output", G_CALLBACK (qmpsh_launcher_output_cb),
				  sh);
		sh->target = g_strdup ("launched QEMU");
		qmpsh_launcher_start_async (sh->launcher, qmpsh_launched_cb, sh);
		return TRUE;
	}
	sh->target = g_strdup (o->address);
	qmp_protocol_set_name (QMP_PROTOCOL (sh->client), o->address);
	qmp_protocol_connect_async (QMP_PROTOCOL (sh->client), o->address, NULL, qmpsh_connected_cb,
				    sh);
	return TRUE;
}

/* after the loop: what is left runs out, and the exit status is settled */
static void
qmpsh_finish (Qmpsh *sh)
{
	gint late_signal;

	fflush (stdout);
	if (sh->launcher != NULL)
		qmpsh_launcher_stop (sh->launcher);
	/* let cancelled operations report, so that nothing outlives the loop */
	while (g_main_context_iteration (NULL, FALSE))
		;
	/* a signal that came as the work ended still ends the run as a signal */
	late_signal = qmpsh_signals_last_word ();
	if (sh->signal == 0 && late_signal != 0 &&
	    (late_signal != SIGINT || sh->interactive == NULL))
		qmpsh_stop (sh, late_signal);
	if (sh->signal != 0)
		sh->status = qmpsh_signal_status (sh->signal);
	else if (sh->transcript != NULL && qmpsh_transcript_has_failed (sh->transcript) &&
		 sh->status < QMPSH_EXIT_OUTPUT)
		sh->status = QMPSH_EXIT_OUTPUT;
	qmp_clear_source (&sh->signals);
	qmp_clear_source (&sh->launch_wait);
	g_clear_error (&sh->launch_error);
	g_clear_object (&sh->batch);
	g_clear_object (&sh->interactive);
	g_clear_object (&sh->session);
	g_clear_object (&sh->console);
	g_clear_pointer (&sh->transcript, qmpsh_transcript_free);
	g_clear_object (&sh->launcher);
	g_clear_object (&sh->client);
	g_clear_pointer (&sh->loop, g_main_loop_unref);
	g_free (sh->target);
	g_free (sh->launch_failure);
}

static QmpshExit
qmpsh_run (const QmpshOptions *options, GHashTable *aliases)
{
	Qmpsh sh = { 0 };
	g_autoptr (GError) error = NULL;

	sh.options = options;
	sh.aliases = aliases;
	/* the prompt is for people at a terminal; everything else is a script */
	sh.at_terminal =
		options->commands == NULL && isatty (STDIN_FILENO) && isatty (STDOUT_FILENO);
	/* only a prompt loads readline (the console module): said before connecting */
	if (sh.at_terminal && !qmpsh_console_load (&error)) {
		g_printerr ("qmpsh: %s\n", error->message);
		return QMPSH_EXIT_USAGE;
	}
	if (options->log != NULL) {
		sh.transcript = qmpsh_transcript_open (options->log, &error);
		if (sh.transcript == NULL) {
			g_printerr ("qmpsh: %s\n", error->message);
			return QMPSH_EXIT_USAGE;
		}
	}
	qmpsh_output_buffer_stdout ();
	qmpsh_setup (&sh);
	if (qmpsh_start (&sh, &error)) {
		g_main_loop_run (sh.loop);
	} else {
		g_printerr ("qmpsh: %s\n", error->message);
		sh.status = QMPSH_EXIT_CONNECTION;
	}
	qmpsh_finish (&sh);
	return sh.status;
}

/* `--list`: the endpoints on this machine, as a table, JSON Lines or addresses */
static QmpshExit
qmpsh_list (const QmpshOptions *options)
{
	g_autoptr (GPtrArray) endpoints = qmpsh_discover_find_all ();
	g_autofree gchar *text = options->json ? qmpsh_discover_to_json (endpoints)
				 : options->names
					 ? qmpsh_discover_to_names (endpoints, options->guest_agent)
					 : qmpsh_discover_to_table (endpoints);

	if (endpoints->len == 0 && !options->json) {
		g_printerr ("qmpsh: no QMP sockets found that this user can reach\n");
		return QMPSH_EXIT_OK;
	}
	if (fputs (text, stdout) == EOF || fflush (stdout) != 0) {
		g_printerr ("qmpsh: cannot write the output: %s\n", g_strerror (errno));
		return QMPSH_EXIT_OUTPUT;
	}
	return QMPSH_EXIT_OK;
}

/* `qmpsh NAME`: a word that is no address and no file names a VM */
static gboolean
qmpsh_resolve_name (QmpshOptions *options, QmpshExit *status)
{
	g_autoptr (GPtrArray) endpoints = NULL;
	g_autoptr (GError) error = NULL;
	gchar *address;

	if (!qmpsh_discover_is_name (options->address))
		return TRUE;
	endpoints = qmpsh_discover_find_all ();
	address =
		qmpsh_discover_resolve (endpoints, options->address, options->guest_agent, &error);
	if (address == NULL) {
		g_printerr ("qmpsh: %s\n", error->message);
		/* nothing to connect to, as for a missing socket; an ambiguous name is the
		 * command line's to fix */
		*status = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
				  ? QMPSH_EXIT_CONNECTION
				  : QMPSH_EXIT_USAGE;
		return FALSE;
	}
	g_free (options->address);
	options->address = address;
	return TRUE;
}

/* what the shell completions may offer for an address besides files: targets and VMs */
static gchar **
qmpsh_address_names (QmpshConfig *config)
{
	g_autoptr (GPtrArray) endpoints = qmpsh_discover_find_all ();
	g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
	g_auto (GStrv) targets = qmpsh_config_get_targets (config);

	for (guint i = 0; targets[i] != NULL; i++)
		g_ptr_array_add (names, g_strdup (targets[i]));
	for (guint i = 0; i < endpoints->len; i++) {
		QmpshDiscoverEndpoint *endpoint = g_ptr_array_index (endpoints, i);

		if (endpoint->name != NULL)
			g_ptr_array_add (names, g_strdup (endpoint->name));
		/* HOST:PORT forms: the TCP monitors there are */
		if (endpoint->address[0] != '/')
			g_ptr_array_add (names, g_strdup (endpoint->address));
	}
	g_ptr_array_add (names, NULL);
	return (gchar **)g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/* -V, --help, or what the shell completions ask */
static gchar *
qmpsh_info (const QmpshOptions *options, QmpshConfig *config)
{
	if (options->complete != NULL) {
		g_auto (GStrv) names = qmpsh_address_names (config);
		return qmpsh_options_complete (options->complete, options->complete_line,
					       (const gchar *const *)names);
	}
	if (options->help)
		return qmpsh_options_help ();
	return g_strdup_printf ("qmpsh %s\n", QMPSH_VERSION);
}

int
main (int argc, char **argv)
{
	QmpshOptions options = { 0 };
	g_autoptr (GError) error = NULL;
	gboolean suggest_help = FALSE;
	gboolean explicit = FALSE;
	g_autofree gchar *config_path = NULL;
	g_autoptr (QmpshConfig) config = NULL;
	QmpshExit status;

	setlocale (LC_ALL, "");
	if (!qmpsh_check_std_fds ())
		return QMPSH_EXIT_OUTPUT;
	/* stdout carries replies only: debug logs (G_MESSAGES_DEBUG) go to stderr */
	g_log_writer_default_set_use_stderr (TRUE);
	/* the file's options go before the command line's, which win */
	config_path = qmpsh_config_choose (argc, argv, &explicit);
	config = qmpsh_config_load (config_path, explicit);
	if (!qmpsh_config_parse_options (config, &options, argc, argv, &suggest_help, &error)) {
		g_autofree gchar *text = qmpsh_hints_describe (error);

		g_printerr ("qmpsh: %s\n%s", text,
			    suggest_help ? "Try 'qmpsh --help' for more information.\n" : "");
		qmpsh_options_clear (&options);
		return QMPSH_EXIT_USAGE;
	}
	if (options.version || options.help || options.complete != NULL) {
		g_autofree gchar *text = qmpsh_info (&options, config);

		g_print ("%s", text);
		qmpsh_options_clear (&options);
		return QMPSH_EXIT_OK;
	}
	if (options.list)
		status = qmpsh_list (&options);
	else if (options.targets != NULL)
		status = qmpsh_fleet_run (&options, config, argc, argv);
	else if (qmpsh_resolve_name (&options, &status))
		status = qmpsh_run (&options, qmpsh_config_get_aliases (config));
	qmpsh_options_clear (&options);
	return status;
}
