/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * The web page of a sign-in lives in a loadable module, authgear-login-web.so,
 * the only part of the program that links WebKitGTK. The window loads it when
 * Login is pressed, so a start-up, a stored session and a person who never
 * signs in in the window pay nothing for WebKit's hundred libraries.
 *
 * The module knows no OIDC and shows no text of its own: it tells the page's
 * events to the callbacks and the window decides what they mean.
 */

#define AG_WEB_PAGE_ABI 2
#define AG_WEB_PAGE_MODULE_NAME "authgear-login-web"
#define AG_WEB_PAGE_MODULE_SYMBOL "ag_web_page_module"

typedef struct
{
  /* Is @uri the redirect URI? Asked for every navigation. */
  gboolean (*is_redirect) (const char *uri, gpointer data);
  /* The page navigated to the redirect URI, which was not loaded. */
  void     (*redirect)    (const char *uri, gpointer data);
  /* Estimated load progress, 0 to 1. */
  void     (*progress)    (double fraction, gpointer data);
  /* The page's address changed. */
  void     (*location)    (const char *uri, gpointer data);
  /* A load failed; @tls_error when the certificate was refused. */
  void     (*failed)      (gboolean tls_error, const char *message, gpointer data);
} AgWebPageCallbacks;

typedef struct
{
  guint abi;
  /* "2.50.6", newly allocated. */
  char      *(*get_version) (void);
  /* A web view on a fresh ephemeral network session, loading @url. Pop-ups
   * that stay on @url's origin open in it; others go to the default browser;
   * non-web schemes are refused. No request of the page (image, fetch,
   * frame, WebSocket, ...) may reach @redirect_uri's origin: a content
   * filter, compiled once per redirect URI and kept in @filter_dir, blocks
   * them inside WebKit before the page loads. */
  GtkWidget *(*create)      (const char               *url,
                             const char               *redirect_uri,
                             const char               *filter_dir,
                             const AgWebPageCallbacks *callbacks,
                             gpointer                  data);
  /* Stops the page, ends its web process and disconnects the callbacks; the
   * caller then removes the widget from its parent. */
  void       (*stop)        (GtkWidget *page);
  gboolean   (*go_back)     (GtkWidget *page);
} AgWebPageModule;

/* Loads the module once per process (it stays: it registers types). */
const AgWebPageModule *ag_web_page_module_load (GError **error);
void                   ag_web_page_prepare_environment (void);

G_END_DECLS
