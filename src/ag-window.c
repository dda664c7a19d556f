/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AgWindow is a view: its template, its pages and labels, shown from the
 * application's session and the sign-in under way (AgSignIn). It owns no
 * configuration, token store or HTTP session (AgApplication does), and no
 * sign-in logic (AgSignIn does). Its actions are in ag-window-actions.c,
 * its fields in ag-window-private.h. */

#include "config.h"

#include <glib/gi18n.h>

#include "ag-accessible.h"
#include "ag-application.h"
#include "ag-bench.h"
#include "ag-error.h"
#include "ag-resources.h"
#include "ag-window-private.h"

G_DEFINE_FINAL_TYPE (AgWindow, ag_window, ADW_TYPE_APPLICATION_WINDOW)

/* After this long without an answer, the loading page replaces the frozen
 * sign-in page. */
#define EXCHANGE_SLOW_MS 250
/* A keyring that answers takes well under a second; one that asks for its
 * password, or does not answer, is said to be waited for after this. */
#define START_SLOW_MS 4000

void
ag_window_show_error (AgWindow     *self,
                      const GError *error)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
  gtk_widget_set_visible (self->preferences_button, FALSE);
  if (error == NULL)
    return;
  gtk_label_set_text (self->error_label, error->message);
  gtk_widget_set_visible (self->preferences_button,
                          error->domain == AUTHGEAR_ERROR &&
                          (error->code == AUTHGEAR_ERROR_CONFIGURATION || error->code == AUTHGEAR_ERROR_DISCOVERY ||
                           error->code == AUTHGEAR_ERROR_ISSUER_MISMATCH || error->code == AUTHGEAR_ERROR_CLIENT_REJECTED));
}

void
ag_window_toast (AgWindow   *self,
                 const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* The browser page, from the sign-in's news. */
static void
update_browser_page (AgWindow *self)
{
  gboolean is_error = FALSE;
  const char *status = ag_sign_in_get_status (self->sign_in, &is_error);
  const char *url = ag_sign_in_get_url (self->sign_in);
  g_autoptr(GUri) parsed = url ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  g_autofree char *description = NULL;

  if (ag_sign_in_get_port_taken (self->sign_in))
    description = g_strdup (_("Your browser cannot come back here by itself this time."));
  else
    description = g_strdup_printf (_("Sign in on %s in your browser. This window waits for you to come back."),
                                   parsed ? g_uri_get_host (parsed) : "");
  adw_status_page_set_description (self->browser_page, description);
  gtk_spinner_set_spinning (self->browser_spinner, !ag_sign_in_get_port_taken (self->sign_in));
  gtk_label_set_text (self->browser_status, status ? status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->browser_status), status != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->browser_status), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->browser_status), "error");
}

/* The Authgear project's host, as the person knows it. */
char *
ag_window_project_host (AgWindow *self)
{
  g_autofree char *endpoint = NULL;
  g_autoptr(GUri) uri = NULL;

  if (self->client != NULL)
    g_object_get (self->client, "endpoint", &endpoint, NULL);
  uri = endpoint ? g_uri_parse (endpoint, G_URI_FLAGS_NONE, NULL) : NULL;
  return g_strdup (uri && g_uri_get_host (uri) ? g_uri_get_host (uri) : "Authgear");
}

/* What the loading page waits for, in the person's words. */
static char *
wait_text (AgWindow *self)
{
  g_autofree char *host = ag_window_project_host (self);

  /* The start: the settings, the keyring, the stored session. The keyring
   * may be asking for its password, or not answering at all. */
  if (self->sign_in == NULL && self->start_waited)
    return g_strdup (_("Still opening your session: the keyring has not answered. If it asks for your password, unlock it."));
  if (self->sign_in == NULL)
    return g_strdup (_("Opening your session…"));
  if (ag_window_on_account (self))
    return g_strdup (_("Opening your account…"));
  switch (ag_sign_in_get_kind (self->sign_in))
    {
    case AG_SIGN_IN_REAUTHENTICATE:
      return g_strdup_printf (_("Asking %s to confirm it is you…"), host);
    case AG_SIGN_IN_CHANGE_EMAIL:
    case AG_SIGN_IN_DELETE_ACCOUNT:
      /* First Authgear's page is opened (an app session token), then the
       * change comes back and is saved. */
      if (ag_sign_in_get_phase (self->sign_in) == AG_SIGN_IN_PHASE_STARTING)
        return g_strdup (_("Opening your account…"));
      return g_strdup (_("Saving your change…"));
    case AG_SIGN_IN_AUTHENTICATE:
    case AG_SIGN_IN_SETTINGS:
    default:
      /* Translators: %s is the Authgear project's host, such as myapp.authgear.cloud. */
      return g_strdup_printf (_("Signing in to %s…"), host);
    }
}

