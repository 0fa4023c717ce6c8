/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * The QMP endpoints a command line of qemu-system-*, qemu-storage-daemon or
 * qemu-ga opens, read as those programs read it: QEMU's KEY=VALUE,... lists
 * (",," is a comma, a first element without '=' is the option's implied key,
 * a bare KEY is KEY=on and noKEY is KEY=off), its legacy `unix:` and `tcp:`
 * chardev forms, and getopt's `--opt=value` and `-pVALUE` for the others.
 * Only a listening socket is reachable: a monitor that dials out, a file
 * descriptor passed in (libvirt's fd=) or an abstract socket is left out.
 */

#include "qmpsh-discover-cmdline.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* what one command line says, before the monitors are matched with their chardevs */
typedef struct {
	QmpshDiscoverKind kind;
	const gchar *cwd;
	gchar *name;
	GHashTable *chardevs; /* id -> address, or NULL for a socket no one can reach */
	GPtrArray *monitors;  /* chardev ids of control monitors */
	GPtrArray *agents;    /* chardev ids of org.qemu.guest_agent.0 ports */
	GPtrArray *direct;    /* addresses of -qmp */
	gchar *ga_method;
	gchar *ga_path;
} Cmdline;

static void
cmdline_clear (Cmdline *c)
{
	g_free (c->name);
	g_hash_table_unref (c->chardevs);
	g_ptr_array_unref (c->monitors);
	g_ptr_array_unref (c->agents);
	g_ptr_array_unref (c->direct);
	g_free (c->ga_method);
	g_free (c->ga_path);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Cmdline, cmdline_clear)

/* QEMU's KEY=VALUE,... into a table; @implied names a first element without '=' */
static GHashTable *
parse_opts (const gchar *text, const gchar *implied)
{
	GHashTable *opts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	const gchar *p = text;

	for (gboolean first = TRUE; *p != '\0'; first = FALSE) {
		g_autoptr (GString) item = g_string_new (NULL);
		const gchar *eq;

		for (; *p != '\0'; p++) {
			if (*p == ',' && p[1] == ',') {
				g_string_append_c (item, ',');
				p++;
			} else if (*p == ',') {
				p++;
				break;
			} else {
				g_string_append_c (item, *p);
			}
		}
		eq = strchr (item->str, '=');
		if (eq != NULL)
			g_hash_table_replace (opts, g_strndup (item->str, eq - item->str),
					      g_strdup (eq + 1));
		else if (first && implied != NULL)
			g_hash_table_replace (opts, g_strdup (implied), g_strdup (item->str));
		else if (g_str_has_prefix (item->str, "no"))
			g_hash_table_replace (opts, g_strdup (item->str + 2), g_strdup ("off"));
		else
			g_hash_table_replace (opts, g_strdup (item->str), g_strdup ("on"));
	}
	return opts;
}

static gboolean
opt_is_on (GHashTable *opts, const gchar *key)
{
	const gchar *value = g_hash_table_lookup (opts, key);
	const gchar *on[] = { "on", "yes", "true", "y", NULL };

	return value != NULL && g_strv_contains (on, value);
}

static gchar *
tcp_address (const gchar *host, const gchar *port)
{
	if (port == NULL || port[0] == '\0')
		return NULL;
	/* a socket bound to every address is reached on the loopback one */
	if (host == NULL || host[0] == '\0' || g_strcmp0 (host, "0.0.0.0") == 0)
		host = "127.0.0.1";
	else if (g_strcmp0 (host, "::") == 0 || g_strcmp0 (host, "[::]") == 0)
		host = "[::1]";
	if (strchr (host, ':') != NULL && host[0] != '[')
		return g_strdup_printf ("[%s]:%s", host, port);
	return g_strdup_printf ("%s:%s", host, port);
}

static gchar *
unix_address (const Cmdline *c, const gchar *path)
{
	if (path == NULL || path[0] == '\0')
		return NULL;
	if (g_path_is_absolute (path))
		return g_strdup (path);
	/* relative to the server's working directory, which we may not be allowed to see */
	return c->cwd != NULL ? g_build_filename (c->cwd, path, NULL) : NULL;
}

/* a socket chardev's options: the address it listens on, or NULL */
static gchar *
socket_address (const Cmdline *c, GHashTable *opts)
{
	if (!opt_is_on (opts, "server") || opt_is_on (opts, "abstract"))
		return NULL;
	if (g_hash_table_contains (opts, "path"))
		return unix_address (c, g_hash_table_lookup (opts, "path"));
	return tcp_address (g_hash_table_lookup (opts, "host"), g_hash_table_lookup (opts, "port"));
}

/* the legacy chardev forms -qmp takes: unix:PATH,OPTS and tcp:HOST:PORT,OPTS */
static gchar *
legacy_address (const Cmdline *c, const gchar *spec)
{
	g_autoptr (GHashTable) opts = NULL;

	if (g_str_has_prefix (spec, "unix:")) {
		opts = parse_opts (spec + 5, "path");
		return socket_address (c, opts);
	}
	if (g_str_has_prefix (spec, "tcp:")) {
		const gchar *hostport = spec + 4;
		const gchar *comma = strchr (hostport, ',');
		g_autofree gchar *hp = g_strndup (
			hostport, comma != NULL ? (gsize)(comma - hostport) : strlen (hostport));
		gchar *colon = strrchr (hp, ':');

		opts = parse_opts (comma != NULL ? comma + 1 : "", NULL);
		if (colon == NULL || !opt_is_on (opts, "server"))
			return NULL;
		*colon = '\0';
		return tcp_address (hp, colon + 1);
	}
	return NULL;
}

static void
add_chardev (Cmdline *c, const gchar *value)
{
	g_autoptr (GHashTable) opts = parse_opts (value, "backend");
	const gchar *id = g_hash_table_lookup (opts, "id");

	if (id == NULL || g_strcmp0 (g_hash_table_lookup (opts, "backend"), "socket") != 0)
		return;
	g_hash_table_replace (c->chardevs, g_strdup (id), socket_address (c, opts));
}

/* -mon, and qemu-storage-daemon's --monitor, whose only mode is control */
static void
add_monitor (Cmdline *c, const gchar *value, const gchar *default_mode)
{
	g_autoptr (GHashTable) opts = parse_opts (value, "chardev");
	const gchar *mode = g_hash_table_lookup (opts, "mode");
	const gchar *chardev = g_hash_table_lookup (opts, "chardev");

	if (chardev != NULL && g_strcmp0 (mode != NULL ? mode : default_mode, "control") == 0)
		g_ptr_array_add (c->monitors, g_strdup (chardev));
}

static void
add_object (Cmdline *c, const gchar *value)
{
	g_autoptr (GHashTable) opts = parse_opts (value, "qom-type");
	const gchar *chardev = g_hash_table_lookup (opts, "chardev");

	if (chardev != NULL &&
	    g_strcmp0 (g_hash_table_lookup (opts, "qom-type"), "monitor-qmp") == 0)
		g_ptr_array_add (c->monitors, g_strdup (chardev));
}

/* a virtio-serial port named for the guest agent: its host end speaks to qemu-ga */
static void
add_device (Cmdline *c, const gchar *value)
{
	g_autoptr (GHashTable) opts = NULL;

	if (value[0] == '{') {
		g_autoptr (JsonParser) parser = json_parser_new ();
		JsonObject *object;
		GList *members;

		if (!json_parser_load_from_data (parser, value, -1, NULL) ||
		    !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
			return;
		object = json_node_get_object (json_parser_get_root (parser));
		opts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
		members = json_object_get_members (object);
		for (GList *l = members; l != NULL; l = l->next) {
			JsonNode *node = json_object_get_member (object, l->data);
			if (JSON_NODE_HOLDS_VALUE (node) &&
			    json_node_get_value_type (node) == G_TYPE_STRING)
				g_hash_table_replace (opts, g_strdup (l->data),
						      g_strdup (json_node_get_string (node)));
		}
		g_list_free (members);
	} else {
		opts = parse_opts (value, "driver");
	}
	if (g_strcmp0 (g_hash_table_lookup (opts, "name"), "org.qemu.guest_agent.0") == 0 &&
	    g_hash_table_contains (opts, "chardev"))
		g_ptr_array_add (c->agents, g_strdup (g_hash_table_lookup (opts, "chardev")));
}

static void
add_name (Cmdline *c, const gchar *value)
{
	g_autoptr (GHashTable) opts = parse_opts (value, "guest");

	g_free (c->name);
	c->name = g_strdup (g_hash_table_lookup (opts, "guest"));
}

/* one option of QEMU or qemu-storage-daemon, and its value; FALSE if it is none we read */
static gboolean
add_option (Cmdline *c, const gchar *opt, const gchar *value)
{
	if (g_strcmp0 (opt, "qmp") == 0 || g_strcmp0 (opt, "qmp-pretty") == 0) {
		gchar *address = legacy_address (c, value);
		if (address != NULL)
			g_ptr_array_add (c->direct, address);
	} else if (g_strcmp0 (opt, "chardev") == 0) {
		add_chardev (c, value);
	} else if (g_strcmp0 (opt, "mon") == 0) {
		add_monitor (c, value, "readline");
	} else if (g_strcmp0 (opt, "monitor") == 0) {
		if (c->kind == QMPSH_DISCOVER_KIND_STORAGE_DAEMON)
			add_monitor (c, value, "control");
	} else if (g_strcmp0 (opt, "object") == 0) {
		add_object (c, value);
	} else if (g_strcmp0 (opt, "device") == 0) {
		add_device (c, value);
	} else if (g_strcmp0 (opt, "name") == 0) {
		add_name (c, value);
	} else {
		return FALSE;
	}
	return TRUE;
}

/* qemu-ga's getopt options: -m/--method and -p/--path, in every spelling getopt takes */
static gint
add_ga_option (Cmdline *c, const gchar *word, const gchar *next)
{
	const struct {
		const gchar *short_opt;
		const gchar *long_opt;
		gsize offset;
	} opts[] = {
		{ "-m", "--method", G_STRUCT_OFFSET (Cmdline, ga_method) },
		{ "-p", "--path", G_STRUCT_OFFSET (Cmdline, ga_path) },
	};

	for (guint i = 0; i < G_N_ELEMENTS (opts); i++) {
		gchar **field = G_STRUCT_MEMBER_P (c, opts[i].offset);
		gsize len = strlen (opts[i].long_opt);
		const gchar *value = NULL;
		gint used = 0;

		if (g_strcmp0 (word, opts[i].short_opt) == 0 ||
		    g_strcmp0 (word, opts[i].long_opt) == 0) {
			value = next;
			used = 1;
		} else if (g_str_has_prefix (word, opts[i].long_opt) && word[len] == '=') {
			value = word + len + 1;
		} else if (g_str_has_prefix (word, opts[i].short_opt) && word[2] != '\0' &&
			   word[1] != '-') {
			value = word + 2;
		}
		if (value != NULL) {
			g_free (*field);
			*field = g_strdup (value);
			return used;
		}
	}
	return 0;
}

static void
add_endpoint (GPtrArray *out, const gchar *name, gint pid, QmpshDiscoverKind kind,
	      const gchar *address)
{
	for (guint i = 0; i < out->len; i++) {
		QmpshDiscoverEndpoint *e = g_ptr_array_index (out, i);
		if (g_strcmp0 (e->address, address) == 0)
			return;
	}
	g_ptr_array_add (out, qmpsh_discover_endpoint_new (name, pid, kind, address));
}

static GPtrArray *
cmdline_endpoints (Cmdline *c, gint pid)
{
	GPtrArray *out =
		g_ptr_array_new_with_free_func ((GDestroyNotify)qmpsh_discover_endpoint_free);

	if (c->kind == QMPSH_DISCOVER_KIND_GUEST_AGENT) {
		g_autofree gchar *path = unix_address (c, c->ga_path);
		/* the default method, virtio-serial, is the guest's end: nothing on the host */
		if (g_strcmp0 (c->ga_method, "unix-listen") == 0 && path != NULL)
			add_endpoint (out, NULL, pid, c->kind, path);
		return out;
	}
	for (guint i = 0; i < c->direct->len; i++)
		add_endpoint (out, c->name, pid, c->kind, g_ptr_array_index (c->direct, i));
	for (guint i = 0; i < c->monitors->len; i++) {
		const gchar *address =
			g_hash_table_lookup (c->chardevs, g_ptr_array_index (c->monitors, i));
		if (address != NULL)
			add_endpoint (out, c->name, pid, c->kind, address);
	}
	for (guint i = 0; i < c->agents->len; i++) {
		const gchar *address =
			g_hash_table_lookup (c->chardevs, g_ptr_array_index (c->agents, i));
		if (address != NULL)
			add_endpoint (out, c->name, pid, QMPSH_DISCOVER_KIND_GUEST_AGENT, address);
	}
	return out;
}

static gboolean
program_kind (const gchar *argv0, QmpshDiscoverKind *kind)
{
	g_autofree gchar *base = g_path_get_basename (argv0);

	if (g_str_has_prefix (base, "qemu-system-") || g_strcmp0 (base, "qemu-kvm") == 0)
		*kind = QMPSH_DISCOVER_KIND_QEMU;
	else if (g_strcmp0 (base, "qemu-storage-daemon") == 0)
		*kind = QMPSH_DISCOVER_KIND_STORAGE_DAEMON;
	else if (g_strcmp0 (base, "qemu-ga") == 0)
		*kind = QMPSH_DISCOVER_KIND_GUEST_AGENT;
	else
		return FALSE;
	return TRUE;
}

/**
 * qmpsh_discover_cmdline_parse:
 * @argv: a process's command line
 * @cwd: (nullable): its working directory, for relative paths; %NULL leaves them out
 * @pid: the process, or 0
 *
 * Returns: (transfer full) (element-type QmpshDiscoverEndpoint): the endpoints
 *   @argv listens on; none for a program other than qemu-system-*,
 *   qemu-storage-daemon and qemu-ga
 */
GPtrArray *
qmpsh_discover_cmdline_parse (const gchar *const *argv, const gchar *cwd, gint pid)
{
	g_auto (Cmdline) c = {
		.cwd = cwd,
		.chardevs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
		.monitors = g_ptr_array_new_with_free_func (g_free),
		.agents = g_ptr_array_new_with_free_func (g_free),
		.direct = g_ptr_array_new_with_free_func (g_free),
	};

	if (argv == NULL || argv[0] == NULL || !program_kind (argv[0], &c.kind))
		return g_ptr_array_new_with_free_func (
			(GDestroyNotify)qmpsh_discover_endpoint_free);
	for (guint i = 1; argv[i] != NULL; i++) {
		const gchar *word = argv[i];
		g_autofree gchar *opt = NULL;
		const gchar *eq;

		if (c.kind == QMPSH_DISCOVER_KIND_GUEST_AGENT) {
			i += add_ga_option (&c, word, argv[i + 1]);
			if (argv[i] == NULL)
				break;
			continue;
		}
		if (word[0] != '-')
			continue;
		/* QEMU takes -opt and --opt; the storage daemon's getopt also --opt=value */
		opt = g_strdup (word + (word[1] == '-' ? 2 : 1));
		eq = strchr (opt, '=');
		if (eq != NULL) {
			opt[eq - opt] = '\0';
			add_option (&c, opt, eq + 1);
		} else if (argv[i + 1] != NULL && add_option (&c, opt, argv[i + 1])) {
			/* every option read takes a value; others are stepped over one word at a
			 * time */
			i++;
		}
	}
	return cmdline_endpoints (&c, pid);
}
