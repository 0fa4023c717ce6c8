/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmp-test-tap.h"

#include <glib/gstdio.h>

#include "qmp-test-tmux.h"
#include "qmp-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

struct _QmpTestTap {
	gint listen_fd;
	gint wake[2]; /* the test is done: the thread stops */
	gchar *monitor;
	GThread *thread;
	GMutex lock;
	GString *sent;
};

static gint
connect_unix (const gchar *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	gint fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	g_strlcpy (addr.sun_path, path, sizeof (addr.sun_path));
	g_assert_cmpint (connect (fd, (struct sockaddr *)&addr, sizeof (addr)), ==, 0);
	return fd;
}

/* copies what @from has to @to; FALSE once @from is done */
static gboolean
forward (gint from, gint to, QmpTestTap *tap, gboolean record)
{
	gchar buf[65536];
	gssize n = read (from, buf, sizeof (buf));

	if (n <= 0)
		return FALSE;
	if (record) {
		g_mutex_lock (&tap->lock);
		g_string_append_len (tap->sent, buf, n);
		g_mutex_unlock (&tap->lock);
	}
	for (gssize done = 0; done < n;) {
		gssize w = write (to, buf + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return FALSE;
		done += w;
	}
	return TRUE;
}

static gpointer
qmp_test_tap_thread (gpointer data)
{
	QmpTestTap *tap = data;
	struct pollfd accept_fds[] = { { tap->listen_fd, POLLIN, 0 }, { tap->wake[0], POLLIN, 0 } };
	gint client;
	gint server;

	if (poll (accept_fds, 2, -1) <= 0 || (accept_fds[1].revents & POLLIN))
		return NULL;
	client = accept (tap->listen_fd, NULL, NULL);
	g_assert_cmpint (client, >=, 0);
	server = connect_unix (tap->monitor);
	for (;;) {
		struct pollfd fds[] = { { client, POLLIN, 0 },
					{ server, POLLIN, 0 },
					{ tap->wake[0], POLLIN, 0 } };
		if (poll (fds, 3, -1) < 0 && errno == EINTR)
			continue;
		if ((fds[2].revents & POLLIN) ||
		    ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) &&
		     !forward (client, server, tap, TRUE)) ||
		    ((fds[1].revents & (POLLIN | POLLHUP | POLLERR)) &&
		     !forward (server, client, tap, FALSE)))
			break;
	}
	close (client);
	close (server);
	return NULL;
}

/**
 * qmp_test_tap_new:
 * @path: where the tap listens
 * @monitor: the QEMU monitor's socket it forwards to
 *
 * Returns: (transfer full): the tap, serving one client in a thread
 */
QmpTestTap *
qmp_test_tap_new (const gchar *path, const gchar *monitor)
{
	QmpTestTap *tap = g_new0 (QmpTestTap, 1);
	struct sockaddr_un addr = { .sun_family = AF_UNIX };

	g_strlcpy (addr.sun_path, path, sizeof (addr.sun_path));
	tap->listen_fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	g_assert_cmpint (bind (tap->listen_fd, (struct sockaddr *)&addr, sizeof (addr)), ==, 0);
	g_assert_cmpint (listen (tap->listen_fd, 1), ==, 0);
	g_assert_true (g_unix_open_pipe (tap->wake, FD_CLOEXEC, NULL));
	tap->monitor = g_strdup (monitor);
	tap->sent = g_string_new (NULL);
	g_mutex_init (&tap->lock);
	tap->thread = g_thread_new ("qmp-test-tap", qmp_test_tap_thread, tap);
	return tap;
}

/**
 * qmp_test_tap_dup_sent:
 * @tap: a tap
 *
 * Returns: (transfer full): the bytes the client sent so far
 */
gchar *
qmp_test_tap_dup_sent (QmpTestTap *tap)
{
	gchar *sent;

	g_mutex_lock (&tap->lock);
	sent = g_strdup (tap->sent->str);
	g_mutex_unlock (&tap->lock);
	return sent;
}

void
qmp_test_tap_free (QmpTestTap *tap)
{
	if (tap == NULL)
		return;
	g_assert_cmpint (write (tap->wake[1], "", 1), ==, 1);
	g_thread_join (tap->thread);
	close (tap->listen_fd);
	close (tap->wake[0]);
	close (tap->wake[1]);
	g_mutex_clear (&tap->lock);
	g_string_free (tap->sent, TRUE);
	g_free (tap->monitor);
	g_free (tap);
}

void
qmp_test_seen_free (QmpTestSeen *seen)
{
	if (seen == NULL)
		return;
	g_free (seen->wire);
	g_free (seen->seen);
	g_free (seen);
}

