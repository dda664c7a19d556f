/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The client secret typed in Preferences, kept in the keyring (never in a
 * file) for the issuer and client ID it belongs to. The session itself is
 * authgear-glib's (AuthgearKeyringTokenStorage, the same schema). */

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "ag-client-secret.h"
#include "ag-secret-lookup.h"
#include "ag-secret-portal.h"
#include "ag-secure.h"
#include "authgear-glib.h"

static const SecretSchema *
schema (void)
{
  static const SecretSchema the_schema = {
    APP_ID, SECRET_SCHEMA_NONE,
    {
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "issuer", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "client_id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &the_schema;
}

static GHashTable *
attributes_for (const char *issuer,
                const char *client_id)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (gpointer) "kind", g_strdup ("client-secret"));
  g_hash_table_insert (attributes, (gpointer) "issuer", g_strdup (issuer));
  g_hash_table_insert (attributes, (gpointer) "client_id", g_strdup (client_id));
  return attributes;
}

/* libsecret's error, said as what the person can do about it. */
static GError *
keyring_error (GError *error)
{
  GError *said;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;
  said = g_error_new (AUTHGEAR_ERROR, AUTHGEAR_ERROR_STORAGE_UNAVAILABLE,
                      _("The keyring is not available: %s"), error->message);
  g_error_free (error);
  return said;
}

/* On a worker thread: the lookup, after the Secret portal's wait
 * (ag-secret-portal.c). Frees with secret_password_free(). */
static char *
look_up_sync (GHashTable    *attributes,
              GCancellable  *cancellable,
              GError       **error)
{
  if (!ag_secret_portal_wait (cancellable))
    {
      g_cancellable_set_error_if_cancelled (cancellable, error);
      return NULL;
    }
  /* Most people keep no client secret: then no key exchange runs beside
   * GTK's start (about 20 ms of the first frame, alternated starts). */
  return ag_secret_lookup_sync (schema (), attributes, cancellable, error);
}

/* In a thread: the start-up reads this before it can restore the session,
 * and the main loop is busy with the first frame then. */
static void
look_up_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  char *secret = look_up_sync (task_data, cancellable, &error);

  if (error != NULL)
    g_task_return_error (task, keyring_error (error));
  else
    g_task_return_pointer (task, g_strdup (secret), (GDestroyNotify) ag_secure_free);
  /* libsecret's own free wipes its copy. */
  secret_password_free (secret);
}

void
ag_client_secret_load_async (const char          *issuer,
                             const char          *client_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, ag_client_secret_load_async);
  g_task_set_task_data (task, attributes_for (issuer, client_id), (GDestroyNotify) g_hash_table_unref);
  g_task_run_in_thread (task, look_up_thread);
}

char *
ag_client_secret_load_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A read begun before the main loop runs (the start, while GTK starts):
 * its answer is taken on the main thread without a main-loop turn. */
struct _AgClientSecretRead
{
  gatomicrefcount ref;
  GMutex lock;
  gboolean answered;
  char *issuer;
  char *client_id;
  char *secret;
  GError *error;
  GCancellable *cancellable;
};

static void
read_unref (AgClientSecretRead *read)
{
  if (!g_atomic_ref_count_dec (&read->ref))
    return;
  g_mutex_clear (&read->lock);
  g_free (read->issuer);
  g_free (read->client_id);
  ag_secure_free (read->secret);
  g_clear_error (&read->error);
  g_object_unref (read->cancellable);
  g_free (read);
}

static gpointer
read_thread (gpointer data)
{
  AgClientSecretRead *read = data;
  g_autoptr(GHashTable) attributes = attributes_for (read->issuer, read->client_id);
  GError *error = NULL;
  char *secret = look_up_sync (attributes, read->cancellable, &error);

  g_mutex_lock (&read->lock);
  read->answered = TRUE;
  read->secret = secret != NULL ? g_strdup (secret) : NULL;
  read->error = error != NULL ? keyring_error (error) : NULL;
  g_mutex_unlock (&read->lock);
  secret_password_free (secret);
  read_unref (read);
  return NULL;
}

AgClientSecretRead *
ag_client_secret_read_begin (const char *issuer,
                             const char *client_id)
{
  AgClientSecretRead *read = g_new0 (AgClientSecretRead, 1);

  g_atomic_ref_count_init (&read->ref);
  g_mutex_init (&read->lock);
  read->issuer = g_strdup (issuer);
  read->client_id = g_strdup (client_id);
  read->cancellable = g_cancellable_new ();
  g_atomic_ref_count_inc (&read->ref);   /* the thread's */
  g_thread_unref (g_thread_new ("ag-client-secret", read_thread, read));
  return read;
}

void
ag_client_secret_read_drop (AgClientSecretRead *read)
{
  g_cancellable_cancel (read->cancellable);
  read_unref (read);
}

gboolean
ag_client_secret_read_take (AgClientSecretRead  *read,
                            const char          *issuer,
                            const char          *client_id,
                            char               **secret,
                            GError             **error)
{
  gboolean answered;

  g_mutex_lock (&read->lock);
  answered = read->answered && g_strcmp0 (issuer, read->issuer) == 0 && g_strcmp0 (client_id, read->client_id) == 0;
  if (answered)
    {
      *secret = g_steal_pointer (&read->secret);
      if (read->error != NULL)
        g_propagate_error (error, g_steal_pointer (&read->error));
    }
  g_mutex_unlock (&read->lock);
  /* Not answered: a keyring that waits (locked, or not answering). The
   * caller asks again the usual way; this one is let go. */
  ag_client_secret_read_drop (read);
  return answered;
}

typedef struct
{
  GHashTable *attributes;
  char *secret;   /* NULL or empty: remove it; wiped when freed */
} Save;

static void
save_free (Save *save)
{
  g_hash_table_unref (save->attributes);
  ag_secure_free (save->secret);
  g_free (save);
}

/* In a thread, as the reads: the Secret portal's wait (ag-secret-portal.c)
 * is one a thread makes. */
static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Save *save = task_data;
  GError *error = NULL;
  gboolean ok;

  if (!ag_secret_portal_wait (cancellable))
    ok = !g_cancellable_set_error_if_cancelled (cancellable, &error);
  else if (save->secret == NULL || *save->secret == '\0')
    /* FALSE with no error: there was nothing to remove. */
    ok = secret_password_clearv_sync (schema (), save->attributes, cancellable, &error) || error == NULL;
  else
    ok = secret_password_storev_sync (schema (), save->attributes, SECRET_COLLECTION_DEFAULT,
                                      _("Authgear Login client secret"), save->secret, cancellable, &error);
  if (!ok && error != NULL)
    g_task_return_error (task, keyring_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

void
ag_client_secret_save_async (const char          *issuer,
                             const char          *client_id,
                             const char          *secret,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Save *save = g_new0 (Save, 1);

  save->attributes = attributes_for (issuer, client_id);
  save->secret = g_strdup (secret);
  g_task_set_source_tag (task, ag_client_secret_save_async);
  g_task_set_task_data (task, save, (GDestroyNotify) save_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
ag_client_secret_save_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
