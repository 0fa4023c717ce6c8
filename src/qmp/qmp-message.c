/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmp-message.h"
#include "qmp-error.h"
#include "qmp-json.h"

#include <string.h>

/*
 * A message is its text. What routing needs (the kind, the id, the name) is
 * read off the top-level members when the message is made; the JSON tree is
 * built by json-glib only when someone asks for it.
 */
struct _QmpMessage {
	gint refcount;
	gchar *text;
	gsize len;
	JsonNode *root;	    /* NULL until qmp_message_get_object() */
	JsonObject *object; /* owned by root */
	QmpMessageKind kind;
	gchar *id_key;	    /* NULL: no id; id_small, or its own allocation */
	gchar id_small[24]; /* an id up to 23 bytes, as the queue's numbers are */
	gchar *name;	    /* the event's or command's name, if plain */
	gboolean oob;
	gboolean compact;	/* no blank between its tokens: printed compact as it came */
	gboolean one_block;	/* text and name live in the message's own allocation */
	gboolean name_in_block; /* the name does, the text is its own */
	gsize id_cut[2];	/* where the id member lies in the compact text, a comma included */
	gboolean has_id_cut;
};

G_DEFINE_BOXED_TYPE (QmpMessage, qmp_message, qmp_message_ref, qmp_message_unref)

static QmpMessage *
qmp_message_alloc (gchar *text, gsize len)
{
	/* g_new0 () is calloc (), which glibc serves from no per-thread cache */
	QmpMessage *self = g_new (QmpMessage, 1);
	*self = (QmpMessage){ .refcount = 1, .text = text, .len = len };
	return self;
}

/* whether a member's value is a string without escapes: a name */
static gboolean
is_plain_string (const QmpJsonMember *m)
{
	return m->value_len >= 2 && m->value[0] == '"' &&
	       memchr (m->value, '\\', m->value_len) == NULL;
}

static gchar *
plain_string (const QmpJsonMember *m)
{
	return is_plain_string (m) ? g_strndup (m->value + 1, m->value_len - 2) : NULL;
}

typedef struct {
	gboolean event, ret, error, greeting, execute, oob;
	const QmpJsonMember *id;
	QmpJsonMember id_copy;
	const QmpJsonMember *name; /* `event`, `execute` or `exec-oob`: the last one */
	QmpJsonMember name_copy;
} Scan;

/* @key, with its quotes, is "@name" */
static inline gboolean
key_is (const QmpJsonMember *m, const gchar *name, gsize len)
{
	return m->key_len == len + 2 && memcmp (m->key + 1, name, len) == 0;
}

static gboolean
scan_member_cb (const QmpJsonMember *m, gpointer user_data)
{
	Scan *scan = user_data;

	/* by the key's length first: this runs for every member of every message */
	switch (m->key_len) {
	case 4: /* "id" */
		if (key_is (m, "id", 2)) {
			scan->id_copy = *m;
			scan->id = &scan->id_copy;
		}
		break;
	case 5: /* "QMP" */
		scan->greeting |= key_is (m, "QMP", 3);
		break;
	case 7: /* "event", "error" */
		if (key_is (m, "event", 5)) {
			scan->event = TRUE;
			scan->name_copy = *m;
			scan->name = &scan->name_copy;
		} else {
			scan->error |= key_is (m, "error", 5);
		}
		break;
	case 8: /* "return" */
		scan->ret |= key_is (m, "return", 6);
		break;
	case 9:	 /* "execute" */
	case 10: /* "exec-oob" */
		if (key_is (m, "execute", 7) || key_is (m, "exec-oob", 8)) {
			scan->execute = TRUE;
			scan->oob = m->key_len == 10;
			scan->name_copy = *m;
			scan->name = &scan->name_copy;
		}
		break;
	default:
		break;
	}
	return TRUE;
}

