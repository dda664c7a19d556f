/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(__AUTHGEAR_GLIB_INSIDE__) && !defined(AUTHGEAR_GLIB_COMPILATION)
#error "Only <authgear-glib.h> can be included directly."
#endif

#include <gio/gio.h>

#include "authgear-user-agent.h"
#include "authgear-version.h"

G_BEGIN_DECLS

/**
 * AuthgearPage:
 * @AUTHGEAR_PAGE_LOGIN: the sign-in page
 * @AUTHGEAR_PAGE_SIGNUP: the sign-up page
 *
 * The page a sign-in opens on (`x_page`).
 */
typedef enum
{
  AUTHGEAR_PAGE_LOGIN,
  AUTHGEAR_PAGE_SIGNUP,
} AuthgearPage;

/**
 * AuthgearColorScheme:
 * @AUTHGEAR_COLOR_SCHEME_DEFAULT: Authgear's own choice
 * @AUTHGEAR_COLOR_SCHEME_LIGHT: light pages
 * @AUTHGEAR_COLOR_SCHEME_DARK: dark pages
 *
 * The colour scheme of Authgear's pages (`x_color_scheme`).
 */
typedef enum
{
  AUTHGEAR_COLOR_SCHEME_DEFAULT,
  AUTHGEAR_COLOR_SCHEME_LIGHT,
  AUTHGEAR_COLOR_SCHEME_DARK,
} AuthgearColorScheme;

#define AUTHGEAR_TYPE_AUTHENTICATE_OPTIONS (authgear_authenticate_options_get_type ())

typedef struct _AuthgearAuthenticateOptions AuthgearAuthenticateOptions;

AUTHGEAR_AVAILABLE_IN_ALL
GType                        authgear_authenticate_options_get_type         (void) G_GNUC_CONST;
AUTHGEAR_AVAILABLE_IN_ALL
AuthgearAuthenticateOptions *authgear_authenticate_options_new              (void);
AUTHGEAR_AVAILABLE_IN_ALL
AuthgearAuthenticateOptions *authgear_authenticate_options_copy             (AuthgearAuthenticateOptions *self);
AUTHGEAR_AVAILABLE_IN_ALL
void                         authgear_authenticate_options_free             (AuthgearAuthenticateOptions *self);
AUTHGEAR_AVAILABLE_IN_ALL
void                         authgear_authenticate_options_set_page         (AuthgearAuthenticateOptions *self,
                                                                             AuthgearPage                 page);
AUTHGEAR_AVAILABLE_IN_ALL
void                         authgear_authenticate_options_set_ui_locales   (AuthgearAuthenticateOptions *self,
                                                                             const char                  *ui_locales);
AUTHGEAR_AVAILABLE_IN_ALL
void                         authgear_authenticate_options_set_color_scheme (AuthgearAuthenticateOptions *self,
                                                                             AuthgearColorScheme          scheme);
AUTHGEAR_AVAILABLE_IN_ALL
void                         authgear_authenticate_options_set_prompt       (AuthgearAuthenticateOptions *self,
                                                                             const char                  *prompt);
AUTHGEAR_AVAILABLE_IN_ALL
void                         authgear_authenticate_options_set_sso_enabled  (AuthgearAuthenticateOptions *self,
                                                                             gboolean                     sso_enabled);
AUTHGEAR_AVAILABLE_IN_ALL
void                         authgear_authenticate_options_set_user_agent   (AuthgearAuthenticateOptions *self,
                                                                             AuthgearUserAgent           *user_agent);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuthgearAuthenticateOptions, authgear_authenticate_options_free)

G_END_DECLS
