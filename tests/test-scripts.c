/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * What scripts and sessions lean on, against a real QEMU (-M pc -S), in
 * batch and at the prompt, the wire checked through a tap: waiting for an
 * event by its content, showing only some events, stopping at the first
 * failure.
 */

#include <string.h>

#include <glib/gstdio.h>

#include "qmp-test-tap.h"
#include "qmp-test-tmux.h"
#include "qmp-test-util.h"

typedef struct {
	gchar *dir;
	gchar *monitor;
	QmpTestQemu *qemu;
} Fixture;

static void
assert_has (const gchar *mode, const gchar *text, const gchar *wanted)
{
	if (strstr (text, wanted) == NULL)
		g_error ("%s: expected:\n  %s\nit was:\n%s", mode, wanted, text);
}

static void
assert_lacks (const gchar *mode, const gchar *text, const gchar *unwanted)
{
	if (strstr (text, unwanted) != NULL)
		g_error ("%s: not expected:\n  %s\nit was:\n%s", mode, unwanted, text);
}

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *arg = NULL;

	fx->dir = qmp_test_make_dir ();
	fx->monitor = g_build_filename (fx->dir, "qmp.sock", NULL);
	arg = g_strdup_printf ("unix:%s,server=on,wait=off", fx->monitor);
	{
		const gchar *args[] = { "-M",	 "pc",	"-S",	"-m", "128",
					"-name", "vm1", "-qmp", arg,  NULL };
		const gchar *wait[] = { fx->monitor, NULL };
		fx->qemu = qmp_test_qemu_start (args, wait);
	}
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
	g_clear_pointer (&fx->qemu, qmp_test_qemu_free);
	qmp_test_remove_dir (fx->dir);
	g_free (fx->dir);
	g_free (fx->monitor);
}

/*
 * A migration slowed down to about half a second: setup, active and
 * completed come in turn, and the wait returns the completed one only. The
 * prompt hides events as they come, so that only what the wait returns
 * shows.
 */
static void
test_wait_event_by_data (Fixture *fx, gconstpointer data)
{
	const gchar *mode = data;
	const gchar *lines[] = {
		".events off",
		"migrate-set-capabilities "
		"capabilities=[{\"capability\":\"events\",\"state\":true}]",
		"migrate-set-parameters max-bandwidth=1000000",
		"migrate uri=\"exec:cat >/dev/null\"",
		".wait-event MIGRATION status=completed timeout=60",
		"query-migrate",
		NULL,
	};
	g_autoptr (QmpTestSeen) s = qmp_test_tap_lines (mode, fx->dir, fx->monitor, NULL, lines);
	/* batch: {"event":"MIGRATION","data":{...}}; the prompt: 12:00:00.000 MIGRATION {...} */
	g_autoptr (GRegex) returned =
		g_regex_new ("MIGRATION(\",\"data\":| )\\{\"status\":\"([a-z-]+)\"", 0, 0, NULL);
	g_autoptr (GMatchInfo) match = NULL;
	g_autofree gchar *status = NULL;

	if (!g_regex_match (returned, s->seen, 0, &match))
		g_error ("%s: no MIGRATION event returned:\n%s", mode, s->seen);
	status = g_match_info_fetch (match, 2);
	g_assert_cmpstr (status, ==, "completed");
	/* only the one the wait returned */
	g_assert_false (g_match_info_next (match, NULL));
	assert_lacks (mode, s->seen, "no MIGRATION");
	assert_has (mode, s->wire, "{\"execute\":\"query-migrate\"}");
	if (g_str_equal (mode, "batch"))
		g_assert_cmpint (s->status, ==, 0);
}

/* a wait whose data never comes times out, naming what it waited for */
static void
test_wait_event_no_match (Fixture *fx, gconstpointer data)
{
	const gchar *mode = data;
	const gchar *lines[] = {
		"stop",
		".wait-event JOB_STATUS_CHANGE id=nonsense timeout=0.3",
		".wait-event RESUME timeout=0.3",
		NULL,
	};
	g_autoptr (QmpTestSeen) s = qmp_test_tap_lines (mode, fx->dir, fx->monitor, NULL, lines);

	assert_has (mode, s->seen, "no JOB_STATUS_CHANGE id=nonsense event within 0.3 s");
	assert_has (mode, s->seen, "no RESUME event within 0.3 s");
	if (g_str_equal (mode, "batch"))
		g_assert_cmpint (s->status, ==, 1);
}

