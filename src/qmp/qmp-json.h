/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * QmpJsonMember:
 * @key: the key's text, quotes included, as written
 * @key_len: its length
 * @value: the value's text, as written
 * @value_len: its length
 *
 * One member of a JSON object, as spans of the text it was read from.
 */
typedef struct {
	const gchar *key;
	gsize key_len;
	const gchar *value;
	gsize value_len;
} QmpJsonMember;

typedef gboolean (*QmpJsonMemberFunc) (const QmpJsonMember *member, gpointer user_data);
typedef gboolean (*QmpJsonElementFunc) (const gchar *value, gsize len, gpointer user_data);

gboolean qmp_json_check (const gchar *text, gsize len, gboolean *bad_unicode, GError **error);

/**
 * QmpJsonFacts:
 * @bad_unicode: a string holds invalid UTF-8 or an unpaired surrogate escape
 * @compact: no blank stands between the value's tokens
 *
 * What qmp_json_check_facts() saw of a valid value.
 */
typedef struct {
	gboolean bad_unicode;
	gboolean compact;
} QmpJsonFacts;
gboolean qmp_json_check_facts (const gchar *text, gsize len, QmpJsonMemberFunc member_func,
			       gpointer user_data, QmpJsonFacts *facts, GError **error);
gchar *qmp_json_repair_unicode (const gchar *text, gsize len, gsize *out_len);
gboolean qmp_json_validate (const gchar *text, gsize len, const gchar **what, gsize *offset);
void qmp_json_foreach_member (const gchar *text, gsize len, QmpJsonMemberFunc func,
			      gpointer user_data);
void qmp_json_foreach_element (const gchar *text, gsize len, QmpJsonElementFunc func,
			       gpointer user_data);

typedef struct _QmpJsonSpans QmpJsonSpans;
QmpJsonSpans *qmp_json_spans_new (const gchar *text, gsize len);
void qmp_json_spans_free (QmpJsonSpans *spans);
void qmp_json_spans_foreach_member (const QmpJsonSpans *spans, const gchar *text, gsize len,
				    QmpJsonMemberFunc func, gpointer user_data);
void qmp_json_spans_foreach_element (const QmpJsonSpans *spans, const gchar *text, gsize len,
				     QmpJsonElementFunc func, gpointer user_data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmpJsonSpans, qmp_json_spans_free)

gchar *qmp_json_compact (const gchar *text, gsize len);
gboolean qmp_json_key_is (const QmpJsonMember *member, const gchar *key);
guint qmp_json_measure (const gchar *text, gsize len, gsize *tokens);

G_END_DECLS
