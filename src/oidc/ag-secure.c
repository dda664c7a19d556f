/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Secrets in memory: random bytes, wiping, constant-time comparison. */

#include "config.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <string.h>

#include "ag-secure.h"

static guint wipe_count;

void
ag_secure_wipe (gpointer mem,
                gsize    len)
{
  if (mem == NULL || len == 0)
    return;
  explicit_bzero (mem, len);
  g_atomic_int_inc (&wipe_count);
}

void
ag_secure_free (char *str)
{
  if (str == NULL)
    return;
  ag_secure_wipe (str, strlen (str));
  g_free (str);
}

void
ag_secure_strv_free (GStrv strv)
{
  if (strv == NULL)
    return;
  for (guint i = 0; strv[i] != NULL; i++)
    ag_secure_wipe (strv[i], strlen (strv[i]));
  g_strfreev (strv);
}

guint
ag_secure_wipe_count (void)
{
  return g_atomic_int_get (&wipe_count);
}

void
ag_secure_random (guint8 *buf,
                  gsize   len)
{
  /* GNUTLS_RND_KEY draws from the kernel's getrandom() pool; a failure here
   * means there is no safe randomness at all, so stop rather than go on. */
  if (gnutls_rnd (GNUTLS_RND_KEY, buf, len) != 0)
    g_error ("The operating system’s random source failed");
}

char *
ag_base64url_encode (const guint8 *data,
                     gsize         len)
{
  g_autofree char *b64 = g_base64_encode (data, len);
  char *out = g_malloc (strlen (b64) + 1);
  gsize j = 0;

  for (gsize i = 0; b64[i] != '\0'; i++)
    {
      char c = b64[i];

      if (c == '=')
        break;
      out[j++] = c == '+' ? '-' : c == '/' ? '_' : c;
    }
  out[j] = '\0';
  ag_secure_wipe (b64, strlen (b64));
  return out;
}

guint8 *
ag_base64url_decode (const char *text,
                     gsize       text_len,
                     gsize      *out_len)
{
  g_autofree char *b64 = NULL;
  guint8 *out;
  gsize padded;

  g_return_val_if_fail (out_len != NULL, NULL);

  *out_len = 0;
  if (text == NULL || text_len % 4 == 1)
    return NULL;

  padded = text_len + (4 - text_len % 4) % 4;
  b64 = g_malloc (padded + 1);
  for (gsize i = 0; i < text_len; i++)
    {
      char c = text[i];

      if (c == '-')
        c = '+';
      else if (c == '_')
        c = '/';
      else if (!g_ascii_isalnum (c))
        return NULL;
      b64[i] = c;
    }
  for (gsize i = text_len; i < padded; i++)
    b64[i] = '=';
  b64[padded] = '\0';

  out = g_base64_decode (b64, out_len);
  ag_secure_wipe (b64, padded);
  return out;
}

char *
ag_secure_random_b64url (gsize n_bytes)
{
  g_autofree guint8 *buf = g_malloc (n_bytes);
  char *out;

  ag_secure_random (buf, n_bytes);
  out = ag_base64url_encode (buf, n_bytes);
  ag_secure_wipe (buf, n_bytes);
  return out;
}

gboolean
ag_secure_equal (const char *a,
                 const char *b)
{
  gsize la, lb;

  if (a == NULL || b == NULL)
    return FALSE;
  la = strlen (a);
  lb = strlen (b);
  /* The length is no secret (state and verifier have fixed lengths); the
   * bytes are compared in constant time. */
  return la == lb && gnutls_memcmp (a, b, la) == 0;
}
