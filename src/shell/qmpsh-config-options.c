/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-config-private.h"

#include <string.h>

/*
 * The file's options become words of the command line, put before the
 * user's: the options parser checks them as it checks any, and a later word
 * wins. An option the command line names is left out of the file's words
 * altogether, so that it wins also where a later word would not (a flag,
 * --pretty against --compact, -v that counts).
 */

#define NOT_HERE "what to connect to goes on the command line, or in a [target NAME]'s address"

#define KEY(n, c, k)                                                                               \
	{                                                                                          \
		.name = n, .short_name = c, .kind = QMPSH_CONFIG_KEY_##k                           \
	}
#define GUARD(n, k)                                                                                \
	{                                                                                          \
		.name = n, .kind = QMPSH_CONFIG_KEY_##k, .guards = TRUE                            \
	}
#define REFUSED(n, c, w)                                                                           \
	{                                                                                          \
		.name = n, .short_name = c, .kind = QMPSH_CONFIG_KEY_REFUSED, .why = w             \
	}

static const QmpshConfigKey keys[] = {
	{ .name = "pretty", .short_name = 'p', .kind = QMPSH_CONFIG_KEY_FLAG, .slot = "format" },
	{ .name = "compact", .kind = QMPSH_CONFIG_KEY_FLAG, .slot = "format" },
	KEY ("sort-keys", 0, FLAG),
	KEY ("color", 0, VALUE),
	KEY ("verbose", 'v', LEVEL),
	KEY ("hmp", 'H', FLAG),
	KEY ("log", 'l', PATH),
	KEY ("events", 0, EVENTS),
	KEY ("exit-on-error", 'e', FLAG),
	GUARD ("read-only", FLAG),
	KEY ("ga", 0, FLAG),
	GUARD ("tls-creds", PATH),
	GUARD ("tls-ca", PATH),
	GUARD ("tls-cert", PATH),
	GUARD ("tls-key", PATH),
	GUARD ("tls-hostname", VALUE),
	GUARD ("tls-psk", PATH),
	GUARD ("tls-psk-user", VALUE),
	GUARD ("tls-priority", VALUE),
	KEY ("skip-negotiation", 'N', FLAG),
	KEY ("greeting-timeout", 0, VALUE),
	KEY ("timeout", 't', VALUE),
	KEY ("max-message-size", 0, VALUE),
	KEY ("yes", 'y', FLAG),
	KEY ("no-pager", 0, FLAG),
	KEY ("no-reconnect", 0, FLAG),
	REFUSED ("command", 'c',
		 "a run's commands go on its command line; an [alias] can name a line"),
	REFUSED ("launch", 0, NOT_HERE),
	REFUSED ("listen", 0, NOT_HERE),
	REFUSED ("address", 0, "an address belongs in a [target NAME]"),
	REFUSED ("pass-fd", 0, "descriptors are inherited by one run"),
	REFUSED ("version", 'V', "it is a question, not a setting"),
	REFUSED ("help", 'h', "it is a question, not a setting"),
	REFUSED ("config", 0, "a config file does not name another"),
	REFUSED ("no-config", 0, "a config file does not name another"),
};

/* by its long name, or (@name %NULL) by its letter */
const QmpshConfigKey *
qmpsh_config_find_key (const gchar *name, gchar short_name)
{
	for (guint i = 0; i < G_N_ELEMENTS (keys); i++) {
		if (name != NULL ? g_str_equal (keys[i].name, name)
				 : keys[i].short_name == short_name)
			return &keys[i];
	}
	return NULL;
}

static const gchar *
slot_of (const QmpshConfigKey *key)
{
	return key->slot != NULL ? key->slot : key->name;
}

/*
 * The places the command line sets: --NAME, --NAME=VALUE, and the letters
 * of -abc up to one that takes a value (the rest of the word is that value).
 */
static GHashTable *
named_on_command_line (gint argc, gchar **argv)
{
	GHashTable *named = g_hash_table_new (g_str_hash, g_str_equal);

	for (gint i = 1; i < argc && g_strcmp0 (argv[i], "--") != 0; i++) {
		const QmpshConfigKey *key;
		if (g_str_has_prefix (argv[i], "--")) {
			g_autofree gchar *name =
				g_strndup (argv[i] + 2, strcspn (argv[i] + 2, "="));
			key = qmpsh_config_find_key (name, 0);
			if (key != NULL)
				g_hash_table_add (named, (gpointer)slot_of (key));
			continue;
		}
		if (argv[i][0] != '-')
			continue;
		for (const gchar *c = argv[i] + 1; *c != '\0'; c++) {
			key = qmpsh_config_find_key (NULL, *c);
			if (key == NULL)
				continue;
			g_hash_table_add (named, (gpointer)slot_of (key));
			if (key->kind != QMPSH_CONFIG_KEY_FLAG &&
			    key->kind != QMPSH_CONFIG_KEY_LEVEL && key->short_name != 'V' &&
			    key->short_name != 'h')
				break;
		}
	}
	return named;
}

