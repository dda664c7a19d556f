/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AgOidcClient owns the requests to Authgear's endpoints for one client:
 * code exchange and ID token verification, refresh, userinfo, revocation
 * and end session, with the client authentication discovery allows.
 * Authgear's own grants are in ag-authgear-grants.c. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ag-error.h"
#include "ag-http.h"
#include "ag-oidc-client-private.h"
#include "ag-secure.h"
#include "ag-trace.h"

G_DEFINE_FINAL_TYPE (AgOidcClient, ag_oidc_client, G_TYPE_OBJECT)

static void
ag_oidc_client_dispose (GObject *object)
{
  AgOidcClient *self = AG_OIDC_CLIENT (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (ag_oidc_client_parent_class)->dispose (object);
}

static void
ag_oidc_client_finalize (GObject *object)
{
  AgOidcClient *self = AG_OIDC_CLIENT (object);

  g_clear_object (&self->config);
  g_clear_object (&self->provider);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->refresh_waiters, g_ptr_array_unref);

  G_OBJECT_CLASS (ag_oidc_client_parent_class)->finalize (object);
}

static void
ag_oidc_client_class_init (AgOidcClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ag_oidc_client_dispose;
  object_class->finalize = ag_oidc_client_finalize;
}

static void
ag_oidc_client_init (AgOidcClient *self)
{
  self->cancellable = g_cancellable_new ();
}

AgOidcClient *
ag_oidc_client_new (AgConfig   *config,
                    AgProvider *provider)
{
  AgOidcClient *self;

  g_return_val_if_fail (AG_IS_CONFIG (config), NULL);
  g_return_val_if_fail (AG_IS_PROVIDER (provider), NULL);

  self = g_object_new (AG_TYPE_OIDC_CLIENT, NULL);
  self->config = g_object_ref (config);
  self->provider = g_object_ref (provider);
  return self;
}

AgConfig *
ag_oidc_client_get_config (AgOidcClient *self)
{
  g_return_val_if_fail (AG_IS_OIDC_CLIENT (self), NULL);
  return self->config;
}

AgProvider *
ag_oidc_client_get_provider (AgOidcClient *self)
{
  g_return_val_if_fail (AG_IS_OIDC_CLIENT (self), NULL);
  return self->provider;
}

guint
ag_oidc_client_get_n_token_requests (AgOidcClient *self)
{
  g_return_val_if_fail (AG_IS_OIDC_CLIENT (self), 0);
  return self->n_token_requests;
}

/* How this client authenticates at the token endpoint: none for a public
 * client; a confidential one uses client_secret_basic where discovery lists
 * it, else client_secret_post (Authgear before release 2026-07-30.0 refuses
 * a Basic header); never both at once. */
typedef enum
{
  CLIENT_AUTH_NONE,
  CLIENT_AUTH_BASIC,
  CLIENT_AUTH_POST,
} ClientAuth;

static ClientAuth
client_auth (AgOidcClient *self)
{
  if (ag_config_get_client_secret (self->config) == NULL)
    return CLIENT_AUTH_NONE;
  return ag_provider_get_client_secret_basic_supported (self->provider) ? CLIENT_AUTH_BASIC : CLIENT_AUTH_POST;
}

/* The form's client_id: in the form unless a Basic header carries it. */
static const char *
form_client_id (AgOidcClient *self)
{
  return client_auth (self) == CLIENT_AUTH_BASIC ? NULL : ag_config_get_client_id (self->config);
}

/* The form's client_secret: only for client_secret_post. */
const char *
ag_oidc_client_form_client_secret (AgOidcClient *self)
{
  return client_auth (self) == CLIENT_AUTH_POST ? ag_config_get_client_secret (self->config) : NULL;
}

