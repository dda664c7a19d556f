/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The OIDC core's part of build-aux/run-bench, against the development
 * provider:
 *   bench-core sign-in ISSUER SCHEMA      a sign-in stored in the keyring
 *   bench-core refresh ISSUER SCHEMA N    N refreshes, each timed whole
 *                                         (request, ID token check, keyring)
 *   bench-core bare ISSUER N              the same requests as a sign-in and
 *                                         a refresh, made bare (no checks,
 *                                         no session), N times: the floor
 *                                         the core is measured against
 *   bench-core breakdown ISSUER SCHEMA N  N traced sign-ins: each step
 * Prints "bench: NAME min median max" in milliseconds. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

#include "ag-auth-request.h"
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

/* One request, sent and read whole: the time it took, in ms. */
static double
bare_send (SoupSession *http,
           SoupMessage *msg,
           GBytes     **body)
{
  g_autoptr(GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();

  *body = soup_session_send_and_read (http, msg, NULL, &error);
  if (*body == NULL || soup_message_get_status (msg) != SOUP_STATUS_OK)
    g_error ("bare request: %s", error ? error->message : soup_message_get_reason_phrase (msg));
  return (double) (g_get_monotonic_time () - t0) / 1000.0;
}

static char *
json_member (GBytes     *body,
             const char *name)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL))
    g_error ("bare request: not JSON");
  return g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), name));
}

static SoupMessage *
bare_form (const char *url,
           GBytes     *form)
{
  SoupMessage *msg = soup_message_new ("POST", url);

  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", form);
  return msg;
}

/* The requests of a sign-in (the code's exchange, userinfo) and of a
 * refresh (the request, a keyring write of the answer), made as bare as a
 * program can: no state, nonce, ID token or claims checked, nothing kept
 * but the keyring item. The provider does its whole work for each. */
static void
bare (const char *issuer,
      int         n,
      SoupSession *http)
{
  static const SecretSchema schema = {
    "io.github.authgearlogin.Bench", SECRET_SCHEMA_NONE,
    { { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };
  const char *verifier = "bench-verifier-0123456789-abcdefghijklmnopqrstuvwxyz";
  g_autofree char *token_url = g_strconcat (issuer, "/oauth2/token", NULL);
  g_autofree char *userinfo_url = g_strconcat (issuer, "/oauth2/userinfo", NULL);
  g_autofree char *challenge = NULL;
  g_autoptr(GArray) sign_in = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) refresh = g_array_new (FALSE, FALSE, sizeof (double));

  challenge = ag_pkce_challenge (verifier);
  for (int i = 0; i < n + 1; i++)
    {
      g_autofree char *url = g_strdup_printf ("%s/oauth2/authorize?response_type=code&client_id=authgear-login"
                                              "&redirect_uri=http%%3A%%2F%%2Flocalhost%%3A3000%%2Fcallback"
                                              "&scope=openid%%20offline_access&state=bench-state-%d"
                                              "&nonce=bench-nonce&code_challenge=%s&code_challenge_method=S256",
                                              issuer, i, challenge);
      g_autofree char *redirect = test_browser_sign_in (url);
      g_autoptr(GUri) uri = g_uri_parse (redirect, G_URI_FLAGS_ENCODED_QUERY, NULL);
      g_autoptr(GHashTable) query = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
      g_autoptr(GBytes) exchange_form = ag_http_form_encode ("grant_type", "authorization_code",
                                                             "code", g_hash_table_lookup (query, "code"),
                                                             "redirect_uri", "http://localhost:3000/callback",
                                                             "client_id", "authgear-login",
                                                             "code_verifier", verifier, NULL);
      g_autoptr(SoupMessage) exchange = bare_form (token_url, exchange_form);
      g_autoptr(SoupMessage) userinfo = soup_message_new ("GET", userinfo_url);
      g_autoptr(SoupMessage) again = NULL;
      g_autoptr(GBytes) tokens = NULL;
      g_autoptr(GBytes) info = NULL;
      g_autoptr(GBytes) refreshed = NULL;
      g_autoptr(GBytes) refresh_form = NULL;
      g_autofree char *access = NULL;
      g_autofree char *refresh_token = NULL;
      g_autofree char *bearer = NULL;
      g_autofree char *text = NULL;
      double exchange_ms, userinfo_ms, refresh_ms, store_ms;
      gint64 t0;

      exchange_ms = bare_send (http, exchange, &tokens);
      access = json_member (tokens, "access_token");
      refresh_token = json_member (tokens, "refresh_token");
      bearer = g_strconcat ("Bearer ", access, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (userinfo), "Authorization", bearer);
      userinfo_ms = bare_send (http, userinfo, &info);

      refresh_form = ag_http_form_encode ("grant_type", "refresh_token", "refresh_token", refresh_token,
                                          "client_id", "authgear-login", NULL);
      again = bare_form (token_url, refresh_form);
      refresh_ms = bare_send (http, again, &refreshed);
      text = g_strndup (g_bytes_get_data (refreshed, NULL), g_bytes_get_size (refreshed));
      t0 = g_get_monotonic_time ();
      if (!secret_password_store_sync (&schema, SECRET_COLLECTION_DEFAULT, "bench", text, NULL, NULL,
                                       "kind", "bare", NULL))
        g_error ("bare keyring write failed");
      store_ms = (double) (g_get_monotonic_time () - t0) / 1000.0;
      if (i > 0)   /* the first warms up */
        {
          double s = exchange_ms + userinfo_ms, r = refresh_ms + store_ms;

          g_array_append_val (sign_in, s);
          g_array_append_val (refresh, r);
        }
    }
  secret_password_clear_sync (&schema, NULL, NULL, "kind", "bare", NULL);
  report ("bare-sign-in-ms", sign_in);
  report ("bare-refresh-ms", refresh);
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
  if (argc >= 4 && g_str_equal (argv[1], "bare"))
    {
      bare (argv[2], atoi (argv[3]), http);
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
          /* The whole of it, from the redirect read to signed in. */
          for (guint m = 1; i > 0 && m < marks->len; m++)
            if (g_str_equal (g_array_index (marks, AgTraceMark, m).phase, "signed in"))
              {
                double v = (double) (g_array_index (marks, AgTraceMark, m).usec -
                                     g_array_index (marks, AgTraceMark, 0).usec) / 1000.0;
                g_array_append_val (ms, v);
              }
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
      report ("core-sign-in-ms", ms);
      return 0;
    }
  g_printerr ("usage: bench-core sign-in ISSUER SCHEMA | refresh ISSUER SCHEMA N | "
              "bare ISSUER N | breakdown ISSUER SCHEMA N\n");
  return 2;
}
