/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The library's version at run time, beside the headers' macros, and the
 * one way to wipe a secret the library handed out. */
#include "config.h"

#include "ag-secure.h"
#include "authgear-glib.h"

/**
 * authgear_get_major_version:
 *
 * The major version of the authgear-glib the program runs with, which may
 * differ from %AUTHGEAR_MAJOR_VERSION, the one it was compiled against.
 *
 * Returns: the major version
 */
guint
authgear_get_major_version (void)
{
  return AUTHGEAR_MAJOR_VERSION;
}

/**
 * authgear_get_minor_version:
 *
 * Returns: the minor version of the authgear-glib the program runs with
 */
guint
authgear_get_minor_version (void)
{
  return AUTHGEAR_MINOR_VERSION;
}

/**
 * authgear_get_micro_version:
 *
 * Returns: the micro version of the authgear-glib the program runs with
 */
guint
authgear_get_micro_version (void)
{
  return AUTHGEAR_MICRO_VERSION;
}

/**
 * authgear_check_version:
 * @major: the required major version
 * @minor: the required minor version
 * @micro: the required micro version
 *
 * Whether the authgear-glib the program runs with is compatible with
 * @major.@minor.@micro: the same major version, and at least that minor and
 * micro one.
 *
 * Returns: (nullable): %NULL when it is, or a sentence saying why not (owned
 *   by the library)
 */
const char *
authgear_check_version (guint major,
                        guint minor,
                        guint micro)
{
  if (major != AUTHGEAR_MAJOR_VERSION)
    return major > AUTHGEAR_MAJOR_VERSION ? "authgear-glib is too old (another major version)"
                                          : "authgear-glib is too new (another major version)";
  if (minor > (guint) AUTHGEAR_MINOR_VERSION ||
      (minor == (guint) AUTHGEAR_MINOR_VERSION && micro > (guint) AUTHGEAR_MICRO_VERSION))
    return "authgear-glib is too old";
  return NULL;
}

/**
 * authgear_secret_free:
 * @secret: (nullable) (transfer full): a secret the library returned, such
 *   as authgear_client_dup_token_response() with its tokens
 *
 * Overwrites @secret, so that it does not linger in freed memory, and
 * frees it.
 */
void
authgear_secret_free (char *secret)
{
  ag_secure_free (secret);
}
