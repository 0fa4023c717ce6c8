/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-spawn-monitor.h"
#include "qmpsh-conform.h"

#include <glib/gstdio.h>
#include <unistd.h>

/*
 * `.spawn-monitor PATH`: a second QMP monitor on a running QEMU, for
 * another tool to attach to while qmpsh keeps its own. A QEMU whose
 * monitors are QOM objects (monitor-qmp, QEMU 11.1 on) takes one at run
 * time: a socket chardev listening on PATH (chardev-add), then the monitor
 * on it (object-add). Older ones cannot, and the step says what to do.
 */

typedef enum {
	SPAWN_SCHEMA,  /* waiting for the schema, to know whether it can */
	SPAWN_CHARDEV, /* chardev-add sent */
	SPAWN_OBJECT,  /* object-add sent */
	SPAWN_UNDO,    /* object-add failed: chardev-remove sent */
} SpawnStage;

typedef struct {
	QmpshSession *session; /* not a reference: the step goes first */
	gchar *path;	       /* absolute */
	gchar *id;	       /* the chardev's and the monitor object's */
	SpawnStage stage;
	gboolean waiting;   /* a command is out */
	JsonNode *ret;	    /* its reply */
	GError *error;	    /* or why none */
	gchar *refused;	    /* why object-add failed, said once the chardev is gone */
	GCancellable *gone; /* cancelled when the step is: a reply then has no one to hear it */
} Spawn;

typedef struct {
	Spawn *spawn; /* not a reference: valid while @gone is not cancelled */
	GCancellable *gone;
} SpawnCall;

static void
spawn_free (Spawn *spawn)
{
	g_cancellable_cancel (spawn->gone);
	g_object_unref (spawn->gone);
	g_clear_pointer (&spawn->ret, json_node_unref);
	g_clear_error (&spawn->error);
	g_free (spawn->refused);
	g_free (spawn->path);
	g_free (spawn->id);
	g_free (spawn);
}

/**
 * qmpsh_spawn_monitor_supported:
 * @schema: a server's schema
 *
 * Returns: whether object-add takes qom-type=monitor-qmp: a QMP monitor
 *   can be added while QEMU runs
 */
gboolean
qmpsh_spawn_monitor_supported (QmpSchema *schema)
{
	const QmpSchemaEntry *add = qmp_schema_lookup (schema, "object-add");
	const gchar *type = NULL;
	const QmpSchemaEntry *types;

	if (add == NULL || add->meta != QMP_SCHEMA_META_COMMAND || add->arg_type == NULL)
		return FALSE;
	type = qmpsh_conform_walk (schema, add->arg_type, NULL, "qom-type", NULL);
	types = type != NULL ? qmp_schema_lookup (schema, type) : NULL;
	return types != NULL && types->meta == QMP_SCHEMA_META_ENUM && types->values != NULL &&
	       g_strv_contains ((const gchar *const *)types->values, "monitor-qmp");
}

static void
spawn_replied_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	SpawnCall *call = user_data;
	g_autoptr (GError) error = NULL;
	g_autoptr (JsonNode) ret = qmp_client_execute_finish (QMP_CLIENT (source), res, &error);
	Spawn *spawn = call->spawn;

	if (!g_cancellable_is_cancelled (call->gone)) {
		spawn->waiting = FALSE;
		spawn->ret = g_steal_pointer (&ret);
		spawn->error = g_steal_pointer (&error);
		qmpsh_session_poke (spawn->session);
	}
	g_object_unref (call->gone);
	g_free (call);
}

static void
spawn_send (Spawn *spawn, SpawnStage stage, const gchar *name, JsonObject *args)
{
	SpawnCall *call = g_new0 (SpawnCall, 1);

	call->spawn = spawn;
	call->gone = g_object_ref (spawn->gone);
	g_clear_pointer (&spawn->ret, json_node_unref);
	g_clear_error (&spawn->error);
	spawn->stage = stage;
	spawn->waiting = TRUE;
	qmp_client_execute_async (qmpsh_session_get_client (spawn->session), name, args,
				  QMP_EXECUTE_FLAG_NONE, NULL, spawn_replied_cb, call);
}

