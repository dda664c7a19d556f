/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The OIDC core against a hostile provider (tests/hostile/server.mjs, started
 * here on a free loopback port): one full sign-in per case through the real
 * AgSession, the real HTTP stack and the test session's gnome-keyring. A
 * rejection must carry the right AUTHGEAR_ERROR code, leave nothing in the keyring
 * and, after a bad ID token, make no userinfo request. The matrix (case,
 * expected, got) is printed at the end and written to the build directory. */
#include "config.h"

#include <string.h>

#include "ag-error.h"
#include "ag-http.h"
#include "ag-oidc-client.h"
#include "ag-flow.h"
#include "ag-session.h"
#include "ag-keyring.h"
#include "ag-test-hooks.h"
#include "ag-token-store.h"
#include "test-util.h"

/* Its own schema: core-provider runs beside it on the same keyring, and
 * clear_store () empties every item of this one. */
#define SCHEMA "io.github.authgearlogin.AuthgearLogin.Test.Hostile"
#define CLIENT_ID "authgear-login"
#define CLIENT_SECRET "hostile-client-secret"
#define ACCEPT (-1)

static char *base_url;          /* http://127.0.0.1:PORT */
static SoupSession *http;       /* the core's */
static SoupSession *browser;    /* plays the browser and reads the stats */
static AgTokenStore *store;
static char *cache_dir;
static GString *matrix;
static guint n_rows, n_failed_rows;

static const char *
code_name (int code)
{
  static const char * const names[] = {
    [AUTHGEAR_ERROR_STALE] = "STALE",
    [AUTHGEAR_ERROR_NETWORK] = "NETWORK",
    [AUTHGEAR_ERROR_TIMEOUT] = "TIMEOUT",
    [AUTHGEAR_ERROR_CONFIGURATION] = "CONFIGURATION",
    [AUTHGEAR_ERROR_DISCOVERY] = "DISCOVERY",
    [AUTHGEAR_ERROR_PROVIDER] = "PROVIDER",
    [AUTHGEAR_ERROR_ACCESS_DENIED] = "ACCESS_DENIED",
    [AUTHGEAR_ERROR_STATE_MISMATCH] = "STATE_MISMATCH",
    [AUTHGEAR_ERROR_ISSUER_MISMATCH] = "ISSUER_MISMATCH",
    [AUTHGEAR_ERROR_INVALID_RESPONSE] = "INVALID_RESPONSE",
    [AUTHGEAR_ERROR_INVALID_ID_TOKEN] = "INVALID_ID_TOKEN",
    [AUTHGEAR_ERROR_USERINFO_MISMATCH] = "USERINFO_MISMATCH",
    [AUTHGEAR_ERROR_INVALID_GRANT] = "INVALID_GRANT",
    [AUTHGEAR_ERROR_STORAGE_UNAVAILABLE] = "STORAGE_UNAVAILABLE",
    [AUTHGEAR_ERROR_NOT_REDIRECT] = "NOT_REDIRECT",
    [AUTHGEAR_ERROR_NO_PENDING_SIGN_IN] = "NO_PENDING_SIGN_IN",
    [AUTHGEAR_ERROR_UNAUTHORIZED] = "UNAUTHORIZED",
    [AUTHGEAR_ERROR_CLIENT_REJECTED] = "CLIENT_REJECTED",
    [AUTHGEAR_ERROR_CLOCK_SKEW] = "CLOCK_SKEW",
  };

  if (code == ACCEPT)
    return "no error";
  if (code >= 0 && code < (int) G_N_ELEMENTS (names) && names[code] != NULL)
    return names[code];
  return "?";
}

static void
record (const char   *name,
        const char   *does,
        int           expected,
        const GError *got)
{
  g_autofree char *got_text = NULL;
  int got_code = got == NULL ? ACCEPT : got->domain == AUTHGEAR_ERROR ? got->code : -2;
  gboolean ok = got_code == expected;

  if (got == NULL)
    got_text = g_strdup ("no error");
  else if (got->domain == AUTHGEAR_ERROR)
    got_text = g_strdup_printf ("%s: %s", code_name (got->code), got->message);
  else
    got_text = g_strdup_printf ("%s %d: %s", g_quark_to_string (got->domain), got->code, got->message);

  g_string_append_printf (matrix, "| %s | %s | %s | %s%s |\n", name, does, code_name (expected),
                          ok ? "" : "**MISMATCH** ", got_text);
  n_rows++;
  if (!ok)
    n_failed_rows++;
}

static char *
issuer_of (const char *name)
{
  return g_strconcat (base_url, "/", name, NULL);
}

