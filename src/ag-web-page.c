/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The loadable module authgear-login-web.so: everything that touches
 * WebKitGTK. See ag-web-page.h. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gmodule.h>
#include <webkit/webkit.h>

#include "ag-web-page.h"

typedef struct
{
  AgWebPageCallbacks callbacks;
  gpointer data;
  char *origin;
  char *url;                   /* loaded once the content filter is in */
  GCancellable *cancellable;   /* the filter's compilation */
  guint restarts;              /* after the web process ended by itself */
} Page;

static void
page_free (gpointer pointer)
{
  Page *page = pointer;

  g_cancellable_cancel (page->cancellable);
  g_clear_object (&page->cancellable);
  g_free (page->origin);
  g_free (page->url);
  g_free (page);
}

static char *
origin_of (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);

  if (parsed == NULL || g_uri_get_host (parsed) == NULL)
    return NULL;
  return g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (parsed), g_uri_get_host (parsed), g_uri_get_port (parsed));
}

static gboolean
is_web_scheme (const char *uri)
{
  g_autofree char *scheme = g_uri_parse_scheme (uri);

  return scheme != NULL && (g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "http") == 0);
}

static gboolean
decide_policy_cb (WebKitWebView            *web_view,
                  WebKitPolicyDecision     *decision,
                  WebKitPolicyDecisionType  type,
                  Page                     *page)
{
  WebKitNavigationAction *action;
  const char *uri;

  if (type == WEBKIT_POLICY_DECISION_TYPE_RESPONSE)
    {
      WebKitResponsePolicyDecision *response = WEBKIT_RESPONSE_POLICY_DECISION (decision);
      SoupMessageHeaders *headers = webkit_uri_response_get_http_headers (webkit_response_policy_decision_get_response (response));
      const char *disposition = headers ? soup_message_headers_get_one (headers, "Content-Disposition") : NULL;

      /* What WebKit would save as a file instead of showing: a sign-in
       * page has nothing to download. */
      if (!webkit_response_policy_decision_is_mime_type_supported (response) ||
          (disposition != NULL && g_ascii_strncasecmp (disposition, "attachment", strlen ("attachment")) == 0))
        {
          g_debug ("Refused a response that would be downloaded");
          webkit_policy_decision_ignore (decision);
          return TRUE;
        }
      return FALSE;
    }

  action = webkit_navigation_policy_decision_get_navigation_action (WEBKIT_NAVIGATION_POLICY_DECISION (decision));
  uri = webkit_uri_request_get_uri (webkit_navigation_action_get_request (action));

  /* The redirect: never loaded, handed over. */
  if (page->callbacks.is_redirect (uri, page->data))
    {
      g_autofree char *copy = g_strdup (uri);

      g_debug ("Redirect caught");
      webkit_policy_decision_ignore (decision);
      page->callbacks.redirect (copy, page->data);
      return TRUE;
    }

  if (!is_web_scheme (uri))
    {
      /* file:, data:, javascript:, custom schemes: refused at the top level. */
      g_debug ("Refused a navigation to a non-web scheme");
      webkit_policy_decision_ignore (decision);
      return TRUE;
    }

  if (type == WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION)
    {
      g_autofree char *origin = origin_of (uri);

      webkit_policy_decision_ignore (decision);
      if (g_strcmp0 (origin, page->origin) == 0)
        webkit_web_view_load_uri (web_view, uri);
      else
        {
          GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (web_view));
          gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
        }
      return TRUE;
    }
  return FALSE;
}

/* The page's web process ended without being asked (a crash, or too much
 * memory): the page would stay blank. It is loaded again once; a second
 * end is reported as a failed load. */
static void
web_process_terminated_cb (WebKitWebView                     *web_view,
                           WebKitWebProcessTerminationReason  reason,
                           Page                              *page)
{
  if (reason == WEBKIT_WEB_PROCESS_TERMINATED_BY_API)
    return;
  if (page->restarts++ == 0)
    {
      g_message ("The sign-in page's web process ended (reason %d): loading the page again", reason);
      webkit_web_view_load_uri (web_view, page->url);
      return;
    }
  page->callbacks.failed (FALSE, _("The sign-in page stopped unexpectedly"), page->data);
}

static void
progress_cb (WebKitWebView *web_view,
             GParamSpec    *pspec,
             Page          *page)
{
  page->callbacks.progress (webkit_web_view_get_estimated_load_progress (web_view), page->data);
}

