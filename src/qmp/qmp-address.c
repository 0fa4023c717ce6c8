/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/* Addresses as users write them, and back: what QmpTransport dials and binds. */

#include "qmp-address.h"
#include "qmp-error.h"

#include <gio/gunixsocketaddress.h>
#include <string.h>

/**
 * qmp_address_parse:
 * @address: `PATH`, `unix:PATH`, `HOST:PORT`, `tcp:HOST:PORT` or `[IPV6]:PORT`
 * @error: a #GError, or %NULL
 *
 * A name with a `/` or without a `:` is a UNIX socket path. An `ssh://`
 * address is no socket address: see qmp_address_parse_ssh().
 *
 * Returns: (transfer full): where to connect, or %NULL with
 *   %G_IO_ERROR_INVALID_ARGUMENT, or %QMP_ERROR_UNSUPPORTED for `ssh://`
 */
GSocketConnectable *
qmp_address_parse (const gchar *address, GError **error)
{
	g_autoptr (GError) error_local = NULL;
	GSocketConnectable *connectable;

	if (address == NULL || address[0] == '\0') {
		g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
				     "empty address");
		return NULL;
	}
	if (qmp_address_is_ssh (address)) {
		g_set_error_literal (error, QMP_ERROR, QMP_ERROR_UNSUPPORTED,
				     "an ssh:// address can be connected to, not listened on");
		return NULL;
	}
	if (g_str_has_prefix (address, "unix:"))
		return G_SOCKET_CONNECTABLE (g_unix_socket_address_new (address + 5));
	if (g_str_has_prefix (address, "tcp:"))
		address += 4;
	else if (strchr (address, '/') != NULL || strchr (address, ':') == NULL)
		return G_SOCKET_CONNECTABLE (g_unix_socket_address_new (address));

	connectable = g_network_address_parse (address, 0, &error_local);
	if (connectable == NULL) {
		g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
			     "'%s' is neither HOST:PORT, [IPV6]:PORT nor a socket path: %s",
			     address, error_local->message);
		return NULL;
	}
	/* ":0" asks the system to pick a port, for listening */
	if (g_network_address_get_port (G_NETWORK_ADDRESS (connectable)) == 0 &&
	    !g_str_has_suffix (address, ":0")) {
		g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
			     "'%s' has no port: write HOST:PORT", address);
		g_object_unref (connectable);
		return NULL;
	}
	return connectable;
}

/**
 * qmp_address_to_string:
 * @address: a UNIX or an IP socket address
 *
 * Returns: (transfer full): @address in a form qmp_address_parse() reads:
 *   a path, `HOST:PORT` or `[IPV6]:PORT`
 */
gchar *
qmp_address_to_string (GSocketAddress *address)
{
	GInetAddress *inet;
	g_autofree gchar *host = NULL;

	g_return_val_if_fail (G_IS_SOCKET_ADDRESS (address), NULL);
	if (G_IS_UNIX_SOCKET_ADDRESS (address))
		return g_strdup (g_unix_socket_address_get_path (G_UNIX_SOCKET_ADDRESS (address)));
	inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
	host = g_inet_address_to_string (inet);
	return g_strdup_printf (
		g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6 ? "[%s]:%u" : "%s:%u",
		host, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
}

/**
 * qmp_address_is_ssh:
 * @address: (nullable): an address
 *
 * Returns: whether @address is `ssh://[USER@]HOST[:PORT]/PATH`, a UNIX
 *   socket on another machine, reached through the system's ssh
 */
gboolean
qmp_address_is_ssh (const gchar *address)
{
	return address != NULL && g_ascii_strncasecmp (address, "ssh://", 6) == 0;
}

/**
 * qmp_address_parse_ssh:
 * @address: `ssh://[USER@]HOST[:PORT]/PATH`
 * @user: (out) (transfer full) (nullable): the user to log in as, or %NULL
 *   for ssh's choice
 * @host: (out) (transfer full): the host
 * @port: (out): the port, or -1 for ssh's choice
 * @path: (out) (transfer full): the absolute path of the socket there
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE, or %FALSE with %G_IO_ERROR_INVALID_ARGUMENT
 */
gboolean
qmp_address_parse_ssh (const gchar *address, gchar **user, gchar **host, gint *port, gchar **path,
		       GError **error)
{
	g_autoptr (GUri) uri = NULL;
	g_autoptr (GError) error_local = NULL;
	const gchar *p;

	uri = g_uri_parse (address, G_URI_FLAGS_HAS_PASSWORD, &error_local);
	if (uri == NULL) {
		g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
			     "'%s' is no ssh://[USER@]HOST[:PORT]/PATH: %s", address,
			     error_local->message);
		return FALSE;
	}
	p = g_uri_get_path (uri);
	if (g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0' || p[0] != '/' ||
	    p[1] == '\0' || g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL) {
		g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
			     "'%s' is no ssh://[USER@]HOST[:PORT]/PATH: it needs a host and "
			     "the socket's absolute path",
			     address);
		return FALSE;
	}
	if (g_uri_get_password (uri) != NULL) {
		g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
			     "'%s' holds a password: ssh takes none in an address, "
			     "use a key",
			     address);
		return FALSE;
	}
	/* ssh reads LOCAL:REMOTE forwarding on the colon */
	if (strchr (p, ':') != NULL) {
		g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
			     "'%s': ssh cannot forward to a socket path with ':' in it", address);
		return FALSE;
	}
	*user = g_strdup (g_uri_get_user (uri));
	*host = g_strdup (g_uri_get_host (uri));
	*port = g_uri_get_port (uri);
	*path = g_strdup (p);
	return TRUE;
}
