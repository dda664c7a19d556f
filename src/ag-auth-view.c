/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ag-auth-view"

#include "config.h"

#include <glib/gi18n.h>
#include <webkit/webkit.h>

#include "ag-auth-request.h"
#include "ag-auth-view.h"

struct _AgAuthView
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkLabel *host_label;
  GtkImage *lock_icon;
  GtkProgressBar *progress;
  GtkWidget *web_container;
  WebKitWebView *web_view;
  char *redirect_uri;
  char *provider_origin;
};

enum {
  REDIRECT,
  LOAD_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AgAuthView, ag_auth_view, GTK_TYPE_WIDGET)

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
                  AgAuthView               *self)
{
  WebKitNavigationAction *action;
  WebKitURIRequest *request;
  const char *uri;

  if (type == WEBKIT_POLICY_DECISION_TYPE_RESPONSE)
    return FALSE;

  action = webkit_navigation_policy_decision_get_navigation_action (WEBKIT_NAVIGATION_POLICY_DECISION (decision));
  request = webkit_navigation_action_get_request (action);
  uri = webkit_uri_request_get_uri (request);

  /* The redirect: never loaded, handed to the session. */
  if (ag_redirect_uri_matches (self->redirect_uri, uri))
    {
      g_autofree char *copy = g_strdup (uri);

      g_debug ("Redirect caught");
      webkit_policy_decision_ignore (decision);
      g_signal_emit (self, signals[REDIRECT], 0, copy);
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
      if (g_strcmp0 (origin, self->provider_origin) == 0)
        webkit_web_view_load_uri (web_view, uri);
      else
        {
          GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
          gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
        }
      return TRUE;
    }
  return FALSE;
}

static void
progress_cb (WebKitWebView *web_view,
             GParamSpec    *pspec,
             AgAuthView    *self)
{
  double progress = webkit_web_view_get_estimated_load_progress (web_view);

  gtk_progress_bar_set_fraction (self->progress, progress);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), progress < 1.0);
}

static void
uri_changed_cb (WebKitWebView *web_view,
                GParamSpec    *pspec,
                AgAuthView    *self)
{
  const char *uri = webkit_web_view_get_uri (web_view);
  g_autoptr(GUri) parsed = uri ? g_uri_parse (uri, G_URI_FLAGS_NONE, NULL) : NULL;

  if (parsed != NULL && g_uri_get_host (parsed) != NULL)
    {
      gboolean secure = g_strcmp0 (g_uri_get_scheme (parsed), "https") == 0;
      g_autofree char *text = g_strdup_printf ("%s%s", g_uri_get_host (parsed), secure ? "" : _(" (not encrypted)"));
      gtk_label_set_text (self->host_label, text);
      gtk_image_set_from_icon_name (self->lock_icon, secure ? "channel-secure-symbolic" : "channel-insecure-symbolic");
    }
}

static gboolean
load_failed_cb (WebKitWebView   *web_view,
                WebKitLoadEvent  event,
                const char      *failing_uri,
                GError          *error,
                AgAuthView      *self)
{
  /* Our own ignore of the redirect is reported as an interruption. */
  if (g_error_matches (error, WEBKIT_POLICY_ERROR, WEBKIT_POLICY_ERROR_FRAME_LOAD_INTERRUPTED_BY_POLICY_CHANGE) ||
      g_error_matches (error, WEBKIT_NETWORK_ERROR, WEBKIT_NETWORK_ERROR_CANCELLED))
    return FALSE;
  g_signal_emit (self, signals[LOAD_FAILED], 0, error->message);
  return FALSE;
}

static gboolean
tls_error_cb (WebKitWebView       *web_view,
              const char          *failing_uri,
              GTlsCertificate     *certificate,
              GTlsCertificateFlags errors,
              AgAuthView          *self)
{
  g_signal_emit (self, signals[LOAD_FAILED], 0,
                 _("The sign-in page’s security certificate is not valid, so it was not opened."));
  return TRUE;
}

static GtkWidget *
create_web_view_cb (WebKitWebView          *web_view,
                    WebKitNavigationAction *action,
                    AgAuthView             *self)
{
  /* Pop-ups were decided in decide-policy; never a second window. */
  return NULL;
}

