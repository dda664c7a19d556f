/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AgFlow: one visit to Authgear's pages, from its request to its end. This
 * is where a sign-in's request lives: the flow makes it, keeps it (state,
 * nonce, PKCE verifier) and reads the redirect against it, once. It
 * exchanges the code itself through AgOidcClient and hands the result to
 * the session in one call (ag-session-private.h). Two flows under way at
 * once each hold their own request, so neither can take the other's
 * answer. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ag-error.h"
#include "ag-flow.h"
#include "ag-http.h"
#include "ag-secure.h"
#include "ag-session-private.h"
#include "ag-trace.h"

struct _AgFlow
{
  GObject parent_instance;

  AgSession *session;
  AgFlowKind kind;
  AgAuthOptions options;
  AgAuthRequest *request;    /* from begin until its redirect is read */
  guint generation;          /* the session's when the request was made */
  guint ended_count;         /* the session's Logout count then */
};

G_DEFINE_FINAL_TYPE (AgFlow, ag_flow, G_TYPE_OBJECT)

static void
ag_flow_finalize (GObject *object)
{
  AgFlow *self = AG_FLOW (object);

  g_clear_object (&self->session);
  g_clear_object (&self->request);
  ag_auth_options_clear (&self->options);
  G_OBJECT_CLASS (ag_flow_parent_class)->finalize (object);
}

static void
ag_flow_class_init (AgFlowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ag_flow_finalize;
}

static void
ag_flow_init (AgFlow *self)
{
}

AgFlow *
ag_flow_new (AgSession           *session,
             AgFlowKind           kind,
             const char          *action,
             const AgAuthOptions *options)
{
  AgFlow *self;

  g_return_val_if_fail (AG_IS_SESSION (session), NULL);
  g_return_val_if_fail ((kind == AG_FLOW_SETTINGS_ACTION) == (action != NULL), NULL);

  self = g_object_new (AG_TYPE_FLOW, NULL);
  self->session = g_object_ref (session);
  self->kind = kind;
  if (options != NULL)
    ag_auth_options_copy (&self->options, options);
  g_free ((char *) self->options.settings_action);
  self->options.settings_action = g_strdup (action);
  return self;
}

AgFlowKind
ag_flow_get_kind (AgFlow *self)
{
  g_return_val_if_fail (AG_IS_FLOW (self), AG_FLOW_SIGN_IN);
  return self->kind;
}

/* Begin. */

/* Makes the flow's request with @scopes and returns its URL to @task. */
static void
make_request (AgFlow     *self,
              GTask      *task,
              const char *scopes)
{
  AgProvider *provider = ag_session_get_provider (self->session);
  AgConfig *config = ag_session_get_config (self->session);

  g_clear_object (&self->request);
  self->request = ag_auth_request_new (ag_provider_get_authorization_endpoint (provider),
                                       ag_provider_get_issuer (provider),
                                       ag_provider_get_iss_parameter_supported (provider),
                                       ag_config_get_client_id (config),
                                       ag_config_get_redirect_uri (config),
                                       scopes, &self->options);
  self->ended_count = ag_session_get_ended_count (self->session);
  g_task_return_pointer (task, g_strdup (ag_auth_request_get_url (self->request)), (GDestroyNotify) ag_secure_free);
  g_object_unref (task);
}

static void
jwks_prefetched_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(AgJwks) jwks = NULL;
  g_autoptr(GError) error = NULL;

  /* A failure here is not the sign-in's: verification fetches again. */
  jwks = ag_provider_get_jwks_finish (AG_PROVIDER (object), result, NULL, &error);
  if (jwks == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Key set not prefetched: %s", error->message);
}

static void
sign_in_request (AgFlow *self,
                 GTask  *task)
{
  g_autofree char *scopes = ag_session_get_sign_in_scopes (self->session);

  make_request (self, task, scopes);
  /* While the person signs in, fetch the keys the ID token will need, so
   * that the code's return waits for the token request only. */
  ag_provider_get_jwks_async (ag_session_get_provider (self->session), FALSE, NULL, jwks_prefetched_cb, NULL);
}

