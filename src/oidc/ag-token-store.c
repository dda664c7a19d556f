/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ag-token-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "ag-error.h"
#include "ag-secure.h"
#include "ag-token-store.h"

#define KIND_SESSION "session"
#define KIND_CLIENT_SECRET "client-secret"

struct _AgTokenStore
{
  GObject parent_instance;

  SecretSchema *schema;
};

G_DEFINE_FINAL_TYPE (AgTokenStore, ag_token_store, G_TYPE_OBJECT)

static void
ag_token_store_finalize (GObject *object)
{
  AgTokenStore *self = AG_TOKEN_STORE (object);

  g_clear_pointer (&self->schema, secret_schema_unref);
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
ag_token_store_new (const char *schema_name)
{
  AgTokenStore *self;

  g_return_val_if_fail (schema_name != NULL, NULL);

  self = g_object_new (AG_TYPE_TOKEN_STORE, NULL);
  self->schema = secret_schema_new (schema_name, SECRET_SCHEMA_NONE,
                                    "kind", SECRET_SCHEMA_ATTRIBUTE_STRING,
                                    "issuer", SECRET_SCHEMA_ATTRIBUTE_STRING,
                                    "client_id", SECRET_SCHEMA_ATTRIBUTE_STRING,
                                    NULL);
  return self;
}

/* Every libsecret or D-Bus failure is one thing to the user: the keyring
 * cannot be used. Cancellation stays cancellation. */
static void
return_keyring_error (GTask  *task,
                      GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_new_error (task, AG_ERROR, AG_ERROR_CANCELLED, _("The operation was cancelled"));
  else
    {
      g_debug ("Keyring: %s", error->message);
      g_task_return_new_error (task, AG_ERROR, AG_ERROR_KEYRING_UNAVAILABLE,
                               _("The keyring is not available: %s"), error->message);
    }
  g_error_free (error);
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    return_keyring_error (task, error);
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
  g_autoptr(GTask) task = NULL;
  char *json;

  g_return_if_fail (AG_IS_TOKEN_STORE (self));
  g_return_if_fail (AG_IS_TOKEN_SET (tokens));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_token_store_save_async);

  json = ag_token_set_serialize (tokens);
  /* Same attributes replace the item in one call: never a moment with no
   * session stored, never two. */
  secret_password_store (self->schema, SECRET_COLLECTION_DEFAULT, _("Authgear Login session"), json,
                         cancellable, stored_cb, g_steal_pointer (&task),
                         "kind", KIND_SESSION,
                         "issuer", ag_token_set_get_issuer (tokens),
                         "client_id", ag_token_set_get_client_id (tokens),
                         NULL);
  ag_secure_free (json);
}

gboolean
ag_token_store_save_finish (AgTokenStore  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Keyring reads run in a worker thread on libsecret's synchronous calls:
 * their D-Bus round trips then never wait for the window to paint a frame,
 * and a stored session is there by the time the first frame is. */
typedef struct
{
  const char *kind;
  char *issuer;
  char *client_id;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_free (lookup->issuer);
  g_free (lookup->client_id);
  g_free (lookup);
}

static AgTokenSet *
session_from_json (AgTokenStore *self,
                   const char   *json,
                   Lookup       *lookup)
{
  AgTokenSet *tokens = ag_token_set_deserialize (json, NULL);
  g_autoptr(GError) error = NULL;

  if (tokens != NULL &&
      g_strcmp0 (ag_token_set_get_issuer (tokens), lookup->issuer) == 0 &&
      g_strcmp0 (ag_token_set_get_client_id (tokens), lookup->client_id) == 0)
    return tokens;

  g_debug ("The stored session is not valid: removing it");
  g_clear_object (&tokens);
  if (!secret_password_clear_sync (self->schema, NULL, &error,
                                   "kind", KIND_SESSION,
                                   "issuer", lookup->issuer,
                                   "client_id", lookup->client_id,
                                   NULL) && error != NULL)
    g_debug ("Could not remove an invalid stored session: %s", error->message);
  return NULL;
}

static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AgTokenStore *self = source_object;
  Lookup *lookup = task_data;
  GError *error = NULL;
  char *value;

  value = secret_password_lookup_sync (self->schema, cancellable, &error,
                                       "kind", lookup->kind,
                                       "issuer", lookup->issuer,
                                       "client_id", lookup->client_id,
                                       NULL);
  if (error != NULL)
    return_keyring_error (task, error);
  else if (value == NULL)
    g_task_return_pointer (task, NULL, NULL);
  else if (g_str_equal (lookup->kind, KIND_CLIENT_SECRET))
    g_task_return_pointer (task, g_steal_pointer (&value), (GDestroyNotify) secret_password_free);
  else
    g_task_return_pointer (task, session_from_json (self, value, lookup), g_object_unref);
  secret_password_free (value);
}