/* The header's title: where the person is. Short, so that it is read whole
 * beside Back, Cancel and the menu at the narrowest width; the host, with
 * its lock, is under the header. */
static const char *
page_title (AgWindow   *self,
            const char *name)
{
  if (self->sign_in == NULL || !g_strv_contains ((const char *[]) { "signin", "browser", "loading", NULL }, name))
    return gtk_window_get_title (GTK_WINDOW (self));
  if (ag_window_on_account (self))
    return _("Your Account");
  switch (ag_sign_in_get_kind (self->sign_in))
    {
    case AG_SIGN_IN_REAUTHENTICATE:
      return _("Confirm It’s You");
    case AG_SIGN_IN_CHANGE_EMAIL:
    case AG_SIGN_IN_DELETE_ACCOUNT:
      return _("Your Account");
    case AG_SIGN_IN_AUTHENTICATE:
    case AG_SIGN_IN_SETTINGS:
    default:
      return _("Sign In");
    }
}

static void show_page (AgWindow   *self,
                       const char *name);

static gboolean
start_slow_cb (gpointer user_data)
{
  AgWindow *self = user_data;

  self->start_slow = 0;
  self->start_waited = TRUE;
  show_page (self, "loading");
  ag_window_actions_update (self);
  return G_SOURCE_REMOVE;
}

/* The start's wait for the keyring: after a few seconds it says so and
 * offers to go on without it. Only while a configuration is there to start
 * (not for a sign-in's waits, which have Cancel). */
static void
watch_start (AgWindow   *self,
             const char *name)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  gboolean starting = g_strcmp0 (name, "loading") == 0 && self->sign_in == NULL &&
                      AG_IS_APPLICATION (app) && ag_application_get_config (AG_APPLICATION (app)) != NULL &&
                      !ag_application_get_without_keyring (AG_APPLICATION (app));

  if (!starting)
    {
      g_clear_handle_id (&self->start_slow, g_source_remove);
      self->start_waited = FALSE;
    }
  else if (self->start_slow == 0 && !self->start_waited)
    self->start_slow = g_timeout_add (START_SLOW_MS, start_slow_cb, self);
}

static void
show_page (AgWindow   *self,
           const char *name)
{
  gboolean loading = g_strcmp0 (name, "loading") == 0;

  watch_start (self, name);
  gtk_widget_set_visible (self->loading_leave, loading && self->start_waited);
  g_autofree char *waiting = loading ? wait_text (self) : NULL;

  /* The words go with the page, so that a hidden page says nothing. */
  gtk_label_set_text (self->loading_label, waiting ? waiting : "");
  gtk_widget_set_visible (GTK_WIDGET (self->loading_label), waiting != NULL);
  /* A wait the person started can be left: the button and Escape. */
  gtk_widget_set_visible (self->loading_cancel, loading && self->sign_in != NULL);
  gboolean signin = g_strcmp0 (name, "signin") == 0;
  gboolean browser = g_strcmp0 (name, "browser") == 0;

  if (signin || browser)
    ag_window_ensure_sign_in_pages (self);
  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_label_set_text (self->window_title, page_title (self, name));
  /* A spinner on a hidden page still ticks every frame: spin only when seen. */
  gtk_spinner_set_spinning (self->loading_spinner, g_strcmp0 (name, "loading") == 0);
  if (!browser && self->browser_spinner != NULL)
    gtk_spinner_set_spinning (self->browser_spinner, FALSE);
  gboolean account = ag_window_on_account (self);

  gtk_widget_set_visible (self->cancel_button, (signin || browser) && !account);
  gtk_widget_set_visible (self->done_button, signin && account);
  if (self->browser_bar != NULL)
    gtk_widget_set_visible (self->browser_bar, signin && !account &&
                            self->sign_in != NULL && ag_sign_in_get_browser_allowed (self->sign_in));
  gtk_widget_set_visible (self->back_button, signin);
  if (g_strcmp0 (name, "guest") == 0)
    gtk_window_set_default_widget (GTK_WINDOW (self), self->login_button);
  if (!signin && self->auth_view != NULL)
    ag_auth_view_stop_after_paint (self->auth_view);
}

