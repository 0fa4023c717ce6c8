/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * The interactive shell in a real terminal: tmux runs qmpsh, send-keys types,
 * capture-pane reads the screen. Against real QEMU and qemu-storage-daemon.
 */

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "qmp-test-tmux.h"
#include "qmp-test-util.h"

typedef struct {
	gchar *dir;
	gchar *sock;  /* the monitor qmpsh uses */
	gchar *other; /* a second monitor, to make things happen */
	QmpTestTmux *term;
	QmpTestQemu *qemu;
} Fixture;

static void
tmux (Fixture *fx, const gchar *const *args, gchar **out)
{
	qmp_test_tmux_run (fx->term, args, out);
}

#define KEYS(fx, ...) qmp_test_tmux_keys ((fx)->term, (const gchar *[]){ __VA_ARGS__, NULL })

static gchar *
screen (Fixture *fx)
{
	return qmp_test_tmux_screen (fx->term);
}

static gchar *
last_line (Fixture *fx)
{
	return qmp_test_tmux_last_line (fx->term);
}

static void
wait_for (Fixture *fx, const gchar *text, guint seconds)
{
	qmp_test_tmux_wait_for (fx->term, text, seconds);
}

static guint
cursor_x (Fixture *fx)
{
	return qmp_test_tmux_cursor_x (fx->term);
}

/* the schema comes in the background: TAB completes once it is there */
static void
wait_schema (Fixture *fx)
{
	for (gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;;) {
		KEYS (fx, "C-u", "query-statu", "Tab");
		g_usleep (200000);
		{
			g_autofree gchar *now = screen (fx);
			if (strstr (now, "> query-status") != NULL)
				break;
		}
		g_assert_cmpint (g_get_monotonic_time (), <, deadline);
	}
	KEYS (fx, "C-u");
}

static void
start_shell_until (Fixture *fx, const gchar *extra, const gchar *ready)
{
	g_autofree gchar *args = g_strdup_printf ("%s '%s'", extra != NULL ? extra : "", fx->sock);
	qmp_test_tmux_start (fx->term, args, ready);
}

static void
start_shell (Fixture *fx, const gchar *extra)
{
	start_shell_until (fx, extra, "(running)");
}

static void
start_qemu (Fixture *fx)
{
	g_autofree gchar *a = g_strdup_printf ("unix:%s,server=on,wait=off", fx->sock);
	g_autofree gchar *b = g_strdup_printf ("unix:%s,server=on,wait=off", fx->other);
	const gchar *args[] = { "-name", "vm1", "-qmp", a, "-qmp", b, NULL };
	const gchar *wait[] = { fx->sock, fx->other, NULL };
	fx->qemu = qmp_test_qemu_start (args, wait);
}

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
	fx->dir = qmp_test_make_dir ();
	fx->sock = g_build_filename (fx->dir, "a.sock", NULL);
	fx->other = g_build_filename (fx->dir, "b.sock", NULL);
	fx->term = qmp_test_tmux_new (fx->dir);
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *state = g_build_filename (fx->dir, "state", "qmpsh", NULL);
	g_autofree gchar *history = g_build_filename (state, "history", NULL);
	g_autofree gchar *parent = g_build_filename (fx->dir, "state", NULL);

	/* leave as a user does, so that valgrind sees a whole run */
	g_clear_pointer (&fx->term, qmp_test_tmux_free);
	g_clear_pointer (&fx->qemu, qmp_test_qemu_free);
	g_unlink (history);
	g_rmdir (state);
	g_rmdir (parent);
	qmp_test_remove_dir (fx->dir);
	g_free (fx->dir);
	g_free (fx->sock);
	g_free (fx->other);
}

/* a command through the second monitor, as another user of the VM would */
static void
poke (Fixture *fx, const gchar *command)
{
	const gchar *args[] = { "-c", command, fx->other, NULL };
	g_autoptr (QmpTestRun) run = qmp_test_run_qmpsh (NULL, args);
	g_assert_cmpint (run->status, ==, 0);
}

static void
test_complete_command (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *line = NULL;

	start_qemu (fx);
	start_shell (fx, NULL);
	/* QEMU 7.2 also has query-stats and query-stats-schemas: one letter more is unique */
	wait_schema (fx);
	/* ambiguous: TAB goes as far as it can, two more list the choices */
	KEYS (fx, "C-u", "query-sta", "Tab");
	wait_for (fx, "> query-stat", 5);
	KEYS (fx, "Tab", "Tab");
	wait_for (fx, "query-stats-schemas", 5);
	line = last_line (fx);
	g_assert_cmpstr (line, ==, "vm1 (running)> query-stat");
}

