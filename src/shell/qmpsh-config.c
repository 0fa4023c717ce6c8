/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-config-private.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*
 * The file is a GKeyFile, but GKeyFile refuses a whole file for one bad
 * line and keeps no line numbers. Each line is checked alone first: a bad
 * one is said and left out, and where every group and key is is noted.
 */

static void
qmpsh_config_entry_free (QmpshConfigEntry *entry)
{
	g_strfreev (entry->words);
	g_free (entry->where);
	g_free (entry->fatal);
	g_free (entry);
}

static void
qmpsh_config_target_free (QmpshConfigTarget *target)
{
	g_free (target->address);
	g_ptr_array_unref (target->entries);
	g_free (target);
}

void
qmpsh_config_warn (QmpshConfig *self, guint line, const gchar *format, ...)
{
	va_list args;
	g_autofree gchar *text = NULL;

	va_start (args, format);
	text = g_strdup_vprintf (format, args);
	va_end (args);
	fflush (stdout);
	if (line > 0)
		g_printerr ("qmpsh: warning: %s:%u: %s (ignored)\n", self->path, line, text);
	else
		g_printerr ("qmpsh: warning: %s: %s (ignored)\n", self->path, text);
}

static guint
qmpsh_config_line_of (QmpshConfig *self, const gchar *group, const gchar *key)
{
	g_autofree gchar *id =
		key != NULL ? g_strdup_printf ("%s\n%s", group, key) : g_strdup (group);
	return GPOINTER_TO_UINT (g_hash_table_lookup (self->lines, id));
}

/* one line, alone, as GKeyFile reads it: a group's name or a key's */
static gchar *
qmpsh_config_check_line (const gchar *line, gboolean in_group)
{
	g_autoptr (GKeyFile) file = g_key_file_new ();
	g_autofree gchar *text = in_group ? g_strdup_printf ("[x]\n%s\n", line) : g_strdup (line);
	g_auto (GStrv) keys = NULL;

	if (!g_key_file_load_from_data (file, text, -1, G_KEY_FILE_NONE, NULL))
		return NULL;
	if (!in_group)
		return g_key_file_get_start_group (file);
	keys = g_key_file_get_keys (file, "x", NULL, NULL);
	return keys != NULL && keys[0] != NULL ? g_strdup (keys[0]) : NULL;
}

/* the lines GKeyFile can read, with the bad ones said and left out */
static gchar *
qmpsh_config_clean (QmpshConfig *self, const gchar *contents)
{
	g_auto (GStrv) lines = g_strsplit (contents, "\n", -1);
	g_autoptr (GString) kept = g_string_new (NULL);
	g_autofree gchar *group = NULL;
	gboolean skipping = FALSE; /* in a group whose line was bad */

	for (guint i = 0; lines[i] != NULL; i++) {
		gsize len = strlen (lines[i]);
		const gchar *t;
		g_autofree gchar *name = NULL;

		/* a file written on Windows */
		if (len > 0 && lines[i][len - 1] == '\r')
			lines[i][len - 1] = '\0';
		t = lines[i] + strspn (lines[i], " \t");

		if (*t == '\0' || *t == '#')
			continue;
		if (*t != '[' && skipping)
			continue;
		if (*t != '[' && group == NULL) {
			qmpsh_config_warn (self, i + 1, "a line before any [group]");
			continue;
		}
		name = qmpsh_config_check_line (lines[i], *t != '[');
		if (name == NULL) {
			qmpsh_config_warn (self, i + 1,
					   "not a [group], a KEY=VALUE line or a # comment");
			skipping = *t == '[';
			continue;
		}
		skipping = FALSE;
		if (*t == '[') {
			g_free (group);
			group = g_strdup (name);
			if (!g_hash_table_contains (self->lines, name))
				g_hash_table_insert (self->lines, g_strdup (name),
						     GUINT_TO_POINTER (i + 1));
		} else {
			/* of a key given twice, GKeyFile keeps the last */
			g_hash_table_insert (self->lines, g_strdup_printf ("%s\n%s", group, name),
					     GUINT_TO_POINTER (i + 1));
		}
		g_string_append_printf (kept, "%s\n", lines[i]);
	}
	return g_string_free (g_steal_pointer (&kept), FALSE);
}

