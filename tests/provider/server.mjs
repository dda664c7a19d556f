// SPDX-License-Identifier: GPL-3.0-or-later
//
// The development provider: an OpenID provider on loopback in the shape of the
// real Authgear (authgear-server, release of 2026-08) as a client sees it:
// same paths, same Email + passwordless sign-in, refresh tokens for
// `offline_access` without a consent prompt, Authgear's ID token, userinfo,
// client authentication, revocation, end session and SSO cookie rules.
// Built on the certified `oidc-provider` package; where that package differs
// from Authgear, the wrapper below makes it answer as Authgear does. The
// README's table lists each behaviour and the server file that decides it.
//
//   node tests/provider/server.mjs [--port N] [--host H] [--access-token-ttl S]
//                                  [--refresh-token-ttl S] [--stats]
//                                  [--rfc9207] [--rotate-refresh-tokens]
//                                  [--legacy-client-auth] [--clock-offset S]
//
// The last four leave Authgear's shape on purpose: `iss` in the authorization
// response (RFC 9207), refresh-token rotation (an Authgear client option),
// a server older than release 2026-07-30.0 (no client_secret_basic), and a
// provider clock S seconds ahead of (or, negative, behind) this machine's.
//
// Environment: AG_PROVIDER_PORT, AG_PROVIDER_HOST, AG_PROVIDER_ACCESS_TOKEN_TTL,
// AG_PROVIDER_REFRESH_TOKEN_TTL, AG_PROVIDER_STATS=1. Flags win.
// Prints "issuer: URL" on stdout when it is ready; exits on SIGTERM/SIGINT.

import crypto from 'node:crypto';
import http from 'node:http';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

import { renderPage, escapeHtml } from './pages.mjs';

const { values: flags } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'access-token-ttl': { type: 'string' },
    'refresh-token-ttl': { type: 'string' },
    stats: { type: 'boolean' },
    quiet: { type: 'boolean' },
    rfc9207: { type: 'boolean' },
    'rotate-refresh-tokens': { type: 'boolean' },
    'legacy-client-auth': { type: 'boolean' },
    'clock-offset': { type: 'string' },
  },
});

// What this provider does where Authgear's shape is left on purpose.
const profile = {
  rfc9207: Boolean(flags.rfc9207),
  rotate_refresh_tokens: Boolean(flags['rotate-refresh-tokens']),
  legacy_client_auth: Boolean(flags['legacy-client-auth']),
  clock_offset: Number(flags['clock-offset'] ?? 0),
};
if (!Number.isInteger(profile.clock_offset) || Math.abs(profile.clock_offset) > 7 * 24 * 3600) {
  console.error('server.mjs: --clock-offset takes whole seconds (a week at most)');
  process.exit(2);
}
if (profile.clock_offset !== 0) {
  // Everything here (oidc-provider's iat/exp, the Date header) reads the
  // time through Date.now: shift it, as a server with another clock would.
  const realNow = Date.now;
  Date.now = () => realNow() + profile.clock_offset * 1000;
}
const nowSeconds = () => Math.floor(Date.now() / 1000);

const host = flags.host ?? process.env.AG_PROVIDER_HOST ?? '127.0.0.1';
const port = Number(flags.port ?? process.env.AG_PROVIDER_PORT ?? 4000);
const accessTokenTtl = Number(flags['access-token-ttl'] ?? process.env.AG_PROVIDER_ACCESS_TOKEN_TTL ?? 3600);
const refreshTokenTtl = Number(flags['refresh-token-ttl'] ?? process.env.AG_PROVIDER_REFRESH_TOKEN_TTL ?? 30 * 24 * 3600);
const statsEnabled = flags.stats || process.env.AG_PROVIDER_STATS === '1';
const quiet = flags.quiet || process.env.AG_PROVIDER_QUIET === '1';

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`server.mjs: bad port "${port}"`);
  process.exit(2);
}
for (const [name, v] of [['access-token-ttl', accessTokenTtl], ['refresh-token-ttl', refreshTokenTtl]]) {
  if (!Number.isInteger(v) || v < 1) {
    console.error(`server.mjs: --${name} must be a positive number of seconds`);
    process.exit(2);
  }
}

const REDIRECT_URI = 'http://localhost:3000/callback';
const AUTHGEAR_CLAIM = 'https://authgear.com/claims/user/';
const AUTHGEAR_USER_CLAIMS = ['is_anonymous', 'is_verified', 'can_reauthenticate'].map((c) => AUTHGEAR_CLAIM + c);
const POST_LOGOUT_REDIRECT_URI = 'http://localhost:3000/';
// Authgear's scope for its own pages (settings, settings actions); a client
// may be configured without it (pkg/lib/oauth/scope.go).
const FULL_ACCESS = 'https://authgear.com/scopes/full-access';
// Settings actions (docs/specs/sdk-settings-actions.md): a code flow of
// their own, ending in an empty answer from the token endpoint.
const SETTINGS_ACTION_RESPONSE = 'urn:authgear:params:oauth:response-type:settings-action';
const SETTINGS_ACTION_GRANT = 'urn:authgear:params:oauth:grant-type:settings-action';
const SETTINGS_ACTIONS = new Set(['change_email', 'delete_account']);
// A fresh ID token for the access token in Authorization: Bearer, as
// reauthentication needs one for id_token_hint (Authgear's last lives 5
// minutes and an expired hint is refused).
const ID_TOKEN_GRANT = 'urn:authgear:params:oauth:grant-type:id-token';
const CODE_ATTEMPTS = 3;

// Authgear's own user claims (pkg/lib/oauth/oidc/id_token.go): every account
// here signs in with an email code, so it can be asked to reauthenticate.
function authgearClaims(account) {
  return {
    [`${AUTHGEAR_CLAIM}is_anonymous`]: false,
    [`${AUTHGEAR_CLAIM}is_verified`]: Boolean(account.email_verified),
    [`${AUTHGEAR_CLAIM}can_reauthenticate`]: true,
  };
}

// Accounts known to the provider. `name` is optional, as in Authgear, where a
// new account has only its email until the person sets a name.
const accounts = new Map();
function accountByEmail(email, { create = false, name } = {}) {
  let account = accounts.get(email);
  if (!account && create) {
    account = { sub: crypto.randomUUID(), email, email_verified: true };
    if (name) account.name = name;
    accounts.set(email, account);
  }
  return account;
}
accountByEmail('alice@example.com', { create: true, name: 'Alice Liddell' });

