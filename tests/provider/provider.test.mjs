// SPDX-License-Identifier: GPL-3.0-or-later
// The development provider, walked over HTTP as Authgear Login will walk it.
// Starts its own provider on a free loopback port.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { Jar, pkcePair, signIn } from './flow.mjs';

const REDIRECT = 'http://localhost:3000/callback';
const CONFIDENTIAL = { id: 'authgear-login-confidential', secret: 'dev-client-secret-change-me' };
let issuer;
let child;

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

// Starts a provider with @args on a free port; resolves to its issuer.
// Node.js 20 here now and then stops inside its start-up for about 30 s
// (build-aux/test-session says more): a start that has not said its issuer
// within 10 s is killed and made again, four times.
async function startProvider(args = []) {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const proc = spawn(process.execPath, [fileURLToPath(new URL('server.mjs', import.meta.url)),
      '--port', String(port), '--stats', '--quiet', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const url = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => resolve(null), 10000);
      proc.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/issuer: (\S+)/);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      proc.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`provider exited with ${code}`));
      });
    });
    if (url !== null)
      return { proc, url };
    proc.kill('SIGKILL');
    if (attempt === 4)
      throw new Error('the provider did not start in 10 s, four times');
    console.log(`# the provider did not start in 10 s (attempt ${attempt}): again`);
  }
}

async function stopProvider(proc) {
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  proc.kill('SIGTERM');
  assert.equal(await exited, 0, 'the provider exits cleanly on SIGTERM');
}

before(async () => {
  ({ proc: child, url: issuer } = await startProvider());
});

after(async () => {
  await stopProvider(child);
});

async function discovery(at = issuer) {
  return (await fetch(`${at}/.well-known/openid-configuration`)).json();
}

function authorizationUrl(meta, { clientId = 'authgear-login', challenge, state, nonce, extra = {} }) {
  const url = new URL(meta.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code', client_id: clientId, redirect_uri: REDIRECT,
    scope: 'openid offline_access', state, nonce,
    code_challenge: challenge, code_challenge_method: 'S256', ...extra,
  }).toString();
  return url.href;
}

async function token(meta, body, client, { auth = 'basic' } = {}) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (client?.secret && auth === 'basic') {
    headers.authorization = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;
  } else if (client?.secret) {
    body = { ...body, client_id: client.id, client_secret: client.secret };
  } else {
    body = { ...body, client_id: 'authgear-login' };
  }
  const r = await fetch(meta.token_endpoint, { method: 'POST', headers, body: new URLSearchParams(body) });
  return { status: r.status, json: await r.json() };
}

function claims(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
}
function header(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString());
}

async function stats() {
  return (await fetch(`${issuer}/dev/stats`)).json();
}

async function fullSignIn(meta, client, { rfc9207 = false, auth, email, extra } = {}) {
  const { verifier, challenge } = pkcePair();
  const state = crypto.randomBytes(16).toString('base64url');
  const nonce = crypto.randomBytes(16).toString('base64url');
  const back = new URL(await signIn(authorizationUrl(meta, { clientId: client?.id, challenge, state, nonce, extra }), { email }));
  assert.equal(`${back.origin}${back.pathname}`, REDIRECT);
  assert.equal(back.searchParams.get('state'), state);
  if (rfc9207) assert.equal(back.searchParams.get('iss'), meta.issuer, 'RFC 9207 iss in the response (--rfc9207)');
  else assert.deepEqual([...back.searchParams.keys()].sort(), ['code', 'state'], 'like Authgear: code and state only');
  const code = back.searchParams.get('code');
  assert.ok(code);
  const t = await token(meta, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }, client, { auth });
  assert.equal(t.status, 200, JSON.stringify(t.json));
  assert.equal(claims(t.json.id_token).nonce, nonce);
  return t.json;
}

