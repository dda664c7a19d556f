/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the OIDC core: PKCE, redirect matching, configuration,
 * .env, JWS verification and ID token claims. Keys are generated here with
 * GnuTLS, so every signature is real. */
#include "config.h"

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "ag-app-config.h"
#include "ag-auth-request.h"
#include "ag-config.h"
#include "ag-error.h"
#include "ag-http.h"
#include "ag-jwt.h"
#include "ag-secure.h"
#include "ag-token-set.h"
#include "test-util.h"

static void
test_pkce_rfc7636_vector (void)
{
  /* RFC 7636 appendix B. */
  g_autofree char *challenge = ag_pkce_challenge ("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
  g_assert_cmpstr (challenge, ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

static GHashTable *
query_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  return g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
}

static void
test_auth_request_url (void)
{
  AgAuthOptions options = { .page = AG_PAGE_SIGNUP, .ui_locales = "de", .color_scheme = "dark" };
  g_autoptr(AgAuthRequest) a = ag_auth_request_new ("https://p.example/oauth2/authorize", "https://p.example", TRUE,
                                                    "cid", AG_DEFAULT_REDIRECT_URI, AG_DEFAULT_SCOPES, &options);
  g_autoptr(AgAuthRequest) b = ag_auth_request_new ("https://p.example/oauth2/authorize", "https://p.example", TRUE,
                                                    "cid", AG_DEFAULT_REDIRECT_URI, AG_DEFAULT_SCOPES, NULL);
  g_autoptr(GHashTable) q = query_of (ag_auth_request_get_url (a));
  g_autofree char *challenge = ag_pkce_challenge (ag_auth_request_get_verifier (a));
  gsize vlen = strlen (ag_auth_request_get_verifier (a));

  g_assert_true (g_str_has_prefix (ag_auth_request_get_url (a), "https://p.example/oauth2/authorize?"));
  g_assert_cmpstr (g_hash_table_lookup (q, "response_type"), ==, "code");
  g_assert_cmpstr (g_hash_table_lookup (q, "client_id"), ==, "cid");
  g_assert_cmpstr (g_hash_table_lookup (q, "redirect_uri"), ==, "http://localhost:3000/callback");
  g_assert_cmpstr (g_hash_table_lookup (q, "scope"), ==, "openid offline_access https://authgear.com/scopes/full-access");
  g_assert_cmpstr (g_hash_table_lookup (q, "code_challenge_method"), ==, "S256");
  g_assert_cmpstr (g_hash_table_lookup (q, "code_challenge"), ==, challenge);
  g_assert_cmpstr (g_hash_table_lookup (q, "state"), ==, ag_auth_request_get_state (a));
  g_assert_cmpstr (g_hash_table_lookup (q, "nonce"), ==, ag_auth_request_get_nonce (a));
  g_assert_cmpstr (g_hash_table_lookup (q, "x_page"), ==, "signup");
  g_assert_cmpstr (g_hash_table_lookup (q, "x_color_scheme"), ==, "dark");
  g_assert_cmpstr (g_hash_table_lookup (q, "ui_locales"), ==, "de");
  g_assert_false (g_hash_table_contains (q, "code_verifier"));
  g_assert_cmpuint (vlen, >=, 43);
  g_assert_cmpuint (vlen, <=, 128);
  /* 256 bits each, fresh per attempt. */
  g_assert_cmpuint (strlen (ag_auth_request_get_state (a)), >=, 22);
  g_assert_cmpuint (strlen (ag_auth_request_get_nonce (a)), >=, 22);
  g_assert_cmpstr (ag_auth_request_get_verifier (a), !=, ag_auth_request_get_verifier (b));
  g_assert_cmpstr (ag_auth_request_get_state (a), !=, ag_auth_request_get_state (b));
  g_assert_cmpstr (ag_auth_request_get_nonce (a), !=, ag_auth_request_get_nonce (b));
  g_assert_null (strstr (ag_auth_request_get_url (b), "x_page"));
  /* As Authgear's SDKs: no Authgear cookie in the browser by default. */
  g_assert_cmpstr (g_hash_table_lookup (q, "x_sso_enabled"), ==, "false");
  g_assert_cmpstr (g_hash_table_lookup (q, "x_suppress_idp_session_cookie"), ==, "true");
  g_assert_false (g_hash_table_contains (q, "x_device_info"));
  {
    AgAuthOptions sso = { .sso_enabled = TRUE };
    g_autoptr(AgAuthRequest) c = ag_auth_request_new ("https://p.example/oauth2/authorize", "https://p.example", FALSE,
                                                      "cid", AG_DEFAULT_REDIRECT_URI, AG_DEFAULT_SCOPES, &sso);
    g_autoptr(GHashTable) qc = query_of (ag_auth_request_get_url (c));

    g_assert_cmpstr (g_hash_table_lookup (qc, "x_sso_enabled"), ==, "true");
    g_assert_false (g_hash_table_contains (qc, "x_suppress_idp_session_cookie"));
  }
}

/* Authgear's authorization response has no iss and does not announce it:
 * accepted then; refused when iss is announced but missing. */
static void
test_redirect_without_iss (void)
{
  g_autoptr(AgAuthRequest) quiet = ag_auth_request_new ("https://p.example/oauth2/authorize", "https://p.example", FALSE,
                                                        "cid", AG_DEFAULT_REDIRECT_URI, AG_DEFAULT_SCOPES, NULL);
  g_autoptr(AgAuthRequest) announced = ag_auth_request_new ("https://p.example/oauth2/authorize", "https://p.example", TRUE,
                                                            "cid", AG_DEFAULT_REDIRECT_URI, AG_DEFAULT_SCOPES, NULL);
  g_autofree char *back_quiet = g_strdup_printf ("http://localhost:3000/callback?code=c1&state=%s",
                                                 ag_auth_request_get_state (quiet));
  g_autofree char *back_announced = g_strdup_printf ("http://localhost:3000/callback?code=c1&state=%s",
                                                     ag_auth_request_get_state (announced));
  g_autoptr(GError) error = NULL;
  g_autofree char *code = ag_auth_request_parse_redirect (quiet, back_quiet, &error);
  g_autofree char *refused = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, "c1");
  /* Which answers belong to a request: its state, once, at its address. */
  {
    g_autofree char *twice = g_strdup_printf ("%s&state=%s", back_quiet, ag_auth_request_get_state (quiet));
    g_autofree char *elsewhere = g_strdup_printf ("http://localhost:3000/other?state=%s", ag_auth_request_get_state (quiet));

    g_assert_true (ag_auth_request_is_answer (quiet, back_quiet));
    g_assert_false (ag_auth_request_is_answer (quiet, "http://localhost:3000/callback?error=access_denied&state=x"));
    g_assert_false (ag_auth_request_is_answer (quiet, back_announced));
    g_assert_false (ag_auth_request_is_answer (quiet, twice));
    g_assert_false (ag_auth_request_is_answer (quiet, elsewhere));
  }
  refused = ag_auth_request_parse_redirect (announced, back_announced, &error);
  g_assert_null (refused);
  g_assert_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_ISSUER_MISMATCH);
}