/* whether @text is a JSON integer as the queue writes them: its own canonical form */
static gboolean
is_plain_number (const gchar *text, gsize len)
{
	if (len == 0 || len >= G_SIZEOF_MEMBER (QmpMessage, id_small) ||
	    (text[0] == '0' && len > 1))
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isdigit (text[i]))
			return FALSE;
	}
	return TRUE;
}

/*
 * A canonical text for the JSON value @text, to match an `id` in a reply with
 * the one its command carried, however each was spaced or escaped.
 */
static gchar *
qmp_message_canonical_key (const gchar *text, gsize len)
{
	g_autoptr (JsonParser) parser = NULL;
	gboolean plain = memchr (text, '\\', len) == NULL;

	for (gsize i = 0; plain && i < len; i++)
		plain = (guchar)text[i] < 0x80;
	if (plain)
		return qmp_json_compact (text, len);
	/* escapes or UTF-8: the server may write the same string another way */
	parser = json_parser_new_immutable ();
	if (!json_parser_load_from_data (parser, text, len, NULL))
		return qmp_json_compact (text, len);
	return json_to_string (json_parser_get_root (parser), FALSE);
}

/* the id's canonical text, kept in the message itself when it is a plain number */
static void
qmp_message_set_id_key (QmpMessage *self, const gchar *text, gsize len)
{
	if (is_plain_number (text, len)) {
		memcpy (self->id_small, text, len);
		self->id_small[len] = '\0';
		self->id_key = self->id_small;
	} else {
		self->id_key = qmp_message_canonical_key (text, len);
	}
}

/* what the members said: what kind of message it is, and its id */
static void
qmp_message_set_routing (QmpMessage *self, const Scan *scan)
{
	self->oob = scan->oob;
	if (scan->event)
		self->kind = QMP_MESSAGE_KIND_EVENT;
	else if (scan->ret)
		self->kind = QMP_MESSAGE_KIND_RETURN;
	else if (scan->error)
		self->kind = QMP_MESSAGE_KIND_ERROR;
	else if (scan->greeting)
		self->kind = QMP_MESSAGE_KIND_GREETING;
	else if (scan->execute)
		self->kind = QMP_MESSAGE_KIND_COMMAND;
	else
		self->kind = QMP_MESSAGE_KIND_UNKNOWN;
	if (scan->id != NULL)
		qmp_message_set_id_key (self, scan->id->value, scan->id->value_len);
}

/**
 * qmp_message_new_take:
 * @text: (transfer full): the text of one JSON object, NUL-terminated
 * @len: its length in bytes
 * @error: a #GError, or %NULL
 *
 * Checks the syntax and reads what routing needs, keeping the text.
 *
 * Returns: (transfer full): a message, or %NULL with a %QMP_ERROR_PROTOCOL error
 */
QmpMessage *
qmp_message_new_take (gchar *text, gsize len, GError **error)
{
	g_autofree gchar *owned = text;
	QmpMessage *self;
	Scan scan = { 0 };
	QmpJsonFacts facts = { 0 };
	gsize i = 0;

	if (memchr (text, '\0', len) != NULL) {
		g_set_error_literal (error, QMP_ERROR, QMP_ERROR_PROTOCOL,
				     "malformed JSON: a NUL byte inside a message");
		return NULL;
	}
	/* the members that route it are read as the text is checked: one pass */
	self = qmp_message_alloc (g_steal_pointer (&owned), len);
	if (!qmp_json_check_facts (self->text, len, scan_member_cb, &scan, &facts, error)) {
		qmp_message_unref (self);
		return NULL;
	}
	self->compact = facts.compact;
	if (facts.bad_unicode) {
		/* printed, logged and parsed alike: as U+FFFD, never as the bytes that came */
		gchar *repaired = qmp_json_repair_unicode (self->text, len, &len);

		g_free (self->text);
		self->text = repaired;
		self->len = len;
		scan = (Scan){ 0 };
		qmp_json_foreach_member (self->text, len, scan_member_cb, &scan);
	}
	while (i < len && g_ascii_isspace (self->text[i]))
		i++;
	if (i == len || self->text[i] != '{') {
		g_set_error_literal (error, QMP_ERROR, QMP_ERROR_PROTOCOL,
				     "malformed message: not a JSON object");
		qmp_message_unref (self);
		return NULL;
	}
	if (scan.name != NULL)
		self->name = plain_string (scan.name);
	qmp_message_set_routing (self, &scan);
	return self;
}

