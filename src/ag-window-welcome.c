/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Welcome page of AgWindow: the person's name, email and avatar, the
 * note on the session (refresh failing, keyring missing, client refused)
 * and the token details, from the session's tokens. */
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
