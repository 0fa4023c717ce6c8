/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmpsh-config.h"
#include "qmpsh-exit.h"
#include "qmpsh-options.h"

G_BEGIN_DECLS

QmpshExit qmpsh_fleet_run (const QmpshOptions *options, QmpshConfig *config, gint argc,
			   gchar **argv);

G_END_DECLS
