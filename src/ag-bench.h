/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* For build-aux/run-bench (hidden options): what to report and when to
 * quit. With AG_BENCH set, the window also reports callback-to-Welcome. */
typedef enum
{
  AG_BENCH_NONE,
  AG_BENCH_EXIT_AFTER_FIRST_FRAME,   /* print the time of the first frame, quit */
  AG_BENCH_EXIT_WHEN_SIGNED_IN,      /* the same, for the first frame showing Welcome */
} AgBenchMode;

void ag_bench_set_mode        (AgBenchMode  mode);

/* Notes that the start reached @phase (a static string), the first time
 * only: main, toolkit ready, window built, session known. Always kept
 * (a clock read); printed with the first frame when a benchmark asks. */
void ag_bench_mark            (const char  *phase);
/* Prints the marks and the number of shared libraries mapped. */
void ag_bench_print_start     (void);

/* Watches @window's frames when a benchmark asks; @stack is the page stack
 * whose "user" page is Welcome. */
void ag_bench_watch_window    (GtkWidget   *window,
                               GtkStack    *stack);
/* The sign-in page reached the redirect URI (AG_BENCH). */
void ag_bench_redirect_seen   (GtkWidget   *window);
/* The window switched pages: reports callback-to-Welcome once Welcome is
 * the visible page. */
void ag_bench_page_switched   (GtkWidget   *window);

G_END_DECLS
