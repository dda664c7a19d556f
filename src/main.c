/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "ag-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AgApplication) app = NULL;

  const char *localedir = LOCALEDIR;

#if DEVELOPMENT
  /* A development build can run its translations from the build tree. */
  if (g_getenv ("AUTHGEAR_LOGIN_LOCALEDIR") != NULL)
    localedir = g_getenv ("AUTHGEAR_LOGIN_LOCALEDIR");
#endif

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = ag_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
