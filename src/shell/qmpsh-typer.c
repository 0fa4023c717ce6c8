/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * The schema types the words of a line. Where the type of an argument is
 * known, `id=1` is the string "1", `flat=on` is true, `size=1G` is
 * 1073741824, `sync=ful` is refused naming `full`; a union is read by the
 * branch its tag chose; device_add takes the properties of its driver and
 * qom-set's value the type of the property it sets, as QEMU lists them.
 * Where nothing is known, today's rules stand: a bare number, true, false
 * or null is JSON, anything else a string.
 */

#include "qmpsh-typer.h"
#include "qmpsh-check.h"
#include "qmpsh-conform.h"
#include "qmpsh-format.h"
#include "qmpsh-parser.h"
#include "qmpsh-value.h"

#include <string.h>

/* enum values a message lists in full; past that it says TAB lists them */
#define QMPSH_TYPER_LIST_MAX 12

/* a PCI device's `addr` is an integer in 7.2's list, but QEMU reads "slot.fn" from a string */
#define QMPSH_TYPER_PCI_ADDR "Slot and optional function number"

typedef struct {
	const QmpshTyper *typer;
	QmpSchema *schema;
	const gchar *command;
	gboolean wait;	  /* properties are being asked for */
	gboolean refused; /* the server has none to give */
	GError **error;
} Ctx;

static gboolean type_value (Ctx *ctx, const gchar *type, const QmpshArgsNode *node,
			    const gchar *path, GString *out);

static gchar *
sub_path (const gchar *path, const gchar *key)
{
	return path[0] != '\0' ? g_strdup_printf ("%s.%s", path, key) : g_strdup (key);
}

/* "CMD: PATH=TEXT: WHY (nothing sent)" */
static gboolean
refuse_value (Ctx *ctx, gint code, const gchar *path, const QmpshArgsNode *node, const gchar *why)
{
	g_autofree gchar *text = qmpsh_format_excerpt (qmpsh_args_node_get_text (node), -1);

	g_set_error (ctx->error, QMPSH_CHECK_ERROR, code, "%s: %s=%s: %s (nothing sent)",
		     ctx->command, path, text, why);
	return FALSE;
}

/* ------------------------------------------------------------------------ */
/* words */

static gboolean
type_builtin (Ctx *ctx, const QmpSchemaEntry *e, const QmpshArgsNode *node, const gchar *path,
	      GString *out)
{
	const gchar *text = qmpsh_args_node_get_text (node);
	const gchar *t = e->json_type;
	g_autofree gchar *why = NULL;
	g_autofree gchar *number = NULL;
	gboolean b;

	if (g_strcmp0 (t, "string") == 0) {
		qmpsh_format_json_string (out, text, strlen (text));
	} else if (g_strcmp0 (t, "int") == 0) {
		/* introspection says int for every integer and size type */
		number = qmpsh_value_parse_int (text, QMPSH_VALUE_INT_SIZE, G_MININT64, G_MAXUINT64,
						&why);
		if (number == NULL)
			return refuse_value (ctx, QMPSH_CHECK_ERROR_WRONG_TYPE, path, node, why);
		g_string_append (out, number);
	} else if (g_strcmp0 (t, "number") == 0) {
		if (qmpsh_value_is_json_number (text, strlen (text)))
			number = g_strdup (text);
		else
			number = qmpsh_value_parse_int (text, QMPSH_VALUE_INT_SIZE, G_MININT64,
							G_MAXUINT64, NULL);
		if (number == NULL)
			return refuse_value (ctx, QMPSH_CHECK_ERROR_WRONG_TYPE, path, node,
					     "expected a number");
		g_string_append (out, number);
	} else if (g_strcmp0 (t, "boolean") == 0) {
		if (!qmpsh_value_parse_bool (text, &b))
			return refuse_value (ctx, QMPSH_CHECK_ERROR_WRONG_TYPE, path, node,
					     "expected true or false (or on/off, yes/no)");
		g_string_append (out, b ? "true" : "false");
	} else if (g_strcmp0 (t, "null") == 0) {
		if (g_strcmp0 (text, "null") != 0)
			return refuse_value (ctx, QMPSH_CHECK_ERROR_WRONG_TYPE, path, node,
					     "expected null");
		g_string_append (out, "null");
	} else {
		/* any: today's rules, but quotes make a string */
		qmpsh_args_node_to_json (node, out);
	}
	return TRUE;
}