test('discovery uses Authgear paths and announces what Authgear announces', async () => {
  const meta = await discovery();
  assert.equal(meta.issuer, issuer);
  for (const [k, p] of [['authorization_endpoint', '/oauth2/authorize'], ['token_endpoint', '/oauth2/token'],
    ['userinfo_endpoint', '/oauth2/userinfo'], ['revocation_endpoint', '/oauth2/revoke'],
    ['end_session_endpoint', '/oauth2/end_session'], ['jwks_uri', '/oauth2/jwks']]) {
    assert.equal(meta[k], `${issuer}${p}`, k);
  }
  assert.ok(meta.scopes_supported.includes('offline_access'));
  assert.deepEqual(meta.id_token_signing_alg_values_supported, ['RS256']);
  assert.deepEqual(meta.token_endpoint_auth_methods_supported, ['none', 'client_secret_post', 'client_secret_basic']);
  assert.equal(meta.authorization_response_iss_parameter_supported, undefined, 'no RFC 9207 announcement');
  const jwks = await (await fetch(meta.jwks_uri)).json();
  assert.ok(jwks.keys.length >= 1);
  assert.ok(jwks.keys.every((k) => k.kty === 'RSA'), 'RSA keys only');
  assert.ok(jwks.keys.every((k) => !('d' in k)), 'no private key material in the JWKS');
});

test('public client: Authgear ID token, userinfo, refresh without rotation, revocation, end session', async () => {
  const meta = await discovery();
  const before = await stats();
  const t = await fullSignIn(meta);
  assert.equal(t.token_type, 'Bearer');
  assert.ok(t.refresh_token, 'offline_access gives a refresh token without prompt=consent');
  const h = header(t.id_token);
  assert.equal(h.alg, 'RS256');
  assert.equal(h.typ, 'JWT');
  assert.ok(h.kid);
  const id = claims(t.id_token);
  assert.equal(id.iss, issuer);
  assert.deepEqual(id.aud, ['authgear-login'], 'aud is a one-element array');
  assert.equal(id.exp - id.iat, 300, 'ID tokens live 5 minutes');
  assert.ok(Number.isInteger(id.auth_time) && id.sid && Array.isArray(id.amr));
  for (const c of ['is_anonymous', 'is_verified', 'can_reauthenticate']) {
    assert.equal(typeof id[`https://authgear.com/claims/user/${c}`], 'boolean', c);
  }
  for (const absent of ['name', 'email', 'azp', 'at_hash']) assert.equal(id[absent], undefined, `no ${absent}`);

  const ui = await (await fetch(meta.userinfo_endpoint, { headers: { authorization: `Bearer ${t.access_token}` } })).json();
  assert.equal(ui.sub, id.sub);
  assert.equal(ui.email, 'alice@example.com');
  assert.equal(ui.email_verified, true);
  assert.equal(ui.name, 'Alice Liddell');

  const r1 = await token(meta, { grant_type: 'refresh_token', refresh_token: t.refresh_token });
  assert.equal(r1.status, 200);
  assert.equal(r1.json.refresh_token, undefined, 'no rotation: the refresh answer has no refresh_token');
  const rid = claims(r1.json.id_token);
  assert.equal(rid.sub, id.sub);
  assert.equal(rid.sid, id.sid, 'the same session');
  assert.equal(rid.nonce, undefined, 'no nonce after a refresh');
  const r2 = await token(meta, { grant_type: 'refresh_token', refresh_token: t.refresh_token });
  assert.equal(r2.status, 200, 'the old refresh token stays valid');

  // Revocation takes no client authentication and always answers 200.
  const revoke = (body) => fetch(meta.revocation_endpoint, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body),
  });
  assert.equal((await revoke({ token: t.refresh_token })).status, 200);
  assert.equal((await revoke({ token: 'not-a-token' })).status, 200);
  const afterRevoke = await token(meta, { grant_type: 'refresh_token', refresh_token: t.refresh_token });
  assert.equal(afterRevoke.json.error, 'invalid_grant');
  const dead = await fetch(meta.userinfo_endpoint, { headers: { authorization: `Bearer ${r1.json.access_token}` } });
  assert.equal(dead.status, 401, 'revocation ends the session: its access tokens stop working');
  assert.deepEqual(await dead.json(), { error: 'invalid_grant', error_description: 'invalid session' });
  assert.match(dead.headers.get('www-authenticate'), /^Bearer /);

  // End session without Authgear's cookie: 303 to the registered URI, state only.
  const end = new URL(meta.end_session_endpoint);
  end.search = new URLSearchParams({ id_token_hint: t.id_token, post_logout_redirect_uri: 'http://localhost:3000/', state: 'bye123' }).toString();
  const endPage = await fetch(end, { redirect: 'manual' });
  assert.equal(endPage.status, 303);
  assert.equal(endPage.headers.get('location'), 'http://localhost:3000/?state=bye123');
  end.searchParams.set('post_logout_redirect_uri', 'https://elsewhere.example/');
  const unregistered = await fetch(end, { redirect: 'manual' });
  assert.equal(unregistered.status, 302);
  assert.ok(!unregistered.headers.get('location').includes('elsewhere'), 'never to an unregistered URI');

  const after = await stats();
  assert.equal(after.authorization_code - before.authorization_code, 1);
  assert.equal(after.refresh - before.refresh, 2);
  assert.equal(after.userinfo - before.userinfo, 2);
  assert.equal(after.revocation - before.revocation, 2);
});

