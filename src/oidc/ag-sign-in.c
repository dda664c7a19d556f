/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AgSignIn owns one sign-in from Login to Welcome: its options, its
 * cancellable, its user agent (the embedded page, or the browser with the
 * loopback listener and the time limit), and the one path that stops it
 * (Cancel, the time limit, a new configuration, dispose). The session owns
 * the request and the tokens; the window only shows what this says. */
#define G_LOG_DOMAIN "ag-sign-in"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ag-error.h"
#include "ag-loopback.h"
#include "ag-secure.h"
#include "ag-sign-in.h"
#include "ag-enums.h"

/* How long the browser agent waits: 10 minutes (AG_BROWSER_WAIT_SECONDS in
 * tests). */
#define BROWSER_WAIT_SECONDS 600

struct _AgSignIn
{
  GObject parent_instance;

  AgSession *session;
  AgAuthOptions options;
  AgSignInAgent agent;
  AgSignInPhase phase;
  GCancellable *cancellable;   /* this agent's attempt; replaced by start() */
  char *url;                   /* the authorization URL while waiting */

  /* The browser agent. */
  AgLoopback *loopback;
  gpointer reply;              /* the loopback request waiting for the result */
  guint timeout;
  char *status;
  gboolean status_is_error;
  gboolean port_taken;
  gboolean launch;
  gboolean scope_retried;      /* started again without full access */
};

enum {
  PROP_0,
  PROP_AGENT,
  PROP_PHASE,
  PROP_URL,
  PROP_STATUS,
  N_PROPS
};

enum {
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AgSignIn, ag_sign_in, G_TYPE_OBJECT)

/* Stops what the current agent runs: the request in flight, the listener
 * (a waiting browser is told), the time limit. */
static void
stop_agent (AgSignIn *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->loopback != NULL)
    {
      if (self->reply != NULL)
        ag_loopback_reply (self->loopback, self->reply, FALSE, _("The sign-in was cancelled in Authgear Login."));
      g_signal_handlers_disconnect_by_data (self->loopback, self);
      ag_loopback_stop (self->loopback);
      g_clear_object (&self->loopback);
    }
  self->reply = NULL;
  self->port_taken = FALSE;
  g_clear_handle_id (&self->timeout, g_source_remove);
  g_clear_pointer (&self->url, ag_secure_free);
}

