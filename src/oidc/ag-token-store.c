/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AgTokenStore owns the keyring (Secret Service): sessions and client
 * secrets per issuer and client ID, in the order they were asked for. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "ag-error.h"
#include "ag-secure.h"
#include "ag-token-store.h"
#include "authgear-glib.h"
#include "authgear-private.h"

#define KIND_SESSION "session"

/*
 * Every keyring operation of the process runs, in the order it was asked
 * for, on one worker thread, with libsecret's synchronous calls:
 *
 * - in order, so that a Logout's clear always comes after the save of the
 *   sign-in before it, and the session cannot come back after Logout;
 * - one at a time across every store of the process: libsecret 0.20's clear
 *   returns twice (an error, then success) when another clear removed the
 *   item between its search and its delete, and two stores of one schema
 *   (a program's and authgear-glib's, or a test's) must not race there;
 * - off the main thread, so that the D-Bus round trips never wait for the
 *   window to paint a frame: a stored session is read while GTK draws the
 *   first one.
 */
struct _AgTokenStore
{
  GObject parent_instance;

  SecretSchema *schema;
  const char *label;               /* of the keyring items of sessions */
  AuthgearTokenStorage *backend;   /* sessions go there instead, as text */
};

G_DEFINE_FINAL_TYPE (AgTokenStore, ag_token_store, G_TYPE_OBJECT)

typedef enum
{
  OP_LOOKUP,
  OP_STORE,
  OP_CLEAR,
} OpType;

typedef struct
{
  OpType type;
  const char *kind;
  char *issuer;      /* NULL: any */
  char *client_id;   /* NULL: any */
  const char *label;
  char *secret;      /* wiped when freed */
  gboolean raw;      /* a lookup returns the stored text as it is */
} Op;

static void
op_free (Op *op)
{
  g_free (op->issuer);
  g_free (op->client_id);
  ag_secure_free (op->secret);
  g_free (op);
}

static GHashTable *
op_attributes (Op *op)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) "kind", (gpointer) op->kind);
  if (op->issuer != NULL)
    g_hash_table_insert (attributes, (gpointer) "issuer", op->issuer);
  if (op->client_id != NULL)
    g_hash_table_insert (attributes, (gpointer) "client_id", op->client_id);
  return attributes;
}

/* Every libsecret or D-Bus failure is one thing to the user: the keyring
 * cannot be used. Cancellation stays cancellation. */
static void
return_keyring_error (GTask  *task,
                      GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }
  g_debug ("Keyring: %s", error->message);
  g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_STORAGE_UNAVAILABLE,
                           _("The keyring is not available: %s"), error->message);
  g_error_free (error);
}

/* A stored session that does not parse, or belongs to another issuer or
 * client, is no session: it is removed. */
static AgTokenSet *
session_from_json (AgTokenStore *self,
                   const char   *json,
                   Op           *op,
                   GHashTable   *attributes)
{
  AgTokenSet *tokens = ag_token_set_deserialize (json, NULL);
  g_autoptr(GError) error = NULL;

  if (tokens != NULL &&
      g_strcmp0 (ag_token_set_get_issuer (tokens), op->issuer) == 0 &&
      g_strcmp0 (ag_token_set_get_client_id (tokens), op->client_id) == 0)
    return tokens;

  g_debug ("The stored session is not valid: removing it");
  g_clear_object (&tokens);
  if (!secret_password_clearv_sync (self->schema, attributes, NULL, &error) && error != NULL)
    g_debug ("Could not remove an invalid stored session: %s", error->message);
  return NULL;
}

static void
run_lookup (AgTokenStore *self,
            GTask        *task,
            Op           *op,
            GHashTable   *attributes)
{
  GError *error = NULL;
  char *value = secret_password_lookupv_sync (self->schema, attributes, g_task_get_cancellable (task), &error);

  if (error != NULL)
    return_keyring_error (task, error);
  else if (value == NULL)
    g_task_return_pointer (task, NULL, NULL);
  else if (op->raw)
    g_task_return_pointer (task, g_steal_pointer (&value), (GDestroyNotify) secret_password_free);
  else
    g_task_return_pointer (task, session_from_json (self, value, op, attributes), g_object_unref);
  secret_password_free (value);
}