// The development outbox: one-time codes "sent" by email.
const outbox = [];

const stats = {
  discovery: 0, jwks: 0, authorization: 0, token: 0, authorization_code: 0,
  refresh: 0, userinfo: 0, revocation: 0, end_session: 0, signup_page: 0,
  token_basic: 0, // token requests that carried an Authorization: Basic header
  app_session_token: 0, settings_open: 0, settings_page: 0, settings_action: 0, settings_action_grant: 0,
  id_token_grant: 0, reauthentication: 0,
  code_submitted: 0, // one-time codes posted to a sign-in or Change Email page, right or wrong
};

// Authgear signs with one RSA key and announces only RS256
// (pkg/lib/oauth/oidc/metadata.go).
const rsaKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const rsaKid = crypto.randomUUID();
function signingKeys() {
  return [{ ...rsaKey.export({ format: 'jwk' }), kid: rsaKid, use: 'sig', alg: 'RS256' }];
}

const issuer = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

const configuration = {
  clients: [
    {
      // Like Authgear's "Native App": public, PKCE required.
      client_id: 'authgear-login',
      client_name: 'Authgear Login',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token', SETTINGS_ACTION_GRANT, ID_TOKEN_GRANT],
      response_types: ['code'],
      redirect_uris: [REDIRECT_URI],
      post_logout_redirect_uris: [POST_LOGOUT_REDIRECT_URI],
      application_type: 'native',
      require_auth_time: true,
    },
    {
      // Like the Flask guide's client: confidential. Authgear takes its
      // secret in the form, and since release 2026-07-30.0 also as Basic.
      client_id: 'authgear-login-confidential',
      client_secret: 'dev-client-secret-change-me',
      client_name: 'Authgear Login (confidential)',
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['authorization_code', 'refresh_token', SETTINGS_ACTION_GRANT, ID_TOKEN_GRANT],
      response_types: ['code'],
      redirect_uris: [REDIRECT_URI],
      post_logout_redirect_uris: [POST_LOGOUT_REDIRECT_URI],
      application_type: 'native',
      require_auth_time: true,
    },
    {
      // A public client configured without full access: it signs in, but
      // Authgear's own pages are not for it.
      client_id: 'authgear-login-no-account',
      client_name: 'Authgear Login (no account management)',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token', SETTINGS_ACTION_GRANT, ID_TOKEN_GRANT],
      response_types: ['code'],
      redirect_uris: [REDIRECT_URI],
      post_logout_redirect_uris: [POST_LOGOUT_REDIRECT_URI],
      application_type: 'native',
      require_auth_time: true,
    },
  ],
  routes: {
    authorization: '/oauth2/authorize',
    token: '/oauth2/token',
    userinfo: '/oauth2/userinfo',
    revocation: '/oauth2/revoke',
    end_session: '/oauth2/end_session',
    jwks: '/oauth2/jwks',
  },
  scopes: ['openid', 'offline_access', 'email', 'profile', FULL_ACCESS],
  // Authgear's userinfo answers with the standard claims for scope `openid`
  // alone (the Flask guide asks for nothing more), so map them there.
  claims: {
    openid: ['sub', 'email', 'email_verified', 'name', ...AUTHGEAR_USER_CLAIMS],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  extraParams: ['x_page', 'x_color_scheme', 'x_sso_enabled', 'x_suppress_idp_session_cookie'],
  clientAuthMethods: profile.legacy_client_auth
    ? ['none', 'client_secret_post']
    : ['none', 'client_secret_post', 'client_secret_basic'],
  pkce: {
    required: (_ctx, client) => client.clientAuthMethod === 'none',
  },
  features: {
    devInteractions: { enabled: false },
    revocation: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      // Authgear ends its session without asking; submit the form at once.
      logoutSource: async (ctx, form) => {
        ctx.body = renderPage('Signing out', `${form}<input type="hidden" form="op.logoutForm" name="logout" value="yes">
<p>Signing out…</p><noscript><button type="submit" form="op.logoutForm">Continue</button></noscript>
<script>document.forms[0].submit()</script>`);
      },
      postLogoutSuccessSource: async (ctx) => {
        ctx.body = renderPage('Signed out', '<h1>Signed out</h1><p>You have been signed out.</p>');
      },
    },
  },
  // Authgear rotates refresh tokens only for clients that ask for it.
  rotateRefreshToken: profile.rotate_refresh_tokens,
  issueRefreshToken: async (_ctx, client, code) => client.grantTypeAllowed('refresh_token')
    && code.scopes.has('offline_access'),
  ttl: {
    AccessToken: accessTokenTtl,
    RefreshToken: refreshTokenTtl,
    AuthorizationCode: 60,
    IdToken: 300,   // Authgear: exp = iat + 5 minutes
    Interaction: 600,
    Session: 24 * 3600,
    Grant: 30 * 24 * 3600,
  },
  findAccount: async (_ctx, sub) => {
    const account = [...accounts.values()].find((a) => a.sub === sub);
    if (!account || deletedAccounts.has(sub)) return undefined;
    return {
      accountId: sub,
      // Like Authgear: the ID token names the subject, the profile comes
      // from userinfo (the Flask guide's page shows "Welcome !" for this).
      claims: async (use) => (use === 'id_token' ? { sub } : { ...account, ...authgearClaims(account) }),
    };
  },
  interactions: {
    url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
  },
  cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
  jwks: { keys: signingKeys() },
  renderError: async (ctx, out) => {
    ctx.type = 'html';
    ctx.body = renderPage('Error', `<h1>Something went wrong</h1>
<p class="error">${escapeHtml(out.error)}: ${escapeHtml(out.error_description ?? '')}</p>`);
  },
};

const provider = new Provider(issuer, configuration);
provider.proxy = false;

