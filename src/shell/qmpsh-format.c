/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-format.h"

#include <string.h>

/*
 * Reformats JSON text token by token instead of through a parsed tree, so
 * that every number leaves exactly as it arrived: json-glib would turn a
 * uint64 above G_MAXINT64 into a negative number and reprint doubles. The
 * input has already been parsed once, so it is known to be valid JSON.
 */

#define COLOR_KEY     "\033[1;34m"
#define COLOR_STRING  "\033[32m"
#define COLOR_NUMBER  "\033[36m"
#define COLOR_LITERAL "\033[33m"
#define COLOR_RESET   "\033[0m"

typedef struct {
	const gchar *p;
	const gchar *end;
} Cursor;

typedef struct {
	GString *out;
	QmpshFormatFlags flags;
} Ctx;

typedef struct {
	const gchar *key;
	gsize key_len;
	const gchar *value;
	gsize value_len;
} Member;

static void
skip_ws (Cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

/* advances over one string token, quotes included */
static void
skip_string (Cursor *c)
{
	c->p++;
	while (c->p < c->end && *c->p != '"') {
		if (*c->p == '\\' && c->p + 1 < c->end)
			c->p++;
		c->p++;
	}
	if (c->p < c->end)
		c->p++;
}

static void
skip_value (Cursor *c)
{
	guint depth = 0;

	skip_ws (c);
	do {
		if (c->p >= c->end)
			return;
		switch (*c->p) {
		case '"':
			skip_string (c);
			break;
		case '{':
		case '[':
			depth++;
			c->p++;
			break;
		case '}':
		case ']':
			depth--;
			c->p++;
			break;
		default:
			if (depth == 0) {
				while (c->p < c->end && strchr (" \t\r\n,:]}", *c->p) == NULL)
					c->p++;
				return;
			}
			c->p++;
			break;
		}
	} while (depth > 0);
}

static void
emit_colored (Ctx *ctx, const gchar *color, const gchar *text, gsize len)
{
	if (ctx->flags & QMPSH_FORMAT_COLOR)
		g_string_append (ctx->out, color);
	g_string_append_len (ctx->out, text, len);
	if (ctx->flags & QMPSH_FORMAT_COLOR)
		g_string_append (ctx->out, COLOR_RESET);
}

static void
emit_newline (Ctx *ctx, guint indent)
{
	if (!(ctx->flags & QMPSH_FORMAT_PRETTY))
		return;
	g_string_append_c (ctx->out, '\n');
	for (guint i = 0; i < indent; i++)
		g_string_append (ctx->out, "  ");
}

static gint
member_compare (gconstpointer a, gconstpointer b)
{
	const Member *ma = a;
	const Member *mb = b;
	gint r = memcmp (ma->key, mb->key, MIN (ma->key_len, mb->key_len));
	if (r != 0)
		return r;
	return (ma->key_len > mb->key_len) - (ma->key_len < mb->key_len);
}

static void emit_value (Ctx *ctx, Cursor *c, guint indent, gboolean top);

static void
emit_object (Ctx *ctx, Cursor *c, guint indent, gboolean top)
{
	g_autoptr (GArray) members = g_array_new (FALSE, FALSE, sizeof (Member));

	c->p++; /* { */
	for (;;) {
		Member m;
		skip_ws (c);
		if (c->p >= c->end || *c->p == '}')
			break;
		if (*c->p == ',') {
			c->p++;
			continue;
		}
		m.key = c->p;
		skip_string (c);
		m.key_len = c->p - m.key;
		skip_ws (c);
		if (c->p < c->end && *c->p == ':')
			c->p++;
		skip_ws (c);
		m.value = c->p;
		skip_value (c);
		m.value_len = c->p - m.value;
		if (top && (ctx->flags & QMPSH_FORMAT_DROP_ID) && m.key_len == 4 &&
		    memcmp (m.key, "\"id\"", 4) == 0)
			continue;
		g_array_append_val (members, m);
	}
	if (c->p < c->end)
		c->p++; /* } */

	if (ctx->flags & QMPSH_FORMAT_SORT_KEYS)
		g_array_sort (members, member_compare);

	g_string_append_c (ctx->out, '{');
	for (guint i = 0; i < members->len; i++) {
		Member *m = &g_array_index (members, Member, i);
		Cursor sub = { m->value, m->value + m->value_len };
		if (i > 0)
			g_string_append_c (ctx->out, ',');
		emit_newline (ctx, indent + 1);
		emit_colored (ctx, COLOR_KEY, m->key, m->key_len);
		g_string_append (ctx->out, (ctx->flags & QMPSH_FORMAT_PRETTY) ? ": " : ":");
		emit_value (ctx, &sub, indent + 1, FALSE);
	}
	if (members->len > 0)
		emit_newline (ctx, indent);
	g_string_append_c (ctx->out, '}');
}

static void
emit_array (Ctx *ctx, Cursor *c, guint indent)
{
	gboolean empty = TRUE;

	c->p++; /* [ */
	g_string_append_c (ctx->out, '[');
	for (;;) {
		skip_ws (c);
		if (c->p >= c->end || *c->p == ']')
			break;
		if (*c->p == ',') {
			c->p++;
			continue;
		}
		if (!empty)
			g_string_append_c (ctx->out, ',');
		emit_newline (ctx, indent + 1);
		emit_value (ctx, c, indent + 1, FALSE);
		empty = FALSE;
	}
	if (c->p < c->end)
		c->p++; /* ] */
	if (!empty)
		emit_newline (ctx, indent);
	g_string_append_c (ctx->out, ']');
}

static void
emit_value (Ctx *ctx, Cursor *c, guint indent, gboolean top)
{
	const gchar *start;

	skip_ws (c);
	if (c->p >= c->end)
		return;
	start = c->p;
	switch (*c->p) {
	case '{':
		emit_object (ctx, c, indent, top);
		return;
	case '[':
		emit_array (ctx, c, indent);
		return;
	case '"':
		skip_string (c);
		emit_colored (ctx, COLOR_STRING, start, c->p - start);
		return;
	default:
		skip_value (c);
		emit_colored (ctx,
			      (*start == 't' || *start == 'f' || *start == 'n') ? COLOR_LITERAL
										: COLOR_NUMBER,
			      start, c->p - start);
		return;
	}
}

/**
 * qmpsh_format_json:
 * @out: where to append
 * @text: one valid JSON value
 * @len: its length
 * @flags: how to lay it out
 *
 * Appends @text laid out as @flags say, with every number as it was written.
 */
void
qmpsh_format_json (GString *out, const gchar *text, gsize len, QmpshFormatFlags flags)
{
	Ctx ctx = { out, flags };
	Cursor c = { text, text + len };
	emit_value (&ctx, &c, 0, TRUE);
}
