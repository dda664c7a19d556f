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

#define AG_TYPE_CONFIG (ag_config_get_type ())

G_DECLARE_FINAL_TYPE (AgConfig, ag_config, AG, CONFIG, GObject)

/**
 * ag_config_new:
 * Validates the settings and returns a configuration, or %NULL with an
 * %AG_ERROR_CONFIGURATION error naming the setting and why. @domain without a
 * scheme means https://; plain http is accepted for loopback hosts only.
 * @client_secret, @redirect_uri and @scopes may be %NULL (defaults apply).
 */
AgConfig    *ag_config_new                (const char  *domain,
                                           const char  *client_id,
                                           const char  *client_secret,
                                           const char  *redirect_uri,
                                           const char  *scopes,
                                           GError     **error);

/* The largest .env file read, in bytes. */
#define AG_DOTENV_MAX_SIZE (64 * 1024)

/**
 * ag_config_load:
 * Reads AUTHGEAR_DOMAIN, AUTHGEAR_CLIENT_ID, AUTHGEAR_CLIENT_SECRET (and
 * AUTHGEAR_REDIRECT_URI, AUTHGEAR_SCOPES) from the environment, then from the
 * `.env` file at @dotenv_path (may be %NULL or missing), then from @settings
 * (may be %NULL). The first source that sets a value wins. The client secret
 * from the keyring is added later with ag_config_with_client_secret().
 * The .env file must be a regular file (not a symbolic link, FIFO or
 * device) of at most %AG_DOTENV_MAX_SIZE bytes.
 */
AgConfig    *ag_config_load               (GSettings   *settings,
                                           const char  *dotenv_path,
                                           GError     **error);

/**
 * ag_config_check_setting:
 * Checks one setting by its variable name (AUTHGEAR_DOMAIN, AUTHGEAR_CLIENT_ID,
 * AUTHGEAR_CLIENT_SECRET, AUTHGEAR_REDIRECT_URI) as a person types it. Returns
 * the value as it will be used (for the domain: the issuer URL; for an empty
 * redirect URI: the default), or %NULL with the same error ag_config_new()
 * would give.
 */
char        *ag_config_check_setting      (const char  *variable,
                                           const char  *value,
                                           GError     **error);
/* Returns a copy of @self with @client_secret (which may be %NULL). */
AgConfig    *ag_config_with_client_secret (AgConfig    *self,
                                           const char  *client_secret);

const char  *ag_config_get_issuer         (AgConfig    *self);
const char  *ag_config_get_client_id      (AgConfig    *self);
const char  *ag_config_get_client_secret  (AgConfig    *self);
const char  *ag_config_get_redirect_uri   (AgConfig    *self);
/* Where Authgear sends the browser after Logout: the redirect URI's origin
 * and "/" (register it in the portal beside the redirect URI). */
const char  *ag_config_get_post_logout_redirect_uri (AgConfig *self);
const char  *ag_config_get_scopes         (AgConfig    *self);
/* The .env file that set at least one value, or %NULL. */
const char  *ag_config_get_dotenv_path    (AgConfig    *self);
/* Whether the value named (e.g. "AUTHGEAR_DOMAIN") came from the environment
 * or a .env file rather than GSettings. */
gboolean     ag_config_is_overridden      (AgConfig    *self,
                                           const char  *variable);

/* Whether @host names this computer: localhost, 127.0.0.0/8 or ::1 (also
 * bracketed, as in a Host header). The one test of it: configuration,
 * the loopback listener and the redirect both use it. */
gboolean     ag_host_is_loopback          (const char  *host);

/**
 * ag_dotenv_parse:
 * Parses `.env` text: KEY=value lines, `#` comments, optional `export`,
 * single- or double-quoted values. No escapes are understood: a quoted value
 * is taken exactly as written between its quotes (so it cannot hold its own
 * kind of quote), and only spaces and a `#` comment may follow the closing
 * quote. An unquoted value ends at ` #`. Returns a table of strings, or
 * %NULL with an %AG_ERROR_CONFIGURATION error naming the line.
 */
GHashTable  *ag_dotenv_parse              (const char  *text,
                                           gssize       length,
                                           GError     **error);

/**
 * ag_url_is_secure:
 * Whether @uri is https, or http on a loopback host (127.0.0.0/8, ::1,
 * localhost).
 */
gboolean     ag_url_is_secure             (const char  *uri);

G_END_DECLS
