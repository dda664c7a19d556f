/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window as a view of the application, in GNOME Console's style: build
 * it, switch the configuration twice (once in the middle of a browser
 * sign-in), close it, and check that the window and every client (with
 * its session) are finalized, and that no handler is left behind. Runs in
 * build-aux/test-session (Xvfb, private D-Bus, keyring, provider). */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "ag-application.h"
#include "ag-web-page.h"
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

static gboolean
page_shown (gpointer data)
{
  AgWindow *window = data;
  return window->sign_in != NULL && ag_sign_in_get_phase (window->sign_in) == AG_SIGN_IN_PHASE_WAITING &&
         g_strcmp0 (gtk_stack_get_visible_child_name (window->stack), "signin") == 0 &&
         gtk_widget_get_mapped (window->browser_bar);
}

/* Lets the window take the width it was given, and says what it is. */
static int
settled_width (AgWindow *window)
{
  int width = -1;

  for (guint same = 0, i = 0; same < 10 && i < 2000; i++)
    {
      int now;

      g_main_context_iteration (NULL, FALSE), g_usleep (10000);
      now = gtk_widget_get_width (GTK_WIDGET (window));
      same = now == width && now > 0 ? same + 1 : 0;
      width = now;
    }
  return width;
}

/* Every label shown in @widget (the header bar, the bar under the page):
 * its whole text is drawn, neither ellipsized nor narrower than it needs,
 * nor cut by the window's edge. */
static void
assert_labels_whole (GtkWidget  *widget,
                     GtkWidget  *window,
                     const char *where,
                     guint      *seen)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_get_mapped (child))
        continue;
      if (GTK_IS_LABEL (child) && *gtk_label_get_text (GTK_LABEL (child)) != '\0')
        {
          GtkLabel *label = GTK_LABEL (child);
          /* The text's own width in the label's font, with no limit. */
          g_autoptr(PangoLayout) whole = gtk_widget_create_pango_layout (child, gtk_label_get_text (label));
          int needed = 0;
          graphene_rect_t bounds;

          pango_layout_get_pixel_size (whole, &needed, NULL);
          g_test_message ("%s: \"%s\" %d px of %d", where, gtk_label_get_text (label),
                          gtk_widget_get_width (child), needed);
          g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (label)));
          g_assert_cmpint (gtk_widget_get_width (child), >=, needed);
          g_assert_true (gtk_widget_compute_bounds (child, window, &bounds));
          g_assert_cmpfloat (bounds.origin.x, >=, 0);
          g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (window));
          (*seen)++;
        }
      assert_labels_whole (child, window, where, seen);
    }
}

/* The sign-in page's header at the default width and at the narrowest the
 * window allows, in the language of the environment (the parent test runs
 * this once for English, German and Traditional Chinese). */
