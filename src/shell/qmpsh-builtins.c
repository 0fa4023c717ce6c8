/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-builtins.h"
#include "qmp-source.h"
#include "qmpsh-check.h"
#include "qmpsh-conform.h"
#include "qmpsh-format.h"
#include "qmpsh-help.h"
#include "qmpsh-parser.h"
#include "qmpsh-spawn-monitor.h"

#include <string.h>

/* wrong arguments: the usage, and the word that is wrong if one is */
static gboolean
usage (GError **error, const gchar *name, const gchar *word)
{
	const QmpshBuiltin *b = qmpsh_builtins_find (name);
	g_autofree gchar *shown = word != NULL ? qmpsh_format_excerpt (word, -1) : NULL;

	if (shown != NULL)
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
			     "usage: %s %s, not '%s'", b->name, b->args, shown);
	else
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
			     "wrong arguments to %s; usage: %s %s", b->name, b->name, b->args);
	return FALSE;
}

/* ---- .help ------------------------------------------------------------- */

/* the schema may be on its way: the step looks again when it comes */
static void
step_help (gpointer owner, QmpshStep *step, QmpshStepWhy why)
{
	QmpshSession *session = owner;
	QmpSchema *schema;
	g_autoptr (GError) error = NULL;
	gchar *text;
	gchar **words;
	const QmpshProps *props = NULL;
	QmpshIntrospect *introspect = qmpsh_session_get_introspect (session);
	const gchar *missing;

	qmpsh_introspect_fetch (introspect);
	schema = qmpsh_introspect_get_schema (introspect);
	missing = qmpsh_introspect_get_error (introspect);
	if (schema == NULL && missing == NULL && why != QMPSH_STEP_LOST &&
	    why != QMPSH_STEP_INTERRUPT)
		return;
	if (schema == NULL) {
		text = g_strdup_printf ("no help for %s: %s", step->name,
					missing != NULL ? missing : "the schema did not come");
		qmpsh_session_finish (session, step, QMPSH_ITEM_FAILURE, text, NULL, TRUE);
		return;
	}
	words = step->data;
	/* device_add driver=X: its properties, asked of QEMU; the step waits for them */
	for (guint i = 1; g_str_equal (words[0], "device_add") && words[i] != NULL; i++) {
		g_autoptr (GError) refused = NULL;
		if (!g_str_has_prefix (words[i], "driver=") || words[i][7] == '\0')
			continue;
		props = qmpsh_introspect_get_props (introspect, QMPSH_PROPS_DEVICE, words[i] + 7,
						    &refused);
		if (props == NULL && refused == NULL && why != QMPSH_STEP_LOST &&
		    why != QMPSH_STEP_INTERRUPT)
			return;
		if (refused != NULL) {
			qmpsh_session_finish (session, step, QMPSH_ITEM_FAILURE,
					      g_strdup_printf ("no help for device_add %s: %s",
							       words[i], refused->message),
					      NULL, TRUE);
			return;
		}
	}
	text = qmpsh_help_describe (schema, words, props, &error);
	if (text == NULL)
		qmpsh_session_finish (session, step, QMPSH_ITEM_FAILURE, g_strdup (error->message),
				      NULL, TRUE);
	else
		qmpsh_session_finish (session, step, QMPSH_ITEM_TEXT, text, NULL, FALSE);
}

/* the parser makes `.oob CMD ...` a command: only a line it could not is here */
static gboolean
run_oob (QmpshSession *session, guint lineno, gchar **argv, GError **error)
{
	return usage (error, ".oob", NULL);
}

static gboolean qmpsh_builtins_unknown (GError **error, const gchar *name, QmpshBuiltinModes mode);