/**
 * qmp_message_new_scanned:
 * @scan: what the framer's one pass learnt of a message: that it is valid,
 *   its compact text, and its members
 *
 * As qmp_message_new_take(), for a message that needs no second look: one
 * allocation holds the message, its text and its name.
 *
 * Returns: (transfer full): a message
 */
QmpMessage *
qmp_message_new_scanned (const QmpScan *scan)
{
	Scan routing = { 0 };
	guint ids = 0;
	gsize name_len = 0;
	QmpMessage *self;
	gchar *text;

	for (guint i = 0; i < scan->n_members; i++) {
		const QmpScanMember *sm = &scan->members[i];
		QmpJsonMember m = { scan->text + sm->key, sm->key_len, scan->text + sm->value,
				    sm->value_len };
		scan_member_cb (&m, &routing);
		ids += key_is (&m, "id", 2);
	}
	if (routing.name != NULL && is_plain_string (routing.name))
		name_len = routing.name->value_len - 2 + 1;
	self = g_malloc (sizeof (QmpMessage) + scan->len + 1 + name_len);
	*self = (QmpMessage){ 0 };
	text = (gchar *)(self + 1);
	memcpy (text, scan->text, scan->len);
	text[scan->len] = '\0';
	if (name_len > 0) {
		self->name = text + scan->len + 1;
		memcpy (self->name, text + (routing.name->value - scan->text) + 1, name_len - 1);
		self->name[name_len - 1] = '\0';
	}
	self->refcount = 1;
	self->text = text;
	self->len = scan->len;
	self->compact = TRUE;
	self->one_block = TRUE;
	if (ids == 1) {
		/* the member and the comma before it, or after it when it comes first */
		gsize key = routing.id->key - scan->text;
		gsize end = routing.id->value - scan->text + routing.id->value_len;

		self->has_id_cut = TRUE;
		self->id_cut[0] = key > 1 ? key - 1 : key;
		self->id_cut[1] = key == 1 && text[end] == ',' ? end + 1 : end;
	}
	/* the members pointed into the framer's text: the id is read there */
	qmp_message_set_routing (self, &routing);
	return self;
}

/**
 * qmp_message_is_compact:
 * @self: a message
 *
 * Returns: %TRUE if no blank stands between the message's tokens (blanks
 *   around it aside): its text is already its compact form
 */
gboolean
qmp_message_is_compact (QmpMessage *self)
{
	return self->compact;
}

/**
 * qmp_message_get_id_cut:
 * @self: a message
 * @start: (out): where the text to leave out begins
 * @end: (out): where it ends
 *
 * For a compact message read whole: the top-level `id` member and a comma
 * next to it, so that the text without its id is the two pieces around.
 *
 * Returns: %TRUE if @self is compact and has an `id` whose place is known
 */
gboolean
qmp_message_get_id_cut (QmpMessage *self, gsize *start, gsize *end)
{
	if (!self->has_id_cut)
		return FALSE;
	*start = self->id_cut[0];
	*end = self->id_cut[1];
	return TRUE;
}

/**
 * qmp_message_new_from_data:
 * @text: the text of one JSON object
 * @len: its length, or -1 if NUL-terminated
 * @error: a #GError, or %NULL
 *
 * Returns: (transfer full): a message, or %NULL with a %QMP_ERROR_PROTOCOL error
 */
