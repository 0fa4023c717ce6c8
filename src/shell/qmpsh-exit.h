/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * QmpshExit:
 * @QMPSH_EXIT_OK: every command succeeded
 * @QMPSH_EXIT_COMMAND: some command returned an error, or a line did not parse
 * @QMPSH_EXIT_USAGE: the command line was wrong
 * @QMPSH_EXIT_CONNECTION: the connection failed or was lost
 * @QMPSH_EXIT_OUTPUT: the output, or the `--log` transcript, could not be written
 * @QMPSH_EXIT_SIGHUP: the terminal hung up (128 + SIGHUP)
 * @QMPSH_EXIT_SIGINT: interrupted by Ctrl-C (128 + SIGINT)
 * @QMPSH_EXIT_PIPE: the reader of the output went away (128 + SIGPIPE, as a
 *   filter killed by SIGPIPE reports it)
 * @QMPSH_EXIT_SIGTERM: terminated (128 + SIGTERM)
 *
 * The exit status of a run; when several apply, the largest.
 */
typedef enum {
	QMPSH_EXIT_OK = 0,
	QMPSH_EXIT_COMMAND = 1,
	QMPSH_EXIT_USAGE = 2,
	QMPSH_EXIT_CONNECTION = 3,
	QMPSH_EXIT_OUTPUT = 4,
	QMPSH_EXIT_SIGHUP = 129,
	QMPSH_EXIT_SIGINT = 130,
	QMPSH_EXIT_PIPE = 141,
	QMPSH_EXIT_SIGTERM = 143,
} QmpshExit;

G_END_DECLS