static JsonObject *
stats_of (const char *name)
{
  g_autofree char *url = g_strconcat (base_url, "/", name, "/stats", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = soup_session_send_and_read (browser, msg, NULL, NULL);
  JsonObject *object = ag_http_parse_json_object (body, "stats", NULL);

  g_assert_nonnull (object);
  return object;
}

static gint64
count_of (const char *name,
          const char *what)
{
  g_autoptr(JsonObject) stats = stats_of (name);
  JsonObject *counts = json_object_get_object_member (stats, "counts");

  return json_object_has_member (counts, what) ? json_object_get_int_member (counts, what) : 0;
}

static AgSession *
new_session (const char *name,
             gboolean    confidential)
{
  g_autofree char *issuer = issuer_of (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(AgConfig) config = ag_config_new (issuer, CLIENT_ID, confidential ? CLIENT_SECRET : NULL,
                                              NULL, NULL, &error);

  g_assert_no_error (error);
  return ag_session_new (config, store, http, cache_dir);
}

/* The browser: the hostile authorization endpoint redirects at once. */
static char *
follow_authorization (const char *url)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *location;

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (browser, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 302);
  location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
  g_assert_nonnull (location);
  return g_strdup (location);
}

static AgTokenSet *
stored_tokens (const char *name)
{
  g_autofree char *issuer = issuer_of (name);
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  AgTokenSet *tokens;

  ag_token_store_load_async (store, issuer, CLIENT_ID, NULL, test_store_result, &result);
  tokens = ag_token_store_load_finish (store, test_wait_for (&result), &error);
  g_object_unref (result);
  g_assert_no_error (error);
  return tokens;
}

static void
clear_store (void)
{
  g_autoptr(AgKeyring) keyring = ag_keyring_new (SCHEMA, "test");
  GAsyncResult *result = NULL;

  /* Every item of this suite's schema. */
  ag_keyring_clear_async (keyring, NULL, NULL, NULL, test_store_result, &result);
  g_assert_true (ag_keyring_clear_finish (keyring, test_wait_for (&result), NULL));
  g_object_unref (result);
}

/* Completes @flow with @redirect. */
static gboolean
complete (AgFlow      *flow,
          const char  *redirect,
          GError     **error)
{
  GAsyncResult *result = NULL;
  gboolean ok;

  ag_flow_complete_async (flow, redirect, NULL, test_store_result, &result);
  ok = ag_flow_complete_finish (flow, test_wait_for (&result), error);
  g_clear_object (&result);
  return ok;
}

/* A whole sign-in; its flow and the redirect it got back in *flow_out and
 * *redirect_out. */
static gboolean
sign_in_flow (AgSession  *session,
              AgFlow    **flow_out,
              char      **redirect_out,
              GError    **error)
{
  g_autoptr(AgFlow) flow = ag_flow_new (session, AG_FLOW_SIGN_IN, NULL, NULL);
  GAsyncResult *result = NULL;
  g_autofree char *url = NULL;
  g_autofree char *redirect = NULL;
  gboolean ok;

  ag_flow_begin_async (flow, NULL, test_store_result, &result);
  url = ag_flow_begin_finish (flow, test_wait_for (&result), error);
  g_clear_object (&result);
  if (url == NULL)
    return FALSE;

  redirect = follow_authorization (url);
  g_assert_true (ag_session_is_redirect (session, redirect));
  ok = complete (flow, redirect, error);
  if (flow_out)
    *flow_out = g_steal_pointer (&flow);
  if (redirect_out)
    *redirect_out = g_steal_pointer (&redirect);
  return ok;
}

static gboolean
sign_in (AgSession  *session,
         char      **redirect_out,
         GError    **error)
{
  return sign_in_flow (session, NULL, redirect_out, error);
}

static void
reset_case (const char *name)
{
  g_autofree char *url = g_strconcat (base_url, "/", name, "/reset", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = soup_session_send_and_read (browser, msg, NULL, NULL);

  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  clear_store ();
}

/* What the window would show, checked after every case. */
static void
assert_outcome (AgSession    *session,
                const char   *name,
                int           expected,
                const GError *error)
{
  g_autoptr(AgTokenSet) stored = NULL;

  if (expected == ACCEPT)
    {
      g_assert_no_error ((GError *) error);
      g_assert_cmpint (ag_session_get_state (session), ==, AG_SESSION_STATE_SIGNED_IN);
      return;
    }
  g_assert_error ((GError *) error, AUTHGEAR_ERROR, expected);
  /* Refused: the sign-in is over (or never began), and nobody is signed in. */
  g_assert_cmpint (ag_session_get_state (session), !=, AG_SESSION_STATE_SIGNED_IN);
  g_assert_null (ag_session_get_tokens (session));
  stored = stored_tokens (name);
  g_assert_null (stored);
}

enum
{
  CONFIDENTIAL = 1 << 0,     /* client_secret_basic */
  BAD_ID_TOKEN = 1 << 1,     /* no userinfo request may follow */
  BAD_RESPONSE = 1 << 2,     /* no token request may follow */
};

typedef struct
{
  const char *name;
  const char *does;
  int expected;
  guint flags;
} Case;

static const Case sign_in_cases[] = {
  /* ID token */
  { "valid-rs256", "RS256 ID token", ACCEPT, 0 },
  { "valid-es256", "ES256 ID token", ACCEPT, 0 },
  { "valid-ps256", "PS256 ID token", ACCEPT, 0 },
  { "corrupt-signature", "one bit of the signature flipped", AUTHGEAR_ERROR_INVALID_ID_TOKEN, BAD_ID_TOKEN },
  { "alg-none", "alg none, empty signature", AUTHGEAR_ERROR_INVALID_ID_TOKEN, BAD_ID_TOKEN },
  { "hs256-client-secret", "HS256 keyed with the client secret", AUTHGEAR_ERROR_INVALID_ID_TOKEN, BAD_ID_TOKEN | CONFIDENTIAL },
  { "hs256-public-key", "HS256 keyed with the RSA public key", AUTHGEAR_ERROR_INVALID_ID_TOKEN, BAD_ID_TOKEN },
  { "wrong-iss", "iss of another issuer", AUTHGEAR_ERROR_INVALID_ID_TOKEN, BAD_ID_TOKEN },
  { "wrong-aud", "aud another client", AUTHGEAR_ERROR_INVALID_ID_TOKEN, BAD_ID_TOKEN },
  { "missing-aud", "no aud", AUTHGEAR_ERROR_INVALID_ID_TOKEN, BAD_ID_TOKEN },
  { "several-aud-no-azp", "two audiences, no azp", AUTHGEAR_ERROR_INVALID_ID_TOKEN, BAD_ID_TOKEN },
  { "azp-not-client", "two audiences, azp another client", AUTHGEAR_ERROR_INVALID_ID_TOKEN, BAD_ID_TOKEN },
  { "several-aud-with-azp", "two audiences, azp this client", ACCEPT, 0 },
  { "missing-sub", "no sub", AUTHGEAR_ERROR_INVALID_ID_TOKEN, BAD_ID_TOKEN },
  { "missing-iat", "no iat", AUTHGEAR_ERROR_INVALID_ID_TOKEN, BAD_ID_TOKEN },
  { "iat-future", "iat an hour ahead", AUTHGEAR_ERROR_INVALID_ID_TOKEN, BAD_ID_TOKEN },
  { "exp-past", "exp 5 minutes ago", AUTHGEAR_ERROR_INVALID_ID_TOKEN, BAD_ID_TOKEN },
  { "exp-within-skew", "exp 20 s ago (inside the 60 s skew)", ACCEPT, 0 },
  { "wrong-nonce", "nonce of another request", AUTHGEAR_ERROR_INVALID_ID_TOKEN, BAD_ID_TOKEN },
  { "missing-nonce", "no nonce", AUTHGEAR_ERROR_INVALID_ID_TOKEN, BAD_ID_TOKEN },
  { "no-id-token", "token response without id_token", AUTHGEAR_ERROR_INVALID_ID_TOKEN, BAD_ID_TOKEN },
  /* The real Authgear's shape */
  { "authgear-shape", "Authgear: aud [client], exp = iat + 5 min, no iss in the redirect, not announced", ACCEPT, 0 },
  { "aud-array", "aud a one-element array", ACCEPT, 0 },
  /* Clocks (Date header and tokens on the provider's clock) */
  { "clock-ahead-5min", "provider clock 5 minutes ahead of this machine's", ACCEPT, 0 },
  { "clock-behind-5min", "provider clock 5 minutes behind this machine's", ACCEPT, 0 },
  { "clock-ahead-20min", "provider clock 20 minutes ahead: said, not signed in", AUTHGEAR_ERROR_CLOCK_SKEW, BAD_ID_TOKEN },
  { "expired-by-provider-clock", "ID token expired by the provider's clock, not by ours", AUTHGEAR_ERROR_INVALID_ID_TOKEN, BAD_ID_TOKEN },
  /* Client authentication */
  { "basic-refused", "no client_secret_basic listed, Basic refused (Authgear before 2026-07-30.0)", ACCEPT, CONFIDENTIAL },
  { "basic-listed", "client_secret_basic listed", ACCEPT, CONFIDENTIAL },
  /* Keys */
  { "one-key-no-kid", "one key, no kid anywhere", ACCEPT, 0 },
  { "several-keys-no-kid", "two keys, no kid", AUTHGEAR_ERROR_INVALID_ID_TOKEN, BAD_ID_TOKEN },
  { "rotated-key", "signed with a key the cached JWKS lacks", ACCEPT, 0 },
  { "unknown-kid", "kid that stays unknown", AUTHGEAR_ERROR_INVALID_ID_TOKEN, BAD_ID_TOKEN },
  { "jwks-down", "JWKS endpoint answers 503", AUTHGEAR_ERROR_INVALID_ID_TOKEN, BAD_ID_TOKEN },
  /* Discovery */
  { "discovery-issuer-differs", "issuer differs from the domain", AUTHGEAR_ERROR_ISSUER_MISMATCH, BAD_RESPONSE },
  { "discovery-http-endpoint", "token endpoint on plain http, not loopback", AUTHGEAR_ERROR_DISCOVERY, BAD_RESPONSE },
  { "discovery-no-jwks-uri", "no jwks_uri", AUTHGEAR_ERROR_DISCOVERY, BAD_RESPONSE },
  { "discovery-not-json", "HTML instead of JSON", AUTHGEAR_ERROR_DISCOVERY, BAD_RESPONSE },
  /* Authorization response */
  { "wrong-state", "state of another request", AUTHGEAR_ERROR_STATE_MISMATCH, BAD_RESPONSE },
  { "missing-state", "no state", AUTHGEAR_ERROR_STATE_MISMATCH, BAD_RESPONSE },
  { "duplicate-code", "code twice", AUTHGEAR_ERROR_INVALID_RESPONSE, BAD_RESPONSE },
  { "duplicate-state", "state twice", AUTHGEAR_ERROR_INVALID_RESPONSE, BAD_RESPONSE },
  { "access-denied", "error=access_denied", AUTHGEAR_ERROR_ACCESS_DENIED, BAD_RESPONSE },
  { "server-error", "error=server_error with a description", AUTHGEAR_ERROR_PROVIDER, BAD_RESPONSE },
  { "wrong-iss-param", "iss parameter of another issuer", AUTHGEAR_ERROR_ISSUER_MISMATCH, BAD_RESPONSE },
  { "missing-iss-param", "no iss though advertised", AUTHGEAR_ERROR_ISSUER_MISMATCH, BAD_RESPONSE },
  /* Token endpoint */
  { "token-invalid-grant", "400 invalid_grant", AUTHGEAR_ERROR_INVALID_GRANT, BAD_ID_TOKEN },
  { "token-html", "200 with HTML", AUTHGEAR_ERROR_INVALID_RESPONSE, BAD_ID_TOKEN },
  { "token-500", "500 with text", AUTHGEAR_ERROR_PROVIDER, BAD_ID_TOKEN },
  { "token-no-access-token", "no access_token", AUTHGEAR_ERROR_INVALID_RESPONSE, BAD_ID_TOKEN },
  { "token-type-mac", "token_type MAC", AUTHGEAR_ERROR_INVALID_RESPONSE, BAD_ID_TOKEN },
  { "token-type-lowercase", "token_type bearer (any case is Bearer)", ACCEPT, 0 },
  { "token-not-object", "a JSON array", AUTHGEAR_ERROR_INVALID_RESPONSE, BAD_ID_TOKEN },
  { "token-oversize", "a 2 MiB body", AUTHGEAR_ERROR_INVALID_RESPONSE, BAD_ID_TOKEN },
  { "token-endless", "a body that never ends", AUTHGEAR_ERROR_TIMEOUT, BAD_ID_TOKEN },
  { "token-hangs", "no answer at all", AUTHGEAR_ERROR_TIMEOUT, BAD_ID_TOKEN },
  { "token-redirects", "307 to another address: not followed", AUTHGEAR_ERROR_PROVIDER, BAD_ID_TOKEN },
  /* Userinfo */
  { "userinfo-other-sub", "profile of another sub", AUTHGEAR_ERROR_USERINFO_MISMATCH, 0 },
  { "userinfo-401", "401 for the new access token", AUTHGEAR_ERROR_UNAUTHORIZED, 0 },
  { "userinfo-not-json", "HTML instead of JSON", AUTHGEAR_ERROR_INVALID_RESPONSE, 0 },
};

static void
test_sign_in_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(AgSession) session = NULL;
  g_autoptr(GError) error = NULL;

  reset_case (c->name);
  session = new_session (c->name, (c->flags & CONFIDENTIAL) != 0);
  sign_in (session, NULL, &error);
  record (c->name, c->does, c->expected, error);
  assert_outcome (session, c->name, c->expected, error);

  if (c->flags & BAD_ID_TOKEN)
    g_assert_cmpint (count_of (c->name, "userinfo"), ==, 0);
  if (c->flags & BAD_RESPONSE)
    g_assert_cmpint (count_of (c->name, "token"), ==, 0);
  if (g_str_equal (c->name, "rotated-key") || g_str_equal (c->name, "unknown-kid"))
    g_assert_cmpint (count_of (c->name, "jwks"), ==, 2);
  if (g_str_equal (c->name, "server-error"))
    g_assert_nonnull (strstr (error->message, "The database is on fire"));
  if (g_str_equal (c->name, "token-redirects"))
    g_assert_cmpint (count_of (c->name, "target"), ==, 0);
  if (g_str_equal (c->name, "clock-ahead-20min"))
    g_assert_nonnull (strstr (error->message, "20 minutes"));
  /* One method, chosen from discovery. */
  if (g_str_equal (c->name, "basic-refused") || g_str_equal (c->name, "basic-listed"))
    {
      g_autoptr(JsonObject) stats = stats_of (c->name);
      g_assert_cmpstr (json_object_get_string_member (stats, "client_auth"), ==,
                       g_str_equal (c->name, "basic-refused") ? "client_secret_post" : "client_secret_basic");
    }
  if (c->expected == ACCEPT)
    {
      g_autoptr(AgTokenSet) stored = stored_tokens (c->name);
      g_assert_nonnull (stored);
      g_assert_cmpstr (ag_token_set_get_display_name (ag_session_get_tokens (session)), ==, "Hostile Tester");
    }
}

/* What @name's provider serves at @path (for a cache an earlier run wrote). */
static GBytes *
served (const char *name,
        const char *path)
{
  g_autofree char *url = g_strconcat (base_url, "/", name, "/", path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  GBytes *body = soup_session_send_and_read (browser, msg, NULL, NULL);

  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  return body;
}

/* Writes the disk cache that an earlier run against @name would have left:
 * @file (jwks.json, openid-configuration.json) with @contents, fresh. */
static void
write_cache (const char *name,
             const char *file,
             const char *contents,
             gsize       length)
{
  g_autofree char *issuer = issuer_of (name);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, issuer, -1);
  g_autofree char *dir = g_build_filename (cache_dir, hash, NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, length, NULL));
}

