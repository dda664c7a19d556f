/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AgApplication owns what lives as long as the program: the settings, the
 * configuration, and the authgear-glib client of the configured project
 * (which keeps its session). Reloading the configuration happens here, once;
 * windows and Preferences are views of it. Also: the app actions (Quit,
 * About, Preferences) and the command line. */

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "ag-client-secret.h"

#include "ag-application.h"
#include "ag-bench.h"
#include "ag-command-line.h"
#include "ag-error.h"
#include "ag-preferences.h"
#include "ag-secure.h"
#include "ag-web-page.h"
#include "ag-window.h"

struct _AgApplication
{
  AdwApplication parent_instance;

  char *dotenv_path;
  GSettings *settings;
  AgAppConfig *config;         /* NULL when missing or not valid */
  GError *config_error;
  AuthgearClient *client;      /* the configured project's (authgear-glib) */
  GCancellable *setup_cancellable;
  AgClientSecretRead *early_secret;   /* begun before GTK's start, taken after */
  gboolean without_keyring;     /* the person left the keyring's wait */
  int command_status;
  guint command_line_id;        /* the Print method for a second process */
};

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AgApplication, ag_application, ADW_TYPE_APPLICATION)

/* Drops the configuration and the client (with any sign-in of it). */
static void
drop_client (AgApplication *self)
{
  g_cancellable_cancel (self->setup_cancellable);
  g_clear_object (&self->setup_cancellable);
  g_clear_pointer (&self->early_secret, ag_client_secret_read_drop);
  g_clear_object (&self->client);
  g_clear_pointer (&self->config, ag_app_config_unref);
  g_clear_error (&self->config_error);
}

static void
ag_application_dispose (GObject *object)
{
  AgApplication *self = AG_APPLICATION (object);

  drop_client (self);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (ag_application_parent_class)->dispose (object);
}

static void
ag_application_finalize (GObject *object)
{
  g_free (AG_APPLICATION (object)->dotenv_path);
  G_OBJECT_CLASS (ag_application_parent_class)->finalize (object);
}

static void
ag_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, AG_APPLICATION (object)->client);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
configured_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!authgear_client_configure_finish (AUTHGEAR_CLIENT (object), result, &error) &&
      !ag_error_is_cancelled (error))
    g_debug ("No stored session: %s", error->message);
}

/* The client, through authgear-glib's public API: the session is kept in
 * the keyring under the application's schema, as Authgear Login always
 * kept it. configure restores it without the network. */
