/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <glib.h>

#include "qmp-scan.h"

G_BEGIN_DECLS

/* The default cap on one message: QEMU itself accepts up to 64 MiB per message. */
#define QMP_FRAMER_DEFAULT_MAX_SIZE (64 * 1024 * 1024)

/**
 * QmpFramer:
 *
 * Cuts a byte stream into complete JSON objects by structure (nesting depth,
 * strings and backslash escapes), never by newline, so compact and pretty
 * monitors, split reads and several messages in one read all work. Scanning is
 * incremental: every byte is looked at once, however the stream is split.
 */
typedef struct _QmpFramer QmpFramer;

QmpFramer *qmp_framer_new (gsize max_size);
void qmp_framer_free (QmpFramer *self);
void qmp_framer_set_skip_delimiter (QmpFramer *self, gboolean skip);
void qmp_framer_push (QmpFramer *self, const gchar *data, gsize len);
gchar *qmp_framer_next (QmpFramer *self, gsize *len, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gchar *qmp_framer_take (QmpFramer *self, gsize *len, QmpScan *scan, gboolean *scanned,
			GError **error) G_GNUC_WARN_UNUSED_RESULT;
gsize qmp_framer_get_pending (QmpFramer *self);
gboolean qmp_framer_is_idle (QmpFramer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmpFramer, qmp_framer_free)

G_END_DECLS
