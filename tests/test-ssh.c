/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * ssh:// addresses: a real sshd on a loopback port, with a host key and an
 * authorized key made for the test in its directory, and a real QEMU and
 * qemu-ga behind it, driven through the real qmpsh binary. qmpsh runs
 * ssh -F with the test's client configuration (QMPSH_SSH), so that the
 * user's own ~/.ssh is never read, and a TMPDIR of the test's, so that what
 * it leaves there can be seen.
 */

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "qmp-address.h"
#include "qmp-error.h"
#include "qmp-test-tmux.h"
#include "qmp-test-util.h"

typedef struct {
	gchar *dir;
	gchar *tmp; /* qmpsh's TMPDIR: where it makes the forwarded socket's directory */
	gchar *sock;
	guint port;
	QmpTestQemu *sshd;
	QmpTestQemu *server;
	QmpTestQemu *agent;
} Fixture;

static gchar *
path_in (Fixture *fx, const gchar *name)
{
	return g_build_filename (fx->dir, name, NULL);
}

static void
keygen (Fixture *fx, const gchar *name)
{
	g_autofree gchar *key = path_in (fx, name);
	g_autoptr (GSubprocess) p = NULL;
	g_autoptr (GError) error = NULL;

	p = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, "ssh-keygen", "-q", "-t",
			      "ed25519", "-N", "", "-C", name, "-f", key, NULL);
	g_assert_no_error (error);
	g_assert_true (g_subprocess_wait_check (p, NULL, &error));
	g_assert_no_error (error);
}

static gchar *
public_key (Fixture *fx, const gchar *name)
{
	g_autofree gchar *pub = g_strdup_printf ("%s/%s.pub", fx->dir, name);
	g_autofree gchar *text = NULL;
	g_auto (GStrv) words = NULL;

	g_assert_true (g_file_get_contents (pub, &text, NULL, NULL));
	words = g_strsplit (text, " ", 3);
	return g_strdup_printf ("%s %s", words[0], words[1]);
}

/* a client configuration: this key, these known hosts, nothing of the user's */
static void
write_client_config (Fixture *fx, const gchar *name, const gchar *key, const gchar *known)
{
	g_autofree gchar *path = path_in (fx, name);
	g_autofree gchar *text = g_strdup_printf ("Host *\n"
						  "  IdentityFile %s/%s\n"
						  "  IdentitiesOnly yes\n"
						  "  IdentityAgent none\n"
						  "  UserKnownHostsFile %s/%s\n"
						  "  GlobalKnownHostsFile /dev/null\n"
						  "  StrictHostKeyChecking yes\n",
						  fx->dir, key, fx->dir, known);

	g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
use_client_config (Fixture *fx, const gchar *name)
{
	g_autofree gchar *command = g_strdup_printf ("ssh -F %s/%s", fx->dir, name);
	g_setenv ("QMPSH_SSH", command, TRUE);
}

static void
start_sshd (Fixture *fx)
{
	g_autofree gchar *config = path_in (fx, "sshd_config");
	g_autofree gchar *port = NULL;
	g_autofree gchar *listen = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *host_key = NULL;
	g_autofree gchar *known = NULL;
	g_autofree gchar *user_key = NULL;
	g_autofree gchar *authorized = path_in (fx, "authorized_keys");
	g_autofree gchar *known_path = path_in (fx, "known_hosts");
	g_autofree gchar *empty_path = path_in (fx, "empty_known_hosts");

	keygen (fx, "host_key");
	keygen (fx, "user_key");
	keygen (fx, "other_key");
	user_key = public_key (fx, "user_key");
	g_assert_true (g_file_set_contents (authorized, user_key, -1, NULL));
	fx->port = qmp_test_free_port ();
	host_key = public_key (fx, "host_key");
	known = g_strdup_printf ("[127.0.0.1]:%u %s\n", fx->port, host_key);
	g_assert_true (g_file_set_contents (known_path, known, -1, NULL));
	g_assert_true (g_file_set_contents (empty_path, "", -1, NULL));
	text = g_strdup_printf ("HostKey %s/host_key\n"
				"AuthorizedKeysFile %s\n"
				"StrictModes no\n"
				"PasswordAuthentication no\n"
				"KbdInteractiveAuthentication no\n"
				"UsePAM no\n"
				"PidFile none\n"
				"ListenAddress 127.0.0.1\n",
				fx->dir, authorized);
	g_assert_true (g_file_set_contents (config, text, -1, NULL));
	write_client_config (fx, "ssh_config", "user_key", "known_hosts");
	write_client_config (fx, "ssh_config_wrong_key", "other_key", "known_hosts");
	write_client_config (fx, "ssh_config_unknown_host", "user_key", "empty_known_hosts");
	/* sshd's privilege separation needs its directory; a fresh container has none */
	g_mkdir_with_parents ("/run/sshd", 0755);
	port = g_strdup_printf ("%u", fx->port);
	listen = g_strdup_printf ("127.0.0.1:%u", fx->port);
	{
		const gchar *argv[] = {
			"/usr/sbin/sshd", "-D", "-e", "-f", config, "-p", port, NULL
		};
		const gchar *wait[] = { listen, NULL };
		fx->sshd = qmp_test_process_start (argv, wait);
	}
	use_client_config (fx, "ssh_config");
}

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
	fx->dir = qmp_test_make_dir ();
	fx->tmp = path_in (fx, "tmp");
	g_assert_cmpint (g_mkdir (fx->tmp, 0700), ==, 0);
	g_setenv ("TMPDIR", fx->tmp, TRUE);
	fx->sock = path_in (fx, "qmp.sock");
	start_sshd (fx);
}