static void
test_complete_arguments (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *text = NULL;

	start_qemu (fx);
	start_shell (fx, NULL);
	wait_schema (fx);
	KEYS (fx, "blockdev-mirror ", "Tab", "Tab");
	wait_for (fx, "sync=", 5);
	text = screen (fx);
	g_assert_nonnull (strstr (text, "device="));
	g_assert_nonnull (strstr (text, "on-source-error="));
	KEYS (fx, "sync=", "Tab", "Tab");
	wait_for (fx, "incremental", 5);
	g_free (text);
	text = screen (fx);
	g_assert_nonnull (strstr (text, "full"));
	g_assert_nonnull (strstr (text, "top"));
	g_assert_nonnull (strstr (text, "none"));
	/* an unknown argument is refused before anything is sent */
	KEYS (fx, "C-u", "blockdev-mirror sinc=full", "Enter");
	wait_for (fx, "has no argument 'sinc'; did you mean sync?", 5);
}

static void
test_event_above_prompt (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *line = NULL;
	guint x;

	start_qemu (fx);
	start_shell (fx, NULL);
	KEYS (fx, "query-na", "Left", "Left");
	wait_for (fx, "> query-na", 5);
	/* the cursor two characters back from the end of what is typed */
	x = strlen ("vm1 (running)> query-na") - 2;
	for (gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC; cursor_x (fx) != x;)
		g_assert_cmpint (g_get_monotonic_time (), <, deadline);
	poke (fx, "stop");
	wait_for (fx, " STOP", 5);
	wait_for (fx, "(paused)> query-na", 5);
	/* the half-typed text and the cursor are where they were */
	line = last_line (fx);
	g_assert_cmpstr (line, ==, "vm1 (paused)> query-na");
	g_assert_cmpuint (cursor_x (fx), ==, x - strlen ("running") + strlen ("paused"));
	KEYS (fx, "C-e", "me", "Enter");
	wait_for (fx, "\"name\": \"vm1\"", 5);
}

static void
test_history (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *path = g_build_filename (fx->dir, "state", "qmpsh", "history", NULL);
	const gchar *kill[] = { "kill-session", "-t", "s", NULL };
	const gchar *keep[] = { "set-option", "-s", "exit-empty", "off", NULL };
	const gchar *let_go[] = { "set-option", "-s", "exit-empty", "on", NULL };
	g_autofree gchar *text = NULL;
	GStatBuf st;

	start_qemu (fx);
	start_shell (fx, NULL);
	KEYS (fx, "query-name", "Enter");
	wait_for (fx, "\"name\": \"vm1\"", 5);
	KEYS (fx, "query-name", "Enter");
	KEYS (fx, "query-status", "Enter");
	wait_for (fx, "\"status\": \"running\"", 5);
	KEYS (fx, "C-d");
	wait_for (fx, "QMPSH-EXIT=0", 5);
	g_assert_cmpint (g_stat (path, &st), ==, 0);
	g_assert_cmpint (st.st_mode & 0777, ==, 0600);
	g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
	/* consecutive duplicates once only */
	g_assert_cmpstr (text, ==, "query-name\nquery-status\n");

	/* tmux's server leaves with its last session, and a new-session that reaches it
	 * as it goes fails ("server exited unexpectedly"): keep it for the next one */
	tmux (fx, keep, NULL);
	tmux (fx, kill, NULL);
	start_shell (fx, NULL);
	tmux (fx, let_go, NULL);
	KEYS (fx, "Up", "Up");
	wait_for (fx, "(running)> query-name", 5);
}

static void
test_reconnect (Fixture *fx, gconstpointer data)
{
	start_qemu (fx);
	start_shell (fx, NULL);
	KEYS (fx, "query-st");
	qmp_test_qemu_kill (fx->qemu);
	/* said at once, with no key pressed */
	wait_for (fx, "disconnected from", 5);
	wait_for (fx, "(disconnected)> query-st", 5);
	g_clear_pointer (&fx->qemu, qmp_test_qemu_free);
	g_unlink (fx->sock);
	g_unlink (fx->other);
	start_qemu (fx);
	wait_for (fx, "reconnected to", 10);
	wait_for (fx, "(running)> query-st", 5);
	KEYS (fx, "atus", "Enter");
	wait_for (fx, "\"status\": \"running\"", 5);
}

