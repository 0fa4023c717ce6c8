/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * What to try, in qmpsh's options, for an error the library reports: the
 * library says what failed and names no option of ours, the shell adds
 * which option changes it.
 */

#include "qmpsh-hints.h"

#include <gio/gio.h>

#include "qmp-error.h"
#include "qmp-ssh-stream.h"
#include "qmp-tls.h"

typedef struct {
	GQuark (*domain) (void);
	gint code;
	const gchar *hint;
} QmpshHint;

static const QmpshHint hints[] = {
	{ qmp_error_quark, QMP_ERROR_MESSAGE_TOO_LARGE, "raise it with --max-message-size" },
	{ qmp_error_quark, QMP_ERROR_NOT_QMP, "for the guest agent use --ga" },
	{ qmp_tls_error_quark, QMP_TLS_ERROR_INCOMPLETE_CREDENTIALS, "--tls-cert, --tls-key" },
	{ qmp_tls_error_quark, QMP_TLS_ERROR_PSK_NO_KEY, "--tls-psk-user" },
	{ qmp_tls_error_quark, QMP_TLS_ERROR_UNKNOWN_CA, "--tls-ca" },
	{ qmp_tls_error_quark, QMP_TLS_ERROR_HOSTNAME_MISMATCH, "--tls-hostname" },
	{ qmp_tls_error_quark, QMP_TLS_ERROR_NO_CLIENT_CERT, "--tls-cert/--tls-key" },
	{ qmp_tls_error_quark, QMP_TLS_ERROR_PSK_REFUSED, "--tls-psk, --tls-psk-user" },
	{ qmp_tls_error_quark, QMP_TLS_ERROR_PSK_NOT_OFFERED, "--tls-creds, --tls-ca" },
	/* ssh's own settings are the user's ssh configuration; QMPSH_SSH can add some */
	{ qmp_ssh_stream_error_quark, QMP_SSH_ERROR_SPAWN,
	  "install OpenSSH's client, or name the command in QMPSH_SSH" },
	{ qmp_ssh_stream_error_quark, QMP_SSH_ERROR_CONNECT,
	  "is the host up, and sshd listening on that port?" },
	{ qmp_ssh_stream_error_quark, QMP_SSH_ERROR_HOST_KEY,
	  "check the key, then accept it with a plain ssh to the host once; qmpsh accepts "
	  "none itself" },
	{ qmp_ssh_stream_error_quark, QMP_SSH_ERROR_AUTH,
	  "load your key into ssh-agent or name it with IdentityFile: qmpsh runs ssh in "
	  "BatchMode, which asks for no password" },
	{ qmp_ssh_stream_error_quark, QMP_SSH_ERROR_NO_SOCKET,
	  "is QEMU (or qemu-ga) running there, with its socket at that path?" },
	{ qmp_ssh_stream_error_quark, QMP_SSH_ERROR_FORWARDING,
	  "its sshd_config needs AllowStreamLocalForwarding yes" },
};

/**
 * qmpsh_hints_for_error:
 * @error: (nullable): an error from the protocol library
 *
 * The options of qmpsh that may change what @error reports, for the end of
 * the line that shows it: "qmpsh: MESSAGE (HINT)".
 *
 * Returns: (transfer full) (nullable): what to try, or %NULL when qmpsh has
 *   no option for it
 */
gchar *
qmpsh_hints_for_error (const GError *error)
{
	if (error == NULL)
		return NULL;
	for (guint i = 0; i < G_N_ELEMENTS (hints); i++) {
		if (error->domain == hints[i].domain () && error->code == hints[i].code)
			return g_strdup (hints[i].hint);
	}
	return NULL;
}

/**
 * qmpsh_hints_describe:
 * @error: an error from the protocol library
 *
 * The text of a line that reports @error: its message, then what to try
 * in brackets when qmpsh has an option for it.
 *
 * Returns: (transfer full): "MESSAGE (HINT)" or "MESSAGE"
 */
gchar *
qmpsh_hints_describe (const GError *error)
{
	g_autofree gchar *hint = qmpsh_hints_for_error (error);

	g_return_val_if_fail (error != NULL, NULL);

	if (hint == NULL)
		return g_strdup (error->message);
	return g_strdup_printf ("%s (%s)", error->message, hint);
}

/**
 * qmpsh_hints_for_connect:
 * @error: why connecting failed
 * @address: where to
 *
 * Returns: (transfer full) (nullable): what to try, for a connection that
 *   failed, or %NULL when there is nothing to say
 */
gchar *
qmpsh_hints_for_connect (const GError *error, const gchar *address)
{
	if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
		return g_strdup_printf ("no socket there: is QEMU running with "
					"-qmp unix:%s,server=on,wait=off?",
					address);
	if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
		return g_strdup ("nothing is listening there: is QEMU running, with its QMP "
				 "monitor on this address?");
	if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
		return g_strdup ("check the socket's owner and mode, or run as its owner");
	if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
		return g_strdup ("a slow link may need a longer --greeting-timeout");
	if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
		return g_strdup ("addresses are PATH, HOST:PORT, [IPV6]:PORT or "
				 "ssh://[USER@]HOST[:PORT]/PATH");
	return qmpsh_hints_for_error (error);
}
