/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * The schema model, from schemas written here: the odd ones a peer may send.
 * GLib criticals are fatal (G_DEBUG), so a node of the wrong type handed to
 * json-glib fails the test, as it once failed the fuzzer.
 */

#include "qmp-error.h"
#include "qmp-schema.h"

#include <string.h>

static QmpSchema *
schema_from (const gchar *json)
{
	g_autoptr (JsonParser) parser = json_parser_new ();
	g_autoptr (GError) error = NULL;
	QmpSchema *schema;

	json_parser_load_from_data (parser, json, -1, &error);
	g_assert_no_error (error);
	schema = qmp_schema_new (json_parser_get_root (parser), &error);
	g_assert_no_error (error);
	return schema;
}

static gchar *
joined_values (QmpSchema *schema, const gchar *type)
{
	g_autoptr (GPtrArray) values = qmp_schema_list_values (schema, type);

	g_ptr_array_add (values, NULL);
	return g_strjoinv (",", (gchar **)values->pdata);
}

static gchar *
joined_members (QmpSchema *schema, const gchar *command, const gchar *path)
{
	g_autoptr (GArray) members = qmp_schema_list_members (schema, command, path);
	g_autoptr (GString) out = g_string_new (NULL);

	for (guint i = 0; i < members->len; i++) {
		QmpSchemaMember *m = &g_array_index (members, QmpSchemaMember, i);
		g_string_append_printf (out, "%s%s%s", i > 0 ? "," : "", m->name,
					m->optional ? "?" : "");
		if (m->branch != NULL)
			g_string_append_printf (out, "[%s]", m->branch);
	}
	return g_strdup (out->str);
}

/* types that refer to themselves: answers that end, each type spelled out once */
static void
test_self_reference (void)
{
	g_autoptr (QmpSchema) schema = schema_from (
		"[{\"name\": \"cmd\", \"meta-type\": \"command\", \"arg-type\": \"0\", "
		"\"ret-type\": \"1\"},"
		" {\"name\": \"0\", \"meta-type\": \"object\", \"members\": ["
		"   {\"name\": \"loop\", \"type\": \"1\"}, {\"name\": \"alt\", \"type\": \"2\"},"
		"   {\"name\": \"self\", \"type\": \"0\", \"default\": null}]},"
		" {\"name\": \"1\", \"meta-type\": \"array\", \"element-type\": \"1\"},"
		" {\"name\": \"2\", \"meta-type\": \"alternate\", \"members\": ["
		"   {\"type\": \"2\"}, {\"type\": \"3\"}]},"
		" {\"name\": \"3\", \"meta-type\": \"enum\", \"values\": [\"x\", \"y\"]}]");
	g_autofree gchar *loop = qmp_schema_describe_type (schema, "1");
	g_autofree gchar *alt = qmp_schema_describe_type (schema, "2");
	g_autofree gchar *values = joined_values (schema, "2");
	g_autofree gchar *deep = joined_members (schema, "cmd", "self.self.self.self");
	g_autofree gchar *type = qmp_schema_resolve (schema, "cmd", "self.self.alt");
	g_autofree gchar *dangling = qmp_schema_resolve (schema, "cmd", "self.");

	g_assert_cmpstr (loop, ==, "array of array");
	g_assert_cmpstr (alt, ==, "alternate or enum: x|y");
	g_assert_cmpstr (values, ==, "x,y");
	g_assert_cmpstr (deep, ==, "loop,alt,self?");
	g_assert_cmpstr (type, ==, "2");
	g_assert_null (dangling);
}

/*
 * An alternate that lists itself k times once cost k^8 (a 305-byte reply ran
 * for minutes in 1.5 GB); an enum under it was listed once per path. Now the
 * answers are as long as the schema, whatever k.
 */
static void
test_walks_stay_linear (void)
{
	g_autoptr (GString) json = g_string_new ("[{\"name\": \"a\", \"meta-type\": "
						 "\"alternate\", \"members\": [");
	g_autoptr (QmpSchema) schema = NULL;
	g_autofree gchar *description = NULL;
	g_autofree gchar *values = NULL;
	g_autofree gchar *array = NULL;

	for (guint i = 0; i < 2000; i++)
		g_string_append (json, "{\"type\": \"a\"}, {\"type\": \"e\"}, {\"type\": \"l\"}, ");
	g_string_append (json,
			 "{\"type\": \"e\"}]},"
			 " {\"name\": \"l\", \"meta-type\": \"array\", \"element-type\": \"a\"},"
			 " {\"name\": \"e\", \"meta-type\": \"enum\", \"values\": [\"p\", "
			 "\"q\"]}]");
	schema = schema_from (json->str);
	description = qmp_schema_describe_type (schema, "a");
	values = joined_values (schema, "a");
	array = qmp_schema_describe_type (schema, "l");

	g_assert_cmpstr (description, ==, "alternate or enum: p|q or array of alternate");
	g_assert_cmpstr (values, ==, "p,q");
	g_assert_cmpstr (array, ==, "array of alternate or enum: p|q or array");
}