/* nothing of an ssh connection is left behind: its directory went with it */
static void
assert_tmp_empty (Fixture *fx)
{
	g_autoptr (GDir) dir = g_dir_open (fx->tmp, 0, NULL);
	const gchar *name = g_dir_read_name (dir);

	if (name != NULL)
		g_error ("qmpsh left %s behind in its TMPDIR", name);
}

/* the test's subdirectories: the agent's state, the prompt's history */
static void
remove_tree (const gchar *path)
{
	g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
		g_autofree gchar *child = g_build_filename (path, name, NULL);
		if (g_file_test (child, G_FILE_TEST_IS_DIR))
			remove_tree (child);
		else
			g_unlink (child);
	}
	g_rmdir (path);
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *state = path_in (fx, "state");

	assert_tmp_empty (fx);
	g_clear_pointer (&fx->agent, qmp_test_qemu_free);
	g_clear_pointer (&fx->server, qmp_test_qemu_free);
	g_clear_pointer (&fx->sshd, qmp_test_qemu_free);
	remove_tree (state);
	g_rmdir (fx->tmp);
	g_unsetenv ("QMPSH_SSH");
	g_unsetenv ("TMPDIR");
	qmp_test_remove_dir (fx->dir);
	g_free (fx->dir);
	g_free (fx->tmp);
	g_free (fx->sock);
}

static gchar *
ssh_address (Fixture *fx, const gchar *user, const gchar *path)
{
	return g_strdup_printf ("ssh://%s%s127.0.0.1:%u%s", user != NULL ? user : "",
				user != NULL ? "@" : "", fx->port, path);
}

static gchar **
lines_of (const gchar *out)
{
	g_autofree gchar *trimmed = g_strdup (out);
	g_strchomp (trimmed);
	return g_strsplit (trimmed, "\n", -1);
}

static void
assert_contains (const gchar *haystack, const gchar *needle)
{
	if (strstr (haystack, needle) == NULL)
		g_error ("expected '%s' in:\n%s", needle, haystack);
}

/* a failure is one line on stderr that says what failed, and status 3 */
static void
assert_one_line (QmpTestRun *run, const gchar *address, const gchar *what, const gchar *hint)
{
	g_autofree gchar *start = g_strdup_printf ("qmpsh: connecting to %s: ", address);

	g_assert_cmpint (run->status, ==, 3);
	g_assert_cmpstr (run->out, ==, "");
	if (!g_str_has_prefix (run->err, start))
		g_error ("expected standard error to start with '%s', it was:\n%s", start,
			 run->err);
	/* one line: its newline is the last character */
	g_assert_cmpint (strchr (run->err, '\n') - run->err, ==, strlen (run->err) - 1);
	assert_contains (run->err, what);
	assert_contains (run->err, hint);
}