QmpMessage *
qmp_message_new_from_data (const gchar *text, gssize len, GError **error)
{
	gsize n = len < 0 ? strlen (text) : (gsize)len;
	gchar *copy = g_malloc (n + 1);
	memcpy (copy, text, n);
	copy[n] = '\0';
	return qmp_message_new_take (copy, n, error);
}

/**
 * qmp_message_new_command:
 * @text: (transfer full): a command without an `id`, as valid JSON
 * @name: its name
 * @oob: whether it is sent with `exec-oob`
 *
 * Wraps a command the caller built, without checking it again.
 *
 * Returns: (transfer full): a message
 */
QmpMessage *
qmp_message_new_command (gchar *text, const gchar *name, gboolean oob)
{
	gsize name_len = name != NULL ? strlen (name) + 1 : 0;
	QmpMessage *self = g_malloc (sizeof (QmpMessage) + name_len);

	/* the name in the message's block, the text in its own: taken as it is */
	*self = (QmpMessage){
		.refcount = 1,
		.text = text,
		.len = strlen (text),
		.kind = QMP_MESSAGE_KIND_COMMAND,
		.name = name != NULL ? memcpy (self + 1, name, name_len) : NULL,
		.oob = oob,
		.name_in_block = TRUE,
	};
	return self;
}

QmpMessage *
qmp_message_ref (QmpMessage *self)
{
	g_return_val_if_fail (self != NULL, NULL);
	g_atomic_int_inc (&self->refcount);
	return self;
}

void
qmp_message_unref (QmpMessage *self)
{
	if (self == NULL || !g_atomic_int_dec_and_test (&self->refcount))
		return;
	if (self->root != NULL)
		json_node_unref (self->root);
	if (self->id_key != self->id_small)
		g_free (self->id_key);
	if (!self->one_block) {
		if (!self->name_in_block)
			g_free (self->name);
		g_free (self->text);
	}
	g_free (self);
}

/**
 * qmp_message_get_text:
 * @self: a message
 *
 * Returns: the message exactly as it crossed the wire, NUL-terminated
 */
const gchar *
qmp_message_get_text (QmpMessage *self)
{
	return self->text;
}

gsize
qmp_message_get_length (QmpMessage *self)
{
	return self->len;
}

/**
 * qmp_message_get_object:
 * @self: a message
 *
 * Parses the message the first time it is called. Not thread-safe.
 *
 * Returns: (transfer none): the parsed object; integers beyond gint64 are not
 *   exact in it, so print qmp_message_get_text() instead
 */
JsonObject *
qmp_message_get_object (QmpMessage *self)
{
	g_autoptr (JsonParser) parser = NULL;
	g_autoptr (GError) error = NULL;
	JsonNode *root;

	if (self->object != NULL)
		return self->object;
	parser = json_parser_new_immutable ();
	if (json_parser_load_from_data (parser, self->text, self->len, &error) &&
	    (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root)) {
		self->root = json_node_ref (root);
	} else {
		/* checked valid JSON that json-glib still refuses: show it as empty */
		g_debug ("json-glib cannot read a message: %s",
			 error != NULL ? error->message : "not an object");
		self->root = json_node_new (JSON_NODE_OBJECT);
		json_node_take_object (self->root, json_object_new ());
	}
	self->object = json_node_get_object (self->root);
	return self->object;
}

QmpMessageKind
qmp_message_get_kind (QmpMessage *self)
{
	return self->kind;
}

/**
 * qmp_message_has_id:
 * @self: a message
 *
 * Returns: %TRUE if it has an `id` member
 */
gboolean
qmp_message_has_id (QmpMessage *self)
{
	return self->id_key != NULL;
}

/**
 * qmp_message_get_id_key:
 * @self: a message
 *
 * Returns: (nullable): the canonical text of the `id`, or %NULL; it lives
 *   as long as @self
 */
const gchar *
qmp_message_get_id_key (QmpMessage *self)
{
	return self->id_key;
}