static void
test_redirect_matching (void)
{
  const char *configured = AG_DEFAULT_REDIRECT_URI;
  const char *accepted[] = {
    "http://localhost:3000/callback",
    "http://localhost:3000/callback?code=a&state=b",
    "HTTP://LOCALHOST:3000/callback?x=1",
  };
  const char *refused[] = {
    "http://localhost:3000/callbackX",
    "http://localhost:3000/callback/",
    "http://localhost:3000/callback/../callback",
    "http://localhost:3001/callback",
    "http://localhost/callback",
    "https://localhost:3000/callback",
    "http://localhost.evil.example:3000/callback",
    "http://evil.example/http://localhost:3000/callback",
    "http://localhost:3000/call%62ack",
    "http://localhost:3000/%63allback",
    "http://user@localhost:3000/callback",
    "http://127.0.0.1:3000/callback",
    "http://localhost:3000/Callback",
    "file:///callback",
    "",
    "not a url",
  };

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    g_assert_true (ag_redirect_uri_matches (configured, accepted[i]));
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      if (ag_redirect_uri_matches (configured, refused[i]))
        g_error ("matched a look-alike: %s", refused[i]);
    }
}

static AgAuthRequest *
request_for_test (void)
{
  return ag_auth_request_new ("https://p.example/oauth2/authorize", "https://p.example", TRUE,
                              "cid", AG_DEFAULT_REDIRECT_URI, AG_DEFAULT_SCOPES, NULL);
}

static void
assert_parse_error (AgAuthRequest *request,
                    const char    *query_format,
                    int            code)
{
  g_autofree char *query = g_strdup_printf (query_format, ag_auth_request_get_state (request));
  g_autofree char *uri = g_strconcat ("http://localhost:3000/callback?", query, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *got = ag_auth_request_parse_redirect (request, uri, &error);

  if (got != NULL)
    g_error ("accepted %s", query_format);
  g_assert_error (error, AUTHGEAR_ERROR, code);
}

static void
test_redirect_parsing (void)
{
  g_autoptr(AgAuthRequest) r = request_for_test ();
  g_autofree char *good = g_strdup_printf ("http://localhost:3000/callback?code=abc%%2Bd&state=%s&iss=https%%3A%%2F%%2Fp.example",
                                           ag_auth_request_get_state (r));
  g_autoptr(GError) error = NULL;
  g_autofree char *code = ag_auth_request_parse_redirect (r, good, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, "abc+d");

  assert_parse_error (r, "code=a&state=wrong%.0s&iss=https://p.example", AUTHGEAR_ERROR_STATE_MISMATCH);
  assert_parse_error (r, "code=a%.0s&iss=https://p.example", AUTHGEAR_ERROR_STATE_MISMATCH);
  assert_parse_error (r, "code=a&state=%s&iss=https://evil.example", AUTHGEAR_ERROR_ISSUER_MISMATCH);
  assert_parse_error (r, "code=a&state=%s", AUTHGEAR_ERROR_ISSUER_MISMATCH);
  assert_parse_error (r, "code=a&code=b&state=%s&iss=https://p.example", AUTHGEAR_ERROR_INVALID_RESPONSE);
  assert_parse_error (r, "code=a&state=%s&state=x&iss=https://p.example", AUTHGEAR_ERROR_INVALID_RESPONSE);
  assert_parse_error (r, "error=access_denied&state=%s&iss=https://p.example", AUTHGEAR_ERROR_ACCESS_DENIED);
  assert_parse_error (r, "error=server_error&error_description=boom&state=%s&iss=https://p.example", AUTHGEAR_ERROR_PROVIDER);
  assert_parse_error (r, "state=%s&iss=https://p.example", AUTHGEAR_ERROR_INVALID_RESPONSE);
  /* An error for another sign-in is a state mismatch, not a denial. */
  assert_parse_error (r, "error=access_denied&state=other%.0s", AUTHGEAR_ERROR_STATE_MISMATCH);

  {
    g_autoptr(GError) e = NULL;
    g_autofree char *c = ag_auth_request_parse_redirect (r, "http://localhost:3000/callbackX?code=a", &e);
    g_assert_null (c);
    g_assert_error (e, AUTHGEAR_ERROR, AUTHGEAR_ERROR_NOT_REDIRECT);
  }
}

static void
assert_config_error (const char *domain,
                     const char *client_id,
                     const char *redirect,
                     const char *scopes,
                     const char *names)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AgConfig) config = ag_config_new (domain, client_id, NULL, redirect, scopes, &error);

  g_assert_null (config);
  g_assert_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION);
  if (names != NULL && strstr (error->message, names) == NULL)
    g_error ("message “%s” does not name %s", error->message, names);
}

