/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * Several targets at once (`qmpsh -c query-status vm1 vm2 vm3`): one
 * connection, session and batch front end for each, all in one main loop.
 * Every target gets the same lines (each -c, or each line of standard input,
 * which is read once and shared); each line of output says which target it
 * is about. A target that cannot be reached, or goes away, ends alone: the
 * others run on, and the exit status is the worst of them all.
 */

#include "qmpsh-fleet.h"

#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "qmp-client.h"
#include "qmp-source.h"
#include "qmpsh-batch.h"
#include "qmpsh-discover.h"
#include "qmpsh-hints.h"
#include "qmpsh-output.h"
#include "qmpsh-reader.h"
#include "qmpsh-session.h"
#include "qmpsh-signals.h"

typedef struct _QmpshFleet QmpshFleet;

typedef struct {
	QmpshFleet *fleet;
	gchar *name;	   /* as the user wrote it: the tag of its lines */
	QmpshOptions own;  /* a [target NAME]'s options, when it is one */
	gboolean has_own;  /* whether own is set */
	gchar *address;	   /* where it is */
	QmpClient *client; /* once it has an address */
	QmpshSession *session;
	QmpshBatch *batch;
	QmpshReader *input; /* its branch of standard input */
	QmpshExit status;
	gboolean done;
} QmpshFleetMember;

struct _QmpshFleet {
	const QmpshOptions *options;
	QmpshConfig *config;
	gint argc;
	gchar **argv;
	GMainLoop *loop;
	GSource *signals;
	QmpshReader *input;   /* standard input, unless -c */
	GPtrArray *endpoints; /* what --list would show, once a VM's name is given */
	GPtrArray *members;
	guint running;
	gint signal;
};

static void G_GNUC_PRINTF (2, 3) qmpsh_fleet_say (QmpshFleetMember *m, const gchar *format, ...)
{
	g_autofree gchar *text = NULL;
	va_list args;

	va_start (args, format);
	text = g_strdup_vprintf (format, args);
	va_end (args);
	/* after what stdout holds, so that the two read in the order things happened */
	fflush (stdout);
	g_printerr ("%s: qmpsh: %s\n", m->name, text);
}

static const QmpshOptions *
qmpsh_fleet_member_options (QmpshFleetMember *m)
{
	return m->has_own ? &m->own : m->fleet->options;
}

static void
qmpsh_fleet_member_free (QmpshFleetMember *m)
{
	g_clear_object (&m->batch);
	g_clear_object (&m->session);
	g_clear_object (&m->client);
	g_clear_object (&m->input);
	if (m->has_own)
		qmpsh_options_clear (&m->own);
	g_free (m->address);
	g_free (m->name);
	g_free (m);
}

/* this target is over; the run is once all are */
static void
qmpsh_fleet_member_done (QmpshFleetMember *m, QmpshExit status)
{
	QmpshFleet *fleet = m->fleet;

	m->status = MAX (m->status, status);
	if (m->done)
		return;
	m->done = TRUE;
	/* the lines it will not read hold the others back no longer */
	if (m->input != NULL)
		qmpsh_reader_close (m->input);
	if (--fleet->running == 0)
		g_main_loop_quit (fleet->loop);
}

static void
qmpsh_fleet_disconnected_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	QmpshFleetMember *m = user_data;
	g_autoptr (GError) error = NULL;

	if (!qmp_protocol_disconnect_finish (QMP_PROTOCOL (source), res, &error))
		g_debug ("%s: disconnect: %s", m->name, error->message);
	qmpsh_fleet_member_done (m, QMPSH_EXIT_OK);
}

/* its batch is over: every line answered, or the connection lost */
static void
qmpsh_fleet_ended_cb (QmpshSession *session, gint status, gpointer user_data)
{
	QmpshFleetMember *m = user_data;
	QmpshFleet *fleet = m->fleet;

	m->status = MAX (m->status, (QmpshExit)status);
	/* the output all share is gone: nothing more can be shown for any of them */
	if (status == QMPSH_EXIT_OUTPUT || status == QMPSH_EXIT_PIPE) {
		for (guint i = 0; i < fleet->members->len; i++) {
			QmpshFleetMember *other = g_ptr_array_index (fleet->members, i);
			if (other != m && other->batch != NULL)
				qmpsh_batch_abandon (other->batch, status);
		}
	}
	qmp_protocol_disconnect_async (QMP_PROTOCOL (m->client), NULL, qmpsh_fleet_disconnected_cb,
				       m);
}

