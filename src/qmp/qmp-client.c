/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define G_LOG_DOMAIN "qmp"

#include "qmp-client.h"
#include "qmp-client-marshal.h"
#include "qmp-command-queue.h"
#include "qmp-command-error.h"
#include "qmp-error.h"
#include "qmp-name-cache.h"
#include "qmp-source.h"

#define QMP_CLIENT_DEFAULT_GREETING_TIMEOUT 5000 /* ms */

typedef enum {
	SESSION_NONE,
	SESSION_GREETING,
	SESSION_NEGOTIATING,
	SESSION_SYNCING, /* the guest agent: guest-sync-delimited */
} QmpSessionState;

struct _QmpClient {
	QmpProtocol parent_instance;

	gboolean negotiate;
	gboolean guest_agent;
	gint64 sync_id;
	guint greeting_timeout;
	guint command_timeout;

	QmpMessage *greeting;
	gboolean oob_enabled;

	QmpCommandQueue *commands;

	QmpSessionState session;
	GTask *session_task;
	GSource *greeting_timer;
	GSource *session_cancel;

	QmpNameCache event_names; /* the quarks of the event names seen last */
	QmpClientEventFunc event_func;
	gpointer event_data;
};

G_DEFINE_TYPE (QmpClient, qmp_client, QMP_TYPE_PROTOCOL)

enum { PROP_0, PROP_NEGOTIATE, PROP_GREETING_TIMEOUT, PROP_COMMAND_TIMEOUT, N_PROPS };
static GParamSpec *props[N_PROPS];

enum { SIGNAL_EVENT, N_SIGNALS };
static guint signals[N_SIGNALS];

/* out-of-band execution limits the in-band commands in flight */
static void
qmp_client_set_oob (QmpClient *self, gboolean oob_enabled)
{
	self->oob_enabled = oob_enabled;
	qmp_command_queue_set_oob (self->commands, oob_enabled);
}

/* the queue's way out */
static gboolean
qmp_client_send_cb (QmpMessage *command, GUnixFDList *fds, gpointer user_data, GError **error)
{
	QmpClient *self = user_data; /* set with self, unchecked: this runs for every command */
	return qmp_protocol_send (&self->parent_instance, command, fds, error);
}

/**
 * qmp_client_send:
 * @self: a running client
 * @command: a command the caller wrote whole; an `id` in it is kept
 * @fds: (nullable): file descriptors to pass along with it
 * @cancellable: (nullable): stops waiting for the reply, which is dropped when it comes
 * @func: told of the reply, or of why none came; never from inside this call
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data if @func is never called
 *
 * qmp_client_send_async() without a #GTask for each command: for callers
 * that send many (a script piped in), where the task was a good part of
 * what a command costs.
 */
void
qmp_client_send (QmpClient *self, QmpMessage *command, GUnixFDList *fds, GCancellable *cancellable,
		 QmpClientReplyFunc func, gpointer user_data, GDestroyNotify destroy)
{
	QmpRunstate runstate = qmp_protocol_get_runstate (&self->parent_instance);
	const gchar *name = qmp_message_get_command_name (command);

	if (runstate != QMP_RUNSTATE_RUNNING &&
	    !(runstate == QMP_RUNSTATE_CONNECTING &&
	      (self->session == SESSION_GREETING || self->session == SESSION_SYNCING))) {
		qmp_command_queue_refuse (
			NULL, func, user_data,
			g_error_new (QMP_ERROR, QMP_ERROR_STATE,
				     "cannot send '%s' while the connection is %s",
				     name != NULL ? name : "(unnamed command)",
				     qmp_runstate_to_string (runstate)));
		return;
	}
	if (fds != NULL && g_unix_fd_list_get_length (fds) > 0 &&
	    !qmp_protocol_can_pass_fds (QMP_PROTOCOL (self))) {
		qmp_command_queue_refuse (
			NULL, func, user_data,
			g_error_new_literal (QMP_ERROR, QMP_ERROR_UNSUPPORTED,
					     "file descriptors can only be passed "
					     "over a UNIX socket, not over TCP, TLS "
					     "or ssh"));
		return;
	}
	/* the session's own commands have the greeting timeout */
	qmp_command_queue_submit (self->commands, NULL, cancellable, func, user_data, destroy,
				  command, fds,
				  self->session == SESSION_NONE ? self->command_timeout : 0);
}

