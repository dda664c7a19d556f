/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AuthgearBrowserUserAgent: the system browser, and a loopback listener on
 * the redirect URI's port for its return. GIO and libsoup only. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ag-auth-request.h"
#include "ag-error.h"
#include "ag-loopback.h"
#include "authgear-glib.h"

/**
 * AuthgearBrowserUserAgent:
 *
 * Opens Authgear's pages in the person's default web browser, and receives
 * the browser's return on the redirect URI with a listener of its own on
 * this computer (RFC 8252 §7.3). The redirect URI must then be an `http`
 * address on `localhost`, `127.0.0.1` or `[::1]` with a port, such as the
 * Flask guide's `http://localhost:3000/callback`.
 *
 * The listener takes only a bodyless `GET` of the redirect path, addressed
 * to this computer, that carries the `state` of the URL it opened. Anything
 * else another program sends is refused, and the wait goes on. When another
 * program already holds the port, the browser is not opened (the person's
 * sign-in would reach that program) and the call fails with
 * %G_IO_ERROR_ADDRESS_IN_USE.
 *
 * This is the user agent #AuthgearClient uses unless it is given another.
 */
struct _AuthgearBrowserUserAgent
{
  GObject parent_instance;

  guint timeout;
  gboolean launch_browser;
};

enum
{
  PROP_0,
  PROP_TIMEOUT,
  PROP_LAUNCH_BROWSER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define DEFAULT_TIMEOUT (10 * 60)

typedef struct
{
  AgLoopback *loopback;
  char *redirect_uri;
  char *state;
  guint timeout_id;
  gulong cancelled_id;
  GTask *held;       /* the task keeps itself alive while it waits */
  gboolean done;
} Wait;

static gboolean
stop_loopback_idle (gpointer data)
{
  AgLoopback *loopback = data;

  ag_loopback_stop (loopback);
  g_object_unref (loopback);
  return G_SOURCE_REMOVE;
}

static void
wait_free (Wait *wait)
{
  g_clear_handle_id (&wait->timeout_id, g_source_remove);
  if (wait->loopback != NULL)
    {
      ag_loopback_stop (wait->loopback);
      g_clear_object (&wait->loopback);
    }
  g_free (wait->redirect_uri);
  g_free (wait->state);
  g_free (wait);
}

static void authgear_browser_user_agent_iface_init (AuthgearUserAgentInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AuthgearBrowserUserAgent, authgear_browser_user_agent, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (AUTHGEAR_TYPE_USER_AGENT,
                                                      authgear_browser_user_agent_iface_init))

/* Ends the wait of @task once: the listener stops, the timer goes. */
static void
finish (GTask  *task,
        char   *uri,
        GError *error)
{
  Wait *wait = g_task_get_task_data (task);

  if (wait->done)
    {
      g_free (uri);
      g_clear_error (&error);
      return;
    }
  wait->done = TRUE;
  g_clear_handle_id (&wait->timeout_id, g_source_remove);
  if (wait->loopback != NULL)
    {
      /* Stopped from the main loop, not from inside its own handler, but
       * before anything else: the port is closed at once. */
      g_signal_handlers_disconnect_matched (wait->loopback, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, task);
      g_idle_add_full (G_PRIORITY_HIGH, stop_loopback_idle, g_steal_pointer (&wait->loopback), NULL);
    }
  if (wait->cancelled_id != 0)
    {
      g_cancellable_disconnect (g_task_get_cancellable (task), wait->cancelled_id);
      wait->cancelled_id = 0;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, uri, g_free);
  g_clear_object (&wait->held);
}

static void
callback_cb (AgLoopback *loopback,
             const char *uri,
             gpointer    reply,
             GTask      *task)
{
  Wait *wait = g_task_get_task_data (task);
  g_autofree char *error = NULL;

  if (!ag_redirect_is_answer (wait->redirect_uri, wait->state, uri))
    {
      /* Not this sign-in's answer, whoever sent it: refused, and the wait
       * goes on for the right one. */
      g_debug ("A request without this sign-in's state was refused");
      ag_loopback_reply_message (loopback, reply, FALSE,
                                 _("This answer does not belong to this sign-in."));
      return;
    }
  error = ag_uri_query_value (uri, "error");
  /* Authgear's refusal: the browser's tab says so too. */
  if (g_strcmp0 (error, "access_denied") == 0)
    ag_loopback_reply_message (loopback, reply, FALSE, _("Access was denied"));
  else if (error != NULL)
    ag_loopback_reply_message (loopback, reply, FALSE, _("The sign-in did not complete. Go back to the application to see why."));
  else
    {
      g_autofree char *text = g_strdup_printf (_("You can close this tab and go back to %s."),
                                               g_get_application_name () ? g_get_application_name () : "");

      ag_loopback_reply_message (loopback, reply, TRUE, text);
    }
  g_object_ref (task);
  finish (task, g_strdup (uri), NULL);
  g_object_unref (task);
}

static gboolean
timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  Wait *wait = g_task_get_task_data (task);

