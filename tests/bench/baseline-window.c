/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The benchmark's floor: a minimal libadwaita window with what Authgear
 * Login's guest view shows (a status page, a title, two buttons), measured
 * the same way: it prints the monotonic time of its first painted frame and
 * quits (--bench-exit-after-first-frame), or stays open (for memory). */
#include <adwaita.h>

#include "ag-bench.h"

#ifdef AG_BASELINE_LIBS
/* bench-baseline-libs: the libraries mapped by the loader as in a program
 * that uses them; one address from each keeps the link (--as-needed), and
 * nothing of theirs runs. */
#include <gnutls/crypto.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>

void *volatile ag_baseline_libs[] = {
  (void *) soup_session_new, (void *) secret_password_lookupv_sync,
  (void *) json_parser_new, (void *) gnutls_hash_fast,
};
#endif

static gboolean exit_after_first_frame;

static void
after_paint_cb (GdkFrameClock *clock,
                GtkWidget     *window)
{
  static gboolean done;

  if (done || !exit_after_first_frame)
    return;
  done = TRUE;
  ag_bench_print_start ();
  g_print ("bench: first-frame-monotonic-us %" G_GINT64_FORMAT " page guest\n", g_get_monotonic_time ());
  g_application_quit (g_application_get_default ());
}

static void
map_cb (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (after_paint_cb), window);
}

static void
activate_cb (GtkApplication *app)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *status = adw_status_page_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *login = gtk_button_new_with_mnemonic ("_Login");
  GtkWidget *signup = gtk_button_new_with_mnemonic ("_Sign up");

  gtk_window_set_title (GTK_WINDOW (window), "Baseline");
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 720);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "avatar-default-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), "Welcome Guest");
  gtk_widget_set_vexpand (status, TRUE);
  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (login, "suggested-action");
  gtk_widget_add_css_class (login, "pill");
  gtk_widget_add_css_class (signup, "pill");
  gtk_box_append (GTK_BOX (buttons), login);
  gtk_box_append (GTK_BOX (buttons), signup);
  adw_status_page_set_child (ADW_STATUS_PAGE (status), buttons);
  gtk_box_append (GTK_BOX (box), status);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  g_signal_connect_after (window, "map", G_CALLBACK (map_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
  ag_bench_mark ("window built");
}

/* After GtkApplication's and AdwApplication's own startup: GTK and
 * libadwaita are initialised. */
static void
startup_cb (GtkApplication *app)
{
  ag_bench_mark ("toolkit ready");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  ag_bench_mark ("main");
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--bench-exit-after-first-frame"))
      exit_after_first_frame = TRUE;
  app = adw_application_new ("io.github.authgearlogin.Baseline", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  g_signal_connect (app, "startup", G_CALLBACK (startup_cb), NULL);
  return g_application_run (G_APPLICATION (app), 1, argv);
}
