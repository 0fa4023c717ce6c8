/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * The command language, data-driven: every case in language.cases goes
 * through the real qmpsh binary to a scripted server, and what the server
 * received is compared with the case's expected wire JSON.
 */

#include <signal.h>
#include <string.h>

#include "qmp-test-util.h"

static GPtrArray *cases;
static gchar *stderr_text;

/* the id is the one thing qmpsh adds: it goes first, so that the rest stays as typed */
static gchar *
strip_own_id (const gchar *line)
{
	const gchar *p = line;
	if (!g_str_has_prefix (p, "{\"id\":"))
		return g_strdup (line);
	p += 6;
	while (g_ascii_isdigit (*p))
		p++;
	if (*p == ',')
		return g_strconcat ("{", p + 1, NULL);
	return g_strdup ("{}");
}

static void
run_all (void)
{
	g_autofree gchar *dir = qmp_test_make_dir ();
	g_autofree gchar *sock = g_build_filename (dir, "fake.sock", NULL);
	const gchar *script[] = { QMP_TEST_GREETING, "L", NULL };
	g_autoptr (QmpTestServer) server = qmp_test_server_new (sock, script);
	const gchar *args[] = { sock, NULL };
	g_autoptr (GString) input = g_string_new (NULL);
	g_autoptr (QmpTestRun) run = NULL;
	g_autofree gchar *received = NULL;
	g_auto (GStrv) wire = NULL;
	g_auto (GStrv) said = NULL;
	guint next = 1; /* wire[0] is qmp_capabilities */
	gboolean schema_asked = FALSE;

	for (guint i = 0; i < cases->len; i++) {
		QmpTestCase *c = g_ptr_array_index (cases, i);
		for (guint j = 0; j < c->input->len; j++)
			g_string_append_printf (input, "%s\n",
						(gchar *)g_ptr_array_index (c->input, j));
	}
	run = qmp_test_run_qmpsh (input->str, args);
	/* qmpsh has exited, so the server has read everything it sent */
	received = qmp_test_server_dup_received (server);
	qmp_test_remove_dir (dir);

	/* one line of stderr per failing case, "qmpsh: line N: ..." */
	stderr_text = g_strdup (run->err);
	said = g_strsplit (run->err, "\n", -1);
	for (guint k = 0; said[k] != NULL; k++) {
		guint64 n;
		if (!g_str_has_prefix (said[k], "qmpsh: line "))
			continue;
		n = g_ascii_strtoull (said[k] + 12, NULL, 10);
		for (guint i = 0; i < cases->len; i++) {
			QmpTestCase *c = g_ptr_array_index (cases, i);
			if (n >= c->first && n <= c->last)
				g_ptr_array_add (c->said, g_strdup (said[k]));
		}
	}

	wire = g_strsplit (received, "\n", -1);
	g_assert_true (g_str_has_prefix (wire[0], "{\"id\":1,\"execute\":\"qmp_capabilities\""));
	for (guint i = 0; i < cases->len; i++) {
		QmpTestCase *c = g_ptr_array_index (cases, i);
		g_autofree gchar *sent = NULL;
		if (c->expect != QMP_TEST_EXPECT_WIRE)
			continue;
		g_assert_nonnull (wire[next]);
		sent = strip_own_id (wire[next++]);
		/*
		 * The first line with key=value asks for the schema, once; this server
		 * has none (it answers {}), so the words are read by today's rules.
		 */
		if (g_strcmp0 (sent, "{\"execute\":\"query-qmp-schema\"}") == 0) {
			g_assert_false (schema_asked);
			schema_asked = TRUE;
			g_clear_pointer (&sent, g_free);
			g_assert_nonnull (wire[next]);
			sent = strip_own_id (wire[next++]);
		}
		c->received = g_steal_pointer (&sent);
	}
	g_assert_true (schema_asked);
	g_assert_cmpstr (wire[next], ==, "");
	/* the error cases make the exit status 1 */
	g_assert_cmpint (run->status, ==, 1);
}

static void
test_case (gconstpointer data)
{
	const QmpTestCase *c = data;

	switch (c->expect) {
	case QMP_TEST_EXPECT_WIRE:
		g_assert_cmpstr (c->received, ==, c->text);
		g_assert_cmpuint (c->said->len, ==, 0);
		break;
	case QMP_TEST_EXPECT_ERROR:
		g_assert_cmpuint (c->said->len, >=, 1);
		for (guint i = 0; i < c->said->len; i++) {
			if (strstr (g_ptr_array_index (c->said, i), c->text) != NULL)
				return;
		}
		g_test_message ("language.cases:%u: expected '%s' in:\n%s", c->file_line, c->text,
				stderr_text);
		g_test_fail ();
		break;
	case QMP_TEST_EXPECT_NOTHING:
	default:
		g_assert_null (c->received);
		g_assert_cmpuint (c->said->len, ==, 0);
		break;
	}
}

int
main (int argc, char **argv)
{
	g_autofree gchar *path = NULL;

	g_test_init (&argc, &argv, NULL);
	/* one wrong case fails its own test, not the rest */
	g_test_set_nonfatal_assertions ();
	signal (SIGPIPE, SIG_IGN);
	path = g_build_filename (g_getenv ("QMPSH_TESTS_DIR"), "language.cases", NULL);
	cases = qmp_test_load_cases (path);
	g_assert_cmpuint (cases->len, >=, 40);
	run_all ();
	for (guint i = 0; i < cases->len; i++) {
		QmpTestCase *c = g_ptr_array_index (cases, i);
		g_autofree gchar *name =
			g_strdup_printf ("/language/case-%03u-line-%u", i + 1, c->file_line);
		g_test_add_data_func (name, c, test_case);
	}
	return g_test_run ();
}
