/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small helpers shared by the C tests. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* An async callback that keeps the result in *(GAsyncResult **) user_data. */
void      test_store_result (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data);

/* Runs the main context until *slot is set; returns it. */
gpointer  test_wait_for     (GAsyncResult **slot);

/* The person signing in: tests/provider/signin.mjs follows @url through the
 * provider's pages in a child process while the main loop runs (as the
 * app's does), and the redirect URL it reached is returned. */
char     *test_browser_sign_in (const char *url);

/* For a suite that cannot run here (no provider, keyring or display, as
 * in a Flatpak build sandbox): says so the TAP way, a plan of none with
 * its reason, which meson counts as skipped; the return is main's. */
int       test_skip_all     (const char    *why);

/* Removes @path and everything under it. */
void      test_rm_rf        (const char    *path);

G_END_DECLS
