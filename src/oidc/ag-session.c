/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AgSession owns the signed-in state of one project: its tokens, their
 * refresh (scheduled, retried with back-off), the profile, the keyring copy
 * and Logout. A visit to Authgear's pages (sign-in, reauthentication, a
 * settings action) is an AgFlow of its own (ag-flow.c), which hands its
 * result here in one call. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ag-error.h"
#include "ag-http.h"
#include "ag-oidc-client.h"
#include "ag-provider.h"
#include "ag-secure.h"
#include "ag-session.h"
#include "ag-session-private.h"
#include "ag-test-hooks.h"
#include "ag-trace.h"
#include "ag-enums.h"

enum {
  PROP_0,
  PROP_STATE,
  PROP_REASON,
  PROP_TOKENS,
  PROP_PERSISTENT,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AgSession, ag_session, G_TYPE_OBJECT)


static void
ag_session_dispose (GObject *object)
{
  AgSession *self = AG_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  G_OBJECT_CLASS (ag_session_parent_class)->dispose (object);
}

static void
ag_session_finalize (GObject *object)
{
  AgSession *self = AG_SESSION (object);

  g_clear_object (&self->config);
  g_clear_object (&self->store);
  g_clear_object (&self->provider);
  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->tokens);
  g_clear_error (&self->last_error);

  G_OBJECT_CLASS (ag_session_parent_class)->finalize (object);
}

static void
ag_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  AgSession *self = AG_SESSION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_REASON:
      g_value_set_enum (value, self->reason);
      break;
    case PROP_TOKENS:
      g_value_set_object (value, self->tokens);
      break;
    case PROP_PERSISTENT:
      g_value_set_boolean (value, self->persistent);
      break;
    case PROP_LAST_ERROR:
      g_value_set_boxed (value, self->last_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ag_session_class_init (AgSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ag_session_dispose;
  object_class->finalize = ag_session_finalize;
  object_class->get_property = ag_session_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, AG_TYPE_SESSION_STATE, AG_SESSION_STATE_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Why the state last changed; notified with it. */
  properties[PROP_REASON] =
    g_param_spec_enum ("reason", NULL, NULL, AG_TYPE_SESSION_REASON, AG_SESSION_REASON_NONE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKENS] =
    g_param_spec_object ("tokens", NULL, NULL, AG_TYPE_TOKEN_SET,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PERSISTENT] =
    g_param_spec_boolean ("persistent", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] =
    g_param_spec_boxed ("last-error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ag_session_init (AgSession *self)
{
  self->cancellable = g_cancellable_new ();
  self->retry_first_ms = AG_SESSION_RETRY_FIRST_MS;
}

AgSession *
ag_session_new (AgConfig     *config,
                AgTokenStore *store,
                SoupSession  *http,
                const char   *cache_dir)
{
  AgSession *self;

  g_return_val_if_fail (AG_IS_CONFIG (config), NULL);
  g_return_val_if_fail (store == NULL || AG_IS_TOKEN_STORE (store), NULL);
  g_return_val_if_fail (SOUP_IS_SESSION (http), NULL);

  self = g_object_new (AG_TYPE_SESSION, NULL);
  self->config = g_object_ref (config);
  self->store = store ? g_object_ref (store) : NULL;
  self->provider = ag_provider_new (http, ag_config_get_issuer (config), cache_dir);
  self->client = ag_oidc_client_new (config, self->provider);
  return self;
}

void
_ag_session_set_last_error (AgSession    *self,
                            const GError *error)
{
  g_clear_error (&self->last_error);
  if (error != NULL)
    self->last_error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

void
_ag_session_set_persistent (AgSession *self,
                            gboolean   persistent)
{
  if (self->persistent == persistent)
    return;
  self->persistent = persistent;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERSISTENT]);
}

/* The one place the state changes; watchers react to notify::state. */
void
_ag_session_set_state (AgSession       *self,
                       AgSessionState   state,
                       AgSessionReason  reason,
                       AgTokenSet      *tokens)
{
  gboolean tokens_changed = self->tokens != tokens;

  g_debug ("State %d -> %d (reason %d)", self->state, state, reason);
  self->generation++;
  if (reason != AG_SESSION_REASON_REFRESHED)
    self->refresh_failures = 0;
  if (tokens_changed)
    g_set_object (&self->tokens, tokens);
  self->reason = reason;
  self->state = state;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (state == AG_SESSION_STATE_SIGNED_IN)
    _ag_session_schedule_refresh (self);

  g_object_freeze_notify (G_OBJECT (self));
  if (tokens_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKENS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASON]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_thaw_notify (G_OBJECT (self));
}

AgSessionState
ag_session_get_state (AgSession *self)
{
  g_return_val_if_fail (AG_IS_SESSION (self), AG_SESSION_STATE_UNKNOWN);
  return self->state;
}

AgSessionReason
ag_session_get_reason (AgSession *self)
{
  g_return_val_if_fail (AG_IS_SESSION (self), AG_SESSION_REASON_NONE);
  return self->reason;
}

void
_ag_session_notify_tokens (AgSession *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKENS]);
}

