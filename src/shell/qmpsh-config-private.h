/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmpsh-config.h"

G_BEGIN_DECLS

/* how a key of the file becomes words of the command line */
typedef enum {
	QMPSH_CONFIG_KEY_FLAG,	  /* true: --NAME; false: nothing */
	QMPSH_CONFIG_KEY_LEVEL,	  /* verbose: 0, 1 or 2 (false, true) */
	QMPSH_CONFIG_KEY_VALUE,	  /* --NAME=VALUE */
	QMPSH_CONFIG_KEY_PATH,	  /* --NAME=VALUE, with a leading ~/ made the home directory */
	QMPSH_CONFIG_KEY_EVENTS,  /* true: every event; false: nothing; else the patterns */
	QMPSH_CONFIG_KEY_REFUSED, /* not for a file: said why */
} QmpshConfigKeyKind;

typedef struct {
	const gchar *name;
	gchar short_name;
	QmpshConfigKeyKind kind;
	const gchar *slot; /* options that share a place (--pretty, --compact); NULL: the name */
	const gchar *why;  /* a refused key: why */
	gboolean guards;   /* a value that cannot be used stops the run: TLS, --read-only */
} QmpshConfigKey;

/* one key of the file, as the words it puts on the command line */
typedef struct {
	const QmpshConfigKey *key;
	gchar **words;
	guint line;
	gchar *where; /* "[defaults] timeout=abc", for messages */
	gchar *fatal; /* a guarding key whose value is wrong: why */
} QmpshConfigEntry;

typedef struct {
	gchar *address;
	GPtrArray *entries; /* (element-type QmpshConfigEntry) */
} QmpshConfigTarget;

struct _QmpshConfig {
	gchar *path;
	GHashTable *aliases; /* (element-type utf8 utf8) */
	GPtrArray *defaults; /* (element-type QmpshConfigEntry) */
	GHashTable *targets; /* (element-type utf8 QmpshConfigTarget) */
	GHashTable *lines;   /* "GROUP\nKEY" or "GROUP": its line in the file */
};

const QmpshConfigKey *qmpsh_config_find_key (const gchar *name, gchar short_name);
void qmpsh_config_warn (QmpshConfig *self, guint line, const gchar *format, ...)
	G_GNUC_PRINTF (3, 4);

G_END_DECLS