typedef struct
{
  const char *name;
  const char *does;
  int expected;
  const char *count;      /* this request's count after the sign-in */
  gint64 n;
} StaleCase;

static const StaleCase stale_cases[] = {
  { "key-replaced", "a new key under the cached kid (the provider set up again): keys fetched once more", ACCEPT, "jwks", 1 },
  { "corrupt-signature-cached", "a bad signature against cached keys: fetched once more, still refused", AUTHGEAR_ERROR_INVALID_ID_TOKEN, "jwks", 1 },
  { "jwks-moved", "the cached discovery names a jwks_uri that answers 404: discovery read again", ACCEPT, "discovery", 1 },
  { "token-moved", "the cached discovery names a token endpoint that answers 404: discovery read again", ACCEPT, "discovery", 1 },
};

/* A disk cache from an earlier run that the provider no longer matches:
 * a person signs in on the next try, with one request more, never a loop. */
static void
test_stale_cache (gconstpointer data)
{
  const StaleCase *c = data;
  g_autoptr(AgSession) session = NULL;
  g_autoptr(GError) error = NULL;

  reset_case (c->name);
  if (g_str_equal (c->name, "key-replaced") || g_str_equal (c->name, "corrupt-signature-cached"))
    {
      /* The keys as they were: the same kid (rs-1), the old key. */
      g_autoptr(GBytes) old = served ("valid-rs256", "jwks");

      write_cache (c->name, "jwks.json", g_bytes_get_data (old, NULL), g_bytes_get_size (old));
    }
  else
    {
      /* The discovery document as it was, before the move. */
      g_autoptr(GBytes) now = served (c->name, ".well-known/openid-configuration");
      const char *moved = g_str_equal (c->name, "jwks-moved") ? "/jwks-new\"" : "/token-new\"";
      const char *was = g_str_equal (c->name, "jwks-moved") ? "/jwks\"" : "/token\"";
      g_autoptr(GString) doc = g_string_new_len (g_bytes_get_data (now, NULL), g_bytes_get_size (now));

      g_assert_cmpuint (g_string_replace (doc, moved, was, 0), ==, 1);
      write_cache (c->name, "openid-configuration.json", doc->str, doc->len);
      reset_case (c->name);   /* that request is not the sign-in's */
    }

  session = new_session (c->name, FALSE);
  sign_in (session, NULL, &error);
  record (c->name, c->does, c->expected, error);
  assert_outcome (session, c->name, c->expected, error);
  g_assert_cmpint (count_of (c->name, c->count), ==, c->n);
  if (c->expected != ACCEPT)
    {
      /* Still the signature's fault, and no profile was asked for. */
      g_assert_nonnull (strstr (error->message, "signature"));
      g_assert_cmpint (count_of (c->name, "userinfo"), ==, 0);
    }
  else
    g_assert_cmpstr (ag_token_set_get_display_name (ag_session_get_tokens (session)), ==, "Hostile Tester");
  if (g_str_equal (c->name, "token-moved"))
    g_assert_cmpint (count_of (c->name, "token_not_found"), ==, 1);
}