/* The page for the sign-in under way, or NULL to keep the one shown
 * (while the request is made). */
static const char *
sign_in_page (AgWindow *self)
{
  gboolean browser = ag_sign_in_get_agent (self->sign_in) == AG_SIGN_IN_AGENT_BROWSER;

  /* Authgear's settings page: loading while its URL (an app session
   * token) is asked for. */
  if (ag_window_on_account (self))
    switch (ag_sign_in_get_phase (self->sign_in))
      {
      case AG_SIGN_IN_PHASE_STARTING:
        return "loading";
      case AG_SIGN_IN_PHASE_WAITING:
        return "signin";
      default:
        return NULL;
      }
  switch (ag_sign_in_get_phase (self->sign_in))
    {
    case AG_SIGN_IN_PHASE_STARTING:
      /* watch_wait (): the page shown stays, or the wait's page. */
      return browser ? "browser" : self->wait_slow ? "loading" : NULL;
    case AG_SIGN_IN_PHASE_EXCHANGING:
      return browser ? "browser" : self->wait_slow ? "loading" : "signin";
    case AG_SIGN_IN_PHASE_WAITING:
    case AG_SIGN_IN_PHASE_DONE:
    default:
      return browser ? "browser" : "signin";
    }
}

/* The configuration could not be read: the guest page says why. */
static void
show_configuration_error (AgWindow     *self,
                          const GError *error)
{
  adw_status_page_set_description (self->guest_page,
                                   _("Set AUTHGEAR_DOMAIN and AUTHGEAR_CLIENT_ID in the environment or a .env file, or open Preferences."));
  ag_window_show_error (self, error);
  gtk_widget_set_visible (self->preferences_button, TRUE);
  show_page (self, "guest");
}

/* Everything shown follows from the application's session, the sign-in
 * under way and the configuration's error: this is the one place that
 * decides. */
void
ag_window_sync (AgWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  const GError *config_error = AG_IS_APPLICATION (app) ? ag_application_get_config_error (AG_APPLICATION (app)) : NULL;
  AgAppConfig *config = AG_IS_APPLICATION (app) ? ag_application_get_config (AG_APPLICATION (app)) : NULL;
  const char *dotenv = config ? config->dotenv_path : NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->dotenv_banner), dotenv != NULL);
  if (dotenv != NULL)
    {
      /* A .env file can point the sign-in at any server: say which. */
      g_autofree char *text = g_strdup_printf (_("Settings from %s: signing in with %s"), dotenv, config->issuer);
      gtk_label_set_text (self->dotenv_banner, text);
    }

  if (self->client == NULL && config_error != NULL)
    show_configuration_error (self, config_error);
  else if (self->client == NULL)
    show_page (self, "loading");
  else if (self->sign_in != NULL)
    {
      const char *page = sign_in_page (self);

      if (ag_sign_in_get_agent (self->sign_in) == AG_SIGN_IN_AGENT_BROWSER)
        update_browser_page (self);
      if (page != NULL)
        show_page (self, page);
    }
  else
    {
      adw_status_page_set_description (self->guest_page, self->guest_description);
      switch (authgear_client_get_session_state (self->client))
        {
        case AUTHGEAR_SESSION_STATE_UNKNOWN:
          show_page (self, "loading");
          break;
        case AUTHGEAR_SESSION_STATE_AUTHENTICATED:
          ag_bench_mark ("session known");
          ag_window_update_welcome (self);
          show_page (self, "user");
          break;
        case AUTHGEAR_SESSION_STATE_NO_SESSION:
        default:
          ag_bench_mark ("session known");
          /* Authgear ended the session: why. */
          if (self->reason == AUTHGEAR_SESSION_STATE_CHANGE_REASON_INVALID)
            ag_window_show_error (self, authgear_client_get_last_error (self->client));
          show_page (self, "guest");
          break;
        }
    }
  ag_window_actions_update (self);
  ag_bench_page_switched (GTK_WIDGET (self));
}

