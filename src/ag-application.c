/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ag-application"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "ag-application.h"
#include "ag-preferences.h"
#include "ag-web-page.h"
#include "ag-window.h"

struct _AgApplication
{
  AdwApplication parent_instance;

  char *dotenv_path;
};

G_DEFINE_FINAL_TYPE (AgApplication, ag_application, ADW_TYPE_APPLICATION)

static void
ag_application_finalize (GObject *object)
{
  g_free (AG_APPLICATION (object)->dotenv_path);
  G_OBJECT_CLASS (ag_application_parent_class)->finalize (object);
}

static void
print_version (void)
{
  g_autoptr(GError) error = NULL;
  const AgWebPageModule *web = ag_web_page_module_load (&error);

  g_print ("%s %s\n", PACKAGE_NAME, VERSION);
  g_print ("GTK %u.%u.%u\n", gtk_get_major_version (), gtk_get_minor_version (), gtk_get_micro_version ());
  g_print ("libadwaita %u.%u.%u\n", adw_get_major_version (), adw_get_minor_version (), adw_get_micro_version ());
  if (web != NULL)
    {
      g_autofree char *version = web->get_version ();
      g_print ("WebKitGTK %s\n", version);
    }
  else
    g_print ("WebKitGTK: %s\n", error->message);
  g_print ("libsoup %u.%u.%u\n", soup_get_major_version (), soup_get_minor_version (), soup_get_micro_version ());
}

static int
ag_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      print_version ();
      return 0;
    }
  if (g_variant_dict_contains (options, "bench-exit-after-first-frame"))
    ag_window_set_bench_mode (AG_BENCH_EXIT_AFTER_FIRST_FRAME);
  if (g_variant_dict_contains (options, "bench-exit-when-signed-in"))
    ag_window_set_bench_mode (AG_BENCH_EXIT_WHEN_SIGNED_IN);

  return -1;
}

static void
ag_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (ag_window_new (GTK_APPLICATION (app)));

  gtk_window_present (window);
}

/* Closes the windows rather than g_application_quit(): work that holds the
 * application (a logout clearing the keyring) still finishes. */
static void
quit_activated (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_list_free (windows);
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  adw_show_about_window (parent,
                         "application-name", _("Authgear Login"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Authgear Login developers"),
                         "version", VERSION,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "website", "https://github.com/authgearlogin/authgear-login",
                         "comments", _("Sign in with Authgear, an OpenID Connect provider"),
                         NULL);
}

/* Preferences: the domain, client ID and redirect URI live in GSettings,
 * the client secret in the keyring; the window reloads its configuration
 * when the Preferences window closes after a change. */
static void
preferences_activated (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  AgPreferencesWindow *preferences;

  if (!AG_IS_WINDOW (parent))
    return;
  preferences = ag_preferences_window_new (parent, ag_window_get_config (AG_WINDOW (parent)));
  g_signal_connect_object (preferences, "configuration-changed",
                           G_CALLBACK (ag_window_reload_configuration), parent, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (preferences));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "about", about_activated },
  { "preferences", preferences_activated },
};

static void
ag_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (ag_application_parent_class)->startup (app);

  gtk_window_set_default_icon_name (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", (const char *[]) { "<Control>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.login", (const char *[]) { "<Control>l", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.cancel-sign-in", (const char *[]) { "Escape", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.logout", (const char *[]) { "<Control><Shift>l", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.reload-profile", (const char *[]) { "<Control>r", "F5", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.back", (const char *[]) { "<Alt>Left", NULL });
}

static void
ag_application_class_init (AgApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = ag_application_finalize;

  app_class->handle_local_options = ag_application_handle_local_options;
  app_class->startup = ag_application_startup;
  app_class->activate = ag_application_activate;
}

void
ag_application_set_dotenv_path (AgApplication *self,
                                const char    *path)
{
  g_return_if_fail (AG_IS_APPLICATION (self));
  g_free (self->dotenv_path);
  self->dotenv_path = g_strdup (path);
}

const char *
ag_application_get_dotenv_path (AgApplication *self)
{
  g_return_val_if_fail (AG_IS_APPLICATION (self), NULL);
  return self->dotenv_path;
}

static void
ag_application_init (AgApplication *self)
{
  static const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version of the program and of its libraries"), NULL },
    /* Read in main() (an optional value); listed here for --help. */
    { "dotenv", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Read AUTHGEAR_* settings from .env in this folder, or from --dotenv=PATH"), NULL },
    /* For build-aux/run-bench. */
    { "bench-exit-after-first-frame", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, NULL, NULL, NULL },
    { "bench-exit-when-signed-in", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, NULL, NULL, NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

AgApplication *
ag_application_new (void)
{
  return g_object_new (AG_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", APP_PATH,
                       NULL);
}
