/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmp-error.h"

/* the quark names are not expressions */
/* clang-format off */
G_DEFINE_QUARK (qmp-error-quark, qmp_error)
/* clang-format on */
