/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The checks of an Authgear project's settings, as a person types them or
 * a .env file gives them: the domain (an https:// issuer, or http:// on
 * this computer), the client ID and secret, the redirect URI, the scopes.
 * No GType here: the library (AgConfig) and the app (its settings and
 * Preferences) each build these functions in. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ag-error.h"
#include "ag-validate.h"

gboolean
ag_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;
  gsize len;

  if (host == NULL || *host == '\0')
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  /* An IPv6 literal as a Host header writes it: [::1]. */
  len = strlen (host);
  if (host[0] == '[' && host[len - 1] == ']')
    host = bare = g_strndup (host + 1, len - 2);
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

gboolean
ag_url_is_secure (const char *uri)
{
  g_autoptr(GUri) parsed = NULL;
  const char *scheme;

  if (uri == NULL)
    return FALSE;

  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  if (parsed == NULL || g_uri_get_host (parsed) == NULL || *g_uri_get_host (parsed) == '\0')
    return FALSE;

  scheme = g_uri_get_scheme (parsed);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  return g_ascii_strcasecmp (scheme, "http") == 0 && ag_host_is_loopback (g_uri_get_host (parsed));
}

static gboolean
has_bad_chars (const char *value)
{
  for (const char *p = value; *p; p++)
    if (g_ascii_iscntrl (*p) || *p == ' ')
      return TRUE;
  return FALSE;
}

static char *
validate_domain (const char  *name,
                 const char  *domain,
                 GError     **error)
{
  g_autofree char *with_scheme = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  gsize len;

  if (domain == NULL || *domain == '\0')
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION,
                   _("%s is not set: give your Authgear project’s endpoint, for example https://myapp.authgear.cloud"), name);
      return NULL;
    }
  if (has_bad_chars (domain))
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION,
                   _("%s contains spaces or control characters"), name);
      return NULL;
    }

  if (strstr (domain, "://") == NULL)
    with_scheme = g_strconcat ("https://", domain, NULL);
  else
    with_scheme = g_strdup (domain);

  uri = g_uri_parse (with_scheme, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION,
                   _("%s “%s” is not a valid address"), name, domain);
      return NULL;
    }
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL || g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION,
                   _("%s must not contain a user name, a query or a fragment"), name);
      return NULL;
    }
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0 &&
      g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0)
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION,
                   _("%s must be an https:// address"), name);
      return NULL;
    }
  if (!ag_url_is_secure (with_scheme))
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION,
                   _("%s must use https://; plain http:// is allowed only for this computer (localhost, 127.0.0.1, ::1)"), name);
      return NULL;
    }

  /* The issuer is compared exactly; a trailing slash a person typed is not
   * part of Authgear's issuer. */
  text = g_steal_pointer (&with_scheme);
  len = strlen (text);
  while (len > 0 && text[len - 1] == '/')
    text[--len] = '\0';
  return g_steal_pointer (&text);
}

static gboolean
validate_redirect_uri (const char  *redirect_uri,
                       GError     **error)
{
  g_autoptr(GUri) uri = NULL;

  uri = g_uri_parse (redirect_uri, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || has_bad_chars (redirect_uri) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION,
                   _("The redirect URI “%s” is not a valid address"), redirect_uri);
      return FALSE;
    }
  if (g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION,
                   _("The redirect URI must not contain a fragment"));
      return FALSE;
    }
  if (!ag_url_is_secure (redirect_uri))
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION,
                   _("The redirect URI must be https://, or http:// on this computer (localhost)"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
validate_client_id (const char  *name,
                    const char  *client_id,
                    GError     **error)
{
  if (client_id == NULL || *client_id == '\0')
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION,
                   _("%s is not set: copy it from your application in the Authgear portal"), name);
      return FALSE;
    }
  if (has_bad_chars (client_id) || strlen (client_id) > 256)
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION,
                   _("%s contains spaces or control characters"), name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
validate_client_secret (const char  *name,
                        const char  *client_secret,
                        GError     **error)
{
  if (client_secret != NULL && *client_secret != '\0' && has_bad_chars (client_secret))
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION,
                   _("%s contains spaces or control characters"), name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
validate_scopes (const char  *name,
                 const char  *scopes,
                 GError     **error)
{
  g_auto(GStrv) scope_list = g_strsplit (scopes, " ", -1);

  if (!g_strv_contains ((const char * const *) scope_list, "openid"))
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION,
                   _("%s must include “openid”"), name);
      return FALSE;
    }
  for (const char *p = scopes; *p; p++)
    if (g_ascii_iscntrl (*p) || *p == '"' || *p == '\\')
      {
        g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION,
                     _("%s contains characters that are not allowed"), name);
        return FALSE;
      }
  return TRUE;
}

char *
ag_config_check_setting (const char  *variable,
                         const char  *value,
                         GError     **error)
{
  return ag_config_check_setting_as (variable, variable, value, error);
}

char *
ag_config_check_setting_as (const char  *variable,
                            const char  *name,
                            const char  *value,
                            GError     **error)
{
  g_return_val_if_fail (variable != NULL && name != NULL, NULL);

  if (g_str_equal (variable, "AUTHGEAR_DOMAIN"))
    return validate_domain (name, value, error);
  if (g_str_equal (variable, "AUTHGEAR_CLIENT_ID"))
    return validate_client_id (name, value, error) ? g_strdup (value) : NULL;
  if (g_str_equal (variable, "AUTHGEAR_CLIENT_SECRET"))
    return validate_client_secret (name, value, error) ? g_strdup (value ? value : "") : NULL;
  if (g_str_equal (variable, "AUTHGEAR_SCOPES"))
    {
      if (value == NULL || *value == '\0')
        value = AG_DEFAULT_SCOPES;
      return validate_scopes (name, value, error) ? g_strdup (value) : NULL;
    }
  if (g_str_equal (variable, "AUTHGEAR_REDIRECT_URI"))
    {
      if (value == NULL || *value == '\0')
        value = AG_DEFAULT_REDIRECT_URI;
      return validate_redirect_uri (value, error) ? g_strdup (value) : NULL;
    }
  g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION, _("%s is not a setting of Authgear Login"), variable);
  return NULL;
}
