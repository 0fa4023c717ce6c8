/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * QmpshValueInt:
 * @QMPSH_VALUE_INT_PLAIN: a decimal or 0x hexadecimal integer
 * @QMPSH_VALUE_INT_SIZE: that, or a size with a suffix: 1G, 1.5M, 512k
 *
 * How an integer may be written.
 */
typedef enum {
	QMPSH_VALUE_INT_PLAIN,
	QMPSH_VALUE_INT_SIZE,
} QmpshValueInt;

gboolean qmpsh_value_is_json_number (const gchar *text, gsize len);
gboolean qmpsh_value_parse_bool (const gchar *text, gboolean *value);
gchar *qmpsh_value_parse_int (const gchar *text, QmpshValueInt how, gint64 min, guint64 max,
			      gchar **why) G_GNUC_WARN_UNUSED_RESULT;
gboolean qmpsh_value_int_range (const gchar *type, gint64 *min, guint64 *max);

G_END_DECLS
