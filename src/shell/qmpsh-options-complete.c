/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-options-private.h"

#include <sys/stat.h>

/*
 * `qmpsh --complete-args=SHELL -- LINE`: the words qmpsh's own command line
 * can go on with, one a line, for the bash and zsh completions, which only
 * ask this; so they never drift from the option table. A word ending in `=`
 * or `/` is one the user goes on typing: the shell adds no space after it.
 */

typedef enum {
	VALUE_NONE,
	VALUE_FILE,
	VALUE_DIR,
	VALUE_ADDRESS,
	VALUE_WHEN,
} ValueKind;

static ValueKind
value_kind (const GOptionEntry *entry)
{
	if (g_strcmp0 (entry->long_name, "color") == 0)
		return VALUE_WHEN;
	if (g_strcmp0 (entry->long_name, "tls-creds") == 0)
		return VALUE_DIR;
	if (g_strcmp0 (entry->long_name, "listen") == 0)
		return VALUE_ADDRESS;
	return entry->arg == G_OPTION_ARG_FILENAME ? VALUE_FILE : VALUE_NONE;
}

static gboolean
takes_value (const GOptionEntry *entry)
{
	return entry->arg != G_OPTION_ARG_NONE && !(entry->flags & G_OPTION_FLAG_NO_ARG);
}

/* the entry that WORD (`--name`, `-x`) names, or NULL */
static const GOptionEntry *
find_entry (QmpshOptionsGroup *groups, const gchar *word, gsize len)
{
	for (guint i = 0; groups[i].title != NULL; i++) {
		for (const GOptionEntry *e = groups[i].entries; e->long_name != NULL; e++) {
			if (len > 2 && word[1] == '-' && strlen (e->long_name) == len - 2 &&
			    strncmp (word + 2, e->long_name, len - 2) == 0)
				return e;
			if (len == 2 && word[1] != '-' && e->short_name == word[1])
				return e;
		}
	}
	return NULL;
}

static void
add (GPtrArray *out, const gchar *prefix, const gchar *word, const gchar *typed)
{
	if (g_str_has_prefix (word, typed))
		g_ptr_array_add (out, g_strconcat (prefix, word, NULL));
}

static gint
sort_names (gconstpointer a, gconstpointer b)
{
	return strcmp (*(const gchar *const *)a, *(const gchar *const *)b);
}

/* the entries of PATH's directory that go on PATH: directories, and files of the kind asked */
static void
add_paths (GPtrArray *out, const gchar *prefix, const gchar *path, ValueKind kind)
{
	const gchar *slash = strrchr (path, '/');
	g_autofree gchar *typed_dir = slash != NULL ? g_strndup (path, slash - path + 1) : NULL;
	g_autofree gchar *dir = NULL;
	const gchar *base = slash != NULL ? slash + 1 : path;
	g_autoptr (GDir) listing = NULL;
	g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
	const gchar *name;

	if (typed_dir != NULL && g_str_has_prefix (typed_dir, "~/"))
		dir = g_build_filename (g_get_home_dir (), typed_dir + 2, NULL);
	else
		dir = g_strdup (typed_dir != NULL ? typed_dir : ".");
	listing = g_dir_open (dir, 0, NULL);
	while (listing != NULL && (name = g_dir_read_name (listing)) != NULL) {
		g_autofree gchar *file = g_build_filename (dir, name, NULL);
		struct stat st;

		if (!g_str_has_prefix (name, base) || (name[0] == '.' && base[0] != '.') ||
		    stat (file, &st) != 0)
			continue;
		if (S_ISDIR (st.st_mode))
			g_ptr_array_add (found, g_strconcat (name, "/", NULL));
		else if (kind == VALUE_FILE || (kind == VALUE_ADDRESS && S_ISSOCK (st.st_mode)))
			g_ptr_array_add (found, g_strdup (name));
	}
	g_ptr_array_sort (found, sort_names);
	for (guint i = 0; i < found->len; i++) {
		g_autofree gchar *with_dir =
			g_strconcat (typed_dir != NULL ? typed_dir : "", found->pdata[i], NULL);
		add (out, prefix, with_dir, "");
	}
}

static void
add_value (GPtrArray *out, const gchar *prefix, ValueKind kind, const gchar *typed)
{
	static const gchar *const when[] = { "auto", "always", "never" };

	if (kind == VALUE_WHEN) {
		for (guint i = 0; i < G_N_ELEMENTS (when); i++)
			add (out, prefix, when[i], typed);
	} else if (kind == VALUE_ADDRESS && g_str_has_prefix (typed, "unix:")) {
		g_autofree gchar *with = g_strconcat (prefix, "unix:", NULL);
		add_paths (out, with, typed + 5, VALUE_ADDRESS);
	} else if (kind != VALUE_NONE) {
		add_paths (out, prefix, typed, kind);
	}
}

static void
add_options (GPtrArray *out, QmpshOptionsGroup *groups, const gchar *typed)
{
	for (guint i = 0; groups[i].title != NULL; i++) {
		for (const GOptionEntry *e = groups[i].entries; e->long_name != NULL; e++) {
			g_autofree gchar *name = NULL;

			if (e->long_name[0] == '\0' || (e->flags & G_OPTION_FLAG_HIDDEN))
				continue;
			if (e->flags & G_OPTION_FLAG_OPTIONAL_ARG) {
				g_autofree gchar *bare = g_strconcat ("--", e->long_name, NULL);
				add (out, "", bare, typed);
			}
			name = g_strconcat ("--", e->long_name, takes_value (e) ? "=" : "", NULL);
			add (out, "", name, typed);
			if (e->short_name != 0 && !g_str_has_prefix (typed, "--")) {
				gchar shrt[] = { '-', e->short_name, '\0' };
				add (out, "", shrt, typed);
			}
		}
	}
}

