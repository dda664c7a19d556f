/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AgConfig owns the validated settings of one Authgear project (issuer,
 * client, redirect and post-logout URIs, scopes) and where they came
 * from: the environment, a .env file, GSettings. Also the one test of a
 * loopback host (ag_host_is_loopback) and the .env parser. */
#define G_LOG_DOMAIN "ag-config"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ag-config.h"
#include "ag-error.h"
#include "ag-secure.h"

struct _AgConfig
{
  GObject parent_instance;

  char *issuer;
  char *client_id;
  char *client_secret;
  char *redirect_uri;
  char *post_logout_redirect_uri;
  char *scopes;
  GStrv overridden;
  char *dotenv_path;     /* the .env file a value came from, or NULL */
};

G_DEFINE_FINAL_TYPE (AgConfig, ag_config, G_TYPE_OBJECT)

static void
ag_config_finalize (GObject *object)
{
  AgConfig *self = AG_CONFIG (object);

  g_free (self->issuer);
  g_free (self->client_id);
  ag_secure_free (self->client_secret);
  g_free (self->redirect_uri);
  g_free (self->post_logout_redirect_uri);
  g_free (self->scopes);
  g_strfreev (self->overridden);
  g_free (self->dotenv_path);

  G_OBJECT_CLASS (ag_config_parent_class)->finalize (object);
}

static void
ag_config_class_init (AgConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ag_config_finalize;
}

static void
ag_config_init (AgConfig *self)
{
}

gboolean
ag_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;
  gsize len;

  if (host == NULL || *host == '\0')
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  /* An IPv6 literal as a Host header writes it: [::1]. */
  len = strlen (host);
  if (host[0] == '[' && host[len - 1] == ']')
    host = bare = g_strndup (host + 1, len - 2);
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

gboolean
ag_url_is_secure (const char *uri)
{
  g_autoptr(GUri) parsed = NULL;
  const char *scheme;

  if (uri == NULL)
    return FALSE;

  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  if (parsed == NULL || g_uri_get_host (parsed) == NULL || *g_uri_get_host (parsed) == '\0')
    return FALSE;

  scheme = g_uri_get_scheme (parsed);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  return g_ascii_strcasecmp (scheme, "http") == 0 && ag_host_is_loopback (g_uri_get_host (parsed));
}

static gboolean
has_bad_chars (const char *value)
{
  for (const char *p = value; *p; p++)
    if (g_ascii_iscntrl (*p) || *p == ' ')
      return TRUE;
  return FALSE;
}

static char *
validate_domain (const char  *domain,
                 GError     **error)
{
  g_autofree char *with_scheme = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  gsize len;

  if (domain == NULL || *domain == '\0')
    {
      g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION,
                   _("AUTHGEAR_DOMAIN is not set: give your Authgear project’s endpoint, for example https://myapp.authgear.cloud"));
      return NULL;
    }
  if (has_bad_chars (domain))
    {
      g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION,
                   _("AUTHGEAR_DOMAIN contains spaces or control characters"));
      return NULL;
    }

  if (strstr (domain, "://") == NULL)
    with_scheme = g_strconcat ("https://", domain, NULL);
  else
    with_scheme = g_strdup (domain);

  uri = g_uri_parse (with_scheme, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION,
                   _("AUTHGEAR_DOMAIN “%s” is not a valid address"), domain);
      return NULL;
    }
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL || g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION,
                   _("AUTHGEAR_DOMAIN must not contain a user name, a query or a fragment"));
      return NULL;
    }
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0 &&
      g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0)
    {
      g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION,
                   _("AUTHGEAR_DOMAIN must be an https:// address"));
      return NULL;
    }
  if (!ag_url_is_secure (with_scheme))
    {
      g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION,
                   _("AUTHGEAR_DOMAIN must use https://; plain http:// is allowed only for this computer (localhost, 127.0.0.1, ::1)"));
      return NULL;
    }

  /* The issuer is compared exactly; a trailing slash a person typed is not
   * part of Authgear's issuer. */
  text = g_steal_pointer (&with_scheme);
  len = strlen (text);
  while (len > 0 && text[len - 1] == '/')
    text[--len] = '\0';
  return g_steal_pointer (&text);
}

