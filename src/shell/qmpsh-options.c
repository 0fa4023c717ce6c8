/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-options.h"

#include <fcntl.h>
#include <unistd.h>

/* what the options table fills in, before it is checked */
typedef struct {
	gchar **pass_fd;
	gchar *tls_creds;
	gchar *tls_ca;
	gchar *tls_cert;
	gchar *tls_key;
	gchar *tls_hostname;
	gchar *tls_psk;
	gchar *tls_psk_user;
	gchar *tls_priority;
	gboolean pretty;
	gboolean compact;
	gboolean sort_keys;
	gchar *color;
	gchar *greeting_timeout;
	gchar *command_timeout;
	gchar *config; /* read before the parse, by qmpsh-config: here for --help */
	gboolean no_config;
	gchar **rest;
} Raw;

static void
raw_clear (Raw *raw)
{
	g_strfreev (raw->pass_fd);
	g_free (raw->tls_creds);
	g_free (raw->tls_ca);
	g_free (raw->tls_cert);
	g_free (raw->tls_key);
	g_free (raw->tls_hostname);
	g_free (raw->tls_psk);
	g_free (raw->tls_psk_user);
	g_free (raw->tls_priority);
	g_free (raw->color);
	g_free (raw->greeting_timeout);
	g_free (raw->command_timeout);
	g_free (raw->config);
	g_strfreev (raw->rest);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Raw, raw_clear)

static gboolean
usage (GError **error, const gchar *message)
{
	g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, message);
	return FALSE;
}

static gboolean
parse_seconds (const gchar *option, const gchar *value, guint *msec, GError **error)
{
	gchar *end = NULL;
	gdouble seconds;

	if (value == NULL)
		return TRUE;
	seconds = g_ascii_strtod (value, &end);
	if (end == value || *end != '\0' || !(seconds >= 0) || seconds > G_MAXUINT / 1000) {
		g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			     "%s wants a number of seconds, not '%s'", option, value);
		return FALSE;
	}
	*msec = (guint)(seconds * 1000);
	return TRUE;
}

static gboolean
parse_pass_fds (QmpshOptions *self, gchar **pass_fd, GError **error)
{
	for (guint i = 0; pass_fd != NULL && pass_fd[i] != NULL; i++) {
		gchar *end = NULL;
		guint64 fd = g_ascii_strtoull (pass_fd[i], &end, 10);
		gint n = (gint)fd;
		if (end == pass_fd[i] || *end != '\0' || fd > G_MAXINT || fcntl (n, F_GETFD) < 0) {
			g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
				     "--pass-fd=%s: no such open descriptor", pass_fd[i]);
			return FALSE;
		}
		g_array_append_val (self->pass_fds, n);
	}
	return TRUE;
}

/* colour at a terminal, unless NO_COLOR says otherwise (https://no-color.org) */
static gboolean
parse_color (const gchar *color, gboolean *use, GError **error)
{
	const gchar *no_color = g_getenv ("NO_COLOR");

	if (color == NULL || g_strcmp0 (color, "auto") == 0)
		*use = isatty (STDOUT_FILENO) && (no_color == NULL || no_color[0] == '\0');
	else if (g_strcmp0 (color, "always") == 0)
		*use = TRUE;
	else if (g_strcmp0 (color, "never") == 0)
		*use = FALSE;
	else {
		g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			     "--color takes auto, always or never, not '%s'", color);
		return FALSE;
	}
	return TRUE;
}

