/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AgSession's requests for the signed-in person: the profile read again,
 * the app session token that opens Authgear's pages, a fresh ID token for
 * reauthentication, and who decides that reauthentication is needed. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ag-error.h"
#include "ag-secure.h"
#include "ag-session-private.h"
#include "ag-test-hooks.h"

/* Profile reload: userinfo, and on 401 one refresh and a second try. */

static void profile_fetched_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
fetch_profile (AgSession *self,
               GTask     *task)
{
  _ag_session_op_of (task)->generation = self->generation;
  ag_oidc_client_fetch_userinfo_async (self->client, self->tokens, g_task_get_cancellable (task),
                                       profile_fetched_cb, task);
}

static void
profile_refreshed_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!ag_session_refresh_finish (AG_SESSION (object), result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  fetch_profile (AG_SESSION (object), task);
}

static void
profile_fetched_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  AgSession *self = g_task_get_source_object (task);
  guint generation = _ag_session_op_of (task)->generation;
  g_autoptr(JsonObject) userinfo = NULL;
  GError *error = NULL;

  userinfo = ag_oidc_client_fetch_userinfo_finish (AG_OIDC_CLIENT (object), result, &error);
  if (userinfo == NULL && g_error_matches (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_UNAUTHORIZED) &&
      !_ag_session_op_of (task)->refreshed)
    {
      /* The access token was refused before its time: refresh once. */
      g_debug ("Profile: access token refused, refreshing");
      g_clear_error (&error);
      _ag_session_op_of (task)->refreshed = TRUE;
      ag_session_refresh_async (self, g_task_get_cancellable (task), profile_refreshed_cb, task);
      return;
    }
  if (userinfo == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (generation != self->generation)
    {
      g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_STALE, _("The session changed while the profile was read"));
      g_object_unref (task);
      return;
    }
  ag_token_set_set_userinfo (self->tokens, userinfo);
  _ag_session_notify_tokens (self);
  _ag_session_save_tokens (self, task);
}

void
ag_session_reload_profile_async (AgSession           *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (AG_IS_SESSION (self));

  _ag_session_run_signed_in (self, cancellable, callback, user_data, ag_session_reload_profile_async, fetch_profile);
}

gboolean
ag_session_reload_profile_finish (AgSession     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* App session token: opens Authgear's own pages signed in. */

/* Requests of the signed-in session for Authgear's own pages: an app
 * session token (settings, settings actions) and a fresh ID token
 * (reauthentication). Their invalid_grant ends the session. */

static GTask *
account_op_new (AgSession           *self,
                const AgAuthOptions *options,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data,
                gpointer             source_tag)
{
  GTask *task = _ag_session_op_task_new (self, cancellable, callback, user_data, source_tag);

  if (options != NULL)
    ag_auth_options_copy (&_ag_session_op_of (task)->options, options);
  return task;
}

static void
account_op_failed (AgSession *self,
                   GTask     *task,
                   GError    *error)
{
  ag_session_request_failed (self, error, _ag_session_op_of (task)->generation);
  g_task_return_error (task, error);
}

static void
app_session_token_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AgSession *self = g_task_get_source_object (task);
  GError *error = NULL;
  char *token;

  token = ag_oidc_client_app_session_token_finish (AG_OIDC_CLIENT (object), result, &error);
  if (token == NULL)
    {
      account_op_failed (self, task, error);
      return;
    }
  if (_ag_session_op_of (task)->settings_url)
    {
      char *url = ag_oidc_client_build_settings_url (self->client, self->tokens, token, &_ag_session_op_of (task)->options);

      ag_secure_free (token);
      token = url;
    }
  g_task_return_pointer (task, token, (GDestroyNotify) ag_secure_free);
}

static void
fetch_app_session_token (AgSession *self,
                         GTask     *task)
{
  _ag_session_op_of (task)->generation = self->generation;
  ag_oidc_client_app_session_token_async (self->client, self->tokens, g_task_get_cancellable (task),
                                          app_session_token_cb, task);
}

void
ag_session_app_session_token_async (AgSession           *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (AG_IS_SESSION (self));

  _ag_session_run_signed_in (self, cancellable, callback, user_data, ag_session_app_session_token_async, fetch_app_session_token);
}

void
ag_session_open_settings_async (AgSession           *self,
                                const AgAuthOptions *options,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (AG_IS_SESSION (self));

  task = account_op_new (self, options, cancellable, callback, user_data, ag_session_open_settings_async);
  _ag_session_op_of (task)->settings_url = TRUE;
  if (ag_session_check_signed_in (self, NULL) && !ag_session_get_full_access (self))
    {
      g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_SCOPE,
                               _("Authgear has not given this app full access to the account"));
      g_object_unref (task);
      return;
    }
  _ag_session_start_signed_in (self, task, fetch_app_session_token);
}

char *
ag_session_open_settings_finish (AgSession     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
ag_session_app_session_token_finish (AgSession     *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
fresh_id_token_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AgSession *self = g_task_get_source_object (task);
  GError *error = NULL;
  char *id_token;

  id_token = ag_oidc_client_fresh_id_token_finish (AG_OIDC_CLIENT (object), result, &error);
  if (id_token == NULL)
    account_op_failed (self, task, error);
  else
    g_task_return_pointer (task, id_token, (GDestroyNotify) ag_secure_free);
}

static void
fetch_fresh_id_token (AgSession *self,
                      GTask     *task)
{
  _ag_session_op_of (task)->generation = self->generation;
  ag_oidc_client_fresh_id_token_async (self->client, self->tokens, g_task_get_cancellable (task),
                                       fresh_id_token_cb, task);
}

void
ag_session_fresh_id_token_async (AgSession           *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (AG_IS_SESSION (self));
  _ag_session_run_signed_in (self, cancellable, callback, user_data, ag_session_fresh_id_token_async, fetch_fresh_id_token);
}

char *
ag_session_fresh_id_token_finish (AgSession     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
ag_session_get_can_reauthenticate (AgSession *self)
{
  JsonObject *claims;

  g_return_val_if_fail (AG_IS_SESSION (self), FALSE);
  claims = self->tokens && self->state == AG_SESSION_STATE_SIGNED_IN ? ag_token_set_get_id_claims (self->tokens) : NULL;
  return claims != NULL && ag_session_get_full_access (self) &&
         json_object_get_boolean_member_with_default (claims, "https://authgear.com/claims/user/can_reauthenticate", FALSE);
}

gboolean
ag_session_get_reauthentication_needed (AgSession *self)
{
  g_return_val_if_fail (AG_IS_SESSION (self), FALSE);
  return ag_session_get_can_reauthenticate (self) &&
         !ag_token_set_authenticated_within (self->tokens, ag_reauthentication_max_age ());
}