/* a socket chardev listening on the path, taking no client yet */
static void
spawn_chardev_add (Spawn *spawn)
{
	g_autoptr (JsonObject) args = json_object_new ();
	JsonObject *backend = json_object_new ();
	JsonObject *data = json_object_new ();
	JsonObject *addr = json_object_new ();
	JsonObject *unix_data = json_object_new ();

	json_object_set_string_member (unix_data, "path", spawn->path);
	json_object_set_string_member (addr, "type", "unix");
	json_object_set_object_member (addr, "data", unix_data);
	json_object_set_object_member (data, "addr", addr);
	json_object_set_boolean_member (data, "server", TRUE);
	json_object_set_boolean_member (data, "wait", FALSE);
	json_object_set_string_member (backend, "type", "socket");
	json_object_set_object_member (backend, "data", data);
	json_object_set_string_member (args, "id", spawn->id);
	json_object_set_object_member (args, "backend", backend);
	spawn_send (spawn, SPAWN_CHARDEV, "chardev-add", args);
}

static void
spawn_object_add (Spawn *spawn)
{
	g_autoptr (JsonObject) args = json_object_new ();

	json_object_set_string_member (args, "qom-type", "monitor-qmp");
	json_object_set_string_member (args, "id", spawn->id);
	json_object_set_string_member (args, "chardev", spawn->id);
	spawn_send (spawn, SPAWN_OBJECT, "object-add", args);
}

static void
spawn_chardev_remove (Spawn *spawn)
{
	g_autoptr (JsonObject) args = json_object_new ();

	json_object_set_string_member (args, "id", spawn->id);
	spawn_send (spawn, SPAWN_UNDO, "chardev-remove", args);
}

static void
spawn_fail (Spawn *spawn, QmpshStep *step, gchar *text)
{
	g_autofree gchar *owned = text;
	qmpsh_session_finish (spawn->session, step, QMPSH_ITEM_FAILURE,
			      g_strdup_printf (".spawn-monitor %s: %s", spawn->path, owned), NULL,
			      TRUE);
}

/* its turn: is the path free, and can this QEMU add a monitor? */
static void
spawn_begin (Spawn *spawn, QmpshStep *step)
{
	QmpshIntrospect *introspect = qmpsh_session_get_introspect (spawn->session);
	QmpSchema *schema;
	GStatBuf st;

	/* QEMU would replace what is there: a file of the user's, another VM's socket */
	if (g_lstat (spawn->path, &st) == 0) {
		spawn_fail (spawn, step,
			    g_strdup ("something is there already; name a path that does not "
				      "exist (nothing sent)"));
		return;
	}
	qmpsh_introspect_fetch (introspect);
	schema = qmpsh_introspect_get_schema (introspect);
	if (schema == NULL && qmpsh_introspect_get_error (introspect) == NULL)
		return; /* poked when it comes */
	if (schema == NULL) {
		spawn_fail (spawn, step,
			    g_strdup_printf ("cannot tell whether this QEMU can add a monitor: %s "
					     "(nothing sent)",
					     qmpsh_introspect_get_error (introspect)));
		return;
	}
	if (!qmpsh_spawn_monitor_supported (schema)) {
		spawn_fail (spawn, step,
			    g_strdup ("this QEMU cannot add a QMP monitor while it runs (its "
				      "object-add has no monitor-qmp); start it with a second "
				      "-qmp unix:PATH,server=on,wait=off instead (nothing sent)"));
		return;
	}
	spawn_chardev_add (spawn);
}