/* a command sent for a GTask: the task has what came of it */
static void
qmp_client_task_reply_cb (QmpMessage *reply, GError *error, gpointer user_data)
{
	g_autoptr (GTask) task = user_data;

	if (error != NULL)
		g_task_return_error (task, error);
	else
		g_task_return_pointer (task, reply, (GDestroyNotify)qmp_message_unref);
}

static void
qmp_client_submit_task (QmpClient *self, GTask *task, QmpMessage *command, GUnixFDList *fds)
{
	qmp_client_send (self, command, fds, g_task_get_cancellable (task),
			 qmp_client_task_reply_cb, g_object_ref (task), g_object_unref);
}

/**
 * qmp_client_send_async:
 * @self: a running client
 * @command: a command the caller wrote whole; an `id` in it is kept
 * @fds: (nullable): file descriptors to pass along with it
 * @cancellable: (nullable): stops waiting for the reply, which is dropped when it comes
 * @callback: called with the reply
 * @user_data: data for @callback
 *
 * Sends a command as it is (adding an `id` if it has none) and routes its
 * reply back here, success or error alike.
 */
void
qmp_client_send_async (QmpClient *self, QmpMessage *command, GUnixFDList *fds,
		       GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
	g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
	g_return_if_fail (QMP_IS_CLIENT (self));
	g_task_set_source_tag (task, qmp_client_send_async);
	qmp_client_submit_task (self, task, command, fds);
}

/**
 * qmp_client_send_finish:
 * @self: a client
 * @result: the result
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full): the reply, a `return` or an `error` message; %NULL
 *   with @error set when no reply came (disconnected, timed out, cancelled)
 */