/* RFC 6749 §2.3.1: client_secret_basic with form-encoded id and secret. */
static void
add_client_auth (AgOidcClient *self,
                 SoupMessage  *msg)
{
  const char *secret = ag_config_get_client_secret (self->config);
  g_autofree char *id = NULL;
  g_autofree char *escaped_secret = NULL;
  g_autofree char *pair = NULL;
  g_autofree char *b64 = NULL;
  g_autofree char *header = NULL;

  if (client_auth (self) != CLIENT_AUTH_BASIC)
    return;
  id = g_uri_escape_string (ag_config_get_client_id (self->config), NULL, FALSE);
  escaped_secret = g_uri_escape_string (secret, NULL, FALSE);
  pair = g_strconcat (id, ":", escaped_secret, NULL);
  b64 = g_base64_encode ((const guchar *) pair, strlen (pair));
  header = g_strconcat ("Basic ", b64, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
  ag_secure_wipe (escaped_secret, strlen (escaped_secret));
  ag_secure_wipe (pair, strlen (pair));
  ag_secure_wipe (b64, strlen (b64));
  ag_secure_wipe (header, strlen (header));
}

/* The access token of @tokens as the request's Authorization. */
void
ag_oidc_client_set_bearer (SoupMessage *msg,
                           AgTokenSet  *tokens)
{
  g_autofree char *header = g_strconcat ("Bearer ", ag_token_set_get_access_token (tokens), NULL);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
  ag_secure_wipe (header, strlen (header));
}

SoupMessage *
ag_oidc_client_new_token_message (AgOidcClient *self,
                                  GBytes       *form)
{
  SoupMessage *msg = soup_message_new (SOUP_METHOD_POST, ag_provider_get_token_endpoint (self->provider));

  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", form);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  add_client_auth (self, msg);
  self->n_token_requests++;
  return msg;
}

/* The token set of a token endpoint's answer (read by
 * ag_http_read_answer()), or an AUTHGEAR_ERROR. */
static AgTokenSet *
token_set_of (AgOidcClient  *self,
              JsonObject    *answer,
              GError       **error)
{
  return ag_token_set_new_from_response (answer,
                                         ag_provider_get_issuer (self->provider),
                                         ag_config_get_client_id (self->config),
                                         g_get_real_time () / G_USEC_PER_SEC,
                                         error);
}

/* How far Authgear's clock is from ours, from the Date header of @msg's
 * answer (0 without one). A laptop back from sleep or a dual-boot machine is
 * often minutes off; the ID token's iat and exp are then read against
 * Authgear's clock. */
static gint64
measure_clock_offset (SoupMessage *msg)
{
  const char *date = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Date");
  g_autoptr(GDateTime) server = date ? soup_date_time_new_from_http_string (date) : NULL;

  if (server == NULL)
    return 0;
  return g_date_time_to_unix (server) - g_get_real_time () / G_USEC_PER_SEC;
}

/* ID token verification, shared by the exchange and refresh. */
typedef struct
{
  AgTokenSet *tokens;
  AgJwt *jwt;
  char *nonce;            /* NULL on refresh */
  char *scopes;           /* asked for; NULL on refresh */
  char *expected_sub;     /* refresh: must stay the same */
  gboolean refetched;     /* the key set fetched again once */
  gboolean rediscovered;  /* the discovery document fetched again once */
  gint64 began;           /* monotonic, µs */
  GBytes *form;           /* the request, for a retry at a new endpoint */
  SoupMessage *msg;
  gboolean fetch_userinfo;
  gint64 clock_offset;    /* Authgear's clock minus ours, in seconds */
} Exchange;

static Exchange *
exchange_new (AgOidcClient *self,
              GBytes       *form)
{
  Exchange *ex = g_new0 (Exchange, 1);

  ex->began = g_get_monotonic_time ();
  ex->form = g_bytes_ref (form);
  ex->msg = ag_oidc_client_new_token_message (self, form);
  return ex;
}

static void
exchange_free (Exchange *ex)
{
  g_clear_object (&ex->tokens);
  g_clear_pointer (&ex->jwt, ag_jwt_free);
  ag_secure_free (ex->nonce);
  g_free (ex->scopes);
  g_free (ex->expected_sub);
  g_clear_object (&ex->msg);
  g_clear_pointer (&ex->form, g_bytes_unref);
  g_free (ex);
}

static void verify_with_jwks (GTask *task);

static void
userinfo_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *ex = g_task_get_task_data (task);
  g_autoptr(JsonObject) userinfo = NULL;
  GError *error = NULL;

  userinfo = ag_oidc_client_fetch_userinfo_finish (AG_OIDC_CLIENT (object), result, &error);
  if (userinfo == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  ag_token_set_set_userinfo (ex->tokens, userinfo);
  g_task_return_pointer (task, g_steal_pointer (&ex->tokens), g_object_unref);
}

static void
claims_verified (GTask *task)
{
  AgOidcClient *self = g_task_get_source_object (task);
  Exchange *ex = g_task_get_task_data (task);

  ag_token_set_set_id_claims (ex->tokens, ag_jwt_get_claims (ex->jwt));
  if (ex->fetch_userinfo && ag_provider_get_userinfo_endpoint (self->provider) != NULL)
    {
      ag_oidc_client_fetch_userinfo_async (self, ex->tokens, g_task_get_cancellable (task),
                                           userinfo_done, g_object_ref (task));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&ex->tokens), g_object_unref);
}

