/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AuthgearTokenStorage: where a session is kept between runs, with the
 * keyring (the default) and a transient in-memory one, as Authgear's SDKs
 * have. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ag-keyring.h"
#include "ag-secure.h"
#include "authgear-glib.h"

/**
 * AuthgearTokenStorage:
 *
 * Keeps a session between runs: one opaque text per issuer and client ID
 * (it holds the refresh token, so it is a secret). #AuthgearClient writes
 * it after a sign-in or a refresh and removes it on logout.
 *
 * Two implementations come with the library:
 * #AuthgearKeyringTokenStorage, the default, keeps it in the Secret Service
 * (GNOME Keyring, KWallet); #AuthgearTransientTokenStorage keeps it in
 * memory for this run only. A program may implement its own.
 */

G_DEFINE_INTERFACE (AuthgearTokenStorage, authgear_token_storage, G_TYPE_OBJECT)

static void
authgear_token_storage_default_init (AuthgearTokenStorageInterface *iface)
{
}

/**
 * authgear_token_storage_save_async:
 * @self: a #AuthgearTokenStorage
 * @issuer: the Authgear endpoint (issuer)
 * @client_id: the client ID
 * @session: the session to keep (a secret)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the session is kept
 * @user_data: data for @callback
 *
 * Keeps @session for @issuer and @client_id, replacing any session kept
 * for them before.
 */
void
authgear_token_storage_save_async (AuthgearTokenStorage *self,
                                   const char           *issuer,
                                   const char           *client_id,
                                   const char           *session,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_return_if_fail (AUTHGEAR_IS_TOKEN_STORAGE (self));
  g_return_if_fail (issuer != NULL && client_id != NULL && session != NULL);

  AUTHGEAR_TOKEN_STORAGE_GET_IFACE (self)->save_async (self, issuer, client_id, session,
                                                       cancellable, callback, user_data);
}

/**
 * authgear_token_storage_save_finish:
 * @self: a #AuthgearTokenStorage
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: whether the session was kept
 */
gboolean
authgear_token_storage_save_finish (AuthgearTokenStorage  *self,
                                    GAsyncResult          *result,
                                    GError               **error)
{
  g_return_val_if_fail (AUTHGEAR_IS_TOKEN_STORAGE (self), FALSE);
  return AUTHGEAR_TOKEN_STORAGE_GET_IFACE (self)->save_finish (self, result, error);
}

/**
 * authgear_token_storage_load_async:
 * @self: a #AuthgearTokenStorage
 * @issuer: the Authgear endpoint (issuer)
 * @client_id: the client ID
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the session
 * @user_data: data for @callback
 *
 * Reads the session kept for @issuer and @client_id.
 */
void
authgear_token_storage_load_async (AuthgearTokenStorage *self,
                                   const char           *issuer,
                                   const char           *client_id,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_return_if_fail (AUTHGEAR_IS_TOKEN_STORAGE (self));
  g_return_if_fail (issuer != NULL && client_id != NULL);

  AUTHGEAR_TOKEN_STORAGE_GET_IFACE (self)->load_async (self, issuer, client_id, cancellable, callback, user_data);
}

/**
 * authgear_token_storage_load_finish:
 * @self: a #AuthgearTokenStorage
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the session, or %NULL without an
 *   error when none is kept
 */
char *
authgear_token_storage_load_finish (AuthgearTokenStorage  *self,
                                    GAsyncResult          *result,
                                    GError               **error)
{
  g_return_val_if_fail (AUTHGEAR_IS_TOKEN_STORAGE (self), NULL);
  return AUTHGEAR_TOKEN_STORAGE_GET_IFACE (self)->load_finish (self, result, error);
}

/**
 * authgear_token_storage_clear_async:
 * @self: a #AuthgearTokenStorage
 * @issuer: the Authgear endpoint (issuer)
 * @client_id: the client ID
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async) (nullable): called when the session is removed
 * @user_data: data for @callback
 *
 * Removes the session of @issuer and @client_id, and only that one.
 */
void
authgear_token_storage_clear_async (AuthgearTokenStorage *self,
                                    const char           *issuer,
                                    const char           *client_id,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  g_return_if_fail (AUTHGEAR_IS_TOKEN_STORAGE (self));
  g_return_if_fail (issuer != NULL && client_id != NULL);

  AUTHGEAR_TOKEN_STORAGE_GET_IFACE (self)->clear_async (self, issuer, client_id, cancellable, callback, user_data);
}

/**
 * authgear_token_storage_clear_finish:
 * @self: a #AuthgearTokenStorage
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: whether the storage could be used (%TRUE also when nothing was
 *   kept)
 */