QmpMessage *
qmp_client_send_finish (QmpClient *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail (g_task_is_valid (result, self), NULL);
	return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * qmp_client_execute_async:
 * @self: a running client
 * @name: the command
 * @arguments: (nullable): its arguments
 * @flags: %QMP_EXECUTE_FLAG_OOB to send it out of band
 * @cancellable: (nullable): stops waiting for the reply, which is dropped when it comes
 * @callback: called with the result
 * @user_data: data for @callback
 */
void
qmp_client_execute_async (QmpClient *self, const gchar *name, JsonObject *arguments,
			  QmpExecuteFlags flags, GCancellable *cancellable,
			  GAsyncReadyCallback callback, gpointer user_data)
{
	g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
	g_autoptr (JsonBuilder) builder = json_builder_new_immutable ();
	g_autoptr (JsonNode) root = NULL;
	g_autoptr (QmpMessage) command = NULL;
	g_autofree gchar *text = NULL;

	g_return_if_fail (QMP_IS_CLIENT (self));
	g_task_set_source_tag (task, qmp_client_execute_async);

	json_builder_begin_object (builder);
	json_builder_set_member_name (builder,
				      (flags & QMP_EXECUTE_FLAG_OOB) ? "exec-oob" : "execute");
	json_builder_add_string_value (builder, name);
	if (arguments != NULL) {
		json_builder_set_member_name (builder, "arguments");
		json_builder_add_value (builder,
					json_node_init_object (json_node_alloc (), arguments));
	}
	json_builder_end_object (builder);
	root = json_builder_get_root (builder);
	text = json_to_string (root, FALSE);
	command = qmp_message_new_command (g_steal_pointer (&text), name,
					   (flags & QMP_EXECUTE_FLAG_OOB) != 0);
	qmp_client_submit_task (self, task, command, NULL);
}

/**
 * qmp_client_execute_finish:
 * @self: a client
 * @result: the result
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full): the `return` value; %NULL with a
 *   %QMP_COMMAND_ERROR for an error reply, or a %QMP_ERROR or %G_IO_ERROR
 *   when no reply came
 */
JsonNode *
qmp_client_execute_finish (QmpClient *self, GAsyncResult *result, GError **error)
{
	g_autoptr (QmpMessage) reply = NULL;

	g_return_val_if_fail (g_task_is_valid (result, self), NULL);
	reply = g_task_propagate_pointer (G_TASK (result), error);
	if (reply == NULL)
		return NULL;
	if (!qmp_command_error_from_reply (reply, error))
		return NULL;
	return json_node_copy (json_object_get_member (qmp_message_get_object (reply), "return"));
}

/* ------------------------------------------------------------------------ */
/* routing */

static void
qmp_client_route_reply (QmpClient *self, QmpMessage *message)
{
	g_autofree gchar *key = NULL;

	if (qmp_command_queue_route_reply (self->commands, message))
		return;
	key = qmp_message_dup_id_key (message);
	g_debug ("[%s] dropping a reply for no command we sent (id %s)",
		 qmp_protocol_get_name (QMP_PROTOCOL (self)), key != NULL ? key : "none");
}

static void
qmp_client_session_done (QmpClient *self, GError *error)
{
	g_autoptr (GTask) task = g_steal_pointer (&self->session_task);

	self->session = SESSION_NONE;
	qmp_clear_source (&self->greeting_timer);
	qmp_clear_source (&self->session_cancel);
	if (task == NULL) {
		g_clear_error (&error);
		return;
	}
	if (error != NULL)
		g_task_return_error (task, error);
	else
		g_task_return_boolean (task, TRUE);
}

static void
qmp_client_negotiate_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	QmpClient *self = QMP_CLIENT (source);
	g_autoptr (GError) error = NULL;
	g_autoptr (JsonNode) ret = qmp_client_execute_finish (self, res, &error);

	if (ret == NULL) {
		g_prefix_error (&error, "negotiating capabilities: ");
		qmp_client_set_oob (self, FALSE);
		qmp_client_session_done (self, g_steal_pointer (&error));
		return;
	}
	qmp_client_session_done (self, NULL);
}

static gboolean
qmp_client_check_greeting (QmpMessage *message, GError **error)
{
	JsonObject *qmp;
	JsonNode *version;
	JsonNode *caps;

	if (qmp_message_get_kind (message) != QMP_MESSAGE_KIND_GREETING) {
		g_set_error (error, QMP_ERROR, QMP_ERROR_NOT_QMP,
			     "expected the QMP greeting, got %.80s: is this a QMP monitor?",
			     qmp_message_get_text (message));
		return FALSE;
	}
	qmp = json_object_get_object_member (qmp_message_get_object (message), "QMP");
	version = qmp != NULL ? json_object_get_member (qmp, "version") : NULL;
	caps = qmp != NULL ? json_object_get_member (qmp, "capabilities") : NULL;
	if (version == NULL || !JSON_NODE_HOLDS_OBJECT (version) || caps == NULL ||
	    !JSON_NODE_HOLDS_ARRAY (caps)) {
		g_set_error (error, QMP_ERROR, QMP_ERROR_PROTOCOL,
			     "malformed QMP greeting (no version object or capabilities "
			     "array): %.80s",
			     qmp_message_get_text (message));
		return FALSE;
	}
	return TRUE;
}

static void
qmp_client_handle_greeting (QmpClient *self, QmpMessage *message)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (JsonObject) args = NULL;

	if (!qmp_client_check_greeting (message, &error)) {
		qmp_client_session_done (self, g_steal_pointer (&error));
		return;
	}
	/* the timer runs on: a monitor that greets and then never answers is stuck too */
	g_clear_pointer (&self->greeting, qmp_message_unref);
	self->greeting = qmp_message_ref (message);

	if (qmp_client_has_capability (self, "oob")) {
		JsonArray *enable = json_array_new ();
		json_array_add_string_element (enable, "oob");
		args = json_object_new ();
		json_object_set_array_member (args, "enable", enable);
	}
	qmp_client_execute_async (self, "qmp_capabilities", args, QMP_EXECUTE_FLAG_NONE, NULL,
				  qmp_client_negotiate_cb, NULL);
	self->session = SESSION_NEGOTIATING;
	/* set before the reply so that later commands respect the in-flight limit */
	qmp_client_set_oob (self, args != NULL);
}