static void
test_ctrl_c (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *text = NULL;

	start_qemu (fx);
	start_shell (fx, NULL);
	/* Ctrl-C clears the line, and the shell goes on */
	KEYS (fx, "query-name");
	wait_for (fx, "> query-name", 5);
	KEYS (fx, "C-c");
	wait_for (fx, "query-name^C", 5);
	/* a QEMU that answers nothing: Ctrl-C stops waiting; its late reply is dropped */
	qmp_test_qemu_stop (fx->qemu);
	KEYS (fx, "query-name", "Enter");
	wait_for (fx, "> query-name\n", 5);
	KEYS (fx, "C-c");
	wait_for (fx, "stopped waiting for query-name", 5);
	qmp_test_qemu_signal (fx->qemu, SIGCONT);
	KEYS (fx, "query-status", "Enter");
	wait_for (fx, "\"status\": \"running\"", 5);
	text = screen (fx);
	g_assert_null (strstr (text, "\"name\": \"vm1\""));
}

static void
test_confirm (Fixture *fx, gconstpointer data)
{
	start_qemu (fx);
	start_shell (fx, NULL);
	KEYS (fx, "system_reset", "Enter");
	wait_for (fx, "Really system_reset? [y/N]", 5);
	KEYS (fx, "n", "Enter");
	wait_for (fx, "system_reset not sent", 5);
	/* no answer is no too, and takes nothing of the history with it */
	KEYS (fx, "system_powerdown", "Enter");
	wait_for (fx, "Really system_powerdown? [y/N]", 5);
	KEYS (fx, "Enter");
	wait_for (fx, "system_powerdown not sent", 5);
	KEYS (fx, "quit", "Enter");
	wait_for (fx, "Really quit? [y/N]", 5);
	KEYS (fx, "y", "Enter");
	/* QEMU quits as asked: no lost connection, no reconnecting, a clean end */
	wait_for (fx, "QMPSH-EXIT=0", 10);
	{
		g_autofree gchar *path =
			g_build_filename (fx->dir, "state", "qmpsh", "history", NULL);
		g_autofree gchar *text = NULL;
		g_autofree gchar *screen_text = screen (fx);
		g_assert_null (strstr (screen_text, "disconnected"));
		/* the answers are no commands to find again */
		g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
		g_assert_cmpstr (text, ==, "system_reset\nsystem_powerdown\nquit\n");
	}
}

static void
test_wait_event (Fixture *fx, gconstpointer data)
{
	start_qemu (fx);
	start_shell (fx, "-v");
	KEYS (fx, ".events off", "Enter");
	KEYS (fx, "stop", "Enter");
	/* -v shows each command as sent */
	wait_for (fx, "{\"execute\":\"stop\"}", 5);
	/* STOP came before the reply to stop, so before the wait: it still counts */
	KEYS (fx, ".wait-event STOP timeout=5", "Enter");
	wait_for (fx, " STOP", 5);
	KEYS (fx, ".wait-event RESUME", "Enter");
	wait_for (fx, "waiting for RESUME", 5);
	poke (fx, "cont");
	wait_for (fx, " RESUME", 5);
	KEYS (fx, ".wait-event SHUTDOWN timeout=0.3", "Enter");
	wait_for (fx, "no SHUTDOWN event within 0.3 s", 5);
}

static void
test_help (Fixture *fx, gconstpointer data)
{
	start_qemu (fx);
	start_shell (fx, NULL);
	wait_schema (fx);
	KEYS (fx, ".help blockdev-mirror", "Enter");
	wait_for (fx, "enum: top|full|none|incremental|bitmap, required", 5);
	wait_for (fx, "speed", 5);
}

static void
test_hmp (Fixture *fx, gconstpointer data)
{
	start_qemu (fx);
	start_shell (fx, "-H");
	/* HMP's own command names, from its help, which comes in the background */
	for (gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;;) {
		g_autofree gchar *now = NULL;
		KEYS (fx, "C-u", "system_r", "Tab");
		g_usleep (200000);
		now = screen (fx);
		if (strstr (now, "hmp> system_reset") != NULL)
			break;
		g_assert_cmpint (g_get_monotonic_time (), <, deadline);
	}
	KEYS (fx, "C-u", "info status", "Enter");
	wait_for (fx, "VM status: running", 5);
}

