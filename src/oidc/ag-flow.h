/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ag-auth-request.h"
#include "ag-session.h"

G_BEGIN_DECLS

typedef enum
{
  AG_FLOW_SIGN_IN,
  AG_FLOW_REAUTHENTICATE,
  AG_FLOW_SETTINGS_ACTION,
} AgFlowKind;

#define AG_TYPE_FLOW (ag_flow_get_type ())

G_DECLARE_FINAL_TYPE (AgFlow, ag_flow, AG, FLOW, GObject)

/**
 * ag_flow_new:
 * One visit to Authgear's pages on @session, from its request to its end:
 * a sign-in, a reauthentication, or a settings action (@action:
 * "change_email" or "delete_account"). The flow owns its request (state,
 * nonce, PKCE verifier); nothing else holds it.
 */
AgFlow     *ag_flow_new             (AgSession           *session,
                                     AgFlowKind           kind,
                                     const char          *action,
                                     const AgAuthOptions *options);

AgFlowKind  ag_flow_get_kind        (AgFlow              *self);

/* Discovers the provider, fetches what the request needs (a fresh ID token,
 * an app session token) and makes the request. Returns the URL to open
 * (free it with ag_secure_free()). */
void        ag_flow_begin_async     (AgFlow              *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
char       *ag_flow_begin_finish    (AgFlow              *self,
                                     GAsyncResult        *result,
                                     GError             **error);

/* Reads the redirect @uri against this flow's request (once: a second
 * redirect gets %AUTHGEAR_ERROR_NO_PENDING_SIGN_IN), exchanges the code and
 * hands the result to the session. A failure leaves the session as it was. */
void        ag_flow_complete_async  (AgFlow              *self,
                                     const char          *uri,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gboolean    ag_flow_complete_finish (AgFlow              *self,
                                     GAsyncResult        *result,
                                     GError             **error);

G_END_DECLS
