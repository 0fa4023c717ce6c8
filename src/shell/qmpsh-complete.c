/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-complete.h"
#include "qmpsh-builtins.h"
#include "qmpsh-conform.h"
#include "qmpsh-parser.h"

#include <string.h>

/*
 * What TAB offers, and the hint after the cursor: the words before the
 * current one are parsed as the session would parse them, so that a union
 * is read by the branch its tag chose (`blockdev-add driver=null-co `
 * offers that branch's members), device_add by its driver's properties,
 * and the VM's own names (jobs, nodes, devices, QOM paths, bitmaps) come
 * where an argument names one.
 */

/* argument names that name a block node of the VM */
static const gchar *const node_keys[] = { "node-name", "node",	  "device", "target", "base-node",
					  "top-node",  "overlay", "parent", "child",  "replaces",
					  "file",      "backing", "drive",  "base",   NULL };

typedef struct {
	QmpSchema *schema;
	const QmpshCompleteLive *live;
	gchar *command;	       /* the command, or the transaction action */
	const gchar *arg_type; /* the type of its arguments */
	QmpshLine *line;       /* the words before the current one, parsed */
	QmpshArgsNode *root;   /* (nullable): their tree */
	QmpshCompletion *c;
	const gchar *word; /* the word being completed */
} Ctx;

void
qmpsh_complete_free (QmpshCompletion *completion)
{
	if (completion == NULL)
		return;
	g_ptr_array_unref (completion->words);
	g_free (completion);
}

static void
offer (QmpshCompletion *c, const gchar *prefix, const gchar *word, const gchar *suffix,
       const gchar *typed)
{
	g_autofree gchar *full = g_strconcat (prefix, word, suffix, NULL);
	if (!g_str_has_prefix (full, typed))
		return;
	for (guint i = 0; i < c->words->len; i++) {
		if (g_strcmp0 (g_ptr_array_index (c->words, i), full) == 0)
			return;
	}
	g_ptr_array_add (c->words, g_steal_pointer (&full));
}

static void
offer_all (QmpshCompletion *c, const gchar *prefix, GPtrArray *words, const gchar *typed)
{
	for (guint i = 0; words != NULL && i < words->len; i++)
		offer (c, prefix, g_ptr_array_index (words, i), "", typed);
}

static const QmpshProps *
props_of (Ctx *ctx, QmpshPropsKind kind, const gchar *name)
{
	if (ctx->live == NULL || ctx->live->props == NULL || name == NULL)
		return NULL;
	return ctx->live->props (ctx->live->props_data, kind, name, NULL);
}

/* the plain word the line gives @key (top level), if any */
static const gchar *
given (Ctx *ctx, const gchar *key)
{
	const QmpshArgsNode *node =
		ctx->root != NULL ? qmpsh_args_node_find (ctx->root, key) : NULL;
	if (node == NULL || qmpsh_args_node_get_kind (node) == QMPSH_ARGS_OBJECT)
		return NULL;
	return qmpsh_args_node_get_text (node);
}

static gboolean
is_one_of (const gchar *word, const gchar *const *words)
{
	return word != NULL && g_strv_contains (words, word);
}

/* ------------------------------------------------------------------------ */
/* keys */

static void
offer_members (Ctx *ctx, const QmpSchemaEntry *object, const QmpshArgsNode *node,
	       const gchar *prefix, gboolean required)
{
	for (guint i = 0; object != NULL && i < object->n_members; i++) {
		const QmpSchemaField *f = &object->members[i];
		if (f->optional == required ||
		    (node != NULL && qmpsh_args_node_find (node, f->name) != NULL))
			continue;
		offer (ctx->c, prefix, f->name, "=", ctx->word);
		if (qmpsh_conform_object_of (ctx->schema, f->type) != NULL)
			offer (ctx->c, prefix, f->name, ".", ctx->word);
	}
}

static void
complete_device_keys (Ctx *ctx, const QmpSchemaEntry *args)
{
	const QmpshProps *props = props_of (ctx, QMPSH_PROPS_DEVICE, given (ctx, "driver"));

	offer_members (ctx, args, ctx->root, "", TRUE);
	offer_members (ctx, args, ctx->root, "", FALSE);
	for (guint i = 0; props != NULL && i < qmpsh_props_get_length (props); i++) {
		const gchar *name = qmpsh_props_get (props, i)->name;
		if (ctx->root == NULL || qmpsh_args_node_find (ctx->root, name) == NULL)
			offer (ctx->c, "", name, "=", ctx->word);
	}
}