test('a new address has no name; alice keeps hers', async () => {
  const meta = await discovery();
  const t = await fullSignIn(meta, undefined, { email: `new-${crypto.randomBytes(4).toString('hex')}@example.com` });
  const ui = await (await fetch(meta.userinfo_endpoint, { headers: { authorization: `Bearer ${t.access_token}` } })).json();
  assert.ok(ui.email.startsWith('new-'));
  assert.equal(ui.name, undefined, 'an Email + code user has no name');
});

test('confidential client: secret in the form or as Basic, never both', async () => {
  const meta = await discovery();
  const basic = await fullSignIn(meta, CONFIDENTIAL, { auth: 'basic' });
  assert.deepEqual(claims(basic.id_token).aud, [CONFIDENTIAL.id]);
  const post = await fullSignIn(meta, CONFIDENTIAL, { auth: 'post' });
  assert.ok(post.refresh_token);
  const bad = await token(meta, { grant_type: 'refresh_token', refresh_token: post.refresh_token }, { ...CONFIDENTIAL, secret: 'wrong' });
  assert.equal(bad.json.error, 'invalid_client');
  const both = await fetch(meta.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${CONFIDENTIAL.id}:${CONFIDENTIAL.secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: post.refresh_token, client_id: CONFIDENTIAL.id, client_secret: CONFIDENTIAL.secret }),
  });
  assert.equal(both.status, 400, 'two authentication methods at once are refused');
});

test('--legacy-client-auth: a server before 2026-07-30.0 refuses Basic', async () => {
  const legacy = await startProvider(['--legacy-client-auth']);
  try {
    const meta = await discovery(legacy.url);
    assert.deepEqual(meta.token_endpoint_auth_methods_supported, ['none', 'client_secret_post']);
    const t = await fullSignIn(meta, CONFIDENTIAL, { auth: 'post' });
    const viaBasic = await token(meta, { grant_type: 'refresh_token', refresh_token: t.refresh_token }, CONFIDENTIAL, { auth: 'basic' });
    assert.equal(viaBasic.status, 401);
    assert.equal(viaBasic.json.error, 'invalid_client');
  } finally {
    await stopProvider(legacy.proc);
  }
});