static void
test_command (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *address = ssh_address (fx, NULL, fx->sock);
	g_autofree gchar *with_user = ssh_address (fx, g_get_user_name (), fx->sock);
	const gchar *args[] = { "-c", "query-status", address, NULL };
	const gchar *user_args[] = { "-c", "query-version", with_user, NULL };
	g_autoptr (QmpTestRun) run = NULL;
	g_autoptr (QmpTestRun) user_run = NULL;

	fx->server = qmp_test_qemu_start_unix (fx->sock);
	run = qmp_test_run_qmpsh (NULL, args);
	g_assert_cmpstr (run->err, ==, "");
	g_assert_cmpint (run->status, ==, 0);
	qmp_test_assert_status_reply (run->out, "running", TRUE);
	assert_tmp_empty (fx);
	/* USER@ logs in as that user */
	user_run = qmp_test_run_qmpsh (NULL, user_args);
	g_assert_cmpstr (user_run->err, ==, "");
	g_assert_cmpint (user_run->status, ==, 0);
	qmp_test_assert_version_reply (user_run->out);
}

static void
test_batch_and_events (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *address = ssh_address (fx, NULL, fx->sock);
	const gchar *args[] = { "--events", address, NULL };
	g_autoptr (QmpTestRun) run = NULL;
	g_auto (GStrv) lines = NULL;

	fx->server = qmp_test_qemu_start_unix (fx->sock);
	run = qmp_test_run_qmpsh ("stop\nquery-status\ncont\nquery-status\nbogus-command\n", args);
	g_assert_cmpint (run->status, ==, 1);
	lines = lines_of (run->out);
	g_assert_cmpuint (g_strv_length (lines), ==, 7);
	/* QEMU sends each event before its reply to the command that caused it */
	assert_contains (lines[0], "\"event\":\"STOP\"");
	g_assert_cmpstr (lines[1], ==, "{\"return\":{}}");
	qmp_test_assert_status_reply (lines[2], "paused", FALSE);
	assert_contains (lines[3], "\"event\":\"RESUME\"");
	g_assert_cmpstr (lines[4], ==, "{\"return\":{}}");
	qmp_test_assert_status_reply (lines[5], "running", TRUE);
	assert_contains (lines[6], "CommandNotFound");
}

static void
test_guest_agent (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *qga = path_in (fx, "qga.sock");
	g_autofree gchar *state = path_in (fx, "state");
	g_autofree gchar *address = ssh_address (fx, NULL, qga);
	const gchar *argv[] = { "qemu-ga", "-m", "unix-listen", "-p", qga, "-t", state, NULL };
	const gchar *wait[] = { qga, NULL };
	const gchar *args[] = { "--ga", address, NULL };
	g_autoptr (QmpTestRun) run = NULL;
	g_auto (GStrv) lines = NULL;

	g_assert_cmpint (g_mkdir (state, 0700), ==, 0);
	fx->agent = qmp_test_process_start (argv, wait);
	run = qmp_test_run_qmpsh ("guest-ping\nguest-info\n", args);
	g_assert_cmpstr (run->err, ==, "");
	g_assert_cmpint (run->status, ==, 0);
	lines = lines_of (run->out);
	g_assert_cmpuint (g_strv_length (lines), ==, 2);
	g_assert_cmpstr (lines[0], ==, "{\"return\":{}}");
	assert_contains (lines[1], "\"supported_commands\":[");
	g_unlink (qga);
}

static void
test_wrong_key (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *address = ssh_address (fx, NULL, fx->sock);
	const gchar *args[] = { "-c", "query-status", address, NULL };
	g_autoptr (QmpTestRun) run = NULL;

	fx->server = qmp_test_qemu_start_unix (fx->sock);
	use_client_config (fx, "ssh_config_wrong_key");
	run = qmp_test_run_qmpsh (NULL, args);
	assert_one_line (run, address, "ssh could not log in to 127.0.0.1: ", "BatchMode");
	assert_contains (run->err, "Permission denied (publickey)");
}

static void
test_unknown_host (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *address = ssh_address (fx, NULL, fx->sock);
	const gchar *args[] = { "-c", "query-status", address, NULL };
	g_autoptr (QmpTestRun) run = NULL;

	fx->server = qmp_test_qemu_start_unix (fx->sock);
	use_client_config (fx, "ssh_config_unknown_host");
	run = qmp_test_run_qmpsh (NULL, args);
	assert_one_line (run, address,
			 "known_hosts holds no trusted host key for 127.0.0.1: Host key "
			 "verification failed",
			 "accept it with a plain ssh to the host once");
}

