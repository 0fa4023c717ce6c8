/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-line.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

/**
 * qmpsh_line_new:
 * @kind: what the line is
 * @name: (nullable): the command or built-in name
 * @json: (transfer full) (nullable): the message to send
 *
 * Returns: (transfer full): a line
 */
QmpshLine *
qmpsh_line_new (QmpshLineKind kind, const gchar *name, gchar *json)
{
	return qmpsh_line_new_len (kind, name, name != NULL ? strlen (name) : 0, json);
}

/**
 * qmpsh_line_new_len:
 * @kind: what the line is
 * @name: (nullable): the command or built-in name, @name_len bytes of it
 * @name_len: how many
 * @json: (transfer full) (nullable): the message to send
 *
 * Returns: (transfer full): a line, its name in its own block
 */
QmpshLine *
qmpsh_line_new_len (QmpshLineKind kind, const gchar *name, gsize name_len, gchar *json)
{
	/* g_new0 () is calloc (), which glibc serves from no per-thread cache */
	QmpshLine *line = g_malloc (sizeof (QmpshLine) + (name != NULL ? name_len + 1 : 0));
	gchar *copy = NULL;

	if (name != NULL) {
		copy = memcpy (line + 1, name, name_len);
		copy[name_len] = '\0';
	}
	*line = (QmpshLine){ .kind = kind, .name = copy, .json = json };
	return line;
}

/**
 * qmpsh_line_open_fds:
 * @line: a parsed line
 * @inherited: (nullable): the descriptors `--pass-fd` allows `<&N` to name
 * @can_pass: whether the connection carries descriptors (a UNIX socket)
 * @error: a #GError, or %NULL
 *
 * Opens the files the line's redirections name, in order; over a connection
 * that cannot carry them, refuses before a `>FILE` is created or truncated.
 *
 * Returns: (transfer full) (nullable): the descriptors to pass, %NULL with
 *   @error unset when there are none, or %NULL with @error set
 */
GUnixFDList *
qmpsh_line_open_fds (QmpshLine *line, GArray *inherited, gboolean can_pass, GError **error)
{
	g_autoptr (GUnixFDList) fds = NULL;

	if (line->redirects == NULL)
		return NULL;
	if (!can_pass) {
		g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
				     "file descriptors can only be passed over a UNIX socket, "
				     "not over TCP, TLS or ssh");
		return NULL;
	}
	fds = g_unix_fd_list_new ();
	for (guint i = 0; i < line->redirects->len; i++) {
		QmpshRedirect *r = g_ptr_array_index (line->redirects, i);
		gboolean allowed = FALSE;
		int fd;

		if (r->path == NULL) {
			for (guint j = 0; inherited != NULL && j < inherited->len; j++)
				allowed = allowed || g_array_index (inherited, gint, j) == r->fd;
			if (!allowed) {
				g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
					     "descriptor %d is not one to pass: give --pass-fd=%d",
					     r->fd, r->fd);
				return NULL;
			}
			if (g_unix_fd_list_append (fds, r->fd, error) < 0)
				return NULL;
			continue;
		}
		fd = g_open (r->path, r->flags | O_CLOEXEC, 0600);
		if (fd < 0) {
			int saved = errno;
			g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
				     "cannot open %s: %s", r->path, g_strerror (saved));
			return NULL;
		}
		g_unix_fd_list_append (fds, fd, NULL);
		close (fd);
	}
	return g_steal_pointer (&fds);
}

/**
 * qmpsh_line_take_message:
 * @line: a COMMAND, RAW or HMP line
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full): the command to send; the parser's own JSON is
 *   taken, not parsed again; %NULL with %QMP_ERROR_PROTOCOL if raw JSON is no
 *   message
 */
QmpMessage *
qmpsh_line_take_message (QmpshLine *line, GError **error)
{
	if (line->kind == QMPSH_LINE_RAW)
		return qmp_message_new_from_data (line->json, -1, error);
	/* built by the parser (or the typer) as {"execute":...: valid, without an id */
	if (line->oob && g_str_has_prefix (line->json, "{\"execute\":")) {
		gchar *text = g_strconcat ("{\"exec-oob\":", line->json + 11, NULL);
		g_clear_pointer (&line->json, g_free);
		return qmp_message_new_command (text, line->name, TRUE);
	}
	return qmp_message_new_command (g_steal_pointer (&line->json), line->name, FALSE);
}

/**
 * qmpsh_line_is_drastic:
 * @line: a parsed line
 *
 * Returns: %TRUE for what ends or resets the VM: quit, system_reset,
 *   system_powerdown, and HMP's q
 */