static void
qmp_client_route (QmpProtocol *protocol, QmpMessage *message)
{
	QmpClient *self = (QmpClient *)protocol; /* every message: the vfunc's own type */

	if (self->session == SESSION_GREETING) {
		qmp_client_handle_greeting (self, message);
		return;
	}
	switch (qmp_message_get_kind (message)) {
	case QMP_MESSAGE_KIND_EVENT: {
		const gchar *name = qmp_message_get_event_name (message);
		GQuark detail;
		if (name == NULL) {
			g_debug ("[%s] dropping an event without a name",
				 qmp_protocol_get_name (protocol));
			return;
		}
		if (self->event_func != NULL)
			self->event_func (self, name, message, self->event_data);
		/* with no handler connected, GLib skips the emission after one lookup */
		detail = qmp_name_cache_lookup (&self->event_names, name);
		g_signal_emit (self, signals[SIGNAL_EVENT], detail, name, message);
		return;
	}
	case QMP_MESSAGE_KIND_RETURN:
	case QMP_MESSAGE_KIND_ERROR:
		qmp_client_route_reply (self, message);
		return;
	default:
		g_debug ("[%s] dropping a message that is neither reply nor event",
			 qmp_protocol_get_name (protocol));
		return;
	}
}

static void
qmp_client_synced_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	QmpClient *self = QMP_CLIENT (source);
	g_autoptr (GError) error = NULL;
	g_autoptr (JsonNode) ret = qmp_client_execute_finish (self, res, &error);

	if (self->session != SESSION_SYNCING)
		return;
	if (ret == NULL) {
		g_prefix_error (&error, "synchronising with the guest agent: ");
		qmp_client_session_done (self, g_steal_pointer (&error));
		return;
	}
	if (json_node_get_value_type (ret) != G_TYPE_INT64 ||
	    json_node_get_int (ret) != self->sync_id) {
		qmp_client_session_done (
			self, g_error_new (QMP_ERROR, QMP_ERROR_PROTOCOL,
					   "the guest agent answered guest-sync-delimited with "
					   "another id: is this a guest agent?"));
		return;
	}
	qmp_client_session_done (self, NULL);
}

static gboolean
qmp_client_greeting_timeout_cb (gpointer user_data)
{
	QmpClient *self = QMP_CLIENT (user_data);
	g_clear_pointer (&self->greeting_timer, g_source_unref);
	if (self->guest_agent) {
		qmp_client_session_done (
			self,
			g_error_new (QMP_ERROR, QMP_ERROR_TIMEOUT,
				     "no answer to guest-sync-delimited within %.1f s: is the "
				     "guest agent running, and is this its socket?",
				     self->greeting_timeout / 1000.0));
		return G_SOURCE_REMOVE;
	}
	if (self->session == SESSION_NEGOTIATING) {
		qmp_client_session_done (
			self, g_error_new (QMP_ERROR, QMP_ERROR_TIMEOUT,
					   "no answer to qmp_capabilities within %.1f s of the "
					   "greeting: the monitor is stuck (is QEMU hung?)",
					   self->greeting_timeout / 1000.0));
		return G_SOURCE_REMOVE;
	}
	qmp_client_session_done (
		self,
		g_error_new (QMP_ERROR, QMP_ERROR_TIMEOUT,
			     "no QMP greeting within %.1f s: another client may be attached "
			     "to this monitor (QEMU serves one at a time), the port may expect "
			     "TLS, or it is not a QMP monitor",
			     self->greeting_timeout / 1000.0));
	return G_SOURCE_REMOVE;
}