void
ag_auth_view_stop (AgAuthView *self)
{
  g_return_if_fail (AG_IS_AUTH_VIEW (self));

  if (self->web_view == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->web_view, self);
  /* The page may hold the keyboard focus: hand it back to the window before
   * the view goes, so that nothing in GTK points at it afterwards. */
  {
    GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
    GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

    if (focus != NULL && (focus == GTK_WIDGET (self->web_view) ||
                          gtk_widget_is_ancestor (focus, GTK_WIDGET (self->web_view))))
      gtk_root_set_focus (root, NULL);
  }
  webkit_web_view_stop_loading (self->web_view);
  /* Ends the web process (and so the network process) now, not when WebKit
   * would reuse them. */
  webkit_web_view_terminate_web_process (self->web_view);
  gtk_box_remove (GTK_BOX (self->web_container), GTK_WIDGET (self->web_view));
  self->web_view = NULL;
  gtk_label_set_text (self->host_label, "");
}

void
ag_auth_view_start (AgAuthView *self,
                    const char *url,
                    const char *redirect_uri)
{
  g_autoptr(WebKitNetworkSession) network = NULL;
  g_autoptr(WebKitSettings) settings = NULL;

  g_return_if_fail (AG_IS_AUTH_VIEW (self));
  g_return_if_fail (url != NULL && redirect_uri != NULL);

  ag_auth_view_stop (self);
  g_free (self->redirect_uri);
  self->redirect_uri = g_strdup (redirect_uri);
  g_free (self->provider_origin);
  self->provider_origin = origin_of (url);

  /* Ephemeral: cookies and storage of this sign-in live in memory only. */
  network = webkit_network_session_new_ephemeral ();
  settings = webkit_settings_new_with_settings ("enable-developer-extras", FALSE,
                                                "javascript-can-open-windows-automatically", FALSE,
                                                "enable-back-forward-navigation-gestures", TRUE,
                                                NULL);
  self->web_view = g_object_new (WEBKIT_TYPE_WEB_VIEW,
                                 "network-session", network,
                                 "settings", settings,
                                 "vexpand", TRUE,
                                 "hexpand", TRUE,
                                 NULL);
  g_signal_connect (self->web_view, "decide-policy", G_CALLBACK (decide_policy_cb), self);
  g_signal_connect (self->web_view, "notify::estimated-load-progress", G_CALLBACK (progress_cb), self);
  g_signal_connect (self->web_view, "notify::uri", G_CALLBACK (uri_changed_cb), self);
  g_signal_connect (self->web_view, "load-failed", G_CALLBACK (load_failed_cb), self);
  g_signal_connect (self->web_view, "load-failed-with-tls-errors", G_CALLBACK (tls_error_cb), self);
  g_signal_connect (self->web_view, "create", G_CALLBACK (create_web_view_cb), self);
  gtk_box_append (GTK_BOX (self->web_container), GTK_WIDGET (self->web_view));
  webkit_web_view_load_uri (self->web_view, url);
  gtk_widget_grab_focus (GTK_WIDGET (self->web_view));
}

gboolean
ag_auth_view_go_back (AgAuthView *self)
{
  g_return_val_if_fail (AG_IS_AUTH_VIEW (self), FALSE);

  if (self->web_view == NULL || !webkit_web_view_can_go_back (self->web_view))
    return FALSE;
  webkit_web_view_go_back (self->web_view);
  return TRUE;
}

static void
ag_auth_view_dispose (GObject *object)
{
  AgAuthView *self = AG_AUTH_VIEW (object);

  ag_auth_view_stop (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), AG_TYPE_AUTH_VIEW);
  G_OBJECT_CLASS (ag_auth_view_parent_class)->dispose (object);
}

static void
ag_auth_view_finalize (GObject *object)
{
  AgAuthView *self = AG_AUTH_VIEW (object);

  g_free (self->redirect_uri);
  g_free (self->provider_origin);
  G_OBJECT_CLASS (ag_auth_view_parent_class)->finalize (object);
}

static void
ag_auth_view_class_init (AgAuthViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ag_auth_view_dispose;
  object_class->finalize = ag_auth_view_finalize;

  signals[REDIRECT] = g_signal_new ("redirect", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[LOAD_FAILED] = g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "ag-auth-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AgAuthView, box);
  gtk_widget_class_bind_template_child (widget_class, AgAuthView, host_label);
  gtk_widget_class_bind_template_child (widget_class, AgAuthView, lock_icon);
  gtk_widget_class_bind_template_child (widget_class, AgAuthView, progress);
  gtk_widget_class_bind_template_child (widget_class, AgAuthView, web_container);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ag_auth_view_init (AgAuthView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

AgAuthView *
ag_auth_view_new (void)
{
  return g_object_new (AG_TYPE_AUTH_VIEW, NULL);
}
