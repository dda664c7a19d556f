/* SPDX-License-Identifier: GPL-3.0-or-later */
/* JWT and JWKS: parsing, RS256/ES256 signature checks, and the ID
 * token's claims (iss, aud, exp, nonce…). */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <string.h>

#include "ag-error.h"
#include "ag-http.h"
#include "ag-jwt.h"
#include "ag-secure.h"

#define MAX_JWT_LENGTH (64 * 1024)
#define MAX_JWKS_KEYS 32

typedef struct
{
  char *kid;
  char *alg;          /* may be NULL */
  gboolean is_ec;
  gnutls_pubkey_t key;
} Jwk;

struct _AgJwks
{
  gatomicrefcount ref_count;
  GPtrArray *keys;
};

struct _AgJwt
{
  JsonObject *header;
  JsonObject *claims;
  char *signing_input;
  guint8 *signature;
  gsize signature_len;
};

static void
jwk_free (Jwk *jwk)
{
  g_free (jwk->kid);
  g_free (jwk->alg);
  if (jwk->key != NULL)
    gnutls_pubkey_deinit (jwk->key);
  g_free (jwk);
}

static GBytes *
member_b64url (JsonObject *object,
               const char *name)
{
  const char *text;
  guint8 *data;
  gsize len;

  if (!json_object_has_member (object, name))
    return NULL;
  text = json_object_get_string_member_with_default (object, name, NULL);
  if (text == NULL || *text == '\0')
    return NULL;
  data = ag_base64url_decode (text, strlen (text), &len);
  if (data == NULL || len == 0)
    {
      g_free (data);
      return NULL;
    }
  return g_bytes_new_take (data, len);
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static Jwk *
jwk_import (JsonObject *object)
{
  const char *kty = string_member (object, "kty");
  const char *use = string_member (object, "use");
  g_autoptr(GBytes) a = NULL;
  g_autoptr(GBytes) b = NULL;
  gnutls_datum_t da, db;
  Jwk *jwk;
  int rc;

  if (kty == NULL || (use != NULL && strcmp (use, "sig") != 0))
    return NULL;

  jwk = g_new0 (Jwk, 1);
  jwk->kid = g_strdup (string_member (object, "kid"));
  jwk->alg = g_strdup (string_member (object, "alg"));
  if (gnutls_pubkey_init (&jwk->key) != 0)
    {
      jwk_free (jwk);
      return NULL;
    }

  if (strcmp (kty, "RSA") == 0)
    {
      a = member_b64url (object, "n");
      b = member_b64url (object, "e");
      if (a == NULL || b == NULL || g_bytes_get_size (a) < 256) /* at least 2048 bits */
        {
          jwk_free (jwk);
          return NULL;
        }
      da.data = (guchar *) g_bytes_get_data (a, NULL);
      da.size = g_bytes_get_size (a);
      db.data = (guchar *) g_bytes_get_data (b, NULL);
      db.size = g_bytes_get_size (b);
      rc = gnutls_pubkey_import_rsa_raw (jwk->key, &da, &db);
    }
  else if (strcmp (kty, "EC") == 0 && g_strcmp0 (string_member (object, "crv"), "P-256") == 0)
    {
      a = member_b64url (object, "x");
      b = member_b64url (object, "y");
      if (a == NULL || b == NULL || g_bytes_get_size (a) != 32 || g_bytes_get_size (b) != 32)
        {
          jwk_free (jwk);
          return NULL;
        }
      da.data = (guchar *) g_bytes_get_data (a, NULL);
      da.size = 32;
      db.data = (guchar *) g_bytes_get_data (b, NULL);
      db.size = 32;
      jwk->is_ec = TRUE;
      rc = gnutls_pubkey_import_ecc_raw (jwk->key, GNUTLS_ECC_CURVE_SECP256R1, &da, &db);
    }
  else
    {
      jwk_free (jwk);
      return NULL;
    }

  if (rc != 0)
    {
      g_debug ("Skipping a JWK GnuTLS cannot import: %s", gnutls_strerror (rc));
      jwk_free (jwk);
      return NULL;
    }
  return jwk;
}

static JsonObject *
parse_object (const char *text,
              gssize      length)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, length, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

AgJwks *
ag_jwks_parse (const char  *json,
               gssize       length,
               GError     **error)
{
  g_autoptr(JsonObject) root = NULL;
  JsonNode *keys_node;
  JsonArray *keys;
  AgJwks *jwks;

  g_return_val_if_fail (json != NULL, NULL);

  root = parse_object (json, length);
  if (root == NULL)
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_DISCOVERY, _("The provider’s key set is not a JSON object"));
      return NULL;
    }
  keys_node = json_object_get_member (root, "keys");
  if (keys_node == NULL || !JSON_NODE_HOLDS_ARRAY (keys_node))
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_DISCOVERY, _("The provider’s key set has no “keys” list"));
      return NULL;
    }
  keys = json_node_get_array (keys_node);

  jwks = g_new0 (AgJwks, 1);
  g_atomic_ref_count_init (&jwks->ref_count);
  jwks->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) jwk_free);

  for (guint i = 0; i < json_array_get_length (keys) && jwks->keys->len < MAX_JWKS_KEYS; i++)
    {
      JsonNode *node = json_array_get_element (keys, i);
      Jwk *jwk;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      jwk = jwk_import (json_node_get_object (node));
      if (jwk != NULL)
        g_ptr_array_add (jwks->keys, jwk);
    }

  if (jwks->keys->len == 0)
    {
      ag_jwks_unref (jwks);
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_DISCOVERY, _("The provider’s key set has no usable signing key"));
      return NULL;
    }
  return jwks;
}

AgJwks *
ag_jwks_ref (AgJwks *jwks)
{
  g_return_val_if_fail (jwks != NULL, NULL);
  g_atomic_ref_count_inc (&jwks->ref_count);
  return jwks;
}

void
ag_jwks_unref (AgJwks *jwks)
{
  if (jwks == NULL)
    return;
  if (g_atomic_ref_count_dec (&jwks->ref_count))
    {
      g_ptr_array_unref (jwks->keys);
      g_free (jwks);
    }
}

guint
ag_jwks_get_n_keys (AgJwks *jwks)
{
  g_return_val_if_fail (jwks != NULL, 0);
  return jwks->keys->len;
}

static Jwk *
find_key (AgJwks     *jwks,
          const char *kid)
{
  if (kid == NULL)
    return jwks->keys->len == 1 ? g_ptr_array_index (jwks->keys, 0) : NULL;

  for (guint i = 0; i < jwks->keys->len; i++)
    {
      Jwk *jwk = g_ptr_array_index (jwks->keys, i);

      if (g_strcmp0 (jwk->kid, kid) == 0)
        return jwk;
    }
  return NULL;
}

gboolean
ag_jwks_has_key (AgJwks     *jwks,
                 const char *kid)
{
  g_return_val_if_fail (jwks != NULL, FALSE);
  return find_key (jwks, kid) != NULL;
}

void
ag_jwt_free (AgJwt *jwt)
{
  if (jwt == NULL)
    return;
  g_clear_pointer (&jwt->header, json_object_unref);
  g_clear_pointer (&jwt->claims, json_object_unref);
  ag_secure_free (jwt->signing_input);
  g_free (jwt->signature);
  g_free (jwt);
}

static JsonObject *
decode_part (const char *text,
             gsize       len)
{
  g_autofree guint8 *raw = NULL;
  gsize raw_len;
  JsonObject *object;

  raw = ag_base64url_decode (text, len, &raw_len);
  if (raw == NULL || raw_len == 0 || memchr (raw, '\0', raw_len) != NULL)
    return NULL;
  object = parse_object ((const char *) raw, raw_len);
  ag_secure_wipe (raw, raw_len);
  return object;
}