/* a reply came: the next command, or the end */
static void
spawn_next (Spawn *spawn, QmpshStep *step)
{
	const gchar *why = spawn->error != NULL ? spawn->error->message : NULL;

	switch (spawn->stage) {
	case SPAWN_CHARDEV:
		if (why != NULL)
			spawn_fail (spawn, step, g_strdup_printf ("chardev-add: %s", why));
		else
			spawn_object_add (spawn);
		return;
	case SPAWN_OBJECT:
		if (why != NULL) {
			/* a chardev with no monitor on it is of no use: it goes again */
			spawn->refused = g_strdup (why);
			spawn_chardev_remove (spawn);
			return;
		}
		qmpsh_introspect_forget_qom (qmpsh_session_get_introspect (spawn->session));
		qmpsh_session_finish (
			spawn->session, step, QMPSH_ITEM_TEXT,
			qmpsh_session_get_interactive (spawn->session)
				? g_strdup_printf ("%s: a QMP monitor (chardev and object %s); "
						   "qmpsh %s attaches\n",
						   spawn->path, spawn->id, spawn->path)
				: g_strdup_printf ("%s\n", spawn->path),
			NULL, FALSE);
		return;
	case SPAWN_UNDO:
		if (why != NULL)
			spawn_fail (spawn, step,
				    g_strdup_printf ("object-add: %s; and chardev-remove id=%s "
						     "failed too: %s",
						     spawn->refused, spawn->id, why));
		else
			spawn_fail (
				spawn, step,
				g_strdup_printf ("object-add: %s (its chardev is removed again)",
						 spawn->refused));
		return;
	case SPAWN_SCHEMA:
	default:
		spawn_begin (spawn, step);
		return;
	}
}

static void
step_spawn (gpointer owner, QmpshStep *step, QmpshStepWhy why)
{
	Spawn *spawn = step->data;

	if (why == QMPSH_STEP_LOST || qmpsh_session_is_lost (spawn->session)) {
		spawn_fail (spawn, step, g_strdup ("no monitor added: the connection is gone"));
		return;
	}
	if (why == QMPSH_STEP_INTERRUPT) {
		qmpsh_session_finish (
			spawn->session, step, QMPSH_ITEM_NOTE,
			spawn->stage == SPAWN_SCHEMA
				? g_strdup (".spawn-monitor: stopped; nothing sent")
				: g_strdup_printf (
					  ".spawn-monitor: stopped waiting; QEMU may have "
					  "chardev %s now (chardev-remove id=%s removes it)",
					  spawn->id, spawn->id),
			NULL, FALSE);
		return;
	}
	if (!spawn->waiting)
		spawn_next (spawn, step);
}

/**
 * qmpsh_spawn_monitor_act:
 * @session: the session
 * @lineno: the line
 * @path: where the new monitor listens; relative to qmpsh's directory
 *
 * Adds the step that adds the monitor, in its turn: it says the monitor's
 * address, or one line on why there is none.
 */
void
qmpsh_spawn_monitor_act (QmpshSession *session, guint lineno, const gchar *path)
{
	static guint made;
	Spawn *spawn;

	/* the monitor takes any command, whoever reaches the socket */
	if (qmpsh_session_get_read_only (session)) {
		qmpsh_session_say (session, QMPSH_ITEM_FAILURE, lineno,
				   g_strdup (".spawn-monitor adds a monitor that may change the "
					     "VM: --read-only lets only queries through (nothing "
					     "sent)"));
		return;
	}
	spawn = g_new0 (Spawn, 1);
	spawn->session = session;
	/* QEMU's directory need not be ours: the path it gets is whole */
	spawn->path = g_canonicalize_filename (path, NULL);
	/* unique on the VM, whichever qmpsh asks */
	spawn->id = g_strdup_printf ("qmpsh-monitor-%d-%u", (gint)getpid (), ++made);
	spawn->gone = g_cancellable_new ();
	qmpsh_session_act (session, lineno, ".spawn-monitor", TRUE, step_spawn, spawn,
			   (GDestroyNotify)spawn_free);
}