/* `~/x` is in the home directory, as a shell would have it on the command line */
static gchar *
qmpsh_config_expand_path (const gchar *value)
{
	if (g_str_has_prefix (value, "~/"))
		return g_build_filename (g_get_home_dir (), value + 2, NULL);
	return g_strdup (value);
}

/* a boolean as GKeyFile reads one; a level, for verbose, also 0, 1 or 2 */
static gboolean
qmpsh_config_words (const QmpshConfigKey *key, const gchar *value, GPtrArray *words)
{
	gboolean on = FALSE;
	gint level = -1;

	if (g_strcmp0 (value, "true") == 0 || g_strcmp0 (value, "1") == 0) {
		on = TRUE;
		level = 1;
	} else if (g_strcmp0 (value, "false") == 0 || g_strcmp0 (value, "0") == 0) {
		level = 0;
	} else if (g_strcmp0 (value, "2") == 0) {
		level = 2;
	}
	switch (key->kind) {
	case QMPSH_CONFIG_KEY_FLAG:
		if (level < 0 || level > 1)
			return FALSE;
		if (on)
			g_ptr_array_add (words, g_strdup_printf ("--%s", key->name));
		return TRUE;
	case QMPSH_CONFIG_KEY_LEVEL:
		for (gint i = 0; i < level; i++)
			g_ptr_array_add (words, g_strdup_printf ("--%s", key->name));
		return level >= 0;
	case QMPSH_CONFIG_KEY_EVENTS:
		if (level == 0)
			return TRUE;
		g_ptr_array_add (words, g_strdup_printf ("--%s=%s", key->name, on ? "" : value));
		return TRUE;
	case QMPSH_CONFIG_KEY_PATH: {
		g_autofree gchar *path = qmpsh_config_expand_path (value);
		g_ptr_array_add (words, g_strdup_printf ("--%s=%s", key->name, path));
		return TRUE;
	}
	case QMPSH_CONFIG_KEY_VALUE:
	case QMPSH_CONFIG_KEY_REFUSED:
	default:
		g_ptr_array_add (words, g_strdup_printf ("--%s=%s", key->name, value));
		return TRUE;
	}
}

/* one option key of [defaults] or [target NAME]; NULL when it is said and ignored */
static QmpshConfigEntry *
qmpsh_config_entry_new (QmpshConfig *self, GKeyFile *file, const gchar *group, const gchar *name)
{
	const QmpshConfigKey *key = qmpsh_config_find_key (name, 0);
	guint line = qmpsh_config_line_of (self, group, name);
	g_autoptr (GError) error = NULL;
	g_autofree gchar *value = NULL;
	g_autoptr (GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
	QmpshConfigEntry *entry;

	if (key == NULL) {
		qmpsh_config_warn (self, line, "[%s] %s: no such option; qmpsh --help lists them",
				   group, name);
		return NULL;
	}
	if (key->kind == QMPSH_CONFIG_KEY_REFUSED) {
		qmpsh_config_warn (self, line, "[%s] %s: not for a config file: %s", group, name,
				   key->why);
		return NULL;
	}
	/* one server's, and no UNIX socket takes TLS */
	if (g_str_has_prefix (name, "tls-") && !g_str_has_prefix (group, "target ")) {
		qmpsh_config_warn (self, line,
				   "[%s] %s: TLS settings are one server's: put them in its "
				   "[target NAME]",
				   group, name);
		return NULL;
	}
	value = g_key_file_get_string (file, group, name, &error);
	if (value == NULL) {
		qmpsh_config_warn (self, line, "[%s] %s: %s", group, name, error->message);
		return NULL;
	}
	entry = g_new0 (QmpshConfigEntry, 1);
	entry->key = key;
	entry->line = line;
	entry->where = g_strdup_printf ("[%s] %s=%s", group, name, value);
	if (!qmpsh_config_words (key, value, words)) {
		g_autofree gchar *why = g_strdup_printf ("[%s] %s: wants %s, not '%s'", group, name,
							 key->kind == QMPSH_CONFIG_KEY_LEVEL
								 ? "true, false, 0, 1 or 2"
								 : "true or false",
							 value);
		if (!key->guards) {
			qmpsh_config_warn (self, line, "%s", why);
			qmpsh_config_entry_free (entry);
			return NULL;
		}
		entry->fatal = g_strdup_printf ("%s:%u: %s", self->path, line, why);
	}
	g_ptr_array_add (words, NULL);
	entry->words = (gchar **)g_ptr_array_free (g_steal_pointer (&words), FALSE);
	return entry;
}

static GPtrArray *
qmpsh_config_read_options (QmpshConfig *self, GKeyFile *file, const gchar *group)
{
	GPtrArray *entries =
		g_ptr_array_new_with_free_func ((GDestroyNotify)qmpsh_config_entry_free);
	g_auto (GStrv) keys = g_key_file_get_keys (file, group, NULL, NULL);

	for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
		QmpshConfigEntry *entry;
		if (g_str_has_prefix (group, "target ") && g_str_equal (keys[i], "address"))
			continue;
		entry = qmpsh_config_entry_new (self, file, group, keys[i]);
		if (entry != NULL)
			g_ptr_array_add (entries, entry);
	}
	return entries;
}

