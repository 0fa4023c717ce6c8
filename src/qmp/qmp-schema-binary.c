/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmp-schema-private.h"
#include "qmp-error.h"

#include <string.h>

/*
 * The index of a schema, written out and read back: what a cache keeps
 * between runs. Reading QEMU's reply (JSON, then every entry checked) takes
 * milliseconds; this takes a fraction of one. The layout, in host byte
 * order, every number a guint32:
 *
 *   "QMPSCHM1", the number of entries, the length of the strings
 *   the strings, each ended by NUL
 *   each entry: name meta features json-type element-type tag arg-type
 *     ret-type allow-oob, then n-values (value features)*, n-members
 *     (name type optional features)*, n-variants (value type)*
 *
 * A string is its offset in the strings plus one; 0 is none. Bytes from a
 * file may be anything: every offset and count is checked, and what does
 * not fit is %QMP_ERROR_PROTOCOL, never a read past the end.
 */

#define MAGIC	    "QMPSCHM1"
#define MAGIC_LEN   8
#define ENTRY_WORDS 9

typedef struct {
	GByteArray *out;
	GString *strings;
	GHashTable *offsets; /* string -> its offset + 1 */
} Writer;

static void
put (Writer *w, guint32 value)
{
	g_byte_array_append (w->out, (const guint8 *)&value, sizeof (value));
}

static void
put_string (Writer *w, const gchar *s)
{
	gpointer found;

	if (s == NULL) {
		put (w, 0);
		return;
	}
	if (!g_hash_table_lookup_extended (w->offsets, s, NULL, &found)) {
		found = GUINT_TO_POINTER (w->strings->len + 1);
		g_string_append_len (w->strings, s, strlen (s) + 1);
		g_hash_table_insert (w->offsets, (gpointer)s, found);
	}
	put (w, GPOINTER_TO_UINT (found));
}

static void
put_entry (Writer *w, const QmpSchemaEntry *e)
{
	put_string (w, e->name);
	put (w, e->meta);
	put (w, e->features);
	put_string (w, e->json_type);
	put_string (w, e->element_type);
	put_string (w, e->tag);
	put_string (w, e->arg_type);
	put_string (w, e->ret_type);
	put (w, e->allow_oob);
	put (w, e->n_values);
	for (guint i = 0; i < e->n_values; i++) {
		put_string (w, e->values[i]);
		put (w, e->value_features[i]);
	}
	put (w, e->n_members);
	for (guint i = 0; i < e->n_members; i++) {
		put_string (w, e->members[i].name);
		put_string (w, e->members[i].type);
		put (w, e->members[i].optional);
		put (w, e->members[i].features);
	}
	put (w, e->n_variants);
	for (guint i = 0; i < e->n_variants; i++) {
		put_string (w, e->variants[i].value);
		put_string (w, e->variants[i].type);
	}
}

/**
 * qmp_schema_to_bytes:
 * @self: a schema
 *
 * Returns: (transfer full): its index, for qmp_schema_new_from_bytes(); two
 *   schemas that say the same give the same bytes
 */
GBytes *
qmp_schema_to_bytes (QmpSchema *self)
{
	g_autoptr (GByteArray) entries = g_byte_array_new ();
	g_autoptr (GString) strings = g_string_new (NULL);
	g_autoptr (GHashTable) offsets = g_hash_table_new (g_str_hash, g_str_equal);
	Writer w = { entries, strings, offsets };
	GByteArray *out = g_byte_array_new ();
	guint32 n = self->n_entries;
	guint32 len;

	for (guint i = 0; i < self->n_entries; i++)
		put_entry (&w, &self->entries[i]);
	len = strings->len;
	g_byte_array_append (out, (const guint8 *)MAGIC, MAGIC_LEN);
	g_byte_array_append (out, (const guint8 *)&n, sizeof (n));
	g_byte_array_append (out, (const guint8 *)&len, sizeof (len));
	g_byte_array_append (out, (const guint8 *)strings->str, strings->len);
	g_byte_array_append (out, entries->data, entries->len);
	return g_byte_array_free_to_bytes (out);
}

typedef struct {
	const guint32 *words;
	gsize n_words;
	gsize at;
	const gchar *strings; /* the schema's own copy */
	gsize strings_len;
	gboolean bad;
} Reader;

static guint32
get (Reader *r)
{
	if (r->at >= r->n_words) {
		r->bad = TRUE;
		return 0;
	}
	return r->words[r->at++];
}

static const gchar *
get_string (Reader *r)
{
	guint32 ref = get (r);

	if (ref == 0)
		return NULL;
	if (ref > r->strings_len) {
		r->bad = TRUE;
		return NULL;
	}
	return r->strings + ref - 1;
}

/* a count of items of @words words each, no more than what is left */
static guint
get_count (Reader *r, gsize words)
{
	guint32 n = get (r);

	if (n > (r->n_words - MIN (r->at, r->n_words)) / words) {
		r->bad = TRUE;
		return 0;
	}
	return n;
}

