/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-introspect.h"

/**
 * QmpshIntrospect:
 *
 * What the server says of its own commands, asked once a connection and
 * only when something needs it: the prompt asks at once, batch when a line
 * needs it, so that `qmpsh -c query-version` costs no more than one command.
 * #QmpshIntrospect::changed says when an answer came.
 */
struct _QmpshIntrospect {
	GObject parent_instance;
	QmpClient *client;
	QmpSchema *schema;
	gboolean loading;
	gchar *error; /* the server has no schema to give, and why */
};

G_DEFINE_FINAL_TYPE (QmpshIntrospect, qmpsh_introspect, G_TYPE_OBJECT)

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/**
 * qmpsh_introspect_new:
 * @client: the client to ask
 *
 * Returns: (transfer full): an introspection that knows nothing yet
 */
QmpshIntrospect *
qmpsh_introspect_new (QmpClient *client)
{
	QmpshIntrospect *self = g_object_new (QMPSH_TYPE_INTROSPECT, NULL);
	self->client = g_object_ref (client);
	return self;
}

static void
qmpsh_introspect_schema_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshIntrospect) self = QMPSH_INTROSPECT (user_data);
	g_autoptr (GError) error = NULL;
	g_autoptr (JsonNode) ret = qmp_client_execute_finish (QMP_CLIENT (source), res, &error);

	if (!self->loading)
		return; /* reset meanwhile: the answer is for another connection */
	self->loading = FALSE;
	if (ret != NULL)
		self->schema = qmp_schema_new (ret, &error);
	if (self->schema == NULL)
		self->error =
			g_strdup_printf ("the server describes no commands (%s)", error->message);
	g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/**
 * qmpsh_introspect_fetch:
 * @self: an introspection
 *
 * Asks for the server's schema, unless it is in, on its way, or known not
 * to come.
 */
void
qmpsh_introspect_fetch (QmpshIntrospect *self)
{
	if (self->schema != NULL || self->loading || self->error != NULL)
		return;
	if (qmp_protocol_get_runstate (QMP_PROTOCOL (self->client)) != QMP_RUNSTATE_RUNNING) {
		self->error = g_strdup ("not connected");
		return;
	}
	self->loading = TRUE;
	qmp_client_execute_async (self->client, "query-qmp-schema", NULL, QMP_EXECUTE_FLAG_NONE,
				  NULL, qmpsh_introspect_schema_cb, g_object_ref (self));
}

/**
 * qmpsh_introspect_reset:
 * @self: an introspection
 *
 * A new connection, perhaps to another QEMU: what was known is forgotten.
 */
void
qmpsh_introspect_reset (QmpshIntrospect *self)
{
	g_clear_object (&self->schema);
	g_clear_pointer (&self->error, g_free);
	self->loading = FALSE;
}

/**
 * qmpsh_introspect_get_schema:
 * @self: an introspection
 *
 * Returns: (transfer none) (nullable): the server's schema, once it is in
 */
QmpSchema *
qmpsh_introspect_get_schema (QmpshIntrospect *self)
{
	return self->schema;
}

/**
 * qmpsh_introspect_get_error:
 * @self: an introspection
 *
 * Returns: (nullable): why there is no schema, once that is known
 */
const gchar *
qmpsh_introspect_get_error (QmpshIntrospect *self)
{
	return self->error;
}

static void
qmpsh_introspect_dispose (GObject *object)
{
	QmpshIntrospect *self = QMPSH_INTROSPECT (object);
	g_clear_object (&self->client);
	g_clear_object (&self->schema);
	G_OBJECT_CLASS (qmpsh_introspect_parent_class)->dispose (object);
}

static void
qmpsh_introspect_finalize (GObject *object)
{
	g_free (QMPSH_INTROSPECT (object)->error);
	G_OBJECT_CLASS (qmpsh_introspect_parent_class)->finalize (object);
}

static void
qmpsh_introspect_init (QmpshIntrospect *self)
{
}

static void
qmpsh_introspect_class_init (QmpshIntrospectClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS (klass);
	object_class->dispose = qmpsh_introspect_dispose;
	object_class->finalize = qmpsh_introspect_finalize;

	/**
	 * QmpshIntrospect::changed:
	 * @self: the introspection
	 *
	 * An answer came: the schema, or why there is none.
	 */
	signals[SIGNAL_CHANGED] =
		g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
			      NULL, NULL, G_TYPE_NONE, 0);
}
