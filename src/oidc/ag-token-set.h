/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define AG_TYPE_TOKEN_SET (ag_token_set_get_type ())

G_DECLARE_FINAL_TYPE (AgTokenSet, ag_token_set, AG, TOKEN_SET, GObject)

/**
 * ag_token_set_new_from_response:
 * Validates a token endpoint response: a JSON object with a non-empty
 * `access_token` and `token_type` Bearer (any case). @now is seconds since the
 * epoch; `expires_in` becomes an absolute expiry. Errors are
 * %AUTHGEAR_ERROR_INVALID_RESPONSE.
 */
AgTokenSet  *ag_token_set_new_from_response (JsonObject  *response,
                                             const char  *issuer,
                                             const char  *client_id,
                                             gint64       now,
                                             GError     **error);

/* Serialises everything (for the keyring only) and back. */
char        *ag_token_set_serialize         (AgTokenSet  *self);
AgTokenSet  *ag_token_set_deserialize       (const char  *text,
                                             GError     **error);

const char  *ag_token_set_get_access_token  (AgTokenSet *self);
const char  *ag_token_set_get_refresh_token (AgTokenSet *self);
const char  *ag_token_set_get_id_token      (AgTokenSet *self);
const char  *ag_token_set_get_issuer        (AgTokenSet *self);
const char  *ag_token_set_get_client_id     (AgTokenSet *self);
gint64       ag_token_set_get_expires_at    (AgTokenSet *self);
gint64       ag_token_set_get_issued_at     (AgTokenSet *self);
const char  *ag_token_set_get_subject       (AgTokenSet *self);
JsonObject  *ag_token_set_get_id_claims     (AgTokenSet *self);
JsonObject  *ag_token_set_get_userinfo      (AgTokenSet *self);
/* When the person last proved who they are (the ID token's auth_time, in
 * Unix seconds), or 0. */
gint64       ag_token_set_get_auth_time     (AgTokenSet *self);

/* Authgear's reauthentication rule, written once: a proof counts as recent
 * for 5 minutes. */
#define AG_REAUTHENTICATION_MAX_AGE 300
/* AG_REAUTHENTICATION_MAX_AGE, or AG_REAUTHENTICATE_AFTER_SECONDS from the
 * environment (tests: 0 makes every proof old). */
gint64       ag_reauthentication_max_age    (void);
/* Whether the person proved who they are within the last @max_age seconds. */
gboolean     ag_token_set_authenticated_within (AgTokenSet *self,
                                             gint64      max_age);
JsonObject  *ag_token_set_get_response      (AgTokenSet *self);

void         ag_token_set_set_id_claims     (AgTokenSet *self,
                                             JsonObject *claims);
void         ag_token_set_set_userinfo      (AgTokenSet *self,
                                             JsonObject *userinfo);
/* Takes the refresh token, ID token and claims of @previous where this
 * (refreshed) set has none. */
void         ag_token_set_inherit           (AgTokenSet *self,
                                             AgTokenSet *previous);

/* Whether the access token is good for a while yet: less than 90 % of its
 * lifetime has passed at @now. */
gboolean     ag_token_set_is_fresh          (AgTokenSet *self,
                                             gint64      now);
/* When to refresh: 90 % into the lifetime, as seconds since the epoch. */
gint64       ag_token_set_get_refresh_at    (AgTokenSet *self);

/* Who the person is, the library's one rule: the user info's claims, and
 * the ID token's person claims (sub, email, name, Authgear's own…) where
 * the user info has none or an empty one. Before the first user info, the
 * ID token says who it is. */
JsonObject  *ag_token_set_dup_claims        (AgTokenSet *self);
/* The same, kept until the claims change. */
JsonObject  *ag_token_set_get_claims        (AgTokenSet *self);
/* ag_claims_get_display_name() of the claims above. */
const char  *ag_token_set_get_display_name  (AgTokenSet *self);
/* The name to greet in @claims: name, preferred_username, email, then sub
 * (the first that is a non-empty string), or %NULL. */
const char  *ag_claims_get_display_name     (JsonObject *claims);

/**
 * ag_token_set_dup_response_json:
 * The token response as pretty JSON, like the Flask guide's <pre>, with the
 * value of every token replaced unless @reveal.
 */
char        *ag_token_set_dup_response_json (AgTokenSet *self,
                                             gboolean    reveal);

/* The scopes granted (space-separated): the token response's "scope", or
 * when Authgear leaves it out (it does for the code flow), the scopes the
 * sign-in asked for. %NULL when unknown. */
const char  *ag_token_set_get_scope      (AgTokenSet  *self);
gboolean     ag_token_set_has_scope      (AgTokenSet  *self,
                                          const char  *scope);
/* Records @scopes as granted when the response did not say. */
void         ag_token_set_ensure_scope   (AgTokenSet  *self,
                                          const char  *scopes);

/* Takes @from's ID token and its claims (a reauthentication's), keeping
 * everything else of @self. */
void         ag_token_set_take_id_token  (AgTokenSet  *self,
                                          AgTokenSet  *from);

G_END_DECLS
