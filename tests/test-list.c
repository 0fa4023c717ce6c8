/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * Finding VMs: `qmpsh --list` against real QEMU, qemu-storage-daemon and
 * qemu-ga, and `qmpsh NAME`. Other servers may run on the machine: only the
 * endpoints in the test's own directory are looked at, and the VMs' names
 * carry the test's pid.
 */

#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "qmp-test-util.h"
#include "qmpsh-discover-cmdline.h"

typedef struct {
	gchar *dir;
	gchar *sock_a;
	gchar *sock_b;
	gchar *name_a;
	gchar *name_b;
	QmpTestQemu *qemu_a;
	QmpTestQemu *qemu_b;
} Fixture;

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
	fx->dir = qmp_test_make_dir ();
	fx->sock_a = g_build_filename (fx->dir, "a.sock", NULL);
	fx->sock_b = g_build_filename (fx->dir, "b.sock", NULL);
	fx->name_a = g_strdup_printf ("vmA-%d", (gint)getpid ());
	fx->name_b = g_strdup_printf ("vmB-%d", (gint)getpid ());
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
	g_clear_pointer (&fx->qemu_a, qmp_test_qemu_free);
	g_clear_pointer (&fx->qemu_b, qmp_test_qemu_free);
	qmp_test_remove_dir (fx->dir);
	g_free (fx->dir);
	g_free (fx->sock_a);
	g_free (fx->sock_b);
	g_free (fx->name_a);
	g_free (fx->name_b);
}

/* vmA with -name NAME and -qmp; vmB with -name guest=NAME,... and -chardev and -mon */
static void
start_two (Fixture *fx, const gchar *name_b)
{
	g_autofree gchar *qmp = g_strdup_printf ("unix:%s,server=on,wait=off", fx->sock_a);
	g_autofree gchar *guest = g_strdup_printf ("guest=%s,debug-threads=on", name_b);
	g_autofree gchar *chardev =
		g_strdup_printf ("socket,id=m,path=%s,server=on,wait=off", fx->sock_b);
	const gchar *args_a[] = { "-S", "-name", fx->name_a, "-qmp", qmp, NULL };
	const gchar *args_b[] = {
		"-S", "-name", guest, "-chardev", chardev, "-mon", "chardev=m,mode=control", NULL
	};
	const gchar *wait_a[] = { fx->sock_a, NULL };
	const gchar *wait_b[] = { fx->sock_b, NULL };

	fx->qemu_a = qmp_test_qemu_start (args_a, wait_a);
	fx->qemu_b = qmp_test_qemu_start (args_b, wait_b);
}

/* `qmpsh --list --json`: the objects whose address is in the test's directory, by address */
static GHashTable *
list_json (Fixture *fx)
{
	const gchar *args[] = { "--list", "--json", NULL };
	g_autoptr (QmpTestRun) run = qmp_test_run_qmpsh (NULL, args);
	g_autofree gchar *prefix = g_strconcat (fx->dir, "/", NULL);
	GHashTable *found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
						   (GDestroyNotify)json_object_unref);
	g_auto (GStrv) lines = NULL;

	g_assert_cmpstr (run->err, ==, "");
	g_assert_cmpint (run->status, ==, 0);
	lines = g_strsplit (run->out, "\n", -1);
	for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++) {
		g_autoptr (JsonParser) parser = json_parser_new ();
		g_autoptr (GError) error = NULL;
		JsonObject *object;
		const gchar *address;

		/* JSON Lines: each line is one whole object */
		json_parser_load_from_data (parser, lines[i], -1, &error);
		g_assert_no_error (error);
		g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
		object = json_node_get_object (json_parser_get_root (parser));
		g_assert_cmpuint (json_object_get_size (object), ==, 5);
		address = json_object_get_string_member (object, "address");
		if (g_str_has_prefix (address, prefix))
			g_hash_table_replace (found, g_strdup (address), json_object_ref (object));
	}
	return found;
}