/*
 * What a peer may send of the wrong JSON type (each found by the schema
 * fuzzer as a critical): left out, as if absent, and every query answers.
 */
static void
test_wrong_types (void)
{
	g_autoptr (QmpSchema) schema = schema_from (
		"[1, null, \"x\", [], {\"name\": {}, \"meta-type\": \"command\"},"
		" {\"name\": \"m\", \"meta-type\": {}},"
		" {\"name\": \"c\", \"meta-type\": \"command\", \"arg-type\": \"o\","
		"  \"ret-type\": 5, \"allow-oob\": \"yes\", \"features\": {}},"
		" {\"name\": \"o\", \"meta-type\": \"object\", \"tag\": \"t\","
		"  \"members\": [1, {\"name\": \"t\", \"type\": \"e\"}, {\"name\": 2, \"type\": "
		"\"e\"},"
		"   {\"name\": \"n\"}, {\"name\": \"f\", \"type\": \"e\", \"features\": [1, "
		"\"deprecated\"]}],"
		"  \"variants\": [1, {\"case\": \"p\"}, {\"case\": \"q\", \"type\": \"b\"},"
		"   {\"case\": 3, \"type\": \"b\"}]},"
		" {\"name\": \"b\", \"meta-type\": \"object\", \"members\": {}, \"variants\": {}},"
		" {\"name\": \"e\", \"meta-type\": \"enum\", \"values\": [1, \"p\", null, \"q\"]},"
		" {\"name\": \"ne\", \"meta-type\": \"enum\"},"
		" {\"name\": \"na\", \"meta-type\": \"alternate\"},"
		" {\"name\": \"ma\", \"meta-type\": \"alternate\", \"members\": {}},"
		" {\"name\": \"la\", \"meta-type\": \"alternate\", \"members\": [1, {\"type\": "
		"\"e\"}]},"
		" {\"name\": \"ar\", \"meta-type\": \"array\", \"element-type\": []}]");
	GPtrArray *commands = qmp_schema_list_commands (schema);
	const QmpSchemaEntry *c = qmp_schema_lookup (schema, "c");
	const QmpSchemaEntry *m = qmp_schema_lookup (schema, "m");
	g_autofree gchar *members = joined_members (schema, "c", "");
	g_autoptr (GArray) listed = qmp_schema_list_members (schema, "c", "");
	g_autofree gchar *e = qmp_schema_describe_type (schema, "e");
	g_autofree gchar *ne = qmp_schema_describe_type (schema, "ne");
	g_autofree gchar *na = qmp_schema_describe_type (schema, "na");
	g_autofree gchar *ma = qmp_schema_describe_type (schema, "ma");
	g_autofree gchar *la = qmp_schema_describe_type (schema, "la");
	g_autofree gchar *ar = qmp_schema_describe_type (schema, "ar");
	g_autofree gchar *none = qmp_schema_describe_type (schema, NULL);
	g_autofree gchar *la_values = joined_values (schema, "la");

	g_assert_cmpuint (commands->len, ==, 1);
	g_assert_cmpstr (commands->pdata[0], ==, "c");
	g_assert_nonnull (c);
	g_assert_null (c->ret_type);
	g_assert_false (c->allow_oob);
	g_assert_cmpuint (c->features, ==, 0);
	g_assert_nonnull (m);
	g_assert_cmpint (m->meta, ==, QMP_SCHEMA_META_UNKNOWN);
	g_assert_false (qmp_schema_has_command (schema, "m"));
	g_assert_cmpstr (members, ==, "t,f");
	g_assert_true (g_array_index (listed, QmpSchemaMember, 1).deprecated);
	g_assert_cmpstr (e, ==, "enum: p|q");
	g_assert_cmpstr (ne, ==, "enum: ");
	g_assert_cmpstr (na, ==, "");
	g_assert_cmpstr (ma, ==, "");
	g_assert_cmpstr (la, ==, "enum: p|q");
	g_assert_cmpstr (ar, ==, "array of ?");
	g_assert_cmpstr (none, ==, "?");
	g_assert_cmpstr (la_values, ==, "p,q");
}

