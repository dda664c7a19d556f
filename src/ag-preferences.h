/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ag-app-config.h"

G_BEGIN_DECLS

#define AG_TYPE_PREFERENCES_WINDOW (ag_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (AgPreferencesWindow, ag_preferences_window, AG, PREFERENCES_WINDOW, AdwPreferencesWindow)

/**
 * ag_preferences_window_new:
 * The Authgear project settings: domain, client ID and redirect URI in
 * GSettings, the client secret in the keyring. @config (nullable) is the
 * configuration in use, to say which values the environment or a .env file
 * override. Emits ::configuration-changed when it closes after a change.
 */
AgPreferencesWindow *ag_preferences_window_new (GtkWindow   *parent,
                                                AgAppConfig *config);

G_END_DECLS
