/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AgTokenStore keeps token sets in an AuthgearTokenStorage, as text: it
 * converts, and checks what it reads back, over any storage (the keyring,
 * memory, a program's own), and never names one. */

#include "config.h"

#include "ag-secure.h"
#include "ag-token-store.h"
#include "authgear-glib.h"

struct _AgTokenStore
{
  GObject parent_instance;

  AuthgearTokenStorage *storage;
};

G_DEFINE_FINAL_TYPE (AgTokenStore, ag_token_store, G_TYPE_OBJECT)

static void
ag_token_store_finalize (GObject *object)
{
  g_clear_object (&AG_TOKEN_STORE (object)->storage);
  G_OBJECT_CLASS (ag_token_store_parent_class)->finalize (object);
}

static void
ag_token_store_class_init (AgTokenStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ag_token_store_finalize;
}

static void
ag_token_store_init (AgTokenStore *self)
{
}

AgTokenStore *
ag_token_store_new (AuthgearTokenStorage *storage)
{
  AgTokenStore *self;

  g_return_val_if_fail (AUTHGEAR_IS_TOKEN_STORAGE (storage), NULL);

  self = g_object_new (AG_TYPE_TOKEN_STORE, NULL);
  self->storage = g_object_ref (storage);
  return self;
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean ok;

  if (g_task_get_source_tag (task) == ag_token_store_save_async)
    ok = authgear_token_storage_save_finish (AUTHGEAR_TOKEN_STORAGE (object), result, &error);
  else
    ok = authgear_token_storage_clear_finish (AUTHGEAR_TOKEN_STORAGE (object), result, &error);
  if (!ok && error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
ag_token_store_save_async (AgTokenStore        *self,
                           AgTokenSet          *tokens,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  char *text;

  g_return_if_fail (AG_IS_TOKEN_STORE (self));
  g_return_if_fail (AG_IS_TOKEN_SET (tokens));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_token_store_save_async);
  text = ag_token_set_serialize (tokens);
  authgear_token_storage_save_async (self->storage, ag_token_set_get_issuer (tokens), ag_token_set_get_client_id (tokens),
                                     text, cancellable, done_cb, task);
  ag_secure_free (text);
}

gboolean
ag_token_store_save_finish (AgTokenStore  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The session @text holds, when it is one and is @client_id's at @issuer;
 * else %NULL. Checking a stored session is written here only. */
static AgTokenSet *
stored_session (const char *text,
                const char *issuer,
                const char *client_id)
{
  g_autoptr(AgTokenSet) tokens = text ? ag_token_set_deserialize (text, NULL) : NULL;

  if (tokens == NULL ||
      g_strcmp0 (ag_token_set_get_issuer (tokens), issuer) != 0 ||
      g_strcmp0 (ag_token_set_get_client_id (tokens), client_id) != 0)
    return NULL;
  return g_steal_pointer (&tokens);
}

static void
invalid_cleared_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!authgear_token_storage_clear_finish (AUTHGEAR_TOKEN_STORAGE (object), result, &error) && error != NULL)
    g_debug ("Could not remove an invalid stored session: %s", error->message);
  g_task_return_pointer (task, NULL, NULL);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AgTokenStore *self = g_task_get_source_object (task);
  const char *issuer = g_object_get_data (G_OBJECT (task), "issuer");
  const char *client_id = g_object_get_data (G_OBJECT (task), "client-id");
  GError *error = NULL;
  char *text = authgear_token_storage_load_finish (AUTHGEAR_TOKEN_STORAGE (object), result, &error);
  AgTokenSet *tokens;

  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  tokens = stored_session (text, issuer, client_id);
  if (tokens == NULL && text != NULL)
    {
      /* A stored session that does not parse, or is another project's, is
       * no session: it goes, before the load says there is none. */
      g_debug ("The stored session is not valid: removing it");
      authgear_token_storage_clear_async (self->storage, issuer, client_id, NULL, invalid_cleared_cb,
                                          g_steal_pointer (&task));
    }
  else
    g_task_return_pointer (task, tokens, g_object_unref);
  ag_secure_free (text);
}

void
ag_token_store_load_async (AgTokenStore        *self,
                           const char          *issuer,
                           const char          *client_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (AG_IS_TOKEN_STORE (self));
  g_return_if_fail (issuer != NULL && client_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_token_store_load_async);
  g_object_set_data_full (G_OBJECT (task), "issuer", g_strdup (issuer), g_free);
  g_object_set_data_full (G_OBJECT (task), "client-id", g_strdup (client_id), g_free);
  authgear_token_storage_load_async (self->storage, issuer, client_id, cancellable, loaded_cb, task);
}

AgTokenSet *
ag_token_store_load_finish (AgTokenStore  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ag_token_store_clear_async (AgTokenStore        *self,
                            const char          *issuer,
                            const char          *client_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (AG_IS_TOKEN_STORE (self));
  g_return_if_fail ((issuer == NULL) == (client_id == NULL));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_token_store_clear_async);
  authgear_token_storage_clear_async (self->storage, issuer, client_id, cancellable, done_cb, task);
}

gboolean
ag_token_store_clear_finish (AgTokenStore  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
