/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AgLoopback owns the browser agent's listener on the redirect URI's port
 * (RFC 8252 §7.3): its own accept loop, connection limits and time-outs,
 * and the requests waiting for the sign-in's result. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ag-config.h"
#include "ag-loopback.h"
#include "ag-secure.h"

/* Any local process, and any web page open in the person's browser, can
 * talk to the listener while it waits: it accepts a few connections, gives
 * each a few seconds to send its request headers, and refuses anything but
 * a bodyless GET to the redirect address before reading a body. */
#define MAX_CONNECTIONS 16
#define HEADER_SECONDS 5

typedef struct
{
  AgLoopback *self;            /* unowned: an entry goes before the listener */
  GSocketConnection *conn;     /* weak: libsoup holds it while it lives */
  char *peer;                  /* the remote address: the key */
  guint timeout;               /* until its next request's headers arrive */
  gint64 since;                /* when it was accepted */
} Connection;

struct _AgLoopback
{
  GObject parent_instance;

  GUri *redirect;              /* the configured redirect URI */
  SoupServer *server;          /* non-NULL while listening */
  GSocketService *service;     /* accepts for the server, non-NULL while listening */
  GHashTable *connections;     /* peer address -> Connection, open connections */
  GPtrArray *waiting;          /* SoupServerMessage, paused */
};

G_DEFINE_FINAL_TYPE (AgLoopback, ag_loopback, G_TYPE_OBJECT)

enum { CALLBACK, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
ag_loopback_dispose (GObject *object)
{
  ag_loopback_stop (AG_LOOPBACK (object));
  G_OBJECT_CLASS (ag_loopback_parent_class)->dispose (object);
}

static void
ag_loopback_finalize (GObject *object)
{
  AgLoopback *self = AG_LOOPBACK (object);

  g_clear_pointer (&self->redirect, g_uri_unref);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);
  g_clear_pointer (&self->connections, g_hash_table_unref);
  G_OBJECT_CLASS (ag_loopback_parent_class)->finalize (object);
}

static void
ag_loopback_class_init (AgLoopbackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ag_loopback_dispose;
  object_class->finalize = ag_loopback_finalize;

  /**
   * AgLoopback::callback:
   * @uri: the redirect URI with the query the browser brought
   * @reply: pass to ag_loopback_reply(), exactly once
   */
  signals[CALLBACK] = g_signal_new ("callback", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_POINTER);
}

static void connection_free (Connection *c);

static void
ag_loopback_init (AgLoopback *self)
{
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  self->connections = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) connection_free);
}

gboolean
ag_loopback_supports (const char *redirect_uri)
{
  g_autoptr(GUri) uri = redirect_uri ? g_uri_parse (redirect_uri, G_URI_FLAGS_NONE, NULL) : NULL;

  return uri != NULL && g_strcmp0 (g_uri_get_scheme (uri), "http") == 0 &&
         ag_host_is_loopback (g_uri_get_host (uri)) && g_uri_get_port (uri) > 0;
}

AgLoopback *
ag_loopback_new (const char *redirect_uri)
{
  AgLoopback *self;

  g_return_val_if_fail (ag_loopback_supports (redirect_uri), NULL);

  self = g_object_new (AG_TYPE_LOOPBACK, NULL);
  self->redirect = g_uri_parse (redirect_uri, G_URI_FLAGS_NONE, NULL);
  return self;
}

/* The program the person goes back to (Authgear Login, or the program
 * that uses authgear-glib). */
static const char *
program_name (void)
{
  return g_get_application_name () ? g_get_application_name () : g_get_prgname () ? g_get_prgname () : "";
}

/* The page the browser shows: short, translated, light and dark. */
static char *
page (const char *title,
      const char *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  g_autofree char *program = g_markup_escape_text (program_name (), -1);

  return g_strdup_printf ("<!doctype html><html><head><meta charset=\"utf-8\">"
                          "<meta name=\"color-scheme\" content=\"light dark\">"
                          "<title>%s — %s</title>"
                          "<style>body{font-family:sans-serif;max-width:32em;margin:4em auto;padding:0 1em;"
                          "color:#241f31;background:#fafafa}"
                          "@media (prefers-color-scheme: dark){body{color:#fff;background:#242424}}"
                          "h1{font-size:1.4em}</style></head>"
                          "<body><h1>%s</h1><p>%s</p></body></html>",
                          title, program, title, escaped);
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *html)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control", "no-store");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Referrer-Policy", "no-referrer");
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY, html, strlen (html));
}

