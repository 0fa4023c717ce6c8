/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * The prompt's schema cache ($XDG_CACHE_HOME/qmpsh), in a real terminal: a
 * second start completes from it while the server has not answered
 * query-qmp-schema (the scripted server never does), and a cache of
 * another server, or a damaged one, is never used. Against real QEMU too.
 */

#include <glib/gstdio.h>
#include <string.h>

#include "qmp-test-tmux.h"
#include "qmp-test-util.h"

typedef struct {
	gchar *dir;
	gchar *sock;
	gchar *cache; /* $XDG_CACHE_HOME/qmpsh, as qmp-test-tmux sets it */
	QmpTestTmux *term;
} Fixture;

#define KEYS(fx, ...) qmp_test_tmux_keys ((fx)->term, (const gchar *[]){ __VA_ARGS__, NULL })

/* a greeting like QMP_TEST_GREETING's, of QEMU 7.2.MICRO */
#define GREETING(micro)                                                                            \
	"S:{\"QMP\": {\"version\": {\"qemu\": {\"micro\": " micro                                  \
	", \"minor\": 2, \"major\": 7}, "                                                          \
	"\"package\": \"\"}, \"capabilities\": []}}\r\n"

#define NAME_REPLY "A:{\"return\": {\"name\": \"vm\"}, \"id\": %ID%}\r\n"
#define STATUS_REPLY                                                                               \
	"A:{\"return\": {\"status\": \"running\", \"running\": true}, \"id\": %ID%}\r\n"

/* a schema with one command only it has */
#define SCHEMA_REPLY                                                                               \
	"A:{\"return\": ["                                                                         \
	"{\"name\": \"x-cached-only\", \"meta-type\": \"command\", \"arg-type\": \"0\", "          \
	"\"ret-type\": \"0\", \"allow-oob\": false},"                                              \
	"{\"name\": \"0\", \"meta-type\": \"object\", \"members\": []}"                            \
	"], \"id\": %ID%}\r\n"

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
	fx->dir = qmp_test_make_dir ();
	fx->sock = g_build_filename (fx->dir, "a.sock", NULL);
	fx->cache = g_build_filename (fx->dir, "cache", "qmpsh", NULL);
	fx->term = qmp_test_tmux_new (fx->dir);
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
	g_clear_pointer (&fx->term, qmp_test_tmux_free);
	qmp_test_remove_dir (fx->dir);
	g_free (fx->dir);
	g_free (fx->sock);
	g_free (fx->cache);
}

/* the one file in the cache */
static gchar *
cache_file (Fixture *fx)
{
	g_autoptr (GDir) d = g_dir_open (fx->cache, 0, NULL);
	const gchar *name = d != NULL ? g_dir_read_name (d) : NULL;

	g_assert_nonnull (name);
	g_assert_true (g_str_has_prefix (name, "schema-"));
	g_assert_null (g_dir_read_name (d));
	return g_build_filename (fx->cache, name, NULL);
}

/* a scripted server that answers the schema, once qmpsh has connected, then leaves */
static void
first_run (Fixture *fx)
{
	const gchar *script[] = { GREETING ("0"),
				  QMP_TEST_NEGOTIATE,
				  "R",
				  NAME_REPLY,
				  "R",
				  STATUS_REPLY,
				  "R",
				  SCHEMA_REPLY,
				  "L",
				  NULL };
	g_autoptr (QmpTestServer) server = NULL;
	g_autofree gchar *received = NULL;

	server = qmp_test_server_new (fx->sock, script);
	qmp_test_tmux_start (fx->term, fx->sock, "(running)");
	KEYS (fx, "x-cach", "Tab");
	qmp_test_tmux_wait_for (fx->term, "(running)> x-cached-only", 10);
	KEYS (fx, "C-u", "C-d");
	qmp_test_tmux_wait_for (fx->term, "QMPSH-EXIT=0", 10);
	received = qmp_test_server_finish (server);
	/* the script's third answer was the schema's */
	g_assert_nonnull (strstr (received, "query-qmp-schema"));
	qmp_test_tmux_leave (fx->term);
}

/*
 * A second start against a server that never answers query-qmp-schema:
 * @micro is its greeting's version. TAB, then "Z", are typed; what the line
 * holds once "Z" shows says whether TAB completed from the cache.
 */