static void
set_status (AgSignIn   *self,
            const char *text,
            gboolean    is_error)
{
  g_free (self->status);
  self->status = g_strdup (text);
  self->status_is_error = is_error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

static void
set_phase (AgSignIn      *self,
           AgSignInPhase  phase)
{
  if (self->phase == phase)
    return;
  self->phase = phase;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
}

/* The one end of a sign-in: with @error NULL on success. */
static void
finish (AgSignIn     *self,
        const GError *error)
{
  if (self->phase == AG_SIGN_IN_PHASE_DONE)
    return;
  g_object_ref (self);
  stop_agent (self);
  /* A sign-in that did not complete leaves the session as it was. */
  if (error != NULL)
    ag_session_cancel_sign_in (self->session);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
  set_phase (self, AG_SIGN_IN_PHASE_DONE);
  g_signal_emit (self, signals[FINISHED], 0, error);
  g_object_unref (self);
}

static void
ag_sign_in_dispose (GObject *object)
{
  AgSignIn *self = AG_SIGN_IN (object);

  /* Nobody listens any more: end quietly. */
  if (self->phase != AG_SIGN_IN_PHASE_DONE)
    {
      stop_agent (self);
      ag_session_cancel_sign_in (self->session);
      self->phase = AG_SIGN_IN_PHASE_DONE;
    }
  G_OBJECT_CLASS (ag_sign_in_parent_class)->dispose (object);
}

static void
ag_sign_in_finalize (GObject *object)
{
  AgSignIn *self = AG_SIGN_IN (object);

  ag_auth_options_clear (&self->options);
  g_free (self->status);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (ag_sign_in_parent_class)->finalize (object);
}

static void
ag_sign_in_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  AgSignIn *self = AG_SIGN_IN (object);

  switch (prop_id)
    {
    case PROP_AGENT:
      g_value_set_enum (value, self->agent);
      break;
    case PROP_PHASE:
      g_value_set_enum (value, self->phase);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ag_sign_in_class_init (AgSignInClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ag_sign_in_dispose;
  object_class->finalize = ag_sign_in_finalize;
  object_class->get_property = ag_sign_in_get_property;

  properties[PROP_AGENT] =
    g_param_spec_enum ("agent", NULL, NULL, AG_TYPE_SIGN_IN_AGENT, AG_SIGN_IN_AGENT_EMBEDDED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PHASE] =
    g_param_spec_enum ("phase", NULL, NULL, AG_TYPE_SIGN_IN_PHASE, AG_SIGN_IN_PHASE_STARTING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AgSignIn::finished:
   * @error: (nullable): why it ended without signing in: %G_IO_ERROR_CANCELLED
   *   after ag_sign_in_stop(), %AG_ERROR_TIMEOUT when the browser never came
   *   back, or the sign-in's own error; %NULL when signed in.
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                    G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
ag_sign_in_init (AgSignIn *self)
{
}

AgSignIn *
ag_sign_in_new (AgSession           *session,
                const AgAuthOptions *options)
{
  AgSignIn *self;

  g_return_val_if_fail (AG_IS_SESSION (session), NULL);

  self = g_object_new (AG_TYPE_SIGN_IN, NULL);
  self->session = g_object_ref (session);
  if (options != NULL)
    ag_auth_options_copy (&self->options, options);
  if (self->options.ui_locales == NULL)
    self->options.ui_locales = ag_desktop_ui_locales ();
  return self;
}

static void completed_cb (GObject *object, GAsyncResult *result, gpointer user_data);
static void begin_agent (AgSignIn *self, AgSignInAgent agent, gboolean launch);

/* The answer has come: exchange it, as both agents do. */
static void
exchange (AgSignIn   *self,
          const char *uri,
          gpointer    reply)
{
  g_clear_handle_id (&self->timeout, g_source_remove);
  self->reply = reply;
  set_phase (self, AG_SIGN_IN_PHASE_EXCHANGING);
  if (self->agent == AG_SIGN_IN_AGENT_BROWSER)
    set_status (self, _("Signing in…"), FALSE);
  ag_session_complete_sign_in_async (self->session, uri, self->cancellable, completed_cb, g_object_ref (self));
}

static void
completed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AgSignIn) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = ag_session_complete_sign_in_finish (AG_SESSION (object), result, &error);

  if (!ok && ag_error_is_cancelled (error))
    return;
  if (self->loopback != NULL && self->reply != NULL)
    ag_loopback_reply (self->loopback, self->reply, ok, error ? error->message : NULL);
  self->reply = NULL;
  /* Authgear does not give this client full access: once, the same agent
   * starts again with the guide's scopes (the session asks for those now),
   * and the person signs in without account management. */
  if (g_error_matches (error, AG_ERROR, AG_ERROR_INVALID_SCOPE) && !self->scope_retried &&
      ag_session_get_full_access_refused (self->session))
    {
      self->scope_retried = TRUE;
      begin_agent (self, self->agent, self->agent == AG_SIGN_IN_AGENT_BROWSER);
      return;
    }
  finish (self, error);
}

AgSignInAnswer
ag_sign_in_offer_redirect (AgSignIn   *self,
                           const char *uri)
{
  g_return_val_if_fail (AG_IS_SIGN_IN (self), AG_SIGN_IN_ANSWER_NOT_WAITING);

  if (self->phase != AG_SIGN_IN_PHASE_WAITING)
    return AG_SIGN_IN_ANSWER_NOT_WAITING;
  if (uri == NULL || !ag_session_is_redirect (self->session, uri))
    return AG_SIGN_IN_ANSWER_NOT_REDIRECT;
  /* WebKitGTK does not say which frame a navigation is for, so a frame of
   * the page can send the view to the redirect URI too: without this
   * sign-in's state it cannot end the sign-in. */
  if (!ag_session_redirect_is_pending (self->session, uri))
    return AG_SIGN_IN_ANSWER_OTHER_SIGN_IN;
  exchange (self, uri, NULL);
  return AG_SIGN_IN_ANSWER_ACCEPTED;
}

const char *
ag_sign_in_answer_describe (AgSignInAnswer answer)
{
  switch (answer)
    {
    case AG_SIGN_IN_ANSWER_ACCEPTED:
      return _("Signing in…");
    case AG_SIGN_IN_ANSWER_NOT_WAITING:
      return _("Authgear Login is not waiting for a sign-in from the browser.");
    case AG_SIGN_IN_ANSWER_NOT_REDIRECT:
      return _("That is not the address Authgear sends you back to. Copy the whole address from the browser’s address bar.");
    case AG_SIGN_IN_ANSWER_OTHER_SIGN_IN:
    default:
      return _("That answer does not belong to this sign-in (state). Authgear Login is still waiting for the right one.");
    }
}

/* The browser agent. */

static void
loopback_callback_cb (AgLoopback *loopback,
                      const char *uri,
                      gpointer    reply,
                      AgSignIn   *self)
{
  /* The offer's checks, with the listener's reply kept for the end. */
  AgSignInAnswer answer = ag_sign_in_offer_redirect (self, uri);

  if (answer == AG_SIGN_IN_ANSWER_ACCEPTED)
    {
      self->reply = reply;
      return;
    }
  /* Any local process can send the listener a wrong request: it is
   * answered, and nothing the person sees changes. */
  g_debug ("The loopback listener got an answer that does not fit: ignored");
  ag_loopback_reply (loopback, reply, FALSE, ag_sign_in_answer_describe (answer));
}

static void
browser_launched_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(AgSignIn) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error) && !ag_error_is_cancelled (error) &&
      self->phase == AG_SIGN_IN_PHASE_WAITING)
    {
      g_autofree char *text = g_strdup_printf (_("No browser could be opened (%s). Copy the link into a browser instead."),
                                               error->message);
      set_status (self, text, TRUE);
    }
}

