/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ag-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ag-accessible.h"
#include "ag-auth-view.h"
#include "ag-error.h"
#include "ag-http.h"
#include "ag-loopback.h"
#include "ag-resources.h"
#include "ag-secure.h"
#include "ag-session.h"
#include "ag-application.h"
#include "ag-window.h"

struct _AgWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  GtkWidget *credentials_button;
  GtkLabel *dotenv_banner;
  GtkWidget *back_button;
  GtkWidget *cancel_button;
  GtkStack *stack;
  AdwStatusPage *guest_page;
  GtkLabel *error_label;
  GtkWidget *login_button;
  GtkWidget *signup_button;
  GtkWidget *preferences_button;
  AgAuthView *auth_view;
  AdwAvatar *avatar;
  GtkLabel *welcome_label;
  GtkLabel *email_label;
  GtkLabel *session_note;
  GtkToggleButton *reveal_button;
  GtkLabel *profile_json;
  GtkLabel *token_json;
  GtkWidget *browser_button;
  GtkSpinner *loading_spinner;
  GtkSpinner *browser_spinner;
  AdwStatusPage *browser_page;
  GtkLabel *browser_status;
  AdwEntryRow *paste_row;

  GSettings *settings;
  AgPage sign_in_page;           /* Login or Sign up, for both paths */
  gboolean browser_port_taken;   /* the redirect's port belongs to another program */
  SoupSession *http;
  AgTokenStore *store;
  AgConfig *config;              /* NULL when missing or not valid */
  AgSession *session;
  GCancellable *setup_cancellable;
  char *guest_description;
  GCancellable *cancellable;     /* cancelled when the window closes */
  GCancellable *sign_in_cancellable;
  gboolean reveal;
  gboolean signing_in;

  /* The browser path (while the "browser" page shows). */
  AgLoopback *loopback;
  char *browser_url;
  gpointer browser_reply;        /* the loopback request waiting for the result */
  guint browser_timeout;

  guint exchange_slow;           /* shows the loading page if the exchange is slow */
  AgTokenSet *tokens_before;     /* a strong ref while the code is exchanged */
  gboolean exchanging;
  gint64 bench_callback_at;      /* monotonic µs of the last redirect (AG_BENCH) */
  gboolean bench_switch_reported;
  gboolean bench_done;
};

static AgBenchMode bench_mode;

void
ag_window_set_bench_mode (AgBenchMode mode)
{
  bench_mode = mode;
}

/* How long the browser path waits: 10 minutes (AG_BROWSER_WAIT_SECONDS in
 * tests). */
#define BROWSER_WAIT_SECONDS 600

G_DEFINE_FINAL_TYPE (AgWindow, ag_window, ADW_TYPE_APPLICATION_WINDOW)

static void
show_error (AgWindow     *self,
            const GError *error)
{
  if (error == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
      return;
    }
  gtk_label_set_text (self->error_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  gtk_widget_set_visible (self->preferences_button,
                          error->domain == AG_ERROR &&
                          (error->code == AG_ERROR_CONFIGURATION || error->code == AG_ERROR_DISCOVERY ||
                           error->code == AG_ERROR_ISSUER_MISMATCH || error->code == AG_ERROR_CLIENT_REJECTED));
}

static void
toast (AgWindow   *self,
       const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
update_token_view (AgWindow *self)
{
  AgTokenSet *tokens = self->session ? ag_session_get_tokens (self->session) : NULL;
  g_autofree char *profile = NULL;
  g_autofree char *response = NULL;

  if (tokens == NULL)
    {
      gtk_label_set_text (self->profile_json, "");
      gtk_label_set_text (self->token_json, "");
      return;
    }
  profile = ag_token_set_dup_profile_json (tokens);
  response = ag_token_set_dup_response_json (tokens, self->reveal);
  gtk_label_set_text (self->profile_json, profile);
  gtk_label_set_text (self->token_json, response);
  if (self->reveal)
    ag_secure_wipe (response, strlen (response));
}

static void
update_user_view (AgWindow *self)
{
  AgTokenSet *tokens = ag_session_get_tokens (self->session);
  const char *name;
  const char *email;
  g_autofree char *welcome = NULL;

  if (tokens == NULL)
    return;
  name = ag_token_set_get_display_name (tokens);
  email = ag_token_set_get_email (tokens);
  /* The Flask guide's words. */
  welcome = g_strdup_printf (_("Welcome %s!"), name ? name : "");
  gtk_label_set_text (self->welcome_label, welcome);
  adw_avatar_set_text (self->avatar, name);
  if (email != NULL)
    {
      g_autofree char *text = g_strdup_printf ("%s · %s", email,
                                               ag_token_set_get_email_verified (tokens) ? _("verified") : _("not verified"));
      gtk_label_set_text (self->email_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->email_label), email != NULL);
  update_token_view (self);
}

static void
update_session_note (AgWindow *self)
{
  gboolean signed_in = ag_session_get_state (self->session) == AG_SESSION_STATE_SIGNED_IN;
  const GError *error = ag_session_get_last_error (self->session);
  gboolean keyring_problem = error != NULL && g_error_matches (error, AG_ERROR, AG_ERROR_KEYRING_UNAVAILABLE);
  gboolean client_rejected = signed_in && g_error_matches (error, AG_ERROR, AG_ERROR_CLIENT_REJECTED);

  gtk_widget_set_visible (self->credentials_button, client_rejected);
  if (client_rejected)
    gtk_label_set_text (self->session_note, _("Authgear refused this app’s client ID or secret, so the session is no longer refreshed and will end when its access token expires. Check them in Preferences."));
  else if (signed_in && keyring_problem && !ag_session_get_persistent (self->session))
    gtk_label_set_text (self->session_note, _("You are signed in for this session only: the keyring is not available, so you will have to sign in again next time."));
  else if (signed_in && error != NULL && !keyring_problem)
    {
      g_autofree char *text = g_strdup_printf (_("The session could not be refreshed: %s. It will be tried again, sooner when the network comes back."), error->message);
      gtk_label_set_text (self->session_note, text);
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->session_note), FALSE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->session_note), TRUE);
}

