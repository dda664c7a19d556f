/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AuthgearUserInfo: who is signed in, as Authgear's SDKs describe a user. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <json-glib/json-glib.h>

#include "ag-token-set.h"
#include "authgear-user-info-private.h"

/**
 * AuthgearUserInfo:
 *
 * The signed-in person, as Authgear's user info endpoint describes them,
 * with Authgear's own claims (`https://authgear.com/claims/user/…`) taken
 * from the ID token when the user info leaves them out.
 *
 * Every claim is also available as JSON from authgear_user_info_to_json().
 */
struct _AuthgearUserInfo
{
  GObject parent_instance;

  JsonObject *claims;
};

enum
{
  PROP_0,
  PROP_SUB,
  PROP_EMAIL,
  PROP_EMAIL_VERIFIED,
  PROP_NAME,
  PROP_PREFERRED_USERNAME,
  PROP_IS_ANONYMOUS,
  PROP_IS_VERIFIED,
  PROP_CAN_REAUTHENTICATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AuthgearUserInfo, authgear_user_info, G_TYPE_OBJECT)

#define AUTHGEAR_CLAIM(name) "https://authgear.com/claims/user/" name

static const char *
string_claim (AuthgearUserInfo *self,
              const char       *name)
{
  JsonNode *node = json_object_get_member (self->claims, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
boolean_claim (AuthgearUserInfo *self,
               const char       *name)
{
  JsonNode *node = json_object_get_member (self->claims, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static void
authgear_user_info_finalize (GObject *object)
{
  AuthgearUserInfo *self = AUTHGEAR_USER_INFO (object);

  g_clear_pointer (&self->claims, json_object_unref);
  G_OBJECT_CLASS (authgear_user_info_parent_class)->finalize (object);
}

static void
authgear_user_info_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  AuthgearUserInfo *self = AUTHGEAR_USER_INFO (object);

  switch (prop_id)
    {
    case PROP_SUB:
      g_value_set_string (value, authgear_user_info_get_sub (self));
      break;
    case PROP_EMAIL:
      g_value_set_string (value, authgear_user_info_get_email (self));
      break;
    case PROP_EMAIL_VERIFIED:
      g_value_set_boolean (value, authgear_user_info_get_email_verified (self));
      break;
    case PROP_NAME:
      g_value_set_string (value, authgear_user_info_get_name (self));
      break;
    case PROP_PREFERRED_USERNAME:
      g_value_set_string (value, authgear_user_info_get_preferred_username (self));
      break;
    case PROP_IS_ANONYMOUS:
      g_value_set_boolean (value, authgear_user_info_get_is_anonymous (self));
      break;
    case PROP_IS_VERIFIED:
      g_value_set_boolean (value, authgear_user_info_get_is_verified (self));
      break;
    case PROP_CAN_REAUTHENTICATE:
      g_value_set_boolean (value, authgear_user_info_get_can_reauthenticate (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
authgear_user_info_class_init (AuthgearUserInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = authgear_user_info_finalize;
  object_class->get_property = authgear_user_info_get_property;

  /**
   * AuthgearUserInfo:sub:
   *
   * The user's ID at Authgear (the `sub` claim).
   */
  properties[PROP_SUB] = g_param_spec_string ("sub", NULL, NULL, NULL, flags);
  /**
   * AuthgearUserInfo:email:
   *
   * The email address, if the user has one.
   */
  properties[PROP_EMAIL] = g_param_spec_string ("email", NULL, NULL, NULL, flags);
  /**
   * AuthgearUserInfo:email-verified:
   *
   * Whether Authgear has verified the email address.
   */
  properties[PROP_EMAIL_VERIFIED] = g_param_spec_boolean ("email-verified", NULL, NULL, FALSE, flags);
  /**
   * AuthgearUserInfo:name:
   *
   * The name the user set, if any: an email and one-time-code user has none.
   */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  /**
   * AuthgearUserInfo:preferred-username:
   *
   * The username, if the project uses usernames.
   */
  properties[PROP_PREFERRED_USERNAME] = g_param_spec_string ("preferred-username", NULL, NULL, NULL, flags);
  /**
   * AuthgearUserInfo:is-anonymous:
   *
   * Whether this is an anonymous user.
   */
  properties[PROP_IS_ANONYMOUS] = g_param_spec_boolean ("is-anonymous", NULL, NULL, FALSE, flags);
  /**
   * AuthgearUserInfo:is-verified:
   *
   * Whether the user has verified at least one identity.
   */
  properties[PROP_IS_VERIFIED] = g_param_spec_boolean ("is-verified", NULL, NULL, FALSE, flags);
  /**
   * AuthgearUserInfo:can-reauthenticate:
   *
   * Whether authgear_client_reauthenticate_async() can ask this user again.
   */
  properties[PROP_CAN_REAUTHENTICATE] = g_param_spec_boolean ("can-reauthenticate", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
authgear_user_info_init (AuthgearUserInfo *self)
{
  self->claims = json_object_new ();
}

AuthgearUserInfo *
_authgear_user_info_new (JsonObject *claims)
{
  AuthgearUserInfo *self = g_object_new (AUTHGEAR_TYPE_USER_INFO, NULL);
  g_autoptr(GList) members = claims ? json_object_get_members (claims) : NULL;

  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (self->claims, l->data, json_node_copy (json_object_get_member (claims, l->data)));
  return self;
}

/**
 * authgear_user_info_new_from_json:
 * @json: a JSON object of claims, as Authgear's user info endpoint answers
 * @error: return location for a #GError
 *
 * Reads user info from JSON, such as what authgear_user_info_to_json()
 * gave earlier.
 *
 * Returns: (transfer full): the user info, or %NULL with
 *   %AUTHGEAR_ERROR_INVALID_RESPONSE when @json is not a JSON object with a
 *   string `sub`
 */
AuthgearUserInfo *
authgear_user_info_new_from_json (const char  *json,
                                  GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  AuthgearUserInfo *self;
  JsonNode *root;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* json-glib is the library's own business: its errors are said in the
   * library's domain. */
  if (!json_parser_load_from_data (parser, json, -1, &parse_error))
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_RESPONSE,
                   _("User info is not valid JSON: %s"), parse_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_RESPONSE,
                           _("User info is not a JSON object"));
      return NULL;
    }
  self = _authgear_user_info_new (json_node_get_object (root));
  if (authgear_user_info_get_sub (self) == NULL)
    {
      g_set_error_literal (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_RESPONSE,
                           _("User info has no subject (sub)"));
      g_object_unref (self);
      return NULL;
    }
  return self;
}

/**
 * authgear_user_info_get_sub:
 * @self: a #AuthgearUserInfo
 *
 * Returns: (nullable): the user's ID at Authgear
 */
const char *
authgear_user_info_get_sub (AuthgearUserInfo *self)
{
  g_return_val_if_fail (AUTHGEAR_IS_USER_INFO (self), NULL);
  return string_claim (self, "sub");
}

/**
 * authgear_user_info_get_email:
 * @self: a #AuthgearUserInfo
 *
 * Returns: (nullable): the email address
 */
const char *
authgear_user_info_get_email (AuthgearUserInfo *self)
{
  g_return_val_if_fail (AUTHGEAR_IS_USER_INFO (self), NULL);
  return string_claim (self, "email");
}

/**
 * authgear_user_info_get_email_verified:
 * @self: a #AuthgearUserInfo
 *
 * Returns: whether Authgear has verified the email address
 */
gboolean
authgear_user_info_get_email_verified (AuthgearUserInfo *self)
{
  g_return_val_if_fail (AUTHGEAR_IS_USER_INFO (self), FALSE);
  return boolean_claim (self, "email_verified");
}

/**
 * authgear_user_info_get_name:
 * @self: a #AuthgearUserInfo
 *
 * Returns: (nullable): the name the user set
 */
const char *
authgear_user_info_get_name (AuthgearUserInfo *self)
{
  g_return_val_if_fail (AUTHGEAR_IS_USER_INFO (self), NULL);
  return string_claim (self, "name");
}

/**
 * authgear_user_info_get_preferred_username:
 * @self: a #AuthgearUserInfo
 *
 * Returns: (nullable): the username
 */
const char *
authgear_user_info_get_preferred_username (AuthgearUserInfo *self)
{
  g_return_val_if_fail (AUTHGEAR_IS_USER_INFO (self), NULL);
  return string_claim (self, "preferred_username");
}

/**
 * authgear_user_info_get_is_anonymous:
 * @self: a #AuthgearUserInfo
 *
 * Returns: whether this is an anonymous user
 */
gboolean
authgear_user_info_get_is_anonymous (AuthgearUserInfo *self)
{
  g_return_val_if_fail (AUTHGEAR_IS_USER_INFO (self), FALSE);
  return boolean_claim (self, AUTHGEAR_CLAIM ("is_anonymous"));
}

/**
 * authgear_user_info_get_is_verified:
 * @self: a #AuthgearUserInfo
 *
 * Returns: whether the user has verified at least one identity
 */
gboolean
authgear_user_info_get_is_verified (AuthgearUserInfo *self)
{
  g_return_val_if_fail (AUTHGEAR_IS_USER_INFO (self), FALSE);
  return boolean_claim (self, AUTHGEAR_CLAIM ("is_verified"));
}

/**
 * authgear_user_info_get_can_reauthenticate:
 * @self: a #AuthgearUserInfo
 *
 * Returns: whether Authgear can ask this user to sign in again
 */
gboolean
authgear_user_info_get_can_reauthenticate (AuthgearUserInfo *self)
{
  g_return_val_if_fail (AUTHGEAR_IS_USER_INFO (self), FALSE);
  return boolean_claim (self, AUTHGEAR_CLAIM ("can_reauthenticate"));
}

/**
 * authgear_user_info_get_display_name:
 * @self: a #AuthgearUserInfo
 *
 * The name to greet the user with: the name, else the username, else the
 * email address, else the ID. This is what the Flask guide's
 * "Welcome {name}!" shows.
 *
 * Returns: (transfer full) (nullable): the name to show
 */
char *
authgear_user_info_get_display_name (AuthgearUserInfo *self)
{
  g_return_val_if_fail (AUTHGEAR_IS_USER_INFO (self), NULL);
  return g_strdup (ag_claims_get_display_name (self->claims));
}

/**
 * authgear_user_info_to_json:
 * @self: a #AuthgearUserInfo
 *
 * Every claim, as pretty-printed JSON.
 *
 * Returns: (transfer full): a JSON object
 */
char *
authgear_user_info_to_json (AuthgearUserInfo *self)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (AUTHGEAR_IS_USER_INFO (self), NULL);

  node = json_node_init_object (json_node_alloc (), self->claims);
  return json_to_string (node, TRUE);
}
