/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * TLS for QMP over TCP, with GnuTLS used directly rather than through
 * GTlsConnection, because QEMU's tls-creds-psk needs TLS-PSK, which GIO does
 * not offer: QmpTlsConfig (qmp-tls-config.h) holds the credentials as QEMU
 * lays them out; QmpTlsStream (qmp-tls-stream.h) runs one GnuTLS session on a
 * connected socket and gives QmpProtocol the pollable streams its reader and
 * writer expect.
 */

#pragma once

#include "qmp-tls-config.h"
#include "qmp-tls-error.h"
#include "qmp-tls-stream.h"