/* {"id":7,"execute":... -> {"execute":... */
static gchar *
without_ids (const gchar *wire)
{
	g_autoptr (GRegex) id = g_regex_new ("^\\{\"id\":[0-9]+,", G_REGEX_MULTILINE, 0, NULL);
	return g_regex_replace_literal (id, wire, -1, 0, "{", 0, NULL);
}

static QmpTestSeen *
run_batch (const gchar *sock, const gchar *const *args, const gchar *const *lines)
{
	g_autofree gchar *input = g_strjoinv ("\n", (gchar **)lines);
	g_autofree gchar *text = g_strconcat (input, "\n", NULL);
	g_autoptr (GPtrArray) argv = g_ptr_array_new ();
	g_autoptr (QmpTestRun) run = NULL;
	QmpTestSeen *s = g_new0 (QmpTestSeen, 1);

	for (guint i = 0; args != NULL && args[i] != NULL; i++)
		g_ptr_array_add (argv, (gpointer)args[i]);
	g_ptr_array_add (argv, (gpointer)sock);
	g_ptr_array_add (argv, NULL);
	run = qmp_test_run_qmpsh (text, (const gchar *const *)argv->pdata);
	s->seen = g_strconcat (run->out, run->err, NULL);
	s->status = run->status;
	return s;
}

/* the whole terminal, scrollback too */
static gchar *
history (QmpTestTmux *term)
{
	const gchar *args[] = { "capture-pane", "-p", "-J", "-S", "-", "-t", "s", NULL };
	gchar *out = NULL;
	qmp_test_tmux_run (term, args, &out);
	return out;
}

/*
 * The same lines typed at the prompt. A query-status goes last: its reply
 * comes after every other, so once it is on the screen all of them are.
 */
static QmpTestSeen *
run_prompt (const gchar *dir, const gchar *sock, const gchar *const *args,
	    const gchar *const *lines)
{
	g_autoptr (QmpTestTmux) term = qmp_test_tmux_new (dir);
	g_autofree gchar *extra = args != NULL ? g_strjoinv (" ", (gchar **)args) : g_strdup ("");
	g_autofree gchar *words = g_strdup_printf ("%s '%s'", extra, sock);
	QmpTestSeen *s = g_new0 (QmpTestSeen, 1);

	qmp_test_tmux_start (term, words, ")>");
	for (guint i = 0; lines[i] != NULL; i++) {
		qmp_test_tmux_keys (term, (const gchar *[]){ "-l", lines[i], NULL });
		qmp_test_tmux_keys (term, (const gchar *[]){ "Enter", NULL });
	}
	qmp_test_tmux_keys (term, (const gchar *[]){ "-l", "query-status", NULL });
	qmp_test_tmux_keys (term, (const gchar *[]){ "Enter", NULL });
	for (gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;;) {
		g_autofree gchar *now = history (term);
		if (g_regex_match_simple ("\"status\": \"[a-z-]+\",[^}]*\"running\": (true|false)",
					  now, 0, 0)) {
			s->seen = g_steal_pointer (&now);
			break;
		}
		if (g_get_monotonic_time () > deadline)
			g_error ("no reply to the last line at the prompt:\n%s", now);
		g_usleep (50000);
	}
	qmp_test_tmux_leave (term);
	return s;
}

/**
 * qmp_test_tap_lines:
 * @mode: "batch" (a pipe) or "prompt" (tmux)
 * @dir: the test's directory: the tap's socket goes there
 * @monitor: QEMU's monitor
 * @args: (nullable): more qmpsh arguments, shell words at the prompt
 * @lines: what to type
 *
 * Runs @lines in qmpsh through a tap on @monitor.
 *
 * Returns: (transfer full): what was sent and seen
 */
QmpTestSeen *
qmp_test_tap_lines (const gchar *mode, const gchar *dir, const gchar *monitor,
		    const gchar *const *args, const gchar *const *lines)
{
	g_autofree gchar *sock = g_build_filename (dir, "tap.sock", NULL);
	g_autoptr (QmpTestTap) tap = qmp_test_tap_new (sock, monitor);
	g_autofree gchar *sent = NULL;
	QmpTestSeen *s = g_str_equal (mode, "batch") ? run_batch (sock, args, lines)
						     : run_prompt (dir, sock, args, lines);

	sent = qmp_test_tap_dup_sent (tap);
	g_clear_pointer (&tap, qmp_test_tap_free);
	g_unlink (sock);
	s->wire = without_ids (sent);
	return s;
}
