/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AgSession's refresh: one timer for the next refresh at 90 % of the
 * access token's life, and after a passing failure the back-off, all in
 * this file. invalid_grant is decided by ag_session_request_failed(). */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ag-error.h"
#include "ag-secure.h"
#include "ag-session-private.h"
#include "ag-test-hooks.h"

/* After a refresh failed for a passing reason (no network, 5xx, time-out):
 * exponential back-off from 30 s up to 15 minutes, with jitter, and at once
 * when the network comes back. */
#define REFRESH_RETRY_MAX_STEPS 5     /* 30 s · 2^5 = 16 min, capped at 15 */
#define REFRESH_RETRY_CAP_FACTOR 30   /* 15 min = 30 × 30 s */

void
ag_session_set_refresh_retry_first_ms (AgSession *self,
                                       guint      msec)
{
  g_return_if_fail (AG_IS_SESSION (self));
  g_return_if_fail (msec > 0);
  self->retry_first_ms = msec;
}

static gboolean refresh_timeout_cb (gpointer user_data);
static void schedule_retry (AgSession *self);

static void
refreshed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  AgSession *self = g_task_get_source_object (task);
  guint generation = _ag_session_op_of (task)->generation;
  g_autoptr(AgTokenSet) tokens = NULL;
  GError *error = NULL;

  tokens = ag_oidc_client_refresh_finish (AG_OIDC_CLIENT (object), result, &error);
  if (generation != self->generation)
    {
      /* Logged out or signed in anew meanwhile: this result is stale. */
      g_clear_error (&error);
      g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_STALE, _("The session changed during the refresh"));
      g_object_unref (task);
      return;
    }
  if (tokens == NULL)
    {
      _ag_session_set_last_error (self, error);
      if (g_error_matches (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_GRANT))
        ag_session_request_failed (self, error, generation);
      else if (g_error_matches (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CLIENT_REJECTED))
        {
          /* Asking again with the same credentials cannot help: no more
           * automatic refresh; last-error says so (the app offers its settings).
           * The session stays, as it may still be valid. */
          g_debug ("Authgear refused the client: automatic refresh stopped");
          g_clear_handle_id (&self->refresh_source, g_source_remove);
        }
      else if (!ag_error_is_cancelled (error))
        {
          /* Network down, a server error, or a refreshed token that failed
           * its checks: keep the session as it was and try again later. */
          schedule_retry (self);
        }
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  self->refresh_failures = 0;
  _ag_session_set_last_error (self, NULL);
  _ag_session_set_state (self, AG_SESSION_STATE_SIGNED_IN, AG_SESSION_REASON_REFRESHED, tokens);
  _ag_session_save_tokens (self, task);
}

static void
refresh_after_discovery (AgSession *self,
                         GTask     *task)
{
  _ag_session_op_of (task)->generation = self->generation;
  ag_oidc_client_refresh_async (self->client, self->tokens, g_task_get_cancellable (task), refreshed_cb, task);
}

void
ag_session_refresh_async (AgSession           *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (AG_IS_SESSION (self));

  _ag_session_run_signed_in (self, cancellable, callback, user_data, ag_session_refresh_async, refresh_after_discovery);
}

gboolean
ag_session_refresh_finish (AgSession     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
background_refresh_done (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ag_session_refresh_finish (AG_SESSION (object), result, &error))
    g_debug ("Background refresh failed: %s", error->message);
}

static void
refresh_in_background (AgSession *self)
{
  self->refresh_source = 0;
  ag_session_refresh_async (self, self->cancellable, background_refresh_done, NULL);
}

static gboolean
refresh_timeout_cb (gpointer user_data)
{
  refresh_in_background (user_data);
  return G_SOURCE_REMOVE;
}

/* The network is back while a refresh waits to be retried: retry now. */
static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    AgSession       *self)
{
  if (!available || self->refresh_failures == 0 || self->refresh_source == 0 ||
      self->state != AG_SESSION_STATE_SIGNED_IN)
    return;
  g_debug ("The network is back: refreshing now");
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  refresh_in_background (self);
}

static void
schedule_retry (AgSession *self)
{
  guint steps = MIN (self->refresh_failures, REFRESH_RETRY_MAX_STEPS);
  guint64 cap = (guint64) self->retry_first_ms * REFRESH_RETRY_CAP_FACTOR;
  guint64 delay = MIN ((guint64) self->retry_first_ms << steps, cap);
  guint32 jitter;

  /* Up to a quarter more, so that many clients that lost the same server do
   * not come back in step. */
  ag_secure_random ((guint8 *) &jitter, sizeof jitter);
  delay = MIN (delay + (delay / 4) * jitter / G_MAXUINT32, cap);
  self->refresh_failures++;

  if (!self->watching_network)
    {
      g_signal_connect_object (g_network_monitor_get_default (), "network-changed",
                               G_CALLBACK (network_changed_cb), self, 0);
      self->watching_network = TRUE;
    }
  g_debug ("Refresh failed %u time(s) in a row: next try in %" G_GUINT64_FORMAT " ms",
           self->refresh_failures, delay);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  self->refresh_source = g_timeout_add_full (G_PRIORITY_DEFAULT_IDLE, (guint) delay, refresh_timeout_cb, self, NULL);
}

void
_ag_session_schedule_refresh (AgSession *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 delay;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->tokens == NULL || ag_token_set_get_refresh_token (self->tokens) == NULL)
    return;

  delay = CLAMP (ag_token_set_get_refresh_at (self->tokens) - now, 0, G_MAXUINT / 2);
  g_debug ("Next refresh in %" G_GINT64_FORMAT " s", delay);
  /* One timer for the next refresh; nothing wakes up in between. */
  self->refresh_source = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT_IDLE, (guint) delay,
                                                     refresh_timeout_cb, self, NULL);
}

