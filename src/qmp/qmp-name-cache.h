/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define QMP_NAME_CACHE_SIZE 8

/**
 * QmpNameCache:
 *
 * The quarks of the last few names seen, for a signal's detail: events
 * come in a few names taken in turn (`STOP`, `RESUME`, ...), and a string
 * compared with a handful of others costs less than the quark table's hash
 * and lock. Embedded in its owner; zero-filled is empty.
 */
typedef struct {
	const gchar *names[QMP_NAME_CACHE_SIZE]; /* interned: owned by the quark table */
	GQuark quarks[QMP_NAME_CACHE_SIZE];
	guint next; /* the slot the next new name takes */
} QmpNameCache;

GQuark qmp_name_cache_lookup (QmpNameCache *self, const gchar *name);

G_END_DECLS
