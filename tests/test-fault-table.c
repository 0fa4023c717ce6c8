/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * The fault table: every way a peer, the input, the output or a signal can
 * go wrong, one row each in faults.table, run through the real qmpsh binary
 * against a scripted server or a real QEMU. Each row says the exact stderr,
 * the exit status, and what must still be on stdout.
 *
 * Keys of a row (values of the GKeyFile, with %xHH for any byte):
 *   server        script, script-tcp (on @ADDR@), qemu or none
 *   script        the scripted server's steps (see qmp-test-util.h)
 *   qemu          extra QEMU arguments; its monitor is @SOCK@
 *   args          qmpsh's arguments (shell words)
 *   input         standard input; input-repeat repeats it
 *   hold-input    keep stdin open until the action is done
 *   input-after   more standard input, written once the action is done
 *   stdout        pipe (the default), closed, full (/dev/full) or head
 *                 (the reader leaves after the first line)
 *   action        stop-qemu, kill-qemu, sighup, sigint or sigterm, once
 *                 qmpsh has printed action-after lines (default 1)
 *   status        the exit status
 *   stderr        all of stderr, exactly
 *   output        all of stdout, exactly
 *   received-max  the scripted server received at most this many lines
 *   received-lacks  text the scripted server must never have received
 * In every value @SOCK@ is the monitor's path and @DIR@ the test's directory;
 * @DEEP@ is a dotted key 16384 parts deep, @NEST@ 2000 '[', @BIG@ 4 MiB and
 * @HUGE@ 65 MiB of 'x'.
 */

#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "qmp-test-util.h"

static GKeyFile *table;

typedef struct {
	const gchar *row;
	gchar *dir;
	gchar *sock;
	gchar *addr; /* the TCP script server's HOST:PORT */
} Row;

/* @SOCK@, @DIR@, and %xHH for bytes a key file cannot hold (NUL too) */
static GString *
expand_bytes (Row *r, const gchar *value)
{
	g_autoptr (GString) out = g_string_new (value);

	g_string_replace (out, "@SOCK@", r->sock, 0);
	g_string_replace (out, "@DIR@", r->dir, 0);
	if (r->addr != NULL)
		g_string_replace (out, "@ADDR@", r->addr, 0);
	if (strstr (out->str, "@DEEP@") != NULL) {
		/* a dotted key 16384 parts deep */
		g_autoptr (GString) deep = g_string_new ("a");
		for (guint i = 1; i < 16384; i++)
			g_string_append (deep, ".a");
		g_string_replace (out, "@DEEP@", deep->str, 0);
	}
	if (strstr (out->str, "@NEST@") != NULL) {
		g_autofree gchar *nest = g_strnfill (2000, '[');
		g_string_replace (out, "@NEST@", nest, 0);
	}
	if (strstr (out->str, "@BIG@") != NULL) {
		/* more than any socket buffer holds */
		g_autofree gchar *big = g_strnfill (4 << 20, 'x');
		g_string_replace (out, "@BIG@", big, 0);
	}
	if (strstr (out->str, "@HUGE@") != NULL) {
		/* more than QEMU reads as one message */
		g_autofree gchar *huge = g_strnfill (65 << 20, 'x');
		g_string_replace (out, "@HUGE@", huge, 0);
	}
	for (gsize i = 0; i + 3 < out->len + 1 && i < out->len; i++) {
		if (out->str[i] == '%' && i + 3 < out->len + 1 && out->str[i + 1] == 'x' &&
		    g_ascii_isxdigit (out->str[i + 2]) && g_ascii_isxdigit (out->str[i + 3])) {
			gchar byte = (gchar)(g_ascii_xdigit_value (out->str[i + 2]) * 16 +
					     g_ascii_xdigit_value (out->str[i + 3]));
			g_string_erase (out, i, 4);
			g_string_insert_len (out, i, &byte, 1);
		}
	}
	return g_steal_pointer (&out);
}

static gchar *
expand (Row *r, const gchar *value)
{
	return g_string_free (expand_bytes (r, value), FALSE);
}

static gchar *
get (Row *r, const gchar *key)
{
	g_autofree gchar *value = g_key_file_get_string (table, r->row, key, NULL);
	return value != NULL ? expand (r, value) : NULL;
}

static GString *
get_bytes (Row *r, const gchar *key)
{
	g_autofree gchar *value = g_key_file_get_string (table, r->row, key, NULL);
	return value != NULL ? expand_bytes (r, value) : NULL;
}

static gint
get_int (Row *r, const gchar *key, gint fallback)
{
	g_autoptr (GError) error = NULL;
	gint value = g_key_file_get_integer (table, r->row, key, &error);
	return error != NULL ? fallback : value;
}