provider.registerGrantType(ID_TOKEN_GRANT, async (ctx) => {
  const bearer = /^Bearer (.+)$/i.exec(ctx.get('x-ag-bearer') ?? '')?.[1];
  const accessToken = bearer ? await provider.AccessToken.find(bearer) : undefined;
  if (!accessToken || accessToken.clientId !== ctx.oidc.client.clientId || deletedAccounts.has(accessToken.accountId)) {
    ctx.status = 400;
    ctx.body = { error: 'invalid_grant', error_description: 'invalid access token' };
    return;
  }
  stats.id_token_grant += 1;
  const original = `x.${b64url({ sub: accessToken.accountId, auth_time: authTimes.get(accessToken.accountId) })}.x`;
  ctx.status = 200;
  ctx.body = {
    token_type: 'Bearer',
    id_token: authgearIdToken(original, ctx.oidc.client.clientId, sidFor(accessToken.grantId ?? 'none'), { refreshed: true }),
  };
});

// The settings action's code, exchanged with PKCE for an empty answer.
provider.registerGrantType(SETTINGS_ACTION_GRANT, async (ctx) => {
  const { code, redirect_uri: redirectUri, code_verifier: verifier } = ctx.oidc.params;
  const flow = code ? settingsActionCodes.get(code) : undefined;
  settingsActionCodes.delete(code);
  const challenge = verifier ? crypto.createHash('sha256').update(verifier).digest('base64url') : '';
  if (!flow || flow.expireAt < Date.now() || flow.clientId !== ctx.oidc.client.clientId
      || flow.redirectUri !== redirectUri || flow.challenge !== challenge) {
    ctx.status = 400;
    ctx.body = { error: 'invalid_grant', error_description: 'invalid settings action code' };
    return;
  }
  stats.settings_action_grant += 1;
  ctx.status = 200;
  ctx.body = {};
}, ['code', 'redirect_uri', 'code_verifier']);

// Out of the box oidc-provider drops `offline_access` unless the request says
// `prompt=consent`. Authgear issues the refresh token without that, so the
// request gains `consent`, which the interaction below grants without asking.
function keepOfflineAccess(url) {
  const scope = url.searchParams.get('scope') ?? '';
  const prompts = (url.searchParams.get('prompt') ?? '').split(' ').filter(Boolean);
  if (!scope.split(' ').includes('offline_access') || prompts.includes('consent') || prompts.includes('none')) {
    return false;
  }
  url.searchParams.set('prompt', [...prompts, 'consent'].join(' '));
  return true;
}

// ---- Authgear's shape, where oidc-provider answers otherwise ----

const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

// Authgear's ID token (pkg/lib/oauth/oidc/id_token.go): RS256 with `kid` and
// `typ: JWT`; `aud` an array; exp = iat + 5 minutes; auth_time, sid, amr,
// nonce (not after a refresh) and Authgear's user claims; no azp, no at_hash,
// no name. oidc-provider's own token is read for what it decided (subject,
// nonce, auth_time) and signed again in this shape.
function authgearIdToken(original, clientId, sid, { refreshed }) {
  const src = JSON.parse(Buffer.from(original.split('.')[1], 'base64url').toString());
  const account = [...accounts.values()].find((a) => a.sub === src.sub) ?? {};
  const iat = nowSeconds();
  const claims = {
    iss: issuer,
    aud: [clientId],
    sub: src.sub,
    iat,
    exp: iat + 300,
    auth_time: src.auth_time ?? iat,
    sid,
    amr: src.amr ?? ['otp'],
    ...(src.nonce !== undefined && !refreshed ? { nonce: src.nonce } : {}),
    ...authgearClaims(account),
  };
  const input = `${b64url({ alg: 'RS256', kid: rsaKid, typ: 'JWT' })}.${b64url(claims)}`;
  return `${input}.${crypto.sign('sha256', Buffer.from(input), rsaKey).toString('base64url')}`;
}

// One `sid` per grant, stable across refreshes, as Authgear's offline grant.
const sids = new Map();
function sidFor(grantId) {
  if (!sids.has(grantId)) sids.set(grantId, `o_${crypto.randomBytes(12).toString('base64url')}`);
  return sids.get(grantId);
}

function isRegisteredRedirect(location) {
  return location.startsWith(`${REDIRECT_URI}?`) || location.startsWith(`${REDIRECT_URI}#`);
}

// Authgear's authorization response has `code` and `state` only
// (pkg/lib/oauth/protocol/authz.go); oidc-provider always adds RFC 9207 `iss`.
function withoutIss(location) {
  const url = new URL(location);
  url.searchParams.delete('iss');
  return url.href;
}

// x_sso_enabled wins, x_suppress_idp_session_cookie is the older name, and
// without either the cookie is kept (pkg/lib/oauth/protocol/authz.go).
function suppressesSessionCookie(params) {
  if (params.get('x_sso_enabled')) return params.get('x_sso_enabled') !== 'true';
  if (params.get('x_suppress_idp_session_cookie')) return params.get('x_suppress_idp_session_cookie') === 'true';
  return false;
}
// Interactions whose authorization request suppressed the cookie, by uid.
const suppressedInteractions = new Set();
const SESSION_COOKIES = ['_session', '_session.sig', '_session.legacy', '_session.legacy.sig'];

