/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gio/gunixfdlist.h>

#include "qmp-message.h"
#include "qmpsh-line.h"

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
void qmpsh_parser_set_aliases (QmpshParser *self, GHashTable *aliases);
GHashTable *qmpsh_parser_get_aliases (QmpshParser *self);
gboolean qmpsh_parser_in_transaction (QmpshParser *self);
gboolean qmpsh_parser_is_continuing (QmpshParser *self);
void qmpsh_parser_reset (QmpshParser *self);
QmpshLine *qmpsh_parser_feed (QmpshParser *self, const gchar *text, GError **error);
gboolean qmpsh_parser_check_limits (const gchar *json, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmpshParser, qmpsh_parser_free)

G_END_DECLS
