/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AgPreferencesWindow owns the Preferences window: the Authgear project's
 * settings (GSettings), checked as they are typed, and the client secret,
 * written to the keyring. It says when the
 * configuration changed; the application reloads it. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ag-accessible.h"
#include "ag-error.h"
#include "ag-preferences.h"
#include "ag-secure.h"
#include "ag-app-config.h"
#include "ag-client-secret.h"
#include "ag-validate.h"

struct _AgPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  AdwEntryRow *domain_row;
  AdwEntryRow *client_id_row;
  AdwEntryRow *secret_row;
  AdwEntryRow *redirect_row;
  GtkLabel *problem_label;
  GtkLabel *secret_label;
  GtkLabel *override_label;

  GtkSwitch *sso_switch;
  GSettings *settings;
  AgAppConfig *config;       /* in use by the window, or NULL */
  GCancellable *cancellable;
  gboolean loading;
  gboolean changed;
  gboolean closing;
  gboolean overridden[4];    /* per row of settings_rows */    /* per row: the environment or .env sets it */
};

G_DEFINE_FINAL_TYPE (AgPreferencesWindow, ag_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum { CONFIGURATION_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef struct
{
  gsize row_offset;           /* of the AdwEntryRow in the struct */
  const char *variable;
  const char *settings_key;   /* NULL: kept in the keyring */
} Setting;

static const Setting settings_rows[] = {
  { G_STRUCT_OFFSET (AgPreferencesWindow, domain_row), "AUTHGEAR_DOMAIN", "authgear-domain" },
  { G_STRUCT_OFFSET (AgPreferencesWindow, client_id_row), "AUTHGEAR_CLIENT_ID", "client-id" },
  { G_STRUCT_OFFSET (AgPreferencesWindow, secret_row), "AUTHGEAR_CLIENT_SECRET", NULL },
  { G_STRUCT_OFFSET (AgPreferencesWindow, redirect_row), "AUTHGEAR_REDIRECT_URI", "redirect-uri" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (settings_rows) == G_N_ELEMENTS (((AgPreferencesWindow *) NULL)->overridden));

static AdwEntryRow *
row_of (AgPreferencesWindow *self,
        const Setting       *setting)
{
  return G_STRUCT_MEMBER (AdwEntryRow *, self, setting->row_offset);
}

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void update_secret_status (AgPreferencesWindow *self);

/* Checks every row as typed; a valid value is saved at once, an invalid one
 * is marked and explained, and never saved. */
static void
row_changed_cb (AgPreferencesWindow *self)
{
  g_autofree char *problem = NULL;

  if (self->loading)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (settings_rows); i++)
    {
      const Setting *setting = &settings_rows[i];
      AdwEntryRow *row = row_of (self, setting);
      g_autofree char *typed = g_strstrip (g_strdup (text_of (row)));
      g_autoptr(GError) error = NULL;
      g_autofree char *value = NULL;

      /* An empty redirect URI means the default; an empty secret, none. */
      value = ag_config_check_setting (setting->variable, typed, &error);
      /* Left empty here while the environment sets it: nothing to fix. */
      if (value == NULL && *typed == '\0' && self->overridden[i])
        g_clear_error (&error);
      else if (value == NULL)
        {
          gtk_widget_add_css_class (GTK_WIDGET (row), "error");
          gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                          error->message, -1);
          if (problem == NULL)
            problem = g_strdup (error->message);
          continue;
        }
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      if (setting->settings_key != NULL)
        {
          g_autofree char *stored = g_settings_get_string (self->settings, setting->settings_key);

          if (g_strcmp0 (stored, typed) != 0)
            {
              g_settings_set_string (self->settings, setting->settings_key, typed);
              self->changed = TRUE;
              /* Another project: say whether it has a stored secret. */
              if (setting->row_offset != G_STRUCT_OFFSET (AgPreferencesWindow, redirect_row))
                update_secret_status (self);
            }
        }
      if (setting->settings_key == NULL && value != NULL)
        {
          ag_secure_wipe (value, strlen (value));
          ag_secure_wipe (typed, strlen (typed));
        }
    }

  gtk_label_set_text (self->problem_label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
}

/* The issuer and client ID the secret belongs to, from the rows. */
static gboolean
secret_owner (AgPreferencesWindow  *self,
              char                **issuer,
              char                **client_id,
              GError              **error)
{
  const char *domain = text_of (self->domain_row);
  const char *id = text_of (self->client_id_row);

  /* Fields left empty because the environment sets them: its values. */
  if (*domain == '\0' && self->config != NULL && ag_app_config_is_overridden (self->config, "AUTHGEAR_DOMAIN"))
    domain = self->config->issuer;
  if (*id == '\0' && self->config != NULL && ag_app_config_is_overridden (self->config, "AUTHGEAR_CLIENT_ID"))
    id = self->config->client_id;

  *issuer = ag_config_check_setting ("AUTHGEAR_DOMAIN", domain, error);
  if (*issuer == NULL)
    return FALSE;
  *client_id = ag_config_check_setting ("AUTHGEAR_CLIENT_ID", id, error);
  if (*client_id == NULL)
    {
      g_clear_pointer (issuer, g_free);
      return FALSE;
    }
  return TRUE;
}

static void
secret_status_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AgPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = ag_client_secret_load_finish (result, &error);
  if (ag_error_is_cancelled (error))
    return;
  if (error != NULL)
    gtk_label_set_text (self->secret_label, error->message);
  else if (secret != NULL)
    gtk_label_set_text (self->secret_label, _("A client secret for this client is stored in the keyring. Type a new one and press Enter to replace it, or apply an empty field to remove it."));
  else
    gtk_label_set_text (self->secret_label, _("No client secret is stored: Authgear Login signs in as a public client with PKCE, which is right for a desktop application. A secret typed here is kept in the keyring, never in a file."));
  ag_secure_free (secret);
}

static void
update_secret_status (AgPreferencesWindow *self)
{
  g_autofree char *issuer = NULL;
  g_autofree char *client_id = NULL;

  if (!secret_owner (self, &issuer, &client_id, NULL))
    {
      gtk_label_set_text (self->secret_label, _("Set the domain and client ID first: the client secret is kept in the keyring for them."));
      return;
    }
  ag_client_secret_load_async (issuer, client_id, self->cancellable, secret_status_cb, g_object_ref (self));
}

static void
secret_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AgPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ag_client_secret_save_finish (result, &error))
    {
      if (!ag_error_is_cancelled (error))
        {
          g_autofree char *text = g_strdup_printf (_("The client secret could not be saved: %s"), error->message);
          gtk_label_set_text (self->secret_label, text);
        }
    }
  else
    self->changed = TRUE;

  if (self->closing)
    gtk_window_close (GTK_WINDOW (self));
  else
    update_secret_status (self);
}

