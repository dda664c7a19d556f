/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One step of the core, as a trace records it (for run-bench). */
typedef struct
{
  gint64 usec;          /* g_get_monotonic_time() */
  char *phase;          /* a name only: never a token, a code or a query */
  double server_ms;     /* the provider's own time (Server-Timing), or -1 */
} AgTraceMark;

/* Whether marks are kept: AG_TRACE=1 in the environment, or a bench that
 * called ag_trace_enable(). Off, a mark costs one test. */
gboolean  ag_trace_enabled (void);
void      ag_trace_enable  (void);
/* Records @phase now. */
void      ag_trace_mark    (const char *phase);
/* Records @phase now, with the provider's time for it. */
void      ag_trace_mark_server (const char *phase,
                                double      server_ms);
/* Whether @phase was marked since the last ag_trace_take(). */
gboolean  ag_trace_has     (const char *phase);
/* The marks so far (an array of AgTraceMark, oldest first), and a new
 * empty list. Free with g_array_unref(). */
GArray   *ag_trace_take    (void);

G_END_DECLS