AgJwt *
ag_jwt_parse (const char  *compact,
              GError     **error)
{
  g_autoptr(AgJwt) jwt = NULL;
  const char *dot1, *dot2;
  gsize len;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  len = compact ? strnlen (compact, MAX_JWT_LENGTH + 1) : 0;
  if (len == 0 || len > MAX_JWT_LENGTH)
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN, _("The identity token is missing or too long"));
      return NULL;
    }
  dot1 = strchr (compact, '.');
  dot2 = dot1 ? strchr (dot1 + 1, '.') : NULL;
  if (dot1 == NULL || dot2 == NULL || strchr (dot2 + 1, '.') != NULL)
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN, _("The identity token is not a signed JWT"));
      return NULL;
    }

  jwt = g_new0 (AgJwt, 1);
  jwt->header = decode_part (compact, dot1 - compact);
  jwt->claims = decode_part (dot1 + 1, dot2 - dot1 - 1);
  if (jwt->header == NULL || jwt->claims == NULL)
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN, _("The identity token’s header or claims are not JSON objects"));
      return NULL;
    }
  if (string_member (jwt->header, "alg") == NULL)
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN, _("The identity token names no algorithm"));
      return NULL;
    }
  if (json_object_has_member (jwt->header, "crit"))
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN, _("The identity token uses extensions this program does not know"));
      return NULL;
    }
  jwt->signature = ag_base64url_decode (dot2 + 1, strlen (dot2 + 1), &jwt->signature_len);
  if (jwt->signature == NULL || jwt->signature_len == 0)
    {
      g_clear_pointer (&jwt->signature, g_free);
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN, _("The identity token has no signature"));
      return NULL;
    }
  jwt->signing_input = g_strndup (compact, dot2 - compact);
  return g_steal_pointer (&jwt);
}

const char *
ag_jwt_get_alg (AgJwt *jwt)
{
  g_return_val_if_fail (jwt != NULL, NULL);
  return string_member (jwt->header, "alg");
}

const char *
ag_jwt_get_kid (AgJwt *jwt)
{
  g_return_val_if_fail (jwt != NULL, NULL);
  return string_member (jwt->header, "kid");
}

JsonObject *
ag_jwt_get_claims (AgJwt *jwt)
{
  g_return_val_if_fail (jwt != NULL, NULL);
  return jwt->claims;
}

gboolean
ag_jwt_verify_signature (AgJwt               *jwt,
                         AgJwks              *jwks,
                         const char * const  *allowed_algs,
                         gboolean            *unknown_kid,
                         GError             **error)
{
  static const char * const default_algs[] = { "RS256", NULL };
  const char *alg = ag_jwt_get_alg (jwt);
  const char *kid = ag_jwt_get_kid (jwt);
  gnutls_sign_algorithm_t sign_algo;
  gnutls_datum_t data, sig;
  g_autofree guchar *der = NULL;
  gboolean want_ec;
  Jwk *jwk;
  int rc;

  g_return_val_if_fail (jwt != NULL, FALSE);
  g_return_val_if_fail (jwks != NULL, FALSE);

  if (unknown_kid)
    *unknown_kid = FALSE;
  if (allowed_algs == NULL || allowed_algs[0] == NULL)
    allowed_algs = default_algs;

  if (strcmp (alg, "RS256") == 0)
    sign_algo = GNUTLS_SIGN_RSA_SHA256, want_ec = FALSE;
  else if (strcmp (alg, "PS256") == 0)
    sign_algo = GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, want_ec = FALSE;
  else if (strcmp (alg, "ES256") == 0)
    sign_algo = GNUTLS_SIGN_ECDSA_SECP256R1_SHA256, want_ec = TRUE;
  else
    {
      /* none, HS256 (keyed with the secret or a public key) and the rest. */
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN,
                   _("The identity token uses the algorithm “%s”, which is not accepted"), alg);
      return FALSE;
    }
  if (!g_strv_contains (allowed_algs, alg))
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN,
                   _("The identity token uses the algorithm “%s”, which the provider does not announce"), alg);
      return FALSE;
    }

  jwk = find_key (jwks, kid);
  if (jwk == NULL)
    {
      if (unknown_kid)
        *unknown_kid = TRUE;
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN,
                   kid ? _("The identity token is signed with a key the provider does not publish")
                       : _("The identity token does not say which of the provider’s keys signed it"));
      return FALSE;
    }
  if (jwk->is_ec != want_ec || (jwk->alg != NULL && strcmp (jwk->alg, alg) != 0))
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN,
                   _("The identity token’s algorithm does not match its key"));
      return FALSE;
    }

  data.data = (guchar *) jwt->signing_input;
  data.size = strlen (jwt->signing_input);

  if (want_ec)
    {
      gnutls_datum_t r, s, out = { NULL, 0 };

      /* JWS carries ECDSA as R || S; GnuTLS wants DER. */
      if (jwt->signature_len != 64)
        {
          g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN, _("The identity token’s signature is not valid"));
          return FALSE;
        }
      r.data = jwt->signature;
      r.size = 32;
      s.data = jwt->signature + 32;
      s.size = 32;
      if (gnutls_encode_rs_value (&out, &r, &s) != 0)
        {
          g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN, _("The identity token’s signature is not valid"));
          return FALSE;
        }
      der = g_memdup2 (out.data, out.size);
      sig.data = der;
      sig.size = out.size;
      gnutls_free (out.data);
    }
  else
    {
      sig.data = jwt->signature;
      sig.size = jwt->signature_len;
    }

  rc = gnutls_pubkey_verify_data2 (jwk->key, sign_algo, 0, &data, &sig);
  if (rc < 0)
    {
      g_debug ("Signature check failed: %s", gnutls_strerror (rc));
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN, _("The identity token’s signature is not valid"));
      return FALSE;
    }
  return TRUE;
}

