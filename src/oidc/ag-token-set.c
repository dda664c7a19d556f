/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AgTokenSet owns one token response and the profile read with it: the
 * tokens, their times, the claims shown, and its JSON (tokens hidden
 * unless asked). */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ag-error.h"
#include "ag-http.h"
#include "ag-secure.h"
#include "ag-token-set.h"

#define FORMAT_VERSION 1
#define REDACTED "•••••• (hidden)"

struct _AgTokenSet
{
  GObject parent_instance;

  char *access_token;
  char *refresh_token;
  char *id_token;
  char *issuer;
  char *client_id;
  gint64 issued_at;
  gint64 expires_at;
  JsonObject *response;
  JsonObject *id_claims;
  JsonObject *userinfo;
  JsonObject *claims;        /* both merged (ag_token_set_get_claims()); NULL until asked */
};

G_DEFINE_FINAL_TYPE (AgTokenSet, ag_token_set, G_TYPE_OBJECT)

static const char * const token_members[] = { "access_token", "refresh_token", "id_token", NULL };

static void
wipe_object_tokens (JsonObject *object)
{
  /* json-glib owns these strings; overwrite them in place before release. */
  for (guint i = 0; object != NULL && token_members[i]; i++)
    {
      const char *value = ag_json_get_string (object, token_members[i]);
      if (value != NULL)
        ag_secure_wipe ((char *) value, strlen (value));
    }
}

static void
ag_token_set_finalize (GObject *object)
{
  AgTokenSet *self = AG_TOKEN_SET (object);

  ag_secure_free (self->access_token);
  ag_secure_free (self->refresh_token);
  ag_secure_free (self->id_token);
  g_free (self->issuer);
  g_free (self->client_id);
  if (self->response != NULL)
    {
      wipe_object_tokens (self->response);
      json_object_unref (self->response);
    }
  g_clear_pointer (&self->id_claims, json_object_unref);
  g_clear_pointer (&self->userinfo, json_object_unref);
  g_clear_pointer (&self->claims, json_object_unref);

  G_OBJECT_CLASS (ag_token_set_parent_class)->finalize (object);
}

static void
ag_token_set_class_init (AgTokenSetClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ag_token_set_finalize;
}

static void
ag_token_set_init (AgTokenSet *self)
{
}

static JsonObject *
copy_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autoptr(JsonNode) copy = json_node_copy (node);

  return json_object_ref (json_node_get_object (copy));
}

AgTokenSet *
ag_token_set_new_from_response (JsonObject  *response,
                                const char  *issuer,
                                const char  *client_id,
                                gint64       now,
                                GError     **error)
{
  g_autoptr(AgTokenSet) self = NULL;
  const char *access_token = ag_json_get_string (response, "access_token");
  const char *token_type = ag_json_get_string (response, "token_type");
  const char *refresh_token = ag_json_get_string (response, "refresh_token");
  const char *id_token = ag_json_get_string (response, "id_token");
  gint64 expires_in = 3600;

  g_return_val_if_fail (response != NULL, NULL);

  if (access_token == NULL || *access_token == '\0')
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_RESPONSE, _("Authgear’s token response has no access token"));
      return NULL;
    }
  if (token_type == NULL || g_ascii_strcasecmp (token_type, "Bearer") != 0)
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_RESPONSE, _("Authgear’s token response is not of type Bearer"));
      return NULL;
    }
  if (json_object_has_member (response, "expires_in") &&
      (!ag_json_get_int (response, "expires_in", &expires_in) || expires_in < 0))
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_RESPONSE, _("Authgear’s token response has an invalid expiry"));
      return NULL;
    }
  expires_in = MIN (expires_in, (gint64) 366 * 24 * 3600);

  self = g_object_new (AG_TYPE_TOKEN_SET, NULL);
  self->access_token = g_strdup (access_token);
  self->refresh_token = (refresh_token && *refresh_token) ? g_strdup (refresh_token) : NULL;
  self->id_token = (id_token && *id_token) ? g_strdup (id_token) : NULL;
  self->issuer = g_strdup (issuer);
  self->client_id = g_strdup (client_id);
  self->issued_at = now;
  self->expires_at = now + expires_in;
  self->response = copy_object (response);
  return g_steal_pointer (&self);
}

