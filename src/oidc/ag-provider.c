/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AgProvider owns what Authgear says of itself: discovery and the JWKS,
 * fetched, checked and cached on disk (public data only). */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ag-config.h"
#include "ag-error.h"
#include "ag-http.h"
#include "ag-provider.h"

struct _AgProvider
{
  GObject parent_instance;

  SoupSession *session;
  char *issuer;
  char *cache_dir;

  gboolean discovered;
  char *authorization_endpoint;
  char *token_endpoint;
  char *userinfo_endpoint;
  char *revocation_endpoint;
  char *end_session_endpoint;
  char *jwks_uri;
  GStrv signing_algs;
  gboolean iss_parameter_supported;
  gboolean client_secret_basic_supported;

  /* When each was fetched from the network (monotonic, µs); one read from
   * the disk cache keeps its file's age, so that it is not trusted for a
   * whole lifetime more, nor taken as fresh by a check that failed. */
  gint64 discovery_fetched;
  GPtrArray *rediscover_waiters;   /* one fetch for every caller at once */
  AgJwks *jwks;
  gint64 jwks_fetched;
};

G_DEFINE_FINAL_TYPE (AgProvider, ag_provider, G_TYPE_OBJECT)

static void
clear_metadata (AgProvider *self)
{
  self->discovered = FALSE;
  g_clear_pointer (&self->authorization_endpoint, g_free);
  g_clear_pointer (&self->token_endpoint, g_free);
  g_clear_pointer (&self->userinfo_endpoint, g_free);
  g_clear_pointer (&self->revocation_endpoint, g_free);
  g_clear_pointer (&self->end_session_endpoint, g_free);
  g_clear_pointer (&self->jwks_uri, g_free);
  g_clear_pointer (&self->signing_algs, g_strfreev);
}

static void
ag_provider_finalize (GObject *object)
{
  AgProvider *self = AG_PROVIDER (object);

  clear_metadata (self);
  g_clear_object (&self->session);
  g_free (self->issuer);
  g_free (self->cache_dir);
  g_clear_pointer (&self->jwks, ag_jwks_unref);

  G_OBJECT_CLASS (ag_provider_parent_class)->finalize (object);
}

static void
ag_provider_class_init (AgProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ag_provider_finalize;
}

static void
ag_provider_init (AgProvider *self)
{
}

AgProvider *
ag_provider_new (SoupSession *session,
                 const char  *issuer,
                 const char  *cache_dir)
{
  AgProvider *self;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (issuer != NULL, NULL);

  self = g_object_new (AG_TYPE_PROVIDER, NULL);
  self->session = g_object_ref (session);
  self->issuer = g_strdup (issuer);
  if (cache_dir != NULL)
    {
      /* One folder per issuer, named by its hash: the issuer is a URL. */
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, issuer, -1);
      self->cache_dir = g_build_filename (cache_dir, hash, NULL);
    }
  return self;
}

static gboolean
take_endpoint (JsonObject  *object,
               const char  *name,
               gboolean     required,
               char       **out,
               GError     **error)
{
  const char *value = ag_json_get_string (object, name);

  if (value == NULL || *value == '\0')
    {
      if (required)
        {
          g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_DISCOVERY,
                       _("The provider’s configuration has no %s"), name);
          return FALSE;
        }
      return TRUE;
    }
  if (!ag_url_is_secure (value))
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_DISCOVERY,
                   _("The provider’s %s is not an https:// address"), name);
      return FALSE;
    }
  *out = g_strdup (value);
  return TRUE;
}

/* The strings of the array member @name (at most 32), or %NULL without one. */
static GStrv
string_list (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autoptr(GPtrArray) list = NULL;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  list = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  for (guint i = 0; i < json_array_get_length (array) && i < 32; i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING)
        g_ptr_array_add (list, g_strdup (json_node_get_string (e)));
    }
  return (GStrv) g_ptr_array_free (g_steal_pointer (&list), FALSE);
}

