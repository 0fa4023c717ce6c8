/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * QmpshProp:
 * @name: the property's name
 * @type: its QOM type: "str", "bool", "uint32", "size", "OnOffAuto",
 *   "link<...>", ...
 * @description: (nullable): what QEMU says of it
 *
 * One property of a device type (`device-list-properties`) or of a QOM
 * object (`qom-list`).
 */
typedef struct {
	gchar *name;
	gchar *type;
	gchar *description;
} QmpshProp;

/**
 * QmpshPropsKind:
 * @QMPSH_PROPS_DEVICE: a device type's properties (device-list-properties)
 * @QMPSH_PROPS_QOM: a QOM object's, by its path (qom-list)
 */
typedef enum {
	QMPSH_PROPS_DEVICE,
	QMPSH_PROPS_QOM,
} QmpshPropsKind;

typedef struct _QmpshProps QmpshProps;

/**
 * QmpshPropsFunc:
 * @data: the caller's data
 * @kind: which properties
 * @name: the device type, or the object's path
 * @error: where the server's refusal goes
 *
 * Returns: (transfer none) (nullable): the properties; %NULL with @error set
 *   when the server has none to give (no such device type), %NULL with it
 *   unset while they are being asked for
 */
typedef const QmpshProps *(*QmpshPropsFunc) (gpointer data, QmpshPropsKind kind, const gchar *name,
					     GError **error);

QmpshProps *qmpsh_props_new (JsonNode *reply);

void qmpsh_props_free (QmpshProps *self);
guint qmpsh_props_get_length (const QmpshProps *self);
const QmpshProp *qmpsh_props_get (const QmpshProps *self, guint i);
const QmpshProp *qmpsh_props_lookup (const QmpshProps *self, const gchar *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmpshProps, qmpsh_props_free)

G_END_DECLS