char *
ag_token_set_serialize (AgTokenSet *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  g_return_val_if_fail (AG_IS_TOKEN_SET (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, FORMAT_VERSION);
  json_builder_set_member_name (builder, "issuer");
  json_builder_add_string_value (builder, self->issuer);
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, self->client_id);
  json_builder_set_member_name (builder, "issued_at");
  json_builder_add_int_value (builder, self->issued_at);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_int_value (builder, self->expires_at);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, self->access_token);
  if (self->refresh_token)
    {
      json_builder_set_member_name (builder, "refresh_token");
      json_builder_add_string_value (builder, self->refresh_token);
    }
  if (self->id_token)
    {
      json_builder_set_member_name (builder, "id_token");
      json_builder_add_string_value (builder, self->id_token);
    }
  json_builder_set_member_name (builder, "response");
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), self->response));
  if (self->id_claims)
    {
      json_builder_set_member_name (builder, "id_claims");
      json_builder_add_value (builder, json_node_init_object (json_node_alloc (), self->id_claims));
    }
  if (self->userinfo)
    {
      json_builder_set_member_name (builder, "userinfo");
      json_builder_add_value (builder, json_node_init_object (json_node_alloc (), self->userinfo));
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static JsonObject *
get_object (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return (node != NULL && JSON_NODE_HOLDS_OBJECT (node)) ? json_node_get_object (node) : NULL;
}

AgTokenSet *
ag_token_set_deserialize (const char  *text,
                          GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(AgTokenSet) self = NULL;
  JsonObject *response, *claims, *userinfo;
  gint64 version = 0;

  g_return_val_if_fail (text != NULL, NULL);

  bytes = g_bytes_new_static (text, strlen (text));
  object = ag_http_parse_json_object (bytes, "stored session", NULL);
  if (object == NULL || !ag_json_get_int (object, "version", &version) || version != FORMAT_VERSION ||
      (response = get_object (object, "response")) == NULL ||
      ag_json_get_string (object, "issuer") == NULL || ag_json_get_string (object, "client_id") == NULL ||
      ag_json_get_string (object, "access_token") == NULL)
    {
      wipe_object_tokens (object);
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_RESPONSE, _("The stored session is not valid"));
      return NULL;
    }

  self = g_object_new (AG_TYPE_TOKEN_SET, NULL);
  self->access_token = g_strdup (ag_json_get_string (object, "access_token"));
  self->refresh_token = g_strdup (ag_json_get_string (object, "refresh_token"));
  self->id_token = g_strdup (ag_json_get_string (object, "id_token"));
  self->issuer = g_strdup (ag_json_get_string (object, "issuer"));
  self->client_id = g_strdup (ag_json_get_string (object, "client_id"));
  if (!ag_json_get_int (object, "issued_at", &self->issued_at) || !ag_json_get_int (object, "expires_at", &self->expires_at))
    {
      wipe_object_tokens (object);
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_RESPONSE, _("The stored session is not valid"));
      return NULL;
    }
  self->response = copy_object (response);
  if ((claims = get_object (object, "id_claims")) != NULL)
    self->id_claims = copy_object (claims);
  if ((userinfo = get_object (object, "userinfo")) != NULL)
    self->userinfo = copy_object (userinfo);
  wipe_object_tokens (object);
  return g_steal_pointer (&self);
}

#define GETTER(type, name) \
  type ag_token_set_get_##name (AgTokenSet *self) \
  { \
    g_return_val_if_fail (AG_IS_TOKEN_SET (self), 0); \
    return self->name; \
  }

GETTER (const char *, access_token)
GETTER (const char *, refresh_token)
GETTER (const char *, id_token)
GETTER (const char *, issuer)
GETTER (const char *, client_id)
GETTER (gint64, expires_at)
GETTER (gint64, issued_at)
GETTER (JsonObject *, id_claims)
GETTER (JsonObject *, userinfo)
GETTER (JsonObject *, response)

