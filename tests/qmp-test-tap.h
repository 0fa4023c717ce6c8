/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * A tap on a monitor: a UNIX socket that forwards one client to a real
 * QEMU's monitor and back, and keeps the bytes the client sent, so that a
 * test checks what went over the wire, from either front end.
 */
typedef struct _QmpTestTap QmpTestTap;

QmpTestTap *qmp_test_tap_new (const gchar *path, const gchar *monitor);
gchar *qmp_test_tap_dup_sent (QmpTestTap *tap);
void qmp_test_tap_free (QmpTestTap *tap);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmpTestTap, qmp_test_tap_free)

/* what a run of some lines did */
typedef struct {
	gchar *wire; /* what qmpsh sent, its own ids taken out */
	gchar *seen; /* what it showed: stdout and stderr, or the terminal */
	gint status; /* batch: the exit status */
} QmpTestSeen;

QmpTestSeen *qmp_test_tap_lines (const gchar *mode, const gchar *dir, const gchar *monitor,
				 const gchar *const *args, const gchar *const *lines);
void qmp_test_seen_free (QmpTestSeen *seen);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmpTestSeen, qmp_test_seen_free)

G_END_DECLS
