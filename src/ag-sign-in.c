/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AgSignIn owns one sign-in from Login to Welcome: its options, its
 * cancellable, its user agent (the embedded page, or the browser with the
 * loopback listener, the paste field and the time limit), and the one path
 * that stops it (Cancel, the time limit, a new configuration, dispose).
 *
 * It signs in through authgear-glib's public API only: it calls
 * AuthgearClient (authenticate, reauthenticate, a settings action) and is
 * itself the AuthgearUserAgent of that call. The client makes the request
 * and keeps the tokens; the window only shows what this says. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ag-error.h"
#include "ag-secure.h"
#include "ag-sign-in.h"

/* How long the browser agent waits: 10 minutes (AG_BROWSER_WAIT_SECONDS in
 * tests). */
#define BROWSER_WAIT_SECONDS 600

struct _AgSignIn
{
  GObject parent_instance;

  AuthgearClient *client;
  AgSignInKind kind;
  AuthgearPage page;
  AuthgearAuthenticateOptions *options;
  AgSignInAgent agent;
  AgSignInPhase phase;
  GCancellable *cancellable;   /* this agent's attempt (the client's call); replaced by start() */
  char *url;                   /* the authorization URL while waiting */
  char *redirect_uri;
  GTask *open;                 /* the client's open call, until the answer comes */

  /* The browser agent: authgear-glib's, which listens on the redirect
   * URI's port; this object launches the browser and keeps the time. */
  AuthgearUserAgent *browser;
  GCancellable *browser_cancellable;
  guint timeout;
  guint launch_idle;
  char *status;
  gboolean status_is_error;
  gboolean port_taken;
  gboolean launch;
};

enum {
  PROP_0,
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

static void ag_sign_in_user_agent_init (AuthgearUserAgentInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AgSignIn, ag_sign_in, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (AUTHGEAR_TYPE_USER_AGENT, ag_sign_in_user_agent_init))

/* Stops what the current agent runs: the client's call, the page's wait,
 * the browser's listener, the time limit. */
static void
stop_agent (AgSignIn *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->browser_cancellable);
  g_clear_object (&self->browser_cancellable);
  g_clear_object (&self->browser);
  if (self->open != NULL)
    {
      GTask *open = g_steal_pointer (&self->open);

      g_task_return_new_error (open, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The sign-in was cancelled"));
      g_object_unref (open);
    }
  self->port_taken = FALSE;
  g_clear_handle_id (&self->timeout, g_source_remove);
  g_clear_handle_id (&self->launch_idle, g_source_remove);
  g_clear_pointer (&self->url, ag_secure_free);
  g_clear_pointer (&self->redirect_uri, g_free);
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
      self->phase = AG_SIGN_IN_PHASE_DONE;
    }
  g_clear_object (&self->client);
  G_OBJECT_CLASS (ag_sign_in_parent_class)->dispose (object);
}