static gboolean
run_help (QmpshSession *session, guint lineno, gchar **argv, GError **error)
{
	const QmpshBuiltin *b = argv[0] != NULL ? qmpsh_builtins_find (argv[0]) : NULL;
	GHashTable *aliases = qmpsh_parser_get_aliases (qmpsh_session_get_parser (session));
	const gchar *alias =
		aliases != NULL && argv[0] != NULL ? g_hash_table_lookup (aliases, argv[0]) : NULL;

	if (argv[0] == NULL)
		qmpsh_session_say (session, QMPSH_ITEM_TEXT, lineno,
				   qmpsh_help_summary (qmpsh_session_get_interactive (session)));
	else if (b != NULL && argv[1] == NULL)
		qmpsh_session_say (session, QMPSH_ITEM_TEXT, lineno,
				   g_strdup_printf ("%s%s%s\n  %s%s\n", b->name,
						    b->args[0] ? " " : "", b->args, b->summary,
						    b->modes == QMPSH_BUILTIN_PROMPT
							    ? " (at the prompt only)"
							    : ""));
	else if (alias != NULL && argv[1] == NULL)
		qmpsh_session_say (session, QMPSH_ITEM_TEXT, lineno,
				   g_strdup_printf ("%s is an alias (config file) for:\n  %s\n",
						    argv[0], alias));
	else if (argv[0][0] == '.')
		return qmpsh_builtins_unknown (error, argv[0],
					       qmpsh_session_get_interactive (session)
						       ? QMPSH_BUILTIN_PROMPT
						       : QMPSH_BUILTIN_BATCH);
	else
		qmpsh_session_act (session, lineno, argv[0], TRUE, step_help, g_strdupv (argv),
				   (GDestroyNotify)g_strfreev);
	return TRUE;
}

/* ---- .exit, .events, .watch: in their turn ------------------------------ */

static void
step_exit (gpointer owner, QmpshStep *step, QmpshStepWhy why)
{
	QmpshSession *session = owner;
	qmpsh_session_end_input (session, 0);
	g_signal_emit_by_name (session, "action::exit", NULL);
	qmpsh_session_finish (session, step, QMPSH_ITEM_NOTE, NULL, NULL, FALSE);
}

static gboolean
run_exit (QmpshSession *session, guint lineno, gchar **argv, GError **error)
{
	if (argv[0] != NULL)
		return usage (error, ".exit", argv[0]);
	qmpsh_session_act (session, lineno, NULL, FALSE, step_exit, NULL, NULL);
	return TRUE;
}

/* `.events on|off|only PATTERN...|mute PATTERN...`: the step's data is argv */
static void
step_events (gpointer owner, QmpshStep *step, QmpshStepWhy why)
{
	QmpshSession *session = owner;
	gchar **argv = step->data;
	QmpshEventsShow show = g_str_equal (argv[0], "on")     ? QMPSH_EVENTS_ALL
			       : g_str_equal (argv[0], "off")  ? QMPSH_EVENTS_NONE
			       : g_str_equal (argv[0], "only") ? QMPSH_EVENTS_ONLY
							       : QMPSH_EVENTS_MUTE;

	qmpsh_session_set_show_events (session, show, (const gchar *const *)argv + 1);
	qmpsh_session_finish (session, step, QMPSH_ITEM_NOTE, NULL, NULL, FALSE);
}

static gboolean
run_events (QmpshSession *session, guint lineno, gchar **argv, GError **error)
{
	static const gchar *const modes[] = { "on", "off", "only", "mute", NULL };
	guint argc = g_strv_length (argv);

	if (argc < 1)
		return usage (error, ".events", NULL);
	if (!g_strv_contains (modes, argv[0]))
		return usage (error, ".events", argv[0]);
	/* on and off take nothing more; only and mute one pattern at least */
	if ((argc > 1) != (g_str_equal (argv[0], "only") || g_str_equal (argv[0], "mute")))
		return usage (error, ".events", argc > 1 ? argv[1] : NULL);
	qmpsh_session_act (session, lineno, NULL, FALSE, step_events, g_strdupv (argv),
			   (GDestroyNotify)g_strfreev);
	return TRUE;
}