static void
assert_endpoint (GHashTable *found, const gchar *address, const gchar *name, const gchar *kind,
		 QmpTestQemu *server, gboolean busy)
{
	JsonObject *o = g_hash_table_lookup (found, address);
	JsonNode *pid;

	if (o == NULL)
		g_error ("%s is not in qmpsh --list --json", address);
	if (name != NULL)
		g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, name);
	else
		g_assert_true (json_object_get_null_member (o, "name"));
	g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, kind);
	pid = json_object_get_member (o, "pid");
	if (server != NULL) {
		g_assert_true (json_node_get_value_type (pid) == G_TYPE_INT64);
		g_assert_cmpint (json_node_get_int (pid), ==, qmp_test_qemu_get_pid (server));
	} else {
		g_assert_true (JSON_NODE_HOLDS_NULL (pid));
	}
	g_assert_false (json_object_get_null_member (o, "busy"));
	g_assert_cmpint (json_object_get_boolean_member (o, "busy"), ==, busy);
}

static void
test_list_json (Fixture *fx, gconstpointer data)
{
	g_autoptr (GHashTable) found = NULL;

	start_two (fx, fx->name_b);
	found = list_json (fx);
	g_assert_cmpuint (g_hash_table_size (found), ==, 2);
	assert_endpoint (found, fx->sock_a, fx->name_a, "qemu", fx->qemu_a, FALSE);
	assert_endpoint (found, fx->sock_b, fx->name_b, "qemu", fx->qemu_b, FALSE);
}

static void
test_list_table (Fixture *fx, gconstpointer data)
{
	const gchar *args[] = { "--list", NULL };
	g_autoptr (QmpTestRun) run = NULL;
	g_auto (GStrv) lines = NULL;
	const gchar *header;
	gsize column;
	guint rows = 0;

	start_two (fx, fx->name_b);
	run = qmp_test_run_qmpsh (NULL, args);
	g_assert_cmpint (run->status, ==, 0);
	lines = g_strsplit (run->out, "\n", -1);
	header = lines[0];
	g_assert_true (g_str_has_prefix (header, "NAME "));
	g_assert_nonnull (strstr (header, " PID "));
	g_assert_nonnull (strstr (header, " KIND "));
	g_assert_nonnull (strstr (header, " BUSY "));
	g_assert_true (g_str_has_suffix (header, " ADDRESS"));
	/* aligned: each of our rows has its address where the header has ADDRESS */
	column = strlen (header) - strlen ("ADDRESS");
	for (guint i = 1; lines[i] != NULL; i++) {
		if (strstr (lines[i], fx->dir) == NULL)
			continue;
		rows++;
		g_assert_cmpstr (lines[i] + column, ==,
				 g_str_has_prefix (lines[i], fx->name_a) ? fx->sock_a : fx->sock_b);
		g_assert_nonnull (strstr (lines[i], " qemu "));
		g_assert_nonnull (strstr (lines[i], " no "));
	}
	g_assert_cmpuint (rows, ==, 2);
}

static void
test_connect_by_name (Fixture *fx, gconstpointer data)
{
	const gchar *args_a[] = { "-c", "query-name", fx->name_a, NULL };
	const gchar *args_b[] = { "-c", "query-name", fx->name_b, NULL };
	g_autofree gchar *want_a = g_strdup_printf ("{\"return\":{\"name\":\"%s\"}}\n", fx->name_a);
	g_autofree gchar *want_b = g_strdup_printf ("{\"return\":{\"name\":\"%s\"}}\n", fx->name_b);
	g_autoptr (QmpTestRun) run_a = NULL;
	g_autoptr (QmpTestRun) run_b = NULL;

	start_two (fx, fx->name_b);
	run_a = qmp_test_run_qmpsh (NULL, args_a);
	g_assert_cmpstr (run_a->err, ==, "");
	g_assert_cmpint (run_a->status, ==, 0);
	g_assert_cmpstr (run_a->out, ==, want_a);
	run_b = qmp_test_run_qmpsh (NULL, args_b);
	g_assert_cmpstr (run_b->err, ==, "");
	g_assert_cmpint (run_b->status, ==, 0);
	g_assert_cmpstr (run_b->out, ==, want_b);
}

