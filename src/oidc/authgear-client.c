/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AuthgearClient: the library's face, shaped like the container of
 * Authgear's SDKs (configure, authenticate, refresh, user info, logout,
 * reauthenticate, settings). Underneath it is the core's AgSession. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ag-error.h"
#include "ag-flow.h"
#include "ag-http.h"
#include "ag-secure.h"
#include "authgear-private.h"
#include "authgear-user-info-private.h"

/**
 * AuthgearClient:
 *
 * One Authgear client application, as Authgear's SDKs' container: it signs
 * a person in through a #AuthgearUserAgent, keeps the session in a
 * #AuthgearTokenStorage, refreshes the access token with the refresh token,
 * reads the user info, and logs out.
 *
 * Every ID token is verified (signature against the project's keys, issuer,
 * audience, expiry and nonce), every sign-in uses PKCE and `state`, and no
 * token is ever logged.
 *
 * ```c
 * AuthgearClient *client = authgear_client_new ("https://myapp.authgear.cloud",
 *                                               "a1b2c3");
 * authgear_client_configure_async (client, NULL, configured_cb, NULL);
 * ```
 */
struct _AuthgearClient
{
  GObject parent_instance;

  char *endpoint;
  char *client_id;
  char *client_secret;
  char *redirect_uri;
  char *scope;
  AuthgearTokenStorage *token_storage;
  AuthgearUserAgent *user_agent;

  AgSession *session;
  AuthgearSessionState state;
  AuthgearUserInfo *user_info;   /* built from the tokens at the first get */
  guint flow_serial;             /* bumps when a flow makes its request */
};

enum
{
  PROP_0,
  PROP_ENDPOINT,
  PROP_CLIENT_ID,
  PROP_CLIENT_SECRET,
  PROP_REDIRECT_URI,
  PROP_SCOPE,
  PROP_TOKEN_STORAGE,
  PROP_USER_AGENT,
  PROP_SESSION_STATE,
  PROP_USER_INFO,
  PROP_LAST_ERROR,
  N_PROPS
};

enum
{
  SESSION_STATE_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AuthgearClient, authgear_client, G_TYPE_OBJECT)

/* The session's state, as the SDKs say it. A sign-in under way changes
 * nothing: the person is still who they were. */
static void
session_state_cb (AgSession      *session,
                  GParamSpec     *pspec,
                  AuthgearClient *self)
{
  AuthgearSessionState state = self->state;
  AuthgearSessionStateChangeReason reason;
  gboolean tell = FALSE;

  switch (ag_session_get_state (session))
    {
    case AG_SESSION_STATE_UNKNOWN:
      state = AUTHGEAR_SESSION_STATE_UNKNOWN;
      break;
    case AG_SESSION_STATE_NO_SESSION:
      state = AUTHGEAR_SESSION_STATE_NO_SESSION;
      break;
    case AG_SESSION_STATE_SIGNED_IN:
    default:
      state = AUTHGEAR_SESSION_STATE_AUTHENTICATED;
      break;
    }
  switch (ag_session_get_reason (session))
    {
    case AG_SESSION_REASON_FOUND_TOKEN:
      reason = AUTHGEAR_SESSION_STATE_CHANGE_REASON_FOUND_TOKEN;
      break;
    case AG_SESSION_REASON_NO_TOKEN:
      reason = AUTHGEAR_SESSION_STATE_CHANGE_REASON_NO_TOKEN;
      break;
    case AG_SESSION_REASON_SIGNED_IN:
      reason = AUTHGEAR_SESSION_STATE_CHANGE_REASON_AUTHENTICATED;
      tell = TRUE;   /* also a new sign-in over an old one */
      break;
    case AG_SESSION_REASON_LOGGED_OUT:
      reason = AUTHGEAR_SESSION_STATE_CHANGE_REASON_LOGOUT;
      break;
    case AG_SESSION_REASON_INVALID:
    case AG_SESSION_REASON_ACCOUNT_DELETED:
      reason = AUTHGEAR_SESSION_STATE_CHANGE_REASON_INVALID;
      break;
    case AG_SESSION_REASON_CLEARED:
      reason = AUTHGEAR_SESSION_STATE_CHANGE_REASON_CLEAR;
      break;
    default:
      reason = state == AUTHGEAR_SESSION_STATE_AUTHENTICATED ? AUTHGEAR_SESSION_STATE_CHANGE_REASON_AUTHENTICATED
                                                             : AUTHGEAR_SESSION_STATE_CHANGE_REASON_NO_TOKEN;
      break;
    }
  if (state == self->state && !tell)
    return;
  if (state == AUTHGEAR_SESSION_STATE_UNKNOWN)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION_STATE]);
  g_signal_emit (self, signals[SESSION_STATE_CHANGED], 0, reason);
}

static void
session_tokens_cb (AuthgearClient *self)
{
  g_clear_object (&self->user_info);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_INFO]);
}

