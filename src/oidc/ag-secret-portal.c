/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Secret portal's answer, waited for so that it cannot be lost.
 *
 * Inside a sandbox, libsecret's file backend asks the portal for the app's
 * key (RetrieveSecret), and the portal says "done" with a Response signal
 * on the request's path. libsecret before 0.21.4 subscribes to that signal
 * only when RetrieveSecret's reply has reached its thread; the portal sends
 * the Response about a millisecond after that reply, and when the thread
 * is slower than that the signal has no subscriber and is dropped. The
 * backend is then never made, and every keyring call after it waits for
 * ever (libsecret issue 58, fixed by its commit 311ca72). With Debian 12's
 * 0.20.5, 5 starts of `flatpak run … --print-access-token` in 40 hung so.
 *
 * Cancelling such a wait is no way out either: 0.20's cancel handler
 * disconnects itself from inside the cancellable's emission, which never
 * returns (fixed by its commit 0e205fc in 0.21.0).
 *
 * So, before the first keyring call, a lookup of nothing is made with no
 * cancellable, which makes the backend; when it has not answered in a
 * second, another is made. Every request of one connection has the same
 * path, so the Response to a later request also reaches an earlier
 * attempt that had subscribed meanwhile, and whichever answers first makes
 * libsecret's one backend, which every call after it shares. An attempt
 * that never answers keeps its small state for the life of the process.
 *
 * Built only against a libsecret that has the bug: the GNOME runtimes that
 * carry 0.21.4 or later get a function that returns at once. */

#include "config.h"

#include <libsecret/secret.h>

#include "ag-secret-portal.h"

#if SECRET_CHECK_VERSION (0, 21, 4)

gboolean
ag_secret_portal_wait (GCancellable *cancellable)
{
  return !g_cancellable_is_cancelled (cancellable);
}

#else

#define AG_SECRET_PORTAL_ASK_AGAIN_MS 1000
#define AG_SECRET_PORTAL_ATTEMPTS 10

/* Set once libsecret has made its backend: then there is nothing to wait for. */
static gint backend_made;

typedef struct
{
  gatomicrefcount ref;
  gboolean answered;
} Wait;

static void
wait_unref (Wait *wait)
{
  if (g_atomic_ref_count_dec (&wait->ref))
    g_free (wait);
}

static gboolean
in_sandbox (void)
{
  /* libsecret's own test for using its file backend. */
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) || g_getenv ("SNAP_NAME") != NULL;
}

static const SecretSchema *
nothing_schema (void)
{
  static const SecretSchema schema = {
    "io.github.authgearlogin.PortalCheck", SECRET_SCHEMA_NONE,
    { { "check", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;
  g_autoptr(GError) error = NULL;
  char *nothing = secret_password_lookup_finish (result, &error);

  secret_password_free (nothing);
  /* A backend that could not be made (no portal, a refusal) is said by
   * the keyring call that follows; the wait is over either way. */
  if (error == NULL)
    g_atomic_int_set (&backend_made, 1);
  else
    g_debug ("Keyring: the Secret portal: %s", error->message);
  wait->answered = TRUE;
  wait_unref (wait);
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_REMOVE;
}

gboolean
ag_secret_portal_wait (GCancellable *cancellable)
{
  GMainContext *context;
  Wait *wait;
  gint64 ask_at = 0;
  guint asked = 0;

  if (g_atomic_int_get (&backend_made) || !in_sandbox ())
    return !g_cancellable_is_cancelled (cancellable);

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  wait = g_new0 (Wait, 1);
  g_atomic_ref_count_init (&wait->ref);
  while (!wait->answered && !g_atomic_int_get (&backend_made) && !g_cancellable_is_cancelled (cancellable))
    {
      GSource *tick;

      if (asked < AG_SECRET_PORTAL_ATTEMPTS && g_get_monotonic_time () >= ask_at)
        {
          if (asked > 0)
            g_debug ("Keyring: no answer from the Secret portal in %d ms; asking again", AG_SECRET_PORTAL_ASK_AGAIN_MS);
          g_atomic_ref_count_inc (&wait->ref);
          secret_password_lookup (nothing_schema (), NULL, looked_up_cb, wait, "check", "none", NULL);
          asked++;
          ask_at = g_get_monotonic_time () + AG_SECRET_PORTAL_ASK_AGAIN_MS * G_TIME_SPAN_MILLISECOND;
        }
      /* Wakes up now and then to see the cancellable, the clock, and
       * another thread's wait that made the backend. */
      tick = g_timeout_source_new (100);
      g_source_set_callback (tick, tick_cb, NULL, NULL);
      g_source_attach (tick, context);
      g_main_context_iteration (context, TRUE);
      g_source_destroy (tick);
      g_source_unref (tick);
    }
  g_main_context_pop_thread_default (context);
  /* An attempt still out keeps the context alive through its own task. */
  g_main_context_unref (context);
  wait_unref (wait);
  return !g_cancellable_is_cancelled (cancellable);
}

#endif
