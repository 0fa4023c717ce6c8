/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmp-schema.h"
#include "qmpsh-props.h"

G_BEGIN_DECLS

gchar *qmpsh_help_summary (gboolean interactive);
gchar *qmpsh_help_describe (QmpSchema *schema, gchar **words, const QmpshProps *props,
			    GError **error);

G_END_DECLS
