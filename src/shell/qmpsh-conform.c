/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * Whether a JSON value, written whole on the line (`o={"a": 1}`), is of a
 * schema type, as QEMU's input visitor would judge it: so that a wrong one
 * is refused with the path that is wrong, before anything is sent. And what
 * the typer, completion and hints share of walking unions.
 */

#include "qmpsh-conform.h"
#include "qmpsh-check.h"

#include <string.h>

/* values past which a short description stops listing */
#define QMPSH_CONFORM_SHORT_MAX 60

/**
 * qmpsh_conform_object_of:
 * @schema: a schema
 * @type: (nullable): a type
 *
 * Returns: (transfer none) (nullable): the object a value of @type may be:
 *   the type itself, or an alternate's object branch
 */
const QmpSchemaEntry *
qmpsh_conform_object_of (QmpSchema *schema, const gchar *type)
{
	const QmpSchemaEntry *e = qmp_schema_lookup (schema, type);

	if (e != NULL && e->meta == QMP_SCHEMA_META_OBJECT)
		return e;
	if (e == NULL || e->meta != QMP_SCHEMA_META_ALTERNATE)
		return NULL;
	for (guint i = 0; i < e->n_members; i++) {
		const QmpSchemaEntry *m = qmp_schema_lookup (schema, e->members[i].type);
		if (m != NULL && m->meta == QMP_SCHEMA_META_OBJECT)
			return m;
	}
	return NULL;
}

/**
 * qmpsh_conform_branch:
 * @schema: a schema
 * @object: an object type
 * @tag_value: (nullable): the value of its tag
 *
 * Returns: (transfer none) (nullable): the object type of the union's branch
 *   @tag_value selects; %NULL for a branch with no members of its own
 */
const QmpSchemaEntry *
qmpsh_conform_branch (QmpSchema *schema, const QmpSchemaEntry *object, const gchar *tag_value)
{
	for (guint i = 0; tag_value != NULL && i < object->n_variants; i++) {
		if (g_strcmp0 (object->variants[i].value, tag_value) == 0) {
			const QmpSchemaEntry *b =
				qmp_schema_lookup (schema, object->variants[i].type);
			return b != NULL && b->meta == QMP_SCHEMA_META_OBJECT ? b : NULL;
		}
	}
	return NULL;
}

/**
 * qmpsh_conform_find_member:
 * @schema: a schema
 * @object: an object type
 * @branch: (nullable): the branch of it chosen by its tag
 * @name: a member's name
 *
 * Returns: (transfer none) (nullable): the member, of the object or of @branch
 */
const QmpSchemaField *
qmpsh_conform_find_member (QmpSchema *schema, const QmpSchemaEntry *object,
			   const QmpSchemaEntry *branch, const gchar *name)
{
	const QmpSchemaEntry *in[] = { object, branch };

	for (guint k = 0; k < G_N_ELEMENTS (in); k++) {
		for (guint i = 0; in[k] != NULL && i < in[k]->n_members; i++) {
			if (g_strcmp0 (in[k]->members[i].name, name) == 0)
				return &in[k]->members[i];
		}
	}
	return NULL;
}

/**
 * qmpsh_conform_tag_value:
 * @object: an object type
 * @node: (nullable): the line's words for a value of it
 *
 * Returns: (nullable): the value the words give its tag, if a plain word
 */
const gchar *
qmpsh_conform_tag_value (const QmpSchemaEntry *object, const QmpshArgsNode *node)
{
	const QmpshArgsNode *tag = object->tag != NULL && node != NULL
					   ? qmpsh_args_node_find (node, object->tag)
					   : NULL;

	if (tag == NULL || qmpsh_args_node_get_kind (tag) == QMPSH_ARGS_OBJECT ||
	    qmpsh_args_node_get_kind (tag) == QMPSH_ARGS_JSON)
		return NULL;
	return qmpsh_args_node_get_text (tag);
}