static void
test_no_socket (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *missing = path_in (fx, "none.sock");
	g_autofree gchar *address = ssh_address (fx, NULL, missing);
	g_autofree gchar *what = g_strdup_printf ("no socket %s on 127.0.0.1", missing);
	const gchar *args[] = { "-c", "query-status", address, NULL };
	const gchar *ga_args[] = { "--ga", "-c", "guest-ping", address, NULL };
	g_autoptr (QmpTestRun) run = NULL;
	g_autoptr (QmpTestRun) ga_run = NULL;

	run = qmp_test_run_qmpsh (NULL, args);
	assert_one_line (run, address, what, "is QEMU (or qemu-ga) running there");
	/* the guest agent speaks first: the same line */
	ga_run = qmp_test_run_qmpsh (NULL, ga_args);
	assert_one_line (ga_run, address, what, "with its socket at that path");
}

static void
test_cannot_connect (Fixture *fx, gconstpointer data)
{
	guint port = qmp_test_free_port ();
	g_autofree gchar *address = g_strdup_printf ("ssh://127.0.0.1:%u%s", port, fx->sock);
	g_autofree gchar *what =
		g_strdup_printf ("ssh cannot reach 127.0.0.1: connect to host 127.0.0.1 port "
				 "%u: Connection refused",
				 port);
	const gchar *args[] = { "-c", "query-status", address, NULL };
	g_autoptr (QmpTestRun) run = qmp_test_run_qmpsh (NULL, args);

	assert_one_line (run, address, what, "sshd listening on that port");
}

/*
 * A host that takes the TCP connection and never says a word (or drops the
 * packets: the same wait) held ssh, and qmpsh, until the test's timeout:
 * now qmpsh gives up after --greeting-timeout, ends ssh, leaves nothing behind
 */
static void
test_silent_host (Fixture *fx, gconstpointer data)
{
	const gchar *script[] = { "N", NULL };
	guint port = 0;
	g_autoptr (QmpTestServer) silent = qmp_test_server_new_tcp (&port, script);
	g_autofree gchar *address = g_strdup_printf ("ssh://127.0.0.1:%u%s", port, fx->sock);
	const gchar *args[] = { "--greeting-timeout", "0.5", "-c", "query-status", address, NULL };
	g_autoptr (QmpTestRun) run = qmp_test_run_qmpsh (NULL, args);

	assert_one_line (run, address, "not connected within 0.5 s: is the host up and reachable",
			 "a slow link may need a longer --greeting-timeout");
	assert_tmp_empty (fx);
	g_free (qmp_test_server_finish (silent));
}

/* a monitor another client holds takes the connection and says nothing */
static void
test_busy (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *address = ssh_address (fx, NULL, fx->sock);
	const gchar *args[] = { "--greeting-timeout", "0.5", "-c", "query-status", address, NULL };
	g_autoptr (GSocketClient) client = g_socket_client_new ();
	g_autoptr (GSocketAddress) sockaddr = NULL;
	g_autoptr (GSocketConnection) holder = NULL;
	g_autoptr (GDataInputStream) in = NULL;
	g_autofree gchar *greeting = NULL;
	g_autoptr (GError) error = NULL;
	g_autoptr (QmpTestRun) run = NULL;

	fx->server = qmp_test_qemu_start_unix (fx->sock);
	sockaddr = g_unix_socket_address_new (fx->sock);
	holder = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (sockaddr), NULL, &error);
	g_assert_no_error (error);
	/* greeted: the monitor is ours now */
	in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (holder)));
	greeting = g_data_input_stream_read_line (in, NULL, NULL, &error);
	g_assert_no_error (error);
	assert_contains (greeting, "\"QMP\"");
	run = qmp_test_run_qmpsh (NULL, args);
	assert_one_line (run, address, "another client probably holds this monitor",
			 "QEMU serves one at a time");
}

