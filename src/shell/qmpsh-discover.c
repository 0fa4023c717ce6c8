/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * The QMP endpoints this user can reach on this machine: those the command
 * lines of running qemu-system-*, qemu-storage-daemon and qemu-ga open, then
 * libvirt's monitor sockets, then sockets in $XDG_RUNTIME_DIR named for QMP.
 *
 * Whether a client holds one is read from the kernel's socket tables
 * (/proc/net/unix, /proc/net/tcp{,6}), not by connecting: a listening
 * socket whose connection was accepted is held. A probe connection would be
 * the monitor's one client for as long as it lasts (a user connecting then
 * would wait), makes QEMU run its client-opened and client-closed handling,
 * and tells nothing of qemu-ga, which sends no greeting. The tables are read
 * once, however many endpoints there are.
 */

#include "qmpsh-discover.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qmpsh-discover-cmdline.h"

/* Linux's __SO_ACCEPTCON in /proc/net/unix's Flags, and its SS_CONNECTING and SS_CONNECTED states
 */
#define UNIX_FLAG_LISTENING   0x10000
#define UNIX_STATE_CONNECTING 2
#define UNIX_STATE_CONNECTED  3
/* TCP_ESTABLISHED and TCP_LISTEN in /proc/net/tcp's st */
#define TCP_STATE_ESTABLISHED 0x01
#define TCP_STATE_LISTEN      0x0a

#define SEEN_LISTENING 1
#define SEEN_CONNECTED 2
#define SEEN_QUEUED    4 /* a client the server has not accepted yet */

/**
 * qmpsh_discover_endpoint_new:
 * @name: (nullable): the VM's name
 * @pid: the process, or 0
 * @kind: what speaks there
 * @address: a socket path or HOST:PORT
 *
 * Returns: (transfer full): a new endpoint whose busy state is not known yet
 */
QmpshDiscoverEndpoint *
qmpsh_discover_endpoint_new (const gchar *name, gint pid, QmpshDiscoverKind kind,
			     const gchar *address)
{
	QmpshDiscoverEndpoint *self = g_new0 (QmpshDiscoverEndpoint, 1);

	self->name = g_strdup (name);
	self->pid = pid;
	self->kind = kind;
	self->address = g_strdup (address);
	return self;
}

void
qmpsh_discover_endpoint_free (QmpshDiscoverEndpoint *self)
{
	if (self == NULL)
		return;
	g_free (self->name);
	g_free (self->address);
	g_free (self);
}

/**
 * qmpsh_discover_kind_to_string:
 * @kind: a kind of endpoint
 *
 * Returns: "qemu", "storage-daemon" or "guest-agent"
 */
const gchar *
qmpsh_discover_kind_to_string (QmpshDiscoverKind kind)
{
	switch (kind) {
	case QMPSH_DISCOVER_KIND_STORAGE_DAEMON:
		return "storage-daemon";
	case QMPSH_DISCOVER_KIND_GUEST_AGENT:
		return "guest-agent";
	default:
		return "qemu";
	}
}

static gboolean
is_tcp (const gchar *address)
{
	return address[0] != '/';
}

/* what the user may connect to: a socket they may write, or any TCP port */
static gboolean
reachable (const gchar *address)
{
	GStatBuf st;

	if (is_tcp (address))
		return TRUE;
	return g_stat (address, &st) == 0 && S_ISSOCK (st.st_mode) && g_access (address, W_OK) == 0;
}

/* the same socket under another spelling (a symlinked directory, "..") is listed once */
static gchar *
dedup_key (const gchar *address)
{
	char *real;
	gchar *key;

	if (is_tcp (address))
		return g_strdup (address);
	real = realpath (address, NULL);
	if (real == NULL)
		return g_strdup (address);
	key = g_strdup (real);
	free (real);
	return key;
}

static void
add_found (GPtrArray *out, GHashTable *seen, QmpshDiscoverEndpoint *endpoint)
{
	g_autoptr (QmpshDiscoverEndpoint) e = endpoint;
	gchar *key;

	if (!reachable (e->address))
		return;
	key = dedup_key (e->address);
	if (!g_hash_table_add (seen, key))
		return;
	g_ptr_array_add (out, g_steal_pointer (&e));
}