static void
show_page (AgWindow   *self,
           const char *name)
{
  gboolean signin = g_strcmp0 (name, "signin") == 0;
  gboolean browser = g_strcmp0 (name, "browser") == 0;

  gtk_stack_set_visible_child_name (self->stack, name);
  /* A spinner on a hidden page still ticks every frame: spin only when seen. */
  gtk_spinner_set_spinning (self->loading_spinner, g_strcmp0 (name, "loading") == 0);
  gtk_spinner_set_spinning (self->browser_spinner, browser);
  gtk_widget_set_visible (self->cancel_button, signin || browser);
  gtk_widget_set_visible (self->browser_button, signin);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.paste-callback", browser);
  gtk_widget_set_visible (self->back_button, signin);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-sign-in", signin || browser);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back", signin);
  if (g_strcmp0 (name, "guest") == 0)
    gtk_window_set_default_widget (GTK_WINDOW (self), self->login_button);
  if (!signin)
    ag_auth_view_stop_after_paint (self->auth_view);
}

static void
sync_state (AgWindow *self)
{
  AgSessionState state = ag_session_get_state (self->session);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.logout", state == AG_SESSION_STATE_SIGNED_IN);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload-profile", state == AG_SESSION_STATE_SIGNED_IN);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.login", !self->signing_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.signup", !self->signing_in);

  if (self->signing_in)
    return;
  switch (state)
    {
    case AG_SESSION_STATE_UNKNOWN:
      show_page (self, "loading");
      break;
    case AG_SESSION_STATE_SIGNED_IN:
      update_user_view (self);
      update_session_note (self);
      show_page (self, "user");
      break;
    case AG_SESSION_STATE_NO_SESSION:
    case AG_SESSION_STATE_SIGNING_IN:
    default:
      if (ag_session_get_reason (self->session) == AG_SESSION_REASON_INVALID)
        show_error (self, ag_session_get_last_error (self->session));
      show_page (self, "guest");
      break;
    }
}

/* AG_BENCH: the view switched to Welcome with its labels set (what the
 * benchmark times; painting it is the toolkit's next frame). */
static void
bench_report_switch (AgWindow *self)
{
  if (self->bench_callback_at != 0 && !self->bench_switch_reported &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "user") == 0)
    {
      self->bench_switch_reported = TRUE;
      g_printerr ("bench: callback-to-welcome-us %" G_GINT64_FORMAT "\n",
                  g_get_monotonic_time () - self->bench_callback_at);
    }
}

/* The code's exchange is over, one way or the other. */
static void
end_exchange (AgWindow *self)
{
  self->exchanging = FALSE;
  g_clear_handle_id (&self->exchange_slow, g_source_remove);
  g_clear_object (&self->tokens_before);
}

static void
session_notify_cb (AgWindow   *self,
                   GParamSpec *pspec)
{
  /* Signed in by the code just exchanged: Welcome now. The keyring write
   * goes on behind it and ends the sign-in when it is done. */
  if (self->exchanging &&
      ag_session_get_state (self->session) == AG_SESSION_STATE_SIGNED_IN &&
      ag_session_get_reason (self->session) == AG_SESSION_REASON_SIGNED_IN &&
      ag_session_get_tokens (self->session) != self->tokens_before)
    {
      end_exchange (self);
      self->signing_in = FALSE;
    }
  /* state, tokens, persistent and last-error all change what is shown. */
  sync_state (self);
  bench_report_switch (self);
}