/* `.set NAME on|off`: each setting is the front end's; batch has none that shows */
static void
step_set (gpointer owner, QmpshStep *step, QmpshStepWhy why)
{
	QmpshSession *session = owner;
	g_autofree gchar *signal = g_strdup_printf ("action::%s", step->name);

	if (g_str_equal (step->name, "exit-on-error"))
		qmpsh_session_set_exit_on_error (session, g_str_equal (step->data, "on"));
	else if (g_str_equal (step->name, "raw"))
		qmpsh_session_set_raw (session, g_str_equal (step->data, "on"));
	else
		g_signal_emit_by_name (session, signal, (const gchar *)step->data);
	qmpsh_session_finish (session, step, QMPSH_ITEM_NOTE, NULL, NULL, FALSE);
}

static gboolean
run_set (QmpshSession *session, guint lineno, gchar **argv, GError **error)
{
	static const gchar *const settings[] = { "hints", "exit-on-error", "pager", "raw", NULL };

	if (g_strv_length (argv) != 2)
		return usage (error, ".set", NULL);
	if (!g_strv_contains (settings, argv[0]))
		return usage (error, ".set", argv[0]);
	if (g_strcmp0 (argv[1], "on") != 0 && g_strcmp0 (argv[1], "off") != 0)
		return usage (error, ".set", argv[1]);
	/* a barrier: the lines after it are run as it says */
	qmpsh_session_act (session, lineno, argv[0], TRUE, step_set, g_strdup (argv[1]), g_free);
	return TRUE;
}

/* `.watch [JOB-ID|migration]`, or `.watch [every=SECONDS] COMMAND ...`: the front end's */
static void
step_watch (gpointer owner, QmpshStep *step, QmpshStepWhy why)
{
	QmpshSession *session = owner;
	g_signal_emit_by_name (session, "action::watch", (const gchar *)step->data);
	qmpsh_session_finish (session, step, QMPSH_ITEM_NOTE, NULL, NULL, FALSE);
}

static gboolean
run_watch (QmpshSession *session, guint lineno, gchar **argv, GError **error)
{
	qmpsh_session_act (session, lineno, argv[0], FALSE, step_watch,
			   argv[0] != NULL ? g_strjoinv (" ", argv) : NULL, g_free);
	return TRUE;
}

/* `.spawn-monitor PATH`: a second QMP monitor, listening on PATH */
static gboolean
run_spawn_monitor (QmpshSession *session, guint lineno, gchar **argv, GError **error)
{
	if (g_strv_length (argv) != 1 || argv[0][0] == '\0')
		return usage (error, ".spawn-monitor", argv[0] != NULL ? argv[1] : NULL);
	qmpsh_spawn_monitor_act (session, lineno, argv[0]);
	return TRUE;
}

/* ---- .source ------------------------------------------------------------- */

/* sourced files within sourced files, at most: a file that sources itself ends */
#define QMPSH_SOURCE_DEPTH_MAX 16

static guint source_depth;

/*
 * `.source FILE`: its lines run as if typed where the `.source` line is,
 * in order, before the lines after it; what they say is placed at FILE:LINE.
 */
