/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AgAuthRequest owns one authorization request: PKCE verifier, state,
 * nonce, its URL, and the one parser of its redirect (its answer, once).
 * Also the AgAuthOptions helpers. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ag-auth-request.h"
#include "ag-error.h"
#include "ag-http.h"
#include "ag-secure.h"

struct _AgAuthRequest
{
  GObject parent_instance;

  char *url;
  char *verifier;
  char *state;
  char *nonce;
  char *issuer;
  char *redirect_uri;
  char *scopes;
  gboolean require_iss;
};

G_DEFINE_FINAL_TYPE (AgAuthRequest, ag_auth_request, G_TYPE_OBJECT)

static void
ag_auth_request_finalize (GObject *object)
{
  AgAuthRequest *self = AG_AUTH_REQUEST (object);

  ag_secure_free (self->url);
  ag_secure_free (self->verifier);
  ag_secure_free (self->state);
  ag_secure_free (self->nonce);
  g_free (self->issuer);
  g_free (self->redirect_uri);
  g_free (self->scopes);

  G_OBJECT_CLASS (ag_auth_request_parent_class)->finalize (object);
}

static void
ag_auth_request_class_init (AgAuthRequestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ag_auth_request_finalize;
}

static void
ag_auth_request_init (AgAuthRequest *self)
{
}

char *
ag_pkce_challenge (const char *verifier)
{
  guint8 digest[32];
  gsize len = sizeof digest;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  char *out;

  g_return_val_if_fail (verifier != NULL, NULL);

  g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (checksum, digest, &len);
  out = ag_base64url_encode (digest, len);
  ag_secure_wipe (digest, sizeof digest);
  return out;
}

AgAuthRequest *
ag_auth_request_new (const char          *authorization_endpoint,
                     const char          *issuer,
                     gboolean             require_iss,
                     const char          *client_id,
                     const char          *redirect_uri,
                     const char          *scopes,
                     const AgAuthOptions *options)
{
  AgAuthRequest *self;
  g_autofree char *challenge = NULL;
  g_autoptr(GString) query = g_string_new (NULL);
  static const AgAuthOptions no_options = { 0 };

  g_return_val_if_fail (authorization_endpoint != NULL, NULL);
  g_return_val_if_fail (client_id != NULL && redirect_uri != NULL && scopes != NULL, NULL);

  if (options == NULL)
    options = &no_options;

  self = g_object_new (AG_TYPE_AUTH_REQUEST, NULL);
  self->verifier = ag_secure_random_b64url (32);
  self->state = ag_secure_random_b64url (32);
  self->nonce = ag_secure_random_b64url (32);
  self->issuer = g_strdup (issuer);
  self->redirect_uri = g_strdup (redirect_uri);
  self->scopes = g_strdup (scopes);
  self->require_iss = require_iss;
  challenge = ag_pkce_challenge (self->verifier);

  ag_http_query_append (query, "response_type",
                        options->settings_action ? "urn:authgear:params:oauth:response-type:settings-action" : "code");
  ag_http_query_append (query, "client_id", client_id);
  ag_http_query_append (query, "redirect_uri", redirect_uri);
  ag_http_query_append (query, "scope", scopes);
  ag_http_query_append (query, "state", self->state);
  ag_http_query_append (query, "nonce", self->nonce);
  ag_http_query_append (query, "code_challenge", challenge);
  ag_http_query_append (query, "code_challenge_method", "S256");
  ag_http_query_append (query, "prompt", options->prompt);
  ag_http_query_append (query, "login_hint", options->login_hint);
  ag_http_query_append (query, "ui_locales", options->ui_locales);
  if (options->page == AG_PAGE_SIGNUP)
    ag_http_query_append (query, "x_page", "signup");
  if (g_strcmp0 (options->color_scheme, "light") == 0 || g_strcmp0 (options->color_scheme, "dark") == 0)
    ag_http_query_append (query, "x_color_scheme", options->color_scheme);
  /* As Authgear's SDKs: unless asked, the browser keeps no Authgear session
   * cookie, so that Logout followed by a browser sign-in asks again. Servers
   * older than x_sso_enabled read x_suppress_idp_session_cookie. */
  if (!options->sso_enabled)
    ag_http_query_append (query, "x_suppress_idp_session_cookie", "true");
  ag_http_query_append (query, "x_sso_enabled", options->sso_enabled ? "true" : "false");
  ag_http_query_append (query, "id_token_hint", options->id_token_hint);
  if (options->reauthenticate)
    ag_http_query_append (query, "max_age", "0");
  ag_http_query_append (query, "x_settings_action", options->settings_action);
  ag_http_query_append (query, "x_settings_action_query", options->settings_action_query);

  self->url = g_strconcat (authorization_endpoint, strchr (authorization_endpoint, '?') ? "&" : "?", query->str, NULL);
  return self;
}

const char *
ag_auth_request_get_url (AgAuthRequest *self)
{
  g_return_val_if_fail (AG_IS_AUTH_REQUEST (self), NULL);
  return self->url;
}

