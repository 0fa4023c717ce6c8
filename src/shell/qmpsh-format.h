/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmp-message.h"

G_BEGIN_DECLS

/**
 * QmpshFormatFlags:
 * @QMPSH_FORMAT_NONE: compact, one line
 * @QMPSH_FORMAT_PRETTY: indented, two spaces a level
 * @QMPSH_FORMAT_COLOR: ANSI colours for keys, strings, numbers and literals
 * @QMPSH_FORMAT_SORT_KEYS: object members sorted by key
 * @QMPSH_FORMAT_DROP_ID: leave out the top-level `id` (one qmpsh added itself)
 */
typedef enum {
	QMPSH_FORMAT_NONE = 0,
	QMPSH_FORMAT_PRETTY = 1 << 0,
	QMPSH_FORMAT_COLOR = 1 << 1,
	QMPSH_FORMAT_SORT_KEYS = 1 << 2,
	QMPSH_FORMAT_DROP_ID = 1 << 3,
} QmpshFormatFlags;

void qmpsh_format_json (GString *out, const gchar *text, gsize len, QmpshFormatFlags flags);
void qmpsh_format_json_tagged (GString *out, const gchar *text, gsize len, QmpshFormatFlags flags,
			       const gchar *key, const gchar *value);
gchar *qmpsh_format_hmp (QmpMessage *reply);
void qmpsh_format_json_string (GString *out, const gchar *text, gsize len);
gchar *qmpsh_format_excerpt (const gchar *text, gssize len);
gchar *qmpsh_format_wrap (const gchar *text, glong width) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
