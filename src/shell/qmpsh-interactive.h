/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmpsh-console.h"
#include "qmpsh-exit.h"
#include "qmpsh-format.h"
#include "qmpsh-session.h"

G_BEGIN_DECLS

#define QMPSH_TYPE_INTERACTIVE (qmpsh_interactive_get_type ())
G_DECLARE_FINAL_TYPE (QmpshInteractive, qmpsh_interactive, QMPSH, INTERACTIVE, GObject)

QmpshInteractive *qmpsh_interactive_new (QmpshSession *session, QmpshConsole *console,
					 const gchar *target, QmpshFormatFlags format,
					 gboolean echo);
void qmpsh_interactive_set_reconnect (QmpshInteractive *self, const gchar *address);
void qmpsh_interactive_set_pager (QmpshInteractive *self, gboolean on);
void qmpsh_interactive_start (QmpshInteractive *self);
void qmpsh_interactive_interrupt (QmpshInteractive *self);

G_END_DECLS
