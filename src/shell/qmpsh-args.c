/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-args.h"
#include "qmp-json.h"
#include "qmpsh-format.h"
#include "qmpsh-parser.h"
#include "qmpsh-value.h"

#include <string.h>

/* members an object holds before it is worth an index */
#define QMPSH_ARGS_INDEX_MIN 8

typedef struct _QmpshArgsNode Node;
struct _QmpshArgsNode {
	gchar *key;
	QmpshArgsKind kind;
	gchar *json;	    /* a leaf's value by today's rules, or NULL for an object */
	gchar *text;	    /* a leaf's value as typed, quotes and escapes undone */
	guint column;	    /* where its key.. starts, for messages */
	GPtrArray *members; /* an object's members, NULL until it has one */
	GHashTable *index;  /* key -> member, once an object has many */
};

/* one allocation for a line's arguments: most lines have few, or none */
struct _QmpshArgs {
	Node *root; /* &root_node */
	Node root_node;
};

static void
node_clear (Node *node)
{
	g_free (node->key);
	g_free (node->json);
	g_free (node->text);
	if (node->members != NULL)
		g_ptr_array_unref (node->members);
	if (node->index != NULL)
		g_hash_table_unref (node->index);
}

static void
node_free (Node *node)
{
	node_clear (node);
	g_free (node);
}

static Node *
node_new_object (const gchar *key)
{
	Node *node = g_new0 (Node, 1);
	node->key = g_strdup (key);
	node->kind = QMPSH_ARGS_OBJECT;
	return node;
}

QmpshArgs *
qmpsh_args_new (void)
{
	/* g_new0 () is calloc (), which glibc serves from no per-thread cache */
	QmpshArgs *self = g_new (QmpshArgs, 1);
	*self = (QmpshArgs){ .root = &self->root_node, .root_node.kind = QMPSH_ARGS_OBJECT };
	return self;
}

void
qmpsh_args_free (QmpshArgs *self)
{
	if (self == NULL)
		return;
	node_clear (self->root);
	g_free (self);
}

gboolean
qmpsh_args_is_empty (QmpshArgs *self)
{
	return self->root->members == NULL || self->root->members->len == 0;
}

static Node *
node_find (Node *object, const gchar *key)
{
	if (object->index != NULL)
		return g_hash_table_lookup (object->index, key);
	for (guint i = 0; object->members != NULL && i < object->members->len; i++) {
		Node *m = g_ptr_array_index (object->members, i);
		if (g_strcmp0 (m->key, key) == 0)
			return m;
	}
	return NULL;
}

/* lines of many keys stay linear: past a few members, lookups go through an index */
static void
node_add (Node *object, Node *member)
{
	if (object->members == NULL)
		object->members = g_ptr_array_new_with_free_func ((GDestroyNotify)node_free);
	g_ptr_array_add (object->members, member);
	if (object->index == NULL && object->members->len >= QMPSH_ARGS_INDEX_MIN) {
		object->index = g_hash_table_new (g_str_hash, g_str_equal);
		for (guint i = 0; i < object->members->len; i++) {
			Node *m = g_ptr_array_index (object->members, i);
			g_hash_table_insert (object->index, m->key, m);
		}
	} else if (object->index != NULL) {
		g_hash_table_insert (object->index, member->key, member);
	}
}

static void
node_to_json (Node *object, GString *out)
{
	g_string_append_c (out, '{');
	for (guint i = 0; object->members != NULL && i < object->members->len; i++) {
		Node *m = g_ptr_array_index (object->members, i);
		if (i > 0)
			g_string_append_c (out, ',');
		qmpsh_format_json_string (out, m->key, strlen (m->key));
		g_string_append_c (out, ':');
		if (m->json != NULL)
			g_string_append (out, m->json);
		else
			node_to_json (m, out);
	}
	g_string_append_c (out, '}');
}

/**
 * qmpsh_args_to_json:
 * @self: the arguments
 * @out: where their JSON object goes
 */
void
qmpsh_args_to_json (QmpshArgs *self, GString *out)
{
	node_to_json (self->root, out);
}

/* `a.b.c=value`: walks or makes the objects a and a.b, then sets c to @leaf */
static gboolean
node_set (Node *root, const gchar *dotted, Node *leaf, GError **error)
{
	g_autofree gchar *shown = qmpsh_format_excerpt (dotted, -1);
	Node *object = root;
	const gchar *part = dotted;
	guint depth = 1;

	for (const gchar *c = dotted; *c != '\0'; c++)
		depth += *c == '.';
	if (depth > QMPSH_KEY_DEPTH_MAX) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
			     "key '%s' is %u levels deep; QEMU takes at most %u", shown, depth,
			     QMPSH_KEY_DEPTH_MAX);
		return FALSE;
	}
	for (;;) {
		const gchar *dot = strchr (part, '.');
		g_autofree gchar *name =
			dot != NULL ? g_strndup (part, dot - part) : g_strdup (part);
		Node *m;

		if (name[0] == '\0') {
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "key '%s' has an empty part", shown);
			return FALSE;
		}
		m = node_find (object, name);
		if (dot == NULL) {
			if (m != NULL) {
				g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_CONFLICT,
					     "key '%s' is given twice", shown);
				return FALSE;
			}
			leaf->key = g_steal_pointer (&name);
			node_add (object, leaf);
			return TRUE;
		}
		if (m == NULL) {
			m = node_new_object (name);
			node_add (object, m);
		} else if (m->json != NULL) {
			g_autofree gchar *path = qmpsh_format_excerpt (dotted, dot - dotted);
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_CONFLICT,
				     "key '%s' is given both a value and members ('%s')", path,
				     shown);
			return FALSE;
		}
		object = m;
		part = dot + 1;
	}
}

