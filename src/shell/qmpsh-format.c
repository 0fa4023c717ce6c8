/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-format.h"
#include "qmp-json.h"
#include "qmp-message.h"

#include <string.h>

/*
 * Reformats JSON text value by value instead of through a parsed tree, so
 * that every number leaves exactly as it arrived: json-glib would turn a
 * uint64 above G_MAXINT64 into a negative number and reprint doubles. The
 * input has already been checked, so it is known to be valid JSON.
 */

#define COLOR_KEY     "\033[1;34m"
#define COLOR_STRING  "\033[32m"
#define COLOR_NUMBER  "\033[36m"
#define COLOR_LITERAL "\033[33m"
#define COLOR_RESET   "\033[0m"

typedef struct {
	GString *out;
	QmpshFormatFlags flags;
	QmpJsonSpans *spans;	  /* each level steps over the ones below it without reading them */
	const QmpJsonMember *tag; /* a member put first in the top-level object */
} Ctx;

typedef struct {
	Ctx *ctx;
	guint indent;
	gboolean top;
	guint count;
	GArray *members; /* QmpJsonMember, for sorting */
} Level;

static void emit_value (Ctx *ctx, const gchar *text, gsize len, guint indent, gboolean top);

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
	gsize at;

	if (!(ctx->flags & QMPSH_FORMAT_PRETTY))
		return;
	/*
	 * The line end and its indentation in one step: nested deep, the
	 * indentation is most of the output, so it costs a memset, not a call
	 * a level
	 */
	at = ctx->out->len;
	g_string_set_size (ctx->out, at + 1 + 2 * (gsize)indent);
	ctx->out->str[at] = '\n';
	memset (ctx->out->str + at + 1, ' ', 2 * (gsize)indent);
}

static void
emit_member (Level *level, const QmpJsonMember *m)
{
	Ctx *ctx = level->ctx;

	if (level->count++ > 0)
		g_string_append_c (ctx->out, ',');
	emit_newline (ctx, level->indent + 1);
	emit_colored (ctx, COLOR_KEY, m->key, m->key_len);
	if (ctx->flags & QMPSH_FORMAT_PRETTY)
		g_string_append_len (ctx->out, ": ", 2);
	else
		g_string_append_c (ctx->out, ':');
	emit_value (ctx, m->value, m->value_len, level->indent + 1, FALSE);
}

static gboolean
member_cb (const QmpJsonMember *m, gpointer user_data)
{
	Level *level = user_data;

	if (level->top && (level->ctx->flags & QMPSH_FORMAT_DROP_ID) && qmp_json_key_is (m, "id"))
		return TRUE;
	if (level->members != NULL)
		g_array_append_val (level->members, *m);
	else
		emit_member (level, m);
	return TRUE;
}

static gint
member_compare (gconstpointer a, gconstpointer b)
{
	const QmpJsonMember *ma = a;
	const QmpJsonMember *mb = b;
	gint r = memcmp (ma->key, mb->key, MIN (ma->key_len, mb->key_len));
	if (r != 0)
		return r;
	return (ma->key_len > mb->key_len) - (ma->key_len < mb->key_len);
}

static gboolean
element_cb (const gchar *value, gsize len, gpointer user_data)
{
	Level *level = user_data;

	if (level->count++ > 0)
		g_string_append_c (level->ctx->out, ',');
	emit_newline (level->ctx, level->indent + 1);
	emit_value (level->ctx, value, len, level->indent + 1, FALSE);
	return TRUE;
}

static void
emit_value (Ctx *ctx, const gchar *text, gsize len, guint indent, gboolean top)
{
	Level level = { ctx, indent, top, 0, NULL };

	while (len > 0 && g_ascii_isspace (*text))
		text++, len--;
	while (len > 0 && g_ascii_isspace (text[len - 1]))
		len--;
	if (len == 0)
		return;
	switch (*text) {
	case '{':
		g_string_append_c (ctx->out, '{');
		if (top && ctx->tag != NULL)
			emit_member (&level, ctx->tag);
		if (ctx->flags & QMPSH_FORMAT_SORT_KEYS) {
			level.members = g_array_new (FALSE, FALSE, sizeof (QmpJsonMember));
			qmp_json_spans_foreach_member (ctx->spans, text, len, member_cb, &level);
			g_array_sort (level.members, member_compare);
			for (guint i = 0; i < level.members->len; i++)
				emit_member (&level,
					     &g_array_index (level.members, QmpJsonMember, i));
			g_array_unref (level.members);
		} else {
			qmp_json_spans_foreach_member (ctx->spans, text, len, member_cb, &level);
		}
		if (level.count > 0)
			emit_newline (ctx, indent);
		g_string_append_c (ctx->out, '}');
		return;
	case '[':
		g_string_append_c (ctx->out, '[');
		qmp_json_spans_foreach_element (ctx->spans, text, len, element_cb, &level);
		if (level.count > 0)
			emit_newline (ctx, indent);
		g_string_append_c (ctx->out, ']');
		return;
	case '"':
		emit_colored (ctx, COLOR_STRING, text, len);
		return;
	default:
		emit_colored (ctx,
			      (*text == 't' || *text == 'f' || *text == 'n') ? COLOR_LITERAL
									     : COLOR_NUMBER,
			      text, len);
		return;
	}
}

