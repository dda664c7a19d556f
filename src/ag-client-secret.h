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

G_END_DECLS