AgTokenSet *
ag_session_get_tokens (AgSession *self)
{
  g_return_val_if_fail (AG_IS_SESSION (self), NULL);
  return self->state == AG_SESSION_STATE_SIGNED_IN ? self->tokens : NULL;
}

gboolean
ag_session_get_persistent (AgSession *self)
{
  g_return_val_if_fail (AG_IS_SESSION (self), FALSE);
  return self->persistent;
}

const GError *
ag_session_get_last_error (AgSession *self)
{
  g_return_val_if_fail (AG_IS_SESSION (self), NULL);
  return self->last_error;
}

gboolean
ag_session_get_full_access (AgSession *self)
{
  g_return_val_if_fail (AG_IS_SESSION (self), FALSE);
  return self->tokens != NULL && ag_token_set_has_scope (self->tokens, AG_FULL_ACCESS_SCOPE);
}

gboolean
ag_session_get_full_access_refused (AgSession *self)
{
  g_return_val_if_fail (AG_IS_SESSION (self), FALSE);
  return self->full_access_refused;
}

AgConfig *
ag_session_get_config (AgSession *self)
{
  g_return_val_if_fail (AG_IS_SESSION (self), NULL);
  return self->config;
}

/* Keyring writes run in the background and never hold up the view. */
static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AgSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!ag_token_store_save_finish (AG_TOKEN_STORE (object), result, &error))
    {
      if (!ag_error_is_cancelled (error))
        {
          g_debug ("Session kept in memory only: %s", error->message);
          _ag_session_set_persistent (self, FALSE);
          _ag_session_set_last_error (self, error);
        }
    }
  /* A Logout while the write was under way has cleared the keyring after
   * it (the store keeps their order): nothing is stored then. */
  else if (self->state == AG_SESSION_STATE_SIGNED_IN)
    _ag_session_set_persistent (self, TRUE);
  ag_trace_mark ("kept in the keyring");
  g_task_return_boolean (task, TRUE);
}

void
_ag_session_save_tokens (AgSession *self,
                         GTask     *task)
{
  if (self->store == NULL)
    {
      g_autoptr(GError) error = g_error_new (AUTHGEAR_ERROR, AUTHGEAR_ERROR_STORAGE_UNAVAILABLE, _("The keyring is not available"));
      _ag_session_set_persistent (self, FALSE);
      _ag_session_set_last_error (self, error);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  ag_token_store_save_async (self->store, self->tokens, self->cancellable, saved_cb, task);
}

static void
op_free (Op *op)
{
  ag_auth_options_clear (&op->options);
  g_clear_object (&op->tokens);
  g_clear_error (&op->error);
  g_free (op);
}

/* A task of this session with its Op. */
GTask *
_ag_session_op_task_new (AgSession           *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data,
                         gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, g_new0 (Op, 1), (GDestroyNotify) op_free);
  return task;
}

Op *
_ag_session_op_of (GTask *task)
{
  return g_task_get_task_data (task);
}

