/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmp-tls-input-stream.h"
#include "qmp-tls-private.h"
#include "qmp-tls-source.h"

/**
 * QmpTlsInputStream:
 *
 * The reading half of a #QmpTlsStream: pollable, and readable also when
 * GnuTLS holds decrypted records the socket knows nothing of. It holds the
 * stream weakly, as the stream holds it.
 */
struct _QmpTlsInputStream {
	GInputStream parent_instance;
	GWeakRef tls;
};

static void qmp_tls_input_stream_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_TYPE_WITH_CODE (QmpTlsInputStream, qmp_tls_input_stream, G_TYPE_INPUT_STREAM,
			 G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
						qmp_tls_input_stream_pollable_init))

static QmpTlsStream *
qmp_tls_input_stream_get_tls (QmpTlsInputStream *self, GError **error)
{
	QmpTlsStream *tls = g_weak_ref_get (&self->tls);
	if (tls == NULL)
		g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
				     "the TLS connection is gone");
	return tls;
}

static gboolean
qmp_tls_input_stream_is_readable (GPollableInputStream *pollable)
{
	g_autoptr (QmpTlsStream) tls =
		qmp_tls_input_stream_get_tls (QMP_TLS_INPUT_STREAM (pollable), NULL);
	if (tls == NULL || qmp_tls_stream_is_closed (tls))
		return TRUE; /* a read will say why */
	if (qmp_tls_stream_has_pending (tls))
		return TRUE;
	return g_socket_condition_check (qmp_tls_stream_get_socket (tls),
					 G_IO_IN | G_IO_HUP | G_IO_ERR) != 0;
}

static GSource *
qmp_tls_input_stream_create_source (GPollableInputStream *pollable, GCancellable *cancellable)
{
	g_autoptr (QmpTlsStream) tls =
		qmp_tls_input_stream_get_tls (QMP_TLS_INPUT_STREAM (pollable), NULL);
	g_return_val_if_fail (tls != NULL, NULL);
	return qmp_tls_source_new (tls, G_OBJECT (pollable), G_IO_IN, cancellable);
}

static gssize
qmp_tls_input_stream_read_nonblocking (GPollableInputStream *pollable, void *buffer, gsize count,
				       GError **error)
{
	g_autoptr (QmpTlsStream) tls =
		qmp_tls_input_stream_get_tls (QMP_TLS_INPUT_STREAM (pollable), error);
	if (tls == NULL)
		return -1;
	return qmp_tls_stream_recv (tls, buffer, count, error);
}

static gssize
qmp_tls_input_stream_read (GInputStream *stream, void *buffer, gsize count,
			   GCancellable *cancellable, GError **error)
{
	g_autoptr (QmpTlsStream) tls =
		qmp_tls_input_stream_get_tls (QMP_TLS_INPUT_STREAM (stream), error);

	if (tls == NULL)
		return -1;
	for (;;) {
		g_autoptr (GError) error_local = NULL;
		gssize n = qmp_tls_stream_recv (tls, buffer, count, &error_local);
		if (n >= 0)
			return n;
		if (!g_error_matches (error_local, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
			g_propagate_error (error, g_steal_pointer (&error_local));
			return -1;
		}
		if (!g_socket_condition_wait (qmp_tls_stream_get_socket (tls), G_IO_IN, cancellable,
					      error))
			return -1;
	}
}

/**
 * qmp_tls_input_stream_new:
 * @tls: the stream it is the reading half of
 *
 * Returns: (transfer full): the half, holding @tls weakly
 */
GInputStream *
qmp_tls_input_stream_new (QmpTlsStream *tls)
{
	QmpTlsInputStream *self = g_object_new (QMP_TYPE_TLS_INPUT_STREAM, NULL);
	g_weak_ref_set (&self->tls, tls);
	return G_INPUT_STREAM (self);
}

static void
qmp_tls_input_stream_finalize (GObject *object)
{
	g_weak_ref_clear (&QMP_TLS_INPUT_STREAM (object)->tls);
	G_OBJECT_CLASS (qmp_tls_input_stream_parent_class)->finalize (object);
}

static void
qmp_tls_input_stream_pollable_init (GPollableInputStreamInterface *iface)
{
	iface->is_readable = qmp_tls_input_stream_is_readable;
	iface->create_source = qmp_tls_input_stream_create_source;
	iface->read_nonblocking = qmp_tls_input_stream_read_nonblocking;
}

static void
qmp_tls_input_stream_init (QmpTlsInputStream *self)
{
	g_weak_ref_init (&self->tls, NULL);
}

static void
qmp_tls_input_stream_class_init (QmpTlsInputStreamClass *klass)
{
	G_OBJECT_CLASS (klass)->finalize = qmp_tls_input_stream_finalize;
	G_INPUT_STREAM_CLASS (klass)->read_fn = qmp_tls_input_stream_read;
}