static char *
ui_locales (void)
{
  const char * const *names = g_get_language_names ();
  g_autoptr(GString) out = g_string_new (NULL);

  /* BCP 47 tags from the desktop's languages: de_DE.UTF-8 -> de-DE. */
  for (guint i = 0; names[i] != NULL && i < 4; i++)
    {
      g_autofree char *tag = g_strdup (names[i]);
      char *p;

      if (strchr (tag, '.') || strchr (tag, '@') || g_strcmp0 (tag, "C") == 0 || g_strcmp0 (tag, "POSIX") == 0)
        continue;
      if ((p = strchr (tag, '_')) != NULL)
        *p = '-';
      if (!strstr (out->str, tag))
        g_string_append_printf (out, "%s%s", out->len ? " " : "", tag);
    }
  return out->len ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

static void
sign_in_begun_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  AgWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  char *url;

  url = ag_session_begin_sign_in_finish (AG_SESSION (object), result, &error);
  if (url == NULL)
    {
      if (!ag_error_is_cancelled (error))
        {
          self->signing_in = FALSE;
          show_error (self, error);
          sync_state (self);
        }
      g_object_unref (self);
      return;
    }
  if (self->signing_in)
    {
      show_page (self, "signin");
      /* The web view is made here, when it is needed, never at startup. */
      ag_auth_view_start (self->auth_view, url, ag_config_get_redirect_uri (ag_session_get_config (self->session)));
    }
  ag_secure_free (url);
  g_object_unref (self);
}

/* The options of this sign-in, the same on both paths: the page asked for
 * (Login or Sign up), the desktop's languages and colour scheme, and whether
 * the browser may keep Authgear's session cookie (Preferences). */
static AgAuthOptions
sign_in_options (AgWindow   *self,
                 const char *locales)
{
  AgAuthOptions options = {
    .page = self->sign_in_page,
    .ui_locales = locales,
    .color_scheme = adw_style_manager_get_dark (adw_style_manager_get_default ()) ? "dark" : "light",
    .sso_enabled = g_settings_get_boolean (self->settings, "sso-enabled"),
  };
  return options;
}

static void
start_sign_in (AgWindow *self,
               AgPage    page)
{
  g_autofree char *locales = ui_locales ();
  AgAuthOptions options;

  if (self->session == NULL || self->signing_in)
    return;
  self->sign_in_page = page;
  options = sign_in_options (self, locales);
  show_error (self, NULL);
  self->signing_in = TRUE;
  g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  self->sign_in_cancellable = g_cancellable_new ();
  sync_state (self);
  ag_session_begin_sign_in_async (self->session, &options, self->sign_in_cancellable,
                                  sign_in_begun_cb, g_object_ref (self));
}

static void
stop_browser_path (AgWindow *self)
{
  if (self->loopback != NULL)
    {
      if (self->browser_reply != NULL)
        ag_loopback_reply (self->loopback, self->browser_reply, FALSE, _("The sign-in was cancelled in Authgear Login."));
      ag_loopback_stop (self->loopback);
      g_signal_handlers_disconnect_by_data (self->loopback, self);
      g_clear_object (&self->loopback);
    }
  self->browser_reply = NULL;
  self->browser_port_taken = FALSE;
  g_clear_handle_id (&self->browser_timeout, g_source_remove);
  g_clear_pointer (&self->browser_url, ag_secure_free);
  gtk_editable_set_text (GTK_EDITABLE (self->paste_row), "");
}

static void
end_sign_in (AgWindow     *self,
             const GError *error)
{
  stop_browser_path (self);
  end_exchange (self);
  self->signing_in = FALSE;
  ag_session_cancel_sign_in (self->session);
  show_error (self, error);
  sync_state (self);
  bench_report_switch (self);
  /* A failed sign-in keeps a session that was there. */
  if (error != NULL && ag_session_get_state (self->session) == AG_SESSION_STATE_SIGNED_IN)
    toast (self, error->message);
}

static void
sign_in_completed_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  AgWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ag_session_complete_sign_in_finish (AG_SESSION (object), result, &error) && ag_error_is_cancelled (error))
    {
      g_object_unref (self);
      return;
    }
  end_sign_in (self, error);
  g_object_unref (self);
}

/* Benchmark reports, after a frame is painted (so what they time is on
 * screen). Only connected when a benchmark asks. */