void
ag_window_copy_browser_link (AgWindow *self)
{
  const char *url = self->sign_in ? ag_sign_in_get_url (self->sign_in) : NULL;

  if (url == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), url);
  ag_window_toast (self, _("Link copied: open it in a browser"));
}

static gboolean
exchange_slow_cb (gpointer user_data)
{
  AgWindow *self = user_data;

  self->exchange_slow = 0;
  self->wait_slow = TRUE;
  ag_window_sync (self);
  return G_SOURCE_REMOVE;
}

/* A wait of the sign-in under way (its start's requests: discovery, the
 * reauthentication's ID-token grant, an app session token; or the code's
 * exchange): the page stays as it was for a good network's few
 * milliseconds, and the loading page, with its words and Cancel, shows if
 * it takes longer. */
static void
watch_wait (AgWindow *self)
{
  g_clear_handle_id (&self->exchange_slow, g_source_remove);
  self->wait_slow = FALSE;
  self->exchange_slow = g_timeout_add (EXCHANGE_SLOW_MS, exchange_slow_cb, self);
}

static void
sign_in_phase_cb (AgWindow *self)
{
  AgSignInPhase phase = ag_sign_in_get_phase (self->sign_in);
  gboolean embedded = ag_sign_in_get_agent (self->sign_in) == AG_SIGN_IN_AGENT_EMBEDDED;

  if (phase == AG_SIGN_IN_PHASE_WAITING && embedded)
    /* The web view is made here, when it is needed, never at startup. */
    ag_auth_view_start (self->auth_view, ag_sign_in_get_url (self->sign_in),
                        ag_sign_in_get_redirect_uri (self->sign_in));
  else if (phase == AG_SIGN_IN_PHASE_EXCHANGING && embedded && !ag_window_on_account (self))
    {
      /* The page takes no input while the code is exchanged. */
      ag_auth_view_freeze (self->auth_view);
      watch_wait (self);
    }
  else if (phase == AG_SIGN_IN_PHASE_STARTING && !embedded)
    {
      ag_auth_view_stop (self->auth_view);
      gtk_editable_set_text (GTK_EDITABLE (self->paste_row), "");
    }
  else if (phase == AG_SIGN_IN_PHASE_WAITING && self->copy_when_ready)
    {
      self->copy_when_ready = FALSE;
      ag_window_copy_browser_link (self);
    }
  ag_window_sync (self);
}

