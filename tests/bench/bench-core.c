/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The OIDC core's part of build-aux/run-bench, against the development
 * provider:
 *   bench-core sign-in ISSUER SCHEMA      a sign-in stored in the keyring
 *   bench-core refresh ISSUER SCHEMA N    N refreshes, each timed whole
 *                                         (request, ID token check, keyring)
 *   bench-core floor ISSUER N             N bare token requests on one
 *                                         kept-alive connection
 * Prints "bench: NAME min median max" in milliseconds. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ag-http.h"
#include "ag-flow.h"
#include "ag-session.h"
#include "ag-test-hooks.h"
#include "ag-trace.h"
#include "ag-token-store.h"
#include "test-util.h"

static void
state_cb (AgSession  *session,
          GParamSpec *pspec,
          gint64     *signed_in_at)
{
  if (ag_session_get_state (session) == AG_SESSION_STATE_SIGNED_IN && *signed_in_at == 0)
    *signed_in_at = g_get_monotonic_time ();
}

/* Begins @flow and signs in with the scripted browser: the redirect. */
static char *
begin_and_browse (AgFlow *flow)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  GAsyncResult *r = NULL;

  ag_flow_begin_async (flow, NULL, test_store_result, &r);
  url = ag_flow_begin_finish (flow, test_wait_for (&r), &error);
  g_clear_object (&r);
  if (url == NULL)
    g_error ("begin: %s", error->message);
  return test_browser_sign_in (url);
}

static AgSession *
signed_in_session (const char *issuer,
                   const char *schema,
                   SoupSession *http)
{
  g_autoptr(AgConfig) config = ag_config_new (issuer, "authgear-login", NULL, NULL, NULL, NULL);
  g_autoptr(AgTokenStore) store = schema ? ag_test_keyring_store (schema) : NULL;
  g_autofree char *cache = g_dir_make_tmp ("ag-bench-XXXXXX", NULL);
  AgSession *session = ag_session_new (config, store, http, cache);
  GAsyncResult *r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *redirect = NULL;

  g_autoptr(AgFlow) flow = ag_flow_new (session, AG_FLOW_SIGN_IN, NULL, NULL);

  redirect = begin_and_browse (flow);
  {
    gint64 t0 = g_get_monotonic_time ();
    gint64 signed_in_at = 0;

    g_signal_connect (session, "notify::state", G_CALLBACK (state_cb), &signed_in_at);
    ag_flow_complete_async (flow, redirect, NULL, test_store_result, &r);
    if (!ag_flow_complete_finish (flow, test_wait_for (&r), &error))
      g_error ("complete: %s", error->message);
    g_signal_handlers_disconnect_by_data (session, &signed_in_at);
    /* The code's exchange, the ID token check and userinfo, without a window,
     * to the moment the session is signed in (the keyring write goes on). */
    g_print ("bench: complete-sign-in-ms %.3f\n", (double) (signed_in_at - t0) / 1000.0);
    g_print ("bench: complete-sign-in-stored-ms %.3f\n", (double) (g_get_monotonic_time () - t0) / 1000.0);
  }
  g_clear_object (&r);
  return session;
}

/* One more sign-in on @session, its trace from the redirect read to the
 * keyring write kept (ag_trace_take() gives it). */
