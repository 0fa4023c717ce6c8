/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GSocketConnectable *qmp_address_parse (const gchar *address,
				       GError **error) G_GNUC_WARN_UNUSED_RESULT;
gchar *qmp_address_to_string (GSocketAddress *address);
gboolean qmp_address_is_ssh (const gchar *address);
gboolean qmp_address_parse_ssh (const gchar *address, gchar **user, gchar **host, gint *port,
				gchar **path, GError **error);

G_END_DECLS
