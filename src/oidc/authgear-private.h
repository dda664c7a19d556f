/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the library's parts share and the public headers do not show. */
#pragma once

#include "ag-session.h"
#include "ag-token-store.h"
#include "authgear-glib.h"

G_BEGIN_DECLS


G_END_DECLS