function dropCookies(header, names) {
  if (!header) return header;
  return header.split(';').map((c) => c.trim()).filter((c) => !names.includes(c.split('=')[0])).join('; ');
}

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/.well-known/openid-configuration' && ctx.body && typeof ctx.body === 'object') {
    if (!profile.rfc9207) delete ctx.body.authorization_response_iss_parameter_supported;
    ctx.body.id_token_signing_alg_values_supported = ['RS256'];
  }
  const location = ctx.response.get('Location');
  if (location && !profile.rfc9207 && isRegisteredRedirect(location)) {
    ctx.response.set('Location', withoutIss(location));
  }
  if (ctx.path === '/oauth2/token' && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
    const grantId = ctx.oidc?.entities?.Grant?.jti ?? ctx.oidc?.entities?.RefreshToken?.grantId ?? 'none';
    if (ctx.body.id_token) {
      ctx.body.id_token = authgearIdToken(ctx.body.id_token, ctx.oidc.client.clientId, sidFor(grantId),
        { refreshed: ctx.oidc.params.grant_type === 'refresh_token' });
    }
    // Authgear's token answers for a person name no scope (only its
    // machine-to-machine tokens do: pkg/lib/oauth/handler/service_token.go).
    delete ctx.body.scope;
    // Without rotation Authgear's refresh answer has no refresh_token
    // (pkg/lib/oauth/handler/handler_token.go); oidc-provider repeats it.
    if (ctx.oidc?.params?.grant_type === 'refresh_token' && !profile.rotate_refresh_tokens) {
      delete ctx.body.refresh_token;
    }
  }
  // A dead access token: Authgear says invalid_grant / invalid session
  // (pkg/lib/oauth/scope.go), oidc-provider invalid_token.
  if (ctx.path === '/oauth2/userinfo' && ctx.status === 401) {
    ctx.body = { error: 'invalid_grant', error_description: 'invalid session' };
    ctx.response.set('WWW-Authenticate', 'Bearer error="invalid_grant", error_description="invalid session"');
  }
  // The session cookie is neither read nor written for such a request.
  const resume = ctx.path.match(/^\/oauth2\/authorize\/([A-Za-z0-9_-]+)$/);
  const interaction = (location ?? '').match(/^\/interaction\/([A-Za-z0-9_-]+)$/);
  if (ctx.path === '/oauth2/authorize' && interaction && suppressesSessionCookie(new URLSearchParams(ctx.querystring))) {
    suppressedInteractions.add(interaction[1]);
  }
  if (resume && suppressedInteractions.has(resume[1])) {
    const cookies = ctx.response.get('Set-Cookie');
    if (Array.isArray(cookies)) {
      ctx.response.set('Set-Cookie', cookies.filter((c) => !SESSION_COOKIES.includes(c.split('=')[0])));
    }
  }
});

// Authgear's revocation needs no client authentication, always answers 200,
// and ends the refresh token's session (pkg/lib/oauth/handler/handler_revoke.go).
async function revoke(req, res) {
  let form;
  try { form = await readForm(req); } catch { form = new URLSearchParams(); }
  const token = form.get('token') ?? '';
  const refreshToken = token ? await provider.RefreshToken.find(token, { ignoreExpiration: true }) : undefined;
  if (refreshToken) {
    const grant = refreshToken.grantId ? await provider.Grant.find(refreshToken.grantId) : undefined;
    await grant?.destroy();
    await refreshToken.destroy();
  }
  res.statusCode = 200;
  res.setHeader('Cache-Control', 'no-store');
  res.end();
}

// Authgear's app session token (pkg/auth/handler/oauth/app_session_token.go):
// a JSON body with the refresh token; the answer in Authgear's API envelope,
// {"result": {...}} or {"error": {name, reason, message, code}}. A token lives
// 5 minutes and is used once (by the settings page's login_hint).
const appSessionTokens = new Map();
const APP_SESSION_TOKEN_TTL = 300;

function sendApiError(res, code, name, reason, message) {
  sendJson(res, code, { error: { name, reason, message, code } });
}

async function readText(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 64 * 1024) throw new Error('body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function appSessionToken(req, res) {
  stats.app_session_token += 1;
  let payload;
  try { payload = JSON.parse(await readText(req)); } catch { payload = undefined; }
  const keys = payload && typeof payload === 'object' ? Object.keys(payload) : [];
  if (!payload || typeof payload.refresh_token !== 'string' || keys.some((k) => k !== 'refresh_token')) {
    return sendApiError(res, 400, 'Invalid', 'ValidationFailed', 'invalid request body');
  }
  const refreshToken = await provider.RefreshToken.find(payload.refresh_token);
  if (!refreshToken || refreshToken.isExpired || deletedAccounts.has(refreshToken.accountId)) {
    return sendApiError(res, 403, 'Forbidden', 'InvalidGrant', 'invalid refresh token');
  }
  const token = crypto.randomBytes(32).toString('base64url');
  const expireAt = new Date(Date.now() + APP_SESSION_TOKEN_TTL * 1000);
  appSessionTokens.set(token, {
    accountId: refreshToken.accountId, clientId: refreshToken.clientId, expireAt, used: false,
  });
  return sendJson(res, 200, { result: { app_session_token: token, expire_at: expireAt.toISOString() } });
}

// ---- Authgear's own pages: settings ----

const NO_FULL_ACCESS = new Set(['authgear-login-no-account']);

// A code-flow request for full access by a client without it: Authgear
// answers invalid_scope at the redirect URI.
function refusesFullAccess(res, url) {
  const q = url.searchParams;
  const client = configuration.clients.find((c) => c.client_id === q.get('client_id'));
  if (!client || !NO_FULL_ACCESS.has(client.client_id) || q.get('response_type') === 'none'
      || !(q.get('scope') ?? '').split(' ').includes(FULL_ACCESS)
      || !client.redirect_uris.includes(q.get('redirect_uri'))) {
    return false;
  }
  const back = new URL(q.get('redirect_uri'));
  back.searchParams.set('error', 'invalid_scope');
  back.searchParams.set('error_description', 'scope is not allowed for this client');
  if (q.get('state')) back.searchParams.set('state', q.get('state'));
  if (profile.rfc9207) back.searchParams.set('iss', issuer);
  res.statusCode = 302;
  res.setHeader('Location', back.href);
  res.setHeader('Cache-Control', 'no-store');
  res.end();
  return true;
}

// Settings actions: the flow between the authorization request and the
// code, by a random id in the page's address.
const settingsActionFlows = new Map();
const settingsActionCodes = new Map();
const deletedAccounts = new Set();

function idTokenSubject(idToken) {
  try {
    return JSON.parse(Buffer.from((idToken ?? '').split('.')[1] ?? '', 'base64url').toString()).sub;
  } catch { return undefined; }
}