static void
complete_key (Ctx *ctx)
{
	const gchar *dot = strrchr (ctx->word, '.');
	g_autofree gchar *path =
		dot != NULL ? g_strndup (ctx->word, dot - ctx->word) : g_strdup ("");
	g_autofree gchar *prefix =
		dot != NULL ? g_strndup (ctx->word, dot - ctx->word + 1) : g_strdup ("");
	const QmpshArgsNode *node = NULL;
	const gchar *type;
	const QmpSchemaEntry *object;
	const QmpSchemaEntry *branch;

	if (ctx->schema == NULL)
		return;
	if (g_strcmp0 (ctx->command, "device_add") == 0 && dot == NULL) {
		complete_device_keys (ctx, qmpsh_conform_object_of (ctx->schema, ctx->arg_type));
		return;
	}
	type = qmpsh_conform_walk (ctx->schema, ctx->arg_type, ctx->root, path, &node);
	object = qmpsh_conform_object_of (ctx->schema, type);
	if (object == NULL)
		return;
	/* a union's branch once its tag is given; until then, what they all have */
	branch = qmpsh_conform_branch (ctx->schema, object, qmpsh_conform_tag_value (object, node));
	offer_members (ctx, object, node, prefix, TRUE);
	offer_members (ctx, branch, node, prefix, TRUE);
	offer_members (ctx, object, node, prefix, FALSE);
	offer_members (ctx, branch, node, prefix, FALSE);
}

/* ------------------------------------------------------------------------ */
/* values */

/* "on/off/auto", as QEMU describes an enum property: its values */
static void
offer_described (Ctx *ctx, const QmpshProp *prop, const gchar *prefix)
{
	g_auto (GStrv) words = NULL;

	if (g_strcmp0 (prop->type, "bool") == 0 || g_strcmp0 (prop->type, "boolean") == 0) {
		offer (ctx->c, prefix, "on", "", ctx->word);
		offer (ctx->c, prefix, "off", "", ctx->word);
		return;
	}
	if (prop->description == NULL || strchr (prop->description, ' ') != NULL ||
	    strchr (prop->description, '/') == NULL)
		return;
	words = g_strsplit (prop->description, "/", -1);
	for (guint i = 0; words[i] != NULL; i++)
		offer (ctx->c, prefix, words[i], "", ctx->word);
}

/* path=/machine/pe TAB: the children and links of the object the path is in */
static void
complete_qom_path (Ctx *ctx, const gchar *prefix, const gchar *typed)
{
	const gchar *slash = strrchr (typed, '/');
	g_autofree gchar *dir =
		slash != NULL && slash != typed ? g_strndup (typed, slash - typed) : g_strdup ("/");
	const QmpshProps *props = props_of (ctx, QMPSH_PROPS_QOM, dir);

	ctx->c->no_space = TRUE;
	if (typed[0] == '\0')
		offer (ctx->c, prefix, "/", "", ctx->word);
	for (guint i = 0; props != NULL && i < qmpsh_props_get_length (props); i++) {
		const QmpshProp *p = qmpsh_props_get (props, i);
		g_autofree gchar *full = NULL;
		if (!g_str_has_prefix (p->type, "child<") && !g_str_has_prefix (p->type, "link<"))
			continue;
		full = g_strconcat (g_strcmp0 (dir, "/") == 0 ? "" : dir, "/", p->name, NULL);
		offer (ctx->c, prefix, full, "", ctx->word);
	}
}

static gboolean
complete_device_value (Ctx *ctx, const gchar *key, const gchar *prefix)
{
	const QmpshProps *props = props_of (ctx, QMPSH_PROPS_DEVICE, given (ctx, "driver"));
	const QmpshProp *prop = props != NULL ? qmpsh_props_lookup (props, key) : NULL;

	if (g_strcmp0 (key, "driver") == 0) {
		offer_all (ctx->c, prefix, ctx->live != NULL ? ctx->live->device_types : NULL,
			   ctx->word);
		return TRUE;
	}
	if (prop != NULL)
		offer_described (ctx, prop, prefix);
	return prop != NULL && g_strcmp0 (key, "drive") != 0;
}

static gboolean
complete_qom_value (Ctx *ctx, const gchar *key, const gchar *prefix, const gchar *typed)
{
	const QmpshProps *props = NULL;
	const QmpshProp *prop;

	if (g_strcmp0 (key, "path") == 0) {
		complete_qom_path (ctx, prefix, typed);
		return TRUE;
	}
	props = props_of (ctx, QMPSH_PROPS_QOM, given (ctx, "path"));
	if (g_strcmp0 (key, "property") == 0) {
		for (guint i = 0; props != NULL && i < qmpsh_props_get_length (props); i++)
			offer (ctx->c, prefix, qmpsh_props_get (props, i)->name, "", ctx->word);
		return TRUE;
	}
	prop = props != NULL ? qmpsh_props_lookup (props, given (ctx, "property")) : NULL;
	if (g_strcmp0 (key, "value") == 0 && prop != NULL)
		offer_described (ctx, prop, prefix);
	return g_strcmp0 (key, "value") == 0;
}

