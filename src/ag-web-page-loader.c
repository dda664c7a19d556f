/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Loads the web view module (the only part that links WebKitGTK) the first
 * time a sign-in needs it, and owns its function table. */

#include "config.h"

#include <glib/gi18n.h>
#include <gmodule.h>

#include "ag-web-page.h"

/* Where the module may be, first match wins: beside the program (a build
 * tree), then the library folder relative to the program (an installed
 * prefix, wherever it was moved or DESTDIR-installed), then the configured
 * library folder. */
static GPtrArray *
module_candidates (void)
{
  GPtrArray *dirs = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  /* Named without the "lib" prefix: it is a plug-in, not a library. */
  const char *name = AG_WEB_PAGE_MODULE_NAME "." G_MODULE_SUFFIX;
  if (exe != NULL)
    {
      g_autofree char *exe_dir = g_path_get_dirname (exe);

      g_ptr_array_add (dirs, g_build_filename (exe_dir, name, NULL));
      if (AG_MODULEDIR_FROM_BINDIR[0] != '\0')
        g_ptr_array_add (dirs, g_build_filename (exe_dir, AG_MODULEDIR_FROM_BINDIR, name, NULL));
    }
  g_ptr_array_add (dirs, g_build_filename (AG_MODULEDIR, name, NULL));
  return dirs;
}

static const AgWebPageModule *
load (GError **error)
{
  g_autoptr(GPtrArray) candidates = module_candidates ();
  const char *path = NULL;
  GModule *module;
  gpointer symbol = NULL;
  const AgWebPageModule *page_module;

  for (guint i = 0; i < candidates->len && path == NULL; i++)
    if (g_file_test (g_ptr_array_index (candidates, i), G_FILE_TEST_IS_REGULAR))
      path = g_ptr_array_index (candidates, i);
  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The web view module %s is not installed in %s."),
                   AG_WEB_PAGE_MODULE_NAME "." G_MODULE_SUFFIX, AG_MODULEDIR);
      return NULL;
    }

  g_debug ("Loading %s", path);
  module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The web view module could not be loaded: %s"), g_module_error ());
      return NULL;
    }
  if (!g_module_symbol (module, AG_WEB_PAGE_MODULE_SYMBOL, &symbol) || symbol == NULL ||
      ((const AgWebPageModule *) symbol)->abi != AG_WEB_PAGE_ABI)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The web view module %s does not belong to this version of Authgear Login."), path);
      g_module_close (module);
      return NULL;
    }
  page_module = symbol;
  /* It registers WebKit's types, which can never be unregistered. */
  g_module_make_resident (module);
  return page_module;
}

const AgWebPageModule *
ag_web_page_module_load (GError **error)
{
  static const AgWebPageModule *page_module;

  if (page_module == NULL)
    page_module = load (error);
  return page_module;
}

/* Called by main() before any thread starts: what WebKit reads from the
 * environment when it loads.
 *
 * On Wayland, GTK 4.8's GL renderer aborts the whole program
 * (gskglcommandqueue.c: "glCheckFramebufferStatus ... ==
 * GL_FRAMEBUFFER_COMPLETE") at the first frame after WebKitGTK 2.50's
 * DMA-BUF renderer has set up its own EGL display in this process. Seen
 * under mutter 43 on Debian 12, with the buffers shared or copied
 * (WEBKIT_DMABUF_RENDERER_FORCE_SHM does not help). The sign-in page is a
 * form: there WebKit draws it without the DMA-BUF renderer. A value the
 * person set is left alone. X11 keeps WebKit's default. */
void
ag_web_page_prepare_environment (void)
{
  const char *backend = g_getenv ("GDK_BACKEND");
  gboolean wayland = g_getenv ("WAYLAND_DISPLAY") != NULL &&
                     (backend == NULL || *backend == '\0' || g_str_has_prefix (backend, "wayland") ||
                      g_str_has_prefix (backend, "*"));

  if (wayland)
    g_setenv ("WEBKIT_DISABLE_DMABUF_RENDERER", "1", FALSE);
}
