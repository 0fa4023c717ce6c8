/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * Readiness of a QmpTlsStream's halves: the socket, and for reading also
 * the records GnuTLS already holds decrypted, which the socket knows nothing
 * of: without them a reader would sleep on data it has.
 */

#include "qmp-tls-source.h"
#include "qmp-tls-private.h"

typedef struct {
	GSource source;
	QmpTlsStream *tls;
	GIOCondition condition;
	gpointer fd_tag;
} QmpTlsSource;

static gboolean
qmp_tls_source_pending (QmpTlsSource *ts)
{
	return (ts->condition & G_IO_IN) != 0 && qmp_tls_stream_has_pending (ts->tls);
}

static gboolean
qmp_tls_source_prepare (GSource *source, gint *timeout)
{
	*timeout = -1;
	return qmp_tls_source_pending ((QmpTlsSource *)source);
}

static gboolean
qmp_tls_source_check (GSource *source)
{
	QmpTlsSource *ts = (QmpTlsSource *)source;
	return g_source_query_unix_fd (source, ts->fd_tag) != 0 || qmp_tls_source_pending (ts);
}

/* a child: its readiness dispatches the pollable source it belongs to */
static gboolean
qmp_tls_source_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
	return G_SOURCE_CONTINUE;
}

static void
qmp_tls_source_finalize (GSource *source)
{
	g_object_unref (((QmpTlsSource *)source)->tls);
}

/* the pollable source gives its child a dummy closure, which needs a callback type */
static gboolean
qmp_tls_source_closure_callback (gpointer user_data)
{
	return G_SOURCE_CONTINUE;
}

static GSourceFuncs qmp_tls_source_funcs = {
	.prepare = qmp_tls_source_prepare,
	.check = qmp_tls_source_check,
	.dispatch = qmp_tls_source_dispatch,
	.finalize = qmp_tls_source_finalize,
	.closure_callback = qmp_tls_source_closure_callback,
};

/**
 * qmp_tls_source_new:
 * @tls: the stream
 * @pollable: its input or output stream, which the source is for
 * @condition: %G_IO_IN or %G_IO_OUT
 * @cancellable: (nullable): a #GCancellable
 *
 * A GIO pollable source, so that it takes a #GPollableSourceFunc and
 * closures, as g_pollable_input_stream_create_source() returns.
 *
 * Returns: (transfer full): the source
 */
GSource *
qmp_tls_source_new (QmpTlsStream *tls, GObject *pollable, GIOCondition condition,
		    GCancellable *cancellable)
{
	g_autoptr (GSource) ready = g_source_new (&qmp_tls_source_funcs, sizeof (QmpTlsSource));
	QmpTlsSource *ts = (QmpTlsSource *)ready;
	GSource *source;

	g_source_set_name (ready, "qmp-tls-ready");
	ts->tls = g_object_ref (tls);
	ts->condition = condition;
	ts->fd_tag = g_source_add_unix_fd (ready, g_socket_get_fd (qmp_tls_stream_get_socket (tls)),
					   condition | G_IO_HUP | G_IO_ERR);
	source = g_pollable_source_new_full (pollable, ready, cancellable);
	g_source_set_name (source, "qmp-tls");
	return source;
}
