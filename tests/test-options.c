/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * qmpsh's own command line: --help against the man page, and the bash and
 * zsh completions, typed in a real terminal against a real QEMU's socket
 */

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "qmp-test-tmux.h"
#include "qmp-test-util.h"

typedef struct {
	gchar *dir;
	gchar *vm_dir; /* the shell's directory: the QEMU's socket, and files that are not */
	gchar *name;   /* the QEMU's -name */
	QmpTestQemu *qemu;
	QmpTestTmux *term;
} Fixture;

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *sock = NULL;
	g_autofree gchar *chardev = NULL;

	fx->dir = qmp_test_make_dir ();
	fx->vm_dir = g_build_filename (fx->dir, "vm", NULL);
	g_assert_cmpint (g_mkdir (fx->vm_dir, 0700), ==, 0);
	sock = g_build_filename (fx->vm_dir, "vm.qmp", NULL);
	for (guint i = 0; i < 2; i++) {
		const gchar *other[] = { "disk.qcow2", "qemu.pid" };
		g_autofree gchar *path = g_build_filename (fx->vm_dir, other[i], NULL);
		g_assert_true (g_file_set_contents (path, "", 0, NULL));
	}
	chardev = g_strdup_printf ("socket,id=m,path=%s,server=on,wait=off", sock);
	fx->name = g_strdup_printf ("qmpsh-options-%d", (gint)getpid ());
	{
		const gchar *args[] = { "-chardev", chardev,  "-mon", "chardev=m,mode=control",
					"-name",    fx->name, NULL };
		const gchar *wait[] = { sock, NULL };
		fx->qemu = qmp_test_qemu_start (args, wait);
	}
	fx->term = qmp_test_tmux_new (fx->dir);
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
	g_clear_pointer (&fx->term, qmp_test_tmux_free);
	g_clear_pointer (&fx->qemu, qmp_test_qemu_free);
	qmp_test_remove_dir (fx->dir);
	g_free (fx->dir);
	g_free (fx->vm_dir);
	g_free (fx->name);
}

static void
assert_has (const gchar *text, const gchar *part)
{
	if (strstr (text, part) == NULL)
		g_error ("'%s' is not in:\n%s", part, text);
}

/* the source tree's FILE, from tests/ */
static gchar *
source_file (const gchar *dir, const gchar *file)
{
	return g_build_filename (g_getenv ("QMPSH_TESTS_DIR"), "..", dir, file, NULL);
}

/* an interactive SHELL ("bash", "zsh") in the VM's directory, qmpsh on its PATH */
static void
start_shell (Fixture *fx, const gchar *shell)
{
	g_autofree gchar *bin = g_path_get_dirname (g_getenv ("QMPSH"));
	g_autofree gchar *bash_file = source_file ("completions", "qmpsh.bash");
	g_autofree gchar *zsh_dir = source_file ("completions", "");
	g_autofree gchar *cmd = g_strdup_printf (
		"cd '%s' && env PATH='%s':\"$PATH\" TERM=xterm HISTFILE=/dev/null %s; "
		"echo QMPSH-EXIT=$?; sleep 600",
		fx->vm_dir, bin,
		g_str_equal (shell, "bash") ? "PS1='$ ' bash --norc --noprofile -i"
					    : "PS1='%% ' zsh -f -i");
	g_autofree gchar *setup =
		g_str_equal (shell, "bash")
			? g_strdup_printf ("source '%s'; clear", bash_file)
			: g_strdup_printf ("fpath=('%s' $fpath); autoload -U compinit; "
					   "compinit -u -D; clear",
					   zsh_dir);
	const gchar *keys[] = { setup, "Enter", NULL };

	qmp_test_tmux_start_command (fx->term, cmd, g_str_equal (shell, "bash") ? "$" : "%");
	qmp_test_tmux_keys (fx->term, keys);
}

/* types TEXT, then TABS (one or two TABs), and waits for the screen to show WANT */
static void
type_tab (Fixture *fx, const gchar *text, guint tabs, const gchar *want)
{
	const gchar *clear[] = { "C-u", NULL };
	const gchar *typed[] = { "-l", text, NULL };
	const gchar *tab[] = { "Tab", NULL };

	qmp_test_tmux_keys (fx->term, clear);
	qmp_test_tmux_keys (fx->term, typed);
	for (guint i = 0; i < tabs; i++) {
		qmp_test_tmux_keys (fx->term, tab);
		g_usleep (300000);
	}
	qmp_test_tmux_wait_for (fx->term, want, 10);
}

