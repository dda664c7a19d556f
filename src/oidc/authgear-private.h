/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the library's parts share and the public headers do not show. */
#pragma once

#include "authgear-glib.h"

G_BEGIN_DECLS

/* Read by the client's flows. */
struct _AuthgearAuthenticateOptions
{
  AuthgearPage page;
  char *ui_locales;
  AuthgearColorScheme color_scheme;
  char *prompt;
  gboolean sso_enabled;
  AuthgearUserAgent *user_agent;   /* NULL: the client's */
};

G_END_DECLS