gboolean
ag_jwt_check_id_token (AgJwt       *jwt,
                       const char  *issuer,
                       const char  *client_id,
                       const char  *nonce,
                       gint64       now,
                       GError     **error)
{
  JsonObject *claims;
  JsonNode *aud;
  const char *azp;
  gboolean aud_ok = FALSE;
  guint n_aud = 0;
  gint64 exp, iat;

  g_return_val_if_fail (jwt != NULL, FALSE);
  g_return_val_if_fail (issuer != NULL && client_id != NULL, FALSE);

  claims = jwt->claims;

  if (g_strcmp0 (string_member (claims, "iss"), issuer) != 0)
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN,
                   _("The identity token was issued by another issuer (iss)"));
      return FALSE;
    }

  aud = json_object_get_member (claims, "aud");
  if (aud != NULL && JSON_NODE_HOLDS_VALUE (aud) && json_node_get_value_type (aud) == G_TYPE_STRING)
    {
      n_aud = 1;
      aud_ok = g_strcmp0 (json_node_get_string (aud), client_id) == 0;
    }
  else if (aud != NULL && JSON_NODE_HOLDS_ARRAY (aud))
    {
      JsonArray *array = json_node_get_array (aud);

      n_aud = json_array_get_length (array);
      for (guint i = 0; i < n_aud; i++)
        {
          JsonNode *e = json_array_get_element (array, i);
          if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING &&
              g_strcmp0 (json_node_get_string (e), client_id) == 0)
            aud_ok = TRUE;
        }
    }
  if (!aud_ok)
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN,
                   _("The identity token is not meant for this application (aud)"));
      return FALSE;
    }

  azp = string_member (claims, "azp");
  if ((n_aud > 1 && azp == NULL) ||
      (json_object_has_member (claims, "azp") && g_strcmp0 (azp, client_id) != 0))
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN,
                   _("The identity token was issued to another party (azp)"));
      return FALSE;
    }

  if (!ag_json_get_int (claims, "exp", &exp) || exp + AG_JWT_CLOCK_SKEW <= now)
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN,
                   _("The identity token has expired (exp)"));
      return FALSE;
    }
  if (!ag_json_get_int (claims, "iat", &iat) || iat > now + AG_JWT_CLOCK_SKEW)
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN,
                   _("The identity token has no valid issue time (iat)"));
      return FALSE;
    }

  {
    const char *sub = string_member (claims, "sub");
    if (sub == NULL || *sub == '\0')
      {
        g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN,
                     _("The identity token names no subject (sub)"));
        return FALSE;
      }
  }

  if (nonce != NULL && g_strcmp0 (string_member (claims, "nonce"), nonce) != 0)
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_ID_TOKEN,
                   _("The identity token does not belong to this sign-in (nonce)"));
      return FALSE;
    }

  return TRUE;
}
