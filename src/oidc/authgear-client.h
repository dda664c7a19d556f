/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(__AUTHGEAR_GLIB_INSIDE__) && !defined(AUTHGEAR_GLIB_COMPILATION)
#error "Only <authgear-glib.h> can be included directly."
#endif

#include <gio/gio.h>

#include "authgear-authenticate-options.h"
#include "authgear-token-storage.h"
#include "authgear-user-agent.h"
#include "authgear-user-info.h"
#include "authgear-version.h"

G_BEGIN_DECLS

/**
 * AuthgearSessionState:
 * @AUTHGEAR_SESSION_STATE_UNKNOWN: authgear_client_configure_async() has
 *   not finished yet
 * @AUTHGEAR_SESSION_STATE_NO_SESSION: nobody is signed in
 * @AUTHGEAR_SESSION_STATE_AUTHENTICATED: a person is signed in
 *
 * Whether a person is signed in, as Authgear's SDKs say it.
 */
typedef enum
{
  AUTHGEAR_SESSION_STATE_UNKNOWN,
  AUTHGEAR_SESSION_STATE_NO_SESSION,
  AUTHGEAR_SESSION_STATE_AUTHENTICATED,
} AuthgearSessionState;

/**
 * AuthgearSessionStateChangeReason:
 * @AUTHGEAR_SESSION_STATE_CHANGE_REASON_NO_TOKEN: no session was stored
 * @AUTHGEAR_SESSION_STATE_CHANGE_REASON_FOUND_TOKEN: a stored session was
 *   found
 * @AUTHGEAR_SESSION_STATE_CHANGE_REASON_AUTHENTICATED: the person signed in
 * @AUTHGEAR_SESSION_STATE_CHANGE_REASON_LOGOUT: the person logged out
 * @AUTHGEAR_SESSION_STATE_CHANGE_REASON_INVALID: Authgear ended the session
 *   (the refresh token is no longer valid, or the account was deleted)
 * @AUTHGEAR_SESSION_STATE_CHANGE_REASON_CLEAR: the program forgot the
 *   session (authgear_client_clear_session_state_async())
 *
 * Why #AuthgearClient:session-state changed.
 */
typedef enum
{
  AUTHGEAR_SESSION_STATE_CHANGE_REASON_NO_TOKEN,
  AUTHGEAR_SESSION_STATE_CHANGE_REASON_FOUND_TOKEN,
  AUTHGEAR_SESSION_STATE_CHANGE_REASON_AUTHENTICATED,
  AUTHGEAR_SESSION_STATE_CHANGE_REASON_LOGOUT,
  AUTHGEAR_SESSION_STATE_CHANGE_REASON_INVALID,
  AUTHGEAR_SESSION_STATE_CHANGE_REASON_CLEAR,
} AuthgearSessionStateChangeReason;

/**
 * AuthgearSettingsAction:
 * @AUTHGEAR_SETTINGS_ACTION_CHANGE_EMAIL: change the email address
 * @AUTHGEAR_SETTINGS_ACTION_DELETE_ACCOUNT: delete the account
 *
 * One of Authgear's settings pages that comes back to the program when it
 * is done.
 */
typedef enum
{
  AUTHGEAR_SETTINGS_ACTION_CHANGE_EMAIL,
  AUTHGEAR_SETTINGS_ACTION_DELETE_ACCOUNT,
} AuthgearSettingsAction;

#define AUTHGEAR_TYPE_CLIENT (authgear_client_get_type ())

AUTHGEAR_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (AuthgearClient, authgear_client, AUTHGEAR, CLIENT, GObject)

AUTHGEAR_AVAILABLE_IN_ALL
AuthgearClient       *authgear_client_new                       (const char           *endpoint,
                                                                 const char           *client_id);
AUTHGEAR_AVAILABLE_IN_ALL
const char           *authgear_client_get_endpoint              (AuthgearClient       *self);
AUTHGEAR_AVAILABLE_IN_ALL
const char           *authgear_client_get_client_id             (AuthgearClient       *self);
AUTHGEAR_AVAILABLE_IN_ALL
const char           *authgear_client_get_redirect_uri          (AuthgearClient       *self);
AUTHGEAR_AVAILABLE_IN_ALL
const char           *authgear_client_get_scope                 (AuthgearClient       *self);
AUTHGEAR_AVAILABLE_IN_ALL
AuthgearSessionState  authgear_client_get_session_state         (AuthgearClient       *self);
AUTHGEAR_AVAILABLE_IN_ALL
AuthgearUserAgent    *authgear_client_get_user_agent            (AuthgearClient       *self);
AUTHGEAR_AVAILABLE_IN_ALL
void                  authgear_client_set_user_agent            (AuthgearClient       *self,
                                                                 AuthgearUserAgent    *user_agent);