static gboolean
qmp_client_session_cancel_cb (GCancellable *cancellable, gpointer user_data)
{
	QmpClient *self = QMP_CLIENT (user_data);
	GError *error = NULL;
	g_clear_pointer (&self->session_cancel, g_source_unref);
	g_cancellable_set_error_if_cancelled (cancellable, &error);
	qmp_client_session_done (self, error);
	return G_SOURCE_REMOVE;
}

static void
qmp_client_establish_session_async (QmpProtocol *protocol, GCancellable *cancellable,
				    GAsyncReadyCallback callback, gpointer user_data)
{
	QmpClient *self = QMP_CLIENT (protocol);
	g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

	g_task_set_source_tag (task, qmp_client_establish_session_async);
	g_clear_pointer (&self->greeting, qmp_message_unref);
	qmp_client_set_oob (self, FALSE);
	if (!self->negotiate && !self->guest_agent) {
		g_task_return_boolean (task, TRUE);
		return;
	}
	self->session = self->guest_agent ? SESSION_SYNCING : SESSION_GREETING;
	self->session_task = g_steal_pointer (&task);
	if (self->guest_agent) {
		/* the agent may still hold a reply for an earlier client: after the 0xFF that
		 * answers this sync, only what we asked for comes */
		g_autoptr (JsonObject) args = json_object_new ();
		self->sync_id = g_random_int_range (1, G_MAXINT32);
		json_object_set_int_member (args, "id", self->sync_id);
		qmp_client_execute_async (self, "guest-sync-delimited", args, QMP_EXECUTE_FLAG_NONE,
					  NULL, qmp_client_synced_cb, NULL);
	}
	if (self->greeting_timeout > 0) {
		self->greeting_timer = g_timeout_source_new (self->greeting_timeout);
		g_source_set_callback (self->greeting_timer, qmp_client_greeting_timeout_cb, self,
				       NULL);
		g_source_attach (self->greeting_timer, g_main_context_get_thread_default ());
	}
	if (cancellable != NULL) {
		self->session_cancel = g_cancellable_source_new (cancellable);
		g_source_set_callback (self->session_cancel,
				       G_SOURCE_FUNC (qmp_client_session_cancel_cb), self, NULL);
		g_source_attach (self->session_cancel, g_main_context_get_thread_default ());
	}
}

static gboolean
qmp_client_establish_session_finish (QmpProtocol *protocol, GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean (G_TASK (result), error);
}

static void
qmp_client_stopped (QmpProtocol *protocol, const GError *reason)
{
	QmpClient *self = QMP_CLIENT (protocol);

	qmp_command_queue_fail_all (self->commands, reason);

	if (self->session_task != NULL)
		qmp_client_session_done (
			self, g_error_new (QMP_ERROR, QMP_ERROR_DISCONNECTED,
					   "disconnected while setting up the session%s%s",
					   reason != NULL ? ": " : "",
					   reason != NULL ? reason->message : ""));
}

/* ------------------------------------------------------------------------ */
/* accessors */

/**
 * qmp_client_new:
 *
 * Returns: (transfer full): a new idle client
 */
QmpClient *
qmp_client_new (void)
{
	return g_object_new (QMP_TYPE_CLIENT, NULL);
}

/**
 * qmp_client_set_negotiate:
 * @self: a client
 * @negotiate: %FALSE to expect no greeting and send no `qmp_capabilities`
 *   (the guest agent)
 */
void
qmp_client_set_negotiate (QmpClient *self, gboolean negotiate)
{
	g_return_if_fail (QMP_IS_CLIENT (self));
	if (self->negotiate == negotiate)
		return;
	self->negotiate = negotiate;
	g_object_notify_by_pspec (G_OBJECT (self), props[PROP_NEGOTIATE]);
}

/**
 * qmp_client_set_guest_agent:
 * @self: a client
 * @guest_agent: whether the peer is the guest agent: no greeting, no
 *   negotiation, and each session starts with guest-sync-delimited
 */
void
qmp_client_set_guest_agent (QmpClient *self, gboolean guest_agent)
{
	g_return_if_fail (QMP_IS_CLIENT (self));
	self->guest_agent = guest_agent;
	qmp_protocol_set_skip_delimiter (QMP_PROTOCOL (self), guest_agent);
	qmp_client_set_negotiate (self, !guest_agent);
}