static void
test_config_validation (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AgConfig) c1 = ag_config_new ("myapp.authgear.cloud", "cid", NULL, NULL, NULL, &error);
  g_autoptr(AgConfig) c2 = NULL;
  g_autoptr(AgConfig) c3 = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (ag_config_get_issuer (c1), ==, "https://myapp.authgear.cloud");
  g_assert_cmpstr (ag_config_get_redirect_uri (c1), ==, "http://localhost:3000/callback");
  /* The guide's scopes, with full access for the account pages, as the SDKs ask. */
  g_assert_cmpstr (ag_config_get_scopes (c1), ==, "openid offline_access https://authgear.com/scopes/full-access");
  g_assert_null (ag_config_get_client_secret (c1));

  c2 = ag_config_new ("http://127.0.0.1:4000/", "cid", "s3cret", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ag_config_get_issuer (c2), ==, "http://127.0.0.1:4000");
  g_assert_cmpstr (ag_config_get_client_secret (c2), ==, "s3cret");
  c3 = ag_config_new ("http://[::1]:4000", "cid", NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  /* The library's words (the app's own checks name its variables). */
  assert_config_error ("http://myapp.authgear.cloud", "cid", NULL, NULL, "The endpoint");
  assert_config_error ("http://10.0.0.1", "cid", NULL, NULL, "The endpoint");
  assert_config_error ("ftp://x.example", "cid", NULL, NULL, "The endpoint");
  assert_config_error ("", "cid", NULL, NULL, "The endpoint");
  assert_config_error (NULL, "cid", NULL, NULL, "The endpoint");
  assert_config_error ("https://x.example/?a=b", "cid", NULL, NULL, "The endpoint");
  assert_config_error ("https://user@x.example", "cid", NULL, NULL, "The endpoint");
  assert_config_error ("https://x .example", "cid", NULL, NULL, "The endpoint");
  assert_config_error ("https://x.example", "", NULL, NULL, "The client ID");
  assert_config_error ("https://x.example", "a b", NULL, NULL, "The client ID");
  assert_config_error ("https://x.example", "cid", "http://evil.example/cb", NULL, "redirect URI");
  assert_config_error ("https://x.example", "cid", "http://localhost:3000/cb#x", NULL, "redirect URI");
  assert_config_error ("https://x.example", "cid", NULL, "profile email", "openid");
}

static void
test_dotenv (void)
{
  const char *text =
    "# comment\n"
    "AUTHGEAR_DOMAIN=https://a.example\n"
    "export AUTHGEAR_CLIENT_ID = \"quoted id\"  \n"
    "AUTHGEAR_CLIENT_SECRET='single # not a comment'\n"
    "EMPTY=\n"
    "INLINE=value # comment\r\n"
    "\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) env = ag_dotenv_parse (text, -1, &error);
  const char *bad[] = { "NOEQUALS\n", "1ABC=x\n", "A-B=x\n", "A=\"unterminated\n", "=x\n",
                        "A=\"v\"junk\n", "A='v' junk\n", "A=\"v\"\"w\"\n" };

  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (env, "AUTHGEAR_DOMAIN"), ==, "https://a.example");
  g_assert_cmpstr (g_hash_table_lookup (env, "AUTHGEAR_CLIENT_ID"), ==, "quoted id");
  g_assert_cmpstr (g_hash_table_lookup (env, "AUTHGEAR_CLIENT_SECRET"), ==, "single # not a comment");
  g_assert_cmpstr (g_hash_table_lookup (env, "EMPTY"), ==, "");
  g_assert_cmpstr (g_hash_table_lookup (env, "INLINE"), ==, "value");
  {
    /* A comment may follow the closing quote. */
    g_autoptr(GHashTable) t = ag_dotenv_parse ("A=\"v\" # the value\nB='w'\t\n", -1, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (g_hash_table_lookup (t, "A"), ==, "v");
    g_assert_cmpstr (g_hash_table_lookup (t, "B"), ==, "w");
  }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) e = NULL;
      g_autoptr(GHashTable) t = ag_dotenv_parse (bad[i], -1, &e);
      g_assert_null (t);
      g_assert_error (e, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION);
      g_assert_nonnull (strstr (e->message, "Line 1"));
    }
  {
    g_autoptr(GError) e = NULL;
    g_autoptr(GHashTable) t = ag_dotenv_parse ("A=\xff\xfe\n", -1, &e);
    g_assert_null (t);
    g_assert_error (e, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION);
  }
}

/* A .env file that is not a plain, small file is refused at once, before
 * a byte is read: a FIFO (which would block), a symbolic link (to /dev/zero,
 * which never ends), a file larger than 64 KiB. A missing one is no error. */
static void
test_dotenv_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ag-dotenv-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo.env", NULL);
  g_autofree char *link = g_build_filename (dir, "zero.env", NULL);
  g_autofree char *big = g_build_filename (dir, "big.env", NULL);
  g_autofree char *good = g_build_filename (dir, "good.env", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.env", NULL);
  g_autofree char *padding = g_strnfill (AG_DOTENV_MAX_SIZE, '#');
  g_autofree char *big_text = g_strconcat (padding, "\nAUTHGEAR_DOMAIN=https://big.example\n", NULL);
  struct { const char *path, *says; } refused[] = {
    { fifo, "not a regular file" }, { link, "symbolic link" }, { big, "larger than 64 KiB" },
  };
  g_autoptr(AgAppConfig) ok = NULL;
  g_autoptr(AgAppConfig) none = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (symlink ("/dev/zero", link), ==, 0);
  g_assert_true (g_file_set_contents (big, big_text, -1, NULL));
  g_assert_true (g_file_set_contents (good, "AUTHGEAR_DOMAIN=https://good.example\nAUTHGEAR_CLIENT_ID=c1\n", -1, NULL));
  g_unsetenv ("AUTHGEAR_DOMAIN");
  g_unsetenv ("AUTHGEAR_CLIENT_ID");

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) e = NULL;
      g_autoptr(AgAppConfig) config = NULL;
      gint64 started = g_get_monotonic_time ();

      config = ag_app_config_load (NULL, refused[i].path, &e);
      g_assert_null (config);
      g_assert_error (e, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION);
      g_assert_nonnull (strstr (e->message, refused[i].says));
      g_assert_nonnull (strstr (e->message, refused[i].path));
      g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
    }

  ok = ag_app_config_load (NULL, good, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ok->issuer, ==, "https://good.example");
  g_assert_cmpstr (ok->dotenv_path, ==, good);

  /* A missing file is no error, and no value came from it. */
  none = ag_app_config_load (NULL, missing, &error);
  g_assert_null (none);
  g_assert_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION);   /* nothing configured at all */
  g_assert_null (strstr (error->message, missing));
  test_rm_rf (dir);
}