static void
discovered_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  AfterDiscovery next = _ag_session_op_of (task)->next;
  GError *error = NULL;

  if (!ag_provider_discover_finish (AG_PROVIDER (object), result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  next (g_task_get_source_object (task), task);
}

void
_ag_session_with_discovery (AgSession      *self,
                            GTask          *task,
                            AfterDiscovery  next)
{
  _ag_session_op_of (task)->next = next;
  ag_provider_discover_async (self->provider, g_task_get_cancellable (task), discovered_cb, task);
}

gboolean
ag_session_check_signed_in (AgSession  *self,
                            GError    **error)
{
  g_return_val_if_fail (AG_IS_SESSION (self), FALSE);
  if (self->tokens != NULL && self->state == AG_SESSION_STATE_SIGNED_IN)
    return TRUE;
  g_set_error_literal (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_UNAUTHORIZED, _("Nobody is signed in"));
  return FALSE;
}

/* Runs @next (after discovery) for @task, which needs a signed-in session;
 * without one it fails with %AUTHGEAR_ERROR_UNAUTHORIZED. */
void
_ag_session_start_signed_in (AgSession      *self,
                             GTask          *task,
                             AfterDiscovery  next)
{
  GError *error = NULL;

  if (!ag_session_check_signed_in (self, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  _ag_session_with_discovery (self, task, next);
}

/* Starts @next (after discovery) for an operation that needs a signed-in
 * session. */
void
_ag_session_run_signed_in (AgSession           *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data,
                           gpointer             source_tag,
                           AfterDiscovery       next)
{
  _ag_session_start_signed_in (self, _ag_session_op_task_new (self, cancellable, callback, user_data, source_tag), next);
}

/* Ends the session here and in the keyring, for @reason. */
static void
end_session (AgSession       *self,
             AgSessionReason  reason)
{
  _ag_session_set_state (self, AG_SESSION_STATE_NO_SESSION, reason, NULL);
  _ag_session_set_persistent (self, FALSE);
  if (self->store != NULL)
    ag_token_store_clear_async (self->store, ag_config_get_issuer (self->config),
                                ag_config_get_client_id (self->config), NULL, NULL, NULL);
}

/* What invalid_grant does, wherever Authgear answered it (a refresh, an
 * app session token, a fresh ID token): Authgear no longer knows the
 * session, so it is over here too, and in the keyring, with the error as
 * the reason (last-error). A request made for an earlier session
 * (signed in anew meanwhile) ends nothing. Other errors end nothing. */
void
ag_session_request_failed (AgSession    *self,
                           const GError *error,
                           guint         generation)
{
  g_return_if_fail (AG_IS_SESSION (self));

  if (!g_error_matches (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_GRANT) || generation != self->generation ||
      self->state != AG_SESSION_STATE_SIGNED_IN)
    return;
  g_debug ("Authgear no longer knows the session: it is over");
  _ag_session_set_last_error (self, error);
  end_session (self, AG_SESSION_REASON_INVALID);
}

/* Restore. */

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AgSession *self = g_task_get_source_object (task);
  g_autoptr(AgTokenSet) tokens = NULL;
  GError *error = NULL;

  tokens = ag_token_store_load_finish (AG_TOKEN_STORE (object), result, &error);
  if (error != NULL)
    {
      _ag_session_set_last_error (self, error);
      _ag_session_set_state (self, AG_SESSION_STATE_NO_SESSION, AG_SESSION_REASON_NO_TOKEN, NULL);
      g_task_return_error (task, error);
      return;
    }
  if (self->state != AG_SESSION_STATE_UNKNOWN)
    {
      /* A sign-in started meanwhile wins over the stored session. */
      g_task_return_boolean (task, FALSE);
      return;
    }
  if (tokens == NULL)
    {
      _ag_session_set_state (self, AG_SESSION_STATE_NO_SESSION, AG_SESSION_REASON_NO_TOKEN, NULL);
      g_task_return_boolean (task, FALSE);
      return;
    }

  _ag_session_set_persistent (self, TRUE);
  /* Shown at once from the keyring. _ag_session_schedule_refresh() fires immediately
   * when the access token is no longer fresh. */
  _ag_session_set_state (self, AG_SESSION_STATE_SIGNED_IN, AG_SESSION_REASON_FOUND_TOKEN, tokens);
  g_task_return_boolean (task, TRUE);
}

void
ag_session_restore_async (AgSession           *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (AG_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_session_restore_async);

  if (self->store == NULL)
    {
      _ag_session_set_state (self, AG_SESSION_STATE_NO_SESSION, AG_SESSION_REASON_NO_TOKEN, NULL);
      g_task_return_boolean (task, FALSE);
      return;
    }
  ag_token_store_load_async (self->store,
                             ag_config_get_issuer (self->config),
                             ag_config_get_client_id (self->config),
                             cancellable, loaded_cb, g_steal_pointer (&task));
}

gboolean
ag_session_restore_finish (AgSession     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* What the flows hand over (ag-flow.c). */

AgProvider *
ag_session_get_provider (AgSession *self)
{
  g_return_val_if_fail (AG_IS_SESSION (self), NULL);
  return self->provider;
}

AgOidcClient *
ag_session_get_oidc_client (AgSession *self)
{
  g_return_val_if_fail (AG_IS_SESSION (self), NULL);
  return self->client;
}

guint
ag_session_get_generation (AgSession *self)
{
  g_return_val_if_fail (AG_IS_SESSION (self), 0);
  return self->generation;
}

guint
ag_session_get_ended_count (AgSession *self)
{
  g_return_val_if_fail (AG_IS_SESSION (self), 0);
  return self->ended_count;
}

char *
ag_session_get_sign_in_scopes (AgSession *self)
{
  g_auto(GStrv) scopes = NULL;
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;

  g_return_val_if_fail (AG_IS_SESSION (self), NULL);

  scopes = g_strsplit (ag_config_get_scopes (self->config), " ", -1);
  for (guint i = 0; scopes[i] != NULL; i++)
    if (!(self->full_access_refused && g_str_equal (scopes[i], AG_FULL_ACCESS_SCOPE)))
      g_strv_builder_add (kept, scopes[i]);
  list = g_strv_builder_end (kept);
  return g_strjoinv (" ", list);
}

void
ag_session_refuse_full_access (AgSession *self)
{
  g_return_if_fail (AG_IS_SESSION (self));
  g_debug ("Full access refused: signing in without it");
  self->full_access_refused = TRUE;
}

gboolean
ag_session_is_redirect (AgSession  *self,
                        const char *uri)
{
  g_return_val_if_fail (AG_IS_SESSION (self), FALSE);
  return ag_redirect_uri_matches (ag_config_get_redirect_uri (self->config), uri);
}

void
ag_session_take_tokens (AgSession  *self,
                        AgTokenSet *tokens)
{
  g_return_if_fail (AG_IS_SESSION (self));
  g_return_if_fail (AG_IS_TOKEN_SET (tokens));

  _ag_session_set_last_error (self, NULL);
  _ag_session_set_state (self, AG_SESSION_STATE_SIGNED_IN, AG_SESSION_REASON_SIGNED_IN, tokens);
  ag_trace_mark ("signed in");
  /* Signed in once the code is exchanged and the ID token verified; the
   * keyring write goes on behind and reports through "persistent" and
   * "last-error". */
  _ag_session_save_tokens (self, _ag_session_op_task_new (self, self->cancellable, NULL, NULL, _ag_session_save_tokens));
}

void
ag_session_take_id_token_async (AgSession           *self,
                                AgTokenSet          *fresh,
                                guint                generation,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (AG_IS_SESSION (self));
  g_return_if_fail (AG_IS_TOKEN_SET (fresh));

  task = _ag_session_op_task_new (self, cancellable, callback, user_data, ag_session_take_id_token_async);
  if (self->tokens == NULL || generation != self->generation)
    g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_STALE,
                             _("The session changed while Authgear asked you again"));
  else if (g_strcmp0 (ag_token_set_get_subject (fresh), ag_token_set_get_subject (self->tokens)) != 0)
    g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_USERINFO_MISMATCH,
                             _("Another account confirmed: the session here is not theirs"));
  else if (!ag_token_set_authenticated_within (fresh, AG_REAUTHENTICATION_MAX_AGE + AG_JWT_CLOCK_SKEW))
    g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN,
                             _("Authgear did not ask you again (the sign-in time is old)"));
  else
    {
      ag_token_set_take_id_token (self->tokens, fresh);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKENS]);
      _ag_session_save_tokens (self, task);
      return;
    }
  g_object_unref (task);
}