/* Reauthentication and settings actions ask for full access and no
 * offline_access: they make no new session. */
#define ACCOUNT_SCOPES "openid " AG_FULL_ACCESS_SCOPE

static void
fresh_id_token_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  AgFlow *self = g_task_get_source_object (task);
  GError *error = NULL;
  char *id_token;

  id_token = ag_session_fresh_id_token_finish (AG_SESSION (object), result, &error);
  if (id_token == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  ag_secure_free ((char *) self->options.id_token_hint);
  self->options.id_token_hint = id_token;
  self->options.reauthenticate = TRUE;
  make_request (self, task, ACCOUNT_SCOPES);
}

static void
app_session_token_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  AgFlow *self = g_task_get_source_object (task);
  AgTokenSet *tokens = ag_session_get_tokens (self->session);
  AgAuthOptions *options = &self->options;
  GError *error = NULL;
  const char *email;
  char *token;

  token = ag_session_app_session_token_finish (AG_SESSION (object), result, &error);
  if (token == NULL || tokens == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (AUTHGEAR_ERROR, AUTHGEAR_ERROR_UNAUTHORIZED, _("Nobody is signed in"));
      ag_secure_free (token);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  ag_secure_free ((char *) options->login_hint);
  options->login_hint = ag_app_session_token_login_hint (token);
  ag_secure_free (token);
  ag_secure_free ((char *) options->id_token_hint);
  options->id_token_hint = g_strdup (ag_token_set_get_id_token (tokens));
  email = ag_json_get_string (ag_token_set_get_claims (tokens), "email");
  if (g_str_equal (options->settings_action, "change_email") && email != NULL && *email != '\0')
    {
      g_autoptr(GString) q = g_string_new (NULL);

      ag_http_query_append (q, "q_login_id", email);
      g_free ((char *) options->settings_action_query);
      options->settings_action_query = g_string_free (g_steal_pointer (&q), FALSE);
    }
  make_request (self, task, ACCOUNT_SCOPES);
}

