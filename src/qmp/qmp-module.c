/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "config.h"

#include <gmodule.h>

#include "qmp-module.h"

/*
 * The parts of qmpsh that link big libraries only some runs need (GnuTLS
 * for TLS, readline for the prompt) are modules, opened when first needed,
 * so that the runs without them never load those libraries. A module is
 * looked for where an environment variable says, then beside the program
 * (a build tree), then where it is installed ($libdir/qmpsh).
 */

/**
 * qmp_module_find:
 * @file_name: the module's file name, such as `qmp-tls.so`
 * @env: the environment variable that names another file
 * @looked: (out): where it was looked for, for a message, when it is not found
 *
 * Returns: (transfer full) (nullable): the module's path
 */
gchar *
qmp_module_find (const gchar *file_name, const gchar *env, gchar **looked)
{
	const gchar *path = g_getenv (env);
	g_autofree gchar *exe = g_file_read_link ("/proc/self/exe", NULL);
	g_autofree gchar *exe_dir = exe != NULL ? g_path_get_dirname (exe) : NULL;
	g_autofree gchar *beside =
		exe_dir != NULL ? g_build_filename (exe_dir, file_name, NULL) : NULL;
	g_autofree gchar *installed = g_build_filename (QMP_MODULE_DIR, file_name, NULL);

	if (path != NULL && path[0] != '\0')
		return g_strdup (path);
	if (beside != NULL && g_file_test (beside, G_FILE_TEST_EXISTS))
		return g_steal_pointer (&beside);
	*looked = g_strdup_printf ("%s%s%s", beside != NULL ? beside : "",
				   beside != NULL ? " or " : "", installed);
	if (g_file_test (installed, G_FILE_TEST_EXISTS))
		return g_steal_pointer (&installed);
	return NULL;
}

/**
 * qmp_module_open:
 * @path: the module
 * @symbol: the one function it exports, which hands out its table
 * @what: what the module is, for a message ("TLS module")
 * @failure: (out): why it could not be opened
 *
 * The module is never closed: the types it registers cannot be unloaded.
 *
 * Returns: (nullable): @symbol's address
 */
gpointer
qmp_module_open (const gchar *path, const gchar *symbol, const gchar *what, gchar **failure)
{
	GModule *module = g_module_open (path, G_MODULE_BIND_LOCAL);
	gpointer get = NULL;

	if (module == NULL) {
		*failure = g_strdup (g_module_error ());
		return NULL;
	}
	if (!g_module_symbol (module, symbol, &get) || get == NULL) {
		*failure = g_strdup_printf ("%s is no %s of this program", path, what);
		g_module_close (module);
		return NULL;
	}
	g_module_make_resident (module);
	return get;
}
