/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One secret read from the keyring, paying for the key exchange only when
 * there is a secret to read.
 *
 * A lookup opens an encrypted session with the Secret Service first: a
 * Diffie-Hellman exchange, in this process (libgcrypt) and in the keyring
 * daemon, before it even searches. A search without the secrets opens
 * none, and finds locked items as well as unlocked ones. So a search comes
 * first, and the lookup (which unlocks, as before) only when it found an
 * item. Most starts read something that is not there (a client secret
 * nobody keeps, the session of someone signed out), and their window no
 * longer shares the machine's cores with that exchange while GTK starts
 * and builds it; a start that does find something makes one more D-Bus
 * round trip, on the worker thread.
 *
 * The search runs in a main context of this call's own, not through
 * secret_password_searchv_sync(): each item found is a D-Bus proxy whose
 * signal subscriptions are released, when it goes, by idles in the context
 * it was made in. libsecret's _sync wrapper makes it in a private context
 * that nobody runs again, and three small allocations per item were lost
 * (valgrind and LeakSanitizer saw them; GLib 2.74, libsecret 0.20.5). Here
 * the context runs until those idles are done. */

#include "config.h"

#include "ag-secret-lookup.h"

static void
searched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Is anything kept under @attributes? */
static gboolean
anything_kept (const SecretSchema  *schema,
               GHashTable          *attributes,
               GCancellable        *cancellable,
               GError             **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;
  GList *found;
  gboolean kept;

  g_main_context_push_thread_default (context);
  secret_password_searchv (schema, attributes, SECRET_SEARCH_NONE, cancellable, searched_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  found = secret_password_search_finish (result, error);
  kept = found != NULL;
  g_list_free_full (found, g_object_unref);
  g_clear_object (&result);
  /* The items' releases, queued here. */
  while (g_main_context_pending (context))
    g_main_context_iteration (context, FALSE);
  g_main_context_pop_thread_default (context);
  return kept;
}

char *
ag_secret_lookup_sync (const SecretSchema  *schema,
                       GHashTable          *attributes,
                       GCancellable        *cancellable,
                       GError             **error)
{
  if (!anything_kept (schema, attributes, cancellable, error))
    return NULL;
  return secret_password_lookupv_sync (schema, attributes, cancellable, error);
}