/* A callback replayed after success, and one nobody asked for. */
static void
test_replay_and_unsolicited (void)
{
  g_autoptr(AgSession) session = NULL;
  g_autoptr(AgSession) fresh = NULL;
  g_autoptr(AgFlow) flow = NULL;
  g_autoptr(AgFlow) unbegun = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *redirect = NULL;
  g_autofree char *refresh_before = NULL;

  reset_case ("valid-rs256");
  session = new_session ("valid-rs256", FALSE);
  g_assert_true (sign_in_flow (session, &flow, &redirect, &error));
  g_assert_no_error (error);
  refresh_before = g_strdup (ag_token_set_get_refresh_token (ag_session_get_tokens (session)));

  g_assert_false (complete (flow, redirect, &error));
  record ("replayed-callback", "the same callback URL again after success", AUTHGEAR_ERROR_NO_PENDING_SIGN_IN, error);
  g_assert_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_NO_PENDING_SIGN_IN);
  g_clear_error (&error);
  /* The good session is untouched. */
  g_assert_cmpint (ag_session_get_state (session), ==, AG_SESSION_STATE_SIGNED_IN);
  g_assert_cmpstr (ag_token_set_get_refresh_token (ag_session_get_tokens (session)), ==, refresh_before);
  g_assert_cmpint (count_of ("valid-rs256", "token"), ==, 1);

  fresh = new_session ("valid-rs256", FALSE);
  unbegun = ag_flow_new (fresh, AG_FLOW_SIGN_IN, NULL, NULL);
  g_assert_false (complete (unbegun, redirect, &error));
  record ("unsolicited-callback", "a callback with no sign-in pending", AUTHGEAR_ERROR_NO_PENDING_SIGN_IN, error);
  g_assert_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_NO_PENDING_SIGN_IN);
  g_assert_cmpint (ag_session_get_state (fresh), !=, AG_SESSION_STATE_SIGNED_IN);
}

