/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main(): the translations, --dotenv, and the application. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "ag-application.h"
#include "ag-bench.h"
#include "ag-web-page.h"

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

  ag_bench_mark ("main");
  ag_web_page_prepare_environment ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* Said by the page the browser shows when it comes back. */
  g_set_application_name (_("Authgear Login"));

  app = ag_application_new ();
  /* --dotenv[=PATH] is taken out here: GApplication's options cannot have
   * an optional value. A development build reads ./.env without it, as
   * the Flask guide's developer would run it from a terminal. */
  {
    g_autofree char *dotenv = NULL;
    int kept = 1;

    for (int i = 1; i < argc; i++)
      {
        if (g_str_equal (argv[i], "--dotenv"))
          {
            g_free (dotenv);
            dotenv = g_strdup (".env");
          }
        else if (g_str_has_prefix (argv[i], "--dotenv="))
          {
            g_free (dotenv);
            dotenv = g_strdup (argv[i] + strlen ("--dotenv="));
          }
        else
          argv[kept++] = argv[i];
      }
    argc = kept;
    argv[argc] = NULL;
#if DEVELOPMENT
    if (dotenv == NULL)
      dotenv = g_strdup (".env");
#endif
    if (dotenv != NULL && *dotenv != '\0')
      {
        g_autofree char *absolute = g_canonicalize_filename (dotenv, NULL);
        ag_application_set_dotenv_path (app, absolute);
      }
  }
  /* Without a display this process cannot be the app: a --print-* command
   * then only goes to the running app (or the one D-Bus starts), and GTK is
   * never initialised here. */
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    for (int i = 1; i < argc; i++)
      if (g_str_equal (argv[i], "--print-access-token") || g_str_equal (argv[i], "--print-user-info"))
        {
          g_autoptr(GError) error = NULL;

          g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_IS_LAUNCHER);
          if (!g_application_register (G_APPLICATION (app), NULL, &error))
            {
              g_printerr (_("authgear-login: Authgear Login is not running, and without a display this command cannot start it (%s)\n"),
                          error->message);
              return 1;
            }
          break;
        }
  {
    int status = g_application_run (G_APPLICATION (app), argc, argv);

    return status != 0 ? status : ag_application_get_command_status (app);
  }
}
