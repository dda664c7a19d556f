/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(__AUTHGEAR_GLIB_INSIDE__) && !defined(AUTHGEAR_GLIB_COMPILATION)
#error "Only <authgear-glib.h> can be included directly."
#endif

#include <gio/gio.h>

#include "authgear-version.h"

G_BEGIN_DECLS

#define AUTHGEAR_TYPE_TOKEN_STORAGE (authgear_token_storage_get_type ())

AUTHGEAR_AVAILABLE_IN_ALL
G_DECLARE_INTERFACE (AuthgearTokenStorage, authgear_token_storage, AUTHGEAR, TOKEN_STORAGE, GObject)

/**
 * AuthgearTokenStorageInterface:
 * @save_async: keeps @session for @issuer and @client_id, replacing any
 * @save_finish: finishes @save_async
 * @load_async: reads the session of @issuer and @client_id
 * @load_finish: returns it, or %NULL without error when there is none
 * @clear_async: removes the session of @issuer and @client_id, and only it
 * @clear_finish: finishes @clear_async
 *
 * The virtual methods of #AuthgearTokenStorage. Each call on one storage
 * must take effect in the order it was made.
 */
struct _AuthgearTokenStorageInterface
{
  GTypeInterface parent_iface;

  void       (*save_async)   (AuthgearTokenStorage *self,
                              const char           *issuer,
                              const char           *client_id,
                              const char           *session,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data);
  gboolean   (*save_finish)  (AuthgearTokenStorage *self,
                              GAsyncResult         *result,
                              GError              **error);
  void       (*load_async)   (AuthgearTokenStorage *self,
                              const char           *issuer,
                              const char           *client_id,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data);
  char *     (*load_finish)  (AuthgearTokenStorage *self,
                              GAsyncResult         *result,
                              GError              **error);
  void       (*clear_async)  (AuthgearTokenStorage *self,
                              const char           *issuer,
                              const char           *client_id,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data);
  gboolean   (*clear_finish) (AuthgearTokenStorage *self,
                              GAsyncResult         *result,
                              GError              **error);

  /*< private >*/
  gpointer padding[8];
};

AUTHGEAR_AVAILABLE_IN_ALL
void      authgear_token_storage_save_async   (AuthgearTokenStorage *self,
                                               const char           *issuer,
                                               const char           *client_id,
                                               const char           *session,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
AUTHGEAR_AVAILABLE_IN_ALL
gboolean  authgear_token_storage_save_finish  (AuthgearTokenStorage *self,
                                               GAsyncResult         *result,
                                               GError              **error);
AUTHGEAR_AVAILABLE_IN_ALL
void      authgear_token_storage_load_async   (AuthgearTokenStorage *self,
                                               const char           *issuer,
                                               const char           *client_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
AUTHGEAR_AVAILABLE_IN_ALL
char     *authgear_token_storage_load_finish  (AuthgearTokenStorage *self,
                                               GAsyncResult         *result,
                                               GError              **error);
AUTHGEAR_AVAILABLE_IN_ALL
void      authgear_token_storage_clear_async  (AuthgearTokenStorage *self,
                                               const char           *issuer,
                                               const char           *client_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
AUTHGEAR_AVAILABLE_IN_ALL
gboolean  authgear_token_storage_clear_finish (AuthgearTokenStorage *self,
                                               GAsyncResult         *result,
                                               GError              **error);

#define AUTHGEAR_TYPE_KEYRING_TOKEN_STORAGE (authgear_keyring_token_storage_get_type ())

AUTHGEAR_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (AuthgearKeyringTokenStorage, authgear_keyring_token_storage, AUTHGEAR, KEYRING_TOKEN_STORAGE, GObject)

AUTHGEAR_AVAILABLE_IN_ALL
AuthgearTokenStorage *authgear_keyring_token_storage_new   (const char *schema_name);

#define AUTHGEAR_TYPE_TRANSIENT_TOKEN_STORAGE (authgear_transient_token_storage_get_type ())

AUTHGEAR_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (AuthgearTransientTokenStorage, authgear_transient_token_storage, AUTHGEAR, TRANSIENT_TOKEN_STORAGE, GObject)

AUTHGEAR_AVAILABLE_IN_ALL
AuthgearTokenStorage *authgear_transient_token_storage_new (void);

G_END_DECLS
