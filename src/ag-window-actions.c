/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's actions (win.*) and their keyboard shortcuts, and the one
 * function that enables them from what the window shows
 * (ag_window_actions_update). Each shortcut is bound once, here. */

#include "config.h"

#include <glib/gi18n.h>

#include "ag-application.h"
#include "ag-error.h"
#include "ag-secure.h"
#include "ag-window-private.h"

void
ag_window_actions_update (AgWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  AuthgearSessionState state = self->client ? authgear_client_get_session_state (self->client)
                                            : AUTHGEAR_SESSION_STATE_UNKNOWN;
  gboolean signed_in = state == AUTHGEAR_SESSION_STATE_AUTHENTICATED;
  gboolean account = ag_window_on_account (self);
  gboolean signing_in = self->sign_in != NULL && !account;
  gboolean ready = self->client != NULL && state != AUTHGEAR_SESSION_STATE_UNKNOWN;
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  gboolean on_signin = g_strcmp0 (page, "signin") == 0;
  gboolean on_browser = g_strcmp0 (page, "browser") == 0;

  gtk_widget_action_set_enabled (widget, "win.login", ready && !signing_in);
  gtk_widget_action_set_enabled (widget, "win.signup", ready && !signing_in);

  gtk_widget_action_set_enabled (widget, "win.logout", signed_in && !signing_in && !account);
  gboolean manage = signed_in && !signing_in && !account && authgear_client_get_full_access (self->client);

  gtk_widget_action_set_enabled (widget, "win.manage-account", manage);
  gtk_widget_action_set_enabled (widget, "win.change-email", manage);
  gtk_widget_action_set_enabled (widget, "win.delete-account", manage);
  gtk_widget_action_set_enabled (widget, "win.reload-profile",
                                 signed_in && !signing_in && self->profile_cancellable == NULL);
  gtk_widget_action_set_enabled (widget, "win.reveal-tokens", signed_in);
  gtk_widget_action_set_enabled (widget, "win.copy-tokens", signed_in);
  gboolean on_loading = g_strcmp0 (page, "loading") == 0;

  /* Every wait a sign-in makes can be left, the code's exchange too. */
  gtk_widget_action_set_enabled (widget, "win.cancel-sign-in",
                                 (self->sign_in != NULL && (on_signin || on_browser || on_loading)) || account ||
                                 self->profile_cancellable != NULL);
  gtk_widget_action_set_enabled (widget, "win.back", signing_in && on_signin);
  gtk_widget_action_set_enabled (widget, "win.continue-without-keyring", on_loading && self->start_waited);
  gboolean browser = signing_in && (on_signin || on_browser) && ag_sign_in_get_browser_allowed (self->sign_in);

  gtk_widget_action_set_enabled (widget, "win.open-in-browser", browser);
  gtk_widget_action_set_enabled (widget, "win.copy-link", browser);
  gtk_widget_action_set_enabled (widget, "win.paste-callback", signing_in && on_browser);
}

/* Ctrl+? and the menu's Keyboard Shortcuts: the window that lists them,
 * made the first time it is asked for. GtkApplication would build it from
 * the resource gtk/help-overlay.ui for every window it gets, about 5 ms of
 * each start (build-aux/run-bench), so the file has another name. */
static void
show_help_overlay_activated (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  AgWindow *self = AG_WINDOW (widget);

  if (self->help_overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (APP_PATH "ag-help-overlay.ui");

      self->help_overlay = g_object_ref (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
      gtk_window_set_transient_for (self->help_overlay, GTK_WINDOW (self));
      gtk_window_set_hide_on_close (self->help_overlay, TRUE);
    }
  gtk_window_present (self->help_overlay);
}

static void
login_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  ag_window_start_sign_in (AG_WINDOW (widget), AG_SIGN_IN_AUTHENTICATE, AUTHGEAR_PAGE_LOGIN);
}

static void
signup_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  ag_window_start_sign_in (AG_WINDOW (widget), AG_SIGN_IN_AUTHENTICATE, AUTHGEAR_PAGE_SIGNUP);
}

static void
cancel_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  AgWindow *self = AG_WINDOW (widget);

  /* The profile read again, on Welcome. */
  if (self->profile_cancellable != NULL)
    g_cancellable_cancel (self->profile_cancellable);
  /* Done, on Authgear's settings page. */
  else if (ag_window_on_account (self))
    ag_window_close_account (self);
  else if (self->sign_in != NULL)
    ag_sign_in_stop (self->sign_in);
}

