/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ag-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ag-resources.h"
#include "ag-window.h"

struct _AgWindow
{
  AdwApplicationWindow parent_instance;

  GtkLabel *guest_title;
};

G_DEFINE_FINAL_TYPE (AgWindow, ag_window, ADW_TYPE_APPLICATION_WINDOW)

static void
ag_window_class_init (AgWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /* Referencing the resource keeps it linked out of the static library; its
   * constructor registers it. */
  g_assert (ag_get_resource () != NULL);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "ag-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AgWindow, guest_title);
}

static void
ag_window_init (AgWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

#if DEVELOPMENT
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}

AgWindow *
ag_window_new (GtkApplication *application)
{
  return g_object_new (AG_TYPE_WINDOW, "application", application, NULL);
}