// response_type=…settings-action (pkg/lib/oauth/handler/handler_authz.go):
// PKCE, the app's redirect URI, the app session token as login_hint, the ID
// token as id_token_hint, x_settings_action and x_settings_action_query.
function startSettingsAction(req, res, url) {
  const q = url.searchParams;
  const client = configuration.clients.find((c) => c.client_id === q.get('client_id'));
  stats.settings_action += 1;
  if (!client || !client.redirect_uris.includes(q.get('redirect_uri'))) {
    return settingsError(res, 400, 'invalid_request: unknown client or redirect URI');
  }
  const back = (params) => {
    const target = new URL(q.get('redirect_uri'));
    for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
    if (q.get('state')) target.searchParams.set('state', q.get('state'));
    if (profile.rfc9207) target.searchParams.set('iss', issuer);
    res.statusCode = 302;
    res.setHeader('Location', target.href);
    res.setHeader('Cache-Control', 'no-store');
    res.end();
  };
  const action = q.get('x_settings_action');
  if (!SETTINGS_ACTIONS.has(action)) return back({ error: 'invalid_request', error_description: 'x_settings_action' });
  if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
    return back({ error: 'invalid_request', error_description: 'PKCE is required' });
  }
  if (NO_FULL_ACCESS.has(client.client_id) || !(q.get('scope') ?? '').split(' ').includes(FULL_ACCESS)) {
    return back({ error: 'invalid_scope', error_description: 'full access is required' });
  }
  let hint;
  try { hint = new URL(q.get('login_hint') ?? ''); } catch { hint = null; }
  const token = hint && hint.searchParams.get('type') === 'app_session_token' ? hint.searchParams.get('app_session_token') : null;
  const entry = token ? appSessionTokens.get(token) : undefined;
  if (!entry || entry.used || entry.expireAt.getTime() < Date.now() || entry.clientId !== client.client_id) {
    return back({ error: 'invalid_grant', error_description: 'the app session token is not valid' });
  }
  if (idTokenSubject(q.get('id_token_hint')) !== entry.accountId) {
    return back({ error: 'login_required', error_description: 'id_token_hint does not match' });
  }
  entry.used = true;
  const query = new URLSearchParams(q.get('x_settings_action_query') ?? '');
  const id = crypto.randomBytes(16).toString('base64url');
  settingsActionFlows.set(id, {
    action, accountId: entry.accountId, clientId: client.client_id, redirectUri: q.get('redirect_uri'),
    state: q.get('state'), challenge: q.get('code_challenge'), loginId: query.get('q_login_id'),
  });
  res.statusCode = 302;
  res.setHeader('Location', `/settings/action/${id}`);
  res.setHeader('Cache-Control', 'no-store');
  res.end();
  return undefined;
}

function finishSettingsAction(res, id, flow) {
  settingsActionFlows.delete(id);
  const code = crypto.randomBytes(24).toString('base64url');
  settingsActionCodes.set(code, { ...flow, expireAt: Date.now() + 60_000 });
  const target = new URL(flow.redirectUri);
  target.searchParams.set('code', code);
  if (flow.state) target.searchParams.set('state', flow.state);
  if (profile.rfc9207) target.searchParams.set('iss', issuer);
  res.statusCode = 302;
  res.setHeader('Location', target.href);
  res.setHeader('Cache-Control', 'no-store');
  res.end();
}

function actionPage(id, title, body) {
  return renderPage(title, `<h1>${escapeHtml(title)}</h1>${body}
<form method="post" action="/settings/action/${id}"><input type="hidden" name="cancel" value="1">
<button type="submit" class="secondary">Cancel</button></form>`);
}

// The settings action's pages: Delete Account asks once; Change Email asks
// for the new address, then for the code sent to it.
async function settingsActionPage(req, res, id) {
  const flow = settingsActionFlows.get(id);
  const account = flow ? [...accounts.values()].find((a) => a.sub === flow.accountId) : undefined;
  if (!flow || !account) return settingsError(res, 404, 'This page has expired');
  const form = req.method === 'POST' ? await readForm(req) : new URLSearchParams();
  if (form.get('cancel')) {
    settingsActionFlows.delete(id);
    const target = new URL(flow.redirectUri);
    target.searchParams.set('error', 'access_denied');
    target.searchParams.set('error_description', 'the settings action was cancelled');
    if (flow.state) target.searchParams.set('state', flow.state);
    if (profile.rfc9207) target.searchParams.set('iss', issuer);
    res.statusCode = 302;
    res.setHeader('Location', target.href);
    res.end();
    return undefined;
  }
  if (flow.action === 'delete_account') {
    if (form.get('confirm') === 'delete') {
      accounts.delete(account.email);
      deletedAccounts.add(account.sub);
      return finishSettingsAction(res, id, flow);
    }
    return sendHtml(res, 200, actionPage(id, 'Delete account', `<p>Delete the account
<strong>${escapeHtml(account.email)}</strong>? This cannot be undone.</p>
<form method="post" action="/settings/action/${id}"><input type="hidden" name="confirm" value="delete">
<button type="submit" class="destructive" autofocus>Delete account</button></form>`));
  }
  // change_email
  if (form.get('code') != null && flow.pendingEmail) {
    stats.code_submitted += 1;
    if (form.get('code').trim() === flow.code) {
      accounts.delete(account.email);
      account.email = flow.pendingEmail;
      account.email_verified = true;
      accounts.set(account.email, account);
      return finishSettingsAction(res, id, flow);
    }
    return sendHtml(res, 200, actionPage(id, 'Enter the code', `<p class="error">Incorrect code.</p>
<form method="post" action="/settings/action/${id}"><label for="code">Code sent to ${escapeHtml(flow.pendingEmail)}</label>
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" autofocus>
<button type="submit">Verify</button></form>`));
  }
  const email = (form.get('email') ?? '').trim().toLowerCase();
  if (email && EMAIL_RE.test(email) && !accounts.has(email)) {
    flow.pendingEmail = email;
    flow.code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
    outbox.push({ to: email, code: flow.code, purpose: 'change_email', at: new Date().toISOString() });
    if (outbox.length > 100) outbox.shift();
    return sendHtml(res, 200, actionPage(id, 'Enter the code', `<form method="post" action="/settings/action/${id}">
<label for="code">Code sent to ${escapeHtml(email)}</label>
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" autofocus>
<button type="submit">Verify</button></form>`));
  }
  const problem = req.method === 'POST' ? '<p class="error">Enter an email address that is not in use.</p>' : '';
  return sendHtml(res, 200, actionPage(id, 'Change email', `${problem}<p>Current email:
<strong>${escapeHtml(flow.loginId ?? account.email)}</strong></p>
<form method="post" action="/settings/action/${id}"><label for="email">New email</label>
<input id="email" name="email" type="email" autocomplete="email" autofocus>
<button type="submit">Continue</button></form>`));
}

// Settings sessions: the cookie Authgear sets when a page is opened with an
// app session token, for the account and client it names.
const SETTINGS_COOKIE = 'dev_settings';
const settingsSessions = new Map();
let lastSettingsOpen = null;
const broken = new Set();
// path -> milliseconds: the next request for the path waits that long.
const delayed = new Map();

