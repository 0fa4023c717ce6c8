/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * What a word means as a value of a type: the booleans people write, the
 * integers and sizes QEMU's own parsers take, the JSON number grammar.
 */

#include "qmpsh-value.h"

#include <string.h>

/**
 * qmpsh_value_is_json_number:
 * @text: a word
 * @len: its length
 *
 * Returns: whether it is a JSON number:
 *   -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
 */
gboolean
qmpsh_value_is_json_number (const gchar *text, gsize len)
{
	const gchar *p = text;
	const gchar *end = text + len;

	if (p < end && *p == '-')
		p++;
	if (p >= end || !g_ascii_isdigit (*p))
		return FALSE;
	if (*p == '0')
		p++;
	else
		while (p < end && g_ascii_isdigit (*p))
			p++;
	if (p < end && *p == '.') {
		if (++p >= end || !g_ascii_isdigit (*p))
			return FALSE;
		while (p < end && g_ascii_isdigit (*p))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || !g_ascii_isdigit (*p))
			return FALSE;
		while (p < end && g_ascii_isdigit (*p))
			p++;
	}
	return p == end;
}

/**
 * qmpsh_value_parse_bool:
 * @text: a word
 * @value: (out): what it says
 *
 * Returns: whether it is true, false, on, off, yes or no, in any case
 */
gboolean
qmpsh_value_parse_bool (const gchar *text, gboolean *value)
{
	static const gchar *const yes[] = { "true", "on", "yes" };
	static const gchar *const no[] = { "false", "off", "no" };

	for (guint i = 0; i < G_N_ELEMENTS (yes); i++) {
		if (g_ascii_strcasecmp (text, yes[i]) == 0) {
			*value = TRUE;
			return TRUE;
		}
		if (g_ascii_strcasecmp (text, no[i]) == 0) {
			*value = FALSE;
			return TRUE;
		}
	}
	return FALSE;
}

/* the power of 1024 a size suffix stands for, as QEMU's qemu_strtosz() reads it */
static gint
suffix_power (gchar c)
{
	static const gchar suffixes[] = "bkmgtpe";
	const gchar *at = strchr (suffixes, g_ascii_tolower (c));
	return c != '\0' && at != NULL ? (gint)(at - suffixes) : -1;
}

/* digits of @base into @out, FALSE on overflow or no digit */
static gboolean
parse_digits (const gchar **p, guint base, guint64 *out)
{
	guint64 value = 0;
	const gchar *start = *p;

	for (; g_ascii_isxdigit (**p); (*p)++) {
		guint digit = g_ascii_xdigit_value (**p);
		if (digit >= base)
			break;
		if (value > (G_MAXUINT64 - digit) / base)
			return FALSE;
		value = value * base + digit;
	}
	*out = value;
	return *p > start;
}

/*
 * A size: digits, perhaps a fraction, then a suffix (a fraction needs one
 * that is not B). As qemu_strtosz() does, the fraction's bytes are
 * truncated: 1.5K is 1536, 0.1K is 102.
 */
static gboolean
parse_size (const gchar *p, guint64 *out, gboolean *overflow)
{
	guint64 whole = 0;
	gdouble fraction = 0;
	gdouble place = 0.1;
	guint64 unit;
	gint power;
	gboolean has_fraction = FALSE;

	*overflow = FALSE;
	if (!parse_digits (&p, 10, &whole)) {
		*overflow = g_ascii_isdigit (*p);
		return FALSE;
	}
	if (*p == '.') {
		for (p++; g_ascii_isdigit (*p); p++, place /= 10) {
			fraction += (*p - '0') * place;
			has_fraction = TRUE;
		}
		if (!has_fraction)
			return FALSE;
	}
	power = suffix_power (*p);
	if (power < 0 || p[1] != '\0' || (power == 0 && has_fraction))
		return FALSE;
	unit = (guint64)1 << (10 * power);
	if (whole > G_MAXUINT64 / unit || fraction * unit > (gdouble)(G_MAXUINT64 - whole * unit)) {
		*overflow = TRUE;
		return FALSE;
	}
	*out = whole * unit + (guint64)(fraction * unit);
	return TRUE;
}

