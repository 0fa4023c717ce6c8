/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "fuzz-common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
fuzz_fail (const gchar *file, gint line, const gchar *cond, const gchar *format, ...)
{
	va_list args;

	fprintf (stderr, "\n%s:%d: property violated: %s\n  ", file, line, cond);
	va_start (args, format);
	vfprintf (stderr, format, args);
	va_end (args);
	fputc ('\n', stderr);
	abort ();
}

static const gchar *
log_domain (const GLogField *fields, gsize n_fields)
{
	for (gsize i = 0; i < n_fields; i++) {
		if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
			return fields[i].value;
	}
	return NULL;
}

static const gchar *
log_message (const GLogField *fields, gsize n_fields)
{
	for (gsize i = 0; i < n_fields; i++) {
		if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
			return fields[i].value;
	}
	return "";
}

/*
 * A critical, or a warning from GLib or json-glib, means that the code under
 * test handed a library something it must not (a NULL, a node of the wrong
 * type): a bug even when nothing crashes, so it is fatal here as under
 * G_DEBUG=fatal-criticals in the test suite. qmpsh's own warnings report a
 * condition it handles; each is shown once. Debug and info are dropped:
 * fuzzing runs millions of inputs.
 */

static GLogWriterOutput
fuzz_log_writer_cb (GLogLevelFlags level, const GLogField *fields, gsize n_fields,
		    gpointer user_data)
{
	static GHashTable *shown = NULL;
	const gchar *domain = log_domain (fields, n_fields);

	if ((level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) == 0)
		return G_LOG_WRITER_HANDLED;
	if ((level & G_LOG_LEVEL_WARNING) && (domain == NULL || g_strcmp0 (domain, "qmp") == 0)) {
		if (shown == NULL)
			shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
		if (g_hash_table_add (shown, g_strdup (log_message (fields, n_fields))))
			g_log_writer_standard_streams (level, fields, n_fields, user_data);
		return G_LOG_WRITER_HANDLED;
	}
	g_log_writer_standard_streams (level, fields, n_fields, user_data);
	abort ();
}

void
fuzz_init (void)
{
	g_log_set_writer_func (fuzz_log_writer_cb, NULL, NULL);
	/* the writer above decides what is fatal */
	g_log_set_always_fatal (G_LOG_FATAL_MASK);
}

/* @data as a C string literal's contents, for messages */
gchar *
fuzz_escape (const gchar *data, gsize len)
{
	GString *out = g_string_sized_new (len + 16);

	for (gsize i = 0; i < len; i++) {
		guchar c = data[i];
		if (c == '"' || c == '\\')
			g_string_append_printf (out, "\\%c", c);
		else if (c == '\n')
			g_string_append (out, "\\n");
		else if (c >= 0x20 && c < 0x7f)
			g_string_append_c (out, c);
		else
			g_string_append_printf (out, "\\x%02x\"\"", c);
	}
	return g_string_free (out, FALSE);
}

gboolean
fuzz_is_json_ws (gchar c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

gboolean
fuzz_equal (const gchar *a, gsize a_len, const gchar *b, gsize b_len)
{
	return a_len == b_len && memcmp (a, b, a_len) == 0;
}

gboolean
fuzz_collect_member (const QmpJsonMember *m, gpointer array)
{
	g_array_append_val ((GArray *)array, *m);
	return TRUE;
}
