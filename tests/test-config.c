/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * The config file ($XDG_CONFIG_HOME/qmpsh/config): defaults, named targets
 * and aliases, read by the real qmpsh against a real QEMU (-M none -S), in
 * batch and at the prompt. Every file is the test's own: XDG_CONFIG_HOME
 * is the test's directory, never the user's.
 */

#include <glib/gstdio.h>
#include <string.h>

#include "qmp-test-tmux.h"
#include "qmp-test-util.h"

typedef struct {
	gchar *dir;
	gchar *sock;
	gchar *home;   /* XDG_CONFIG_HOME: dir/config, as qmp_test_tmux_start() has it */
	gchar *config; /* home/qmpsh/config */
	QmpTestQemu *qemu;
} Fixture;

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *qmpsh_dir = NULL;
	g_autofree gchar *arg = NULL;

	fx->dir = qmp_test_make_dir ();
	fx->sock = g_build_filename (fx->dir, "qmp.sock", NULL);
	fx->home = g_build_filename (fx->dir, "config", NULL);
	qmpsh_dir = g_build_filename (fx->home, "qmpsh", NULL);
	fx->config = g_build_filename (qmpsh_dir, "config", NULL);
	g_assert_cmpint (g_mkdir_with_parents (qmpsh_dir, 0700), ==, 0);
	g_setenv ("XDG_CONFIG_HOME", fx->home, TRUE);
	g_unsetenv ("QMPSH_CONFIG");
	arg = g_strdup_printf ("unix:%s,server=on,wait=off", fx->sock);
	{
		const gchar *args[] = { "-S", "-qmp", arg, NULL };
		const gchar *wait[] = { fx->sock, NULL };
		fx->qemu = qmp_test_qemu_start (args, wait);
	}
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *qmpsh_dir = g_path_get_dirname (fx->config);

	g_clear_pointer (&fx->qemu, qmp_test_qemu_free);
	g_unlink (fx->config);
	g_rmdir (qmpsh_dir);
	g_rmdir (fx->home);
	qmp_test_remove_dir (fx->dir);
	g_free (fx->dir);
	g_free (fx->sock);
	g_free (fx->home);
	g_free (fx->config);
}

/* the config file, with every %SOCK% made the socket's path */
static void
write_config (Fixture *fx, const gchar *text)
{
	g_autoptr (GString) s = g_string_new (text);
	g_string_replace (s, "%SOCK%", fx->sock, 0);
	g_assert_true (g_file_set_contents (fx->config, s->str, -1, NULL));
}

static void
assert_contains (const gchar *haystack, const gchar *needle)
{
	if (strstr (haystack, needle) == NULL)
		g_error ("expected '%s' in:\n%s", needle, haystack);
}

/* query-version's reply with its keys sorted (QEMU sends qemu first, and micro) */
static gchar *
sorted_version (gboolean pretty)
{
	const QmpTestVersion *v = qmp_test_qemu_version ();

	if (pretty)
		return g_strdup_printf ("{\n  \"return\": {\n    \"package\": \"%s\",\n"
					"    \"qemu\": {\n      \"major\": %" G_GINT64_FORMAT ",\n"
					"      \"micro\": %" G_GINT64_FORMAT ",\n"
					"      \"minor\": %" G_GINT64_FORMAT "\n    }\n  }\n}\n",
					v->package, v->major, v->micro, v->minor);
	return g_strdup_printf (
		"{\"return\":{\"package\":\"%s\",\"qemu\":{\"major\":%" G_GINT64_FORMAT
		",\"micro\":%" G_GINT64_FORMAT ",\"minor\":%" G_GINT64_FORMAT "}}}\n",
		v->package, v->major, v->micro, v->minor);
}

static QmpTestRun *
run (const gchar *input, const gchar *const *args)
{
	return qmp_test_run_qmpsh (input, args);
}

