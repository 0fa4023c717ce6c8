/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gchar *qmpsh_hints_for_error (const GError *error) G_GNUC_WARN_UNUSED_RESULT;
gchar *qmpsh_hints_for_connect (const GError *error,
				const gchar *address) G_GNUC_WARN_UNUSED_RESULT;
gchar *qmpsh_hints_describe (const GError *error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
