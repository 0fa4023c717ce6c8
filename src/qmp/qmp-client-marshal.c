/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmp-client-marshal.h"

/*
 * The marshallers of QmpClient::event, emitted once per event: GLib's
 * generic one for (string, boxed) goes through libffi, and copies both.
 * These call the handler straight, the arguments in static scope.
 */

typedef void (*QmpClientEventFunc) (gpointer instance, const gchar *name, gpointer message,
				    gpointer user_data);

void
qmp_client_marshal_event (GClosure *closure, GValue *return_value, guint n_params,
			  const GValue *params, gpointer hint, gpointer marshal_data)
{
	GCClosure *cc = (GCClosure *)closure;
	gpointer instance = g_value_peek_pointer (params + 0);
	QmpClientEventFunc callback =
		(QmpClientEventFunc)(marshal_data != NULL ? marshal_data : cc->callback);

	g_return_if_fail (n_params == 3);
	if (G_CCLOSURE_SWAP_DATA (closure))
		callback (closure->data, g_value_get_string (params + 1),
			  g_value_get_boxed (params + 2), instance);
	else
		callback (instance, g_value_get_string (params + 1), g_value_get_boxed (params + 2),
			  closure->data);
}

void
qmp_client_marshal_eventv (GClosure *closure, GValue *return_value, gpointer instance, va_list args,
			   gpointer marshal_data, gint n_params, GType *param_types)
{
	GCClosure *cc = (GCClosure *)closure;
	QmpClientEventFunc callback =
		(QmpClientEventFunc)(marshal_data != NULL ? marshal_data : cc->callback);
	const gchar *name;
	gpointer message;
	va_list copy;

	G_VA_COPY (copy, args);
	name = va_arg (copy, const gchar *);
	message = va_arg (copy, gpointer);
	va_end (copy);
	if (G_CCLOSURE_SWAP_DATA (closure))
		callback (closure->data, name, message, instance);
	else
		callback (instance, name, message, closure->data);
}