/* of entries sharing a name the first counts, and a command is listed once */
static void
test_duplicate_names (void)
{
	g_autoptr (QmpSchema) schema =
		schema_from ("[{\"name\": \"c\", \"meta-type\": \"command\", \"arg-type\": \"0\"},"
			     " {\"name\": \"c\", \"meta-type\": \"command\", \"arg-type\": \"1\"},"
			     " {\"name\": \"0\", \"meta-type\": \"object\", \"members\": []},"
			     " {\"name\": \"0\", \"meta-type\": \"enum\", \"values\": [\"z\"]}]");
	g_autofree gchar *args = qmp_schema_resolve (schema, "c", "");

	g_assert_cmpuint (qmp_schema_list_commands (schema)->len, ==, 1);
	g_assert_cmpstr (args, ==, "0");
	g_assert_cmpint (qmp_schema_lookup (schema, "0")->meta, ==, QMP_SCHEMA_META_OBJECT);
}

/* a union's members: the base's, then each branch's, a shared one listed once */
static void
test_union_branches (void)
{
	g_autoptr (QmpSchema) schema = schema_from (
		"[{\"name\": \"add\", \"meta-type\": \"command\", \"arg-type\": \"u\"},"
		" {\"name\": \"u\", \"meta-type\": \"object\", \"tag\": \"driver\","
		"  \"members\": [{\"name\": \"driver\", \"type\": \"d\"},"
		"   {\"name\": \"id\", \"type\": \"str\", \"default\": null}],"
		"  \"variants\": [{\"case\": \"file\", \"type\": \"f\"},"
		"   {\"case\": \"host\", \"type\": \"f\"}, {\"case\": \"null\", \"type\": \"n\"}]},"
		" {\"name\": \"f\", \"meta-type\": \"object\", \"members\": ["
		"   {\"name\": \"filename\", \"type\": \"str\"}]},"
		" {\"name\": \"n\", \"meta-type\": \"object\", \"members\": ["
		"   {\"name\": \"size\", \"type\": \"int\", \"default\": null}]},"
		" {\"name\": \"d\", \"meta-type\": \"enum\", \"members\": [{\"name\": \"file\"},"
		"   {\"name\": \"host\", \"features\": [\"deprecated\"]}, {\"name\": \"null\"}],"
		"  \"values\": [\"file\", \"host\", \"null\"]},"
		" {\"name\": \"str\", \"meta-type\": \"builtin\", \"json-type\": \"string\"},"
		" {\"name\": \"int\", \"meta-type\": \"builtin\", \"json-type\": \"int\"}]");
	g_autofree gchar *members = joined_members (schema, "add", "");
	g_autofree gchar *filename = qmp_schema_resolve (schema, "add", "filename");
	g_autofree gchar *size = qmp_schema_resolve (schema, "add", "size");
	const QmpSchemaEntry *d = qmp_schema_lookup (schema, "d");

	g_assert_cmpstr (members, ==,
			 "driver,id?,filename?[driver=file, driver=host],size?[driver=null]");
	g_assert_cmpstr (filename, ==, "str");
	g_assert_cmpstr (size, ==, "int");
	g_assert_cmpuint (d->n_values, ==, 3);
	g_assert_cmpstr (d->values[1], ==, "host");
	g_assert_cmpuint (d->value_features[1], ==, QMP_SCHEMA_FEATURE_DEPRECATED);
	g_assert_cmpuint (d->value_features[0], ==, 0);
}

/* every answer of @a, asked of @b, is the same: what a cached index must keep */
static void
assert_same_answers (QmpSchema *a, QmpSchema *b)
{
	GPtrArray *commands = qmp_schema_list_commands (a);

	g_assert_cmpuint (commands->len, ==, qmp_schema_list_commands (b)->len);
	g_assert_cmpuint (qmp_schema_list_events (a)->len, ==, qmp_schema_list_events (b)->len);
	for (guint i = 0; i < commands->len; i++) {
		const gchar *name = g_ptr_array_index (commands, i);
		const QmpSchemaEntry *ea = qmp_schema_lookup (a, name);
		const QmpSchemaEntry *eb = qmp_schema_lookup (b, name);
		g_autofree gchar *ma = joined_members (a, name, NULL);
		g_autofree gchar *mb = joined_members (b, name, NULL);

		g_assert_cmpstr (name, ==, g_ptr_array_index (qmp_schema_list_commands (b), i));
		g_assert_nonnull (eb);
		g_assert_cmpstr (ea->arg_type, ==, eb->arg_type);
		g_assert_cmpstr (ea->ret_type, ==, eb->ret_type);
		g_assert_cmpint (ea->allow_oob, ==, eb->allow_oob);
		g_assert_cmpstr (ma, ==, mb);
	}
}

