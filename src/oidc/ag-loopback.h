/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define AG_TYPE_LOOPBACK (ag_loopback_get_type ())

G_DECLARE_FINAL_TYPE (AgLoopback, ag_loopback, AG, LOOPBACK, GObject)

/**
 * AgLoopback:
 * Waits for the browser's return on an http://localhost redirect URI
 * (RFC 8252 §7.3): listens on the URI's port only while started, on
 * 127.0.0.1 and ::1 for localhost, else on the address the URI names. A request for the redirect path emits ::callback with the full
 * redirect URI (as configured, plus the query) and a reply handle; the
 * request waits until ag_loopback_reply() answers it. Any other path gets
 * 404 and changes nothing.
 */
AgLoopback *ag_loopback_new    (const char  *redirect_uri);

/* Whether @redirect_uri is one a loopback listener can serve: http on a
 * loopback host (ag_host_is_loopback()) with a port. */
gboolean    ag_loopback_supports (const char *redirect_uri);

/* Starts listening; %G_IO_ERROR_ADDRESS_IN_USE when another program has the
 * port. */
gboolean    ag_loopback_start  (AgLoopback  *self,
                                GError     **error);
/* Stops listening and answers any waiting request with an error page. */
void        ag_loopback_stop   (AgLoopback  *self);

/* Answers the request behind @reply (from ::callback): a page saying the
 * person is signed in, or @error_message. */
void        ag_loopback_reply  (AgLoopback  *self,
                                gpointer     reply,
                                gboolean     signed_in,
                                const char  *error_message);

/* The same with @message as the page's text, a success when @ok. */
void        ag_loopback_reply_message (AgLoopback *self,
                                       gpointer    reply,
                                       gboolean    ok,
                                       const char *message);

G_END_DECLS