/* PKCE as the provider saw it, over two attempts. */
static void
test_pkce_as_seen (void)
{
  g_autoptr(JsonObject) stats = NULL;
  JsonArray *pkce;
  const char *hashes[2];

  reset_case ("valid-es256");
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(AgSession) session = new_session ("valid-es256", FALSE);
      g_autoptr(GError) error = NULL;

      g_assert_true (sign_in (session, NULL, &error));
    }
  stats = stats_of ("valid-es256");
  pkce = json_object_get_array_member (stats, "pkce");
  g_assert_cmpuint (json_array_get_length (pkce), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *seen = json_array_get_object_element (pkce, i);
      gint64 length = json_object_get_int_member (seen, "verifier_length");

      g_assert_cmpstr (json_object_get_string_member (seen, "method"), ==, "S256");
      g_assert_true (json_object_get_boolean_member (seen, "challenge_matches"));
      g_assert_cmpint (length, >=, 43);
      g_assert_cmpint (length, <=, 128);
      hashes[i] = json_object_get_string_member (seen, "verifier_hash");
    }
  g_assert_cmpstr (hashes[0], !=, hashes[1]);
  record ("pkce", "provider checks S256, challenge, verifier length, freshness", ACCEPT, NULL);
}

static gboolean
refresh (AgSession *session,
         GError   **error)
{
  GAsyncResult *result = NULL;
  gboolean ok;

  ag_session_refresh_async (session, NULL, test_store_result, &result);
  ok = ag_session_refresh_finish (session, test_wait_for (&result), error);
  g_object_unref (result);
  return ok;
}

