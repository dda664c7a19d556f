/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AuthgearAuthenticateOptions: how one call shows Authgear's pages. */

#include "config.h"

#include "authgear-private.h"

/**
 * AuthgearAuthenticateOptions:
 *
 * How Authgear's pages are shown: the page to open on, the languages, the
 * colour scheme and the OpenID Connect `prompt`. Languages default to the
 * desktop's.
 */

G_DEFINE_BOXED_TYPE (AuthgearAuthenticateOptions, authgear_authenticate_options,
                     authgear_authenticate_options_copy, authgear_authenticate_options_free)

/**
 * authgear_authenticate_options_new:
 *
 * Returns: (transfer full): options with every value at its default
 */
AuthgearAuthenticateOptions *
authgear_authenticate_options_new (void)
{
  return g_new0 (AuthgearAuthenticateOptions, 1);
}

/**
 * authgear_authenticate_options_copy:
 * @self: options
 *
 * Returns: (transfer full): a copy of @self
 */
AuthgearAuthenticateOptions *
authgear_authenticate_options_copy (AuthgearAuthenticateOptions *self)
{
  AuthgearAuthenticateOptions *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->ui_locales = g_strdup (self->ui_locales);
  copy->prompt = g_strdup (self->prompt);
  if (self->user_agent != NULL)
    g_object_ref (copy->user_agent);
  return copy;
}

/**
 * authgear_authenticate_options_free:
 * @self: (nullable): options
 *
 * Frees @self.
 */
void
authgear_authenticate_options_free (AuthgearAuthenticateOptions *self)
{
  if (self == NULL)
    return;
  g_free (self->ui_locales);
  g_free (self->prompt);
  g_clear_object (&self->user_agent);
  g_free (self);
}

/**
 * authgear_authenticate_options_set_user_agent:
 * @self: options
 * @user_agent: (nullable): what shows Authgear's pages for this call, or
 *   %NULL for the client's #AuthgearClient:user-agent
 *
 * Shows this call's pages with @user_agent: an embedded web view for one
 * sign-in, say, while the client's own user agent (the browser) stays for
 * its other calls.
 */
void
authgear_authenticate_options_set_user_agent (AuthgearAuthenticateOptions *self,
                                              AuthgearUserAgent           *user_agent)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (user_agent == NULL || AUTHGEAR_IS_USER_AGENT (user_agent));

  g_set_object (&self->user_agent, user_agent);
}

/**
 * authgear_authenticate_options_set_page:
 * @self: options
 * @page: the page to open on
 *
 * Opens Authgear on the sign-up page rather than the sign-in page.
 */
void
authgear_authenticate_options_set_page (AuthgearAuthenticateOptions *self,
                                        AuthgearPage                 page)
{
  g_return_if_fail (self != NULL);
  self->page = page;
}

/**
 * authgear_authenticate_options_set_ui_locales:
 * @self: options
 * @ui_locales: (nullable): BCP 47 language tags, separated by spaces, or
 *   %NULL for the desktop's languages
 *
 * The languages of Authgear's pages (`ui_locales`).
 */
void
authgear_authenticate_options_set_ui_locales (AuthgearAuthenticateOptions *self,
                                              const char                  *ui_locales)
{
  g_return_if_fail (self != NULL);
  g_free (self->ui_locales);
  self->ui_locales = g_strdup (ui_locales);
}

/**
 * authgear_authenticate_options_set_color_scheme:
 * @self: options
 * @scheme: the colour scheme
 *
 * The colour scheme of Authgear's pages (`x_color_scheme`).
 */
void
authgear_authenticate_options_set_color_scheme (AuthgearAuthenticateOptions *self,
                                                AuthgearColorScheme          scheme)
{
  g_return_if_fail (self != NULL);
  self->color_scheme = scheme;
}

/**
 * authgear_authenticate_options_set_prompt:
 * @self: options
 * @prompt: (nullable): an OpenID Connect prompt, such as `login`
 *
 * Asks Authgear to sign the person in again (`login`) even when the browser
 * has a session.
 */
void
authgear_authenticate_options_set_prompt (AuthgearAuthenticateOptions *self,
                                          const char                  *prompt)
{
  g_return_if_fail (self != NULL);
  g_free (self->prompt);
  self->prompt = g_strdup (prompt);
}

/**
 * authgear_authenticate_options_set_sso_enabled:
 * @self: options
 * @sso_enabled: whether the browser may keep Authgear's session
 *
 * Whether Authgear may leave its session cookie in the browser, so that
 * the next sign-in there (of this program or another) needs no password
 * (`x_sso_enabled`). Off unless set: after a logout the browser keeps no
 * Authgear session.
 */
void
authgear_authenticate_options_set_sso_enabled (AuthgearAuthenticateOptions *self,
                                               gboolean                     sso_enabled)
{
  g_return_if_fail (self != NULL);
  self->sso_enabled = !!sso_enabled;
}