static void
qmpsh_fleet_connected_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	QmpshFleetMember *m = user_data;
	QmpshFleet *fleet = m->fleet;
	const QmpshOptions *o = qmpsh_fleet_member_options (m);
	g_autoptr (GError) error = NULL;

	if (!qmp_protocol_connect_finish (QMP_PROTOCOL (source), res, &error)) {
		g_autofree gchar *hint = NULL;

		if (fleet->signal != 0)
			return; /* stopped by a signal, which was said */
		hint = qmpsh_hints_for_connect (error, m->address);
		if (hint != NULL)
			qmpsh_fleet_say (m, "%s (%s)", error->message, hint);
		else
			qmpsh_fleet_say (m, "%s", error->message);
		qmpsh_fleet_member_done (m, QMPSH_EXIT_CONNECTION);
		return;
	}
	m->session = qmpsh_session_new (m->client, FALSE);
	g_signal_connect (m->session, "ended", G_CALLBACK (qmpsh_fleet_ended_cb), m);
	qmpsh_session_apply_options (m->session, o, qmpsh_config_get_aliases (fleet->config));
	/* one layout for the whole output, whatever a target's own options say */
	qmpsh_session_set_format (m->session, fleet->options->format);
	m->batch = qmpsh_batch_new (m->session, fleet->options->format, fleet->options->echo);
	qmpsh_batch_set_target (m->batch, m->name);
	if (m->input != NULL)
		qmpsh_batch_start_reader (m->batch, m->input);
	else
		qmpsh_batch_start (m->batch, -1, (const gchar *const *)fleet->options->commands);
}

/* where a word of the command line leads: a [target NAME], a VM's name, or an address */
static gboolean
qmpsh_fleet_member_resolve (QmpshFleetMember *m, GError **error)
{
	QmpshFleet *fleet = m->fleet;
	g_autoptr (GError) local = NULL;

	if (qmpsh_config_parse_target (fleet->config, m->name, &m->own, fleet->argc, fleet->argv,
				       &local)) {
		m->has_own = TRUE;
		m->address = g_strdup (m->own.address);
		return TRUE;
	}
	if (local != NULL) {
		g_propagate_error (error, g_steal_pointer (&local));
		return FALSE;
	}
	if (!qmpsh_discover_is_name (m->name)) {
		m->address = g_strdup (m->name);
		return TRUE;
	}
	if (fleet->endpoints == NULL)
		fleet->endpoints = qmpsh_discover_find_all ();
	m->address = qmpsh_discover_resolve (fleet->endpoints, m->name,
					     qmpsh_fleet_member_options (m)->guest_agent, error);
	return m->address != NULL;
}

/* the client, as the target's options say, on its way to the target */
static void
qmpsh_fleet_member_start (QmpshFleetMember *m)
{
	g_autoptr (GError) error = NULL;
	const QmpshOptions *o;

	if (!qmpsh_fleet_member_resolve (m, &error)) {
		/* a VM nobody has is not there, as a missing socket; other mistakes are usage */
		qmpsh_fleet_say (m, "%s", error->message);
		qmpsh_fleet_member_done (m,
					 g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
						 ? QMPSH_EXIT_CONNECTION
						 : QMPSH_EXIT_USAGE);
		return;
	}
	o = qmpsh_fleet_member_options (m);
	m->client = qmpsh_options_new_client (o);
	qmp_protocol_set_name (QMP_PROTOCOL (m->client), m->address);
	qmp_protocol_connect_async (QMP_PROTOCOL (m->client), m->address, NULL,
				    qmpsh_fleet_connected_cb, m);
}

static QmpshExit
qmpsh_fleet_signal_status (gint signum)
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

/* a signal ends every target's run, said once */
static void
qmpsh_fleet_stop (QmpshFleet *fleet, gint signum)
{
	if (fleet->signal != 0)
		return;
	fleet->signal = signum;
	fflush (stdout);
	g_printerr ("qmpsh: %s\n", signum == SIGHUP    ? "hung up"
				   : signum == SIGTERM ? "terminated"
						       : "interrupted");
	for (guint i = 0; i < fleet->members->len; i++) {
		QmpshFleetMember *m = g_ptr_array_index (fleet->members, i);

		if (m->session != NULL)
			qmpsh_session_close (m->session);
		if (m->client != NULL &&
		    qmp_protocol_get_runstate (QMP_PROTOCOL (m->client)) != QMP_RUNSTATE_IDLE)
			qmp_protocol_disconnect_async (QMP_PROTOCOL (m->client), NULL, NULL, NULL);
	}
	g_main_loop_quit (fleet->loop);
}