const char *
ag_token_set_get_subject (AgTokenSet *self)
{
  g_return_val_if_fail (AG_IS_TOKEN_SET (self), NULL);
  return ag_json_get_string (self->id_claims, "sub");
}

void
ag_token_set_set_id_claims (AgTokenSet *self,
                            JsonObject *claims)
{
  g_return_if_fail (AG_IS_TOKEN_SET (self));
  g_clear_pointer (&self->id_claims, json_object_unref);
  self->id_claims = claims ? copy_object (claims) : NULL;
  g_clear_pointer (&self->claims, json_object_unref);
}

void
ag_token_set_take_id_token (AgTokenSet *self,
                            AgTokenSet *from)
{
  g_return_if_fail (AG_IS_TOKEN_SET (self));
  g_return_if_fail (AG_IS_TOKEN_SET (from));

  if (from->id_token == NULL)
    return;
  ag_secure_free (self->id_token);
  self->id_token = g_strdup (from->id_token);
  if (self->response != NULL)
    json_object_set_string_member (self->response, "id_token", from->id_token);
  ag_token_set_set_id_claims (self, from->id_claims);
}

void
ag_token_set_set_userinfo (AgTokenSet *self,
                           JsonObject *userinfo)
{
  g_return_if_fail (AG_IS_TOKEN_SET (self));
  g_clear_pointer (&self->userinfo, json_object_unref);
  g_clear_pointer (&self->claims, json_object_unref);
  self->userinfo = userinfo ? copy_object (userinfo) : NULL;
}

void
ag_token_set_inherit (AgTokenSet *self,
                      AgTokenSet *previous)
{
  g_return_if_fail (AG_IS_TOKEN_SET (self));
  g_return_if_fail (AG_IS_TOKEN_SET (previous));

  if (self->refresh_token == NULL && previous->refresh_token != NULL)
    self->refresh_token = g_strdup (previous->refresh_token);
  if (self->id_token == NULL && previous->id_token != NULL)
    self->id_token = g_strdup (previous->id_token);
  if (self->id_claims == NULL && previous->id_claims != NULL)
    self->id_claims = json_object_ref (previous->id_claims);
  if (self->userinfo == NULL && previous->userinfo != NULL)
    self->userinfo = json_object_ref (previous->userinfo);
  g_clear_pointer (&self->claims, json_object_unref);
  ag_token_set_ensure_scope (self, ag_token_set_get_scope (previous));
}

const char *
ag_token_set_get_scope (AgTokenSet *self)
{
  g_return_val_if_fail (AG_IS_TOKEN_SET (self), NULL);
  return self->response ? json_object_get_string_member_with_default (self->response, "scope", NULL) : NULL;
}

gboolean
ag_token_set_has_scope (AgTokenSet *self,
                        const char *scope)
{
  g_auto(GStrv) scopes = NULL;

  g_return_val_if_fail (AG_IS_TOKEN_SET (self), FALSE);
  if (ag_token_set_get_scope (self) == NULL)
    return FALSE;
  scopes = g_strsplit (ag_token_set_get_scope (self), " ", -1);
  return g_strv_contains ((const char * const *) scopes, scope);
}

void
ag_token_set_ensure_scope (AgTokenSet *self,
                           const char *scopes)
{
  g_return_if_fail (AG_IS_TOKEN_SET (self));
  if (self->response != NULL && scopes != NULL && ag_token_set_get_scope (self) == NULL)
    json_object_set_string_member (self->response, "scope", scopes);
}

gint64
ag_token_set_get_refresh_at (AgTokenSet *self)
{
  g_return_val_if_fail (AG_IS_TOKEN_SET (self), 0);
  return self->issued_at + (self->expires_at - self->issued_at) * 9 / 10;
}

gboolean
ag_token_set_is_fresh (AgTokenSet *self,
                       gint64      now)
{
  g_return_val_if_fail (AG_IS_TOKEN_SET (self), FALSE);
  return now < ag_token_set_get_refresh_at (self) && now >= self->issued_at - 300;
}

