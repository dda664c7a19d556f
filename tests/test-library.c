/* SPDX-License-Identifier: GPL-3.0-or-later */
/* authgear-glib through its public API only (the shared library, the one
 * header), against the development provider: the SDKs' session states and
 * reasons, a user agent of the program's own (as Authgear Login's web view
 * is), sessions kept in a token storage and found again, a sign-in that
 * fails or is cancelled leaving the session as it was, and the browser user
 * agent's waits. */
#include <authgear-glib.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

/* A user agent of the test's own: tests/provider/signin.mjs plays the
 * person, then the answer is given back as it came, forged, or never. */
typedef enum { ANSWER, FORGE, HANG } Mode;

#define TEST_TYPE_USER_AGENT (test_user_agent_get_type ())
G_DECLARE_FINAL_TYPE (TestUserAgent, test_user_agent, TEST, USER_AGENT, GObject)

struct _TestUserAgent
{
  GObject parent_instance;
  Mode mode;
  guint opened;
  gboolean hold;   /* keep the answer until release_answer () */
  GTask *held;
  char *held_uri;
};

static void test_user_agent_iface_init (AuthgearUserAgentInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestUserAgent, test_user_agent, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (AUTHGEAR_TYPE_USER_AGENT, test_user_agent_iface_init))

static void
signed_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TestUserAgent *self = g_task_get_source_object (task);
  GError *error = NULL;
  char *out = NULL;

  if (!g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &out, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_strstrip (out);
  if (self->mode == FORGE)
    {
      g_autoptr(GRegex) state = g_regex_new ("state=[^&]*", 0, 0, NULL);
      char *forged = g_regex_replace_literal (state, out, -1, 0, "state=forged", 0, NULL);

      g_free (out);
      out = forged;
    }
  if (self->hold)
    {
      self->held = g_steal_pointer (&task);
      self->held_uri = out;
      return;
    }
  g_task_return_pointer (task, out, g_free);
}

static void
release_answer (TestUserAgent *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->held);

  g_assert_nonnull (task);
  self->hold = FALSE;
  g_task_return_pointer (task, g_steal_pointer (&self->held_uri), g_free);
}

static void
hang_cancelled_cb (GCancellable *cancellable,
                   GTask        *task)
{
  g_task_return_error_if_cancelled (task);
}

static void
open_async (AuthgearUserAgent   *agent,
            const char          *url,
            const char          *redirect_uri,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  TestUserAgent *self = TEST_USER_AGENT (agent);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *script = g_build_filename (g_getenv ("AG_SOURCE_ROOT"), "tests", "provider", "signin.mjs", NULL);
  g_autoptr(GSubprocess) child = NULL;
  GError *error = NULL;

  self->opened++;
  if (self->mode == HANG)
    {
      /* Waits for the cancellable, as a person who never finishes. */
      g_assert_nonnull (cancellable);
      g_cancellable_connect (cancellable, G_CALLBACK (hang_cancelled_cb), task, g_object_unref);
      return;
    }
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "node", script, url, NULL);
  if (child == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_subprocess_communicate_utf8_async (child, NULL, cancellable, signed_in_cb, task);
}

