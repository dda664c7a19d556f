/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(__AUTHGEAR_GLIB_INSIDE__) && !defined(AUTHGEAR_GLIB_COMPILATION)
#error "Only <authgear-glib.h> can be included directly."
#endif

#include "authgear-user-agent.h"

G_BEGIN_DECLS

#define AUTHGEAR_TYPE_BROWSER_USER_AGENT (authgear_browser_user_agent_get_type ())

AUTHGEAR_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (AuthgearBrowserUserAgent, authgear_browser_user_agent, AUTHGEAR, BROWSER_USER_AGENT, GObject)

AUTHGEAR_AVAILABLE_IN_ALL
AuthgearUserAgent *authgear_browser_user_agent_new         (void);
AUTHGEAR_AVAILABLE_IN_ALL
guint              authgear_browser_user_agent_get_timeout (AuthgearBrowserUserAgent *self);
AUTHGEAR_AVAILABLE_IN_ALL
void               authgear_browser_user_agent_set_timeout (AuthgearBrowserUserAgent *self,
                                                            guint                     seconds);
AUTHGEAR_AVAILABLE_IN_ALL
gboolean           authgear_browser_user_agent_get_launch_browser (AuthgearBrowserUserAgent *self);
AUTHGEAR_AVAILABLE_IN_ALL
void               authgear_browser_user_agent_set_launch_browser (AuthgearBrowserUserAgent *self,
                                                                   gboolean                  launch_browser);

G_END_DECLS
