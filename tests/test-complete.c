/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * Completion from a recorded schema, data-driven: every case of
 * complete.cases is completed against data/schema-7.2.json, with the live
 * names the case gives, and the words offered are checked.
 */

#include <string.h>

#include "qmpsh-complete.h"

typedef struct {
	guint file_line;
	gchar *line;
	gboolean hmp;
	gchar **offers;
	gchar **lacks;
	gchar *first;
	QmpshCompleteLive live;
} Case;

static QmpSchema *schema;

static GPtrArray *
words_of (const gchar *text)
{
	g_auto (GStrv) words = g_strsplit_set (text, " ", -1);
	GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
	for (guint i = 0; words[i] != NULL; i++) {
		if (words[i][0] != '\0')
			g_ptr_array_add (out, g_strdup (words[i]));
	}
	return out;
}

static gchar **
strv_of (const gchar *text)
{
	g_autoptr (GPtrArray) words = words_of (text);
	g_ptr_array_add (words, NULL);
	return (gchar **)g_ptr_array_free (g_steal_pointer (&words), FALSE);
}

static void
case_free (Case *c)
{
	g_free (c->line);
	g_strfreev (c->offers);
	g_strfreev (c->lacks);
	g_free (c->first);
	g_clear_pointer (&c->live.device_ids, g_ptr_array_unref);
	g_clear_pointer (&c->live.block_nodes, g_ptr_array_unref);
	g_clear_pointer (&c->live.job_ids, g_ptr_array_unref);
	g_clear_pointer (&c->live.hmp_commands, g_ptr_array_unref);
	g_free (c);
}

static void
case_set (Case *c, const gchar *l)
{
	if (g_str_has_prefix (l, "line:")) {
		GString *line = g_string_new (l[5] == ' ' ? l + 6 : l + 5);
		g_string_replace (line, "<SP>", " ", 0);
		c->line = g_string_free (line, FALSE);
	} else if (g_strcmp0 (l, "hmp") == 0) {
		c->hmp = TRUE;
	} else if (g_str_has_prefix (l, "offers: ")) {
		c->offers = strv_of (l + 8);
	} else if (g_str_has_prefix (l, "lacks: ")) {
		c->lacks = strv_of (l + 7);
	} else if (g_str_has_prefix (l, "first: ")) {
		c->first = g_strdup (l + 7);
	} else if (g_str_has_prefix (l, "jobs: ")) {
		c->live.job_ids = words_of (l + 6);
	} else if (g_str_has_prefix (l, "devices: ")) {
		c->live.device_ids = words_of (l + 9);
	} else if (g_str_has_prefix (l, "nodes: ")) {
		c->live.block_nodes = words_of (l + 7);
	} else if (g_str_has_prefix (l, "hmp-commands: ")) {
		c->live.hmp_commands = words_of (l + 14);
	} else {
		g_error ("complete.cases:%u: cannot read '%s'", c->file_line, l);
	}
}

static GPtrArray *
load_cases (const gchar *path)
{
	g_autofree gchar *contents = NULL;
	g_autoptr (GError) error = NULL;
	g_auto (GStrv) lines = NULL;
	GPtrArray *cases = g_ptr_array_new_with_free_func ((GDestroyNotify)case_free);
	Case *c = NULL;

	g_file_get_contents (path, &contents, NULL, &error);
	g_assert_no_error (error);
	lines = g_strsplit (contents, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		if (lines[i][0] == '#')
			continue;
		if (lines[i][0] == '\0') {
			c = NULL;
			continue;
		}
		if (c == NULL) {
			c = g_new0 (Case, 1);
			c->file_line = i + 1;
			g_ptr_array_add (cases, c);
		}
		case_set (c, lines[i]);
	}
	return cases;
}

static gboolean
offered (QmpshCompletion *completion, const gchar *word)
{
	for (guint i = 0; i < completion->words->len; i++) {
		if (g_strcmp0 (g_ptr_array_index (completion->words, i), word) == 0)
			return TRUE;
	}
	return FALSE;
}

static void
test_case (gconstpointer data)
{
	const Case *c = data;
	g_autoptr (QmpshCompletion) completion =
		qmpsh_complete (schema, &c->live, c->hmp, c->line, strlen (c->line));

	for (guint i = 0; c->offers != NULL && c->offers[i] != NULL; i++) {
		if (!offered (completion, c->offers[i]))
			g_error ("complete.cases:%u: '%s' does not offer '%s'", c->file_line,
				 c->line, c->offers[i]);
	}
	for (guint i = 0; c->lacks != NULL && c->lacks[i] != NULL; i++) {
		if (offered (completion, c->lacks[i]))
			g_error ("complete.cases:%u: '%s' offers '%s'", c->file_line, c->line,
				 c->lacks[i]);
	}
	if (c->first != NULL) {
		g_assert_cmpuint (completion->words->len, >, 0);
		g_assert_cmpstr (g_ptr_array_index (completion->words, 0), ==, c->first);
	}
}

int
main (int argc, char **argv)
{
	const gchar *dir = g_getenv ("QMPSH_TESTS_DIR");
	g_autofree gchar *cases_path = g_build_filename (dir, "complete.cases", NULL);
	g_autofree gchar *schema_path = g_build_filename (dir, "data", "schema-7.2.json", NULL);
	g_autoptr (JsonParser) parser = json_parser_new ();
	g_autoptr (GPtrArray) cases = NULL;
	g_autoptr (GError) error = NULL;
	int status;

	g_test_init (&argc, &argv, NULL);
	json_parser_load_from_file (parser, schema_path, &error);
	g_assert_no_error (error);
	schema = qmp_schema_new (json_parser_get_root (parser), &error);
	g_assert_no_error (error);
	cases = load_cases (cases_path);
	for (guint i = 0; i < cases->len; i++) {
		Case *c = g_ptr_array_index (cases, i);
		g_autofree gchar *name = g_strdup_printf ("/complete/line-%u", c->file_line);
		g_test_add_data_func (name, c, test_case);
	}
	status = g_test_run ();
	g_clear_object (&schema);
	return status;
}