static char *
open_finish (AuthgearUserAgent  *agent,
             GAsyncResult       *result,
             GError            **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_user_agent_iface_init (AuthgearUserAgentInterface *iface)
{
  iface->open_async = open_async;
  iface->open_finish = open_finish;
}

static void
test_user_agent_class_init (TestUserAgentClass *klass)
{
}

static void
test_user_agent_init (TestUserAgent *self)
{
}

/* Helpers. */

static void
store_result (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

typedef struct
{
  GArray *reasons;
} Changes;

static void
changed_cb (AuthgearClient                   *client,
            AuthgearSessionStateChangeReason  reason,
            Changes                          *changes)
{
  g_array_append_val (changes->reasons, reason);
}

static AuthgearClient *
new_client (AuthgearTokenStorage *storage,
            TestUserAgent        *agent,
            Changes              *changes)
{
  AuthgearClient *client = g_object_new (AUTHGEAR_TYPE_CLIENT,
                                         "endpoint", g_getenv ("AG_TEST_PROVIDER"),
                                         "client-id", "authgear-login",
                                         "token-storage", storage,
                                         "user-agent", agent,
                                         NULL);

  g_signal_connect (client, "session-state-changed", G_CALLBACK (changed_cb), changes);
  return client;
}

static gboolean
configure (AuthgearClient *client)
{
  GAsyncResult *r = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  authgear_client_configure_async (client, NULL, store_result, &r);
  ok = authgear_client_configure_finish (client, wait_for (&r), &error);
  g_assert_no_error (error);
  g_object_unref (r);
  return ok;
}

static AuthgearUserInfo *
authenticate (AuthgearClient  *client,
              GCancellable    *cancellable,
              GError         **error)
{
  GAsyncResult *r = NULL;
  AuthgearUserInfo *info;

  authgear_client_authenticate_async (client, NULL, cancellable, store_result, &r);
  info = authgear_client_authenticate_finish (client, wait_for (&r), error);
  g_object_unref (r);
  return info;
}

static void
logout (AuthgearClient *client)
{
  GAsyncResult *r = NULL;
  g_autoptr(GError) error = NULL;

  authgear_client_logout_async (client, NULL, store_result, &r);
  g_assert_true (authgear_client_logout_finish (client, wait_for (&r), &error));
  g_assert_no_error (error);
  g_object_unref (r);
}

static AuthgearSessionStateChangeReason
last_reason (Changes *changes)
{
  g_assert_cmpuint (changes->reasons->len, >, 0);
  return g_array_index (changes->reasons, AuthgearSessionStateChangeReason, changes->reasons->len - 1);
}

/* The tests. */

static void
test_session_states (void)
{
  g_autoptr(AuthgearTokenStorage) storage = authgear_transient_token_storage_new ();
  g_autoptr(TestUserAgent) agent = g_object_new (TEST_TYPE_USER_AGENT, NULL);
  Changes changes = { g_array_new (FALSE, FALSE, sizeof (AuthgearSessionStateChangeReason)) };
  g_autoptr(AuthgearClient) client = new_client (storage, agent, &changes);
  g_autoptr(AuthgearClient) again = NULL;
  g_autoptr(AuthgearUserInfo) info = NULL;
  g_autoptr(AuthgearUserInfo) fetched = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *name = NULL;
  GAsyncResult *r = NULL;

  g_assert_cmpint (authgear_client_get_session_state (client), ==, AUTHGEAR_SESSION_STATE_UNKNOWN);
  g_assert_null (authgear_client_get_access_token (client));
  configure (client);
  g_assert_cmpint (authgear_client_get_session_state (client), ==, AUTHGEAR_SESSION_STATE_NO_SESSION);
  g_assert_cmpint (last_reason (&changes), ==, AUTHGEAR_SESSION_STATE_CHANGE_REASON_NO_TOKEN);

  info = authenticate (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (agent->opened, ==, 1);
  g_assert_cmpint (authgear_client_get_session_state (client), ==, AUTHGEAR_SESSION_STATE_AUTHENTICATED);
  g_assert_cmpint (last_reason (&changes), ==, AUTHGEAR_SESSION_STATE_CHANGE_REASON_AUTHENTICATED);
  g_assert_nonnull (authgear_user_info_get_sub (info));
  g_assert_nonnull (authgear_user_info_get_email (info));
  name = authgear_user_info_get_display_name (info);
  g_assert_nonnull (name);
  token = g_strdup (authgear_client_get_access_token (client));
  g_assert_nonnull (token);

  /* Fresh: no refresh, the same token. */
  authgear_client_refresh_access_token_if_needed_async (client, NULL, store_result, &r);
  g_assert_true (authgear_client_refresh_access_token_if_needed_finish (client, wait_for (&r), &error));
  g_assert_no_error (error);
  g_clear_object (&r);
  g_assert_cmpstr (authgear_client_get_access_token (client), ==, token);

  authgear_client_fetch_user_info_async (client, NULL, store_result, &r);
  fetched = authgear_client_fetch_user_info_finish (client, wait_for (&r), &error);
  g_assert_no_error (error);
  g_clear_object (&r);
  g_assert_cmpstr (authgear_user_info_get_sub (fetched), ==, authgear_user_info_get_sub (info));

  /* Another client over the same storage finds the session, offline. */
  again = new_client (storage, agent, &changes);
  configure (again);
  g_assert_cmpint (authgear_client_get_session_state (again), ==, AUTHGEAR_SESSION_STATE_AUTHENTICATED);
  g_assert_cmpint (last_reason (&changes), ==, AUTHGEAR_SESSION_STATE_CHANGE_REASON_FOUND_TOKEN);
  g_assert_cmpstr (authgear_client_get_access_token (again), ==, token);

  logout (again);
  g_assert_cmpint (authgear_client_get_session_state (again), ==, AUTHGEAR_SESSION_STATE_NO_SESSION);
  g_assert_cmpint (last_reason (&changes), ==, AUTHGEAR_SESSION_STATE_CHANGE_REASON_LOGOUT);
  g_assert_null (authgear_client_get_access_token (again));
  g_clear_object (&again);

  /* Logged out: the storage forgot it. */
  again = new_client (storage, agent, &changes);
  configure (again);
  g_assert_cmpint (authgear_client_get_session_state (again), ==, AUTHGEAR_SESSION_STATE_NO_SESSION);
  g_array_unref (changes.reasons);
}

static void
test_failed_sign_in_keeps_session (void)
{
  g_autoptr(AuthgearTokenStorage) storage = authgear_transient_token_storage_new ();
  g_autoptr(TestUserAgent) agent = g_object_new (TEST_TYPE_USER_AGENT, NULL);
  Changes changes = { g_array_new (FALSE, FALSE, sizeof (AuthgearSessionStateChangeReason)) };
  g_autoptr(AuthgearClient) client = new_client (storage, agent, &changes);
  g_autoptr(AuthgearUserInfo) info = NULL;
  g_autoptr(AuthgearUserInfo) none = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  guint changed;

  configure (client);
  info = authenticate (client, NULL, &error);
  g_assert_no_error (error);
  token = g_strdup (authgear_client_get_access_token (client));
  changed = changes.reasons->len;

  /* An answer with another state: refused, the session stays. */
  agent->mode = FORGE;
  none = authenticate (client, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_STATE_MISMATCH);
  g_clear_error (&error);
  g_assert_cmpint (authgear_client_get_session_state (client), ==, AUTHGEAR_SESSION_STATE_AUTHENTICATED);
  g_assert_cmpstr (authgear_client_get_access_token (client), ==, token);
  g_assert_cmpuint (changes.reasons->len, ==, changed);

  /* A person who never finishes, then Cancel: the same. */
  agent->mode = HANG;
  g_timeout_add_once (200, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
  none = authenticate (client, cancellable, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpstr (authgear_client_get_access_token (client), ==, token);
  g_assert_cmpuint (changes.reasons->len, ==, changed);

  /* clear_session_state forgets it without Authgear: CLEAR. */
  {
    GAsyncResult *r = NULL;

    authgear_client_clear_session_state_async (client, NULL, store_result, &r);
    g_assert_true (authgear_client_clear_session_state_finish (client, wait_for (&r), &error));
    g_assert_no_error (error);
    g_object_unref (r);
  }
  g_assert_cmpint (authgear_client_get_session_state (client), ==, AUTHGEAR_SESSION_STATE_NO_SESSION);
  g_assert_cmpint (last_reason (&changes), ==, AUTHGEAR_SESSION_STATE_CHANGE_REASON_CLEAR);
  g_array_unref (changes.reasons);
}

/* Two sign-ins at once, each with its own user agent: the newer one is the
 * one pending. The older one's late end (a Cancel) must not end it, and
 * the older one's answer must not use it up. */
static void
test_newer_sign_in_wins (void)
{
  g_autoptr(AuthgearTokenStorage) storage = authgear_transient_token_storage_new ();
  g_autoptr(TestUserAgent) older = g_object_new (TEST_TYPE_USER_AGENT, NULL);
  g_autoptr(TestUserAgent) newer = g_object_new (TEST_TYPE_USER_AGENT, NULL);
  Changes changes = { g_array_new (FALSE, FALSE, sizeof (AuthgearSessionStateChangeReason)) };
  g_autoptr(AuthgearClient) client = new_client (storage, older, &changes);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(AuthgearUserInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *first = NULL;
  GAsyncResult *second = NULL;
  g_autofree char *token = NULL;

  configure (client);

  /* The older one waits for a person who never finishes. */
  older->mode = HANG;
  authgear_client_authenticate_async (client, NULL, cancellable, store_result, &first);
  while (older->opened == 0)
    g_main_context_iteration (NULL, TRUE);
  /* The newer one is answered; before its answer comes, the older is
   * cancelled. */
  authgear_client_set_user_agent (client, AUTHGEAR_USER_AGENT (newer));
  authgear_client_authenticate_async (client, NULL, NULL, store_result, &second);
  while (newer->opened == 0)
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (cancellable);
  g_assert_null (authgear_client_authenticate_finish (client, wait_for (&first), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_null (second);
  info = authgear_client_authenticate_finish (client, wait_for (&second), &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_cmpint (authgear_client_get_session_state (client), ==, AUTHGEAR_SESSION_STATE_AUTHENTICATED);
  g_clear_object (&first);
  g_clear_object (&second);
  g_clear_object (&info);
  token = g_strdup (authgear_client_get_access_token (client));

  /* The older one's answer comes after a newer one began: it is refused
   * without using the newer one up, which then completes. */
  older->mode = newer->mode = ANSWER;
  older->hold = newer->hold = TRUE;
  authgear_client_set_user_agent (client, AUTHGEAR_USER_AGENT (older));
  authgear_client_authenticate_async (client, NULL, NULL, store_result, &first);
  while (older->held == NULL)
    g_main_context_iteration (NULL, TRUE);
  authgear_client_set_user_agent (client, AUTHGEAR_USER_AGENT (newer));
  authgear_client_authenticate_async (client, NULL, NULL, store_result, &second);
  while (newer->held == NULL)
    g_main_context_iteration (NULL, TRUE);
  release_answer (older);
  g_assert_null (authgear_client_authenticate_finish (client, wait_for (&first), &error));
  g_assert_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_NO_PENDING_SIGN_IN);
  g_clear_error (&error);
  g_assert_cmpstr (authgear_client_get_access_token (client), ==, token);
  release_answer (newer);
  info = authgear_client_authenticate_finish (client, wait_for (&second), &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_cmpint (authgear_client_get_session_state (client), ==, AUTHGEAR_SESSION_STATE_AUTHENTICATED);
  g_assert_cmpstr (authgear_client_get_access_token (client), !=, token);
  g_object_unref (first);
  g_object_unref (second);
  g_array_unref (changes.reasons);
}

/* What a user agent of the program's own hands back: only the redirect
 * URI carrying the state of the URL it opened, once. */
/* Asks the development provider to answer the next request for @path
 * after @ms milliseconds, as a slow network would. */
static void
delay_next (const char *path,
            guint       ms)
{
  g_autoptr(SoupSession) http = soup_session_new ();
  g_autofree char *uri = g_strdup_printf ("%s/dev/delay?path=%s&ms=%u", g_getenv ("AG_TEST_PROVIDER"), path, ms);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) body = soup_session_send_and_read (http, msg, NULL, NULL);

  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
}

static gboolean
quit_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, quit_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Manage Account works: the settings page reaches the user agent (a person
 * then closes it) instead of failing before it opens. */
static void
assert_settings_open (AuthgearClient *client)
{
  g_autoptr(TestUserAgent) page = g_object_new (TEST_TYPE_USER_AGENT, NULL);
  g_autoptr(AuthgearUserAgent) before = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GAsyncResult *r = NULL;

  g_object_get (client, "user-agent", &before, NULL);
  page->mode = HANG;
  authgear_client_set_user_agent (client, AUTHGEAR_USER_AGENT (page));
  authgear_client_open_settings_async (client, NULL, cancellable, store_result, &r);
  while (page->opened == 0 && r == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (r != NULL)
    {
      authgear_client_open_settings_finish (client, r, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpuint (page->opened, ==, 1);
  g_cancellable_cancel (cancellable);
  g_assert_false (authgear_client_open_settings_finish (client, wait_for (&r), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_object_unref (r);
  authgear_client_set_user_agent (client, before);
  g_assert_cmpint (authgear_client_get_session_state (client), ==, AUTHGEAR_SESSION_STATE_AUTHENTICATED);
}

/* A configured client, signed in: its access token (a copy). */
static char *
signed_in (AuthgearClient *client)
{
  g_autoptr(AuthgearUserInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  configure (client);
  info = authenticate (client, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (authgear_client_get_access_token (client));
}

/* Cancel while the code is exchanged (a slow token endpoint): the session
 * before the Login stays, and Manage Account and another sign-in work. */
static void
test_cancel_during_exchange (void)
{
  g_autoptr(AuthgearTokenStorage) storage = authgear_transient_token_storage_new ();
  g_autoptr(TestUserAgent) agent = g_object_new (TEST_TYPE_USER_AGENT, NULL);
  Changes changes = { g_array_new (FALSE, FALSE, sizeof (AuthgearSessionStateChangeReason)) };
  g_autoptr(AuthgearClient) client = new_client (storage, agent, &changes);
  g_autoptr(AuthgearUserInfo) info = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  GAsyncResult *r = NULL;

  token = signed_in (client);

  /* The page answers; the token endpoint takes 5 s; Cancel after 0.5 s. */
  delay_next ("/oauth2/token", 5000);
  agent->hold = TRUE;
  authgear_client_authenticate_async (client, NULL, cancellable, store_result, &r);
  while (agent->held == NULL)
    g_main_context_iteration (NULL, TRUE);
  release_answer (agent);
  run_for (500);
  g_assert_null (r);
  g_cancellable_cancel (cancellable);
  g_assert_null (authgear_client_authenticate_finish (client, wait_for (&r), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&r);
  g_assert_cmpint (authgear_client_get_session_state (client), ==, AUTHGEAR_SESSION_STATE_AUTHENTICATED);
  /* never printed, even when it fails */
  g_assert_true (g_strcmp0 (authgear_client_get_access_token (client), token) == 0);

  assert_settings_open (client);
  info = authenticate (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_cmpint (authgear_client_get_session_state (client), ==, AUTHGEAR_SESSION_STATE_AUTHENTICATED);
  g_assert_true (g_strcmp0 (authgear_client_get_access_token (client), token) != 0);
  assert_settings_open (client);
  g_array_unref (changes.reasons);
}

/* The library decides when something sensitive asks the person again:
 * never without a session, not right after a sign-in, and once the last
 * proof is older than the reauthentication window (0 s here). */
static void
test_reauthentication_needed (void)
{
  g_autoptr(AuthgearTokenStorage) storage = authgear_transient_token_storage_new ();
  g_autoptr(TestUserAgent) agent = g_object_new (TEST_TYPE_USER_AGENT, NULL);
  Changes changes = { g_array_new (FALSE, FALSE, sizeof (AuthgearSessionStateChangeReason)) };
  g_autoptr(AuthgearClient) client = new_client (storage, agent, &changes);
  g_autofree char *token = NULL;
  g_autoptr(GDateTime) auth_time = NULL;

  g_assert_false (authgear_client_get_reauthentication_needed (client));
  token = signed_in (client);
  auth_time = authgear_client_get_auth_time (client);
  g_assert_nonnull (auth_time);
  g_assert_true (authgear_client_get_full_access (client));
  g_assert_true (authgear_user_info_get_can_reauthenticate (authgear_client_get_user_info (client)));
  g_assert_false (authgear_client_get_reauthentication_needed (client));
  g_setenv ("AG_REAUTHENTICATE_AFTER_SECONDS", "0", TRUE);
  g_assert_true (authgear_client_get_reauthentication_needed (client));
  g_unsetenv ("AG_REAUTHENTICATE_AFTER_SECONDS");
  g_array_unref (changes.reasons);
}

/* A sign-in begun while a reauthentication waits for the person: it
 * completes as a sign-in (not through the reauthentication's path), the
 * session is signed in, and Manage Account works. */
static void
test_sign_in_during_reauthentication (void)
{
  g_autoptr(AuthgearTokenStorage) storage = authgear_transient_token_storage_new ();
  g_autoptr(TestUserAgent) agent = g_object_new (TEST_TYPE_USER_AGENT, NULL);
  g_autoptr(TestUserAgent) person = g_object_new (TEST_TYPE_USER_AGENT, NULL);
  Changes changes = { g_array_new (FALSE, FALSE, sizeof (AuthgearSessionStateChangeReason)) };
  g_autoptr(AuthgearClient) client = new_client (storage, agent, &changes);
  g_autoptr(AuthgearUserInfo) info = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  GAsyncResult *reauth = NULL;

  token = signed_in (client);

  /* Authgear asks the person again; they do not finish. */
  person->mode = HANG;
  authgear_client_set_user_agent (client, AUTHGEAR_USER_AGENT (person));
  authgear_client_reauthenticate_async (client, NULL, cancellable, store_result, &reauth);
  while (person->opened == 0 && reauth == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (reauth);

  /* Meanwhile a sign-in, answered. */
  authgear_client_set_user_agent (client, AUTHGEAR_USER_AGENT (agent));
  info = authenticate (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_cmpint (authgear_client_get_session_state (client), ==, AUTHGEAR_SESSION_STATE_AUTHENTICATED);
  g_assert_true (g_strcmp0 (authgear_client_get_access_token (client), token) != 0);
  assert_settings_open (client);

  /* The reauthentication's page, closed at last, changes nothing. */
  g_free (token);
  token = g_strdup (authgear_client_get_access_token (client));
  g_cancellable_cancel (cancellable);
  g_assert_null (authgear_client_reauthenticate_finish (client, wait_for (&reauth), &error));
  g_assert_nonnull (error);
  g_clear_object (&reauth);
  g_assert_cmpint (authgear_client_get_session_state (client), ==, AUTHGEAR_SESSION_STATE_AUTHENTICATED);
  /* never printed, even when it fails */
  g_assert_true (g_strcmp0 (authgear_client_get_access_token (client), token) == 0);
  assert_settings_open (client);
  g_array_unref (changes.reasons);
}

static void
test_redirect_is_answer (void)
{
  const char *url = "https://auth.example/oauth2/authorize?client_id=c&state=s1&redirect_uri=x";
  const char *redirect = "http://localhost:3000/callback";
  struct { const char *uri; gboolean answer; } cases[] = {
    { "http://localhost:3000/callback?code=c&state=s1", TRUE },
    { "http://localhost:3000/callback?error=access_denied&state=s1", TRUE },
    { "http://localhost:3000/callback?code=c&state=s2", FALSE },
    { "http://localhost:3000/callback?code=c", FALSE },
    { "http://localhost:3000/callback?code=c&state=s1&state=s1", FALSE },
    { "http://localhost:3000/callbackX?code=c&state=s1", FALSE },
    { "http://localhost:3001/callback?code=c&state=s1", FALSE },
    { "http://evil@localhost:3000/callback?code=c&state=s1", FALSE },
    { "https://auth.example/callback?code=c&state=s1", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].uri);
      g_assert_cmpint (authgear_user_agent_redirect_is_answer (url, redirect, cases[i].uri), ==, cases[i].answer);
    }
  /* An authorization URL without a state, or with two, has no answer. */
  g_assert_false (authgear_user_agent_redirect_is_answer ("https://auth.example/oauth2/authorize?client_id=c", redirect,
                                               "http://localhost:3000/callback?code=c"));
  g_assert_false (authgear_user_agent_redirect_is_answer ("https://auth.example/oauth2/authorize?state=s1&state=s2", redirect,
                                               "http://localhost:3000/callback?code=c&state=s1"));
}

static void
test_user_info_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AuthgearUserInfo) info = NULL;
  g_autoptr(AuthgearUserInfo) bad = NULL;
  g_autofree char *json = NULL;
  g_autofree char *name = NULL;

  info = authgear_user_info_new_from_json ("{\"sub\":\"u1\",\"email\":\"a@example.com\",\"email_verified\":true,"
                                           "\"https://authgear.com/claims/user/can_reauthenticate\":true}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (authgear_user_info_get_sub (info), ==, "u1");
  g_assert_true (authgear_user_info_get_email_verified (info));
  g_assert_true (authgear_user_info_get_can_reauthenticate (info));
  g_assert_false (authgear_user_info_get_is_anonymous (info));
  g_assert_null (authgear_user_info_get_name (info));
  name = authgear_user_info_get_display_name (info);
  g_assert_cmpstr (name, ==, "a@example.com");
  json = authgear_user_info_to_json (info);
  g_clear_object (&info);
  info = authgear_user_info_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (authgear_user_info_get_email (info), ==, "a@example.com");

  /* Bad JSON is said in the library's own domain, never json-glib's. */
  bad = authgear_user_info_new_from_json ("{\"email\":\"a@example.com\"}", &error);
  g_assert_null (bad);
  g_assert_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);
  bad = authgear_user_info_new_from_json ("[1]", &error);
  g_assert_null (bad);
  g_assert_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);
  bad = authgear_user_info_new_from_json ("{\"sub\":", &error);
  g_assert_null (bad);
  g_assert_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_RESPONSE);
}

/* What 1.0 promises a caller, through the public API alone. */
/* The library's messages name its own API, never the app's settings
 * (AUTHGEAR_DOMAIN, Preferences). */
static void
test_configuration_words (void)
{
  const char *endpoints[] = { "http://authgear.example", "", "https://a.example?x=1" };

  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      g_autoptr(AuthgearClient) client = authgear_client_new (endpoints[i], "client");
      g_autoptr(GError) error = NULL;
      GAsyncResult *result = NULL;

      authgear_client_configure_async (client, NULL, store_result, &result);
      g_assert_false (authgear_client_configure_finish (client, wait_for (&result), &error));
      g_clear_object (&result);
      g_assert_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CONFIGURATION);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, "The endpoint"));
      g_assert_null (strstr (error->message, "AUTHGEAR_"));
      g_assert_null (strstr (error->message, "Preferences"));
    }
}

static void
test_api_basics (void)
{
  char *secret = g_strdup ("not-a-real-token");

  /* As in GLib's domains, code 0 is the failure no other code names. */
  g_assert_cmpint (AUTHGEAR_ERROR_FAILED, ==, 0);
  g_assert_cmpint (AUTHGEAR_ERROR_STORAGE_UNAVAILABLE, !=, 0);
  /* The version the program runs with, beside the one it was built with. */
  g_assert_cmpuint (authgear_get_major_version (), ==, AUTHGEAR_MAJOR_VERSION);
  g_assert_cmpuint (authgear_get_minor_version (), ==, AUTHGEAR_MINOR_VERSION);
  g_assert_cmpuint (authgear_get_micro_version (), ==, AUTHGEAR_MICRO_VERSION);
  g_assert_null (authgear_check_version (AUTHGEAR_MAJOR_VERSION, 0, 0));
  g_assert_null (authgear_check_version (AUTHGEAR_MAJOR_VERSION, AUTHGEAR_MINOR_VERSION, AUTHGEAR_MICRO_VERSION));
  g_assert_nonnull (authgear_check_version (AUTHGEAR_MAJOR_VERSION + 1, 0, 0));
  g_assert_nonnull (authgear_check_version (AUTHGEAR_MAJOR_VERSION, AUTHGEAR_MINOR_VERSION + 1, 0));
  /* A secret the library handed out is wiped and freed in one call. */
  authgear_secret_free (secret);
  authgear_secret_free (NULL);
}

/* One call's user agent is an option of that call: the client's own is
 * never asked, and stays the client's. */
static void
test_user_agent_per_call (void)
{
  g_autoptr(AuthgearTokenStorage) storage = authgear_transient_token_storage_new ();
  g_autoptr(TestUserAgent) own = g_object_new (TEST_TYPE_USER_AGENT, NULL);
  g_autoptr(TestUserAgent) for_call = g_object_new (TEST_TYPE_USER_AGENT, NULL);
  g_autoptr(AuthgearAuthenticateOptions) options = authgear_authenticate_options_new ();
  Changes changes = { g_array_new (FALSE, FALSE, sizeof (AuthgearSessionStateChangeReason)) };
  g_autoptr(AuthgearClient) client = new_client (storage, own, &changes);
  g_autoptr(AuthgearUserInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *r = NULL;
  AuthgearUserInfo *first, *second;

  configure (client);
  authgear_authenticate_options_set_user_agent (options, AUTHGEAR_USER_AGENT (for_call));
  authgear_client_authenticate_async (client, options, NULL, store_result, &r);
  info = authgear_client_authenticate_finish (client, wait_for (&r), &error);
  g_clear_object (&r);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_cmpuint (for_call->opened, ==, 1);
  g_assert_cmpuint (own->opened, ==, 0);
  g_assert_true (authgear_client_get_user_agent (client) == AUTHGEAR_USER_AGENT (own));

  /* get_user_info: the same object, owned by the client, until the
   * tokens change. */
  first = authgear_client_get_user_info (client);
  second = authgear_client_get_user_info (client);
  g_assert_nonnull (first);
  g_assert_true (first == second);
  g_assert_cmpstr (authgear_user_info_get_sub (first), ==, authgear_user_info_get_sub (info));
  logout (client);
  g_assert_null (authgear_client_get_user_info (client));
  g_array_unref (changes.reasons);
}

/* The browser user agent: a taken port, a wrong answer, the time limit. */

static int
free_port (GSocketListener **holder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  GSocketListener *listener = g_socket_listener_new ();

  g_socket_listener_add_address (listener, any, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  *holder = listener;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
test_browser_port_taken (void)
{
  g_autoptr(GSocketListener) holder = NULL;
  int port = free_port (&holder);
  g_autofree char *redirect = g_strdup_printf ("http://127.0.0.1:%d/callback", port);
  g_autoptr(AuthgearUserAgent) agent = authgear_browser_user_agent_new ();
  g_autoptr(GError) error = NULL;
  GAsyncResult *r = NULL;
  char *uri;

  authgear_user_agent_open_async (agent, "http://127.0.0.1:1/authorize?state=s1", redirect, NULL, store_result, &r);
  uri = authgear_user_agent_open_finish (agent, wait_for (&r), &error);
  g_assert_null (uri);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  g_assert_nonnull (strstr (error->message, "port"));
  g_object_unref (r);
}

static guint
http_get (SoupSession *http,
          const char  *uri)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  GAsyncResult *r = NULL;
  g_autoptr(GBytes) body = NULL;

  soup_session_send_and_read_async (http, msg, G_PRIORITY_DEFAULT, NULL, store_result, &r);
  body = soup_session_send_and_read_finish (http, wait_for (&r), NULL);
  g_object_unref (r);
  return soup_message_get_status (msg);
}

static void
test_browser_waits_for_its_state (void)
{
  g_autoptr(GSocketListener) holder = NULL;
  int port = free_port (&holder);
  g_autofree char *redirect = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *right = NULL;
  g_autoptr(AuthgearUserAgent) agent = authgear_browser_user_agent_new ();
  g_autoptr(SoupSession) http = soup_session_new ();
  g_autoptr(GError) error = NULL;
  GAsyncResult *r = NULL;
  g_autofree char *uri = NULL;

  g_socket_listener_close (holder);
  redirect = g_strdup_printf ("http://127.0.0.1:%d/callback", port);
  wrong = g_strdup_printf ("%s?code=c&state=other", redirect);
  right = g_strdup_printf ("%s?code=c&state=s1", redirect);
  authgear_browser_user_agent_set_timeout (AUTHGEAR_BROWSER_USER_AGENT (agent), 30);
  authgear_user_agent_open_async (agent, "http://127.0.0.1:1/authorize?client_id=x&state=s1", redirect,
                                  NULL, store_result, &r);
  /* Another program's request first: refused, and the wait goes on. */
  g_assert_cmpuint (http_get (http, wrong), ==, 400);
  g_assert_null (r);
  g_assert_cmpuint (http_get (http, right), ==, 200);
  uri = authgear_user_agent_open_finish (agent, wait_for (&r), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (uri, ==, right);
  g_object_unref (r);
}

static void
test_browser_time_limit (void)
{
  g_autoptr(GSocketListener) holder = NULL;
  int port = free_port (&holder);
  g_autofree char *redirect = NULL;
  g_autoptr(AuthgearUserAgent) agent = g_object_new (AUTHGEAR_TYPE_BROWSER_USER_AGENT, "timeout", 1, NULL);
  g_autoptr(GError) error = NULL;
  GAsyncResult *r = NULL;

  g_socket_listener_close (holder);
  redirect = g_strdup_printf ("http://127.0.0.1:%d/callback", port);
  authgear_user_agent_open_async (agent, "http://127.0.0.1:1/authorize?state=s1", redirect, NULL, store_result, &r);
  g_assert_null (authgear_user_agent_open_finish (agent, wait_for (&r), &error));
  g_assert_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_TIMEOUT);
  g_object_unref (r);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *tmp = g_dir_make_tmp ("authgear-glib-test-XXXXXX", NULL);
  g_autofree char *apps = g_build_filename (tmp, "data", "applications", NULL);
  g_autofree char *config = g_build_filename (tmp, "config", NULL);
  g_autofree char *desktop = g_build_filename (apps, "ag-test-null-browser.desktop", NULL);
  g_autofree char *mimeapps = g_build_filename (config, "mimeapps.list", NULL);
  g_autofree char *data = g_build_filename (tmp, "data", NULL);
  int status;

  /* A default browser that opens nothing: the browser user agent's own
   * waits are what is tested here. */
  g_mkdir_with_parents (apps, 0700);
  g_mkdir_with_parents (config, 0700);
  g_file_set_contents (desktop, "[Desktop Entry]\nType=Application\nName=Null Browser\nNoDisplay=true\n"
                                "Exec=true %u\nMimeType=x-scheme-handler/http;\n", -1, NULL);
  g_file_set_contents (mimeapps, "[Default Applications]\nx-scheme-handler/http=ag-test-null-browser.desktop\n",
                       -1, NULL);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/library/user-info-json", test_user_info_json);
  g_test_add_func ("/library/api-basics", test_api_basics);
  g_test_add_func ("/library/configuration-words", test_configuration_words);
  g_test_add_func ("/library/redirect-is-answer", test_redirect_is_answer);
  g_test_add_func ("/library/browser/port-taken", test_browser_port_taken);
  g_test_add_func ("/library/browser/waits-for-its-state", test_browser_waits_for_its_state);
  g_test_add_func ("/library/browser/time-limit", test_browser_time_limit);
  if (g_getenv ("AG_TEST_PROVIDER") != NULL)
    {
      g_test_add_func ("/library/session-states", test_session_states);
      g_test_add_func ("/library/user-agent-per-call", test_user_agent_per_call);
      g_test_add_func ("/library/failed-sign-in-keeps-session", test_failed_sign_in_keeps_session);
      g_test_add_func ("/library/newer-sign-in-wins", test_newer_sign_in_wins);
      g_test_add_func ("/library/cancel-during-exchange", test_cancel_during_exchange);
      g_test_add_func ("/library/sign-in-during-reauthentication", test_sign_in_during_reauthentication);
      g_test_add_func ("/library/reauthentication-needed", test_reauthentication_needed);
    }
  status = g_test_run ();
  g_remove (mimeapps);
  g_remove (desktop);
  return status;
}
