/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmp-name-cache.h"

#include <string.h>

/**
 * qmp_name_cache_lookup:
 * @self: a cache
 * @name: a name
 *
 * Returns: the quark of @name, as g_quark_from_string() gives it
 */
GQuark
qmp_name_cache_lookup (QmpNameCache *self, const gchar *name)
{
	GQuark quark;

	for (guint i = 0; i < QMP_NAME_CACHE_SIZE && self->names[i] != NULL; i++) {
		if (strcmp (self->names[i], name) == 0)
			return self->quarks[i];
	}
	quark = g_quark_from_string (name);
	self->names[self->next] = g_quark_to_string (quark);
	self->quarks[self->next] = quark;
	self->next = (self->next + 1) % QMP_NAME_CACHE_SIZE;
	return quark;
}
