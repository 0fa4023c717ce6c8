/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gio/gunixfdlist.h>

#include "qmp-message.h"
#include "qmpsh-scanner.h"

G_BEGIN_DECLS

#define QMPSH_PARSE_ERROR qmpsh_parse_error_quark ()
GQuark qmpsh_parse_error_quark (void);

/**
 * QmpshParseError:
 * @QMPSH_PARSE_ERROR_SYNTAX: the line is not in the command language; the
 *   message says at which column and what was expected
 * @QMPSH_PARSE_ERROR_CONFLICT: a key was given twice, or as both a value and
 *   an object
 * @QMPSH_PARSE_ERROR_ENCODING: the line is not valid UTF-8
 * @QMPSH_PARSE_ERROR_LIMIT: the line, or the command it makes, is larger than
 *   QEMU accepts
 */
typedef enum {
	QMPSH_PARSE_ERROR_SYNTAX,
	QMPSH_PARSE_ERROR_CONFLICT,
	QMPSH_PARSE_ERROR_ENCODING,
	QMPSH_PARSE_ERROR_LIMIT,
} QmpshParseError;

/* QEMU's own parser refuses a message larger, deeper or longer than these */
#define QMPSH_LINE_MAX	      (64u << 20)
#define QMPSH_JSON_DEPTH_MAX  1024u
#define QMPSH_JSON_TOKENS_MAX (2u << 20)
/* a dotted key's parts, inside the command and its arguments */
#define QMPSH_KEY_DEPTH_MAX (QMPSH_JSON_DEPTH_MAX - 2)

/**
 * QmpshLineKind:
 * @QMPSH_LINE_EMPTY: blank or a comment: nothing to do
 * @QMPSH_LINE_COMMAND: `name key=value ...`, turned into a QMP command
 * @QMPSH_LINE_RAW: a JSON object the user wrote whole, sent as it is
 * @QMPSH_LINE_BUILTIN: a dot-prefixed shell built-in, with its words
 * @QMPSH_LINE_HMP: an HMP command line, wrapped in human-monitor-command
 * @QMPSH_LINE_CONTINUE: a line inside a transaction: more lines to come
 */
typedef enum {
	QMPSH_LINE_EMPTY,
	QMPSH_LINE_COMMAND,
	QMPSH_LINE_RAW,
	QMPSH_LINE_BUILTIN,
	QMPSH_LINE_HMP,
	QMPSH_LINE_CONTINUE,
} QmpshLineKind;

/**
 * QmpshLine:
 * @kind: what the line is
 * @name: the command or built-in name
 * @json: the message to send (COMMAND and RAW), compact
 * @argv: the built-in's words after its name
 * @redirects: (element-type QmpshRedirect) (nullable): files to pass with it
 */
typedef struct {
	QmpshLineKind kind;
	gchar *name;
	gchar *json;
	gchar **argv;
	GPtrArray *redirects;
} QmpshLine;

/**
 * QmpshParser:
 *
 * The command language, line by line: `transaction(` ... `)` spans lines,
 * and in HMP mode plain lines are HMP commands.
 */
typedef struct _QmpshParser QmpshParser;

QmpshParser *qmpsh_parser_new (void);
void qmpsh_parser_free (QmpshParser *self);
void qmpsh_parser_set_hmp (QmpshParser *self, gboolean hmp);
gboolean qmpsh_parser_get_hmp (QmpshParser *self);
gboolean qmpsh_parser_in_transaction (QmpshParser *self);
void qmpsh_parser_reset (QmpshParser *self);
QmpshLine *qmpsh_parser_feed (QmpshParser *self, const gchar *text, GError **error);

QmpshLine *qmpsh_parse_line (const gchar *text, GError **error);
GUnixFDList *qmpsh_line_open_fds (QmpshLine *line, GArray *inherited, gboolean can_pass,
				  GError **error);
QmpMessage *qmpsh_line_take_message (QmpshLine *line, GError **error);
gboolean qmpsh_line_is_drastic (QmpshLine *line);
void qmpsh_line_free (QmpshLine *line);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmpshLine, qmpsh_line_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmpshParser, qmpsh_parser_free)

G_END_DECLS