static gboolean
is_value (const QmpSchemaEntry *e, const gchar *text)
{
	for (guint i = 0; i < e->n_values; i++) {
		if (g_strcmp0 (e->values[i], text) == 0)
			return TRUE;
	}
	return FALSE;
}

static gboolean
type_enum (Ctx *ctx, const QmpSchemaEntry *e, const QmpshArgsNode *node, const gchar *path,
	   GString *out)
{
	const gchar *text = qmpsh_args_node_get_text (node);
	g_autoptr (GPtrArray) values = NULL;
	g_autofree gchar *close = NULL;
	g_autofree gchar *why = NULL;
	g_autofree gchar *listed = NULL;

	if (is_value (e, text)) {
		qmpsh_format_json_string (out, text, strlen (text));
		return TRUE;
	}
	values = g_ptr_array_new ();
	for (guint i = 0; i < e->n_values; i++)
		g_ptr_array_add (values, (gpointer)e->values[i]);
	close = qmpsh_check_suggest (values, text);
	g_ptr_array_add (values, NULL);
	listed = e->n_values <= QMPSH_TYPER_LIST_MAX
			 ? g_strjoinv (", ", (gchar **)values->pdata)
			 : g_strdup_printf ("the %u values TAB lists", e->n_values);
	why = g_strdup_printf ("not one of %s%s%s%s", listed,
			       close != NULL ? "; did you mean " : "", close != NULL ? close : "",
			       close != NULL ? "?" : "");
	return refuse_value (ctx, QMPSH_CHECK_ERROR_WRONG_TYPE, path, node, why);
}

/* the first of the alternate's branches whose types satisfy @pick */
static const QmpSchemaEntry *
alternate_find (Ctx *ctx, const QmpSchemaEntry *e, QmpSchemaMeta meta, const gchar *json_type)
{
	for (guint i = 0; i < e->n_members; i++) {
		const QmpSchemaEntry *m = qmp_schema_lookup (ctx->schema, e->members[i].type);
		if (m != NULL && m->meta == meta &&
		    (json_type == NULL || g_strcmp0 (m->json_type, json_type) == 0))
			return m;
	}
	return NULL;
}

/*
 * A word for an alternate: QEMU picks the branch by the JSON type, so the
 * word's shape does: null, a boolean, a number, one of an enum's values,
 * else a string; a quoted word is a string first.
 */
static gboolean
type_alternate (Ctx *ctx, const QmpSchemaEntry *e, const QmpshArgsNode *node, const gchar *path,
		GString *out)
{
	const gchar *text = qmpsh_args_node_get_text (node);
	gboolean quoted = qmpsh_args_node_get_kind (node) == QMPSH_ARGS_QUOTED;
	const QmpSchemaEntry *str = alternate_find (ctx, e, QMP_SCHEMA_META_BUILTIN, "string");
	const QmpSchemaEntry *enm = alternate_find (ctx, e, QMP_SCHEMA_META_ENUM, NULL);
	const QmpSchemaEntry *num = alternate_find (ctx, e, QMP_SCHEMA_META_BUILTIN, "int");
	const QmpSchemaEntry *bln = alternate_find (ctx, e, QMP_SCHEMA_META_BUILTIN, "boolean");
	const QmpSchemaEntry *nul = alternate_find (ctx, e, QMP_SCHEMA_META_BUILTIN, "null");
	g_autofree gchar *want = NULL;
	g_autofree gchar *why = NULL;
	g_autofree gchar *number = NULL;
	gboolean b;

	if (num == NULL)
		num = alternate_find (ctx, e, QMP_SCHEMA_META_BUILTIN, "number");
	if (!quoted && nul != NULL && g_strcmp0 (text, "null") == 0)
		return type_builtin (ctx, nul, node, path, out);
	if (!quoted && bln != NULL &&
	    (g_strcmp0 (text, "true") == 0 || g_strcmp0 (text, "false") == 0))
		return type_builtin (ctx, bln, node, path, out);
	if (!quoted && num != NULL && qmpsh_value_is_json_number (text, strlen (text)))
		return type_builtin (ctx, num, node, path, out);
	if (enm != NULL && (is_value (enm, text) || str == NULL))
		return type_enum (ctx, enm, node, path, out);
	if (str != NULL)
		return type_builtin (ctx, str, node, path, out);
	if (bln != NULL && qmpsh_value_parse_bool (text, &b))
		return type_builtin (ctx, bln, node, path, out);
	if (num != NULL && (number = qmpsh_value_parse_int (text, QMPSH_VALUE_INT_SIZE, G_MININT64,
							    G_MAXUINT64, NULL)) != NULL)
		return type_builtin (ctx, num, node, path, out);
	want = qmpsh_conform_describe_short (ctx->schema, e->name);
	why = g_strdup_printf ("expected %s", want);
	return refuse_value (ctx, QMPSH_CHECK_ERROR_WRONG_TYPE, path, node, why);
}