gboolean
authgear_token_storage_clear_finish (AuthgearTokenStorage  *self,
                                     GAsyncResult          *result,
                                     GError               **error)
{
  g_return_val_if_fail (AUTHGEAR_IS_TOKEN_STORAGE (self), FALSE);
  return AUTHGEAR_TOKEN_STORAGE_GET_IFACE (self)->clear_finish (self, result, error);
}

/* The keyring. */

/**
 * AuthgearKeyringTokenStorage:
 *
 * Keeps the session in the Secret Service through libsecret, one item per
 * issuer and client ID, written and read in the order they were asked for,
 * off the main thread.
 */
struct _AuthgearKeyringTokenStorage
{
  GObject parent_instance;

  AgKeyring *keyring;
};

static void keyring_iface_init (AuthgearTokenStorageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AuthgearKeyringTokenStorage, authgear_keyring_token_storage, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (AUTHGEAR_TYPE_TOKEN_STORAGE, keyring_iface_init))

#define KEYRING_OF(storage) (AUTHGEAR_KEYRING_TOKEN_STORAGE (storage)->keyring)

static void keyring_save_async (AuthgearTokenStorage *storage, const char *issuer, const char *client_id,
                                const char *session, GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data);
static void keyring_load_async (AuthgearTokenStorage *storage, const char *issuer, const char *client_id,
                                GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);

/* The keyring's answer, as the storage's (the task's source object is the
 * storage, as its callers expect). */
