/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * The command language without a binary or a server: every case of
 * language.cases goes through one parser, in order, and the built-ins'
 * checks, and what each line makes is compared with the case. (test-language
 * checks the same cases against the bytes a server receives.)
 */

#include "qmp-test-util.h"
#include "qmpsh-builtins.h"
#include "qmpsh-parser.h"

#include <string.h>

static GPtrArray *cases;

/* what one line of input says, into the case it belongs to */
static void
feed (QmpshSession *session, QmpTestCase *c, const gchar *text, guint lineno)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (QmpshLine) line =
		qmpsh_parser_feed (qmpsh_session_get_parser (session), text, &error);

	if (line == NULL) {
		g_ptr_array_add (c->said, g_strdup (error->message));
		return;
	}
	switch (line->kind) {
	case QMPSH_LINE_BUILTIN:
		if (!qmpsh_builtins_run (session, line, lineno, &error))
			g_ptr_array_add (c->said, g_strdup (error->message));
		return;
	case QMPSH_LINE_COMMAND:
	case QMPSH_LINE_RAW:
	case QMPSH_LINE_HMP:
		g_assert_null (c->received);
		c->received = g_strdup (line->json);
		return;
	default:
		return;
	}
}

static void
test_case (gconstpointer data)
{
	const QmpTestCase *c = data;

	switch (c->expect) {
	case QMP_TEST_EXPECT_WIRE:
		g_assert_cmpuint (c->said->len, ==, 0);
		g_assert_cmpstr (c->received, ==, c->text);
		break;
	case QMP_TEST_EXPECT_ERROR:
		g_assert_null (c->received);
		g_assert_cmpuint (c->said->len, >=, 1);
		for (guint i = 0; i < c->said->len; i++) {
			if (strstr (g_ptr_array_index (c->said, i), c->text) != NULL)
				return;
		}
		g_test_message ("language.cases:%u: expected '%s' in '%s'", c->file_line, c->text,
				(gchar *)g_ptr_array_index (c->said, 0));
		g_test_fail ();
		break;
	case QMP_TEST_EXPECT_NOTHING:
	default:
		g_assert_null (c->received);
		g_assert_cmpuint (c->said->len, ==, 0);
		break;
	}
}

/* the JSON @text makes, through @parser; or its error */
static gchar *
json_of (QmpshParser *parser, const gchar *text)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (QmpshLine) line = qmpsh_parser_feed (parser, text, &error);

	if (line == NULL)
		return g_strdup (error->message);
	return g_strdup (line->json);
}

/* an alias is its text, then the rest of the line; each at most once a line */
static void
test_aliases (void)
{
	g_autoptr (QmpshParser) plain = qmpsh_parser_new ();
	g_autoptr (QmpshParser) parser = qmpsh_parser_new ();
	g_autoptr (GHashTable) aliases = g_hash_table_new (g_str_hash, g_str_equal);
	const gchar *pairs[][2] = {
		{ "st", "query-status" },
		{ "query-block", "query-block flat=true" },
		{ "loop", "loop2 a=1" },
		{ "loop2", "loop b=2" },
		{ "get", "qom-get path=/machine" },
	};
	const gchar *lines[][2] = {
		{ "st", "query-status" },
		{ "  get property=type", "qom-get path=/machine property=type" },
		{ "query-block", "query-block flat=true" },
		{ "loop c=3", "loop b=2 a=1 c=3" },
		{ "getx", "getx" },
		{ "{\"execute\": \"st\"}", "{\"execute\": \"st\"}" },
		{ ".oob st", ".oob st" },
	};

	for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
		g_hash_table_insert (aliases, (gpointer)pairs[i][0], (gpointer)pairs[i][1]);
	qmpsh_parser_set_aliases (parser, aliases);
	g_assert_true (qmpsh_parser_get_aliases (parser) == aliases);
	for (guint i = 0; i < G_N_ELEMENTS (lines); i++) {
		g_autofree gchar *got = json_of (parser, lines[i][0]);
		g_autofree gchar *want = json_of (plain, lines[i][1]);
		g_assert_cmpstr (got, ==, want);
	}
	/* a line that goes on is expanded once it is whole */
	g_free (json_of (parser, "get \\"));
	{
		g_autofree gchar *got = json_of (parser, "property=type");
		g_autofree gchar *want = json_of (plain, "qom-get path=/machine property=type");
		g_assert_cmpstr (got, ==, want);
	}
}

int
main (int argc, char **argv)
{
	g_autofree gchar *path = NULL;
	g_autoptr (QmpClient) client = qmp_client_new ();
	g_autoptr (QmpshSession) session = NULL;

	g_test_init (&argc, &argv, NULL);
	g_test_set_nonfatal_assertions ();
	path = g_build_filename (g_getenv ("QMPSH_TESTS_DIR"), "language.cases", NULL);
	cases = qmp_test_load_cases (path);
	/* the built-ins check their words with no connection at all */
	session = qmpsh_session_new (client, FALSE);
	for (guint i = 0; i < cases->len; i++) {
		QmpTestCase *c = g_ptr_array_index (cases, i);
		g_autofree gchar *name = NULL;
		for (guint j = 0; j < c->input->len; j++)
			feed (session, c, g_ptr_array_index (c->input, j), c->first + j);
		name = g_strdup_printf ("/parser/case-%03u-line-%u", i + 1, c->file_line);
		g_test_add_data_func (name, c, test_case);
	}
	g_test_add_func ("/parser/aliases", test_aliases);
	return g_test_run ();
}
