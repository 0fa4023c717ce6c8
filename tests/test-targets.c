/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * Several targets at once: `qmpsh -c CMD A B C`, and a batch on stdin, against
 * three real QEMUs with names of their own. Each line of output is one JSON
 * object with "target" for first member; a target that is gone, before the
 * run or during it, leaves the others answering and the exit status 3.
 */

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "qmp-test-tmux.h"
#include "qmp-test-util.h"

#define N_VMS 3

typedef struct {
	gchar *dir;
	gchar *sock[N_VMS];
	gchar *name[N_VMS];
	QmpTestQemu *qemu[N_VMS];
} Fixture;

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
	fx->dir = qmp_test_make_dir ();
	for (guint i = 0; i < N_VMS; i++) {
		fx->sock[i] = g_strdup_printf ("%s/%c.sock", fx->dir, 'a' + i);
		fx->name[i] = g_strdup_printf ("vm%c-targets-%d", 'A' + i, (gint)getpid ());
	}
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
	for (guint i = 0; i < N_VMS; i++) {
		g_clear_pointer (&fx->qemu[i], qmp_test_qemu_free);
		g_free (fx->sock[i]);
		g_free (fx->name[i]);
	}
	qmp_test_remove_dir (fx->dir);
	g_free (fx->dir);
}

/* three VMs, each with its -name; paused (-S) unless @running */
static void
start_three (Fixture *fx, gboolean running)
{
	for (guint i = 0; i < N_VMS; i++) {
		g_autofree gchar *qmp = g_strdup_printf ("unix:%s,server=on,wait=off", fx->sock[i]);
		const gchar *args[] = { "-name", fx->name[i],		"-qmp",
					qmp,	 running ? NULL : "-S", NULL };
		const gchar *wait[] = { fx->sock[i], NULL };

		fx->qemu[i] = qmp_test_qemu_start (args, wait);
	}
}

/* each line of @out, parsed: one JSON object whose first member is "target" */
static GPtrArray *
parse_lines (const gchar *out)
{
	g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
	GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);

	g_assert_true (out[0] == '\0' || g_str_has_suffix (out, "\n"));
	for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++) {
		g_autoptr (JsonParser) parser = json_parser_new ();
		g_autoptr (GError) error = NULL;
		g_autoptr (GList) members = NULL;
		JsonObject *object;

		json_parser_load_from_data (parser, lines[i], -1, &error);
		g_assert_no_error (error);
		g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
		object = json_node_get_object (json_parser_get_root (parser));
		members = json_object_get_members (object);
		g_assert_nonnull (members);
		g_assert_cmpstr (members->data, ==, "target");
		g_assert_true (g_str_has_prefix (lines[i], "{\"target\":"));
		g_ptr_array_add (objects, json_object_ref (object));
	}
	return objects;
}

/* the objects tagged @target, in order */
static GPtrArray *
tagged (GPtrArray *objects, const gchar *target)
{
	GPtrArray *found = g_ptr_array_new ();

	for (guint i = 0; i < objects->len; i++) {
		JsonObject *o = g_ptr_array_index (objects, i);
		if (g_strcmp0 (json_object_get_string_member (o, "target"), target) == 0)
			g_ptr_array_add (found, o);
	}
	return found;
}

static const gchar *
returned_name (JsonObject *o)
{
	JsonObject *ret = json_object_get_object_member (o, "return");
	g_assert_nonnull (ret);
	return json_object_get_string_member (ret, "name");
}

static void
assert_status_reply (JsonObject *o)
{
	JsonObject *ret = json_object_get_object_member (o, "return");
	g_assert_nonnull (ret);
	g_assert_cmpstr (json_object_get_string_member (ret, "status"), ==, "prelaunch");
	g_assert_false (json_object_get_boolean_member (ret, "running"));
}

/* whether some line of @err starts with "TARGET: " */
static gboolean
said_for (const gchar *err, const gchar *target)
{
	g_auto (GStrv) lines = g_strsplit (err, "\n", -1);
	g_autofree gchar *prefix = g_strdup_printf ("%s: qmpsh: ", target);

	for (guint i = 0; lines[i] != NULL; i++) {
		if (g_str_has_prefix (lines[i], prefix))
			return TRUE;
	}
	return FALSE;
}

/* the names `qmpsh --list --names` gives for the test's own VMs, in its order */
static GPtrArray *
listed_names (Fixture *fx)
{
	const gchar *args[] = { "--list", "--names", NULL };
	g_autoptr (QmpTestRun) run = qmp_test_run_qmpsh (NULL, args);
	g_auto (GStrv) lines = NULL;
	GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
	g_autofree gchar *suffix = g_strdup_printf ("-targets-%d", (gint)getpid ());

	g_assert_cmpint (run->status, ==, 0);
	lines = g_strsplit (run->out, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		/* our VMs are listed by name, never by the address in our directory */
		g_assert_null (strstr (lines[i], fx->dir));
		if (g_str_has_suffix (lines[i], suffix))
			g_ptr_array_add (names, g_strdup (lines[i]));
	}
	return names;
}