/* how many times the event @name was shown, as each mode shows one */
static guint
shown (const gchar *mode, const gchar *seen, const gchar *name)
{
	/* batch: {..."event":"STOP"...}; the prompt: 12:00:00.000 STOP, then its data if any */
	g_autofree gchar *pattern =
		g_str_equal (mode, "batch")
			? g_strdup_printf ("\"event\":\"%s\"", name)
			: g_strdup_printf ("^[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3} %s( \\{|\\s*$)",
					   name);
	g_autoptr (GRegex) regex = g_regex_new (pattern, G_REGEX_MULTILINE, 0, NULL);
	g_autoptr (GMatchInfo) match = NULL;
	guint n = 0;

	for (g_regex_match (regex, seen, 0, &match); g_match_info_matches (match);
	     g_match_info_next (match, NULL))
		n++;
	return n;
}

/*
 * `.events only` and `mute`, with globs in any case; --events=PATTERN in
 * batch. Each RESET is waited for, so that it has come before the end.
 */
static void
test_events_filtered (Fixture *fx, gconstpointer data)
{
	const gchar *mode = data;
	const gchar *lines[] = {
		".events only res*",
		"cont",
		"stop",
		".wait-event STOP timeout=5",
		".events mute RESUME",
		"cont",
		"system_reset",
		".wait-event RESET timeout=5",
		NULL,
	};
	/* -y: system_reset asks nothing at the prompt */
	const gchar *args[] = { "-y", NULL };
	g_autoptr (QmpTestSeen) s = qmp_test_tap_lines (mode, fx->dir, fx->monitor, args, lines);
	const gchar *batch_args[] = { "--events=STOP,re*t", NULL };
	const gchar *batch_lines[] = { "cont", "stop", "system_reset",
				       ".wait-event RESET timeout=5", NULL };
	g_autoptr (QmpTestSeen) b = NULL;

	/* the first RESUME, not the muted second; STOP only as what the wait returned */
	g_assert_cmpuint (shown (mode, s->seen, "RESUME"), ==, 1);
	g_assert_cmpuint (shown (mode, s->seen, "STOP"), ==, 1);
	g_assert_cmpuint (shown (mode, s->seen, "RESET"), >=, 1);
	if (!g_str_equal (mode, "batch"))
		return;
	b = qmp_test_tap_lines (mode, fx->dir, fx->monitor, batch_args, batch_lines);
	g_assert_cmpuint (shown (mode, b->seen, "STOP"), ==, 1);
	g_assert_cmpuint (shown (mode, b->seen, "RESUME"), ==, 0);
	/* shown as it came, and returned by the wait */
	g_assert_cmpuint (shown (mode, b->seen, "RESET"), ==, 2);
	/* a bare --events is all of them, and leaves the address alone */
	{
		const gchar *all_args[] = { "--events", NULL };
		const gchar *all_lines[] = { "cont", "stop", ".wait-event STOP timeout=5", NULL };
		g_autoptr (QmpTestSeen) all =
			qmp_test_tap_lines (mode, fx->dir, fx->monitor, all_args, all_lines);
		g_assert_cmpint (all->status, ==, 0);
		g_assert_cmpuint (shown (mode, all->seen, "RESUME"), ==, 1);
		g_assert_cmpuint (shown (mode, all->seen, "STOP"), ==, 2);
	}
}

/*
 * -e: the first failure ends the run with status 1, and nothing after it
 * is sent, though the input had more; the transcript shows it. A command
 * QEMU refuses, and one refused before sending, both count.
 */