static gboolean
is_literal (const gchar *p, gsize len, const gchar *word)
{
	return len == strlen (word) && memcmp (p, word, len) == 0;
}

/* the JSON text of an unquoted value: a JSON literal as written, or else a string */
static gchar *
value_to_json (QmpshScanner *s, const gchar *key, const gchar *start, gsize len, GError **error)
{
	const gchar *what = NULL;
	gsize offset = 0;
	GString *out;

	/* json-glib would keep integers as gint64: the text of any number goes as it is */
	if (qmpsh_value_is_json_number (start, len) || is_literal (start, len, "true") ||
	    is_literal (start, len, "false") || is_literal (start, len, "null"))
		return g_strndup (start, len);
	if (*start == '{' || *start == '[') {
		if (!qmp_json_validate (start, len, &what, &offset)) {
			g_autofree gchar *shown = qmpsh_format_excerpt (key, -1);
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "column %u: the value of '%s' is not valid JSON: %s",
				     qmpsh_scanner_column (s, start + offset), shown, what);
			return NULL;
		}
		return qmp_json_compact (start, len);
	}
	out = g_string_new (NULL);
	qmpsh_format_json_string (out, start, len);
	return g_string_free (out, FALSE);
}

/* the value after `key=`: quoted, or bare */
static Node *
scan_value (QmpshScanner *s, const gchar *key, const gchar *key_start, GError **error)
{
	g_autoptr (GString) text = g_string_new (NULL);
	Node *leaf;
	const gchar *start;
	gsize len;

	if (*s->p == '"' || *s->p == '\'') {
		g_autoptr (GString) json = g_string_new (NULL);
		if (!qmpsh_scanner_quoted (s, text, error))
			return NULL;
		qmpsh_format_json_string (json, text->str, text->len);
		leaf = g_new0 (Node, 1);
		leaf->kind = QMPSH_ARGS_QUOTED;
		leaf->json = g_string_free (g_steal_pointer (&json), FALSE);
		leaf->text = g_string_free (g_steal_pointer (&text), FALSE);
		return leaf;
	}
	if (!qmpsh_scanner_bare (s, &start, &len, error))
		return NULL;
	if (len == 0) {
		g_autofree gchar *shown = qmpsh_format_excerpt (key, -1);
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
			     "column %u: '%s=' has no value (for an empty string write %s=\"\")",
			     qmpsh_scanner_column (s, key_start), shown, shown);
		return NULL;
	}
	leaf = g_new0 (Node, 1);
	leaf->kind = *start == '{' || *start == '[' ? QMPSH_ARGS_JSON : QMPSH_ARGS_BARE;
	leaf->json = value_to_json (s, key, start, len, error);
	leaf->text = g_strndup (start, len);
	if (leaf->json == NULL) {
		node_free (leaf);
		return NULL;
	}
	return leaf;
}

/* the key of `key=value`, with the scanner left after its '=' */
static gchar *
scan_key (QmpshScanner *s, GError **error)
{
	const gchar *start = s->p;

	while (qmpsh_scanner_is_key_char (*s->p))
		s->p++;
	if (*s->p != '=' || s->p == start) {
		const gchar *end = start;
		g_autofree gchar *shown = NULL;
		while (*end != '\0' && !g_ascii_isspace (*end))
			end++;
		shown = qmpsh_format_excerpt (start, end - start);
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
			     "column %u: expected key=value, got '%s'",
			     qmpsh_scanner_column (s, start), shown);
		return NULL;
	}
	s->p++;
	return g_strndup (start, s->p - 1 - start);
}

/* `<FILE` and the like, where they may be; they end the line */
static gboolean
scan_redirect (QmpshScanner *s, GPtrArray **redirects, GError **error)
{
	QmpshRedirect *r;

	if (redirects == NULL) {
		g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
			     "column %u: files go with single commands, not here",
			     qmpsh_scanner_column (s, s->p));
		return FALSE;
	}
	r = qmpsh_scanner_redirect (s, error);
	if (r == NULL)
		return FALSE;
	if (*redirects == NULL)
		*redirects = g_ptr_array_new_with_free_func (
			(GDestroyNotify)qmpsh_scanner_redirect_free);
	g_ptr_array_add (*redirects, r);
	return TRUE;
}

