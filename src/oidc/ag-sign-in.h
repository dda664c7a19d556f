/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ag-session.h"

G_BEGIN_DECLS

/**
 * AgSignInAgent:
 * @AG_SIGN_IN_AGENT_EMBEDDED: the program shows the sign-in page itself (a
 *   web view) and offers each redirect it sees with
 *   ag_sign_in_offer_redirect().
 * @AG_SIGN_IN_AGENT_BROWSER: the person's browser; the redirect comes back
 *   through a loopback listener on the redirect URI's port, or is pasted
 *   and offered with ag_sign_in_offer_redirect().
 *
 * The user agent the person signs in with.
 */
typedef enum
{
  AG_SIGN_IN_AGENT_EMBEDDED,
  AG_SIGN_IN_AGENT_BROWSER,
} AgSignInAgent;

/**
 * AgSignInPhase:
 * @AG_SIGN_IN_PHASE_STARTING: discovery and the authorization request.
 * @AG_SIGN_IN_PHASE_WAITING: the page is open; waiting for the redirect.
 * @AG_SIGN_IN_PHASE_EXCHANGING: the code is being exchanged and checked.
 * @AG_SIGN_IN_PHASE_DONE: over; ::finished has been emitted.
 */
typedef enum
{
  AG_SIGN_IN_PHASE_STARTING,
  AG_SIGN_IN_PHASE_WAITING,
  AG_SIGN_IN_PHASE_EXCHANGING,
  AG_SIGN_IN_PHASE_DONE,
} AgSignInPhase;

/**
 * AgSignInAnswer:
 * What ag_sign_in_offer_redirect() made of an address.
 * @AG_SIGN_IN_ANSWER_ACCEPTED: the answer to this sign-in; it is being
 *   exchanged.
 * @AG_SIGN_IN_ANSWER_NOT_WAITING: no redirect is awaited now (starting,
 *   exchanging, or over).
 * @AG_SIGN_IN_ANSWER_NOT_REDIRECT: not the configured redirect URI.
 * @AG_SIGN_IN_ANSWER_OTHER_SIGN_IN: the redirect URI, but without this
 *   sign-in's state: ignored, the sign-in goes on.
 */
typedef enum
{
  AG_SIGN_IN_ANSWER_ACCEPTED,
  AG_SIGN_IN_ANSWER_NOT_WAITING,
  AG_SIGN_IN_ANSWER_NOT_REDIRECT,
  AG_SIGN_IN_ANSWER_OTHER_SIGN_IN,
} AgSignInAnswer;

#define AG_TYPE_SIGN_IN (ag_sign_in_get_type ())

G_DECLARE_FINAL_TYPE (AgSignIn, ag_sign_in, AG, SIGN_IN, GObject)

/**
 * ag_sign_in_new:
 * One sign-in of @session: it owns the authorization request's options,
 * its cancellable, the loopback listener and the browser's time limit.
 * @options may be %NULL; without ui_locales the desktop's languages are
 * sent. With @options' settings_action set it is one of Authgear's settings
 * actions instead (Change Email, Delete Account) for the signed-in person,
 * run the same way; with @options' reauthenticate, Authgear asks the
 * signed-in person to confirm it is them. Nothing happens until
 * ag_sign_in_start().
 */
AgSignIn      *ag_sign_in_new               (AgSession           *session,
                                             const AgAuthOptions *options);

/**
 * ag_sign_in_start:
 * Starts with @agent; called again with the other agent, it starts a fresh
 * authorization request there (Open in Browser from the sign-in page) with
 * the same options. With %AG_SIGN_IN_AGENT_BROWSER and @launch, the
 * default browser is opened at the URL once the listener is ready (never
 * when another program has the redirect URI's port).
 */
void           ag_sign_in_start             (AgSignIn            *self,
                                             AgSignInAgent        agent,
                                             gboolean             launch);

/* Whether the browser agent may be used: not for a settings action or a
 * reauthentication, whose URL carries credentials that stay in the app. */
gboolean       ag_sign_in_get_browser_allowed (AgSignIn          *self);

/* Opens the browser again at the current URL (browser agent, waiting). */
void           ag_sign_in_launch_browser    (AgSignIn            *self);

/**
 * ag_sign_in_offer_redirect:
 * Offers an address the web view was sent to, or one the person pasted.
 * Only this sign-in's answer is taken, once; anything else changes
 * nothing.
 */
AgSignInAnswer ag_sign_in_offer_redirect    (AgSignIn            *self,
                                             const char          *uri);

/* A sentence for the person saying why an address was not taken. */
const char    *ag_sign_in_answer_describe   (AgSignInAnswer       answer);

/**
 * ag_sign_in_stop:
 * Ends the sign-in: Cancel, a new configuration, the window closing. The
 * session keeps what it had. ::finished is emitted with
 * %G_IO_ERROR_CANCELLED unless the sign-in was over already.
 */
void           ag_sign_in_stop              (AgSignIn            *self);

AgSession     *ag_sign_in_get_session       (AgSignIn            *self);
AgSignInAgent  ag_sign_in_get_agent         (AgSignIn            *self);
AgSignInPhase  ag_sign_in_get_phase         (AgSignIn            *self);
const AgAuthOptions *ag_sign_in_get_options (AgSignIn            *self);
/* The authorization URL while waiting, else %NULL. */
const char    *ag_sign_in_get_url           (AgSignIn            *self);
/* The browser agent's news for the person ("Signing in…", a port in use),
 * or %NULL; @is_error says whether it is a problem. */
const char    *ag_sign_in_get_status        (AgSignIn            *self,
                                             gboolean            *is_error);
/* Whether another program holds the redirect URI's port: the browser is
 * not opened, and the redirect must be pasted. */
gboolean       ag_sign_in_get_port_taken    (AgSignIn            *self);

G_END_DECLS