static gint
compare_pids (gconstpointer a, gconstpointer b)
{
	return *(const gint *)a - *(const gint *)b;
}

/* one process's endpoints; one we may not read is no one's business */
static void
find_in_process (GPtrArray *out, GHashTable *seen, gint pid)
{
	g_autofree gchar *cmdline_path = g_strdup_printf ("/proc/%d/cmdline", pid);
	g_autofree gchar *cwd_path = g_strdup_printf ("/proc/%d/cwd", pid);
	g_autofree gchar *cmdline = NULL;
	g_autofree gchar *cwd = NULL;
	g_autoptr (GPtrArray) argv = g_ptr_array_new ();
	g_autoptr (GPtrArray) found = NULL;
	gsize len = 0;

	if (!g_file_get_contents (cmdline_path, &cmdline, &len, NULL) || len == 0)
		return;
	/* NUL-separated words, the last one NUL-terminated too */
	for (gsize i = 0; i < len; i += strlen (cmdline + i) + 1)
		g_ptr_array_add (argv, cmdline + i);
	g_ptr_array_add (argv, NULL);
	cwd = g_file_read_link (cwd_path, NULL);
	found = qmpsh_discover_cmdline_parse ((const gchar *const *)argv->pdata, cwd, pid);
	for (guint i = 0; i < found->len; i++)
		add_found (out, seen, g_steal_pointer (&found->pdata[i]));
}

static void
find_in_proc (GPtrArray *out, GHashTable *seen)
{
	g_autoptr (GDir) dir = g_dir_open ("/proc", 0, NULL);
	g_autoptr (GArray) pids = g_array_new (FALSE, FALSE, sizeof (gint));
	const gchar *entry;

	while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL) {
		gchar *end = NULL;
		gint64 pid = g_ascii_strtoll (entry, &end, 10);
		gint n = (gint)pid;
		if (end != entry && *end == '\0' && pid > 0 && pid <= G_MAXINT)
			g_array_append_val (pids, n);
	}
	g_array_sort (pids, compare_pids);
	for (guint i = 0; i < pids->len; i++)
		find_in_process (out, seen, g_array_index (pids, gint, i));
}

/* DIR/domain-ID-NAME/monitor.sock, as system and session libvirt keep them */
static void
find_in_libvirt (GPtrArray *out, GHashTable *seen, const gchar *path)
{
	g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
	const gchar *entry;

	while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL) {
		g_autofree gchar *sock = NULL;
		const gchar *name;

		if (!g_str_has_prefix (entry, "domain-"))
			continue;
		sock = g_build_filename (path, entry, "monitor.sock", NULL);
		name = strchr (entry + strlen ("domain-"), '-');
		add_found (out, seen,
			   qmpsh_discover_endpoint_new (name != NULL ? name + 1 : NULL, 0,
							QMPSH_DISCOVER_KIND_QEMU, sock));
	}
}

/* whether @word is one of the words of @name, split at '.', '-' and '_' */
static gboolean
has_word (const gchar *name, const gchar *word)
{
	g_auto (GStrv) words = g_strsplit_set (name, ".-_", -1);

	return g_strv_contains ((const gchar *const *)words, word);
}

/* sockets named for QMP (vm1.qmp, qmp-vm1.sock) or qemu-ga (vm1.qga) in DIR and one level down */
static void
find_in_runtime_dir (GPtrArray *out, GHashTable *seen, const gchar *path, guint depth)
{
	g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
	const gchar *entry;

	while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL) {
		g_autofree gchar *child = g_build_filename (path, entry, NULL);
		GStatBuf st;

		if (g_lstat (child, &st) != 0)
			continue;
		if (S_ISDIR (st.st_mode) && depth == 0)
			find_in_runtime_dir (out, seen, child, depth + 1);
		if (!S_ISSOCK (st.st_mode))
			continue;
		if (has_word (entry, "qmp"))
			add_found (out, seen,
				   qmpsh_discover_endpoint_new (NULL, 0, QMPSH_DISCOVER_KIND_QEMU,
								child));
		else if (has_word (entry, "qga"))
			add_found (out, seen,
				   qmpsh_discover_endpoint_new (
					   NULL, 0, QMPSH_DISCOVER_KIND_GUEST_AGENT, child));
	}
}

