/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Clock skew allowed on exp and iat, in seconds. */
#define AG_JWT_CLOCK_SKEW 60

typedef struct _AgJwks AgJwks;
typedef struct _AgJwt AgJwt;

/**
 * ag_jwks_parse:
 * Parses a JWK Set. Keeps the signature keys it can use (RSA, and EC P-256)
 * and skips the others; a set with no usable key is an error.
 */
AgJwks      *ag_jwks_parse                (const char    *json,
                                           gssize         length,
                                           GError       **error);
AgJwks      *ag_jwks_ref                  (AgJwks        *jwks);
void         ag_jwks_unref                (AgJwks        *jwks);
guint        ag_jwks_get_n_keys           (AgJwks        *jwks);
/* Whether the set has a key for @kid (or, with @kid %NULL, exactly one key). */
gboolean     ag_jwks_has_key              (AgJwks        *jwks,
                                           const char    *kid);

/**
 * ag_jwt_parse:
 * Splits a compact JWS into header, claims and signature. Checks only the
 * form, never the signature.
 */
AgJwt       *ag_jwt_parse                 (const char    *compact,
                                           GError       **error);
void         ag_jwt_free                  (AgJwt         *jwt);
const char  *ag_jwt_get_alg               (AgJwt         *jwt);
const char  *ag_jwt_get_kid               (AgJwt         *jwt);
JsonObject  *ag_jwt_get_claims            (AgJwt         *jwt);

/**
 * ag_jwt_verify_signature:
 * Verifies the signature with the key from @jwks that the header names by
 * `kid` (or the only key when there is no `kid`). @allowed_algs is the
 * provider's `id_token_signing_alg_values_supported` (%NULL: RS256); `none`
 * and HMAC algorithms are never accepted. An unknown `kid` gives
 * %AUTHGEAR_ERROR_INVALID_ID_TOKEN with @unknown_kid set, so the caller can fetch
 * the JWKS again once.
 */
gboolean     ag_jwt_verify_signature      (AgJwt               *jwt,
                                           AgJwks              *jwks,
                                           const char * const  *allowed_algs,
                                           gboolean            *unknown_kid,
                                           GError             **error);

/**
 * ag_jwt_check_id_token:
 * The ID token claim checks of OpenID Connect Core §3.1.3.7: iss, aud, azp,
 * exp and iat (with %AG_JWT_CLOCK_SKEW), sub, and nonce when @nonce is not
 * %NULL. @now is seconds since the epoch.
 */
gboolean     ag_jwt_check_id_token        (AgJwt         *jwt,
                                           const char    *issuer,
                                           const char    *client_id,
                                           const char    *nonce,
                                           gint64         now,
                                           GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgJwt, ag_jwt_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgJwks, ag_jwks_unref)

G_END_DECLS
