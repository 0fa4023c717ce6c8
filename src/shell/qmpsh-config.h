/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmpsh-options.h"

G_BEGIN_DECLS

/**
 * QmpshConfig:
 *
 * The config file (`$XDG_CONFIG_HOME/qmpsh/config`, a #GKeyFile): defaults
 * for options (`[defaults]`), named targets (`[target NAME]`) and aliases
 * (`[alias]`). A mistake in it is said on stderr, as one line naming the
 * file and line, and ignored; it is never fatal.
 */
typedef struct _QmpshConfig QmpshConfig;

gchar *qmpsh_config_choose (gint argc, gchar **argv, gboolean *explicit) G_GNUC_WARN_UNUSED_RESULT;
QmpshConfig *qmpsh_config_load (const gchar *path, gboolean explicit);
void qmpsh_config_free (QmpshConfig *self);
GHashTable *qmpsh_config_get_aliases (QmpshConfig *self);
gchar **qmpsh_config_get_targets (QmpshConfig *self) G_GNUC_WARN_UNUSED_RESULT;
gboolean qmpsh_config_parse_options (QmpshConfig *self, QmpshOptions *options, gint argc,
				     gchar **argv, gboolean *suggest_help, GError **error);
gboolean qmpsh_config_parse_target (QmpshConfig *self, const gchar *name, QmpshOptions *options,
				    gint argc, gchar **argv, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmpshConfig, qmpsh_config_free)

G_END_DECLS
