/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-options-private.h"

/* --help fits 80 columns: options on the left, their text wrapped on the right */
#define HELP_WIDTH  80
#define HELP_INDENT 26

static void
append_wrapped (GString *out, const gchar *text, guint column)
{
	g_auto (GStrv) words = g_strsplit (text, " ", -1);

	for (guint i = 0; words[i] != NULL; i++) {
		guint len = (guint)g_utf8_strlen (words[i], -1);

		if (column > HELP_INDENT && column + 1 + len > HELP_WIDTH) {
			g_string_append_printf (out, "\n%*s", HELP_INDENT, "");
			column = HELP_INDENT;
		} else if (column > HELP_INDENT) {
			g_string_append_c (out, ' ');
			column++;
		}
		g_string_append (out, words[i]);
		column += len;
	}
	g_string_append_c (out, '\n');
}

static void
append_entry (GString *out, const GOptionEntry *entry)
{
	gsize start = out->len;
	gboolean takes_value =
		entry->arg != G_OPTION_ARG_NONE && !(entry->flags & G_OPTION_FLAG_NO_ARG);

	if (entry->short_name != 0)
		g_string_append_printf (out, "  -%c, --%s", entry->short_name, entry->long_name);
	else
		g_string_append_printf (out, "      --%s", entry->long_name);
	if (takes_value && (entry->flags & G_OPTION_FLAG_OPTIONAL_ARG))
		g_string_append_printf (out, "[=%s]", entry->arg_description);
	else if (takes_value)
		g_string_append_printf (out, "=%s", entry->arg_description);
	if (out->len - start + 2 > HELP_INDENT)
		g_string_append_printf (out, "\n%*s", HELP_INDENT, "");
	else
		g_string_append_printf (out, "%*s", (gint)(HELP_INDENT - (out->len - start)), "");
	append_wrapped (out, entry->description, HELP_INDENT);
}

/**
 * qmpsh_options_help:
 *
 * Returns: (transfer full): what --help prints: the usage, the options in
 *   their groups, the addresses, examples and exit statuses
 */
gchar *
qmpsh_options_help (void)
{
	QmpshOptions self = { 0 };
	QmpshOptionsRaw raw = { 0 };
	QmpshOptionsGroup *groups = qmpsh_options_groups (&self, &raw);
	GString *out = g_string_new (NULL);

	g_string_append (out, "Usage:\n"
			      "  qmpsh [OPTION...] ADDRESS...\n"
			      "  qmpsh [OPTION...] --launch [-- QEMU-COMMAND...]\n"
			      "  qmpsh [OPTION...] --listen ADDRESS\n"
			      "  qmpsh --list [--json | --names]\n\n"
			      "A shell for QMP, the QEMU Machine Protocol.\n");
	for (guint i = 0; groups[i].title != NULL; i++) {
		g_string_append_printf (out, "\n%s:\n", groups[i].title);
		for (const GOptionEntry *entry = groups[i].entries; entry->long_name != NULL;
		     entry++) {
			if (entry->description != NULL && !(entry->flags & G_OPTION_FLAG_HIDDEN))
				append_entry (out, entry);
		}
	}
	qmpsh_options_groups_free (groups);
	g_string_append (
		out,
		"\nADDRESS is a UNIX socket path (or unix:PATH), HOST:PORT (or tcp:HOST:PORT),\n"
		"[IPV6]:PORT, ssh://[USER@]HOST[:PORT]/PATH (a socket there, through ssh),\n"
		"a [target NAME] of the config file, or the -name of a VM on this machine\n"
		"(qmpsh --list shows them). With several, the commands run on each at once,\n"
		"every line of output tagged with its target.\n"
		"\nExamples:\n"
		"  qmpsh /run/vm1.qmp                      a prompt, with TAB completion\n"
		"  qmpsh -c query-status vm1.qmp           one command; JSON on stdout\n"
		"  echo query-block | qmpsh vm1.qmp | jq   a script on stdin\n"
		"  qmpsh --launch -- qemu-system-x86_64 -M q35 -S    a throwaway VM\n"
		"  qmpsh -c query-status $(qmpsh --list --names)     every VM here\n"
		"\nExit status: 0 all commands succeeded, 1 a command failed, 2 usage error,\n"
		"3 the connection failed or was lost, 4 the output could not be written,\n"
		"128+N ended by signal N (130 Ctrl-C, 129 SIGHUP, 141 the reader left, 143\n"
		"SIGTERM).\n");
	return g_string_free (out, FALSE);
}