/* the acceptance: -c query-name A B C gives three tagged lines, A's name A's */
static void
test_query_name (Fixture *fx, gconstpointer data)
{
	g_autoptr (GPtrArray) names = NULL;
	g_autoptr (GPtrArray) argv = g_ptr_array_new ();
	g_autoptr (QmpTestRun) run = NULL;
	g_autoptr (GPtrArray) objects = NULL;

	start_three (fx, FALSE);
	/* as `qmpsh -c query-name $(qmpsh --list --names)` would give them */
	names = listed_names (fx);
	g_assert_cmpuint (names->len, ==, N_VMS);
	g_ptr_array_add (argv, "-c");
	g_ptr_array_add (argv, "query-name");
	for (guint i = 0; i < names->len; i++)
		g_ptr_array_add (argv, g_ptr_array_index (names, i));
	g_ptr_array_add (argv, NULL);
	run = qmp_test_run_qmpsh (NULL, (const gchar *const *)argv->pdata);
	g_assert_cmpstr (run->err, ==, "");
	g_assert_cmpint (run->status, ==, 0);
	objects = parse_lines (run->out);
	g_assert_cmpuint (objects->len, ==, N_VMS);
	for (guint i = 0; i < N_VMS; i++) {
		g_autoptr (GPtrArray) mine = tagged (objects, fx->name[i]);

		g_assert_cmpuint (mine->len, ==, 1);
		g_assert_cmpstr (returned_name (g_ptr_array_index (mine, 0)), ==, fx->name[i]);
	}
}

/* two lines on stdin, to three sockets: each answers both, in order */
static void
test_batch (Fixture *fx, gconstpointer data)
{
	const gchar *args[] = { fx->sock[0], fx->sock[1], fx->sock[2], NULL };
	g_autoptr (QmpTestRun) run = NULL;
	g_autoptr (GPtrArray) objects = NULL;

	start_three (fx, FALSE);
	run = qmp_test_run_qmpsh ("query-name\nquery-status\n", args);
	g_assert_cmpstr (run->err, ==, "");
	g_assert_cmpint (run->status, ==, 0);
	objects = parse_lines (run->out);
	g_assert_cmpuint (objects->len, ==, 2 * N_VMS);
	for (guint i = 0; i < N_VMS; i++) {
		g_autoptr (GPtrArray) mine = tagged (objects, fx->sock[i]);

		g_assert_cmpuint (mine->len, ==, 2);
		g_assert_cmpstr (returned_name (g_ptr_array_index (mine, 0)), ==, fx->name[i]);
		assert_status_reply (g_ptr_array_index (mine, 1));
	}
}

/* --events: each VM's STOP, tagged with it */
static void
test_events (Fixture *fx, gconstpointer data)
{
	const gchar *args[] = { "--events", fx->sock[0], fx->sock[1], fx->sock[2], NULL };
	g_autoptr (QmpTestRun) run = NULL;
	g_autoptr (GPtrArray) objects = NULL;

	start_three (fx, TRUE);
	/* .wait-event: the run ends after STOP, wherever it falls around stop's reply */
	run = qmp_test_run_qmpsh ("stop\n.wait-event STOP\n", args);
	g_assert_cmpstr (run->err, ==, "");
	g_assert_cmpint (run->status, ==, 0);
	objects = parse_lines (run->out);
	for (guint i = 0; i < N_VMS; i++) {
		g_autoptr (GPtrArray) mine = tagged (objects, fx->sock[i]);
		guint stops = 0;
		guint replies = 0;

		for (guint j = 0; j < mine->len; j++) {
			JsonObject *o = g_ptr_array_index (mine, j);
			if (g_strcmp0 (json_object_get_string_member_with_default (o, "event", ""),
				       "STOP") == 0)
				stops++;
			if (json_object_has_member (o, "return"))
				replies++;
		}
		/* shown as it came, and again by .wait-event */
		g_assert_cmpuint (stops, ==, 2);
		g_assert_cmpuint (replies, ==, 1);
		g_assert_cmpuint (mine->len, ==, 3);
	}
}

