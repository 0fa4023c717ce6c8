/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <gmodule.h>

#include "qmp-tls-module.h"
#include "qmp-tls-private.h"

/* the module's one exported symbol: the rest is built with hidden visibility */
G_MODULE_EXPORT const QmpTlsModule *qmp_tls_module_get (void);

/**
 * qmp_tls_module_get:
 *
 * Returns: (transfer none): the table of the module's functions
 */
G_MODULE_EXPORT const QmpTlsModule *
qmp_tls_module_get (void)
{
	static const QmpTlsModule module = {
		.config_get_type = qmp_tls_config_get_type,
		.config_new = qmp_tls_config_new,
		.config_new_from_dir = qmp_tls_config_new_from_dir,
		.config_set_ca_file = qmp_tls_config_set_ca_file,
		.config_set_cert_file = qmp_tls_config_set_cert_file,
		.config_set_key_file = qmp_tls_config_set_key_file,
		.config_get_ca_file = qmp_tls_config_get_ca_file,
		.config_get_cert_file = qmp_tls_config_get_cert_file,
		.config_get_key_file = qmp_tls_config_get_key_file,
		.config_set_hostname = qmp_tls_config_set_hostname,
		.config_get_hostname = qmp_tls_config_get_hostname,
		.config_set_psk_file = qmp_tls_config_set_psk_file,
		.config_get_psk_file = qmp_tls_config_get_psk_file,
		.config_set_psk_username = qmp_tls_config_set_psk_username,
		.config_get_psk_username = qmp_tls_config_get_psk_username,
		.config_is_psk = qmp_tls_config_is_psk,
		.config_set_priority = qmp_tls_config_set_priority,
		.config_get_priority = qmp_tls_config_get_priority,
		.config_set_handshake_timeout = qmp_tls_config_set_handshake_timeout,
		.config_get_handshake_timeout = qmp_tls_config_get_handshake_timeout,
		.config_check = qmp_tls_config_check,
		.stream_get_type = qmp_tls_stream_get_type,
		.stream_new = qmp_tls_stream_new,
		.stream_handshake_async = qmp_tls_stream_handshake_async,
		.stream_handshake_finish = qmp_tls_stream_handshake_finish,
	};

	return &module;
}