static void
bench_after_paint_cb (GdkFrameClock *clock,
                      AgWindow      *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  gboolean user = g_strcmp0 (page, "user") == 0;
  gint64 now = g_get_monotonic_time ();

  if (self->bench_callback_at != 0 && user)
    {
      g_printerr ("bench: callback-to-welcome-painted-us %" G_GINT64_FORMAT "\n", now - self->bench_callback_at);
      self->bench_callback_at = 0;
    }
  if (self->bench_done)
    return;
  if (bench_mode == AG_BENCH_EXIT_AFTER_FIRST_FRAME ||
      (bench_mode == AG_BENCH_EXIT_WHEN_SIGNED_IN && user))
    {
      self->bench_done = TRUE;
      g_print ("bench: first-frame-monotonic-us %" G_GINT64_FORMAT " page %s\n", now, page);
      g_application_quit (g_application_get_default ());
    }
}

static void
bench_map_cb (GtkWidget *widget)
{
  if (bench_mode != AG_BENCH_NONE || g_getenv ("AG_BENCH") != NULL)
    g_signal_connect_object (gtk_widget_get_frame_clock (widget), "after-paint",
                             G_CALLBACK (bench_after_paint_cb), widget, 0);
}

/* After this long without an answer, the loading page replaces the frozen
 * sign-in page. */
#define EXCHANGE_SLOW_MS 250

static gboolean
exchange_slow_cb (gpointer user_data)
{
  AgWindow *self = user_data;

  self->exchange_slow = 0;
  if (self->signing_in)
    show_page (self, "loading");
  return G_SOURCE_REMOVE;
}

static void
auth_view_redirect_cb (AgAuthView *view,
                       const char *uri,
                       AgWindow   *self)
{
  if (g_getenv ("AG_BENCH") != NULL)
    {
      self->bench_callback_at = g_get_monotonic_time ();
      self->bench_switch_reported = FALSE;
    }
  if (!self->signing_in)
    {
      ag_auth_view_stop (self->auth_view);
      return;
    }
  /* Only the answer to this sign-in counts, once. WebKitGTK does not say
   * which frame a navigation is for, so a frame of the page (or a page it
   * links to) can send the view here too; without this sign-in's state it
   * cannot end the sign-in: it is ignored and the sign-in goes on. */
  if (self->exchanging)
    return;
  if (!ag_session_redirect_is_pending (self->session, uri))
    {
      g_debug ("A redirect without this sign-in's state: ignored");
      toast (self, _("The sign-in page sent an answer that does not belong to this sign-in. It was ignored."));
      return;
    }
  /* The page stays as it is while the code is exchanged, which on a good
   * network takes a few milliseconds: switching to the loading page and
   * tearing the web view down now would each cost a frame before the answer
   * could even be read. The page takes no input meanwhile, and the loading
   * page shows if the exchange takes longer. */
  ag_auth_view_freeze (self->auth_view);
  end_exchange (self);
  self->exchanging = TRUE;
  if (ag_session_get_tokens (self->session) != NULL)
    self->tokens_before = g_object_ref (ag_session_get_tokens (self->session));
  self->exchange_slow = g_timeout_add (EXCHANGE_SLOW_MS, exchange_slow_cb, self);
  ag_session_complete_sign_in_async (self->session, uri, self->sign_in_cancellable,
                                     sign_in_completed_cb, g_object_ref (self));
}

static void
auth_view_load_failed_cb (AgAuthView *view,
                          const char *message,
                          AgWindow   *self)
{
  g_autoptr(GError) error = g_error_new (AG_ERROR, AG_ERROR_NETWORK, _("The sign-in page could not be opened: %s"), message);

  g_cancellable_cancel (self->sign_in_cancellable);
  end_sign_in (self, error);
}

/* The browser path (issue: a way out of the web view). */

static void
set_browser_status (AgWindow   *self,
                    const char *text,
                    gboolean    is_error)
{
  gtk_label_set_text (self->browser_status, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->browser_status), text != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->browser_status), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->browser_status), "error");
}

static void
browser_completed_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  AgWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = ag_session_complete_sign_in_finish (AG_SESSION (object), result, &error);

  if (self->loopback != NULL && self->browser_reply != NULL)
    ag_loopback_reply (self->loopback, self->browser_reply, ok, error ? error->message : NULL);
  self->browser_reply = NULL;
  if (!ok && ag_error_is_cancelled (error))
    {
      g_object_unref (self);
      return;
    }
  /* Back from the browser: this window has the news. */
  gtk_window_present (GTK_WINDOW (self));
  end_sign_in (self, error);
  g_object_unref (self);
}

