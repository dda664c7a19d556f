/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Welcome page of AgWindow: the person's name, email and avatar, the
 * note on the session (refresh failing, keyring missing, client refused)
 * and the token details, from the session's tokens; and the account page
 * it opens (Authgear's settings, in the web view). */
#define G_LOG_DOMAIN "ag-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ag-error.h"
#include "ag-secure.h"
#include "ag-window-private.h"

void
ag_window_update_token_view (AgWindow *self)
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
  /* Without full access Authgear's account pages are not for this app:
   * said where the button would lead. */
  gtk_widget_set_visible (GTK_WIDGET (self->account_note), !ag_session_get_full_access (self->session));
  gtk_label_set_text (self->account_note,
                      _("Account management is not available: Authgear does not give this app full access to your account."));
  ag_window_update_token_view (self);
}

static void
update_session_note (AgWindow *self)
{
  const GError *error = ag_session_get_last_error (self->session);
  gboolean keyring_problem = g_error_matches (error, AG_ERROR, AG_ERROR_KEYRING_UNAVAILABLE);
  gboolean client_rejected = g_error_matches (error, AG_ERROR, AG_ERROR_CLIENT_REJECTED);
  g_autofree char *text = NULL;

  if (client_rejected)
    text = g_strdup (_("Authgear refused this app’s client ID or secret, so the session is no longer refreshed and will end when its access token expires. Check them in Preferences."));
  else if (keyring_problem && !ag_session_get_persistent (self->session))
    text = g_strdup (_("You are signed in for this session only: the keyring is not available, so you will have to sign in again next time."));
  else if (error != NULL && !keyring_problem)
    text = g_strdup_printf (_("The session could not be refreshed: %s. It will be tried again, sooner when the network comes back."), error->message);

  gtk_widget_set_visible (self->credentials_button, client_rejected);
  gtk_widget_set_visible (GTK_WIDGET (self->session_note), text != NULL);
  if (text != NULL)
    gtk_label_set_text (self->session_note, text);
}

void
ag_window_update_welcome (AgWindow *self)
{
  update_user_view (self);
  update_session_note (self);
}

static void
settings_opened_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(AgWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  char *url = ag_session_open_settings_finish (AG_SESSION (object), result, &error);

  if (url == NULL)
    {
      if (ag_error_is_cancelled (error))
        return;
      self->account = AG_ACCOUNT_CLOSED;
      /* An ended session says so on the guest page; anything else keeps
       * the session and says why here. */
      if (!g_error_matches (error, AG_ERROR, AG_ERROR_INVALID_GRANT))
        {
          g_autofree char *text = g_strdup_printf (_("Your account page could not be opened: %s"), error->message);
          ag_window_toast (self, text);
        }
      ag_window_sync (self);
      return;
    }
  self->account = AG_ACCOUNT_OPEN;
  /* The same ephemeral web view as the sign-in; links to other sites go to
   * the browser. The URL holds a one-time token: wiped once handed over. */
  ag_auth_view_start (self->auth_view, url, ag_config_get_redirect_uri (ag_session_get_config (self->session)));
  ag_secure_free (url);
  ag_window_sync (self);
}

void
ag_window_open_account (AgWindow *self)
{
  g_autofree char *locales = ag_desktop_ui_locales ();
  AgAuthOptions options = {
    .ui_locales = locales,
    .color_scheme = adw_style_manager_get_dark (adw_style_manager_get_default ()) ? "dark" : "light",
  };

  if (self->session == NULL || self->account != AG_ACCOUNT_CLOSED || self->sign_in != NULL)
    return;
  g_debug ("Opening the account page");
  self->account = AG_ACCOUNT_OPENING;
  g_cancellable_cancel (self->account_cancellable);
  g_clear_object (&self->account_cancellable);
  self->account_cancellable = g_cancellable_new ();
  ag_session_open_settings_async (self->session, &options, self->account_cancellable,
                                  settings_opened_cb, g_object_ref (self));
  ag_window_sync (self);
}

void
ag_window_close_account (AgWindow *self)
{
  if (self->account == AG_ACCOUNT_CLOSED)
    return;
  g_cancellable_cancel (self->account_cancellable);
  self->account = AG_ACCOUNT_CLOSED;
  /* Torn down: the page's cookies go with the ephemeral view. */
  ag_auth_view_stop (self->auth_view);
  ag_window_sync (self);
  /* What the person changed there (a name, an email) shows now. */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.reload-profile", NULL);
}

void
ag_window_settings_action_done (AgWindow     *self,
                                const char   *action,
                                const GError *error)
{
  if (error == NULL)
    ag_window_toast (self, g_str_equal (action, "delete_account")
                           ? _("Your account was deleted. Its session is gone from this computer.")
                           : _("Your email address was changed"));
  /* Cancelled on Authgear's page, or here: nothing changed. */
  else if (ag_error_is_cancelled (error) || g_error_matches (error, AG_ERROR, AG_ERROR_ACCESS_DENIED))
    ag_window_toast (self, _("Nothing was changed"));
  else
    {
      g_autofree char *text = g_strdup_printf (_("Nothing was changed: %s"), error->message);
      ag_window_toast (self, text);
    }
}

void
ag_window_set_reveal (AgWindow *self,
                      gboolean  reveal)
{
  self->reveal = reveal;
  gtk_toggle_button_set_active (self->reveal_button, reveal);
  ag_window_update_token_view (self);
}
