/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window as a view of the application, in GNOME Console's style: build
 * it, switch the configuration twice (once in the middle of a browser
 * sign-in), close it, and check that the window and every client (with
 * its session) are finalized, and that no handler is left behind. Runs in
 * build-aux/test-session (Xvfb, private D-Bus, keyring, provider). */
#include "config.h"

#include <glib/gstdio.h>

#include "ag-application.h"
#include "ag-window-private.h"
#include "test-util.h"

static char *dotenv_path;

static void
write_dotenv (const char *domain,
              const char *client_id,
              guint       port)
{
  g_autofree char *text = g_strdup_printf ("AUTHGEAR_DOMAIN=%s\nAUTHGEAR_CLIENT_ID=%s\n"
                                           "AUTHGEAR_REDIRECT_URI=http://127.0.0.1:%u/callback\n",
                                           domain, client_id, port);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (dotenv_path, text, -1, &error);
  g_assert_no_error (error);
}

/* Runs the main context until @done says so, for at most 10 s. */
static gboolean
iterate_until (gboolean (*done) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  return done (data);
}

static gboolean
session_ready (gpointer data)
{
  AgWindow *window = data;
  return window->client != NULL && authgear_client_get_session_state (window->client) != AUTHGEAR_SESSION_STATE_UNKNOWN;
}

static gboolean
client_made (gpointer data)
{
  return ag_application_get_client (data) != NULL;
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
browser_waiting (gpointer data)
{
  AgWindow *window = data;
  return window->sign_in != NULL && ag_sign_in_get_phase (window->sign_in) == AG_SIGN_IN_PHASE_WAITING;
}

static gboolean
port_open (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);

  return connection != NULL;
}

static gboolean
port_closed (gpointer data)
{
  return !port_open (GPOINTER_TO_UINT (data));
}

static guint
free_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, NULL);

  g_socket_listener_close (listener);
  return port;
}

static const char *
guest_words (AgWindow *window)
{
  return adw_status_page_get_description (window->guest_page);
}

