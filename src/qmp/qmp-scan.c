/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmp-scan.h"

#include <string.h>

/*
 * The hot path of reading: a message such as QEMU sends, read once. One
 * loop, without recursion or calls per byte, finds where the object ends,
 * checks it strictly (RFC 8259, strings valid Unicode), copies it compact
 * and notes its top-level members. Anything it does not take (a message cut
 * by the end of a read, a syntax error, invalid Unicode, deep nesting, many
 * members) it leaves to the framer and qmp_json_check_facts(), which say
 * exactly what is wrong: it only has to be right when it says yes.
 */

/* QEMU's own parser refuses deeper nesting, and so does qmp_json_check() */
#define QMP_SCAN_MAX_DEPTH 1024

/* bytes that stand for themselves inside a string */
static const guint8 string_plain[256] = {
	[0x20 ... 0x21] = 1,
	[0x23 ... 0x5b] = 1,
	[0x5d ... 0x7f] = 1,
};

static const guint8 blank[256] = {
	[' '] = 1,
	['\t'] = 1,
	['\n'] = 1,
	['\r'] = 1,
};

/**
 * qmp_scan_utf8_sequence:
 * @p: the first byte of a sequence
 * @end: the end of the text
 *
 * Returns: the length of the valid UTF-8 sequence at @p (not overlong, not a
 *   surrogate, at most U+10FFFF), or 0
 */
gsize
qmp_scan_utf8_sequence (const gchar *p, const gchar *end)
{
	guchar c = p[0];
	gsize n;
	gunichar min, u;

	if (c < 0xc2 || c > 0xf4)
		return 0;
	n = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	if ((gsize)(end - p) < n)
		return 0;
	min = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
	u = c & (0x7f >> n);
	for (gsize i = 1; i < n; i++) {
		if (((guchar)p[i] & 0xc0) != 0x80)
			return 0;
		u = (u << 6) | ((guchar)p[i] & 0x3f);
	}
	if (u < min || u > 0x10ffff || (u >= 0xd800 && u <= 0xdfff))
		return 0;
	return n;
}

/* the \uXXXX at @p (its backslash), or G_MAXUINT32 if it is not one */
static gunichar
escape_u (const guchar *p, const guchar *end)
{
	gunichar u = 0;

	if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
		return G_MAXUINT32;
	for (guint i = 2; i < 6; i++) {
		gint v = g_ascii_xdigit_value (p[i]);
		if (v < 0)
			return G_MAXUINT32;
		u = (u << 4) | (gunichar)v;
	}
	return u;
}

/*
 * The bytes of @x that end a plain run in a string: below 0x20, '"', '\\',
 * from 0x80 up; each flagged in its high bit. (v - 1) & ~v flags a zero
 * byte, (v - n) & ~v one below n; a borrow can flag a byte falsely only
 * above one flagged rightly, so the first flag is always right.
 */
static inline guint64
special_bytes (guint64 x)
{
	const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
	guint64 quote = x ^ (ones * '"');
	guint64 backslash = x ^ (ones * '\\');

	return (((x - ones * 0x20) & ~x) | ((quote - ones) & ~quote) |
		((backslash - ones) & ~backslash) | x) &
	       (ones * 0x80);
}

/*
 * Copies the plain bytes of a string at @p, eight at a time where eight are
 * there: the bytes past the first special one are written but not counted,
 * and *@o has room, as it never runs ahead of @p.
 */
static inline const guchar *
copy_plain (const guchar *p, const guchar *end, gchar **o)
{
	gchar *out = *o;

	while (end - p >= 8) {
		guint64 x, special;

		memcpy (&x, p, 8);
		memcpy (out, &x, 8);
		special = special_bytes (x);
		if (special != 0) {
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
			guint n = (guint)__builtin_ctzll (special) / 8;
#else
			guint n = (guint)__builtin_clzll (special) / 8;
#endif
			p += n;
			out += n;
			*o = out;
			return p;
		}
		p += 8;
		out += 8;
	}
	while (p < end && string_plain[*p])
		*out++ = (gchar)*p++;
	*o = out;
	return p;
}

/* how long the escape or UTF-8 sequence at @p in a string is; 0 unless it is valid */
static gsize
string_special (const guchar *p, const guchar *end)
{
	gunichar u;

	if (*p < 0x20)
		return 0;
	if (*p != '\\')
		return qmp_scan_utf8_sequence ((const gchar *)p, (const gchar *)end);
	if (end - p < 2)
		return 0;
	if (strchr ("\"\\/bfnrt", p[1]) != NULL && p[1] != '\0')
		return 2;
	u = escape_u (p, end);
	if (u == G_MAXUINT32 || (u >= 0xdc00 && u <= 0xdfff))
		return 0;
	if (u >= 0xd800 && u <= 0xdbff) {
		/* a high surrogate is whole only with a low one after it */
		gunichar low = escape_u (p + 6, end);
		return low >= 0xdc00 && low <= 0xdfff ? 12 : 0;
	}
	return 6;
}

