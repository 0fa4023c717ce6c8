/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmp-runstate.h"

G_DEFINE_ENUM_TYPE (QmpRunstate, qmp_runstate, G_DEFINE_ENUM_VALUE (QMP_RUNSTATE_IDLE, "idle"),
		    G_DEFINE_ENUM_VALUE (QMP_RUNSTATE_CONNECTING, "connecting"),
		    G_DEFINE_ENUM_VALUE (QMP_RUNSTATE_RUNNING, "running"),
		    G_DEFINE_ENUM_VALUE (QMP_RUNSTATE_DISCONNECTING, "disconnecting"))

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