/* a value written as JSON ({...} or [...]): checked whole, sent as it is */
static gboolean
type_json (Ctx *ctx, const gchar *type, const QmpshArgsNode *node, const gchar *path, GString *out)
{
	g_autoptr (JsonParser) parser = json_parser_new_immutable ();
	g_autoptr (GError) error = NULL;
	const gchar *json = qmpsh_args_node_get_json (node);

	if (json_parser_load_from_data (parser, json, -1, NULL) &&
	    !qmpsh_conform_check (ctx->schema, type, json_parser_get_root (parser), path, &error)) {
		g_set_error (ctx->error, QMPSH_CHECK_ERROR, error->code, "%s: %s (nothing sent)",
			     ctx->command, error->message);
		return FALSE;
	}
	g_string_append (out, json);
	return TRUE;
}

/* ------------------------------------------------------------------------ */
/* objects, unions narrowed by their tag */

static void
add_names (GPtrArray *names, const QmpSchemaEntry *object)
{
	for (guint i = 0; object != NULL && i < object->n_members; i++)
		g_ptr_array_add (names, (gpointer)object->members[i].name);
}

/* the tag values whose branch has @key, the tag named by its whole path */
static gchar *
branches_with (Ctx *ctx, const QmpSchemaEntry *object, const gchar *path, const gchar *key)
{
	g_autoptr (GString) out = g_string_new (NULL);
	g_autofree gchar *tag = sub_path (path, object->tag);
	guint found = 0;

	for (guint i = 0; i < object->n_variants; i++) {
		const QmpSchemaEntry *b = qmp_schema_lookup (ctx->schema, object->variants[i].type);
		if (b == NULL || qmpsh_conform_find_member (ctx->schema, b, NULL, key) == NULL)
			continue;
		if (found++ < 4)
			g_string_append_printf (out, "%s%s=%s", out->len > 0 ? ", " : "", tag,
						object->variants[i].value);
	}
	if (found > 4)
		g_string_append_printf (out, " and %u more", found - 4);
	return found > 0 ? g_strdup (out->str) : NULL;
}

static gboolean
refuse_key (Ctx *ctx, const QmpSchemaEntry *object, const QmpSchemaEntry *branch,
	    const gchar *tag_value, GPtrArray *extra, const gchar *path, const gchar *key)
{
	g_autoptr (GPtrArray) names = g_ptr_array_new ();
	g_autofree gchar *full = sub_path (path, key);
	g_autofree gchar *shown = qmpsh_format_excerpt (full, -1);
	g_autofree gchar *close = NULL;
	g_autofree gchar *others = object != NULL ? branches_with (ctx, object, path, key) : NULL;
	g_autofree gchar *with = NULL;

	add_names (names, object);
	add_names (names, branch);
	for (guint i = 0; extra != NULL && i < extra->len; i++)
		g_ptr_array_add (names, g_ptr_array_index (extra, i));
	close = qmpsh_check_suggest (names, key);
	/* `file.filenam`: did you mean file.filename, the whole key as typed */
	if (close != NULL && path != NULL && path[0] != '\0') {
		g_auto (GStrv) each = g_strsplit (close, ", ", -1);
		g_autoptr (GString) whole = g_string_new (NULL);
		for (guint i = 0; each[i] != NULL; i++)
			g_string_append_printf (whole, "%s%s.%s", i > 0 ? ", " : "", path, each[i]);
		g_free (close);
		close = g_string_free (g_steal_pointer (&whole), FALSE);
	}
	if (tag_value != NULL) {
		g_autofree gchar *tag = sub_path (path, object->tag);
		with = g_strdup_printf (" with %s=%s", tag, tag_value);
	}
	g_set_error (ctx->error, QMPSH_CHECK_ERROR, QMPSH_CHECK_ERROR_UNKNOWN_ARGUMENT,
		     "%s has no argument '%s'%s%s%s%s%s%s (nothing sent; .help %s lists them)",
		     ctx->command, shown, with != NULL ? with : "",
		     close != NULL ? "; did you mean " : "", close != NULL ? close : "",
		     close != NULL ? "?" : "", others != NULL ? "; it is one with " : "",
		     others != NULL ? others : "", ctx->command);
	return FALSE;
}

