/* SPDX-License-Identifier: GPL-3.0-or-later */
/* authgear-glib: Authgear for GLib programs. The one header to include. */
#pragma once

#define __AUTHGEAR_GLIB_INSIDE__

#include "authgear-version.h"
#include "authgear-error.h"
#include "authgear-enums.h"
#include "authgear-user-info.h"
#include "authgear-user-agent.h"
#include "authgear-browser-user-agent.h"
#include "authgear-token-storage.h"
#include "authgear-authenticate-options.h"
#include "authgear-client.h"

#undef __AUTHGEAR_GLIB_INSIDE__