static void
sign_in_traced (AgSession *session)
{
  g_autoptr(AgFlow) flow = ag_flow_new (session, AG_FLOW_SIGN_IN, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *redirect = NULL;
  GAsyncResult *r = NULL;
  gint64 deadline;

  redirect = begin_and_browse (flow);
  /* The key set prefetch of the begin is done: the trace starts here. */
  g_array_unref (ag_trace_take ());
  ag_flow_complete_async (flow, redirect, NULL, test_store_result, &r);
  if (!ag_flow_complete_finish (flow, test_wait_for (&r), &error))
    g_error ("complete: %s", error->message);
  g_clear_object (&r);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!ag_trace_has ("kept in the keyring") && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
}

static void
add_phase (GHashTable *phases,
           GPtrArray  *order,
           const char *phase,
           double      ms,
           const char *part)
{
  g_autofree char *name = g_strconcat (phase, part, NULL);
  GArray *values = g_hash_table_lookup (phases, name);

  if (values == NULL)
    {
      values = g_array_new (FALSE, FALSE, sizeof (double));
      g_hash_table_insert (phases, g_strdup (name), values);
      g_ptr_array_add (order, g_strdup (name));
    }
  g_array_append_val (values, ms);
}

static int
compare (gconstpointer a,
         gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
report (const char *name,
        GArray     *ms)
{
  g_array_sort (ms, compare);
  g_print ("bench: %s %.3f %.3f %.3f\n", name, g_array_index (ms, double, 0),
           g_array_index (ms, double, ms->len / 2), g_array_index (ms, double, ms->len - 1));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SoupSession) http = ag_http_session_new ();
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));

  if (argc >= 4 && g_str_equal (argv[1], "sign-in"))
    {
      g_autoptr(AgSession) session = signed_in_session (argv[2], argv[3], http);
      /* The keyring write runs in the background: let it finish. */
      for (int i = 0; i < 50 && !ag_session_get_persistent (session); i++)
        g_main_context_iteration (NULL, TRUE);
      g_print ("bench: signed-in persistent=%d\n", ag_session_get_persistent (session));
      return 0;
    }
  if (argc >= 5 && g_str_equal (argv[1], "refresh"))
    {
      g_autoptr(AgSession) session = signed_in_session (argv[2], argv[3], http);
      int n = atoi (argv[4]);

      for (int i = 0; i < n + 1; i++)
        {
          GAsyncResult *r = NULL;
          gint64 t0 = g_get_monotonic_time ();

          ag_session_refresh_async (session, NULL, test_store_result, &r);
          if (!ag_session_refresh_finish (session, test_wait_for (&r), NULL))
            g_error ("refresh failed");
          g_object_unref (r);
          if (i > 0)   /* the first one warms up */
            {
              double v = (double) (g_get_monotonic_time () - t0) / 1000.0;
              g_array_append_val (ms, v);
            }
        }
      report ("refresh-ms", ms);
      return 0;
    }
  if (argc >= 4 && g_str_equal (argv[1], "floor"))
    {
      g_autofree char *url = g_strconcat (argv[2], "/oauth2/token", NULL);
      int n = atoi (argv[3]);

      for (int i = 0; i < n + 1; i++)
        {
          g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
          g_autoptr(GBytes) form = ag_http_form_encode ("grant_type", "refresh_token", "refresh_token", "not-a-token",
                                                        "client_id", "authgear-login", NULL);
          g_autoptr(GBytes) body = NULL;
          gint64 t0;

          soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", form);
          t0 = g_get_monotonic_time ();
          body = soup_session_send_and_read (http, msg, NULL, NULL);
          if (i > 0)
            {
              double v = (double) (g_get_monotonic_time () - t0) / 1000.0;
              g_array_append_val (ms, v);
            }
        }
      report ("token-request-ms", ms);
      return 0;
    }
  if (argc >= 5 && g_str_equal (argv[1], "breakdown"))
    {
      g_autoptr(AgSession) session = NULL;
      g_autoptr(GHashTable) phases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
      g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
      int n = atoi (argv[4]);

      ag_trace_enable ();
      session = signed_in_session (argv[2], argv[3], http);
      for (int i = 0; i < n + 1; i++)
        {
          g_autoptr(GArray) marks = NULL;

          sign_in_traced (session);
          marks = ag_trace_take ();
          for (guint m = 1; i > 0 && m < marks->len; m++)
            {
              AgTraceMark *mark = &g_array_index (marks, AgTraceMark, m);
              double delta = (double) (mark->usec - g_array_index (marks, AgTraceMark, m - 1).usec) / 1000.0;

              add_phase (phases, order, mark->phase, mark->server_ms >= 0 ? delta - mark->server_ms : delta,
                         mark->server_ms >= 0 ? " (the wire and libsoup)" : "");
              if (mark->server_ms >= 0)
                add_phase (phases, order, mark->phase, mark->server_ms, " (the provider's own time)");
            }
        }
      /* In the order the steps ran: each is the time since the step before. */
      for (guint p = 0; p < order->len; p++)
        {
          GArray *values = g_hash_table_lookup (phases, order->pdata[p]);

          g_array_sort (values, compare);
          g_print ("bench: phase %.3f %s\n", g_array_index (values, double, values->len / 2), (char *) order->pdata[p]);
        }
      return 0;
    }
  g_printerr ("usage: bench-core sign-in ISSUER SCHEMA | refresh ISSUER SCHEMA N | floor ISSUER N | "
              "breakdown ISSUER SCHEMA N\n");
  return 2;
}
