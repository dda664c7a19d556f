/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "authgear-glib.h"

G_BEGIN_DECLS

/* Claims from @userinfo, with Authgear's own from @id_claims when the user
 * info leaves them out (either may be NULL). */
AuthgearUserInfo *_authgear_user_info_new (JsonObject *userinfo,
                                           JsonObject *id_claims);

G_END_DECLS
