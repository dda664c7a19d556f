/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Authgear's own grants, beside OpenID Connect's: a fresh ID token
 * (reauthentication), a settings action's code, and the app session token
 * that opens Authgear's pages signed in. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ag-error.h"
#include "ag-http.h"
#include "ag-oidc-client-private.h"
#include "ag-secure.h"

/* A fresh ID token for @tokens' access token (grant_type …id-token, the
 * access token as Bearer), as reauthentication's id_token_hint. */
static void
fresh_id_token_answered (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) answer = NULL;
  const char *id_token;

  if (!ag_oidc_client_task_answer (object, result, task, _("ID token request"), TRUE, &answer))
    return;
  id_token = ag_json_get_string (answer, "id_token");
  if (id_token == NULL || *id_token == '\0')
    {
      g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_RESPONSE,
                               _("Authgear did not give a new ID token"));
      return;
    }
  g_task_return_pointer (task, g_strdup (id_token), (GDestroyNotify) ag_secure_free);
}

void
ag_oidc_client_fresh_id_token_async (AgOidcClient        *self,
                                     AgTokenSet          *tokens,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) form = NULL;
  SoupMessage *msg;

  g_return_if_fail (AG_IS_OIDC_CLIENT (self));
  g_return_if_fail (AG_IS_TOKEN_SET (tokens));
  g_return_if_fail (ag_provider_is_discovered (self->provider));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_oidc_client_fresh_id_token_async);
  /* The Authorization header carries the access token: the client goes
   * in the form. */
  form = ag_http_form_encode ("grant_type", "urn:authgear:params:oauth:grant-type:id-token",
                              "client_id", ag_config_get_client_id (self->config),
                              "client_secret", ag_config_get_client_secret (self->config),
                              NULL);
  msg = ag_oidc_client_new_token_message (self, form);
  ag_oidc_client_set_bearer (msg, tokens);
  g_task_set_task_data (task, msg, g_object_unref);
  ag_http_send_async (ag_provider_get_session (self->provider), msg, cancellable,
                      fresh_id_token_answered, g_steal_pointer (&task));
}

char *
ag_oidc_client_fresh_id_token_finish (AgOidcClient  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A settings action's code (grant_type …settings-action): Authgear answers
 * {} once the action is done. */
static void
settings_action_answered (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) answer = NULL;

  if (ag_oidc_client_task_answer (object, result, task, _("settings action request"), FALSE, &answer))
    g_task_return_boolean (task, TRUE);
}

void
ag_oidc_client_finish_settings_action_async (AgOidcClient        *self,
                                             AgAuthRequest       *request,
                                             const char          *code,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) form = NULL;
  SoupMessage *msg;

  g_return_if_fail (AG_IS_OIDC_CLIENT (self));
  g_return_if_fail (AG_IS_AUTH_REQUEST (request));
  g_return_if_fail (code != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_oidc_client_finish_settings_action_async);
  form = ag_http_form_encode ("grant_type", "urn:authgear:params:oauth:grant-type:settings-action",
                              "code", code,
                              "redirect_uri", ag_auth_request_get_redirect_uri (request),
                              "client_id", ag_config_get_client_id (self->config),
                              "code_verifier", ag_auth_request_get_verifier (request),
                              "client_secret", ag_oidc_client_form_client_secret (self),
                              NULL);
  msg = ag_oidc_client_new_token_message (self, form);
  g_task_set_task_data (task, msg, g_object_unref);
  ag_http_send_async (ag_provider_get_session (self->provider), msg, cancellable,
                      settings_action_answered, g_steal_pointer (&task));
}

gboolean
ag_oidc_client_finish_settings_action_finish (AgOidcClient  *self,
                                              GAsyncResult  *result,
                                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Authgear's app session token (pkg/auth/handler/oauth/app_session_token.go):
 * the refresh token in a JSON body; the answer in Authgear's API envelope. */

static void
app_session_token_answered (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) answer = NULL;
  JsonObject *part;
  const char *token;

  /* An error in Authgear's API envelope ({"error": {"reason": …}}) is read
   * by ag_http_answer_error() too: InvalidGrant ends the session. */
  if (!ag_oidc_client_task_answer (object, result, task, _("app session token request"), TRUE, &answer))
    return;
  part = json_object_has_member (answer, "result") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (answer, "result"))
         ? json_object_get_object_member (answer, "result") : NULL;
  token = part ? ag_json_get_string (part, "app_session_token") : NULL;
  if (token == NULL || *token == '\0')
    {
      g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_RESPONSE,
                               _("Authgear sent an app session token response without a token"));
      return;
    }
  g_task_return_pointer (task, g_strdup (token), (GDestroyNotify) ag_secure_free);
  ag_secure_wipe ((char *) token, strlen (token));
}