/* the running VM's own names, where the argument asks for one */
static void
complete_live (Ctx *ctx, const gchar *key, const gchar *leaf, const gchar *prefix)
{
	const QmpshCompleteLive *live = ctx->live;
	const gchar *command = ctx->command;
	gboolean jobs_command =
		g_str_has_prefix (command, "block-job-") || g_str_has_prefix (command, "job-");

	if (live == NULL)
		return;
	if (jobs_command && (g_strcmp0 (leaf, "device") == 0 || g_strcmp0 (leaf, "id") == 0 ||
			     g_strcmp0 (leaf, "job-id") == 0)) {
		offer_all (ctx->c, prefix, live->job_ids, ctx->word);
	} else if (g_strcmp0 (command, "device_del") == 0 && g_strcmp0 (leaf, "id") == 0) {
		offer_all (ctx->c, prefix, live->device_ids, ctx->word);
	} else if (g_str_has_prefix (command, "block-dirty-bitmap-") &&
		   g_strcmp0 (key, "name") == 0) {
		const gchar *node = given (ctx, "node");
		offer_all (ctx->c, prefix,
			   node != NULL && live->bitmaps != NULL
				   ? g_hash_table_lookup (live->bitmaps, node)
				   : NULL,
			   ctx->word);
	} else if (is_one_of (leaf, node_keys) && !(g_strcmp0 (command, "blockdev-add") == 0 &&
						    g_strcmp0 (key, "node-name") == 0)) {
		/* a new node's name is the user's to choose; an existing one is offered */
		offer_all (ctx->c, prefix, live->block_nodes, ctx->word);
	}
}

static void
complete_value (Ctx *ctx)
{
	const gchar *eq = strchr (ctx->word, '=');
	g_autofree gchar *key = g_strndup (ctx->word, eq - ctx->word);
	g_autofree gchar *prefix = g_strndup (ctx->word, eq - ctx->word + 1);
	const gchar *leaf = strrchr (key, '.') != NULL ? strrchr (key, '.') + 1 : key;
	const gchar *type;

	if (g_strcmp0 (ctx->command, "device_add") == 0 && strchr (key, '.') == NULL &&
	    complete_device_value (ctx, key, prefix))
		return;
	if (g_str_has_prefix (ctx->command, "qom-") && strchr (key, '.') == NULL &&
	    complete_qom_value (ctx, key, prefix, eq + 1))
		return;
	type = ctx->schema != NULL
		       ? qmpsh_conform_walk (ctx->schema, ctx->arg_type, ctx->root, key, NULL)
		       : NULL;
	if (type != NULL) {
		g_autoptr (GPtrArray) values = qmp_schema_list_values (ctx->schema, type);
		offer_all (ctx->c, prefix, values, ctx->word);
	}
	complete_live (ctx, key, leaf, prefix);
}

/* ------------------------------------------------------------------------ */
/* the line */

/* the union of transaction actions, tagged by `type` */
static const QmpSchemaEntry *
actions_union (QmpSchema *schema)
{
	const QmpSchemaEntry *cmd = qmp_schema_lookup (schema, "transaction");
	const gchar *list =
		cmd != NULL ? qmpsh_conform_walk (schema, cmd->arg_type, NULL, "actions", NULL)
			    : NULL;
	const QmpSchemaEntry *array = qmp_schema_lookup (schema, list);

	return array != NULL && array->meta == QMP_SCHEMA_META_ARRAY
		       ? qmpsh_conform_object_of (schema, array->element_type)
		       : NULL;
}

/* the type of a transaction action's data: what `transaction( ACTION ...` takes */
static const gchar *
action_type (QmpSchema *schema, const gchar *action)
{
	const QmpSchemaEntry *object = actions_union (schema);
	const QmpSchemaEntry *branch =
		object != NULL ? qmpsh_conform_branch (schema, object, action) : NULL;
	const QmpSchemaField *data =
		branch != NULL ? qmpsh_conform_find_member (schema, branch, NULL, "data") : NULL;

	return data != NULL ? data->type : NULL;
}

/*
 * The command and its words so far: @before is the line up to the current
 * word; inside `transaction(` the words since the last '(' or ';' are an
 * action's.
 */
