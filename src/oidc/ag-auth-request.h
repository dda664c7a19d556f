/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define AG_TYPE_AUTH_REQUEST (ag_auth_request_get_type ())

G_DECLARE_FINAL_TYPE (AgAuthRequest, ag_auth_request, AG, AUTH_REQUEST, GObject)

typedef enum
{
  AG_PAGE_DEFAULT,
  AG_PAGE_SIGNUP,
} AgPage;

typedef struct
{
  AgPage      page;
  const char *prompt;         /* nullable */
  const char *login_hint;     /* nullable */
  const char *ui_locales;     /* nullable, space-separated BCP 47 tags */
  const char *color_scheme;   /* nullable, "light" or "dark" */
  gboolean    sso_enabled;    /* keep Authgear's session cookie in the browser */
  /* Authgear's settings actions (docs/specs/sdk-settings-actions.md): with
   * @settings_action set, the request is one (its own response_type). */
  const char *settings_action;        /* nullable: "change_email", "delete_account" */
  const char *settings_action_query;  /* nullable, e.g. "q_login_id=…" */
  const char *id_token_hint;          /* nullable */
  gboolean    reauthenticate;         /* max_age=0: Authgear asks again */
} AgAuthOptions;

/* Copies @src into @dest with strings of its own; ag_auth_options_clear()
 * frees them. */
void           ag_auth_options_copy           (AgAuthOptions        *dest,
                                               const AgAuthOptions  *src);
void           ag_auth_options_clear          (AgAuthOptions        *options);
/* The login_hint that opens Authgear's pages signed in with an app session
 * token (https://authgear.com/login_hint?type=app_session_token&…). It
 * carries the token: free it with ag_secure_free(). */
char          *ag_app_session_token_login_hint (const char        *app_session_token);
/* The desktop's languages as ui_locales (BCP 47 tags: de_DE.UTF-8 gives
 * de-DE), or %NULL. */
char          *ag_desktop_ui_locales          (void);

/**
 * ag_auth_request_new:
 * A fresh authorization request: PKCE S256 verifier (43 characters from 32
 * random bytes), state and nonce (256 bits each), all from the OS random
 * source. @authorization_endpoint and @issuer come from discovery;
 * @require_iss is the provider's authorization_response_iss_parameter_supported.
 */
AgAuthRequest *ag_auth_request_new            (const char           *authorization_endpoint,
                                               const char           *issuer,
                                               gboolean              require_iss,
                                               const char           *client_id,
                                               const char           *redirect_uri,
                                               const char           *scopes,
                                               const AgAuthOptions  *options);

/* The URL to open in the web view. */
const char    *ag_auth_request_get_url        (AgAuthRequest *self);
const char    *ag_auth_request_get_verifier   (AgAuthRequest *self);
const char    *ag_auth_request_get_nonce      (AgAuthRequest *self);
const char    *ag_auth_request_get_state      (AgAuthRequest *self);
/* The scopes asked for (space-separated). */
const char    *ag_auth_request_get_scopes     (AgAuthRequest        *self);
const char    *ag_auth_request_get_redirect_uri (AgAuthRequest *self);

/**
 * ag_redirect_uri_matches:
 * Whether @uri is the redirect URI @configured: scheme, host, port and path
 * equal exactly (no prefix match, no decoding); query may differ.
 */
gboolean       ag_redirect_uri_matches        (const char *configured,
                                               const char *uri);

/* The value of @name in @uri's query, or %NULL when it is not there, is
 * there more than once (RFC 6749 §3.1) or the query cannot be read. */
char          *ag_uri_query_value             (const char *uri,
                                               const char *name);
/* Whether @uri is @redirect_uri carrying @state, once: the answer to the
 * request with that state, whatever else it says. */
gboolean       ag_redirect_is_answer          (const char *redirect_uri,
                                               const char *state,
                                               const char *uri);
/* ag_redirect_is_answer() with this request's redirect URI and state. */
gboolean       ag_auth_request_is_answer      (AgAuthRequest *self,
                                               const char    *uri);

/**
 * ag_auth_request_parse_redirect:
 * Checks a redirect that ag_redirect_uri_matches() accepted and returns the
 * authorization code. Errors: duplicated parameters, missing or wrong
 * state (%AUTHGEAR_ERROR_STATE_MISMATCH), wrong or missing iss
 * (%AUTHGEAR_ERROR_ISSUER_MISMATCH), error=access_denied (%AUTHGEAR_ERROR_ACCESS_DENIED),
 * other error= (%AUTHGEAR_ERROR_PROVIDER), no code (%AUTHGEAR_ERROR_INVALID_RESPONSE).
 */
char          *ag_auth_request_parse_redirect (AgAuthRequest *self,
                                               const char    *uri,
                                               GError       **error);

/* PKCE S256 challenge for @verifier (RFC 7636 §4.2). */
char          *ag_pkce_challenge              (const char *verifier);

G_END_DECLS