/**
 * qmp_client_set_greeting_timeout:
 * @self: a client
 * @msec: how long to wait for the greeting, and before it to connect; 0
 *   waits for ever
 */
void
qmp_client_set_greeting_timeout (QmpClient *self, guint msec)
{
	g_return_if_fail (QMP_IS_CLIENT (self));
	if (self->greeting_timeout == msec)
		return;
	self->greeting_timeout = msec;
	qmp_protocol_set_connect_timeout (QMP_PROTOCOL (self), msec);
	g_object_notify_by_pspec (G_OBJECT (self), props[PROP_GREETING_TIMEOUT]);
}

/**
 * qmp_client_set_command_timeout:
 * @self: a client
 * @msec: how long each command may wait for its reply; 0 waits for ever
 */
void
qmp_client_set_command_timeout (QmpClient *self, guint msec)
{
	g_return_if_fail (QMP_IS_CLIENT (self));
	if (self->command_timeout == msec)
		return;
	self->command_timeout = msec;
	g_object_notify_by_pspec (G_OBJECT (self), props[PROP_COMMAND_TIMEOUT]);
}

/**
 * qmp_client_set_event_func:
 * @self: a client
 * @func: (nullable): told each event, before the #QmpClient::event handlers
 * @user_data: data for @func
 *
 * The events' one receiver, for the owner of the client: in a flood, a
 * call costs a tenth of a signal emission, and the signal is then emitted
 * only when a handler for that event is connected.
 */
void
qmp_client_set_event_func (QmpClient *self, QmpClientEventFunc func, gpointer user_data)
{
	g_return_if_fail (QMP_IS_CLIENT (self));
	self->event_func = func;
	self->event_data = user_data;
}

/**
 * qmp_client_get_greeting:
 * @self: a client
 *
 * Returns: (transfer none) (nullable): the greeting of the current session
 */
QmpMessage *
qmp_client_get_greeting (QmpClient *self)
{
	return self->greeting;
}

/**
 * qmp_client_has_capability:
 * @self: a client
 * @capability: a capability name, such as `oob`
 *
 * Returns: %TRUE if the greeting offered @capability
 */
gboolean
qmp_client_has_capability (QmpClient *self, const gchar *capability)
{
	JsonObject *qmp;
	JsonArray *caps;

	if (self->greeting == NULL)
		return FALSE;
	qmp = json_object_get_object_member (qmp_message_get_object (self->greeting), "QMP");
	caps = json_object_get_array_member (qmp, "capabilities");
	for (guint i = 0; i < json_array_get_length (caps); i++) {
		JsonNode *node = json_array_get_element (caps, i);
		if (json_node_get_value_type (node) == G_TYPE_STRING &&
		    g_strcmp0 (json_node_get_string (node), capability) == 0)
			return TRUE;
	}
	return FALSE;
}

/**
 * qmp_client_get_oob_enabled:
 * @self: a client
 *
 * Returns: %TRUE when out-of-band execution was negotiated
 */
gboolean
qmp_client_get_oob_enabled (QmpClient *self)
{
	return self->oob_enabled;
}

/**
 * qmp_client_get_pending_count:
 * @self: a client
 *
 * Returns: how many commands wait for a reply, abandoned ones included
 */
guint
qmp_client_get_pending_count (QmpClient *self)
{
	return qmp_command_queue_get_length (self->commands);
}

static void
qmp_client_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	QmpClient *self = QMP_CLIENT (object);
	switch (prop_id) {
	case PROP_NEGOTIATE:
		g_value_set_boolean (value, self->negotiate);
		break;
	case PROP_GREETING_TIMEOUT:
		g_value_set_uint (value, self->greeting_timeout);
		break;
	case PROP_COMMAND_TIMEOUT:
		g_value_set_uint (value, self->command_timeout);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
	}
}

