/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

void qmp_client_marshal_event (GClosure *closure, GValue *return_value, guint n_params,
			       const GValue *params, gpointer hint, gpointer marshal_data);
void qmp_client_marshal_eventv (GClosure *closure, GValue *return_value, gpointer instance,
				va_list args, gpointer marshal_data, gint n_params,
				GType *param_types);

G_END_DECLS
