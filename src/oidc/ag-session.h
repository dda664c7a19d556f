/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "ag-auth-request.h"
#include "ag-config.h"
#include "ag-token-set.h"
#include "ag-token-store.h"

G_BEGIN_DECLS

typedef enum
{
  AG_SESSION_STATE_UNKNOWN,
  AG_SESSION_STATE_NO_SESSION,
  AG_SESSION_STATE_SIGNED_IN,
} AgSessionState;

typedef enum
{
  AG_SESSION_REASON_NONE,
  AG_SESSION_REASON_FOUND_TOKEN,
  AG_SESSION_REASON_NO_TOKEN,
  AG_SESSION_REASON_SIGNED_IN,
  AG_SESSION_REASON_REFRESHED,
  AG_SESSION_REASON_LOGGED_OUT,
  AG_SESSION_REASON_INVALID,
  AG_SESSION_REASON_ACCOUNT_DELETED,
  AG_SESSION_REASON_CLEARED,
} AgSessionReason;

#define AG_TYPE_SESSION (ag_session_get_type ())

G_DECLARE_FINAL_TYPE (AgSession, ag_session, AG, SESSION, GObject)

/**
 * ag_session_new:
 * The signed-in state of one project. @store may be %NULL (no keyring);
 * @cache_dir keeps discovery and the JWKS (public data).
 */
AgSession      *ag_session_new                   (AgConfig      *config,
                                                  AgTokenStore  *store,
                                                  SoupSession   *http,
                                                  const char    *cache_dir);

AgSessionState  ag_session_get_state             (AgSession     *self);
AgSessionReason ag_session_get_reason            (AgSession     *self);
/* The current tokens when signed in, else %NULL. */
AgTokenSet     *ag_session_get_tokens            (AgSession     *self);
/* Whether the session is kept in the keyring (FALSE: this run only). */
gboolean        ag_session_get_persistent        (AgSession     *self);
/* The last error of a background operation (refresh, keyring), or %NULL. */
const GError   *ag_session_get_last_error        (AgSession     *self);
AgConfig       *ag_session_get_config            (AgSession     *self);
/* Whether the session has Authgear's full-access scope, which its account
 * pages need (settings, Change Email, Delete Account). */
gboolean        ag_session_get_full_access       (AgSession     *self);
/* Whether Authgear refused full access to this client (invalid_scope): the
 * sign-in then asks for the guide's scopes only. */
gboolean        ag_session_get_full_access_refused (AgSession   *self);

/* Loads a stored session. Signed in at once without network when the access
 * token is fresh; otherwise signed in from cache and refreshed in the
 * background. */
void            ag_session_restore_async         (AgSession           *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        ag_session_restore_finish        (AgSession           *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Whether @uri is the configured redirect URI (exact scheme, host, port,
 * path). */
gboolean        ag_session_is_redirect           (AgSession           *self,
                                                  const char          *uri);

void            ag_session_refresh_async         (AgSession           *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        ag_session_refresh_finish        (AgSession           *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Reads the profile (userinfo) again with the current access token. When
 * Authgear answers 401 the tokens are refreshed once and the request
 * repeated. The new profile is kept in the session and the keyring. */
void            ag_session_reload_profile_async  (AgSession           *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        ag_session_reload_profile_finish (AgSession           *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
/* An app session token for this session (free it with ag_secure_free()):
 * a one-time credential, valid 5 minutes, that opens Authgear's pages
 * (settings) signed in. When Authgear no longer knows the session
 * (%AUTHGEAR_ERROR_INVALID_GRANT) the session ends here too
 * (ag_session_request_failed()). */
void            ag_session_app_session_token_async  (AgSession        *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
char           *ag_session_app_session_token_finish (AgSession        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* The URL of Authgear's settings page for this session, opened signed in
 * with a fresh app session token (free it with ag_secure_free(): it holds
 * the token). Needs full access (%AUTHGEAR_ERROR_INVALID_SCOPE without it);
 * %AUTHGEAR_ERROR_INVALID_GRANT ends the session as above. @options gives the
 * page's languages and colour scheme. */
void            ag_session_open_settings_async   (AgSession           *self,
                                                  const AgAuthOptions *options,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
char           *ag_session_open_settings_finish  (AgSession           *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Whether Authgear can ask this person again (the ID token's
 * https://authgear.com/claims/user/can_reauthenticate, with full access). */
gboolean        ag_session_get_can_reauthenticate  (AgSession         *self);
/* Whether something sensitive should ask Authgear to confirm it is still
 * this person first: Authgear can ask, and the last proof is older than
 * 5 minutes. */
gboolean        ag_session_get_reauthentication_needed (AgSession     *self);

/* Ends the session locally at once, then revokes the refresh token, ends the
 * provider's session and clears the keyring. An error says what could not
 * be done at the provider; the local session is gone regardless. */
void            ag_session_logout_async          (AgSession           *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        ag_session_logout_finish         (AgSession           *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Forgets the session here and in the store, without telling Authgear
 * (Authgear's SDKs' clearSessionState). */
void            ag_session_forget_async          (AgSession           *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        ag_session_forget_finish         (AgSession           *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS
