/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-watch.h"
#include "qmp-source.h"

#include <math.h>
#include <string.h>

#define QMPSH_WATCH_PERIOD 250 /* ms between polls, besides the events that prompt one */
#define QMPSH_WATCH_BAR	   24

/**
 * QmpshWatch:
 *
 * `.watch`: follows a block job, a `job-*` job or a migration with a live
 * progress bar (percent, rate, time left), from `query-jobs` or
 * `query-migrate` polled a few times a second and at every job or migration
 * event, until the job is ready, done, or gone. It only reports what it sees;
 * stopping the watch leaves the job alone.
 */
struct _QmpshWatch {
	GObject parent_instance;
	QmpClient *client;
	gboolean active;
	gboolean polling;
	gboolean migration;
	gchar *id;
	GSource *timer;
	GCancellable *cancellable;
	gint64 started;
	gint64 last_time;
	gint64 last_done;
	gdouble rate; /* bytes per second, smoothed */
};

G_DEFINE_TYPE (QmpshWatch, qmpsh_watch, G_TYPE_OBJECT)

enum { SIGNAL_PROMPT, SIGNAL_SAY, N_SIGNALS };
static guint signals[N_SIGNALS];

static void qmpsh_watch_poll (QmpshWatch *self);

QmpshWatch *
qmpsh_watch_new (QmpClient *client)
{
	QmpshWatch *self = g_object_new (QMPSH_TYPE_WATCH, NULL);
	self->client = g_object_ref (client);
	return self;
}

gboolean
qmpsh_watch_is_active (QmpshWatch *self)
{
	return self->active;
}

static gchar *
human_size (gdouble bytes)
{
	const gchar *units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	guint u = 0;
	while (bytes >= 1024 && u + 1 < G_N_ELEMENTS (units)) {
		bytes /= 1024;
		u++;
	}
	return g_strdup_printf (u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
}

/**
 * qmpsh_watch_render:
 * @id: the job
 * @status: its status
 * @done: progress so far
 * @total: progress at the end (0 if not known yet)
 * @rate: progress per second, or 0
 * @width: the bar's width in characters
 *
 * Returns: (transfer full): the progress line
 */
static gchar *
qmpsh_watch_render (const gchar *id, const gchar *status, gint64 done, gint64 total, gdouble rate,
		    guint width)
{
	g_autoptr (GString) out = g_string_new (NULL);
	gdouble fraction = total > 0 ? CLAMP ((gdouble)done / total, 0.0, 1.0) : 0.0;
	guint filled = (guint)(fraction * width);

	g_string_append_printf (out, "%s [", id);
	for (guint i = 0; i < width; i++)
		g_string_append (out, i < filled ? "#" : "-");
	g_string_append_printf (out, "] %3.0f%% %s", fraction * 100, status);
	if (rate > 0) {
		g_autofree gchar *speed = human_size (rate);
		g_string_append_printf (out, " %s/s", speed);
		if (total > done)
			g_string_append_printf (out, " %.0fs left", ceil ((total - done) / rate));
	}
	g_string_append (out, " (Ctrl-C stops watching) ");
	return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
qmpsh_watch_say (QmpshWatch *self, const gchar *text)
{
	g_signal_emit (self, signals[SIGNAL_SAY], 0, text);
}

/**
 * qmpsh_watch_stop:
 * @self: the watch
 * @why: (nullable): what to say
 */
void
qmpsh_watch_stop (QmpshWatch *self, const gchar *why)
{
	if (!self->active)
		return;
	self->active = FALSE;
	qmp_clear_source (&self->timer);
	g_cancellable_cancel (self->cancellable);
	g_clear_object (&self->cancellable);
	self->polling = FALSE;
	g_signal_emit (self, signals[SIGNAL_PROMPT], 0, NULL);
	if (why != NULL)
		qmpsh_watch_say (self, why);
}

/* one reading: the bar, or the end */
static void
qmpsh_watch_show (QmpshWatch *self, const gchar *status, gint64 done, gint64 total, gboolean over)
{
	gint64 now = g_get_monotonic_time ();
	g_autofree gchar *line = NULL;

	if (self->last_time > 0 && now > self->last_time && done >= self->last_done) {
		gdouble sample = (done - self->last_done) * (gdouble)G_USEC_PER_SEC /
				 (now - self->last_time);
		self->rate = self->rate > 0 ? 0.7 * self->rate + 0.3 * sample : sample;
	}
	self->last_time = now;
	self->last_done = done;
	if (over) {
		g_autofree gchar *size = human_size (done);
		g_autofree gchar *text =
			g_strdup_printf ("%s: %s, %s in %.1f s", self->id, status, size,
					 (now - self->started) / (gdouble)G_USEC_PER_SEC);
		qmpsh_watch_stop (self, text);
		return;
	}
	line = qmpsh_watch_render (self->id, status, done, total, self->rate, QMPSH_WATCH_BAR);
	g_signal_emit (self, signals[SIGNAL_PROMPT], 0, line);
}

static gboolean
job_is_over (const gchar *status)
{
	return g_strcmp0 (status, "ready") == 0 || g_strcmp0 (status, "concluded") == 0 ||
	       g_strcmp0 (status, "null") == 0 || g_strcmp0 (status, "aborting") == 0 ||
	       g_strcmp0 (status, "pending") == 0 || g_strcmp0 (status, "waiting") == 0;
}

static void
qmpsh_watch_migrate_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshWatch) self = user_data;
	g_autoptr (JsonNode) ret = qmp_client_execute_finish (QMP_CLIENT (source), res, NULL);
	JsonObject *m =
		ret != NULL && JSON_NODE_HOLDS_OBJECT (ret) ? json_node_get_object (ret) : NULL;
	JsonObject *ram = m != NULL && json_object_has_member (m, "ram")
				  ? json_object_get_object_member (m, "ram")
				  : NULL;
	const gchar *status =
		m != NULL ? json_object_get_string_member_with_default (m, "status", NULL) : NULL;
	gint64 total, remaining;

	self->polling = FALSE;
	if (!self->active)
		return;
	if (status == NULL || g_strcmp0 (status, "none") == 0) {
		qmpsh_watch_stop (self, "no job or migration to watch");
		return;
	}
	total = ram != NULL ? json_object_get_int_member_with_default (ram, "total", 0) : 0;
	remaining = ram != NULL ? json_object_get_int_member_with_default (ram, "remaining", 0) : 0;
	qmpsh_watch_show (self, status, total - remaining, total,
			  g_strcmp0 (status, "completed") == 0 ||
				  g_strcmp0 (status, "failed") == 0 ||
				  g_strcmp0 (status, "cancelled") == 0);
}

