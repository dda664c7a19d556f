/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The HTTP helpers every request goes through: the libsoup session, a send
 * with a time limit and no redirects, JSON and form bodies, query strings,
 * and the one reader of JSON integers. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdarg.h>
#include <string.h>

#include "ag-error.h"
#include "ag-http.h"
#include "ag-trace.h"
#include "ag-secure.h"

SoupSession *
ag_http_session_new (void)
{
  SoupSession *session;
  g_autofree char *user_agent = g_strdup_printf ("authgear-login/%s", VERSION);

  session = soup_session_new_with_options ("timeout", 20,
                                           "idle-timeout", 60,
                                           "max-conns-per-host", 4,
                                           "user-agent", user_agent,
                                           NULL);
  return session;
}

static guint
request_timeout (void)
{
  const char *env = g_getenv ("AG_HTTP_TIMEOUT");
  guint64 value;

  if (env != NULL && g_ascii_string_to_unsigned (env, 10, 1, 600, &value, NULL))
    return (guint) value;
  return AG_HTTP_DEFAULT_TIMEOUT;
}

typedef struct
{
  GByteArray *body;
  GCancellable *inner;     /* cancelled by the caller's or by the deadline */
  gulong outer_handler;
  GCancellable *outer;
  GSource *deadline;
  gboolean timed_out;
  GInputStream *stream;
  SoupMessage *msg;
} SendData;

static void
send_data_free (SendData *data)
{
  if (data->outer_handler)
    g_cancellable_disconnect (data->outer, data->outer_handler);
  if (data->deadline)
    {
      g_source_destroy (data->deadline);
      g_source_unref (data->deadline);
    }
  g_clear_object (&data->outer);
  g_clear_object (&data->inner);
  g_clear_object (&data->stream);
  g_clear_object (&data->msg);
  if (data->body)
    {
      ag_secure_wipe (data->body->data, data->body->len);
      g_byte_array_unref (data->body);
    }
  g_free (data);
}

static void
return_error (GTask  *task,
              GError *error)
{
  SendData *data = g_task_get_task_data (task);

  if (data->timed_out)
    {
      g_clear_error (&error);
      g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_TIMEOUT, _("Authgear did not answer in time"));
    }
  else if (error->domain == AUTHGEAR_ERROR || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, error);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_clear_error (&error);
      g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_TIMEOUT, _("Authgear did not answer in time"));
    }
  else
    {
      GError *wrapped = g_error_new (AUTHGEAR_ERROR, AUTHGEAR_ERROR_NETWORK, _("Authgear could not be reached: %s"), error->message);
      g_clear_error (&error);
      g_task_return_error (task, wrapped);
    }
}

static void read_next (GTask *task);

/* A trace mark for @msg at @step ("sent", "headers", "read"): the method
 * and path only; at "headers", the provider's own time when it says it
 * (Server-Timing: app;dur=…). */
static void
trace_http (SoupMessage *msg,
            const char  *step)
{
  g_autofree char *phase = NULL;
  const char *timing;
  const char *dur;
  double server_ms = -1;

  if (!ag_trace_enabled ())
    return;
  phase = g_strdup_printf ("%s %s %s", soup_message_get_method (msg), g_uri_get_path (soup_message_get_uri (msg)), step);
  timing = g_str_equal (step, "headers") ? soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                                        "Server-Timing") : NULL;
  if (timing != NULL && (dur = strstr (timing, "dur=")) != NULL)
    server_ms = g_ascii_strtod (dur + 4, NULL);
  ag_trace_mark_server (phase, server_ms);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      return_error (task, error);
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      GBytes *body = g_byte_array_free_to_bytes (g_steal_pointer (&data->body));

      trace_http (data->msg, "read");
      g_task_return_pointer (task, body, (GDestroyNotify) g_bytes_unref);
      return;
    }
  if (data->body->len + g_bytes_get_size (chunk) > AG_HTTP_MAX_BODY)
    {
      g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_RESPONSE,
                               _("Authgear’s answer is larger than %d bytes"), AG_HTTP_MAX_BODY);
      return;
    }
  g_byte_array_append (data->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  {
    gsize len;
    gpointer mem = (gpointer) g_bytes_get_data (chunk, &len);
    ag_secure_wipe (mem, len);
  }
  read_next (g_steal_pointer (&task));
}

static void
read_next (GTask *task)
{
  SendData *data = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (data->stream, 16384, G_PRIORITY_DEFAULT, data->inner, read_cb, task);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (data->stream == NULL)
    {
      return_error (task, error);
      return;
    }
  trace_http (data->msg, "headers");
  /* A code, a refresh token or a client secret never depends on how a
   * redirect would be followed: none is. */
  if (SOUP_STATUS_IS_REDIRECTION (soup_message_get_status (data->msg)))
    {
      g_task_return_new_error (task, AUTHGEAR_ERROR, AUTHGEAR_ERROR_PROVIDER,
                               _("Authgear answered with a redirect (HTTP %u), which is not followed"),
                               soup_message_get_status (data->msg));
      return;
    }
  read_next (g_steal_pointer (&task));
}

