/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the discovery document parser. Built with -Dfuzzing=true (clang); run by
 * build-aux/run-fuzz. Any crash or sanitizer report is a bug; a crash input
 * found becomes a file in tests/fuzz/regressions/ and a case in the unit
 * tests. */
#include "config.h"

#include <string.h>

#include "ag-provider.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static SoupSession *session;
  g_autoptr(AgProvider) provider = NULL;

  if (session == NULL)
    session = soup_session_new ();
  provider = ag_provider_new (session, "https://auth.example", NULL);
  ag_provider_parse_metadata (provider, (const char *) data, size, NULL);
  return 0;
}
