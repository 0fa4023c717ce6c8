/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-help.h"
#include "qmpsh-builtins.h"
#include "qmpsh-check.h"
#include "qmpsh-conform.h"
#include "qmpsh-format.h"
#include "qmpsh-parser.h"

#include <string.h>

/* members of an object argument shown under it, at most; beyond that, on request */
#define QMPSH_HELP_NESTED_MAX 12

/**
 * qmpsh_help_summary:
 * @interactive: whether it is for the prompt (which has more built-ins, and keys)
 *
 * Returns: (transfer full): what `.help` says: the language, and the built-ins
 *   of this mode from their table
 */
gchar *
qmpsh_help_summary (gboolean interactive)
{
	GString *out = g_string_new (NULL);
	QmpshBuiltinModes mode = interactive ? QMPSH_BUILTIN_PROMPT : QMPSH_BUILTIN_BATCH;
	guint n = 0;
	const QmpshBuiltin *builtins = qmpsh_builtins_get (&n);

	g_string_append (
		out, "Commands, one a line:\n"
		     "  NAME key=value ...      a QMP command; a value takes the type the "
		     "schema gives\n"
		     "                          its argument (id=1 is the string \"1\", flat=on "
		     "is true,\n"
		     "                          size=1G is 1073741824); where none is known, "
		     "JSON when\n"
		     "                          it parses as JSON, else a string; a.b=1 "
		     "builds objects\n"
		     "  {\"execute\": ...}        a command written whole in JSON\n"
		     "  transaction( TYPE key=value ... ; TYPE ... )   may span lines\n"
		     "  # comment\n"
		     "Built-ins:\n");
	for (guint i = 0; i < n; i++) {
		g_autofree gchar *head = NULL;
		if (!(builtins[i].modes & mode))
			continue;
		head = g_strdup_printf ("%s%s%s", builtins[i].name,
					builtins[i].args[0] != '\0' ? " " : "", builtins[i].args);
		if (g_utf8_strlen (head, -1) > 23)
			g_string_append_printf (out, "  %s\n  %-23s %s\n", head, "",
						builtins[i].summary);
		else
			g_string_append_printf (out, "  %-23s %s\n", head, builtins[i].summary);
	}
	if (interactive)
		g_string_append (out,
				 "Keys: TAB completes, Ctrl-R searches the history, Ctrl-C stops "
				 "waiting for a reply\n"
				 "or clears the line, Ctrl-D leaves.\n");
	return g_string_free (out, FALSE);
}

static void
describe_member (GString *out, QmpSchema *schema, const QmpSchemaField *f, const gchar *indent,
		 gboolean optional)
{
	g_autofree gchar *type = qmp_schema_describe_type (schema, f->type);

	g_string_append_printf (out, "%s%-*s %s, %s%s%s\n", indent, (int)(24 - strlen (indent)),
				f->name, type, optional ? "optional" : "required",
				f->features & QMP_SCHEMA_FEATURE_DEPRECATED ? ", deprecated" : "",
				f->features & QMP_SCHEMA_FEATURE_UNSTABLE ? ", unstable" : "");
}

/* an object argument's own members, one level down, when it has few and no branches */
static void
describe_nested (GString *out, QmpSchema *schema, const QmpSchemaField *f, const gchar *command,
		 const gchar *path)
{
	const QmpSchemaEntry *object = qmpsh_conform_object_of (schema, f->type);
	g_autofree gchar *full =
		path[0] != '\0' ? g_strdup_printf ("%s.%s", path, f->name) : g_strdup (f->name);

	if (object == NULL)
		return;
	if (object->n_members > QMPSH_HELP_NESTED_MAX || object->n_variants > 0) {
		g_string_append_printf (out, "      (its members: .help %s %s)\n", command, full);
		return;
	}
	for (guint i = 0; i < object->n_members; i++)
		describe_member (out, schema, &object->members[i], "      ",
				 object->members[i].optional);
}

