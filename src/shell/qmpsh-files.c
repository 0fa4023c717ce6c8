/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-files.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * The files qmpsh writes (the history, a transcript) hold commands, and
 * commands can hold secrets. Nobody else may aim them elsewhere: a symbolic
 * link is followed only when it belongs to the user (or root), as the
 * kernel's protected_symlinks does in sticky directories, and a directory
 * others can write to is not trusted to hold them.
 */

static gboolean
qmpsh_files_trusted_owner (uid_t uid)
{
	return uid == getuid () || uid == 0;
}

static gboolean
qmpsh_files_fail (GError **error, int saved, const gchar *what, const gchar *path)
{
	g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "cannot %s%s: %s", what,
		     path, g_strerror (saved));
	return FALSE;
}

/**
 * qmpsh_files_open_append:
 * @path: a file to append to, made with mode 0600 if missing
 * @what: what it is, for messages ("the log")
 * @error: a #GError, or %NULL
 *
 * Returns: a descriptor open for appending, or -1 with a %G_FILE_ERROR
 */
gint
qmpsh_files_open_append (const gchar *path, const gchar *what, GError **error)
{
	g_autofree gchar *verb = g_strdup_printf ("open %s ", what);
	int fd = g_open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	GStatBuf st;

	if (fd >= 0 || errno != ELOOP) {
		if (fd < 0)
			qmpsh_files_fail (error, errno, verb, path);
		return fd;
	}
	/* a symbolic link: someone else's may point anywhere */
	if (g_lstat (path, &st) != 0) {
		qmpsh_files_fail (error, errno, verb, path);
		return -1;
	}
	if (!qmpsh_files_trusted_owner (st.st_uid)) {
		g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM,
			     "cannot open %s %s: it is a symbolic link that another user owns "
			     "(give the file it points to, if that is meant)",
			     what, path);
		return -1;
	}
	fd = g_open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		qmpsh_files_fail (error, errno, verb, path);
	return fd;
}

/**
 * qmpsh_files_private_dir:
 * @dir: a directory for the user's own files
 * @error: a #GError, or %NULL
 *
 * Makes @dir (mode 0700) if it is missing; an existing one must belong to
 * the user and be writable by nobody else.
 *
 * Returns: %TRUE if @dir can hold private files
 */
gboolean
qmpsh_files_private_dir (const gchar *dir, GError **error)
{
	GStatBuf st;

	if (g_mkdir_with_parents (dir, 0700) != 0)
		return qmpsh_files_fail (error, errno, "make ", dir);
	if (g_lstat (dir, &st) != 0)
		return qmpsh_files_fail (error, errno, "read ", dir);
	if (!S_ISDIR (st.st_mode) || st.st_uid != getuid ()) {
		g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM,
			     "%s is not a directory of yours", dir);
		return FALSE;
	}
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM,
			     "%s is writable by others (fix it with chmod go-w)", dir);
		return FALSE;
	}
	return TRUE;
}

/**
 * qmpsh_files_private_file:
 * @path: a file in a private directory, made empty with mode 0600 if missing
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE if @path is a regular file of the user's, not a link
 */
gboolean
qmpsh_files_private_file (const gchar *path, GError **error)
{
	int fd = g_open (path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	GStatBuf st;
	int saved;

	if (fd < 0) {
		saved = errno;
		if (saved == ELOOP) {
			g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM,
				     "%s is a symbolic link; qmpsh writes only a file of its own "
				     "there",
				     path);
			return FALSE;
		}
		return qmpsh_files_fail (error, saved, "open ", path);
	}
	if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || st.st_uid != getuid ()) {
		close (fd);
		g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM, "%s is not a file of yours",
			     path);
		return FALSE;
	}
	close (fd);
	return TRUE;
}

/**
 * qmpsh_files_state_dir:
 *
 * The XDG base directory for state (the history lives there):
 * `$XDG_STATE_HOME` when it is an absolute path, or else `~/.local/state`.
 * By hand, as g_get_user_state_dir() needs GLib 2.72 and the floor is 2.68.
 *
 * Returns: (transfer full): the directory, which may not exist yet
 */
gchar *
qmpsh_files_state_dir (void)
{
	const gchar *env = g_getenv ("XDG_STATE_HOME");

	/* the XDG base directory spec: a relative path is invalid, and ignored */
	if (env != NULL && g_path_is_absolute (env))
		return g_strdup (env);
	return g_build_filename (g_get_home_dir (), ".local", "state", NULL);
}