/* a name no VM has, or two have: one line, saying what to run */
static void
assert_one_line (QmpTestRun *run, gint status, const gchar *part)
{
	g_assert_cmpint (run->status, ==, status);
	g_assert_cmpstr (run->out, ==, "");
	g_assert_true (g_str_has_prefix (run->err, "qmpsh: "));
	g_assert_nonnull (strstr (run->err, part));
	g_assert_nonnull (strstr (run->err, "qmpsh --list"));
	g_assert_true (strchr (run->err, '\n') == run->err + strlen (run->err) - 1);
}

static void
test_unknown_name (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *name = g_strdup_printf ("no-such-vm-%d", (gint)getpid ());
	const gchar *args[] = { "-c", "query-name", name, NULL };
	const gchar *ga_args[] = { "--ga", "-c", "guest-ping", fx->name_a, NULL };
	g_autoptr (QmpTestRun) run = NULL;
	g_autoptr (QmpTestRun) ga_run = NULL;
	g_autofree gchar *part = g_strdup_printf ("'%s'", name);

	start_two (fx, fx->name_b);
	run = qmp_test_run_qmpsh (NULL, args);
	assert_one_line (run, 3, part);
	/* vmA has no guest agent port */
	ga_run = qmp_test_run_qmpsh (NULL, ga_args);
	assert_one_line (ga_run, 3, "guest agent");
}

static void
test_ambiguous_name (Fixture *fx, gconstpointer data)
{
	const gchar *args[] = { "-c", "query-name", fx->name_a, NULL };
	g_autoptr (QmpTestRun) run = NULL;
	g_autofree gchar *part = g_strdup_printf ("more than one VM is named '%s'", fx->name_a);

	start_two (fx, fx->name_a);
	run = qmp_test_run_qmpsh (NULL, args);
	assert_one_line (run, 2, part);
}

static void
test_busy (Fixture *fx, gconstpointer data)
{
	g_autoptr (GSocketClient) client = g_socket_client_new ();
	g_autoptr (GSocketAddress) address = g_unix_socket_address_new (fx->sock_a);
	g_autoptr (GSocketConnection) held = NULL;
	g_autoptr (GHashTable) found = NULL;
	g_autoptr (GError) error = NULL;
	gchar greeting[8] = { 0 };

	start_two (fx, fx->name_b);
	held = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
	g_assert_no_error (error);
	/* the greeting says QEMU took this client: from now on it holds the monitor */
	g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (held)), greeting,
				 sizeof (greeting) - 1, NULL, NULL, &error);
	g_assert_no_error (error);
	g_assert_cmpstr (greeting, ==, "{\"QMP\":");
	found = list_json (fx);
	assert_endpoint (found, fx->sock_a, fx->name_a, "qemu", fx->qemu_a, TRUE);
	assert_endpoint (found, fx->sock_b, fx->name_b, "qemu", fx->qemu_b, FALSE);
}

/* --list takes no address, and --json goes with it */
static void
test_usage (void)
{
	const gchar *json_alone[] = { "--json", "/nowhere.sock", NULL };
	const gchar *with_address[] = { "--list", "/nowhere.sock", NULL };
	g_autoptr (QmpTestRun) run1 = qmp_test_run_qmpsh (NULL, json_alone);
	g_autoptr (QmpTestRun) run2 = qmp_test_run_qmpsh (NULL, with_address);

	g_assert_cmpint (run1->status, ==, 2);
	g_assert_cmpstr (run1->err, ==, "qmpsh: --json goes with --list\n");
	g_assert_cmpint (run2->status, ==, 2);
	g_assert_cmpstr (run2->err, ==, "qmpsh: --list takes no address, --launch or --listen\n");
}