/**
 * qmpsh_args_parse:
 * @self: the arguments, to add to
 * @s: a scanner
 * @stop: (out): the ';' or ')' that ended the arguments, or 0 for the end of
 *   the line or a `#` comment
 * @redirects: (nullable) (inout) (element-type QmpshRedirect): where `<FILE`
 *   words go, an array made at the first; %NULL where there may be none
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE, or %FALSE with a %QMPSH_PARSE_ERROR that says at which column
 */
gboolean
qmpsh_args_parse (QmpshArgs *self, QmpshScanner *s, gchar *stop, GPtrArray **redirects,
		  GError **error)
{
	*stop = 0;
	for (;;) {
		const gchar *key_start;
		g_autofree gchar *key = NULL;
		Node *leaf;

		qmpsh_scanner_skip_ws (s);
		if (*s->p == '\0' || *s->p == '#')
			return TRUE;
		if ((*stop = qmpsh_scanner_separator (s)) != 0) {
			s->p++;
			return TRUE;
		}
		if (*s->p == '<' || *s->p == '>' || *s->p == '|' ||
		    g_str_has_prefix (s->p, "fd<") || g_str_has_prefix (s->p, "fd>")) {
			if (!scan_redirect (s, redirects, error))
				return FALSE;
			continue;
		}
		if (redirects != NULL && *redirects != NULL && (*redirects)->len > 0) {
			g_set_error (error, QMPSH_PARSE_ERROR, QMPSH_PARSE_ERROR_SYNTAX,
				     "column %u: redirections go after every key=value",
				     qmpsh_scanner_column (s, s->p));
			return FALSE;
		}
		key_start = s->p;
		key = scan_key (s, error);
		if (key == NULL)
			return FALSE;
		leaf = scan_value (s, key, key_start, error);
		if (leaf == NULL)
			return FALSE;
		leaf->column = qmpsh_scanner_column (s, key_start);
		if (!node_set (self->root, key, leaf, error)) {
			node_free (leaf);
			g_prefix_error (error, "column %u: ", qmpsh_scanner_column (s, key_start));
			return FALSE;
		}
	}
}

/* ------------------------------------------------------------------------ */
/* the tree, for typing by the schema */

/**
 * qmpsh_args_get_root:
 * @self: the arguments
 *
 * Returns: (transfer none): the object of every key=value, dotted keys made
 *   into objects of their own
 */
QmpshArgsNode *
qmpsh_args_get_root (QmpshArgs *self)
{
	return self->root;
}

QmpshArgsKind
qmpsh_args_node_get_kind (const QmpshArgsNode *node)
{
	return node->kind;
}

/**
 * qmpsh_args_node_get_key:
 * @node: a node
 *
 * Returns: (nullable): its key in its object: the last part of a dotted key;
 *   %NULL for the root
 */
const gchar *
qmpsh_args_node_get_key (const QmpshArgsNode *node)
{
	return node->key;
}

/**
 * qmpsh_args_node_get_text:
 * @node: a leaf
 *
 * Returns: (nullable): the value as typed, quotes and escapes undone (a
 *   %QMPSH_ARGS_JSON value compacted); %NULL for an object
 */
const gchar *
qmpsh_args_node_get_text (const QmpshArgsNode *node)
{
	return node->kind == QMPSH_ARGS_JSON ? node->json : node->text;
}

/**
 * qmpsh_args_node_get_json:
 * @node: a leaf
 *
 * Returns: (nullable): the value's JSON where no schema says otherwise: a
 *   bare number, true, false or null as it is, anything else a string
 */
const gchar *
qmpsh_args_node_get_json (const QmpshArgsNode *node)
{
	return node->json;
}

/**
 * qmpsh_args_node_get_column:
 * @node: a leaf
 *
 * Returns: the column its key starts at; 0 for an object made of dotted keys
 */
guint
qmpsh_args_node_get_column (const QmpshArgsNode *node)
{
	return node->column;
}

guint
qmpsh_args_node_get_n_members (const QmpshArgsNode *node)
{
	return node->members != NULL ? node->members->len : 0;
}

QmpshArgsNode *
qmpsh_args_node_get_member (const QmpshArgsNode *node, guint i)
{
	g_return_val_if_fail (node->members != NULL && i < node->members->len, NULL);
	return g_ptr_array_index (node->members, i);
}

/**
 * qmpsh_args_node_find:
 * @node: an object
 * @key: a key of it (not dotted)
 *
 * Returns: (transfer none) (nullable): the member
 */
QmpshArgsNode *
qmpsh_args_node_find (const QmpshArgsNode *node, const gchar *key)
{
	return node->members != NULL ? node_find ((Node *)node, key) : NULL;
}

/**
 * qmpsh_args_node_to_json:
 * @node: a node
 * @out: where its JSON goes, by today's rules (no schema)
 */
void
qmpsh_args_node_to_json (const QmpshArgsNode *node, GString *out)
{
	if (node->json != NULL)
		g_string_append (out, node->json);
	else
		node_to_json ((Node *)node, out);
}
