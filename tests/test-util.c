/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>

#include "test-util.h"

void
test_store_result (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

gpointer
test_wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

void
test_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK) && (dir = g_dir_open (path, 0, NULL)) != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);
        test_rm_rf (child);
      }
  g_remove (path);
}

char *
test_browser_sign_in (const char *url)
{
  g_autofree char *script = g_build_filename (g_getenv ("AG_SOURCE_ROOT"), "tests", "provider", "signin.mjs", NULL);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *r = NULL;
  char *out = NULL;

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "node", script, url, NULL);
  if (child == NULL)
    g_error ("signin.mjs: %s", error->message);
  g_subprocess_communicate_utf8_async (child, NULL, NULL, test_store_result, &r);
  if (!g_subprocess_communicate_utf8_finish (child, test_wait_for (&r), &out, NULL, &error) ||
      !g_subprocess_get_successful (child))
    g_error ("signin.mjs failed");
  g_object_unref (r);
  return g_strstrip (out);
}

int
test_skip_all (const char *why)
{
  /* Not exit status 77: under protocol 'tap' meson counts that an error. */
  g_print ("1..0 # SKIP %s\n", why);
  return 0;
}