static void
test_fd_refused (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *address = ssh_address (fx, NULL, fx->sock);
	g_autofree gchar *log = path_in (fx, "vm.log");
	g_autofree gchar *input = g_strdup_printf ("getfd fdname=x fd>%s\nquery-status\n", log);
	const gchar *args[] = { address, NULL };
	g_autoptr (QmpTestRun) run = NULL;

	fx->server = qmp_test_qemu_start_unix (fx->sock);
	run = qmp_test_run_qmpsh (input, args);
	g_assert_cmpint (run->status, ==, 1);
	g_assert_cmpstr (run->err, ==,
			 "qmpsh: line 1: getfd: file descriptors can only be passed over a UNIX "
			 "socket, not over TCP, TLS or ssh (nothing sent)\n");
	/* nothing was sent, and the session went on */
	qmp_test_assert_status_reply (run->out, "running", TRUE);
	g_assert_false (g_file_test (log, G_FILE_TEST_EXISTS));
}

/* a hang-up ends ssh with qmpsh: it is reaped, and its directory gone, before qmpsh exits */
static void
test_hangup (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *address = ssh_address (fx, NULL, fx->sock);
	g_autoptr (GSubprocess) qmpsh = NULL;
	g_autoptr (GDataInputStream) out = NULL;
	g_autofree gchar *line = NULL;
	g_autoptr (GError) error = NULL;
	GOutputStream *in;

	fx->server = qmp_test_qemu_start_unix (fx->sock);
	qmpsh = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
					  G_SUBPROCESS_FLAGS_STDERR_SILENCE,
				  &error, g_getenv ("QMPSH"), address, NULL);
	g_assert_no_error (error);
	in = g_subprocess_get_stdin_pipe (qmpsh);
	g_assert_true (g_output_stream_write_all (in, "query-status\n", 13, NULL, NULL, &error));
	g_assert_no_error (error);
	out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (qmpsh));
	line = qmp_test_read_line (out, qmpsh, &error);
	g_assert_no_error (error);
	qmp_test_assert_status_reply (line, "running", TRUE);
	/* connected, and waiting for more input: the forwarded socket's directory is there */
	{
		g_autoptr (GDir) dir = g_dir_open (fx->tmp, 0, NULL);
		g_assert_nonnull (g_dir_read_name (dir));
	}
	qmp_test_signal_now (qmpsh, SIGHUP);
	g_assert_true (g_subprocess_wait (qmpsh, NULL, &error));
	g_assert_cmpint (g_subprocess_get_exit_status (qmpsh), ==, 129);
	assert_tmp_empty (fx);
}

/* whether @pid is gone: no such process, or a zombie that nobody waits for */
static gboolean
process_gone (gint pid)
{
	g_autofree gchar *path = g_strdup_printf ("/proc/%d/stat", pid);
	g_autofree gchar *stat = NULL;
	const gchar *end;

	if (!g_file_get_contents (path, &stat, NULL, NULL))
		return TRUE;
	end = strrchr (stat, ')');
	return end != NULL && end[1] == ' ' && end[2] == 'Z';
}

/*
 * Ctrl-C while ssh is still logging in ends ssh and what it started: a
 * ProxyCommand that never answers is killed with it, as its process group
 */
static void
test_interrupt_connecting (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *address = ssh_address (fx, NULL, fx->sock);
	g_autofree gchar *proxy = path_in (fx, "proxy.sh");
	g_autofree gchar *pid_file = path_in (fx, "proxy.pid");
	g_autofree gchar *script =
		g_strdup_printf ("#!/bin/sh\necho $$ > %s.new\nmv %s.new %s\nexec sleep 300\n",
				 pid_file, pid_file, pid_file);
	g_autofree gchar *command =
		g_strdup_printf ("ssh -F %s/ssh_config -o ProxyCommand=%s", fx->dir, proxy);
	g_autofree gchar *pid_text = NULL;
	g_autofree gchar *err = NULL;
	g_autoptr (GSubprocess) qmpsh = NULL;
	g_autoptr (GError) error = NULL;
	gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
	gint pid;

	g_assert_true (g_file_set_contents (proxy, script, -1, NULL));
	g_assert_cmpint (g_chmod (proxy, 0755), ==, 0);
	g_setenv ("QMPSH_SSH", command, TRUE);
	qmpsh = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
					  G_SUBPROCESS_FLAGS_STDERR_PIPE,
				  &error, g_getenv ("QMPSH"), "-c", "query-status", address, NULL);
	g_assert_no_error (error);
	while (!g_file_get_contents (pid_file, &pid_text, NULL, NULL)) {
		g_assert_cmpint (g_get_monotonic_time (), <, deadline);
		g_usleep (10000);
	}
	pid = atoi (pid_text);
	g_assert_cmpint (pid, >, 0);
	g_assert_false (process_gone (pid));
	qmp_test_signal_now (qmpsh, SIGINT);
	qmp_test_communicate (qmpsh, NULL, NULL, &err);
	g_assert_cmpint (g_subprocess_get_exit_status (qmpsh), ==, 130);
	g_assert_cmpstr (err, ==, "qmpsh: interrupted\n");
	assert_tmp_empty (fx);
	/* killed with ssh's group; init reaps it, in its own time */
	while (!process_gone (pid)) {
		g_assert_cmpint (g_get_monotonic_time (), <, deadline);
		g_usleep (10000);
	}
}