gboolean
ag_provider_parse_metadata (AgProvider  *self,
                            const char  *json,
                            gsize        length,
                            GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) auth_methods = NULL;

  g_return_val_if_fail (AG_IS_PROVIDER (self), FALSE);

  clear_metadata (self);
  bytes = g_bytes_new (json, length);
  object = ag_http_parse_json_object (bytes, _("configuration document"), &local_error);
  if (object == NULL)
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_DISCOVERY, "%s", local_error->message);
      return FALSE;
    }

  if (g_strcmp0 (ag_json_get_string (object, "issuer"), self->issuer) != 0)
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_ISSUER_MISMATCH,
                   _("The provider says its issuer is not %s: check the endpoint"), self->issuer);
      return FALSE;
    }

  if (!take_endpoint (object, "authorization_endpoint", TRUE, &self->authorization_endpoint, error) ||
      !take_endpoint (object, "token_endpoint", TRUE, &self->token_endpoint, error) ||
      !take_endpoint (object, "jwks_uri", TRUE, &self->jwks_uri, error) ||
      !take_endpoint (object, "userinfo_endpoint", FALSE, &self->userinfo_endpoint, error) ||
      !take_endpoint (object, "revocation_endpoint", FALSE, &self->revocation_endpoint, error) ||
      !take_endpoint (object, "end_session_endpoint", FALSE, &self->end_session_endpoint, error))
    {
      clear_metadata (self);
      return FALSE;
    }

  self->signing_algs = string_list (object, "id_token_signing_alg_values_supported");
  if (self->signing_algs == NULL)
    self->signing_algs = g_strdupv ((char *[]) { (char *) "RS256", NULL });

  /* RFC 8414: without the list, client_secret_basic is the default. Authgear
   * before release 2026-07-30.0 lists only none and client_secret_post. */
  auth_methods = string_list (object, "token_endpoint_auth_methods_supported");
  self->client_secret_basic_supported =
    auth_methods == NULL || g_strv_contains ((const char * const *) auth_methods, "client_secret_basic");

  self->iss_parameter_supported =
    json_object_get_boolean_member_with_default (object, "authorization_response_iss_parameter_supported", FALSE);
  self->discovered = TRUE;
  return TRUE;
}

/* The monotonic time (µs) at which something fetched at @real_seconds
 * (wall clock, a file's mtime) was fetched. */
static gint64
monotonic_of (gint64 real_seconds)
{
  return g_get_monotonic_time () - (g_get_real_time () - real_seconds * G_USEC_PER_SEC);
}

/* Disk cache: public documents only, with their fetch time as mtime. */
static char *
cache_path (AgProvider *self,
            const char *name)
{
  return self->cache_dir ? g_build_filename (self->cache_dir, name, NULL) : NULL;
}

static GBytes *
cache_read (AgProvider *self,
            const char *name,
            gint64     *fetched)
{
  g_autofree char *path = cache_path (self, name);
  g_autofree char *contents = NULL;
  GStatBuf st;
  gsize len;

  if (path == NULL || g_stat (path, &st) != 0)
    return NULL;
  if (g_get_real_time () / G_USEC_PER_SEC - st.st_mtime > AG_PROVIDER_CACHE_LIFETIME ||
      st.st_mtime > g_get_real_time () / G_USEC_PER_SEC + 60)
    return NULL;
  if (!g_file_get_contents (path, &contents, &len, NULL))
    return NULL;
  *fetched = MIN (monotonic_of (st.st_mtime), g_get_monotonic_time ());
  return g_bytes_new_take (g_steal_pointer (&contents), len);
}

static void
cache_write (AgProvider *self,
             const char *name,
             GBytes     *bytes)
{
  g_autofree char *path = cache_path (self, name);
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  if (path == NULL)
    return;
  if (g_mkdir_with_parents (self->cache_dir, 0700) != 0 ||
      !g_file_set_contents_full (path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_debug ("Could not cache %s: %s", name, error ? error->message : g_strerror (errno));
}

static void
discovery_fetched (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AgProvider *self = g_task_get_source_object (task);
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  gsize len;
  const char *data;

  body = ag_http_send_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL)
    {
      if (ag_error_is_cancelled (error) ||
          (error->domain == AUTHGEAR_ERROR && (error->code == AUTHGEAR_ERROR_NETWORK || error->code == AUTHGEAR_ERROR_TIMEOUT)))
        g_task_return_error (task, error);
      else
        {
          g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_DISCOVERY, "%s", error->message);
          g_error_free (error);
        }
      return;
    }
  if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    {
      g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_DISCOVERY,
                               _("The provider’s configuration could not be read (HTTP %u): check the endpoint"),
                               soup_message_get_status (msg));
      return;
    }
  data = g_bytes_get_data (body, &len);
  if (!ag_provider_parse_metadata (self, data, len, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  self->discovery_fetched = g_get_monotonic_time ();
  cache_write (self, "openid-configuration.json", body);
  g_task_return_boolean (task, TRUE);
}

static void
discover_from_network (AgProvider *self,
                       GTask      *task)
{
  g_autofree char *url = g_strconcat (self->issuer, "/.well-known/openid-configuration", NULL);
  SoupMessage *msg = soup_message_new (SOUP_METHOD_GET, url);

  if (msg == NULL)
    {
      g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION, _("The endpoint is not a valid address"));
      g_object_unref (task);
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  g_task_set_task_data (task, msg, g_object_unref);
  ag_http_send_async (self->session, msg, g_task_get_cancellable (task), discovery_fetched, task);
}

void
ag_provider_discover_async (AgProvider          *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) cached = NULL;
  gint64 fetched = 0;

  g_return_if_fail (AG_IS_PROVIDER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_provider_discover_async);

  if (self->discovered)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  cached = cache_read (self, "openid-configuration.json", &fetched);
  if (cached != NULL)
    {
      gsize len;
      const char *data = g_bytes_get_data (cached, &len);

      if (ag_provider_parse_metadata (self, data, len, NULL))
        {
          g_debug ("Discovery from cache");
          self->discovery_fetched = fetched;
          g_task_return_boolean (task, TRUE);
          return;
        }
    }
  discover_from_network (self, g_steal_pointer (&task));
}

