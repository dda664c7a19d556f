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
 * round trip, on the worker thread. */

#include "config.h"

#include "ag-secret-lookup.h"

char *
ag_secret_lookup_sync (const SecretSchema  *schema,
                       GHashTable          *attributes,
                       GCancellable        *cancellable,
                       GError             **error)
{
  GList *found = secret_password_searchv_sync (schema, attributes, SECRET_SEARCH_NONE, cancellable, error);

  if (found == NULL)
    return NULL;
  g_list_free_full (found, g_object_unref);
  return secret_password_lookupv_sync (schema, attributes, cancellable, error);
}