static void
test_exit_on_error (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *log = g_build_filename (fx->dir, "log", NULL);
	g_autofree gchar *logged = NULL;
	const gchar *args[] = { "-e", "-l", log, NULL };
	const gchar *lines[] = { "bogus", "query-status", NULL };
	const gchar *refused[] = { "query-version", "blockdev-mirror sync=ful", "query-status",
				   NULL };
	const gchar *set[] = { "query-version", ".set exit-on-error on", "blockdev-del node-name=x",
			       "query-status", NULL };
	g_autoptr (QmpTestSeen) s = qmp_test_tap_lines ("batch", fx->dir, fx->monitor, args, lines);
	g_autoptr (QmpTestSeen) r = NULL;
	g_autoptr (QmpTestSeen) t = NULL;

	g_assert_cmpint (s->status, ==, 1);
	assert_has ("batch", s->seen, "stopped at the first failure");
	g_assert_true (g_file_get_contents (log, &logged, NULL, NULL));
	assert_has ("batch", logged, "\"execute\":\"bogus\"");
	assert_lacks ("batch", logged, "\"execute\":\"query-status\"");
	assert_lacks ("batch", s->wire, "\"execute\":\"query-status\"");
	g_unlink (log);
	r = qmp_test_tap_lines ("batch", fx->dir, fx->monitor, args, refused);
	g_assert_cmpint (r->status, ==, 1);
	assert_has ("batch", r->wire, "\"execute\":\"query-version\"");
	assert_lacks ("batch", r->wire, "\"execute\":\"query-status\"");
	/* `.set exit-on-error on` from its line on */
	t = qmp_test_tap_lines ("batch", fx->dir, fx->monitor, NULL, set);
	g_assert_cmpint (t->status, ==, 1);
	assert_has ("batch", t->wire, "\"execute\":\"blockdev-del\"");
	assert_lacks ("batch", t->wire, "\"execute\":\"query-status\"");
}

/* at the prompt, -e ends the session at the first failure, with status 1 */
static void
test_exit_on_error_prompt (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *sock = g_build_filename (fx->dir, "tap.sock", NULL);
	g_autoptr (QmpTestTap) tap = qmp_test_tap_new (sock, fx->monitor);
	g_autoptr (QmpTestTmux) term = qmp_test_tmux_new (fx->dir);
	g_autofree gchar *args = g_strdup_printf ("-e '%s'", sock);
	g_autofree gchar *sent = NULL;

	qmp_test_tmux_start (term, args, "(paused)>");
	qmp_test_tmux_keys (term, (const gchar *[]){ "-l", "blockdev-del node-name=x", NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "Enter", NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "-l", "query-version", NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "Enter", NULL });
	qmp_test_tmux_wait_for (term, "QMPSH-EXIT=1", 20);
	{
		g_autofree gchar *screen = qmp_test_tmux_screen (term);
		assert_has ("prompt", screen, "stopped at the first failure");
	}
	qmp_test_tmux_leave (term);
	sent = qmp_test_tap_dup_sent (tap);
	assert_has ("prompt", sent, "\"execute\":\"blockdev-del\"");
	assert_lacks ("prompt", sent, "\"execute\":\"query-version\"");
}

/* --read-only: what may change the VM is refused before sending, HMP too */
static void
test_read_only (Fixture *fx, gconstpointer data)
{
	const gchar *mode = data;
	const gchar *args[] = { "--read-only", NULL };
	const gchar *lines[] = {
		"stop",
		"human-monitor-command command-line=stop",
		"{\"execute\":\"cont\"}",
		"human-monitor-command command-line=\"info status\"",
		"qom-list path=/machine/peripheral",
		"query-status",
		NULL,
	};
	g_autoptr (QmpTestSeen) s = qmp_test_tap_lines (mode, fx->dir, fx->monitor, args, lines);

	assert_has (mode, s->seen, "\"status\"");
	assert_has (mode, s->seen, "stop may change the VM: --read-only lets only queries through");
	assert_lacks (mode, s->wire, "\"execute\":\"stop\"");
	assert_lacks (mode, s->wire, "\"execute\":\"cont\"");
	assert_lacks (mode, s->wire, "\"command-line\":\"stop\"");
	assert_has (mode, s->wire, "\"command-line\":\"info status\"");
	assert_has (mode, s->wire, "{\"execute\":\"qom-list\"");
	assert_has (mode, s->seen, "VM status: paused");
	if (g_str_equal (mode, "batch"))
		g_assert_cmpint (s->status, ==, 1);
}

