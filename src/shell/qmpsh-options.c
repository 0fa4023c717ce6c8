/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-options-private.h"

#include "qmp-address.h"

#include <fcntl.h>
#include <unistd.h>

typedef QmpshOptionsRaw Raw;

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
	g_free (raw->complete);
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

/* colour at a terminal, unless NO_COLOR (https://no-color.org) or TERM=dumb says otherwise */
static gboolean
parse_color (const gchar *color, gboolean *use, GError **error)
{
	const gchar *no_color = g_getenv ("NO_COLOR");

	if (color == NULL || g_strcmp0 (color, "auto") == 0)
		*use = isatty (STDOUT_FILENO) && (no_color == NULL || no_color[0] == '\0') &&
		       g_strcmp0 (g_getenv ("TERM"), "dumb") != 0;
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

/* `QMPSH_SSH="ssh -F CONFIG"`: another ssh, or ssh with options, for ssh:// */
static gboolean
parse_ssh_command (QmpshOptions *self, GError **error)
{
	const gchar *env = g_getenv ("QMPSH_SSH");
	g_autoptr (GError) error_local = NULL;

	if (env == NULL || env[0] == '\0')
		return TRUE;
	if (!g_shell_parse_argv (env, NULL, &self->ssh_command, &error_local)) {
		g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
			     "QMPSH_SSH is no command line: %s", error_local->message);
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
	if (qmp_address_is_ssh (self->address))
		return usage (error, "ssh encrypts ssh:// connections itself: TLS options do "
				     "not apply");
	if (raw->tls_psk_user != NULL && raw->tls_psk == NULL && raw->tls_creds == NULL)
		return usage (error, "--tls-psk-user goes with --tls-psk or a --tls-creds "
				     "directory holding keys.psk");
	tls = raw->tls_creds != NULL ? qmp_tls_config_new_from_dir (raw->tls_creds, endpoint, error)
				     : qmp_tls_config_new (error);
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

/* the address (or several), or the QEMU command line of --launch */
static gboolean
parse_target (QmpshOptions *self, Raw *raw, gboolean *suggest_help, GError **error)
{
	if ((self->json || self->names) && !self->list)
		return usage (error,
			      self->json ? "--json goes with --list" : "--names goes with --list");
	if (self->json && self->names)
		return usage (error, "--json and --names exclude each other");
	if (self->list) {
		if (self->launch || self->listen != NULL || raw->rest != NULL)
			return usage (error, "--list takes no address, --launch or --listen");
		return TRUE;
	}
	if (self->launch && self->listen != NULL)
		return usage (error, "--launch and --listen exclude each other");
	if (self->listen != NULL && raw->rest != NULL)
		return usage (error, "with --listen ADDRESS, give no other address");
	if (qmp_address_is_ssh (self->listen))
		return usage (error, "--listen takes a socket path or HOST:PORT: an ssh:// "
				     "address can be connected to only");
	if (self->launch) {
		self->launch_argv = g_steal_pointer (&raw->rest);
		return TRUE;
	}
	if (self->listen == NULL && raw->rest == NULL) {
		*suggest_help = TRUE;
		return usage (error, "no address given: name a QMP socket, or use --launch or "
				     "--listen");
	}
	/* several targets: each is connected to as the one address would be */
	if (raw->rest != NULL && g_strv_length (raw->rest) > 1) {
		if (self->log != NULL)
			return usage (error, "--log records one connection: give one address, or "
					     "run one qmpsh a target");
		self->targets = g_steal_pointer (&raw->rest);
		return TRUE;
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
static GOptionEntry *
config_entries (QmpshOptions *self, Raw *raw)
{
	const GOptionEntry entries[] = {
		{ "config", 0, 0, G_OPTION_ARG_FILENAME, &raw->config,
		  "Read FILE instead of ~/.config/qmpsh/config", "FILE" },
		{ "no-config", 0, 0, G_OPTION_ARG_NONE, &raw->no_config, "Read no config file",
		  NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};

	return g_memdup2 (entries, sizeof (entries));
}

/* finding a VM rather than talking to one */
static GOptionEntry *
list_entries (QmpshOptions *self, Raw *raw)
{
	const GOptionEntry entries[] = {
		{ "list", 0, 0, G_OPTION_ARG_NONE, &self->list,
		  "List the QMP sockets of the VMs, storage daemons and guest agents on this "
		  "machine, and whether a client holds each; then exit",
		  NULL },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &self->json,
		  "With --list: one JSON object a line (name, pid, kind, address, busy)", NULL },
		{ "names", 0, 0, G_OPTION_ARG_NONE, &self->names,
		  "With --list: one address a line, each VM's name where it is enough, to give "
		  "qmpsh back (with --ga: the guest agents)",
		  NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};

	return g_memdup2 (entries, sizeof (entries));
}

static GOptionEntry *
connection_entries (QmpshOptions *self, Raw *raw)
{
	const GOptionEntry entries[] = {
		{ "launch", 0, 0, G_OPTION_ARG_NONE, &self->launch,
		  "Start a throwaway QEMU: the command after --, or a bare x86_64 machine", NULL },
		{ "listen", 0, 0, G_OPTION_ARG_STRING, &self->listen,
		  "Wait for QEMU to dial in on ADDRESS (PATH or HOST:PORT); accept one peer",
		  "ADDRESS" },
		{ "ga", 0, 0, G_OPTION_ARG_NONE, &self->guest_agent,
		  "Speak to the guest agent (qemu-ga): no greeting, guest-sync-delimited first",
		  NULL },
		{ "skip-negotiation", 'N', 0, G_OPTION_ARG_NONE, &self->skip_negotiation,
		  "Expect no greeting and negotiate nothing", NULL },
		{ "greeting-timeout", 0, 0, G_OPTION_ARG_STRING, &raw->greeting_timeout,
		  "Seconds to wait to connect and for the greeting (default 5; 0: for ever)",
		  "SECONDS" },
		{ "max-message-size", 0, 0, G_OPTION_ARG_INT64, &self->max_message_size,
		  "Largest message accepted from the server (default 64 MiB)", "BYTES" },
		{ "pass-fd", 0, 0, G_OPTION_ARG_STRING_ARRAY, &raw->pass_fd,
		  "Let commands pass inherited descriptor N with <&N (repeatable)", "N" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};

	return g_memdup2 (entries, sizeof (entries));
}

static GOptionEntry *
tls_entries (QmpshOptions *self, Raw *raw)
{
	const GOptionEntry entries[] = {
		{ "tls-creds", 0, 0, G_OPTION_ARG_FILENAME, &raw->tls_creds,
		  "TLS with QEMU's credential layout in DIR (ca-cert.pem, client-cert.pem, "
		  "client-key.pem; or keys.psk)",
		  "DIR" },
		{ "tls-ca", 0, 0, G_OPTION_ARG_FILENAME, &raw->tls_ca,
		  "The CA certificate to verify the server with", "FILE" },
		{ "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &raw->tls_cert, "The client certificate",
		  "FILE" },
		{ "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &raw->tls_key,
		  "The client certificate's key", "FILE" },
		{ "tls-hostname", 0, 0, G_OPTION_ARG_STRING, &raw->tls_hostname,
		  "The name the server's certificate must have (default: the address's host)",
		  "NAME" },
		{ "tls-psk", 0, 0, G_OPTION_ARG_FILENAME, &raw->tls_psk,
		  "A pre-shared key from FILE (QEMU's keys.psk: USER:HEXKEY lines)", "FILE" },
		{ "tls-psk-user", 0, 0, G_OPTION_ARG_STRING, &raw->tls_psk_user,
		  "The pre-shared key's username (default qemu)", "NAME" },
		{ "tls-priority", 0, 0, G_OPTION_ARG_STRING, &raw->tls_priority,
		  "A GnuTLS priority string (default NORMAL)", "STRING" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};

	return g_memdup2 (entries, sizeof (entries));
}

static GOptionEntry *
command_entries (QmpshOptions *self, Raw *raw)
{
	const GOptionEntry entries[] = {
		{ "command", 'c', 0, G_OPTION_ARG_STRING_ARRAY, &self->commands,
		  "Run CMD and exit without reading standard input (repeatable)", "CMD" },
		{ "hmp", 'H', 0, G_OPTION_ARG_NONE, &self->hmp,
		  "Lines are HMP commands, sent through human-monitor-command", NULL },
		{ "exit-on-error", 'e', 0, G_OPTION_ARG_NONE, &self->exit_on_error,
		  "Stop at the first failed command: nothing after it is sent", NULL },
		{ "read-only", 0, 0, G_OPTION_ARG_NONE, &self->read_only,
		  "Send only commands that change nothing (query-*, qom-get, HMP info, ...); "
		  "refuse the rest before sending",
		  NULL },
		{ "timeout", 't', 0, G_OPTION_ARG_STRING, &raw->command_timeout,
		  "Seconds each command may wait for its reply (default: for ever)", "SECONDS" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};

	return g_memdup2 (entries, sizeof (entries));
}

static GOptionEntry *
output_entries (QmpshOptions *self, Raw *raw)
{
	const GOptionEntry entries[] = {
		{ "pretty", 'p', 0, G_OPTION_ARG_NONE, &raw->pretty, "Indent replies", NULL },
		{ "compact", 0, 0, G_OPTION_ARG_NONE, &raw->compact, "One line of JSON per reply",
		  NULL },
		{ "sort-keys", 0, 0, G_OPTION_ARG_NONE, &raw->sort_keys,
		  "Sort object keys in output", NULL },
		{ "color", 0, 0, G_OPTION_ARG_STRING, &raw->color,
		  "Colour: auto (at a terminal, unless NO_COLOR is set or TERM=dumb), always, "
		  "never",
		  "WHEN" },
		{ "events", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, parse_events,
		  "Print events among the replies; only those named, with globs (BLOCK_JOB_*), "
		  "if given",
		  "PATTERN,..." },
		{ "verbose", 'v', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, parse_verbose,
		  "Print each command, as sent, before its reply; twice (-vv), every message in "
		  "and out too, with its time",
		  NULL },
		{ "log", 'l', 0, G_OPTION_ARG_FILENAME, &self->log,
		  "Append a transcript of every message in and out to FILE", "FILE" },
		/* qmp-shell's spelling of -l */
		{ "logfile", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &self->log, NULL,
		  "FILE" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};

	return g_memdup2 (entries, sizeof (entries));
}

static GOptionEntry *
interactive_entries (QmpshOptions *self, Raw *raw)
{
	const GOptionEntry entries[] = {
		{ "yes", 'y', 0, G_OPTION_ARG_NONE, &self->yes,
		  "Do not ask before quit, system_reset and system_powerdown", NULL },
		{ "no-pager", 0, 0, G_OPTION_ARG_NONE, &self->no_pager,
		  "Show replies taller than the terminal as they are, not through $PAGER "
		  "(less -FRX)",
		  NULL },
		{ "no-reconnect", 0, 0, G_OPTION_ARG_NONE, &self->no_reconnect,
		  "End the session when the connection is lost", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};

	return g_memdup2 (entries, sizeof (entries));
}

static GOptionEntry *
help_entries (QmpshOptions *self, Raw *raw)
{
	const GOptionEntry entries[] = {
		{ "help", 'h', 0, G_OPTION_ARG_NONE, &self->help, "Print this help and exit",
		  NULL },
		{ "version", 'V', 0, G_OPTION_ARG_NONE, &self->version,
		  "Print the version and exit", NULL },
		/* what the bash and zsh completions ask: qmpsh-options-complete.c */
		{ "complete-args", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &raw->complete,
		  NULL, "SHELL" },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &raw->rest, NULL, NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};

	return g_memdup2 (entries, sizeof (entries));
}

/**
 * qmpsh_options_groups:
 * @self: where the options go
 * @raw: where the options that are checked after parsing go
 *
 * Returns: (transfer full): --help's headings, each with its entries
 *   (free each group's entries and the array with g_free ())
 */
QmpshOptionsGroup *
qmpsh_options_groups (QmpshOptions *self, Raw *raw)
{
	const QmpshOptionsGroup groups[] = {
		{ "Connection", connection_entries (self, raw) },
		{ "TLS", tls_entries (self, raw) },
		{ "Commands", command_entries (self, raw) },
		{ "Output", output_entries (self, raw) },
		{ "At the prompt", interactive_entries (self, raw) },
		{ "Finding VMs", list_entries (self, raw) },
		{ "Config file", config_entries (self, raw) },
		{ "Help", help_entries (self, raw) },
		{ NULL, NULL },
	};

	return g_memdup2 (groups, sizeof (groups));
}

void
qmpsh_options_groups_free (QmpshOptionsGroup *groups)
{
	for (guint i = 0; groups != NULL && groups[i].title != NULL; i++)
		g_free (groups[i].entries);
	g_free (groups);
}

static GOptionContext *
options_context (QmpshOptions *self, Raw *raw)
{
	QmpshOptionsGroup *groups = qmpsh_options_groups (self, raw);
	GOptionContext *context = g_option_context_new (NULL);
	GOptionGroup *main_group = g_option_group_new (NULL, NULL, NULL, self, NULL);

	/* --help is ours: grouped, and within 80 columns (qmpsh-options-help.c) */
	g_option_context_set_help_enabled (context, FALSE);
	for (guint i = 0; groups[i].title != NULL; i++)
		g_option_group_add_entries (main_group, groups[i].entries);
	g_option_context_set_main_group (context, main_group);
	qmpsh_options_groups_free (groups);
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
	if (raw.complete != NULL) {
		if (g_strcmp0 (raw.complete, "bash") != 0 && g_strcmp0 (raw.complete, "zsh") != 0)
			return usage (error, "--complete-args takes bash or zsh");
		self->complete = g_steal_pointer (&raw.complete);
		self->complete_line = g_strdup (raw.rest != NULL ? raw.rest[0] : "");
		return TRUE;
	}
	if (self->version || self->help)
		return TRUE;
	if (!parse_pass_fds (self, raw.pass_fd, error) || !parse_ssh_command (self, error) ||
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
	g_strfreev (self->targets);
	g_strfreev (self->launch_argv);
	g_clear_object (&self->tls);
	g_clear_pointer (&self->pass_fds, g_array_unref);
	g_free (self->log);
	g_strfreev (self->event_patterns);
	g_free (self->complete);
	g_free (self->complete_line);
	g_strfreev (self->ssh_command);
}

/**
 * qmpsh_options_new_client:
 * @options: the options of one target
 *
 * Returns: (transfer full): a client set up as @options ask, not connected
 */
QmpClient *
qmpsh_options_new_client (const QmpshOptions *options)
{
	QmpClient *client = qmp_client_new ();

	qmp_client_set_negotiate (client, !options->skip_negotiation);
	if (options->guest_agent)
		qmp_client_set_guest_agent (client, TRUE);
	qmp_client_set_greeting_timeout (client, options->greeting_msec);
	qmp_client_set_command_timeout (client, options->command_msec);
	qmp_protocol_set_max_message_size (QMP_PROTOCOL (client), options->max_message_size);
	if (options->tls != NULL)
		qmp_protocol_set_tls (QMP_PROTOCOL (client), options->tls);
	qmp_protocol_set_ssh_command (QMP_PROTOCOL (client),
				      (const gchar *const *)options->ssh_command);
	return client;
}