static void
qmpsh_config_read_target (QmpshConfig *self, GKeyFile *file, const gchar *group)
{
	const gchar *name = group + strlen ("target ");
	g_autofree gchar *address = g_key_file_get_string (file, group, "address", NULL);
	QmpshConfigTarget *target;

	name += strspn (name, " ");
	if (name[0] == '\0' || strpbrk (name, " \t") != NULL) {
		qmpsh_config_warn (self, qmpsh_config_line_of (self, group, NULL),
				   "[%s]: a target's name is one word ([target vm1])", group);
		return;
	}
	if (address == NULL || address[0] == '\0') {
		qmpsh_config_warn (self, qmpsh_config_line_of (self, group, NULL),
				   "[%s] has no address= (a socket's path or HOST:PORT)", group);
		return;
	}
	target = g_new0 (QmpshConfigTarget, 1);
	target->address = qmpsh_config_expand_path (address);
	target->entries = qmpsh_config_read_options (self, file, group);
	g_hash_table_replace (self->targets, g_strdup (name), target);
}

/* an alias is a name a command could have, never a built-in's */
static void
qmpsh_config_read_aliases (QmpshConfig *self, GKeyFile *file)
{
	g_auto (GStrv) keys = g_key_file_get_keys (file, "alias", NULL, NULL);

	for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
		guint line = qmpsh_config_line_of (self, "alias", keys[i]);
		g_autofree gchar *text = g_key_file_get_string (file, "alias", keys[i], NULL);
		gboolean ok = keys[i][0] != '\0';

		for (const gchar *c = keys[i]; *c != '\0'; c++)
			ok = ok && (g_ascii_isalnum (*c) || *c == '-' || *c == '_');
		if (keys[i][0] == '.')
			qmpsh_config_warn (self, line,
					   "[alias] %s: built-ins keep their names; an alias "
					   "cannot start with '.'",
					   keys[i]);
		else if (!ok)
			qmpsh_config_warn (self, line,
					   "[alias] %s: an alias's name is letters, digits, '-' "
					   "and '_'",
					   keys[i]);
		else if (text == NULL || g_strstrip (text)[0] == '\0')
			qmpsh_config_warn (self, line, "[alias] %s: stands for nothing", keys[i]);
		else
			g_hash_table_replace (self->aliases, g_strdup (keys[i]),
					      g_steal_pointer (&text));
	}
}

static void
qmpsh_config_read (QmpshConfig *self, GKeyFile *file)
{
	g_auto (GStrv) groups = g_key_file_get_groups (file, NULL);

	for (guint i = 0; groups[i] != NULL; i++) {
		if (g_str_equal (groups[i], "defaults")) {
			g_ptr_array_unref (self->defaults);
			self->defaults = qmpsh_config_read_options (self, file, groups[i]);
		} else if (g_str_equal (groups[i], "alias")) {
			qmpsh_config_read_aliases (self, file);
		} else if (g_str_has_prefix (groups[i], "target ")) {
			qmpsh_config_read_target (self, file, groups[i]);
		} else {
			qmpsh_config_warn (self, qmpsh_config_line_of (self, groups[i], NULL),
					   "unknown group [%s]: the groups are [defaults], "
					   "[target NAME] and [alias]",
					   groups[i]);
		}
	}
}

static gint
qmpsh_config_compare_names (gconstpointer a, gconstpointer b)
{
	return g_strcmp0 (*(const gchar *const *)a, *(const gchar *const *)b);
}