/* /proc/net/unix: bound path -> SEEN_LISTENING | SEEN_CONNECTED | SEEN_QUEUED */
static GHashTable *
read_unix_table (void)
{
	GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autofree gchar *text = NULL;
	g_auto (GStrv) lines = NULL;

	if (!g_file_get_contents ("/proc/net/unix", &text, NULL, NULL))
		return table;
	lines = g_strsplit (text, "\n", -1);
	for (guint i = 1; lines[i] != NULL; i++) {
		guint flags = 0, state = 0;
		gint path_at = -1;
		guint seen;

		/* Num RefCount Protocol Flags Type St Inode Path */
		if (sscanf (lines[i], "%*s %*x %*x %x %*x %x %*u %n", &flags, &state, &path_at) <
			    2 ||
		    path_at < 0 || lines[i][path_at] == '\0' || lines[i][path_at] == '@')
			continue;
		seen = GPOINTER_TO_UINT (g_hash_table_lookup (table, lines[i] + path_at));
		if (flags & UNIX_FLAG_LISTENING)
			seen |= SEEN_LISTENING;
		else if (state == UNIX_STATE_CONNECTED)
			seen |= SEEN_CONNECTED;
		else if (state == UNIX_STATE_CONNECTING)
			seen |= SEEN_QUEUED;
		g_hash_table_replace (table, g_strdup (lines[i] + path_at),
				      GUINT_TO_POINTER (seen));
	}
	return table;
}

/* /proc/net/tcp and tcp6: local port -> SEEN_LISTENING | SEEN_CONNECTED */
static GHashTable *
read_tcp_table (void)
{
	GHashTable *table = g_hash_table_new (g_direct_hash, g_direct_equal);
	const gchar *files[] = { "/proc/net/tcp", "/proc/net/tcp6" };

	for (guint f = 0; f < G_N_ELEMENTS (files); f++) {
		g_autofree gchar *text = NULL;
		g_auto (GStrv) lines = NULL;

		if (!g_file_get_contents (files[f], &text, NULL, NULL))
			continue;
		lines = g_strsplit (text, "\n", -1);
		for (guint i = 1; lines[i] != NULL; i++) {
			guint port = 0, state = 0, seen;

			/* sl local_address(HEX:PORT) rem_address st ... */
			if (sscanf (lines[i], "%*s %*[0-9A-Fa-f]:%x %*s %x", &port, &state) < 2)
				continue;
			seen = GPOINTER_TO_UINT (
				g_hash_table_lookup (table, GUINT_TO_POINTER (port)));
			if (state == TCP_STATE_LISTEN)
				seen |= SEEN_LISTENING;
			else if (state == TCP_STATE_ESTABLISHED)
				seen |= SEEN_CONNECTED;
			g_hash_table_replace (table, GUINT_TO_POINTER (port),
					      GUINT_TO_POINTER (seen));
		}
	}
	return table;
}

/*
 * The accepted connection is bound to the name the server bound, which is
 * relative when the server was given a relative path: that spelling counts
 * too when it names the same file.
 */
static guint
unix_seen (GHashTable *table, const gchar *address)
{
	GHashTableIter iter;
	gpointer key, value;
	guint seen = GPOINTER_TO_UINT (g_hash_table_lookup (table, address));

	if (seen != 0)
		return seen;
	g_hash_table_iter_init (&iter, table);
	while (g_hash_table_iter_next (&iter, &key, &value)) {
		const gchar *bound = key;
		gsize len = strlen (bound), alen = strlen (address);
		if (!g_path_is_absolute (bound) && alen > len && address[alen - len - 1] == '/' &&
		    strcmp (address + alen - len, bound) == 0)
			seen |= GPOINTER_TO_UINT (value);
	}
	return seen;
}

