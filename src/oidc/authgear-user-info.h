/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(__AUTHGEAR_GLIB_INSIDE__) && !defined(AUTHGEAR_GLIB_COMPILATION)
#error "Only <authgear-glib.h> can be included directly."
#endif

#include <glib-object.h>

#include "authgear-version.h"

G_BEGIN_DECLS

#define AUTHGEAR_TYPE_USER_INFO (authgear_user_info_get_type ())

AUTHGEAR_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (AuthgearUserInfo, authgear_user_info, AUTHGEAR, USER_INFO, GObject)

AUTHGEAR_AVAILABLE_IN_ALL
AuthgearUserInfo *authgear_user_info_new_from_json        (const char        *json,
                                                           GError           **error);
AUTHGEAR_AVAILABLE_IN_ALL
const char       *authgear_user_info_get_sub              (AuthgearUserInfo  *self);
AUTHGEAR_AVAILABLE_IN_ALL
const char       *authgear_user_info_get_email            (AuthgearUserInfo  *self);
AUTHGEAR_AVAILABLE_IN_ALL
gboolean          authgear_user_info_get_email_verified   (AuthgearUserInfo  *self);
AUTHGEAR_AVAILABLE_IN_ALL
const char       *authgear_user_info_get_name             (AuthgearUserInfo  *self);
AUTHGEAR_AVAILABLE_IN_ALL
const char       *authgear_user_info_get_preferred_username (AuthgearUserInfo *self);
AUTHGEAR_AVAILABLE_IN_ALL
gboolean          authgear_user_info_get_is_anonymous     (AuthgearUserInfo  *self);
AUTHGEAR_AVAILABLE_IN_ALL
gboolean          authgear_user_info_get_is_verified      (AuthgearUserInfo  *self);
AUTHGEAR_AVAILABLE_IN_ALL
gboolean          authgear_user_info_get_can_reauthenticate (AuthgearUserInfo *self);
AUTHGEAR_AVAILABLE_IN_ALL
char             *authgear_user_info_get_display_name     (AuthgearUserInfo  *self);
AUTHGEAR_AVAILABLE_IN_ALL
char             *authgear_user_info_to_json              (AuthgearUserInfo  *self);

G_END_DECLS
