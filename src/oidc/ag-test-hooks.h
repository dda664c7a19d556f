/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hooks for the core's tests only: neither the library's users nor the app
 * call these. */
#pragma once

#include "ag-session.h"

G_BEGIN_DECLS

/* The first retry delay after a passing refresh failure (30 s by default);
 * the back-off doubles from there, capped at 30 times it. */
void ag_session_set_refresh_retry_first_ms (AgSession *self,
                                            guint      msec);

G_END_DECLS
