/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmp-command-error.h"

/* the quark names are not expressions */
/* clang-format off */
G_DEFINE_QUARK (qmp-command-error-quark, qmp_command_error)
/* clang-format on */

static const gchar *const class_names[] = {
	[QMP_COMMAND_ERROR_GENERIC_ERROR] = "GenericError",
	[QMP_COMMAND_ERROR_COMMAND_NOT_FOUND] = "CommandNotFound",
	[QMP_COMMAND_ERROR_DEVICE_NOT_ACTIVE] = "DeviceNotActive",
	[QMP_COMMAND_ERROR_DEVICE_NOT_FOUND] = "DeviceNotFound",
	[QMP_COMMAND_ERROR_KVM_MISSING_CAP] = "KVMMissingCap",
};

/**
 * qmp_command_error_class_from_string:
 * @name: (nullable): a QMP error class as the server sent it
 *
 * Returns: the matching class, or %QMP_COMMAND_ERROR_GENERIC_ERROR
 */
QmpCommandErrorClass
qmp_command_error_class_from_string (const gchar *name)
{
	for (guint i = 0; name != NULL && i < G_N_ELEMENTS (class_names); i++) {
		if (g_strcmp0 (class_names[i], name) == 0)
			return i;
	}
	return QMP_COMMAND_ERROR_GENERIC_ERROR;
}

/**
 * qmp_command_error_class_to_string:
 * @klass: a class
 *
 * Returns: the class as QMP spells it
 */
const gchar *
qmp_command_error_class_to_string (QmpCommandErrorClass klass)
{
	if ((guint)klass >= G_N_ELEMENTS (class_names))
		return class_names[QMP_COMMAND_ERROR_GENERIC_ERROR];
	return class_names[klass];
}