/* Signs in on @name (a correct sign-in), then refreshes. */
static AgSession *
signed_in_then_refresh (const char  *name,
                        char       **refresh_before,
                        GError     **error)
{
  AgSession *session;
  g_autoptr(GError) sign_in_error = NULL;

  reset_case (name);
  session = new_session (name, FALSE);
  g_assert_true (sign_in (session, NULL, &sign_in_error));
  g_assert_no_error (sign_in_error);
  *refresh_before = g_strdup (ag_token_set_get_refresh_token (ag_session_get_tokens (session)));
  refresh (session, error);
  return session;
}

static void
test_refresh_rotates (void)
{
  g_autofree char *before = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AgSession) session = signed_in_then_refresh ("refresh-rotates", &before, &error);
  g_autoptr(AgTokenSet) stored = stored_tokens ("refresh-rotates");
  const char *now = ag_token_set_get_refresh_token (ag_session_get_tokens (session));

  record ("refresh-rotates", "a new refresh token on every refresh", ACCEPT, error);
  g_assert_no_error (error);
  g_assert_cmpstr (now, !=, before);
  g_assert_cmpstr (ag_token_set_get_refresh_token (stored), ==, now);
  /* The provider now refuses the old one. */
  {
    g_autofree char *url = g_strconcat (base_url, "/refresh-rotates/token", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
    g_autoptr(GBytes) form = ag_http_form_encode ("grant_type", "refresh_token", "refresh_token", before,
                                                  "client_id", CLIENT_ID, NULL);
    g_autoptr(GBytes) body = NULL;

    soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", form);
    body = soup_session_send_and_read (browser, msg, NULL, NULL);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 400);
  }
}

/* Authgear's default: no rotation, so the refresh answer has no
 * refresh_token; the old one is kept, stored and used for the next refresh. */
static void
test_refresh_no_rotation (void)
{
  g_autofree char *before = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AgSession) session = signed_in_then_refresh ("refresh-no-rotation", &before, &error);
  g_autoptr(AgTokenSet) stored = NULL;
  g_autoptr(JsonObject) stats = NULL;
  JsonArray *used;

  record ("refresh-no-rotation", "refresh answer without refresh_token: the old one kept and used again", ACCEPT, error);
  g_assert_no_error (error);
  g_assert_true (g_strcmp0 (ag_token_set_get_refresh_token (ag_session_get_tokens (session)), before) == 0);
  /* A refreshed ID token has no nonce, and the session still names the user. */
  g_assert_cmpstr (ag_token_set_get_subject (ag_session_get_tokens (session)), ==, "user-1");
  g_assert_true (refresh (session, &error));
  g_assert_no_error (error);
  stats = stats_of ("refresh-no-rotation");
  used = json_object_get_array_member (stats, "refresh_tokens_used");
  g_assert_cmpuint (json_array_get_length (used), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (used, 0), ==, json_array_get_string_element (used, 1));
  for (guint i = 0; i < 50; i++)
    {
      g_clear_object (&stored);
      stored = stored_tokens ("refresh-no-rotation");
      if (stored != NULL && ag_token_set_get_access_token (stored) != NULL &&
          g_strcmp0 (ag_token_set_get_access_token (stored),
                     ag_token_set_get_access_token (ag_session_get_tokens (session))) == 0)
        break;
      g_usleep (20000);
    }
  g_assert_nonnull (stored);
  g_assert_true (g_strcmp0 (ag_token_set_get_refresh_token (stored), before) == 0);
}

/* Runs the main context for @msec milliseconds. */
static void
spin (guint msec)
{
  gint64 until = g_get_monotonic_time () + msec * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE), g_usleep (2000);
}

/* invalid_client: the same credentials cannot succeed later, so the
 * session stops refreshing by itself (and keeps the session). */
static void
test_refresh_client_rejected_stops (void)
{
  g_autofree char *before = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AgSession) session = NULL;

  reset_case ("refresh-invalid-client");
  session = new_session ("refresh-invalid-client", FALSE);
  ag_session_set_refresh_retry_first_ms (session, 50);
  g_assert_true (sign_in (session, NULL, &error));
  refresh (session, &error);
  g_assert_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CLIENT_REJECTED);
  g_assert_error ((GError *) ag_session_get_last_error (session), AUTHGEAR_ERROR, AUTHGEAR_ERROR_CLIENT_REJECTED);
  spin (600);
  g_assert_cmpint (count_of ("refresh-invalid-client", "refresh"), ==, 1);
  g_assert_cmpint (ag_session_get_state (session), ==, AG_SESSION_STATE_SIGNED_IN);
  record ("refresh-invalid-client/retries", "invalid_client: no automatic retry in 12 retry periods", ACCEPT, NULL);
}

/* 503 on refresh: retried with a growing delay, and at once when the
 * network comes back. The first delay is 100 ms here instead of 30 s. */