/* Connections: counted from accept until libsoup lets go of them. */

static void connection_gone (gpointer data, GObject *where_the_object_was);

static void
connection_free (Connection *c)
{
  g_clear_handle_id (&c->timeout, g_source_remove);
  if (c->conn != NULL)
    g_object_weak_unref (G_OBJECT (c->conn), connection_gone, c);
  g_free (c->peer);
  g_free (c);
}

static void
connection_gone (gpointer  data,
                 GObject  *where_the_object_was)
{
  Connection *c = data;

  c->conn = NULL;
  g_hash_table_remove (c->self->connections, c->peer);
}

static char *
peer_of (GSocketAddress *address)
{
  return address ? g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (address)) : g_strdup ("?");
}

static void
drop_connection (Connection *c)
{
  GSocket *socket;

  if (c->conn == NULL)
    return;
  /* libsoup's read fails and it lets go of the connection. */
  socket = g_socket_connection_get_socket (c->conn);
  g_debug ("Dropping a loopback connection");
  g_socket_shutdown (socket, TRUE, TRUE, NULL);
}

static gboolean
connection_timeout_cb (gpointer user_data)
{
  Connection *c = user_data;

  c->timeout = 0;
  drop_connection (c);
  return G_SOURCE_REMOVE;
}

static Connection *
connection_of (AgLoopback        *self,
               SoupServerMessage *msg)
{
  g_autofree char *peer = peer_of (soup_server_message_get_remote_address (msg));
  return g_hash_table_lookup (self->connections, peer);
}

static void
got_headers_cb (SoupServerMessage *msg,
                AgLoopback        *self)
{
  Connection *c = connection_of (self, msg);

  if (c != NULL)
    g_clear_handle_id (&c->timeout, g_source_remove);
}

static void
request_finished_cb (SoupServerMessage *msg,
                     AgLoopback        *self)
{
  Connection *c = connection_of (self, msg);

  /* Kept alive for another request: the same few seconds to send it. */
  if (c != NULL && c->timeout == 0)
    c->timeout = g_timeout_add_seconds (HEADER_SECONDS, connection_timeout_cb, c);
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    AgLoopback        *self)
{
  g_signal_connect_object (msg, "got-headers", G_CALLBACK (got_headers_cb), self, 0);
  g_signal_connect_object (msg, "finished", G_CALLBACK (request_finished_cb), self, 0);
}

/* At the limit, a new connection takes the place of the oldest one that
 * has not sent its request headers (or waits idle after a request): a
 * browser sends its headers at once, a flood's connections do not. */
static gboolean
make_room (AgLoopback *self)
{
  GHashTableIter iter;
  Connection *c, *oldest = NULL;

  if (g_hash_table_size (self->connections) < MAX_CONNECTIONS)
    return TRUE;
  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &c))
    if (c->timeout != 0 && c->conn != NULL && (oldest == NULL || c->since < oldest->since))
      oldest = c;
  if (oldest == NULL)
    return FALSE;
  drop_connection (oldest);
  /* No longer counted: libsoup lets go of it on its own time. */
  g_hash_table_remove (self->connections, oldest->peer);
  return TRUE;
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *conn,
             GObject           *source,
             AgLoopback        *self)
{
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GError) error = NULL;
  Connection *c;

  if (self->server == NULL || !make_room (self))
    {
      g_debug ("Loopback connection refused: %u open", g_hash_table_size (self->connections));
      g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
      return TRUE;
    }
  local = g_socket_connection_get_local_address (conn, NULL);
  remote = g_socket_connection_get_remote_address (conn, NULL);

  c = g_new0 (Connection, 1);
  c->self = self;
  c->conn = conn;
  c->peer = peer_of (remote);
  c->since = g_get_monotonic_time ();
  g_object_weak_ref (G_OBJECT (conn), connection_gone, c);
  c->timeout = g_timeout_add_seconds (HEADER_SECONDS, connection_timeout_cb, c);
  g_hash_table_replace (self->connections, c->peer, c);

  if (!soup_server_accept_iostream (self->server, G_IO_STREAM (conn), local, remote, &error))
    {
      g_debug ("Loopback connection not accepted: %s", error->message);
      g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
    }
  return TRUE;
}