static gboolean
parse_tls (QmpshOptions *self, Raw *raw, GError **error)
{
	QmpTlsEndpoint endpoint =
		self->listen != NULL ? QMP_TLS_ENDPOINT_SERVER : QMP_TLS_ENDPOINT_CLIENT;
	g_autoptr (QmpTlsConfig) tls = NULL;

	if (raw->tls_creds == NULL && raw->tls_ca == NULL && raw->tls_cert == NULL &&
	    raw->tls_key == NULL && raw->tls_hostname == NULL && raw->tls_psk == NULL &&
	    raw->tls_psk_user == NULL && raw->tls_priority == NULL)
		return TRUE;
	if (self->launch)
		return usage (error, "--launch connects over a private UNIX socket: TLS options "
				     "do not apply");
	if (raw->tls_psk_user != NULL && raw->tls_psk == NULL && raw->tls_creds == NULL)
		return usage (error, "--tls-psk-user goes with --tls-psk or a --tls-creds "
				     "directory holding keys.psk");
	tls = raw->tls_creds != NULL ? qmp_tls_config_new_from_dir (raw->tls_creds, endpoint, error)
				     : qmp_tls_config_new ();
	if (tls == NULL ||
	    (raw->tls_ca != NULL && !qmp_tls_config_set_ca_file (tls, raw->tls_ca, error)) ||
	    (raw->tls_cert != NULL && !qmp_tls_config_set_cert_file (tls, raw->tls_cert, error)) ||
	    (raw->tls_key != NULL && !qmp_tls_config_set_key_file (tls, raw->tls_key, error)) ||
	    (raw->tls_psk != NULL && !qmp_tls_config_set_psk_file (tls, raw->tls_psk, error)) ||
	    (raw->tls_priority != NULL &&
	     !qmp_tls_config_set_priority (tls, raw->tls_priority, error)))
		return FALSE;
	if (raw->tls_hostname != NULL)
		qmp_tls_config_set_hostname (tls, raw->tls_hostname);
	if (raw->tls_psk_user != NULL)
		qmp_tls_config_set_psk_username (tls, raw->tls_psk_user);
	qmp_tls_config_set_handshake_timeout (tls, self->greeting_msec);
	if (!qmp_tls_config_check (tls, endpoint, error))
		return FALSE;
	self->tls = g_steal_pointer (&tls);
	return TRUE;
}

/* the one address, or the QEMU command line of --launch */
static gboolean
parse_target (QmpshOptions *self, Raw *raw, gboolean *suggest_help, GError **error)
{
	if (self->launch && self->listen != NULL)
		return usage (error, "--launch and --listen exclude each other");
	if (self->listen != NULL && raw->rest != NULL)
		return usage (error, "with --listen ADDRESS, give no other address");
	if (self->launch) {
		self->launch_argv = g_steal_pointer (&raw->rest);
		return TRUE;
	}
	if (self->listen == NULL && (raw->rest == NULL || g_strv_length (raw->rest) != 1)) {
		*suggest_help = TRUE;
		return usage (error, raw->rest == NULL ? "no address given: name a QMP socket, or "
							 "use --launch or --listen"
						       : "give one address only");
	}
	if (raw->rest != NULL)
		self->address = g_strdup (raw->rest[0]);
	return TRUE;
}

static gboolean
parse_output (QmpshOptions *self, Raw *raw, GError **error)
{
	gboolean use_color = FALSE;

	if (raw->pretty && raw->compact)
		return usage (error, "--pretty and --compact exclude each other");
	if (!parse_color (raw->color, &use_color, error))
		return FALSE;
	/* JSON Lines for programs; indented for people, unless told otherwise */
	if (!raw->pretty && !raw->compact)
		raw->pretty = isatty (STDOUT_FILENO);
	self->format = (raw->pretty ? QMPSH_FORMAT_PRETTY : 0) |
		       (raw->sort_keys ? QMPSH_FORMAT_SORT_KEYS : 0) |
		       (use_color ? QMPSH_FORMAT_COLOR : 0);
	return TRUE;
}

/* -v: the commands; -vv: every message too */
static gboolean
parse_verbose (const gchar *name, const gchar *value, gpointer data, GError **error)
{
	QmpshOptions *self = data;

	if (self->echo)
		self->raw = TRUE;
	self->echo = TRUE;
	return TRUE;
}

/* `--events`, or `--events=PATTERN,...` */
static gboolean
parse_events (const gchar *name, const gchar *value, gpointer data, GError **error)
{
	QmpshOptions *self = data;

	self->events = TRUE;
	g_clear_pointer (&self->event_patterns, g_strfreev);
	if (value == NULL || value[0] == '\0')
		return TRUE;
	self->event_patterns = g_strsplit (value, ",", -1);
	for (guint i = 0; self->event_patterns[i] != NULL; i++) {
		if (self->event_patterns[i][0] == '\0')
			return usage (error, "--events takes event names or patterns, "
					     "separated by commas (--events=STOP,BLOCK_JOB_*)");
	}
	return TRUE;
}

/* qmpsh-config reads these before the parse: here, they are checked and listed */
static void
add_config_entries (GOptionGroup *group, Raw *raw)
{
	const GOptionEntry entries[] = {
		{ "config", 0, 0, G_OPTION_ARG_FILENAME, &raw->config,
		  "Read FILE instead of ~/.config/qmpsh/config", "FILE" },
		{ "no-config", 0, 0, G_OPTION_ARG_NONE, &raw->no_config, "Read no config file",
		  NULL },
		G_OPTION_ENTRY_NULL,
	};
	g_option_group_add_entries (group, entries);
}