static void
describe_object (GString *out, QmpSchema *schema, const QmpSchemaEntry *object,
		 const QmpshArgsNode *node, const gchar *command, const gchar *path,
		 const gchar *none)
{
	const gchar *tag_value = qmpsh_conform_tag_value (object, node);
	const QmpSchemaEntry *branch = qmpsh_conform_branch (schema, object, tag_value);
	const QmpSchemaEntry *in[] = { object, branch };

	if (object->n_members == 0 && branch == NULL)
		g_string_append_printf (out, "  %s\n", none);
	for (guint k = 0; k < G_N_ELEMENTS (in); k++) {
		for (guint i = 0; in[k] != NULL && i < in[k]->n_members; i++) {
			describe_member (out, schema, &in[k]->members[i], "  ",
					 in[k]->members[i].optional);
			describe_nested (out, schema, &in[k]->members[i], command, path);
		}
	}
	if (object->n_variants > 0 && tag_value != NULL && branch == NULL) {
		g_autoptr (GPtrArray) values = g_ptr_array_new ();
		g_autofree gchar *close = NULL;
		for (guint i = 0; i < object->n_variants; i++)
			g_ptr_array_add (values, (gpointer)object->variants[i].value);
		if (!g_ptr_array_find_with_equal_func (values, tag_value, g_str_equal, NULL)) {
			close = qmpsh_check_suggest (values, tag_value);
			g_string_append_printf (out, "  no branch has %s=%s%s%s%s\n", object->tag,
						tag_value, close != NULL ? "; did you mean " : "",
						close != NULL ? close : "",
						close != NULL ? "?" : "");
			tag_value = NULL;
		}
	}
	if (object->n_variants > 0 && tag_value == NULL)
		g_string_append_printf (out,
					"  %s=VALUE adds its own members: .help %s %s%s%s=%s\n",
					object->tag, command, path, path[0] != '\0' ? "." : "",
					object->tag, object->variants[0].value);
}

static void
describe_returns (GString *out, QmpSchema *schema, const gchar *type)
{
	const QmpSchemaEntry *e = qmp_schema_lookup (schema, type);
	const QmpSchemaEntry *object;
	g_autofree gchar *described = NULL;

	if (type == NULL)
		return;
	if (e != NULL && e->meta == QMP_SCHEMA_META_ARRAY)
		object = qmpsh_conform_object_of (schema, e->element_type);
	else
		object = qmpsh_conform_object_of (schema, type);
	if (object != NULL && object->n_members == 0)
		return; /* {}: nothing to say */
	described = qmp_schema_describe_type (schema, type);
	if (object == NULL)
		g_string_append_printf (out, "returns: %s\n", described);
	else if (e != NULL && e->meta == QMP_SCHEMA_META_ARRAY)
		g_string_append (out, "returns a list of objects, each with:\n");
	else
		g_string_append (out, "returns an object with:\n");
	for (guint i = 0; object != NULL && i < object->n_members; i++)
		describe_member (out, schema, &object->members[i], "  ",
				 object->members[i].optional);
}

static void
describe_header (GString *out, const QmpSchemaEntry *e, const gchar *what)
{
	g_string_append_printf (out, "%s%s%s%s%s\n", e->name, what,
				e->features & QMP_SCHEMA_FEATURE_DEPRECATED ? " (deprecated)" : "",
				e->features & QMP_SCHEMA_FEATURE_UNSTABLE ? " (unstable)" : "",
				e->allow_oob ? " (may run out of band)" : "");
}

static void
refuse_name (QmpSchema *schema, const gchar *name, GError **error)
{
	g_autoptr (GPtrArray) names = g_ptr_array_new ();
	GPtrArray *commands = qmp_schema_list_commands (schema);
	GPtrArray *events = qmp_schema_list_events (schema);
	g_autofree gchar *close = NULL;
	g_autofree gchar *shown = NULL;
	g_autofree gchar *dotted = NULL;

	for (guint i = 0; i < commands->len; i++)
		g_ptr_array_add (names, g_ptr_array_index (commands, i));
	for (guint i = 0; i < events->len; i++)
		g_ptr_array_add (names, g_ptr_array_index (events, i));
	close = qmpsh_check_suggest (names, name);
	shown = qmpsh_format_excerpt (name, -1);
	dotted = g_strconcat (".", name, NULL);
	/* `.help watch`: the built-in */
	if (qmpsh_builtins_find (dotted) != NULL)
		g_set_error (error, QMPSH_CHECK_ERROR, QMPSH_CHECK_ERROR_UNKNOWN_COMMAND,
			     "no command or event '%s'; %s is a built-in: .help %s", shown, dotted,
			     dotted);
	else
		g_set_error (error, QMPSH_CHECK_ERROR, QMPSH_CHECK_ERROR_UNKNOWN_COMMAND,
			     "no command or event '%s'%s%s%s", shown,
			     close != NULL ? "; did you mean " : "", close != NULL ? close : "",
			     close != NULL ? "?" : "");
}