static void
uri_changed_cb (WebKitWebView *web_view,
                GParamSpec    *pspec,
                Page          *page)
{
  const char *uri = webkit_web_view_get_uri (web_view);

  if (uri != NULL)
    page->callbacks.location (uri, page->data);
}

static gboolean
load_failed_cb (WebKitWebView   *web_view,
                WebKitLoadEvent  event,
                const char      *failing_uri,
                GError          *error,
                Page            *page)
{
  /* Our own ignore of the redirect is reported as an interruption. */
  if (g_error_matches (error, WEBKIT_POLICY_ERROR, WEBKIT_POLICY_ERROR_FRAME_LOAD_INTERRUPTED_BY_POLICY_CHANGE) ||
      g_error_matches (error, WEBKIT_NETWORK_ERROR, WEBKIT_NETWORK_ERROR_CANCELLED))
    return FALSE;
  page->callbacks.failed (FALSE, error->message, page->data);
  return FALSE;
}

static gboolean
tls_error_cb (WebKitWebView       *web_view,
              const char          *failing_uri,
              GTlsCertificate     *certificate,
              GTlsCertificateFlags errors,
              Page                *page)
{
  page->callbacks.failed (TRUE, NULL, page->data);
  return TRUE;
}

static GtkWidget *
create_web_view_cb (WebKitWebView          *web_view,
                    WebKitNavigationAction *action,
                    Page                   *page)
{
  /* Pop-ups were decided in decide-policy; never a second window. */
  return NULL;
}

/* Whatever starts a download anyway (<a download>, a context menu that
 * got through): cancelled before a byte reaches the disk. */
static void
download_started_cb (WebKitNetworkSession *network,
                     WebKitDownload       *download,
                     gpointer              user_data)
{
  g_debug ("Cancelled a download");
  webkit_download_cancel (download);
}

/* A sign-in page never needs a file from this computer. */
static gboolean
run_file_chooser_cb (WebKitWebView            *web_view,
                     WebKitFileChooserRequest *request,
                     Page                     *page)
{
  g_debug ("Refused a file chooser");
  webkit_file_chooser_request_cancel (request);
  return TRUE;
}

/* The context menu keeps what a sign-in page needs: editing in fields,
 * back, forward, reload and stop. No download, no new window, no
 * inspector. */
static gboolean
context_menu_cb (WebKitWebView       *web_view,
                 WebKitContextMenu   *menu,
                 WebKitHitTestResult *hit_test,
                 Page                *page)
{
  static const WebKitContextMenuAction allowed[] = {
    WEBKIT_CONTEXT_MENU_ACTION_COPY, WEBKIT_CONTEXT_MENU_ACTION_CUT, WEBKIT_CONTEXT_MENU_ACTION_PASTE,
    WEBKIT_CONTEXT_MENU_ACTION_PASTE_AS_PLAIN_TEXT, WEBKIT_CONTEXT_MENU_ACTION_DELETE,
    WEBKIT_CONTEXT_MENU_ACTION_SELECT_ALL, WEBKIT_CONTEXT_MENU_ACTION_GO_BACK,
    WEBKIT_CONTEXT_MENU_ACTION_GO_FORWARD, WEBKIT_CONTEXT_MENU_ACTION_RELOAD, WEBKIT_CONTEXT_MENU_ACTION_STOP,
  };
  GList *items = g_list_copy (webkit_context_menu_get_items (menu));
  gboolean any = FALSE;

  for (GList *l = items; l != NULL; l = l->next)
    {
      WebKitContextMenuItem *item = l->data;
      WebKitContextMenuAction action = webkit_context_menu_item_get_stock_action (item);
      gboolean keep = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (allowed) && !keep; i++)
        keep = action == allowed[i];
      if (keep)
        any = TRUE;
      else
        webkit_context_menu_remove (menu, item);
    }
  g_list_free (items);
  /* TRUE: no menu at all when nothing is left. */
  return !any;
}

/* The content filter: WebKit's content rule list (the JSON of Safari's
 * content blockers), one blocking rule per way of writing the redirect
 * URI's host. A loopback host is all of them: localhost, 127.x.x.x,
 * 0.0.0.0, [::1], [::] and IPv4-mapped loopback all reach the same
 * listener. Any scheme (http, https, ws, wss), any user info, the port
 * given (or none when it is the scheme's default). The regular expressions
 * of these rules have no alternation, hence a rule per form. Backslashes
 * are doubled twice: once for C, once for JSON. */
