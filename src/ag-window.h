/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AG_TYPE_WINDOW (ag_window_get_type ())

G_DECLARE_FINAL_TYPE (AgWindow, ag_window, AG, WINDOW, AdwApplicationWindow)

/* A view of @application's session (an AgApplication). */
AgWindow *ag_window_new       (GtkApplication *application);

/* The keyboard shortcuts of the window's actions, set once on @application. */
void      ag_window_set_accels (GtkApplication *application);

G_END_DECLS
