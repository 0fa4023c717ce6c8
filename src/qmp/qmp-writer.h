/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gio/gunixfdlist.h>

G_BEGIN_DECLS

/* @error: (transfer full): why writing stopped */
typedef void (*QmpWriterFailedFunc) (GError *error, gpointer user_data);
typedef void (*QmpWriterFlushedFunc) (gpointer user_data);

#define QMP_TYPE_WRITER (qmp_writer_get_type ())
G_DECLARE_FINAL_TYPE (QmpWriter, qmp_writer, QMP, WRITER, GObject)

QmpWriter *qmp_writer_new (GMainContext *context, QmpWriterFailedFunc failed,
			   QmpWriterFlushedFunc flushed, gpointer user_data);
void qmp_writer_push (QmpWriter *self, const gchar *text, gsize len, GUnixFDList *fds);
void qmp_writer_start (QmpWriter *self, GIOStream *stream, GSocket *socket, const gchar *peer);
void qmp_writer_flush (QmpWriter *self, guint timeout_seconds);
void qmp_writer_stop (QmpWriter *self);
gboolean qmp_writer_has_pending (QmpWriter *self);
void qmp_writer_kick (QmpWriter *self);

G_END_DECLS