/**
 * qmp_message_dup_id_key:
 * @self: a message
 *
 * Returns: (transfer full) (nullable): the canonical text of the `id`, or %NULL
 */
gchar *
qmp_message_dup_id_key (QmpMessage *self)
{
	return g_strdup (self->id_key);
}

/* the member's value when it is a string; a peer may send anything */
static const gchar *
string_member (JsonObject *object, const gchar *member)
{
	JsonNode *node = json_object_get_member (object, member);

	if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
	    json_node_get_value_type (node) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string (node);
}

static const gchar *
qmp_message_get_name (QmpMessage *self, const gchar *member, const gchar *other)
{
	JsonObject *object;
	const gchar *name;

	if (self->name != NULL)
		return self->name;
	/* a name with escapes in it, or no string at all: ask the parsed object */
	object = qmp_message_get_object (self);
	name = string_member (object, member);
	if (name == NULL && other != NULL)
		name = string_member (object, other);
	return name;
}

/**
 * qmp_message_get_event_name:
 * @self: a message
 *
 * Returns: (nullable): the event's name, or %NULL if this is not an event
 */
const gchar *
qmp_message_get_event_name (QmpMessage *self)
{
	if (self->kind != QMP_MESSAGE_KIND_EVENT)
		return NULL;
	return qmp_message_get_name (self, "event", NULL);
}

/**
 * qmp_message_get_command_name:
 * @self: a message
 *
 * Returns: (nullable): the command's name (`execute` or `exec-oob`)
 */
const gchar *
qmp_message_get_command_name (QmpMessage *self)
{
	if (self->kind != QMP_MESSAGE_KIND_COMMAND)
		return NULL;
	return qmp_message_get_name (self, "execute", "exec-oob");
}

/**
 * qmp_message_is_oob:
 * @self: a command
 *
 * Returns: %TRUE if it is sent with `exec-oob`
 */
gboolean
qmp_message_is_oob (QmpMessage *self)
{
	return self->oob;
}

/**
 * qmp_message_with_id:
 * @self: a command that has no `id`
 * @id_text: the JSON text of the id to add
 *
 * Adds an `id` first, without reformatting the rest of the text, so every
 * number the user wrote reaches the server as written.
 *
 * Returns: (transfer full): a new message
 */
QmpMessage *
qmp_message_with_id (QmpMessage *self, const gchar *id_text)
{
	const gchar *brace = memchr (self->text, '{', self->len);
	gsize id_len = strlen (id_text);
	gsize name_len = self->name != NULL ? strlen (self->name) + 1 : 0;
	gsize head, tail, len;
	const gchar *rest;
	QmpMessage *copy;
	gchar *p;

	g_return_val_if_fail (brace != NULL, NULL);
	rest = brace + 1;
	while (*rest == ' ' || *rest == '\t' || *rest == '\r' || *rest == '\n')
		rest++;
	/* one block for the message, its text and its name, no printf: this runs for every command
	 * sent */
	head = brace - self->text + 1;
	tail = self->len - head;
	len = head + 5 + id_len + (*rest == '}' ? 0 : 1) + tail;
	copy = g_malloc (sizeof (QmpMessage) + len + 1 + name_len);
	*copy = (QmpMessage){
		.refcount = 1,
		.text = p = (gchar *)(copy + 1),
		.len = len,
		.kind = self->kind,
		.oob = self->oob,
		.one_block = TRUE,
	};
	memcpy (p, self->text, head);
	p += head;
	memcpy (p, "\"id\":", 5);
	p += 5;
	memcpy (p, id_text, id_len);
	p += id_len;
	if (*rest != '}')
		*p++ = ',';
	memcpy (p, brace + 1, tail);
	p[tail] = '\0';
	if (name_len > 0)
		copy->name = memcpy (copy->text + len + 1, self->name, name_len);
	qmp_message_set_id_key (copy, id_text, id_len);
	return copy;
}
