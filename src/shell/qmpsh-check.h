/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmp-schema.h"
#include "qmpsh-parser.h"

G_BEGIN_DECLS

#define QMPSH_CHECK_ERROR qmpsh_check_error_quark ()
GQuark qmpsh_check_error_quark (void);

/**
 * QmpshCheckError:
 * @QMPSH_CHECK_ERROR_UNKNOWN_COMMAND: the server has no such command
 * @QMPSH_CHECK_ERROR_UNKNOWN_ARGUMENT: the command (or the device, the
 *   branch of a union) takes no such argument
 * @QMPSH_CHECK_ERROR_MISSING_ARGUMENT: a required argument is not given
 * @QMPSH_CHECK_ERROR_WRONG_TYPE: a value is not of the argument's type
 * @QMPSH_CHECK_ERROR_REFUSED: the server said no to what the check asked
 *   it (no such device type)
 *
 * Why a line was refused before it was sent; the message says what was
 * expected, with the names closest to what was typed.
 */
typedef enum {
	QMPSH_CHECK_ERROR_UNKNOWN_COMMAND,
	QMPSH_CHECK_ERROR_UNKNOWN_ARGUMENT,
	QMPSH_CHECK_ERROR_MISSING_ARGUMENT,
	QMPSH_CHECK_ERROR_WRONG_TYPE,
	QMPSH_CHECK_ERROR_REFUSED,
} QmpshCheckError;

gchar *qmpsh_check_suggest (GPtrArray *names, const gchar *wrong);
gboolean qmpsh_check_command (QmpSchema *schema, const gchar *name, GError **error);

G_END_DECLS
