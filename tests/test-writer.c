/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * The writer over a real socket pair: what one thread pushes arrives in the
 * order it pushed it, whichever way it went in (the owner's own queue, or
 * the locked one for other threads and for the owner outside its loop).
 */

#include "qmp-writer.h"

#include <gio/gio.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PER_PUSHER 2000
#define N_THREADS  3

typedef struct {
	QmpWriter *writer;
	guint index;
} Pusher;

static void
writer_failed_cb (GError *error, gpointer user_data)
{
	g_error ("the writer failed: %s", error->message);
}

static void
writer_flushed_cb (gpointer user_data)
{
}

static void
push_line (QmpWriter *writer, const gchar *who, guint n)
{
	/* 1,000 of them are more than the writer joins in one write (64 KiB) */
	g_autofree gchar *text =
		g_strdup_printf ("{\"who\":\"%s\",\"n\":%u,\"pad\":\"%090d\"}", who, n, 0);
	qmp_writer_push (writer, text, strlen (text), NULL);
}

static gpointer
pusher_thread (gpointer user_data)
{
	Pusher *p = user_data;
	g_autofree gchar *who = g_strdup_printf ("t%u", p->index);

	for (guint n = 0; n < PER_PUSHER; n++)
		push_line (p->writer, who, n);
	return NULL;
}

typedef struct {
	int fd;
	guint want;
	GPtrArray *lines;
	gint done; /* (atomic) */
	GMainContext *context;
} Reader;

/* the peer: reads every line, then says so */
static gpointer
reader_thread (gpointer user_data)
{
	Reader *r = user_data;
	g_autoptr (GString) pending = g_string_new (NULL);
	gchar buf[65536];

	while (r->lines->len < r->want) {
		gssize n = read (r->fd, buf, sizeof (buf));
		gchar *nl;

		g_assert_cmpint (n, >, 0);
		g_string_append_len (pending, buf, n);
		while ((nl = memchr (pending->str, '\n', pending->len)) != NULL) {
			g_ptr_array_add (r->lines, g_strndup (pending->str, nl - pending->str));
			g_string_erase (pending, 0, nl - pending->str + 1);
		}
	}
	g_assert_cmpuint (pending->len, ==, 0);
	g_atomic_int_set (&r->done, 1);
	g_main_context_wakeup (r->context);
	return NULL;
}

typedef struct {
	QmpWriter *writer;
	Reader *reader;
	GThread *thread;
} Owner;

static gboolean
owner_push_cb (gpointer user_data)
{
	Owner *o = user_data;

	/*
	 * From inside the loop, while what the main thread pushed before it
	 * still waits behind a full socket: the owner's pushes go behind it
	 */
	g_assert_true (qmp_writer_has_pending (o->writer));
	for (guint n = PER_PUSHER / 2; n < PER_PUSHER; n++)
		push_line (o->writer, "main", n);
	/* only now does the peer read */
	o->thread = g_thread_new ("peer", reader_thread, o->reader);
	return G_SOURCE_REMOVE;
}

static void
test_order_across_threads (void)
{
	int fds[2];
	g_autoptr (GSocket) socket = NULL;
	g_autoptr (GSocketConnection) connection = NULL;
	g_autoptr (QmpWriter) writer = NULL;
	g_autoptr (GError) error = NULL;
	Pusher pushers[N_THREADS];
	GThread *threads[N_THREADS];
	Reader r = { 0 };
	Owner owner = { 0 };
	int small = 4096;
	guint next[N_THREADS + 1] = { 0 };

	g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
	/* a socket that fills at once, so that what is pushed waits in the queues */
	g_assert_cmpint (setsockopt (fds[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof (small)), ==, 0);
	g_assert_cmpint (setsockopt (fds[1], SOL_SOCKET, SO_RCVBUF, &small, sizeof (small)), ==, 0);
	socket = g_socket_new_from_fd (fds[0], &error);
	g_assert_no_error (error);
	connection = g_socket_connection_factory_create_connection (socket);
	writer = qmp_writer_new (g_main_context_default (), writer_failed_cb, writer_flushed_cb,
				 NULL);
	qmp_writer_start (writer, G_IO_STREAM (connection), socket, "the test's peer");

	r.fd = fds[1];
	r.want = PER_PUSHER * (N_THREADS + 1);
	r.lines = g_ptr_array_new_with_free_func (g_free);
	r.context = g_main_context_default ();
	owner = (Owner){ writer, &r, NULL };

	/* before the loop runs, the main thread is no owner: the locked queue */
	for (guint n = 0; n < PER_PUSHER / 2; n++)
		push_line (writer, "main", n);
	g_idle_add (owner_push_cb, &owner);
	for (guint i = 0; i < N_THREADS; i++) {
		pushers[i] = (Pusher){ writer, i };
		threads[i] = g_thread_new ("pusher", pusher_thread, &pushers[i]);
	}
	while (!g_atomic_int_get (&r.done))
		g_main_context_iteration (NULL, TRUE);
	for (guint i = 0; i < N_THREADS; i++)
		g_thread_join (threads[i]);
	g_thread_join (owner.thread);
	g_assert_false (qmp_writer_has_pending (writer));

	/* every line whole, and each pusher's lines in the order it pushed them */
	for (guint i = 0; i < r.lines->len; i++) {
		const gchar *line = g_ptr_array_index (r.lines, i);
		gchar who[8];
		guint n;
		guint slot;

		g_assert_cmpint (sscanf (line, "{\"who\":\"%7[^\"]\",\"n\":%u,", who, &n), ==, 2);
		slot = strcmp (who, "main") == 0 ? N_THREADS : (guint)(who[1] - '0');
		g_assert_cmpuint (slot, <=, N_THREADS);
		g_assert_cmpuint (n, ==, next[slot]);
		next[slot]++;
	}
	for (guint i = 0; i <= N_THREADS; i++)
		g_assert_cmpuint (next[i], ==, PER_PUSHER);
	qmp_writer_stop (writer);
	g_ptr_array_unref (r.lines);
	close (fds[1]);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/writer/order-across-threads", test_order_across_threads);
	return g_test_run ();
}
