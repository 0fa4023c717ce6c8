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

/**
 * qmp_command_error_from_reply:
 * @reply: a reply
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE for a `return` reply; %FALSE with a %QMP_COMMAND_ERROR that
 *   keeps the server's class (as the code) and `desc` (as the message)
 */
gboolean
qmp_command_error_from_reply (QmpMessage *reply, GError **error)
{
	JsonObject *err;
	const gchar *klass;
	const gchar *desc;

	if (qmp_message_get_kind (reply) == QMP_MESSAGE_KIND_RETURN)
		return TRUE;
	err = json_object_get_object_member (qmp_message_get_object (reply), "error");
	klass = err != NULL ? json_object_get_string_member_with_default (err, "class", NULL)
			    : NULL;
	desc = err != NULL ? json_object_get_string_member_with_default (err, "desc", NULL) : NULL;
	g_set_error_literal (error, QMP_COMMAND_ERROR, qmp_command_error_class_from_string (klass),
			     desc != NULL ? desc : "the server sent a malformed error reply");
	return FALSE;
}