/* A clear that failed, while what it was to remove is gone all the same
 * (another program removed it between libsecret's search and its delete),
 * did what was asked. FALSE without error from libsecret: there was
 * nothing to remove. */
static gboolean
run_clear (AgTokenStore  *self,
           GHashTable    *attributes,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GError) again = NULL;
  char *left;

  if (secret_password_clearv_sync (self->schema, attributes, cancellable, error) || *error == NULL)
    return TRUE;
  if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  left = secret_password_lookupv_sync (self->schema, attributes, cancellable, &again);
  if (left == NULL && again == NULL)
    {
      g_debug ("Keyring: the clear failed, and nothing is left: %s", (*error)->message);
      g_clear_error (error);
      return TRUE;
    }
  secret_password_free (left);
  return FALSE;
}

static void
worker_cb (gpointer data,
           gpointer user_data)
{
  GTask *task = data;
  AgTokenStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = op_attributes (op);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  g_debug ("Keyring: %s %s", op->type == OP_LOOKUP ? "lookup" : op->type == OP_STORE ? "store" : "clear", op->kind);
  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    return_keyring_error (task, error);
  else if (op->type == OP_LOOKUP)
    run_lookup (self, task, op, attributes);
  else if (op->type == OP_STORE)
    {
      if (!secret_password_storev_sync (self->schema, attributes, SECRET_COLLECTION_DEFAULT, op->label,
                                        op->secret, cancellable, &error))
        return_keyring_error (task, error);
      else
        g_task_return_boolean (task, TRUE);
    }
  else if (!run_clear (self, attributes, cancellable, &error))
    return_keyring_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static GThreadPool *
keyring_worker (void)
{
  static GThreadPool *worker;

  /* One thread, not exclusive: operations run one at a time, in order. */
  if (g_once_init_enter (&worker))
    g_once_init_leave (&worker, g_thread_pool_new (worker_cb, NULL, 1, FALSE, NULL));
  return worker;
}

static void to_backend (AgTokenStore *self,
                        GTask        *task);

static void
queue (AgTokenStore        *self,
       Op                  *op,
       gpointer             source_tag,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  /* A program's own storage keeps the sessions (the raw text calls are
   * the keyring storage's own, never in backend mode). */
  if (self->backend == NULL)
    g_thread_pool_push (keyring_worker (), task, NULL);
  else
    to_backend (self, task);
}

static const char *
session_label (AgTokenStore *self)
{
  return self->label ? self->label : _("Authgear Login session");
}

static Op *
op_new (OpType      type,
        const char *kind,
        const char *issuer,
        const char *client_id)
{
  Op *op = g_new0 (Op, 1);

  op->type = type;
  op->kind = kind;
  op->issuer = g_strdup (issuer);
  op->client_id = g_strdup (client_id);
  return op;
}

static void
ag_token_store_finalize (GObject *object)
{
  AgTokenStore *self = AG_TOKEN_STORE (object);

  g_clear_pointer (&self->schema, secret_schema_unref);
  g_clear_object (&self->backend);
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

AgTokenStore *
ag_token_store_new_for_storage (AuthgearTokenStorage *storage)
{
  AgTokenStore *self;

  g_return_val_if_fail (AUTHGEAR_IS_TOKEN_STORAGE (storage), NULL);

  /* A keyring store is itself: its worker keeps the order. */
  if (AUTHGEAR_IS_KEYRING_TOKEN_STORAGE (storage))
    return g_object_ref (_authgear_keyring_token_storage_get_store (AUTHGEAR_KEYRING_TOKEN_STORAGE (storage)));
  self = g_object_new (AG_TYPE_TOKEN_STORE, NULL);
  self->backend = g_object_ref (storage);
  return self;
}

void
ag_token_store_set_label (AgTokenStore *self,
                          const char   *label)
{
  g_return_if_fail (AG_IS_TOKEN_STORE (self));
  self->label = label;
}

/* The session operations on a storage backend. */

static void
backend_done_cb (GObject      *object,
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

static void
backend_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AgTokenStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  char *text = authgear_token_storage_load_finish (AUTHGEAR_TOKEN_STORAGE (object), result, &error);
  AgTokenSet *tokens;

  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (text == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  tokens = ag_token_set_deserialize (text, NULL);
  ag_secure_free (text);
  if (tokens != NULL &&
      (g_strcmp0 (ag_token_set_get_issuer (tokens), op->issuer) != 0 ||
       g_strcmp0 (ag_token_set_get_client_id (tokens), op->client_id) != 0))
    g_clear_object (&tokens);
  if (tokens == NULL)
    {
      g_debug ("The stored session is not valid: removing it");
      authgear_token_storage_clear_async (self->backend, op->issuer, op->client_id, NULL, NULL, NULL);
    }
  g_task_return_pointer (task, tokens, g_object_unref);
}

/* Runs @task's session operation on the storage backend, as text. */
static void
to_backend (AgTokenStore *self,
            GTask        *task)
{
  Op *op = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (op->type == OP_STORE)
    authgear_token_storage_save_async (self->backend, op->issuer, op->client_id, op->secret,
                                       cancellable, backend_done_cb, task);
  else if (op->type == OP_LOOKUP)
    authgear_token_storage_load_async (self->backend, op->issuer, op->client_id,
                                       cancellable, backend_loaded_cb, task);
  else
    authgear_token_storage_clear_async (self->backend, op->issuer, op->client_id,
                                        cancellable, backend_done_cb, task);
}

void
ag_token_store_save_async (AgTokenStore        *self,
                           AgTokenSet          *tokens,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  Op *op;

  g_return_if_fail (AG_IS_TOKEN_STORE (self));
  g_return_if_fail (AG_IS_TOKEN_SET (tokens));

  /* Same attributes replace the item in one call: never a moment with no
   * session stored, never two. */
  op = op_new (OP_STORE, KIND_SESSION, ag_token_set_get_issuer (tokens), ag_token_set_get_client_id (tokens));
  op->label = session_label (self);
  op->secret = ag_token_set_serialize (tokens);
  queue (self, op, ag_token_store_save_async, cancellable, callback, user_data);
}

gboolean
ag_token_store_save_finish (AgTokenStore  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
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

  queue (self, op_new (OP_LOOKUP, KIND_SESSION, issuer, client_id), ag_token_store_load_async,
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

void
ag_token_store_clear_async (AgTokenStore        *self,
                            const char          *issuer,
                            const char          *client_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (AG_IS_TOKEN_STORE (self));
  g_return_if_fail ((issuer == NULL) == (client_id == NULL));

  queue (self, op_new (OP_CLEAR, KIND_SESSION, issuer, client_id), ag_token_store_clear_async,
         cancellable, callback, user_data);
}

gboolean
ag_token_store_clear_finish (AgTokenStore  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

char *
ag_token_store_load_text_finish (AgTokenStore  *self,
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

/* The text of a session, as AuthgearKeyringTokenStorage keeps it. */

void
ag_token_store_save_text_async (AgTokenStore        *self,
                                const char          *issuer,
                                const char          *client_id,
                                const char          *text,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  Op *op;

  g_return_if_fail (AG_IS_TOKEN_STORE (self) && self->backend == NULL);
  g_return_if_fail (issuer != NULL && client_id != NULL && text != NULL);

  op = op_new (OP_STORE, KIND_SESSION, issuer, client_id);
  op->label = session_label (self);
  op->secret = g_strdup (text);
  queue (self, op, ag_token_store_save_async, cancellable, callback, user_data);
}

void
ag_token_store_load_text_async (AgTokenStore        *self,
                                const char          *issuer,
                                const char          *client_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  Op *op;

  g_return_if_fail (AG_IS_TOKEN_STORE (self) && self->backend == NULL);
  g_return_if_fail (issuer != NULL && client_id != NULL);

  op = op_new (OP_LOOKUP, KIND_SESSION, issuer, client_id);
  op->raw = TRUE;
  queue (self, op, ag_token_store_load_text_async, cancellable, callback, user_data);
}

