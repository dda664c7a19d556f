/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ag-validate.h"

G_BEGIN_DECLS

#define AG_TYPE_CONFIG (ag_config_get_type ())

G_DECLARE_FINAL_TYPE (AgConfig, ag_config, AG, CONFIG, GObject)

/**
 * ag_config_new:
 * Validates the settings and returns a configuration, or %NULL with an
 * %AUTHGEAR_ERROR_CONFIGURATION error naming the setting and why. @domain without a
 * scheme means https://; plain http is accepted for loopback hosts only.
 * @client_secret, @redirect_uri and @scopes may be %NULL (defaults apply).
 */
AgConfig    *ag_config_new                (const char  *domain,
                                           const char  *client_id,
                                           const char  *client_secret,
                                           const char  *redirect_uri,
                                           const char  *scopes,
                                           GError     **error);

const char  *ag_config_get_issuer         (AgConfig    *self);
const char  *ag_config_get_client_id      (AgConfig    *self);
const char  *ag_config_get_client_secret  (AgConfig    *self);
const char  *ag_config_get_redirect_uri   (AgConfig    *self);
/* Where Authgear sends the browser after Logout: the redirect URI's origin
 * and "/" (register it in the portal beside the redirect URI). */
const char  *ag_config_get_post_logout_redirect_uri (AgConfig *self);
const char  *ag_config_get_scopes         (AgConfig    *self);

G_END_DECLS