/* `.oob CMD`: exec-oob on the wire; refused where the schema says the command cannot */
static void
test_oob (Fixture *fx, gconstpointer data)
{
	const gchar *mode = data;
	g_autofree gchar *log = g_build_filename (fx->dir, "log", NULL);
	g_autofree gchar *logged = NULL;
	g_autofree gchar *log_arg = g_strdup_printf ("-l '%s'", log);
	const gchar *batch_args[] = { "-l", log, NULL };
	const gchar *prompt_args[] = { log_arg, NULL };
	const gchar *lines[] = { ".oob migrate-pause", ".oob query-name", NULL };
	g_autoptr (QmpTestSeen) s =
		qmp_test_tap_lines (mode, fx->dir, fx->monitor,
				    g_str_equal (mode, "batch") ? batch_args : prompt_args, lines);

	assert_has (mode, s->wire, "{\"exec-oob\":\"migrate-pause\"}");
	/* QEMU's answer: there is no postcopy to pause */
	assert_has (mode, s->seen, "postcopy");
	assert_has (mode, s->seen, ".oob query-name: it cannot run out of band");
	assert_lacks (mode, s->wire, "{\"exec-oob\":\"query-name\"");
	g_assert_true (g_file_get_contents (log, &logged, NULL, NULL));
	assert_has (mode, logged, ">>> {\"id\":");
	assert_has (mode, logged, "\"exec-oob\":\"migrate-pause\"");
}

/*
 * Where a reply goes, as a shell user writes it: `>F` replaces F with the
 * reply, `>>F` appends, `| CMD` pipes it through sh. A file to pass to
 * QEMU is written `fd>F`, and refused on a command that takes none before
 * the file is touched; getfd's old `>F` is refused with the new form named.
 */
static void
test_output (Fixture *fx, gconstpointer data)
{
	const gchar *mode = data;
	g_autofree gchar *notes = g_build_filename (fx->dir, "notes.txt", NULL);
	g_autofree gchar *out = g_build_filename (fx->dir, "out.json", NULL);
	g_autofree gchar *piped = g_build_filename (fx->dir, "piped", NULL);
	g_autofree gchar *kept = NULL;
	g_autofree gchar *written = NULL;
	g_autofree gchar *through = NULL;
	g_autofree gchar *l0 = g_strdup_printf ("query-version fd>%s", notes);
	g_autofree gchar *l1 = g_strdup_printf ("query-status >%s", out);
	g_autofree gchar *l2 = g_strdup_printf ("query-name >>'%s'", out);
	g_autofree gchar *l3 =
		g_strdup_printf ("query-qmp-schema | grep -o '\"meta-type\"' | wc -l >%s", piped);
	g_autofree gchar *l4 = g_strdup_printf ("getfd fdname=x >%s", notes);
	const gchar *lines[] = { l0, l1, l2, l3, l4, "query-name | no-such-command-here", NULL };
	g_autoptr (QmpTestSeen) s = NULL;

	g_assert_true (g_file_set_contents (notes, "my notes\n", -1, NULL));
	s = qmp_test_tap_lines (mode, fx->dir, fx->monitor, NULL, lines);
	assert_has (mode, s->seen, "query-version takes no file descriptor");
	assert_lacks (mode, s->wire, "query-version");
	assert_has (mode, s->seen, "getfd: >");
	assert_has (mode, s->seen, "to pass the file to QEMU, write fd>");
	assert_lacks (mode, s->wire, "getfd");
	g_assert_true (g_file_get_contents (notes, &kept, NULL, NULL));
	g_assert_cmpstr (kept, ==, "my notes\n");
	/* the two replies, one after the other, and not on the screen or stdout */
	g_assert_true (g_file_get_contents (out, &written, NULL, NULL));
	assert_has (mode, written, "\"status\"");
	assert_has (mode, written, "\"name\"");
	g_assert_true (strstr (written, "\"status\"") < strstr (written, "\"name\""));
	assert_lacks (mode, s->seen, "\"name\": \"vm1\"");
	assert_lacks (mode, s->seen, "\"name\":\"vm1\"");
	/* the pipe's command got the schema: a count, and nothing on our output */
	g_assert_true (g_file_get_contents (piped, &through, NULL, NULL));
	g_assert_cmpint (g_ascii_strtoll (through, NULL, 10), >, 100);
	/* a command sh cannot run: the reply went nowhere, and that is a failure */
	assert_has (mode, s->seen,
		    "the reply went nowhere: sh could not run 'no-such-command-here'");
	assert_lacks (mode, s->seen, "\"meta-type\": \"builtin\"");
	assert_lacks (mode, s->seen, "\"meta-type\":\"builtin\"");
	if (g_str_equal (mode, "batch"))
		g_assert_cmpint (s->status, ==, 1);
}

