/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AG_DEFAULT_REDIRECT_URI "http://localhost:3000/callback"
/* Authgear's scope for its own pages: settings and settings actions. */
#define AG_FULL_ACCESS_SCOPE "https://authgear.com/scopes/full-access"
/* The Flask guide's scopes; with full access, as Authgear's SDKs ask. */
#define AG_GUIDE_SCOPES "openid offline_access"
#define AG_DEFAULT_SCOPES AG_GUIDE_SCOPES " " AG_FULL_ACCESS_SCOPE

/* Checks one setting by its variable name (AUTHGEAR_DOMAIN,
 * AUTHGEAR_CLIENT_ID, AUTHGEAR_CLIENT_SECRET, AUTHGEAR_REDIRECT_URI,
 * AUTHGEAR_SCOPES) and returns the value to use: the issuer for the domain
 * (https:// added, no trailing slash), the default for an empty redirect
 * URI or scopes, "" for an empty secret. */
char        *ag_config_check_setting      (const char  *variable,
                                           const char  *value,
                                           GError     **error);
/* The same, with @name for the setting in the messages: the library says
 * "The endpoint" where the app says AUTHGEAR_DOMAIN. */
char        *ag_config_check_setting_as   (const char  *variable,
                                           const char  *name,
                                           const char  *value,
                                           GError     **error);
/* Whether @host names this computer: localhost, 127.0.0.0/8 or ::1 (also
 * written [::1]). */
gboolean     ag_host_is_loopback          (const char  *host);
/* https://, or http:// to this computer. */
gboolean     ag_url_is_secure             (const char  *uri);

G_END_DECLS