static gboolean
deadline_cb (gpointer user_data)
{
  SendData *data = user_data;

  data->timed_out = TRUE;
  g_cancellable_cancel (data->inner);
  g_clear_pointer (&data->deadline, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
outer_cancelled_cb (GCancellable *outer,
                    GCancellable *inner)
{
  g_cancellable_cancel (inner);
}

void
ag_http_send_async (SoupSession         *session,
                    SoupMessage         *msg,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SendData *data;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (SOUP_IS_MESSAGE (msg));

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_http_send_async);
  g_task_set_check_cancellable (task, FALSE);

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  data = g_new0 (SendData, 1);
  data->msg = g_object_ref (msg);
  data->body = g_byte_array_new ();
  data->inner = g_cancellable_new ();
  if (cancellable != NULL)
    {
      data->outer = g_object_ref (cancellable);
      data->outer_handler = g_cancellable_connect (cancellable, G_CALLBACK (outer_cancelled_cb),
                                                   g_object_ref (data->inner), g_object_unref);
    }
  data->deadline = g_timeout_source_new_seconds (request_timeout ());
  g_source_set_callback (data->deadline, deadline_cb, data, NULL);
  g_source_set_static_name (data->deadline, "[ag-http] deadline");
  g_source_attach (data->deadline, g_main_context_get_thread_default ());
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  g_debug ("%s %s", soup_message_get_method (msg), g_uri_get_path (soup_message_get_uri (msg)));
  trace_http (msg, "sent");
  soup_session_send_async (session, msg, G_PRIORITY_DEFAULT, data->inner, send_cb, g_steal_pointer (&task));
}

GBytes *
ag_http_send_finish (SoupSession   *session,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, session), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

JsonObject *
ag_http_parse_json_object (GBytes      *body,
                           const char  *what,
                           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize len = 0;
  const char *text = body ? g_bytes_get_data (body, &len) : NULL;
  JsonNode *root;

  if (text == NULL || len == 0 || memchr (text, '\0', len) != NULL ||
      !json_parser_load_from_data (parser, text, len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_RESPONSE,
                   _("Authgear’s %s is not a JSON object"), what);
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

gboolean
ag_http_read_answer (SoupSession   *session,
                     GAsyncResult  *result,
                     SoupMessage   *msg,
                     const char    *what,
                     gboolean       json_required,
                     JsonObject   **json,
                     GError       **error)
{
  g_autoptr(GBytes) body = ag_http_send_finish (session, result, error);
  guint status = soup_message_get_status (msg);
  g_autoptr(GError) parse_error = NULL;

  *json = NULL;
  if (body == NULL)
    return FALSE;
  *json = ag_http_parse_json_object (body, what, &parse_error);
  if (ag_http_answer_error (status, *json, what, error))
    ;
  else if (*json == NULL && json_required)
    g_propagate_error (error, g_steal_pointer (&parse_error));
  else
    return TRUE;
  g_clear_pointer (json, json_object_unref);
  return FALSE;
}

/* A short printable error code from an answer, or NULL. */
static const char *
error_code_of (JsonObject *answer)
{
  JsonNode *node = answer ? json_object_get_member (answer, "error") : NULL;
  const char *code = NULL;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    code = ag_json_get_string (json_node_get_object (node), "reason");   /* Authgear's API */
  else
    code = ag_json_get_string (answer, "error");                         /* OAuth 2.0 */
  if (code == NULL || *code == '\0' || strlen (code) >= 64 || !g_utf8_validate (code, -1, NULL))
    return NULL;
  for (const char *p = code; *p; p++)
    if (g_ascii_iscntrl (*p))
      return NULL;
  return code;
}

gboolean
ag_http_answer_error (guint        status,
                      JsonObject  *answer,
                      const char  *what,
                      GError     **error)
{
  const char *code = error_code_of (answer);

  if (SOUP_STATUS_IS_SUCCESSFUL (status) && code == NULL)
    return FALSE;
  if (g_strcmp0 (code, "invalid_grant") == 0)
    g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_GRANT,
                 _("Authgear no longer accepts this sign-in (invalid_grant)"));
  else if (g_strcmp0 (code, "InvalidGrant") == 0)   /* Authgear's API: the refresh token is gone */
    g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_INVALID_GRANT, _("Authgear no longer knows this session"));
  else if (g_strcmp0 (code, "invalid_client") == 0 || g_strcmp0 (code, "unauthorized_client") == 0)
    g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_CLIENT_REJECTED,
                 _("Authgear refused this app’s client ID or secret (%s)"), code);
  else if (code != NULL)
    g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_PROVIDER, _("Authgear refused the %s (%s)"), what, code);
  else
    g_set_error (error, AUTHGEAR_ERROR, AUTHGEAR_ERROR_PROVIDER, _("Authgear answered the %s with HTTP %u"), what, status);
  return TRUE;
}

gboolean
ag_json_get_int (JsonObject *object,
                 const char *name,
                 gint64     *out)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *out = json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      if (!(d > -1e15 && d < 1e15))
        return FALSE;
      *out = (gint64) d;
    }
  else
    return FALSE;
  return TRUE;
}

const char *
ag_json_get_string (JsonObject *object,
                    const char *name)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

void
ag_http_query_append (GString    *query,
                      const char *name,
                      const char *value)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (query != NULL && name != NULL);

  if (value == NULL || *value == '\0')
    return;
  escaped = g_uri_escape_string (value, NULL, FALSE);
  if (query->len > 0 && query->str[query->len - 1] != '?')
    g_string_append_c (query, '&');
  g_string_append_printf (query, "%s=%s", name, escaped);
  ag_secure_wipe (escaped, strlen (escaped));
}

GBytes *
ag_http_form_encode (const char *first_name,
                     ...)
{
  GString *form = g_string_new (NULL);
  const char *name = first_name;
  va_list args;
  gsize len;

  va_start (args, first_name);
  while (name != NULL)
    {
      ag_http_query_append (form, name, va_arg (args, const char *));
      name = va_arg (args, const char *);
    }
  va_end (args);

  len = form->len;
  {
    char *text = g_string_free (form, FALSE);
    /* The form carries codes, verifiers and refresh tokens: wipe it when the
     * request is done with it. */
    return g_bytes_new_with_free_func (text, len, (GDestroyNotify) ag_secure_free, text);
  }
}