/* a bracketed paste of three lines runs three commands, in order */
static void
test_paste (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *sock = g_build_filename (fx->dir, "tap.sock", NULL);
	g_autoptr (QmpTestTap) tap = qmp_test_tap_new (sock, fx->monitor);
	g_autoptr (QmpTestTmux) term = qmp_test_tmux_new (fx->dir);
	g_autofree gchar *args = g_strdup_printf ("--compact '%s'", sock);
	g_autofree gchar *sent = NULL;
	const gchar *version;
	const gchar *name;
	const gchar *peripheral;

	qmp_test_tmux_start (term, args, "(paused)>");
	/* what a terminal sends for a paste, once readline asked for bracketed paste */
	qmp_test_tmux_keys (term,
			    (const gchar *[]){ "-l",
					       "\033[200~query-version\nqom-list "
					       "path=/machine/peripheral\nquery-name\n\033[201~",
					       NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "Enter", NULL });
	qmp_test_tmux_wait_for (term, "{\"return\":{\"name\":\"vm1\"}}", 20);
	qmp_test_tmux_leave (term);
	sent = qmp_test_tap_dup_sent (tap);
	/* the prompt sent a query-name of its own at the start: the pasted one is the last */
	version = strstr (sent, "\"execute\":\"query-version\"");
	peripheral = strstr (sent, "\"path\":\"/machine/peripheral\"");
	name = g_strrstr (sent, "\"execute\":\"query-name\"");
	g_assert_nonnull (version);
	g_assert_nonnull (peripheral);
	g_assert_nonnull (name);
	g_assert_true (version < peripheral && peripheral < name);
}

/* a line ending in a backslash goes on; so does a JSON object over several lines */
static void
test_continued (Fixture *fx, gconstpointer data)
{
	const gchar *mode = data;
	const gchar *lines[] = {
		"qom-list \\", "  path=/machine/peripheral",
		"{",	       "  \"execute\": \"query-version\"",
		"}",	       NULL,
	};
	g_autoptr (QmpTestSeen) s = qmp_test_tap_lines (mode, fx->dir, fx->monitor, NULL, lines);

	assert_has (mode, s->wire,
		    "{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"/machine/peripheral\"}}");
	assert_has (mode, s->wire, "{\"execute\":\"query-version\"}");
	assert_lacks (mode, s->seen, "not valid JSON");
	if (g_str_equal (mode, "batch"))
		g_assert_cmpint (s->status, ==, 0);
	else
		assert_has (mode, s->seen, "\n... ");
}

/*
 * At the prompt a reply taller than the terminal goes through $PAGER; a
 * short one does not, nor any with --no-pager. The pager here keeps what
 * it got in a file.
 */
static void
test_pager (Fixture *fx, gconstpointer data)
{
	gboolean off = GPOINTER_TO_INT (data);
	g_autoptr (QmpTestTmux) term = qmp_test_tmux_new (fx->dir);
	g_autofree gchar *paged = g_build_filename (fx->dir, "paged", NULL);
	g_autofree gchar *env = g_strdup_printf ("PAGER='tee %s'", paged);
	g_autofree gchar *args = g_strdup_printf ("%s '%s'", off ? "--no-pager" : "", fx->monitor);
	g_autofree gchar *got = NULL;

	qmp_test_tmux_set_env (term, env);
	qmp_test_tmux_start (term, args, "(paused)>");
	/* short: on the screen */
	qmp_test_tmux_keys (term, (const gchar *[]){ "-l", "query-name", NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "Enter", NULL });
	qmp_test_tmux_wait_for (term, "\"name\": \"vm1\"", 10);
	g_assert_false (g_file_test (paged, G_FILE_TEST_EXISTS));
	/* /machine of a pc has some forty children: more than the 50 rows */
	qmp_test_tmux_keys (term, (const gchar *[]){ "-l", "qom-list path=/machine", NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "Enter", NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "-l", "query-version", NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "Enter", NULL });
	qmp_test_tmux_wait_for (term, "\"qemu\": {", 10);
	qmp_test_tmux_leave (term);
	if (off) {
		g_assert_false (g_file_test (paged, G_FILE_TEST_EXISTS));
		return;
	}
	g_assert_true (g_file_get_contents (paged, &got, NULL, NULL));
	/* coloured as on the screen: less -R shows colour */
	assert_has ("prompt", got, "\"peripheral\"");
	assert_lacks ("prompt", got, "\"vm1\"");
}