static void
ag_sign_in_finalize (GObject *object)
{
  AgSignIn *self = AG_SIGN_IN (object);

  authgear_authenticate_options_free (self->options);
  g_free (self->status);
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
    case PROP_PHASE:
      g_value_set_int (value, self->phase);
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

  properties[PROP_PHASE] =
    g_param_spec_int ("phase", NULL, NULL, AG_SIGN_IN_PHASE_STARTING, AG_SIGN_IN_PHASE_DONE, AG_SIGN_IN_PHASE_STARTING,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* AgSignIn::finished: @error is why it ended without signing in
   * (G_IO_ERROR_CANCELLED after ag_sign_in_stop(), AUTHGEAR_ERROR_TIMEOUT
   * when the browser never came back, or the client's own error), %NULL
   * when it succeeded. */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                    G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
ag_sign_in_init (AgSignIn *self)
{
}

AgSignIn *
ag_sign_in_new (AuthgearClient              *client,
                AgSignInKind                 kind,
                AuthgearPage                 page,
                AuthgearAuthenticateOptions *options)
{
  AgSignIn *self;

  g_return_val_if_fail (AUTHGEAR_IS_CLIENT (client), NULL);

  self = g_object_new (AG_TYPE_SIGN_IN, NULL);
  self->client = g_object_ref (client);
  self->kind = kind;
  self->page = page;
  self->options = options ? authgear_authenticate_options_copy (options) : authgear_authenticate_options_new ();
  authgear_authenticate_options_set_page (self->options, page);
  return self;
}

/* The answer has come: the client exchanges it. */
static void
hand_back (AgSignIn   *self,
           const char *uri)
{
  GTask *open = g_steal_pointer (&self->open);

  g_clear_handle_id (&self->timeout, g_source_remove);
  /* The browser's listener is not needed any more (a pasted answer). */
  g_cancellable_cancel (self->browser_cancellable);
  set_phase (self, AG_SIGN_IN_PHASE_EXCHANGING);
  if (self->agent == AG_SIGN_IN_AGENT_BROWSER)
    set_status (self, _("Signing in…"), FALSE);
  g_task_return_pointer (open, g_strdup (uri), (GDestroyNotify) ag_secure_free);
  g_object_unref (open);
}

AgSignInAnswer
ag_sign_in_offer_redirect (AgSignIn   *self,
                           const char *uri)
{
  g_return_val_if_fail (AG_IS_SIGN_IN (self), AG_SIGN_IN_ANSWER_NOT_WAITING);

  if (self->phase != AG_SIGN_IN_PHASE_WAITING || self->open == NULL || self->kind == AG_SIGN_IN_SETTINGS)
    return AG_SIGN_IN_ANSWER_NOT_WAITING;
  if (uri == NULL || !authgear_user_agent_redirect_uri_matches (self->redirect_uri, uri))
    return AG_SIGN_IN_ANSWER_NOT_REDIRECT;
  /* WebKitGTK does not say which frame a navigation is for, so a frame of
   * the page can send the view to the redirect URI too: without this
   * sign-in's state it cannot end the sign-in. */
  if (!authgear_user_agent_redirect_is_answer (self->url, self->redirect_uri, uri))
    return AG_SIGN_IN_ANSWER_OTHER_SIGN_IN;
  hand_back (self, uri);
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
  g_app_info_launch_default_for_uri_async (self->url, NULL, self->browser_cancellable,
                                           browser_launched_cb, g_object_ref (self));
}

/* After the listener has had its say (a port in use is reported at a
 * higher priority than this idle), the browser is opened. */
static gboolean
launch_idle_cb (gpointer user_data)
{
  AgSignIn *self = user_data;

  self->launch_idle = 0;
  ag_sign_in_launch_browser (self);
  return G_SOURCE_REMOVE;
}

static gboolean
browser_timeout_cb (gpointer user_data)
{
  AgSignIn *self = user_data;
  GTask *open = g_steal_pointer (&self->open);

  self->timeout = 0;
  if (open == NULL)
    return G_SOURCE_REMOVE;
  g_cancellable_cancel (self->browser_cancellable);
  /* The client ends its call with this error, and the sign-in with it. */
  g_task_return_new_error (open, AUTHGEAR_ERROR, AUTHGEAR_ERROR_TIMEOUT,
                           _("Authgear Login stopped waiting for your browser. Press Login to start again."));
  g_object_unref (open);
  return G_SOURCE_REMOVE;
}

/* authgear-glib's browser agent came back: with the answer, or why it
 * cannot wait (the port is another program's). The paste field still can. */
static void
browser_returned_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(AgSignIn) self = user_data;
  g_autoptr(GError) error = NULL;
  char *uri = authgear_user_agent_open_finish (AUTHGEAR_USER_AGENT (object), result, &error);
  g_autofree char *text = NULL;

  if (uri != NULL || ag_error_is_cancelled (error) || (AuthgearUserAgent *) object != self->browser)
    {
      /* The listener checked the state: this sign-in's answer. */
      if (uri != NULL && (AuthgearUserAgent *) object == self->browser &&
          ag_sign_in_offer_redirect (self, uri) != AG_SIGN_IN_ANSWER_ACCEPTED)
        g_debug ("The browser's answer came when it was no longer waited for");
      ag_secure_free (uri);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
    {
      g_autoptr(GUri) redirect = g_uri_parse (self->redirect_uri, G_URI_FLAGS_NONE, NULL);

      self->port_taken = TRUE;
      g_clear_handle_id (&self->launch_idle, g_source_remove);
      text = g_strdup_printf (_("Another program is using port %d. Your browser’s return would reach that program, not Authgear Login, so the browser was not opened. Close that program and start again, or copy the link, sign in, then paste the address you were sent back to."),
                              redirect ? g_uri_get_port (redirect) : -1);
    }
  else
    text = g_strdup_printf (_("Authgear Login cannot wait for your browser (%s). Copy the link, sign in, then paste the address you were sent back to."),
                            error ? error->message : "");
  set_status (self, text, TRUE);
}

/* AuthgearUserAgent: the client shows a page through this. */

static void
open_async (AuthgearUserAgent   *agent,
            const char          *url,
            const char          *redirect_uri,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  AgSignIn *self = AG_SIGN_IN (agent);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, open_async);
  /* Only this sign-in's page, one at a time (the client shows a second
   * one after Authgear refused full access); the settings page has no
   * redirect. */
  if (self->phase == AG_SIGN_IN_PHASE_WAITING || self->phase == AG_SIGN_IN_PHASE_DONE || self->open != NULL ||
      (redirect_uri == NULL) != (self->kind == AG_SIGN_IN_SETTINGS))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The sign-in was cancelled"));
      return;
    }
  self->open = g_steal_pointer (&task);
  g_clear_pointer (&self->url, ag_secure_free);
  self->url = g_strdup (url);
  /* The settings page is shown with the redirect URI too, so that the
   * view lets no navigation reach it. */
  g_free (self->redirect_uri);
  self->redirect_uri = g_strdup (redirect_uri ? redirect_uri : authgear_client_get_redirect_uri (self->client));
  if (self->agent == AG_SIGN_IN_AGENT_BROWSER)
    {
      const char *env = g_getenv ("AG_BROWSER_WAIT_SECONDS");
      guint64 seconds = BROWSER_WAIT_SECONDS;

      /* A second page of the same sign-in goes to the browser as well. */
      if (self->phase == AG_SIGN_IN_PHASE_EXCHANGING)
        self->launch = TRUE;
      g_cancellable_cancel (self->browser_cancellable);
      g_clear_object (&self->browser_cancellable);
      g_clear_object (&self->browser);
      g_clear_handle_id (&self->timeout, g_source_remove);

      /* The listener waits as long as this sign-in does; the browser is
       * launched (or the link copied) here, so that a failed launch can be
       * said while the wait goes on. */
      self->browser = g_object_new (AUTHGEAR_TYPE_BROWSER_USER_AGENT, "launch-browser", FALSE, "timeout", 0, NULL);
      self->browser_cancellable = g_cancellable_new ();
      authgear_user_agent_open_async (self->browser, url, redirect_uri, self->browser_cancellable,
                                      browser_returned_cb, g_object_ref (self));
      if (env != NULL)
        g_ascii_string_to_unsigned (env, 10, 1, BROWSER_WAIT_SECONDS, &seconds, NULL);
      self->timeout = g_timeout_add_seconds ((guint) seconds, browser_timeout_cb, self);
      if (self->launch)
        self->launch_idle = g_idle_add_full (G_PRIORITY_LOW, launch_idle_cb, self, NULL);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
  set_phase (self, AG_SIGN_IN_PHASE_WAITING);
}

static char *
open_finish (AuthgearUserAgent  *agent,
             GAsyncResult       *result,
             GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, agent), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
ag_sign_in_user_agent_init (AuthgearUserAgentInterface *iface)
{
  iface->open_async = open_async;
  iface->open_finish = open_finish;
}

/* The client's call ended. */

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(AgSignIn) self = user_data;
  AuthgearClient *client = AUTHGEAR_CLIENT (object);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(AuthgearUserInfo) info = NULL;

  switch (self->kind)
    {
    case AG_SIGN_IN_AUTHENTICATE:
      info = authgear_client_authenticate_finish (client, result, &error);
      break;
    case AG_SIGN_IN_REAUTHENTICATE:
      info = authgear_client_reauthenticate_finish (client, result, &error);
      break;
    case AG_SIGN_IN_SETTINGS:
      authgear_client_open_settings_finish (client, result, &error);
      break;
    case AG_SIGN_IN_CHANGE_EMAIL:
    case AG_SIGN_IN_DELETE_ACCOUNT:
    default:
      authgear_client_settings_action_finish (client, result, &error);
      break;
    }
  /* An attempt replaced by another agent's, or stopped: already said. */
  if (cancellable != self->cancellable || g_cancellable_is_cancelled (cancellable))
    return;
  finish (self, error);
}

static void
begin_agent (AgSignIn      *self,
             AgSignInAgent  agent,
             gboolean       launch)
{
  g_autoptr(AuthgearAuthenticateOptions) options = NULL;

  stop_agent (self);
  self->cancellable = g_cancellable_new ();
  self->agent = agent;
  self->launch = launch && agent == AG_SIGN_IN_AGENT_BROWSER;
  g_clear_pointer (&self->status, g_free);
  self->status_is_error = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
  self->phase = AG_SIGN_IN_PHASE_STARTING;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);

  /* This call's user agent is this object; the client's own stays for
   * its other calls. A fresh request each time: a new agent never reuses
   * the old state. */
  options = authgear_authenticate_options_copy (self->options);
  authgear_authenticate_options_set_user_agent (options, AUTHGEAR_USER_AGENT (self));
  switch (self->kind)
    {
    case AG_SIGN_IN_AUTHENTICATE:
      authgear_client_authenticate_async (self->client, options, self->cancellable,
                                          done_cb, g_object_ref (self));
      break;
    case AG_SIGN_IN_REAUTHENTICATE:
      authgear_client_reauthenticate_async (self->client, options, self->cancellable,
                                            done_cb, g_object_ref (self));
      break;
    case AG_SIGN_IN_SETTINGS:
      authgear_client_open_settings_async (self->client, options, self->cancellable,
                                           done_cb, g_object_ref (self));
      break;
    case AG_SIGN_IN_CHANGE_EMAIL:
    case AG_SIGN_IN_DELETE_ACCOUNT:
    default:
      authgear_client_settings_action_async (self->client,
                                             self->kind == AG_SIGN_IN_DELETE_ACCOUNT
                                               ? AUTHGEAR_SETTINGS_ACTION_DELETE_ACCOUNT
                                               : AUTHGEAR_SETTINGS_ACTION_CHANGE_EMAIL,
                                             options, self->cancellable, done_cb, g_object_ref (self));
      break;
    }
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
  return self->kind == AG_SIGN_IN_AUTHENTICATE;
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

void
ag_sign_in_close (AgSignIn *self)
{
  GTask *open;

  g_return_if_fail (AG_IS_SIGN_IN (self));

  if (self->kind != AG_SIGN_IN_SETTINGS || self->phase != AG_SIGN_IN_PHASE_WAITING || self->open == NULL)
    {
      ag_sign_in_stop (self);
      return;
    }
  /* The client's open_settings call ends with the page. */
  open = g_steal_pointer (&self->open);
  set_phase (self, AG_SIGN_IN_PHASE_EXCHANGING);
  g_task_return_pointer (open, NULL, NULL);
  g_object_unref (open);
}

AgSignInKind
ag_sign_in_get_kind (AgSignIn *self)
{
  g_return_val_if_fail (AG_IS_SIGN_IN (self), AG_SIGN_IN_AUTHENTICATE);
  return self->kind;
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

AuthgearPage
ag_sign_in_get_page (AgSignIn *self)
{
  g_return_val_if_fail (AG_IS_SIGN_IN (self), AUTHGEAR_PAGE_LOGIN);
  return self->page;
}

const char *
ag_sign_in_get_url (AgSignIn *self)
{
  g_return_val_if_fail (AG_IS_SIGN_IN (self), NULL);
  return self->url;
}

const char *
ag_sign_in_get_redirect_uri (AgSignIn *self)
{
  g_return_val_if_fail (AG_IS_SIGN_IN (self), NULL);
  return self->redirect_uri;
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
