/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The AUTHGEAR_ERROR domain: one code per failure a caller can act on, and
 * a sentence for each. */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "ag-error.h"
#include "authgear-error.h"

G_DEFINE_QUARK (authgear-error-quark, authgear_error)

const char *
ag_error_code_summary (AuthgearError code)
{
  switch (code)
    {
    case AUTHGEAR_ERROR_STALE:
      return _("The session changed meanwhile");
    case AUTHGEAR_ERROR_NETWORK:
      return _("Authgear could not be reached");
    case AUTHGEAR_ERROR_TIMEOUT:
      return _("Authgear did not answer in time");
    case AUTHGEAR_ERROR_CONFIGURATION:
      return _("The Authgear settings are not valid");
    case AUTHGEAR_ERROR_DISCOVERY:
      return _("The Authgear project's configuration could not be read");
    case AUTHGEAR_ERROR_PROVIDER:
      return _("Authgear reported an error");
    case AUTHGEAR_ERROR_ACCESS_DENIED:
      return _("Access was denied");
    case AUTHGEAR_ERROR_STATE_MISMATCH:
      return _("The sign-in response did not belong to this sign-in");
    case AUTHGEAR_ERROR_ISSUER_MISMATCH:
      return _("The sign-in response came from another issuer");
    case AUTHGEAR_ERROR_INVALID_RESPONSE:
      return _("Authgear sent a response that is not valid");
    case AUTHGEAR_ERROR_INVALID_ID_TOKEN:
      return _("The identity token could not be verified");
    case AUTHGEAR_ERROR_USERINFO_MISMATCH:
      return _("The profile does not belong to the signed-in user");
    case AUTHGEAR_ERROR_INVALID_GRANT:
      return _("The session has ended");
    case AUTHGEAR_ERROR_STORAGE_UNAVAILABLE:
      return _("The session storage is not available");
    case AUTHGEAR_ERROR_NOT_REDIRECT:
      return _("The address is not the redirect address");
    case AUTHGEAR_ERROR_NO_PENDING_SIGN_IN:
      return _("No sign-in is in progress");
    case AUTHGEAR_ERROR_UNAUTHORIZED:
      return _("Authgear did not accept the access token");
    case AUTHGEAR_ERROR_CLIENT_REJECTED:
      return _("Authgear refused this app’s credentials");
    case AUTHGEAR_ERROR_CLOCK_SKEW:
      return _("This computer’s clock is wrong");
    case AUTHGEAR_ERROR_INVALID_SCOPE:
      return _("Authgear does not allow this app the access it asked for");
    case AUTHGEAR_ERROR_BROWSER_UNAVAILABLE:
      return _("The web browser could not be opened");
    case AUTHGEAR_ERROR_FAILED:
    default:
      return _("Unknown error");
    }
}

gboolean
ag_error_is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}
