/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include "qmp-protocol.h"

G_BEGIN_DECLS

/**
 * QmpshTranscript:
 *
 * The `--log` file: every message in and out, one line each, with the time
 * and the direction (`>>>` to the server, `<<<` from it), appended.
 */
typedef struct _QmpshTranscript QmpshTranscript;

/**
 * QmpshTranscriptFailFunc:
 * @error: why the log could not be written
 * @user_data: data
 *
 * Called the first time a write fails; later lines are dropped.
 */
typedef void (*QmpshTranscriptFailFunc) (const GError *error, gpointer user_data);

QmpshTranscript *qmpsh_transcript_open (const gchar *path, GError **error);
void qmpsh_transcript_attach (QmpshTranscript *self, QmpProtocol *protocol, const gchar *target);
void qmpsh_transcript_set_fail_func (QmpshTranscript *self, QmpshTranscriptFailFunc func,
				     gpointer user_data);
gboolean qmpsh_transcript_has_failed (QmpshTranscript *self);
void qmpsh_transcript_free (QmpshTranscript *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmpshTranscript, qmpsh_transcript_free)

G_END_DECLS