/* the words of LINE after the program's name; the last is the one being typed */
static gchar **
split_line (const gchar *line)
{
	static const gchar *const closers[] = { "", "\"", "'" };
	gsize len = strlen (line);
	gboolean fresh = len == 0 || line[len - 1] == ' ' || line[len - 1] == '\t';

	for (guint i = 0; i < G_N_ELEMENTS (closers); i++) {
		g_autofree gchar *closed = g_strconcat (line, closers[i], fresh ? " ''" : "", NULL);
		gchar **argv = NULL;

		if (g_shell_parse_argv (closed, NULL, &argv, NULL))
			return argv;
	}
	return NULL;
}

/*
 * Whether the N words before the one typed rule out an address: --launch or
 * --listen; an address before does not, as several run the commands on each
 */
static gboolean
has_target (QmpshOptionsGroup *groups, gchar **words, guint n)
{
	for (guint i = 0; i < n; i++) {
		const GOptionEntry *entry = NULL;

		if (words[i][0] != '-')
			continue;
		if (strchr (words[i], '=') == NULL)
			entry = find_entry (groups, words[i], strlen (words[i]));
		if (entry != NULL && (g_str_equal (entry->long_name, "launch") ||
				      g_str_equal (entry->long_name, "listen")))
			return TRUE;
		/* `-c CMD`: CMD is the option's, not an address */
		if (entry != NULL && takes_value (entry) &&
		    !(entry->flags & G_OPTION_FLAG_OPTIONAL_ARG))
			i++;
	}
	return FALSE;
}

static void
complete_words (GPtrArray *out, QmpshOptionsGroup *groups, gchar **words, guint n,
		const gchar *const *names)
{
	const gchar *typed = words[n - 1];
	const gchar *prev = n >= 2 ? words[n - 2] : NULL;
	const GOptionEntry *entry;
	const gchar *eq;

	for (guint i = 0; i + 1 < n; i++) {
		if (g_strcmp0 (words[i], "--") == 0)
			return; /* the QEMU command line: the shell's own completion */
	}
	if (prev != NULL && prev[0] == '-' && typed[0] != '-' &&
	    (entry = find_entry (groups, prev, strlen (prev))) != NULL && takes_value (entry) &&
	    !(entry->flags & G_OPTION_FLAG_OPTIONAL_ARG)) {
		add_value (out, "", value_kind (entry), typed);
		return;
	}
	if (g_str_has_prefix (typed, "--") && (eq = strchr (typed, '=')) != NULL) {
		g_autofree gchar *prefix = g_strndup (typed, eq - typed + 1);

		if ((entry = find_entry (groups, typed, eq - typed)) != NULL)
			add_value (out, prefix, value_kind (entry), eq + 1);
		return;
	}
	if (typed[0] == '-') {
		add_options (out, groups, typed);
		return;
	}
	if (has_target (groups, words, n - 1))
		return;
	add_value (out, "", VALUE_ADDRESS, typed);
	/* a name is no path: a config target, a VM's -name, a TCP monitor's HOST:PORT */
	for (guint i = 0; names != NULL && names[i] != NULL && strchr (typed, '/') == NULL; i++) {
		if (!g_ptr_array_find_with_equal_func (out, names[i], g_str_equal, NULL))
			add (out, "", names[i], typed);
	}
}

/* bash replaces only what follows the last `=` or `:` of the word (COMP_WORDBREAKS) */
static gchar *
for_bash (const gchar *word, gsize skip)
{
	GString *quoted = g_string_new (NULL);

	for (const gchar *p = word + skip; *p != '\0'; p++) {
		if (strchr (" \t\\\"'$`<>|&;()*?[]!{}#", *p) != NULL)
			g_string_append_c (quoted, '\\');
		g_string_append_c (quoted, *p);
	}
	return g_string_free (quoted, FALSE);
}

/**
 * qmpsh_options_complete:
 * @shell: `bash` or `zsh`
 * @line: the command line up to the cursor, from the program's name on
 * @names: (nullable): what else an address may be: targets, VM names, HOST:PORT
 *
 * Returns: (transfer full): the words that can stand for the one under the
 *   cursor, quoted for @shell, one a line
 */
gchar *
qmpsh_options_complete (const gchar *shell, const gchar *line, const gchar *const *names)
{
	QmpshOptions self = { 0 };
	QmpshOptionsRaw raw = { 0 };
	QmpshOptionsGroup *groups = qmpsh_options_groups (&self, &raw);
	g_auto (GStrv) words = split_line (line);
	g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
	GString *text = g_string_new (NULL);
	guint n = words != NULL ? g_strv_length (words) : 0;

	if (n >= 2)
		complete_words (out, groups, words + 1, n - 1, names);
	qmpsh_options_groups_free (groups);
	for (guint i = 0; i < out->len; i++) {
		const gchar *typed = words[n - 1];
		const gchar *cut = strpbrk (typed, "=:");
		gsize skip = 0;

		/* the last `=` or `:` of what is typed: bash keeps what is before it */
		while (cut != NULL) {
			skip = cut - typed + 1;
			cut = strpbrk (cut + 1, "=:");
		}
		if (g_strcmp0 (shell, "bash") == 0) {
			g_autofree gchar *word = for_bash (out->pdata[i], skip);
			g_string_append_printf (text, "%s\n", word);
		} else {
			g_string_append_printf (text, "%s\n", (const gchar *)out->pdata[i]);
		}
	}
	return g_string_free (text, FALSE);
}