/* qemu-storage-daemon (getopt's --opt=value, an implied chardev=) and qemu-ga (--path=) */
static void
test_daemons (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *qsd_sock = g_build_filename (fx->dir, "qsd.sock", NULL);
	g_autofree gchar *ga_sock = g_build_filename (fx->dir, "qga.sock", NULL);
	g_autofree gchar *chardev =
		g_strdup_printf ("--chardev=socket,id=m,path=%s,server=on,wait=off", qsd_sock);
	g_autofree gchar *path = g_strdup_printf ("--path=%s", ga_sock);
	const gchar *qsd_argv[] = { "qemu-storage-daemon", chardev, "--monitor", "m", NULL };
	const gchar *ga_argv[] = { "qemu-ga", "-m", "unix-listen", path, "-t", fx->dir, NULL };
	const gchar *qsd_wait[] = { qsd_sock, NULL };
	const gchar *ga_wait[] = { ga_sock, NULL };
	g_autoptr (QmpTestQemu) qsd = qmp_test_process_start (qsd_argv, qsd_wait);
	g_autoptr (QmpTestQemu) ga = qmp_test_process_start (ga_argv, ga_wait);
	g_autoptr (GHashTable) found = list_json (fx);

	g_assert_cmpuint (g_hash_table_size (found), ==, 2);
	assert_endpoint (found, qsd_sock, NULL, "storage-daemon", qsd, FALSE);
	assert_endpoint (found, ga_sock, NULL, "guest-agent", ga, FALSE);
}

/* a listening socket at DIR/NAME, its directories made */
static GSocket *
listen_at (const gchar *dir, const gchar *name)
{
	g_autofree gchar *path = g_build_filename (dir, name, NULL);
	g_autofree gchar *parent = g_path_get_dirname (path);
	g_autoptr (GSocketAddress) address = g_unix_socket_address_new (path);
	g_autoptr (GError) error = NULL;
	GSocket *sock;

	g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
	sock = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, 0, &error);
	g_assert_no_error (error);
	g_socket_bind (sock, address, FALSE, &error);
	g_assert_no_error (error);
	g_socket_listen (sock, &error);
	g_assert_no_error (error);
	return sock;
}

static void
remove_tree (const gchar *path)
{
	g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
		g_autofree gchar *child = g_build_filename (path, name, NULL);
		if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
		    !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
			remove_tree (child);
		else
			g_unlink (child);
	}
	g_rmdir (path);
}

/* no process to read: sockets named for QMP in $XDG_RUNTIME_DIR, and session libvirt's */
static void
test_runtime_dir_and_libvirt (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *run = g_build_filename (fx->dir, "run", NULL);
	g_autofree gchar *config = g_build_filename (fx->dir, "config", NULL);
	g_autofree gchar *libvirt = g_build_filename (config, "libvirt/qemu/lib", NULL);
	const gchar *names[] = { "vm1.qmp",    "sub/qmp-vm2.sock", "vm3_qga",
				 "other.sock", "sub/deeper/x.qmp", "qmpx.sock" };
	g_autoptr (GPtrArray) socks = g_ptr_array_new_with_free_func (g_object_unref);
	g_autoptr (GHashTable) found = NULL;
	g_autofree gchar *vm1 = g_build_filename (run, "vm1.qmp", NULL);
	g_autofree gchar *vm2 = g_build_filename (run, "sub/qmp-vm2.sock", NULL);
	g_autofree gchar *vm3 = g_build_filename (run, "vm3_qga", NULL);
	g_autofree gchar *domain = g_build_filename (libvirt, "domain-3-vmx/monitor.sock", NULL);

	for (guint i = 0; i < G_N_ELEMENTS (names); i++)
		g_ptr_array_add (socks, listen_at (run, names[i]));
	g_ptr_array_add (socks, listen_at (libvirt, "domain-3-vmx/monitor.sock"));
	g_setenv ("XDG_RUNTIME_DIR", run, TRUE);
	g_setenv ("XDG_CONFIG_HOME", config, TRUE);
	found = list_json (fx);
	g_unsetenv ("XDG_RUNTIME_DIR");
	g_unsetenv ("XDG_CONFIG_HOME");
	/* other.sock is not named for QMP, qmpx is no word, and deeper is too deep */
	g_assert_cmpuint (g_hash_table_size (found), ==, 4);
	assert_endpoint (found, vm1, NULL, "qemu", NULL, FALSE);
	assert_endpoint (found, vm2, NULL, "qemu", NULL, FALSE);
	assert_endpoint (found, vm3, NULL, "guest-agent", NULL, FALSE);
	assert_endpoint (found, domain, "vmx", "qemu", NULL, FALSE);
	g_clear_pointer (&socks, g_ptr_array_unref);
	remove_tree (run);
	remove_tree (config);
}