static void
rediscovered (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  AgProvider *self = AG_PROVIDER (object);
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->rediscover_waiters);
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

void
ag_provider_rediscover_async (AgProvider          *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (AG_IS_PROVIDER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_provider_discover_async);
  if (self->rediscover_waiters != NULL)
    {
      g_ptr_array_add (self->rediscover_waiters, task);
      return;
    }
  g_debug ("Discovery again, past the caches");
  self->rediscover_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->rediscover_waiters, task);
  /* The fetch is the provider's, so that one caller's cancel does not
   * fail the others (they still see their own when it returns). */
  discover_from_network (self, g_task_new (self, NULL, rediscovered, NULL));
}

gint64
ag_provider_get_discovery_fetched (AgProvider *self)
{
  g_return_val_if_fail (AG_IS_PROVIDER (self), 0);
  return self->discovery_fetched;
}

gboolean
ag_provider_discover_finish (AgProvider    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  SoupMessage *msg;
  gint64 began;            /* monotonic, µs */
  gboolean rediscovered;   /* the discovery document fetched again once */
} JwksOp;

static void
jwks_op_free (JwksOp *op)
{
  g_clear_object (&op->msg);
  g_free (op);
}

/* Keys for verification, and when they were fetched (monotonic, µs). */
typedef struct
{
  AgJwks *jwks;
  gint64 fetched;
} JwksResult;

static void
jwks_result_free (JwksResult *r)
{
  g_clear_pointer (&r->jwks, ag_jwks_unref);
  g_free (r);
}

static void
return_jwks (GTask  *task,
             AgJwks *jwks,
             gint64  fetched)
{
  JwksResult *r = g_new0 (JwksResult, 1);

  r->jwks = ag_jwks_ref (jwks);
  r->fetched = fetched;
  g_task_return_pointer (task, r, (GDestroyNotify) jwks_result_free);
}

static void fetch_jwks (GTask *task);

