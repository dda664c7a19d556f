/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Largest response body read from the provider. */
#define AG_HTTP_MAX_BODY (1024 * 1024)
/* Whole-request deadline, in seconds; AG_HTTP_TIMEOUT in the environment
 * lowers it for tests of a provider that never answers. */
#define AG_HTTP_DEFAULT_TIMEOUT 30

/* The one SoupSession of the process: keep-alive, timeouts, no cookies. */
SoupSession *ag_http_session_new      (void);

/**
 * ag_http_send_async:
 * Sends @msg and reads at most %AG_HTTP_MAX_BODY bytes of the answer within
 * the deadline. A larger body, a network failure or the deadline give
 * %AUTHGEAR_ERROR_INVALID_RESPONSE, %AUTHGEAR_ERROR_NETWORK or %AUTHGEAR_ERROR_TIMEOUT.
 */
void         ag_http_send_async       (SoupSession          *session,
                                       SoupMessage          *msg,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
GBytes      *ag_http_send_finish      (SoupSession          *session,
                                       GAsyncResult         *result,
                                       GError              **error);

/**
 * ag_http_read_answer:
 * The end of ag_http_send_async(), for one of Authgear's endpoints: send,
 * check the status, read the JSON. %FALSE with @error when Authgear could
 * not be reached, when it answered with an error (ag_http_answer_error()),
 * or when @json_required and a successful answer is not a JSON object
 * (@what, a translated noun such as "profile", names it). Otherwise %TRUE,
 * with the body in *@json when it is a JSON object, else %NULL.
 */
gboolean     ag_http_read_answer      (SoupSession          *session,
                                       GAsyncResult         *result,
                                       SoupMessage          *msg,
                                       const char           *what,
                                       gboolean              json_required,
                                       JsonObject          **json,
                                       GError              **error);

/**
 * ag_http_answer_error:
 * The one place an error answer of Authgear is read. %FALSE when @status
 * is 2xx and @answer carries no error. Otherwise %TRUE with @error:
 * invalid_grant (OAuth's `error`, or the `reason` InvalidGrant of
 * Authgear's API) is %AUTHGEAR_ERROR_INVALID_GRANT; invalid_client and
 * unauthorized_client are %AUTHGEAR_ERROR_CLIENT_REJECTED; anything else
 * is %AUTHGEAR_ERROR_PROVIDER, naming the error or the status and @what
 * (a translated noun such as "token request").
 */
gboolean     ag_http_answer_error     (guint                 status,
                                       JsonObject           *answer,
                                       const char           *what,
                                       GError              **error);

/**
 * ag_http_parse_json_object:
 * Parses @body as one JSON object, or sets %AUTHGEAR_ERROR_INVALID_RESPONSE with
 * @what (a translated noun such as "token response") in the message.
 */
JsonObject  *ag_http_parse_json_object (GBytes              *body,
                                        const char          *what,
                                        GError             **error);

/* An integer member of @object in *@out: a JSON integer, or a number with
 * no more than 15 digits before the point (its fraction dropped). FALSE when
 * it is missing, not a number or larger. */
gboolean     ag_json_get_int          (JsonObject          *object,
                                       const char          *name,
                                       gint64              *out);

/* A string member of @object, or %NULL when it is missing or not a string. */
const char  *ag_json_get_string       (JsonObject          *object,
                                       const char          *name);

/* Appends name=value (the value percent-encoded) to a query or form in
 * @query, with `&` after what is there; a %NULL or empty value is left
 * out. The encoded copy of the value is wiped: it may be a secret. */
void         ag_http_query_append     (GString             *query,
                                       const char          *name,
                                       const char          *value);

/* application/x-www-form-urlencoded body from name/value pairs, %NULL-ended. */
GBytes      *ag_http_form_encode      (const char          *first_name,
                                       ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