static char *
redirect_filter_rules (const char *redirect_uri)
{
  g_autoptr(GUri) uri = g_uri_parse (redirect_uri, G_URI_FLAGS_NONE, NULL);
  static const char * const loopback[] = {
    "localhost", "127\\\\.[0-9]+\\\\.[0-9]+\\\\.[0-9]+", "0\\\\.0\\\\.0\\\\.0",
    "\\\\[::1\\\\]", "\\\\[::\\\\]", "\\\\[::ffff:7f[0-9a-f]*:[0-9a-f]*\\\\]", "\\\\[::ffff:127\\\\.[0-9.]+\\\\]",
  };
  g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) json = g_string_new ("[");
  const char *host;
  int port;

  if (uri == NULL || (host = g_uri_get_host (uri)) == NULL)
    return NULL;
  port = g_uri_get_port (uri);
  if (g_ascii_strcasecmp (host, "localhost") == 0 || g_str_has_prefix (host, "127.") ||
      g_str_equal (host, "::1") || g_str_equal (host, "[::1]"))
    {
      for (guint i = 0; i < G_N_ELEMENTS (loopback); i++)
        g_ptr_array_add (hosts, g_strdup (loopback[i]));
    }
  else
    {
      /* Another host: written as it is, its dots escaped. */
      g_autoptr(GString) escaped = g_string_new (NULL);

      for (const char *c = host; *c; c++)
        {
          if (!g_ascii_isalnum (*c) && *c != '-')
            g_string_append (escaped, "\\\\");
          g_string_append_c (escaped, g_ascii_tolower (*c));
        }
      g_ptr_array_add (hosts, g_string_free (g_steal_pointer (&escaped), FALSE));
    }
  for (guint i = 0; i < hosts->len; i++)
    {
      const char *h = g_ptr_array_index (hosts, i);
      /* With the port, and without it where the port is the default. */
      for (guint with_port = 0; with_port < 2; with_port++)
        {
          g_autofree char *port_part = with_port ? g_strdup_printf (":%d", port > 0 ? port : 80) : g_strdup ("");

          if (!with_port && port > 0 && port != 80 && port != 443)
            continue;
          g_string_append_printf (json, "%s{\"trigger\":{\"url-filter\":\"^[a-z]+://([^/]*@)?%s%s[/?#]\"},"
                                  "\"action\":{\"type\":\"block\"}}",
                                  json->len > 1 ? "," : "", h, port_part);
        }
    }
  g_string_append_c (json, ']');
  return g_string_free (g_steal_pointer (&json), FALSE);
}

static void
filter_ready (WebKitWebView           *web_view,
              WebKitUserContentFilter *filter,
              const GError            *error)
{
  Page *page = g_object_get_data (G_OBJECT (web_view), "ag-web-page");

  if (page == NULL)
    return;   /* stopped meanwhile */
  if (filter == NULL)
    {
      /* Never load the page unprotected. */
      g_warning ("The sign-in page's content filter could not be made: %s", error->message);
      page->callbacks.failed (FALSE, error->message, page->data);
      return;
    }
  webkit_user_content_manager_add_filter (webkit_web_view_get_user_content_manager (web_view), filter);
  webkit_web_view_load_uri (web_view, page->url);
}

static void
filter_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(WebKitWebView) web_view = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WebKitUserContentFilter) filter =
    webkit_user_content_filter_store_save_finish (WEBKIT_USER_CONTENT_FILTER_STORE (object), result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    filter_ready (web_view, filter, error);
}

static void
protect_and_load (WebKitWebView *web_view,
                  Page          *page,
                  const char    *redirect_uri,
                  const char    *filter_dir)
{
  g_autofree char *rules = redirect_filter_rules (redirect_uri);
  g_autofree char *hash = NULL;
  g_autofree char *id = NULL;
  g_autoptr(WebKitUserContentFilterStore) store = NULL;
  g_autoptr(GBytes) source = NULL;

  if (rules == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "no redirect host");
      filter_ready (web_view, NULL, error);
      return;
    }
  /* Compiled at each sign-in (a few rules: milliseconds) into the cache
   * folder, under a name made of its rules. One GUI run in about fifteen
   * kept a blank page whose filter was to be loaded from the copy an earlier
   * run had compiled (the load's answer never came, cause not found): the
   * store is no longer asked to load, only to compile. */
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, rules, -1);
  id = g_strdup_printf ("redirect-%.16s", hash);
  store = webkit_user_content_filter_store_new (filter_dir);
  source = g_bytes_new (rules, strlen (rules));
  webkit_user_content_filter_store_save (store, id, source, page->cancellable, filter_saved_cb, g_object_ref (web_view));
}