static gboolean
run_source (QmpshSession *session, guint lineno, gchar **argv, GError **error)
{
	g_autofree gchar *text = NULL;
	g_autoptr (GError) local = NULL;
	g_auto (GStrv) lines = NULL;
	GRefString *outer;
	gsize len = 0;

	if (g_strv_length (argv) != 1)
		return usage (error, ".source", argv[0] != NULL ? argv[1] : NULL);
	if (source_depth >= QMPSH_SOURCE_DEPTH_MAX) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_LIMIT,
			     ".source %s: sourced files nest more than %u deep (does one source "
			     "itself?)",
			     argv[0], QMPSH_SOURCE_DEPTH_MAX);
		return FALSE;
	}
	if (!g_file_get_contents (argv[0], &text, &len, &local)) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX, ".source: %s",
			     local->message);
		return FALSE;
	}
	if (len > QMPSH_LINE_MAX) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_LIMIT,
			     ".source %s: the file is over %u MiB", argv[0], QMPSH_LINE_MAX >> 20);
		return FALSE;
	}
	/* what is after a NUL would be lost without a word: no line holds one */
	if (memchr (text, '\0', len) != NULL) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_ENCODING,
			     ".source %s: a NUL byte at byte %" G_GSIZE_FORMAT
			     ": not a file of commands; nothing of it runs",
			     argv[0], (gsize)((const gchar *)memchr (text, '\0', len) - text) + 1);
		return FALSE;
	}
	lines = g_strsplit (text, "\n", -1);
	source_depth++;
	/* a nested .source puts back the place of its own line */
	outer = qmpsh_session_get_where (session);
	if (outer != NULL)
		g_ref_string_acquire (outer);
	for (guint i = 0; lines[i] != NULL; i++) {
		gsize n = strlen (lines[i]);
		g_autofree gchar *place = NULL;
		GRefString *where;

		if (lines[i + 1] == NULL && n == 0)
			break;
		if (n > 0 && lines[i][n - 1] == '\r')
			lines[i][n - 1] = '\0';
		place = g_strdup_printf ("%s:%u", argv[0], i + 1);
		where = g_ref_string_new (place);
		qmpsh_session_set_where (session, where);
		g_ref_string_release (where);
		qmpsh_session_feed (session, lines[i], lineno);
	}
	qmpsh_session_set_where (session, outer);
	if (outer != NULL)
		g_ref_string_release (outer);
	source_depth--;
	return TRUE;
}

/* ---- .wait-event ---------------------------------------------------------- */

typedef struct {
	QmpshSession *session; /* not a reference: the step goes first */
	gint64 msec;	       /* 0 waits for ever */
	GSource *timer;
	gboolean timed_out;
	GStrv where; /* KEY=VALUE the event's data must hold */
	gchar *what; /* the name, and the KEY=VALUE, as said back */
	gchar *name; /* the event, as the schema spells it */
	gboolean checked;
} Wait;

static void
wait_free (Wait *wait)
{
	qmp_clear_source (&wait->timer);
	g_strfreev (wait->where);
	g_free (wait->what);
	g_free (wait->name);
	g_free (wait);
}

static gboolean
wait_timeout_cb (gpointer user_data)
{
	Wait *wait = user_data;
	g_clear_pointer (&wait->timer, g_source_unref);
	wait->timed_out = TRUE;
	qmpsh_session_poke (wait->session);
	return G_SOURCE_REMOVE;
}

/*
 * Its turn: every line before it is answered. An event that came after the
 * command before it counts, so the wait is race-free; otherwise the next one.
 */
/*
 * A wait for what cannot come would last for ever: the event must be one
 * the schema has (in any case, as `.events` patterns are), each KEY one of
 * its data's, and a value of an enum one of its members.
 */
static gboolean
wait_check (QmpSchema *schema, Wait *wait, GError **error)
{
	g_autofree gchar *upper = g_ascii_strup (wait->name, -1);
	const QmpSchemaEntry *e = qmp_schema_lookup (schema, upper);
	g_autofree gchar *close = NULL;

	if (e == NULL || e->meta != QMP_SCHEMA_META_EVENT) {
		close = qmpsh_check_suggest (qmp_schema_list_events (schema), upper);
		g_set_error (error, QMPSH_CHECK_ERROR, QMPSH_CHECK_ERROR_UNKNOWN_COMMAND,
			     ".wait-event: no event '%s'%s%s%s (.help lists an event's data)",
			     wait->name, close != NULL ? "; did you mean " : "",
			     close != NULL ? close : "", close != NULL ? "?" : "");
		return FALSE;
	}
	g_free (wait->name);
	wait->name = g_steal_pointer (&upper);
	for (guint i = 0; wait->where[i] != NULL; i++) {
		const gchar *eq = strchr (wait->where[i], '=');
		g_autofree gchar *key = g_strndup (wait->where[i], eq - wait->where[i]);
		const gchar *type = qmpsh_conform_walk (schema, e->arg_type, NULL, key, NULL);
		const QmpSchemaEntry *t = type != NULL ? qmp_schema_lookup (schema, type) : NULL;
		if (type == NULL) {
			g_set_error (error, QMPSH_CHECK_ERROR, QMPSH_CHECK_ERROR_UNKNOWN_ARGUMENT,
				     ".wait-event: %s has no data '%s' (.help %s lists it)",
				     wait->name, key, wait->name);
			return FALSE;
		}
		if (t != NULL && t->meta == QMP_SCHEMA_META_ENUM &&
		    !g_strv_contains ((const gchar *const *)t->values, eq + 1)) {
			g_autoptr (GPtrArray) values = g_ptr_array_new ();
			for (guint j = 0; j < t->n_values; j++)
				g_ptr_array_add (values, (gpointer)t->values[j]);
			g_autofree gchar *listed = NULL;
			close = qmpsh_check_suggest (values, eq + 1);
			g_ptr_array_add (values, NULL);
			listed = g_strjoinv (", ", (gchar **)values->pdata);
			g_set_error (error, QMPSH_CHECK_ERROR, QMPSH_CHECK_ERROR_WRONG_TYPE,
				     ".wait-event: %s=%s: not one of %s%s%s%s", key, eq + 1, listed,
				     close != NULL ? "; did you mean " : "",
				     close != NULL ? close : "", close != NULL ? "?" : "");
			return FALSE;
		}
	}
	return TRUE;
}

