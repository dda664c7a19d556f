/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The helpers the library and the program share around the one error
 * domain, AUTHGEAR_ERROR (authgear-error.h). */
#pragma once

#include <glib.h>

#ifndef AUTHGEAR_GLIB_COMPILATION
#include <authgear-glib.h>
#else
#include "authgear-error.h"
#endif

G_BEGIN_DECLS

/* Returns a short translated explanation of @code for a person. */
const char  *ag_error_code_summary    (AuthgearError code);

/* Whether @error is %G_IO_ERROR_CANCELLED. */
gboolean     ag_error_is_cancelled    (const GError *error);

G_END_DECLS
