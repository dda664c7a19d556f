/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the flows (ag-flow.c) need of AgSession: the parts they build on,
 * and the one call each uses to hand over its result. */
#pragma once

#include "ag-oidc-client.h"
#include "ag-provider.h"
#include "ag-session.h"
#include "ag-token-store.h"

G_BEGIN_DECLS

AgProvider   *ag_session_get_provider        (AgSession     *self);
AgOidcClient *ag_session_get_oidc_client     (AgSession     *self);
/* Bumps on every change of the session (sign-in, refresh, logout). */
guint         ag_session_get_generation      (AgSession     *self);
/* Bumps when the person ends the session here (Logout, forget): a request
 * begun before that is not answered after it. */
guint         ag_session_get_ended_count     (AgSession     *self);
/* The scopes a sign-in asks for: the configuration's, without full access
 * once Authgear refused it (see ag_session_refuse_full_access()). */
char         *ag_session_get_sign_in_scopes  (AgSession     *self);
/* %TRUE when someone is signed in; else %AUTHGEAR_ERROR_UNAUTHORIZED. */
gboolean      ag_session_check_signed_in     (AgSession     *self,
                                              GError       **error);

/* A sign-in's result: @tokens become the session (signed in), kept in the
 * keyring behind. */
void          ag_session_take_tokens         (AgSession     *self,
                                              AgTokenSet    *tokens);
/* A reauthentication's result: @fresh's ID token replaces the session's
 * once it is the same person's, says they proved it in the last 5 minutes
 * (ag_token_set_authenticated_within()), and the session is still the one
 * of @generation. Kept in the keyring before the task returns. */
void          ag_session_take_id_token_async (AgSession           *self,
                                              AgTokenSet          *fresh,
                                              guint                generation,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean      ag_session_take_id_token_finish (AgSession          *self,
                                              GAsyncResult        *result,
                                              GError             **error);
/* Authgear answered invalid_scope to a request with full access: sign-ins
 * ask for the guide's scopes from now on. */
void          ag_session_refuse_full_access  (AgSession     *self);
/* Delete Account is done at Authgear: the session is over, here and in the
 * keyring. */
void          ag_session_account_deleted     (AgSession     *self);
/* A request made for the session of @generation failed with @error. The
 * one place that decides what Authgear's invalid_grant does: the session
 * it was made for is over, here and in the keyring, with @error as the
 * reason. Any other error leaves the session as it is. */
void          ag_session_request_failed      (AgSession     *self,
                                              const GError  *error,
                                              guint          generation);

/* A fresh ID token for the session (reauthentication's id_token_hint);
 * free it with ag_secure_free(). Fails as ag_session_request_failed()
 * says. */
void          ag_session_fresh_id_token_async  (AgSession           *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
char         *ag_session_fresh_id_token_finish (AgSession           *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* The session's own files (ag-session.c, ag-session-refresh.c,
 * ag-session-account.c) share what follows; nothing else uses it. */

/* The first retry delay after a passing refresh failure. */
#define AG_SESSION_RETRY_FIRST_MS (30 * 1000)

struct _AgSession
{
  GObject parent_instance;

  AgConfig *config;
  AgTokenStore *store;
  AgProvider *provider;
  AgOidcClient *client;
  GCancellable *cancellable;

  AgSessionState state;
  AgSessionReason reason;
  AgTokenSet *tokens;
  gboolean persistent;
  GError *last_error;
  guint refresh_source;
  guint refresh_failures;    /* passing failures in a row */
  guint retry_first_ms;      /* AG_SESSION_RETRY_FIRST_MS; less in tests */
  gboolean watching_network;
  guint generation;          /* bumps on every session change */
  guint ended_count;         /* bumps on every Logout and forget */
  gboolean full_access_refused;  /* Authgear answered invalid_scope to it */
};

/* Discovery first, for whatever needs the endpoints. */
typedef void (*AfterDiscovery) (AgSession *self, GTask *task);

/* What an operation of the session carries from one step to the next: the
 * task data of every task made here. */
typedef struct
{
  AfterDiscovery next;       /* what runs once the provider is known */
  guint generation;          /* the session's generation the result is for */
  gboolean refreshed;        /* profile: the tokens were refreshed once */
  gboolean settings_url;     /* app session token: return the settings URL */
  AgAuthOptions options;     /* the settings page: its options (owned copies) */
  AgTokenSet *tokens;        /* logout: the session being ended */
  guint pending;             /* logout: steps still running */
  GError *error;             /* logout: the first step's error */
} Op;

void          _ag_session_set_last_error   (AgSession       *self,
                                            const GError    *error);
void          _ag_session_set_persistent   (AgSession       *self,
                                            gboolean         persistent);
/* The one place the state changes; watchers react to notify::state. */
void          _ag_session_set_state        (AgSession       *self,
                                            AgSessionState   state,
                                            AgSessionReason  reason,
                                            AgTokenSet      *tokens);
void          _ag_session_notify_tokens    (AgSession       *self);
/* Keeps the session's tokens in the store, behind; returns to @task. */
void          _ag_session_save_tokens      (AgSession       *self,
                                            GTask           *task);
/* A task of the session with its Op. */
GTask        *_ag_session_op_task_new      (AgSession           *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data,
                                            gpointer             source_tag);
Op           *_ag_session_op_of            (GTask           *task);
void          _ag_session_with_discovery   (AgSession       *self,
                                            GTask           *task,
                                            AfterDiscovery   next);
/* Runs @next (after discovery) for @task, which needs a signed-in session;
 * without one it fails with %AUTHGEAR_ERROR_UNAUTHORIZED. */
void          _ag_session_start_signed_in  (AgSession       *self,
                                            GTask           *task,
                                            AfterDiscovery   next);
void          _ag_session_run_signed_in    (AgSession           *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data,
                                            gpointer             source_tag,
                                            AfterDiscovery       next);
/* The next refresh at 90 % of the access token's life (ag-session-refresh.c). */
void          _ag_session_schedule_refresh (AgSession       *self);

G_END_DECLS
