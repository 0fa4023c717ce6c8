/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-props.h"

/**
 * QmpshProps:
 *
 * The properties QEMU lists for a device type or a QOM object, sorted by
 * name: what device_add and qom-set take beyond their schema.
 */
struct _QmpshProps {
	GPtrArray *props;    /* QmpshProp, sorted by name */
	GHashTable *by_name; /* name -> QmpshProp */
};

static void
prop_free (QmpshProp *prop)
{
	g_free (prop->name);
	g_free (prop->type);
	g_free (prop->description);
	g_free (prop);
}

static const gchar *
string_member (JsonObject *object, const gchar *member)
{
	JsonNode *node = json_object_get_member (object, member);
	if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
	    json_node_get_value_type (node) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string (node);
}

static gint
compare_props (gconstpointer a, gconstpointer b)
{
	const QmpshProp *pa = *(QmpshProp *const *)a;
	const QmpshProp *pb = *(QmpshProp *const *)b;
	return g_strcmp0 (pa->name, pb->name);
}

/**
 * qmpsh_props_new:
 * @reply: (nullable): the `return` of `device-list-properties` or `qom-list`
 *
 * Entries that are not objects with a string name and type are left out,
 * and of a name the first counts.
 *
 * Returns: (transfer full): the properties; none when @reply is no list
 */
QmpshProps *
qmpsh_props_new (JsonNode *reply)
{
	QmpshProps *self = g_new0 (QmpshProps, 1);
	JsonArray *list =
		reply != NULL && JSON_NODE_HOLDS_ARRAY (reply) ? json_node_get_array (reply) : NULL;

	self->props = g_ptr_array_new_with_free_func ((GDestroyNotify)prop_free);
	self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
	for (guint i = 0; list != NULL && i < json_array_get_length (list); i++) {
		JsonNode *node = json_array_get_element (list, i);
		JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
		const gchar *name = o != NULL ? string_member (o, "name") : NULL;
		const gchar *type = o != NULL ? string_member (o, "type") : NULL;
		QmpshProp *prop;

		if (name == NULL || type == NULL || g_hash_table_contains (self->by_name, name))
			continue;
		prop = g_new0 (QmpshProp, 1);
		prop->name = g_strdup (name);
		prop->type = g_strdup (type);
		prop->description = g_strdup (string_member (o, "description"));
		g_ptr_array_add (self->props, prop);
		g_hash_table_insert (self->by_name, prop->name, prop);
	}
	g_ptr_array_sort (self->props, compare_props);
	return self;
}

void
qmpsh_props_free (QmpshProps *self)
{
	if (self == NULL)
		return;
	g_hash_table_unref (self->by_name);
	g_ptr_array_unref (self->props);
	g_free (self);
}

guint
qmpsh_props_get_length (const QmpshProps *self)
{
	return self->props->len;
}

const QmpshProp *
qmpsh_props_get (const QmpshProps *self, guint i)
{
	g_return_val_if_fail (i < self->props->len, NULL);
	return g_ptr_array_index (self->props, i);
}

/**
 * qmpsh_props_lookup:
 * @self: properties
 * @name: a name
 *
 * Returns: (transfer none) (nullable): the property
 */
const QmpshProp *
qmpsh_props_lookup (const QmpshProps *self, const gchar *name)
{
	return name != NULL ? g_hash_table_lookup (self->by_name, name) : NULL;
}