static void
test_window_lifecycle (void)
{
  const char *issuer = g_getenv ("AG_TEST_PROVIDER");
  guint port = free_port ();
  g_autoptr(GError) error = NULL;
  AgApplication *app;
  AgWindow *window;
  AuthgearClient *first, *second, *third;
  AuthgearClient *last;
  g_autofree char *words = NULL;

  if (issuer == NULL)
    {
      g_test_skip ("needs build-aux/test-session");
      return;
    }

  /* A configuration that is not valid: the guest page says what to set. */
  write_dotenv ("ftp://nowhere.example", "authgear-login", port);
  app = ag_application_new ();
  ag_application_set_dotenv_path (app, dotenv_path);
  /* Without an ID it registers without D-Bus: no name is taken on the
   * test session's bus, where the GUI suite's app owns it. */
  g_application_set_application_id (G_APPLICATION (app), NULL);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  /* Closed at once, before the main loop ran: nothing it scheduled (a
   * first start's Preferences) keeps it alive. */
  window = ag_window_new (GTK_APPLICATION (app));
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);

  window = ag_window_new (GTK_APPLICATION (app));
  g_object_ref (window);
  g_assert_nonnull (ag_application_get_config_error (app));
  g_assert_null (window->client);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->stack), ==, "guest");
  g_assert_nonnull (strstr (guest_words (window), "AUTHGEAR_DOMAIN"));

  /* Fixed in Preferences (here: the .env file): the guest page has its own
   * words back, not the configuration error's. */
  write_dotenv (issuer, "authgear-login", port);
  ag_application_reload_configuration (app);
  g_assert_true (iterate_until (session_ready, window));
  first = window->client;
  g_assert_true (first == ag_application_get_client (app));
  g_object_add_weak_pointer (G_OBJECT (first), (gpointer *) &first);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->stack), ==, "guest");
  g_assert_null (strstr (guest_words (window), "AUTHGEAR_DOMAIN"));
  words = g_strdup (guest_words (window));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->error_label)));

  /* Another project: the first session is gone, the window shows the new
   * one, and its guest words are the same. */
  write_dotenv (issuer, "authgear-login-confidential", port);
  ag_application_reload_configuration (app);
  g_assert_true (iterate_until (session_ready, window));
  second = window->client;
  g_assert_true (second == ag_application_get_client (app));
  g_object_add_weak_pointer (G_OBJECT (second), (gpointer *) &second);
  g_assert_true (iterate_until (pointer_cleared, &first));
  g_assert_cmpstr (guest_words (window), ==, words);

  /* A browser sign-in waits on the redirect URI's port; a new
   * configuration ends it, and the port is closed with it. */
  ag_window_start_sign_in (window, AG_SIGN_IN_AUTHENTICATE, AUTHGEAR_PAGE_SIGNUP);
  g_assert_nonnull (window->sign_in);
  ag_sign_in_start (window->sign_in, AG_SIGN_IN_AGENT_BROWSER, FALSE);
  g_assert_true (iterate_until (browser_waiting, window));
  g_assert_cmpint (ag_sign_in_get_page (window->sign_in), ==, AUTHGEAR_PAGE_SIGNUP);
  /* A sign-in under way is not a session yet. */
  g_assert_cmpint (authgear_client_get_session_state (window->client), ==, AUTHGEAR_SESSION_STATE_NO_SESSION);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->stack), ==, "browser");
  g_assert_true (port_open (port));

  /* A settings action's and a reauthentication's URLs carry credentials:
   * they never go to the browser; a sign-in's may. */
  {
    AuthgearClient *client = ag_application_get_client (app);
    g_autoptr(AgSignIn) change = ag_sign_in_new (client, AG_SIGN_IN_CHANGE_EMAIL, AUTHGEAR_PAGE_LOGIN, NULL);
    g_autoptr(AgSignIn) confirm = ag_sign_in_new (client, AG_SIGN_IN_REAUTHENTICATE, AUTHGEAR_PAGE_LOGIN, NULL);

    g_assert_false (ag_sign_in_get_browser_allowed (change));
    g_assert_false (ag_sign_in_get_browser_allowed (confirm));
    g_assert_true (ag_sign_in_get_browser_allowed (window->sign_in));
  }

  write_dotenv (issuer, "authgear-login", port);
  ag_application_reload_configuration (app);
  g_assert_null (window->sign_in);
  g_assert_true (iterate_until (port_closed, GUINT_TO_POINTER (port)));
  g_assert_true (iterate_until (session_ready, window));
  third = window->client;
  g_object_add_weak_pointer (G_OBJECT (third), (gpointer *) &third);
  g_assert_true (iterate_until (pointer_cleared, &second));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->stack), ==, "guest");

  /* Closed: the window goes, with nothing of it left on the session. */
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  g_assert_nonnull (third);
  /* A configuration change after the window is gone reaches no handler of
   * it (a dangling one would crash here). */
  ag_application_reload_configuration (app);
  g_assert_true (iterate_until (pointer_cleared, &third));

  /* The application owns the rest: disposing it (as the end of
   * g_application_run leaves it; a registered GtkApplication keeps
   * references of its own) drops the last client, with its session. */
  /* GApplication warns that an application registered without
   * g_application_run() was not unregistered from D-Bus: not fatal here. */
  g_assert_true (iterate_until (client_made, app));
  last = ag_application_get_client (app);
  g_object_add_weak_pointer (G_OBJECT (last), (gpointer *) &last);
  g_log_set_always_fatal (G_LOG_FATAL_MASK);
  g_object_run_dispose (G_OBJECT (app));
  g_assert_true (iterate_until (pointer_cleared, &last));
  g_object_unref (app);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  int status;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    return test_skip_all ("needs a display: run under build-aux/test-session");
  gtk_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("ag-test-window-XXXXXX", NULL);
  dotenv_path = g_build_filename (dir, "settings.env", NULL);
  g_test_add_func ("/window/lifecycle", test_window_lifecycle);
  status = g_test_run ();
  g_unlink (dotenv_path);
  g_rmdir (dir);
  g_free (dotenv_path);
  return status;
}
