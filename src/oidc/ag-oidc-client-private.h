/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What ag-oidc-client.c shares with Authgear's own grants
 * (ag-authgear-grants.c). */
#pragma once

#include "ag-oidc-client.h"

G_BEGIN_DECLS

struct _AgOidcClient
{
  GObject parent_instance;

  AgConfig *config;
  AgProvider *provider;
  GCancellable *cancellable;     /* for the shared refresh */

  GPtrArray *refresh_waiters;    /* GTask; non-NULL while a refresh runs */
  guint n_token_requests;
};

/* The form's client_secret: only for client_secret_post. */
const char  *ag_oidc_client_form_client_secret (AgOidcClient  *self);
/* The access token of @tokens as @msg's Authorization. */
void         ag_oidc_client_set_bearer         (SoupMessage   *msg,
                                                AgTokenSet    *tokens);
/* A POST of @form to the token endpoint, with the client's authentication. */
SoupMessage *ag_oidc_client_new_token_message  (AgOidcClient  *self,
                                                GBytes        *form);
/* Reads the answer to @task's message (its task data) with
 * ag_http_read_answer(): %TRUE with its JSON in *@json (%NULL when it has
 * none and @json_required is %FALSE), else %FALSE with the error returned
 * to @task. */
gboolean     ag_oidc_client_task_answer        (GObject       *session,
                                                GAsyncResult  *result,
                                                GTask         *task,
                                                const char    *what,
                                                gboolean       json_required,
                                                JsonObject   **json);

G_END_DECLS
