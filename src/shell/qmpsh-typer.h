/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmp-schema.h"
#include "qmpsh-line.h"
#include "qmpsh-props.h"

G_BEGIN_DECLS

/**
 * QmpshTyper:
 * @schema: the server's schema
 * @props: (nullable): where device and QOM properties come from, for the
 *   commands whose schema does not tell the whole truth
 * @data: for @props
 */
typedef struct {
	QmpSchema *schema;
	QmpshPropsFunc props;
	gpointer data;
} QmpshTyper;

/**
 * QmpshTyperResult:
 * @QMPSH_TYPER_DONE: the line's JSON is typed (or needs no typing)
 * @QMPSH_TYPER_WAIT: properties are being asked for: try again once they came
 * @QMPSH_TYPER_REFUSED: the line is wrong; the error says how
 */
typedef enum {
	QMPSH_TYPER_DONE,
	QMPSH_TYPER_WAIT,
	QMPSH_TYPER_REFUSED,
} QmpshTyperResult;

gboolean qmpsh_typer_wants_schema (const QmpshLine *line);
QmpshTyperResult qmpsh_typer_type_line (const QmpshTyper *typer, QmpshLine *line, GError **error);

G_END_DECLS