static void
get_entry (Reader *r, QmpSchemaEntry *e)
{
	e->name = get_string (r);
	e->meta = get (r);
	e->features = get (r);
	e->json_type = get_string (r);
	e->element_type = get_string (r);
	e->tag = get_string (r);
	e->arg_type = get_string (r);
	e->ret_type = get_string (r);
	e->allow_oob = get (r) != 0;
	e->n_values = get_count (r, 2);
	e->values = g_new0 (const gchar *, e->n_values + 1);
	e->value_features = g_new0 (QmpSchemaFeatures, e->n_values + 1);
	for (guint i = 0; i < e->n_values; i++) {
		e->values[i] = get_string (r);
		e->value_features[i] = get (r);
	}
	e->n_members = get_count (r, 4);
	e->members = g_new0 (QmpSchemaField, e->n_members + 1);
	for (guint i = 0; i < e->n_members; i++) {
		e->members[i].name = get_string (r);
		e->members[i].type = get_string (r);
		e->members[i].optional = get (r) != 0;
		e->members[i].features = get (r);
	}
	e->n_variants = get_count (r, 2);
	e->variants = g_new0 (QmpSchemaVariant, e->n_variants + 1);
	for (guint i = 0; i < e->n_variants; i++) {
		e->variants[i].value = get_string (r);
		e->variants[i].type = get_string (r);
	}
	/* what qmp_schema_new() would never have kept: the rest trusts none of it */
	if (e->name == NULL || e->meta > QMP_SCHEMA_META_EVENT ||
	    (e->n_values > 0 && e->meta != QMP_SCHEMA_META_ENUM) ||
	    (e->n_members > 0 && e->meta != QMP_SCHEMA_META_OBJECT &&
	     e->meta != QMP_SCHEMA_META_ALTERNATE) ||
	    (e->n_variants > 0 && (e->tag == NULL || e->meta != QMP_SCHEMA_META_OBJECT)))
		r->bad = TRUE;
	for (guint i = 0; i < e->n_values; i++)
		r->bad |= e->values[i] == NULL;
	/* an object's members have names, an alternate's none */
	for (guint i = 0; i < e->n_members; i++)
		r->bad |= e->members[i].type == NULL ||
			  (e->members[i].name == NULL) != (e->meta == QMP_SCHEMA_META_ALTERNATE);
	for (guint i = 0; i < e->n_variants; i++)
		r->bad |= e->variants[i].value == NULL || e->variants[i].type == NULL;
}

static QmpSchema *
bad_bytes (GError **error)
{
	g_set_error_literal (error, QMP_ERROR, QMP_ERROR_PROTOCOL, "not a schema index");
	return NULL;
}

/**
 * qmp_schema_new_from_bytes:
 * @bytes: what qmp_schema_to_bytes() gave, perhaps by way of a file
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full): the schema, or %NULL with %QMP_ERROR_PROTOCOL
 *   when @bytes are no index of one
 */
QmpSchema *
qmp_schema_new_from_bytes (GBytes *bytes, GError **error)
{
	gsize size = 0;
	const guint8 *data = g_bytes_get_data (bytes, &size);
	g_autoptr (QmpSchema) self = NULL;
	g_autofree guint32 *words = NULL;
	guint32 head[2];
	Reader r = { 0 };

	if (size < MAGIC_LEN + sizeof (head) || memcmp (data, MAGIC, MAGIC_LEN) != 0)
		return bad_bytes (error);
	memcpy (head, data + MAGIC_LEN, sizeof (head));
	data += MAGIC_LEN + sizeof (head);
	size -= MAGIC_LEN + sizeof (head);
	/* the strings end with a NUL, so every offset into them is a whole string */
	if (head[1] > size || (head[1] > 0 && data[head[1] - 1] != '\0') ||
	    (size - head[1]) % sizeof (guint32) != 0 ||
	    head[0] > (size - head[1]) / (ENTRY_WORDS * sizeof (guint32)))
		return bad_bytes (error);
	self = g_object_new (QMP_TYPE_SCHEMA, NULL);
	r.strings = g_string_chunk_insert_len (self->strings, (const gchar *)data, head[1]);
	r.strings_len = head[1];
	r.n_words = (size - head[1]) / sizeof (guint32);
	/* copied, as the words after the strings need not be aligned */
	words = g_memdup2 (data + head[1], r.n_words * sizeof (guint32));
	r.words = words;
	self->entries = g_new0 (QmpSchemaEntry, head[0] + 1);
	for (guint i = 0; i < head[0] && !r.bad; i++) {
		QmpSchemaEntry *e = &self->entries[i];

		get_entry (&r, e);
		/* counted even if bad, so that finalize frees its arrays */
		self->n_entries++;
		if (!r.bad && g_hash_table_contains (self->by_name, e->name))
			r.bad = TRUE;
		if (!r.bad)
			qmp_schema_index_entry (self, e);
	}
	if (r.bad || r.at != r.n_words)
		return bad_bytes (error);
	qmp_schema_index_done (self);
	return g_steal_pointer (&self);
}