static void
test_watch (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *chardev =
		g_strdup_printf ("socket,id=m,path=%s,server=on,wait=off", fx->sock);
	const gchar *argv[] = { "qemu-storage-daemon",
				"--chardev",
				chardev,
				"--monitor",
				"chardev=m",
				"--blockdev",
				"null-co,node-name=src,size=67108864",
				"--blockdev",
				"null-co,node-name=dst,size=67108864",
				NULL };
	const gchar *wait[] = { fx->sock, NULL };
	g_autofree gchar *first = NULL;

	fx->qemu = qmp_test_process_start (argv, wait);
	/* the storage daemon has no run state: the prompt is its address */
	start_shell_until (fx, NULL, "a.sock>");
	KEYS (fx, "blockdev-mirror job-id=j1 device=src target=dst sync=full speed=8388608",
	      "Enter");
	wait_for (fx, "\"return\": {}", 5);
	KEYS (fx, ".watch j1", "Enter");
	wait_for (fx, "j1 [", 5);
	first = last_line (fx);
	/* the bar advances: 64 MiB at 8 MiB/s take some 8 s */
	for (gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;;) {
		g_autofree gchar *now = last_line (fx);
		if (g_strcmp0 (now, first) != 0 && g_str_has_prefix (now, "j1 ["))
			break;
		g_assert_cmpint (g_get_monotonic_time (), <, deadline);
		g_usleep (100000);
	}
	/* and ends with the job, ready to complete */
	wait_for (fx, "j1: ready", 20);
}

/* qmpsh in the terminal with its whole command line given, no address added */
static void
start_shell_with (Fixture *fx, const gchar *args, const gchar *ready)
{
	qmp_test_tmux_start (fx->term, args, ready);
}

static void
test_launch_ctrl_c (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *line = NULL;
	g_autofree gchar *text = NULL;

	/* a QEMU that says something a while after it started, as QEMU does on its stderr */
	start_shell_with (fx,
			  "--launch -- sh -c '(sleep 2; echo QEMU-SAYS-SOMETHING >&2) & exec "
			  "qemu-system-x86_64 -M none -nodefaults -display none \"$@\"' sh",
			  "(running)>");
	KEYS (fx, "query-sta");
	wait_for (fx, "QEMU-SAYS-SOMETHING", 10);
	/* what QEMU printed is on a line of its own, above the prompt and what is typed */
	line = last_line (fx);
	g_assert_cmpstr (line, ==, "launched QEMU (running)> query-sta");
	text = screen (fx);
	g_assert_nonnull (strstr (text, "\nQEMU-SAYS-SOMETHING\n"));
	/* Ctrl-C clears the line as with any other target; the VM lives on */
	KEYS (fx, "C-c");
	wait_for (fx, "query-sta^C", 5);
	KEYS (fx, "query-status", "Enter");
	wait_for (fx, "\"status\": \"running\"", 5);
	g_clear_pointer (&text, g_free);
	text = screen (fx);
	g_assert_null (strstr (text, "terminating on signal"));
	g_assert_null (strstr (text, "QMPSH-EXIT"));
}

