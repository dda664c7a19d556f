/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ag-config.h"
#include "ag-session.h"
#include "ag-token-store.h"
#include "authgear-glib.h"

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
/* The one token store (the keyring), shared by the session and Preferences. */
AgTokenStore  *ag_application_get_store       (AgApplication *self);
/* The session of the configured project: %NULL while the configuration is
 * read (a client secret from the keyring) or when it is not valid. Notified
 * as "session" when it is replaced. */
AgSession     *ag_application_get_session     (AgApplication *self);
/* authgear-glib's client over that session, or %NULL without one: the
 * sign-ins, the command line. */
AuthgearClient *ag_application_get_client     (AgApplication *self);
/* The configuration in use (with its client secret), or %NULL. */
AgConfig      *ag_application_get_config      (AgApplication *self);
/* Why there is no configuration, or %NULL. */
const GError  *ag_application_get_config_error (AgApplication *self);

/* Reads the configuration again (after Preferences changed it) and starts
 * a new session with it: the stored session for that project is restored;
 * another project's session stays in the keyring. The old session is
 * dropped, with any sign-in of it. */
void           ag_application_reload_configuration (AgApplication *self);

/* The exit status of this process's own --print-* command. */
void            ag_application_set_command_status (AgApplication *self,
                                                   int            status);
int             ag_application_get_command_status (AgApplication *self);

G_END_DECLS