/* one VM gone before the run: the two others answer, and the status says 3 */
static void
test_one_gone (Fixture *fx, gconstpointer data)
{
	const gchar *args[] = { "-c", "query-name", fx->sock[0], fx->sock[1], fx->sock[2], NULL };
	g_autoptr (QmpTestRun) run = NULL;
	g_autoptr (GPtrArray) objects = NULL;
	g_autoptr (GPtrArray) gone = NULL;
	g_auto (GStrv) err_lines = NULL;

	start_three (fx, FALSE);
	/* its socket stays, with nobody listening */
	qmp_test_qemu_kill (fx->qemu[1]);
	run = qmp_test_run_qmpsh (NULL, args);
	g_assert_cmpint (run->status, ==, 3);
	objects = parse_lines (run->out);
	g_assert_cmpuint (objects->len, ==, 2);
	for (guint i = 0; i < N_VMS; i += 2) {
		g_autoptr (GPtrArray) mine = tagged (objects, fx->sock[i]);
		g_assert_cmpuint (mine->len, ==, 1);
		g_assert_cmpstr (returned_name (g_ptr_array_index (mine, 0)), ==, fx->name[i]);
		g_assert_false (said_for (run->err, fx->sock[i]));
	}
	gone = tagged (objects, fx->sock[1]);
	g_assert_cmpuint (gone->len, ==, 0);
	/* one line, tagged, saying what failed */
	g_assert_true (said_for (run->err, fx->sock[1]));
	g_assert_nonnull (strstr (run->err, "nothing is listening there"));
	err_lines = g_strsplit (run->err, "\n", -1);
	g_assert_cmpuint (g_strv_length (err_lines), ==, 2);
}

/* the next line of the running qmpsh's stdout, parsed */
static JsonObject *
read_object (GDataInputStream *out)
{
	g_autoptr (GError) error = NULL;
	g_autofree gchar *line = qmp_test_read_line (out, NULL, &error);
	g_autofree gchar *text = NULL;
	g_autoptr (GPtrArray) objects = NULL;

	g_assert_no_error (error);
	g_assert_nonnull (line);
	text = g_strconcat (line, "\n", NULL);
	objects = parse_lines (text);
	g_assert_cmpuint (objects->len, ==, 1);
	return json_object_ref (g_ptr_array_index (objects, 0));
}

/* one VM killed between two lines of the batch: the others answer both */
static void
test_killed_mid_batch (Fixture *fx, gconstpointer data)
{
	const gchar *args[] = { fx->sock[0], fx->sock[1], fx->sock[2], NULL };
	g_autoptr (GSubprocess) qmpsh = NULL;
	g_autoptr (GDataInputStream) out = NULL;
	g_autoptr (GError) error = NULL;
	g_autoptr (GBytes) rest = NULL;
	g_autofree gchar *err = NULL;
	g_autoptr (GPtrArray) objects =
		g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
	g_autoptr (GPtrArray) after = NULL;
	GOutputStream *in;

	start_three (fx, FALSE);
	qmpsh = qmp_test_spawn_qmpsh (args);
	in = g_subprocess_get_stdin_pipe (qmpsh);
	out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (qmpsh));
	g_assert_true (g_output_stream_write_all (in, "query-name\n", 11, NULL, NULL, &error));
	g_assert_no_error (error);
	for (guint i = 0; i < N_VMS; i++) {
		g_autoptr (JsonObject) o = read_object (out);
		g_assert_nonnull (returned_name (o));
	}
	/* every VM answered the first line: now the third one goes */
	qmp_test_qemu_kill (fx->qemu[2]);
	g_assert_true (g_output_stream_write_all (in, "query-status\n", 13, NULL, NULL, &error));
	g_assert_no_error (error);
	g_assert_true (g_output_stream_close (in, NULL, &error));
	for (;;) {
		g_autofree gchar *line = qmp_test_read_line (out, qmpsh, &error);
		g_autofree gchar *text = NULL;
		g_autoptr (GPtrArray) parsed = NULL;

		g_assert_no_error (error);
		if (line == NULL)
			break;
		text = g_strconcat (line, "\n", NULL);
		parsed = parse_lines (text);
		g_ptr_array_add (objects, json_object_ref (g_ptr_array_index (parsed, 0)));
	}
	rest = g_input_stream_read_bytes (g_subprocess_get_stderr_pipe (qmpsh), 1 << 20, NULL,
					  &error);
	g_assert_no_error (error);
	err = g_strndup (g_bytes_get_data (rest, NULL), g_bytes_get_size (rest));
	g_assert_true (g_subprocess_wait (qmpsh, NULL, &error));
	g_assert_no_error (error);
	g_assert_true (g_subprocess_get_if_exited (qmpsh));
	g_assert_cmpint (g_subprocess_get_exit_status (qmpsh), ==, 3);
	for (guint i = 0; i < 2; i++) {
		g_autoptr (GPtrArray) mine = tagged (objects, fx->sock[i]);
		g_assert_cmpuint (mine->len, ==, 1);
		assert_status_reply (g_ptr_array_index (mine, 0));
		g_assert_false (said_for (err, fx->sock[i]));
	}
	after = tagged (objects, fx->sock[2]);
	g_assert_cmpuint (after->len, ==, 0);
	g_assert_true (said_for (err, fx->sock[2]));
}

