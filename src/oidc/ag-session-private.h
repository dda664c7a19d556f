/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test hooks of AgSession: not for the app. */
#pragma once

#include "ag-session.h"

G_BEGIN_DECLS

/* The first retry delay after a passing refresh failure (30 s by default);
 * the back-off doubles from there, capped at 30 times it. */
void ag_session_set_refresh_retry_first_ms (AgSession *self,
                                            guint      msec);

G_END_DECLS
