/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AG_TYPE_WINDOW (ag_window_get_type ())

G_DECLARE_FINAL_TYPE (AgWindow, ag_window, AG, WINDOW, AdwApplicationWindow)

#include "ag-config.h"

AgWindow *ag_window_new                   (GtkApplication *application);

/* The configuration in use, or %NULL when it is missing or not valid. */
AgConfig *ag_window_get_config            (AgWindow       *self);

/* Reads the configuration again (after Preferences changed it) and, when it
 * differs, starts over with it: the stored session for the new project is
 * restored; the old one stays in the keyring. */
void      ag_window_reload_configuration  (AgWindow       *self);

G_END_DECLS
