/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "authgear-glib.h"

G_BEGIN_DECLS

/* User info with @claims (ag_token_set_dup_claims(), or a JSON object read
 * back), copied. */
AuthgearUserInfo *_authgear_user_info_new (JsonObject *claims);

G_END_DECLS