/* Authgear's settings page ended: Done, or it could not be opened. */
static void
account_closed (AgWindow     *self,
                const GError *error)
{
  g_signal_group_set_target (self->sign_in_signals, NULL);
  g_clear_object (&self->sign_in);
  g_clear_handle_id (&self->exchange_slow, g_source_remove);
  self->wait_slow = FALSE;
  /* Torn down: the page's cookies go with the ephemeral view. */
  ag_auth_view_stop (self->auth_view);
  ag_window_sync (self);
  /* What the person changed there (a name, an email) shows now. */
  if (error == NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.reload-profile", NULL);
  /* An ended session says so on the guest page; anything else keeps the
   * session and says why here. */
  else if (!ag_error_is_cancelled (error) && !g_error_matches (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_GRANT))
    {
      g_autofree char *text = g_strdup_printf (_("Your account page could not be opened: %s"), error->message);

      ag_window_toast (self, text);
    }
}

#define BACK_NOTIFICATION "back-from-browser"

/* The default application: a closing window has left its own already. */
static void
withdraw_back_notification (AgWindow *self)
{
  GApplication *app = g_application_get_default ();

  g_clear_handle_id (&self->back_wait, g_source_remove);
  g_clear_object (&self->back_notification);
  if (self->back_notified && app != NULL)
    g_application_withdraw_notification (app, BACK_NOTIFICATION);
  self->back_notified = FALSE;
}

/* Seen: the news the notification carried is on screen. */
static void
window_active_cb (AgWindow *self)
{
  if (gtk_window_is_active (GTK_WINDOW (self)))
    withdraw_back_notification (self);
}

static gboolean
back_wait_cb (gpointer user_data)
{
  AgWindow *self = user_data;
  GApplication *app = g_application_get_default ();

  self->back_wait = 0;
  if (app != NULL && self->back_notification != NULL && !gtk_window_is_active (GTK_WINDOW (self)))
    {
      g_application_send_notification (app, BACK_NOTIFICATION, self->back_notification);
      self->back_notified = TRUE;
    }
  g_clear_object (&self->back_notification);
  return G_SOURCE_REMOVE;
}

/* Back from the browser: this window has the news, and the person is in
 * the browser. X11 lets the window come to the front by itself. On Wayland
 * a program may not take the focus without an activation token, and the
 * browser's return comes through the loopback listener, with none: the
 * present is refused and the window stays behind. A window still not
 * active a moment after its present (time for a window manager to give it
 * the focus: no notification flashes by where it does) says so in a
 * notification, whose default action brings it to the front; it is
 * withdrawn once the window is active, or goes. */
static void
back_from_browser (AgWindow     *self,
                   const GError *error)
{
  withdraw_back_notification (self);
  gtk_window_present (GTK_WINDOW (self));
  if (gtk_window_is_active (GTK_WINDOW (self)))
    return;
  if (error == NULL)
    {
      self->back_notification = g_notification_new (_("Signed in"));
      /* "Welcome Alice Liddell!": the words the window shows, no more. */
      g_notification_set_body (self->back_notification, gtk_label_get_text (self->welcome_label));
    }
  else
    {
      self->back_notification = g_notification_new (_("Sign-in did not finish"));
      g_notification_set_body (self->back_notification, error->message);
    }
  g_notification_set_default_action (self->back_notification, "app.show-window");
  self->back_wait = g_timeout_add (500, back_wait_cb, self);
}

/* The one end of every sign-in, as AgSignIn reports it. */
static void
sign_in_finished_cb (AgSignIn     *sign_in,
                     const GError *error,
                     AgWindow     *self)
{
  gboolean browser = ag_sign_in_get_agent (sign_in) == AG_SIGN_IN_AGENT_BROWSER;
  gboolean cancelled = ag_error_is_cancelled (error);
  AgSignInKind kind = ag_sign_in_get_kind (sign_in);
  gboolean action = kind == AG_SIGN_IN_CHANGE_EMAIL || kind == AG_SIGN_IN_DELETE_ACCOUNT;
  gboolean reauthentication = kind == AG_SIGN_IN_REAUTHENTICATE;

  if (kind == AG_SIGN_IN_SETTINGS)
    {
      account_closed (self, error);
      return;
    }
  g_signal_group_set_target (self->sign_in_signals, NULL);
  g_clear_object (&self->sign_in);
  g_clear_handle_id (&self->exchange_slow, g_source_remove);
  self->wait_slow = FALSE;
  self->copy_when_ready = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->paste_row), "");
  ag_window_show_error (self, cancelled || action || reauthentication ? NULL : error);
  ag_window_sync (self);
  if (browser && !cancelled)
    back_from_browser (self, error);
  /* Confirmed: the tokens show. Cancelled or refused: they stay hidden. */
  if (reauthentication && error == NULL)
    ag_window_set_reveal (self, TRUE);
  else if (reauthentication && !cancelled)
    ag_window_toast (self, error->message);
  else if (action)
    ag_window_settings_action_done (self, kind, error);
  /* A failed sign-in keeps a session that was there. */
  else if (error != NULL && !cancelled &&
           authgear_client_get_session_state (self->client) == AUTHGEAR_SESSION_STATE_AUTHENTICATED)
    ag_window_toast (self, error->message);
}

