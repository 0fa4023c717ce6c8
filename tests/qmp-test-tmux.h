/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * qmpsh in a real terminal: a private tmux server in the test's directory
 * runs it in a session "s"; send-keys types, capture-pane reads the screen.
 * Under the valgrind test setup qmpsh runs under valgrind there too, and
 * what valgrind says fails the test when the terminal is freed.
 */
typedef struct _QmpTestTmux QmpTestTmux;

QmpTestTmux *qmp_test_tmux_new (const gchar *dir);
void qmp_test_tmux_free (QmpTestTmux *t);
void qmp_test_tmux_run (QmpTestTmux *t, const gchar *const *args, gchar **out);
void qmp_test_tmux_keys (QmpTestTmux *t, const gchar *const *keys);
gchar *qmp_test_tmux_screen (QmpTestTmux *t);
gchar *qmp_test_tmux_screen_styled (QmpTestTmux *t);
void qmp_test_tmux_set_env (QmpTestTmux *t, const gchar *env);
gchar *qmp_test_tmux_last_line (QmpTestTmux *t);
void qmp_test_tmux_wait_for (QmpTestTmux *t, const gchar *text, guint seconds);
guint qmp_test_tmux_cursor_x (QmpTestTmux *t);
void qmp_test_tmux_start (QmpTestTmux *t, const gchar *args, const gchar *ready);
void qmp_test_tmux_start_command (QmpTestTmux *t, const gchar *cmd, const gchar *ready);
void qmp_test_tmux_leave (QmpTestTmux *t);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmpTestTmux, qmp_test_tmux_free)

G_END_DECLS
