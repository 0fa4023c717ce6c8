/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmp-client.h"
#include "qmp-schema.h"

G_BEGIN_DECLS

gchar *qmpsh_schema_cache_key (QmpClient *client) G_GNUC_WARN_UNUSED_RESULT;
QmpSchema *qmpsh_schema_cache_load (const gchar *dir, const gchar *key, gchar **sum);
gchar *qmpsh_schema_cache_sum (GBytes *index) G_GNUC_WARN_UNUSED_RESULT;
void qmpsh_schema_cache_save (const gchar *dir, const gchar *key, GBytes *index, const gchar *sum);

G_END_DECLS