/**
 * qmpsh_conform_walk:
 * @schema: a schema
 * @type: (nullable): the type of @root: a command's arguments
 * @root: (nullable): the line's words for it, to narrow unions by their tags
 * @path: a dotted key path; "" for @root itself
 * @node: (out) (optional) (nullable): the words at @path, if any
 *
 * Returns: (nullable): the type at @path, each union on the way read as the
 *   branch its tag chose (any branch, when the tag is not given yet)
 */
const gchar *
qmpsh_conform_walk (QmpSchema *schema, const gchar *type, const QmpshArgsNode *root,
		    const gchar *path, const QmpshArgsNode **node)
{
	g_auto (GStrv) parts = path[0] != '\0' ? g_strsplit (path, ".", -1) : g_new0 (gchar *, 1);
	const QmpshArgsNode *at = root;

	for (guint i = 0; parts[i] != NULL && type != NULL; i++) {
		const QmpSchemaEntry *object = qmpsh_conform_object_of (schema, type);
		const QmpSchemaEntry *branch = NULL;
		const QmpSchemaField *f = NULL;
		const gchar *tag_value;

		if (object == NULL)
			return NULL;
		tag_value = qmpsh_conform_tag_value (object, at);
		branch = qmpsh_conform_branch (schema, object, tag_value);
		f = qmpsh_conform_find_member (schema, object, branch, parts[i]);
		/* no tag yet: a member of any branch will do */
		for (guint v = 0; f == NULL && tag_value == NULL && v < object->n_variants; v++) {
			const QmpSchemaEntry *b =
				qmpsh_conform_branch (schema, object, object->variants[v].value);
			f = b != NULL ? qmpsh_conform_find_member (schema, b, NULL, parts[i])
				      : NULL;
		}
		type = f != NULL ? f->type : NULL;
		at = at != NULL ? qmpsh_args_node_find (at, parts[i]) : NULL;
	}
	if (node != NULL)
		*node = at;
	return type;
}

/**
 * qmpsh_conform_describe_short:
 * @schema: a schema
 * @type: (nullable): a type
 *
 * Returns: (transfer full): the type in a few characters, for `key=<...>`:
 *   "str", "int", "top|full|none", "object", "list", "str|object"
 */
gchar *
qmpsh_conform_describe_short (QmpSchema *schema, const gchar *type)
{
	const QmpSchemaEntry *e = qmp_schema_lookup (schema, type);
	GString *out = g_string_new (NULL);

	if (e == NULL || e->meta == QMP_SCHEMA_META_BUILTIN) {
		g_string_append (out, type != NULL ? type : "?");
	} else if (e->meta == QMP_SCHEMA_META_ENUM) {
		for (guint i = 0; i < e->n_values; i++) {
			if (out->len > QMPSH_CONFORM_SHORT_MAX) {
				g_string_append (out, "|...");
				break;
			}
			g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", e->values[i]);
		}
	} else if (e->meta == QMP_SCHEMA_META_ALTERNATE) {
		for (guint i = 0; i < e->n_members; i++) {
			const QmpSchemaEntry *m = qmp_schema_lookup (schema, e->members[i].type);
			const gchar *word = m == NULL || m->meta == QMP_SCHEMA_META_BUILTIN
						    ? e->members[i].type
					    : m->meta == QMP_SCHEMA_META_ARRAY ? "list"
					    : m->meta == QMP_SCHEMA_META_ENUM  ? "enum"
									       : "object";
			g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", word);
		}
	} else {
		g_string_append (out, e->meta == QMP_SCHEMA_META_ARRAY ? "list" : "object");
	}
	return g_string_free (out, FALSE);
}

static gboolean
wrong_type (const gchar *path, const gchar *expected, JsonNode *value, GError **error)
{
	g_autofree gchar *got = json_to_string (value, FALSE);

	if (strlen (got) > 40)
		strcpy (got + 37, "...");
	g_set_error (error, QMPSH_CHECK_ERROR, QMPSH_CHECK_ERROR_WRONG_TYPE,
		     "%s: expected %s, got %s", path, expected, got);
	return FALSE;
}