gboolean
qmpsh_line_is_drastic (QmpshLine *line)
{
	const gchar *name = line->name;

	if (line->kind != QMPSH_LINE_COMMAND && line->kind != QMPSH_LINE_RAW &&
	    line->kind != QMPSH_LINE_HMP)
		return FALSE;
	if (g_strcmp0 (name, "system_reset") == 0 || g_strcmp0 (name, "system_powerdown") == 0 ||
	    g_strcmp0 (name, "quit") == 0)
		return TRUE;
	return line->kind == QMPSH_LINE_HMP && g_strcmp0 (name, "q") == 0;
}

/**
 * qmpsh_line_takes_fds:
 * @line: a parsed line
 *
 * Returns: whether QEMU reads descriptors with this command: getfd and
 *   add-fd are the ones that do
 */
gboolean
qmpsh_line_takes_fds (QmpshLine *line)
{
	return line->kind == QMPSH_LINE_COMMAND &&
	       (g_strcmp0 (line->name, "getfd") == 0 || g_strcmp0 (line->name, "add-fd") == 0);
}

/* HMP's words that only show: `info ...` and `help` */
static gboolean
hmp_reads_only (const gchar *command_line)
{
	g_autofree gchar *word = NULL;

	command_line += strspn (command_line, " \t");
	word = g_strndup (command_line, strcspn (command_line, " \t"));
	return g_str_equal (word, "info") || g_str_equal (word, "help") || g_str_equal (word, "?");
}

/**
 * qmpsh_line_reads_only:
 * @line: a parsed line
 * @command: its message
 *
 * What `--read-only` lets through: the queries (`query-*`, `x-query-*`,
 * the guest agent's `guest-get-*`, `guest-info`, `guest-ping`), QOM's and
 * devices' introspection (`qom-get`, `qom-list*`, `device-list-properties`),
 * and HMP's `info` and `help`, typed with -H or through
 * human-monitor-command.
 *
 * Returns: whether the command changes nothing
 */
gboolean
qmpsh_line_reads_only (QmpshLine *line, QmpMessage *command)
{
	static const gchar *const readers[] = {
		"qom-get",
		"qom-list",
		"qom-list-types",
		"qom-list-properties",
		"device-list-properties",
		"guest-info",
		"guest-ping",
		"guest-sync",
		"guest-sync-delimited",
		NULL,
	};
	const gchar *name = qmp_message_get_command_name (command);
	JsonObject *object;
	JsonNode *args;
	JsonNode *text;

	if (line->kind == QMPSH_LINE_HMP)
		return hmp_reads_only (line->name);
	if (name == NULL)
		return FALSE;
	if (g_str_equal (name, "human-monitor-command")) {
		/* a raw JSON line may hold anything there: only a string command line passes */
		object = qmp_message_get_object (command);
		args = object != NULL ? json_object_get_member (object, "arguments") : NULL;
		text = args != NULL && JSON_NODE_HOLDS_OBJECT (args)
			       ? json_object_get_member (json_node_get_object (args),
							 "command-line")
			       : NULL;
		return text != NULL && JSON_NODE_HOLDS_VALUE (text) &&
		       json_node_get_value_type (text) == G_TYPE_STRING &&
		       hmp_reads_only (json_node_get_string (text));
	}
	return g_str_has_prefix (name, "query-") || g_str_has_prefix (name, "x-query-") ||
	       g_str_has_prefix (name, "guest-get-") || g_strv_contains (readers, name);
}

void
qmpsh_line_free (QmpshLine *line)
{
	if (line == NULL)
		return;
	g_free (line->json);
	g_strfreev (line->argv);
	g_clear_pointer (&line->args, qmpsh_args_free);
	if (line->actions != NULL)
		g_ptr_array_unref (line->actions);
	if (line->redirects != NULL)
		g_ptr_array_unref (line->redirects);
	qmpsh_output_free (line->output);
	g_free (line);
}

/**
 * qmpsh_line_action_new:
 * @type: the action's type
 * @data: (transfer full): its words
 *
 * Returns: (transfer full): the action
 */
QmpshLineAction *
qmpsh_line_action_new (const gchar *type, QmpshArgs *data)
{
	QmpshLineAction *action = g_new0 (QmpshLineAction, 1);
	action->type = g_strdup (type);
	action->data = data;
	return action;
}

void
qmpsh_line_action_free (QmpshLineAction *action)
{
	if (action == NULL)
		return;
	g_free (action->type);
	qmpsh_args_free (action->data);
	g_free (action);
}