/* -vv and `.set raw on`: every message either way, timed, apart from the replies */
static void
test_raw (Fixture *fx, gconstpointer data)
{
	const gchar *mode = data;
	const gchar *batch_args[] = { "-vv", NULL };
	const gchar *lines[] = { "query-name", ".set raw off", "query-version", NULL };
	const gchar *prompt_lines[] = { ".set raw on", "query-name", ".set raw off",
					"query-version", NULL };
	gboolean batch = g_str_equal (mode, "batch");
	g_autoptr (QmpTestSeen) s =
		qmp_test_tap_lines (mode, fx->dir, fx->monitor, batch ? batch_args : NULL,
				    batch ? lines : prompt_lines);

	g_assert_true (g_regex_match_simple ("[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3} >>> "
					     "\\{\"id\":[0-9]+,\"execute\":\"query-name\"\\}",
					     s->seen, 0, 0));
	g_assert_true (g_regex_match_simple (
		"[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3} <<< \\{\"return\":\\{\"name\":\"vm1\"\\}",
		s->seen, 0, 0));
	/* off again: query-version's messages are not shown, only its reply */
	g_assert_false (g_regex_match_simple (">>> \\{\"id\":[0-9]+,\"execute\":\"query-version\"",
					      s->seen, 0, 0));
	assert_has (mode, s->seen, "\"qemu\"");
	if (batch)
		g_assert_cmpint (s->status, ==, 0);
}

/*
 * `.source FILE`: its lines run in order, where the line is, before the
 * next; what they say is placed at FILE:LINE, in a nested file too
 */
static void
test_source (Fixture *fx, gconstpointer data)
{
	const gchar *mode = data;
	g_autofree gchar *file = g_build_filename (fx->dir, "setup.qmp", NULL);
	g_autofree gchar *inner = g_build_filename (fx->dir, "inner.qmp", NULL);
	g_autofree gchar *setup = NULL;
	g_autofree gchar *line = g_strdup_printf (".source %s", file);
	g_autofree gchar *nul = g_build_filename (fx->dir, "nul.qmp", NULL);
	g_autofree gchar *nul_line = g_strdup_printf (".source %s", nul);
	const gchar *lines[] = { line, "query-name", ".source /nonexistent/file", nul_line, NULL };
	g_autoptr (QmpTestSeen) s = NULL;
	const gchar *version;
	const gchar *peripheral;
	const gchar *name;

	setup = g_strdup_printf (
		"# set up\nquery-version\nqom-list \\\n  path=/machine/peripheral\n"
		"no-such-command\n.source %s\nalso-bad\n",
		inner);
	g_assert_true (g_file_set_contents (file, setup, -1, NULL));
	g_assert_true (g_file_set_contents (inner, "query-name\nbad-inner\n", -1, NULL));
	g_assert_true (g_file_set_contents (nul, "query-kvm\nx\0y\nquery-kvm\n", 24, NULL));
	s = qmp_test_tap_lines (mode, fx->dir, fx->monitor, NULL, lines);
	/* a file with a NUL in it is no file of commands: none of it runs */
	assert_has (mode, s->seen, "a NUL byte at byte 12");
	assert_lacks (mode, s->wire, "query-kvm");
	version = strstr (s->wire, "\"execute\":\"query-version\"");
	peripheral = strstr (s->wire, "\"path\":\"/machine/peripheral\"");
	name = g_strrstr (s->wire, "\"execute\":\"query-name\"");
	g_assert_nonnull (version);
	g_assert_nonnull (peripheral);
	g_assert_nonnull (name);
	g_assert_true (version < peripheral && peripheral < name);
	assert_has (mode, s->seen, ".source: Failed to open file");
	assert_has (mode, s->seen, "setup.qmp:5: no command 'no-such-command'");
	assert_has (mode, s->seen, "inner.qmp:2: no command 'bad-inner'");
	/* back in the outer file after the inner one */
	assert_has (mode, s->seen, "setup.qmp:7: no command 'also-bad'");
	if (g_str_equal (mode, "batch")) {
		g_assert_cmpint (s->status, ==, 1);
		/* the input's own lines keep their numbers */
		assert_has (mode, s->seen, "qmpsh: line 3: .source: Failed to open file");
	}
}

/*
 * The question before system_reset: an empty answer is no, said before the
 * next prompt, not after it; Ctrl-C leaves `[y/N] ^C` on the screen.
 */
