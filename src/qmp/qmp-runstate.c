/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmp-runstate.h"

/* by hand: G_DEFINE_ENUM_TYPE needs GLib 2.74, and the floor is 2.68 */
GType
qmp_runstate_get_type (void)
{
	static gsize type_id = 0;
	static const GEnumValue values[] = {
		{ QMP_RUNSTATE_IDLE, "QMP_RUNSTATE_IDLE", "idle" },
		{ QMP_RUNSTATE_CONNECTING, "QMP_RUNSTATE_CONNECTING", "connecting" },
		{ QMP_RUNSTATE_RUNNING, "QMP_RUNSTATE_RUNNING", "running" },
		{ QMP_RUNSTATE_DISCONNECTING, "QMP_RUNSTATE_DISCONNECTING", "disconnecting" },
		{ 0, NULL, NULL },
	};

	if (g_once_init_enter (&type_id)) {
		GType id = g_enum_register_static (g_intern_static_string ("QmpRunstate"), values);
		g_once_init_leave (&type_id, id);
	}
	return type_id;
}

/**
 * qmp_runstate_to_string:
 * @runstate: a runstate
 *
 * Returns: its name, in capitals, as users see it
 */
const gchar *
qmp_runstate_to_string (QmpRunstate runstate)
{
	switch (runstate) {
	case QMP_RUNSTATE_IDLE:
		return "IDLE";
	case QMP_RUNSTATE_CONNECTING:
		return "CONNECTING";
	case QMP_RUNSTATE_RUNNING:
		return "RUNNING";
	case QMP_RUNSTATE_DISCONNECTING:
		return "DISCONNECTING";
	default:
		return "UNKNOWN";
	}
}