static void
start_client (AgApplication *self,
              AgAppConfig   *config)
{
  /* Left the keyring's wait: this run keeps its session in memory, as
   * without a keyring; the stored session stays for the next start. */
  g_autoptr(AuthgearTokenStorage) storage = self->without_keyring ? authgear_transient_token_storage_new ()
                                                                  : authgear_keyring_token_storage_new (APP_ID);

  if (config != self->config)
    {
      g_clear_pointer (&self->config, ag_app_config_unref);
      self->config = ag_app_config_ref (config);
    }
  self->client = g_object_new (AUTHGEAR_TYPE_CLIENT,
                               "endpoint", config->issuer,
                               "client-id", config->client_id,
                               "client-secret", config->client_secret,
                               "redirect-uri", config->redirect_uri,
                               "scope", config->scopes,
                               "token-storage", storage,
                               NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
  authgear_client_configure_async (self->client, self->setup_cancellable, configured_cb, NULL);
}

/* The keyring answered for a client secret Preferences may have kept. */
static void
client_secret_answered (AgApplication *self,
                        char          *secret,
                        const GError  *error)
{
  g_autoptr(AgAppConfig) config = NULL;

  /* No keyring: a public client, which is what a desktop app should be. */
  if (error != NULL)
    g_debug ("Client secret: %s", error->message);
  config = secret ? ag_app_config_with_client_secret (self->config, secret) : ag_app_config_ref (self->config);
  ag_secure_free (secret);
  start_client (self, config);
}

static void
client_secret_loaded_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(AgApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = ag_client_secret_load_finish (result, &error);
  if (ag_error_is_cancelled (error))
    return;
  client_secret_answered (self, secret, error);
}

void
ag_application_reload_configuration (AgApplication *self)
{
  g_autoptr(AgAppConfig) config = NULL;
  AgClientSecretRead *early;

  g_return_if_fail (AG_IS_APPLICATION (self));

  early = g_steal_pointer (&self->early_secret);
  drop_client (self);
  self->setup_cancellable = g_cancellable_new ();
  config = ag_app_config_load (self->settings, self->dotenv_path, &self->config_error);
  if (config == NULL || config->client_secret != NULL)
    {
      if (early != NULL)
        ag_client_secret_read_drop (early);
      if (config != NULL)
        start_client (self, config);
      else
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
      return;
    }
  /* A client secret given in Preferences lives in the keyring. Until it is
   * read there is a configuration and no client yet. */
  self->config = ag_app_config_ref (config);
  /* At the start it was asked for while GTK started, and is usually here:
   * then the client is made now, and the stored session's read runs
   * beside the window's building instead of after it. */
  if (early != NULL)
    {
      g_autoptr(GError) error = NULL;
      char *secret = NULL;

      if (ag_client_secret_read_take (g_steal_pointer (&early), config->issuer, config->client_id,
                                      &secret, &error))
        {
          client_secret_answered (self, secret, error);
          return;
        }
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
  ag_client_secret_load_async (config->issuer, config->client_id, self->setup_cancellable,
                               client_secret_loaded_cb, g_object_ref (self));
}

/* The start waits for the keyring (the client secret, the stored session)
 * and the keyring did not answer: the person goes on without it. Both
 * reads are cancelled and the client starts again on storage in memory. */
void
ag_application_continue_without_keyring (AgApplication *self)
{
  g_autoptr(AgAppConfig) config = NULL;

  g_return_if_fail (AG_IS_APPLICATION (self));

  if (self->config == NULL || self->without_keyring)
    return;
  config = ag_app_config_ref (self->config);
  self->without_keyring = TRUE;
  g_cancellable_cancel (self->setup_cancellable);
  g_clear_object (&self->setup_cancellable);
  self->setup_cancellable = g_cancellable_new ();
  g_clear_object (&self->client);
  start_client (self, config);
}

gboolean
ag_application_get_without_keyring (AgApplication *self)
{
  g_return_val_if_fail (AG_IS_APPLICATION (self), FALSE);
  return self->without_keyring;
}

GSettings *
ag_application_get_settings (AgApplication *self)
{
  g_return_val_if_fail (AG_IS_APPLICATION (self), NULL);
  return self->settings;
}

AuthgearClient *
ag_application_get_client (AgApplication *self)
{
  g_return_val_if_fail (AG_IS_APPLICATION (self), NULL);
  return self->client;
}

AgAppConfig *
ag_application_get_config (AgApplication *self)
{
  g_return_val_if_fail (AG_IS_APPLICATION (self), NULL);
  return self->config;
}

const GError *
ag_application_get_config_error (AgApplication *self)
{
  g_return_val_if_fail (AG_IS_APPLICATION (self), NULL);
  return self->config_error;
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
  if (g_variant_dict_contains (options, "print-access-token") ||
      g_variant_dict_contains (options, "print-user-info"))
    {
      g_autoptr(GError) error = NULL;

      /* Registered here to know whether an app is running: then it is
       * asked, and answers in its reply (ag-command-line.c says why). */
      if (!g_application_get_is_registered (app) && !g_application_register (app, NULL, &error))
        {
          g_printerr ("authgear-login: %s\n", error->message);
          return 1;
        }
      if (g_application_get_is_remote (app))
        return ag_command_line_forward (app, g_variant_dict_contains (options, "print-user-info"));
    }
  if (g_variant_dict_contains (options, "bench-exit-after-first-frame"))
    ag_bench_set_mode (AG_BENCH_EXIT_AFTER_FIRST_FRAME);
  if (g_variant_dict_contains (options, "bench-exit-when-signed-in"))
    ag_bench_set_mode (AG_BENCH_EXIT_WHEN_SIGNED_IN);

  return -1;
}

static gboolean
ag_application_dbus_register (GApplication     *app,
                              GDBusConnection  *connection,
                              const char       *object_path,
                              GError          **error)
{
  AgApplication *self = AG_APPLICATION (app);

  if (!G_APPLICATION_CLASS (ag_application_parent_class)->dbus_register (app, connection, object_path, error))
    return FALSE;
  self->command_line_id = ag_command_line_export (self, connection, object_path, error);
  return self->command_line_id != 0;
}

static void
ag_application_dbus_unregister (GApplication    *app,
                                GDBusConnection *connection,
                                const char      *object_path)
{
  AgApplication *self = AG_APPLICATION (app);

  if (self->command_line_id != 0)
    g_dbus_connection_unregister_object (connection, self->command_line_id);
  self->command_line_id = 0;
  G_APPLICATION_CLASS (ag_application_parent_class)->dbus_unregister (app, connection, object_path);
}

/* The primary instance's own command line (a second process's --print-*
 * comes as a Print call: ag-command-line.c). */
static int
ag_application_command_line (GApplication            *app,
                             GApplicationCommandLine *cmdline)
{
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);

  if (g_variant_dict_contains (options, "print-access-token"))
    ag_command_line_print (AG_APPLICATION (app), cmdline, FALSE);
  else if (g_variant_dict_contains (options, "print-user-info"))
    ag_command_line_print (AG_APPLICATION (app), cmdline, TRUE);
  else
    g_application_activate (app);
  return g_application_command_line_get_exit_status (cmdline);
}

static void
ag_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (ag_window_new (GTK_APPLICATION (app)));

  gtk_window_present (window);
  ag_bench_mark ("window built");
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
 * the client secret in the keyring; the configuration is reloaded when the
 * Preferences window closes after a change. */
static void
preferences_activated (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  AgApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  AgPreferencesWindow *preferences;

  if (!AG_IS_WINDOW (parent))
    return;
  preferences = ag_preferences_window_new (parent, ag_application_get_config (self));
  g_signal_connect_object (preferences, "configuration-changed",
                           G_CALLBACK (ag_application_reload_configuration), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (preferences));
}

/* A notification's default action (ag-window.c): the window, in front. The
 * shell that calls it passes an activation token in the platform data,
 * which GApplication gives GTK, so the present is allowed on Wayland. */
static void
show_window_activated (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  g_application_activate (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "show-window", show_window_activated },
  { "about", about_activated },
  { "preferences", preferences_activated },
};

static void
ag_application_startup (GApplication *app)
{
  AgApplication *self = AG_APPLICATION (app);
  g_autoptr(AgAppConfig) config = NULL;

  /* Before GTK's own start (the display, the theme: most of the start):
   * the keyring is asked for a client secret meanwhile, on a thread. */
  self->settings = g_settings_new (APP_ID);
  config = ag_app_config_load (self->settings, self->dotenv_path, NULL);
  if (config != NULL && config->client_secret == NULL)
    self->early_secret = ag_client_secret_read_begin (config->issuer, config->client_id);

  G_APPLICATION_CLASS (ag_application_parent_class)->startup (app);
  ag_bench_mark ("toolkit ready");

  gtk_window_set_default_icon_name (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", (const char *[]) { "<Control>comma", NULL });
  ag_window_set_accels (GTK_APPLICATION (app));

  ag_application_reload_configuration (self);
  ag_bench_mark ("client made");
}

static void
ag_application_shutdown (GApplication *app)
{
  drop_client (AG_APPLICATION (app));
  G_APPLICATION_CLASS (ag_application_parent_class)->shutdown (app);
}

static void
ag_application_class_init (AgApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ag_application_dispose;
  G_OBJECT_CLASS (klass)->finalize = ag_application_finalize;
  G_OBJECT_CLASS (klass)->get_property = ag_application_get_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, AUTHGEAR_TYPE_CLIENT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (G_OBJECT_CLASS (klass), N_PROPS, properties);

  app_class->handle_local_options = ag_application_handle_local_options;
  app_class->startup = ag_application_startup;
  app_class->shutdown = ag_application_shutdown;
  app_class->activate = ag_application_activate;
  app_class->command_line = ag_application_command_line;
  app_class->dbus_register = ag_application_dbus_register;
  app_class->dbus_unregister = ag_application_dbus_unregister;
}

void
ag_application_set_dotenv_path (AgApplication *self,
                                const char    *path)
{
  g_return_if_fail (AG_IS_APPLICATION (self));
  g_free (self->dotenv_path);
  self->dotenv_path = g_strdup (path);
}

void
ag_application_set_command_status (AgApplication *self,
                                   int            status)
{
  g_return_if_fail (AG_IS_APPLICATION (self));
  self->command_status = status;
}

int
ag_application_get_command_status (AgApplication *self)
{
  g_return_val_if_fail (AG_IS_APPLICATION (self), 0);
  return self->command_status;
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
    { "print-access-token", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Print a fresh access token for scripts (refreshed first if needed)"), NULL },
    { "print-user-info", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the signed-in person’s user info as JSON"), NULL },
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
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", APP_PATH,
                       NULL);
}