static void
find_busy (GPtrArray *endpoints)
{
	g_autoptr (GHashTable) unix_table = read_unix_table ();
	g_autoptr (GHashTable) tcp_table = read_tcp_table ();

	for (guint i = 0; i < endpoints->len; i++) {
		QmpshDiscoverEndpoint *e = g_ptr_array_index (endpoints, i);
		guint seen;

		if (is_tcp (e->address)) {
			const gchar *colon = strrchr (e->address, ':');
			guint64 port = colon != NULL ? g_ascii_strtoull (colon + 1, NULL, 10) : 0;
			seen = GPOINTER_TO_UINT (
				g_hash_table_lookup (tcp_table, GUINT_TO_POINTER ((guint)port)));
		} else {
			seen = unix_seen (unix_table, e->address);
		}
		/* a socket in another network namespace is not in our tables */
		if (!(seen & SEEN_LISTENING))
			e->busy = QMPSH_DISCOVER_BUSY_UNKNOWN;
		else
			e->busy = (seen & SEEN_CONNECTED) ? QMPSH_DISCOVER_BUSY_HELD
							  : QMPSH_DISCOVER_BUSY_FREE;
	}
}

/**
 * qmpsh_discover_explain_silence:
 * @address: a UNIX socket that sent no greeting, or refused us
 *
 * What is known of why, where it can be told: a libvirt domain's monitor
 * (libvirtd keeps it), or one that another client holds now (QEMU serves
 * one at a time).
 *
 * Returns: (transfer full) (nullable): the reason, or %NULL if none is known
 */
gchar *
qmpsh_discover_explain_silence (const gchar *address)
{
	const gchar *path = g_str_has_prefix (address, "unix:") ? address + 5 : address;
	g_autofree gchar *base = g_path_get_basename (path);
	g_autofree gchar *parent = g_path_get_dirname (path);
	g_autofree gchar *domain = g_path_get_basename (parent);
	g_autoptr (GHashTable) unix_table = NULL;
	guint seen;

	/* nothing of the far side can be seen from here, but that is the likely reason */
	if (g_ascii_strncasecmp (address, "ssh://", 6) == 0)
		return g_strdup ("the socket there took the connection but sent no greeting: "
				 "another client probably holds this monitor (QEMU serves one at "
				 "a time), or it is no QMP monitor");
	if (is_tcp (address))
		return NULL;
	/* DIR/domain-ID-NAME/monitor.sock: find_in_libvirt()'s layout */
	if (g_str_equal (base, "monitor.sock") && g_str_has_prefix (domain, "domain-") &&
	    strstr (path, "/libvirt/qemu/") != NULL) {
		const gchar *name = strchr (domain + strlen ("domain-"), '-');
		return g_strdup_printf ("this monitor is held by libvirtd; use "
					"`virsh qemu-monitor-command %s` instead",
					name != NULL ? name + 1 : "DOMAIN");
	}
	/*
	 * One client accepted, and one (ours) waiting to be: the server serves
	 * another. A silent server that accepted us shows no client waiting.
	 */
	unix_table = read_unix_table ();
	seen = unix_seen (unix_table, path);
	if ((seen & SEEN_CONNECTED) && (seen & SEEN_QUEUED))
		return g_strdup ("another client holds this monitor now, and QEMU serves one "
				 "at a time: close it, or give the VM a second -qmp monitor");
	return NULL;
}

/**
 * qmpsh_discover_find_all:
 *
 * Finds the endpoints this user can reach: a UNIX socket is listed only if
 * the user may connect to it. Those of running processes come first, in
 * process order, then libvirt's monitor sockets (system, then session), then
 * sockets in `$XDG_RUNTIME_DIR` and its subdirectories whose name has `qmp`
 * (or `qga`, for a guest agent) as a word between `.`, `-` and `_`. A socket
 * is listed once, as it was first found.
 *
 * Returns: (transfer full) (element-type QmpshDiscoverEndpoint): the endpoints
 */
GPtrArray *
qmpsh_discover_find_all (void)
{
	GPtrArray *out =
		g_ptr_array_new_with_free_func ((GDestroyNotify)qmpsh_discover_endpoint_free);
	g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autofree gchar *session =
		g_build_filename (g_get_user_config_dir (), "libvirt", "qemu", "lib", NULL);
	const gchar *runtime = g_getenv ("XDG_RUNTIME_DIR");

	find_in_proc (out, seen);
	find_in_libvirt (out, seen, "/var/lib/libvirt/qemu");
	find_in_libvirt (out, seen, session);
	if (runtime != NULL && g_path_is_absolute (runtime))
		find_in_runtime_dir (out, seen, runtime, 0);
	find_busy (out);
	return out;
}

/**
 * qmpsh_discover_is_name:
 * @word: the address given on the command line
 *
 * Returns: whether @word can only be a VM's name: it has neither '/' nor
 *   ':', so it is not HOST:PORT, unix: or tcp:, and no file has that name
 */
