/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The client secret stored for @issuer and @client_id (free it with
 * ag_secure_free()), %NULL without error when there is none.
 * AUTHGEAR_ERROR_STORAGE_UNAVAILABLE when the keyring cannot be used. */
void      ag_client_secret_load_async  (const char          *issuer,
                                        const char          *client_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
char     *ag_client_secret_load_finish (GAsyncResult        *result,
                                        GError             **error);
/* Stores @secret, or with %NULL or "" removes the stored one. */
void      ag_client_secret_save_async  (const char          *issuer,
                                        const char          *client_id,
                                        const char          *secret,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  ag_client_secret_save_finish (GAsyncResult        *result,
                                        GError             **error);

/* For the start: the read begins on a thread of its own before the main
 * loop runs, and its answer is taken on the main thread without waiting
 * for the loop. take() never waits: it returns FALSE when the keyring has
 * not answered yet (or the read was for another issuer or client), and
 * the caller then asks with ag_client_secret_load_async(). Either way the
 * read is freed; drop() frees one whose answer is not wanted. */
typedef struct _AgClientSecretRead AgClientSecretRead;

AgClientSecretRead *ag_client_secret_read_begin (const char          *issuer,
                                                 const char          *client_id);
gboolean            ag_client_secret_read_take  (AgClientSecretRead  *read,
                                                 const char          *issuer,
                                                 const char          *client_id,
                                                 char               **secret,
                                                 GError             **error);
void                ag_client_secret_read_drop  (AgClientSecretRead  *read);

G_END_DECLS