static gboolean
validate_redirect_uri (const char  *redirect_uri,
                       GError     **error)
{
  g_autoptr(GUri) uri = NULL;

  uri = g_uri_parse (redirect_uri, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || has_bad_chars (redirect_uri) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION,
                   _("The redirect URI “%s” is not a valid address"), redirect_uri);
      return FALSE;
    }
  if (g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION,
                   _("The redirect URI must not contain a fragment"));
      return FALSE;
    }
  if (!ag_url_is_secure (redirect_uri))
    {
      g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION,
                   _("The redirect URI must be https://, or http:// on this computer (localhost)"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
validate_client_id (const char  *client_id,
                    GError     **error)
{
  if (client_id == NULL || *client_id == '\0')
    {
      g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION,
                   _("AUTHGEAR_CLIENT_ID is not set: copy it from your application in the Authgear portal"));
      return FALSE;
    }
  if (has_bad_chars (client_id) || strlen (client_id) > 256)
    {
      g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION,
                   _("AUTHGEAR_CLIENT_ID contains spaces or control characters"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
validate_client_secret (const char  *client_secret,
                        GError     **error)
{
  if (client_secret != NULL && *client_secret != '\0' && has_bad_chars (client_secret))
    {
      g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION,
                   _("AUTHGEAR_CLIENT_SECRET contains spaces or control characters"));
      return FALSE;
    }
  return TRUE;
}

char *
ag_config_check_setting (const char  *variable,
                         const char  *value,
                         GError     **error)
{
  g_return_val_if_fail (variable != NULL, NULL);

  if (g_str_equal (variable, "AUTHGEAR_DOMAIN"))
    return validate_domain (value, error);
  if (g_str_equal (variable, "AUTHGEAR_CLIENT_ID"))
    return validate_client_id (value, error) ? g_strdup (value) : NULL;
  if (g_str_equal (variable, "AUTHGEAR_CLIENT_SECRET"))
    return validate_client_secret (value, error) ? g_strdup (value ? value : "") : NULL;
  if (g_str_equal (variable, "AUTHGEAR_REDIRECT_URI"))
    {
      if (value == NULL || *value == '\0')
        value = AG_DEFAULT_REDIRECT_URI;
      return validate_redirect_uri (value, error) ? g_strdup (value) : NULL;
    }
  g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION, _("%s is not a setting of Authgear Login"), variable);
  return NULL;
}

/* The Flask guide's post-logout address: the redirect URI's origin, "/"
 * (http://localhost:3000/ for the default redirect URI). */
static char *
post_logout_for (const char *redirect_uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (redirect_uri, G_URI_FLAGS_NONE, NULL);

  return g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (parsed), NULL, g_uri_get_host (parsed),
                     g_uri_get_port (parsed), "/", NULL, NULL);
}

AgConfig *
ag_config_new (const char  *domain,
               const char  *client_id,
               const char  *client_secret,
               const char  *redirect_uri,
               const char  *scopes,
               GError     **error)
{
  g_autoptr(AgConfig) self = NULL;
  g_autofree char *issuer = NULL;
  g_auto(GStrv) scope_list = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(issuer = validate_domain (domain, error)))
    return NULL;

  if (!validate_client_id (client_id, error) || !validate_client_secret (client_secret, error))
    return NULL;

  if (redirect_uri == NULL || *redirect_uri == '\0')
    redirect_uri = AG_DEFAULT_REDIRECT_URI;
  if (!validate_redirect_uri (redirect_uri, error))
    return NULL;

  if (scopes == NULL || *scopes == '\0')
    scopes = AG_DEFAULT_SCOPES;
  scope_list = g_strsplit (scopes, " ", -1);
  if (!g_strv_contains ((const char * const *) scope_list, "openid"))
    {
      g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION,
                   _("The scopes must include “openid”"));
      return NULL;
    }
  for (const char *p = scopes; *p; p++)
    if (g_ascii_iscntrl (*p) || *p == '"' || *p == '\\')
      {
        g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION,
                     _("The scopes contain characters that are not allowed"));
        return NULL;
      }

  self = g_object_new (AG_TYPE_CONFIG, NULL);
  self->issuer = g_steal_pointer (&issuer);
  self->client_id = g_strdup (client_id);
  self->client_secret = (client_secret != NULL && *client_secret != '\0') ? g_strdup (client_secret) : NULL;
  self->redirect_uri = g_strdup (redirect_uri);
  self->post_logout_redirect_uri = post_logout_for (redirect_uri);
  self->scopes = g_strdup (scopes);
  return g_steal_pointer (&self);
}

