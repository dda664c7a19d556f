/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the JWKS parser. Built with -Dfuzzing=true (clang); run by
 * build-aux/run-fuzz. Any crash or sanitizer report is a bug; a crash input
 * found becomes a file in tests/fuzz/regressions/ and a case in the unit
 * tests. */
#include "config.h"

#include <string.h>

#include "ag-jwt.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(AgJwks) jwks = ag_jwks_parse ((const char *) data, size, NULL);

  if (jwks != NULL)
    {
      ag_jwks_get_n_keys (jwks);
      ag_jwks_has_key (jwks, "rs-1");
    }
  return 0;
}
