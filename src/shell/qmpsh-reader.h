/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * QmpshReaderStatus:
 * @QMPSH_READER_LINE: a line
 * @QMPSH_READER_AGAIN: no whole line yet: wait for #QmpshReader::input
 * @QMPSH_READER_END: the input ended (after its last line)
 * @QMPSH_READER_TOO_LONG: a line longer than QEMU reads was dropped
 * @QMPSH_READER_FAILED: the input could not be read; the message says why
 */
typedef enum {
	QMPSH_READER_LINE,
	QMPSH_READER_AGAIN,
	QMPSH_READER_END,
	QMPSH_READER_TOO_LONG,
	QMPSH_READER_FAILED,
} QmpshReaderStatus;

#define QMPSH_TYPE_READER (qmpsh_reader_get_type ())
G_DECLARE_FINAL_TYPE (QmpshReader, qmpsh_reader, QMPSH, READER, GObject)

QmpshReader *qmpsh_reader_new (gint fd);
QmpshReader *qmpsh_reader_new_branch (QmpshReader *parent);
void qmpsh_reader_close (QmpshReader *self);
QmpshReaderStatus qmpsh_reader_next (QmpshReader *self, const gchar **line, gsize *len,
				     gchar **message);
void qmpsh_reader_set_wanted (QmpshReader *self, gboolean wanted);

G_END_DECLS
