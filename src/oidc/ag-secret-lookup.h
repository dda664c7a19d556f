/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsecret/secret.h>

G_BEGIN_DECLS

/* secret_password_lookupv_sync(), for a worker thread, that opens the
 * Secret Service's encrypted session only when there is a secret to carry
 * (ag-secret-lookup.c says why). Frees with secret_password_free(). */
char *ag_secret_lookup_sync (const SecretSchema  *schema,
                             GHashTable          *attributes,
                             GCancellable        *cancellable,
                             GError             **error);

G_END_DECLS