/* Whether the Host header names this computer with the listener's port: a
 * DNS-rebound page sends its own host name. */
static gboolean
host_is_ours (AgLoopback        *self,
              SoupServerMessage *msg)
{
  const char *host = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Host");
  g_autofree char *port = g_strdup_printf (":%d", g_uri_get_port (self->redirect));
  g_autofree char *name = NULL;

  if (host == NULL || !g_str_has_suffix (host, port))
    return FALSE;
  name = g_strndup (host, strlen (host) - strlen (port));
  return ag_host_is_loopback (name);
}

static void
refused_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GIOStream) stream = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
  g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
}

/* Runs when a request's headers are in, before any body is read: anything
 * but a bodyless GET naming this listener gets a short answer and the
 * connection is closed, so no body is ever read or kept. */
static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  AgLoopback *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);
  gboolean has_body = encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_EOF ||
                      (encoding == SOUP_ENCODING_CONTENT_LENGTH && soup_message_headers_get_content_length (headers) > 0);
  const char *reply = NULL;
  GIOStream *stream;

  if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_GET) != 0)
    reply = "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
  else if (has_body)
    reply = "HTTP/1.1 413 Content Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
  else if (!host_is_ours (self, msg))
    reply = "HTTP/1.1 421 Misdirected Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
  if (reply == NULL)
    return;

  g_debug ("Loopback request refused before its body: %.12s", reply + 9);
  stream = soup_server_message_steal_connection (msg);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream), reply, strlen (reply),
                                   G_PRIORITY_DEFAULT, NULL, refused_written_cb, stream);
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  AgLoopback *self = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *raw_query = g_uri_get_query (uri);
  g_autofree char *full = NULL;

  if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_GET) != 0 ||
      g_strcmp0 (g_uri_get_path (uri), g_uri_get_path (self->redirect)) != 0)
    {
      g_autofree char *text = g_strdup_printf (_("There is nothing here. %s is waiting for your sign-in to finish."),
                                               program_name ());
      g_autofree char *html = page (_("Not signed in"), text);
      respond (msg, SOUP_STATUS_NOT_FOUND, html);
      return;
    }

  /* The redirect URI exactly as configured, with what the browser brought. */
  full = g_uri_join (G_URI_FLAGS_ENCODED, g_uri_get_scheme (self->redirect), NULL,
                     g_uri_get_host (self->redirect), g_uri_get_port (self->redirect),
                     g_uri_get_path (self->redirect), raw_query, NULL);
  soup_server_message_pause (msg);
  g_ptr_array_add (self->waiting, g_object_ref (msg));
  g_debug ("Callback request on the loopback listener");
  g_signal_emit (self, signals[CALLBACK], 0, full, msg);
  ag_secure_wipe (full, strlen (full));
}

/* A reply still being written keeps the server (and its connection) alive;
 * a stopped server disconnects once the last one is out. */
static gboolean
release_server_cb (gpointer user_data)
{
  SoupServer *server = user_data;
  guint n = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (server), "ag-in-flight")) - 1;

  g_object_set_data (G_OBJECT (server), "ag-in-flight", GUINT_TO_POINTER (n));
  if (n == 0 && g_object_get_data (G_OBJECT (server), "ag-stopping") != NULL)
    soup_server_disconnect (server);
  g_object_unref (server);
  return G_SOURCE_REMOVE;
}

static void
message_finished_cb (SoupServerMessage *msg,
                     SoupServer        *server)
{
  /* Not from inside libsoup's own emission: the server may go with it. */
  g_signal_handlers_disconnect_by_func (msg, message_finished_cb, server);
  g_idle_add (release_server_cb, server);
}

void
ag_loopback_reply (AgLoopback *self,
                   gpointer    reply,
                   gboolean    signed_in,
                   const char *error_message)
{
  g_autofree char *text = signed_in ? g_strdup_printf (_("You are signed in to %s. You can close this tab."),
                                                       program_name ())
                                    : NULL;

  ag_loopback_reply_message (self, reply, signed_in, signed_in ? text : error_message);
}