static void
qmpsh_watch_jobs_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr (QmpshWatch) self = user_data;
	g_autoptr (GError) error = NULL;
	g_autoptr (JsonNode) ret = qmp_client_execute_finish (QMP_CLIENT (source), res, &error);
	JsonArray *jobs =
		ret != NULL && JSON_NODE_HOLDS_ARRAY (ret) ? json_node_get_array (ret) : NULL;
	JsonObject *job = NULL;

	self->polling = FALSE;
	if (!self->active)
		return;
	if (jobs == NULL) {
		g_autofree gchar *text =
			g_strdup_printf ("cannot watch: %s", error != NULL ? error->message : "?");
		qmpsh_watch_stop (self, text);
		return;
	}
	if (self->id == NULL) {
		if (json_array_get_length (jobs) == 0) {
			/* no job: a migration, perhaps */
			self->migration = TRUE;
			self->id = g_strdup ("migration");
			qmpsh_watch_poll (self);
			return;
		}
		if (json_array_get_length (jobs) > 1) {
			g_autoptr (GString) ids = g_string_new (NULL);
			for (guint i = 0; i < json_array_get_length (jobs); i++)
				g_string_append_printf (
					ids, "%s%s", i > 0 ? ", " : "",
					json_object_get_string_member_with_default (
						json_array_get_object_element (jobs, i), "id",
						"?"));
			{
				g_autofree gchar *text = g_strdup_printf (
					"several jobs (%s): name the one to watch", ids->str);
				qmpsh_watch_stop (self, text);
			}
			return;
		}
		self->id = g_strdup (json_object_get_string_member_with_default (
			json_array_get_object_element (jobs, 0), "id", "?"));
	}
	for (guint i = 0; i < json_array_get_length (jobs); i++) {
		JsonObject *j = json_array_get_object_element (jobs, i);
		if (g_strcmp0 (json_object_get_string_member_with_default (j, "id", NULL),
			       self->id) == 0)
			job = j;
	}
	if (job == NULL) {
		g_autofree gchar *text = g_strdup_printf (
			"%s: %s", self->id,
			self->last_time > 0 ? "gone (done, or dismissed)" : "no such job");
		qmpsh_watch_stop (self, text);
		return;
	}
	{
		const gchar *status =
			json_object_get_string_member_with_default (job, "status", "?");
		const gchar *err = json_object_get_string_member_with_default (job, "error", NULL);
		g_autofree gchar *shown =
			err != NULL ? g_strdup_printf ("%s: %s", status, err) : g_strdup (status);
		qmpsh_watch_show (
			self, shown,
			json_object_get_int_member_with_default (job, "current-progress", 0),
			json_object_get_int_member_with_default (job, "total-progress", 0),
			job_is_over (status));
	}
}

