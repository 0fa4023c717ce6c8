/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmp-test-tap.h"

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