function settingsError(res, status, message) {
  return sendHtml(res, status, renderPage('Error', `<h1>Something went wrong</h1>
<p class="error">${escapeHtml(message)}</p>`));
}

// response_type=none with prompt=none and the app session token as
// login_hint (pkg/lib/oauth/handler/handler_authz.go): the browser gets the
// session cookie and is sent to redirect_uri, which must be on Authgear's
// own origin (its settings page), allowed only here.
function openSettings(req, res, url) {
  const q = url.searchParams;
  const client = configuration.clients.find((c) => c.client_id === q.get('client_id'));
  lastSettingsOpen = {
    prompt: q.get('prompt'), scope: q.get('scope'), redirect_uri: q.get('redirect_uri'),
    ui_locales: q.get('ui_locales'), x_color_scheme: q.get('x_color_scheme'), x_sso_enabled: q.get('x_sso_enabled'),
  };
  stats.settings_open += 1;
  if (!client) return settingsError(res, 400, 'invalid_client: unknown client');
  if (q.get('prompt') !== 'none') return settingsError(res, 400, 'invalid_request: prompt=none is required');
  let target;
  try { target = new URL(q.get('redirect_uri') ?? ''); } catch { target = null; }
  if (!target || target.origin !== new URL(issuer).origin) {
    return settingsError(res, 400, 'invalid_request: redirect_uri must be on Authgear\'s own origin');
  }
  if (NO_FULL_ACCESS.has(client.client_id) || !(q.get('scope') ?? '').split(' ').includes(FULL_ACCESS)) {
    return settingsError(res, 400, 'invalid_scope: full access is not allowed for this client');
  }
  let hint;
  try { hint = new URL(q.get('login_hint') ?? ''); } catch { hint = null; }
  const token = hint && hint.origin === 'https://authgear.com' && hint.pathname === '/login_hint'
    && hint.searchParams.get('type') === 'app_session_token' ? hint.searchParams.get('app_session_token') : null;
  const entry = token ? appSessionTokens.get(token) : undefined;
  if (!entry || entry.used || entry.expireAt.getTime() < Date.now() || entry.clientId !== client.client_id) {
    return settingsError(res, 400, 'invalid_grant: the app session token is not valid');
  }
  entry.used = true;
  const sid = crypto.randomBytes(24).toString('base64url');
  settingsSessions.set(sid, { accountId: entry.accountId, clientId: entry.clientId });
  res.statusCode = 302;
  res.setHeader('Set-Cookie', `${SETTINGS_COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Lax`);
  res.setHeader('Location', target.href);
  res.setHeader('Cache-Control', 'no-store');
  res.end();
  return undefined;
}

function settingsAccount(req) {
  const cookie = (req.headers.cookie ?? '').split(';').map((c) => c.trim())
    .find((c) => c.startsWith(`${SETTINGS_COOKIE}=`));
  const session = cookie ? settingsSessions.get(cookie.slice(SETTINGS_COOKIE.length + 1)) : undefined;
  return session ? [...accounts.values()].find((a) => a.sub === session.accountId) : undefined;
}

// The settings page: the email, the name (which the person can set), and
// the settings actions.
async function settingsPage(req, res, url) {
  const account = settingsAccount(req);
  if (!account) return settingsError(res, 401, 'Not signed in: open this page from the app');
  let note = '';
  if (req.method === 'POST') {
    const form = await readForm(req);
    const name = (form.get('name') ?? '').trim().slice(0, 100);
    if (name) account.name = name;
    else delete account.name;
    note = '<p class="note" role="status">Saved.</p>';
  }
  stats.settings_page += 1;
  return sendHtml(res, 200, renderPage('Account settings', `<h1>Account settings</h1>
${note}<p>Email: <strong>${escapeHtml(account.email)}</strong></p>
<form method="post" action="/settings">
<label for="name">Name</label>
<input id="name" name="name" value="${escapeHtml(account.name ?? '')}" autocomplete="name" autofocus>
<button type="submit">Save</button>
</form>`));
}

// Authgear's end session without its session cookie
// Authgear's end session without its session cookie: 303 to the post-logout
// URI with `state` only, when that URI is registered; else its own page
// (pkg/lib/oauth/oidc/handler/handler_end_session.go). With the cookie,
// oidc-provider's logout runs and ends that browser session.
function endSessionWithoutCookie(req, res, url) {
  const cookies = (req.headers.cookie ?? '').split(';').map((c) => c.trim().split('=')[0]);
  if (cookies.includes('_session')) return false;
  const q = url.searchParams;
  let clientId = q.get('client_id');
  try {
    const aud = JSON.parse(Buffer.from((q.get('id_token_hint') ?? '').split('.')[1] ?? '', 'base64url').toString()).aud;
    clientId ??= Array.isArray(aud) ? aud[0] : aud;
  } catch { /* no readable hint */ }
  const client = configuration.clients.find((c) => c.client_id === clientId);
  const target = q.get('post_logout_redirect_uri');
  res.setHeader('Cache-Control', 'no-store');
  if (client && target && client.post_logout_redirect_uris.includes(target)) {
    const back = new URL(target);
    if (q.get('state')) back.searchParams.set('state', q.get('state'));
    res.statusCode = 303;
    res.setHeader('Location', back.href);
  } else {
    res.statusCode = 302;
    res.setHeader('Location', '/');
  }
  res.end();
  return true;
}

// Before release 2026-07-30.0 a Basic header is refused with invalid_client
// (oidc-provider would take it from a client_secret_post client).
function refusesBasic(req) {
  return profile.legacy_client_auth && /^basic /i.test(req.headers.authorization ?? '');
}

provider.on('grant.success', (ctx) => {
  if (ctx.oidc.params?.grant_type === 'refresh_token') stats.refresh += 1;
  else if (ctx.oidc.params?.grant_type === 'authorization_code') stats.authorization_code += 1;
});
provider.on('server_error', (_ctx, err) => console.error('provider error:', err));

const providerCallback = provider.callback();

async function readForm(req) {
  return new URLSearchParams(await readText(req));
}

function sendHtml(res, status, body) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(body);
}

function sendJson(res, status, value) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify(value, null, 2));
}

