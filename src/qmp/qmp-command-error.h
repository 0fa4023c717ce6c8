/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <glib.h>

#include "qmp-message.h"

G_BEGIN_DECLS

#define QMP_COMMAND_ERROR qmp_command_error_quark ()

/**
 * QmpCommandErrorClass:
 *
 * The server's error classes (QAPI's `QapiErrorClass`); the error's message is
 * the server's `desc`. A class this list does not know maps to
 * %QMP_COMMAND_ERROR_GENERIC_ERROR.
 */
typedef enum {
	QMP_COMMAND_ERROR_GENERIC_ERROR,
	QMP_COMMAND_ERROR_COMMAND_NOT_FOUND,
	QMP_COMMAND_ERROR_DEVICE_NOT_ACTIVE,
	QMP_COMMAND_ERROR_DEVICE_NOT_FOUND,
	QMP_COMMAND_ERROR_KVM_MISSING_CAP,
} QmpCommandErrorClass;

GQuark qmp_command_error_quark (void);
QmpCommandErrorClass qmp_command_error_class_from_string (const gchar *name);
const gchar *qmp_command_error_class_to_string (QmpCommandErrorClass klass);
gboolean qmp_command_error_from_reply (QmpMessage *reply, GError **error);

G_END_DECLS