/* What the Preferences window checks as a person types. */
static void
test_config_check_setting (void)
{
  struct { const char *variable, *value, *result; } cases[] = {
    { "AUTHGEAR_DOMAIN", "myapp.authgear.cloud", "https://myapp.authgear.cloud" },
    { "AUTHGEAR_DOMAIN", "https://myapp.authgear.cloud/", "https://myapp.authgear.cloud" },
    { "AUTHGEAR_DOMAIN", "http://127.0.0.1:4000", "http://127.0.0.1:4000" },
    { "AUTHGEAR_DOMAIN", "http://myapp.authgear.cloud", NULL },
    { "AUTHGEAR_DOMAIN", "", NULL },
    { "AUTHGEAR_DOMAIN", "my app", NULL },
    { "AUTHGEAR_CLIENT_ID", "abc123", "abc123" },
    { "AUTHGEAR_CLIENT_ID", "", NULL },
    { "AUTHGEAR_CLIENT_ID", "a b", NULL },
    { "AUTHGEAR_CLIENT_SECRET", "", "" },
    { "AUTHGEAR_CLIENT_SECRET", "s3cret", "s3cret" },
    { "AUTHGEAR_CLIENT_SECRET", "s3 cret", NULL },
    { "AUTHGEAR_REDIRECT_URI", "", AG_DEFAULT_REDIRECT_URI },
    { "AUTHGEAR_REDIRECT_URI", "http://localhost:3000/callback", "http://localhost:3000/callback" },
    { "AUTHGEAR_REDIRECT_URI", "http://example.com/callback", NULL },
    { "AUTHGEAR_REDIRECT_URI", "http://localhost:3000/cb#x", NULL },
    { "AUTHGEAR_SCOPES", "", AG_DEFAULT_SCOPES },
    { "AUTHGEAR_SCOPES", "openid offline_access", "openid offline_access" },
    { "AUTHGEAR_SCOPES", "profile email", NULL },
    { "AUTHGEAR_SCOPES_TYPO", "openid", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *result = ag_config_check_setting (cases[i].variable, cases[i].value, &error);

      g_assert_cmpstr (result, ==, cases[i].result);
      if (cases[i].result == NULL)
        {
          g_assert_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION);
          /* The message names what to fix. */
          if (!g_str_equal (cases[i].variable, "AUTHGEAR_REDIRECT_URI"))
            g_assert_nonnull (strstr (error->message, cases[i].variable));
        }
    }
}

static void
test_config_sources (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ag-config-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, ".env", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AgAppConfig) config = NULL;

  g_assert_true (g_file_set_contents (path, "AUTHGEAR_DOMAIN=https://file.example\nAUTHGEAR_CLIENT_ID=file-id\n", -1, NULL));
  g_setenv ("AUTHGEAR_CLIENT_ID", "env-id", TRUE);
  g_unsetenv ("AUTHGEAR_DOMAIN");
  g_unsetenv ("AUTHGEAR_CLIENT_SECRET");

  config = ag_app_config_load (NULL, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->issuer, ==, "https://file.example");
  g_assert_cmpstr (config->client_id, ==, "env-id");
  g_assert_true (ag_app_config_is_overridden (config, "AUTHGEAR_DOMAIN"));
  g_assert_false (ag_app_config_is_overridden (config, "AUTHGEAR_CLIENT_SECRET"));
  g_unsetenv ("AUTHGEAR_CLIENT_ID");

  g_remove (path);
  g_rmdir (dir);
}

/* JWS vectors: keys made with GnuTLS, tokens signed here. */

typedef struct
{
  gnutls_privkey_t rsa;
  gnutls_privkey_t rsa2;
  gnutls_privkey_t ec;
  char *jwks;            /* rsa (kid r1) and ec (kid e1) */
  char *jwks_single;     /* rsa only, no kid */
} Keys;

static Keys keys;

static char *
b64 (const void *data,
     gsize       len)
{
  return ag_base64url_encode (data, len);
}

static char *
datum_b64 (gnutls_datum_t *d)
{
  /* Strip a leading zero byte of a positive integer. */
  guint8 *p = d->data;
  gsize n = d->size;
  while (n > 1 && p[0] == 0)
    p++, n--;
  return b64 (p, n);
}

static char *
rsa_jwk (gnutls_privkey_t key,
         const char      *kid)
{
  gnutls_datum_t m, e;
  g_autofree char *n64 = NULL, *e64 = NULL;
  g_assert_cmpint (gnutls_privkey_export_rsa_raw2 (key, &m, &e, NULL, NULL, NULL, NULL, NULL, NULL, 0), ==, 0);
  n64 = datum_b64 (&m);
  e64 = datum_b64 (&e);
  gnutls_free (m.data);
  gnutls_free (e.data);
  if (kid)
    return g_strdup_printf ("{\"kty\":\"RSA\",\"kid\":\"%s\",\"use\":\"sig\",\"n\":\"%s\",\"e\":\"%s\"}", kid, n64, e64);
  return g_strdup_printf ("{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"%s\"}", n64, e64);
}