static void
qmp_client_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
	QmpClient *self = QMP_CLIENT (object);
	switch (prop_id) {
	case PROP_NEGOTIATE:
		qmp_client_set_negotiate (self, g_value_get_boolean (value));
		break;
	case PROP_GREETING_TIMEOUT:
		qmp_client_set_greeting_timeout (self, g_value_get_uint (value));
		break;
	case PROP_COMMAND_TIMEOUT:
		qmp_client_set_command_timeout (self, g_value_get_uint (value));
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
	}
}

static void
qmp_client_dispose (GObject *object)
{
	QmpClient *self = QMP_CLIENT (object);
	qmp_clear_source (&self->greeting_timer);
	qmp_clear_source (&self->session_cancel);
	G_OBJECT_CLASS (qmp_client_parent_class)->dispose (object);
}

static void
qmp_client_finalize (GObject *object)
{
	QmpClient *self = QMP_CLIENT (object);
	qmp_command_queue_free (self->commands);
	g_clear_object (&self->session_task);
	g_clear_pointer (&self->greeting, qmp_message_unref);
	G_OBJECT_CLASS (qmp_client_parent_class)->finalize (object);
}

static void
qmp_client_init (QmpClient *self)
{
	self->negotiate = TRUE;
	self->greeting_timeout = QMP_CLIENT_DEFAULT_GREETING_TIMEOUT;
	qmp_protocol_set_connect_timeout (QMP_PROTOCOL (self), self->greeting_timeout);
	self->commands =
		qmp_command_queue_new (QMP_CLIENT_OOB_INFLIGHT_MAX, qmp_client_send_cb, self);
}

static void
qmp_client_class_init (QmpClientClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS (klass);
	QmpProtocolClass *protocol_class = QMP_PROTOCOL_CLASS (klass);

	object_class->get_property = qmp_client_get_property;
	object_class->set_property = qmp_client_set_property;
	object_class->dispose = qmp_client_dispose;
	object_class->finalize = qmp_client_finalize;

	protocol_class->route = qmp_client_route;
	protocol_class->establish_session_async = qmp_client_establish_session_async;
	protocol_class->establish_session_finish = qmp_client_establish_session_finish;
	protocol_class->stopped = qmp_client_stopped;

	/**
	 * QmpClient:negotiate:
	 *
	 * Whether to wait for the greeting and negotiate capabilities.
	 */
	props[PROP_NEGOTIATE] = g_param_spec_boolean ("negotiate", NULL, NULL, TRUE,
						      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
							      G_PARAM_EXPLICIT_NOTIFY);

	/**
	 * QmpClient:greeting-timeout:
	 *
	 * Milliseconds to wait for the greeting; 0 waits for ever.
	 */
	props[PROP_GREETING_TIMEOUT] = g_param_spec_uint (
		"greeting-timeout", NULL, NULL, 0, G_MAXUINT, QMP_CLIENT_DEFAULT_GREETING_TIMEOUT,
		G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

	/**
	 * QmpClient:command-timeout:
	 *
	 * Milliseconds each command may wait for its reply; 0 waits for ever.
	 */
	props[PROP_COMMAND_TIMEOUT] = g_param_spec_uint (
		"command-timeout", NULL, NULL, 0, G_MAXUINT, 0,
		G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

	g_object_class_install_properties (object_class, N_PROPS, props);

	/**
	 * QmpClient::event:
	 * @self: the client
	 * @name: the event's name
	 * @message: the whole event message
	 *
	 * Emitted for every event, in arrival order, also for those that
	 * arrive between a command and its reply. Detailed by the event name:
	 * connect to `event::SHUTDOWN` for one kind.
	 */
	signals[SIGNAL_EVENT] = g_signal_new ("event", G_TYPE_FROM_CLASS (klass),
					      G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0, NULL, NULL,
					      qmp_client_marshal_event, G_TYPE_NONE, 2,
					      G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
					      QMP_TYPE_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
	g_signal_set_va_marshaller (signals[SIGNAL_EVENT], G_TYPE_FROM_CLASS (klass),
				    qmp_client_marshal_eventv);
}
