/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AG_TYPE_AUTH_VIEW (ag_auth_view_get_type ())

G_DECLARE_FINAL_TYPE (AgAuthView, ag_auth_view, AG, AUTH_VIEW, GtkWidget)

/**
 * AgAuthView:
 * The sign-in page: a WebKitWebView on an ephemeral network session, made
 * when a sign-in starts and destroyed (with its web process) when it ends.
 * WebKit itself is loaded with the web view module (ag-web-page.h) at the
 * first start; a failure to load it is a ::load-failed.
 * Emits ::redirect with the URI when the page navigates to the redirect URI,
 * which is never loaded.
 */
AgAuthView *ag_auth_view_new   (void);
/* Starts a sign-in at @url; @redirect_uri is matched exactly. */
void        ag_auth_view_start (AgAuthView *self,
                                const char *url,
                                const char *redirect_uri);
/* Ends it: the web view and its processes go away. */
void        ag_auth_view_stop  (AgAuthView *self);
/* The same, once the window has painted its next frame (so that a page
 * switch is on screen before the teardown's cost). */
void        ag_auth_view_stop_after_paint (AgAuthView *self);
/* The page stays on screen but takes no more input, and its web process
 * ends; ag_auth_view_stop() or _stop_after_paint() removes it. */
void        ag_auth_view_freeze (AgAuthView *self);
gboolean    ag_auth_view_go_back (AgAuthView *self);

G_END_DECLS