gboolean
ag_session_take_id_token_finish (AgSession     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ag_session_account_deleted (AgSession *self)
{
  g_return_if_fail (AG_IS_SESSION (self));
  /* The account is gone at Authgear, and its session with it. */
  g_debug ("Account deleted");
  _ag_session_set_last_error (self, NULL);
  end_session (self, AG_SESSION_REASON_ACCOUNT_DELETED);
}

/* Logout: three steps at once (revocation, end session, keyring); the
 * first error is the answer, once all are done. */

static void
logout_step_done (GTask  *task,
                  GError *error)
{
  Op *op = _ag_session_op_of (task);

  if (error != NULL && op->error == NULL)
    op->error = error;
  else if (error != NULL)
    g_error_free (error);

  if (--op->pending > 0)
    {
      g_object_unref (task);
      return;
    }
  if (op->error != NULL)
    g_task_return_error (task, g_steal_pointer (&op->error));
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
revoked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError *error = NULL;

  ag_oidc_client_revoke_finish (AG_OIDC_CLIENT (object), result, &error);
  logout_step_done (user_data, error);
}

static void
end_session_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Best effort: the web session was ephemeral and is gone already. */
  if (!ag_oidc_client_end_session_finish (AG_OIDC_CLIENT (object), result, &error))
    g_debug ("End session: %s", error->message);
  logout_step_done (user_data, NULL);
}