/* at the prompt Ctrl-C is qmpsh's alone: ssh, in a process group of its own, goes on */
static void
test_prompt (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *address = ssh_address (fx, NULL, fx->sock);
	g_autofree gchar *args = g_strdup_printf ("'%s'", address);
	g_autofree gchar *env =
		g_strdup_printf ("QMPSH_SSH='ssh -F %s/ssh_config' TMPDIR='%s'", fx->dir, fx->tmp);
	g_autoptr (QmpTestTmux) term = qmp_test_tmux_new (fx->dir);
	g_autofree gchar *connected = g_strdup_printf ("Connected to %s: QEMU", address);
	g_autofree gchar *text = NULL;

	fx->server = qmp_test_qemu_start_unix (fx->sock);
	qmp_test_tmux_set_env (term, env);
	qmp_test_tmux_start (term, args, "(running)");
	qmp_test_tmux_wait_for (term, connected, 5);
	qmp_test_tmux_keys (term, (const gchar *[]){ "query-name", NULL });
	qmp_test_tmux_wait_for (term, "> query-name", 5);
	qmp_test_tmux_keys (term, (const gchar *[]){ "C-c", NULL });
	qmp_test_tmux_wait_for (term, "query-name^C", 5);
	qmp_test_tmux_keys (term, (const gchar *[]){ "query-status", "Enter", NULL });
	qmp_test_tmux_wait_for (term, "\"status\": \"running\"", 5);
	qmp_test_tmux_keys (term, (const gchar *[]){ "C-u", "C-d", NULL });
	qmp_test_tmux_wait_for (term, "QMPSH-EXIT=0", 10);
	text = qmp_test_tmux_screen (term);
	g_assert_null (strstr (text, "qmpsh: "));
	assert_tmp_empty (fx);
}

/* what cannot work is said before any ssh runs, or as ssh fails to start */
static void
test_usage (Fixture *fx, gconstpointer data)
{
	g_autofree gchar *address = ssh_address (fx, NULL, fx->sock);
	g_autofree gchar *no_path = g_strdup_printf ("ssh://127.0.0.1:%u", fx->port);
	const gchar *listen[] = { "--listen", address, NULL };
	const gchar *tls[] = { "--tls-creds", fx->dir, address, NULL };
	const gchar *plain[] = { "-c", "query-status", address, NULL };
	const gchar *pathless[] = { "-c", "query-status", no_path, NULL };
	g_autoptr (QmpTestRun) listen_run = qmp_test_run_qmpsh (NULL, listen);
	g_autoptr (QmpTestRun) tls_run = qmp_test_run_qmpsh (NULL, tls);
	g_autoptr (QmpTestRun) pathless_run = qmp_test_run_qmpsh (NULL, pathless);
	g_autoptr (QmpTestRun) quote_run = NULL;
	g_autoptr (QmpTestRun) spawn_run = NULL;
	g_autofree gchar *expected = NULL;

	g_assert_cmpint (listen_run->status, ==, 2);
	g_assert_cmpstr (listen_run->err, ==,
			 "qmpsh: --listen takes a socket path or HOST:PORT: an ssh:// address can "
			 "be connected to only\n");
	g_assert_cmpint (tls_run->status, ==, 2);
	g_assert_cmpstr (tls_run->err, ==,
			 "qmpsh: ssh encrypts ssh:// connections itself: TLS options do not "
			 "apply\n");
	expected = g_strdup_printf (
		"'%s' is no ssh://[USER@]HOST[:PORT]/PATH: it needs a host and the socket's "
		"absolute path",
		no_path);
	assert_one_line (pathless_run, no_path, expected, "ssh://[USER@]HOST[:PORT]/PATH)");
	g_setenv ("QMPSH_SSH", "ssh -F 'unclosed", TRUE);
	quote_run = qmp_test_run_qmpsh (NULL, plain);
	g_assert_cmpint (quote_run->status, ==, 2);
	g_assert_true (g_str_has_prefix (quote_run->err, "qmpsh: QMPSH_SSH is no command line: "));
	g_setenv ("QMPSH_SSH", "/nonexistent/ssh -F x", TRUE);
	spawn_run = qmp_test_run_qmpsh (NULL, plain);
	assert_one_line (spawn_run, address, "cannot run /nonexistent/ssh: ",
			 "install OpenSSH's client, or name the command in QMPSH_SSH");
}

