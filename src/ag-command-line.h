/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ag-application.h"

G_BEGIN_DECLS

/* Prints the access token (refreshed first if needed) or, with @user_info,
 * the user info as JSON, on @cmdline's standard output; a message on its
 * standard error and exit status 1 when nobody is signed in. */
void ag_command_line_print (AgApplication           *app,
                            GApplicationCommandLine *cmdline,
                            gboolean                 user_info);

/* Offers the same to a second process on the session bus, at the app's
 * @object_path; returns the registration's ID. */
guint ag_command_line_export  (AgApplication    *app,
                               GDBusConnection  *connection,
                               const char       *object_path,
                               GError          **error);

/* In a second process: asks the running app, prints its answer here and
 * returns the exit status. */
int   ag_command_line_forward (GApplication     *app,
                               gboolean          user_info);

G_END_DECLS
