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
 * A store in the Secret Service under the schema named @schema_name (the
 * application ID). Every item has the attributes issuer and client_id; the
 * session item holds the whole token set as JSON. Any failure to reach the
 * Secret Service is %AUTHGEAR_ERROR_STORAGE_UNAVAILABLE.
 */
AgTokenStore *ag_token_store_new             (const char          *schema_name);

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
 * project's session stays. Both %NULL: every session of this application. */
void          ag_token_store_clear_async     (AgTokenStore        *self,
                                              const char          *issuer,
                                              const char          *client_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean      ag_token_store_clear_finish    (AgTokenStore        *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* A store whose sessions go to @storage (an AuthgearTokenStorage) as text;
 * the keyring storage gives its own store. */
AgTokenStore *ag_token_store_new_for_storage (AuthgearTokenStorage *storage);
/* The label of the keyring items of sessions (a static string). */
void          ag_token_store_set_label       (AgTokenStore        *self,
                                              const char          *label);
/* Sessions as text (keyring mode only); save and clear finish with
 * ag_token_store_save_finish() and ag_token_store_clear_finish(). */
void          ag_token_store_save_text_async (AgTokenStore        *self,
                                              const char          *issuer,
                                              const char          *client_id,
                                              const char          *text,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
void          ag_token_store_load_text_async (AgTokenStore        *self,
                                              const char          *issuer,
                                              const char          *client_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
/* The text (free with ag_secure_free()), or %NULL when there is none. */
char         *ag_token_store_load_text_finish (AgTokenStore       *self,
                                              GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
