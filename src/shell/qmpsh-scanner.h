/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <glib.h>

#include "qmpsh-output.h"

G_BEGIN_DECLS

/**
 * QmpshScanner:
 * @line: the whole line, for columns in messages
 * @p: where scanning is
 *
 * The words of a line of the command language: names, quoted and bare
 * values, separators, redirections.
 */
typedef struct {
	const gchar *line;
	const gchar *p;
} QmpshScanner;

/**
 * QmpshRedirect:
 * @flags: how to open @path: O_RDONLY (`<`), O_WRONLY|O_CREAT|O_TRUNC
 *   (`fd>`) or O_RDWR|O_CREAT (`<>`)
 * @path: (nullable): the file, or %NULL for an inherited descriptor; for an
 *   output, the file or the shell command
 * @fd: the inherited descriptor (`<&N`), or -1
 * @output: 0 for a file to pass with the command, as `getfd fdname=log
 *   fd>/tmp/vm.log`; else where the reply goes: `>FILE`, `>>FILE`, `| CMD`
 */
typedef struct {
	gint flags;
	gchar *path;
	gint fd;
	QmpshOutputKind output;
} QmpshRedirect;

guint qmpsh_scanner_column (QmpshScanner *s, const gchar *at);
void qmpsh_scanner_skip_ws (QmpshScanner *s);
gboolean qmpsh_scanner_is_key_char (gchar c);
gchar qmpsh_scanner_separator (QmpshScanner *s);
const gchar *qmpsh_scanner_name_span (QmpshScanner *s, const gchar *what, gsize *len,
				      GError **error);
gchar *qmpsh_scanner_name (QmpshScanner *s, const gchar *what, GError **error);
gboolean qmpsh_scanner_quoted (QmpshScanner *s, GString *value, GError **error);
gboolean qmpsh_scanner_bare (QmpshScanner *s, const gchar **start, gsize *len, GError **error);
QmpshRedirect *qmpsh_scanner_redirect (QmpshScanner *s, GError **error);
void qmpsh_scanner_redirect_free (QmpshRedirect *redirect);

G_END_DECLS
