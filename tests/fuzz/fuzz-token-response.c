/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the token-response parser and the stored-session format. Built with -Dfuzzing=true (clang); run by
 * build-aux/run-fuzz. Any crash or sanitizer report is a bug; a crash input
 * found becomes a file in tests/fuzz/regressions/ and a case in the unit
 * tests. */
#include "config.h"

#include <string.h>

#include "ag-http.h"
#include "ag-token-set.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(JsonObject) object = ag_http_parse_json_object (bytes, "token response", NULL);
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(AgTokenSet) stored = NULL;

  if (object != NULL)
    {
      g_autoptr(AgTokenSet) tokens = ag_token_set_new_from_response (object, "https://auth.example", "client",
                                                                     1700000000, NULL);
      if (tokens != NULL)
        {
          g_autofree char *json = ag_token_set_dup_response_json (tokens, FALSE);
          g_autofree char *serialized = ag_token_set_serialize (tokens);
        }
    }
  /* The keyring's item: validated on load. */
  stored = ag_token_set_deserialize (text, NULL);
  return 0;
}