/*
 * Compact with the top-level `id` left out: the reply to a command qmpsh
 * numbered itself, as JSON Lines, the commonest thing batch prints. One pass
 * that copies what is not blank, as the walk above would lay it out, at a
 * fifth of its cost. FALSE, with nothing appended, for anything but an object.
 */
static gboolean
format_compact_drop_id (GString *out, const gchar *text, gsize len)
{
	gsize base = out->len;
	gsize n = 0;	  /* written after base */
	gsize member = 0; /* where the top-level member being copied starts, its comma included */
	guint depth = 0;
	gboolean want_key = FALSE, is_id = FALSE;
	gchar *o;

	while (len > 0 && g_ascii_isspace (*text))
		text++, len--;
	if (len == 0 || *text != '{')
		return FALSE;
	g_string_set_size (out, base + len);
	o = out->str + base;
	for (gsize i = 0; i < len; i++) {
		gchar ch = text[i];
		gsize end;

		switch (ch) {
		case ' ':
		case '\t':
		case '\r':
		case '\n':
			continue;
		case '"':
			/* a string whole, escapes and all */
			for (end = i + 1; end < len && text[end] != '"'; end++)
				if (text[end] == '\\')
					end++;
			end = MIN (end + 1, len);
			memcpy (o + n, text + i, end - i);
			n += end - i;
			if (want_key)
				is_id = end - i == 4 && memcmp (text + i, "\"id\"", 4) == 0;
			want_key = FALSE;
			i = end - 1;
			continue;
		case '{':
		case '[':
			if (depth++ == 0) {
				want_key = TRUE;
				member = n + 1;
			}
			break;
		case ',':
			if (depth != 1)
				break;
			want_key = TRUE;
			if (is_id) {
				/* the id goes, and its comma with it */
				is_id = FALSE;
				n = member;
				if (member == 1)
					continue;
			}
			member = n;
			break;
		case '}':
		case ']':
			if (--depth == 0 && is_id)
				n = member;
			break;
		default:
			break;
		}
		o[n++] = ch;
	}
	g_string_truncate (out, base + n);
	return TRUE;
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
	/*
	 * Where each level ends, read once, keeps the walk linear; a short text
	 * costs less walked again than indexed (512 bytes nest at most 256 deep)
	 */
	g_autoptr (QmpJsonSpans) spans = NULL;
	Ctx ctx = { out, flags, NULL, NULL };

	if (flags == QMPSH_FORMAT_DROP_ID && format_compact_drop_id (out, text, len))
		return;
	spans = len > 512 ? qmp_json_spans_new (text, len) : NULL;
	ctx.spans = spans;
	emit_value (&ctx, text, len, 0, TRUE);
}

/**
 * qmpsh_format_json_tagged:
 * @out: where to append
 * @text: one valid JSON object
 * @len: its length
 * @flags: how to lay it out
 * @key: the name of a member to put first
 * @value: its value, a string
 *
 * As qmpsh_format_json(), with a member `"KEY":"VALUE"` before the object's
 * own, whatever the order of the others (sorted or not): where several
 * servers answer, which one did.
 */
void
qmpsh_format_json_tagged (GString *out, const gchar *text, gsize len, QmpshFormatFlags flags,
			  const gchar *key, const gchar *value)
{
	g_autoptr (QmpJsonSpans) spans = len > 512 ? qmp_json_spans_new (text, len) : NULL;
	g_autoptr (GString) k = g_string_new (NULL);
	g_autoptr (GString) v = g_string_new (NULL);
	QmpJsonMember tag = { 0 };
	Ctx ctx = { out, flags, spans, &tag };

	qmpsh_format_json_string (k, key, strlen (key));
	qmpsh_format_json_string (v, value, strlen (value));
	tag.key = k->str;
	tag.key_len = k->len;
	tag.value = v->str;
	tag.value_len = v->len;
	emit_value (&ctx, text, len, 0, TRUE);
}

/**
 * qmpsh_format_hmp:
 * @reply: (nullable): the reply to an HMP command
 *
 * Returns: (transfer full) (nullable): the text HMP answered, its CRLF line
 *   ends made LF and a last LF added, or %NULL if the reply is no text
 */
