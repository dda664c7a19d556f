/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the .env parser. Built with -Dfuzzing=true (clang); run by
 * build-aux/run-fuzz. Any crash or sanitizer report is a bug; a crash input
 * found becomes a file in tests/fuzz/regressions/ and a case in the unit
 * tests. */
#include "config.h"

#include <string.h>

#include "ag-app-config.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GHashTable) table = ag_dotenv_parse ((const char *) data, (gssize) size, NULL);

  return 0;
}
