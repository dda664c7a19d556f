/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "ag-jwt.h"

G_BEGIN_DECLS

/* How long discovery and the key set are trusted from cache, in seconds. */
#define AG_PROVIDER_CACHE_LIFETIME (24 * 60 * 60)

#define AG_TYPE_PROVIDER (ag_provider_get_type ())

G_DECLARE_FINAL_TYPE (AgProvider, ag_provider, AG, PROVIDER, GObject)

/**
 * ag_provider_new:
 * The provider at @issuer (exactly as configured). @cache_dir (may be %NULL)
 * keeps the discovery document and the JWKS, which are public, on disk.
 */
AgProvider  *ag_provider_new                (SoupSession  *session,
                                             const char   *issuer,
                                             const char   *cache_dir);

/**
 * ag_provider_parse_metadata:
 * Validates a discovery document for @issuer: the issuer equal, the
 * authorization, token and JWKS endpoints present, every endpoint https (or
 * loopback http). Returns %FALSE with %AUTHGEAR_ERROR_DISCOVERY or
 * %AUTHGEAR_ERROR_ISSUER_MISMATCH.
 */
gboolean     ag_provider_parse_metadata     (AgProvider   *self,
                                             const char   *json,
                                             gsize         length,
                                             GError      **error);

/* Fetches discovery unless a fresh copy is in memory or on disk. */
void         ag_provider_discover_async     (AgProvider          *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean     ag_provider_discover_finish    (AgProvider          *self,
                                             GAsyncResult        *result,
                                             GError             **error);
/* Fetches discovery from the network, past both caches: for a failure a
 * stale document explains (an endpoint that answers 404). Finished with
 * ag_provider_discover_finish(). */
void         ag_provider_rediscover_async   (AgProvider          *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
/* When the document in use was fetched from the network (monotonic µs; a
 * copy from the disk cache counts from its file's time). */
gint64       ag_provider_get_discovery_fetched (AgProvider       *self);

/* The key set: from memory or disk when fresh, else fetched; @refresh
 * forces a fetch. A jwks_uri that answers 404 while the discovery document
 * came from a cache reads discovery again once. @fetched (may be %NULL)
 * says when the set was fetched from the network (monotonic µs; from the
 * disk cache, its file's time), so a check that fails knows whether the
 * keys could be stale. */
void         ag_provider_get_jwks_async     (AgProvider          *self,
                                             gboolean             refresh,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
AgJwks      *ag_provider_get_jwks_finish    (AgProvider          *self,
                                             GAsyncResult        *result,
                                             gint64              *fetched,
                                             GError             **error);

gboolean     ag_provider_is_discovered      (AgProvider *self);
const char  *ag_provider_get_issuer         (AgProvider *self);
const char  *ag_provider_get_authorization_endpoint (AgProvider *self);
const char  *ag_provider_get_token_endpoint (AgProvider *self);
const char  *ag_provider_get_userinfo_endpoint (AgProvider *self);
const char  *ag_provider_get_revocation_endpoint (AgProvider *self);
const char  *ag_provider_get_end_session_endpoint (AgProvider *self);
const char * const *ag_provider_get_signing_algs (AgProvider *self);
gboolean     ag_provider_get_iss_parameter_supported (AgProvider *self);
/* Whether the token endpoint takes client_secret_basic (RFC 8414 default:
 * yes); else a confidential client sends its secret in the form. */
gboolean     ag_provider_get_client_secret_basic_supported (AgProvider *self);
SoupSession *ag_provider_get_session        (AgProvider *self);

G_END_DECLS
