/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <authgear-glib.h>

G_BEGIN_DECLS

typedef enum
{
  AG_SIGN_IN_AGENT_EMBEDDED,     /* the window's sign-in page (WebKit) */
  AG_SIGN_IN_AGENT_BROWSER,      /* the system browser, its return on the loopback */
} AgSignInAgent;

typedef enum
{
  AG_SIGN_IN_PHASE_STARTING,     /* the authorization request is being made */
  AG_SIGN_IN_PHASE_WAITING,      /* the page is shown: waiting for its answer */
  AG_SIGN_IN_PHASE_EXCHANGING,   /* the answer came: the code is exchanged */
  AG_SIGN_IN_PHASE_DONE,
} AgSignInPhase;

typedef enum
{
  AG_SIGN_IN_ANSWER_ACCEPTED,
  AG_SIGN_IN_ANSWER_NOT_WAITING,
  AG_SIGN_IN_ANSWER_NOT_REDIRECT,
  AG_SIGN_IN_ANSWER_OTHER_SIGN_IN,
} AgSignInAnswer;

/* What the sign-in does: AuthgearClient's call it makes. */
typedef enum
{
  AG_SIGN_IN_AUTHENTICATE,
  AG_SIGN_IN_REAUTHENTICATE,
  AG_SIGN_IN_CHANGE_EMAIL,
  AG_SIGN_IN_DELETE_ACCOUNT,
  AG_SIGN_IN_SETTINGS,           /* Authgear's settings page, until Done */
} AgSignInKind;

#define AG_TYPE_SIGN_IN (ag_sign_in_get_type ())

G_DECLARE_FINAL_TYPE (AgSignIn, ag_sign_in, AG, SIGN_IN, GObject)

/* One sign-in of @client, made through the public API
 * (authgear_client_authenticate_async() and its siblings), with this object
 * as their AuthgearUserAgent: it shows the page in the window or in the
 * browser, and hands back the answer. */
AgSignIn      *ag_sign_in_new               (AuthgearClient              *client,
                                             AgSignInKind                 kind,
                                             AuthgearPage                 page,
                                             AuthgearAuthenticateOptions *options);
/* Starts (or, with another agent, starts again with a fresh request). */
void           ag_sign_in_start             (AgSignIn            *self,
                                             AgSignInAgent        agent,
                                             gboolean             launch);
/* Whether the browser agent may be used: not for a settings action or a
 * reauthentication, whose URLs carry credentials. */
gboolean       ag_sign_in_get_browser_allowed (AgSignIn          *self);
/* Opens the browser again at the current URL (browser agent, waiting). */
void           ag_sign_in_launch_browser    (AgSignIn            *self);
/* An address the page or the person brought back: taken only when it is the
 * redirect URI with this sign-in's state, while waiting. */
AgSignInAnswer ag_sign_in_offer_redirect    (AgSignIn            *self,
                                             const char          *uri);
/* A sentence for the person saying why an address was not taken. */
const char    *ag_sign_in_answer_describe   (AgSignInAnswer       answer);
/* Ends it as Cancel does ("finished" with G_IO_ERROR_CANCELLED). */
void           ag_sign_in_stop              (AgSignIn            *self);
/* Done on the settings page: it ends, "finished" with no error. */
void           ag_sign_in_close             (AgSignIn            *self);

AgSignInKind   ag_sign_in_get_kind          (AgSignIn            *self);
AgSignInAgent  ag_sign_in_get_agent         (AgSignIn            *self);
AgSignInPhase  ag_sign_in_get_phase         (AgSignIn            *self);
AuthgearPage   ag_sign_in_get_page          (AgSignIn            *self);
/* The authorization URL while waiting, else %NULL. */
const char    *ag_sign_in_get_url           (AgSignIn            *self);
/* The redirect URI the page must come back to, while waiting. */
const char    *ag_sign_in_get_redirect_uri  (AgSignIn            *self);
/* The browser agent's news for the person ("Signing in…", a port in use),
 * or %NULL. */
const char    *ag_sign_in_get_status        (AgSignIn            *self,
                                             gboolean            *is_error);
/* Whether another program holds the redirect URI's port: the browser is
 * not opened, and only the paste field can answer. */
gboolean       ag_sign_in_get_port_taken    (AgSignIn            *self);

G_END_DECLS
