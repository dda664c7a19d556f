/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AgKeyring: text in the Secret Service, the bottom of the token storage
 * (AuthgearKeyringTokenStorage is built on it; AgTokenStore above it
 * never names it). */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "ag-error.h"
#include "ag-keyring.h"
#include "ag-secret-lookup.h"
#include "ag-secret-portal.h"
#include "ag-secure.h"

#define KIND_SESSION "session"

/*
 * Every keyring operation of the process runs, in the order it was asked
 * for, on one worker thread, with libsecret's synchronous calls:
 *
 * - in order, so that a Logout's clear always comes after the save of the
 *   sign-in before it, and the session cannot come back after Logout;
 * - one at a time across every keyring of the process: libsecret 0.20's
 *   clear returns twice (an error, then success) when another clear removed
 *   the item between its search and its delete, and two keyrings of one
 *   schema (a program's and authgear-glib's, or a test's) must not race
 *   there;
 * - off the main thread, so that the D-Bus round trips never wait for the
 *   window to paint a frame: a stored session is read while GTK draws the
 *   first one;
 * - in a Flatpak, after the Secret portal's answer, waited for so that it
 *   cannot be lost (ag-secret-portal.c).
 */
struct _AgKeyring
{
  GObject parent_instance;

  SecretSchema *schema;
  const char *label;
};

G_DEFINE_FINAL_TYPE (AgKeyring, ag_keyring, G_TYPE_OBJECT)

typedef enum
{
  OP_LOOKUP,
  OP_STORE,
  OP_CLEAR,
} OpType;

typedef struct
{
  OpType type;
  char *issuer;      /* NULL: any */
  char *client_id;   /* NULL: any */
  char *text;        /* wiped when freed */
} Op;

static void
op_free (Op *op)
{
  g_free (op->issuer);
  g_free (op->client_id);
  ag_secure_free (op->text);
  g_free (op);
}

static GHashTable *
op_attributes (Op *op)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) "kind", (gpointer) KIND_SESSION);
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

/* A clear that failed, while what it was to remove is gone all the same
 * (another program removed it between libsecret's search and its delete),
 * did what was asked. FALSE without error from libsecret: there was
 * nothing to remove. */
static gboolean
run_clear (AgKeyring     *self,
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
  AgKeyring *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = op_attributes (op);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;
  char *text;

  g_debug ("Keyring: %s", op->type == OP_LOOKUP ? "lookup" : op->type == OP_STORE ? "store" : "clear");
  if (!ag_secret_portal_wait (cancellable) && g_cancellable_set_error_if_cancelled (cancellable, &error))
    return_keyring_error (task, error);
  else if (op->type == OP_LOOKUP)
    {
      /* No session kept (signed out): no key exchange at the start. */
      text = ag_secret_lookup_sync (self->schema, attributes, cancellable, &error);
      if (error != NULL)
        return_keyring_error (task, error);
      else
        /* secret_password_free() wipes; the caller gets a copy it frees
         * with ag_secure_free(). */
        g_task_return_pointer (task, g_strdup (text), (GDestroyNotify) ag_secure_free);
      secret_password_free (text);
    }
  else if (op->type == OP_STORE)
    {
      if (!secret_password_storev_sync (self->schema, attributes, SECRET_COLLECTION_DEFAULT, self->label,
                                        op->text, cancellable, &error))
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

static void
queue (AgKeyring           *self,
       OpType               type,
       const char          *issuer,
       const char          *client_id,
       const char          *text,
       gpointer             source_tag,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  op->type = type;
  op->issuer = g_strdup (issuer);
  op->client_id = g_strdup (client_id);
  op->text = g_strdup (text);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  g_thread_pool_push (keyring_worker (), task, NULL);
}

static void
ag_keyring_finalize (GObject *object)
{
  g_clear_pointer (&AG_KEYRING (object)->schema, secret_schema_unref);
  G_OBJECT_CLASS (ag_keyring_parent_class)->finalize (object);
}

static void
ag_keyring_class_init (AgKeyringClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ag_keyring_finalize;
}

static void
ag_keyring_init (AgKeyring *self)
{
}

AgKeyring *
ag_keyring_new (const char *schema_name,
                const char *label)
{
  AgKeyring *self;

  g_return_val_if_fail (schema_name != NULL && label != NULL, NULL);

  self = g_object_new (AG_TYPE_KEYRING, NULL);
  self->label = label;
  self->schema = secret_schema_new (schema_name, SECRET_SCHEMA_NONE,
                                    "kind", SECRET_SCHEMA_ATTRIBUTE_STRING,
                                    "issuer", SECRET_SCHEMA_ATTRIBUTE_STRING,
                                    "client_id", SECRET_SCHEMA_ATTRIBUTE_STRING,
                                    NULL);
  return self;
}

void
ag_keyring_store_async (AgKeyring           *self,
                        const char          *issuer,
                        const char          *client_id,
                        const char          *text,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (AG_IS_KEYRING (self));
  g_return_if_fail (issuer != NULL && client_id != NULL && text != NULL);

  /* Same attributes replace the item in one call: never a moment with no
   * session stored, never two. */
  queue (self, OP_STORE, issuer, client_id, text, ag_keyring_store_async, cancellable, callback, user_data);
}

gboolean
ag_keyring_store_finish (AgKeyring     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ag_keyring_lookup_async (AgKeyring           *self,
                         const char          *issuer,
                         const char          *client_id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (AG_IS_KEYRING (self));
  g_return_if_fail (issuer != NULL && client_id != NULL);

  queue (self, OP_LOOKUP, issuer, client_id, NULL, ag_keyring_lookup_async, cancellable, callback, user_data);
}

char *
ag_keyring_lookup_finish (AgKeyring     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ag_keyring_clear_async (AgKeyring           *self,
                        const char          *issuer,
                        const char          *client_id,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (AG_IS_KEYRING (self));
  g_return_if_fail ((issuer == NULL) == (client_id == NULL));

  queue (self, OP_CLEAR, issuer, client_id, NULL, ag_keyring_clear_async, cancellable, callback, user_data);
}

gboolean
ag_keyring_clear_finish (AgKeyring     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