typedef struct {
	GSubprocess *process;
	gboolean exited;
	GString *input;
	GString *after; /* written once the action is done */
	gboolean hold;
	GMutex lock;
	GCond cond;
	gboolean release; /* hold-input: the action is done, close stdin now */
} Run;

/* stdin is written from a thread: qmpsh may stop reading it, and that must not block us */
static gpointer
run_writer_thread (gpointer data)
{
	Run *run = data;
	GOutputStream *to = g_subprocess_get_stdin_pipe (run->process);

	g_output_stream_write_all (to, run->input->str, run->input->len, NULL, NULL, NULL);
	if (run->hold) {
		g_mutex_lock (&run->lock);
		while (!run->release)
			g_cond_wait (&run->cond, &run->lock);
		g_mutex_unlock (&run->lock);
	}
	if (run->after != NULL)
		g_output_stream_write_all (to, run->after->str, run->after->len, NULL, NULL, NULL);
	g_output_stream_close (to, NULL, NULL);
	return NULL;
}

static gchar *read_all (GInputStream *stream);

static gpointer
run_stderr_thread (gpointer data)
{
	Run *run = data;
	return read_all (g_subprocess_get_stderr_pipe (run->process));
}

static void
run_exited_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
	Run *run = user_data;
	g_subprocess_wait_finish (G_SUBPROCESS (source), res, NULL);
	run->exited = TRUE;
}

static void
close_stdout_cb (gpointer user_data)
{
	close (STDOUT_FILENO);
}

static gchar *
read_all (GInputStream *stream)
{
	g_autoptr (GString) text = g_string_new (NULL);
	gchar buf[4096];
	gssize n;

	while ((n = g_input_stream_read (stream, buf, sizeof (buf), NULL, NULL)) > 0)
		g_string_append_len (text, buf, n);
	return g_string_free (g_steal_pointer (&text), FALSE);
}

/* valgrind's own notes ("--pid-- WARNING: unhandled syscall") are not qmpsh's */
static gchar *
without_valgrind_notes (const gchar *err)
{
	g_auto (GStrv) lines = g_strsplit (err, "\n", -1);
	g_autoptr (GString) kept = g_string_new (NULL);

	for (guint i = 0; lines[i] != NULL; i++) {
		if (lines[i][0] == '\0' || g_regex_match_simple ("^--[0-9]+-- ", lines[i], 0, 0))
			continue;
		g_string_append_printf (kept, "%s\n", lines[i]);
	}
	return g_string_free (g_steal_pointer (&kept), FALSE);
}

static void
act (Row *r, const gchar *action, QmpTestQemu *qemu, GSubprocess *qmpsh)
{
	if (g_strcmp0 (action, "stop-qemu") == 0)
		qmp_test_qemu_stop (qemu);
	else if (g_strcmp0 (action, "kill-qemu") == 0)
		qmp_test_qemu_kill (qemu);
	else if (g_strcmp0 (action, "sighup") == 0)
		qmp_test_signal_now (qmpsh, SIGHUP);
	else if (g_strcmp0 (action, "sigint") == 0)
		qmp_test_signal_now (qmpsh, SIGINT);
	else if (g_strcmp0 (action, "sigterm") == 0)
		qmp_test_signal_now (qmpsh, SIGTERM);
	else
		g_error ("row %s: unknown action '%s'", r->row, action);
}

