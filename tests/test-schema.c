/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/* The schema model, from schemas written here: the odd ones a peer may send */

#include "qmp-schema.h"

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

/* types that refer to themselves: answers that end, and no stack overflow */
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
	g_autoptr (GPtrArray) values = qmp_schema_list_values (schema, "2");
	g_autoptr (GArray) deep = qmp_schema_list_members (schema, "cmd", "self.self.self.self");
	g_autofree gchar *type = qmp_schema_resolve (schema, "cmd", "self.self.alt");

	g_assert_true (g_str_has_prefix (loop, "array of array of "));
	g_assert_true (g_str_has_suffix (loop, "..."));
	g_assert_true (g_str_has_suffix (alt, " or enum: x|y"));
	/* the alternate's own enum is found once per level it is reached at */
	g_assert_cmpuint (values->len, >=, 2);
	g_assert_cmpstr (g_ptr_array_index (values, values->len - 1), ==, "y");
	g_assert_cmpuint (deep->len, ==, 3);
	g_assert_cmpstr (type, ==, "2");
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/schema/self-reference", test_self_reference);
	return g_test_run ();
}