static void
jwks_rediscovered (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!ag_provider_discover_finish (AG_PROVIDER (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  fetch_jwks (g_steal_pointer (&task));
}

static void
jwks_fetched (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AgProvider *self = g_task_get_source_object (task);
  JwksOp *op = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(AgJwks) jwks = NULL;
  GError *error = NULL;
  gsize len;
  const char *data;

  body = ag_http_send_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL)
    {
      g_prefix_error (&error, "%s", _("The provider’s signing keys could not be fetched: "));
      g_task_return_error (task, error);
      return;
    }
  if (soup_message_get_status (op->msg) == SOUP_STATUS_NOT_FOUND && !op->rediscovered)
    {
      g_autofree char *asked = g_uri_to_string (soup_message_get_uri (op->msg));

      op->rediscovered = TRUE;
      /* Another caller read discovery again meanwhile: its jwks_uri. */
      if (g_strcmp0 (asked, self->jwks_uri) != 0)
        {
          fetch_jwks (g_steal_pointer (&task));
          return;
        }
      /* The discovery document came from a cache, and may name a jwks_uri
       * the provider no longer has: read it once more, then the keys. */
      if (self->discovery_fetched < op->began)
        {
          GCancellable *cancellable = g_task_get_cancellable (task);   /* read before the task is handed on */

          ag_provider_rediscover_async (self, cancellable, jwks_rediscovered, g_steal_pointer (&task));
          return;
        }
    }
  if (soup_message_get_status (op->msg) != SOUP_STATUS_OK)
    {
      g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_DISCOVERY,
                               _("The provider’s signing keys could not be fetched (HTTP %u)"),
                               soup_message_get_status (op->msg));
      return;
    }
  data = g_bytes_get_data (body, &len);
  jwks = ag_jwks_parse (data, len, &error);
  if (jwks == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_clear_pointer (&self->jwks, ag_jwks_unref);
  self->jwks = ag_jwks_ref (jwks);
  self->jwks_fetched = g_get_monotonic_time ();
  cache_write (self, "jwks.json", body);
  return_jwks (task, jwks, self->jwks_fetched);
}

static void
fetch_jwks (GTask *task)
{
  AgProvider *self = g_task_get_source_object (task);
  JwksOp *op = g_task_get_task_data (task);

  g_clear_object (&op->msg);
  op->msg = soup_message_new (SOUP_METHOD_GET, self->jwks_uri);
  ag_http_send_async (self->session, op->msg, g_task_get_cancellable (task), jwks_fetched, task);
}

void
ag_provider_get_jwks_async (AgProvider          *self,
                            gboolean             refresh,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  JwksOp *op;

  g_return_if_fail (AG_IS_PROVIDER (self));
  g_return_if_fail (self->discovered);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_provider_get_jwks_async);
  op = g_new0 (JwksOp, 1);
  op->began = g_get_monotonic_time ();
  g_task_set_task_data (task, op, (GDestroyNotify) jwks_op_free);

  if (!refresh && self->jwks != NULL &&
      g_get_monotonic_time () - self->jwks_fetched < (gint64) AG_PROVIDER_CACHE_LIFETIME * G_USEC_PER_SEC)
    {
      return_jwks (task, self->jwks, self->jwks_fetched);
      return;
    }
  if (!refresh && self->jwks == NULL)
    {
      gint64 fetched = 0;
      g_autoptr(GBytes) cached = cache_read (self, "jwks.json", &fetched);

      if (cached != NULL)
        {
          gsize len;
          const char *data = g_bytes_get_data (cached, &len);
          g_autoptr(AgJwks) jwks = ag_jwks_parse (data, len, NULL);

          if (jwks != NULL)
            {
              g_debug ("Key set from cache");
              self->jwks = ag_jwks_ref (jwks);
              self->jwks_fetched = fetched;
              return_jwks (task, jwks, fetched);
              return;
            }
        }
    }
  fetch_jwks (g_steal_pointer (&task));
}

AgJwks *
ag_provider_get_jwks_finish (AgProvider    *self,
                             GAsyncResult  *result,
                             gint64        *fetched,
                             GError       **error)
{
  JwksResult *r;
  AgJwks *jwks;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  r = g_task_propagate_pointer (G_TASK (result), error);
  if (r == NULL)
    return NULL;
  if (fetched != NULL)
    *fetched = r->fetched;
  jwks = g_steal_pointer (&r->jwks);
  jwks_result_free (r);
  return jwks;
}

gboolean
ag_provider_is_discovered (AgProvider *self)
{
  g_return_val_if_fail (AG_IS_PROVIDER (self), FALSE);
  return self->discovered;
}

#define GETTER(type, name, field) \
  type ag_provider_get_##name (AgProvider *self) \
  { \
    g_return_val_if_fail (AG_IS_PROVIDER (self), 0); \
    return self->field; \
  }

GETTER (const char *, issuer, issuer)
GETTER (const char *, authorization_endpoint, authorization_endpoint)
GETTER (const char *, token_endpoint, token_endpoint)
GETTER (const char *, userinfo_endpoint, userinfo_endpoint)
GETTER (const char *, revocation_endpoint, revocation_endpoint)
GETTER (const char *, end_session_endpoint, end_session_endpoint)
GETTER (gboolean, iss_parameter_supported, iss_parameter_supported)
GETTER (gboolean, client_secret_basic_supported, client_secret_basic_supported)
GETTER (SoupSession *, session, session)

const char * const *
ag_provider_get_signing_algs (AgProvider *self)
{
  g_return_val_if_fail (AG_IS_PROVIDER (self), NULL);
  return (const char * const *) self->signing_algs;
}