/* a [target NAME] among them: its address and its own options (read-only), for it alone */
static void
test_config_target (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *config = g_build_filename (fx->dir, "config", NULL);
	g_autofree gchar *text =
		g_strdup_printf ("[target guarded]\naddress = %s\nread-only = true\n", fx->sock[0]);
	g_autofree gchar *option = g_strdup_printf ("--config=%s", config);
	const gchar *args[] = { option, "guarded", fx->sock[1], NULL };
	g_autoptr (QmpTestRun) run = NULL;
	g_autoptr (GPtrArray) objects = NULL;
	g_autoptr (GPtrArray) guarded = NULL;
	g_autoptr (GPtrArray) open = NULL;

	start_three (fx, TRUE);
	g_assert_true (g_file_set_contents (config, text, -1, NULL));
	run = qmp_test_run_qmpsh ("query-name\nstop\n", args);
	/* stop is refused before sending to the read-only target: a failed line */
	g_assert_cmpint (run->status, ==, 1);
	objects = parse_lines (run->out);
	guarded = tagged (objects, "guarded");
	g_assert_cmpuint (guarded->len, ==, 1);
	g_assert_cmpstr (returned_name (g_ptr_array_index (guarded, 0)), ==, fx->name[0]);
	g_assert_true (said_for (run->err, "guarded"));
	g_assert_nonnull (strstr (run->err, "guarded: qmpsh: line 2: "));
	open = tagged (objects, fx->sock[1]);
	g_assert_cmpuint (open->len, ==, 2);
	g_assert_cmpstr (returned_name (g_ptr_array_index (open, 0)), ==, fx->name[1]);
	g_assert_true (json_object_has_member (g_ptr_array_index (open, 1), "return"));
	g_assert_false (said_for (run->err, fx->sock[1]));
	g_assert_cmpuint (objects->len, ==, 3);
}

/* at a terminal, with no -c: no prompt for several, and one line saying what to do */
static void
test_no_prompt (Fixture *fx, gconstpointer data)
{
	g_autoptr (QmpTestTmux) term = qmp_test_tmux_new (fx->dir);
	g_autofree gchar *args = NULL;
	g_autofree gchar *screen = NULL;

	start_three (fx, FALSE);
	args = g_strdup_printf ("'%s' '%s'", fx->sock[0], fx->sock[1]);
	qmp_test_tmux_start (term, args, "QMPSH-EXIT=2");
	screen = qmp_test_tmux_screen (term);
	g_assert_nonnull (strstr (screen, "qmpsh: several targets take their commands from -c or "
					  "from standard input, not a prompt (try -c COMMAND, or "
					  "pipe the commands in)\nQMPSH-EXIT=2"));
}

/* what does not go with several targets: one line on stderr, status 2 */
static void
test_refused (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *log = g_build_filename (fx->dir, "log", NULL);
	const gchar *args_log[] = { "-l", log, "-c", "query-name", fx->sock[0], fx->sock[1], NULL };
	const gchar *args_names[] = { "--names", fx->sock[0], NULL };
	g_autoptr (QmpTestRun) run_log = qmp_test_run_qmpsh (NULL, args_log);
	g_autoptr (QmpTestRun) run_names = qmp_test_run_qmpsh (NULL, args_names);

	g_assert_cmpint (run_log->status, ==, 2);
	g_assert_cmpstr (run_log->out, ==, "");
	g_assert_true (g_str_has_prefix (run_log->err, "qmpsh: --log records one connection"));
	g_assert_false (g_file_test (log, G_FILE_TEST_EXISTS));
	g_assert_cmpint (run_names->status, ==, 2);
	g_assert_true (g_str_has_prefix (run_names->err, "qmpsh: --names goes with --list\n"));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add ("/targets/query-name", Fixture, NULL, fixture_setup, test_query_name,
		    fixture_teardown);
	g_test_add ("/targets/batch", Fixture, NULL, fixture_setup, test_batch, fixture_teardown);
	g_test_add ("/targets/events", Fixture, NULL, fixture_setup, test_events, fixture_teardown);
	g_test_add ("/targets/one-gone", Fixture, NULL, fixture_setup, test_one_gone,
		    fixture_teardown);
	g_test_add ("/targets/killed-mid-batch", Fixture, NULL, fixture_setup,
		    test_killed_mid_batch, fixture_teardown);
	g_test_add ("/targets/config-target", Fixture, NULL, fixture_setup, test_config_target,
		    fixture_teardown);
	g_test_add ("/targets/no-prompt", Fixture, NULL, fixture_setup, test_no_prompt,
		    fixture_teardown);
	g_test_add ("/targets/refused", Fixture, NULL, fixture_setup, test_refused,
		    fixture_teardown);
	return g_test_run ();
}
