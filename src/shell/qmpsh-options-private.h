/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmpsh-options.h"

G_BEGIN_DECLS

/* what the options table fills in, before it is checked */
typedef struct {
	gchar **pass_fd;
	gchar *tls_creds;
	gchar *tls_ca;
	gchar *tls_cert;
	gchar *tls_key;
	gchar *tls_hostname;
	gchar *tls_psk;
	gchar *tls_psk_user;
	gchar *tls_priority;
	gboolean pretty;
	gboolean compact;
	gboolean sort_keys;
	gchar *color;
	gchar *greeting_timeout;
	gchar *command_timeout;
	gchar *complete;
	gchar *config; /* read before the parse, by qmpsh-config: here for --help */
	gboolean no_config;
	gchar **rest;
} QmpshOptionsRaw;

/*
 * One heading of --help: a title and its entries, ended by a zeroed one.
 * Parsing puts every group's entries in one GOption group; the groups are
 * for people (--help, the man page) and for completion.
 */
typedef struct {
	const gchar *title;
	GOptionEntry *entries;
} QmpshOptionsGroup;

/* the groups, in --help's order, ended by a { NULL, NULL }; free with g_free () */
QmpshOptionsGroup *qmpsh_options_groups (QmpshOptions *self, QmpshOptionsRaw *raw);
void qmpsh_options_groups_free (QmpshOptionsGroup *groups);

G_END_DECLS