/* A sign-in through authgear-glib's client, in the embedded page first. */
void
ag_window_start_sign_in (AgWindow     *self,
                         AgSignInKind  kind,
                         AuthgearPage  page)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  AuthgearClient *client = AG_IS_APPLICATION (app) ? ag_application_get_client (AG_APPLICATION (app)) : NULL;
  g_autoptr(AuthgearAuthenticateOptions) options = authgear_authenticate_options_new ();

  if (client == NULL || self->sign_in != NULL)
    return;
  authgear_authenticate_options_set_color_scheme (options, adw_style_manager_get_dark (adw_style_manager_get_default ())
                                                           ? AUTHGEAR_COLOR_SCHEME_DARK : AUTHGEAR_COLOR_SCHEME_LIGHT);
  /* Whether the browser may keep Authgear's session cookie (Preferences). */
  if (kind == AG_SIGN_IN_AUTHENTICATE)
    authgear_authenticate_options_set_sso_enabled (options, g_settings_get_boolean (self->settings, "sso-enabled"));
  ag_window_show_error (self, NULL);
  ag_window_ensure_sign_in_pages (self);
  self->sign_in = ag_sign_in_new (client, kind, page, options);
  g_signal_group_set_target (self->sign_in_signals, self->sign_in);
  ag_sign_in_start (self->sign_in, AG_SIGN_IN_AGENT_EMBEDDED, FALSE);
  if (self->sign_in != NULL && ag_sign_in_get_phase (self->sign_in) == AG_SIGN_IN_PHASE_STARTING)
    watch_wait (self);
  ag_window_actions_update (self);
}

void
ag_window_start_reauthentication (AgWindow *self)
{
  ag_window_start_sign_in (self, AG_SIGN_IN_REAUTHENTICATE, AUTHGEAR_PAGE_LOGIN);
}

static void
auth_view_redirect_cb (AgAuthView *view,
                       const char *uri,
                       AgWindow   *self)
{
  ag_bench_redirect_seen (GTK_WIDGET (self));
  if (ag_window_on_account (self))
    return;   /* Authgear's own pages never send the person back here */
  if (self->sign_in == NULL)
    {
      ag_auth_view_stop (self->auth_view);
      return;
    }
  /* Only the answer to this sign-in counts, once. */
  if (ag_sign_in_offer_redirect (self->sign_in, uri) == AG_SIGN_IN_ANSWER_OTHER_SIGN_IN)
    {
      g_debug ("A redirect without this sign-in's state: ignored");
      ag_window_toast (self, _("The sign-in page sent an answer that does not belong to this sign-in. It was ignored."));
    }
}

static void
auth_view_load_failed_cb (AgAuthView *view,
                          const char *message,
                          AgWindow   *self)
{
  g_autoptr(GError) error = g_error_new (AUTHGEAR_ERROR, AUTHGEAR_ERROR_NETWORK, _("The sign-in page could not be opened: %s"), message);

  if (ag_window_on_account (self))
    {
      g_autofree char *text = g_strdup_printf (_("Your account page could not be opened: %s"), message);

      ag_sign_in_stop (self->sign_in);
      ag_window_toast (self, text);
      return;
    }
  if (self->sign_in != NULL)
    ag_sign_in_stop (self->sign_in);
  ag_window_show_error (self, error);
}

static void
paste_activated_cb (AgWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.paste-callback", NULL);
}

static void
session_state_changed_cb (AuthgearClient                   *client,
                          AuthgearSessionStateChangeReason  reason,
                          AgWindow                         *self)
{
  self->reason = reason;
  ag_window_sync (self);
}

static gboolean
open_preferences_cb (gpointer user_data)
{
  AgWindow *self = user_data;

  self->preferences_idle = 0;
  gtk_widget_activate_action (GTK_WIDGET (self), "app.preferences", NULL);
  return G_SOURCE_REMOVE;
}

