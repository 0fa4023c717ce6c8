/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#pragma once

#include <glib.h>

#include "qmp-json.h"
#include <stdint.h>
#include <stddef.h>

G_BEGIN_DECLS

/* what libFuzzer calls; declared here for -Wmissing-prototypes */
int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/*
 * A property of the code under test that does not hold: says which, with the
 * values that show it, and aborts, so that libFuzzer keeps the input.
 */
#define FUZZ_CHECK(cond, ...)                                                                      \
	do {                                                                                       \
		if (G_UNLIKELY (!(cond)))                                                          \
			fuzz_fail (__FILE__, __LINE__, #cond, __VA_ARGS__);                        \
	} while (0)

G_NORETURN void fuzz_fail (const gchar *file, gint line, const gchar *cond, const gchar *format,
			   ...) G_GNUC_PRINTF (4, 5);

void fuzz_init (void);
gchar *fuzz_escape (const gchar *data, gsize len);
gboolean fuzz_is_json_ws (gchar c);

/*
 * Byte-wise (memcmp) equality of two spans, for messages that show both.
 */
gboolean fuzz_equal (const gchar *a, gsize a_len, const gchar *b, gsize b_len);

/* a QmpJsonMemberFunc that appends each member to the GArray of QmpJsonMember it is given */
gboolean fuzz_collect_member (const QmpJsonMember *m, gpointer array);

G_END_DECLS
