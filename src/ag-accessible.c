/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Owns the accessible names of the program's controls on GTK 4.8 (see
 * ag-accessible.h). */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ag-accessible.h"

char *
ag_accessible_strip_mnemonic (const char *text)
{
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text));
  for (const char *c = text; *c; c++)
    {
      if (*c == '_')
        {
          if (c[1] == '_')
            {
              g_string_append_c (out, '_');
              c++;
            }
          continue;
        }
      g_string_append_c (out, *c);
    }
  return g_string_free (out, FALSE);
}

/* One name, and no second one from the child label. */
static void
name_once (GtkWidget  *widget,
           const char *shown)
{
  g_autofree char *name = ag_accessible_strip_mnemonic (shown);

  gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
name_control (GtkWidget *widget)
{
  const char *text = NULL;
  const char *icon = GTK_IS_BUTTON (widget) ? gtk_button_get_icon_name (GTK_BUTTON (widget)) : NULL;

  if (GTK_IS_BUTTON (widget))
    text = gtk_button_get_label (GTK_BUTTON (widget));
  else if (GTK_IS_EXPANDER (widget))
    text = gtk_expander_get_label (GTK_EXPANDER (widget));
  else if (GTK_IS_MENU_BUTTON (widget))
    text = gtk_menu_button_get_label (GTK_MENU_BUTTON (widget));

  /* An icon-only menu button (the split button's arrow, a main menu) is
   * named by its tooltip, as it is for a sighted person. */
  if (text == NULL && GTK_IS_MENU_BUTTON (widget))
    text = gtk_widget_get_tooltip_text (widget);
  if (text == NULL && GTK_IS_TOGGLE_BUTTON (widget) && GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget)))
    text = gtk_widget_get_tooltip_text (gtk_widget_get_parent (widget));
  /* Other icon-only buttons: their tooltip, or what their icon does (an
   * entry row's apply button has neither label nor tooltip). */
  if (text == NULL && GTK_IS_BUTTON (widget))
    text = gtk_widget_get_tooltip_text (widget);
  if (text == NULL && icon != NULL && strstr (icon, "apply") != NULL)
    text = _("Apply");
  if (text != NULL && *text != '\0')
    name_once (widget, text);
}

void
ag_accessible_name_controls (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  name_control (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    ag_accessible_name_controls (child);
}