/* The application has a new client (or none): a new configuration. */
static void
application_client_cb (AgWindow *self)
{
  AgApplication *app = AG_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  const GError *config_error = ag_application_get_config_error (app);

  /* A sign-in of the old session ends the way Cancel ends it: the
   * embedded page and the browser's listener and timer alike. */
  if (self->sign_in != NULL)
    ag_sign_in_stop (self->sign_in);
  if (self->auth_view != NULL)
    ag_auth_view_stop (self->auth_view);
  g_set_object (&self->client, ag_application_get_client (app));
  self->reason = AUTHGEAR_SESSION_STATE_CHANGE_REASON_NO_TOKEN;
  g_signal_group_set_target (self->client_signals, self->client);
  ag_window_show_error (self, NULL);
  ag_window_sync (self);

  /* Nothing configured anywhere: a first start. Preferences is where to go. */
  if (config_error != NULL && !gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      g_autofree char *domain = g_settings_get_string (self->settings, "authgear-domain");
      g_autofree char *client_id = g_settings_get_string (self->settings, "client-id");

      if (*domain == '\0' && *client_id == '\0' &&
          g_getenv ("AUTHGEAR_DOMAIN") == NULL && g_getenv ("AUTHGEAR_CLIENT_ID") == NULL &&
          self->preferences_idle == 0)
        /* Not holding the window: one closed before it runs never opens it. */
        self->preferences_idle = g_idle_add_full (G_PRIORITY_LOW, open_preferences_cb, self, NULL);
    }
}

/* The window joins its application ("application" is set after
 * construction): from then on it shows the application's session. */
static void
application_set_cb (AgWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (self->settings != NULL || !AG_IS_APPLICATION (app))
    return;
  self->settings = g_object_ref (ag_application_get_settings (AG_APPLICATION (app)));
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  g_signal_connect_object (app, "notify::client", G_CALLBACK (application_client_cb), self, G_CONNECT_SWAPPED);
  application_client_cb (self);
}

static gboolean
ag_window_close_request (GtkWindow *window)
{
  AgWindow *self = AG_WINDOW (window);
  int width, height;

  g_cancellable_cancel (self->cancellable);
  if (self->sign_in != NULL)
    ag_sign_in_stop (self->sign_in);
  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  return GTK_WINDOW_CLASS (ag_window_parent_class)->close_request (window);
}

/* The sign-in's two pages (ag-window-sign-in.ui) are built when a sign-in
 * first needs them, not with the window: a start that shows Guest or
 * Welcome does not pay for them (about 5 ms of building and 15 of the first
 * present on this machine: run-bench's start breakdown). Until then their
 * fields are NULL. */
void
ag_window_ensure_sign_in_pages (AgWindow *self)
{
  g_autoptr(GtkBuilder) builder = NULL;
  g_autoptr(GtkBuilderScope) scope = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *signin, *browser;

  if (self->auth_view != NULL)
    return;
  scope = gtk_builder_cscope_new ();
  gtk_builder_cscope_add_callback_symbols (GTK_BUILDER_CSCOPE (scope),
                                           "auth_view_redirect_cb", G_CALLBACK (auth_view_redirect_cb),
                                           "auth_view_load_failed_cb", G_CALLBACK (auth_view_load_failed_cb),
                                           "paste_activated_cb", G_CALLBACK (paste_activated_cb),
                                           NULL);
  builder = gtk_builder_new ();
  gtk_builder_set_scope (builder, scope);
  /* The signals' handlers get the window, as the template's would. */
  gtk_builder_set_current_object (builder, G_OBJECT (self));
  if (!gtk_builder_add_from_resource (builder, APP_PATH "ag-window-sign-in.ui", &error))
    g_error ("The sign-in pages: %s", error->message);   /* built in: cannot fail */

  signin = GTK_WIDGET (gtk_builder_get_object (builder, "signin_page"));
  browser = GTK_WIDGET (gtk_builder_get_object (builder, "browser_page"));
  self->auth_view = AG_AUTH_VIEW (gtk_builder_get_object (builder, "auth_view"));
  self->browser_bar = GTK_WIDGET (gtk_builder_get_object (builder, "browser_bar"));
  self->browser_spinner = GTK_SPINNER (gtk_builder_get_object (builder, "browser_spinner"));
  self->browser_page = ADW_STATUS_PAGE (browser);
  self->browser_status = GTK_LABEL (gtk_builder_get_object (builder, "browser_status"));
  self->paste_row = ADW_ENTRY_ROW (gtk_builder_get_object (builder, "paste_row"));
  gtk_stack_add_named (self->stack, signin, "signin");
  gtk_stack_add_named (self->stack, browser, "browser");
  ag_accessible_name_controls (signin);
  ag_accessible_name_controls (browser);
}

