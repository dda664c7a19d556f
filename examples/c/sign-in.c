/* SPDX-License-Identifier: GPL-3.0-or-later */
/* authgear-glib from C: sign in through the system browser, greet, refresh
 * the access token if needed, log out.
 *   AUTHGEAR_ENDPOINT=https://myapp.authgear.cloud AUTHGEAR_CLIENT_ID=… ./sign-in
 * Build: cc sign-in.c $(pkg-config --cflags --libs authgear-glib-1) */
#include <authgear-glib.h>

static GMainLoop *loop;
static int status = 1;

static gboolean
failed (const char *what, GError *error)
{
  if (error == NULL)
    return FALSE;
  g_printerr ("%s: %s\n", what, error->message);
  g_error_free (error);
  g_main_loop_quit (loop);
  return TRUE;
}

static void
logged_out (GObject *client, GAsyncResult *result, gpointer user_data)
{
  GError *error = NULL;

  authgear_client_logout_finish (AUTHGEAR_CLIENT (client), result, &error);
  if (failed ("Logout", error))
    return;
  g_print ("Logged out\n");
  status = 0;
  g_main_loop_quit (loop);
}

static void
refreshed (GObject *client, GAsyncResult *result, gpointer user_data)
{
  GError *error = NULL;

  authgear_client_refresh_access_token_if_needed_finish (AUTHGEAR_CLIENT (client), result, &error);
  if (failed ("Refresh", error))
    return;
  g_print ("The access token is fresh\n");
  authgear_client_logout_async (AUTHGEAR_CLIENT (client), NULL, logged_out, NULL);
}

static void
authenticated (GObject *client, GAsyncResult *result, gpointer user_data)
{
  GError *error = NULL;
  g_autoptr(AuthgearUserInfo) info = NULL;
  g_autofree char *name = NULL, *json = NULL;

  info = authgear_client_authenticate_finish (AUTHGEAR_CLIENT (client), result, &error);
  if (failed ("Sign-in", error))
    return;
  name = authgear_user_info_get_display_name (info);
  json = authgear_user_info_to_json (info);
  g_print ("Welcome %s!\n%s\n", name, json);
  authgear_client_refresh_access_token_if_needed_async (AUTHGEAR_CLIENT (client), NULL, refreshed, NULL);
}

static void
configured (GObject *client, GAsyncResult *result, gpointer user_data)
{
  GError *error = NULL;

  authgear_client_configure_finish (AUTHGEAR_CLIENT (client), result, &error);
  if (failed ("Configure", error))
    return;
  g_print ("Sign in in your browser...\n");
  authgear_client_authenticate_async (AUTHGEAR_CLIENT (client), NULL, NULL, authenticated, NULL);
}

int
main (void)
{
  const char *endpoint = g_getenv ("AUTHGEAR_ENDPOINT");
  const char *client_id = g_getenv ("AUTHGEAR_CLIENT_ID");
  g_autoptr(AuthgearClient) client = NULL;

  if (endpoint == NULL || client_id == NULL)
    {
      g_printerr ("Set AUTHGEAR_ENDPOINT and AUTHGEAR_CLIENT_ID\n");
      return 2;
    }
  client = authgear_client_new (endpoint, client_id);
  loop = g_main_loop_new (NULL, FALSE);
  authgear_client_configure_async (client, NULL, configured, NULL);
  g_main_loop_run (loop);
  g_main_loop_unref (loop);
  return status;
}
