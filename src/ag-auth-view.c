/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AgAuthView owns the sign-in page's widget: it loads the web view module
 * (WebKit) when a sign-in starts, shows the authorization URL in it, and
 * reports each navigation to the redirect URI (::redirect) and a failed
 * load (::load-failed). It decides nothing about the sign-in. */

#include "config.h"

#include <glib/gi18n.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "ag-accessible.h"
#include <authgear-glib.h>
#include "ag-auth-view.h"
#include "ag-web-page.h"

struct _AgAuthView
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkLabel *host_label;
  GtkImage *lock_icon;
  GtkProgressBar *progress;
  GtkWidget *web_container;
  /* From the web view module, loaded at the first sign-in. */
  const AgWebPageModule *module;
  GtkWidget *page;
  char *redirect_uri;
  gboolean frozen;
  GdkFrameClock *paint_clock;   /* held while a stop waits for a frame */
  gulong after_paint_id;
  guint give_back_id;           /* gives the page's freed memory back */
};

enum {
  REDIRECT,
  LOAD_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AgAuthView, ag_auth_view, GTK_TYPE_WIDGET)

static gboolean
page_is_redirect (const char *uri,
                  gpointer    data)
{
  AgAuthView *self = data;

  return authgear_user_agent_redirect_uri_matches (self->redirect_uri, uri);
}

static void
page_redirect (const char *uri,
               gpointer    data)
{
  g_signal_emit (data, signals[REDIRECT], 0, uri);
}

static void
page_progress (double   fraction,
               gpointer data)
{
  AgAuthView *self = data;

  gtk_progress_bar_set_fraction (self->progress, fraction);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), fraction < 1.0);
}

static void
page_location (const char *uri,
               gpointer    data)
{
  AgAuthView *self = data;
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);

  if (parsed != NULL && g_uri_get_host (parsed) != NULL)
    {
      gboolean secure = g_strcmp0 (g_uri_get_scheme (parsed), "https") == 0;
      g_autofree char *text = g_strdup_printf ("%s%s", g_uri_get_host (parsed), secure ? "" : _(" (not encrypted)"));
      gtk_label_set_text (self->host_label, text);
      gtk_image_set_from_icon_name (self->lock_icon, secure ? "channel-secure-symbolic" : "channel-insecure-symbolic");
    }
}

static void
page_failed (gboolean    tls_error,
             const char *message,
             gpointer    data)
{
  if (tls_error)
    message = _("The sign-in page’s security certificate is not valid, so it was not opened.");
  g_signal_emit (data, signals[LOAD_FAILED], 0, message);
}

static const AgWebPageCallbacks page_callbacks = {
  .is_redirect = page_is_redirect,
  .redirect = page_redirect,
  .progress = page_progress,
  .location = page_location,
  .failed = page_failed,
};

static void
cancel_stop_after_paint (AgAuthView *self)
{
  if (self->paint_clock != NULL)
    {
      g_clear_signal_handler (&self->after_paint_id, self->paint_clock);
      g_clear_object (&self->paint_clock);
    }
}

/* The page may hold the keyboard focus: hand it back to the window before
 * the view goes, so that nothing in GTK points at it afterwards (and a page
 * switch does not carry the focus into the next page, where it would select
 * a label's text). */
static void
release_focus (AgAuthView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  if (focus != NULL && self->page != NULL &&
      (focus == self->page || gtk_widget_is_ancestor (focus, self->page)))
    gtk_root_set_focus (root, NULL);
}

/* A page torn down frees some tens of MiB in small blocks, which malloc
 * keeps for later, in the holes the next page's blocks do not fill: the
 * resident memory rose by 3 % over 50 sign-ins while the heap in use stayed
 * the same (run-bench). Once the view has gone quiet, the free pages go
 * back to the system. */
static gboolean
give_back_cb (gpointer user_data)
{
  AgAuthView *self = user_data;

  self->give_back_id = 0;
#ifdef __GLIBC__
  malloc_trim (0);
#endif
  return G_SOURCE_REMOVE;
}

