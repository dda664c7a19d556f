/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include <authgear-glib.h>

#include "ag-app-config.h"

G_BEGIN_DECLS

#define AG_TYPE_APPLICATION (ag_application_get_type ())

G_DECLARE_FINAL_TYPE (AgApplication, ag_application, AG, APPLICATION, AdwApplication)

AgApplication *ag_application_new (void);

/* The .env file to read settings from (--dotenv), or %NULL. */
void           ag_application_set_dotenv_path (AgApplication *self,
                                               const char    *path);
const char    *ag_application_get_dotenv_path (AgApplication *self);

/* The application's settings (window size, the Authgear project, SSO). */
GSettings     *ag_application_get_settings    (AgApplication *self);
/* authgear-glib's client of the configured project, or %NULL while the
 * configuration is missing or its client secret is read from the keyring
 * ("notify::client"). */
AuthgearClient *ag_application_get_client     (AgApplication *self);
/* The configuration in use (with its client secret), or %NULL. */
AgAppConfig   *ag_application_get_config      (AgApplication *self);
/* Why there is no configuration, or %NULL. */
const GError  *ag_application_get_config_error (AgApplication *self);

/* Reads the configuration again (after Preferences changed it) and starts
 * a new session with it: the stored session for that project is restored;
 * another project's session stays in the keyring. The old session is
 * dropped, with any sign-in of it. */
void           ag_application_reload_configuration (AgApplication *self);
void           ag_application_continue_without_keyring (AgApplication *self);
gboolean       ag_application_get_without_keyring (AgApplication *self);

/* The exit status of this process's own --print-* command. */
void            ag_application_set_command_status (AgApplication *self,
                                                   int            status);
int             ag_application_get_command_status (AgApplication *self);

G_END_DECLS
