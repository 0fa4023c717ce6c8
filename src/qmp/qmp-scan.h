/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* as many top-level members as a QMP message has, and some to spare */
#define QMP_SCAN_MAX_MEMBERS 8

/* a top-level member of a scanned object: offsets into its compact text */
typedef struct {
	gsize key;
	gsize key_len;
	gsize value;
	gsize value_len;
} QmpScanMember;

/**
 * QmpScan:
 * @text: its compact form, where qmp_scan_object() was told to write it
 * @consumed: how many bytes of the input the object took, from its start
 * @len: the length of its compact form
 * @n_members: how many top-level members it has
 * @members: where they are in the compact form
 *
 * What one pass over a clean message learnt: that it is one valid JSON
 * object, its compact form, and its top-level members.
 */
typedef struct {
	const gchar *text;
	gsize consumed;
	gsize len;
	guint n_members;
	QmpScanMember members[QMP_SCAN_MAX_MEMBERS];
} QmpScan;

gboolean qmp_scan_object (const gchar *text, gsize len, gchar *out, QmpScan *scan);
gsize qmp_scan_utf8_sequence (const gchar *p, const gchar *end);

G_END_DECLS