static char *
ec_jwk (gnutls_privkey_t key,
        const char      *kid)
{
  gnutls_ecc_curve_t curve;
  gnutls_datum_t x, y;
  guint8 x32[32] = { 0 }, y32[32] = { 0 };
  g_autofree char *x64 = NULL, *y64 = NULL;
  g_assert_cmpint (gnutls_privkey_export_ecc_raw2 (key, &curve, &x, &y, NULL, GNUTLS_EXPORT_FLAG_NO_LZ), ==, 0);
  /* RFC 7518 6.2.1.2: the full 32 bytes. Without leading zeros a coordinate
   * is short one key in 128, and the verifier rightly refuses it. */
  g_assert_cmpuint (x.size, <=, 32);
  g_assert_cmpuint (y.size, <=, 32);
  memcpy (x32 + 32 - x.size, x.data, x.size);
  memcpy (y32 + 32 - y.size, y.data, y.size);
  x64 = b64 (x32, 32);
  y64 = b64 (y32, 32);
  gnutls_free (x.data);
  gnutls_free (y.data);
  return g_strdup_printf ("{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"%s\",\"x\":\"%s\",\"y\":\"%s\"}", kid, x64, y64);
}

static gnutls_privkey_t
generate (gnutls_pk_algorithm_t algo,
          unsigned int          bits)
{
  gnutls_privkey_t key;
  g_assert_cmpint (gnutls_privkey_init (&key), ==, 0);
  g_assert_cmpint (gnutls_privkey_generate (key, algo, bits, 0), ==, 0);
  return key;
}

static void
keys_init (void)
{
  g_autofree char *r1 = NULL, *e1 = NULL;

  keys.rsa = generate (GNUTLS_PK_RSA, 2048);
  keys.rsa2 = generate (GNUTLS_PK_RSA, 2048);
  keys.ec = generate (GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1));
  r1 = rsa_jwk (keys.rsa, "r1");
  e1 = ec_jwk (keys.ec, "e1");
  keys.jwks = g_strdup_printf ("{\"keys\":[%s,%s]}", r1, e1);
  {
    g_autofree char *single = rsa_jwk (keys.rsa, NULL);
    keys.jwks_single = g_strdup_printf ("{\"keys\":[%s]}", single);
  }
}

/* Signs header.claims with @alg; "none" and "HS256" (with @hmac_key) too. */
static char *
sign (const char *alg,
      const char *kid,
      const char *claims,
      const void *hmac_key,
      gsize       hmac_len)
{
  const char *header_alg = strcmp (alg, "RS256-other") == 0 ? "RS256" : alg;
  g_autofree char *header = kid ? g_strdup_printf ("{\"alg\":\"%s\",\"kid\":\"%s\"}", header_alg, kid)
                                : g_strdup_printf ("{\"alg\":\"%s\"}", header_alg);
  g_autofree char *h64 = b64 (header, strlen (header));
  g_autofree char *c64 = b64 (claims, strlen (claims));
  g_autofree char *input = g_strconcat (h64, ".", c64, NULL);
  gnutls_datum_t data = { (guchar *) input, strlen (input) };
  gnutls_datum_t sig = { NULL, 0 };
  g_autofree char *s64 = NULL;

  if (strcmp (alg, "none") == 0)
    return g_strconcat (input, ".", NULL);
  if (strcmp (alg, "HS256") == 0)
    {
      guint8 mac[32];
      g_assert_cmpint (gnutls_hmac_fast (GNUTLS_MAC_SHA256, hmac_key, hmac_len, input, strlen (input), mac), ==, 0);
      s64 = b64 (mac, 32);
      return g_strconcat (input, ".", s64, NULL);
    }
  if (strcmp (alg, "RS256") == 0 || strcmp (alg, "RS256-other") == 0)
    g_assert_cmpint (gnutls_privkey_sign_data2 (strcmp (alg, "RS256") == 0 ? keys.rsa : keys.rsa2,
                                                GNUTLS_SIGN_RSA_SHA256, 0, &data, &sig), ==, 0);
  else if (strcmp (alg, "PS256") == 0)
    g_assert_cmpint (gnutls_privkey_sign_data2 (keys.rsa, GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, 0, &data, &sig), ==, 0);
  else if (strcmp (alg, "ES256") == 0)
    {
      gnutls_datum_t der = { NULL, 0 }, r, s;
      guint8 raw[64] = { 0 };
      g_assert_cmpint (gnutls_privkey_sign_data2 (keys.ec, GNUTLS_SIGN_ECDSA_SECP256R1_SHA256, 0, &data, &der), ==, 0);
      g_assert_cmpint (gnutls_decode_rs_value (&der, &r, &s), ==, 0);
      /* Left-pad R and S to 32 bytes (they may carry a sign byte or be short). */
      memcpy (raw + 32 - MIN (r.size, 32), r.data + (r.size > 32 ? r.size - 32 : 0), MIN (r.size, 32));
      memcpy (raw + 64 - MIN (s.size, 32), s.data + (s.size > 32 ? s.size - 32 : 0), MIN (s.size, 32));
      gnutls_free (der.data);
      gnutls_free (r.data);
      gnutls_free (s.data);
      s64 = b64 (raw, 64);
      return g_strconcat (input, ".", s64, NULL);
    }
  else
    g_assert_not_reached ();
  s64 = b64 (sig.data, sig.size);
  gnutls_free (sig.data);
  return g_strconcat (h64, ".", c64, ".", s64, NULL);
}

#define ISS "https://p.example"
#define CID "cid"
#define NONCE "n-0S6_WzA2Mj"

