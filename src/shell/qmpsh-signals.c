/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-signals.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <signal.h>
#include <unistd.h>

/*
 * SIGINT, SIGTERM and SIGHUP, delivered to the main loop. GLib's own unix
 * signal sources forward a signal through its worker thread, so one that
 * comes as the loop ends (Ctrl-C on `cat | qmpsh`: the end of input and the
 * signal at once) may never be dispatched, and the run would end as if
 * nothing had happened. Here the handler itself notes the signal, so the
 * last word is never lost, and a self-pipe wakes the loop.
 */

static const gint watched[] = { SIGINT, SIGTERM, SIGHUP };
static volatile sig_atomic_t caught[G_N_ELEMENTS (watched)];
static sig_atomic_t seen[G_N_ELEMENTS (watched)]; /* dispatched, of those caught */
static int wake[2] = { -1, -1 };

typedef struct {
	QmpshSignalFunc func;
	gpointer user_data;
} Watch;

static void
qmpsh_signals_handler (int signum)
{
	int saved = errno;
	for (guint i = 0; i < G_N_ELEMENTS (watched); i++) {
		if (watched[i] == signum)
			caught[i]++;
	}
	if (write (wake[1], "", 1) < 0) {
		/* the pipe is full: the loop is awake already */
	}
	errno = saved;
}

static gboolean
qmpsh_signals_cb (gint fd, GIOCondition condition, gpointer user_data)
{
	Watch *watch = user_data;
	gchar buf[64];

	while (read (fd, buf, sizeof (buf)) > 0)
		;
	for (guint i = 0; i < G_N_ELEMENTS (watched); i++) {
		while (seen[i] != caught[i]) {
			seen[i]++;
			watch->func (watched[i], watch->user_data);
		}
	}
	return G_SOURCE_CONTINUE;
}

/**
 * qmpsh_signals_watch:
 * @func: called for each SIGINT, SIGTERM and SIGHUP
 * @user_data: data for @func
 *
 * Takes over the three signals for the process; call once.
 *
 * Returns: (transfer full): the source to attach to the main context
 */
GSource *
qmpsh_signals_watch (QmpshSignalFunc func, gpointer user_data)
{
	struct sigaction action = { .sa_handler = qmpsh_signals_handler };
	Watch *watch = g_new0 (Watch, 1);
	GSource *source;

	g_assert (wake[0] < 0);
	if (!g_unix_open_pipe (wake, FD_CLOEXEC, NULL) ||
	    !g_unix_set_fd_nonblocking (wake[0], TRUE, NULL) ||
	    !g_unix_set_fd_nonblocking (wake[1], TRUE, NULL))
		g_error ("cannot make a pipe for signals: %s", g_strerror (errno));
	watch->func = func;
	watch->user_data = user_data;
	sigemptyset (&action.sa_mask);
	action.sa_flags = SA_RESTART;
	for (guint i = 0; i < G_N_ELEMENTS (watched); i++)
		sigaction (watched[i], &action, NULL);
	source = g_unix_fd_source_new (wake[0], G_IO_IN);
	g_source_set_callback (source, G_SOURCE_FUNC (qmpsh_signals_cb), watch, g_free);
	g_source_set_name (source, "qmpsh-signals");
	return source;
}

/**
 * qmpsh_signals_last_word:
 *
 * For the end of the run: blocks the three signals, so that none comes
 * after this is decided.
 *
 * Returns: a signal that came but was not dispatched yet, or 0; the exit
 *   status can say so even when the work finished at the same moment
 */
gint
qmpsh_signals_last_word (void)
{
	sigset_t set;

	sigemptyset (&set);
	for (guint i = 0; i < G_N_ELEMENTS (watched); i++)
		sigaddset (&set, watched[i]);
	sigprocmask (SIG_BLOCK, &set, NULL);
	for (guint i = 0; i < G_N_ELEMENTS (watched); i++) {
		if (caught[i] != seen[i])
			return watched[i];
	}
	return 0;
}