static void
ag_window_dispose (GObject *object)
{
  AgWindow *self = AG_WINDOW (object);

  withdraw_back_notification (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->exchange_slow, g_source_remove);
  g_clear_handle_id (&self->start_slow, g_source_remove);
  g_clear_handle_id (&self->profile_slow, g_source_remove);
  g_cancellable_cancel (self->profile_cancellable);
  g_clear_object (&self->profile_cancellable);
  g_clear_handle_id (&self->preferences_idle, g_source_remove);
  /* Quietly: nothing is shown any more. */
  if (self->sign_in_signals != NULL)
    g_signal_group_set_target (self->sign_in_signals, NULL);
  g_clear_object (&self->sign_in);
  if (self->client_signals != NULL)
    g_signal_group_set_target (self->client_signals, NULL);
  g_clear_object (&self->client);
  if (self->help_overlay != NULL)
    gtk_window_destroy (self->help_overlay);
  g_clear_object (&self->help_overlay);
  gtk_widget_dispose_template (GTK_WIDGET (self), AG_TYPE_WINDOW);
  G_OBJECT_CLASS (ag_window_parent_class)->dispose (object);
  /* The sign-in's pages went with the stack. */
  self->auth_view = NULL;
  self->browser_bar = NULL;
  self->browser_spinner = NULL;
  self->browser_page = NULL;
  self->browser_status = NULL;
  self->paste_row = NULL;
}

static void
ag_window_finalize (GObject *object)
{
  AgWindow *self = AG_WINDOW (object);

  g_clear_object (&self->client_signals);
  g_clear_object (&self->sign_in_signals);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
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
  gtk_widget_class_bind_template_child (widget_class, AgWindow, done_button);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, account_note);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, guest_page);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, login_button);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, signup_button);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, preferences_button);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, avatar);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, welcome_label);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, email_label);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, session_note);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, reveal_button);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, profile_json);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, token_json);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, loading_leave);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, profile_wait);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, profile_wait_label);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, profile_spinner);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, loading_label);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, loading_cancel);

  ag_window_class_add_actions (widget_class);
}

static void
ag_window_init (AgWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  ag_accessible_name_controls (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->guest_description = g_strdup (adw_status_page_get_description (self->guest_page));

  /* The window follows whichever session and sign-in are current. */
  self->client_signals = g_signal_group_new (AUTHGEAR_TYPE_CLIENT);
  g_signal_group_connect_swapped (self->client_signals, "notify", G_CALLBACK (ag_window_sync), self);
  g_signal_group_connect (self->client_signals, "session-state-changed", G_CALLBACK (session_state_changed_cb), self);
  self->sign_in_signals = g_signal_group_new (AG_TYPE_SIGN_IN);
  g_signal_group_connect_swapped (self->sign_in_signals, "notify::phase", G_CALLBACK (sign_in_phase_cb), self);
  g_signal_group_connect_swapped (self->sign_in_signals, "notify::status", G_CALLBACK (ag_window_sync), self);
  g_signal_group_connect (self->sign_in_signals, "finished", G_CALLBACK (sign_in_finished_cb), self);

#if DEVELOPMENT
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  ag_bench_watch_window (GTK_WIDGET (self), self->stack);
  show_page (self, "loading");
  g_signal_connect (self, "notify::application", G_CALLBACK (application_set_cb), NULL);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (window_active_cb), NULL);
}

AgWindow *
ag_window_new (GtkApplication *application)
{
  return g_object_new (AG_TYPE_WINDOW, "application", application, NULL);
}