/* [defaults] applies; the command line wins, also against a flag (--compact over pretty) */
static void
test_defaults (Fixture *fx, gconstpointer data)
{
	write_config (fx, "[defaults]\npretty = true\nsort-keys = true\nverbose = false\n");
	{
		const gchar *args[] = { "-c", "query-version", fx->sock, NULL };
		g_autoptr (QmpTestRun) r = run (NULL, args);
		g_autofree gchar *expect = sorted_version (TRUE);
		g_assert_cmpstr (r->err, ==, "");
		g_assert_cmpint (r->status, ==, 0);
		/* indented, in a pipe, and sorted */
		g_assert_cmpstr (r->out, ==, expect);
	}
	{
		const gchar *args[] = { "--compact", "-c", "query-version", fx->sock, NULL };
		g_autoptr (QmpTestRun) r = run (NULL, args);
		g_autofree gchar *expect = sorted_version (FALSE);
		g_assert_cmpstr (r->err, ==, "");
		g_assert_cmpint (r->status, ==, 0);
		g_assert_cmpstr (r->out, ==, expect);
	}
	{
		/* --no-config: none of it */
		const gchar *args[] = { "--no-config", "-c", "query-status", fx->sock, NULL };
		g_autoptr (QmpTestRun) r = run (NULL, args);
		g_assert_cmpint (r->status, ==, 0);
		qmp_test_assert_status_reply (r->out, "prelaunch", FALSE);
	}
}

/* `qmpsh vm1`: the target's address and options; the command line's options win */
static void
test_target (Fixture *fx, gconstpointer data)
{
	write_config (fx, "[defaults]\ncompact = true\n"
			  "[target vm1]\naddress = %SOCK%\nhmp = true\n"
			  "[target vm2]\naddress = %SOCK%\npretty = true\n"
			  "[target %SOCK%]\naddress = /nowhere/at/all\n");
	{
		const gchar *args[] = { "-c", "info status", "vm1", NULL };
		g_autoptr (QmpTestRun) r = run (NULL, args);
		g_assert_cmpstr (r->err, ==, "");
		g_assert_cmpint (r->status, ==, 0);
		/* HMP, as the target says */
		g_assert_cmpstr (r->out, ==, "VM status: paused (prelaunch)\n");
	}
	{
		/* the target's pretty over the defaults' compact */
		const gchar *args[] = { "-c", "query-version", "vm2", NULL };
		g_autoptr (QmpTestRun) r = run (NULL, args);
		g_assert_cmpint (r->status, ==, 0);
		assert_contains (r->out, "{\n  \"return\": {\n");
	}
	{
		/* and the command line's over the target's */
		const gchar *args[] = { "--compact", "-c", "query-status", "vm2", NULL };
		g_autoptr (QmpTestRun) r = run (NULL, args);
		g_assert_cmpint (r->status, ==, 0);
		qmp_test_assert_status_reply (r->out, "prelaunch", FALSE);
	}
	{
		/* a path that exists is that path, even when a target has its name */
		const gchar *args[] = { "--compact", "-c", "query-status", fx->sock, NULL };
		g_autoptr (QmpTestRun) r = run (NULL, args);
		g_assert_cmpstr (r->err, ==, "");
		g_assert_cmpint (r->status, ==, 0);
		qmp_test_assert_status_reply (r->out, "prelaunch", FALSE);
	}
	{
		/* no such target, no such path: then no VM of that name either, and --list is the
		 * way */
		const gchar *args[] = { "-c", "query-status", "vm3", NULL };
		g_autoptr (QmpTestRun) r = run (NULL, args);
		g_assert_cmpint (r->status, ==, 3);
		assert_contains (r->err, "no socket or VM named 'vm3' found: qmpsh --list");
	}
}

#define ALIASES                                                                                    \
	"[alias]\n"                                                                                \
	"st = query-status\n"                                                                      \
	"machine = qom-get path=/machine\n"                                                        \
	"query-version = query-status\n"                                                           \
	"loop = loop2 a=1\n"                                                                       \
	"loop2 = loop b=2\n"