/* `.help CMD nosuch`: the arguments there are at the top, and the nearest */
static void
refuse_argument (QmpSchema *schema, const QmpSchemaEntry *e, const QmpshArgsNode *root,
		 const gchar *path, GError **error)
{
	const QmpSchemaEntry *object = qmpsh_conform_object_of (schema, e->arg_type);
	const QmpSchemaEntry *branch =
		object != NULL ? qmpsh_conform_branch (schema, object,
						       qmpsh_conform_tag_value (object, root))
			       : NULL;
	const QmpSchemaEntry *in[] = { object, branch };
	g_autoptr (GPtrArray) names = g_ptr_array_new ();
	g_autofree gchar *close = NULL;
	g_autofree gchar *shown = qmpsh_format_excerpt (path, -1);

	for (guint k = 0; k < G_N_ELEMENTS (in); k++) {
		for (guint i = 0; in[k] != NULL && i < in[k]->n_members; i++)
			g_ptr_array_add (names, (gpointer)in[k]->members[i].name);
	}
	close = qmpsh_check_suggest (names, path);
	g_set_error (error, QMPSH_CHECK_ERROR, QMPSH_CHECK_ERROR_UNKNOWN_ARGUMENT,
		     "%s has no argument '%s'%s%s%s", e->name, shown,
		     close != NULL ? "; did you mean " : "", close != NULL ? close : "",
		     close != NULL ? "?" : "");
}

/**
 * qmpsh_help_describe:
 * @schema: the server's schema
 * @words: the words after `.help`: a command or event, then perhaps its
 *   union's tags (`driver=file`) and a dotted argument to look into
 * @props: (nullable): for device_add, the driver's properties, from QEMU
 * @error: a #GError, or %NULL
 *
 * What a command takes (one a line, with its type, whether it is required,
 * the members of a small object argument under it, and of a union only the
 * branch its tag chose) and what it returns; or an event's data.
 *
 * Returns: (transfer full): the text, or %NULL with a %QMPSH_CHECK_ERROR
 *   that names the commands closest to the name
 */
gchar *
qmpsh_help_describe (QmpSchema *schema, gchar **words, const QmpshProps *props, GError **error)
{
	const QmpSchemaEntry *e = qmp_schema_lookup (schema, words[0]);
	g_autoptr (GString) out = g_string_new (NULL);
	g_autoptr (GString) tags = g_string_new ("x");
	g_autoptr (QmpshParser) parser = qmpsh_parser_new ();
	g_autoptr (QmpshLine) line = NULL;
	const gchar *path = "";
	const gchar *type;
	const QmpshArgsNode *node = NULL;
	const QmpSchemaEntry *object;
	const gchar *none;

	if (e == NULL || (e->meta != QMP_SCHEMA_META_COMMAND && e->meta != QMP_SCHEMA_META_EVENT)) {
		refuse_name (schema, words[0], error);
		return NULL;
	}
	for (guint i = 1; words[i] != NULL; i++) {
		if (strchr (words[i], '=') != NULL)
			g_string_append_printf (tags, " %s", words[i]);
		else
			path = words[i];
	}
	line = qmpsh_parser_feed (parser, tags->str, error);
	if (line == NULL)
		return NULL;
	describe_header (out, e, e->meta == QMP_SCHEMA_META_EVENT ? " (event)" : "");
	none = e->meta == QMP_SCHEMA_META_EVENT ? "no data" : "no arguments";
	type = qmpsh_conform_walk (schema, e->arg_type, qmpsh_args_get_root (line->args), path,
				   &node);
	object = qmpsh_conform_object_of (schema, type);
	if (path[0] != '\0' && type == NULL) {
		refuse_argument (schema, e, qmpsh_args_get_root (line->args), path, error);
		return NULL;
	}
	if (path[0] != '\0') {
		g_autofree gchar *described = qmp_schema_describe_type (schema, type);
		g_string_append_printf (out, "  %s: %s\n", path, described);
	}
	if (object != NULL)
		describe_object (out, schema, object,
				 path[0] != '\0' ? node : qmpsh_args_get_root (line->args),
				 words[0], path, none);
	else if (path[0] == '\0')
		g_string_append_printf (out, "  %s\n", none);
	/* device_add's driver has properties the schema does not list */
	for (guint i = 0; props != NULL && path[0] == '\0' && i < qmpsh_props_get_length (props);
	     i++) {
		const QmpshProp *p = qmpsh_props_get (props, i);
		if (i == 0)
			g_string_append (out, "  and the driver's properties, from QEMU:\n");
		g_string_append_printf (out, "    %-20s %s%s%s\n", p->name, p->type,
					p->description != NULL ? ", " : "",
					p->description != NULL ? p->description : "");
	}
	if (props == NULL && path[0] == '\0' && g_str_equal (e->name, "device_add"))
		g_string_append (out, "  driver=DRIVER adds the driver's own properties: "
				      ".help device_add driver=virtio-net-pci\n");
	if (e->meta == QMP_SCHEMA_META_COMMAND && path[0] == '\0')
		describe_returns (out, schema, e->ret_type);
	return g_string_free (g_steal_pointer (&out), FALSE);
}
