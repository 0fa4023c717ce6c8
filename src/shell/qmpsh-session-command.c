/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * QmpshSession: a command line, from typed words to a step in the queue.
 * The schema types and checks it; when what that needs is still on its way
 * (the schema, a device's properties), the line waits for it as a barrier
 * in its turn, so that nothing after it overtakes it.
 */

#include "qmpsh-session-private.h"
#include "qmpsh-typer.h"

static const QmpshProps *
qmpsh_session_props_cb (gpointer data, QmpshPropsKind kind, const gchar *name, GError **error)
{
	QmpshSession *self = data;
	return qmpsh_introspect_get_props (self->introspect, kind, name, error);
}

/* types @line by the schema, once the schema is there if the line needs it */
static QmpshTyperResult
qmpsh_session_type (QmpshSession *self, QmpshLine *line, GError **error)
{
	QmpSchema *schema = qmpsh_introspect_get_schema (self->introspect);
	QmpshTyper typer = { schema, qmpsh_session_props_cb, self };

	if (schema != NULL)
		return qmpsh_typer_type_line (&typer, line, error);
	/* a peer without a schema (the guest agent), or a line it changes nothing in */
	if (!qmpsh_typer_wants_schema (line) ||
	    qmpsh_introspect_get_error (self->introspect) != NULL)
		return QMPSH_TYPER_DONE;
	qmpsh_introspect_fetch (self->introspect);
	return qmpsh_introspect_get_error (self->introspect) != NULL ? QMPSH_TYPER_DONE
								     : QMPSH_TYPER_WAIT;
}

/* `.oob`: the server must have offered it, and the command allow it */
static gboolean
qmpsh_session_can_oob (QmpshSession *self, QmpshLine *line, guint lineno)
{
	QmpSchema *schema = qmpsh_introspect_get_schema (self->introspect);
	const QmpSchemaEntry *e = schema != NULL ? qmp_schema_lookup (schema, line->name) : NULL;
	const gchar *why = NULL;

	if (!qmp_client_get_oob_enabled (self->client))
		why = "the server did not offer out-of-band execution (its greeting has no oob)";
	else if (e != NULL && !e->allow_oob)
		why = "it cannot run out of band (the schema says so; .help lists those that can)";
	if (why == NULL)
		return TRUE;
	qmpsh_session_say (self, QMPSH_ITEM_FAILURE, lineno,
			   g_strdup_printf (".oob %s: %s (nothing sent)", line->name, why));
	return FALSE;
}

/* the typed line goes into the queue, and out unless it asks first */
static void
qmpsh_session_queue_line (QmpshSession *self, QmpshLine *line, guint lineno)
{
	g_autoptr (QmpMessage) command = NULL;
	g_autoptr (GUnixFDList) fds = NULL;
	g_autoptr (GError) error = NULL;
	QmpshStep *entry;

	command = qmpsh_line_take_message (line, &error);
	if (command == NULL) {
		qmpsh_session_say (self, QMPSH_ITEM_FAILURE, lineno, g_strdup (error->message));
		return;
	}
	if (line->oob && !qmpsh_session_can_oob (self, line, lineno))
		return;
	/* before any file is opened for it */
	if (self->read_only && !qmpsh_line_reads_only (line, command)) {
		qmpsh_session_say (
			self, QMPSH_ITEM_FAILURE, lineno,
			g_strdup_printf ("%s%s may change the VM: --read-only lets only queries "
					 "through (nothing sent)",
					 line->kind == QMPSH_LINE_HMP ? "HMP " : "", line->name));
		return;
	}
	/*
	 * QEMU reads descriptors only with getfd and add-fd: a file to pass with
	 * any other command is refused before it is touched
	 */
	if (line->redirects != NULL && line->redirects->len > 0 && !qmpsh_line_takes_fds (line)) {
		qmpsh_session_say (
			self, QMPSH_ITEM_FAILURE, lineno,
			g_strdup_printf (
				"%s takes no file descriptor: fd>FILE, <FILE and the like pass a "
				"file to QEMU (getfd, add-fd); >FILE writes the reply (nothing "
				"sent, no file opened)",
				line->name));
		return;
	}
	/* getfd's old form: `>FILE` is where the reply goes now, not a file to pass */
	if (line->output != NULL && qmpsh_line_takes_fds (line) && line->redirects == NULL &&
	    qmpsh_output_get_kind (line->output) == QMPSH_OUTPUT_WRITE) {
		qmpsh_session_say (
			self, QMPSH_ITEM_FAILURE, lineno,
			g_strdup_printf ("%s: >%s would write the reply there; to pass the "
					 "file to QEMU, write fd>%s (nothing sent)",
					 line->name, qmpsh_output_get_target (line->output),
					 qmpsh_output_get_target (line->output)));
		return;
	}
	fds = qmpsh_line_open_fds (line, self->pass_fds,
				   qmp_protocol_can_pass_fds ((QmpProtocol *)self->client), &error);
	if (fds == NULL && error != NULL) {
		qmpsh_session_say (
			self, QMPSH_ITEM_FAILURE, lineno,
			g_strdup_printf ("%s: %s (nothing sent)", line->name, error->message));
		return;
	}
	/*
	 * last, once nothing else can keep the command from going: as a shell
	 * does, a file that cannot be written keeps it from being sent
	 */
	if (line->output != NULL && !qmpsh_output_open (line->output, &error)) {
		qmpsh_session_say (
			self, QMPSH_ITEM_FAILURE, lineno,
			g_strdup_printf ("%s: %s (nothing sent)", line->name, error->message));
		return;
	}
	entry = qmpsh_queue_push (self->queue,
				  self->confirm && qmpsh_line_is_drastic (line) ? QMPSH_STEP_CONFIRM
										: QMPSH_STEP_REPLY,
				  lineno, line->name);
	entry->command = g_steal_pointer (&command);
	entry->fds = g_steal_pointer (&fds);
	entry->hmp = line->kind == QMPSH_LINE_HMP;
	entry->output = g_steal_pointer (&line->output);
	if (entry->kind == QMPSH_STEP_REPLY)
		qmpsh_session_send (self, entry);
	qmpsh_queue_flush (self->queue);
}

/* a line waiting for what typing it needs: it looks again whenever something came */
static void
qmpsh_session_step_typing (gpointer owner, QmpshStep *step, QmpshStepWhy why)
{
	QmpshSession *self = owner;
	QmpshLine *line = step->data;
	g_autoptr (GError) error = NULL;

	if (why == QMPSH_STEP_INTERRUPT) {
		qmpsh_queue_finish (self->queue, step, QMPSH_ITEM_NOTE,
				    g_strdup_printf ("%s not sent", line->name), NULL, FALSE);
		return;
	}
	if (why == QMPSH_STEP_LOST || self->lost) {
		qmpsh_queue_finish (
			self->queue, step, QMPSH_ITEM_FAILURE,
			g_strdup_printf ("%s: not sent: the connection was lost", line->name), NULL,
			TRUE);
		return;
	}
	switch (qmpsh_session_type (self, line, &error)) {
	case QMPSH_TYPER_WAIT:
		return;
	case QMPSH_TYPER_REFUSED:
		qmpsh_queue_finish (self->queue, step, QMPSH_ITEM_FAILURE,
				    g_strdup (error->message), NULL, TRUE);
		return;
	case QMPSH_TYPER_DONE:
	default:
		/* the command goes in its turn, before the lines that waited behind it */
		qmpsh_session_queue_line (self, line, step->lineno);
		qmpsh_queue_finish (self->queue, step, QMPSH_ITEM_NOTE, NULL, NULL, FALSE);
		return;
	}
}

/**
 * qmpsh_session_command:
 * @self: a session
 * @line: (transfer full): a command, raw JSON or HMP line
 * @lineno: its number, for messages
 *
 * Types and checks the line by the schema, then queues it.
 */
void
qmpsh_session_command (QmpshSession *self, QmpshLine *line, guint lineno)
{
	g_autoptr (QmpshLine) owned = line;
	g_autoptr (GError) error = NULL;

	/* a client is a protocol: the upcast needs no check, for every command */
	if (qmp_protocol_get_runstate ((QmpProtocol *)self->client) != QMP_RUNSTATE_RUNNING) {
		qmpsh_session_say (self, QMPSH_ITEM_FAILURE, lineno,
				   g_strdup ("not connected; the command was not sent"));
		return;
	}
	switch (qmpsh_session_type (self, line, &error)) {
	case QMPSH_TYPER_REFUSED:
		qmpsh_session_say (self, QMPSH_ITEM_FAILURE, lineno, g_strdup (error->message));
		return;
	case QMPSH_TYPER_WAIT:
		qmpsh_queue_act (self->queue, lineno, line->name, TRUE, qmpsh_session_step_typing,
				 g_steal_pointer (&owned), (GDestroyNotify)qmpsh_line_free);
		return;
	case QMPSH_TYPER_DONE:
	default:
		qmpsh_session_queue_line (self, line, lineno);
		return;
	}
}
