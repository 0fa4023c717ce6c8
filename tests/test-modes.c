/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * One session engine under both front ends: every case in modes.cases runs
 * in batch (a pipe) and at the prompt (tmux) against a real QEMU, and both
 * must show the same thing, end the same way, and leave the same status.
 */

#include <glib/gstdio.h>
#include <string.h>

#include "qmp-test-tmux.h"
#include "qmp-test-util.h"

static GKeyFile *cases;

typedef struct {
	gchar *dir;
	gchar *sock;
	QmpTestQemu *qemu;
} Fixture;

static gchar **
get_list (const gchar *name, const gchar *key)
{
	gchar **value = g_key_file_get_string_list (cases, name, key, NULL, NULL);
	return value != NULL ? value : g_new0 (gchar *, 1);
}

static void
assert_shows (const gchar *mode, const gchar *name, const gchar *text, gchar **wanted)
{
	for (guint i = 0; wanted[i] != NULL; i++) {
		if (strstr (text, wanted[i]) == NULL)
			g_error ("case %s, %s: expected '%s' in:\n%s", name, mode, wanted[i], text);
	}
}

static void
assert_lacks (const gchar *mode, const gchar *name, const gchar *text, gchar **unwanted)
{
	for (guint i = 0; unwanted[i] != NULL; i++) {
		if (strstr (text, unwanted[i]) != NULL)
			g_error ("case %s, %s: '%s' should not be in:\n%s", name, mode, unwanted[i],
				 text);
	}
}

static void
run_batch (Fixture *fx, const gchar *name)
{
	g_autofree gchar *input = g_key_file_get_string (cases, name, "input", NULL);
	g_autofree gchar *extra = g_key_file_get_string (cases, name, "args", NULL);
	g_autofree gchar *text = NULL;
	g_autofree gchar *stdin_text = g_strdup_printf ("%s\n", input);
	g_auto (GStrv) words = NULL;
	g_autoptr (GPtrArray) args = g_ptr_array_new ();
	g_autoptr (QmpTestRun) run = NULL;
	g_auto (GStrv) shows = get_list (name, "shows");
	g_auto (GStrv) batch_shows = get_list (name, "batch-shows");
	g_auto (GStrv) lacks = get_list (name, "lacks");
	gboolean ends = g_key_file_get_boolean (cases, name, "ends", NULL);

	if (extra != NULL)
		g_assert_true (g_shell_parse_argv (extra, NULL, &words, NULL));
	for (guint i = 0; words != NULL && words[i] != NULL; i++)
		g_ptr_array_add (args, words[i]);
	g_ptr_array_add (args, fx->sock);
	g_ptr_array_add (args, NULL);
	run = qmp_test_run_qmpsh (stdin_text, (const gchar *const *)args->pdata);
	text = g_strconcat (run->out, run->err, NULL);
	assert_shows ("batch", name, text, shows);
	assert_shows ("batch", name, text, batch_shows);
	assert_lacks ("batch", name, text, lacks);
	if (ends)
		g_assert_cmpint (run->status, ==,
				 g_key_file_get_integer (cases, name, "status", NULL));
}

static void
run_prompt (Fixture *fx, const gchar *name)
{
	g_autofree gchar *input = g_key_file_get_string (cases, name, "input", NULL);
	g_autofree gchar *extra = g_key_file_get_string (cases, name, "args", NULL);
	g_autofree gchar *args = g_strdup_printf ("%s '%s'", extra != NULL ? extra : "", fx->sock);
	g_autoptr (QmpTestTmux) term = qmp_test_tmux_new (fx->dir);
	g_auto (GStrv) lines = g_strsplit (input, "\n", -1);
	g_auto (GStrv) shows = get_list (name, "shows");
	g_auto (GStrv) prompt_shows = get_list (name, "prompt-shows");
	g_auto (GStrv) lacks = get_list (name, "lacks");
	g_autofree gchar *text = NULL;
	gboolean ends = g_key_file_get_boolean (cases, name, "ends", NULL);

	qmp_test_tmux_start (term, args, "(running)");
	for (guint i = 0; lines[i] != NULL; i++) {
		const gchar *keys[] = { lines[i], "Enter", NULL };
		qmp_test_tmux_keys (term, keys);
	}
	for (guint i = 0; shows[i] != NULL; i++)
		qmp_test_tmux_wait_for (term, shows[i], 10);
	for (guint i = 0; prompt_shows[i] != NULL; i++)
		qmp_test_tmux_wait_for (term, prompt_shows[i], 10);
	if (ends) {
		g_autofree gchar *exit = g_strdup_printf (
			"QMPSH-EXIT=%d", g_key_file_get_integer (cases, name, "status", NULL));
		qmp_test_tmux_wait_for (term, exit, 15);
	} else {
		/* it goes on: a command still works */
		const gchar *keys[] = { "query-name", "Enter", NULL };
		qmp_test_tmux_keys (term, keys);
		qmp_test_tmux_wait_for (term, "\"name\": \"vm1\"", 10);
	}
	text = qmp_test_tmux_screen (term);
	assert_lacks ("prompt", name, text, lacks);
}

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *monitor = NULL;

	fx->dir = qmp_test_make_dir ();
	fx->sock = g_build_filename (fx->dir, "qmp.sock", NULL);
	monitor = g_strdup_printf ("unix:%s,server=on,wait=off", fx->sock);
	{
		const gchar *args[] = { "-name", "vm1", "-qmp", monitor, NULL };
		const gchar *wait[] = { fx->sock, NULL };
		fx->qemu = qmp_test_qemu_start (args, wait);
	}
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *state = g_build_filename (fx->dir, "state", "qmpsh", NULL);
	g_autofree gchar *history = g_build_filename (state, "history", NULL);
	g_autofree gchar *parent = g_build_filename (fx->dir, "state", NULL);

	g_clear_pointer (&fx->qemu, qmp_test_qemu_free);
	g_unlink (history);
	g_rmdir (state);
	g_rmdir (parent);
	qmp_test_remove_dir (fx->dir);
	g_free (fx->dir);
	g_free (fx->sock);
}

static void
test_batch (Fixture *fx, gconstpointer data)
{
	run_batch (fx, data);
}

static void
test_prompt (Fixture *fx, gconstpointer data)
{
	run_prompt (fx, data);
}

int
main (int argc, char **argv)
{
	g_autofree gchar *path =
		g_build_filename (g_getenv ("QMPSH_TESTS_DIR"), "modes.cases", NULL);
	g_autoptr (GError) error = NULL;
	g_auto (GStrv) names = NULL;

	g_test_init (&argc, &argv, NULL);
	cases = g_key_file_new ();
	g_key_file_load_from_file (cases, path, G_KEY_FILE_NONE, &error);
	g_assert_no_error (error);
	names = g_key_file_get_groups (cases, NULL);
	for (guint i = 0; names[i] != NULL; i++) {
		g_autofree gchar *batch = g_strdup_printf ("/modes/%s/batch", names[i]);
		g_autofree gchar *prompt = g_strdup_printf ("/modes/%s/prompt", names[i]);
		g_test_add (batch, Fixture, names[i], fixture_setup, test_batch, fixture_teardown);
		g_test_add (prompt, Fixture, names[i], fixture_setup, test_prompt,
			    fixture_teardown);
	}
	return g_test_run ();
}
