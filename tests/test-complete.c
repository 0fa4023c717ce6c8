/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * Completion from recorded schemas, data-driven: every case of
 * complete.cases is completed against the schema and device properties
 * recorded from QEMU 7.2 and from 10.0 (data/), each unless the case names
 * one, with the live names the case gives; the words offered, and the
 * hint after the cursor, are checked.
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
	gchar *hint;
	gboolean no_hint;
	gchar *only;
	QmpshCompleteLive live;
} Case;

typedef struct {
	const gchar *name;
	QmpSchema *schema;
	JsonObject *props;
	GHashTable *loaded;
	GPtrArray *device_types;
} Recording;

typedef struct {
	const Case *c;
	Recording *rec;
} Run;

static Recording recordings[] = { { .name = "7.2" }, { .name = "10.0" } };

/* the recording's answer, or none: as a server that was never asked */
static const QmpshProps *
recorded_props (gpointer data, QmpshPropsKind kind, const gchar *name, GError **error)
{
	Recording *rec = data;
	const gchar *group = kind == QMPSH_PROPS_DEVICE ? "devices" : "qom";
	g_autofree gchar *key = g_strdup_printf ("%s:%s", group, name);
	JsonObject *all = json_object_get_object_member (rec->props, group);
	QmpshProps *props = g_hash_table_lookup (rec->loaded, key);

	if (props != NULL || !json_object_has_member (all, name))
		return props;
	props = qmpsh_props_new (json_object_get_member (all, name));
	g_hash_table_insert (rec->loaded, g_steal_pointer (&key), props);
	return props;
}

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
	g_free (c->hint);
	g_free (c->only);
	g_clear_pointer (&c->live.bitmaps, g_hash_table_unref);
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
	} else if (g_str_has_prefix (l, "bitmaps: ")) {
		/* "bitmaps: NODE B1 B2" */
		GPtrArray *words = words_of (l + 9);
		gchar *node = g_strdup (g_ptr_array_index (words, 0));
		g_ptr_array_remove_index (words, 0);
		c->live.bitmaps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
							 (GDestroyNotify)g_ptr_array_unref);
		g_hash_table_insert (c->live.bitmaps, node, words);
	} else if (g_str_has_prefix (l, "hint: ")) {
		c->hint = g_strdup (l + 6);
	} else if (g_strcmp0 (l, "no hint") == 0) {
		c->no_hint = TRUE;
	} else if (g_str_has_prefix (l, "on: ")) {
		c->only = g_strdup (l + 4);
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
	const Run *run = data;
	const Case *c = run->c;
	QmpshCompleteLive live = c->live;
	g_autoptr (QmpshCompletion) completion = NULL;
	g_autofree gchar *hint = NULL;

	live.device_types = run->rec->device_types;
	live.props = recorded_props;
	live.props_data = run->rec;
	completion = qmpsh_complete (run->rec->schema, &live, c->hmp, c->line, strlen (c->line));
	hint = qmpsh_complete_hint (run->rec->schema, &live, c->line);
	if (c->hint != NULL && g_strcmp0 (hint, c->hint) != 0)
		g_error ("complete.cases:%u: '%s' hints '%s', not '%s'", c->file_line, c->line,
			 hint, c->hint);
	if (c->no_hint && hint != NULL)
		g_error ("complete.cases:%u: '%s' hints '%s'", c->file_line, c->line, hint);

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

static void
load (Recording *rec, const gchar *dir)
{
	g_autofree gchar *schema_name = g_strdup_printf ("schema-%s.json", rec->name);
	g_autofree gchar *props_name = g_strdup_printf ("props-%s.json", rec->name);
	g_autofree gchar *schema_path = g_build_filename (dir, "data", schema_name, NULL);
	g_autofree gchar *props_path = g_build_filename (dir, "data", props_name, NULL);
	g_autoptr (JsonParser) schema_parser = json_parser_new ();
	g_autoptr (JsonParser) props_parser = json_parser_new ();
	g_autoptr (GError) error = NULL;
	JsonArray *types;

	json_parser_load_from_file (schema_parser, schema_path, &error);
	g_assert_no_error (error);
	rec->schema = qmp_schema_new (json_parser_get_root (schema_parser), &error);
	g_assert_no_error (error);
	json_parser_load_from_file (props_parser, props_path, &error);
	g_assert_no_error (error);
	rec->props = json_object_ref (json_node_get_object (json_parser_get_root (props_parser)));
	rec->loaded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
					     (GDestroyNotify)qmpsh_props_free);
	types = json_object_get_array_member (rec->props, "device-types");
	rec->device_types = g_ptr_array_new_with_free_func (g_free);
	for (guint i = 0; i < json_array_get_length (types); i++)
		g_ptr_array_add (rec->device_types,
				 g_strdup (json_array_get_string_element (types, i)));
}

int
main (int argc, char **argv)
{
	const gchar *dir = g_getenv ("QMPSH_TESTS_DIR");
	g_autofree gchar *cases_path = g_build_filename (dir, "complete.cases", NULL);
	g_autoptr (GPtrArray) cases = NULL;
	g_autoptr (GPtrArray) runs = g_ptr_array_new_with_free_func (g_free);
	int status;

	g_test_init (&argc, &argv, NULL);
	cases = load_cases (cases_path);
	for (guint r = 0; r < G_N_ELEMENTS (recordings); r++) {
		load (&recordings[r], dir);
		for (guint i = 0; i < cases->len; i++) {
			Case *c = g_ptr_array_index (cases, i);
			g_autofree gchar *name = NULL;
			Run *run;
			if (c->only != NULL && g_strcmp0 (c->only, recordings[r].name) != 0)
				continue;
			run = g_new0 (Run, 1);
			run->c = c;
			run->rec = &recordings[r];
			g_ptr_array_add (runs, run);
			name = g_strdup_printf ("/complete/%s/line-%u", recordings[r].name,
						c->file_line);
			g_test_add_data_func (name, run, test_case);
		}
	}
	status = g_test_run ();
	for (guint r = 0; r < G_N_ELEMENTS (recordings); r++) {
		g_clear_object (&recordings[r].schema);
		g_clear_pointer (&recordings[r].props, json_object_unref);
		g_clear_pointer (&recordings[r].loaded, g_hash_table_unref);
		g_clear_pointer (&recordings[r].device_types, g_ptr_array_unref);
	}
	return status;
}
