/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmp-client.h"
#include "qmp-schema.h"
#include "qmpsh-props.h"

G_BEGIN_DECLS

#define QMPSH_TYPE_INTROSPECT (qmpsh_introspect_get_type ())
G_DECLARE_FINAL_TYPE (QmpshIntrospect, qmpsh_introspect, QMPSH, INTROSPECT, GObject)

QmpshIntrospect *qmpsh_introspect_new (QmpClient *client);
void qmpsh_introspect_set_cache_dir (QmpshIntrospect *self, const gchar *dir);
void qmpsh_introspect_fetch (QmpshIntrospect *self);
void qmpsh_introspect_check (QmpshIntrospect *self);
void qmpsh_introspect_reset (QmpshIntrospect *self);
gboolean qmpsh_introspect_is_asking (QmpshIntrospect *self);
QmpSchema *qmpsh_introspect_get_schema (QmpshIntrospect *self);
const gchar *qmpsh_introspect_get_error (QmpshIntrospect *self);
const QmpshProps *qmpsh_introspect_get_props (QmpshIntrospect *self, QmpshPropsKind kind,
					      const gchar *name, GError **error);
void qmpsh_introspect_forget_qom (QmpshIntrospect *self);
GPtrArray *qmpsh_introspect_get_device_types (QmpshIntrospect *self);

G_END_DECLS
