/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ag-auth-request.h"
#include "ag-config.h"
#include "ag-provider.h"
#include "ag-token-set.h"

G_BEGIN_DECLS

/* The largest difference between this computer's clock and Authgear's (in
 * seconds, read from the token answer's Date header) that a sign-in accepts;
 * AppAuth allows as much for iat. Beyond it: %AUTHGEAR_ERROR_CLOCK_SKEW. */
#define AG_OIDC_MAX_CLOCK_OFFSET (10 * 60)

#define AG_TYPE_OIDC_CLIENT (ag_oidc_client_get_type ())

G_DECLARE_FINAL_TYPE (AgOidcClient, ag_oidc_client, AG, OIDC_CLIENT, GObject)

AgOidcClient *ag_oidc_client_new                 (AgConfig     *config,
                                                  AgProvider   *provider);
AgConfig     *ag_oidc_client_get_config          (AgOidcClient *self);
AgProvider   *ag_oidc_client_get_provider        (AgOidcClient *self);

/**
 * ag_oidc_client_exchange_code_async:
 * Exchanges @code (from @request's redirect) for tokens, verifies the ID
 * token (signature, claims, nonce; one JWKS re-fetch on an unknown kid), then
 * reads userinfo and checks its `sub`. Nothing is stored.
 */
void          ag_oidc_client_exchange_code_async (AgOidcClient        *self,
                                                  AgAuthRequest       *request,
                                                  const char          *code,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
AgTokenSet   *ag_oidc_client_exchange_code_finish (AgOidcClient       *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/**
 * ag_oidc_client_refresh_async:
 * Uses @current's refresh token. Single-flight: while one refresh runs,
 * further calls wait for it and share its result. A refreshed ID token must
 * keep `iss` and `sub`. %AUTHGEAR_ERROR_INVALID_GRANT means the session is over.
 */
void          ag_oidc_client_refresh_async       (AgOidcClient        *self,
                                                  AgTokenSet          *current,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
AgTokenSet   *ag_oidc_client_refresh_finish      (AgOidcClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Reads userinfo with @tokens' access token and checks its sub. */
void          ag_oidc_client_fetch_userinfo_async (AgOidcClient       *self,
                                                  AgTokenSet          *tokens,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
JsonObject   *ag_oidc_client_fetch_userinfo_finish (AgOidcClient      *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Revokes @tokens' refresh token (token_type_hint=refresh_token); a
 * provider without a revocation endpoint succeeds at once. */
void          ag_oidc_client_revoke_async        (AgOidcClient        *self,
                                                  AgTokenSet          *tokens,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean      ag_oidc_client_revoke_finish       (AgOidcClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/**
 * ag_oidc_client_app_session_token_async:
 * Asks Authgear for an app session token for @tokens' refresh token (POST
 * {origin}/oauth2/app_session_token): a one-time credential, valid for 5
 * minutes, that opens Authgear's pages (settings) signed in. A refresh
 * token Authgear no longer knows gives %AUTHGEAR_ERROR_INVALID_GRANT. Free the
 * token with ag_secure_free().
 */
void          ag_oidc_client_app_session_token_async (AgOidcClient    *self,
                                                  AgTokenSet          *tokens,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
char         *ag_oidc_client_app_session_token_finish (AgOidcClient   *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* A fresh ID token for @tokens' access token (grant_type
 * urn:authgear:params:oauth:grant-type:id-token): reauthentication's
 * id_token_hint, since Authgear's ID tokens live 5 minutes. Free it with
 * ag_secure_free(). */
void          ag_oidc_client_fresh_id_token_async (AgOidcClient       *self,
                                                  AgTokenSet          *tokens,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
char         *ag_oidc_client_fresh_id_token_finish (AgOidcClient      *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Completes a settings action with its @code (grant_type
 * urn:authgear:params:oauth:grant-type:settings-action, with PKCE): Authgear
 * answers {} once the change is done. */
void          ag_oidc_client_finish_settings_action_async (AgOidcClient *self,
                                                  AgAuthRequest       *request,
                                                  const char          *code,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean      ag_oidc_client_finish_settings_action_finish (AgOidcClient *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/**
 * ag_oidc_client_build_settings_url:
 * The URL that opens Authgear's settings page signed in, with
 * @app_session_token as login_hint (response_type=none, prompt=none,
 * redirect_uri={origin}/settings, @tokens' scopes, x_sso_enabled=false,
 * and @options' ui_locales and colour scheme). It carries a credential:
 * free it with ag_secure_free(). %NULL before discovery.
 */
char         *ag_oidc_client_build_settings_url  (AgOidcClient        *self,
                                                  AgTokenSet          *tokens,
                                                  const char          *app_session_token,
                                                  const AgAuthOptions *options);

/* Ends the provider's session for @tokens: a GET of end_session_endpoint
 * with id_token_hint, the configuration's post_logout_redirect_uri and a
 * fresh state. Its redirect back is the answer and is not followed. A
 * provider without the endpoint succeeds at once. */
void          ag_oidc_client_end_session_async   (AgOidcClient        *self,
                                                  AgTokenSet          *tokens,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean      ag_oidc_client_end_session_finish  (AgOidcClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Number of token requests sent (for single-flight tests). */
guint         ag_oidc_client_get_n_token_requests (AgOidcClient       *self);

G_END_DECLS