static char *
claims_with (const char *overrides)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  if (overrides != NULL)
    return g_strdup (overrides);
  return g_strdup_printf ("{\"iss\":\"" ISS "\",\"aud\":\"" CID "\",\"sub\":\"u1\",\"iat\":%" G_GINT64_FORMAT
                          ",\"exp\":%" G_GINT64_FORMAT ",\"nonce\":\"" NONCE "\"}", now, now + 300);
}

/* Verifies @token as the client would: signature, then claims. */
static gboolean
verify (const char  *token,
        const char  *jwks_json,
        gboolean    *unknown_kid,
        GError     **error)
{
  static const char * const algs[] = { "RS256", "PS256", "ES256", NULL };
  g_autoptr(AgJwks) jwks = ag_jwks_parse (jwks_json, -1, NULL);
  g_autoptr(AgJwt) jwt = ag_jwt_parse (token, error);

  g_assert_nonnull (jwks);
  if (jwt == NULL)
    return FALSE;
  if (!ag_jwt_verify_signature (jwt, jwks, algs, unknown_kid, error))
    return FALSE;
  return ag_jwt_check_id_token (jwt, ISS, CID, NONCE, g_get_real_time () / G_USEC_PER_SEC, error);
}

static void
expect_valid (const char *token,
              const char *jwks)
{
  g_autoptr(GError) error = NULL;
  gboolean valid = verify (token, jwks, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (valid);
}

static void
expect_invalid (const char *label,
                const char *token,
                const char *jwks,
                const char *message_part)
{
  g_autoptr(GError) error = NULL;

  if (verify (token, jwks, NULL, &error))
    g_error ("accepted: %s", label);
  g_assert_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN);
  if (message_part && strstr (error->message, message_part) == NULL)
    g_error ("%s: message “%s” lacks “%s”", label, error->message, message_part);
}

static void
test_jwt_valid_algorithms (void)
{
  g_autofree char *claims = claims_with (NULL);
  g_autofree char *rs = sign ("RS256", "r1", claims, NULL, 0);
  g_autofree char *ps = sign ("PS256", "r1", claims, NULL, 0);
  g_autofree char *es = sign ("ES256", "e1", claims, NULL, 0);
  g_autofree char *nokid = sign ("RS256", NULL, claims, NULL, 0);

  expect_valid (rs, keys.jwks);
  expect_valid (ps, keys.jwks);
  expect_valid (es, keys.jwks);
  /* One key and no kid: use it. */
  expect_valid (nokid, keys.jwks_single);
}

static void
test_jwt_bad_signatures (void)
{
  g_autofree char *claims = claims_with (NULL);
  g_autofree char *rs = sign ("RS256", "r1", claims, NULL, 0);
  g_autofree char *corrupt = g_strdup (rs);
  g_autofree char *none = sign ("none", NULL, claims, NULL, 0);
  g_autofree char *hs_secret = sign ("HS256", "r1", claims, "dev-client-secret", 17);
  g_autofree char *other = sign ("RS256-other", "r1", claims, NULL, 0);
  g_autofree char *nokid_many = sign ("RS256", NULL, claims, NULL, 0);
  g_autofree char *hs_pub = NULL;
  gboolean unknown = FALSE;

  /* Flip a bit in the middle of the signature. */
  corrupt[strlen (corrupt) - 10] = corrupt[strlen (corrupt) - 10] == 'A' ? 'B' : 'A';
  expect_invalid ("corrupted signature", corrupt, keys.jwks, "signature");
  expect_invalid ("alg none", none, keys.jwks, "signature");
  expect_invalid ("HS256 with the client secret", hs_secret, keys.jwks, "HS256");
  /* HS256 keyed with the RSA public key's JWK text, the classic confusion. */
  hs_pub = sign ("HS256", "r1", claims, keys.jwks, strlen (keys.jwks));
  expect_invalid ("HS256 with the public key", hs_pub, keys.jwks, "HS256");
  expect_invalid ("signed by another key", other, keys.jwks, "signature");
  expect_invalid ("several keys and no kid", nokid_many, keys.jwks, NULL);

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *unknown_kid = sign ("RS256", "rotated", claims, NULL, 0);
    g_assert_false (verify (unknown_kid, keys.jwks, &unknown, &error));
    g_assert_true (unknown);
    g_assert_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN);
  }
  {
    /* ES256 signature with an RSA kid: algorithm and key must agree. */
    g_autofree char *mixed = sign ("ES256", "r1", claims, NULL, 0);
    expect_invalid ("ES256 on an RSA key", mixed, keys.jwks, NULL);
  }
  {
    static const char * const only_rs[] = { "RS256", NULL };
    g_autoptr(AgJwks) jwks = ag_jwks_parse (keys.jwks, -1, NULL);
    g_autofree char *es = sign ("ES256", "e1", claims, NULL, 0);
    g_autoptr(AgJwt) jwt = ag_jwt_parse (es, NULL);
    g_autoptr(GError) error = NULL;
    /* Not announced by the provider: refused. */
    g_assert_false (ag_jwt_verify_signature (jwt, jwks, only_rs, NULL, &error));
    g_assert_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN);
  }
}

/* Replaces NOW, EXP (+300 s), FUTURE (+3600 s) and PAST (-120 s). */
static char *
fill_times (const char *template,
            gint64      now)
{
  struct { const char *name; gint64 value; } times[] = {
    { "NOW", now }, { "EXP", now + 300 }, { "FUTURE", now + 3600 }, { "PAST", now - 120 },
  };
  char *text = g_strdup (template);

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, times[i].value);
      g_auto(GStrv) parts = g_strsplit (text, times[i].name, -1);
      g_free (text);
      text = g_strjoinv (value, parts);
    }
  return text;
}