static void
keyring_cleared_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GError *error = NULL;

  ag_token_store_clear_finish (AG_TOKEN_STORE (object), result, &error);
  logout_step_done (user_data, error);
}

static void
logout_after_discovery (AgSession *self,
                        GTask     *task)
{
  Op *op = _ag_session_op_of (task);

  op->pending += 2;
  ag_oidc_client_revoke_async (self->client, op->tokens, g_task_get_cancellable (task), revoked_cb, g_object_ref (task));
  ag_oidc_client_end_session_async (self->client, op->tokens, g_task_get_cancellable (task),
                                    end_session_cb, g_object_ref (task));
  logout_step_done (task, NULL);
}

static void
logout_discovered_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!ag_provider_discover_finish (AG_PROVIDER (object), result, &error))
    {
      logout_step_done (task, error);
      return;
    }
  logout_after_discovery (g_task_get_source_object (task), task);
}

void
ag_session_logout_async (AgSession           *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (AG_IS_SESSION (self));

  task = _ag_session_op_task_new (self, cancellable, callback, user_data, ag_session_logout_async);
  op = _ag_session_op_of (task);
  op->tokens = self->tokens ? g_object_ref (self->tokens) : NULL;
  self->ended_count++;
  _ag_session_set_last_error (self, NULL);
  _ag_session_set_state (self, AG_SESSION_STATE_NO_SESSION, AG_SESSION_REASON_LOGGED_OUT, NULL);
  _ag_session_set_persistent (self, FALSE);

  /* One count for the keyring, one for the provider part. */
  op->pending = 1;
  if (self->store != NULL)
    {
      op->pending++;
      /* This project's session only: another Authgear project's stays. */
      ag_token_store_clear_async (self->store, ag_config_get_issuer (self->config),
                                  ag_config_get_client_id (self->config),
                                  cancellable, keyring_cleared_cb, g_object_ref (task));
    }
  if (op->tokens != NULL)
    ag_provider_discover_async (self->provider, cancellable, logout_discovered_cb, task);
  else
    logout_step_done (task, NULL);
}

gboolean
ag_session_logout_finish (AgSession     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Forget. */

static void
forgotten_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!ag_token_store_clear_finish (AG_TOKEN_STORE (object), result, &error) && error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
ag_session_forget_async (AgSession           *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (AG_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_session_forget_async);
  self->ended_count++;
  _ag_session_set_last_error (self, NULL);
  _ag_session_set_state (self, AG_SESSION_STATE_NO_SESSION, AG_SESSION_REASON_CLEARED, NULL);
  _ag_session_set_persistent (self, FALSE);
  if (self->store == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  ag_token_store_clear_async (self->store, ag_config_get_issuer (self->config),
                              ag_config_get_client_id (self->config),
                              cancellable, forgotten_cb, g_steal_pointer (&task));
}

gboolean
ag_session_forget_finish (AgSession     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