static GOptionContext *
options_context (QmpshOptions *self, Raw *raw)
{
	GOptionGroup *main_group;
	const GOptionEntry entries[] = {
		{ "command", 'c', 0, G_OPTION_ARG_STRING_ARRAY, &self->commands,
		  "Run CMD and exit without reading standard input (repeatable)", "CMD" },
		{ "launch", 0, 0, G_OPTION_ARG_NONE, &self->launch,
		  "Start a throwaway QEMU (the command after --, or a bare x86_64 machine)", NULL },
		{ "pretty", 'p', 0, G_OPTION_ARG_NONE, &raw->pretty, "Indent replies", NULL },
		{ "compact", 0, 0, G_OPTION_ARG_NONE, &raw->compact, "One line of JSON per reply",
		  NULL },
		{ "sort-keys", 0, 0, G_OPTION_ARG_NONE, &raw->sort_keys,
		  "Sort object keys in output", NULL },
		{ "color", 0, 0, G_OPTION_ARG_STRING, &raw->color,
		  "Colour output: auto (at a terminal, unless NO_COLOR is set), always, never",
		  "WHEN" },
		{ "verbose", 'v', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, parse_verbose,
		  "Print each command, as sent, before its reply; twice (-vv), every message in "
		  "and out too, with its time",
		  NULL },
		{ "hmp", 'H', 0, G_OPTION_ARG_NONE, &self->hmp,
		  "Lines are HMP commands, sent through human-monitor-command", NULL },
		{ "log", 'l', 0, G_OPTION_ARG_FILENAME, &self->log,
		  "Append a transcript of every message in and out to FILE", "FILE" },
		{ "events", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, parse_events,
		  "Print events as JSON lines among the replies; only those named, with globs "
		  "(BLOCK_JOB_*), if given",
		  "[PATTERN,...]" },
		{ "exit-on-error", 'e', 0, G_OPTION_ARG_NONE, &self->exit_on_error,
		  "Stop at the first failed command: nothing after it is sent", NULL },
		{ "read-only", 0, 0, G_OPTION_ARG_NONE, &self->read_only,
		  "Send only commands that change nothing (query-*, qom-get, qom-list, HMP info, "
		  "...); refuse the rest before sending",
		  NULL },
		{ "ga", 0, 0, G_OPTION_ARG_NONE, &self->guest_agent,
		  "Speak to the guest agent (qemu-ga): no greeting, guest-sync-delimited first",
		  NULL },
		{ "listen", 0, 0, G_OPTION_ARG_STRING, &self->listen,
		  "Wait for QEMU to dial in on ADDRESS (PATH or HOST:PORT); accept one peer",
		  "ADDRESS" },
		{ "tls-creds", 0, 0, G_OPTION_ARG_FILENAME, &raw->tls_creds,
		  "TLS with QEMU's credential layout in DIR (ca-cert.pem, client-cert.pem, "
		  "client-key.pem; or keys.psk)",
		  "DIR" },
		{ "tls-ca", 0, 0, G_OPTION_ARG_FILENAME, &raw->tls_ca,
		  "TLS: the CA certificate to verify the server with", "FILE" },
		{ "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &raw->tls_cert,
		  "TLS: the client certificate", "FILE" },
		{ "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &raw->tls_key,
		  "TLS: the client certificate's key", "FILE" },
		{ "tls-hostname", 0, 0, G_OPTION_ARG_STRING, &raw->tls_hostname,
		  "TLS: the name the server's certificate must have (default: the address's host)",
		  "NAME" },
		{ "tls-psk", 0, 0, G_OPTION_ARG_FILENAME, &raw->tls_psk,
		  "TLS with a pre-shared key from FILE (QEMU's keys.psk: USER:HEXKEY lines)",
		  "FILE" },
		{ "tls-psk-user", 0, 0, G_OPTION_ARG_STRING, &raw->tls_psk_user,
		  "TLS-PSK: the username (default qemu)", "NAME" },
		{ "tls-priority", 0, 0, G_OPTION_ARG_STRING, &raw->tls_priority,
		  "TLS: a GnuTLS priority string (default NORMAL)", "STRING" },
		{ "pass-fd", 0, 0, G_OPTION_ARG_STRING_ARRAY, &raw->pass_fd,
		  "Let commands pass inherited descriptor N with <&N (repeatable)", "N" },
		{ "skip-negotiation", 'N', 0, G_OPTION_ARG_NONE, &self->skip_negotiation,
		  "Expect no greeting and negotiate nothing", NULL },
		{ "greeting-timeout", 0, 0, G_OPTION_ARG_STRING, &raw->greeting_timeout,
		  "Seconds to wait for the greeting (default 5; 0 waits for ever)", "SECONDS" },
		{ "timeout", 't', 0, G_OPTION_ARG_STRING, &raw->command_timeout,
		  "Seconds each command may wait for its reply (default: for ever)", "SECONDS" },
		{ "max-message-size", 0, 0, G_OPTION_ARG_INT64, &self->max_message_size,
		  "Largest message accepted from the server (default 64 MiB)", "BYTES" },
		{ "yes", 'y', 0, G_OPTION_ARG_NONE, &self->yes,
		  "Do not ask before quit, system_reset and system_powerdown", NULL },
		{ "no-pager", 0, 0, G_OPTION_ARG_NONE, &self->no_pager,
		  "At the prompt, show replies taller than the terminal as they are, not through "
		  "$PAGER (less -FRX)",
		  NULL },
		{ "no-reconnect", 0, 0, G_OPTION_ARG_NONE, &self->no_reconnect,
		  "At the prompt, end the session when the connection is lost", NULL },
		{ "version", 'V', 0, G_OPTION_ARG_NONE, &self->version,
		  "Print the version and exit", NULL },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &raw->rest, NULL, NULL },
		G_OPTION_ENTRY_NULL,
	};
	GOptionContext *context =
		g_option_context_new ("ADDRESS | --launch [-- QEMU-COMMAND...] | --listen ADDRESS");

	g_option_context_set_summary (context, "A shell for QMP, the QEMU Machine Protocol.");
	main_group = g_option_group_new (NULL, NULL, NULL, self, NULL);
	g_option_group_add_entries (main_group, entries);
	add_config_entries (main_group, raw);
	g_option_context_set_main_group (context, main_group);
	g_option_context_set_description (
		context,
		"ADDRESS is a UNIX socket path (or unix:PATH), HOST:PORT (or tcp:HOST:PORT)\n"
		"or [IPV6]:PORT.\n"
		"Exit status: 0 all commands succeeded, 1 a command failed, 2 usage error,\n"
		"3 the connection failed or was lost, 4 the output could not be written,\n"
		"128+N ended by signal N (130 Ctrl-C, 129 SIGHUP, 141 the reader left, 143\n"
		"SIGTERM).\n");
	return context;
}