/*
 * A monitor that sends no greeting, said for what it is: a libvirt
 * domain's is libvirtd's; one another client holds says so; a free one works
 */
static void
test_silent_monitor (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *libvirt = g_build_filename (fx->dir, "libvirt/qemu/lib", NULL);
	g_autofree gchar *domain = g_build_filename (libvirt, "domain-7-web/monitor.sock", NULL);
	g_autoptr (GSocket) listening = listen_at (libvirt, "domain-7-web/monitor.sock");
	const gchar *at_domain[] = { "--greeting-timeout=0.3", "-c", "query-status", domain, NULL };
	const gchar *at_a[] = { "--greeting-timeout=0.5", "-c", "query-status", fx->sock_a, NULL };
	const gchar *at_b[] = { "--greeting-timeout=5", "-c", "query-status", fx->sock_b, NULL };
	g_autoptr (GSocketClient) client = g_socket_client_new ();
	g_autoptr (GSocketAddress) address = NULL;
	g_autoptr (GSocketConnection) held = NULL;
	g_autoptr (GError) error = NULL;
	g_autoptr (QmpTestRun) libvirtd = qmp_test_run_qmpsh (NULL, at_domain);
	g_autoptr (QmpTestRun) busy = NULL;
	g_autoptr (QmpTestRun) free_one = NULL;
	g_autofree gchar *libvirtd_line =
		g_strdup_printf ("qmpsh: connecting to %s: this monitor is held by libvirtd; use "
				 "`virsh qemu-monitor-command web` instead\n",
				 domain);
	g_autofree gchar *busy_line = g_strdup_printf (
		"qmpsh: connecting to %s: another client holds this monitor now, and QEMU "
		"serves one at a time: close it, or give the VM a second -qmp monitor\n",
		fx->sock_a);
	gchar greeting[8] = { 0 };

	g_assert_cmpint (libvirtd->status, ==, 3);
	g_assert_cmpstr (libvirtd->err, ==, libvirtd_line);

	start_two (fx, fx->name_b);
	address = g_unix_socket_address_new (fx->sock_a);
	held = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
	g_assert_no_error (error);
	g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (held)), greeting,
				 sizeof (greeting) - 1, NULL, NULL, &error);
	g_assert_no_error (error);
	busy = qmp_test_run_qmpsh (NULL, at_a);
	g_assert_cmpint (busy->status, ==, 3);
	g_assert_cmpstr (busy->err, ==, busy_line);
	free_one = qmp_test_run_qmpsh (NULL, at_b);
	g_assert_cmpint (free_one->status, ==, 0);
	g_assert_cmpstr (free_one->err, ==, "");
}

/* command lines as QEMU, the storage daemon and qemu-ga read them: "KIND NAME ADDRESS" */
typedef struct {
	const gchar *argv;
	const gchar *expect;
} CmdlineCase;