static void
test_jwt_claims (void)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  struct { const char *label; const char *fmt; const char *part; } cases[] = {
    { "wrong iss", "{\"iss\":\"https://evil.example\",\"aud\":\"cid\",\"sub\":\"u\",\"iat\":NOW,\"exp\":EXP,\"nonce\":\"" NONCE "\"}", "iss" },
    { "wrong aud", "{\"iss\":\"" ISS "\",\"aud\":\"other\",\"sub\":\"u\",\"iat\":NOW,\"exp\":EXP,\"nonce\":\"" NONCE "\"}", "aud" },
    { "missing aud", "{\"iss\":\"" ISS "\",\"sub\":\"u\",\"iat\":NOW,\"exp\":EXP,\"nonce\":\"" NONCE "\"}", "aud" },
    { "several aud without azp", "{\"iss\":\"" ISS "\",\"aud\":[\"cid\",\"x\"],\"sub\":\"u\",\"iat\":NOW,\"exp\":EXP,\"nonce\":\"" NONCE "\"}", "azp" },
    { "azp not the client", "{\"iss\":\"" ISS "\",\"aud\":[\"cid\",\"x\"],\"azp\":\"x\",\"sub\":\"u\",\"iat\":NOW,\"exp\":EXP,\"nonce\":\"" NONCE "\"}", "azp" },
    { "missing sub", "{\"iss\":\"" ISS "\",\"aud\":\"cid\",\"iat\":NOW,\"exp\":EXP,\"nonce\":\"" NONCE "\"}", "sub" },
    { "missing iat", "{\"iss\":\"" ISS "\",\"aud\":\"cid\",\"sub\":\"u\",\"exp\":EXP,\"nonce\":\"" NONCE "\",\"x\":NOW}", "iat" },
    { "iat in the future", "{\"iss\":\"" ISS "\",\"aud\":\"cid\",\"sub\":\"u\",\"iat\":FUTURE,\"exp\":EXP,\"nonce\":\"" NONCE "\",\"x\":NOW}", "iat" },
    { "expired", "{\"iss\":\"" ISS "\",\"aud\":\"cid\",\"sub\":\"u\",\"iat\":NOW,\"exp\":PAST,\"nonce\":\"" NONCE "\"}", "exp" },
    { "wrong nonce", "{\"iss\":\"" ISS "\",\"aud\":\"cid\",\"sub\":\"u\",\"iat\":NOW,\"exp\":EXP,\"nonce\":\"other\"}", "nonce" },
    { "missing nonce", "{\"iss\":\"" ISS "\",\"aud\":\"cid\",\"sub\":\"u\",\"iat\":NOW,\"exp\":EXP}", "nonce" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *claims = fill_times (cases[i].fmt, now);
      g_autofree char *token = sign ("RS256", "r1", claims, NULL, 0);
      expect_invalid (cases[i].label, token, keys.jwks, cases[i].part);
    }

  {
    /* Within the skew: exp 30 s ago and iat 30 s ahead are accepted. */
    g_autofree char *claims = g_strdup_printf ("{\"iss\":\"" ISS "\",\"aud\":[\"cid\"],\"sub\":\"u\",\"iat\":%" G_GINT64_FORMAT ",\"exp\":%" G_GINT64_FORMAT ",\"nonce\":\"" NONCE "\"}", now + 30, now - 30);
    g_autofree char *token = sign ("RS256", "r1", claims, NULL, 0);
    expect_valid (token, keys.jwks);
  }
}

static void
test_jwt_malformed (void)
{
  const char *bad[] = { "", "a", "a.b", "a.b.c.d", "..", "e30.e30.", "bm90IGpzb24.e30.AAAA", "e30.e30.AAAA",
                        "eyJhbGciOiJSUzI1NiJ9.W10.AAAA" /* claims not an object */ };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AgJwt) jwt = ag_jwt_parse (bad[i], &error);
      if (jwt != NULL)
        g_error ("parsed %s", bad[i]);
      g_assert_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN);
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(AgJwks) jwks = ag_jwks_parse ("{\"keys\":[{\"kty\":\"oct\",\"k\":\"AAAA\"}]}", -1, &error);
    g_assert_null (jwks);
    g_assert_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_DISCOVERY);
  }
}

