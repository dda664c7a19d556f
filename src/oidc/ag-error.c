/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The AG_ERROR domain: one code per failure a caller can act on, and a
 * sentence for each. */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "ag-error.h"
#include "authgear-error.h"

/* The core's AgError is the library's public AuthgearError: one domain, the
 * same codes. */
G_DEFINE_QUARK (authgear-error-quark, authgear_error)

G_STATIC_ASSERT ((int) AG_ERROR_STALE == (int) AUTHGEAR_ERROR_STALE);
G_STATIC_ASSERT ((int) AG_ERROR_KEYRING_UNAVAILABLE == (int) AUTHGEAR_ERROR_KEYRING_UNAVAILABLE);
G_STATIC_ASSERT ((int) AG_ERROR_INVALID_SCOPE == (int) AUTHGEAR_ERROR_INVALID_SCOPE);

GQuark
ag_error_quark (void)
{
  return authgear_error_quark ();
}

const char *
ag_error_code_summary (AgError code)
{
  switch (code)
    {
    case AG_ERROR_STALE:
      return _("The session changed meanwhile");
    case AG_ERROR_NETWORK:
      return _("Authgear could not be reached");
    case AG_ERROR_TIMEOUT:
      return _("Authgear did not answer in time");
    case AG_ERROR_CONFIGURATION:
      return _("The Authgear settings are not valid");
    case AG_ERROR_DISCOVERY:
      return _("The Authgear project's configuration could not be read");
    case AG_ERROR_PROVIDER:
      return _("Authgear reported an error");
    case AG_ERROR_ACCESS_DENIED:
      return _("Access was denied");
    case AG_ERROR_STATE_MISMATCH:
      return _("The sign-in response did not belong to this sign-in");
    case AG_ERROR_ISSUER_MISMATCH:
      return _("The sign-in response came from another issuer");
    case AG_ERROR_INVALID_RESPONSE:
      return _("Authgear sent a response that is not valid");
    case AG_ERROR_INVALID_ID_TOKEN:
      return _("The identity token could not be verified");
    case AG_ERROR_USERINFO_MISMATCH:
      return _("The profile does not belong to the signed-in user");
    case AG_ERROR_INVALID_GRANT:
      return _("The session has ended");
    case AG_ERROR_KEYRING_UNAVAILABLE:
      return _("The keyring is not available");
    case AG_ERROR_NOT_REDIRECT:
      return _("The address is not the redirect address");
    case AG_ERROR_NO_PENDING_SIGN_IN:
      return _("No sign-in is in progress");
    case AG_ERROR_UNAUTHORIZED:
      return _("Authgear did not accept the access token");
    case AG_ERROR_CLIENT_REJECTED:
      return _("Authgear refused this app’s credentials");
    case AG_ERROR_CLOCK_SKEW:
      return _("This computer’s clock is wrong");
    case AG_ERROR_INVALID_SCOPE:
      return _("Authgear does not allow this app the access it asked for");
    default:
      return _("Unknown error");
    }
}

gboolean
ag_error_is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}
