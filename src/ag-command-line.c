/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The command line for scripts: --print-access-token and --print-user-info.
 * Run in the primary instance, so that a running app answers for a second
 * process (GApplication forwards the command line): only one process ever
 * refreshes, as two racing over a rotating refresh token would log the
 * person out. Through authgear-glib's public API. */
#define G_LOG_DOMAIN "ag-command-line"

#include "config.h"

#include <glib/gi18n.h>

#include "ag-command-line.h"
#include "authgear-glib.h"

typedef struct
{
  AgApplication *app;
  GApplicationCommandLine *cmdline;
  gboolean user_info;
  AuthgearClient *client;      /* waited on until its state is known */
} Request;

static void wait_or_run (Request *request);

static void
finish (Request    *request,
        int         status,
        const char *error)
{
  if (error != NULL)
    g_application_command_line_printerr (request->cmdline, "authgear-login: %s\n", error);
  g_application_command_line_set_exit_status (request->cmdline, status);
  /* A local command line that held the application exits 0 whatever it
   * set (GLib 2.74): the application keeps the status for main(). */
  if (!g_application_command_line_get_is_remote (request->cmdline))
    ag_application_set_command_status (request->app, status);
  g_signal_handlers_disconnect_by_data (request->app, request);
  if (request->client != NULL)
    g_signal_handlers_disconnect_by_data (request->client, request);
  g_clear_object (&request->client);
  g_object_unref (request->cmdline);   /* the caller's process exits now */
  g_application_release (G_APPLICATION (request->app));
  g_object_unref (request->app);
  g_free (request);
}

static void
user_info_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Request *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AuthgearUserInfo) info = authgear_client_fetch_user_info_finish (AUTHGEAR_CLIENT (object), result, &error);
  g_autofree char *json = NULL;

  if (info == NULL)
    {
      finish (request, 1, error->message);
      return;
    }
  json = authgear_user_info_to_json (info);
  g_application_command_line_print (request->cmdline, "%s\n", json);
  finish (request, 0, NULL);
}

static void
refreshed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Request *request = user_data;
  g_autoptr(GError) error = NULL;
  const char *token;

  if (!authgear_client_refresh_access_token_if_needed_finish (AUTHGEAR_CLIENT (object), result, &error))
    {
      finish (request, 1, error->message);
      return;
    }
  if (request->user_info)
    {
      authgear_client_fetch_user_info_async (request->client, NULL, user_info_cb, request);
      return;
    }
  token = authgear_client_get_access_token (request->client);
  if (token == NULL)
    {
      finish (request, 1, _("Not signed in. Open Authgear Login and press Login."));
      return;
    }
  g_application_command_line_print (request->cmdline, "%s\n", token);
  finish (request, 0, NULL);
}

static void
changed_cb (GObject    *object,
            GParamSpec *pspec,
            Request    *request)
{
  wait_or_run (request);
}

static void
wait_or_run (Request *request)
{
  AuthgearClient *client = ag_application_get_client (request->app);
  const GError *config_error = ag_application_get_config_error (request->app);

  if (client == NULL && config_error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Authgear Login is not set up: %s"), config_error->message);
      finish (request, 1, text);
      return;
    }
  if (client != request->client)
    {
      if (request->client != NULL)
        g_signal_handlers_disconnect_by_data (request->client, request);
      g_set_object (&request->client, client);
      if (client != NULL)
        g_signal_connect (client, "notify::session-state", G_CALLBACK (changed_cb), request);
    }
  if (client == NULL || authgear_client_get_session_state (client) == AUTHGEAR_SESSION_STATE_UNKNOWN)
    return;   /* the keyring is being read */
  g_signal_handlers_disconnect_by_data (request->app, request);
  g_signal_handlers_disconnect_by_data (client, request);
  if (authgear_client_get_session_state (client) != AUTHGEAR_SESSION_STATE_AUTHENTICATED)
    {
      /* The keyring could not be read: that, not "signed out". */
      const GError *error = authgear_client_get_last_error (client);

      finish (request, 1, error ? error->message : _("Not signed in. Open Authgear Login and press Login."));
      return;
    }
  authgear_client_refresh_access_token_if_needed_async (client, NULL, refreshed_cb, request);
}

void
ag_command_line_print (AgApplication           *app,
                       GApplicationCommandLine *cmdline,
                       gboolean                 user_info)
{
  Request *request = g_new0 (Request, 1);

  request->app = g_object_ref (app);
  request->cmdline = g_object_ref (cmdline);
  request->user_info = user_info;
  g_application_hold (G_APPLICATION (app));
  g_signal_connect (app, "notify::client", G_CALLBACK (changed_cb), request);
  wait_or_run (request);
}
