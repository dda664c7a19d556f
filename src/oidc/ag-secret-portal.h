/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* In a Flatpak (or a Snap), libsecret keeps secrets in a file whose key the
 * Secret portal gives. Call this on a worker thread before any libsecret
 * call there: it returns once libsecret has that key (at once when it has,
 * and outside a sandbox), or FALSE when @cancellable was cancelled first.
 * See ag-secret-portal.c for why. */
gboolean ag_secret_portal_wait (GCancellable *cancellable);

G_END_DECLS