static void
session_last_error_cb (AuthgearClient *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
take_session (AuthgearClient *self,
              AgSession      *session)
{
  self->session = session;
  g_signal_connect_object (session, "notify::state", G_CALLBACK (session_state_cb), self, 0);
  g_signal_connect_object (session, "notify::tokens", G_CALLBACK (session_tokens_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::last-error", G_CALLBACK (session_last_error_cb), self, G_CONNECT_SWAPPED);
}

/* The core's session, made at the first call that needs it. */
static AgSession *
ensure_session (AuthgearClient  *self,
                GError         **error)
{
  g_autoptr(AgConfig) config = NULL;
  g_autoptr(AgTokenStore) store = NULL;
  g_autoptr(SoupSession) http = NULL;
  g_autofree char *cache_dir = NULL;

  if (self->session != NULL)
    return self->session;
  if (self->endpoint == NULL || self->client_id == NULL)
    {
      g_set_error_literal (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION,
                           _("The Authgear endpoint and client ID are required"));
      return NULL;
    }
  config = ag_config_new (self->endpoint, self->client_id, self->client_secret,
                          self->redirect_uri, self->scope, error);
  if (config == NULL)
    return NULL;
  if (self->token_storage == NULL)
    self->token_storage = authgear_keyring_token_storage_new (NULL);
  store = ag_token_store_new (self->token_storage);
  http = ag_http_session_new ();
  cache_dir = g_build_filename (g_get_user_cache_dir (), "authgear-glib", NULL);
  take_session (self, ag_session_new (config, store, http, cache_dir));
  return self->session;
}

static void
authgear_client_dispose (GObject *object)
{
  AuthgearClient *self = AUTHGEAR_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_object (&self->user_info);
  g_clear_object (&self->token_storage);
  g_clear_object (&self->user_agent);
  G_OBJECT_CLASS (authgear_client_parent_class)->dispose (object);
}

static void
authgear_client_finalize (GObject *object)
{
  AuthgearClient *self = AUTHGEAR_CLIENT (object);

  g_free (self->endpoint);
  g_free (self->client_id);
  ag_secure_free (self->client_secret);
  g_free (self->redirect_uri);
  g_free (self->scope);
  G_OBJECT_CLASS (authgear_client_parent_class)->finalize (object);
}

static void
authgear_client_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AuthgearClient *self = AUTHGEAR_CLIENT (object);

  switch (prop_id)
    {
    case PROP_ENDPOINT:
      g_value_set_string (value, authgear_client_get_endpoint (self));
      break;
    case PROP_CLIENT_ID:
      g_value_set_string (value, authgear_client_get_client_id (self));
      break;
    case PROP_REDIRECT_URI:
      g_value_set_string (value, authgear_client_get_redirect_uri (self));
      break;
    case PROP_SCOPE:
      g_value_set_string (value, authgear_client_get_scope (self));
      break;
    case PROP_TOKEN_STORAGE:
      g_value_set_object (value, authgear_client_get_token_storage (self));
      break;
    case PROP_USER_AGENT:
      g_value_set_object (value, authgear_client_get_user_agent (self));
      break;
    case PROP_USER_INFO:
      g_value_set_object (value, authgear_client_get_user_info (self));
      break;
    case PROP_LAST_ERROR:
      g_value_set_boxed (value, authgear_client_get_last_error (self));
      break;
    case PROP_SESSION_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
authgear_client_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  AuthgearClient *self = AUTHGEAR_CLIENT (object);

  switch (prop_id)
    {
    case PROP_ENDPOINT:
      self->endpoint = g_value_dup_string (value);
      break;
    case PROP_CLIENT_ID:
      self->client_id = g_value_dup_string (value);
      break;
    case PROP_CLIENT_SECRET:
      self->client_secret = g_value_dup_string (value);
      break;
    case PROP_REDIRECT_URI:
      self->redirect_uri = g_value_dup_string (value);
      break;
    case PROP_SCOPE:
      self->scope = g_value_dup_string (value);
      break;
    case PROP_TOKEN_STORAGE:
      self->token_storage = g_value_dup_object (value);
      break;
    case PROP_USER_AGENT:
      authgear_client_set_user_agent (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
authgear_client_class_init (AuthgearClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = authgear_client_dispose;
  object_class->finalize = authgear_client_finalize;
  object_class->get_property = authgear_client_get_property;
  object_class->set_property = authgear_client_set_property;

  /* The library's messages, whoever the program is; a program that bound
   * the domain itself (Authgear Login from its build tree) keeps its own
   * folder. bindtextdomain (d, NULL) of a domain no one bound is gettext's
   * default folder. */
  if (g_strcmp0 (bindtextdomain (GETTEXT_PACKAGE, NULL), bindtextdomain (GETTEXT_PACKAGE "-unbound", NULL)) == 0)
    bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  /**
   * AuthgearClient:endpoint:
   *
   * The Authgear project's endpoint (its issuer), such as
   * `https://myapp.authgear.cloud`.
   */
  properties[PROP_ENDPOINT] = g_param_spec_string ("endpoint", NULL, NULL, NULL, construct);
  /**
   * AuthgearClient:client-id:
   *
   * The client ID of the application in the Authgear portal.
   */
  properties[PROP_CLIENT_ID] = g_param_spec_string ("client-id", NULL, NULL, NULL, construct);
  /**
   * AuthgearClient:client-secret:
   *
   * The client secret of a confidential client, or %NULL for a public one.
   * It can be written, never read back.
   */
  properties[PROP_CLIENT_SECRET] =
    g_param_spec_string ("client-secret", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * AuthgearClient:redirect-uri:
   *
   * The redirect URI registered for the client. The Flask guide's
   * `http://localhost:3000/callback` unless set.
   */
  properties[PROP_REDIRECT_URI] = g_param_spec_string ("redirect-uri", NULL, NULL, NULL, construct);
  /**
   * AuthgearClient:scope:
   *
   * The scopes asked for, separated by spaces. Unless set:
   * `openid offline_access https://authgear.com/scopes/full-access`, as
   * Authgear's SDKs ask; without full access when Authgear refuses it.
   */
  properties[PROP_SCOPE] = g_param_spec_string ("scope", NULL, NULL, NULL, construct);
  /**
   * AuthgearClient:token-storage:
   *
   * Where the session is kept. The keyring unless set.
   */
  properties[PROP_TOKEN_STORAGE] =
    g_param_spec_object ("token-storage", NULL, NULL, AUTHGEAR_TYPE_TOKEN_STORAGE, construct);
  /**
   * AuthgearClient:user-agent:
   *
   * What shows Authgear's pages. The system browser unless set. A call
   * keeps the user agent that was set when it started.
   */
  properties[PROP_USER_AGENT] =
    g_param_spec_object ("user-agent", NULL, NULL, AUTHGEAR_TYPE_USER_AGENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AuthgearClient:session-state:
   *
   * Whether a person is signed in.
   */
  properties[PROP_SESSION_STATE] =
    g_param_spec_enum ("session-state", NULL, NULL, AUTHGEAR_TYPE_SESSION_STATE,
                       AUTHGEAR_SESSION_STATE_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AuthgearClient:user-info:
   *
   * The user info last read (authgear_client_get_user_info()), notified
   * when the session's tokens or profile change: a sign-in, a refresh, a
   * profile read again.
   */
  properties[PROP_USER_INFO] =
    g_param_spec_object ("user-info", NULL, NULL, AUTHGEAR_TYPE_USER_INFO,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AuthgearClient:last-error:
   *
   * Why the client's own work last failed (authgear_client_get_last_error()).
   */
  properties[PROP_LAST_ERROR] =
    g_param_spec_boxed ("last-error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AuthgearClient::session-state-changed:
   * @self: the client
   * @reason: why it changed
   *
   * Emitted when #AuthgearClient:session-state changes, and when a person
   * signs in again over a session.
   */
  signals[SESSION_STATE_CHANGED] =
    g_signal_new ("session-state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, AUTHGEAR_TYPE_SESSION_STATE_CHANGE_REASON);
}

static void
authgear_client_init (AuthgearClient *self)
{
}

/**
 * authgear_client_new:
 * @endpoint: the Authgear project's endpoint, such as
 *   `https://myapp.authgear.cloud`
 * @client_id: the client ID
 *
 * A client with the defaults of the Flask guide: the redirect URI
 * `http://localhost:3000/callback`, the keyring, the system browser. Use
 * g_object_new() to set the other properties.
 *
 * Returns: (transfer full): a new #AuthgearClient
 */
AuthgearClient *
authgear_client_new (const char *endpoint,
                     const char *client_id)
{
  g_return_val_if_fail (endpoint != NULL, NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  return g_object_new (AUTHGEAR_TYPE_CLIENT, "endpoint", endpoint, "client-id", client_id, NULL);
}

/**
 * authgear_client_get_endpoint:
 * @self: a #AuthgearClient
 *
 * Returns: (nullable): the Authgear endpoint
 */
const char *
authgear_client_get_endpoint (AuthgearClient *self)
{
  g_return_val_if_fail (AUTHGEAR_IS_CLIENT (self), NULL);
  return self->endpoint;
}

/**
 * authgear_client_get_client_id:
 * @self: a #AuthgearClient
 *
 * Returns: (nullable): the client ID
 */
const char *
authgear_client_get_client_id (AuthgearClient *self)
{
  g_return_val_if_fail (AUTHGEAR_IS_CLIENT (self), NULL);
  return self->client_id;
}

/**
 * authgear_client_get_redirect_uri:
 * @self: a #AuthgearClient
 *
 * Returns: the redirect URI
 */
const char *
authgear_client_get_redirect_uri (AuthgearClient *self)
{
  g_return_val_if_fail (AUTHGEAR_IS_CLIENT (self), NULL);
  return self->redirect_uri ? self->redirect_uri : AG_DEFAULT_REDIRECT_URI;
}

/**
 * authgear_client_get_scope:
 * @self: a #AuthgearClient
 *
 * Returns: the scopes asked for, separated by spaces
 */
const char *
authgear_client_get_scope (AuthgearClient *self)
{
  g_return_val_if_fail (AUTHGEAR_IS_CLIENT (self), NULL);
  return self->scope ? self->scope : AG_DEFAULT_SCOPES;
}

/**
 * authgear_client_get_session_state:
 * @self: a #AuthgearClient
 *
 * Returns: whether a person is signed in
 */
AuthgearSessionState
authgear_client_get_session_state (AuthgearClient *self)
{
  g_return_val_if_fail (AUTHGEAR_IS_CLIENT (self), AUTHGEAR_SESSION_STATE_UNKNOWN);
  return self->state;
}

/**
 * authgear_client_get_user_agent:
 * @self: a #AuthgearClient
 *
 * Returns: (transfer none): what shows Authgear's pages
 */
AuthgearUserAgent *
authgear_client_get_user_agent (AuthgearClient *self)
{
  g_return_val_if_fail (AUTHGEAR_IS_CLIENT (self), NULL);
  if (self->user_agent == NULL)
    self->user_agent = authgear_browser_user_agent_new ();
  return self->user_agent;
}

/**
 * authgear_client_set_user_agent:
 * @self: a #AuthgearClient
 * @user_agent: (nullable): what shows Authgear's pages from now on, or
 *   %NULL for the system browser
 *
 * Changes the user agent of the calls started from now on, for example to
 * show one sign-in in a web view of the program's own window. Calls under
 * way keep theirs.
 */
void
authgear_client_set_user_agent (AuthgearClient    *self,
                                AuthgearUserAgent *user_agent)
{
  g_return_if_fail (AUTHGEAR_IS_CLIENT (self));
  g_return_if_fail (user_agent == NULL || AUTHGEAR_IS_USER_AGENT (user_agent));

  if (user_agent == self->user_agent)
    return;
  g_set_object (&self->user_agent, user_agent);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_AGENT]);
}

/**
 * authgear_client_get_token_storage:
 * @self: a #AuthgearClient
 *
 * Returns: (transfer none): where the session is kept
 */
AuthgearTokenStorage *
authgear_client_get_token_storage (AuthgearClient *self)
{
  g_return_val_if_fail (AUTHGEAR_IS_CLIENT (self), NULL);
  if (self->token_storage == NULL)
    self->token_storage = authgear_keyring_token_storage_new (NULL);
  return self->token_storage;
}

static AuthgearUserInfo *
user_info_of (AgSession *session)
{
  AgTokenSet *tokens = ag_session_get_tokens (session);
  g_autoptr(JsonObject) claims = tokens ? ag_token_set_dup_claims (tokens) : NULL;

  return claims ? _authgear_user_info_new (claims) : NULL;
}

/* A task of @self tagged @source_tag, and in *session the core's session
 * it runs on; NULL there when there can be none (the task has failed). */
static GTask *
client_task_new (AuthgearClient       *self,
                 GCancellable         *cancellable,
                 GAsyncReadyCallback   callback,
                 gpointer              user_data,
                 gpointer              source_tag,
                 AgSession           **session)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, source_tag);
  *session = ensure_session (self, &error);
  if (*session == NULL)
    g_task_return_error (task, error);
  return task;
}

static gboolean
propagate_boolean (AuthgearClient  *self,
                   GAsyncResult    *result,
                   GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static AuthgearUserInfo *
propagate_user_info (AuthgearClient  *self,
                     GAsyncResult    *result,
                     GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Configure. */

static void
restored_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  ag_session_restore_finish (AG_SESSION (object), result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * authgear_client_configure_async:
 * @self: a #AuthgearClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the state is known
 * @user_data: data for @callback
 *
 * Reads the stored session, without the network, and sets
 * #AuthgearClient:session-state to %AUTHGEAR_SESSION_STATE_AUTHENTICATED or
 * %AUTHGEAR_SESSION_STATE_NO_SESSION. Call it first.
 */
void
authgear_client_configure_async (AuthgearClient      *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AgSession *session;

  g_return_if_fail (AUTHGEAR_IS_CLIENT (self));

  task = client_task_new (self, cancellable, callback, user_data, authgear_client_configure_async, &session);
  if (session == NULL)
    return;
  if (ag_session_get_state (session) != AG_SESSION_STATE_UNKNOWN)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  ag_session_restore_async (session, cancellable, restored_cb, g_steal_pointer (&task));
}

/**
 * authgear_client_configure_finish:
 * @self: a #AuthgearClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the stored session could be read (there may be
 *   none); %FALSE when the token storage failed
 */
gboolean
authgear_client_configure_finish (AuthgearClient  *self,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  return propagate_boolean (self, result, error);
}

/* Authenticate, reauthenticate, settings, settings actions: the core's
 * AgFlow makes the request and completes it (ag-flow.c); here the user
 * agent shows it. The settings page has no request: the session gives its
 * URL. */

typedef enum
{
  FLOW_AUTHENTICATE,
  FLOW_REAUTHENTICATE,
  FLOW_SETTINGS,
  FLOW_SETTINGS_ACTION,
} FlowKind;

typedef struct
{
  FlowKind kind;
  AuthgearSettingsAction action;
  AuthgearAuthenticateOptions *options;
  char *ui_locales;
  AgAuthOptions ag;
  AuthgearUserAgent *user_agent;   /* the client's when the call started */
  AgFlow *flow;                    /* the core's flow, with its request */
  gboolean scope_retried;          /* started again without full access */
  guint serial;                    /* the client's flow count at its request */
} Flow;

static void
flow_free (Flow *flow)
{
  authgear_authenticate_options_free (flow->options);
  g_free (flow->ui_locales);
  g_clear_object (&flow->user_agent);
  g_clear_object (&flow->flow);
  g_free (flow);
}

static void flow_begin (GTask *task);

static void
flow_completed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AuthgearClient *self = g_task_get_source_object (task);
  Flow *flow = g_task_get_task_data (task);
  GError *error = NULL;

  if (!ag_flow_complete_finish (AG_FLOW (object), result, &error) &&
      g_error_matches (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_SCOPE) && !flow->scope_retried &&
      ag_session_get_full_access_refused (self->session))
    {
      /* Authgear does not give this client full access: once, the same
       * user agent shows a new request with the guide's scopes (the
       * session asks for those now), without account management. */
      flow->scope_retried = TRUE;
      g_clear_error (&error);
      flow_begin (g_steal_pointer (&task));
    }
  else if (error != NULL)
    g_task_return_error (task, error);
  else if (flow->kind == FLOW_SETTINGS_ACTION)
    g_task_return_boolean (task, TRUE);
  else if (authgear_client_get_user_info (self) == NULL)
    g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_UNAUTHORIZED, _("Nobody is signed in"));
  else
    g_task_return_pointer (task, g_object_ref (authgear_client_get_user_info (self)), g_object_unref);
}

static void
flow_opened_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AuthgearClient *self = g_task_get_source_object (task);
  Flow *flow = g_task_get_task_data (task);
  GError *error = NULL;
  char *uri = authgear_user_agent_open_finish (AUTHGEAR_USER_AGENT (object), result, &error);
  GCancellable *cancellable;

  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (flow->kind == FLOW_SETTINGS)
    {
      ag_secure_free (uri);
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (uri == NULL)
    {
      g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_NOT_REDIRECT,
                               _("The user agent did not come back to the redirect URI"));
      return;
    }
  /* One request is awaited at a time: a flow that began its request after
   * this one is the one awaited, and this answer is refused. */
  if (flow->serial != self->flow_serial)
    {
      ag_secure_free (uri);
      g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_NO_PENDING_SIGN_IN,
                               _("Another sign-in began after this one"));
      return;
    }
  cancellable = g_task_get_cancellable (task);
  ag_flow_complete_async (flow->flow, uri, cancellable, flow_completed_cb, g_steal_pointer (&task));
  ag_secure_free (uri);
}

/* Shows @url in the flow's user agent. */
static void
flow_open (GTask      *task,
           const char *url)
{
  AuthgearClient *self = g_task_get_source_object (task);
  Flow *flow = g_task_get_task_data (task);

  authgear_user_agent_open_async (flow->user_agent, url,
                                  flow->kind == FLOW_SETTINGS ? NULL : authgear_client_get_redirect_uri (self),
                                  g_task_get_cancellable (task), flow_opened_cb, task);
}

static void
flow_begun_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  AuthgearClient *self = g_task_get_source_object (task);
  Flow *flow = g_task_get_task_data (task);
  GError *error = NULL;
  char *url;

  if (flow->kind == FLOW_SETTINGS)
    url = ag_session_open_settings_finish (AG_SESSION (object), result, &error);
  else
    url = ag_flow_begin_finish (AG_FLOW (object), result, &error);
  if (url == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (flow->kind != FLOW_SETTINGS)
    flow->serial = ++self->flow_serial;
  flow_open (task, url);
  ag_secure_free (url);
}

static void
flow_start (AuthgearClient              *self,
            FlowKind                     kind,
            AuthgearSettingsAction       action,
            AuthgearAuthenticateOptions *options,
            GCancellable                *cancellable,
            GAsyncReadyCallback          callback,
            gpointer                     user_data,
            gpointer                     source_tag)
{
  AgSession *session;
  g_autoptr(GTask) task = client_task_new (self, cancellable, callback, user_data, source_tag, &session);
  Flow *flow = g_new0 (Flow, 1);

  g_task_set_task_data (task, flow, (GDestroyNotify) flow_free);
  flow->kind = kind;
  flow->action = action;
  flow->options = options ? authgear_authenticate_options_copy (options) : authgear_authenticate_options_new ();
  flow->ui_locales = flow->options->ui_locales ? g_strdup (flow->options->ui_locales) : ag_desktop_ui_locales ();
  flow->ag.page = flow->options->page == AUTHGEAR_PAGE_SIGNUP ? AG_PAGE_SIGNUP : AG_PAGE_DEFAULT;
  flow->ag.prompt = flow->options->prompt;
  flow->ag.ui_locales = flow->ui_locales;
  flow->ag.color_scheme = flow->options->color_scheme == AUTHGEAR_COLOR_SCHEME_LIGHT ? "light"
                        : flow->options->color_scheme == AUTHGEAR_COLOR_SCHEME_DARK ? "dark" : NULL;
  flow->ag.sso_enabled = flow->options->sso_enabled;
  flow->user_agent = g_object_ref (flow->options->user_agent ? flow->options->user_agent
                                                             : authgear_client_get_user_agent (self));

  if (session != NULL)
    flow_begin (g_steal_pointer (&task));
}

/* Makes the flow's request (a new one after invalid_scope); flow_begun_cb()
 * shows it. */
static void
flow_begin (GTask *task)
{
  AuthgearClient *self = g_task_get_source_object (task);
  Flow *flow = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_clear_object (&flow->flow);
  switch (flow->kind)
    {
    case FLOW_SETTINGS:
      ag_session_open_settings_async (self->session, &flow->ag, cancellable, flow_begun_cb, task);
      return;
    case FLOW_AUTHENTICATE:
      flow->flow = ag_flow_new (self->session, AG_FLOW_SIGN_IN, NULL, &flow->ag);
      break;
    case FLOW_REAUTHENTICATE:
      flow->flow = ag_flow_new (self->session, AG_FLOW_REAUTHENTICATE, NULL, &flow->ag);
      break;
    case FLOW_SETTINGS_ACTION:
    default:
      flow->flow = ag_flow_new (self->session, AG_FLOW_SETTINGS_ACTION,
                                flow->action == AUTHGEAR_SETTINGS_ACTION_DELETE_ACCOUNT ? "delete_account"
                                                                                        : "change_email",
                                &flow->ag);
      break;
    }
  ag_flow_begin_async (flow->flow, cancellable, flow_begun_cb, task);
}

/**
 * authgear_client_authenticate_async:
 * @self: a #AuthgearClient
 * @options: (nullable): how to show the sign-in
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the person is signed in, or not
 * @user_data: data for @callback
 *
 * Signs a person in: opens Authgear's sign-in page in the user agent,
 * exchanges the code it brings back (PKCE), verifies the ID token, keeps
 * the session and reads the user info. A failed sign-in leaves the session
 * that was there before as it was.
 *
 * One sign-in is awaited at a time. When another one (or a
 * reauthentication or a settings action) begins before this one's user
 * agent answers, the newer one is awaited: this call's answer is then
 * refused with %AUTHGEAR_ERROR_NO_PENDING_SIGN_IN, and its failure or
 * cancellation does not end the newer one.
 */
void
authgear_client_authenticate_async (AuthgearClient              *self,
                                    AuthgearAuthenticateOptions *options,
                                    GCancellable                *cancellable,
                                    GAsyncReadyCallback          callback,
                                    gpointer                     user_data)
{
  g_return_if_fail (AUTHGEAR_IS_CLIENT (self));
  flow_start (self, FLOW_AUTHENTICATE, 0, options, cancellable, callback, user_data,
              authgear_client_authenticate_async);
}

/**
 * authgear_client_authenticate_finish:
 * @self: a #AuthgearClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): who signed in, or %NULL on error
 */
AuthgearUserInfo *
authgear_client_authenticate_finish (AuthgearClient  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  return propagate_user_info (self, result, error);
}

/**
 * authgear_client_reauthenticate_async:
 * @self: a #AuthgearClient
 * @options: (nullable): how to show the page
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the person proved who they are
 * @user_data: data for @callback
 *
 * Asks the signed-in person to prove who they are again (`max_age=0` with
 * the ID token as hint), before something sensitive. Only when
 * authgear_user_info_get_can_reauthenticate() says so.
 */
void
authgear_client_reauthenticate_async (AuthgearClient              *self,
                                      AuthgearAuthenticateOptions *options,
                                      GCancellable                *cancellable,
                                      GAsyncReadyCallback          callback,
                                      gpointer                     user_data)
{
  g_return_if_fail (AUTHGEAR_IS_CLIENT (self));
  flow_start (self, FLOW_REAUTHENTICATE, 0, options, cancellable, callback, user_data,
              authgear_client_reauthenticate_async);
}

/**
 * authgear_client_reauthenticate_finish:
 * @self: a #AuthgearClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the user info, or %NULL on error
 */
AuthgearUserInfo *
authgear_client_reauthenticate_finish (AuthgearClient  *self,
                                       GAsyncResult    *result,
                                       GError         **error)
{
  return propagate_user_info (self, result, error);
}

/**
 * authgear_client_open_settings_async:
 * @self: a #AuthgearClient
 * @options: (nullable): how to show the page
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the page is shown
 * @user_data: data for @callback
 *
 * Opens Authgear's account settings page, signed in with a one-time app
 * session token. Needs the full-access scope.
 */
void
authgear_client_open_settings_async (AuthgearClient              *self,
                                     AuthgearAuthenticateOptions *options,
                                     GCancellable                *cancellable,
                                     GAsyncReadyCallback          callback,
                                     gpointer                     user_data)
{
  g_return_if_fail (AUTHGEAR_IS_CLIENT (self));
  flow_start (self, FLOW_SETTINGS, 0, options, cancellable, callback, user_data,
              authgear_client_open_settings_async);
}

/**
 * authgear_client_open_settings_finish:
 * @self: a #AuthgearClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: whether the page was shown
 */
gboolean
authgear_client_open_settings_finish (AuthgearClient  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  return propagate_boolean (self, result, error);
}

/**
 * authgear_client_settings_action_async:
 * @self: a #AuthgearClient
 * @action: the settings page
 * @options: (nullable): how to show the page
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the person is done
 * @user_data: data for @callback
 *
 * Opens one of Authgear's settings pages that comes back when done:
 * change the email address, or delete the account (which ends the
 * session, with %AUTHGEAR_SESSION_STATE_CHANGE_REASON_INVALID).
 */
void
authgear_client_settings_action_async (AuthgearClient              *self,
                                       AuthgearSettingsAction       action,
                                       AuthgearAuthenticateOptions *options,
                                       GCancellable                *cancellable,
                                       GAsyncReadyCallback          callback,
                                       gpointer                     user_data)
{
  g_return_if_fail (AUTHGEAR_IS_CLIENT (self));
  flow_start (self, FLOW_SETTINGS_ACTION, action, options, cancellable, callback, user_data,
              authgear_client_settings_action_async);
}

/**
 * authgear_client_settings_action_finish:
 * @self: a #AuthgearClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: whether the action was done
 */
gboolean
authgear_client_settings_action_finish (AuthgearClient  *self,
                                        GAsyncResult    *result,
                                        GError         **error)
{
  return propagate_boolean (self, result, error);
}

/* Tokens and user info. */

static void
refreshed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!ag_session_refresh_finish (AG_SESSION (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * authgear_client_refresh_access_token_if_needed_async:
 * @self: a #AuthgearClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the access token is fresh
 * @user_data: data for @callback
 *
 * Refreshes the access token with the refresh token when it is 90 % into
 * its lifetime or older; does nothing when it is fresh or nobody is signed
 * in. A refresh that fails for want of network keeps the session; one that
 * Authgear refuses ends it (%AUTHGEAR_SESSION_STATE_CHANGE_REASON_INVALID).
 */
void
authgear_client_refresh_access_token_if_needed_async (AuthgearClient      *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AgSession *session;
  AgTokenSet *tokens;

  g_return_if_fail (AUTHGEAR_IS_CLIENT (self));

  task = client_task_new (self, cancellable, callback, user_data, authgear_client_refresh_access_token_if_needed_async, &session);
  if (session == NULL)
    return;
  tokens = ag_session_get_tokens (session);
  if (tokens == NULL || ag_token_set_is_fresh (tokens, g_get_real_time () / G_USEC_PER_SEC))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  ag_session_refresh_async (session, cancellable, refreshed_cb, g_steal_pointer (&task));
}

/**
 * authgear_client_refresh_access_token_if_needed_finish:
 * @self: a #AuthgearClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the access token (if any) is fresh
 */
gboolean
authgear_client_refresh_access_token_if_needed_finish (AuthgearClient  *self,
                                                       GAsyncResult    *result,
                                                       GError         **error)
{
  return propagate_boolean (self, result, error);
}

/**
 * authgear_client_get_access_token:
 * @self: a #AuthgearClient
 *
 * The current access token, for `Authorization: Bearer`. Call
 * authgear_client_refresh_access_token_if_needed_async() before, as the
 * SDKs do.
 *
 * Returns: (nullable): the access token, or %NULL when nobody is signed in
 */
const char *
authgear_client_get_access_token (AuthgearClient *self)
{
  AgTokenSet *tokens;

  g_return_val_if_fail (AUTHGEAR_IS_CLIENT (self), NULL);

  tokens = self->session ? ag_session_get_tokens (self->session) : NULL;
  return tokens ? ag_token_set_get_access_token (tokens) : NULL;
}

/**
 * authgear_client_get_user_info:
 * @self: a #AuthgearClient
 *
 * The user info last read, without the network. The same object until the
 * session's tokens change (#AuthgearClient:user-info is notified then):
 * take a reference to keep it longer.
 *
 * Returns: (transfer none) (nullable): the user info, or %NULL when nobody
 *   is signed in
 */
AuthgearUserInfo *
authgear_client_get_user_info (AuthgearClient *self)
{
  g_return_val_if_fail (AUTHGEAR_IS_CLIENT (self), NULL);
  if (self->user_info == NULL && self->session != NULL)
    self->user_info = user_info_of (self->session);
  return self->user_info;
}

/**
 * authgear_client_get_last_error:
 * @self: a #AuthgearClient
 *
 * Why the work the client does by itself last failed: a refresh in the
 * background (the network, or %AUTHGEAR_ERROR_CLIENT_REJECTED), the token
 * storage (%AUTHGEAR_ERROR_STORAGE_UNAVAILABLE: the session is then kept
 * for this run only), or the session Authgear ended
 * (%AUTHGEAR_SESSION_STATE_CHANGE_REASON_INVALID). Cleared when that work
 * succeeds again.
 *
 * Returns: (transfer none) (nullable): the error, or %NULL
 */
const GError *
authgear_client_get_last_error (AuthgearClient *self)
{
  g_return_val_if_fail (AUTHGEAR_IS_CLIENT (self), NULL);
  return self->session ? ag_session_get_last_error (self->session) : NULL;
}

/**
 * authgear_client_get_full_access:
 * @self: a #AuthgearClient
 *
 * Whether the session has Authgear's full-access scope
 * (`https://authgear.com/scopes/full-access`), which
 * authgear_client_open_settings_async(), the settings actions and
 * reauthentication need. Authgear gives it only to clients allowed to
 * manage the account; without it the sign-in still works.
 *
 * Returns: %TRUE when signed in with full access
 */
gboolean
authgear_client_get_full_access (AuthgearClient *self)
{
  g_return_val_if_fail (AUTHGEAR_IS_CLIENT (self), FALSE);
  return self->session != NULL && ag_session_get_full_access (self->session);
}

/**
 * authgear_client_get_auth_time:
 * @self: a #AuthgearClient
 *
 * When the person last proved who they are (the ID token's `auth_time`),
 * as the SDKs' `getAuthTime()`: before something sensitive, ask again with
 * authgear_client_reauthenticate_async() when it is too long ago.
 *
 * Returns: (transfer full) (nullable): the time, or %NULL when nobody is
 *   signed in or the ID token does not say
 */
GDateTime *
authgear_client_get_auth_time (AuthgearClient *self)
{
  AgTokenSet *tokens;
  gint64 auth_time;

  g_return_val_if_fail (AUTHGEAR_IS_CLIENT (self), NULL);

  tokens = self->session ? ag_session_get_tokens (self->session) : NULL;
  auth_time = tokens ? ag_token_set_get_auth_time (tokens) : 0;
  return auth_time > 0 ? g_date_time_new_from_unix_utc (auth_time) : NULL;
}

/**
 * authgear_client_get_reauthentication_needed:
 * @self: a #AuthgearClient
 *
 * Whether something sensitive (showing tokens, say) should first ask
 * Authgear to confirm it is still this person, with
 * authgear_client_reauthenticate_async(): Authgear can ask them (full
 * access, and the ID token's `can_reauthenticate`), and their last proof
 * (authgear_client_get_auth_time()) is over 5 minutes old, the time
 * Authgear's own reauthentication allows.
 *
 * Returns: %TRUE when a reauthentication should come first
 */
gboolean
authgear_client_get_reauthentication_needed (AuthgearClient *self)
{
  g_return_val_if_fail (AUTHGEAR_IS_CLIENT (self), FALSE);
  return self->session != NULL && ag_session_get_reauthentication_needed (self->session);
}

/**
 * authgear_client_dup_token_response:
 * @self: a #AuthgearClient
 * @include_tokens: whether the tokens themselves are in it
 *
 * The token endpoint's last answer for this session, as pretty-printed
 * JSON, for a developer to look at: the token type, the expiry, the
 * scopes. Without @include_tokens each token is replaced by a mark. With
 * them, wipe the text after use and never log it.
 *
 * Returns: (transfer full) (nullable): the JSON, or %NULL when nobody is
 *   signed in
 */
char *
authgear_client_dup_token_response (AuthgearClient *self,
                                    gboolean        include_tokens)
{
  AgTokenSet *tokens;

  g_return_val_if_fail (AUTHGEAR_IS_CLIENT (self), NULL);

  tokens = self->session ? ag_session_get_tokens (self->session) : NULL;
  return tokens ? ag_token_set_dup_response_json (tokens, include_tokens) : NULL;
}

static void
profile_reloaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AuthgearUserInfo *info;
  GError *error = NULL;

  if (!ag_session_reload_profile_finish (AG_SESSION (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  info = user_info_of (AG_SESSION (object));
  if (info == NULL)
    g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_UNAUTHORIZED, _("Nobody is signed in"));
  else
    g_task_return_pointer (task, info, g_object_unref);
}

/**
 * authgear_client_fetch_user_info_async:
 * @self: a #AuthgearClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the user info
 * @user_data: data for @callback
 *
 * Reads the user info from Authgear, refreshing the access token first
 * when it has expired.
 */
void
authgear_client_fetch_user_info_async (AuthgearClient      *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AgSession *session;

  g_return_if_fail (AUTHGEAR_IS_CLIENT (self));

  task = client_task_new (self, cancellable, callback, user_data, authgear_client_fetch_user_info_async, &session);
  if (session == NULL)
    return;
  if (ag_session_get_tokens (session) == NULL)
    {
      g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_UNAUTHORIZED, _("Nobody is signed in"));
      return;
    }
  ag_session_reload_profile_async (session, cancellable, profile_reloaded_cb, g_steal_pointer (&task));
}

/**
 * authgear_client_fetch_user_info_finish:
 * @self: a #AuthgearClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the user info, or %NULL on error
 */
AuthgearUserInfo *
authgear_client_fetch_user_info_finish (AuthgearClient  *self,
                                        GAsyncResult    *result,
                                        GError         **error)
{
  return propagate_user_info (self, result, error);
}

/* Ending the session. */

static void
ended_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean ok;

  if (g_task_get_source_tag (task) == authgear_client_logout_async)
    ok = ag_session_logout_finish (AG_SESSION (object), result, &error);
  else
    ok = ag_session_forget_finish (AG_SESSION (object), result, &error);
  if (!ok && error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * authgear_client_logout_async:
 * @self: a #AuthgearClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when Authgear was told
 * @user_data: data for @callback
 *
 * Logs out: the session ends here at once and leaves the token storage,
 * then Authgear revokes the refresh token.
 */
void
authgear_client_logout_async (AuthgearClient      *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AgSession *session;

  g_return_if_fail (AUTHGEAR_IS_CLIENT (self));

  task = client_task_new (self, cancellable, callback, user_data, authgear_client_logout_async, &session);
  if (session != NULL)
    ag_session_logout_async (session, cancellable, ended_cb, g_steal_pointer (&task));
}

/**
 * authgear_client_logout_finish:
 * @self: a #AuthgearClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when Authgear was told too; on %FALSE the session has
 *   still ended here
 */
gboolean
authgear_client_logout_finish (AuthgearClient  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  return propagate_boolean (self, result, error);
}

/**
 * authgear_client_clear_session_state_async:
 * @self: a #AuthgearClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the storage forgot it
 * @user_data: data for @callback
 *
 * Forgets the session here and in the token storage, without telling
 * Authgear (%AUTHGEAR_SESSION_STATE_CHANGE_REASON_CLEAR).
 */
void
authgear_client_clear_session_state_async (AuthgearClient      *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AgSession *session;

  g_return_if_fail (AUTHGEAR_IS_CLIENT (self));

  task = client_task_new (self, cancellable, callback, user_data, authgear_client_clear_session_state_async, &session);
  if (session != NULL)
    ag_session_forget_async (session, cancellable, ended_cb, g_steal_pointer (&task));
}

/**
 * authgear_client_clear_session_state_finish:
 * @self: a #AuthgearClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: whether the token storage forgot the session
 */
gboolean
authgear_client_clear_session_state_finish (AuthgearClient  *self,
                                            GAsyncResult    *result,
                                            GError         **error)
{
  return propagate_boolean (self, result, error);
}