test('--rfc9207 --rotate-refresh-tokens: iss in the response, rotating refresh tokens', async () => {
  const other = await startProvider(['--rfc9207', '--rotate-refresh-tokens']);
  try {
    const meta = await discovery(other.url);
    assert.equal(meta.authorization_response_iss_parameter_supported, true);
    const t = await fullSignIn(meta, undefined, { rfc9207: true });
    const r1 = await token(meta, { grant_type: 'refresh_token', refresh_token: t.refresh_token });
    assert.ok(r1.json.refresh_token && r1.json.refresh_token !== t.refresh_token, 'refresh token rotates');
    const old = await token(meta, { grant_type: 'refresh_token', refresh_token: t.refresh_token });
    assert.equal(old.json.error, 'invalid_grant', 'the rotated-out refresh token is refused');
  } finally {
    await stopProvider(other.proc);
  }
});

test('--clock-offset: the provider\'s clock, in its tokens and its Date header', async () => {
  const ahead = await startProvider(['--clock-offset', '300']);
  try {
    const meta = await discovery(ahead.url);
    const t = await fullSignIn(meta);
    const now = Math.floor(Date.now() / 1000);
    const id = claims(t.id_token);
    assert.ok(Math.abs(id.iat - (now + 300)) < 30, 'iat is 5 minutes ahead');
    const date = Date.parse((await fetch(`${ahead.url}/`)).headers.get('date')) / 1000;
    assert.ok(Math.abs(date - (now + 300)) < 30, 'the Date header is 5 minutes ahead');
  } finally {
    await stopProvider(ahead.proc);
  }
});

test('x_sso_enabled=false keeps no Authgear cookie in the browser; true keeps it', async () => {
  const meta = await discovery();
  for (const [extra, cookieKept] of [[{ x_sso_enabled: 'false', x_suppress_idp_session_cookie: 'true' }, false],
    [{ x_suppress_idp_session_cookie: 'true' }, false], [{ x_sso_enabled: 'true' }, true], [{}, true]]) {
    const jar = new Jar();
    const { challenge } = pkcePair();
    const first = await signIn(authorizationUrl(meta, { challenge, state: 'stateabcdefgh', nonce: 'n', extra }), { jar });
    assert.ok(first.startsWith(REDIRECT));
    assert.equal(jar.has('_session'), cookieKept, `session cookie after ${JSON.stringify(extra)}`);
    // The same browser again: asked for the email unless the cookie was kept.
    let asked = false;
    const second = await signIn(authorizationUrl(meta, { challenge, state: 'stateabcdefgh', nonce: 'n2', extra }),
      { jar, onEmailPage: () => { asked = true; } });
    assert.ok(second.startsWith(REDIRECT));
    assert.equal(asked, !cookieKept, `asked for the email again after ${JSON.stringify(extra)}`);
  }
});

test('the public client must use PKCE', async () => {
  const meta = await discovery();
  const url = new URL(authorizationUrl(meta, { challenge: 'x', state: 'abcdefgh', nonce: 'n' }));
  url.searchParams.delete('code_challenge');
  url.searchParams.delete('code_challenge_method');
  const r = await fetch(url, { redirect: 'manual' });
  const loc = new URL(r.headers.get('location'));
  assert.equal(loc.searchParams.get('error'), 'invalid_request');
});

test('three wrong codes end the attempt; x_page=signup shows Create account', async () => {
  const meta = await discovery();
  const { challenge } = pkcePair();
  const result = await signIn(authorizationUrl(meta, { challenge, state: 'stateabcdefgh', nonce: 'n1' }), { wrongCodes: 3 });
  assert.match(result.page, /Too many incorrect codes/);

  const signup = authorizationUrl(meta, { challenge, state: 'stateabcdefgh', nonce: 'n2', extra: { x_page: 'signup' } });
  let r = await fetch(signup, { redirect: 'manual' });
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  r = await fetch(new URL(r.headers.get('location'), issuer), { headers: { cookie } });
  assert.match(await r.text(), /<h1>Create account<\/h1>/);
});

test('a short access-token lifetime is honoured', async () => {
  const meta = await discovery();
  const t = await fullSignIn(meta);
  assert.ok(t.expires_in > 0 && t.expires_in <= 3600);
});
