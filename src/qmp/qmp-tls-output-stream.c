/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmp-tls-output-stream.h"
#include "qmp-tls-private.h"
#include "qmp-tls-source.h"

/**
 * QmpTlsOutputStream:
 *
 * The writing half of a #QmpTlsStream, pollable. It holds the stream
 * weakly, as the stream holds it.
 */
struct _QmpTlsOutputStream {
	GOutputStream parent_instance;
	GWeakRef tls;
};

static void qmp_tls_output_stream_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_TYPE_WITH_CODE (QmpTlsOutputStream, qmp_tls_output_stream, G_TYPE_OUTPUT_STREAM,
			 G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
						qmp_tls_output_stream_pollable_init))

static QmpTlsStream *
qmp_tls_output_stream_get_tls (QmpTlsOutputStream *self, GError **error)
{
	QmpTlsStream *tls = g_weak_ref_get (&self->tls);
	if (tls == NULL)
		g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
				     "the TLS connection is gone");
	return tls;
}

static gboolean
qmp_tls_output_stream_is_writable (GPollableOutputStream *pollable)
{
	g_autoptr (QmpTlsStream) tls =
		qmp_tls_output_stream_get_tls (QMP_TLS_OUTPUT_STREAM (pollable), NULL);
	if (tls == NULL || qmp_tls_stream_is_closed (tls))
		return TRUE; /* a write will say why */
	return g_socket_condition_check (qmp_tls_stream_get_socket (tls),
					 G_IO_OUT | G_IO_HUP | G_IO_ERR) != 0;
}

static GSource *
qmp_tls_output_stream_create_source (GPollableOutputStream *pollable, GCancellable *cancellable)
{
	g_autoptr (QmpTlsStream) tls =
		qmp_tls_output_stream_get_tls (QMP_TLS_OUTPUT_STREAM (pollable), NULL);
	g_return_val_if_fail (tls != NULL, NULL);
	return qmp_tls_source_new (tls, G_OBJECT (pollable), G_IO_OUT, cancellable);
}

static gssize
qmp_tls_output_stream_write_nonblocking (GPollableOutputStream *pollable, const void *buffer,
					 gsize count, GError **error)
{
	g_autoptr (QmpTlsStream) tls =
		qmp_tls_output_stream_get_tls (QMP_TLS_OUTPUT_STREAM (pollable), error);
	if (tls == NULL)
		return -1;
	return qmp_tls_stream_send (tls, buffer, count, error);
}

static gssize
qmp_tls_output_stream_write (GOutputStream *stream, const void *buffer, gsize count,
			     GCancellable *cancellable, GError **error)
{
	g_autoptr (QmpTlsStream) tls =
		qmp_tls_output_stream_get_tls (QMP_TLS_OUTPUT_STREAM (stream), error);

	if (tls == NULL)
		return -1;
	for (;;) {
		g_autoptr (GError) error_local = NULL;
		gssize n = qmp_tls_stream_send (tls, buffer, count, &error_local);
		if (n >= 0)
			return n;
		if (!g_error_matches (error_local, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
			g_propagate_error (error, g_steal_pointer (&error_local));
			return -1;
		}
		if (!g_socket_condition_wait (qmp_tls_stream_get_socket (tls), G_IO_OUT,
					      cancellable, error))
			return -1;
	}
}

/**
 * qmp_tls_output_stream_new:
 * @tls: the stream it is the writing half of
 *
 * Returns: (transfer full): the half, holding @tls weakly
 */
GOutputStream *
qmp_tls_output_stream_new (QmpTlsStream *tls)
{
	QmpTlsOutputStream *self = g_object_new (QMP_TYPE_TLS_OUTPUT_STREAM, NULL);
	g_weak_ref_set (&self->tls, tls);
	return G_OUTPUT_STREAM (self);
}

static void
qmp_tls_output_stream_finalize (GObject *object)
{
	g_weak_ref_clear (&QMP_TLS_OUTPUT_STREAM (object)->tls);
	G_OBJECT_CLASS (qmp_tls_output_stream_parent_class)->finalize (object);
}

static void
qmp_tls_output_stream_pollable_init (GPollableOutputStreamInterface *iface)
{
	iface->is_writable = qmp_tls_output_stream_is_writable;
	iface->create_source = qmp_tls_output_stream_create_source;
	iface->write_nonblocking = qmp_tls_output_stream_write_nonblocking;
}

static void
qmp_tls_output_stream_init (QmpTlsOutputStream *self)
{
	g_weak_ref_init (&self->tls, NULL);
}

static void
qmp_tls_output_stream_class_init (QmpTlsOutputStreamClass *klass)
{
	G_OBJECT_CLASS (klass)->finalize = qmp_tls_output_stream_finalize;
	G_OUTPUT_STREAM_CLASS (klass)->write_fn = qmp_tls_output_stream_write;
}