/* every required member of @object and @branch that @node lacks, in one line */
static gboolean
check_required (Ctx *ctx, const QmpSchemaEntry *object, const QmpSchemaEntry *branch,
		const gchar *tag_value, const QmpshArgsNode *node, const gchar *path)
{
	const QmpSchemaEntry *in[] = { object, branch };
	g_autoptr (GString) missing = g_string_new (NULL);
	g_autoptr (GPtrArray) names = g_ptr_array_new ();
	g_autofree gchar *typo = NULL;

	for (guint k = 0; k < G_N_ELEMENTS (in); k++) {
		for (guint i = 0; in[k] != NULL && i < in[k]->n_members; i++) {
			const QmpSchemaField *f = &in[k]->members[i];
			g_autofree gchar *full = NULL;
			g_autofree gchar *want = NULL;
			if (f->optional || qmpsh_args_node_find (node, f->name) != NULL)
				continue;
			full = sub_path (path, f->name);
			want = qmpsh_conform_describe_short (ctx->schema, f->type);
			g_string_append_printf (missing, "%s%s=<%s>", missing->len > 0 ? " " : "",
						full, want);
			g_ptr_array_add (names, (gpointer)f->name);
		}
	}
	if (missing->len == 0)
		return TRUE;
	/* `drver=e1000`: a key that is no member may be the missing one mistyped */
	for (guint i = 0; typo == NULL && i < qmpsh_args_node_get_n_members (node); i++) {
		const gchar *key = qmpsh_args_node_get_key (qmpsh_args_node_get_member (node, i));
		g_autofree gchar *close = NULL;
		if (qmpsh_conform_find_member (ctx->schema, object, branch, key) != NULL)
			continue;
		close = qmpsh_check_suggest (names, key);
		if (close != NULL)
			typo = g_strdup_printf ("; did you mean %s=, not %s=?", close, key);
	}
	if (tag_value != NULL)
		g_set_error (ctx->error, QMPSH_CHECK_ERROR, QMPSH_CHECK_ERROR_MISSING_ARGUMENT,
			     "%s with %s=%s: missing %s%s (nothing sent)", ctx->command,
			     object->tag, tag_value, missing->str, typo != NULL ? typo : "");
	else
		g_set_error (ctx->error, QMPSH_CHECK_ERROR, QMPSH_CHECK_ERROR_MISSING_ARGUMENT,
			     "%s: missing %s%s (nothing sent)", ctx->command, missing->str,
			     typo != NULL ? typo : "");
	return FALSE;
}

static gboolean
type_object (Ctx *ctx, const QmpSchemaEntry *object, const QmpshArgsNode *node, const gchar *path,
	     GString *out)
{
	const gchar *tag_value = qmpsh_conform_tag_value (object, node);
	const QmpSchemaEntry *branch = qmpsh_conform_branch (ctx->schema, object, tag_value);
	guint n = qmpsh_args_node_get_n_members (node);

	g_string_append_c (out, '{');
	for (guint i = 0; i < n; i++) {
		const QmpshArgsNode *member = qmpsh_args_node_get_member (node, i);
		const gchar *key = qmpsh_args_node_get_key (member);
		const QmpSchemaField *f =
			qmpsh_conform_find_member (ctx->schema, object, branch, key);
		g_autofree gchar *full = sub_path (path, key);

		if (f == NULL)
			return refuse_key (ctx, object, branch, tag_value, NULL, path, key);
		if (i > 0)
			g_string_append_c (out, ',');
		qmpsh_format_json_string (out, key, strlen (key));
		g_string_append_c (out, ':');
		if (!type_value (ctx, f->type, member, full, out))
			return FALSE;
	}
	g_string_append_c (out, '}');
	return check_required (ctx, object, branch, tag_value, node, path);
}

static gboolean type_value (Ctx *ctx, const gchar *type, const QmpshArgsNode *node,
			    const gchar *path, GString *out);

/*
 * A list written as QEMU's -blockdev takes it, with numbered keys:
 * `children.0=a children.1.driver=null-co`. The numbers run from 0, each
 * once, in any order; the list goes out in their order.
 */