static void
qmpsh_watch_poll (QmpshWatch *self)
{
	if (!self->active || self->polling)
		return;
	self->polling = TRUE;
	if (self->migration)
		qmp_client_execute_async (self->client, "query-migrate", NULL,
					  QMP_EXECUTE_FLAG_NONE, self->cancellable,
					  qmpsh_watch_migrate_cb, g_object_ref (self));
	else
		qmp_client_execute_async (self->client, "query-jobs", NULL, QMP_EXECUTE_FLAG_NONE,
					  self->cancellable, qmpsh_watch_jobs_cb,
					  g_object_ref (self));
}

static gboolean
qmpsh_watch_timer_cb (gpointer user_data)
{
	qmpsh_watch_poll (QMPSH_WATCH (user_data));
	return G_SOURCE_CONTINUE;
}

/**
 * qmpsh_watch_start:
 * @self: the watch
 * @id: (nullable): the job, "migration", or %NULL for the only one there is
 */
void
qmpsh_watch_start (QmpshWatch *self, const gchar *id)
{
	qmpsh_watch_stop (self, NULL);
	self->active = TRUE;
	g_free (self->id);
	self->id = g_strdup (id);
	self->migration = g_strcmp0 (id, "migration") == 0;
	self->started = g_get_monotonic_time ();
	self->last_time = 0;
	self->last_done = 0;
	self->rate = 0;
	self->cancellable = g_cancellable_new ();
	self->timer = g_timeout_source_new (QMPSH_WATCH_PERIOD);
	g_source_set_callback (self->timer, qmpsh_watch_timer_cb, self, NULL);
	g_source_attach (self->timer, NULL);
	qmpsh_watch_poll (self);
}

/**
 * qmpsh_watch_event:
 * @self: the watch
 * @name: an event's name
 *
 * A job or migration event makes the watch look again at once.
 */
void
qmpsh_watch_event (QmpshWatch *self, const gchar *name)
{
	if (self->active &&
	    (g_str_has_prefix (name, "JOB_") || g_str_has_prefix (name, "BLOCK_JOB_") ||
	     g_str_has_prefix (name, "MIGRATION")))
		qmpsh_watch_poll (self);
}

static void
qmpsh_watch_dispose (GObject *object)
{
	QmpshWatch *self = QMPSH_WATCH (object);
	qmpsh_watch_stop (self, NULL);
	g_clear_object (&self->client);
	G_OBJECT_CLASS (qmpsh_watch_parent_class)->dispose (object);
}

static void
qmpsh_watch_finalize (GObject *object)
{
	g_free (QMPSH_WATCH (object)->id);
	G_OBJECT_CLASS (qmpsh_watch_parent_class)->finalize (object);
}

static void
qmpsh_watch_init (QmpshWatch *self)
{
}

static void
qmpsh_watch_class_init (QmpshWatchClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS (klass);
	object_class->dispose = qmpsh_watch_dispose;
	object_class->finalize = qmpsh_watch_finalize;

	/**
	 * QmpshWatch::prompt:
	 * @self: the watch
	 * @text: (nullable): the progress line, or %NULL when the watch ends
	 */
	signals[SIGNAL_PROMPT] =
		g_signal_new ("prompt", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
			      NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

	/**
	 * QmpshWatch::say:
	 * @self: the watch
	 * @text: a line for the user
	 */
	signals[SIGNAL_SAY] = g_signal_new ("say", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
					    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}