static char *
page_get_version (void)
{
  return g_strdup_printf ("%u.%u.%u", webkit_get_major_version (), webkit_get_minor_version (), webkit_get_micro_version ());
}

static GtkWidget *
page_create (const char               *url,
             const char               *redirect_uri,
             const char               *filter_dir,
             const AgWebPageCallbacks *callbacks,
             gpointer                  data)
{
  g_autoptr(WebKitNetworkSession) network = NULL;
  g_autoptr(WebKitSettings) settings = NULL;
  g_autoptr(WebKitUserContentManager) content = webkit_user_content_manager_new ();
  WebKitWebView *web_view;
  Page *page = g_new0 (Page, 1);

  page->callbacks = *callbacks;
  page->data = data;
  page->origin = origin_of (url);
  page->url = g_strdup (url);
  page->cancellable = g_cancellable_new ();

  /* Ephemeral: cookies and storage of this sign-in live in memory only. */
  network = webkit_network_session_new_ephemeral ();
  settings = webkit_settings_new_with_settings ("enable-developer-extras", FALSE,
                                                "javascript-can-open-windows-automatically", FALSE,
                                                "enable-back-forward-navigation-gestures", TRUE,
                                                NULL);
  web_view = g_object_new (WEBKIT_TYPE_WEB_VIEW,
                           "network-session", network,
                           "settings", settings,
                           "user-content-manager", content,
                           "vexpand", TRUE,
                           "hexpand", TRUE,
                           NULL);
  g_object_set_data_full (G_OBJECT (web_view), "ag-web-page", page, page_free);
  g_signal_connect (web_view, "decide-policy", G_CALLBACK (decide_policy_cb), page);
  g_signal_connect (web_view, "notify::estimated-load-progress", G_CALLBACK (progress_cb), page);
  g_signal_connect (web_view, "notify::uri", G_CALLBACK (uri_changed_cb), page);
  g_signal_connect (web_view, "load-failed", G_CALLBACK (load_failed_cb), page);
  g_signal_connect (web_view, "load-failed-with-tls-errors", G_CALLBACK (tls_error_cb), page);
  g_signal_connect (web_view, "create", G_CALLBACK (create_web_view_cb), page);
  g_signal_connect (web_view, "run-file-chooser", G_CALLBACK (run_file_chooser_cb), page);
  g_signal_connect (web_view, "context-menu", G_CALLBACK (context_menu_cb), page);
  g_signal_connect (web_view, "web-process-terminated", G_CALLBACK (web_process_terminated_cb), page);
  g_signal_connect (network, "download-started", G_CALLBACK (download_started_cb), NULL);
  protect_and_load (web_view, page, redirect_uri, filter_dir);
  return GTK_WIDGET (web_view);
}

static void
page_stop (GtkWidget *widget)
{
  WebKitWebView *web_view = WEBKIT_WEB_VIEW (widget);
  Page *page = g_object_get_data (G_OBJECT (web_view), "ag-web-page");

  if (page != NULL)
    {
      g_signal_handlers_disconnect_by_data (web_view, page);
      g_cancellable_cancel (page->cancellable);
      /* A filter still compiling finds no page and loads nothing. */
      g_object_set_data (G_OBJECT (web_view), "ag-web-page", NULL);
    }
  webkit_web_view_stop_loading (web_view);
  /* Ends the web process (and so the network process) now, not when WebKit
   * would reuse them. */
  webkit_web_view_terminate_web_process (web_view);
}

static gboolean
page_go_back (GtkWidget *widget)
{
  WebKitWebView *web_view = WEBKIT_WEB_VIEW (widget);

  if (!webkit_web_view_can_go_back (web_view))
    return FALSE;
  webkit_web_view_go_back (web_view);
  return TRUE;
}

G_MODULE_EXPORT const AgWebPageModule ag_web_page_module = {
  .abi = AG_WEB_PAGE_ABI,
  .get_version = page_get_version,
  .create = page_create,
  .stop = page_stop,
  .go_back = page_go_back,
};
