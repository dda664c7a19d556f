// SPDX-License-Identifier: GPL-3.0-or-later
//
// The development provider: an OpenID provider on loopback that looks like
// Authgear to Authgear Login (same paths, same Email + passwordless sign-in,
// refresh tokens for `offline_access` without a consent prompt), built on the
// certified `oidc-provider` package.
//
//   node tests/provider/server.mjs [--port N] [--host H] [--access-token-ttl S]
//                                  [--refresh-token-ttl S] [--stats]
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
  },
});

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
const POST_LOGOUT_REDIRECT_URI = 'http://localhost:3000/';
const CODE_ATTEMPTS = 3;

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
};

function signingKeys() {
  const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  return [
    { ...rsa, kid: `rsa-${crypto.randomBytes(4).toString('hex')}`, use: 'sig', alg: 'RS256' },
    { ...ec, kid: `ec-${crypto.randomBytes(4).toString('hex')}`, use: 'sig', alg: 'ES256' },
  ];
}

const issuer = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

const configuration = {
  clients: [
    {
      // Like Authgear's "Native App": public, PKCE required.
      client_id: 'authgear-login',
      client_name: 'Authgear Login',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [REDIRECT_URI],
      post_logout_redirect_uris: [POST_LOGOUT_REDIRECT_URI],
      application_type: 'native',
    },
    {
      // Like the Flask guide's client: confidential, client_secret_basic.
      client_id: 'authgear-login-confidential',
      client_secret: 'dev-client-secret-change-me',
      client_name: 'Authgear Login (confidential)',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [REDIRECT_URI],
      post_logout_redirect_uris: [POST_LOGOUT_REDIRECT_URI],
      application_type: 'native',
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
  scopes: ['openid', 'offline_access', 'email', 'profile'],
  // Authgear's userinfo answers with the standard claims for scope `openid`
  // alone (the Flask guide asks for nothing more), so map them there.
  claims: {
    openid: ['sub', 'email', 'email_verified', 'name'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  extraParams: ['x_page', 'x_color_scheme'],
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
  rotateRefreshToken: true,
  issueRefreshToken: async (_ctx, client, code) => client.grantTypeAllowed('refresh_token')
    && code.scopes.has('offline_access'),
  ttl: {
    AccessToken: accessTokenTtl,
    RefreshToken: refreshTokenTtl,
    AuthorizationCode: 60,
    IdToken: 3600,
    Interaction: 600,
    Session: 24 * 3600,
    Grant: 30 * 24 * 3600,
  },
  findAccount: async (_ctx, sub) => {
    const account = [...accounts.values()].find((a) => a.sub === sub);
    if (!account) return undefined;
    return {
      accountId: sub,
      // Like Authgear: the ID token names the subject, the profile comes
      // from userinfo (the Flask guide's page shows "Welcome !" for this).
      claims: async (use) => (use === 'id_token' ? { sub } : { ...account }),
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

provider.on('grant.success', (ctx) => {
  if (ctx.oidc.params?.grant_type === 'refresh_token') stats.refresh += 1;
  else if (ctx.oidc.params?.grant_type === 'authorization_code') stats.authorization_code += 1;
});
provider.on('server_error', (_ctx, err) => console.error('provider error:', err));

const providerCallback = provider.callback();

async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 64 * 1024) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
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

    // Consent is implied for the demo clients, offline_access included.
    const grant = new provider.Grant({ accountId: account.sub, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope ?? 'openid');
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, {
      login: { accountId: account.sub, amr: ['otp'] },
      consent: { grantId },
    }, { mergeWithLastSubmission: false });
  }
  return sendHtml(res, 404, renderPage('Not found', '<h1>Not found</h1>'));
}

// What the last authorization request asked for (no secrets: the
// challenge is public, and state and nonce are left out).
let lastAuthorization = null;

function countRequest(url, method) {
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
  else if (p === '/oauth2/userinfo') stats.userinfo += 1;
  else if (p === '/oauth2/revoke' && method === 'POST') stats.revocation += 1;
  else if (p.startsWith('/oauth2/end_session')) stats.end_session += 1;
}

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, issuer);
    if (url.pathname.startsWith('/dev/')) {
      if (!isLoopback(req)) return sendJson(res, 403, { error: 'loopback only' });
      if (url.pathname === '/dev/outbox') return sendJson(res, 200, outbox);
      if (url.pathname === '/dev/stats' && statsEnabled) {
        if (req.method === 'POST' || req.method === 'DELETE') {
          for (const k of Object.keys(stats)) stats[k] = 0;
        }
        return sendJson(res, 200, { ...stats, last_authorization: lastAuthorization });
      }
      return sendJson(res, 404, { error: 'not found' });
    }
    if (url.pathname.startsWith('/interaction/')) return await handleInteraction(req, res, url);
    if (url.pathname === '/') {
      return sendHtml(res, 200, renderPage('Development provider', `<h1>Authgear Login development provider</h1>
<p>Issuer <code>${escapeHtml(issuer)}</code>. Not for production.</p>`));
    }
    countRequest(url, req.method);
    if (url.pathname === '/oauth2/authorize' && keepOfflineAccess(url)) {
      req.url = url.pathname + url.search;
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