static GType
value_type (JsonNode *value)
{
	return JSON_NODE_HOLDS_VALUE (value) ? json_node_get_value_type (value) : G_TYPE_INVALID;
}

static gboolean
check_builtin (const QmpSchemaEntry *e, JsonNode *value, const gchar *path, GError **error)
{
	const gchar *t = e->json_type;
	GType vt = value_type (value);

	if (g_strcmp0 (t, "value") == 0 || t == NULL)
		return TRUE;
	if ((g_strcmp0 (t, "string") == 0 && vt == G_TYPE_STRING) ||
	    (g_strcmp0 (t, "int") == 0 && vt == G_TYPE_INT64) ||
	    (g_strcmp0 (t, "number") == 0 && (vt == G_TYPE_INT64 || vt == G_TYPE_DOUBLE)) ||
	    (g_strcmp0 (t, "boolean") == 0 && vt == G_TYPE_BOOLEAN) ||
	    (g_strcmp0 (t, "null") == 0 && JSON_NODE_HOLDS_NULL (value)) ||
	    (g_strcmp0 (t, "object") == 0 && JSON_NODE_HOLDS_OBJECT (value)) ||
	    (g_strcmp0 (t, "array") == 0 && JSON_NODE_HOLDS_ARRAY (value)))
		return TRUE;
	/* json-glib reads an integer past gint64 (a uint64) as a double */
	if (g_strcmp0 (t, "int") == 0 && vt == G_TYPE_DOUBLE) {
		gdouble d = json_node_get_double (value);
		if (d == (gdouble)(guint64)d && d >= 0)
			return TRUE;
	}
	return wrong_type (path, e->name, value, error);
}

static gboolean check (QmpSchema *schema, const gchar *type, JsonNode *value, const gchar *path,
		       guint depth, GError **error);

static gboolean
check_object (QmpSchema *schema, const QmpSchemaEntry *object, JsonObject *o, const gchar *path,
	      guint depth, GError **error)
{
	g_autoptr (GList) keys = json_object_get_members (o);
	JsonNode *tag = object->tag != NULL ? json_object_get_member (o, object->tag) : NULL;
	const QmpSchemaEntry *branch = qmpsh_conform_branch (
		schema, object,
		tag != NULL && value_type (tag) == G_TYPE_STRING ? json_node_get_string (tag)
								 : NULL);
	const QmpSchemaEntry *in[] = { object, branch };

	for (GList *l = keys; l != NULL; l = l->next) {
		const QmpSchemaField *f =
			qmpsh_conform_find_member (schema, object, branch, l->data);
		g_autofree gchar *sub = g_strdup_printf ("%s.%s", path, (const gchar *)l->data);
		if (f == NULL) {
			g_set_error (error, QMPSH_CHECK_ERROR, QMPSH_CHECK_ERROR_UNKNOWN_ARGUMENT,
				     "%s: no member '%s' here", path, (const gchar *)l->data);
			return FALSE;
		}
		if (!check (schema, f->type, json_object_get_member (o, l->data), sub, depth + 1,
			    error))
			return FALSE;
	}
	for (guint k = 0; k < G_N_ELEMENTS (in); k++) {
		for (guint i = 0; in[k] != NULL && i < in[k]->n_members; i++) {
			const QmpSchemaField *f = &in[k]->members[i];
			if (!f->optional && !json_object_has_member (o, f->name)) {
				g_autofree gchar *want =
					qmpsh_conform_describe_short (schema, f->type);
				g_set_error (error, QMPSH_CHECK_ERROR,
					     QMPSH_CHECK_ERROR_MISSING_ARGUMENT,
					     "%s: missing member %s=<%s>", path, f->name, want);
				return FALSE;
			}
		}
	}
	return TRUE;
}