/* a schema whose types refer to themselves, from a scripted server */
static void
test_odd_schema (Fixture *fx, gconstpointer data)
{
	const gchar *schema =
		"A:{\"return\": ["
		"{\"name\": \"cmd\", \"meta-type\": \"command\", \"arg-type\": \"0\", "
		"\"ret-type\": \"1\", \"allow-oob\": false},"
		"{\"name\": \"0\", \"meta-type\": \"object\", \"members\": ["
		"{\"name\": \"loop\", \"type\": \"1\"}, {\"name\": \"alt\", \"type\": \"2\"}]},"
		"{\"name\": \"1\", \"meta-type\": \"array\", \"element-type\": \"1\"},"
		"{\"name\": \"2\", \"meta-type\": \"alternate\", \"members\": ["
		"{\"type\": \"2\"}, {\"type\": \"3\"}]},"
		"{\"name\": \"3\", \"meta-type\": \"enum\", \"values\": [\"xval\", \"yval\"]}"
		"], \"id\": %ID%}\r\n";
	const gchar *script[] = { QMP_TEST_GREETING,
				  QMP_TEST_NEGOTIATE,
				  "R",
				  "A:{\"return\": {\"name\": \"odd\"}, \"id\": %ID%}\r\n",
				  "R",
				  "A:{\"return\": {\"status\": \"running\", \"running\": true}, "
				  "\"id\": %ID%}\r\n",
				  "R",
				  schema,
				  "L",
				  NULL };
	g_autoptr (QmpTestServer) server G_GNUC_UNUSED = qmp_test_server_new (fx->sock, script);

	start_shell (fx, NULL);
	KEYS (fx, ".help cmd", "Enter");
	/* each type spelled out once: the loop ends where it comes round */
	wait_for (fx, "loop                   array of array, required", 10);
	wait_for (fx, "alt                    alternate or enum: xval|yval, required", 10);
	KEYS (fx, "cmd alt=", "Tab", "Tab");
	wait_for (fx, "yval", 10);
	KEYS (fx, "C-u", "query-name", "Enter");
	wait_for (fx, "odd (running)> query-name\n", 5);
	/* still alive: leaving is clean */
	KEYS (fx, "C-d");
	wait_for (fx, "QMPSH-EXIT=0", 10);
}

/*
 * A flood of events, typed into meanwhile: every event is shown, above the
 * line, which keeps every key, and the prompt follows the last state event
 */
#define FLOOD_EVENTS 50000

static void
test_event_flood (Fixture *fx, gconstpointer data)
{
	static const gchar *const shapes[] = {
		"\"event\": \"STOP\"",
		"\"event\": \"RESUME\"",
		"\"event\": \"BALLOON_CHANGE\", \"data\": {\"actual\": 1073741824}",
		"\"event\": \"RTC_CHANGE\", \"data\": {\"offset\": 0, \"qom-path\": \"/m/d\"}",
	};
	g_autoptr (GString) flood = g_string_new ("S:");
	g_autofree gchar *typed = g_strnfill (40, 'x');
	g_autofree gchar *want = g_strdup_printf ("flood (suspended)> %s", typed);
	g_autofree gchar *text = NULL;
	g_autofree gchar *line = NULL;
	g_auto (GStrv) lines = NULL;
	guint n;

	for (guint i = 0; i < FLOOD_EVENTS; i++)
		g_string_append_printf (flood,
					"{\"timestamp\": {\"seconds\": %u, \"microseconds\": %u}, "
					"%s}\r\n",
					1764650000 + i / 1000, i % 1000 * 1000, shapes[i % 4]);
	g_string_append (flood, "{\"timestamp\": {\"seconds\": 1764650100, \"microseconds\": "
				"0}, \"event\": \"SUSPEND\"}\r\n");
	{
		const gchar *script[] = {
			QMP_TEST_GREETING,
			QMP_TEST_NEGOTIATE,
			"R",
			"A:{\"return\": {\"name\": \"flood\"}, \"id\": %ID%}\r\n",
			"R",
			"A:{\"return\": {\"status\": \"running\", \"running\": true}, "
			"\"id\": %ID%}\r\n",
			"R",
			"A:{\"return\": [], \"id\": %ID%}\r\n",
			"W:300",
			flood->str,
			"L",
			NULL
		};
		g_autoptr (QmpTestServer) server G_GNUC_UNUSED =
			qmp_test_server_new (fx->sock, script);

		start_shell (fx, NULL);
		/* a key at a time, as the events come */
		for (guint i = 0; i < strlen (typed); i++) {
			KEYS (fx, "x");
			g_usleep (20000);
		}
		wait_for (fx, want, 60);
		line = last_line (fx);
		g_assert_cmpstr (line, ==, want);
		/* the last event right above it, and nothing of the line left among the events */
		text = screen (fx);
		lines = g_strsplit (text, "\n", -1);
		n = g_strv_length (lines);
		while (n > 0 && g_strstrip (lines[n - 1])[0] == '\0')
			n--;
		g_assert_cmpuint (n, >=, 3);
		g_assert_true (g_str_has_suffix (lines[n - 2], ".000 SUSPEND"));
		g_assert_true (g_str_has_suffix (
			lines[n - 3], " RTC_CHANGE {\"offset\":0,\"qom-path\":\"/m/d\"}"));
		for (guint i = 0; i + 1 < n; i++)
			g_assert_null (strstr (lines[i], "> x"));
		KEYS (fx, "C-u", "C-d");
		wait_for (fx, "QMPSH-EXIT=0", 10);
	}
}