gint64
ag_token_set_get_auth_time (AgTokenSet *self)
{
  gint64 auth_time = 0;

  g_return_val_if_fail (AG_IS_TOKEN_SET (self), 0);
  if (self->id_claims == NULL || !ag_json_get_int (self->id_claims, "auth_time", &auth_time) || auth_time < 0)
    return 0;
  return auth_time;
}

gint64
ag_reauthentication_max_age (void)
{
  const char *env = g_getenv ("AG_REAUTHENTICATE_AFTER_SECONDS");
  guint64 max_age = AG_REAUTHENTICATION_MAX_AGE;

  if (env != NULL)
    g_ascii_string_to_unsigned (env, 10, 0, AG_REAUTHENTICATION_MAX_AGE, &max_age, NULL);
  return (gint64) max_age;
}

gboolean
ag_token_set_authenticated_within (AgTokenSet *self,
                                   gint64      max_age)
{
  gint64 auth_time;

  g_return_val_if_fail (AG_IS_TOKEN_SET (self), FALSE);
  auth_time = ag_token_set_get_auth_time (self);
  return auth_time > 0 && auth_time > g_get_real_time () / G_USEC_PER_SEC - max_age;
}

const char *
ag_token_set_get_display_name (AgTokenSet *self)
{
  return ag_claims_get_display_name (ag_token_set_get_claims (self));
}

JsonObject *
ag_token_set_get_claims (AgTokenSet *self)
{
  g_return_val_if_fail (AG_IS_TOKEN_SET (self), NULL);
  if (self->claims == NULL)
    self->claims = ag_token_set_dup_claims (self);
  return self->claims;
}

JsonObject *
ag_token_set_dup_claims (AgTokenSet *self)
{
  static const char * const person[] = {
    "sub", "email", "email_verified", "name", "preferred_username",
    "https://authgear.com/claims/user/is_anonymous",
    "https://authgear.com/claims/user/is_verified",
    "https://authgear.com/claims/user/can_reauthenticate",
  };
  JsonObject *claims = json_object_new ();

  g_return_val_if_fail (AG_IS_TOKEN_SET (self), NULL);

  if (self->userinfo != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (self->userinfo);

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (claims, l->data, json_node_copy (json_object_get_member (self->userinfo, l->data)));
    }
  for (guint i = 0; self->id_claims != NULL && i < G_N_ELEMENTS (person); i++)
    {
      JsonNode *have = json_object_get_member (claims, person[i]);
      const char *text = ag_json_get_string (claims, person[i]);

      if ((have == NULL || (text != NULL && *text == '\0')) && json_object_has_member (self->id_claims, person[i]))
        json_object_set_member (claims, person[i], json_node_copy (json_object_get_member (self->id_claims, person[i])));
    }
  return claims;
}

const char *
ag_claims_get_display_name (JsonObject *claims)
{
  static const char * const order[] = { "name", "preferred_username", "email", "sub" };

  for (guint i = 0; claims != NULL && i < G_N_ELEMENTS (order); i++)
    {
      const char *value = ag_json_get_string (claims, order[i]);

      if (value != NULL && *value != '\0')
        return value;
    }
  return NULL;
}

static char *
pretty (JsonObject *object)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

char *
ag_token_set_dup_response_json (AgTokenSet *self,
                                gboolean    reveal)
{
  g_autoptr(JsonObject) copy = NULL;

  g_return_val_if_fail (AG_IS_TOKEN_SET (self), NULL);

  if (reveal)
    return pretty (self->response);

  copy = json_object_new ();
  {
    g_autoptr(GList) members = json_object_get_members (self->response);

    for (GList *l = members; l; l = l->next)
      {
        const char *name = l->data;

        if (g_strv_contains (token_members, name))
          json_object_set_string_member (copy, name, REDACTED);
        else
          json_object_set_member (copy, name, json_node_copy (json_object_get_member (self->response, name)));
      }
  }
  return pretty (copy);
}

