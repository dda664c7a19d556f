/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The benchmark's hooks in the running program: nothing here runs unless
 * build-aux/run-bench asks (a hidden option, or AG_BENCH in the
 * environment). What they time is printed on stderr/stdout as
 * "bench: <name> <figure>" lines that run-bench reads. */

#include "config.h"

#include "ag-bench.h"

#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

typedef struct
{
  GtkStack *stack;
  gint64 callback_at;            /* monotonic µs of the last redirect */
  gboolean switch_reported;
  gboolean guest_reported;       /* the heap, once per return to the guest page */
  gboolean done;
} Bench;

static AgBenchMode bench_mode;

/* The start's phases, in the order they were reached. */
static struct
{
  const char *phase;
  gint64 usec;
} marks[8];
static guint n_marks;

void
ag_bench_mark (const char *phase)
{
  gint64 now = g_get_monotonic_time ();

  for (guint i = 0; i < n_marks; i++)
    if (g_str_equal (marks[i].phase, phase))
      return;
  if (n_marks < G_N_ELEMENTS (marks))
    marks[n_marks++] = (typeof (marks[0])) { phase, now };
}

/* The shared libraries this process has mapped (each file once). */
static guint
count_libraries (void)
{
  g_autofree char *maps = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL))
    return 0;
  lines = g_strsplit (maps, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *path = strchr (lines[i], '/');

      if (path != NULL && (g_str_has_suffix (path, ".so") || strstr (path, ".so.") != NULL))
        g_hash_table_add (seen, g_strdup (path));
    }
  return g_hash_table_size (seen);
}

/* With the first frame: where the start's time went, and what it mapped. */
void
ag_bench_print_start (void)
{
  for (guint i = 0; i < n_marks; i++)
    g_print ("bench: mark %" G_GINT64_FORMAT " %s\n", marks[i].usec, marks[i].phase);
  g_print ("bench: libraries %u\n", count_libraries ());
}

void
ag_bench_set_mode (AgBenchMode mode)
{
  bench_mode = mode;
}

static gboolean
wanted (void)
{
  return bench_mode != AG_BENCH_NONE || g_getenv ("AG_BENCH") != NULL;
}

static Bench *
bench_of (GtkWidget *window)
{
  return g_object_get_data (G_OBJECT (window), "ag-bench");
}

static gboolean
showing_welcome (Bench *bench)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (bench->stack), "user") == 0;
}

/* After a frame is painted, so that what is timed is on screen. */
static void
after_paint_cb (GdkFrameClock *clock,
                GtkWidget     *window)
{
  Bench *bench = bench_of (window);
  gboolean user = showing_welcome (bench);
  gint64 now = g_get_monotonic_time ();

  if (bench->callback_at != 0 && user)
    {
      g_printerr ("bench: callback-to-welcome-painted-us %" G_GINT64_FORMAT "\n", now - bench->callback_at);
      bench->callback_at = 0;
    }
  if (bench->done)
    return;
  if (bench_mode == AG_BENCH_EXIT_AFTER_FIRST_FRAME ||
      (bench_mode == AG_BENCH_EXIT_WHEN_SIGNED_IN && user))
    {
      bench->done = TRUE;
      ag_bench_print_start ();
      g_print ("bench: first-frame-monotonic-us %" G_GINT64_FORMAT " page %s\n", now,
               gtk_stack_get_visible_child_name (bench->stack));
      g_application_quit (g_application_get_default ());
    }
}

static void
map_cb (GtkWidget *window)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (window), "after-paint",
                           G_CALLBACK (after_paint_cb), window, 0);
}

void
ag_bench_watch_window (GtkWidget *window,
                       GtkStack  *stack)
{
  Bench *bench;

  if (!wanted ())
    return;
  bench = g_new0 (Bench, 1);
  bench->stack = stack;
  g_object_set_data_full (G_OBJECT (window), "ag-bench", bench, g_free);
  g_signal_connect_after (window, "map", G_CALLBACK (map_cb), NULL);
}

void
ag_bench_redirect_seen (GtkWidget *window)
{
  Bench *bench = bench_of (window);

  if (bench == NULL || g_getenv ("AG_BENCH") == NULL)
    return;
  bench->callback_at = g_get_monotonic_time ();
  bench->switch_reported = FALSE;
}

/* The view switched to Welcome with its labels set (what the benchmark
 * times; painting it is the toolkit's next frame). */
void
ag_bench_page_switched (GtkWidget *window)
{
  Bench *bench = bench_of (window);

  if (bench == NULL || g_getenv ("AG_BENCH") == NULL)
    return;
  /* Back on the guest page (after Logout): what the heap holds, so that
   * the benchmark can tell memory still in use from memory freed but not
   * given back to the system. */
#ifdef __GLIBC__
  if (g_strcmp0 (gtk_stack_get_visible_child_name (bench->stack), "guest") != 0)
    bench->guest_reported = FALSE;
  else if (!bench->guest_reported)
    {
      struct mallinfo2 heap = mallinfo2 ();

      /* In use; then freed but still held by malloc's arenas. */
      g_printerr ("bench: heap-in-use-bytes %zu free %zu\n", heap.uordblks + heap.hblkhd, heap.fordblks);
      bench->guest_reported = TRUE;
    }
#endif
  if (bench->callback_at == 0 || bench->switch_reported || !showing_welcome (bench))
    return;
  bench->switch_reported = TRUE;
  g_printerr ("bench: callback-to-welcome-us %" G_GINT64_FORMAT "\n",
              g_get_monotonic_time () - bench->callback_at);
}