static gchar *
second_run (Fixture *fx, const gchar *greeting, gchar **screen)
{
	const gchar *script[] = { greeting, QMP_TEST_NEGOTIATE, "R", NAME_REPLY,
				  "R",	    STATUS_REPLY,	"N", NULL };
	g_autoptr (QmpTestServer) server = NULL;
	gchar *line;

	/* the first run's server is gone; its socket file is not */
	g_unlink (fx->sock);
	server = qmp_test_server_new (fx->sock, script);
	qmp_test_tmux_start (fx->term, fx->sock, "(running)");
	KEYS (fx, "x-cach", "Tab", "Z");
	/* the keys after a TAB that waits keep their order: Z comes after it */
	for (gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;;) {
		line = qmp_test_tmux_last_line (fx->term);
		if (g_str_has_suffix (line, "Z"))
			break;
		g_assert_cmpint (g_get_monotonic_time (), <, deadline);
		g_free (line);
		g_usleep (50000);
	}
	KEYS (fx, "C-u", "C-d");
	qmp_test_tmux_wait_for (fx->term, "QMPSH-EXIT=0", 10);
	if (screen != NULL)
		*screen = qmp_test_tmux_screen (fx->term);
	qmp_test_tmux_leave (fx->term);
	g_free (qmp_test_server_finish (server));
	return line;
}

static void
test_second_start (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *path = NULL;
	g_autofree gchar *line = NULL;

	first_run (fx);
	path = cache_file (fx);
	line = second_run (fx, GREETING ("0"), NULL);
	g_assert_cmpstr (line, ==, "vm (running)> x-cached-only Z");
}

static void
test_other_version (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *line = NULL;
	g_autofree gchar *path = NULL;

	first_run (fx);
	path = cache_file (fx);
	/* QEMU 7.2.1 is another server: its schema is asked for, never taken from 7.2.0's */
	line = second_run (fx, GREETING ("1"), NULL);
	g_assert_cmpstr (line, ==, "vm (running)> x-cachZ");
}

static void
test_damaged (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *path = NULL;
	g_autofree gchar *contents = NULL;
	g_autofree gchar *line = NULL;
	g_autofree gchar *screen = NULL;
	gsize len = 0;

	first_run (fx);
	path = cache_file (fx);
	g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
	/* one byte of the index changed: the file still looks whole */
	contents[len - 5] ^= 0x20;
	g_assert_true (g_file_set_contents (path, contents, len, NULL));
	line = second_run (fx, GREETING ("0"), &screen);
	g_assert_cmpstr (line, ==, "vm (running)> x-cachZ");
	/* the path makes the line wrap anywhere: the screen without its blanks */
	for (gchar *from = screen, *to = screen;; from++) {
		if (*from != ' ' && *from != '\n')
			*to++ = *from;
		if (*from == '\0')
			break;
	}
	g_assert_nonnull (strstr (screen, "qmpsh:ignoringthecachedschema"));
	g_assert_nonnull (strstr (screen, ":itschecksumdoesnotmatch;itisfetchedagain"));
	/* said once */
	g_assert_null (strstr (strstr (screen, "ignoring") + 1, "ignoring"));
}

/*
 * Real QEMU: the second start takes the first's cache. A fetched schema is
 * written anew (a new file renamed over the old); the one the cache gave,
 * found the same when QEMU is asked again, is not: the file stays the one
 * the first run wrote.
 */
static void
test_real_qemu (Fixture *fx, gconstpointer data)
{
	g_autoptr (QmpTestQemu) qemu = qmp_test_qemu_start_unix (fx->sock);
	guint64 inode[2] = { 0, 0 };

	for (guint run = 0; run < 2; run++) {
		g_autofree gchar *path = NULL;
		GStatBuf st;

		qmp_test_tmux_start (fx->term, fx->sock, "(running)>");
		KEYS (fx, "query-statu", "Tab");
		qmp_test_tmux_wait_for (fx->term, "> query-status", 15);
		/* the check is asked once the live names are in: its answer before leaving */
		KEYS (fx, "C-u", "query-version", "Enter");
		qmp_test_tmux_wait_for (fx->term, "\"qemu\"", 15);
		KEYS (fx, "C-u", "C-d");
		qmp_test_tmux_wait_for (fx->term, "QMPSH-EXIT=0", 10);
		qmp_test_tmux_leave (fx->term);
		path = cache_file (fx);
		g_assert_cmpint (g_stat (path, &st), ==, 0);
		inode[run] = st.st_ino;
	}
	g_assert_cmpuint (inode[0], ==, inode[1]);
	qmp_test_qemu_stop (qemu);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD ("/schema-cache/second-start", test_second_start);
	ADD ("/schema-cache/other-version", test_other_version);
	ADD ("/schema-cache/damaged", test_damaged);
	ADD ("/schema-cache/real-qemu", test_real_qemu);
#undef ADD
	return g_test_run ();
}
