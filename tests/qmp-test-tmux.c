/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmp-test-tmux.h"

#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

struct _QmpTestTmux {
	gchar *dir;
	gchar *socket; /* tmux's server socket, private to the test */
	gchar *env;    /* more of qmpsh's environment, shell words */
	gboolean started;
};

/**
 * qmp_test_tmux_new:
 * @dir: the test's directory: the tmux socket, qmpsh's state and valgrind's
 *   logs go there
 */
QmpTestTmux *
qmp_test_tmux_new (const gchar *dir)
{
	QmpTestTmux *t = g_new0 (QmpTestTmux, 1);
	t->dir = g_strdup (dir);
	t->socket = g_build_filename (dir, "tmux", NULL);
	return t;
}

void
qmp_test_tmux_run (QmpTestTmux *t, const gchar *const *args, gchar **out)
{
	g_autoptr (GPtrArray) argv = g_ptr_array_new ();
	g_autoptr (GError) error = NULL;
	gint status = 0;

	g_ptr_array_add (argv, "tmux");
	g_ptr_array_add (argv, "-S");
	g_ptr_array_add (argv, t->socket);
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add (argv, (gpointer)args[i]);
	g_ptr_array_add (argv, NULL);
	g_spawn_sync (NULL, (gchar **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, NULL,
		      &status, &error);
	g_assert_no_error (error);
	g_assert_true (g_spawn_check_exit_status (status, NULL));
}

void
qmp_test_tmux_keys (QmpTestTmux *t, const gchar *const *keys)
{
	g_autoptr (GPtrArray) args = g_ptr_array_new ();
	g_ptr_array_add (args, "send-keys");
	g_ptr_array_add (args, "-t");
	g_ptr_array_add (args, "s");
	for (guint i = 0; keys[i] != NULL; i++)
		g_ptr_array_add (args, (gpointer)keys[i]);
	g_ptr_array_add (args, NULL);
	qmp_test_tmux_run (t, (const gchar *const *)args->pdata, NULL);
}

gchar *
qmp_test_tmux_screen (QmpTestTmux *t)
{
	const gchar *args[] = { "capture-pane", "-p", "-t", "s", NULL };
	gchar *out = NULL;
	qmp_test_tmux_run (t, args, &out);
	return out;
}

/* the screen with its colours and attributes, as escape sequences */
gchar *
qmp_test_tmux_screen_styled (QmpTestTmux *t)
{
	const gchar *args[] = { "capture-pane", "-p", "-e", "-t", "s", NULL };
	gchar *out = NULL;
	qmp_test_tmux_run (t, args, &out);
	return out;
}

/* more environment for the qmpsh that qmp_test_tmux_start() runs next ("NO_COLOR=1") */
void
qmp_test_tmux_set_env (QmpTestTmux *t, const gchar *env)
{
	g_free (t->env);
	t->env = g_strdup (env);
}

/* the last line with text on it: the prompt and what is typed */
gchar *
qmp_test_tmux_last_line (QmpTestTmux *t)
{
	g_autofree gchar *text = qmp_test_tmux_screen (t);
	g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
	for (gint i = g_strv_length (lines) - 1; i >= 0; i--) {
		g_strchomp (lines[i]);
		if (lines[i][0] != '\0')
			return g_strdup (lines[i]);
	}
	return g_strdup ("");
}

/* waits until the screen shows @text; fails, showing the screen, when it does not */
void
qmp_test_tmux_wait_for (QmpTestTmux *t, const gchar *text, guint seconds)
{
	gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
	for (;;) {
		g_autofree gchar *now = qmp_test_tmux_screen (t);
		if (strstr (now, text) != NULL)
			return;
		if (g_get_monotonic_time () > deadline)
			g_error ("the screen never showed '%s':\n%s", text, now);
		g_usleep (50000);
	}
}

guint
qmp_test_tmux_cursor_x (QmpTestTmux *t)
{
	const gchar *args[] = { "display", "-p", "-t", "s", "#{cursor_x}", NULL };
	g_autofree gchar *out = NULL;
	qmp_test_tmux_run (t, args, &out);
	return (guint)g_ascii_strtoull (out, NULL, 10);
}

/* under the valgrind test setup, qmpsh in the terminal runs under valgrind too */
static gchar *
qmp_test_tmux_wrapper (QmpTestTmux *t)
{
	if (g_getenv ("QMPSH_VALGRIND") == NULL)
		return g_strdup ("");
	return g_strdup_printf ("valgrind -q --leak-check=full --errors-for-leak-kinds=definite "
				"--show-leak-kinds=definite "
				"--suppressions=/usr/share/glib-2.0/valgrind/glib.supp "
				"--log-file='%s/valgrind-%%p.log' ",
				t->dir);
}

/**
 * qmp_test_tmux_start:
 * @t: the terminal
 * @args: qmpsh's arguments, shell words
 * @ready: what the screen shows once qmpsh is ready
 *
 * Runs qmpsh in a 150x50 session "s"; when it ends, the screen says
 * QMPSH-EXIT= and its status. Its history is kept in @dir/state, and its
 * config file is read from @dir/config/qmpsh/config, if there is one.
 */
void
qmp_test_tmux_start (QmpTestTmux *t, const gchar *args, const gchar *ready)
{
	g_autofree gchar *vg = qmp_test_tmux_wrapper (t);
	/* each test's own cache: a schema cached by one is never another's */
	g_autofree gchar *cmd = g_strdup_printf (
		"env XDG_STATE_HOME='%s/state' "
		"XDG_CONFIG_HOME='%s/config' "
		"XDG_CACHE_HOME='%s/cache' TERM=xterm %s "
		"%s'%s' %s; echo QMPSH-EXIT=$?; sleep 600",
		t->dir, t->dir, t->dir, t->env != NULL ? t->env : "", vg, g_getenv ("QMPSH"), args);
	qmp_test_tmux_start_command (t, cmd, ready);
}

/**
 * qmp_test_tmux_start_command:
 * @t: the terminal
 * @cmd: a shell command line (an interactive shell, say), which is to echo
 *   QMPSH-EXIT=$? when it ends, as qmp_test_tmux_start()'s does
 * @ready: what the screen shows once it is ready
 *
 * Runs @cmd in the 150x50 session "s", left with C-u C-d.
 */
void
qmp_test_tmux_start_command (QmpTestTmux *t, const gchar *cmd, const gchar *ready)
{
	const gchar *argv[] = {
		"new-session", "-d", "-s", "s", "-x", "150", "-y", "50", cmd, NULL
	};
	qmp_test_tmux_run (t, argv, NULL);
	t->started = TRUE;
	qmp_test_tmux_wait_for (t, ready, 30);
}

/* what valgrind said of every qmpsh the test ran: nothing, or the test fails */
static void
qmp_test_tmux_check_valgrind (QmpTestTmux *t)
{
	g_autoptr (GDir) dir = g_dir_open (t->dir, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
		g_autofree gchar *path = NULL;
		g_autofree gchar *text = NULL;
		g_auto (GStrv) lines = NULL;
		if (!g_str_has_prefix (name, "valgrind-"))
			continue;
		path = g_build_filename (t->dir, name, NULL);
		g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
		/* valgrind's own notes ("--pid-- WARNING: unhandled syscall") are not qmpsh's */
		lines = g_strsplit (text, "\n", -1);
		for (guint i = 0; lines[i] != NULL; i++) {
			if (lines[i][0] != '\0' &&
			    !g_regex_match_simple ("^--[0-9]+-- ", lines[i], 0, 0))
				g_error ("valgrind on qmpsh in the terminal:\n%s", text);
		}
	}
}

/* whether a tmux server still takes connections on the socket */
static gboolean
qmp_test_tmux_listening (QmpTestTmux *t)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	gboolean up;

	g_assert_cmpint (fd, >=, 0);
	g_strlcpy (addr.sun_path, t->socket, sizeof (addr.sun_path));
	up = connect (fd, (struct sockaddr *)&addr, sizeof (addr)) == 0;
	close (fd);
	return up;
}