/* the index read back answers as the reply did, and writes the same bytes again */
static void
test_bytes_round_trip (void)
{
	const gchar *names[] = { "schema-7.2.json", "schema-10.0.json" };

	for (guint n = 0; n < G_N_ELEMENTS (names); n++) {
		g_autofree gchar *path =
			g_build_filename (g_getenv ("QMPSH_TESTS_DIR"), "data", names[n], NULL);
		g_autofree gchar *json = NULL;
		g_autoptr (QmpSchema) schema = NULL;
		g_autoptr (QmpSchema) back = NULL;
		g_autoptr (GBytes) bytes = NULL;
		g_autoptr (GBytes) again = NULL;
		g_autoptr (GError) error = NULL;
		g_autofree gchar *described = NULL;

		g_assert_true (g_file_get_contents (path, &json, NULL, NULL));
		schema = schema_from (json);
		bytes = qmp_schema_to_bytes (schema);
		back = qmp_schema_new_from_bytes (bytes, &error);
		g_assert_no_error (error);
		assert_same_answers (schema, back);
		assert_same_answers (back, schema);
		described = qmp_schema_describe_type (
			back, qmp_schema_lookup (back, "query-status")->ret_type);
		g_assert_cmpstr (described, ==, "object");
		again = qmp_schema_to_bytes (back);
		g_assert_true (g_bytes_equal (bytes, again));
	}
}

/*
 * Bytes from a file may be anything: every cut and many a changed byte is
 * refused or read within bounds (valgrind and ASan see a read past them).
 */
static void
test_bytes_damaged (void)
{
	g_autoptr (QmpSchema) schema = schema_from (
		"[{\"name\":\"a\",\"meta-type\":\"command\",\"arg-type\":\"t\","
		"\"ret-type\":\"e\"},{\"name\":\"t\",\"meta-type\":\"object\","
		"\"members\":[{\"name\":\"x\",\"type\":\"e\"}],\"tag\":\"x\","
		"\"variants\":[{\"case\":\"on\",\"type\":\"t\"}]},"
		"{\"name\":\"e\",\"meta-type\":\"enum\",\"values\":[\"on\",\"off\"]}]");
	g_autoptr (GBytes) bytes = qmp_schema_to_bytes (schema);
	gsize len = 0;
	const guint8 *data = g_bytes_get_data (bytes, &len);
	guint refused = 0;

	for (gsize cut = 0; cut < len; cut++) {
		g_autoptr (GBytes) part = g_bytes_new (data, cut);
		g_autoptr (GError) error = NULL;
		g_autoptr (QmpSchema) back = qmp_schema_new_from_bytes (part, &error);

		g_assert_null (back);
		g_assert_error (error, QMP_ERROR, QMP_ERROR_PROTOCOL);
	}
	for (gsize at = 0; at < len; at++) {
		for (guint value = 0; value < 256; value += 51) {
			g_autofree guint8 *copy = g_memdup2 (data, len);
			g_autoptr (GBytes) changed = NULL;
			g_autoptr (QmpSchema) back = NULL;

			copy[at] = (guint8)value;
			changed = g_bytes_new (copy, len);
			back = qmp_schema_new_from_bytes (changed, NULL);
			if (back == NULL) {
				refused++;
				continue;
			}
			/* what was read is whole: asking it anything stays in bounds */
			g_free (joined_members (back, "a", NULL));
			g_free (qmp_schema_describe_type (back, "t"));
		}
	}
	/* the header and the counts at least are checked */
	g_assert_cmpuint (refused, >, 0);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/schema/self-reference", test_self_reference);
	g_test_add_func ("/schema/walks-stay-linear", test_walks_stay_linear);
	g_test_add_func ("/schema/wrong-types", test_wrong_types);
	g_test_add_func ("/schema/duplicate-names", test_duplicate_names);
	g_test_add_func ("/schema/union-branches", test_union_branches);
	g_test_add_func ("/schema/bytes-round-trip", test_bytes_round_trip);
	g_test_add_func ("/schema/bytes-damaged", test_bytes_damaged);
	return g_test_run ();
}