function isLoopback(req) {
  const a = req.socket.remoteAddress ?? '';
  return a === '::1' || a.startsWith('127.') || a.startsWith('::ffff:127.');
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function emailPage(uid, { signup, error, email = '' }) {
  const title = signup ? 'Create account' : 'Sign in';
  const intro = signup
    ? 'Create an account with your email address. We will send you a code.'
    : 'Enter your email address. We will send you a code.';
  const nameField = signup
    ? `<label for="name">Name (optional)</label><input id="name" name="name" autocomplete="name">`
    : '';
  return renderPage(title, `<h1>${title}</h1>
<p>${intro}</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${uid}/email" autocomplete="off">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autofocus required value="${escapeHtml(email)}">
  ${nameField}
  <button type="submit">Continue</button>
</form>
<p class="alt">${signup
    ? `Have an account? <a href="/interaction/${uid}?x_page=login">Sign in</a>`
    : `No account yet? <a href="/interaction/${uid}?x_page=signup">Create one</a>`}</p>`);
}

function codePage(uid, { email, error }) {
  return renderPage('Enter code', `<h1>Enter the code</h1>
<p>We sent a 6-digit code to <strong>${escapeHtml(email)}</strong>.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${uid}/code" autocomplete="off">
  <label for="code">Code</label>
  <input id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autofocus required>
  <button type="submit">Verify</button>
</form>
<p class="alt"><a href="/interaction/${uid}?restart=1">Use another email</a></p>`);
}

// Consent is implied for the demo clients, offline_access included.
// When each account last proved who it is (its sign-in's auth_time).
const authTimes = new Map();

async function finishInteraction(req, res, details, accountId, amr, { login = false } = {}) {
  if (login) authTimes.set(accountId, nowSeconds());
  const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope ?? 'openid');
  const grantId = await grant.save();
  return provider.interactionFinished(req, res, {
    ...(login ? { login: { accountId, amr } } : {}),
    consent: { grantId },
  }, { mergeWithLastSubmission: false });
}

// Per-interaction sign-in progress: { email, code, name, attempts, signup }.
const pending = new Map();

async function handleInteraction(req, res, url) {
  const match = url.pathname.match(/^\/interaction\/([A-Za-z0-9_-]+)(?:\/(email|code))?$/);
  if (!match) return sendHtml(res, 404, renderPage('Not found', '<h1>Not found</h1>'));
  const [, uid, step] = match;

  let details;
  try {
    details = await provider.interactionDetails(req, res);
  } catch {
    return sendHtml(res, 400, renderPage('Expired', `<h1>This sign-in has expired</h1>
<p>Go back to the application and start again.</p>`));
  }
  if (details.uid !== uid) return sendHtml(res, 400, renderPage('Error', '<h1>Session mismatch</h1>'));

  // Signed in already (Authgear's session cookie): only the consent this
  // provider adds for offline_access is left, and Authgear asks nothing.
  if (details.prompt.name !== 'login' && details.session?.accountId) {
    return finishInteraction(req, res, details, details.session.accountId, details.session.amr ?? ['otp']);
  }

  const state = pending.get(uid) ?? { attempts: 0, signup: details.params.x_page === 'signup' };
  pending.set(uid, state);

  if (req.method === 'GET') {
    if (url.searchParams.get('x_page') === 'signup') state.signup = true;
    if (url.searchParams.get('x_page') === 'login') state.signup = false;
    if (url.searchParams.has('restart')) { delete state.email; delete state.code; }
    if (state.email && state.code) return sendHtml(res, 200, codePage(uid, state));
    if (state.signup) stats.signup_page += 1;
    return sendHtml(res, 200, emailPage(uid, state));
  }
  if (req.method !== 'POST') return sendHtml(res, 405, renderPage('Error', '<h1>Method not allowed</h1>'));

  const form = await readForm(req);
  if (step === 'email') {
    const email = (form.get('email') ?? '').trim().toLowerCase();
    if (!EMAIL_RE.test(email) || email.length > 254) {
      return sendHtml(res, 200, emailPage(uid, { ...state, email, error: 'Enter a valid email address.' }));
    }
    state.email = email;
    state.name = (form.get('name') ?? '').trim().slice(0, 100) || undefined;
    state.code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
    state.attempts = 0;
    outbox.push({ to: email, code: state.code, purpose: state.signup ? 'signup' : 'login', at: new Date().toISOString() });
    if (outbox.length > 100) outbox.shift();
    if (!quiet) console.log(`outbox: code ${state.code} for ${email}`);
    return sendHtml(res, 200, codePage(uid, state));
  }

  if (step === 'code') {
    stats.code_submitted += 1;
    if (!state.email || !state.code) return sendHtml(res, 200, emailPage(uid, state));
    const code = (form.get('code') ?? '').trim();
    const ok = code.length === state.code.length
      && crypto.timingSafeEqual(Buffer.from(code), Buffer.from(state.code));
    if (!ok) {
      state.attempts += 1;
      if (state.attempts >= CODE_ATTEMPTS) {
        delete state.code;
        return sendHtml(res, 200, emailPage(uid, {
          ...state, error: 'Too many incorrect codes. Enter your email to get a new code.',
        }));
      }
      return sendHtml(res, 200, codePage(uid, {
        ...state, error: `Incorrect code. ${CODE_ATTEMPTS - state.attempts} attempt(s) left.`,
      }));
    }
    pending.delete(uid);
    const account = accountByEmail(state.email, { create: true, name: state.name });

    return finishInteraction(req, res, details, account.sub, ['otp'], { login: true });
  }
  return sendHtml(res, 404, renderPage('Not found', '<h1>Not found</h1>'));
}

// What the last authorization request asked for (no secrets: the
// challenge is public, and state and nonce are left out).
let lastAuthorization = null;