const char *
ag_auth_request_get_verifier (AgAuthRequest *self)
{
  g_return_val_if_fail (AG_IS_AUTH_REQUEST (self), NULL);
  return self->verifier;
}

const char *
ag_auth_request_get_nonce (AgAuthRequest *self)
{
  g_return_val_if_fail (AG_IS_AUTH_REQUEST (self), NULL);
  return self->nonce;
}

const char *
ag_auth_request_get_state (AgAuthRequest *self)
{
  g_return_val_if_fail (AG_IS_AUTH_REQUEST (self), NULL);
  return self->state;
}

const char *
ag_auth_request_get_scopes (AgAuthRequest *self)
{
  g_return_val_if_fail (AG_IS_AUTH_REQUEST (self), NULL);
  return self->scopes;
}

const char *
ag_auth_request_get_redirect_uri (AgAuthRequest *self)
{
  g_return_val_if_fail (AG_IS_AUTH_REQUEST (self), NULL);
  return self->redirect_uri;
}

/* The path of an absolute URI as written: after the authority, up to ? or #. */
static char *
raw_path (const char *uri)
{
  const char *start = strstr (uri, "://");
  const char *slash;

  if (start == NULL)
    return NULL;
  start += 3;
  slash = start + strcspn (start, "/?#");
  if (*slash != '/')
    return g_strdup ("");
  return g_strndup (slash, strcspn (slash, "?#"));
}

gboolean
ag_redirect_uri_matches (const char *configured,
                         const char *uri)
{
  g_autoptr(GUri) a = NULL;
  g_autoptr(GUri) b = NULL;

  if (configured == NULL || uri == NULL)
    return FALSE;

  /* GUri removes dot segments and decodes some escapes; the path must be
   * the registered one as written, so compare the raw text. */
  {
    g_autofree char *raw_a = raw_path (configured);
    g_autofree char *raw_b = raw_path (uri);
    if (raw_a == NULL || raw_b == NULL || strcmp (raw_a, raw_b) != 0)
      return FALSE;
  }

  a = g_uri_parse (configured, G_URI_FLAGS_ENCODED, NULL);
  b = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  if (a == NULL || b == NULL)
    return FALSE;

  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_uri_get_userinfo (b) == NULL &&
         g_uri_get_host (a) != NULL && g_uri_get_host (b) != NULL &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         g_uri_get_port (a) == g_uri_get_port (b) &&
         strcmp (g_uri_get_path (a), g_uri_get_path (b)) == 0;
}

/* Splits the query into a table, rejecting repeated names (RFC 6749 §3.1). */
static GHashTable *
parse_query (const char  *query,
             GError     **error)
{
  g_autoptr(GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) ag_secure_free);
  g_auto(GStrv) pairs = NULL;

  if (query == NULL)
    return g_steal_pointer (&table);

  pairs = g_strsplit (query, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *eq;
      g_autofree char *name = NULL;
      char *value;

      if (*pairs[i] == '\0')
        continue;
      /* '+' in a query means a space, before any %-decoding. */
      g_strdelimit (pairs[i], "+", ' ');
      eq = strchr (pairs[i], '=');
      if (eq)
        *eq = '\0';
      name = g_uri_unescape_string (pairs[i], NULL);
      value = g_uri_unescape_string (eq ? eq + 1 : "", NULL);
      if (name == NULL || value == NULL)
        {
          ag_secure_free (value);
          ag_secure_strv_free (g_steal_pointer (&pairs));
          g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_RESPONSE, _("The sign-in response is not well formed"));
          return NULL;
        }
      if (g_hash_table_contains (table, name))
        {
          ag_secure_free (value);
          ag_secure_strv_free (g_steal_pointer (&pairs));
          g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_RESPONSE,
                       _("The sign-in response repeats the parameter “%s”"), name);
          return NULL;
        }
      g_hash_table_insert (table, g_steal_pointer (&name), value);
    }
  ag_secure_strv_free (g_steal_pointer (&pairs));
  return g_steal_pointer (&table);
}

char *
ag_uri_query_value (const char *uri,
                    const char *name)
{
  g_autoptr(GUri) parsed = uri ? g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL) : NULL;
  g_autoptr(GHashTable) params = parsed ? parse_query (g_uri_get_query (parsed), NULL) : NULL;

  return params ? g_strdup (g_hash_table_lookup (params, name)) : NULL;
}

gboolean
ag_redirect_is_answer (const char *redirect_uri,
                       const char *state,
                       const char *uri)
{
  g_autofree char *value = NULL;

  if (state == NULL || uri == NULL || !ag_redirect_uri_matches (redirect_uri, uri))
    return FALSE;
  value = ag_uri_query_value (uri, "state");
  return value != NULL && ag_secure_equal (value, state);
}

gboolean
ag_auth_request_is_answer (AgAuthRequest *self,
                           const char    *uri)
{
  g_return_val_if_fail (AG_IS_AUTH_REQUEST (self), FALSE);

  return ag_redirect_is_answer (self->redirect_uri, self->state, uri);
}

