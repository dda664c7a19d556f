/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(__AUTHGEAR_GLIB_INSIDE__) && !defined(AUTHGEAR_GLIB_COMPILATION)
#error "Only <authgear-glib.h> can be included directly."
#endif

#include <glib.h>

#include "authgear-version.h"

G_BEGIN_DECLS

/**
 * AUTHGEAR_ERROR:
 *
 * The error domain of authgear-glib. A cancelled operation returns
 * %G_IO_ERROR_CANCELLED instead, as everything in GIO does.
 */
#define AUTHGEAR_ERROR (authgear_error_quark ())

/**
 * AuthgearError:
 * @AUTHGEAR_ERROR_FAILED: a failure none of the other codes names.
 * @AUTHGEAR_ERROR_STALE: the result no longer applies: the session was
 *   signed out or signed in anew while the operation ran.
 * @AUTHGEAR_ERROR_NETWORK: Authgear could not be reached.
 * @AUTHGEAR_ERROR_TIMEOUT: Authgear, or the person's browser, did not answer
 *   in time.
 * @AUTHGEAR_ERROR_CONFIGURATION: the endpoint, client ID or redirect URI is
 *   not usable.
 * @AUTHGEAR_ERROR_DISCOVERY: the OpenID Connect discovery document is
 *   missing or wrong.
 * @AUTHGEAR_ERROR_PROVIDER: Authgear answered with an error.
 * @AUTHGEAR_ERROR_ACCESS_DENIED: the person (or Authgear) declined.
 * @AUTHGEAR_ERROR_STATE_MISMATCH: the answer does not belong to the request
 *   made (OAuth `state`).
 * @AUTHGEAR_ERROR_ISSUER_MISMATCH: the answer names another issuer.
 * @AUTHGEAR_ERROR_INVALID_RESPONSE: an answer could not be read.
 * @AUTHGEAR_ERROR_INVALID_ID_TOKEN: the ID token failed verification.
 * @AUTHGEAR_ERROR_USERINFO_MISMATCH: the user info names another subject.
 * @AUTHGEAR_ERROR_INVALID_GRANT: Authgear no longer knows the session: the
 *   person has to sign in again.
 * @AUTHGEAR_ERROR_STORAGE_UNAVAILABLE: the #AuthgearTokenStorage cannot be
 *   used (for the keyring storage: no Secret Service, or it refused).
 * @AUTHGEAR_ERROR_NOT_REDIRECT: an address is not the redirect URI.
 * @AUTHGEAR_ERROR_NO_PENDING_SIGN_IN: no sign-in is waiting for an answer.
 * @AUTHGEAR_ERROR_UNAUTHORIZED: there is no session, or it does not allow
 *   this.
 * @AUTHGEAR_ERROR_CLIENT_REJECTED: Authgear did not accept the client's
 *   credentials.
 * @AUTHGEAR_ERROR_CLOCK_SKEW: this computer's clock is too far from
 *   Authgear's.
 * @AUTHGEAR_ERROR_INVALID_SCOPE: Authgear does not allow this client a
 *   scope it asked for.
 * @AUTHGEAR_ERROR_BROWSER_UNAVAILABLE: the person's web browser could not be
 *   opened, or the redirect URI cannot take the browser's return.
 *
 * The ways an operation can fail that a caller can act on.
 */
typedef enum
{
  AUTHGEAR_ERROR_FAILED,
  AUTHGEAR_ERROR_STALE,
  AUTHGEAR_ERROR_NETWORK,
  AUTHGEAR_ERROR_TIMEOUT,
  AUTHGEAR_ERROR_CONFIGURATION,
  AUTHGEAR_ERROR_DISCOVERY,
  AUTHGEAR_ERROR_PROVIDER,
  AUTHGEAR_ERROR_ACCESS_DENIED,
  AUTHGEAR_ERROR_STATE_MISMATCH,
  AUTHGEAR_ERROR_ISSUER_MISMATCH,
  AUTHGEAR_ERROR_INVALID_RESPONSE,
  AUTHGEAR_ERROR_INVALID_ID_TOKEN,
  AUTHGEAR_ERROR_USERINFO_MISMATCH,
  AUTHGEAR_ERROR_INVALID_GRANT,
  AUTHGEAR_ERROR_STORAGE_UNAVAILABLE,
  AUTHGEAR_ERROR_NOT_REDIRECT,
  AUTHGEAR_ERROR_NO_PENDING_SIGN_IN,
  AUTHGEAR_ERROR_UNAUTHORIZED,
  AUTHGEAR_ERROR_CLIENT_REJECTED,
  AUTHGEAR_ERROR_CLOCK_SKEW,
  AUTHGEAR_ERROR_INVALID_SCOPE,
  AUTHGEAR_ERROR_BROWSER_UNAVAILABLE,
} AuthgearError;

AUTHGEAR_AVAILABLE_IN_ALL
GQuark authgear_error_quark (void);

G_END_DECLS