function countRequest(url, method, headers) {
  const p = url.pathname;
  if (p === '/oauth2/authorize') {
    const q = url.searchParams;
    lastAuthorization = {
      ui_locales: q.get('ui_locales'),
      x_color_scheme: q.get('x_color_scheme'),
      x_page: q.get('x_page'),
      code_challenge_method: q.get('code_challenge_method'),
    };
  }
  if (p === '/.well-known/openid-configuration') stats.discovery += 1;
  else if (p === '/oauth2/jwks') stats.jwks += 1;
  else if (p === '/oauth2/authorize') stats.authorization += 1;
  else if (p === '/oauth2/token' && method === 'POST') stats.token += 1;
  if (p === '/oauth2/token' && /^basic /i.test(headers.authorization ?? '')) stats.token_basic += 1;
  else if (p === '/oauth2/userinfo') stats.userinfo += 1;
  else if (p === '/oauth2/revoke' && method === 'POST') stats.revocation += 1;
  else if (p.startsWith('/oauth2/end_session')) stats.end_session += 1;
}

const server = http.createServer(async (req, res) => {
  // The provider's clock, also in the Date header a client may measure.
  res.setHeader('Date', new Date(Date.now()).toUTCString());
  // How long the provider itself took (Server-Timing), so that a client's
  // trace (run-bench's breakdown) can tell the provider's time from its own.
  const started = process.hrtime.bigint();
  const writeHead = res.writeHead;
  res.writeHead = function (...args) {
    if (!this.headersSent) {
      this.setHeader('Server-Timing', `app;dur=${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(3)}`);
    }
    return writeHead.apply(this, args);
  };
  try {
    const url = new URL(req.url, issuer);
    if (url.pathname.startsWith('/dev/')) {
      if (!isLoopback(req)) return sendJson(res, 403, { error: 'loopback only' });
      if (url.pathname === '/dev/outbox') return sendJson(res, 200, outbox);
      if (url.pathname === '/dev/profile') return sendJson(res, 200, profile);
      // The next request for `path` has its connection dropped, as an
      // unreachable provider would (a test of what the app then says).
      if (url.pathname === '/dev/break' && req.method === 'POST') {
        broken.add(url.searchParams.get('path'));
        return sendJson(res, 200, [...broken]);
      }
      // The next request for `path` is answered after `ms` milliseconds, as
      // a slow network would (a test of a wait that the person leaves).
      if (url.pathname === '/dev/delay' && req.method === 'POST') {
        delayed.set(url.searchParams.get('path'), Number(url.searchParams.get('ms') ?? 0));
        return sendJson(res, 200, Object.fromEntries(delayed));
      }
      // For leak checks: every app session token issued (development only).
      if (url.pathname === '/dev/app_session_tokens') return sendJson(res, 200, [...appSessionTokens.keys()]);
      if (url.pathname === '/dev/stats' && statsEnabled) {
        if (req.method === 'POST' || req.method === 'DELETE') {
          for (const k of Object.keys(stats)) stats[k] = 0;
        }
        return sendJson(res, 200, { ...stats, last_authorization: lastAuthorization, last_settings_open: lastSettingsOpen });
      }
      return sendJson(res, 404, { error: 'not found' });
    }
    if (url.pathname.startsWith('/interaction/')) return await handleInteraction(req, res, url);
    if (url.pathname === '/') {
      return sendHtml(res, 200, renderPage('Development provider', `<h1>Authgear Login development provider</h1>
<p>Issuer <code>${escapeHtml(issuer)}</code>. Not for production.</p>`));
    }
    countRequest(url, req.method, req.headers);
    if (broken.delete(url.pathname)) {
      req.socket.destroy();
      return undefined;
    }
    if (delayed.has(url.pathname)) {
      const ms = delayed.get(url.pathname);
      delayed.delete(url.pathname);
      await new Promise((resolve) => setTimeout(resolve, ms));
    }
    if (url.pathname === '/oauth2/revoke' && req.method === 'POST') return await revoke(req, res);
    if (url.pathname === '/oauth2/app_session_token' && req.method === 'POST') return await appSessionToken(req, res);
    if (url.pathname === '/oauth2/authorize' && url.searchParams.get('response_type') === 'none') {
      return openSettings(req, res, url);
    }
    if (url.pathname === '/oauth2/authorize' && refusesFullAccess(res, url)) return undefined;
    if (url.pathname === '/settings') return await settingsPage(req, res, url);
    if (url.pathname === '/oauth2/authorize' && url.searchParams.get('response_type') === SETTINGS_ACTION_RESPONSE) {
      return startSettingsAction(req, res, url);
    }
    const actionMatch = url.pathname.match(/^\/settings\/action\/([A-Za-z0-9_-]+)$/);
    if (actionMatch) return await settingsActionPage(req, res, actionMatch[1]);
    if (url.pathname === '/oauth2/end_session' && endSessionWithoutCookie(req, res, url)) return undefined;
    // Authgear takes the id-token grant's access token as Bearer;
    // oidc-provider would read that header as client authentication.
    if (url.pathname === '/oauth2/token' && /^bearer /i.test(req.headers.authorization ?? '')) {
      req.headers['x-ag-bearer'] = req.headers.authorization;
      delete req.headers.authorization;
    }
    if (url.pathname === '/oauth2/authorize' && url.searchParams.get('max_age') === '0') stats.reauthentication += 1;
    if (url.pathname === '/oauth2/token' && refusesBasic(req)) {
      res.setHeader('WWW-Authenticate', 'Basic');
      return sendJson(res, 401, { error: 'invalid_client', error_description: 'client authentication failed' });
    }
    if (url.pathname === '/oauth2/authorize' && keepOfflineAccess(url)) {
      req.url = url.pathname + url.search;
    }
    const resume = url.pathname.match(/^\/oauth2\/authorize\/([A-Za-z0-9_-]+)$/);
    if ((url.pathname === '/oauth2/authorize' && suppressesSessionCookie(url.searchParams))
        || (resume && suppressedInteractions.has(resume[1]))) {
      req.headers.cookie = dropCookies(req.headers.cookie, SESSION_COOKIES);
    }
    return providerCallback(req, res);
  } catch (err) {
    console.error('request failed:', err);
    if (!res.headersSent) sendHtml(res, 500, renderPage('Error', '<h1>Server error</h1>'));
    else res.destroy();
  }
});
server.keepAliveTimeout = 30_000;

server.listen(port, host, () => {
  const actual = server.address().port;
  if (actual !== port) {
    console.error('server.mjs: port 0 is not supported: the issuer must name the port');
    process.exit(2);
  }
  console.log(`issuer: ${issuer}`);
});
server.on('error', (err) => {
  console.error(`server.mjs: ${err.message}`);
  process.exit(1);
});

function stop() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