static void
jwks_ready (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AgOidcClient *self = g_task_get_source_object (task);
  Exchange *ex = g_task_get_task_data (task);
  g_autoptr(AgJwks) jwks = NULL;
  GError *error = NULL;
  gboolean unknown_kid = FALSE;
  gint64 fetched = 0;
  const char *sub;

  jwks = ag_provider_get_jwks_finish (AG_PROVIDER (object), result, &fetched, &error);
  if (jwks == NULL)
    {
      /* Without keys the token cannot be checked: never accept it. A
       * second fetch that failed on the way says so, not "not valid". */
      if (ag_error_is_cancelled (error) ||
          (ex->refetched && error->domain == AUTHGEAR_ERROR &&
           (error->code == AUTHGEAR_ERROR_NETWORK || error->code == AUTHGEAR_ERROR_TIMEOUT)))
        g_task_return_error (task, error);
      else
        {
          g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN, "%s", error->message);
          g_error_free (error);
        }
      return;
    }

  ag_trace_mark ("key set ready");
  if (!ag_jwt_verify_signature (ex->jwt, jwks, ag_provider_get_signing_algs (self->provider), &unknown_kid, &error))
    {
      /* Keys that were not fetched for this check (memory or the disk
       * cache) may be stale: the provider rotated them, or was set up
       * again with a new key under the same kid. Fetch them once more,
       * past both caches; a second failure is final. */
      if (!ex->refetched && (unknown_kid || fetched < ex->began))
        {
          GCancellable *cancellable = g_task_get_cancellable (task);

          g_debug (unknown_kid ? "Unknown key: fetching the key set again"
                               : "Signature not valid with cached keys: fetching the key set again");
          g_clear_error (&error);
          ex->refetched = TRUE;
          /* The cancellable is read before the task is handed on: the order
           * in which arguments are evaluated is not defined. */
          ag_provider_get_jwks_async (self->provider, TRUE, cancellable,
                                      jwks_ready, g_steal_pointer (&task));
          return;
        }
      g_task_return_error (task, error);
      return;
    }

  if (!ag_jwt_check_id_token (ex->jwt,
                              ag_provider_get_issuer (self->provider),
                              ag_config_get_client_id (self->config),
                              ex->nonce,
                              g_get_real_time () / G_USEC_PER_SEC + ex->clock_offset,
                              &error))
    {
      g_task_return_error (task, error);
      return;
    }

  ag_trace_mark ("ID token signature and claims checked");
  sub = ag_json_get_string (ag_jwt_get_claims (ex->jwt), "sub");
  if (ex->expected_sub != NULL && g_strcmp0 (sub, ex->expected_sub) != 0)
    {
      g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN,
                               _("The refreshed identity token names another user (sub)"));
      return;
    }
  claims_verified (task);
}

static void
verify_with_jwks (GTask *task)
{
  AgOidcClient *self = g_task_get_source_object (task);

  ag_provider_get_jwks_async (self->provider, FALSE, g_task_get_cancellable (task), jwks_ready, g_object_ref (task));
}

static void token_answered (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data);

