/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AgConfig owns the validated settings of one Authgear project (issuer,
 * client, redirect and post-logout URIs, scopes), checked by
 * ag-validate.c. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ag-config.h"
#include "ag-error.h"
#include "ag-secure.h"

struct _AgConfig
{
  GObject parent_instance;

  char *issuer;
  char *client_id;
  char *client_secret;
  char *redirect_uri;
  char *post_logout_redirect_uri;
  char *scopes;
};

G_DEFINE_FINAL_TYPE (AgConfig, ag_config, G_TYPE_OBJECT)

static void
ag_config_finalize (GObject *object)
{
  AgConfig *self = AG_CONFIG (object);

  g_free (self->issuer);
  g_free (self->client_id);
  ag_secure_free (self->client_secret);
  g_free (self->redirect_uri);
  g_free (self->post_logout_redirect_uri);
  g_free (self->scopes);

  G_OBJECT_CLASS (ag_config_parent_class)->finalize (object);
}

static void
ag_config_class_init (AgConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ag_config_finalize;
}

static void
ag_config_init (AgConfig *self)
{
}

/* The Flask guide's post-logout address: the redirect URI's origin, "/"
 * (http://localhost:3000/ for the default redirect URI). */
static char *
post_logout_for (const char *redirect_uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (redirect_uri, G_URI_FLAGS_NONE, NULL);

  return g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (parsed), NULL, g_uri_get_host (parsed),
                     g_uri_get_port (parsed), "/", NULL, NULL);
}

AgConfig *
ag_config_new (const char  *domain,
               const char  *client_id,
               const char  *client_secret,
               const char  *redirect_uri,
               const char  *scopes,
               GError     **error)
{
  g_autoptr(AgConfig) self = NULL;
  g_autofree char *issuer = NULL;
  g_autofree char *id = NULL;
  g_autofree char *redirect = NULL;
  g_autofree char *scope = NULL;
  char *secret = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The library's words: the app checked its own variables before. */
  if (!(issuer = ag_config_check_setting_as ("AUTHGEAR_DOMAIN", _("The endpoint"), domain, error)) ||
      !(id = ag_config_check_setting_as ("AUTHGEAR_CLIENT_ID", _("The client ID"), client_id, error)) ||
      !(secret = ag_config_check_setting_as ("AUTHGEAR_CLIENT_SECRET", _("The client secret"), client_secret, error)) ||
      !(redirect = ag_config_check_setting_as ("AUTHGEAR_REDIRECT_URI", _("The redirect URI"), redirect_uri, error)) ||
      !(scope = ag_config_check_setting_as ("AUTHGEAR_SCOPES", _("The scope"), scopes, error)))
    {
      ag_secure_free (secret);
      return NULL;
    }

  self = g_object_new (AG_TYPE_CONFIG, NULL);
  self->issuer = g_steal_pointer (&issuer);
  self->client_id = g_steal_pointer (&id);
  self->client_secret = *secret != '\0' ? secret : NULL;
  if (self->client_secret == NULL)
    g_free (secret);
  self->redirect_uri = g_steal_pointer (&redirect);
  self->post_logout_redirect_uri = post_logout_for (self->redirect_uri);
  self->scopes = g_steal_pointer (&scope);
  return g_steal_pointer (&self);
}

const char *
ag_config_get_issuer (AgConfig *self)
{
  g_return_val_if_fail (AG_IS_CONFIG (self), NULL);
  return self->issuer;
}

const char *
ag_config_get_client_id (AgConfig *self)
{
  g_return_val_if_fail (AG_IS_CONFIG (self), NULL);
  return self->client_id;
}

const char *
ag_config_get_client_secret (AgConfig *self)
{
  g_return_val_if_fail (AG_IS_CONFIG (self), NULL);
  return self->client_secret;
}

const char *
ag_config_get_redirect_uri (AgConfig *self)
{
  g_return_val_if_fail (AG_IS_CONFIG (self), NULL);
  return self->redirect_uri;
}

const char *
ag_config_get_post_logout_redirect_uri (AgConfig *self)
{
  g_return_val_if_fail (AG_IS_CONFIG (self), NULL);
  return self->post_logout_redirect_uri;
}

const char *
ag_config_get_scopes (AgConfig *self)
{
  g_return_val_if_fail (AG_IS_CONFIG (self), NULL);
  return self->scopes;
}