static const CmdlineCase cmdline_cases[] = {
	{ "qemu-system-x86_64 -S -name vm -qmp unix:/r/a.sock,server,nowait", "qemu vm /r/a.sock" },
	{ "/usr/bin/qemu-system-aarch64 --name guest=v,,1,debug-threads=on --qmp-pretty "
	  "unix:/r/a,,b.sock,server=on,wait=off",
	  "qemu v,1 /r/a,b.sock" },
	/* QEMU is the client, not listening: nothing to connect to */
	{ "qemu-system-x86_64 -qmp unix:/r/a.sock", "" },
	{ "qemu-system-x86_64 -qmp unix:/r/a.sock,noserver", "" },
	{ "qemu-system-x86_64 -qmp tcp:127.0.0.1:4444,server,nowait", "qemu - 127.0.0.1:4444" },
	{ "qemu-system-x86_64 -qmp tcp::4444,server=on", "qemu - 127.0.0.1:4444" },
	{ "qemu-system-x86_64 -chardev socket,id=c,host=::1,port=5,server=on -mon c,mode=control",
	  "qemu - [::1]:5" },
	/* a -mon is HMP unless it says control; a chardev without a monitor is no QMP */
	{ "qemu-system-x86_64 -chardev socket,id=h,path=/r/h,server=on -mon chardev=h", "" },
	{ "qemu-system-x86_64 -chardev socket,id=h,path=/r/h,server=on -mon h,mode=readline", "" },
	{ "qemu-system-x86_64 -chardev socket,id=s,path=/r/s,server=on -serial chardev:s", "" },
	/* the monitor may come before its chardev; relative paths are the server's */
	{ "qemu-system-x86_64 -mon chardev=m,mode=control -chardev "
	  "socket,id=m,path=rel.sock,server",
	  "qemu - /cwd/rel.sock" },
	{ "qemu-system-x86_64 -chardev socket,id=m,path=/r/m,server=on,abstract=on -mon "
	  "m,mode=control",
	  "" },
	{ "qemu-system-x86_64 -chardev socket,id=m,fd=3,server=on -mon m,mode=control", "" },
	{ "qemu-system-x86_64 -chardev socket,id=m,path=/r/o,server=on -object "
	  "monitor-qmp,id=o,chardev=m",
	  "qemu - /r/o" },
	{ "qemu-system-x86_64 -name n -chardev socket,id=g,path=/r/g,server=on,wait=off -device "
	  "virtserialport,chardev=g,name=org.qemu.guest_agent.0",
	  "guest-agent n /r/g" },
	{ "qemu-system-x86_64 -chardev socket,id=g,path=/r/g,server=on -device "
	  "{\"driver\":\"virtserialport\",\"chardev\":\"g\",\"name\":\"org.qemu.guest_agent.0\"}",
	  "guest-agent - /r/g" },
	{ "qemu-storage-daemon --chardev socket,id=m,path=/r/q,server=on --monitor chardev=m",
	  "storage-daemon - /r/q" },
	{ "qemu-ga -m unix-listen -p /r/ga", "guest-agent - /r/ga" },
	{ "qemu-ga --method=unix-listen -pga.sock", "guest-agent - /cwd/ga.sock" },
	/* the default method is virtio-serial: the guest's end */
	{ "qemu-ga -p /dev/virtio-ports/org.qemu.guest_agent.0", "" },
	{ "bash -c qemu-system-x86_64 -qmp unix:/r/a.sock,server", "" },
};

static void
test_cmdline (void)
{
	for (guint i = 0; i < G_N_ELEMENTS (cmdline_cases); i++) {
		g_auto (GStrv) argv = g_strsplit (cmdline_cases[i].argv, " ", -1);
		g_autoptr (GPtrArray) found =
			qmpsh_discover_cmdline_parse ((const gchar *const *)argv, "/cwd", 7);
		g_autoptr (GString) got = g_string_new (NULL);

		for (guint j = 0; j < found->len; j++) {
			QmpshDiscoverEndpoint *e = g_ptr_array_index (found, j);
			g_string_append_printf (got, "%s%s %s %s", j > 0 ? "\n" : "",
						qmpsh_discover_kind_to_string (e->kind),
						e->name != NULL ? e->name : "-", e->address);
			g_assert_cmpint (e->pid, ==, 7);
		}
		if (g_strcmp0 (got->str, cmdline_cases[i].expect) != 0)
			g_error ("%s\ngave '%s', not '%s'", cmdline_cases[i].argv, got->str,
				 cmdline_cases[i].expect);
	}
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	signal (SIGPIPE, SIG_IGN);
	g_test_add_func ("/list/cmdline", test_cmdline);
	g_test_add_func ("/list/usage", test_usage);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD ("/list/json", test_list_json);
	ADD ("/list/table", test_list_table);
	ADD ("/list/connect-by-name", test_connect_by_name);
	ADD ("/list/unknown-name", test_unknown_name);
	ADD ("/list/ambiguous-name", test_ambiguous_name);
	ADD ("/list/busy", test_busy);
	ADD ("/list/daemons", test_daemons);
	ADD ("/list/runtime-dir-and-libvirt", test_runtime_dir_and_libvirt);
	ADD ("/list/silent-monitor", test_silent_monitor);
#undef ADD
	return g_test_run ();
}