/*
 * In either shell: an option's name, then its values; the address offers
 * the socket and neither of the other files; --log= offers files.
 */
static void
test_shell (Fixture *fx, gconstpointer data)
{
	const gchar *shell = data;
	const gchar *prompt = g_str_equal (shell, "bash") ? "$ " : "% ";
	g_autofree gchar *color = g_strconcat (prompt, "qmpsh --color=", NULL);
	g_autofree gchar *address = g_strconcat (prompt, "qmpsh vm.qmp", NULL);
	g_autofree gchar *screen = NULL;
	const gchar *leave[] = { "C-u", "exit", "Enter", NULL };

	start_shell (fx, shell);
	type_tab (fx, "qmpsh --col", 1, color);
	type_tab (fx, "qmpsh --color=", 2, "never");
	screen = qmp_test_tmux_screen (fx->term);
	assert_has (screen, "always");
	assert_has (screen, "auto");
	g_clear_pointer (&screen, g_free);

	/* the address: the socket and the VM's name, never the other files */
	type_tab (fx, "qmpsh ", 2, fx->name);
	screen = qmp_test_tmux_screen (fx->term);
	assert_has (screen, "vm.qmp");
	g_assert_null (strstr (screen, "disk.qcow2"));
	g_assert_null (strstr (screen, "qemu.pid"));
	g_clear_pointer (&screen, g_free);

	/* the socket's name completed, and once it is there no second address */
	type_tab (fx, "qmpsh vm.", 2, address);
	{
		const gchar *clear[] = { "clear", "Enter", NULL };
		const gchar *run[] = { " -c query-status", "Enter", NULL };
		qmp_test_tmux_keys (fx->term, run);
		qmp_test_tmux_wait_for (fx->term, "\"status\": \"running\"", 10);
		qmp_test_tmux_keys (fx->term, clear);
	}
	/* the VM's name completed connects to it */
	{
		g_autofree gchar *prefix = g_strconcat ("qmpsh ", fx->name, NULL);
		g_autofree gchar *typed = g_strndup (prefix, strlen (prefix) - 4);
		g_autofree gchar *whole = g_strconcat (prompt, prefix, NULL);
		g_autofree gchar *reply = g_strdup_printf ("\"name\": \"%s\"", fx->name);
		const gchar *run[] = { " -c query-name", "Enter", NULL };

		type_tab (fx, typed, 1, whole);
		qmp_test_tmux_keys (fx->term, run);
		qmp_test_tmux_wait_for (fx->term, reply, 10);
	}
	type_tab (fx, "qmpsh --log=", 2, "disk.qcow2");
	screen = qmp_test_tmux_screen (fx->term);
	assert_has (screen, "qemu.pid");
	qmp_test_tmux_keys (fx->term, leave);
	qmp_test_tmux_wait_for (fx->term, "QMPSH-EXIT=", 10);
}

/* every option --help names is in the man page, every line fits 80 columns */
static void
test_help_and_man (Fixture *fx, gconstpointer data)
{
	const gchar *args[] = { "--help", NULL };
	g_autoptr (QmpTestRun) run = qmp_test_run_qmpsh ("", args);
	g_autofree gchar *man_path = source_file ("man", "qmpsh.1.in");
	g_autofree gchar *man = NULL;
	g_autoptr (GRegex) option = g_regex_new ("^  (?:-\\w, |    )--([a-z-]+)", 0, 0, NULL);
	g_auto (GStrv) lines = NULL;
	guint seen = 0;

	g_assert_cmpint (run->status, ==, 0);
	g_assert_true (g_file_get_contents (man_path, &man, NULL, NULL));
	lines = g_strsplit (run->out, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_autoptr (GMatchInfo) match = NULL;
		g_autofree gchar *name = NULL;
		g_autoptr (GString) in_man = NULL;

		g_assert_cmpint (g_utf8_strlen (lines[i], -1), <=, 80);
		if (!g_regex_match (option, lines[i], 0, &match))
			continue;
		name = g_match_info_fetch (match, 1);
		/* groff writes a hyphen as \- */
		in_man = g_string_new ("\\-\\-");
		for (const gchar *p = name; *p != '\0'; p++)
			g_string_append (in_man, *p == '-' ? "\\-" : (gchar[]){ *p, '\0' });
		if (strstr (man, in_man->str) == NULL)
			g_error ("--%s is in --help but not in man/qmpsh.1.in", name);
		seen++;
	}
	/* the regex found the options: a test that matched none would pass for nothing */
	g_assert_cmpuint (seen, >=, 30);
}