static void
discovered_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  AgFlow *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  if (!ag_provider_discover_finish (AG_PROVIDER (object), result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  self->generation = ag_session_get_generation (self->session);
  switch (self->kind)
    {
    case AG_FLOW_SIGN_IN:
      sign_in_request (self, task);
      break;
    case AG_FLOW_REAUTHENTICATE:
      ag_session_fresh_id_token_async (self->session, cancellable, fresh_id_token_cb, task);
      break;
    case AG_FLOW_SETTINGS_ACTION:
    default:
      ag_session_app_session_token_async (self->session, cancellable, app_session_token_cb, task);
      break;
    }
}

void
ag_flow_begin_async (AgFlow              *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task;
  GError *error = NULL;

  g_return_if_fail (AG_IS_FLOW (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_flow_begin_async);
  g_clear_object (&self->request);

  /* Who may ask for what: a settings action needs full access, a
   * reauthentication that Authgear can ask this person again. */
  if (self->kind != AG_FLOW_SIGN_IN && !ag_session_check_signed_in (self->session, &error))
    ;
  else if (self->kind == AG_FLOW_SETTINGS_ACTION && !ag_session_get_full_access (self->session))
    error = g_error_new_literal (AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_SCOPE,
                                 _("Authgear has not given this app full access to the account"));
  else if (self->kind == AG_FLOW_REAUTHENTICATE && !ag_session_get_can_reauthenticate (self->session))
    error = g_error_new_literal (AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_SCOPE,
                                 _("Authgear cannot ask this account to confirm it is them"));
  if (error != NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  ag_provider_discover_async (ag_session_get_provider (self->session), cancellable, discovered_cb, task);
}

char *
ag_flow_begin_finish (AgFlow        *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Complete. */

static void
exchanged_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AgFlow *self = g_task_get_source_object (task);
  g_autoptr(AgTokenSet) tokens = NULL;
  GError *error = NULL;

  tokens = ag_oidc_client_exchange_code_finish (AG_OIDC_CLIENT (object), result, &error);
  if (tokens == NULL)
    {
      /* The session there was, if any, stays as it was. */
      g_task_return_error (task, error);
      return;
    }
  if (ag_session_get_ended_count (self->session) != self->ended_count)
    {
      g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_NO_PENDING_SIGN_IN,
                               _("The sign-in was ended by Logout"));
      return;
    }
  ag_session_take_tokens (self->session, tokens);
  g_task_return_boolean (task, TRUE);
}

static void
id_token_taken_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!ag_session_take_id_token_finish (AG_SESSION (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
reauthenticated_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  AgFlow *self = g_task_get_source_object (task);
  g_autoptr(AgTokenSet) fresh = NULL;
  GError *error = NULL;

  fresh = ag_oidc_client_exchange_code_finish (AG_OIDC_CLIENT (object), result, &error);
  if (fresh == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  ag_session_take_id_token_async (self->session, fresh, self->generation, g_task_get_cancellable (task),
                                  id_token_taken_cb, task);
}

static void
profile_reloaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!ag_session_reload_profile_finish (AG_SESSION (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
settings_action_done_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GTask *task = user_data;
  AgFlow *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!ag_oidc_client_finish_settings_action_finish (AG_OIDC_CLIENT (object), result, &error))
    {
      /* Nothing changed: the session stays as it was. */
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (g_str_equal (self->options.settings_action, "delete_account"))
    {
      ag_session_account_deleted (self->session);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  /* Change Email and the like: the profile shows what changed. */
  ag_session_reload_profile_async (self->session, g_task_get_cancellable (task), profile_reloaded_cb, task);
}

void
ag_flow_complete_async (AgFlow              *self,
                        const char          *uri,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(AgAuthRequest) request = NULL;
  AgOidcClient *client;
  GTask *task;
  GError *error = NULL;
  char *code = NULL;

  g_return_if_fail (AG_IS_FLOW (self));
  g_return_if_fail (uri != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_flow_complete_async);
  client = ag_session_get_oidc_client (self->session);

  /* One redirect per request: a replay, or a redirect after Logout, finds
   * nothing to complete. */
  request = g_steal_pointer (&self->request);
  if (request == NULL || ag_session_get_ended_count (self->session) != self->ended_count)
    error = g_error_new_literal (AUTHGEAR_ERROR, AUTHGEAR_ERROR_NO_PENDING_SIGN_IN, _("No sign-in is in progress"));
  else
    code = ag_auth_request_parse_redirect (request, uri, &error);
  if (code == NULL)
    {
      /* Authgear does not give this client full access: the next sign-in
       * asks for the guide's scopes only, and account management is off. */
      if (g_error_matches (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_SCOPE) &&
          strstr (ag_auth_request_get_scopes (request), AG_FULL_ACCESS_SCOPE) != NULL)
        ag_session_refuse_full_access (self->session);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  ag_trace_mark ("redirect read");
  switch (self->kind)
    {
    case AG_FLOW_SIGN_IN:
      ag_oidc_client_exchange_code_async (client, request, code, cancellable, exchanged_cb, task);
      break;
    case AG_FLOW_REAUTHENTICATE:
      ag_oidc_client_exchange_code_async (client, request, code, cancellable, reauthenticated_cb, task);
      break;
    case AG_FLOW_SETTINGS_ACTION:
    default:
      ag_oidc_client_finish_settings_action_async (client, request, code, cancellable, settings_action_done_cb, task);
      break;
    }
  ag_secure_free (code);
}

gboolean
ag_flow_complete_finish (AgFlow        *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