static void
step_wait_event (gpointer owner, QmpshStep *step, QmpshStepWhy why)
{
	QmpshSession *session = owner;
	Wait *wait = step->data;
	const gchar *name = wait->what;
	QmpMessage *event;

	/* the schema first, fetched if it has not been: the step is poked when it comes */
	if (!wait->checked) {
		QmpshIntrospect *introspect = qmpsh_session_get_introspect (session);
		QmpSchema *schema;
		g_autoptr (GError) error = NULL;

		qmpsh_introspect_fetch (introspect);
		schema = qmpsh_introspect_get_schema (introspect);
		if (schema == NULL && qmpsh_introspect_get_error (introspect) == NULL &&
		    why != QMPSH_STEP_LOST && why != QMPSH_STEP_INTERRUPT &&
		    !qmpsh_session_is_lost (session))
			return;
		wait->checked = TRUE;
		if (schema != NULL && !wait_check (schema, wait, &error)) {
			qmpsh_session_finish (session, step, QMPSH_ITEM_FAILURE,
					      g_strdup (error->message), NULL, TRUE);
			return;
		}
		if (why == QMPSH_STEP_POKE)
			why = QMPSH_STEP_BEGIN;
	}
	event = qmpsh_events_take (qmpsh_session_get_events (session), wait->name,
				   (const gchar *const *)wait->where);

	if (event != NULL) {
		qmpsh_session_finish (session, step, QMPSH_ITEM_EVENT, NULL, event, FALSE);
	} else if (why == QMPSH_STEP_INTERRUPT) {
		qmpsh_session_finish (session, step, QMPSH_ITEM_NOTE,
				      g_strdup_printf ("stopped waiting for %s", name), NULL,
				      FALSE);
	} else if (why == QMPSH_STEP_LOST || qmpsh_session_is_lost (session)) {
		qmpsh_session_finish (session, step, QMPSH_ITEM_FAILURE,
				      g_strdup_printf ("no %s event: the connection is gone", name),
				      NULL, TRUE);
	} else if (wait->timed_out) {
		qmpsh_session_finish (
			session, step, QMPSH_ITEM_FAILURE,
			g_strdup_printf ("no %s event within %.3g s", name, wait->msec / 1000.0),
			NULL, TRUE);
	} else if (why == QMPSH_STEP_BEGIN) {
		if (wait->msec > 0) {
			wait->timer = g_timeout_source_new (wait->msec);
			g_source_set_callback (wait->timer, wait_timeout_cb, wait, NULL);
			g_source_attach (wait->timer, NULL);
		}
		g_signal_emit_by_name (session, "action::waiting", name);
	}
}