/* the word that names a target: not an option, not an existing path */
static const gchar *
find_target (QmpshConfig *self, gint argc, gchar **argv)
{
	for (gint i = 1; i < argc && g_strcmp0 (argv[i], "--") != 0; i++) {
		if (argv[i][0] == '-')
			continue;
		if (g_hash_table_contains (self->targets, argv[i]) &&
		    !g_file_test (argv[i], G_FILE_TEST_EXISTS))
			return argv[i];
	}
	return NULL;
}

/* the file's entries that apply: the target's over the defaults, none the command line names */
static GPtrArray *
pick_entries (QmpshConfig *self, QmpshConfigTarget *target, GHashTable *named)
{
	GPtrArray *picked = g_ptr_array_new ();
	g_autoptr (GHashTable) own = g_hash_table_new (g_str_hash, g_str_equal);

	for (guint i = 0; target != NULL && i < target->entries->len; i++) {
		QmpshConfigEntry *e = g_ptr_array_index (target->entries, i);
		g_hash_table_add (own, (gpointer)slot_of (e->key));
	}
	for (guint i = 0; i < self->defaults->len; i++) {
		QmpshConfigEntry *e = g_ptr_array_index (self->defaults, i);
		if (!g_hash_table_contains (named, slot_of (e->key)) &&
		    !g_hash_table_contains (own, slot_of (e->key)))
			g_ptr_array_add (picked, e);
	}
	for (guint i = 0; target != NULL && i < target->entries->len; i++) {
		QmpshConfigEntry *e = g_ptr_array_index (target->entries, i);
		if (!g_hash_table_contains (named, slot_of (e->key)))
			g_ptr_array_add (picked, e);
	}
	return picked;
}

/* the options of argv[0], the entries' words, then the rest of argv */
static gboolean
try_parse (GPtrArray *entries, gint argc, gchar **argv, QmpshOptions *options,
	   gboolean *suggest_help, GError **error)
{
	g_autoptr (GPtrArray) words = g_ptr_array_new ();
	g_autofree gchar **copy = NULL;
	gint n;

	g_ptr_array_add (words, argv[0]);
	for (guint i = 0; i < entries->len; i++) {
		QmpshConfigEntry *e = g_ptr_array_index (entries, i);
		for (guint j = 0; e->words[j] != NULL; j++)
			g_ptr_array_add (words, e->words[j]);
	}
	for (gint i = 1; i < argc; i++)
		g_ptr_array_add (words, argv[i]);
	n = (gint)words->len;
	g_ptr_array_add (words, NULL);
	/* the parser moves the pointers about; the words stay theirs owners' */
	copy = (gchar **)g_ptr_array_free (g_steal_pointer (&words), FALSE);
	memset (options, 0, sizeof (*options));
	if (qmpsh_options_parse (options, &n, &copy, suggest_help, error))
		return TRUE;
	qmpsh_options_clear (options);
	memset (options, 0, sizeof (*options));
	return FALSE;
}

/*
 * With the file's words, or, when they make the command line fail but it
 * works alone, with those of them that work: each of the others is said,
 * and left out. A guarding key (a target's TLS, --read-only) that fails
 * stops the run: better no connection than one without what the file asked
 * for.
 */