gchar *
qmpsh_format_hmp (QmpMessage *reply)
{
	JsonNode *ret;
	g_autoptr (GString) text = NULL;

	if (reply == NULL || qmp_message_get_kind (reply) != QMP_MESSAGE_KIND_RETURN)
		return NULL;
	ret = json_object_get_member (qmp_message_get_object (reply), "return");
	if (ret == NULL || json_node_get_value_type (ret) != G_TYPE_STRING)
		return NULL;
	/* HMP ends its lines with CRLF, for a terminal in raw mode */
	text = g_string_new (json_node_get_string (ret));
	g_string_replace (text, "\r\n", "\n", 0);
	if (text->len > 0 && text->str[text->len - 1] != '\n')
		g_string_append_c (text, '\n');
	return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * qmpsh_format_json_string:
 * @out: where to append
 * @text: UTF-8 text
 * @len: its length in bytes
 *
 * Appends @text as a JSON string.
 */
void
qmpsh_format_json_string (GString *out, const gchar *text, gsize len)
{
	gsize plain = 0;

	g_string_append_c (out, '"');
	for (gsize i = 0; i < len; i++) {
		guchar c = text[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		/* what needs no escape goes in runs */
		g_string_append_len (out, text + plain, i - plain);
		plain = i + 1;
		switch (c) {
		case '"':
			g_string_append (out, "\\\"");
			break;
		case '\\':
			g_string_append (out, "\\\\");
			break;
		case '\n':
			g_string_append (out, "\\n");
			break;
		case '\r':
			g_string_append (out, "\\r");
			break;
		case '\t':
			g_string_append (out, "\\t");
			break;
		default:
			g_string_append_printf (out, "\\u%04x", c);
		}
	}
	g_string_append_len (out, text + plain, len - plain);
	g_string_append_c (out, '"');
}

/**
 * qmpsh_format_excerpt:
 * @text: what the user typed
 * @len: its length in bytes, or -1 if NUL-terminated
 *
 * Messages quote what was typed, but never more than a screenful of it.
 *
 * Returns: (transfer full): @text, or its first 40 characters and "..."
 */
gchar *
qmpsh_format_excerpt (const gchar *text, gssize len)
{
	gsize n = len < 0 ? strlen (text) : (gsize)len;
	const gchar *p = text;

	for (guint i = 0; i < 40 && p != NULL; i++)
		p = g_utf8_find_next_char (p, text + n);
	if (p == NULL || p >= text + n)
		return g_strndup (text, n);
	return g_strdup_printf ("%.*s...", (int)(p - text), text);
}

/* where a help line's text column starts: after its first gap of two spaces */
static glong
hanging_indent (const gchar *line, glong width)
{
	const gchar *p = line + strspn (line, " ");
	const gchar *gap = strstr (p, "  ");
	glong indent;

	if (gap == NULL)
		return p - line;
	gap += strspn (gap, " ");
	indent = g_utf8_strlen (line, gap - line);
	return indent < width / 2 ? indent : (glong)(p - line);
}

/* the byte after the last place in @line's first @columns characters it may break */
static const gchar *
break_at (const gchar *line, glong columns)
{
	const gchar *limit = g_utf8_offset_to_pointer (line, columns);
	const gchar *best = NULL;

	for (const gchar *p = line; p <= limit && *p != '\0'; p = g_utf8_next_char (p)) {
		if (*p == ' ' && p > line)
			best = p;
		else if ((*p == '|' || *p == ',') && p < limit)
			best = p + 1;
	}
	return best;
}

/**
 * qmpsh_format_wrap:
 * @text: lines of text
 * @width: the terminal's width; 0 for no wrapping
 *
 * Lines longer than @width break at a space (or after a '|' or ','), never
 * inside a word; what follows is indented under the line's text column
 * (`  name   text`) or its own indent. A word longer than the line stays whole.
 *
 * Returns: (transfer full): the text, wrapped
 */
gchar *
qmpsh_format_wrap (const gchar *text, glong width)
{
	g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
	GString *out = g_string_new (NULL);

	for (guint i = 0; lines[i] != NULL; i++) {
		const gchar *rest = lines[i];
		glong indent = width > 0 ? hanging_indent (rest, width) : 0;
		gboolean first = TRUE;

		if (i > 0)
			g_string_append_c (out, '\n');
		while (width > 0 && g_utf8_strlen (rest, -1) + (first ? 0 : indent) > width) {
			glong room = width - (first ? 0 : indent);
			const gchar *cut = room > 0 ? break_at (rest, room) : NULL;
			if (cut == NULL)
				break;
			if (!first)
				g_string_append_printf (out, "%*s", (int)indent, "");
			g_string_append_len (out, rest, cut - rest);
			g_string_append_c (out, '\n');
			rest = cut + strspn (cut, " ");
			first = FALSE;
		}
		if (!first)
			g_string_append_printf (out, "%*s", (int)indent, "");
		g_string_append (out, rest);
	}
	return g_string_free (out, FALSE);
}