static void
qmpsh_fleet_signal_cb (gint signum, gpointer user_data)
{
	qmpsh_fleet_stop (user_data, signum);
}

/* after the loop: what is left runs out, and the worst status is the run's */
static QmpshExit
qmpsh_fleet_finish (QmpshFleet *fleet)
{
	QmpshExit status = QMPSH_EXIT_OK;
	gint late_signal;

	fflush (stdout);
	/* let cancelled operations report, so that nothing outlives the loop */
	while (g_main_context_iteration (NULL, FALSE))
		;
	late_signal = qmpsh_signals_last_word ();
	if (fleet->signal == 0 && late_signal != 0)
		qmpsh_fleet_stop (fleet, late_signal);
	for (guint i = 0; i < fleet->members->len; i++) {
		QmpshFleetMember *m = g_ptr_array_index (fleet->members, i);
		if (m->session != NULL)
			m->status = MAX (m->status, qmpsh_session_get_status (m->session));
		status = MAX (status, m->status);
	}
	if (fleet->signal != 0)
		status = qmpsh_fleet_signal_status (fleet->signal);
	qmp_clear_source (&fleet->signals);
	g_clear_pointer (&fleet->members, g_ptr_array_unref);
	g_clear_object (&fleet->input);
	g_clear_pointer (&fleet->endpoints, g_ptr_array_unref);
	g_clear_pointer (&fleet->loop, g_main_loop_unref);
	return status;
}

/**
 * qmpsh_fleet_run:
 * @options: the command line, with several targets
 * @config: the config file, for each target that is a `[target NAME]`
 * @argc: the command line's count
 * @argv: the command line, for a target's own options
 *
 * Runs the commands (`-c`, or standard input's) on every target at once,
 * and prints each reply and event (with `--events`) as it comes, as JSON
 * with `"target"` first; lines on stderr start with `TARGET: `. Not at a
 * prompt: one prompt cannot type into several monitors.
 *
 * Returns: the worst exit status of the targets, or the signal's
 */
QmpshExit
qmpsh_fleet_run (const QmpshOptions *options, QmpshConfig *config, gint argc, gchar **argv)
{
	QmpshFleet fleet = { 0 };

	if (options->commands == NULL && isatty (STDIN_FILENO) && isatty (STDOUT_FILENO)) {
		g_printerr ("qmpsh: several targets take their commands from -c or from standard "
			    "input, not a prompt (try -c COMMAND, or pipe the commands in)\n");
		return QMPSH_EXIT_USAGE;
	}
	qmpsh_output_buffer_stdout ();
	fleet.options = options;
	fleet.config = config;
	fleet.argc = argc;
	fleet.argv = argv;
	fleet.loop = g_main_loop_new (NULL, FALSE);
	fleet.signals = qmpsh_signals_watch (qmpsh_fleet_signal_cb, &fleet);
	g_source_attach (fleet.signals, NULL);
	fleet.members = g_ptr_array_new_with_free_func ((GDestroyNotify)qmpsh_fleet_member_free);
	if (options->commands == NULL)
		fleet.input = qmpsh_reader_new (STDIN_FILENO);
	/* every branch before any line is read, so that each target gets them all */
	for (guint i = 0; options->targets[i] != NULL; i++) {
		QmpshFleetMember *m = g_new0 (QmpshFleetMember, 1);

		m->fleet = &fleet;
		m->name = g_strdup (options->targets[i]);
		if (fleet.input != NULL)
			m->input = qmpsh_reader_new_branch (fleet.input);
		g_ptr_array_add (fleet.members, m);
	}
	fleet.running = fleet.members->len;
	for (guint i = 0; i < fleet.members->len; i++)
		qmpsh_fleet_member_start (g_ptr_array_index (fleet.members, i));
	if (fleet.running > 0)
		g_main_loop_run (fleet.loop);
	return qmpsh_fleet_finish (&fleet);
}