/* The start's keyring wait, left: this run without the keyring. */
static void
continue_without_keyring_activated (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (widget));

  if (!AG_IS_APPLICATION (app))
    return;
  ag_application_continue_without_keyring (AG_APPLICATION (app));
  ag_window_toast (AG_WINDOW (widget), _("Not using the keyring this time"));
}

/* Authgear's settings actions, in the embedded page. */
static void
settings_action_activated (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  ag_window_start_sign_in (AG_WINDOW (widget),
                           g_str_equal (action_name, "win.delete-account") ? AG_SIGN_IN_DELETE_ACCOUNT : AG_SIGN_IN_CHANGE_EMAIL,
                           AUTHGEAR_PAGE_LOGIN);
}

static void
manage_account_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  ag_window_open_account (AG_WINDOW (widget));
}

static void
back_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  AgWindow *self = AG_WINDOW (widget);

  if (self->auth_view != NULL)
    ag_auth_view_go_back (self->auth_view);
}

/* Leaves the embedded page for the browser (a fresh authorization request
 * with the same options), or, already there, opens or copies it again. */
static void
go_to_browser (AgWindow *self,
               gboolean  launch)
{
  if (self->sign_in == NULL)
    return;
  if (ag_sign_in_get_agent (self->sign_in) == AG_SIGN_IN_AGENT_BROWSER)
    {
      if (launch)
        ag_sign_in_launch_browser (self->sign_in);   /* not when the port is taken */
      else
        ag_window_copy_browser_link (self);
      return;
    }
  self->copy_when_ready = !launch;
  ag_sign_in_start (self->sign_in, AG_SIGN_IN_AGENT_BROWSER, launch);
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

/* The address the browser was sent back to, pasted by the person. */
static void
paste_callback_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  AgWindow *self = AG_WINDOW (widget);
  g_autofree char *text = NULL;
  AgSignInAnswer answer = AG_SIGN_IN_ANSWER_NOT_WAITING;

  /* No page built: nothing was pasted (the action is the browser page's). */
  if (self->paste_row == NULL)
    return;
  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->paste_row))));
  if (self->sign_in != NULL)
    answer = ag_sign_in_offer_redirect (self->sign_in, text);
  if (answer != AG_SIGN_IN_ANSWER_ACCEPTED)
    {
      gtk_label_set_text (self->browser_status, ag_sign_in_answer_describe (answer));
      gtk_widget_add_css_class (GTK_WIDGET (self->browser_status), "error");
      gtk_widget_set_visible (GTK_WIDGET (self->browser_status), TRUE);
    }
  ag_secure_wipe (text, strlen (text));
}

static void
logged_out_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(AgWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!authgear_client_logout_finish (AUTHGEAR_CLIENT (object), result, &error) && !ag_error_is_cancelled (error))
    {
      g_autofree char *text = g_strdup_printf (_("You are signed out here, but Authgear could not be told: %s"), error->message);
      ag_window_toast (self, text);
    }
  g_application_release (g_application_get_default ());
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
  authgear_client_logout_async (self->client, NULL, logged_out_cb, g_object_ref (self));
}

static void
reveal_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  AgWindow *self = AG_WINDOW (widget);

  /* Showing the tokens first asks Authgear to confirm it is still this
   * person, when the library says so (it can ask, and the last proof is
   * over 5 minutes old). */
  if (!self->reveal && self->client != NULL && authgear_client_get_reauthentication_needed (self->client))
    {
      gtk_toggle_button_set_active (self->reveal_button, FALSE);
      ag_window_start_reauthentication (self);
      return;
    }
  ag_window_set_reveal (self, !self->reveal);
}

static void
copy_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  AgWindow *self = AG_WINDOW (widget);
  g_autofree char *json = self->client ? authgear_client_dup_token_response (self->client, self->reveal) : NULL;

  if (json == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), json);
  ag_secure_wipe (json, strlen (json));
  ag_window_toast (self, self->reveal ? _("Token response copied, with the tokens") : _("Token response copied, tokens hidden"));
}