AUTHGEAR_AVAILABLE_IN_ALL
AuthgearTokenStorage *authgear_client_get_token_storage         (AuthgearClient       *self);

AUTHGEAR_AVAILABLE_IN_ALL
void                  authgear_client_configure_async           (AuthgearClient       *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
AUTHGEAR_AVAILABLE_IN_ALL
gboolean              authgear_client_configure_finish          (AuthgearClient       *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
AUTHGEAR_AVAILABLE_IN_ALL
void                  authgear_client_authenticate_async        (AuthgearClient              *self,
                                                                 AuthgearAuthenticateOptions *options,
                                                                 GCancellable                *cancellable,
                                                                 GAsyncReadyCallback          callback,
                                                                 gpointer                     user_data);
AUTHGEAR_AVAILABLE_IN_ALL
AuthgearUserInfo     *authgear_client_authenticate_finish       (AuthgearClient       *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
AUTHGEAR_AVAILABLE_IN_ALL
void                  authgear_client_reauthenticate_async      (AuthgearClient              *self,
                                                                 AuthgearAuthenticateOptions *options,
                                                                 GCancellable                *cancellable,
                                                                 GAsyncReadyCallback          callback,
                                                                 gpointer                     user_data);
AUTHGEAR_AVAILABLE_IN_ALL
AuthgearUserInfo     *authgear_client_reauthenticate_finish     (AuthgearClient       *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
AUTHGEAR_AVAILABLE_IN_ALL
void                  authgear_client_refresh_access_token_if_needed_async  (AuthgearClient      *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
AUTHGEAR_AVAILABLE_IN_ALL
gboolean              authgear_client_refresh_access_token_if_needed_finish (AuthgearClient      *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
AUTHGEAR_AVAILABLE_IN_ALL
const char           *authgear_client_get_access_token          (AuthgearClient       *self);
AUTHGEAR_AVAILABLE_IN_ALL
const GError         *authgear_client_get_last_error            (AuthgearClient       *self);
AUTHGEAR_AVAILABLE_IN_ALL
gboolean              authgear_client_get_full_access           (AuthgearClient       *self);
AUTHGEAR_AVAILABLE_IN_ALL
GDateTime            *authgear_client_get_auth_time             (AuthgearClient       *self);
AUTHGEAR_AVAILABLE_IN_ALL
gboolean              authgear_client_get_reauthentication_needed (AuthgearClient     *self);
AUTHGEAR_AVAILABLE_IN_ALL
char                 *authgear_client_dup_token_response        (AuthgearClient       *self,
                                                                 gboolean              include_tokens);
AUTHGEAR_AVAILABLE_IN_ALL
AuthgearUserInfo     *authgear_client_get_user_info             (AuthgearClient       *self);
AUTHGEAR_AVAILABLE_IN_ALL
void                  authgear_client_fetch_user_info_async     (AuthgearClient       *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
AUTHGEAR_AVAILABLE_IN_ALL
AuthgearUserInfo     *authgear_client_fetch_user_info_finish    (AuthgearClient       *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
AUTHGEAR_AVAILABLE_IN_ALL
void                  authgear_client_logout_async              (AuthgearClient       *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
AUTHGEAR_AVAILABLE_IN_ALL
gboolean              authgear_client_logout_finish             (AuthgearClient       *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
AUTHGEAR_AVAILABLE_IN_ALL
void                  authgear_client_clear_session_state_async (AuthgearClient       *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
AUTHGEAR_AVAILABLE_IN_ALL
gboolean              authgear_client_clear_session_state_finish (AuthgearClient      *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
AUTHGEAR_AVAILABLE_IN_ALL
void                  authgear_client_open_settings_async       (AuthgearClient              *self,
                                                                 AuthgearAuthenticateOptions *options,
                                                                 GCancellable                *cancellable,
                                                                 GAsyncReadyCallback          callback,
                                                                 gpointer                     user_data);
AUTHGEAR_AVAILABLE_IN_ALL
gboolean              authgear_client_open_settings_finish      (AuthgearClient       *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
AUTHGEAR_AVAILABLE_IN_ALL
void                  authgear_client_settings_action_async     (AuthgearClient              *self,
                                                                 AuthgearSettingsAction       action,
                                                                 AuthgearAuthenticateOptions *options,
                                                                 GCancellable                *cancellable,
                                                                 GAsyncReadyCallback          callback,
                                                                 gpointer                     user_data);
AUTHGEAR_AVAILABLE_IN_ALL
gboolean              authgear_client_settings_action_finish    (AuthgearClient       *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

G_END_DECLS