void
ag_loopback_reply_message (AgLoopback *self,
                           gpointer    reply,
                           gboolean    ok,
                           const char *message)
{
  SoupServerMessage *msg = reply;
  g_autofree char *html = NULL;

  g_return_if_fail (AG_IS_LOOPBACK (self));

  if (!g_ptr_array_find (self->waiting, msg, NULL))
    return;   /* answered already, or the listener stopped */
  /* An answer handed on is not yet a session: the program says how it
   * ends. */
  html = page (ok ? _("Sign-in received") : _("Not signed in"), message);
  respond (msg, ok ? SOUP_STATUS_OK : SOUP_STATUS_BAD_REQUEST, html);
  if (self->server != NULL)
    {
      guint n = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self->server), "ag-in-flight"));

      g_object_set_data (G_OBJECT (self->server), "ag-in-flight", GUINT_TO_POINTER (n + 1));
      g_signal_connect (msg, "finished", G_CALLBACK (message_finished_cb), g_object_ref (self->server));
    }
  soup_server_message_unpause (msg);
  g_ptr_array_remove (self->waiting, msg);
}

gboolean
ag_loopback_start (AgLoopback  *self,
                   GError     **error)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GSocketService) service = NULL;
  const char *host = g_uri_get_host (self->redirect);
  /* localhost is both; an address literal, only itself. */
  const char *both[] = { "127.0.0.1", "::1", NULL };
  const char *one[] = { host, NULL };
  const char * const *hosts = g_ascii_strcasecmp (host, "localhost") == 0 ? both : one;
  guint n_listening = 0;
  GError *first_error = NULL;

  g_return_val_if_fail (AG_IS_LOOPBACK (self), FALSE);

  if (self->server != NULL)
    return TRUE;
  server = soup_server_new ("server-header", NULL, NULL);
  soup_server_add_early_handler (server, NULL, early_handler, self, NULL);
  soup_server_add_handler (server, NULL, handler, self, NULL);
  g_signal_connect_object (server, "request-started", G_CALLBACK (request_started_cb), self, 0);
  /* Our own accept loop, so that connections can be counted and timed. */
  service = g_socket_service_new ();
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (service), 64);
  for (guint i = 0; hosts[i] != NULL; i++)
    {
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string (hosts[i], (guint) g_uri_get_port (self->redirect));
      GError *local_error = NULL;

      if (g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                         G_SOCKET_PROTOCOL_TCP, NULL, NULL, &local_error))
        n_listening++;
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE) || first_error == NULL)
        {
          /* In use beats any other reason (::1 may be missing altogether). */
          g_clear_error (&first_error);
          first_error = local_error;
        }
      else
        g_error_free (local_error);
    }
  if (n_listening == 0 ||
      (first_error != NULL && g_error_matches (first_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE)))
    {
      g_socket_listener_close (G_SOCKET_LISTENER (service));
      soup_server_disconnect (server);
      g_propagate_error (error, first_error);
      return FALSE;
    }
  g_clear_error (&first_error);
  self->server = g_steal_pointer (&server);
  self->service = g_steal_pointer (&service);
  g_signal_connect_object (self->service, "incoming", G_CALLBACK (incoming_cb), self, 0);
  g_socket_service_start (self->service);
  return TRUE;
}

void
ag_loopback_stop (AgLoopback *self)
{
  g_return_if_fail (AG_IS_LOOPBACK (self));

  while (self->waiting->len > 0)
    {
      g_autofree char *text = g_strdup_printf (_("%s is no longer waiting for this sign-in."), program_name ());

      ag_loopback_reply (self, g_ptr_array_index (self->waiting, 0), FALSE, text);
    }
  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_signal_handlers_disconnect_by_data (self->service, self);
      g_clear_object (&self->service);
    }
  if (self->server != NULL)
    {
      /* No new connection from now on; answers on their way still arrive. */
      if (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self->server), "ag-in-flight")) == 0)
        soup_server_disconnect (self->server);
      else
        g_object_set_data (G_OBJECT (self->server), "ag-stopping", GINT_TO_POINTER (TRUE));
      g_clear_object (&self->server);
    }
}