static void
test_confirm (Fixture *fx, gconstpointer data)
{
	g_autoptr (QmpTestTmux) term = qmp_test_tmux_new (fx->dir);
	g_autofree gchar *args = g_strdup_printf ("'%s'", fx->monitor);
	g_autofree gchar *screen = NULL;

	qmp_test_tmux_start (term, args, "(paused)>");
	qmp_test_tmux_keys (term, (const gchar *[]){ "-l", "system_reset", NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "Enter", NULL });
	qmp_test_tmux_wait_for (term, "Really system_reset? [y/N]", 10);
	qmp_test_tmux_keys (term, (const gchar *[]){ "Enter", NULL });
	qmp_test_tmux_wait_for (term, "system_reset not sent", 10);
	qmp_test_tmux_keys (term, (const gchar *[]){ "-l", "system_reset", NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "Enter", NULL });
	/* the second question: the same words as the first, on the screen */
	for (gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;;) {
		g_autofree gchar *now = qmp_test_tmux_screen (term);
		g_auto (GStrv) asked = g_strsplit (now, "Really system_reset? [y/N]", -1);
		if (g_strv_length (asked) == 3)
			break;
		g_assert_cmpint (g_get_monotonic_time (), <, deadline);
		g_usleep (50000);
	}
	qmp_test_tmux_keys (term, (const gchar *[]){ "C-c", NULL });
	qmp_test_tmux_wait_for (term, "[y/N] ^C", 10);
	qmp_test_tmux_keys (term, (const gchar *[]){ "-l", "query-name", NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "Enter", NULL });
	qmp_test_tmux_wait_for (term, "\"vm1\"", 10);
	screen = qmp_test_tmux_screen (term);
	assert_has (
		"prompt", screen,
		"Really system_reset? [y/N]\nsystem_reset not sent\nvm1 (paused)> system_reset\n");
	assert_has ("prompt", screen,
		    "[y/N] ^C\nsystem_reset not sent\nvm1 (paused)> query-name\n");
	assert_lacks ("prompt", screen, "> system_reset not sent");
	assert_lacks ("prompt", screen, "> vm1 (paused)>");
	qmp_test_tmux_leave (term);
}

/* `.watch every=S COMMAND`: run again and drawn in place; Ctrl-C gives the prompt back */
static void
test_watch_query (Fixture *fx, gconstpointer data)
{
	g_autoptr (QmpTestTmux) term = qmp_test_tmux_new (fx->dir);
	g_autofree gchar *args = g_strdup_printf ("'%s'", fx->monitor);
	g_autofree gchar *screen = NULL;
	g_auto (GStrv) drawn = NULL;

	qmp_test_tmux_start (term, args, "(paused)>");
	qmp_test_tmux_keys (term, (const gchar *[]){ "-l", ".watch every=0.2 query-status", NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "Enter", NULL });
	qmp_test_tmux_wait_for (term, "query-status every 0.2 s, at ", 10);
	/* five runs or so: each drawn over the last */
	g_usleep (1000000);
	screen = qmp_test_tmux_screen (term);
	drawn = g_strsplit (screen, "query-status every 0.2 s, at ", -1);
	g_assert_cmpuint (g_strv_length (drawn), ==, 2);
	assert_has ("prompt", screen, "\"status\": \"prelaunch\"");
	qmp_test_tmux_keys (term, (const gchar *[]){ "C-c", NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "-l", ".watch stop", NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "Enter", NULL });
	qmp_test_tmux_wait_for (term, ".watch runs again only what changes nothing", 10);
	qmp_test_tmux_wait_for (term, "vm1 (paused)>", 10);
	qmp_test_tmux_leave (term);
}