/**
 * qmp_test_tmux_leave:
 * @t: the terminal
 *
 * Leaves qmpsh as a user does (C-u C-d), so that valgrind sees a whole run,
 * and ends the tmux server.
 */
void
qmp_test_tmux_leave (QmpTestTmux *t)
{
	const gchar *quit[] = { "send-keys", "-t", "s", "C-u", "C-d", NULL };
	const gchar *kill[] = { "kill-server", NULL };

	if (!t->started)
		return;
	qmp_test_tmux_run (t, quit, NULL);
	for (gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;;) {
		g_autofree gchar *now = qmp_test_tmux_screen (t);
		if (strstr (now, "QMPSH-EXIT=") != NULL || g_get_monotonic_time () > deadline)
			break;
		g_usleep (50000);
	}
	qmp_test_tmux_run (t, kill, NULL);
	/* a session started before the old server is gone meets it exiting */
	for (gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
	     qmp_test_tmux_listening (t) && g_get_monotonic_time () < deadline;)
		g_usleep (10000);
	t->started = FALSE;
	qmp_test_tmux_check_valgrind (t);
}

void
qmp_test_tmux_free (QmpTestTmux *t)
{
	if (t == NULL)
		return;
	qmp_test_tmux_leave (t);
	g_free (t->dir);
	g_free (t->socket);
	g_free (t->env);
	g_free (t);
}