/* A redirect from the loopback listener (@reply set) or pasted (NULL). */
static void
handle_browser_return (AgWindow   *self,
                       const char *uri,
                       gpointer    reply)
{
  const char *problem = NULL;

  if (!self->signing_in || self->browser_url == NULL || self->browser_reply != NULL)
    problem = _("Authgear Login is not waiting for a sign-in from the browser.");
  else if (uri == NULL || !ag_session_is_redirect (self->session, uri))
    problem = _("That is not the address Authgear sends you back to. Copy the whole address from the browser’s address bar.");
  else if (!ag_session_redirect_is_pending (self->session, uri))
    problem = _("That answer does not belong to this sign-in (state). Authgear Login is still waiting for the right one.");

  if (problem != NULL)
    {
      /* Any local process can send the listener a wrong request: it is
       * answered and noted, but what the window tells the person stays.
       * Only a pasted address is the person's own doing. */
      if (reply != NULL)
        {
          g_debug ("The loopback listener got an answer that does not fit: ignored");
          ag_loopback_reply (self->loopback, reply, FALSE, problem);
        }
      else
        set_browser_status (self, problem, TRUE);
      return;
    }

  /* The one answer: stop waiting, finish exactly as the embedded path does. */
  g_clear_handle_id (&self->browser_timeout, g_source_remove);
  self->browser_reply = reply;
  set_browser_status (self, _("Signing in…"), FALSE);
  ag_session_complete_sign_in_async (self->session, uri, self->sign_in_cancellable,
                                     browser_completed_cb, g_object_ref (self));
}

static void
loopback_callback_cb (AgLoopback *loopback,
                      const char *uri,
                      gpointer    reply,
                      AgWindow   *self)
{
  handle_browser_return (self, uri, reply);
}

static void
paste_activated (AgWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->paste_row))));

  handle_browser_return (self, text, NULL);
  ag_secure_wipe (text, strlen (text));
}

static void
paste_activated_cb (AgWindow *self)
{
  paste_activated (self);
}

static void
paste_callback_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  paste_activated (AG_WINDOW (widget));
}

static gboolean
browser_timeout_cb (gpointer user_data)
{
  AgWindow *self = user_data;
  g_autoptr(GError) error = g_error_new_literal (AG_ERROR, AG_ERROR_TIMEOUT,
                                                 _("Authgear Login stopped waiting for your browser. Press Login to start again."));

  self->browser_timeout = 0;
  g_cancellable_cancel (self->sign_in_cancellable);
  end_sign_in (self, error);
  return G_SOURCE_REMOVE;
}

static void
browser_launched_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  AgWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error) && !ag_error_is_cancelled (error) &&
      self->browser_url != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("No browser could be opened (%s). Copy the link into a browser instead."),
                                               error->message);
      set_browser_status (self, text, TRUE);
    }
  g_object_unref (self);
}

static void
copy_browser_link (AgWindow *self)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->browser_url);
  toast (self, _("Link copied: open it in a browser"));
}

static void
browser_sign_in_begun (AgWindow     *self,
                       GAsyncResult *result,
                       gboolean      launch)
{
  GObject *object = G_OBJECT (self->session);
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) parsed = NULL;
  g_autofree char *description = NULL;
  const char *redirect_uri;
  char *url;

  url = ag_session_begin_sign_in_finish (AG_SESSION (object), result, &error);
  if (url == NULL)
    {
      if (!ag_error_is_cancelled (error))
        end_sign_in (self, error);
      g_object_unref (self);
      return;
    }
  self->browser_url = url;
  parsed = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  description = g_strdup_printf (_("Sign in on %s in your browser. This window waits for you to come back."),
                                 parsed ? g_uri_get_host (parsed) : "");
  adw_status_page_set_description (self->browser_page, description);

  /* Listen on the redirect URI's port only now, only while this page shows. */
  redirect_uri = ag_config_get_redirect_uri (ag_session_get_config (self->session));
  if (ag_loopback_supports (redirect_uri))
    {
      g_autoptr(GError) listen_error = NULL;

      self->loopback = ag_loopback_new (redirect_uri);
      g_signal_connect (self->loopback, "callback", G_CALLBACK (loopback_callback_cb), self);
      if (!ag_loopback_start (self->loopback, &listen_error))
        {
          g_autoptr(GUri) redirect = g_uri_parse (redirect_uri, G_URI_FLAGS_NONE, NULL);
          g_autofree char *text = NULL;

          /* Never send the browser back to another program's port: it
           * would get the code, and show the person whatever it likes. */
          if (g_error_matches (listen_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
            {
              text = g_strdup_printf (_("Another program is using port %d. Your browser’s return would reach that program, not Authgear Login, so the browser was not opened. Close that program and start again, or copy the link, sign in, then paste the address you were sent back to."),
                                      g_uri_get_port (redirect));
              self->browser_port_taken = TRUE;
              launch = FALSE;
              adw_status_page_set_description (self->browser_page,
                                               _("Your browser cannot come back here by itself this time."));
              gtk_spinner_set_spinning (self->browser_spinner, FALSE);
            }
          else
            text = g_strdup_printf (_("Authgear Login cannot wait for your browser (%s). Copy the link, sign in, then paste the address you were sent back to."),
                                    listen_error->message);
          set_browser_status (self, text, TRUE);
          g_clear_object (&self->loopback);
        }
    }
  else
    set_browser_status (self, _("Sign in in your browser, then paste the address you were sent back to."), FALSE);

  {
    const char *env = g_getenv ("AG_BROWSER_WAIT_SECONDS");
    guint64 seconds = BROWSER_WAIT_SECONDS;

    if (env != NULL)
      g_ascii_string_to_unsigned (env, 10, 1, BROWSER_WAIT_SECONDS, &seconds, NULL);
    self->browser_timeout = g_timeout_add_seconds ((guint) seconds, browser_timeout_cb, self);
  }

  if (launch)
    g_app_info_launch_default_for_uri_async (self->browser_url, NULL, self->sign_in_cancellable,
                                             browser_launched_cb, g_object_ref (self));
  else if (!self->browser_port_taken)
    copy_browser_link (self);
  g_object_unref (self);
}

static void
browser_sign_in_begun_launch_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  browser_sign_in_begun (user_data, result, TRUE);
}