static void
run_row (gconstpointer data)
{
	Row r = { data, qmp_test_make_dir (), NULL, NULL };
	g_autofree gchar *server = NULL;
	g_autofree gchar *args_text = NULL;
	g_autoptr (GString) input = NULL;
	g_autoptr (GString) after = NULL;
	g_autofree gchar *stdout_mode = NULL;
	g_autofree gchar *action = NULL;
	g_autofree gchar *want_err = NULL;
	g_autofree gchar *want_out = NULL;
	g_autofree gchar *lacks = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *raw_err = NULL;
	g_autoptr (QmpTestServer) fake = NULL;
	g_autoptr (QmpTestQemu) qemu = NULL;
	g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
	g_autoptr (GSubprocessLauncher) launcher = NULL;
	g_autoptr (GError) error = NULL;
	g_auto (GStrv) args = NULL;
	g_autoptr (GString) stdin_text = g_string_new (NULL);
	GThread *writer;
	GThread *err_reader;
	g_autoptr (GDataInputStream) lines = NULL;
	g_autoptr (GString) seen = g_string_new (NULL);
	GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;
	Run run = { 0 };
	gint want_status = get_int (&r, "status", -1);
	gint repeat = get_int (&r, "input-repeat", 1);
	gint received_max = get_int (&r, "received-max", -1);
	gint action_after = get_int (&r, "action-after", 1);
	gboolean hold = g_key_file_get_boolean (table, r.row, "hold-input", NULL);

	r.sock = g_build_filename (r.dir, "qmp.sock", NULL);
	server = get (&r, "server");
	args_text = get (&r, "args");
	input = get_bytes (&r, "input");
	stdout_mode = get (&r, "stdout");
	action = get (&r, "action");
	want_err = get (&r, "stderr");
	want_out = get (&r, "output");
	lacks = get (&r, "received-lacks");
	g_assert_cmpint (want_status, >=, 0);
	g_assert_nonnull (want_err);

	if (g_strcmp0 (server, "script-tcp") == 0) {
		guint port = 0;
		g_auto (GStrv) steps =
			g_key_file_get_string_list (table, r.row, "script", NULL, &error);
		g_assert_no_error (error);
		fake = qmp_test_server_new_tcp (&port, (const gchar *const *)steps);
		r.addr = g_strdup_printf ("127.0.0.1:%u", port);
		g_free (args_text);
		args_text = get (&r, "args");
		g_free (want_err);
		want_err = get (&r, "stderr");
	} else if (g_strcmp0 (server, "script") == 0) {
		g_auto (GStrv) steps =
			g_key_file_get_string_list (table, r.row, "script", NULL, &error);
		g_assert_no_error (error);
		for (guint i = 0; steps[i] != NULL; i++) {
			gchar *step = expand (&r, steps[i]);
			g_free (steps[i]);
			steps[i] = step;
		}
		fake = qmp_test_server_new (r.sock, (const gchar *const *)steps);
	} else if (g_strcmp0 (server, "qemu") == 0) {
		g_autofree gchar *extra = get (&r, "qemu");
		g_autofree gchar *monitor = g_strdup_printf ("unix:%s,server=on,wait=off", r.sock);
		g_auto (GStrv) words = NULL;
		g_autoptr (GPtrArray) qemu_args = g_ptr_array_new ();
		const gchar *wait[] = { r.sock, NULL };
		if (extra != NULL && extra[0] != '\0') {
			g_shell_parse_argv (extra, NULL, &words, &error);
			g_assert_no_error (error);
		}
		for (guint i = 0; words != NULL && words[i] != NULL; i++)
			g_ptr_array_add (qemu_args, words[i]);
		g_ptr_array_add (qemu_args, "-qmp");
		g_ptr_array_add (qemu_args, monitor);
		g_ptr_array_add (qemu_args, NULL);
		qemu = qmp_test_qemu_start ((const gchar *const *)qemu_args->pdata, wait);
	} else {
		g_assert_cmpstr (server, ==, "none");
	}

	if (g_getenv ("QMPSH_VALGRIND") != NULL) {
		const gchar *vg[] = { "valgrind",
				      "-q",
				      "--error-exitcode=99",
				      "--leak-check=full",
				      "--errors-for-leak-kinds=definite",
				      "--show-leak-kinds=definite",
				      "--suppressions=/usr/share/glib-2.0/valgrind/glib.supp",
				      NULL };
		for (guint i = 0; vg[i] != NULL; i++)
			g_ptr_array_add (argv, g_strdup (vg[i]));
	}
	g_ptr_array_add (argv, g_strdup (g_getenv ("QMPSH")));
	if (args_text != NULL && args_text[0] != '\0') {
		g_shell_parse_argv (args_text, NULL, &args, &error);
		g_assert_no_error (error);
	}
	for (guint i = 0; args != NULL && args[i] != NULL; i++)
		g_ptr_array_add (argv, g_strdup (args[i]));
	g_ptr_array_add (argv, NULL);

	if (stdout_mode == NULL || g_strcmp0 (stdout_mode, "pipe") == 0 ||
	    g_strcmp0 (stdout_mode, "head") == 0)
		flags |= G_SUBPROCESS_FLAGS_STDOUT_PIPE;
	launcher = g_subprocess_launcher_new (flags);
	if (g_strcmp0 (stdout_mode, "full") == 0)
		g_subprocess_launcher_set_stdout_file_path (launcher, "/dev/full");
	else if (g_strcmp0 (stdout_mode, "closed") == 0)
		g_subprocess_launcher_set_child_setup (launcher, close_stdout_cb, NULL, NULL);
	run.process =
		g_subprocess_launcher_spawnv (launcher, (const gchar *const *)argv->pdata, &error);
	g_assert_no_error (error);
	g_subprocess_wait_async (run.process, NULL, run_exited_cb, &run);

	for (gint i = 0; input != NULL && i < repeat; i++)
		g_string_append_len (stdin_text, input->str, input->len);
	after = get_bytes (&r, "input-after");
	run.input = stdin_text;
	run.after = after;
	run.hold = hold || after != NULL;
	g_mutex_init (&run.lock);
	g_cond_init (&run.cond);
	writer = g_thread_new ("stdin", run_writer_thread, &run);
	err_reader = g_thread_new ("stderr", run_stderr_thread, &run);

	if (flags & G_SUBPROCESS_FLAGS_STDOUT_PIPE)
		lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (run.process));
	/* the action comes once qmpsh has answered so much: no timing to go wrong */
	for (gint i = 0; lines != NULL && i < (action != NULL ? action_after : 0); i++) {
		g_autofree gchar *line = g_data_input_stream_read_line (lines, NULL, NULL, NULL);
		g_assert_nonnull (line);
		g_string_append_printf (seen, "%s\n", line);
	}
	if (action != NULL)
		act (&r, action, qemu, run.process);
	g_mutex_lock (&run.lock);
	run.release = TRUE;
	g_cond_signal (&run.cond);
	g_mutex_unlock (&run.lock);
	if (g_strcmp0 (stdout_mode, "head") == 0) {
		/* the reader takes one line and goes, as `| head -1` does */
		g_autofree gchar *first = g_data_input_stream_read_line (lines, NULL, NULL, NULL);
		g_string_append_printf (seen, "%s\n", first != NULL ? first : "");
		g_input_stream_close (G_INPUT_STREAM (lines), NULL, NULL);
	} else if (lines != NULL) {
		g_autofree gchar *rest = read_all (G_INPUT_STREAM (lines));
		g_string_append (seen, rest);
	}
	if (lines != NULL)
		out = g_strdup (seen->str);
	raw_err = g_thread_join (err_reader);
	g_thread_join (writer);
	qmp_test_run_until (&run.exited, 120);
	err = g_getenv ("QMPSH_VALGRIND") != NULL ? without_valgrind_notes (raw_err)
						  : g_strdup (raw_err);

	if (g_strcmp0 (err, want_err) != 0)
		g_error ("row %s: stderr was\n%s\nnot\n%s\n(wait status %d)", r.row, err, want_err,
			 g_subprocess_get_status (run.process));
	if (want_out != NULL && g_strcmp0 (out, want_out) != 0)
		g_error ("row %s: stdout was\n%s\nnot\n%s", r.row, out, want_out);
	g_assert_true (g_subprocess_get_if_exited (run.process));
	if (g_subprocess_get_exit_status (run.process) != want_status)
		g_error ("row %s: exit status %d, not %d", r.row,
			 g_subprocess_get_exit_status (run.process), want_status);
	if (fake != NULL) {
		/* the server's thread ends once qmpsh has closed its end */
		g_autofree gchar *received = qmp_test_server_finish (fake);
		g_auto (GStrv) got = g_strsplit (received, "\n", -1);
		if (received_max >= 0 && g_strv_length (got) - 1 > (guint)received_max)
			g_error ("row %s: the server received %u lines, more than %d", r.row,
				 g_strv_length (got) - 1, received_max);
		if (lacks != NULL && strstr (received, lacks) != NULL)
			g_error ("row %s: the server received '%s':\n%s", r.row, lacks, received);
	}
	g_mutex_clear (&run.lock);
	g_cond_clear (&run.cond);
	g_clear_object (&run.process);
	qmp_test_remove_dir (r.dir);
	g_free (r.dir);
	g_free (r.sock);
	g_free (r.addr);
}

int
main (int argc, char **argv)
{
	g_autofree gchar *path =
		g_build_filename (g_getenv ("QMPSH_TESTS_DIR"), "faults.table", NULL);
	g_autoptr (GError) error = NULL;
	g_auto (GStrv) rows = NULL;

	g_test_init (&argc, &argv, NULL);
	/* qmpsh may exit before reading all we give it */
	signal (SIGPIPE, SIG_IGN);
	table = g_key_file_new ();
	g_key_file_load_from_file (table, path, G_KEY_FILE_NONE, &error);
	g_assert_no_error (error);
	rows = g_key_file_get_groups (table, NULL);
	for (guint i = 0; rows[i] != NULL; i++) {
		g_autofree gchar *test = g_strdup_printf ("/fault-table/%s", rows[i]);
		g_test_add_data_func (test, rows[i], run_row);
	}
	return g_test_run ();
}