void
ag_oidc_client_app_session_token_async (AgOidcClient        *self,
                                        AgTokenSet          *tokens,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GUri) issuer = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *endpoint = NULL;
  char *json;
  gsize length;
  SoupMessage *msg;

  g_return_if_fail (AG_IS_OIDC_CLIENT (self));
  g_return_if_fail (AG_IS_TOKEN_SET (tokens));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_oidc_client_app_session_token_async);
  if (ag_token_set_get_refresh_token (tokens) == NULL)
    {
      g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_GRANT,
                               _("This session has no refresh token (scope offline_access)"));
      return;
    }
  /* On the issuer's origin, as the SDKs send it. */
  issuer = g_uri_parse (ag_config_get_issuer (self->config), G_URI_FLAGS_NONE, NULL);
  endpoint = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (issuer), NULL, g_uri_get_host (issuer),
                         g_uri_get_port (issuer), "/oauth2/app_session_token", NULL, NULL);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "refresh_token");
  json_builder_add_string_value (builder, ag_token_set_get_refresh_token (tokens));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  length = strlen (json);
  body = g_bytes_new_with_free_func (json, length, (GDestroyNotify) ag_secure_free, json);
  msg = soup_message_new (SOUP_METHOD_POST, endpoint);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  g_task_set_task_data (task, msg, g_object_unref);
  ag_http_send_async (ag_provider_get_session (self->provider), msg, cancellable,
                      app_session_token_answered, g_steal_pointer (&task));
}

char *
ag_oidc_client_app_session_token_finish (AgOidcClient  *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
ag_oidc_client_build_settings_url (AgOidcClient        *self,
                                   AgTokenSet          *tokens,
                                   const char          *app_session_token,
                                   const AgAuthOptions *options)
{
  g_autoptr(GUri) issuer = NULL;
  g_autofree char *settings = NULL;
  g_autofree char *hint = NULL;
  g_autoptr(GString) url = NULL;
  const char *endpoint;

  g_return_val_if_fail (AG_IS_OIDC_CLIENT (self), NULL);
  g_return_val_if_fail (AG_IS_TOKEN_SET (tokens), NULL);
  g_return_val_if_fail (app_session_token != NULL, NULL);

  endpoint = ag_provider_is_discovered (self->provider) ? ag_provider_get_authorization_endpoint (self->provider) : NULL;
  if (endpoint == NULL)
    return NULL;
  issuer = g_uri_parse (ag_config_get_issuer (self->config), G_URI_FLAGS_NONE, NULL);
  settings = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (issuer), NULL, g_uri_get_host (issuer),
                         g_uri_get_port (issuer), "/settings", NULL, NULL);
  hint = ag_app_session_token_login_hint (app_session_token);
  url = g_string_new (endpoint);
  g_string_append_c (url, strchr (endpoint, '?') ? '&' : '?');
  ag_http_query_append (url, "response_type", "none");
  ag_http_query_append (url, "prompt", "none");
  ag_http_query_append (url, "client_id", ag_config_get_client_id (self->config));
  ag_http_query_append (url, "redirect_uri", settings);
  ag_http_query_append (url, "scope", ag_token_set_get_scope (tokens));
  ag_http_query_append (url, "login_hint", hint);
  ag_http_query_append (url, "x_sso_enabled", "false");
  if (options != NULL)
    {
      ag_http_query_append (url, "ui_locales", options->ui_locales);
      ag_http_query_append (url, "x_color_scheme", options->color_scheme);
    }
  ag_secure_wipe (hint, strlen (hint));
  return g_string_free (g_steal_pointer (&url), FALSE);
}

