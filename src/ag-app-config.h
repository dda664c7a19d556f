/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The largest .env file read, in bytes. */
#define AG_DOTENV_MAX_SIZE (64 * 1024)

/* The checked values of one Authgear project (read-only once loaded). */
typedef struct
{
  char *issuer;
  char *client_id;
  char *client_secret;       /* NULL: a public client */
  char *redirect_uri;
  char *scopes;
  GStrv overridden;          /* variables set by the environment or a .env file */
  char *dotenv_path;         /* the .env file that set at least one value, or NULL */
} AgAppConfig;

/* Reads the settings: the environment first, then the .env file at
 * @dotenv_path (a regular file of at most %AG_DOTENV_MAX_SIZE bytes, not a
 * symbolic link), then @settings. %NULL with an AUTHGEAR_ERROR_CONFIGURATION
 * error naming the setting and why. */
AgAppConfig *ag_app_config_load                (GSettings    *settings,
                                                const char   *dotenv_path,
                                                GError      **error);
AgAppConfig *ag_app_config_ref                 (AgAppConfig  *self);
void         ag_app_config_unref               (AgAppConfig  *self);
/* A copy of @self with @client_secret (which may be %NULL). */
AgAppConfig *ag_app_config_with_client_secret  (AgAppConfig  *self,
                                                const char   *client_secret);
/* Whether the value named (e.g. "AUTHGEAR_DOMAIN") came from the
 * environment or a .env file rather than GSettings. */
gboolean     ag_app_config_is_overridden       (AgAppConfig  *self,
                                                const char   *variable);

/* .env: KEY=VALUE, optional "export ", quotes, comments. */
GHashTable  *ag_dotenv_parse                   (const char   *text,
                                                gssize        length,
                                                GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgAppConfig, ag_app_config_unref)

G_END_DECLS
