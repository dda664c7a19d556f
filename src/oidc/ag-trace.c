/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A trace of the core's steps, for run-bench's breakdown of where a
 * sign-in's milliseconds go. Names only: nothing secret is recorded. */

#include "config.h"

#include "ag-trace.h"

static gint enabled = -1;
static GMutex lock;
static GArray *marks;

static void
mark_clear (AgTraceMark *mark)
{
  g_free (mark->phase);
}

gboolean
ag_trace_enabled (void)
{
  if (G_UNLIKELY (g_atomic_int_get (&enabled) < 0))
    g_atomic_int_set (&enabled, g_strcmp0 (g_getenv ("AG_TRACE"), "1") == 0);
  return g_atomic_int_get (&enabled) > 0;
}

void
ag_trace_enable (void)
{
  g_atomic_int_set (&enabled, 1);
}

void
ag_trace_mark_server (const char *phase,
                      double      server_ms)
{
  AgTraceMark mark;

  if (!ag_trace_enabled ())
    return;
  mark.usec = g_get_monotonic_time ();
  mark.phase = g_strdup (phase);
  mark.server_ms = server_ms;
  g_mutex_lock (&lock);
  if (marks == NULL)
    {
      marks = g_array_new (FALSE, FALSE, sizeof (AgTraceMark));
      g_array_set_clear_func (marks, (GDestroyNotify) mark_clear);
    }
  g_array_append_val (marks, mark);
  g_mutex_unlock (&lock);
}

void
ag_trace_mark (const char *phase)
{
  ag_trace_mark_server (phase, -1);
}

gboolean
ag_trace_has (const char *phase)
{
  gboolean found = FALSE;

  g_mutex_lock (&lock);
  for (guint i = 0; marks != NULL && i < marks->len && !found; i++)
    found = g_str_equal (g_array_index (marks, AgTraceMark, i).phase, phase);
  g_mutex_unlock (&lock);
  return found;
}

GArray *
ag_trace_take (void)
{
  GArray *taken;

  g_mutex_lock (&lock);
  taken = marks;
  marks = NULL;
  g_mutex_unlock (&lock);
  if (taken == NULL)
    {
      taken = g_array_new (FALSE, FALSE, sizeof (AgTraceMark));
      g_array_set_clear_func (taken, (GDestroyNotify) mark_clear);
    }
  return taken;
}