/* The profile's reading ended: its words go. */
static void
profile_wait_end (AgWindow *self)
{
  g_clear_handle_id (&self->profile_slow, g_source_remove);
  g_clear_object (&self->profile_cancellable);
  gtk_widget_set_visible (self->profile_wait, FALSE);
  gtk_label_set_text (self->profile_wait_label, "");
  gtk_spinner_set_spinning (self->profile_spinner, FALSE);
  ag_window_actions_update (self);
}

static void
profile_reloaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(AgWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  g_autoptr(AuthgearUserInfo) info = authgear_client_fetch_user_info_finish (AUTHGEAR_CLIENT (object), result, &error);

  /* A window closed meanwhile has nothing to say. */
  if (self->profile_cancellable == NULL)
    return;
  profile_wait_end (self);
  if (info != NULL)
    ag_window_toast (self, _("Profile reloaded"));
  else if (!ag_error_is_cancelled (error) && !g_error_matches (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_STALE))
    {
      g_autofree char *text = g_strdup_printf (_("The profile could not be reloaded: %s"), error->message);
      ag_window_toast (self, text);
    }
}

/* A good network answers in milliseconds: the words show after that. */
static gboolean
profile_slow_cb (gpointer user_data)
{
  AgWindow *self = user_data;
  g_autofree char *host = ag_window_project_host (self);
  g_autofree char *text = NULL;

  self->profile_slow = 0;
  /* Translators: %s is the Authgear project's host, such as myapp.authgear.cloud. */
  text = g_strdup_printf (_("Reading your profile from %s…"), host);
  gtk_label_set_text (self->profile_wait_label, text);
  gtk_widget_set_visible (self->profile_wait, TRUE);
  gtk_spinner_set_spinning (self->profile_spinner, TRUE);
  return G_SOURCE_REMOVE;
}

static void
reload_profile_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  AgWindow *self = AG_WINDOW (widget);

  if (self->client == NULL || authgear_client_get_session_state (self->client) != AUTHGEAR_SESSION_STATE_AUTHENTICATED ||
      self->profile_cancellable != NULL)
    return;
  self->profile_cancellable = g_cancellable_new ();
  self->profile_slow = g_timeout_add (250, profile_slow_cb, self);
  authgear_client_fetch_user_info_async (self->client, self->profile_cancellable, profile_reloaded_cb, g_object_ref (self));
  ag_window_actions_update (self);
}

void
ag_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, show_help_overlay_activated);
  gtk_widget_class_install_action (widget_class, "win.login", NULL, login_activated);
  gtk_widget_class_install_action (widget_class, "win.signup", NULL, signup_activated);
  gtk_widget_class_install_action (widget_class, "win.cancel-sign-in", NULL, cancel_activated);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "win.continue-without-keyring", NULL,
                                   continue_without_keyring_activated);
  gtk_widget_class_install_action (widget_class, "win.logout", NULL, logout_activated);
  gtk_widget_class_install_action (widget_class, "win.manage-account", NULL, manage_account_activated);
  gtk_widget_class_install_action (widget_class, "win.change-email", NULL, settings_action_activated);
  gtk_widget_class_install_action (widget_class, "win.delete-account", NULL, settings_action_activated);
  gtk_widget_class_install_action (widget_class, "win.reveal-tokens", NULL, reveal_activated);
  gtk_widget_class_install_action (widget_class, "win.copy-tokens", NULL, copy_activated);
  gtk_widget_class_install_action (widget_class, "win.reload-profile", NULL, reload_profile_activated);
  gtk_widget_class_install_action (widget_class, "win.open-in-browser", NULL, open_in_browser_activated);
  gtk_widget_class_install_action (widget_class, "win.copy-link", NULL, copy_link_activated);
  gtk_widget_class_install_action (widget_class, "win.paste-callback", NULL, paste_callback_activated);
}

/* Application accelerators, not widget bindings: they act before the
 * focused widget, so Escape and Alt+Left work inside the sign-in page too. */
void
ag_window_set_accels (GtkApplication *application)
{
  static const struct { const char *action; const char *accels[3]; } shortcuts[] = {
    { "win.login", { "<Control>l", NULL } },
    { "win.cancel-sign-in", { "Escape", NULL } },
    { "win.logout", { "<Control><Shift>l", NULL } },
    { "win.reload-profile", { "<Control>r", "F5", NULL } },
    { "win.back", { "<Alt>Left", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    gtk_application_set_accels_for_action (application, shortcuts[i].action, shortcuts[i].accels);
}
