/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AuthgearUserAgent: what shows Authgear's pages to the person. */
#include "config.h"

#include "ag-auth-request.h"
#include "authgear-glib.h"

/**
 * AuthgearUserAgent:
 *
 * Shows Authgear's pages to the person: the system browser
 * (#AuthgearBrowserUserAgent), or a web view of the program's own, such as
 * Authgear Login's embedded WebKit view.
 *
 * It has one job. Open an authorization URL, and hand back the URL the
 * person's browser was sent to when it reached the redirect URI, with its
 * query (`code` and `state`, or `error`). The #AuthgearClient checks that
 * answer: a user agent only delivers it.
 *
 * Authgear's settings page has no redirect back: it is opened with a %NULL
 * redirect URI, and the user agent finishes, with %NULL, when the page is
 * shown (a browser) or closed (a web view).
 */

G_DEFINE_INTERFACE (AuthgearUserAgent, authgear_user_agent, G_TYPE_OBJECT)

static void
authgear_user_agent_default_init (AuthgearUserAgentInterface *iface)
{
}

/**
 * authgear_user_agent_open_async:
 * @self: a #AuthgearUserAgent
 * @url: the URL to show (an authorization URL of Authgear)
 * @redirect_uri: (nullable): the redirect URI to wait for, or %NULL to only
 *   show @url
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the browser reached @redirect_uri
 * @user_data: data for @callback
 *
 * Shows @url and waits until the person's browser is sent to
 * @redirect_uri.
 */
void
authgear_user_agent_open_async (AuthgearUserAgent   *self,
                                const char          *url,
                                const char          *redirect_uri,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (AUTHGEAR_IS_USER_AGENT (self));
  g_return_if_fail (url != NULL);

  AUTHGEAR_USER_AGENT_GET_IFACE (self)->open_async (self, url, redirect_uri, cancellable, callback, user_data);
}

/**
 * authgear_user_agent_open_finish:
 * @self: a #AuthgearUserAgent
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes authgear_user_agent_open_async().
 *
 * Returns: (transfer full) (nullable): the URL that reached the redirect
 *   URI, with its query; %NULL when no redirect URI was given, or on error
 */
char *
authgear_user_agent_open_finish (AuthgearUserAgent  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (AUTHGEAR_IS_USER_AGENT (self), NULL);

  return AUTHGEAR_USER_AGENT_GET_IFACE (self)->open_finish (self, result, error);
}

/**
 * authgear_user_agent_redirect_uri_matches:
 * @redirect_uri: the redirect URI of the call
 * @uri: an address the page went to
 *
 * Whether @uri is @redirect_uri with a query: the same scheme, host and
 * port, no user name, and the path exactly as written (no dot segments or
 * escapes that would decode to it). A user agent of the program's own,
 * such as a web view, uses it to see that a navigation is the answer to
 * hand back, and lets no other navigation reach the redirect URI.
 *
 * Returns: %TRUE when @uri goes to @redirect_uri
 */
gboolean
authgear_user_agent_redirect_uri_matches (const char *redirect_uri,
                                          const char *uri)
{
  return ag_redirect_uri_matches (redirect_uri, uri);
}

/**
 * authgear_user_agent_redirect_is_answer:
 * @authorization_url: the URL the user agent was asked to open
 * @redirect_uri: the redirect URI of the call
 * @uri: an address the page went to
 *
 * Whether @uri is the answer to @authorization_url: it goes to
 * @redirect_uri (as authgear_user_agent_redirect_uri_matches() says) and
 * carries the `state` of @authorization_url, exactly once. Any page, or any frame of
 * it, can send a web view to the redirect URI: a user agent of the
 * program's own hands back only this answer, and keeps waiting otherwise.
 *
 * Returns: %TRUE when @uri is the answer to hand back
 */
gboolean
authgear_user_agent_redirect_is_answer (const char *authorization_url,
                                        const char *redirect_uri,
                                        const char *uri)
{
  g_autofree char *state = ag_uri_query_value (authorization_url, "state");

  return ag_redirect_is_answer (redirect_uri, state, uri);
}
