/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the JWS/JWT parser, the signature check and the claim checks. Built with -Dfuzzing=true (clang); run by
 * build-aux/run-fuzz. Any crash or sanitizer report is a bug; a crash input
 * found becomes a file in tests/fuzz/regressions/ and a case in the unit
 * tests. */
#include "config.h"

#include <string.h>

#include "ag-jwt.h"

#define JWKS "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"ujBQbDNYiZQyEZTa7LaFBSy_DDwH8U8GoXa16pN4WQTOfuP3KN536F5lu3ZrcpAGWj8fcPFy72RxbWAPc9Qbf4bVyErkRPk-PxGxR-2VQPgkEilvs6R9knQ2cCGJy2pzkbFiswPzhMiNZk6FTa3isjUzNHlnNTOqP8KqjxqKDacMCyJuKwa17u4H1fripswOSgKrp6Dq0WEtZwAGtjS7QiDKnzMDo6Qp7vbRTRcQfX_s1vyBY6IWigwnHU2v-MOXZSe_9ptP4YLiiFQrsJHnVvTuz9ne6csX8-r8aqVGaDMpMWHuUVnT-uBFVASfFCuDJ4YVD99HCsOYs-vyx3_83Q\",\"e\":\"AQAB\",\"kid\":\"rs-1\",\"alg\":\"RS256\",\"use\":\"sig\"},{\"kty\":\"EC\",\"x\":\"H-xnPhmazR3cu1Zxrb3Agh_8yN1AuYulddX56umcreA\",\"y\":\"GvbDYU4nWzhIZTUC6PEMMq2dcgK3dbs5T7j8FaOx67M\",\"crv\":\"P-256\",\"kid\":\"es-1\",\"alg\":\"ES256\",\"use\":\"sig\"}]}"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static AgJwks *jwks;
  static const char * const algs[] = { "RS256", "ES256", "PS256", NULL };
  g_autofree char *compact = g_strndup ((const char *) data, size);
  g_autoptr(AgJwt) jwt = NULL;
  gboolean unknown_kid = FALSE;

  if (jwks == NULL)
    jwks = ag_jwks_parse (JWKS, strlen (JWKS), NULL);
  jwt = ag_jwt_parse (compact, NULL);
  if (jwt == NULL)
    return 0;
  ag_jwt_verify_signature (jwt, jwks, algs, &unknown_kid, NULL);
  /* The claim checks run on any parsed token: they must be safe on claims an
   * attacker chose even when the signature would fail. */
  ag_jwt_check_id_token (jwt, "https://auth.example", "client", "n", 1700000000, NULL);
  return 0;
}