static gboolean
type_numbered (Ctx *ctx, const QmpSchemaEntry *list, const QmpshArgsNode *node, const gchar *path,
	       GString *out)
{
	guint n = qmpsh_args_node_get_n_members (node);

	g_string_append_c (out, '[');
	for (guint i = 0; i < n; i++) {
		gchar key[16];
		const QmpshArgsNode *member;
		g_autofree gchar *full = NULL;

		g_snprintf (key, sizeof (key), "%u", i);
		member = qmpsh_args_node_find (node, key);
		full = sub_path (path, key);
		if (member == NULL) {
			g_set_error (ctx->error, QMPSH_CHECK_ERROR, QMPSH_CHECK_ERROR_WRONG_TYPE,
				     "%s: %s is a list: its keys are numbered from 0 (%s.0=, "
				     "%s.1=, ...), and %s is missing (nothing sent)",
				     ctx->command, path, path, path, full);
			return FALSE;
		}
		if (i > 0)
			g_string_append_c (out, ',');
		if (!type_value (ctx, list->element_type, member, full, out))
			return FALSE;
	}
	g_string_append_c (out, ']');
	return TRUE;
}

static gboolean
type_value (Ctx *ctx, const gchar *type, const QmpshArgsNode *node, const gchar *path, GString *out)
{
	const QmpSchemaEntry *e = qmp_schema_lookup (ctx->schema, type);
	QmpshArgsKind kind = qmpsh_args_node_get_kind (node);
	g_autofree gchar *want = NULL;
	g_autofree gchar *why = NULL;

	if (e == NULL) {
		qmpsh_args_node_to_json (node, out);
		return TRUE;
	}
	if (kind == QMPSH_ARGS_OBJECT && e->meta == QMP_SCHEMA_META_ARRAY)
		return type_numbered (ctx, e, node, path, out);
	if (kind == QMPSH_ARGS_OBJECT) {
		const QmpSchemaEntry *object = qmpsh_conform_object_of (ctx->schema, type);
		if (object != NULL)
			return type_object (ctx, object, node, path, out);
		if (e->meta == QMP_SCHEMA_META_BUILTIN && g_strcmp0 (e->json_type, "value") == 0) {
			qmpsh_args_node_to_json (node, out);
			return TRUE;
		}
		want = qmpsh_conform_describe_short (ctx->schema, type);
		g_set_error (ctx->error, QMPSH_CHECK_ERROR, QMPSH_CHECK_ERROR_WRONG_TYPE,
			     "%s: %s takes a value (%s), not keys under it (nothing sent)",
			     ctx->command, path, want);
		return FALSE;
	}
	/* a string takes the text as it is, even one that looks like JSON */
	if (kind == QMPSH_ARGS_JSON &&
	    !(e->meta == QMP_SCHEMA_META_BUILTIN && g_strcmp0 (e->json_type, "string") == 0))
		return type_json (ctx, type, node, path, out);
	switch (e->meta) {
	case QMP_SCHEMA_META_BUILTIN:
		return type_builtin (ctx, e, node, path, out);
	case QMP_SCHEMA_META_ENUM:
		return type_enum (ctx, e, node, path, out);
	case QMP_SCHEMA_META_ALTERNATE:
		return type_alternate (ctx, e, node, path, out);
	case QMP_SCHEMA_META_ARRAY:
		why = g_strdup_printf ("expected a list, in JSON: %s=[...]", path);
		return refuse_value (ctx, QMPSH_CHECK_ERROR_WRONG_TYPE, path, node, why);
	case QMP_SCHEMA_META_OBJECT:
		why = g_strdup_printf ("expected an object: %s.KEY=VALUE, or %s={...}", path, path);
		return refuse_value (ctx, QMPSH_CHECK_ERROR_WRONG_TYPE, path, node, why);
	default:
		qmpsh_args_node_to_json (node, out);
		return TRUE;
	}
}

/* ------------------------------------------------------------------------ */
/* device_add and qom-set: what QEMU lists beyond the schema */

