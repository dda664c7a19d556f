/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * ag_accessible_name_controls:
 * Gives every button, toggle button, menu button and expander under @root
 * one accessible name: what it shows, without the mnemonic's underscore.
 * GTK 4.8 joins a button's label property (underscore included) and its
 * child label's text ("_Login Login"), and names a menu button without a
 * label after its class ("GtkMenuButton"): a screen reader reads exactly
 * that. Call it once after the template is built.
 */
void ag_accessible_name_controls (GtkWidget *root);

/* @text without mnemonic underscores ("Open in _Browser" -> "Open in Browser";
 * "__" stays one underscore). */
char *ag_accessible_strip_mnemonic (const char *text);

G_END_DECLS
