/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hooks for the core's tests only: neither the library's users nor the app
 * call these. */
#pragma once

#include "ag-session.h"
#include "ag-token-store.h"
#include "authgear-glib.h"

G_BEGIN_DECLS

/* The first retry delay after a passing refresh failure (30 s by default);
 * the back-off doubles from there, capped at 30 times it. */
void ag_session_set_refresh_retry_first_ms (AgSession *self,
                                            guint      msec);

/* A token store in the Secret Service under @schema_name. */
static inline AgTokenStore *
ag_test_keyring_store (const char *schema_name)
{
  g_autoptr(AuthgearTokenStorage) storage = authgear_keyring_token_storage_new (schema_name);

  return ag_token_store_new (storage);
}

G_END_DECLS