/* what the completion offers for `--` is every option --help lists, and --logfile works */
static void
test_complete_matches_help (Fixture *fx, gconstpointer data)
{
	const gchar *help_args[] = { "--help", NULL };
	const gchar *complete_args[] = { "--complete-args=bash", "--", "qmpsh --", NULL };
	g_autoptr (QmpTestRun) help = qmp_test_run_qmpsh ("", help_args);
	g_autoptr (QmpTestRun) complete = qmp_test_run_qmpsh ("", complete_args);
	g_autoptr (GRegex) option = g_regex_new ("--[a-z-]+", 0, 0, NULL);
	g_autoptr (GMatchInfo) match = NULL;
	g_auto (GStrv) offered = NULL;
	guint checked = 0;

	g_assert_cmpint (complete->status, ==, 0);
	offered = g_strsplit (complete->out, "\n", -1);
	for (g_regex_match (option, help->out, 0, &match); g_match_info_matches (match);
	     g_match_info_next (match, NULL)) {
		g_autofree gchar *name = g_match_info_fetch (match, 0);
		g_autofree gchar *with_value = g_strconcat (name, "=", NULL);

		/* names in the text (--launch --, --help's own prose) must be options too */
		if (!g_strv_contains ((const gchar *const *)offered, name) &&
		    !g_strv_contains ((const gchar *const *)offered, with_value))
			g_error ("--help names %s, which completion does not offer:\n%s", name,
				 complete->out);
		checked++;
	}
	g_assert_cmpuint (checked, >=, 30);
}

/* qmp-shell's --logfile is -l; TERM=dumb means no colour at a terminal */
static void
test_logfile_and_dumb (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *sock = g_build_filename (fx->vm_dir, "vm.qmp", NULL);
	g_autofree gchar *log = g_build_filename (fx->dir, "transcript", NULL);
	g_autofree gchar *log_arg = g_strconcat ("--logfile=", log, NULL);
	const gchar *args[] = { log_arg, "-c", "query-status", sock, NULL };
	g_autoptr (QmpTestRun) run = qmp_test_run_qmpsh ("", args);
	g_autofree gchar *text = NULL;
	g_autofree gchar *screen = NULL;
	g_autofree gchar *cmd = g_strdup_printf ("env TERM=dumb '%s' -c query-status '%s'; "
						 "echo QMPSH-EXIT=$?; sleep 600",
						 g_getenv ("QMPSH"), sock);

	g_assert_cmpint (run->status, ==, 0);
	g_assert_true (g_file_get_contents (log, &text, NULL, NULL));
	assert_has (text, "\"execute\":\"query-status\"");

	qmp_test_tmux_start_command (fx->term, cmd, "QMPSH-EXIT=0");
	screen = qmp_test_tmux_screen_styled (fx->term);
	assert_has (screen, "\"status\": \"running\"");
	g_assert_null (strstr (screen, "\033["));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add ("/options/help-and-man", Fixture, NULL, fixture_setup, test_help_and_man,
		    fixture_teardown);
	g_test_add ("/options/complete-matches-help", Fixture, NULL, fixture_setup,
		    test_complete_matches_help, fixture_teardown);
	g_test_add ("/options/logfile-and-dumb", Fixture, NULL, fixture_setup,
		    test_logfile_and_dumb, fixture_teardown);
	g_test_add ("/options/complete/bash", Fixture, "bash", fixture_setup, test_shell,
		    fixture_teardown);
	g_test_add ("/options/complete/zsh", Fixture, "zsh", fixture_setup, test_shell,
		    fixture_teardown);
	return g_test_run ();
}