/**
 * qmpsh_value_parse_int:
 * @text: a word
 * @how: whether a size suffix may follow
 * @min: the least value the type takes
 * @max: the greatest
 * @why: (out) (optional): what is wrong, when it is not an integer in range
 *
 * Returns: (transfer full) (nullable): the integer in JSON (decimal), or
 *   %NULL when @text is none, or out of range
 */
gchar *
qmpsh_value_parse_int (const gchar *text, QmpshValueInt how, gint64 min, guint64 max, gchar **why)
{
	const gchar *p = text;
	gboolean negative = *p == '-';
	gboolean overflow = FALSE;
	guint64 magnitude = 0;
	gboolean ok;

	if (negative || *p == '+')
		p++;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		ok = parse_digits (&p, 16, &magnitude) && *p == '\0';
		overflow = !ok && g_ascii_isxdigit (*p);
	} else {
		const gchar *digits = p;
		ok = parse_digits (&p, 10, &magnitude) && *p == '\0';
		overflow = !ok && g_ascii_isdigit (*p);
		if (!ok && !overflow && how == QMPSH_VALUE_INT_SIZE && !negative)
			ok = parse_size (digits, &magnitude, &overflow);
	}
	if (!ok) {
		if (why != NULL)
			*why = overflow ? g_strdup ("too large")
					: g_strdup (how == QMPSH_VALUE_INT_SIZE
							    ? "expected an integer or a size (1G, "
							      "512k)"
							    : "expected an integer");
		return NULL;
	}
	if (negative ? magnitude > (guint64)G_MAXINT64 + 1 || -(gint64)(magnitude - 1) - 1 < min
		     : magnitude > max) {
		if (why != NULL)
			*why = g_strdup_printf (
				"out of range %" G_GINT64_FORMAT "..%" G_GUINT64_FORMAT, min, max);
		return NULL;
	}
	if (negative && magnitude != 0)
		return g_strdup_printf ("-%" G_GUINT64_FORMAT, magnitude);
	return g_strdup_printf ("%" G_GUINT64_FORMAT, magnitude);
}

/**
 * qmpsh_value_int_range:
 * @type: a QOM property type: int8 ... uint64, int, uint, size
 * @min: (out): the least value it takes
 * @max: (out): the greatest
 *
 * Returns: whether @type is an integer type
 */
gboolean
qmpsh_value_int_range (const gchar *type, gint64 *min, guint64 *max)
{
	static const struct {
		const gchar *name;
		gint64 min;
		guint64 max;
	} ranges[] = {
		{ "int8", G_MININT8, G_MAXINT8 },
		{ "int16", G_MININT16, G_MAXINT16 },
		{ "int32", G_MININT32, G_MAXINT32 },
		{ "int64", G_MININT64, G_MAXINT64 },
		{ "int", G_MININT64, G_MAXINT64 },
		{ "uint8", 0, G_MAXUINT8 },
		{ "uint16", 0, G_MAXUINT16 },
		{ "uint32", 0, G_MAXUINT32 },
		{ "uint64", 0, G_MAXUINT64 },
		{ "uint", 0, G_MAXUINT64 },
		{ "size", 0, G_MAXUINT64 },
		/* QOM spells some as C does */
		{ "int8_t", G_MININT8, G_MAXINT8 },
		{ "int16_t", G_MININT16, G_MAXINT16 },
		{ "int32_t", G_MININT32, G_MAXINT32 },
		{ "int64_t", G_MININT64, G_MAXINT64 },
		{ "uint8_t", 0, G_MAXUINT8 },
		{ "uint16_t", 0, G_MAXUINT16 },
		{ "uint32_t", 0, G_MAXUINT32 },
		{ "uint64_t", 0, G_MAXUINT64 },
	};

	for (guint i = 0; i < G_N_ELEMENTS (ranges); i++) {
		if (g_strcmp0 (type, ranges[i].name) == 0) {
			*min = ranges[i].min;
			*max = ranges[i].max;
			return TRUE;
		}
	}
	return FALSE;
}