  wait->timeout_id = 0;
  finish (task, NULL, g_error_new_literal (AUTHGEAR_ERROR, AUTHGEAR_ERROR_TIMEOUT,
                                           _("The browser did not come back in time")));
  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_idle_cb (gpointer user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    finish (task, NULL, error);
  return G_SOURCE_REMOVE;
}

static void
cancelled_cb (GCancellable *cancellable,
              GTask        *task)
{
  /* Not from inside the cancellable's own handler. */
  g_idle_add_full (G_PRIORITY_HIGH, cancelled_idle_cb, g_object_ref (task), g_object_unref);
}

static void
launched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Wait *wait = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      GError *failed;

      if (ag_error_is_cancelled (error))
        {
          finish (task, NULL, error);
          return;
        }
      failed = g_error_new (AUTHGEAR_ERROR, AUTHGEAR_ERROR_BROWSER_UNAVAILABLE,
                            _("No web browser could be opened: %s"), error->message);

      g_error_free (error);
      finish (task, NULL, failed);
      return;
    }
  if (wait->held == NULL)
    finish (task, NULL, NULL);   /* only showing a page */
}

static void
open_async (AuthgearUserAgent   *agent,
            const char          *url,
            const char          *redirect_uri,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  AuthgearBrowserUserAgent *self = AUTHGEAR_BROWSER_USER_AGENT (agent);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Wait *wait = g_new0 (Wait, 1);

  g_task_set_source_tag (task, open_async);
  g_task_set_task_data (task, wait, (GDestroyNotify) wait_free);

  if (redirect_uri != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!ag_loopback_supports (redirect_uri))
        {
          g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION,
                                   _("The browser can only come back to an http address on this computer with a port, such as http://localhost:3000/callback, not %s"),
                                   redirect_uri);
          return;
        }
      wait->redirect_uri = g_strdup (redirect_uri);
      wait->state = ag_uri_query_value (url, "state");
      wait->loopback = ag_loopback_new (redirect_uri);
      if (!ag_loopback_start (wait->loopback, &error))
        {
          g_autoptr(GUri) parsed = g_uri_parse (redirect_uri, G_URI_FLAGS_NONE, NULL);

          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
            g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                                     _("Another program is using port %d. The browser’s return would reach that program, so the browser was not opened. Close that program and try again."),
                                     g_uri_get_port (parsed));
          else
            g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_BROWSER_UNAVAILABLE,
                                     _("Cannot wait for the browser on %s: %s"), redirect_uri, error->message);
          return;
        }
      g_signal_connect (wait->loopback, "callback", G_CALLBACK (callback_cb), task);
      wait->held = g_object_ref (task);
      if (self->timeout > 0)
        wait->timeout_id = g_timeout_add_seconds (self->timeout, timeout_cb, task);
      if (cancellable != NULL)
        wait->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), task, NULL);
    }
  if (self->launch_browser)
    g_app_info_launch_default_for_uri_async (url, NULL, cancellable, launched_cb, g_object_ref (task));
  else if (wait->held == NULL)
    g_task_return_pointer (task, NULL, NULL);
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
authgear_browser_user_agent_iface_init (AuthgearUserAgentInterface *iface)
{
  iface->open_async = open_async;
  iface->open_finish = open_finish;
}