/* with no $XDG_STATE_HOME to use, the history is in ~/.local/state; a relative one
 * counts as none (the XDG spec): this one would lead, from any directory, into /proc,
 * where nothing can be made, so that honouring it would fail the test and leave nothing */
static void
test_history_home (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *home = g_build_filename (fx->dir, "home", NULL);
	g_autofree gchar *path =
		g_build_filename (home, ".local", "state", "qmpsh", "history", NULL);
	g_autofree gchar *up = g_strnfill (64 * 3, '.');
	g_autofree gchar *env = NULL;
	g_autofree gchar *text = NULL;

	for (guint i = 2; i < 64 * 3; i += 3)
		up[i] = '/';
	env = g_strdup_printf ("XDG_STATE_HOME=%sproc/qmpsh-state HOME='%s'", up, home);
	g_assert_cmpint (g_mkdir (home, 0700), ==, 0);
	qmp_test_tmux_set_env (fx->term, env);
	start_qemu (fx);
	start_shell (fx, NULL);
	KEYS (fx, "query-name", "Enter");
	wait_for (fx, "\"name\": \"vm1\"", 5);
	KEYS (fx, "C-d");
	wait_for (fx, "QMPSH-EXIT=0", 5);
	g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
	g_assert_cmpstr (text, ==, "query-name\n");
}

/* a history file someone aimed elsewhere, or a state directory others can write to */
static void
test_history_not_followed (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *state = g_build_filename (fx->dir, "state", "qmpsh", NULL);
	g_autofree gchar *history = g_build_filename (state, "history", NULL);
	g_autofree gchar *target = g_build_filename (fx->dir, "precious", NULL);
	const gchar *kill[] = { "kill-session", "-t", "s", NULL };
	g_autofree gchar *text = NULL;

	g_assert_cmpint (g_mkdir_with_parents (state, 0700), ==, 0);
	g_assert_true (g_file_set_contents (target, "precious\n", -1, NULL));
	g_assert_cmpint (symlink (target, history), ==, 0);
	start_qemu (fx);
	start_shell (fx, NULL);
	wait_for (fx, "keeping no history: ", 5);
	wait_for (fx, "history is a symbolic link", 5);
	KEYS (fx, "query-name", "Enter");
	wait_for (fx, "\"name\": \"vm1\"", 5);
	KEYS (fx, "C-d");
	wait_for (fx, "QMPSH-EXIT=0", 10);
	g_assert_true (g_file_get_contents (target, &text, NULL, NULL));
	g_assert_cmpstr (text, ==, "precious\n");

	g_unlink (history);
	g_assert_cmpint (g_chmod (state, 0777), ==, 0);
	tmux (fx, kill, NULL);
	start_shell (fx, NULL);
	wait_for (fx, "writable by others (fix it with chmod go-w)", 5);
	KEYS (fx, "query-name", "Enter");
	wait_for (fx, "\"name\": \"vm1\"", 5);
	KEYS (fx, "C-d");
	wait_for (fx, "QMPSH-EXIT=0", 10);
	g_assert_false (g_file_test (history, G_FILE_TEST_EXISTS));
	g_chmod (state, 0700);
	g_unlink (target);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD ("/interactive/complete-command", test_complete_command);
	ADD ("/interactive/complete-arguments", test_complete_arguments);
	ADD ("/interactive/event-above-prompt", test_event_above_prompt);
	ADD ("/interactive/history", test_history);
	ADD ("/interactive/history-home", test_history_home);
	ADD ("/interactive/reconnect", test_reconnect);
	ADD ("/interactive/ctrl-c", test_ctrl_c);
	ADD ("/interactive/confirm", test_confirm);
	ADD ("/interactive/help", test_help);
	ADD ("/interactive/wait-event", test_wait_event);
	ADD ("/interactive/hmp", test_hmp);
	ADD ("/interactive/watch", test_watch);
	ADD ("/interactive/launch-ctrl-c", test_launch_ctrl_c);
	ADD ("/interactive/odd-schema", test_odd_schema);
	ADD ("/interactive/event-flood", test_event_flood);
	ADD ("/interactive/history-not-followed", test_history_not_followed);
#undef ADD
	return g_test_run ();
}
