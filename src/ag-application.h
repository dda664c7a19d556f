/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AG_TYPE_APPLICATION (ag_application_get_type ())

G_DECLARE_FINAL_TYPE (AgApplication, ag_application, AG, APPLICATION, AdwApplication)

AgApplication *ag_application_new (void);

/* The .env file to read settings from (--dotenv), or %NULL. */
void           ag_application_set_dotenv_path (AgApplication *self,
                                               const char    *path);
const char    *ag_application_get_dotenv_path (AgApplication *self);

G_END_DECLS