static void
test_refresh_backoff (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AgSession) session = NULL;
  g_autoptr(JsonObject) stats = NULL;
  JsonArray *times;
  guint n;
  gint64 before_network;

  reset_case ("refresh-503");
  session = new_session ("refresh-503", FALSE);
  ag_session_set_refresh_retry_first_ms (session, 100);
  g_assert_true (sign_in (session, NULL, &error));
  refresh (session, &error);
  g_assert_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_PROVIDER);
  /* Tries at about 0, 0.1, 0.3, 0.7 and 1.5 s (plus up to a quarter). */
  spin (2100);
  g_assert_cmpint (ag_session_get_state (session), ==, AG_SESSION_STATE_SIGNED_IN);
  stats = stats_of ("refresh-503");
  times = json_object_get_array_member (stats, "refresh_times");
  n = json_array_get_length (times);
  g_test_message ("%u refresh requests in 2.1 s", n);
  /* At most 5 (every 100 ms would be 21). A busy machine only delays a
   * try, so each gap is at least its step: 100, 200, 400, 800 ms. */
  g_assert_cmpuint (n, <=, 5);
  if (g_getenv ("AG_UNDER_VALGRIND") == NULL)
    g_assert_cmpuint (n, >=, 3);
  for (guint i = 1; i < n; i++)
    {
      gint64 gap = json_array_get_int_element (times, i) - json_array_get_int_element (times, i - 1);

      g_test_message ("gap %u: %" G_GINT64_FORMAT " ms", i, gap);
      g_assert_cmpint (gap, >=, (100 << (i - 1)) - 15);
    }

  /* The network comes back: one try now, within 0.8 s, before the next
   * step could come (1.6 s after the last try, so 3.1 s at the earliest).
   * valgrind is given longer. */
  before_network = count_of ("refresh-503", "refresh");
  g_signal_emit_by_name (g_network_monitor_get_default (), "network-changed", TRUE);
  for (guint i = 0; i < (g_getenv ("AG_UNDER_VALGRIND") ? 40u : 16u) &&
                     count_of ("refresh-503", "refresh") == before_network; i++)
    spin (50);
  g_assert_cmpint (count_of ("refresh-503", "refresh"), ==, before_network + 1);
  record ("refresh-503", "503 on refresh: back-off 1, 2, 4, 8 × the first delay, at once on network-changed", ACCEPT, NULL);
}

static void
test_refresh_invalid_grant (void)
{
  g_autofree char *before = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AgSession) session = signed_in_then_refresh ("refresh-invalid-grant", &before, &error);
  g_autoptr(AgTokenSet) stored = NULL;

  record ("refresh-invalid-grant", "refresh answered invalid_grant: session over", AUTHGEAR_ERROR_INVALID_GRANT, error);
  g_assert_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_GRANT);
  g_assert_cmpint (ag_session_get_state (session), ==, AG_SESSION_STATE_NO_SESSION);
  g_assert_cmpint (ag_session_get_reason (session), ==, AG_SESSION_REASON_INVALID);
  /* The keyring is cleared in the background. */
  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(AgTokenSet) tokens = stored_tokens ("refresh-invalid-grant");
      if (tokens == NULL)
        break;
      g_usleep (20000);
    }
  stored = stored_tokens ("refresh-invalid-grant");
  g_assert_null (stored);
}

/* Refresh failures that must keep the session as it was. */
static void
test_refresh_kept (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *before = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AgSession) session = signed_in_then_refresh (c->name, &before, &error);
  g_autoptr(AgTokenSet) stored = stored_tokens (c->name);

  record (c->name, c->does, c->expected, error);
  g_assert_error (error, AUTHGEAR_ERROR, c->expected);
  g_assert_cmpint (ag_session_get_state (session), ==, AG_SESSION_STATE_SIGNED_IN);
  g_assert_cmpstr (ag_token_set_get_refresh_token (ag_session_get_tokens (session)), ==, before);
  g_assert_cmpstr (ag_token_set_get_subject (ag_session_get_tokens (session)), ==, "user-1");
  g_assert_nonnull (stored);
  g_assert_cmpstr (ag_token_set_get_refresh_token (stored), ==, before);
}

static const Case refresh_kept_cases[] = {
  { "refresh-network-down", "connection dropped during refresh: session kept", AUTHGEAR_ERROR_NETWORK, 0 },
  { "refresh-invalid-client", "refresh answered invalid_client: session kept, no automatic retry", AUTHGEAR_ERROR_CLIENT_REJECTED, 0 },
  { "refresh-other-iss", "refreshed ID token of another iss: rejected, old kept", AUTHGEAR_ERROR_INVALID_ID_TOKEN, 0 },
  { "refresh-other-sub", "refreshed ID token of another sub: rejected, old kept", AUTHGEAR_ERROR_INVALID_ID_TOKEN, 0 },
};

static void
test_profile_401_refreshes (void)
{
  const char *name = "profile-401-then-refresh";
  g_autoptr(AgSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  GAsyncResult *result = NULL;

  reset_case (name);
  session = new_session (name, FALSE);
  g_assert_true (sign_in (session, NULL, &error));
  before = g_strdup (ag_token_set_get_access_token (ag_session_get_tokens (session)));

  ag_session_reload_profile_async (session, NULL, test_store_result, &result);
  ag_session_reload_profile_finish (session, test_wait_for (&result), &error);
  g_clear_object (&result);
  record (name, "profile request answered 401: one refresh, then the profile", ACCEPT, error);
  g_assert_no_error (error);
  g_assert_cmpint (count_of (name, "refresh"), ==, 1);
  g_assert_cmpint (count_of (name, "userinfo"), ==, 3);
  g_assert_cmpstr (ag_token_set_get_access_token (ag_session_get_tokens (session)), !=, before);
  g_assert_cmpstr (ag_token_set_get_display_name (ag_session_get_tokens (session)), ==, "Hostile Tester");
}

static void
test_revocation_down (void)
{
  const char *name = "revocation-down";
  g_autoptr(AgSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AgTokenSet) stored = NULL;
  GAsyncResult *result = NULL;

  reset_case (name);
  session = new_session (name, FALSE);
  g_assert_true (sign_in (session, NULL, &error));
  ag_session_logout_async (session, NULL, test_store_result, &result);
  ag_session_logout_finish (session, test_wait_for (&result), &error);
  g_clear_object (&result);
  record (name, "revocation endpoint 503: local session cleared anyway", AUTHGEAR_ERROR_PROVIDER, error);
  g_assert_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_PROVIDER);
  g_assert_cmpint (ag_session_get_state (session), ==, AG_SESSION_STATE_NO_SESSION);
  stored = stored_tokens (name);
  g_assert_null (stored);
  g_assert_cmpint (count_of (name, "revoke"), ==, 1);
}