gboolean
qmpsh_discover_is_name (const gchar *word)
{
	return word != NULL && word[0] != '\0' && strchr (word, '/') == NULL &&
	       strchr (word, ':') == NULL && !g_file_test (word, G_FILE_TEST_EXISTS);
}

static gboolean
same_process (QmpshDiscoverEndpoint *a, QmpshDiscoverEndpoint *b)
{
	return a->pid != 0 && a->pid == b->pid;
}

/**
 * qmpsh_discover_resolve:
 * @endpoints: (element-type QmpshDiscoverEndpoint): what qmpsh_discover_find_all() found
 * @name: a VM's name
 * @guest_agent: whether the VM's guest agent is wanted, not its QMP monitor
 * @error: a #GError, or %NULL
 *
 * A VM with several monitors is one VM: the first that no client holds is
 * taken, or the first if all are held.
 *
 * Returns: (transfer full): the address of @name's endpoint, or %NULL with
 *   %G_IO_ERROR_NOT_FOUND when no VM has that name (or no guest agent is
 *   known for it), %G_IO_ERROR_INVALID_ARGUMENT when several processes have it
 */
gchar *
qmpsh_discover_resolve (GPtrArray *endpoints, const gchar *name, gboolean guest_agent,
			GError **error)
{
	QmpshDiscoverEndpoint *first = NULL;
	QmpshDiscoverEndpoint *chosen = NULL;
	gboolean named = FALSE;

	for (guint i = 0; i < endpoints->len; i++) {
		QmpshDiscoverEndpoint *e = g_ptr_array_index (endpoints, i);

		if (g_strcmp0 (e->name, name) != 0)
			continue;
		named = TRUE;
		if ((e->kind == QMPSH_DISCOVER_KIND_GUEST_AGENT) != guest_agent)
			continue;
		if (first != NULL && !same_process (first, e)) {
			g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
				     "more than one VM is named '%s': give the socket's path "
				     "(qmpsh --list shows them)",
				     name);
			return NULL;
		}
		if (first == NULL)
			first = e;
		if (chosen == NULL && e->busy != QMPSH_DISCOVER_BUSY_HELD)
			chosen = e;
	}
	if (first == NULL) {
		g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
			     named ? "VM '%s' has no guest agent socket that qmpsh can find: give "
				     "its path (qmpsh --list shows what there is)"
				   : "no socket or VM named '%s' found: qmpsh --list shows the "
				     "VMs there are",
			     name);
		return NULL;
	}
	return g_strdup ((chosen != NULL ? chosen : first)->address);
}

/**
 * qmpsh_discover_to_json:
 * @endpoints: (element-type QmpshDiscoverEndpoint): endpoints
 *
 * Returns: (transfer full): JSON Lines: one compact object a line, with the
 *   members name (a string, or null), pid (a number, or null), kind, address
 *   and busy (true, false, or null when not known)
 */
gchar *
qmpsh_discover_to_json (GPtrArray *endpoints)
{
	GString *out = g_string_new (NULL);

	for (guint i = 0; i < endpoints->len; i++) {
		QmpshDiscoverEndpoint *e = g_ptr_array_index (endpoints, i);
		g_autoptr (JsonBuilder) b = json_builder_new ();
		g_autoptr (JsonGenerator) gen = json_generator_new ();
		g_autoptr (JsonNode) root = NULL;
		g_autofree gchar *line = NULL;

		json_builder_begin_object (b);
		json_builder_set_member_name (b, "name");
		e->name != NULL ? json_builder_add_string_value (b, e->name)
				: json_builder_add_null_value (b);
		json_builder_set_member_name (b, "pid");
		e->pid != 0 ? json_builder_add_int_value (b, e->pid)
			    : json_builder_add_null_value (b);
		json_builder_set_member_name (b, "kind");
		json_builder_add_string_value (b, qmpsh_discover_kind_to_string (e->kind));
		json_builder_set_member_name (b, "address");
		json_builder_add_string_value (b, e->address);
		json_builder_set_member_name (b, "busy");
		e->busy == QMPSH_DISCOVER_BUSY_UNKNOWN
			? json_builder_add_null_value (b)
			: json_builder_add_boolean_value (b, e->busy == QMPSH_DISCOVER_BUSY_HELD);
		json_builder_end_object (b);
		root = json_builder_get_root (b);
		json_generator_set_root (gen, root);
		line = json_generator_to_data (gen, NULL);
		g_string_append_printf (out, "%s\n", line);
	}
	return g_string_free (out, FALSE);
}