static gboolean
run_wait_event (QmpshSession *session, guint lineno, gchar **argv, GError **error)
{
	g_autoptr (GStrvBuilder) where = g_strv_builder_new ();
	g_autofree gchar *where_text = NULL;
	gdouble seconds = 0;
	Wait *wait;

	if (argv[0] == NULL || strchr (argv[0], '=') != NULL)
		return usage (error, ".wait-event", argv[0]);
	for (guint i = 1; argv[i] != NULL; i++) {
		const gchar *eq = strchr (argv[i], '=');
		gchar *end = NULL;
		/* KEY=VALUE, VALUE not empty; timeout= once */
		if (eq == NULL || eq == argv[i] || eq[-1] == '.' || argv[i][0] == '.' ||
		    eq[1] == '\0' || (g_str_has_prefix (argv[i], "timeout=") && seconds > 0))
			return usage (error, ".wait-event", argv[i]);
		if (!g_str_has_prefix (argv[i], "timeout=")) {
			g_strv_builder_add (where, argv[i]);
			continue;
		}
		seconds = g_ascii_strtod (argv[i] + 8, &end);
		if (end == argv[i] + 8 || *end != '\0' || !(seconds > 0) || seconds > 1e6)
			return usage (error, ".wait-event", argv[i]);
	}
	wait = g_new0 (Wait, 1);
	wait->session = session;
	wait->msec = (gint64)(seconds * 1000);
	wait->where = g_strv_builder_end (where);
	wait->name = g_strdup (argv[0]);
	where_text = g_strjoinv (" ", wait->where);
	wait->what = where_text[0] != '\0' ? g_strdup_printf ("%s %s", argv[0], where_text)
					   : g_strdup (argv[0]);
	qmpsh_session_act (session, lineno, argv[0], TRUE, step_wait_event, wait,
			   (GDestroyNotify)wait_free);
	return TRUE;
}

/* ---- completion of first arguments ----------------------------------------- */

static void
complete_commands (QmpSchema *schema, const QmpshCompleteLive *live, GPtrArray *words)
{
	GPtrArray *commands = schema != NULL ? qmp_schema_list_commands (schema) : NULL;
	for (guint i = 0; commands != NULL && i < commands->len; i++)
		g_ptr_array_add (words, g_strdup (g_ptr_array_index (commands, i)));
}

static void
complete_events (QmpSchema *schema, const QmpshCompleteLive *live, GPtrArray *words)
{
	static const gchar *const modes[] = { "on", "off", "only", "mute" };
	for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
		g_ptr_array_add (words, g_strdup (modes[i]));
}

static void
complete_jobs (QmpSchema *schema, const QmpshCompleteLive *live, GPtrArray *words)
{
	for (guint i = 0; live != NULL && live->job_ids != NULL && i < live->job_ids->len; i++)
		g_ptr_array_add (words, g_strdup (g_ptr_array_index (live->job_ids, i)));
}

static void
complete_settings (QmpSchema *schema, const QmpshCompleteLive *live, GPtrArray *words)
{
	g_ptr_array_add (words, g_strdup ("hints"));
	g_ptr_array_add (words, g_strdup ("exit-on-error"));
	g_ptr_array_add (words, g_strdup ("pager"));
	g_ptr_array_add (words, g_strdup ("raw"));
}