/* the forms of ssh:// the library reads, and those it refuses */
static void
test_address_forms (void)
{
	static const struct {
		const gchar *address;
		const gchar *user;
		const gchar *host;
		gint port;
		const gchar *path;
	} good[] = {
		{ "ssh://vmhost/run/vm1/qmp.sock", NULL, "vmhost", -1, "/run/vm1/qmp.sock" },
		{ "ssh://admin@vmhost:2222/q.sock", "admin", "vmhost", 2222, "/q.sock" },
		{ "ssh://[::1]:22/q.sock", NULL, "::1", 22, "/q.sock" },
		{ "SSH://vmhost/a%20b.sock", NULL, "vmhost", -1, "/a b.sock" },
	};
	static const gchar *const bad[] = {
		"ssh://vmhost",	       "ssh://vmhost/",		"ssh:///q.sock",
		"ssh://u:pw@vmhost/q", "ssh://vmhost/a:b.sock", "ssh://vmhost/q?x=1",
		"ssh://vmhost:port/q",
	};
	g_autoptr (GError) error = NULL;
	g_autoptr (GSocketConnectable) none = NULL;

	for (guint i = 0; i < G_N_ELEMENTS (good); i++) {
		g_autofree gchar *user = NULL;
		g_autofree gchar *host = NULL;
		g_autofree gchar *path = NULL;
		gint port = 0;

		g_assert_true (qmp_address_is_ssh (good[i].address));
		g_assert_true (qmp_address_parse_ssh (good[i].address, &user, &host, &port, &path,
						      &error));
		g_assert_no_error (error);
		g_assert_cmpstr (user, ==, good[i].user);
		g_assert_cmpstr (host, ==, good[i].host);
		g_assert_cmpint (port, ==, good[i].port);
		g_assert_cmpstr (path, ==, good[i].path);
	}
	for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
		g_autofree gchar *user = NULL;
		g_autofree gchar *host = NULL;
		g_autofree gchar *path = NULL;
		gint port = 0;

		g_assert_false (qmp_address_parse_ssh (bad[i], &user, &host, &port, &path, &error));
		g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
		g_assert_true (strstr (error->message, bad[i]) != NULL);
		g_assert_null (host);
		g_clear_error (&error);
	}
	/* no socket address: it is not one to listen on */
	g_assert_false (qmp_address_is_ssh ("/run/ssh://x"));
	none = qmp_address_parse ("ssh://vmhost/q.sock", &error);
	g_assert_null (none);
	g_assert_error (error, QMP_ERROR, QMP_ERROR_UNSUPPORTED);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/ssh/address-forms", test_address_forms);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD ("/ssh/command", test_command);
	ADD ("/ssh/batch-and-events", test_batch_and_events);
	ADD ("/ssh/guest-agent", test_guest_agent);
	ADD ("/ssh/wrong-key", test_wrong_key);
	ADD ("/ssh/unknown-host", test_unknown_host);
	ADD ("/ssh/no-socket", test_no_socket);
	ADD ("/ssh/cannot-connect", test_cannot_connect);
	ADD ("/ssh/busy", test_busy);
	ADD ("/ssh/silent-host", test_silent_host);
	ADD ("/ssh/fd-refused", test_fd_refused);
	ADD ("/ssh/hangup", test_hangup);
	ADD ("/ssh/interrupt-connecting", test_interrupt_connecting);
	ADD ("/ssh/usage", test_usage);
	ADD ("/ssh/prompt", test_prompt);
	return g_test_run ();
}
