/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-schema-cache.h"
#include "qmpsh-files.h"

#include <glib/gstdio.h>
#include <string.h>

/*
 * The prompt's schema, kept on disk between runs: fetching and indexing
 * `query-qmp-schema` takes QEMU itself tens of milliseconds, longer than the
 * rest of qmpsh's start. A file holds one server's reply, under a name made
 * from its key; the key says which server that is:
 *
 * - the greeting's version, QEMU's and its package's;
 * - for a local UNIX socket, the peer's binary as the kernel sees it (the
 *   device, inode, size and time of /proc/PID/exe, the process being the
 *   socket's peer by SO_PEERCRED): qemu-system-x86_64 and
 *   qemu-storage-daemon of one package greet alike and describe different
 *   commands, a rebuilt binary may add some;
 * - otherwise (TCP, or a peer qmpsh may not look at), the address.
 *
 * The file holds the schema's index (qmp_schema_to_bytes(): read back in a
 * fraction of the time the reply's JSON takes), after two lines: a format
 * tag and the SHA-256 of the index, then the whole key. A file that does
 * not match both is not used.
 * Whatever the cache says, the session asks the server again in the
 * background and replaces the schema (and the file) if the reply differs,
 * so a cache can only ever be stale for the moment that answer takes.
 */

#define QMPSH_SCHEMA_CACHE_TAG "qmpsh-schema 2 "

/**
 * qmpsh_schema_cache_key:
 * @client: a connected client
 *
 * Returns: (transfer full) (nullable): what tells this server's schema from
 *   another's, one line; %NULL when the greeting gives no version
 */
gchar *
qmpsh_schema_cache_key (QmpClient *client)
{
	QmpMessage *greeting = qmp_client_get_greeting (client);
	JsonObject *object = greeting != NULL ? qmp_message_get_object (greeting) : NULL;
	JsonNode *qmp = object != NULL ? json_object_get_member (object, "QMP") : NULL;
	JsonNode *version = NULL;
	GPid pid = qmp_protocol_get_peer_pid (QMP_PROTOCOL (client));
	g_autofree gchar *text = NULL;
	g_autofree gchar *peer = NULL;
	gchar *key;

	if (qmp != NULL && JSON_NODE_HOLDS_OBJECT (qmp))
		version = json_object_get_member (json_node_get_object (qmp), "version");
	if (version == NULL || !JSON_NODE_HOLDS_OBJECT (version))
		return NULL;
	text = json_to_string (version, FALSE);
	if (pid > 0) {
		g_autofree gchar *exe = g_strdup_printf ("/proc/%d/exe", (int)pid);
		GStatBuf st;

		/* stat() follows the link to the running binary, even one since replaced */
		if (g_stat (exe, &st) == 0)
			peer = g_strdup_printf ("exe %" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT
						":%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
						(guint64)st.st_dev, (guint64)st.st_ino,
						(gint64)st.st_size, (gint64)st.st_mtime);
	}
	if (peer == NULL)
		peer = g_strdup_printf ("address %s",
					qmp_protocol_get_name (QMP_PROTOCOL (client)));
	key = g_strdup_printf ("%s %s", text, peer);
	/* one line, whatever the greeting and the address hold */
	g_strdelimit (key, "\r\n", ' ');
	return key;
}

/**
 * qmpsh_schema_cache_sum:
 * @index: a schema's index, from qmp_schema_to_bytes()
 *
 * Returns: (transfer full): what tells it from another
 */
gchar *
qmpsh_schema_cache_sum (GBytes *index)
{
	return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, index);
}

static gchar *
cache_path (const gchar *dir, const gchar *key)
{
	g_autofree gchar *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
	g_autofree gchar *name = g_strdup_printf ("schema-%.32s", sum);

	return g_build_filename (dir, name, NULL);
}

/* a file that is ours but does not hold what it says: said once, then replaced */
static QmpSchema *
damaged (const gchar *path, const gchar *why)
{
	g_printerr ("qmpsh: ignoring the cached schema %s: %s; it is fetched again\n", path, why);
	return NULL;
}

/**
 * qmpsh_schema_cache_load:
 * @dir: the cache directory
 * @key: the server's key, from qmpsh_schema_cache_key()
 * @sum: (out): the cached reply's sum, for qmpsh_schema_cache_sum() to compare
 *
 * A missing file, or one of another server, is no schema; a damaged one is
 * said once, on stderr, and not used.
 *
 * Returns: (transfer full) (nullable): the cached schema of this server
 */
QmpSchema *
qmpsh_schema_cache_load (const gchar *dir, const gchar *key, gchar **sum)
{
	g_autofree gchar *path = cache_path (dir, key);
	g_autofree gchar *data = NULL;
	g_autofree gchar *body_sum = NULL;
	g_autoptr (GBytes) index = NULL;
	g_autoptr (GError) error = NULL;
	QmpSchema *schema;
	gsize len = 0;
	gsize key_len = strlen (key);
	gchar *line_end;
	gchar *body;

	/* another user's directory could feed the prompt anything */
	if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) || !qmpsh_files_private_dir (dir, NULL) ||
	    !g_file_get_contents (path, &data, &len, NULL))
		return NULL;
	line_end = memchr (data, '\n', len);
	if (line_end == NULL || !g_str_has_prefix (data, QMPSH_SCHEMA_CACHE_TAG))
		return damaged (path, "it is no schema cache of this qmpsh");
	*line_end = '\0';
	body = line_end + 1;
	/* another server whose key has the same name */
	if ((gsize)(data + len - body) <= key_len || memcmp (body, key, key_len) != 0 ||
	    body[key_len] != '\n')
		return NULL;
	body += key_len + 1;
	index = g_bytes_new_static (body, data + len - body);
	body_sum = qmpsh_schema_cache_sum (index);
	if (g_strcmp0 (body_sum, data + strlen (QMPSH_SCHEMA_CACHE_TAG)) != 0)
		return damaged (path, "its checksum does not match");
	schema = qmp_schema_new_from_bytes (index, &error);
	if (schema == NULL)
		return damaged (path, error->message);
	*sum = g_steal_pointer (&body_sum);
	return schema;
}

/**
 * qmpsh_schema_cache_save:
 * @dir: the cache directory
 * @key: the server's key, from qmpsh_schema_cache_key()
 * @index: its schema's index, from qmp_schema_to_bytes()
 * @sum: qmpsh_schema_cache_sum() of @index
 *
 * Keeps @index for the next run. A cache that cannot be written is no
 * error: the next run fetches the schema, as if there were no cache.
 */
void
qmpsh_schema_cache_save (const gchar *dir, const gchar *key, GBytes *index, const gchar *sum)
{
	g_autofree gchar *path = cache_path (dir, key);
	g_autofree gchar *head = NULL;
	g_autoptr (GByteArray) contents = g_byte_array_new ();
	g_autoptr (GError) error = NULL;
	gsize len = 0;
	const guint8 *data = g_bytes_get_data (index, &len);

	if (!qmpsh_files_private_dir (dir, &error)) {
		g_debug ("no schema cache: %s", error->message);
		return;
	}
	head = g_strdup_printf (QMPSH_SCHEMA_CACHE_TAG "%s\n%s\n", sum, key);
	g_byte_array_append (contents, (const guint8 *)head, strlen (head));
	g_byte_array_append (contents, data, len);
	/* written beside and renamed over: a reader never sees half of it */
	if (!g_file_set_contents_full (path, (const gchar *)contents->data, contents->len,
				       G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
		g_debug ("no schema cache: %s", error->message);
}