/* batch, -c and stdin: an alias, one with words after it, one over a command, a cycle */
static void
test_alias_batch (Fixture *fx, gconstpointer data)
{
	write_config (fx, ALIASES);
	{
		const gchar *args[] = { "-c", "st", "-c", "machine property=type", fx->sock, NULL };
		g_autoptr (QmpTestRun) r = run (NULL, args);
		g_auto (GStrv) lines = g_strsplit (r->out, "\n", -1);
		g_assert_cmpstr (r->err, ==, "");
		g_assert_cmpint (r->status, ==, 0);
		g_assert_cmpuint (g_strv_length (lines), ==, 3);
		qmp_test_assert_status_reply (lines[0], "prelaunch", FALSE);
		g_assert_cmpstr (lines[1], ==, "{\"return\":\"none-machine\"}");
	}
	{
		const gchar *args[] = { fx->sock, NULL };
		g_autoptr (QmpTestRun) r = run ("  st\nquery-version\nloop c=3\n.help st\n", args);
		g_auto (GStrv) lines = g_strsplit (r->out, "\n", -1);
		g_assert_cmpint (r->status, ==, 1);
		qmp_test_assert_status_reply (lines[0], "prelaunch", FALSE);
		/* an alias may stand in for a command of the server's */
		qmp_test_assert_status_reply (lines[1], "prelaunch", FALSE);
		/* loop, loop2, then loop again is left as it is */
		assert_contains (r->err, "line 3: no command 'loop'");
		assert_contains (r->out, "st is an alias (config file) for:\n  query-status\n");
	}
}

/* at the prompt: an alias runs, TAB offers its name, .help says what it is */
static void
test_alias_prompt (Fixture *fx, gconstpointer data)
{
	g_autoptr (QmpTestTmux) term = qmp_test_tmux_new (fx->dir);
	g_autofree gchar *args = g_strdup_printf ("'%s'", fx->sock);

	write_config (fx, "[alias]\nzz-status = query-status\n");
	qmp_test_tmux_start (term, args, "(paused)>");
	qmp_test_tmux_keys (term, (const gchar *[]){ "zz-status", "Enter", NULL });
	qmp_test_tmux_wait_for (term, "\"status\": \"prelaunch\"", 10);
	qmp_test_tmux_keys (term, (const gchar *[]){ "zz-s", "Tab", NULL });
	qmp_test_tmux_wait_for (term, "(paused)> zz-status", 10);
	qmp_test_tmux_keys (term, (const gchar *[]){ "C-u", ".help zz-status", "Enter", NULL });
	qmp_test_tmux_wait_for (term, "zz-status is an alias (config file) for:", 10);
	qmp_test_tmux_leave (term);
}