/* a property's value by its QOM type; what is not an integer or a boolean is a string */
static gboolean
type_prop (Ctx *ctx, const QmpshProp *prop, const QmpshArgsNode *node, const gchar *path,
	   GString *out)
{
	const gchar *text = qmpsh_args_node_get_text (node);
	QmpshArgsKind kind = qmpsh_args_node_get_kind (node);
	g_autofree gchar *number = NULL;
	g_autofree gchar *why = NULL;
	gint64 min;
	guint64 max;
	gboolean b;

	if (kind == QMPSH_ARGS_OBJECT || kind == QMPSH_ARGS_JSON) {
		qmpsh_args_node_to_json (node, out);
		return TRUE;
	}
	if (g_strcmp0 (prop->type, "bool") == 0 || g_strcmp0 (prop->type, "boolean") == 0) {
		if (!qmpsh_value_parse_bool (text, &b))
			return refuse_value (ctx, QMPSH_CHECK_ERROR_WRONG_TYPE, path, node,
					     "expected on or off (or true/false, yes/no)");
		g_string_append (out, b ? "true" : "false");
		return TRUE;
	}
	if (qmpsh_value_int_range (prop->type, &min, &max) &&
	    !g_str_has_prefix (prop->description != NULL ? prop->description : "",
			       QMPSH_TYPER_PCI_ADDR)) {
		number = qmpsh_value_parse_int (text,
						g_strcmp0 (prop->type, "size") == 0
							? QMPSH_VALUE_INT_SIZE
							: QMPSH_VALUE_INT_PLAIN,
						min, max, &why);
		if (number == NULL) {
			g_autofree gchar *typed = g_strdup_printf ("%s (%s)", why, prop->type);
			return refuse_value (ctx, QMPSH_CHECK_ERROR_WRONG_TYPE, path, node, typed);
		}
		g_string_append (out, number);
		return TRUE;
	}
	if ((g_strcmp0 (prop->type, "number") == 0 || g_strcmp0 (prop->type, "double") == 0) &&
	    qmpsh_value_is_json_number (text, strlen (text))) {
		g_string_append (out, text);
		return TRUE;
	}
	qmpsh_format_json_string (out, text, strlen (text));
	return TRUE;
}

/* the properties the line's @key names (a driver, a path): NULL to wait or refuse */
static const QmpshProps *
props_for (Ctx *ctx, QmpshPropsKind kind, const QmpshArgsNode *root, const gchar *key,
	   gboolean *known)
{
	const QmpshArgsNode *node = qmpsh_args_node_find (root, key);
	g_autoptr (GError) error = NULL;
	const QmpshProps *props;

	*known = FALSE;
	if (ctx->typer->props == NULL || node == NULL ||
	    qmpsh_args_node_get_kind (node) == QMPSH_ARGS_OBJECT ||
	    qmpsh_args_node_get_kind (node) == QMPSH_ARGS_JSON)
		return NULL;
	props = ctx->typer->props (ctx->typer->data, kind, qmpsh_args_node_get_text (node), &error);
	if (props == NULL && error == NULL)
		ctx->wait = TRUE;
	else if (props == NULL && kind == QMPSH_PROPS_DEVICE && (ctx->refused = TRUE))
		g_set_error (ctx->error, QMPSH_CHECK_ERROR, QMPSH_CHECK_ERROR_REFUSED,
			     "%s: %s (nothing sent)", ctx->command, error->message);
	*known = props != NULL;
	return props;
}

static gboolean
type_device_add (Ctx *ctx, const QmpSchemaEntry *args, const QmpshArgsNode *root, GString *out)
{
	gboolean known;
	const QmpshProps *props = props_for (ctx, QMPSH_PROPS_DEVICE, root, "driver", &known);
	g_autoptr (GPtrArray) names = g_ptr_array_new ();
	guint n = qmpsh_args_node_get_n_members (root);

	if (ctx->wait || ctx->refused)
		return FALSE;
	for (guint i = 0; props != NULL && i < qmpsh_props_get_length (props); i++)
		g_ptr_array_add (names, qmpsh_props_get (props, i)->name);
	g_string_append_c (out, '{');
	for (guint i = 0; i < n; i++) {
		const QmpshArgsNode *member = qmpsh_args_node_get_member (root, i);
		const gchar *key = qmpsh_args_node_get_key (member);
		const QmpSchemaField *f = qmpsh_conform_find_member (ctx->schema, args, NULL, key);
		const QmpshProp *prop = props != NULL ? qmpsh_props_lookup (props, key) : NULL;
		gboolean ok;

		if (f == NULL && prop == NULL && known)
			return refuse_key (ctx, args, NULL, NULL, names, "", key);
		if (i > 0)
			g_string_append_c (out, ',');
		qmpsh_format_json_string (out, key, strlen (key));
		g_string_append_c (out, ':');
		if (f != NULL)
			ok = type_value (ctx, f->type, member, key, out);
		else if (prop != NULL)
			ok = type_prop (ctx, prop, member, key, out);
		else
			ok = (qmpsh_args_node_to_json (member, out), TRUE);
		if (!ok)
			return FALSE;
	}
	g_string_append_c (out, '}');
	return check_required (ctx, args, NULL, NULL, root, "");
}