static void
token_rediscovered (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AgOidcClient *self = g_task_get_source_object (task);
  Exchange *ex = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  if (!ag_provider_discover_finish (AG_PROVIDER (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_clear_object (&ex->msg);
  ex->msg = ag_oidc_client_new_token_message (self, ex->form);
  ag_http_send_async (ag_provider_get_session (self->provider), ex->msg, cancellable,
                      token_answered, g_steal_pointer (&task));
}

/* Continues after the token endpoint answered: verify the ID token, if any. */
static void
token_answered (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AgOidcClient *self = g_task_get_source_object (task);
  Exchange *ex = g_task_get_task_data (task);
  g_autoptr(JsonObject) answer = NULL;
  GError *error = NULL;
  const char *id_token;

  if (!ag_http_read_answer (SOUP_SESSION (object), result, ex->msg, _("token response"), TRUE, &answer, &error) &&
      soup_message_get_status (ex->msg) == SOUP_STATUS_NOT_FOUND && !ex->rediscovered)
    {
      g_autofree char *asked = g_uri_to_string (soup_message_get_uri (ex->msg));
      GCancellable *cancellable = g_task_get_cancellable (task);

      /* The token endpoint came from a cached discovery document that may
       * be stale; nothing was granted, so the request can go again: at the
       * endpoint another caller's fresh discovery names, or after reading
       * discovery once more. */
      ex->rediscovered = TRUE;
      if (g_strcmp0 (asked, ag_provider_get_token_endpoint (self->provider)) != 0 ||
          ag_provider_get_discovery_fetched (self->provider) < ex->began)
        {
          g_debug ("Token endpoint not found: reading discovery again");
          g_clear_error (&error);
          ag_provider_rediscover_async (self->provider, cancellable, token_rediscovered, g_steal_pointer (&task));
          return;
        }
    }
  if (error == NULL)
    ex->tokens = token_set_of (self, answer, &error);
  ag_trace_mark ("token response read");
  if (ex->tokens == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  ag_token_set_ensure_scope (ex->tokens, ex->scopes);

  ex->clock_offset = measure_clock_offset (ex->msg);
  if (ex->clock_offset > AG_OIDC_MAX_CLOCK_OFFSET || ex->clock_offset < -AG_OIDC_MAX_CLOCK_OFFSET)
    {
      /* A plain %d: xgettext cannot read a format built from macros. */
      int minutes = (int) MIN ((ABS (ex->clock_offset) + 30) / 60, 999999);

      g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CLOCK_SKEW,
                               ex->clock_offset > 0
                               ? g_dngettext (GETTEXT_PACKAGE,
                                              "This computer’s clock is %d minute behind Authgear’s. Set the date and time, then try again.",
                                              "This computer’s clock is %d minutes behind Authgear’s. Set the date and time, then try again.",
                                              (gulong) minutes)
                               : g_dngettext (GETTEXT_PACKAGE,
                                              "This computer’s clock is %d minute ahead of Authgear’s. Set the date and time, then try again.",
                                              "This computer’s clock is %d minutes ahead of Authgear’s. Set the date and time, then try again.",
                                              (gulong) minutes),
                               minutes);
      return;
    }

  id_token = ag_token_set_get_id_token (ex->tokens);
  if (id_token == NULL)
    {
      if (ex->nonce != NULL)
        {
          g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN,
                                   _("Authgear sent no identity token"));
          return;
        }
      /* A refresh may leave the ID token out; the old one stays. */
      claims_verified (task);
      return;
    }

  ex->jwt = ag_jwt_parse (id_token, &error);
  ag_trace_mark ("ID token parsed");
  if (ex->jwt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  verify_with_jwks (task);
}

void
ag_oidc_client_exchange_code_async (AgOidcClient        *self,
                                    AgAuthRequest       *request,
                                    const char          *code,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) form = NULL;
  Exchange *ex;

  g_return_if_fail (AG_IS_OIDC_CLIENT (self));
  g_return_if_fail (AG_IS_AUTH_REQUEST (request));
  g_return_if_fail (code != NULL);
  g_return_if_fail (ag_provider_is_discovered (self->provider));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_oidc_client_exchange_code_async);

  form = ag_http_form_encode ("grant_type", "authorization_code",
                              "code", code,
                              "redirect_uri", ag_auth_request_get_redirect_uri (request),
                              "code_verifier", ag_auth_request_get_verifier (request),
                              "client_id", form_client_id (self),
                              "client_secret", ag_oidc_client_form_client_secret (self),
                              NULL);
  ex = exchange_new (self, form);
  ex->nonce = g_strdup (ag_auth_request_get_nonce (request));
  ex->scopes = g_strdup (ag_auth_request_get_scopes (request));
  ex->fetch_userinfo = TRUE;
  g_task_set_task_data (task, ex, (GDestroyNotify) exchange_free);

  ag_http_send_async (ag_provider_get_session (self->provider), ex->msg, cancellable,
                      token_answered, g_steal_pointer (&task));
}

/* Reads the answer to @task's message (its task data) with
 * ag_http_read_answer(): %TRUE with its JSON in *@json (%NULL when it has
 * none and @json_required is %FALSE), else %FALSE with the error returned
 * to @task. */
gboolean
ag_oidc_client_task_answer (GObject       *session,
                            GAsyncResult  *result,
                            GTask         *task,
                            const char    *what,
                            gboolean       json_required,
                            JsonObject   **json)
{
  GError *error = NULL;

  if (ag_http_read_answer (SOUP_SESSION (session), result, g_task_get_task_data (task), what, json_required,
                           json, &error))
    return TRUE;
  g_task_return_error (task, error);
  return FALSE;
}

AgTokenSet *
ag_oidc_client_exchange_code_finish (AgOidcClient  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
refresh_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  AgOidcClient *self = AG_OIDC_CLIENT (object);
  AgTokenSet *previous = user_data;
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->refresh_waiters);
  g_autoptr(AgTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;

  tokens = g_task_propagate_pointer (G_TASK (result), &error);
  if (tokens != NULL)
    ag_token_set_inherit (tokens, previous);
  g_object_unref (previous);

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *waiter = g_ptr_array_index (waiters, i);

      if (tokens != NULL)
        g_task_return_pointer (waiter, g_object_ref (tokens), g_object_unref);
      else
        g_task_return_error (waiter, g_error_copy (error));
    }
}