static void
test_header_fits_child (void)
{
  const char *issuer = g_getenv ("AG_TEST_PROVIDER");
  g_autoptr(GError) error = NULL;
  AgApplication *app;
  AgWindow *window;
  int asked[2] = { 560, 1 };
  int narrowest = 0;

  if (g_getenv ("AG_HEADER_CHILD") == NULL || issuer == NULL)
    {
      g_test_skip ("run by /window/header-fits");
      return;
    }
  write_dotenv (issuer, "authgear-login", free_port ());
  app = ag_application_new ();
  ag_application_set_dotenv_path (app, dotenv_path);
  g_application_set_application_id (G_APPLICATION (app), NULL);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  window = ag_window_new (GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (iterate_until (session_ready, window));
  ag_window_start_sign_in (window, AG_SIGN_IN_AUTHENTICATE, AUTHGEAR_PAGE_LOGIN);
  ag_sign_in_start (window->sign_in, AG_SIGN_IN_AGENT_EMBEDDED, FALSE);
  if (!iterate_until (page_shown, window))
    g_test_message ("phase %d, page %s, bar %d", window->sign_in ? (int) ag_sign_in_get_phase (window->sign_in) : -1,
                    gtk_stack_get_visible_child_name (window->stack), gtk_widget_get_mapped (window->browser_bar));
  g_assert_true (page_shown (window));

  /* The default width (the window's own, from its settings), then the
   * narrowest it allows: asked for 1 px, it takes its minimum. */
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &narrowest, NULL, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (asked); i++)
    {
      guint seen = 0;
      int width;
      g_autofree char *where = NULL;

      /* Shown again at that size: X without a window manager keeps a
       * mapped window's size. */
      gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
      gtk_window_set_default_size (GTK_WINDOW (window), asked[i], 600);
      gtk_window_present (GTK_WINDOW (window));
      width = settled_width (window);
      where = g_strdup_printf ("%d px", width);
      g_test_message ("asked for %d px: %s (the narrowest is %d px)", asked[i], where, narrowest);
      if (i == 0)
        g_assert_cmpint (width, >=, 540);
      else  /* the measure counts the decoration's edges too */
        g_assert_cmpint (width, <=, narrowest);
      assert_labels_whole (GTK_WIDGET (window->header_bar), GTK_WIDGET (window), where, &seen);
      assert_labels_whole (window->browser_bar, GTK_WIDGET (window), where, &seen);
      assert_labels_whole (GTK_WIDGET (window->auth_view), GTK_WIDGET (window), where, &seen);
      /* The title, Cancel, Open in Browser and the host at least. */
      g_assert_cmpuint (seen, >=, 4);
    }
  g_print ("header fits: %s\n", gtk_label_get_text (window->window_title));
  gtk_window_destroy (GTK_WINDOW (window));
  g_log_set_always_fatal (G_LOG_FATAL_MASK);
  g_object_run_dispose (G_OBJECT (app));
  g_object_unref (app);
}

static void
test_header_fits (void)
{
  const char *languages[][2] = { { "en", "Sign In" }, { "de", "Anmelden" }, { "zh_TW", "登入" } };

  if (g_getenv ("AG_TEST_PROVIDER") == NULL)
    {
      g_test_skip ("needs build-aux/test-session");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      g_autofree char *exe = g_test_build_filename (G_TEST_BUILT, "test-window", NULL);
      const char *argv[] = { exe, "-p", "/window/header-fits-child", NULL };
      g_auto(GStrv) env = g_get_environ ();
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *expected = g_strdup_printf ("header fits: %s\n", languages[i][1]);
      g_autoptr(GError) error = NULL;
      int status = 0;

      env = g_environ_setenv (env, "LANGUAGE", languages[i][0], TRUE);
      env = g_environ_setenv (env, "LANG", "C.UTF-8", TRUE);
      env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
      env = g_environ_setenv (env, "AG_HEADER_CHILD", "1", TRUE);
      g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
      g_assert_no_error (error);
      if (!g_spawn_check_wait_status (status, NULL) || strstr (out, expected) == NULL)
        g_test_message ("%s:\n%s\n%s", languages[i][0], out, err);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      g_assert_nonnull (strstr (out, expected));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  int status;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    return test_skip_all ("needs a display: run under build-aux/test-session");
  /* --wayland: the same checks, in a Wayland session only (the wayland suite). */
  if (argc > 1 && g_str_equal (argv[argc - 1], "--wayland"))
    {
      if (g_getenv ("WAYLAND_DISPLAY") == NULL || g_getenv ("DISPLAY") != NULL)
        return test_skip_all ("needs a Wayland session: build-aux/test-session --wayland");
      argv[--argc] = NULL;
    }
  /* What the program's main () sets before GTK and WebKit start. */
  ag_web_page_prepare_environment ();
  setlocale (LC_ALL, "");
  gtk_test_init (&argc, &argv, NULL);
  /* The program's translations from the build tree, as main () binds them. */
  if (g_getenv ("AUTHGEAR_LOGIN_LOCALEDIR") != NULL)
    {
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("AUTHGEAR_LOGIN_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  dir = g_dir_make_tmp ("ag-test-window-XXXXXX", NULL);
  dotenv_path = g_build_filename (dir, "settings.env", NULL);
  g_test_add_func ("/window/lifecycle", test_window_lifecycle);
  g_test_add_func ("/window/header-fits", test_header_fits);
  g_test_add_func ("/window/header-fits-child", test_header_fits_child);
  status = g_test_run ();
  g_unlink (dotenv_path);
  g_rmdir (dir);
  g_free (dotenv_path);
  return status;
}