static void
keyring_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_task_get_source_tag (task) == keyring_load_async)
    {
      char *text = ag_keyring_lookup_finish (AG_KEYRING (object), result, &error);

      if (error != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, text, (GDestroyNotify) ag_secure_free);
      return;
    }
  if (g_task_get_source_tag (task) == keyring_save_async ? ag_keyring_store_finish (AG_KEYRING (object), result, &error)
                                                         : ag_keyring_clear_finish (AG_KEYRING (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static GTask *
keyring_task_new (AuthgearTokenStorage *storage,
                  gpointer              tag,
                  GCancellable         *cancellable,
                  GAsyncReadyCallback   callback,
                  gpointer              user_data)
{
  GTask *task = g_task_new (storage, cancellable, callback, user_data);

  g_task_set_source_tag (task, tag);
  return task;
}

static void
keyring_save_async (AuthgearTokenStorage *storage,
                    const char           *issuer,
                    const char           *client_id,
                    const char           *session,
                    GCancellable         *cancellable,
                    GAsyncReadyCallback   callback,
                    gpointer              user_data)
{
  ag_keyring_store_async (KEYRING_OF (storage), issuer, client_id, session, cancellable, keyring_done_cb,
                          keyring_task_new (storage, keyring_save_async, cancellable, callback, user_data));
}

static gboolean
keyring_boolean_finish (AuthgearTokenStorage  *storage,
                        GAsyncResult          *result,
                        GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, storage), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
keyring_load_async (AuthgearTokenStorage *storage,
                    const char           *issuer,
                    const char           *client_id,
                    GCancellable         *cancellable,
                    GAsyncReadyCallback   callback,
                    gpointer              user_data)
{
  ag_keyring_lookup_async (KEYRING_OF (storage), issuer, client_id, cancellable, keyring_done_cb,
                           keyring_task_new (storage, keyring_load_async, cancellable, callback, user_data));
}

static char *
keyring_load_finish (AuthgearTokenStorage  *storage,
                     GAsyncResult          *result,
                     GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, storage), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
keyring_clear_async (AuthgearTokenStorage *storage,
                     const char           *issuer,
                     const char           *client_id,
                     GCancellable         *cancellable,
                     GAsyncReadyCallback   callback,
                     gpointer              user_data)
{
  ag_keyring_clear_async (KEYRING_OF (storage), issuer, client_id, cancellable, keyring_done_cb,
                          keyring_task_new (storage, keyring_clear_async, cancellable, callback, user_data));
}

static void
keyring_iface_init (AuthgearTokenStorageInterface *iface)
{
  iface->save_async = keyring_save_async;
  iface->save_finish = keyring_boolean_finish;
  iface->load_async = keyring_load_async;
  iface->load_finish = keyring_load_finish;
  iface->clear_async = keyring_clear_async;
  iface->clear_finish = keyring_boolean_finish;
}

static void
authgear_keyring_token_storage_finalize (GObject *object)
{
  g_clear_object (&KEYRING_OF (object));
  G_OBJECT_CLASS (authgear_keyring_token_storage_parent_class)->finalize (object);
}

static void
authgear_keyring_token_storage_class_init (AuthgearKeyringTokenStorageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = authgear_keyring_token_storage_finalize;
}

static void
authgear_keyring_token_storage_init (AuthgearKeyringTokenStorage *self)
{
}

/**
 * authgear_keyring_token_storage_new:
 * @schema_name: (nullable): the libsecret schema name of the items, or
 *   %NULL for `com.authgear.glib.Session`
 *
 * A storage in the Secret Service. Programs that keep their sessions apart
 * from other programs' give a schema name of their own, such as their
 * application ID.
 *
 * Returns: (transfer full): a new #AuthgearKeyringTokenStorage
 */
AuthgearTokenStorage *
authgear_keyring_token_storage_new (const char *schema_name)
{
  AuthgearKeyringTokenStorage *self = g_object_new (AUTHGEAR_TYPE_KEYRING_TOKEN_STORAGE, NULL);

  self->keyring = ag_keyring_new (schema_name ? schema_name : "com.authgear.glib.Session", _("Authgear session"));
  return AUTHGEAR_TOKEN_STORAGE (self);
}

/* In memory. */

/**
 * AuthgearTransientTokenStorage:
 *
 * Keeps the session in memory only: the person signs in again on the next
 * run. Its memory is wiped when a session is replaced or removed.
 */
struct _AuthgearTransientTokenStorage
{
  GObject parent_instance;

  GHashTable *sessions;   /* "issuer client_id" → text */
};

static void transient_iface_init (AuthgearTokenStorageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AuthgearTransientTokenStorage, authgear_transient_token_storage, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (AUTHGEAR_TYPE_TOKEN_STORAGE, transient_iface_init))

static char *
session_key (const char *issuer,
             const char *client_id)
{
  return g_strconcat (issuer, " ", client_id, NULL);
}

static void
transient_save_async (AuthgearTokenStorage *storage,
                      const char           *issuer,
                      const char           *client_id,
                      const char           *session,
                      GCancellable         *cancellable,
                      GAsyncReadyCallback   callback,
                      gpointer              user_data)
{
  AuthgearTransientTokenStorage *self = AUTHGEAR_TRANSIENT_TOKEN_STORAGE (storage);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, transient_save_async);
  g_hash_table_replace (self->sessions, session_key (issuer, client_id), g_strdup (session));
  g_task_return_boolean (task, TRUE);
}

static gboolean
transient_boolean_finish (AuthgearTokenStorage  *storage,
                          GAsyncResult          *result,
                          GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, storage), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
transient_load_async (AuthgearTokenStorage *storage,
                      const char           *issuer,
                      const char           *client_id,
                      GCancellable         *cancellable,
                      GAsyncReadyCallback   callback,
                      gpointer              user_data)
{
  AuthgearTransientTokenStorage *self = AUTHGEAR_TRANSIENT_TOKEN_STORAGE (storage);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *key = session_key (issuer, client_id);

  g_task_set_source_tag (task, transient_load_async);
  g_task_return_pointer (task, g_strdup (g_hash_table_lookup (self->sessions, key)),
                         (GDestroyNotify) ag_secure_free);
}

static char *
transient_load_finish (AuthgearTokenStorage  *storage,
                       GAsyncResult          *result,
                       GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, storage), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
transient_clear_async (AuthgearTokenStorage *storage,
                       const char           *issuer,
                       const char           *client_id,
                       GCancellable         *cancellable,
                       GAsyncReadyCallback   callback,
                       gpointer              user_data)
{
  AuthgearTransientTokenStorage *self = AUTHGEAR_TRANSIENT_TOKEN_STORAGE (storage);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *key = session_key (issuer, client_id);

  g_task_set_source_tag (task, transient_clear_async);
  g_hash_table_remove (self->sessions, key);
  g_task_return_boolean (task, TRUE);
}

static void
transient_iface_init (AuthgearTokenStorageInterface *iface)
{
  iface->save_async = transient_save_async;
  iface->save_finish = transient_boolean_finish;
  iface->load_async = transient_load_async;
  iface->load_finish = transient_load_finish;
  iface->clear_async = transient_clear_async;
  iface->clear_finish = transient_boolean_finish;
}

static void
authgear_transient_token_storage_finalize (GObject *object)
{
  g_clear_pointer (&AUTHGEAR_TRANSIENT_TOKEN_STORAGE (object)->sessions, g_hash_table_unref);
  G_OBJECT_CLASS (authgear_transient_token_storage_parent_class)->finalize (object);
}

static void
authgear_transient_token_storage_class_init (AuthgearTransientTokenStorageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = authgear_transient_token_storage_finalize;
}

static void
authgear_transient_token_storage_init (AuthgearTransientTokenStorage *self)
{
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) ag_secure_free);
}

/**
 * authgear_transient_token_storage_new:
 *
 * A storage in memory, for this run only.
 *
 * Returns: (transfer full): a new #AuthgearTransientTokenStorage
 */
AuthgearTokenStorage *
authgear_transient_token_storage_new (void)
{
  return g_object_new (AUTHGEAR_TYPE_TRANSIENT_TOKEN_STORAGE, NULL);
}
