/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the redirect URI matcher and the redirect parser. Built with -Dfuzzing=true (clang); run by
 * build-aux/run-fuzz. Any crash or sanitizer report is a bug; a crash input
 * found becomes a file in tests/fuzz/regressions/ and a case in the unit
 * tests. */
#include "config.h"

#include <string.h>

#include "ag-auth-request.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static AgAuthRequest *request;
  g_autofree char *uri = g_strndup ((const char *) data, size);
  g_autofree char *code = NULL;

  if (request == NULL)
    request = ag_auth_request_new ("https://auth.example/oauth2/authorize", "https://auth.example", TRUE,
                                   "client", "http://localhost:3000/callback", "openid offline_access", NULL);
  if (ag_redirect_uri_matches ("http://localhost:3000/callback", uri))
    code = ag_auth_request_parse_redirect (request, uri, NULL);
  return 0;
}