static void
ctx_parse (Ctx *ctx, const gchar *before)
{
	const gchar *segment = before;
	g_autofree gchar *text = NULL;
	g_autoptr (QmpshParser) parser = qmpsh_parser_new ();
	gsize n;
	gboolean action = FALSE;

	while (g_ascii_isspace (*segment))
		segment++;
	if (g_str_has_prefix (segment, "transaction(")) {
		const gchar *last = MAX (strrchr (segment, '('), strrchr (segment, ';'));
		segment = last + 1;
		action = TRUE;
		while (g_ascii_isspace (*segment))
			segment++;
	}
	n = strcspn (segment, " \t");
	ctx->command = g_strndup (segment, n);
	if (ctx->schema != NULL && action) {
		ctx->arg_type = action_type (ctx->schema, ctx->command);
	} else if (ctx->schema != NULL) {
		const QmpSchemaEntry *cmd = qmp_schema_lookup (ctx->schema, ctx->command);
		ctx->arg_type =
			cmd != NULL && cmd->meta == QMP_SCHEMA_META_COMMAND ? cmd->arg_type : NULL;
	}
	/* the words as the session reads them; a line that does not parse yet has none */
	text = g_strconcat ("x ", segment + n, NULL);
	ctx->line = qmpsh_parser_feed (parser, text, NULL);
	if (ctx->line != NULL && ctx->line->args != NULL)
		ctx->root = qmpsh_args_get_root (ctx->line->args);
}

static void
complete_actions (Ctx *ctx)
{
	const QmpSchemaEntry *object = ctx->schema != NULL ? actions_union (ctx->schema) : NULL;

	for (guint i = 0; object != NULL && i < object->n_variants; i++)
		offer (ctx->c, "", object->variants[i].value, "", ctx->word);
}

static void
ctx_clear (Ctx *ctx)
{
	g_free (ctx->command);
	g_clear_pointer (&ctx->line, qmpsh_line_free);
}

static void
complete_first (Ctx *ctx, gboolean hmp)
{
	guint nbuiltins = 0;
	const QmpshBuiltin *builtins = qmpsh_builtins_get (&nbuiltins);

	/* the command itself: the built-ins of the prompt, and the server's commands */
	for (guint i = 0; i < nbuiltins; i++) {
		if (builtins[i].modes & QMPSH_BUILTIN_PROMPT)
			offer (ctx->c, "", builtins[i].name, "", ctx->word);
	}
	if (ctx->live != NULL && ctx->live->aliases != NULL) {
		g_autoptr (GList) names = g_list_sort (g_hash_table_get_keys (ctx->live->aliases),
						       (GCompareFunc)g_strcmp0);
		for (GList *l = names; l != NULL; l = l->next)
			offer (ctx->c, "", l->data, "", ctx->word);
	}
	if (!hmp && ctx->schema != NULL) {
		offer (ctx->c, "", "transaction(", "", ctx->word);
		offer_all (ctx->c, "", qmp_schema_list_commands (ctx->schema), ctx->word);
	}
	if (hmp && ctx->live != NULL)
		offer_all (ctx->c, "", ctx->live->hmp_commands, ctx->word);
}

/**
 * qmpsh_complete:
 * @schema: (nullable): the server's schema
 * @live: (nullable): what completion knows of the running VM
 * @hmp: whether lines are HMP commands
 * @line: the line being edited
 * @point: the cursor's byte offset in it
 *
 * Returns: (transfer full): the words that may replace the one at the cursor
 */