static gboolean
type_qom_set (Ctx *ctx, const QmpSchemaEntry *args, const QmpshArgsNode *root, GString *out)
{
	const QmpshArgsNode *property = qmpsh_args_node_find (root, "property");
	gboolean known;
	const QmpshProps *props = props_for (ctx, QMPSH_PROPS_QOM, root, "path", &known);
	const QmpshProp *prop =
		props != NULL && property != NULL
			? qmpsh_props_lookup (props, qmpsh_args_node_get_text (property))
			: NULL;
	guint n = qmpsh_args_node_get_n_members (root);

	if (ctx->wait)
		return FALSE;
	g_string_append_c (out, '{');
	for (guint i = 0; i < n; i++) {
		const QmpshArgsNode *member = qmpsh_args_node_get_member (root, i);
		const gchar *key = qmpsh_args_node_get_key (member);
		const QmpSchemaField *f = qmpsh_conform_find_member (ctx->schema, args, NULL, key);
		gboolean ok;

		if (f == NULL)
			return refuse_key (ctx, args, NULL, NULL, NULL, "", key);
		if (i > 0)
			g_string_append_c (out, ',');
		qmpsh_format_json_string (out, key, strlen (key));
		g_string_append_c (out, ':');
		/* the value takes the type of the property; the server judges the rest */
		if (g_strcmp0 (key, "value") == 0 && prop != NULL)
			ok = type_prop (ctx, prop, member, key, out);
		else
			ok = type_value (ctx, f->type, member, key, out);
		if (!ok)
			return FALSE;
	}
	g_string_append_c (out, '}');
	return check_required (ctx, args, NULL, NULL, root, "");
}

/* ------------------------------------------------------------------------ */
/* transaction( ... ): each action typed as the command it names */

static const QmpSchemaEntry *
transaction_action_type (Ctx *ctx, const QmpSchemaEntry *args)
{
	const QmpSchemaField *actions =
		qmpsh_conform_find_member (ctx->schema, args, NULL, "actions");
	const QmpSchemaEntry *list =
		actions != NULL ? qmp_schema_lookup (ctx->schema, actions->type) : NULL;

	if (list == NULL || list->meta != QMP_SCHEMA_META_ARRAY)
		return NULL;
	return qmpsh_conform_object_of (ctx->schema, list->element_type);
}

static gboolean
type_action (Ctx *ctx, const QmpSchemaEntry *action, QmpshLineAction *a, GString *out)
{
	const QmpSchemaEntry *branch = qmpsh_conform_branch (ctx->schema, action, a->type);
	const QmpSchemaField *data =
		branch != NULL ? qmpsh_conform_find_member (ctx->schema, branch, NULL, "data")
			       : NULL;
	const QmpSchemaEntry *object =
		data != NULL ? qmpsh_conform_object_of (ctx->schema, data->type) : NULL;
	g_autoptr (GPtrArray) types = g_ptr_array_new ();
	g_autofree gchar *close = NULL;

	g_string_append (out, "{\"type\":");
	qmpsh_format_json_string (out, a->type, strlen (a->type));
	g_string_append (out, ",\"data\":");
	if (object != NULL)
		return type_object (ctx, object, qmpsh_args_get_root (a->data), "", out) &&
		       (g_string_append_c (out, '}'), TRUE);
	for (guint i = 0; i < action->n_variants; i++)
		g_ptr_array_add (types, (gpointer)action->variants[i].value);
	close = qmpsh_check_suggest (types, a->type);
	g_set_error (ctx->error, QMPSH_CHECK_ERROR, QMPSH_CHECK_ERROR_UNKNOWN_ARGUMENT,
		     "transaction has no action '%s'%s%s%s (nothing sent)", a->type,
		     close != NULL ? "; did you mean " : "", close != NULL ? close : "",
		     close != NULL ? "?" : "");
	return FALSE;
}

static gboolean
type_transaction (Ctx *ctx, const QmpSchemaEntry *action, QmpshLine *line, GString *out)
{
	g_string_append (out, "{\"actions\":[");
	for (guint i = 0; i < line->actions->len; i++) {
		QmpshLineAction *a = g_ptr_array_index (line->actions, i);
		g_autofree gchar *what = g_strdup_printf ("transaction: %s", a->type);
		if (i > 0)
			g_string_append_c (out, ',');
		ctx->command = what;
		if (!type_action (ctx, action, a, out))
			return FALSE;
		ctx->command = line->name;
	}
	g_string_append (out, "]}");
	return TRUE;
}