/**
 * qmpsh_options_parse:
 * @self: where the options go; zeroed before
 * @argc: (inout): the arguments' count
 * @argv: (inout): the arguments
 * @suggest_help: (out): whether the error is one that --help answers
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE, or %FALSE with @error saying what is wrong with the
 *   command line (exit status 2)
 */
gboolean
qmpsh_options_parse (QmpshOptions *self, gint *argc, gchar ***argv, gboolean *suggest_help,
		     GError **error)
{
	g_auto (Raw) raw = { 0 };
	g_autoptr (GOptionContext) context = NULL;

	self->greeting_msec = 5000;
	self->pass_fds = g_array_new (FALSE, FALSE, sizeof (gint));
	*suggest_help = FALSE;
	context = options_context (self, &raw);
	/*
	 * GOption gives an optional value the next word when it does not start
	 * with '-': `--events SOCK` would take SOCK for patterns. A bare
	 * --events is made `--events=`, which means all of them.
	 */
	for (gint i = 1; i < *argc && g_strcmp0 ((*argv)[i], "--") != 0; i++) {
		/* argv is the caller's, not ours to free: the word is swapped only */
		if (g_strcmp0 ((*argv)[i], "--events") == 0)
			(*argv)[i] = (gchar *)"--events=";
	}
	if (!g_option_context_parse (context, argc, argv, error) ||
	    !parse_seconds ("--greeting-timeout", raw.greeting_timeout, &self->greeting_msec,
			    error) ||
	    !parse_seconds ("--timeout", raw.command_timeout, &self->command_msec, error)) {
		*suggest_help = TRUE;
		return FALSE;
	}
	if (self->version)
		return TRUE;
	if (!parse_pass_fds (self, raw.pass_fd, error) ||
	    !parse_target (self, &raw, suggest_help, error) || !parse_output (self, &raw, error))
		return FALSE;
	if (self->max_message_size < 0)
		return usage (error, "--max-message-size must be positive");
	return parse_tls (self, &raw, error);
}

void
qmpsh_options_clear (QmpshOptions *self)
{
	g_strfreev (self->commands);
	g_free (self->listen);
	g_free (self->address);
	g_strfreev (self->launch_argv);
	g_clear_object (&self->tls);
	g_clear_pointer (&self->pass_fds, g_array_unref);
	g_free (self->log);
	g_strfreev (self->event_patterns);
}