/* Stores what the secret field holds (empty: removes the stored secret).
 * Returns FALSE when there is nothing it can store. */
static gboolean
save_secret (AgPreferencesWindow *self)
{
  g_autofree char *issuer = NULL;
  g_autofree char *client_id = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  if (!secret_owner (self, &issuer, &client_id, &error))
    {
      gtk_label_set_text (self->secret_label, error->message);
      return FALSE;
    }
  secret = ag_config_check_setting ("AUTHGEAR_CLIENT_SECRET", text_of (self->secret_row), &error);
  if (secret == NULL)
    return FALSE;   /* the row shows why */
  ag_client_secret_save_async (issuer, client_id, *secret ? secret : NULL,
                               self->cancellable, secret_saved_cb, g_object_ref (self));
  ag_secure_free (secret);
  /* The field does not keep the secret once it is on its way to the keyring. */
  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->secret_row), "");
  self->loading = FALSE;
  return TRUE;
}

static void
secret_apply_cb (AgPreferencesWindow *self)
{
  save_secret (self);
}

static void
show_overrides (AgPreferencesWindow *self,
                AgAppConfig         *config)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (settings_rows); i++)
    {
      const char *variable = settings_rows[i].variable;
      gboolean overridden = config ? ag_app_config_is_overridden (config, variable) : g_getenv (variable) != NULL;

      self->overridden[i] = overridden;
      if (!overridden)
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* TRANSLATORS: %s is a variable name such as AUTHGEAR_DOMAIN */
      g_string_append_printf (text, _("%s is set in the environment or a .env file, which takes precedence over the value here."),
                              variable);
    }
  gtk_label_set_text (self->override_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->override_label), text->len > 0);
}

static gboolean
ag_preferences_window_close_request (GtkWindow *window)
{
  AgPreferencesWindow *self = AG_PREFERENCES_WINDOW (window);

  /* A secret typed but not applied is saved first; the window closes when
   * the keyring has it, so that the main window reads it back. */
  if (*text_of (self->secret_row) != '\0' && !self->closing)
    {
      self->closing = TRUE;
      if (save_secret (self))
        {
          gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
          return TRUE;
        }
    }
  if (self->changed)
    g_signal_emit (self, signals[CONFIGURATION_CHANGED], 0);
  self->changed = FALSE;
  return GTK_WINDOW_CLASS (ag_preferences_window_parent_class)->close_request (window);
}

static void
ag_preferences_window_dispose (GObject *object)
{
  AgPreferencesWindow *self = AG_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), AG_TYPE_PREFERENCES_WINDOW);
  G_OBJECT_CLASS (ag_preferences_window_parent_class)->dispose (object);
}

static void
ag_preferences_window_finalize (GObject *object)
{
  AgPreferencesWindow *self = AG_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->config, ag_app_config_unref);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (ag_preferences_window_parent_class)->finalize (object);
}

static void
ag_preferences_window_class_init (AgPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ag_preferences_window_dispose;
  object_class->finalize = ag_preferences_window_finalize;
  window_class->close_request = ag_preferences_window_close_request;

  signals[CONFIGURATION_CHANGED] = g_signal_new ("configuration-changed", G_TYPE_FROM_CLASS (klass),
                                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "ag-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, domain_row);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, secret_row);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, redirect_row);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, problem_label);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, secret_label);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, override_label);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, sso_switch);
  gtk_widget_class_bind_template_callback (widget_class, row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, secret_apply_cb);
}

static void
ag_preferences_window_init (AgPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  ag_accessible_name_controls (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "sso-enabled", self->sso_switch, "active", G_SETTINGS_BIND_DEFAULT);
  self->cancellable = g_cancellable_new ();

  self->loading = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (settings_rows); i++)
    if (settings_rows[i].settings_key != NULL)
      {
        g_autofree char *value = g_settings_get_string (self->settings, settings_rows[i].settings_key);
        gtk_editable_set_text (GTK_EDITABLE (row_of (self, &settings_rows[i])), value);
      }
  self->loading = FALSE;
}

AgPreferencesWindow *
ag_preferences_window_new (GtkWindow   *parent,
                           AgAppConfig *config)
{
  AgPreferencesWindow *self = g_object_new (AG_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);

  self->config = config ? ag_app_config_ref (config) : NULL;
  show_overrides (self, config);
  row_changed_cb (self);
  update_secret_status (self);
  return self;
}
