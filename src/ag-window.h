/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AG_TYPE_WINDOW (ag_window_get_type ())

G_DECLARE_FINAL_TYPE (AgWindow, ag_window, AG, WINDOW, AdwApplicationWindow)

#include "ag-config.h"

typedef enum
{
  AG_BENCH_NONE,
  AG_BENCH_EXIT_AFTER_FIRST_FRAME,   /* print the time of the first frame, quit */
  AG_BENCH_EXIT_WHEN_SIGNED_IN,      /* the same, for the first frame showing Welcome */
} AgBenchMode;

AgWindow *ag_window_new                   (GtkApplication *application);

/* For build-aux/run-bench (hidden options): what to report and when to
 * quit. With AG_BENCH set, the window also reports callback-to-Welcome. */
void      ag_window_set_bench_mode        (AgBenchMode     mode);

/* The configuration in use, or %NULL when it is missing or not valid. */
AgConfig *ag_window_get_config            (AgWindow       *self);

/* Reads the configuration again (after Preferences changed it) and starts
 * over with it: the stored session for that project is restored; another
 * project's session stays in the keyring. */
void      ag_window_reload_configuration  (AgWindow       *self);

G_END_DECLS
