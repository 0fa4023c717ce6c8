/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * The schema types what users type, against a real QEMU (-M pc): each
 * test runs the same lines in batch (a pipe) and at the prompt (tmux),
 * through a tap that keeps the bytes qmpsh sent, and checks the wire, what
 * the user saw, and what QEMU made of it. Completion, hints and help are
 * checked in the terminal.
 */

#include <glib/gstdio.h>
#include <string.h>

#include "qmp-test-tap.h"
#include "qmp-test-tmux.h"
#include "qmp-test-util.h"

typedef struct {
	gchar *dir;
	gchar *monitor; /* QEMU's */
	QmpTestQemu *qemu;
} Fixture;

static void
assert_has (const gchar *mode, const gchar *what, const gchar *text, const gchar *wanted)
{
	if (strstr (text, wanted) == NULL)
		g_error ("%s: expected in the %s:\n  %s\nit was:\n%s", mode, what, wanted, text);
}

static void
assert_lacks (const gchar *mode, const gchar *what, const gchar *text, const gchar *unwanted)
{
	if (strstr (text, unwanted) != NULL)
		g_error ("%s: not expected in the %s:\n  %s\nit was:\n%s", mode, what, unwanted,
			 text);
}

static QmpTestSeen *
run_lines (Fixture *fx, const gchar *mode, const gchar *const *lines)
{
	return qmp_test_tap_lines (mode, fx->dir, fx->monitor, NULL, lines);
}

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *arg = NULL;

	fx->dir = qmp_test_make_dir ();
	fx->monitor = g_build_filename (fx->dir, "qmp.sock", NULL);
	arg = g_strdup_printf ("unix:%s,server=on,wait=off", fx->monitor);
	{
		const gchar *args[] = { "-M", "pc", "-S", "-name", "vm1", "-qmp", arg, NULL };
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
 * The most common hot-plug: device properties are checked against the
 * driver's own, and id=1 is the string QEMU wants. QEMU 7.2 refuses an id
 * that does not start with a letter ("expects an identifier"), which is
 * its right; what must never happen is a device without its id.
 */
static void
test_device_add (Fixture *fx, gconstpointer data)
{
	const gchar *mode = data;
	const gchar *lines[] = {
		"device_add driver=virtio-net-pci id=1 mac=52:54:00:12:34:56",
		"device_add driver=virtio-net-pci id=n2 mca=52:54:00:12:34:57",
		"qom-list path=/machine/peripheral",
		"qom-get path=/machine/peripheral-anon/device[0] property=type",
		NULL,
	};
	g_autoptr (QmpTestSeen) s = run_lines (fx, mode, lines);

	assert_has (mode, "wire", s->wire,
		    "{\"execute\":\"device_add\",\"arguments\":{\"driver\":\"virtio-net-pci\","
		    "\"id\":\"1\",\"mac\":\"52:54:00:12:34:56\"}}");
	/* the misspelled property: refused, with the right one named, nothing sent */
	assert_has (mode, "output", s->seen, "did you mean mac");
	assert_lacks (mode, "wire", s->wire, "mca");
	/* no anonymous device, whatever QEMU made of the id */
	assert_has (mode, "output", s->seen, "device[0]' not found");
	if (strstr (s->seen, "expects an identifier") == NULL) {
		const gchar *del[] = { "device_del id=1", NULL };
		g_autoptr (QmpTestSeen) d = NULL;

		g_assert_true (g_regex_match_simple ("\"name\": ?\"1\"", s->seen, 0, 0));
		d = run_lines (fx, mode, del);
		assert_has (mode, "wire", d->wire,
			    "{\"execute\":\"device_del\",\"arguments\":{\"id\":\"1\"}}");
		assert_lacks (mode, "output", d->seen, "error");
		assert_lacks (mode, "output", d->seen, "not found");
	}
}

/* what the schema says a value is decides how it is sent, or whether at all */
static void
test_typed_values (Fixture *fx, gconstpointer data)
{
	const gchar *mode = data;
	const gchar *lines[] = {
		"qom-get path=/machine property=1",
		"query-named-block-nodes flat=TRUE",
		"human-monitor-command command-line=123",
		"blockdev-mirror device=a target=b sync=ful",
		NULL,
	};
	g_autoptr (QmpTestSeen) s = run_lines (fx, mode, lines);

	assert_has (mode, "wire", s->wire,
		    "{\"execute\":\"qom-get\",\"arguments\":{\"path\":\"/machine\","
		    "\"property\":\"1\"}}");
	assert_has (mode, "wire", s->wire,
		    "{\"execute\":\"query-named-block-nodes\",\"arguments\":{\"flat\":true}}");
	assert_has (mode, "wire", s->wire,
		    "{\"execute\":\"human-monitor-command\",\"arguments\":"
		    "{\"command-line\":\"123\"}}");
	assert_has (mode, "output", s->seen, "sync");
	assert_has (mode, "output", s->seen, "full");
	assert_lacks (mode, "wire", s->wire, "blockdev-mirror");
	/* QEMU judged the string, not its type */
	assert_lacks (mode, "output", s->seen, "Invalid parameter type");
}

/* the prompt, straight on QEMU's monitor, once TAB knows the schema */
static QmpTestTmux *
prompt_ready (Fixture *fx, const gchar *env)
{
	QmpTestTmux *term = qmp_test_tmux_new (fx->dir);
	g_autofree gchar *args = g_strdup_printf ("'%s'", fx->monitor);

	qmp_test_tmux_set_env (term, env);
	qmp_test_tmux_start (term, args, "(paused)>");
	for (gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;;) {
		g_autofree gchar *now = NULL;
		qmp_test_tmux_keys (term, (const gchar *[]){ "C-u", "query-statu", "Tab", NULL });
		g_usleep (200000);
		now = qmp_test_tmux_screen (term);
		if (strstr (now, "> query-status") != NULL)
			break;
		g_assert_cmpint (g_get_monotonic_time (), <, deadline);
	}
	qmp_test_tmux_keys (term, (const gchar *[]){ "C-u", NULL });
	return term;
}

/*
 * TAB waits for what it wants from the server, and the keys after it wait
 * too: the schema just after the start, a driver's properties (no hint has
 * asked for them: colour is off), the device ids a command just changed.
 */
static void
test_tab_waits (Fixture *fx, gconstpointer data)
{
	g_autoptr (QmpTestTmux) term = qmp_test_tmux_new (fx->dir);
	g_autofree gchar *args = g_strdup_printf ("'%s'", fx->monitor);
	g_autofree gchar *line = NULL;

	qmp_test_tmux_set_env (term, "NO_COLOR=1");
	qmp_test_tmux_start (term, args, "(paused)>");
	qmp_test_tmux_keys (term,
			    (const gchar *[]){ "-l", "device_add driver=virtio-net-pci ", NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "Tab", "Tab", NULL });
	qmp_test_tmux_wait_for (term, "mac=", 10);
	qmp_test_tmux_keys (term, (const gchar *[]){ "-l", "id=nic1", NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "Enter", NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "-l", "device_del id=n", NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "Tab", NULL });
	qmp_test_tmux_wait_for (term, "> device_del id=nic1", 10);
	line = qmp_test_tmux_last_line (term);
	g_assert_cmpstr (line, ==, "vm1 (paused)> device_del id=nic1");
	qmp_test_tmux_leave (term);
}

/* TAB TAB after @line: what the terminal lists */
static gchar *
choices (QmpTestTmux *term, const gchar *line, const gchar *expected)
{
	qmp_test_tmux_keys (term, (const gchar *[]){ "C-u", NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "-l", line, NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "Tab", "Tab", NULL });
	qmp_test_tmux_wait_for (term, expected, 10);
	return qmp_test_tmux_screen (term);
}

/* a union's tag narrows what TAB offers to that branch; a device's properties are offered */
static void
test_complete_narrowed (Fixture *fx, gconstpointer data)
{
	g_autoptr (QmpTestTmux) term = prompt_ready (fx, NULL);
	g_autofree gchar *nullco = choices (term, "blockdev-add driver=null-co ", "read-zeroes=");
	g_autofree gchar *nic = NULL;

	assert_has ("prompt", "screen", nullco, "size=");
	assert_has ("prompt", "screen", nullco, "node-name=");
	assert_lacks ("prompt", "screen", nullco, "filename=");
	assert_lacks ("prompt", "screen", nullco, "path=");
	qmp_test_tmux_keys (term, (const gchar *[]){ "C-u", "C-l", NULL });
	nic = choices (term, "device_add driver=virtio-net-pci ", "mac=");
	assert_has ("prompt", "screen", nic, "netdev=");
	assert_has ("prompt", "screen", nic, "id=");
	qmp_test_tmux_leave (term);
}

/* the hint line: dim, after the cursor, never part of the line */
static void
test_hint (Fixture *fx, gconstpointer data)
{
	g_autoptr (QmpTestTmux) term = prompt_ready (fx, NULL);
	g_autofree gchar *styled = NULL;
	g_autofree gchar *line = NULL;
	g_autofree gchar *after = NULL;
	g_autofree gchar *off = NULL;

	qmp_test_tmux_keys (term, (const gchar *[]){ "-l", "blockdev-mirror ", NULL });
	qmp_test_tmux_wait_for (term, "sync=<", 10);
	line = qmp_test_tmux_last_line (term);
	assert_has ("prompt", "line", line, "> blockdev-mirror device=<str> target=<str>");
	assert_has ("prompt", "line", line, "sync=<top|full|none|incremental|bitmap>");
	/* the cursor stays where the typing is */
	g_assert_cmpuint (qmp_test_tmux_cursor_x (term), ==,
			  strlen ("vm1 (paused)> blockdev-mirror "));
	styled = qmp_test_tmux_screen_styled (term);
	assert_has ("prompt", "styled screen", styled, "\033[2mdevice=<str>");
	/* a resized terminal redraws the line once, from its start, hint and all */
	{
		const gchar *narrow[] = { "resize-window", "-t", "s", "-x", "120", NULL };
		g_autofree gchar *resized = NULL;
		qmp_test_tmux_run (term, narrow, NULL);
		g_usleep (300000);
		resized = qmp_test_tmux_last_line (term);
		g_assert_true (
			g_str_has_prefix (resized, "vm1 (paused)> blockdev-mirror device=<str>"));
		g_assert_null (strstr (resized + 1, "vm1 (paused)>"));
	}
	/* a key changes it: device= given, the hint goes on from target= */
	qmp_test_tmux_keys (term, (const gchar *[]){ "-l", "device=d0 ", NULL });
	qmp_test_tmux_wait_for (term, "device=d0 target=<str>", 10);
	/* Enter: the line that stays on the screen is what was typed */
	qmp_test_tmux_keys (term, (const gchar *[]){ "Enter", NULL });
	qmp_test_tmux_wait_for (term, "nothing sent", 10);
	after = qmp_test_tmux_screen (term);
	assert_lacks ("prompt", "screen", after, "device=d0 target=");
	assert_has ("prompt", "screen", after, "> blockdev-mirror device=d0\n");
	/* Ctrl-C: the line stays, marked, without its hint */
	qmp_test_tmux_keys (term, (const gchar *[]){ "-l", "blockdev-mirror device=n1 ", NULL });
	qmp_test_tmux_wait_for (term, "n1 target=<str>", 10);
	qmp_test_tmux_keys (term, (const gchar *[]){ "C-c", NULL });
	qmp_test_tmux_wait_for (term, "device=n1 ^C", 10);
	{
		g_autofree gchar *text = qmp_test_tmux_screen (term);
		assert_lacks ("prompt", "screen", text, "n1 ^Crget");
		assert_lacks ("prompt", "screen", text, "n1 target=<str>");
	}
	/* and off */
	qmp_test_tmux_keys (term, (const gchar *[]){ "-l", ".set hints off", NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "Enter", NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "-l", "blockdev-mirror ", NULL });
	qmp_test_tmux_wait_for (term, "> blockdev-mirror", 10);
	g_usleep (300000);
	off = qmp_test_tmux_last_line (term);
	g_assert_cmpstr (off, ==, "vm1 (paused)> blockdev-mirror");
	qmp_test_tmux_leave (term);
}

/* NO_COLOR and a dumb terminal mean plain text: no hint */
static void
test_hint_no_color (Fixture *fx, gconstpointer data)
{
	g_autoptr (QmpTestTmux) term = prompt_ready (fx, data);
	g_autofree gchar *screen = NULL;

	qmp_test_tmux_keys (term, (const gchar *[]){ "-l", "blockdev-mirror ", NULL });
	qmp_test_tmux_wait_for (term, "> blockdev-mirror", 10);
	g_usleep (300000);
	screen = qmp_test_tmux_screen (term);
	assert_lacks ("prompt", "screen", screen, "<str>");
	qmp_test_tmux_leave (term);
}

static void
add_both (const gchar *name, void (*test) (Fixture *, gconstpointer))
{
	g_autofree gchar *batch = g_strdup_printf ("/typing/%s/batch", name);
	g_autofree gchar *prompt = g_strdup_printf ("/typing/%s/prompt", name);

	g_test_add (batch, Fixture, "batch", fixture_setup, test, fixture_teardown);
	g_test_add (prompt, Fixture, "prompt", fixture_setup, test, fixture_teardown);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	add_both ("device-add", test_device_add);
	add_both ("values", test_typed_values);
	g_test_add ("/typing/complete-narrowed", Fixture, NULL, fixture_setup,
		    test_complete_narrowed, fixture_teardown);
	g_test_add ("/typing/tab-waits", Fixture, NULL, fixture_setup, test_tab_waits,
		    fixture_teardown);
	g_test_add ("/typing/hint", Fixture, NULL, fixture_setup, test_hint, fixture_teardown);
	g_test_add ("/typing/hint-no-color", Fixture, "NO_COLOR=1", fixture_setup,
		    test_hint_no_color, fixture_teardown);
	g_test_add ("/typing/hint-dumb", Fixture, "TERM=dumb", fixture_setup, test_hint_no_color,
		    fixture_teardown);
	return g_test_run ();
}