static void
test_token_set (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AgTokenSet) set = NULL;
  g_autoptr(AgTokenSet) back = NULL;
  g_autofree char *serialized = NULL;
  g_autofree char *redacted = NULL;
  g_autofree char *revealed = NULL;
  const char *bad[] = {
    "{\"token_type\":\"Bearer\"}",
    "{\"access_token\":\"\",\"token_type\":\"Bearer\"}",
    "{\"access_token\":\"AT\",\"token_type\":\"mac\"}",
    "{\"access_token\":\"AT\"}",
    "{\"access_token\":\"AT\",\"token_type\":\"Bearer\",\"expires_in\":\"soon\"}",
  };

  g_assert_true (json_parser_load_from_data (parser, "{\"access_token\":\"AT-secret\",\"token_type\":\"bearer\",\"expires_in\":100,\"refresh_token\":\"RT-secret\",\"id_token\":\"ID-secret\",\"scope\":\"openid offline_access\"}", -1, NULL));
  set = ag_token_set_new_from_response (json_node_get_object (json_parser_get_root (parser)), ISS, CID, 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ag_token_set_get_expires_at (set), ==, 1100);
  g_assert_cmpint (ag_token_set_get_refresh_at (set), ==, 1090);
  g_assert_true (ag_token_set_is_fresh (set, 1089));
  g_assert_false (ag_token_set_is_fresh (set, 1090));

  redacted = ag_token_set_dup_response_json (set, FALSE);
  g_assert_null (strstr (redacted, "AT-secret"));
  g_assert_null (strstr (redacted, "RT-secret"));
  g_assert_null (strstr (redacted, "ID-secret"));
  g_assert_nonnull (strstr (redacted, "openid offline_access"));
  revealed = ag_token_set_dup_response_json (set, TRUE);
  g_assert_nonnull (strstr (revealed, "AT-secret"));

  /* Who the person is, one rule: before the user info, the ID token says;
   * then the user info, with the ID token's claim where it has none or an
   * empty one; the display name follows name, username, email, sub. */
  {
    g_autoptr(JsonParser) claims = json_parser_new ();
    g_autoptr(JsonParser) info = json_parser_new ();

    g_assert_true (json_parser_load_from_data (claims, "{\"sub\":\"u1\",\"email\":\"id@example.com\",\"name\":\"From ID\","
                                               "\"https://authgear.com/claims/user/can_reauthenticate\":true}", -1, NULL));
    g_assert_true (json_parser_load_from_data (info, "{\"sub\":\"u1\",\"email\":\"\",\"name\":\"\","
                                               "\"preferred_username\":\"alice\",\"custom\":1}", -1, NULL));
    g_assert_null (ag_token_set_get_display_name (set));
    ag_token_set_set_id_claims (set, json_node_get_object (json_parser_get_root (claims)));
    g_assert_cmpstr (ag_token_set_get_display_name (set), ==, "From ID");
    ag_token_set_set_userinfo (set, json_node_get_object (json_parser_get_root (info)));
    g_assert_cmpstr (ag_token_set_get_display_name (set), ==, "From ID");
    g_assert_cmpstr (ag_json_get_string (ag_token_set_get_claims (set), "email"), ==, "id@example.com");
    g_assert_cmpstr (ag_json_get_string (ag_token_set_get_claims (set), "preferred_username"), ==, "alice");
    g_assert_true (json_object_has_member (ag_token_set_get_claims (set), "custom"));
    g_assert_true (json_object_get_boolean_member (ag_token_set_get_claims (set),
                                                   "https://authgear.com/claims/user/can_reauthenticate"));
    ag_token_set_set_id_claims (set, NULL);
    g_assert_cmpstr (ag_token_set_get_display_name (set), ==, "alice");
    ag_token_set_set_userinfo (set, NULL);
  }

  serialized = ag_token_set_serialize (set);
  back = ag_token_set_deserialize (serialized, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ag_token_set_get_refresh_token (back), ==, "RT-secret");
  g_assert_cmpint (ag_token_set_get_expires_at (back), ==, 1100);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) e = NULL;
      g_autoptr(AgTokenSet) t = NULL;
      g_assert_true (json_parser_load_from_data (parser, bad[i], -1, NULL));
      t = ag_token_set_new_from_response (json_node_get_object (json_parser_get_root (parser)), ISS, CID, 0, &e);
      g_assert_null (t);
      g_assert_error (e, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_RESPONSE);
    }
  {
    g_autoptr(GError) e = NULL;
    g_autoptr(AgTokenSet) t = ag_token_set_deserialize ("{\"version\":1}", &e);
    g_assert_null (t);
    g_assert_error (e, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_RESPONSE);
  }
}

static void
test_secrets_are_wiped (void)
{
  guint before = ag_secure_wipe_count ();
  char *secret = g_strdup ("a-refresh-token");
  g_autoptr(AgAuthRequest) r = request_for_test ();

  ag_secure_free (secret);
  g_assert_cmpuint (ag_secure_wipe_count (), >, before);
  before = ag_secure_wipe_count ();
  g_clear_object (&r);
  /* verifier, state, nonce and URL */
  g_assert_cmpuint (ag_secure_wipe_count (), >=, before + 4);

  /* A token set: its three tokens, and the same three inside the kept
   * response that json-glib owns. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    AgTokenSet *tokens;

    g_assert_true (json_parser_load_from_data (parser,
                   "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":60,"
                   "\"refresh_token\":\"rt\",\"id_token\":\"a.b.c\"}", -1, NULL));
    tokens = ag_token_set_new_from_response (json_node_get_object (json_parser_get_root (parser)),
                                             "https://auth.example", "client", 1700000000, NULL);
    g_assert_nonnull (tokens);
    g_clear_object (&parser);
    before = ag_secure_wipe_count ();
    g_object_unref (tokens);
    g_assert_cmpuint (ag_secure_wipe_count (), >=, before + 6);
  }

  /* The client secret in a configuration. */
  {
    AgConfig *config = ag_config_new ("https://auth.example", "client", "s3cret", NULL, NULL, NULL);

    before = ag_secure_wipe_count ();
    g_object_unref (config);
    g_assert_cmpuint (ag_secure_wipe_count (), >, before);
  }

  /* A request body with a refresh token in it. */
  {
    GBytes *form = ag_http_form_encode ("grant_type", "refresh_token", "refresh_token", "rt", NULL);

    before = ag_secure_wipe_count ();
    g_bytes_unref (form);
    g_assert_cmpuint (ag_secure_wipe_count (), >, before);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  keys_init ();

  g_test_add_func ("/pkce/rfc7636-vector", test_pkce_rfc7636_vector);
  g_test_add_func ("/auth-request/url", test_auth_request_url);
  g_test_add_func ("/auth-request/redirect-matching", test_redirect_matching);
  g_test_add_func ("/auth-request/redirect-parsing", test_redirect_parsing);
  g_test_add_func ("/auth-request/redirect-without-iss", test_redirect_without_iss);
  g_test_add_func ("/config/validation", test_config_validation);
  g_test_add_func ("/config/dotenv", test_dotenv);
  g_test_add_func ("/config/dotenv-files", test_dotenv_files);
  g_test_add_func ("/config/sources", test_config_sources);
  g_test_add_func ("/config/check-setting", test_config_check_setting);
  g_test_add_func ("/jwt/valid-algorithms", test_jwt_valid_algorithms);
  g_test_add_func ("/jwt/bad-signatures", test_jwt_bad_signatures);
  g_test_add_func ("/jwt/claims", test_jwt_claims);
  g_test_add_func ("/jwt/malformed", test_jwt_malformed);
  g_test_add_func ("/token-set/parse-redact-serialize", test_token_set);
  g_test_add_func ("/secure/wipe", test_secrets_are_wiped);

  return g_test_run ();
}