/* each mistake is one line naming the file and line; the rest still applies */
static void
test_broken (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *expect = NULL;

	write_config (fx, "[defaults]\n"	/* 1 */
			  "this is no key\n"	/* 2 */
			  "colour = never\n"	/* 3 */
			  "timeout = soon\n"	/* 4 */
			  "pretty = yes\n"	/* 5 */
			  "command = quit\n"	/* 6 */
			  "sort-keys = true\n"	/* 7 */
			  "[nonsense]\nx = 1\n" /* 8, 9 */
			  "[alias]\n.exit = quit\nver = query-version\n");
	{
		const gchar *args[] = { "-c", "ver", fx->sock, NULL };
		g_autoptr (QmpTestRun) r = run (NULL, args);
		g_autofree gchar *sorted = sorted_version (FALSE);
		g_assert_cmpint (r->status, ==, 0);
		/* the alias, and sort-keys, still apply */
		g_assert_cmpstr (r->out, ==, sorted);
		expect = g_strdup_printf (
			"qmpsh: warning: %1$s:2: not a [group], a KEY=VALUE line or a # comment "
			"(ignored)\n"
			"qmpsh: warning: %1$s:3: [defaults] colour: no such option; qmpsh --help "
			"lists them (ignored)\n"
			"qmpsh: warning: %1$s:5: [defaults] pretty: wants true or false, not 'yes' "
			"(ignored)\n"
			"qmpsh: warning: %1$s:6: [defaults] command: not for a config file: a "
			"run's "
			"commands go on its command line; an [alias] can name a line (ignored)\n"
			"qmpsh: warning: %1$s:8: unknown group [nonsense]: the groups are "
			"[defaults], [target NAME] and [alias] (ignored)\n"
			"qmpsh: warning: %1$s:11: [alias] .exit: built-ins keep their names; an "
			"alias cannot start with '.' (ignored)\n"
			"qmpsh: warning: %1$s:4: [defaults] timeout=soon: --timeout wants a number "
			"of seconds, not 'soon' (ignored)\n",
			fx->config);
		g_assert_cmpstr (r->err, ==, expect);
	}
	{
		/* a file named outright that is not there is said; the run goes on */
		const gchar *args[] = { "--config", "/nowhere/qmpsh.conf", "-c", "ver", fx->sock,
					NULL };
		g_autoptr (QmpTestRun) r = run (NULL, args);
		g_assert_cmpint (r->status, ==, 1);
		assert_contains (r->err, "qmpsh: warning: /nowhere/qmpsh.conf: no such file (no "
					 "config file read)\n");
		assert_contains (r->err, "The command ver has not been found");
	}
	write_config (fx, "[defaults]\nread-only = maybe\n");
	{
		/* TLS, or --read-only, that cannot be had: no connection, rather than one without
		 */
		const gchar *args[] = { "-c", "stop", fx->sock, NULL };
		g_autoptr (QmpTestRun) r = run (NULL, args);
		g_assert_cmpint (r->status, ==, 2);
		assert_contains (r->err, "read-only: wants true or false, not 'maybe' (fix it, or "
					 "run with --no-config)");
		g_assert_cmpstr (r->out, ==, "");
	}
	write_config (fx, "[target t1]\naddress = %SOCK%\ntls-creds = /nowhere\n");
	{
		const gchar *args[] = { "-c", "query-status", "t1", NULL };
		g_autoptr (QmpTestRun) r = run (NULL, args);
		g_autofree gchar *line = g_strdup_printf (
			"qmpsh: %s:3: [target t1] tls-creds=/nowhere: ", fx->config);
		g_assert_cmpint (r->status, ==, 2);
		assert_contains (r->err, line);
		assert_contains (r->err, "(fix it, or run with --no-config)\n");
	}
}

/* only the file the environment or the command line names: never the user's own */
static void
test_which_file (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *other = g_build_filename (fx->dir, "other.conf", NULL);
	g_autofree gchar *home = g_build_filename (g_get_home_dir (), ".config", NULL);
	const gchar *args[] = { "-c", "st", fx->sock, NULL };

	/* meson's environment for every test points away from the user's */
	g_assert_false (g_str_has_prefix (fx->home, home));
	write_config (fx, "[alias]\nst = query-version\n");
	g_assert_true (g_file_set_contents (other, "[alias]\nst = query-status\n", -1, NULL));
	{
		g_autoptr (QmpTestRun) r = run (NULL, args);
		g_assert_cmpint (r->status, ==, 0);
		qmp_test_assert_version_reply (r->out);
	}
	g_setenv ("QMPSH_CONFIG", other, TRUE);
	{
		g_autoptr (QmpTestRun) r = run (NULL, args);
		g_assert_cmpint (r->status, ==, 0);
		qmp_test_assert_status_reply (r->out, "prelaunch", FALSE);
	}
	g_setenv ("QMPSH_CONFIG", "", TRUE);
	{
		g_autoptr (QmpTestRun) r = run (NULL, args);
		g_assert_cmpint (r->status, ==, 1);
		assert_contains (r->err, "The command st has not been found");
	}
	g_unsetenv ("QMPSH_CONFIG");
	{
		const gchar *with[] = { "--config=", other, NULL };
		g_autofree gchar *word = g_strjoinv ("", (gchar **)with);
		const gchar *args2[] = { word, "-c", "st", fx->sock, NULL };
		g_autoptr (QmpTestRun) r = run (NULL, args2);
		g_assert_cmpint (r->status, ==, 0);
		qmp_test_assert_status_reply (r->out, "prelaunch", FALSE);
	}
	g_unlink (other);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD ("/config/defaults", test_defaults);
	ADD ("/config/target", test_target);
	ADD ("/config/alias-batch", test_alias_batch);
	ADD ("/config/alias-prompt", test_alias_prompt);
	ADD ("/config/broken", test_broken);
	ADD ("/config/which-file", test_which_file);
	return g_test_run ();
}