void
ag_sign_in_launch_browser (AgSignIn *self)
{
  g_return_if_fail (AG_IS_SIGN_IN (self));

  /* Never send the browser back to another program's port: it would get
   * the code, and show the person whatever it likes. */
  if (self->agent != AG_SIGN_IN_AGENT_BROWSER || self->phase != AG_SIGN_IN_PHASE_WAITING || self->port_taken)
    return;
  g_app_info_launch_default_for_uri_async (self->url, NULL, self->cancellable,
                                           browser_launched_cb, g_object_ref (self));
}

static gboolean
browser_timeout_cb (gpointer user_data)
{
  AgSignIn *self = user_data;
  g_autoptr(GError) error = g_error_new_literal (AG_ERROR, AG_ERROR_TIMEOUT,
                                                 _("Authgear Login stopped waiting for your browser. Press Login to start again."));

  self->timeout = 0;
  finish (self, error);
  return G_SOURCE_REMOVE;
}

/* Listens on the redirect URI's port only now, only while waiting. */
static void
start_listening (AgSignIn *self)
{
  const char *redirect_uri = ag_config_get_redirect_uri (ag_session_get_config (self->session));
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) redirect = NULL;
  g_autofree char *text = NULL;

  if (!ag_loopback_supports (redirect_uri))
    {
      set_status (self, _("Sign in in your browser, then paste the address you were sent back to."), FALSE);
      return;
    }
  self->loopback = ag_loopback_new (redirect_uri);
  g_signal_connect (self->loopback, "callback", G_CALLBACK (loopback_callback_cb), self);
  if (ag_loopback_start (self->loopback, &error))
    return;

  redirect = g_uri_parse (redirect_uri, G_URI_FLAGS_NONE, NULL);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
    {
      self->port_taken = TRUE;
      text = g_strdup_printf (_("Another program is using port %d. Your browser’s return would reach that program, not Authgear Login, so the browser was not opened. Close that program and start again, or copy the link, sign in, then paste the address you were sent back to."),
                              g_uri_get_port (redirect));
    }
  else
    text = g_strdup_printf (_("Authgear Login cannot wait for your browser (%s). Copy the link, sign in, then paste the address you were sent back to."),
                            error->message);
  g_signal_handlers_disconnect_by_data (self->loopback, self);
  g_clear_object (&self->loopback);
  set_status (self, text, TRUE);
}