static void
browser_sign_in_begun_copy_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  browser_sign_in_begun (user_data, result, FALSE);
}

/* Leaves the embedded view for the browser: a fresh authorization request. */
static void
go_to_browser (AgWindow *self,
               gboolean  launch)
{
  g_autofree char *locales = NULL;
  AgAuthOptions options;

  if (!self->signing_in || self->session == NULL)
    return;
  if (gtk_stack_get_visible_child_name (self->stack) != NULL &&
      g_str_equal (gtk_stack_get_visible_child_name (self->stack), "browser"))
    {
      if (self->browser_url == NULL)
        return;
      if (launch && self->browser_port_taken)
        return;   /* said on the page: the browser is not opened */
      if (launch)
        g_app_info_launch_default_for_uri_async (self->browser_url, NULL, self->sign_in_cancellable,
                                                 browser_launched_cb, g_object_ref (self));
      else
        copy_browser_link (self);
      return;
    }

  ag_auth_view_stop (self->auth_view);
  stop_browser_path (self);
  set_browser_status (self, NULL, FALSE);
  show_page (self, "browser");
  locales = ui_locales ();
  options = sign_in_options (self, locales);
  ag_session_begin_sign_in_async (self->session, &options, self->sign_in_cancellable,
                                  launch ? browser_sign_in_begun_launch_cb : browser_sign_in_begun_copy_cb,
                                  g_object_ref (self));
}

static void
open_in_browser_activated (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  go_to_browser (AG_WINDOW (widget), TRUE);
}

static void
copy_link_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  go_to_browser (AG_WINDOW (widget), FALSE);
}

static void
login_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  start_sign_in (AG_WINDOW (widget), AG_PAGE_DEFAULT);
}

static void
signup_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  start_sign_in (AG_WINDOW (widget), AG_PAGE_SIGNUP);
}

static void
cancel_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  AgWindow *self = AG_WINDOW (widget);

  if (!self->signing_in)
    return;
  g_cancellable_cancel (self->sign_in_cancellable);
  end_sign_in (self, NULL);
}

static void
back_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  ag_auth_view_go_back (AG_WINDOW (widget)->auth_view);
}

static void
logged_out_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  AgWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ag_session_logout_finish (AG_SESSION (object), result, &error) && !ag_error_is_cancelled (error))
    {
      g_autofree char *text = g_strdup_printf (_("You are signed out here, but Authgear could not be told: %s"), error->message);
      toast (self, text);
    }
  g_application_release (g_application_get_default ());
  g_object_unref (self);
}

static void
logout_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  AgWindow *self = AG_WINDOW (widget);

  g_debug ("Logout");
  self->reveal = FALSE;
  gtk_toggle_button_set_active (self->reveal_button, FALSE);
  /* Closing the window right after Logout must not leave the session in the
   * keyring: the application stays until the keyring is cleared. The
   * logout is not tied to the window's cancellable for the same reason. */
  g_application_hold (g_application_get_default ());
  ag_session_logout_async (self->session, NULL, logged_out_cb, g_object_ref (self));
}

static void
reveal_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  AgWindow *self = AG_WINDOW (widget);

  self->reveal = !self->reveal;
  gtk_toggle_button_set_active (self->reveal_button, self->reveal);
  update_token_view (self);
}

static void
copy_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  AgWindow *self = AG_WINDOW (widget);
  AgTokenSet *tokens = ag_session_get_tokens (self->session);
  g_autofree char *json = NULL;

  if (tokens == NULL)
    return;
  json = ag_token_set_dup_response_json (tokens, self->reveal);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), json);
  toast (self, self->reveal ? _("Token response copied, with the tokens") : _("Token response copied, tokens hidden"));
}