void
ag_oidc_client_refresh_async (AgOidcClient        *self,
                              AgTokenSet          *current,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) inner = NULL;
  g_autoptr(GBytes) form = NULL;
  Exchange *ex;

  g_return_if_fail (AG_IS_OIDC_CLIENT (self));
  g_return_if_fail (AG_IS_TOKEN_SET (current));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_oidc_client_refresh_async);

  if (ag_token_set_get_refresh_token (current) == NULL)
    {
      g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_GRANT,
                               _("The session has no refresh token: sign in again"));
      return;
    }
  if (!ag_provider_is_discovered (self->provider))
    {
      g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_DISCOVERY, _("The provider’s configuration is not loaded"));
      return;
    }

  if (self->refresh_waiters != NULL)
    {
      g_debug ("A refresh is running: waiting for it");
      g_ptr_array_add (self->refresh_waiters, g_steal_pointer (&task));
      return;
    }
  self->refresh_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->refresh_waiters, g_steal_pointer (&task));

  /* The shared request belongs to the client, not to the first caller, so
   * that one caller's cancel does not fail the others. */
  inner = g_task_new (self, self->cancellable, refresh_done, g_object_ref (current));
  g_task_set_source_tag (inner, ag_oidc_client_refresh_async);

  form = ag_http_form_encode ("grant_type", "refresh_token",
                              "refresh_token", ag_token_set_get_refresh_token (current),
                              "client_id", form_client_id (self),
                              "client_secret", ag_oidc_client_form_client_secret (self),
                              NULL);
  ex = exchange_new (self, form);
  ex->expected_sub = g_strdup (ag_token_set_get_subject (current));
  g_task_set_task_data (inner, ex, (GDestroyNotify) exchange_free);

  ag_http_send_async (ag_provider_get_session (self->provider), ex->msg, self->cancellable,
                      token_answered, g_steal_pointer (&inner));
}

AgTokenSet *
ag_oidc_client_refresh_finish (AgOidcClient  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
userinfo_answered (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  const char *expected_sub = g_object_get_data (G_OBJECT (task), "sub");
  g_autoptr(JsonObject) object_ = NULL;
  g_autoptr(GError) error = NULL;

  if (!ag_http_read_answer (SOUP_SESSION (object), result, msg, _("profile"), TRUE, &object_, &error))
    {
      /* A 401 is the access token's fault: the session refreshes once. */
      if (soup_message_get_status (msg) == SOUP_STATUS_UNAUTHORIZED)
        g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_UNAUTHORIZED,
                                 _("Authgear did not accept the access token for the profile (HTTP 401)"));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_strcmp0 (ag_json_get_string (object_, "sub"), expected_sub) != 0)
    {
      g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_USERINFO_MISMATCH,
                               _("The profile Authgear sent belongs to another user"));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&object_), (GDestroyNotify) json_object_unref);
}

void
ag_oidc_client_fetch_userinfo_async (AgOidcClient        *self,
                                     AgTokenSet          *tokens,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SoupMessage *msg;
  const char *endpoint;

  g_return_if_fail (AG_IS_OIDC_CLIENT (self));
  g_return_if_fail (AG_IS_TOKEN_SET (tokens));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_oidc_client_fetch_userinfo_async);

  endpoint = ag_provider_get_userinfo_endpoint (self->provider);
  if (endpoint == NULL)
    {
      g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_DISCOVERY, _("The provider has no userinfo endpoint"));
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "sub", g_strdup (ag_token_set_get_subject (tokens)), g_free);

  msg = soup_message_new (SOUP_METHOD_GET, endpoint);
  ag_oidc_client_set_bearer (msg, tokens);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  g_task_set_task_data (task, msg, g_object_unref);
  ag_http_send_async (ag_provider_get_session (self->provider), msg, cancellable,
                      userinfo_answered, g_steal_pointer (&task));
}

