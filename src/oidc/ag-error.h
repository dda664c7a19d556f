/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AG_ERROR (ag_error_quark ())

/**
 * AgError:
 * One code per way a sign-in can fail that a caller can act on.
 * Cancellation is not one of them: a cancelled operation returns
 * %G_IO_ERROR_CANCELLED, as everything in GIO does.
 *
 * @AG_ERROR_STALE: the result no longer applies: the session was signed
 *   out or signed in anew while the operation ran.
 * @AG_ERROR_TIMEOUT: Authgear, or the person's browser, did not answer in
 *   time.
 * @AG_ERROR_INVALID_SCOPE: Authgear does not allow this client a scope it
 *   asked for (full access, for its account pages).
 */
typedef enum
{
  AG_ERROR_STALE,
  AG_ERROR_NETWORK,
  AG_ERROR_TIMEOUT,
  AG_ERROR_CONFIGURATION,
  AG_ERROR_DISCOVERY,
  AG_ERROR_PROVIDER,
  AG_ERROR_ACCESS_DENIED,
  AG_ERROR_STATE_MISMATCH,
  AG_ERROR_ISSUER_MISMATCH,
  AG_ERROR_INVALID_RESPONSE,
  AG_ERROR_INVALID_ID_TOKEN,
  AG_ERROR_USERINFO_MISMATCH,
  AG_ERROR_INVALID_GRANT,
  AG_ERROR_KEYRING_UNAVAILABLE,
  AG_ERROR_NOT_REDIRECT,
  AG_ERROR_NO_PENDING_SIGN_IN,
  AG_ERROR_UNAUTHORIZED,
  AG_ERROR_CLIENT_REJECTED,
  AG_ERROR_CLOCK_SKEW,
  AG_ERROR_INVALID_SCOPE,
} AgError;

GQuark       ag_error_quark           (void);

/* Returns a short translated explanation of @code for a person. */
const char  *ag_error_code_summary    (AgError code);

/* Whether @error is %G_IO_ERROR_CANCELLED. */
gboolean     ag_error_is_cancelled    (const GError *error);

G_END_DECLS