static void
lookup_async (AgTokenStore        *self,
              const char          *kind,
              const char          *issuer,
              const char          *client_id,
              gpointer             source_tag,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Lookup *lookup = g_new0 (Lookup, 1);

  lookup->kind = kind;
  lookup->issuer = g_strdup (issuer);
  lookup->client_id = g_strdup (client_id);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, lookup, (GDestroyNotify) lookup_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, lookup_thread);
}

void
ag_token_store_load_async (AgTokenStore        *self,
                           const char          *issuer,
                           const char          *client_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (AG_IS_TOKEN_STORE (self));
  g_return_if_fail (issuer != NULL && client_id != NULL);

  lookup_async (self, KIND_SESSION, issuer, client_id, ag_token_store_load_async,
                cancellable, callback, user_data);
}

AgTokenSet *
ag_token_store_load_finish (AgTokenStore  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
cleared_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without error: there was nothing to remove. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    return_keyring_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
ag_token_store_clear_async (AgTokenStore        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (AG_IS_TOKEN_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_token_store_clear_async);
  secret_password_clear (self->schema, cancellable, cleared_cb, g_steal_pointer (&task),
                         "kind", KIND_SESSION,
                         NULL);
}

gboolean
ag_token_store_clear_finish (AgTokenStore  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ag_token_store_save_client_secret_async (AgTokenStore        *self,
                                         const char          *issuer,
                                         const char          *client_id,
                                         const char          *secret,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (AG_IS_TOKEN_STORE (self));
  g_return_if_fail (issuer != NULL && client_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_token_store_save_client_secret_async);

  if (secret == NULL || *secret == '\0')
    secret_password_clear (self->schema, cancellable, cleared_cb, g_steal_pointer (&task),
                           "kind", KIND_CLIENT_SECRET, "issuer", issuer, "client_id", client_id, NULL);
  else
    secret_password_store (self->schema, SECRET_COLLECTION_DEFAULT, _("Authgear Login client secret"), secret,
                           cancellable, stored_cb, g_steal_pointer (&task),
                           "kind", KIND_CLIENT_SECRET, "issuer", issuer, "client_id", client_id, NULL);
}

gboolean
ag_token_store_save_client_secret_finish (AgTokenStore  *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ag_token_store_load_client_secret_async (AgTokenStore        *self,
                                         const char          *issuer,
                                         const char          *client_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (AG_IS_TOKEN_STORE (self));
  g_return_if_fail (issuer != NULL && client_id != NULL);

  lookup_async (self, KIND_CLIENT_SECRET, issuer, client_id, ag_token_store_load_client_secret_async,
                cancellable, callback, user_data);
}

char *
ag_token_store_load_client_secret_finish (AgTokenStore  *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  char *secret;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  /* secret_password_free() wipes; hand back a g_malloc'd copy the caller
   * frees with ag_secure_free(). */
  secret = g_task_propagate_pointer (G_TASK (result), error);
  if (secret != NULL)
    {
      char *copy = g_strdup (secret);
      secret_password_free (secret);
      return copy;
    }
  return NULL;
}