QmpshCompletion *
qmpsh_complete (QmpSchema *schema, const QmpshCompleteLive *live, gboolean hmp, const gchar *line,
		gsize point)
{
	QmpshCompletion *c = g_new0 (QmpshCompletion, 1);
	g_autofree gchar *head = g_strndup (line, point);
	g_autofree gchar *before = NULL;
	Ctx ctx = { .schema = schema, .live = live };

	/* `.oob CMD ...`: the command after it completes as any other */
	if (g_str_has_prefix (line + strspn (line, " \t"), ".oob ")) {
		gsize off = strspn (line, " \t") + 5;
		off += strspn (line + off, " \t");
		if (point > off && memchr (line + off, ' ', point - off) != NULL) {
			g_free (c);
			c = qmpsh_complete (schema, live, FALSE, line + off, point - off);
			c->start += off;
			return c;
		}
	}
	c->words = g_ptr_array_new_with_free_func (g_free);
	c->start = point;
	while (c->start > 0 && !g_ascii_isspace (head[c->start - 1]))
		c->start--;
	ctx.c = c;
	ctx.word = head + c->start;
	before = g_strndup (head, c->start);
	if (strspn (before, " \t") == strlen (before)) {
		complete_first (&ctx, hmp);
		return c;
	}
	if (before[strspn (before, " \t")] == '.') {
		/* a built-in's first argument, as its row says */
		g_auto (GStrv) words = g_strsplit_set (g_strstrip (before), " \t", -1);
		const QmpshBuiltin *b = qmpsh_builtins_find (words[0]);
		if (b != NULL && b->complete != NULL && g_strv_length (words) == 1) {
			g_autoptr (GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
			b->complete (schema, live, values);
			offer_all (c, "", values, ctx.word);
		}
		return c;
	}
	if (hmp)
		return c;
	ctx_parse (&ctx, before);
	if (ctx.command[0] == '\0') {
		/* `transaction( ` TAB: the actions there are */
		complete_actions (&ctx);
	} else if (strchr (ctx.word, '=') != NULL) {
		complete_value (&ctx);
	} else {
		complete_key (&ctx);
		c->no_space = TRUE;
	}
	ctx_clear (&ctx);
	return c;
}

/**
 * qmpsh_complete_hint:
 * @schema: (nullable): the server's schema
 * @live: (nullable): what completion knows of the running VM
 * @line: the line being edited, the cursor at its end
 *
 * What is still to type, for the dim hint after the cursor: the required
 * arguments not given yet, with their types or values, of the branch the
 * union's tag chose.
 *
 * Returns: (transfer full) (nullable): " device=<str> sync=<top|full>", or
 *   %NULL when there is nothing to hint
 */
gchar *
qmpsh_complete_hint (QmpSchema *schema, const QmpshCompleteLive *live, const gchar *line)
{
	gsize len = strlen (line);
	gboolean spaced = len > 0 && g_ascii_isspace (line[len - 1]);
	Ctx ctx = { .schema = schema, .live = live };
	g_autoptr (GString) out = g_string_new (NULL);
	g_autofree gchar *before = NULL;
	g_autofree gchar *key = NULL; /* `key=` just typed, its value not yet */
	const gchar *last = line + len;
	const QmpSchemaEntry *object;
	const QmpSchemaEntry *in[2] = { NULL, NULL };

	/* `.oob CMD ...`: the command's hint */
	if (g_str_has_prefix (line + strspn (line, " \t"), ".oob ")) {
		gsize off = strspn (line, " \t") + 5;
		off += strspn (line + off, " \t");
		return off < len ? qmpsh_complete_hint (schema, live, line + off) : NULL;
	}
	if (schema == NULL || line[strspn (line, " \t")] == '\0' ||
	    line[strspn (line, " \t")] == '.' || line[strspn (line, " \t")] == '{')
		return NULL;
	while (!spaced && last > line && !g_ascii_isspace (last[-1]))
		last--;
	/* a key being typed is not given yet: no hint until its '=' */
	if (!spaced && last > line + strspn (line, " \t") && strchr (last, '=') == NULL)
		return NULL;
	if (!spaced && line[len - 1] == '=' && last > line + strspn (line, " \t")) {
		key = g_strndup (last, line + len - 1 - last);
		before = g_strndup (line, last - line);
	}
	ctx_parse (&ctx, before != NULL ? before : line);
	/* after `key=`, what its value is; then what else is missing */
	if (key != NULL) {
		const gchar *type = qmpsh_conform_walk (schema, ctx.arg_type, ctx.root, key, NULL);
		g_autofree gchar *want =
			type != NULL ? qmpsh_conform_describe_short (schema, type) : NULL;
		if (want != NULL)
			g_string_append_printf (out, "<%s>", want);
		key[strcspn (key, ".")] = '\0';
	}
	object = qmpsh_conform_object_of (schema, ctx.arg_type);
	if (object != NULL) {
		in[0] = object;
		in[1] = qmpsh_conform_branch (schema, object,
					      qmpsh_conform_tag_value (object, ctx.root));
	}
	for (guint k = 0; k < G_N_ELEMENTS (in); k++) {
		for (guint i = 0; in[k] != NULL && i < in[k]->n_members; i++) {
			const QmpSchemaField *f = &in[k]->members[i];
			g_autofree gchar *want = NULL;
			if (f->optional || g_strcmp0 (f->name, key) == 0 ||
			    (ctx.root != NULL && qmpsh_args_node_find (ctx.root, f->name)))
				continue;
			want = qmpsh_conform_describe_short (schema, f->type);
			g_string_append_printf (out, " %s=<%s>", f->name, want);
		}
	}
	ctx_clear (&ctx);
	if (out->len == 0)
		return NULL;
	return g_strdup (spaced ? out->str + 1 : out->str);
}