/**
 * qmpsh_discover_to_table:
 * @endpoints: (element-type QmpshDiscoverEndpoint): endpoints
 *
 * Returns: (transfer full): a header and a line for each endpoint, in
 *   aligned columns NAME, PID, KIND, BUSY (yes, no, ?) and ADDRESS, last
 *   because it is the longest; "-" for what is not known
 */
gchar *
qmpsh_discover_to_table (GPtrArray *endpoints)
{
	g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
	GString *out = g_string_new (NULL);
	gint widths[4] = { 0 };
	const gchar *header[] = { "NAME", "PID", "KIND", "BUSY", "ADDRESS", NULL };

	g_ptr_array_add (rows, g_strdupv ((gchar **)header));
	for (guint i = 0; i < endpoints->len; i++) {
		QmpshDiscoverEndpoint *e = g_ptr_array_index (endpoints, i);
		gchar **row = g_new0 (gchar *, 6);

		row[0] = g_strdup (e->name != NULL ? e->name : "-");
		row[1] = e->pid != 0 ? g_strdup_printf ("%d", e->pid) : g_strdup ("-");
		row[2] = g_strdup (qmpsh_discover_kind_to_string (e->kind));
		row[3] = g_strdup (e->busy == QMPSH_DISCOVER_BUSY_HELD	 ? "yes"
				   : e->busy == QMPSH_DISCOVER_BUSY_FREE ? "no"
									 : "?");
		row[4] = g_strdup (e->address);
		g_ptr_array_add (rows, row);
	}
	for (guint i = 0; i < rows->len; i++) {
		gchar **row = g_ptr_array_index (rows, i);
		for (guint c = 0; c < G_N_ELEMENTS (widths); c++)
			widths[c] = MAX (widths[c], (gint)g_utf8_strlen (row[c], -1));
	}
	for (guint i = 0; i < rows->len; i++) {
		gchar **row = g_ptr_array_index (rows, i);
		for (guint c = 0; c < G_N_ELEMENTS (widths); c++)
			g_string_append_printf (out, "%s%*s  ", row[c],
						widths[c] - (gint)g_utf8_strlen (row[c], -1), "");
		g_string_append_printf (out, "%s\n", row[4]);
	}
	return g_string_free (out, FALSE);
}

/**
 * qmpsh_discover_to_names:
 * @endpoints: (element-type QmpshDiscoverEndpoint): endpoints
 * @guest_agent: whether the guest agents are wanted, not the QMP monitors
 *
 * What `qmpsh --list --names` prints: one word a line that qmpsh takes
 * back as an address, for each process: its VM's name when that names it
 * alone, its socket's address otherwise (no name, a name two VMs share, or
 * one that looks like a path), and each of its monitors when it has no name.
 *
 * Returns: (transfer full): the lines
 */
gchar *
qmpsh_discover_to_names (GPtrArray *endpoints, gboolean guest_agent)
{
	g_autoptr (GHashTable) said = g_hash_table_new (g_str_hash, g_str_equal);
	GString *out = g_string_new (NULL);

	for (guint i = 0; i < endpoints->len; i++) {
		QmpshDiscoverEndpoint *e = g_ptr_array_index (endpoints, i);
		g_autofree gchar *address = NULL;

		if ((e->kind == QMPSH_DISCOVER_KIND_GUEST_AGENT) != guest_agent)
			continue;
		if (e->name != NULL && qmpsh_discover_is_name (e->name))
			address = qmpsh_discover_resolve (endpoints, e->name, guest_agent, NULL);
		if (address == NULL) {
			g_string_append_printf (out, "%s\n", e->address);
			continue;
		}
		/* a VM with several monitors is one VM: named once */
		if (!g_hash_table_contains (said, e->name)) {
			g_hash_table_add (said, e->name);
			g_string_append_printf (out, "%s\n", e->name);
		}
	}
	return g_string_free (out, FALSE);
}