static void
authgear_browser_user_agent_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  AuthgearBrowserUserAgent *self = AUTHGEAR_BROWSER_USER_AGENT (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_LAUNCH_BROWSER:
      g_value_set_boolean (value, self->launch_browser);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
authgear_browser_user_agent_set_property (GObject      *object,
                                          guint         prop_id,
                                          const GValue *value,
                                          GParamSpec   *pspec)
{
  AuthgearBrowserUserAgent *self = AUTHGEAR_BROWSER_USER_AGENT (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      authgear_browser_user_agent_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_LAUNCH_BROWSER:
      authgear_browser_user_agent_set_launch_browser (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
authgear_browser_user_agent_class_init (AuthgearBrowserUserAgentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = authgear_browser_user_agent_get_property;
  object_class->set_property = authgear_browser_user_agent_set_property;

  /**
   * AuthgearBrowserUserAgent:timeout:
   *
   * How long to wait for the browser to come back, in seconds (0: for
   * ever). Ten minutes unless set.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AuthgearBrowserUserAgent:launch-browser:
   *
   * Whether an open call starts the browser. When %FALSE it only waits for
   * the browser's return, and the program gives the person the URL its
   * own way: a link to copy, or its own launch, whose failure it can
   * report while the wait goes on. %TRUE unless set.
   */
  properties[PROP_LAUNCH_BROWSER] =
    g_param_spec_boolean ("launch-browser", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
authgear_browser_user_agent_init (AuthgearBrowserUserAgent *self)
{
  self->timeout = DEFAULT_TIMEOUT;
  self->launch_browser = TRUE;
}

/**
 * authgear_browser_user_agent_new:
 *
 * A user agent that opens the person's default web browser.
 *
 * Returns: (transfer full): a new #AuthgearBrowserUserAgent
 */
AuthgearUserAgent *
authgear_browser_user_agent_new (void)
{
  return g_object_new (AUTHGEAR_TYPE_BROWSER_USER_AGENT, NULL);
}

/**
 * authgear_browser_user_agent_get_timeout:
 * @self: a #AuthgearBrowserUserAgent
 *
 * Returns: how long the browser is waited for, in seconds
 */
guint
authgear_browser_user_agent_get_timeout (AuthgearBrowserUserAgent *self)
{
  g_return_val_if_fail (AUTHGEAR_IS_BROWSER_USER_AGENT (self), 0);
  return self->timeout;
}

/**
 * authgear_browser_user_agent_set_timeout:
 * @self: a #AuthgearBrowserUserAgent
 * @seconds: how long to wait for the browser (0: for ever)
 *
 * Sets how long an open call waits for the browser to come back.
 */
void
authgear_browser_user_agent_set_timeout (AuthgearBrowserUserAgent *self,
                                         guint                     seconds)
{
  g_return_if_fail (AUTHGEAR_IS_BROWSER_USER_AGENT (self));

  if (self->timeout == seconds)
    return;
  self->timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

/**
 * authgear_browser_user_agent_get_launch_browser:
 * @self: a #AuthgearBrowserUserAgent
 *
 * Returns: whether an open call starts the browser
 */
gboolean
authgear_browser_user_agent_get_launch_browser (AuthgearBrowserUserAgent *self)
{
  g_return_val_if_fail (AUTHGEAR_IS_BROWSER_USER_AGENT (self), FALSE);
  return self->launch_browser;
}

/**
 * authgear_browser_user_agent_set_launch_browser:
 * @self: a #AuthgearBrowserUserAgent
 * @launch_browser: whether an open call starts the browser
 *
 * Sets #AuthgearBrowserUserAgent:launch-browser.
 */
void
authgear_browser_user_agent_set_launch_browser (AuthgearBrowserUserAgent *self,
                                                gboolean                  launch_browser)
{
  g_return_if_fail (AUTHGEAR_IS_BROWSER_USER_AGENT (self));

  launch_browser = !!launch_browser;
  if (self->launch_browser == launch_browser)
    return;
  self->launch_browser = launch_browser;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAUNCH_BROWSER]);
}