static void
profile_reloaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  AgWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (ag_session_reload_profile_finish (AG_SESSION (object), result, &error))
    toast (self, _("Profile reloaded"));
  else if (!ag_error_is_cancelled (error))
    {
      g_autofree char *text = g_strdup_printf (_("The profile could not be reloaded: %s"), error->message);
      toast (self, text);
    }
  g_object_unref (self);
}

static void
reload_profile_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  AgWindow *self = AG_WINDOW (widget);

  if (self->session == NULL || ag_session_get_state (self->session) != AG_SESSION_STATE_SIGNED_IN)
    return;
  ag_session_reload_profile_async (self->session, self->cancellable, profile_reloaded_cb, g_object_ref (self));
}

static void
restored_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  AgWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ag_session_restore_finish (AG_SESSION (object), result, &error) && error != NULL &&
      !ag_error_is_cancelled (error))
    g_debug ("No stored session: %s", error->message);
  g_object_unref (self);
}

static void
start_session (AgWindow *self,
               AgConfig *config)
{
  g_autofree char *cache_dir = g_build_filename (g_get_user_cache_dir (), PACKAGE_NAME, NULL);

  if (self->http == NULL)
    self->http = ag_http_session_new ();
  self->session = ag_session_new (config, self->store, self->http, cache_dir);
  g_signal_connect_object (self->session, "notify", G_CALLBACK (session_notify_cb), self, G_CONNECT_SWAPPED);
  sync_state (self);
  ag_session_restore_async (self->session, self->setup_cancellable, restored_cb, g_object_ref (self));
}

static void
client_secret_loaded_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  AgWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AgConfig) config = NULL;
  char *secret;

  secret = ag_token_store_load_client_secret_finish (AG_TOKEN_STORE (object), result, &error);
  if (ag_error_is_cancelled (error))
    {
      g_object_unref (self);
      return;
    }
  /* No keyring: a public client, which is what a desktop app should be. */
  if (error != NULL)
    g_debug ("Client secret: %s", error->message);
  config = secret ? ag_config_with_client_secret (self->config, secret) : g_object_ref (self->config);
  ag_secure_free (secret);
  start_session (self, config);
  g_object_unref (self);
}

static gboolean
open_preferences_cb (gpointer user_data)
{
  AgWindow *self = user_data;

  gtk_widget_activate_action (GTK_WIDGET (self), "app.preferences", NULL);
  return G_SOURCE_REMOVE;
}

static void
show_configuration_error (AgWindow     *self,
                          const GError *error)
{
  g_autofree char *domain = g_settings_get_string (self->settings, "authgear-domain");
  g_autofree char *client_id = g_settings_get_string (self->settings, "client-id");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.login", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.signup", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.logout", FALSE);
  adw_status_page_set_description (self->guest_page,
                                   _("Set AUTHGEAR_DOMAIN and AUTHGEAR_CLIENT_ID in the environment or a .env file, or open Preferences."));
  show_error (self, error);
  gtk_widget_set_visible (self->preferences_button, TRUE);
  show_page (self, "guest");

  /* Nothing configured anywhere: a first start. Preferences is where to go. */
  if (*domain == '\0' && *client_id == '\0' &&
      g_getenv ("AUTHGEAR_DOMAIN") == NULL && g_getenv ("AUTHGEAR_CLIENT_ID") == NULL)
    g_idle_add_full (G_PRIORITY_LOW, open_preferences_cb, g_object_ref (self), g_object_unref);
}

/* A .env file can point the sign-in at any server: whenever one set a
 * value, the guest view names the file and the domain. */
static void
update_dotenv_banner (AgWindow *self)
{
  const char *path = self->config ? ag_config_get_dotenv_path (self->config) : NULL;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->dotenv_banner), path != NULL);
  if (path == NULL)
    return;
  text = g_strdup_printf (_("Settings from %s: signing in with %s"), path, ag_config_get_issuer (self->config));
  gtk_label_set_text (self->dotenv_banner, text);
}

static void
setup_session (AgWindow *self)
{
  g_autoptr(GError) error = NULL;
  GApplication *app = g_application_get_default ();
  const char *dotenv = AG_IS_APPLICATION (app) ? ag_application_get_dotenv_path (AG_APPLICATION (app)) : NULL;

  self->setup_cancellable = g_cancellable_new ();
  self->config = ag_config_load (self->settings, dotenv, &error);
  update_dotenv_banner (self);
  if (self->config == NULL)
    {
      show_configuration_error (self, error);
      return;
    }
  adw_status_page_set_description (self->guest_page, self->guest_description);
  gtk_widget_set_visible (self->preferences_button, FALSE);

  if (ag_config_get_client_secret (self->config) != NULL)
    {
      start_session (self, self->config);
      return;
    }
  /* A client secret given in Preferences lives in the keyring. */
  ag_token_store_load_client_secret_async (self->store,
                                           ag_config_get_issuer (self->config),
                                           ag_config_get_client_id (self->config),
                                           self->setup_cancellable,
                                           client_secret_loaded_cb, g_object_ref (self));
}