void
ag_auth_view_stop (AgAuthView *self)
{
  gboolean frozen;

  g_return_if_fail (AG_IS_AUTH_VIEW (self));

  cancel_stop_after_paint (self);
  frozen = self->frozen;
  self->frozen = FALSE;
  gtk_widget_set_can_target (GTK_WIDGET (self), TRUE);
  if (self->page == NULL)
    return;
  release_focus (self);
  /* A frozen page was stopped already. */
  if (!frozen)
    self->module->stop (self->page);
  gtk_box_remove (GTK_BOX (self->web_container), self->page);
  self->page = NULL;
  gtk_label_set_text (self->host_label, "");
  if (self->give_back_id == 0)
    self->give_back_id = g_idle_add_full (G_PRIORITY_LOW, give_back_cb, self, NULL);
}

static void
after_paint_cb (GdkFrameClock *clock,
                AgAuthView    *self)
{
  ag_auth_view_stop (self);
}

void
ag_auth_view_stop_after_paint (AgAuthView *self)
{
  GtkRoot *root;
  GdkFrameClock *clock;

  g_return_if_fail (AG_IS_AUTH_VIEW (self));

  if (self->page == NULL || self->paint_clock != NULL)
    return;
  root = gtk_widget_get_root (GTK_WIDGET (self));
  clock = root ? gtk_widget_get_frame_clock (GTK_WIDGET (root)) : NULL;
  if (clock == NULL)
    {
      ag_auth_view_stop (self);
      return;
    }
  self->paint_clock = g_object_ref (clock);
  self->after_paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), self);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
}

void
ag_auth_view_freeze (AgAuthView *self)
{
  g_return_if_fail (AG_IS_AUTH_VIEW (self));

  self->frozen = TRUE;
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
  release_focus (self);
  /* Its web process ends now: it has nothing more to do, and on a small
   * machine it would take CPU time from what comes next. */
  if (self->page != NULL)
    self->module->stop (self->page);
}

void
ag_auth_view_start (AgAuthView *self,
                    const char *url,
                    const char *redirect_uri)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (AG_IS_AUTH_VIEW (self));
  g_return_if_fail (url != NULL && redirect_uri != NULL);

  ag_auth_view_stop (self);
  g_free (self->redirect_uri);
  self->redirect_uri = g_strdup (redirect_uri);

  self->module = ag_web_page_module_load (&error);
  if (self->module == NULL)
    {
      g_signal_emit (self, signals[LOAD_FAILED], 0, error->message);
      return;
    }
  {
    g_autofree char *filter_dir = g_build_filename (g_get_user_cache_dir (), "authgear-login", "content-filters", NULL);
    self->page = self->module->create (url, redirect_uri, filter_dir, &page_callbacks, self);
  }
  gtk_box_append (GTK_BOX (self->web_container), self->page);
  gtk_widget_grab_focus (self->page);
}

gboolean
ag_auth_view_go_back (AgAuthView *self)
{
  g_return_val_if_fail (AG_IS_AUTH_VIEW (self), FALSE);

  return self->page != NULL && !self->frozen && self->module->go_back (self->page);
}

static void
ag_auth_view_dispose (GObject *object)
{
  AgAuthView *self = AG_AUTH_VIEW (object);

  ag_auth_view_stop (self);
  g_clear_handle_id (&self->give_back_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), AG_TYPE_AUTH_VIEW);
  G_OBJECT_CLASS (ag_auth_view_parent_class)->dispose (object);
}

static void
ag_auth_view_finalize (GObject *object)
{
  AgAuthView *self = AG_AUTH_VIEW (object);

  g_free (self->redirect_uri);
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
  ag_accessible_name_controls (GTK_WIDGET (self));
}

AgAuthView *
ag_auth_view_new (void)
{
  return g_object_new (AG_TYPE_AUTH_VIEW, NULL);
}
