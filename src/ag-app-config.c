/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AgAppConfig: the Authgear project Authgear Login signs in to, and where
 * each value came from: the environment, a .env file (the Flask guide's),
 * or GSettings (Preferences). Also the .env parser. Each value is checked
 * as Preferences checks it (ag-validate.c); the client is then made with
 * authgear-glib's public API. */

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ag-app-config.h"
#include "ag-error.h"
#include "ag-secure.h"
#include "ag-validate.h"

/* .env: KEY=VALUE, optional "export ", quotes, comments. */
GHashTable *
ag_dotenv_parse (const char  *text,
                 gssize       length,
                 GError     **error)
{
  g_autoptr(GHashTable) table = NULL;
  g_autofree char *copy = NULL;
  g_auto(GStrv) lines = NULL;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (length < 0)
    length = strlen (text);
  if (length > 0 && memchr (text, '\0', length) != NULL)
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION, _("The .env file is not a text file"));
      return NULL;
    }
  if (length > 0 && !g_utf8_validate (text, length, NULL))
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION, _("The .env file is not valid UTF-8"));
      return NULL;
    }

  table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) ag_secure_free);
  copy = g_strndup (text ? text : "", length);
  lines = g_strsplit (copy, "\n", -1);
  ag_secure_wipe (copy, length);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *eq;
      char *key;
      char *value;
      gsize vlen;

      if (*line == '\0' || *line == '#')
        continue;
      if (g_str_has_prefix (line, "export ") || g_str_has_prefix (line, "export\t"))
        line = g_strchug (line + 7);

      eq = strchr (line, '=');
      if (eq == NULL)
        {
          g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION,
                       _("Line %u of the .env file is not of the form NAME=value"), i + 1);
          ag_secure_strv_free (g_steal_pointer (&lines));
          return NULL;
        }
      *eq = '\0';
      key = g_strstrip (line);
      value = g_strstrip (eq + 1);

      if (*key == '\0' || !(g_ascii_isalpha (*key) || *key == '_'))
        {
          g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION,
                       _("Line %u of the .env file has no valid name"), i + 1);
          ag_secure_strv_free (g_steal_pointer (&lines));
          return NULL;
        }
      for (const char *p = key; *p; p++)
        if (!(g_ascii_isalnum (*p) || *p == '_'))
          {
            g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION,
                         _("Line %u of the .env file has no valid name"), i + 1);
            ag_secure_strv_free (g_steal_pointer (&lines));
            return NULL;
          }

      vlen = strlen (value);
      if (vlen > 0 && (value[0] == '"' || value[0] == '\''))
        {
          char quote = value[0];
          char *end = strchr (value + 1, quote);

          if (end == NULL)
            {
              g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION,
                           _("Line %u of the .env file has an unterminated quote"), i + 1);
              ag_secure_strv_free (g_steal_pointer (&lines));
              return NULL;
            }
          /* Nothing but a comment may follow the closing quote: KEY="v"junk
           * is a mistake, not the value v. */
          {
            const char *rest = end + 1;

            while (*rest == ' ' || *rest == '\t')
              rest++;
            if (*rest != '\0' && *rest != '#')
              {
                g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION,
                             _("Line %u of the .env file has text after the closing quote"), i + 1);
                ag_secure_strv_free (g_steal_pointer (&lines));
                return NULL;
              }
          }
          *end = '\0';
          value++;
        }
      else
        {
          /* An unquoted value ends at an inline comment. */
          char *hash = strstr (value, " #");
          if (hash != NULL)
            {
              *hash = '\0';
              g_strchomp (value);
            }
        }

      g_hash_table_replace (table, g_strdup (key), g_strdup (value));
    }

  ag_secure_strv_free (g_steal_pointer (&lines));
  return g_steal_pointer (&table);
}

typedef struct
{
  const char *variable;
  const char *settings_key; /* NULL: never in GSettings */
} Source;

static const Source sources[] = {
  { "AUTHGEAR_DOMAIN", "authgear-domain" },
  { "AUTHGEAR_CLIENT_ID", "client-id" },
  { "AUTHGEAR_CLIENT_SECRET", NULL },
  { "AUTHGEAR_REDIRECT_URI", "redirect-uri" },
  { "AUTHGEAR_SCOPES", "scopes" },
};

/* Reads @path for ag_app_config_load(): a regular file, not through a symbolic
 * link, at most %AG_DOTENV_MAX_SIZE bytes, opened without blocking (a FIFO
 * or a device would hang the start-up). FALSE without error: no such file. */