AgConfig *
ag_window_get_config (AgWindow *self)
{
  g_return_val_if_fail (AG_IS_WINDOW (self), NULL);
  return self->session ? ag_session_get_config (self->session) : self->config;
}

void
ag_window_reload_configuration (AgWindow *self)
{
  g_return_if_fail (AG_IS_WINDOW (self));

  /* A sign-in in progress ends the way Cancel ends it: the embedded page
   * and the browser path's listener and timer alike. */
  if (self->signing_in)
    {
      g_cancellable_cancel (self->sign_in_cancellable);
      ag_auth_view_stop (self->auth_view);
      end_sign_in (self, NULL);
    }
  g_cancellable_cancel (self->setup_cancellable);
  g_clear_object (&self->setup_cancellable);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->config);
  show_error (self, NULL);
  /* The store, the map handler and the guest page's own words stay as
   * init made them: only the configuration and the session are new. */
  show_page (self, "loading");
  setup_session (self);
}

static gboolean
ag_window_close_request (GtkWindow *window)
{
  AgWindow *self = AG_WINDOW (window);
  int width, height;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->sign_in_cancellable);
  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  return GTK_WINDOW_CLASS (ag_window_parent_class)->close_request (window);
}

static void
ag_window_dispose (GObject *object)
{
  AgWindow *self = AG_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->setup_cancellable);
  end_exchange (self);
  if (self->paste_row != NULL)
    stop_browser_path (self);
  g_clear_object (&self->session);
  g_clear_object (&self->config);
  g_clear_object (&self->store);
  g_clear_object (&self->http);
  gtk_widget_dispose_template (GTK_WIDGET (self), AG_TYPE_WINDOW);
  G_OBJECT_CLASS (ag_window_parent_class)->dispose (object);
}

static void
ag_window_finalize (GObject *object)
{
  AgWindow *self = AG_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->sign_in_cancellable);
  g_clear_object (&self->setup_cancellable);
  g_free (self->guest_description);
  G_OBJECT_CLASS (ag_window_parent_class)->finalize (object);
}

static void
ag_window_class_init (AgWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ag_window_dispose;
  object_class->finalize = ag_window_finalize;
  window_class->close_request = ag_window_close_request;

  /* Referencing the resource keeps it linked out of the static library; its
   * constructor registers it. */
  g_assert (ag_get_resource () != NULL);
  g_type_ensure (AG_TYPE_AUTH_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "ag-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AgWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, credentials_button);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, dotenv_banner);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, guest_page);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, login_button);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, signup_button);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, preferences_button);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, auth_view);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, avatar);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, welcome_label);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, email_label);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, session_note);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, reveal_button);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, profile_json);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, token_json);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, browser_button);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, browser_spinner);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, browser_page);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, browser_status);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, paste_row);
  gtk_widget_class_bind_template_callback (widget_class, paste_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, auth_view_redirect_cb);
  gtk_widget_class_bind_template_callback (widget_class, auth_view_load_failed_cb);

  gtk_widget_class_install_action (widget_class, "win.login", NULL, login_activated);
  gtk_widget_class_install_action (widget_class, "win.signup", NULL, signup_activated);
  gtk_widget_class_install_action (widget_class, "win.cancel-sign-in", NULL, cancel_activated);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "win.logout", NULL, logout_activated);
  gtk_widget_class_install_action (widget_class, "win.reveal-tokens", NULL, reveal_activated);
  gtk_widget_class_install_action (widget_class, "win.copy-tokens", NULL, copy_activated);
  gtk_widget_class_install_action (widget_class, "win.reload-profile", NULL, reload_profile_activated);
  gtk_widget_class_install_action (widget_class, "win.open-in-browser", NULL, open_in_browser_activated);
  gtk_widget_class_install_action (widget_class, "win.copy-link", NULL, copy_link_activated);
  gtk_widget_class_install_action (widget_class, "win.paste-callback", NULL, paste_callback_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel-sign-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.login", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.logout", NULL);
}

static void
ag_window_init (AgWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  ag_accessible_name_controls (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

#if DEVELOPMENT
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  g_signal_connect_after (self, "map", G_CALLBACK (bench_map_cb), NULL);
  self->store = ag_token_store_new (APP_ID);
  self->guest_description = g_strdup (adw_status_page_get_description (self->guest_page));
  show_page (self, "loading");
  setup_session (self);
}

AgWindow *
ag_window_new (GtkApplication *application)
{
  return g_object_new (AG_TYPE_WINDOW, "application", application, NULL);
}