char *
ag_auth_request_parse_redirect (AgAuthRequest  *self,
                                const char     *uri,
                                GError        **error)
{
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GHashTable) params = NULL;
  const char *value;

  g_return_val_if_fail (AG_IS_AUTH_REQUEST (self), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  if (!ag_redirect_uri_matches (self->redirect_uri, uri))
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_NOT_REDIRECT, _("The address is not the redirect address"));
      return NULL;
    }
  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  if (g_uri_get_fragment (parsed) != NULL)
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_RESPONSE, _("The sign-in response is not well formed"));
      return NULL;
    }
  params = parse_query (g_uri_get_query (parsed), error);
  if (params == NULL)
    return NULL;

  /* state first: an error response for another sign-in is not ours either. */
  value = g_hash_table_lookup (params, "state");
  if (!ag_secure_equal (value, self->state))
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_STATE_MISMATCH,
                   value ? _("The sign-in response does not belong to this sign-in (state)")
                         : _("The sign-in response has no state"));
      return NULL;
    }

  value = g_hash_table_lookup (params, "iss");
  if ((value != NULL && g_strcmp0 (value, self->issuer) != 0) ||
      (value == NULL && self->require_iss))
    {
      g_set_error_literal (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_ISSUER_MISMATCH,
                           value != NULL ? _("The sign-in response names another issuer (iss)")
                                         : _("The sign-in response does not name its issuer (iss), though Authgear announces it"));
      return NULL;
    }

  value = g_hash_table_lookup (params, "error");
  if (value != NULL)
    {
      const char *description = g_hash_table_lookup (params, "error_description");
      g_autofree char *safe = NULL;

      /* Shown to a person: only printable text, and not too long. */
      if (description != NULL && g_utf8_validate (description, -1, NULL))
        {
          safe = g_utf8_substring (description, 0, MIN (g_utf8_strlen (description, -1), 300));
          for (char *p = safe; *p; p++)
            if (g_ascii_iscntrl (*p))
              *p = ' ';
        }
      if (strcmp (value, "access_denied") == 0)
        g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_ACCESS_DENIED, "%s%s%s",
                     _("Access was denied"), safe ? ": " : "", safe ? safe : "");
      else if (strcmp (value, "invalid_scope") == 0)
        g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_SCOPE, "%s%s%s",
                     _("Authgear does not allow this app the access it asked for"), safe ? ": " : "", safe ? safe : "");
      else
        g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_PROVIDER, _("Authgear reported “%s”%s%s"),
                     g_utf8_validate (value, -1, NULL) && strlen (value) < 64 ? value : "error",
                     safe ? ": " : "", safe ? safe : "");
      return NULL;
    }

  value = g_hash_table_lookup (params, "code");
  if (value == NULL || *value == '\0')
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_RESPONSE, _("The sign-in response has no authorization code"));
      return NULL;
    }
  return g_strdup (value);
}

void
ag_auth_options_copy (AgAuthOptions       *dest,
                      const AgAuthOptions *src)
{
  g_return_if_fail (dest != NULL && src != NULL);

  dest->page = src->page;
  dest->prompt = g_strdup (src->prompt);
  dest->login_hint = g_strdup (src->login_hint);
  dest->ui_locales = g_strdup (src->ui_locales);
  dest->color_scheme = g_strdup (src->color_scheme);
  dest->sso_enabled = src->sso_enabled;
  dest->settings_action = g_strdup (src->settings_action);
  dest->settings_action_query = g_strdup (src->settings_action_query);
  dest->id_token_hint = g_strdup (src->id_token_hint);
  dest->reauthenticate = src->reauthenticate;
}

void
ag_auth_options_clear (AgAuthOptions *options)
{
  g_return_if_fail (options != NULL);

  g_free ((char *) options->prompt);
  ag_secure_free ((char *) options->login_hint);
  g_free ((char *) options->ui_locales);
  g_free ((char *) options->color_scheme);
  g_free ((char *) options->settings_action);
  g_free ((char *) options->settings_action_query);
  ag_secure_free ((char *) options->id_token_hint);
  memset (options, 0, sizeof *options);
}

/* BCP 47 tags from the desktop's languages: de_DE.UTF-8 -> de-DE. */
char *
ag_desktop_ui_locales (void)
{
  const char * const *names = g_get_language_names ();
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; names[i] != NULL && i < 4; i++)
    {
      g_autofree char *tag = g_strdup (names[i]);
      char *p;

      if (strchr (tag, '.') || strchr (tag, '@') || g_strcmp0 (tag, "C") == 0 || g_strcmp0 (tag, "POSIX") == 0)
        continue;
      if ((p = strchr (tag, '_')) != NULL)
        *p = '-';
      if (!strstr (out->str, tag))
        g_string_append_printf (out, "%s%s", out->len ? " " : "", tag);
    }
  return out->len ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

char *
ag_app_session_token_login_hint (const char *app_session_token)
{
  g_autoptr(GString) hint = g_string_new ("https://authgear.com/login_hint?");

  g_return_val_if_fail (app_session_token != NULL, NULL);

  ag_http_query_append (hint, "type", "app_session_token");
  ag_http_query_append (hint, "app_session_token", app_session_token);
  return g_string_free (g_steal_pointer (&hint), FALSE);
}
