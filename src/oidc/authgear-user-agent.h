/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#if !defined(__AUTHGEAR_GLIB_INSIDE__) && !defined(AUTHGEAR_GLIB_COMPILATION)
#error "Only <authgear-glib.h> can be included directly."
#endif

#include <gio/gio.h>

#include "authgear-version.h"

G_BEGIN_DECLS

#define AUTHGEAR_TYPE_USER_AGENT (authgear_user_agent_get_type ())

AUTHGEAR_AVAILABLE_IN_ALL
G_DECLARE_INTERFACE (AuthgearUserAgent, authgear_user_agent, AUTHGEAR, USER_AGENT, GObject)

/**
 * AuthgearUserAgentInterface:
 * @open_async: opens @url and waits for the browser to reach @redirect_uri
 * @open_finish: returns the URL that reached @redirect_uri
 *
 * The virtual methods of #AuthgearUserAgent.
 */
struct _AuthgearUserAgentInterface
{
  GTypeInterface parent_iface;

  void   (*open_async)  (AuthgearUserAgent   *self,
                         const char          *url,
                         const char          *redirect_uri,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data);
  char * (*open_finish) (AuthgearUserAgent   *self,
                         GAsyncResult        *result,
                         GError             **error);

  /*< private >*/
  gpointer padding[8];
};

AUTHGEAR_AVAILABLE_IN_ALL
void  authgear_user_agent_open_async  (AuthgearUserAgent   *self,
                                       const char          *url,
                                       const char          *redirect_uri,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
AUTHGEAR_AVAILABLE_IN_ALL
char *authgear_user_agent_open_finish (AuthgearUserAgent   *self,
                                       GAsyncResult        *result,
                                       GError             **error);

AUTHGEAR_AVAILABLE_IN_ALL
gboolean authgear_user_agent_redirect_uri_matches (const char *redirect_uri,
                                                   const char *uri);
AUTHGEAR_AVAILABLE_IN_ALL
gboolean authgear_user_agent_redirect_is_answer   (const char *authorization_url,
                                                   const char *redirect_uri,
                                                   const char *uri);

G_END_DECLS
