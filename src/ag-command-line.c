/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The command line for scripts: --print-access-token and --print-user-info.
 * Run in the primary instance, so that a running app answers for a second
 * process: only one process ever refreshes, as two racing over a rotating
 * refresh token would log the person out. Through authgear-glib's public API.
 *
 * A second process asks with a method call of the app's own (Print), whose
 * reply carries the exit status and both texts, not with GApplication's
 * forwarded command line: that one prints by calling back into the second
 * process, and inside a Flatpak the bus proxy drops such a call, so a
 * script got exit 0 and no token. A reply always gets through. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ag-command-line.h"
#include "ag-secure.h"
#include "authgear-glib.h"

#define COMMAND_LINE_INTERFACE "io.github.authgearlogin.CommandLine1"

static const char introspection_xml[] =
  "<node>"
  "  <interface name='" COMMAND_LINE_INTERFACE "'>"
  "    <method name='Print'>"
  "      <arg type='b' name='user_info' direction='in'/>"
  "      <arg type='i' name='status' direction='out'/>"
  "      <arg type='s' name='output' direction='out'/>"
  "      <arg type='s' name='error' direction='out'/>"
  "    </method>"
  "  </interface>"
  "</node>";

typedef struct
{
  AgApplication *app;
  GApplicationCommandLine *cmdline;   /* this process's own command line, or */
  GDBusMethodInvocation *invocation;  /* a second process's Print call */
  char *output;                       /* for the reply: a token, wiped */
  gboolean user_info;
  AuthgearClient *client;      /* waited on until its state is known */
} Request;

static void
output (Request    *request,
        const char *text)
{
  if (request->cmdline != NULL)
    g_application_command_line_print (request->cmdline, "%s\n", text);
  else
    {
      ag_secure_free (request->output);
      request->output = g_strconcat (text, "\n", NULL);
    }
}

static void wait_or_run (Request *request);

static void
finish (Request    *request,
        int         status,
        const char *error)
{
  if (request->invocation != NULL)
    {
      g_autofree char *message = error ? g_strdup_printf ("authgear-login: %s\n", error) : NULL;

      g_dbus_method_invocation_return_value (g_steal_pointer (&request->invocation),
                                             g_variant_new ("(iss)", status,
                                                            request->output ? request->output : "",
                                                            message ? message : ""));
      ag_secure_free (g_steal_pointer (&request->output));
    }
  else
    {
      if (error != NULL)
        g_application_command_line_printerr (request->cmdline, "authgear-login: %s\n", error);
      g_application_command_line_set_exit_status (request->cmdline, status);
      /* A local command line that held the application exits 0 whatever it
       * set (GLib 2.74): the application keeps the status for main(). */
      ag_application_set_command_status (request->app, status);
      g_object_unref (request->cmdline);   /* the caller's process exits now */
    }
  g_signal_handlers_disconnect_by_data (request->app, request);
  if (request->client != NULL)
    g_signal_handlers_disconnect_by_data (request->client, request);
  g_clear_object (&request->client);
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
  output (request, json);
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
  output (request, token);
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

static void
start (AgApplication           *app,
       GApplicationCommandLine *cmdline,
       GDBusMethodInvocation   *invocation,
       gboolean                 user_info)
{
  Request *request = g_new0 (Request, 1);

  request->app = g_object_ref (app);
  request->cmdline = cmdline ? g_object_ref (cmdline) : NULL;
  request->invocation = invocation ? g_object_ref (invocation) : NULL;
  request->user_info = user_info;
  g_application_hold (G_APPLICATION (app));
  g_signal_connect (app, "notify::client", G_CALLBACK (changed_cb), request);
  wait_or_run (request);
}

void
ag_command_line_print (AgApplication           *app,
                       GApplicationCommandLine *cmdline,
                       gboolean                 user_info)
{
  g_return_if_fail (AG_IS_APPLICATION (app));
  g_return_if_fail (G_IS_APPLICATION_COMMAND_LINE (cmdline));
  start (app, cmdline, NULL, user_info);
}

static void
method_call (GDBusConnection       *connection,
             const char            *sender,
             const char            *object_path,
             const char            *interface_name,
             const char            *method_name,
             GVariant              *parameters,
             GDBusMethodInvocation *invocation,
             gpointer               user_data)
{
  gboolean user_info;

  g_variant_get (parameters, "(b)", &user_info);
  start (AG_APPLICATION (user_data), NULL, invocation, user_info);
}

guint
ag_command_line_export (AgApplication    *app,
                        GDBusConnection  *connection,
                        const char       *object_path,
                        GError          **error)
{
  static const GDBusInterfaceVTable vtable = { method_call, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (introspection_xml, NULL);

  g_return_val_if_fail (AG_IS_APPLICATION (app), 0);
  /* The app outlives its registration on the bus. */
  return g_dbus_connection_register_object (connection, object_path, info->interfaces[0],
                                            &vtable, app, NULL, error);
}

int
ag_command_line_forward (GApplication *app,
                         gboolean      user_info)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *path = NULL;
  GDBusConnection *connection = g_application_get_dbus_connection (app);
  const char *id = g_application_get_application_id (app);
  const char *text = NULL, *message = NULL;
  int status = 1;

  g_return_val_if_fail (G_IS_APPLICATION (app), 1);
  path = g_strconcat ("/", id, NULL);
  g_strdelimit (path, ".", '/');
  g_strdelimit (path, "-", '_');
  /* A refresh may be on its way: the app's own requests time out, and a
   * person at the terminal can leave with Ctrl+C. */
  if (connection != NULL)
    reply = g_dbus_connection_call_sync (connection, id, path, COMMAND_LINE_INTERFACE, "Print",
                                         g_variant_new ("(b)", user_info), G_VARIANT_TYPE ("(iss)"),
                                         G_DBUS_CALL_FLAGS_NONE, 5 * 60 * 1000, NULL, &error);
  if (reply == NULL)
    {
      g_printerr (_("authgear-login: the running Authgear Login did not answer (%s)\n"),
                  error ? error->message : _("no session bus"));
      return 1;
    }
  g_variant_get (reply, "(i&s&s)", &status, &text, &message);
  g_print ("%s", text);
  g_printerr ("%s", message);
  /* The token was in the reply's memory too. */
  ag_secure_wipe ((char *) text, strlen (text));
  return status;
}