/* Ctrl-C while a pipe's command has the terminal is the command's, not qmpsh's */
static void
test_pipe_interrupted (Fixture *fx, gconstpointer data)
{
	g_autoptr (QmpTestTmux) term = qmp_test_tmux_new (fx->dir);
	g_autofree gchar *args = g_strdup_printf ("'%s'", fx->monitor);
	g_autofree gchar *started = g_build_filename (fx->dir, "started", NULL);
	g_autofree gchar *line = g_strdup_printf ("query-name | touch %s; sleep 30", started);
	g_autofree gchar *screen = NULL;

	qmp_test_tmux_start (term, args, "(paused)>");
	qmp_test_tmux_keys (term, (const gchar *[]){ "-l", line, NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "Enter", NULL });
	/* the command has the terminal once it has made its file */
	for (gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
	     !g_file_test (started, G_FILE_TEST_EXISTS);) {
		g_assert_cmpint (g_get_monotonic_time (), <, deadline);
		g_usleep (50000);
	}
	qmp_test_tmux_keys (term, (const gchar *[]){ "C-c", NULL });
	qmp_test_tmux_wait_for (term, "^C\nvm1 (paused)>", 10);
	qmp_test_tmux_keys (term, (const gchar *[]){ "-l", "query-version", NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "Enter", NULL });
	qmp_test_tmux_wait_for (term, "\"qemu\": {", 10);
	screen = qmp_test_tmux_screen (term);
	/* the shell did not take the Ctrl-C for itself once the command was done */
	assert_lacks ("prompt", screen, "stopped waiting");
	assert_lacks ("prompt", screen, "> ^C");
	qmp_test_tmux_leave (term);
}

/* Ctrl-C stops a wait, and says that the line typed meanwhile was not run */
static void
test_interrupt_held (Fixture *fx, gconstpointer data)
{
	g_autoptr (QmpTestTmux) term = qmp_test_tmux_new (fx->dir);
	g_autofree gchar *args = g_strdup_printf ("'%s'", fx->monitor);

	qmp_test_tmux_start (term, args, "(paused)>");
	qmp_test_tmux_keys (term, (const gchar *[]){ "-l", ".wait-event SHUTDOWN", NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "Enter", NULL });
	qmp_test_tmux_wait_for (term, "waiting for SHUTDOWN", 10);
	qmp_test_tmux_keys (term, (const gchar *[]){ "-l", "query-kvm", NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "Enter", NULL });
	g_usleep (300000);
	qmp_test_tmux_keys (term, (const gchar *[]){ "C-c", NULL });
	qmp_test_tmux_wait_for (
		term, "stopped waiting for SHUTDOWN\n1 line typed meanwhile was not run", 10);
	qmp_test_tmux_leave (term);
}

static void
add_both (const gchar *name, void (*test) (Fixture *, gconstpointer))
{
	g_autofree gchar *batch = g_strdup_printf ("/scripts/%s/batch", name);
	g_autofree gchar *prompt = g_strdup_printf ("/scripts/%s/prompt", name);

	g_test_add (batch, Fixture, "batch", fixture_setup, test, fixture_teardown);
	g_test_add (prompt, Fixture, "prompt", fixture_setup, test, fixture_teardown);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	add_both ("wait-event-by-data", test_wait_event_by_data);
	add_both ("wait-event-no-match", test_wait_event_no_match);
	add_both ("events-filtered", test_events_filtered);
	add_both ("read-only", test_read_only);
	add_both ("oob", test_oob);
	add_both ("output", test_output);
	add_both ("continued", test_continued);
	add_both ("raw", test_raw);
	add_both ("source", test_source);
	g_test_add ("/scripts/watch-query/prompt", Fixture, NULL, fixture_setup, test_watch_query,
		    fixture_teardown);
	g_test_add ("/scripts/pipe-interrupted/prompt", Fixture, NULL, fixture_setup,
		    test_pipe_interrupted, fixture_teardown);
	g_test_add ("/scripts/interrupt-held/prompt", Fixture, NULL, fixture_setup,
		    test_interrupt_held, fixture_teardown);
	g_test_add ("/scripts/confirm/prompt", Fixture, NULL, fixture_setup, test_confirm,
		    fixture_teardown);
	g_test_add ("/scripts/pager/prompt", Fixture, GINT_TO_POINTER (FALSE), fixture_setup,
		    test_pager, fixture_teardown);
	g_test_add ("/scripts/no-pager/prompt", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
		    test_pager, fixture_teardown);
	g_test_add ("/scripts/paste/prompt", Fixture, NULL, fixture_setup, test_paste,
		    fixture_teardown);
	g_test_add ("/scripts/exit-on-error/batch", Fixture, NULL, fixture_setup,
		    test_exit_on_error, fixture_teardown);
	g_test_add ("/scripts/exit-on-error/prompt", Fixture, NULL, fixture_setup,
		    test_exit_on_error_prompt, fixture_teardown);
	return g_test_run ();
}
