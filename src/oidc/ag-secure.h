/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Overwrites @len bytes at @mem so that a secret does not linger in freed
 * memory; the compiler may not optimise it away. */
void   ag_secure_wipe       (gpointer  mem,
                             gsize     len);
/* Wipes and frees a NUL-terminated string (a token, a code, a secret). */
void   ag_secure_free       (char     *str);
/* Wipes and frees every string of a string vector, then the vector. */
void   ag_secure_strv_free  (GStrv     strv);
/* Fills @buf with @len bytes from the OS random source (via GnuTLS). */
void   ag_secure_random     (guint8   *buf,
                             gsize     len);
/* @n_bytes of OS randomness, base64url without padding. */
char  *ag_secure_random_b64url (gsize  n_bytes);
/* Base64url (RFC 4648 §5) without padding, and back; decode returns %NULL on
 * anything that is not strict base64url. */
char  *ag_base64url_encode  (const guint8 *data,
                             gsize         len);
guint8 *ag_base64url_decode (const char   *text,
                             gsize         text_len,
                             gsize        *out_len);
/* Number of times a secret was wiped: read by tests. */
guint  ag_secure_wipe_count (void);


/* Compares two strings in time that depends on their length only. */
gboolean ag_secure_equal   (const char *a,
                            const char *b);

G_END_DECLS