/* ------------------------------------------------------------------------ */

/**
 * qmpsh_typer_wants_schema:
 * @line: a parsed line
 *
 * Returns: whether the schema changes what @line sends or whether it is
 *   sent: it has key=value words (a line of a name alone goes as it is)
 */
gboolean
qmpsh_typer_wants_schema (const QmpshLine *line)
{
	/* `.oob` is checked against the schema: the command must allow it */
	return line->kind == QMPSH_LINE_COMMAND &&
	       ((line->args != NULL && !qmpsh_args_is_empty (line->args)) ||
		line->actions != NULL || line->oob);
}

static gboolean
type_arguments (Ctx *ctx, const QmpSchemaEntry *cmd, QmpshLine *line, GString *out)
{
	const QmpSchemaEntry *args = qmpsh_conform_object_of (ctx->schema, cmd->arg_type);
	QmpshArgsNode *root = qmpsh_args_get_root (line->args);

	if (args == NULL) {
		if (qmpsh_args_node_get_n_members (root) == 0)
			return TRUE;
		if (cmd->arg_type != NULL) {
			/* arguments of a kind this version cannot read: as they are */
			g_string_append (out, ",\"arguments\":");
			qmpsh_args_node_to_json (root, out);
			return TRUE;
		}
		return refuse_key (ctx, NULL, NULL, NULL, NULL, "",
				   qmpsh_args_node_get_key (qmpsh_args_node_get_member (root, 0)));
	}
	if (qmpsh_args_node_get_n_members (root) == 0)
		return check_required (ctx, args, NULL, NULL, root, "");
	g_string_append (out, ",\"arguments\":");
	if (g_strcmp0 (line->name, "device_add") == 0)
		return type_device_add (ctx, args, root, out);
	if (g_strcmp0 (line->name, "qom-set") == 0)
		return type_qom_set (ctx, args, root, out);
	return type_object (ctx, args, root, "", out);
}

/**
 * qmpsh_typer_type_line:
 * @typer: the schema, and where properties come from
 * @line: a parsed line; its `json` is replaced by the typed one
 * @error: a #GError, or %NULL
 *
 * Types a %QMPSH_LINE_COMMAND by the schema, and checks it: the command
 * exists, each argument is one it takes (of the union's branch its tag
 * chose), each value is of its type, and no required argument is missing.
 * Other lines are left as they are.
 *
 * Returns: %QMPSH_TYPER_DONE; %QMPSH_TYPER_WAIT while the properties it
 *   needs are asked for; or %QMPSH_TYPER_REFUSED with a %QMPSH_CHECK_ERROR
 *   that names the argument and what was expected
 */
QmpshTyperResult
qmpsh_typer_type_line (const QmpshTyper *typer, QmpshLine *line, GError **error)
{
	Ctx ctx = { typer, typer->schema, line->name, FALSE, FALSE, error };
	const QmpSchemaEntry *cmd;
	g_autoptr (GString) out = NULL;
	gboolean ok;

	if (line->kind != QMPSH_LINE_COMMAND || line->name == NULL)
		return QMPSH_TYPER_DONE;
	if (!qmpsh_check_command (typer->schema, line->name, error))
		return QMPSH_TYPER_REFUSED;
	cmd = qmp_schema_lookup (typer->schema, line->name);
	out = g_string_new ("{\"execute\":");
	qmpsh_format_json_string (out, line->name, strlen (line->name));
	if (line->actions != NULL) {
		const QmpSchemaEntry *action = transaction_action_type (
			&ctx, qmpsh_conform_object_of (typer->schema, cmd->arg_type));
		/* a schema with no actions to speak of: as the parser made it */
		if (action == NULL || action->tag == NULL)
			return QMPSH_TYPER_DONE;
		g_string_append (out, ",\"arguments\":");
		ok = type_transaction (&ctx, action, line, out);
	} else if (line->args != NULL) {
		ok = type_arguments (&ctx, cmd, line, out);
	} else {
		return QMPSH_TYPER_DONE;
	}
	if (ctx.wait)
		return QMPSH_TYPER_WAIT;
	if (!ok)
		return QMPSH_TYPER_REFUSED;
	g_string_append_c (out, '}');
	if (!qmpsh_parser_check_limits (out->str, error))
		return QMPSH_TYPER_REFUSED;
	g_free (line->json);
	line->json = g_string_free (g_steal_pointer (&out), FALSE);
	return QMPSH_TYPER_DONE;
}