static const QmpshBuiltin builtins[] = {
	{ ".help", "[COMMAND|EVENT [TAG=VALUE] [ARGUMENT]]",
	  "this text; what a command takes and returns, or an event's data", QMPSH_BUILTIN_ANYWHERE,
	  complete_commands, run_help },
	{ ".exit", "", "stop reading input and leave (Ctrl-D too)", QMPSH_BUILTIN_ANYWHERE, NULL,
	  run_exit },
	{ ".events", "on|off|only PATTERN...|mute PATTERN...",
	  "show events as they come, or not, or only some, or all but some", QMPSH_BUILTIN_ANYWHERE,
	  complete_events, run_events },
	{ ".wait-event", "NAME [KEY=VALUE...] [timeout=SECONDS]",
	  "wait for an event (its data holding each KEY=VALUE) that came after the last command, "
	  "or the next",
	  QMPSH_BUILTIN_ANYWHERE, NULL, run_wait_event },
	{ ".watch", "[JOB-ID|migration] | [every=SECONDS] COMMAND [KEY=VALUE...]",
	  "follow a job's progress, or run a query again and again (Ctrl-C stops watching)",
	  QMPSH_BUILTIN_PROMPT, complete_jobs, run_watch },
	{ ".source", "FILE", "run the lines of FILE, in order, as if typed here",
	  QMPSH_BUILTIN_ANYWHERE, NULL, run_source },
	{ ".spawn-monitor", "PATH",
	  "add a QMP monitor listening on PATH, for another client, and say its address",
	  QMPSH_BUILTIN_ANYWHERE, NULL, run_spawn_monitor },
	{ ".oob", "COMMAND [KEY=VALUE...]", "send a command out of band (exec-oob)",
	  QMPSH_BUILTIN_ANYWHERE, complete_commands, run_oob },
	{ ".set", "hints|exit-on-error|pager|raw on|off",
	  "show what to type next, dim, after the cursor; stop at the first failure; page long "
	  "replies; show every message in and out",
	  QMPSH_BUILTIN_ANYWHERE, complete_settings, run_set },
};

/* an unknown built-in: the nearest of this mode's, or all of them */
static gboolean
qmpsh_builtins_unknown (GError **error, const gchar *name, QmpshBuiltinModes mode)
{
	g_autoptr (GPtrArray) names = g_ptr_array_new ();
	g_autofree gchar *close = NULL;
	g_autofree gchar *shown = qmpsh_format_excerpt (name, -1);

	for (guint i = 0; i < G_N_ELEMENTS (builtins); i++) {
		if (builtins[i].modes & mode)
			g_ptr_array_add (names, (gpointer)builtins[i].name);
	}
	close = qmpsh_check_suggest (names, name);
	g_ptr_array_add (names, NULL);
	if (close != NULL) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
			     "unknown built-in '%s'; did you mean %s? (.help lists them)", shown,
			     close);
	} else {
		g_autofree gchar *all = g_strjoinv (", ", (gchar **)names->pdata);
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
			     "unknown built-in '%s' (built-ins: %s)", shown, all);
	}
	return FALSE;
}

/**
 * qmpsh_builtins_get:
 * @n: (out): how many there are
 *
 * Returns: (transfer none) (array length=n): the table of built-ins
 */
const QmpshBuiltin *
qmpsh_builtins_get (guint *n)
{
	*n = G_N_ELEMENTS (builtins);
	return builtins;
}

/**
 * qmpsh_builtins_find:
 * @name: a built-in's name
 *
 * Returns: (transfer none) (nullable): its row
 */
const QmpshBuiltin *
qmpsh_builtins_find (const gchar *name)
{
	for (guint i = 0; i < G_N_ELEMENTS (builtins); i++) {
		if (g_strcmp0 (builtins[i].name, name) == 0)
			return &builtins[i];
	}
	return NULL;
}

/**
 * qmpsh_builtins_run:
 * @session: the session
 * @line: a built-in line
 * @lineno: its number
 * @error: a #GError, or %NULL
 *
 * Returns: %FALSE with @error set for an unknown built-in, one that does not
 *   work in this mode, or wrong arguments
 */
gboolean
qmpsh_builtins_run (QmpshSession *session, QmpshLine *line, guint lineno, GError **error)
{
	const QmpshBuiltin *b = qmpsh_builtins_find (line->name);
	QmpshBuiltinModes mode = qmpsh_session_get_interactive (session) ? QMPSH_BUILTIN_PROMPT
									 : QMPSH_BUILTIN_BATCH;

	if (b == NULL)
		return qmpsh_builtins_unknown (error, line->name, mode);
	if (!(b->modes & mode)) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX, "%s works only %s",
			     b->name, mode == QMPSH_BUILTIN_BATCH ? "at the prompt" : "in batch");
		return FALSE;
	}
	return b->run (session, lineno, line->argv, error);
}