AgConfig *
ag_config_with_client_secret (AgConfig   *self,
                              const char *client_secret)
{
  AgConfig *copy;

  g_return_val_if_fail (AG_IS_CONFIG (self), NULL);

  copy = g_object_new (AG_TYPE_CONFIG, NULL);
  copy->issuer = g_strdup (self->issuer);
  copy->client_id = g_strdup (self->client_id);
  copy->client_secret = (client_secret != NULL && *client_secret != '\0') ? g_strdup (client_secret) : NULL;
  copy->redirect_uri = g_strdup (self->redirect_uri);
  copy->post_logout_redirect_uri = g_strdup (self->post_logout_redirect_uri);
  copy->scopes = g_strdup (self->scopes);
  copy->overridden = g_strdupv (self->overridden);
  copy->dotenv_path = g_strdup (self->dotenv_path);
  return copy;
}

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
      g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION, _("The .env file is not a text file"));
      return NULL;
    }
  if (length > 0 && !g_utf8_validate (text, length, NULL))
    {
      g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION, _("The .env file is not valid UTF-8"));
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
          g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION,
                       _("Line %u of the .env file is not of the form NAME=value"), i + 1);
          ag_secure_strv_free (g_steal_pointer (&lines));
          return NULL;
        }
      *eq = '\0';
      key = g_strstrip (line);
      value = g_strstrip (eq + 1);

      if (*key == '\0' || !(g_ascii_isalpha (*key) || *key == '_'))
        {
          g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION,
                       _("Line %u of the .env file has no valid name"), i + 1);
          ag_secure_strv_free (g_steal_pointer (&lines));
          return NULL;
        }
      for (const char *p = key; *p; p++)
        if (!(g_ascii_isalnum (*p) || *p == '_'))
          {
            g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION,
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
              g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION,
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
                g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION,
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

/* Reads @path for ag_config_load(): a regular file, not through a symbolic
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
        g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION,
                     _("The .env file %s is a symbolic link, which is not read"), path);
      else
        g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION,
                     _("The .env file %s could not be opened: %s"), path, g_strerror (saved));
      return FALSE;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION, _("The .env file %s is not a regular file"), path);
      close (fd);
      return FALSE;
    }
  if (st.st_size > AG_DOTENV_MAX_SIZE)
    {
      g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION, _("The .env file %s is larger than %d KiB"),
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
      g_set_error (error, AG_ERROR, AG_ERROR_CONFIGURATION, _("The .env file %s could not be read"), path);
      return FALSE;
    }
  *contents = g_steal_pointer (&buffer);
  return TRUE;
}

AgConfig *
ag_config_load (GSettings   *settings,
                const char  *dotenv_path,
                GError     **error)
{
  g_autoptr(GHashTable) dotenv = NULL;
  g_autoptr(GPtrArray) overridden = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  char *values[G_N_ELEMENTS (sources)] = { NULL };
  gboolean used_dotenv = FALSE;
  AgConfig *self;

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

      if (env != NULL && *env != '\0')
        values[i] = g_strdup (env);
      else if (file != NULL && *file != '\0')
        values[i] = g_strdup (file);
      else if (settings != NULL && sources[i].settings_key != NULL)
        values[i] = g_settings_get_string (settings, sources[i].settings_key);

      if ((env != NULL && *env != '\0') || (file != NULL && *file != '\0'))
        g_ptr_array_add (overridden, g_strdup (sources[i].variable));
      if ((env == NULL || *env == '\0') && file != NULL && *file != '\0')
        used_dotenv = TRUE;
    }

  self = ag_config_new (values[0], values[1], values[2], values[3], values[4], error);
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    ag_secure_free (values[i]);
  if (self != NULL)
    {
      self->overridden = (GStrv) g_ptr_array_free (g_steal_pointer (&overridden), FALSE);
      self->dotenv_path = used_dotenv ? g_strdup (dotenv_path) : NULL;
    }
  return self;
}

const char *
ag_config_get_issuer (AgConfig *self)
{
  g_return_val_if_fail (AG_IS_CONFIG (self), NULL);
  return self->issuer;
}

const char *
ag_config_get_client_id (AgConfig *self)
{
  g_return_val_if_fail (AG_IS_CONFIG (self), NULL);
  return self->client_id;
}

const char *
ag_config_get_client_secret (AgConfig *self)
{
  g_return_val_if_fail (AG_IS_CONFIG (self), NULL);
  return self->client_secret;
}

const char *
ag_config_get_redirect_uri (AgConfig *self)
{
  g_return_val_if_fail (AG_IS_CONFIG (self), NULL);
  return self->redirect_uri;
}

const char *
ag_config_get_post_logout_redirect_uri (AgConfig *self)
{
  g_return_val_if_fail (AG_IS_CONFIG (self), NULL);
  return self->post_logout_redirect_uri;
}

const char *
ag_config_get_scopes (AgConfig *self)
{
  g_return_val_if_fail (AG_IS_CONFIG (self), NULL);
  return self->scopes;
}

const char *
ag_config_get_dotenv_path (AgConfig *self)
{
  g_return_val_if_fail (AG_IS_CONFIG (self), NULL);
  return self->dotenv_path;
}

gboolean
ag_config_is_overridden (AgConfig   *self,
                         const char *variable)
{
  g_return_val_if_fail (AG_IS_CONFIG (self), FALSE);
  return self->overridden != NULL && g_strv_contains ((const char * const *) self->overridden, variable);
}
