/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "qmp-scan.h"

G_BEGIN_DECLS

/*
 * @text: (transfer full) (nullable): one framed message, NUL-terminated; or
 * %NULL, when @scan holds it: what the framer's one pass learnt of it, checked
 * and compact, good until the callback returns. Returns FALSE to stop reading.
 */
typedef gboolean (*QmpReaderMessageFunc) (gchar *text, gsize len, const QmpScan *scan,
					  gpointer user_data);
/* after the messages of one read are handed on: what they brought about may go out now */
typedef void (*QmpReaderDrainedFunc) (gpointer user_data);
/* @error: (transfer full): why reading stopped: the peer closed, or broke the framing */
typedef void (*QmpReaderFailedFunc) (GError *error, gpointer user_data);

#define QMP_TYPE_READER (qmp_reader_get_type ())
G_DECLARE_FINAL_TYPE (QmpReader, qmp_reader, QMP, READER, GObject)

QmpReader *qmp_reader_new (GInputStream *input, gsize max_message_size, const gchar *peer,
			   GMainContext *context, QmpReaderMessageFunc message,
			   QmpReaderDrainedFunc drained, QmpReaderFailedFunc failed,
			   gpointer user_data);
void qmp_reader_set_skip_delimiter (QmpReader *self, gboolean skip);
void qmp_reader_stop (QmpReader *self);

G_END_DECLS
