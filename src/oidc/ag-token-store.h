/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ag-token-set.h"

typedef struct _AuthgearTokenStorage AuthgearTokenStorage;

G_BEGIN_DECLS

#define AG_TYPE_TOKEN_STORE (ag_token_store_get_type ())

G_DECLARE_FINAL_TYPE (AgTokenStore, ag_token_store, AG, TOKEN_STORE, GObject)

/**
 * ag_token_store_new:
 * A store of token sets in @storage, as text (ag_token_set_serialize()):
 * one per issuer and client ID. What it reads back is checked: a text that
 * is not a session of that issuer and client is removed and counts as
 * none.
 */
AgTokenStore *ag_token_store_new             (AuthgearTokenStorage *storage);

/* Replaces the stored session for the token set's issuer and client. */
void          ag_token_store_save_async      (AgTokenStore        *self,
                                              AgTokenSet          *tokens,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean      ag_token_store_save_finish     (AgTokenStore        *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* Returns the stored session, or %NULL without error when there is none. A
 * stored item that does not parse is removed and counts as none. */
void          ag_token_store_load_async      (AgTokenStore        *self,
                                              const char          *issuer,
                                              const char          *client_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
AgTokenSet   *ag_token_store_load_finish     (AgTokenStore        *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* Removes the session of @client_id at @issuer, and only that one: another
 * project's session stays. */
void          ag_token_store_clear_async     (AgTokenStore        *self,
                                              const char          *issuer,
                                              const char          *client_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean      ag_token_store_clear_finish    (AgTokenStore        *self,
                                              GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
