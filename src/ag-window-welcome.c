/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Welcome page of AgWindow: the person's name, email and avatar, the
 * note on the session (refresh failing, keyring missing, client refused)
 * and the token details, from the session's tokens; and the account page
 * it opens (Authgear's settings, in the web view). */

#include "config.h"

#include <glib/gi18n.h>

#include "ag-application.h"
#include "ag-error.h"
#include "ag-secure.h"
#include "ag-window-private.h"

/* The details: @info (NULL: nobody signed in) and the token response. */
static void
update_token_view (AgWindow         *self,
                   AuthgearUserInfo *info)
{
  g_autofree char *profile = NULL;
  g_autofree char *response = NULL;

  if (info == NULL)
    {
      gtk_label_set_text (self->profile_json, "");
      gtk_label_set_text (self->token_json, "");
      return;
    }
  profile = authgear_user_info_to_json (info);
  response = authgear_client_dup_token_response (self->client, self->reveal);
  gtk_label_set_text (self->profile_json, profile);
  gtk_label_set_text (self->token_json, response);
  if (self->reveal)
    ag_secure_wipe (response, strlen (response));
}

static void
update_user_view (AgWindow         *self,
                  AuthgearUserInfo *info)
{
  g_autofree char *name = NULL;
  const char *email;
  g_autofree char *welcome = NULL;

  if (info == NULL)
    return;
  name = authgear_user_info_get_display_name (info);
  email = authgear_user_info_get_email (info);
  /* The Flask guide's words. */
  welcome = g_strdup_printf (_("Welcome %s!"), name ? name : "");
  gtk_label_set_text (self->welcome_label, welcome);
  adw_avatar_set_text (self->avatar, name);
  if (email != NULL)
    {
      g_autofree char *text = g_strdup_printf ("%s · %s", email,
                                               authgear_user_info_get_email_verified (info) ? _("verified") : _("not verified"));
      gtk_label_set_text (self->email_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->email_label), email != NULL);
  /* Without full access Authgear's account pages are not for this app:
   * said where the button would lead. */
  gtk_widget_set_visible (GTK_WIDGET (self->account_note), !authgear_client_get_full_access (self->client));
  gtk_label_set_text (self->account_note,
                      _("Account management is not available: Authgear does not give this app full access to your account."));
  update_token_view (self, info);
}

static void
update_session_note (AgWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  const GError *error = authgear_client_get_last_error (self->client);
  gboolean keyring_problem = g_error_matches (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_STORAGE_UNAVAILABLE);
  gboolean client_rejected = g_error_matches (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CLIENT_REJECTED);
  g_autofree char *text = NULL;

  if (client_rejected)
    text = g_strdup (_("Authgear refused this app’s client ID or secret, so the session is no longer refreshed and will end when its access token expires. Check them in Preferences."));
  else if (AG_IS_APPLICATION (app) && ag_application_get_without_keyring (AG_APPLICATION (app)))
    text = g_strdup (_("You are signed in for this session only: the keyring did not answer, so this session is not kept."));
  else if (keyring_problem)
    text = g_strdup (_("You are signed in for this session only: the keyring is not available, so you will have to sign in again next time."));
  else if (error != NULL)
    text = g_strdup_printf (_("The session could not be refreshed: %s. It will be tried again, sooner when the network comes back."), error->message);

  gtk_widget_set_visible (self->credentials_button, client_rejected);
  gtk_widget_set_visible (GTK_WIDGET (self->session_note), text != NULL);
  if (text != NULL)
    gtk_label_set_text (self->session_note, text);
}

void
ag_window_update_welcome (AgWindow *self)
{
  /* Read once: it is built from the session's claims. */
  AuthgearUserInfo *info = authgear_client_get_user_info (self->client);

  update_user_view (self, info);
  update_session_note (self);
}

/* Authgear's settings page, in the web view of the sign-in page: the same
 * ephemeral view as a sign-in, through the client's open_settings call
 * (its URL holds a one-time app session token). Links to other sites go to
 * the browser. */
void
ag_window_open_account (AgWindow *self)
{
  g_debug ("Opening the account page");
  ag_window_start_sign_in (self, AG_SIGN_IN_SETTINGS, AUTHGEAR_PAGE_LOGIN);
}

/* Done: the page is torn down, and the profile read again. */
void
ag_window_close_account (AgWindow *self)
{
  if (ag_window_on_account (self))
    ag_sign_in_close (self->sign_in);
}

void
ag_window_settings_action_done (AgWindow     *self,
                                AgSignInKind  kind,
                                const GError *error)
{
  /* A deleted account cannot come back: said until the person dismisses
   * it, not for a few seconds they may have looked away. */
  if (error == NULL && kind == AG_SIGN_IN_DELETE_ACCOUNT)
    {
      AdwToast *toast = adw_toast_new (_("Your account was deleted. Its session is gone from this computer."));

      adw_toast_set_timeout (toast, 0);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
  else if (error == NULL)
    ag_window_toast (self, _("Your email address was changed"));
  /* Cancelled on Authgear's page, or here: nothing changed. */
  else if (ag_error_is_cancelled (error) || g_error_matches (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_ACCESS_DENIED))
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
  AuthgearUserInfo *info = self->client ? authgear_client_get_user_info (self->client) : NULL;

  self->reveal = reveal;
  gtk_toggle_button_set_active (self->reveal_button, reveal);
  update_token_view (self, info);
}