static gboolean
read_dotenv (const char  *path,
             char       **contents,
             gsize       *length,
             GError     **error)
{
  g_autofree char *buffer = NULL;
  struct stat st;
  gssize n;
  int fd;

  fd = g_open (path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;

      if (saved == ENOENT)
        return FALSE;
      if (saved == ELOOP)
        g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION,
                     _("The .env file %s is a symbolic link, which is not read"), path);
      else
        g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION,
                     _("The .env file %s could not be opened: %s"), path, g_strerror (saved));
      return FALSE;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION, _("The .env file %s is not a regular file"), path);
      close (fd);
      return FALSE;
    }
  if (st.st_size > AG_DOTENV_MAX_SIZE)
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION, _("The .env file %s is larger than %d KiB"),
                   path, AG_DOTENV_MAX_SIZE / 1024);
      close (fd);
      return FALSE;
    }
  /* One byte more than allowed tells a file that grew since fstat(). */
  buffer = g_malloc (AG_DOTENV_MAX_SIZE + 1);
  *length = 0;
  while ((n = read (fd, buffer + *length, AG_DOTENV_MAX_SIZE + 1 - *length)) > 0)
    *length += (gsize) n;
  close (fd);
  if (n < 0 || *length > AG_DOTENV_MAX_SIZE)
    {
      ag_secure_wipe (buffer, *length);
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION, _("The .env file %s could not be read"), path);
      return FALSE;
    }
  *contents = g_steal_pointer (&buffer);
  return TRUE;
}

AgAppConfig *
ag_app_config_load (GSettings   *settings,
                    const char  *dotenv_path,
                    GError     **error)
{
  g_autoptr(GHashTable) dotenv = NULL;
  g_autoptr(GPtrArray) overridden = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  char *values[G_N_ELEMENTS (sources)] = { NULL };
  gboolean used_dotenv = FALSE;
  AgAppConfig *self = NULL;

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  if (dotenv_path != NULL)
    {
      g_autofree char *contents = NULL;
      gsize length = 0;
      GError *local_error = NULL;

      if (read_dotenv (dotenv_path, &contents, &length, &local_error))
        {
          dotenv = ag_dotenv_parse (contents, length, error);
          ag_secure_wipe (contents, length);
          if (dotenv == NULL)
            return NULL;
        }
      else if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      const char *env = g_getenv (sources[i].variable);
      const char *file = dotenv ? g_hash_table_lookup (dotenv, sources[i].variable) : NULL;
      g_autofree char *value = NULL;

      if (env != NULL && *env != '\0')
        value = g_strdup (env);
      else if (file != NULL && *file != '\0')
        value = g_strdup (file);
      else if (settings != NULL && sources[i].settings_key != NULL)
        value = g_settings_get_string (settings, sources[i].settings_key);

      if ((env != NULL && *env != '\0') || (file != NULL && *file != '\0'))
        g_ptr_array_add (overridden, g_strdup (sources[i].variable));
      if ((env == NULL || *env == '\0') && file != NULL && *file != '\0')
        used_dotenv = TRUE;
      /* Each checked as Preferences checks it: the value to use. */
      values[i] = ag_config_check_setting (sources[i].variable, value, error);
      if (value != NULL)
        ag_secure_wipe (value, strlen (value));
      if (values[i] == NULL)
        goto out;
    }

  self = g_rc_box_new0 (AgAppConfig);
  self->issuer = g_steal_pointer (&values[0]);
  self->client_id = g_steal_pointer (&values[1]);
  self->client_secret = *values[2] != '\0' ? g_steal_pointer (&values[2]) : NULL;
  self->redirect_uri = g_steal_pointer (&values[3]);
  self->scopes = g_steal_pointer (&values[4]);
  self->overridden = (GStrv) g_ptr_array_free (g_steal_pointer (&overridden), FALSE);
  self->dotenv_path = used_dotenv ? g_strdup (dotenv_path) : NULL;

out:
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    ag_secure_free (values[i]);
  return self;
}

static void
app_config_clear (AgAppConfig *self)
{
  g_free (self->issuer);
  g_free (self->client_id);
  ag_secure_free (self->client_secret);
  g_free (self->redirect_uri);
  g_free (self->scopes);
  g_strfreev (self->overridden);
  g_free (self->dotenv_path);
}

AgAppConfig *
ag_app_config_ref (AgAppConfig *self)
{
  return g_rc_box_acquire (self);
}

void
ag_app_config_unref (AgAppConfig *self)
{
  g_rc_box_release_full (self, (GDestroyNotify) app_config_clear);
}

AgAppConfig *
ag_app_config_with_client_secret (AgAppConfig *self,
                                  const char  *client_secret)
{
  AgAppConfig *copy = g_rc_box_new0 (AgAppConfig);

  copy->issuer = g_strdup (self->issuer);
  copy->client_id = g_strdup (self->client_id);
  copy->client_secret = client_secret != NULL && *client_secret != '\0' ? g_strdup (client_secret) : NULL;
  copy->redirect_uri = g_strdup (self->redirect_uri);
  copy->scopes = g_strdup (self->scopes);
  copy->overridden = g_strdupv (self->overridden);
  copy->dotenv_path = g_strdup (self->dotenv_path);
  return copy;
}

gboolean
ag_app_config_is_overridden (AgAppConfig *self,
                             const char  *variable)
{
  return self->overridden != NULL && g_strv_contains ((const char * const *) self->overridden, variable);
}