/**
 * qmpsh_config_choose:
 * @argc: the command line's count
 * @argv: the command line
 * @explicit: (out): whether the file was named (`--config`, `QMPSH_CONFIG`),
 *   and so must be there
 *
 * `--no-config`, then `--config FILE`, then `$QMPSH_CONFIG` (empty: none),
 * then `$XDG_CONFIG_HOME/qmpsh/config`. Read before the options are parsed,
 * as the file's options go before the command line's.
 *
 * Returns: (transfer full) (nullable): the file to read, or %NULL for none
 */
gchar *
qmpsh_config_choose (gint argc, gchar **argv, gboolean *explicit)
{
	const gchar *env = g_getenv ("QMPSH_CONFIG");
	const gchar *given = NULL;

	*explicit = TRUE;
	for (gint i = 1; i < argc && g_strcmp0 (argv[i], "--") != 0; i++) {
		if (g_str_equal (argv[i], "--no-config"))
			return NULL;
		if (g_str_has_prefix (argv[i], "--config="))
			given = argv[i] + strlen ("--config=");
		else if (g_str_equal (argv[i], "--config") && i + 1 < argc)
			given = argv[++i];
	}
	if (given != NULL)
		return g_strdup (given);
	if (env != NULL)
		return env[0] != '\0' ? g_strdup (env) : NULL;
	*explicit = FALSE;
	return g_build_filename (g_get_user_config_dir (), "qmpsh", "config", NULL);
}

/**
 * qmpsh_config_load:
 * @path: (nullable): the file, or %NULL for none
 * @explicit: whether the user named it: then its absence is said
 *
 * What cannot be read or used is said on stderr, one line each, and left
 * out; the rest applies.
 *
 * Returns: (transfer full): the config, empty when there is no file
 */
QmpshConfig *
qmpsh_config_load (const gchar *path, gboolean explicit)
{
	QmpshConfig *self = g_new0 (QmpshConfig, 1);
	g_autoptr (GError) error = NULL;
	g_autoptr (GKeyFile) file = g_key_file_new ();
	g_autofree gchar *contents = NULL;
	g_autofree gchar *kept = NULL;

	self->path = g_strdup (path);
	self->aliases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	self->defaults = g_ptr_array_new_with_free_func ((GDestroyNotify)qmpsh_config_entry_free);
	self->targets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
					       (GDestroyNotify)qmpsh_config_target_free);
	self->lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	if (path == NULL)
		return self;
	if (!g_file_get_contents (path, &contents, NULL, &error)) {
		gboolean missing = g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
		fflush (stdout);
		if (missing && explicit)
			g_printerr ("qmpsh: warning: %s: no such file (no config file read)\n",
				    path);
		else if (!missing)
			g_printerr ("qmpsh: warning: %s (no config file read)\n", error->message);
		return self;
	}
	kept = qmpsh_config_clean (self, contents);
	if (!g_key_file_load_from_data (file, kept, -1, G_KEY_FILE_NONE, &error)) {
		qmpsh_config_warn (self, 0, "%s", error->message);
		return self;
	}
	qmpsh_config_read (self, file);
	return self;
}

void
qmpsh_config_free (QmpshConfig *self)
{
	if (self == NULL)
		return;
	g_free (self->path);
	g_hash_table_unref (self->aliases);
	g_ptr_array_unref (self->defaults);
	g_hash_table_unref (self->targets);
	g_hash_table_unref (self->lines);
	g_free (self);
}

/**
 * qmpsh_config_get_aliases:
 * @self: a config
 *
 * Returns: (transfer none) (element-type utf8 utf8): `[alias]`: each name,
 *   and the text it stands for
 */
GHashTable *
qmpsh_config_get_aliases (QmpshConfig *self)
{
	return self->aliases;
}

/**
 * qmpsh_config_get_targets:
 * @self: (nullable): the config
 *
 * Returns: (transfer full): the names of its `[target NAME]` groups, sorted
 */
gchar **
qmpsh_config_get_targets (QmpshConfig *self)
{
	g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
	GHashTableIter iter;
	gpointer name;

	if (self != NULL && self->targets != NULL) {
		g_hash_table_iter_init (&iter, self->targets);
		while (g_hash_table_iter_next (&iter, &name, NULL))
			g_ptr_array_add (names, g_strdup (name));
	}
	g_ptr_array_sort (names, qmpsh_config_compare_names);
	g_ptr_array_add (names, NULL);
	return (gchar **)g_ptr_array_free (g_steal_pointer (&names), FALSE);
}