/* The end-session endpoint answers with a redirect carrying a wrong or no
 * state: logout is not thrown by it. */
static void
test_end_session_redirect (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(AgSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AgTokenSet) stored = NULL;
  GAsyncResult *result = NULL;

  reset_case (c->name);
  session = new_session (c->name, FALSE);
  g_assert_true (sign_in (session, NULL, &error));
  ag_session_logout_async (session, NULL, test_store_result, &result);
  ag_session_logout_finish (session, test_wait_for (&result), &error);
  g_clear_object (&result);
  record (c->name, c->does, c->expected, error);
  g_assert_no_error (error);
  g_assert_cmpint (ag_session_get_state (session), ==, AG_SESSION_STATE_NO_SESSION);
  stored = stored_tokens (c->name);
  g_assert_null (stored);
  g_assert_cmpint (count_of (c->name, "end_session"), ==, 1);
  g_assert_cmpint (count_of (c->name, "revoke"), ==, 1);
}

static const Case end_session_cases[] = {
  { "end-session-wrong-state", "end session redirects back with another state: logged out, no crash", ACCEPT, 0 },
  { "end-session-no-state", "end session redirects back without state: logged out, no crash", ACCEPT, 0 },
};

static GSubprocess *
start_server (void)
{
  g_autofree char *script = g_build_filename (g_getenv ("AG_SOURCE_ROOT"), "tests", "hostile", "server.mjs", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  GSubprocess *server;

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                             "node", script, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "port: "));
  base_url = g_strconcat ("http://127.0.0.1:", line + strlen ("port: "), NULL);
  return server;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GSubprocess) server = NULL;
  g_autofree char *node = g_find_program_in_path ("node");
  int status;

  g_test_init (&argc, &argv, NULL);
  if (node == NULL || g_getenv ("AG_TEST_SESSION") == NULL)
    {
      return test_skip_all ("needs node and the test session's keyring: run under build-aux/test-session");
    }
  /* Short enough that the hanging cases end quickly. */
  g_setenv ("AG_HTTP_TIMEOUT", "3", TRUE);

  server = start_server ();
  http = ag_http_session_new ();
  browser = soup_session_new ();
  store = ag_test_keyring_store (SCHEMA);
  cache_dir = g_dir_make_tmp ("ag-hostile-cache-XXXXXX", NULL);
  matrix = g_string_new ("| case | the provider does | expected | got |\n|---|---|---|---|\n");

  for (guint i = 0; i < G_N_ELEMENTS (sign_in_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/hostile/sign-in/", sign_in_cases[i].name, NULL);
      g_test_add_data_func (path, &sign_in_cases[i], test_sign_in_case);
    }
  for (guint i = 0; i < G_N_ELEMENTS (stale_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/hostile/stale-cache/", stale_cases[i].name, NULL);
      g_test_add_data_func (path, &stale_cases[i], test_stale_cache);
    }
  g_test_add_func ("/hostile/callback/replay-and-unsolicited", test_replay_and_unsolicited);
  g_test_add_func ("/hostile/pkce", test_pkce_as_seen);
  g_test_add_func ("/hostile/refresh/rotates", test_refresh_rotates);
  g_test_add_func ("/hostile/refresh/invalid-grant", test_refresh_invalid_grant);
  g_test_add_func ("/hostile/refresh/no-rotation", test_refresh_no_rotation);
  g_test_add_func ("/hostile/refresh/client-rejected-stops", test_refresh_client_rejected_stops);
  g_test_add_func ("/hostile/refresh/backoff", test_refresh_backoff);
  for (guint i = 0; i < G_N_ELEMENTS (refresh_kept_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/hostile/refresh/", refresh_kept_cases[i].name, NULL);
      g_test_add_data_func (path, &refresh_kept_cases[i], test_refresh_kept);
    }
  g_test_add_func ("/hostile/userinfo/401-refreshes", test_profile_401_refreshes);
  g_test_add_func ("/hostile/logout/revocation-down", test_revocation_down);
  for (guint i = 0; i < G_N_ELEMENTS (end_session_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/hostile/logout/", end_session_cases[i].name, NULL);
      g_test_add_data_func (path, &end_session_cases[i], test_end_session_redirect);
    }

  status = g_test_run ();

  /* The matrix: on stderr (the test log) and as Markdown in the build dir. */
  {
    g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "conformance-matrix.md", NULL);
    g_autofree char *summary = g_strdup_printf ("\n%u cases, %u not as expected\n", n_rows, n_failed_rows);

    g_string_append (matrix, summary);
    g_printerr ("%s", matrix->str);
    g_file_set_contents (path, matrix->str, -1, NULL);
  }

  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
  g_clear_object (&store);
  g_clear_object (&browser);
  g_clear_object (&http);
  g_string_free (matrix, TRUE);
  g_free (base_url);
  test_rm_rf (cache_dir);
  g_free (cache_dir);
  return status;
}