static gboolean
parse_with (QmpshConfig *self, GPtrArray *entries, gint argc, gchar **argv, QmpshOptions *options,
	    gboolean *suggest_help, GError **error)
{
	g_autoptr (GPtrArray) kept = g_ptr_array_new ();
	g_autoptr (GPtrArray) none = g_ptr_array_new ();
	g_autoptr (GError) error_all = NULL;

	for (guint i = 0; i < entries->len; i++) {
		QmpshConfigEntry *e = g_ptr_array_index (entries, i);
		if (e->fatal != NULL) {
			g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
				     "%s (fix it, or run with --no-config)", e->fatal);
			return FALSE;
		}
	}
	if (try_parse (entries, argc, argv, options, suggest_help, &error_all))
		return TRUE;
	if (entries->len == 0 || !try_parse (none, argc, argv, options, suggest_help, NULL)) {
		g_propagate_error (error, g_steal_pointer (&error_all));
		return FALSE;
	}
	qmpsh_options_clear (options);
	for (guint i = 0; i < entries->len; i++) {
		QmpshConfigEntry *e = g_ptr_array_index (entries, i);
		g_autoptr (GError) why = NULL;
		g_ptr_array_add (kept, e);
		if (try_parse (kept, argc, argv, options, suggest_help, &why)) {
			qmpsh_options_clear (options);
			continue;
		}
		g_ptr_array_remove_index (kept, kept->len - 1);
		if (e->key->guards) {
			g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
				     "%s:%u: %s: %s (fix it, or run with --no-config)", self->path,
				     e->line, e->where, why->message);
			*suggest_help = FALSE;
			return FALSE;
		}
		qmpsh_config_warn (self, e->line, "%s: %s", e->where, why->message);
	}
	return try_parse (kept, argc, argv, options, suggest_help, error);
}

/**
 * qmpsh_config_parse_options:
 * @self: (nullable): the config, or %NULL for none
 * @options: where the options go
 * @argc: the command line's count
 * @argv: the command line, left as it is
 * @suggest_help: (out): whether the error is one that --help answers
 * @error: a #GError, or %NULL
 *
 * qmpsh_options_parse() with the file's options first: `[defaults]`, then,
 * when the address names a `[target NAME]` (and no such path exists), the
 * target's options and its address instead of the name. The command line's
 * options win.
 *
 * Returns: %TRUE, or %FALSE with @error saying what is wrong (exit status 2)
 */
gboolean
qmpsh_config_parse_options (QmpshConfig *self, QmpshOptions *options, gint argc, gchar **argv,
			    gboolean *suggest_help, GError **error)
{
	g_autoptr (GHashTable) named = named_on_command_line (argc, argv);
	const gchar *name = find_target (self, argc, argv);
	QmpshConfigTarget *target = name != NULL ? g_hash_table_lookup (self->targets, name) : NULL;
	g_autoptr (GPtrArray) entries = pick_entries (self, target, named);
	g_autoptr (GError) own_error = NULL;
	gboolean own;

	if (target == NULL)
		return parse_with (self, entries, argc, argv, options, suggest_help, error);
	own = parse_with (self, entries, argc, argv, options, suggest_help, &own_error);
	if (own && g_strcmp0 (options->address, name) == 0) {
		g_free (options->address);
		options->address = g_strdup (target->address);
		return TRUE;
	}
	/*
	 * The word was another option's value, or one of several targets, whose
	 * own options are each one's (qmpsh_config_parse_target()), their
	 * mistakes too: the run takes only the defaults
	 */
	if (own)
		qmpsh_options_clear (options);
	g_ptr_array_unref (entries);
	entries = pick_entries (self, NULL, named);
	if (!parse_with (self, entries, argc, argv, options, suggest_help, error))
		return FALSE;
	if (!own && options->targets == NULL) {
		qmpsh_options_clear (options);
		memset (options, 0, sizeof (*options));
		g_propagate_error (error, g_steal_pointer (&own_error));
		return FALSE;
	}
	return TRUE;
}

/**
 * qmpsh_config_parse_target:
 * @self: (nullable): the config, or %NULL for none
 * @name: one of several addresses given on the command line
 * @options: where the options go
 * @argc: the command line's count
 * @argv: the command line, left as it is
 * @error: a #GError, or %NULL
 *
 * When @name is a `[target NAME]` (and no such path exists), the options
 * that connection takes: as qmpsh_config_parse_options() would give them
 * were @name the one address, with the target's address in @options'
 * address.
 *
 * Returns: %TRUE with @options set, %FALSE without touching them when
 *   @name is no target, or %FALSE with @error saying what is wrong
 */
gboolean
qmpsh_config_parse_target (QmpshConfig *self, const gchar *name, QmpshOptions *options, gint argc,
			   gchar **argv, GError **error)
{
	g_autoptr (GHashTable) named = named_on_command_line (argc, argv);
	g_autoptr (GPtrArray) entries = NULL;
	QmpshConfigTarget *target;
	gboolean suggest_help = FALSE;

	if (self == NULL || g_file_test (name, G_FILE_TEST_EXISTS))
		return FALSE;
	target = g_hash_table_lookup (self->targets, name);
	if (target == NULL)
		return FALSE;
	entries = pick_entries (self, target, named);
	if (!parse_with (self, entries, argc, argv, options, &suggest_help, error))
		return FALSE;
	g_free (options->address);
	options->address = g_strdup (target->address);
	return TRUE;
}
