/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AG_TYPE_KEYRING (ag_keyring_get_type ())

G_DECLARE_FINAL_TYPE (AgKeyring, ag_keyring, AG, KEYRING, GObject)

/**
 * ag_keyring_new:
 * Sessions as text in the Secret Service, under the schema named
 * @schema_name, one item per issuer and client ID, labelled @label (a
 * static string). Any failure to reach the Secret Service is
 * %AUTHGEAR_ERROR_STORAGE_UNAVAILABLE. Every keyring of the process runs
 * its operations on one worker thread, in the order they were asked for.
 */
AgKeyring *ag_keyring_new          (const char          *schema_name,
                                    const char          *label);

/* Replaces the text kept for @client_id at @issuer. */
void       ag_keyring_store_async  (AgKeyring           *self,
                                    const char          *issuer,
                                    const char          *client_id,
                                    const char          *text,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean   ag_keyring_store_finish (AgKeyring           *self,
                                    GAsyncResult        *result,
                                    GError             **error);

/* The text kept (free it with ag_secure_free()), or %NULL without error
 * when there is none. */
void       ag_keyring_lookup_async  (AgKeyring          *self,
                                     const char         *issuer,
                                     const char         *client_id,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data);
char      *ag_keyring_lookup_finish (AgKeyring          *self,
                                     GAsyncResult       *result,
                                     GError            **error);

/* Removes the text of @client_id at @issuer, and only that one; both
 * %NULL: every item of the schema. */
void       ag_keyring_clear_async  (AgKeyring           *self,
                                    const char          *issuer,
                                    const char          *client_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean   ag_keyring_clear_finish (AgKeyring           *self,
                                    GAsyncResult        *result,
                                    GError             **error);

G_END_DECLS