/* copies the string at @p, its quotes included; NULL unless it is whole and valid Unicode */
static inline const guchar *
copy_string (const guchar *p, const guchar *end, gchar **o)
{
	*(*o)++ = (gchar)*p++;
	for (;;) {
		gsize n;

		p = copy_plain (p, end, o);
		if (p == end)
			return NULL;
		if (*p == '"')
			break;
		if ((n = string_special (p, end)) == 0)
			return NULL;
		memcpy (*o, p, n);
		*o += n;
		p += n;
	}
	*(*o)++ = (gchar)*p++;
	return p;
}

/* a digit, without the table lookup of g_ascii_isdigit() */
#define IS_DIGIT(c) ((guchar)((c) - '0') <= 9)

static const guchar *
scan_digits (const guchar *p, const guchar *end)
{
	if (p == end || !IS_DIGIT (*p))
		return NULL;
	while (p < end && IS_DIGIT (*p))
		p++;
	return p;
}

/* how long the number at @p is; 0 unless it is valid and something follows it */
static gsize
number_length (const guchar *from, const guchar *end)
{
	const guchar *p = from;

	if (*p == '-')
		p++;
	if (p < end && *p == '0')
		p++;
	else if ((p = scan_digits (p, end)) == NULL)
		return 0;
	if (p < end && *p == '.' && (p = scan_digits (p + 1, end)) == NULL)
		return 0;
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if ((p = scan_digits (p, end)) == NULL)
			return 0;
	}
	/* at the end of what was read, the number may go on in the next read */
	return p < end ? (gsize)(p - from) : 0;
}

/* how long the literal at @p is; 0 unless it is true, false or null */
static gsize
word_length (const guchar *p, const guchar *end)
{
	const gchar *word = *p == 't' ? "true" : *p == 'f' ? "false" : "null";
	gsize n = strlen (word);

	return (gsize)(end - p) >= n && memcmp (p, word, n) == 0 ? n : 0;
}

typedef enum {
	AT_VALUE,
	AT_KEY,
	AFTER_VALUE,
} State;

/**
 * qmp_scan_object:
 * @text: bytes read, beginning with `{`
 * @len: how many
 * @out: where the compact form goes: room for @len bytes
 * @scan: (out): what the pass learnt, when it returns %TRUE
 *
 * Returns: %TRUE if @text begins with one whole, valid JSON object whose
 *   strings are valid Unicode, nesting at most 1024 deep, with at most
 *   %QMP_SCAN_MAX_MEMBERS members; %FALSE otherwise, meaning only that the
 *   general path must look at it
 */
gboolean
qmp_scan_object (const gchar *text, gsize len, gchar *out, QmpScan *scan)
{
	const guchar *p = (const guchar *)text;
	const guchar *end = p + len;
	gchar *o = out;
	guint8 closing[QMP_SCAN_MAX_DEPTH]; /* what closes each open container */
	guint depth = 0;
	QmpScanMember *member = NULL; /* the top-level member whose value is being read */
	State state = AT_VALUE;

	scan->n_members = 0;
	if (len == 0 || *p != '{')
		return FALSE;
	for (;;) {
		gsize n;

		while (p < end && blank[*p])
			p++;
		if (p == end)
			return FALSE;
		if (state == AFTER_VALUE) {
			if (*p == ',') {
				*o++ = *p++;
				state = closing[depth - 1] == '}' ? AT_KEY : AT_VALUE;
				continue;
			}
			if (*p != closing[depth - 1])
				return FALSE;
			*o++ = *p++;
			if (--depth == 0) {
				scan->text = out;
				scan->consumed = p - (const guchar *)text;
				scan->len = o - out;
				return TRUE;
			}
		} else if (*p == '"') {
			/* a string, key or value, copied as it is checked: most bytes are here */
			if (state == AT_KEY && depth == 1) {
				if (scan->n_members == QMP_SCAN_MAX_MEMBERS)
					return FALSE;
				member = &scan->members[scan->n_members++];
				member->key = o - out;
			}
			if ((p = copy_string (p, end, &o)) == NULL)
				return FALSE;
			if (state == AT_KEY) {
				while (p < end && blank[*p])
					p++;
				if (p == end || *p != ':')
					return FALSE;
				if (depth == 1) {
					member->key_len = o - out - member->key;
					member->value = o - out + 1;
				}
				*o++ = *p++;
				state = AT_VALUE;
				continue;
			}
			state = AFTER_VALUE;
		} else if (state == AT_KEY) {
			return FALSE;
		} else if (*p == '{' || *p == '[') {
			if (depth == QMP_SCAN_MAX_DEPTH)
				return FALSE;
			closing[depth++] = *p == '{' ? '}' : ']';
			state = *p == '{' ? AT_KEY : AT_VALUE;
			*o++ = *p++;
			while (p < end && blank[*p])
				p++;
			/* empty: closed at once, as after a value */
			if (p < end && *p == closing[depth - 1])
				state = AFTER_VALUE;
			continue;
		} else {
			if (*p == '-' || IS_DIGIT (*p))
				n = number_length (p, end);
			else if (*p == 't' || *p == 'f' || *p == 'n')
				n = word_length (p, end);
			else
				return FALSE;
			if (n == 0)
				return FALSE;
			for (gsize i = 0; i < n; i++)
				*o++ = (gchar)*p++;
			state = AFTER_VALUE;
		}
		/* a value just ended: at the top level, a member's value */
		if (depth == 1 && member != NULL) {
			member->value_len = o - out - member->value;
			member = NULL;
		}
	}
}