JsonObject *
ag_oidc_client_fetch_userinfo_finish (AgOidcClient  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
revoke_answered (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) answer = NULL;

  /* RFC 7009: 200 with any body, often none. */
  if (ag_oidc_client_task_answer (object, result, task, _("revocation"), FALSE, &answer))
    g_task_return_boolean (task, TRUE);
}

void
ag_oidc_client_revoke_async (AgOidcClient        *self,
                             AgTokenSet          *tokens,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) form = NULL;
  const char *endpoint;
  const char *token;
  SoupMessage *msg;

  g_return_if_fail (AG_IS_OIDC_CLIENT (self));
  g_return_if_fail (AG_IS_TOKEN_SET (tokens));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_oidc_client_revoke_async);

  endpoint = ag_provider_is_discovered (self->provider) ? ag_provider_get_revocation_endpoint (self->provider) : NULL;
  token = ag_token_set_get_refresh_token (tokens);
  if (endpoint == NULL || token == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  form = ag_http_form_encode ("token", token,
                              "token_type_hint", "refresh_token",
                              "client_id", form_client_id (self),
                              "client_secret", ag_oidc_client_form_client_secret (self),
                              NULL);
  msg = soup_message_new (SOUP_METHOD_POST, endpoint);
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", form);
  add_client_auth (self, msg);
  g_task_set_task_data (task, msg, g_object_unref);
  ag_http_send_async (ag_provider_get_session (self->provider), msg, cancellable,
                      revoke_answered, g_steal_pointer (&task));
}

gboolean
ag_oidc_client_revoke_finish (AgOidcClient  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The end-session URL, or NULL when the provider has none. */
static char *
build_end_session_uri (AgOidcClient *self,
                       AgTokenSet   *tokens,
                       const char   *state)
{
  const char *endpoint;
  g_autoptr(GString) url = NULL;
  struct { const char *name, *value; } params[] = {
    { "id_token_hint", tokens ? ag_token_set_get_id_token (tokens) : NULL },
    { "post_logout_redirect_uri", ag_config_get_post_logout_redirect_uri (self->config) },
    { "state", state },
    { "client_id", ag_config_get_client_id (self->config) },
  };

  endpoint = ag_provider_is_discovered (self->provider) ? ag_provider_get_end_session_endpoint (self->provider) : NULL;
  if (endpoint == NULL)
    return NULL;

  url = g_string_new (endpoint);
  g_string_append_c (url, strchr (endpoint, '?') ? '&' : '?');
  for (guint i = 0; i < G_N_ELEMENTS (params); i++)
    ag_http_query_append (url, params[i].name, params[i].value);
  return g_string_free (g_steal_pointer (&url), FALSE);
}

static void
end_session_answered (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(JsonObject) answer = NULL;
  GError *error = NULL;
  guint status = soup_message_get_status (msg);

  /* Authgear answers with a redirect to the post-logout address (303
   * without its cookie, which this client never has): that is success. */
  if (ag_http_read_answer (SOUP_SESSION (object), result, msg, _("end of the session"), FALSE, &answer, &error) ||
      SOUP_STATUS_IS_REDIRECTION (status))
    {
      g_clear_error (&error);
      g_task_return_boolean (task, TRUE);
    }
  else
    g_task_return_error (task, error);
}

void
ag_oidc_client_end_session_async (AgOidcClient        *self,
                                  AgTokenSet          *tokens,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *state = ag_secure_random_b64url (16);
  g_autofree char *end = NULL;
  SoupMessage *msg;

  g_return_if_fail (AG_IS_OIDC_CLIENT (self));
  g_return_if_fail (AG_IS_TOKEN_SET (tokens));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_oidc_client_end_session_async);
  end = build_end_session_uri (self, tokens, state);
  msg = end ? soup_message_new (SOUP_METHOD_GET, end) : NULL;
  if (end != NULL)
    ag_secure_wipe (end, strlen (end));   /* it holds the ID token */
  if (msg == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_task_set_task_data (task, msg, g_object_unref);
  ag_http_send_async (ag_provider_get_session (self->provider), msg, cancellable,
                      end_session_answered, g_steal_pointer (&task));
}

gboolean
ag_oidc_client_end_session_finish (AgOidcClient  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