static void
begun_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(AgSignIn) self = user_data;
  g_autoptr(GError) error = NULL;
  char *url;

  if (self->options.reauthenticate)
    url = ag_session_begin_reauthentication_finish (AG_SESSION (object), result, &error);
  else if (self->options.settings_action != NULL)
    url = ag_session_begin_settings_action_finish (AG_SESSION (object), result, &error);
  else
    url = ag_session_begin_sign_in_finish (AG_SESSION (object), result, &error);
  if (url == NULL)
    {
      if (!ag_error_is_cancelled (error))
        finish (self, error);
      return;
    }
  if (self->phase != AG_SIGN_IN_PHASE_STARTING)
    {
      ag_secure_free (url);
      return;
    }
  self->url = url;
  if (self->agent == AG_SIGN_IN_AGENT_BROWSER)
    {
      const char *env = g_getenv ("AG_BROWSER_WAIT_SECONDS");
      guint64 seconds = BROWSER_WAIT_SECONDS;

      start_listening (self);
      if (env != NULL)
        g_ascii_string_to_unsigned (env, 10, 1, BROWSER_WAIT_SECONDS, &seconds, NULL);
      self->timeout = g_timeout_add_seconds ((guint) seconds, browser_timeout_cb, self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
  set_phase (self, AG_SIGN_IN_PHASE_WAITING);
  if (self->launch)
    ag_sign_in_launch_browser (self);
}

void
ag_sign_in_start (AgSignIn      *self,
                  AgSignInAgent  agent,
                  gboolean       launch)
{
  g_return_if_fail (AG_IS_SIGN_IN (self));

  if (self->phase == AG_SIGN_IN_PHASE_DONE || self->phase == AG_SIGN_IN_PHASE_EXCHANGING)
    return;
  g_return_if_fail (agent == AG_SIGN_IN_AGENT_EMBEDDED || ag_sign_in_get_browser_allowed (self));
  begin_agent (self, agent, launch);
}

gboolean
ag_sign_in_get_browser_allowed (AgSignIn *self)
{
  g_return_val_if_fail (AG_IS_SIGN_IN (self), FALSE);
  /* A settings action's or a reauthentication's URL carries the app
   * session token and the ID token: it never leaves the app. */
  return self->options.settings_action == NULL && !self->options.reauthenticate;
}

static void
begin_agent (AgSignIn      *self,
             AgSignInAgent  agent,
             gboolean       launch)
{
  stop_agent (self);
  self->cancellable = g_cancellable_new ();
  self->agent = agent;
  self->launch = launch && agent == AG_SIGN_IN_AGENT_BROWSER;
  g_clear_pointer (&self->status, g_free);
  self->status_is_error = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AGENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
  self->phase = AG_SIGN_IN_PHASE_STARTING;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
  /* A fresh request each time: a new agent never reuses the old state. */
  if (self->options.reauthenticate)
    ag_session_begin_reauthentication_async (self->session, &self->options, self->cancellable,
                                             begun_cb, g_object_ref (self));
  else if (self->options.settings_action != NULL)
    ag_session_begin_settings_action_async (self->session, self->options.settings_action, &self->options,
                                            self->cancellable, begun_cb, g_object_ref (self));
  else
    ag_session_begin_sign_in_async (self->session, &self->options, self->cancellable,
                                    begun_cb, g_object_ref (self));
}

void
ag_sign_in_stop (AgSignIn *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (AG_IS_SIGN_IN (self));

  if (self->phase == AG_SIGN_IN_PHASE_DONE)
    return;
  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The sign-in was cancelled"));
  finish (self, error);
}

AgSession *
ag_sign_in_get_session (AgSignIn *self)
{
  g_return_val_if_fail (AG_IS_SIGN_IN (self), NULL);
  return self->session;
}

AgSignInAgent
ag_sign_in_get_agent (AgSignIn *self)
{
  g_return_val_if_fail (AG_IS_SIGN_IN (self), AG_SIGN_IN_AGENT_EMBEDDED);
  return self->agent;
}

AgSignInPhase
ag_sign_in_get_phase (AgSignIn *self)
{
  g_return_val_if_fail (AG_IS_SIGN_IN (self), AG_SIGN_IN_PHASE_DONE);
  return self->phase;
}

const AgAuthOptions *
ag_sign_in_get_options (AgSignIn *self)
{
  g_return_val_if_fail (AG_IS_SIGN_IN (self), NULL);
  return &self->options;
}

const char *
ag_sign_in_get_url (AgSignIn *self)
{
  g_return_val_if_fail (AG_IS_SIGN_IN (self), NULL);
  return self->url;
}

const char *
ag_sign_in_get_status (AgSignIn *self,
                       gboolean *is_error)
{
  g_return_val_if_fail (AG_IS_SIGN_IN (self), NULL);
  if (is_error != NULL)
    *is_error = self->status_is_error;
  return self->status;
}

gboolean
ag_sign_in_get_port_taken (AgSignIn *self)
{
  g_return_val_if_fail (AG_IS_SIGN_IN (self), FALSE);
  return self->port_taken;
}
