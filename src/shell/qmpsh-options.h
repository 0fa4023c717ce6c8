/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmp-client.h"
#include "qmp-tls.h"
#include "qmpsh-format.h"

G_BEGIN_DECLS

/**
 * QmpshOptions:
 * @commands: (nullable): the `-c` lines, in order
 * @launch: `--launch`
 * @listen: (nullable): `--listen` ADDRESS
 * @address: (nullable): the address to connect to, when there is one
 * @targets: (nullable): the addresses, as given, when there are several
 * @launch_argv: (nullable): the QEMU command line after `--` for `--launch`
 * @guest_agent: `--ga`
 * @skip_negotiation: `-N`
 * @tls: (nullable): the TLS credentials the `--tls-*` options make
 * @pass_fds: (element-type gint): the descriptors `--pass-fd` lets commands pass
 * @log: (nullable): `-l` FILE
 * @format: how replies are laid out (pretty, colour, sorted)
 * @echo: `-v`
 * @raw: `-vv`
 * @hmp: `-H`
 * @events: `--events`
 * @exit_on_error: `-e`
 * @read_only: `--read-only`
 * @event_patterns: (nullable): `--events=PATTERN,...`
 * @yes: `-y`
 * @no_reconnect: `--no-reconnect`
 * @no_pager: `--no-pager`
 * @greeting_msec: `--greeting-timeout`, in ms
 * @command_msec: `--timeout`, in ms
 * @max_message_size: `--max-message-size`, or 0 for the default
 * @version: `-V`
 * @help: `-h`
 * @complete: (nullable): `--complete-args` SHELL: what the shell completions ask
 * @complete_line: (nullable): the command line to complete, after `--`
 * @list: `--list`
 * @json: `--json`, with `--list`
 * @ssh_command: (nullable): `$QMPSH_SSH`, split as the shell would: the
 *   command that reaches `ssh://` addresses
 * @names: `--names`, with `--list`
 *
 * The command line, parsed and checked: what qmpsh was asked to do.
 */
typedef struct {
	gchar **commands;
	gboolean launch;
	gchar *listen;
	gchar *address;
	gchar **targets;
	gchar **launch_argv;
	gboolean guest_agent;
	gboolean skip_negotiation;
	QmpTlsConfig *tls;
	GArray *pass_fds;
	gchar *log;
	QmpshFormatFlags format;
	gboolean echo;
	gboolean raw;
	gboolean hmp;
	gboolean events;
	gboolean exit_on_error;
	gboolean read_only;
	gchar **event_patterns;
	gboolean yes;
	gboolean no_reconnect;
	gboolean no_pager;
	guint greeting_msec;
	guint command_msec;
	gint64 max_message_size;
	gboolean version;
	gboolean help;
	gchar *complete;
	gchar *complete_line;
	gboolean list;
	gboolean json;
	gchar **ssh_command;
	gboolean names;
} QmpshOptions;

gboolean qmpsh_options_parse (QmpshOptions *self, gint *argc, gchar ***argv, gboolean *suggest_help,
			      GError **error);
void qmpsh_options_clear (QmpshOptions *self);
gchar *qmpsh_options_help (void);
gchar *qmpsh_options_complete (const gchar *shell, const gchar *line, const gchar *const *names);
QmpClient *qmpsh_options_new_client (const QmpshOptions *options);

G_END_DECLS