/* QEMU picks an alternate's branch by the JSON type of the value */
static const gchar *
alternate_branch (QmpSchema *schema, const QmpSchemaEntry *e, JsonNode *value)
{
	GType vt = value_type (value);

	for (guint i = 0; i < e->n_members; i++) {
		const QmpSchemaEntry *m = qmp_schema_lookup (schema, e->members[i].type);
		const gchar *jt =
			m != NULL && m->meta == QMP_SCHEMA_META_BUILTIN ? m->json_type : NULL;
		if (m == NULL || g_strcmp0 (jt, "value") == 0 ||
		    (m->meta == QMP_SCHEMA_META_OBJECT && JSON_NODE_HOLDS_OBJECT (value)) ||
		    (m->meta == QMP_SCHEMA_META_ARRAY && JSON_NODE_HOLDS_ARRAY (value)) ||
		    (m->meta == QMP_SCHEMA_META_ENUM && vt == G_TYPE_STRING) ||
		    (g_strcmp0 (jt, "string") == 0 && vt == G_TYPE_STRING) ||
		    (g_strcmp0 (jt, "int") == 0 && vt == G_TYPE_INT64) ||
		    (g_strcmp0 (jt, "number") == 0 &&
		     (vt == G_TYPE_INT64 || vt == G_TYPE_DOUBLE)) ||
		    (g_strcmp0 (jt, "boolean") == 0 && vt == G_TYPE_BOOLEAN) ||
		    (g_strcmp0 (jt, "null") == 0 && JSON_NODE_HOLDS_NULL (value)))
			return e->members[i].type;
	}
	return NULL;
}

static gboolean
check (QmpSchema *schema, const gchar *type, JsonNode *value, const gchar *path, guint depth,
       GError **error)
{
	const QmpSchemaEntry *e = qmp_schema_lookup (schema, type);

	/* json-glib nests no deeper than the parser let the line go */
	if (e == NULL || depth > 1024)
		return TRUE;
	switch (e->meta) {
	case QMP_SCHEMA_META_BUILTIN:
		return check_builtin (e, value, path, error);
	case QMP_SCHEMA_META_ENUM:
		if (value_type (value) == G_TYPE_STRING) {
			for (guint i = 0; i < e->n_values; i++) {
				if (g_strcmp0 (e->values[i], json_node_get_string (value)) == 0)
					return TRUE;
			}
		}
		{
			g_autofree gchar *want = qmpsh_conform_describe_short (schema, type);
			g_autofree gchar *one_of = g_strdup_printf ("one of %s", want);
			return wrong_type (path, one_of, value, error);
		}
	case QMP_SCHEMA_META_ARRAY:
		if (!JSON_NODE_HOLDS_ARRAY (value))
			return wrong_type (path, "a list", value, error);
		for (guint i = 0; i < json_array_get_length (json_node_get_array (value)); i++) {
			g_autofree gchar *sub = g_strdup_printf ("%s[%u]", path, i);
			if (!check (schema, e->element_type,
				    json_array_get_element (json_node_get_array (value), i), sub,
				    depth + 1, error))
				return FALSE;
		}
		return TRUE;
	case QMP_SCHEMA_META_OBJECT:
		if (!JSON_NODE_HOLDS_OBJECT (value))
			return wrong_type (path, "an object", value, error);
		return check_object (schema, e, json_node_get_object (value), path, depth, error);
	case QMP_SCHEMA_META_ALTERNATE: {
		const gchar *branch = alternate_branch (schema, e, value);
		g_autofree gchar *want = NULL;
		if (branch != NULL)
			return check (schema, branch, value, path, depth + 1, error);
		want = qmpsh_conform_describe_short (schema, type);
		return wrong_type (path, want, value, error);
	}
	default:
		return TRUE;
	}
}

/**
 * qmpsh_conform_check:
 * @schema: a schema
 * @type: the type @value should be of
 * @value: a JSON value
 * @path: the key it is the value of, for the message
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE if QEMU would take @value as a @type, or %FALSE with a
 *   %QMPSH_CHECK_ERROR that says where and what was expected
 */
gboolean
qmpsh_conform_check (QmpSchema *schema, const gchar *type, JsonNode *value, const gchar *path,
		     GError **error)
{
	return check (schema, type, value, path, 0, error);
}
