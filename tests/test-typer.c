/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * Typing by the schema, data-driven: every case of typer.cases is parsed
 * and typed against the schemas and device properties recorded from QEMU
 * 7.2 and 10.0 (data/schema-*.json, data/props-*.json), each case against
 * both unless it says which; the JSON it becomes, or the error, is checked.
 */

#include <string.h>

#include "qmp-test-util.h"
#include "qmpsh-parser.h"
#include "qmpsh-typer.h"

typedef struct {
	const gchar *name; /* "7.2" */
	QmpSchema *schema;
	JsonObject *props;  /* the recording: devices, qom, device-types */
	GHashTable *loaded; /* "d:TYPE" / "q:PATH" -> QmpshProps */
} Recording;

typedef struct {
	const QmpTestCase *c;
	Recording *rec;
} Run;

static Recording recordings[] = { { .name = "7.2" }, { .name = "10.0" } };

static const QmpshProps *
recorded_props (gpointer data, QmpshPropsKind kind, const gchar *name, GError **error)
{
	Recording *rec = data;
	const gchar *group = kind == QMPSH_PROPS_DEVICE ? "devices" : "qom";
	g_autofree gchar *key = g_strdup_printf ("%s:%s", group, name);
	JsonObject *all = json_object_get_object_member (rec->props, group);
	QmpshProps *props = g_hash_table_lookup (rec->loaded, key);

	if (props != NULL)
		return props;
	if (!json_object_has_member (all, name)) {
		/* what QEMU answers for a type it does not have */
		g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "Device '%s' not found",
			     name);
		return NULL;
	}
	props = qmpsh_props_new (json_object_get_member (all, name));
	g_hash_table_insert (rec->loaded, g_steal_pointer (&key), props);
	return props;
}

static void
test_case (gconstpointer data)
{
	const Run *run = data;
	const QmpTestCase *c = run->c;
	g_autoptr (QmpshParser) parser = qmpsh_parser_new ();
	QmpshTyper typer = { run->rec->schema, recorded_props, run->rec };
	g_autoptr (QmpshLine) line = NULL;
	g_autoptr (GError) error = NULL;
	QmpshTyperResult result = QMPSH_TYPER_DONE;

	for (guint i = 0; i < c->input->len; i++) {
		g_clear_pointer (&line, qmpsh_line_free);
		line = qmpsh_parser_feed (parser, g_ptr_array_index (c->input, i), &error);
		g_assert_no_error (error);
	}
	result = qmpsh_typer_type_line (&typer, line, &error);
	switch (c->expect) {
	case QMP_TEST_EXPECT_WIRE:
		g_assert_null (error != NULL ? error->message : NULL);
		g_assert_cmpint (result, ==, QMPSH_TYPER_DONE);
		g_assert_cmpstr (line->json, ==, c->text);
		break;
	case QMP_TEST_EXPECT_ERROR:
		g_assert_cmpint (result, ==, QMPSH_TYPER_REFUSED);
		g_assert_nonnull (error);
		g_assert_cmpstr (error->message, ==, c->text);
		break;
	default:
		g_assert_not_reached ();
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

	json_parser_load_from_file (schema_parser, schema_path, &error);
	g_assert_no_error (error);
	rec->schema = qmp_schema_new (json_parser_get_root (schema_parser), &error);
	g_assert_no_error (error);
	json_parser_load_from_file (props_parser, props_path, &error);
	g_assert_no_error (error);
	rec->props = json_object_ref (json_node_get_object (json_parser_get_root (props_parser)));
	rec->loaded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
					     (GDestroyNotify)qmpsh_props_free);
}

int
main (int argc, char **argv)
{
	const gchar *dir = g_getenv ("QMPSH_TESTS_DIR");
	g_autofree gchar *cases_path = g_build_filename (dir, "typer.cases", NULL);
	g_autoptr (GPtrArray) cases = NULL;
	g_autoptr (GPtrArray) runs = g_ptr_array_new_with_free_func (g_free);
	int status;

	g_test_init (&argc, &argv, NULL);
	/* a wrong case says so and the others still run */
	g_test_set_nonfatal_assertions ();
	cases = qmp_test_load_cases (cases_path);
	for (guint r = 0; r < G_N_ELEMENTS (recordings); r++) {
		load (&recordings[r], dir);
		for (guint i = 0; i < cases->len; i++) {
			QmpTestCase *c = g_ptr_array_index (cases, i);
			Run *run;
			g_autofree gchar *name = NULL;
			if (c->only != NULL && g_strcmp0 (c->only, recordings[r].name) != 0)
				continue;
			run = g_new0 (Run, 1);
			run->c = c;
			run->rec = &recordings[r];
			g_ptr_array_add (runs, run);
			name = g_strdup_printf ("/typer/%s/line-%u", recordings[r].name,
						c->file_line);
			g_test_add_data_func (name, run, test_case);
		}
	}
	status = g_test_run ();
	for (guint r = 0; r < G_N_ELEMENTS (recordings); r++) {
		g_clear_object (&recordings[r].schema);
		g_clear_pointer (&recordings[r].props, json_object_unref);
		g_clear_pointer (&recordings[r].loaded, g_hash_table_unref);
	}
	return status;
}
