// SPDX-License-Identifier: GPL-3.0-or-later
// The development provider, walked over HTTP as Authgear Login will walk it.
// Starts its own provider on a free loopback port.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { pkcePair, signIn } from './flow.mjs';

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

before(async () => {
  const port = await freePort();
  child = spawn(process.execPath, [fileURLToPath(new URL('server.mjs', import.meta.url)),
    '--port', String(port), '--stats', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
  issuer = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/issuer: (\S+)/);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`provider exited with ${code}`)));
  });
});

after(async () => {
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  assert.equal(await exited, 0, 'the provider exits cleanly on SIGTERM');
});

async function discovery() {
  return (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
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

async function token(meta, body, client) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (client?.secret) {
    headers.authorization = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;
  } else {
    body = { ...body, client_id: 'authgear-login' };
  }
  const r = await fetch(meta.token_endpoint, { method: 'POST', headers, body: new URLSearchParams(body) });
  return { status: r.status, json: await r.json() };
}

function claims(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
}

async function stats() {
  return (await fetch(`${issuer}/dev/stats`)).json();
}

async function fullSignIn(meta, client) {
  const { verifier, challenge } = pkcePair();
  const state = crypto.randomBytes(16).toString('base64url');
  const nonce = crypto.randomBytes(16).toString('base64url');
  const back = new URL(await signIn(authorizationUrl(meta, { clientId: client?.id, challenge, state, nonce })));
  assert.equal(`${back.origin}${back.pathname}`, REDIRECT);
  assert.equal(back.searchParams.get('state'), state);
  assert.equal(back.searchParams.get('iss'), issuer, 'RFC 9207 iss in the response');
  const code = back.searchParams.get('code');
  assert.ok(code);
  const t = await token(meta, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }, client);
  assert.equal(t.status, 200, JSON.stringify(t.json));
  assert.equal(claims(t.json.id_token).nonce, nonce);
  return t.json;
}

test('discovery uses Authgear paths', async () => {
  const meta = await discovery();
  assert.equal(meta.issuer, issuer);
  for (const [k, p] of [['authorization_endpoint', '/oauth2/authorize'], ['token_endpoint', '/oauth2/token'],
    ['userinfo_endpoint', '/oauth2/userinfo'], ['revocation_endpoint', '/oauth2/revoke'],
    ['end_session_endpoint', '/oauth2/end_session'], ['jwks_uri', '/oauth2/jwks']]) {
    assert.equal(meta[k], `${issuer}${p}`, k);
  }
  assert.ok(meta.scopes_supported.includes('offline_access'));
  const jwks = await (await fetch(meta.jwks_uri)).json();
  assert.ok(jwks.keys.length >= 1);
  assert.ok(jwks.keys.every((k) => !('d' in k)), 'no private key material in the JWKS');
});

test('public client: email + code, tokens, userinfo, refresh rotation, revocation, end session', async () => {
  const meta = await discovery();
  const before = await stats();
  const t = await fullSignIn(meta);
  assert.equal(t.token_type, 'Bearer');
  assert.ok(t.refresh_token, 'offline_access gives a refresh token without prompt=consent');
  const id = claims(t.id_token);
  assert.equal(id.iss, issuer);
  assert.equal(id.aud, 'authgear-login');
  assert.equal(id.name, undefined, 'like Authgear, the ID token carries no name');

  const ui = await (await fetch(meta.userinfo_endpoint, { headers: { authorization: `Bearer ${t.access_token}` } })).json();
  assert.equal(ui.sub, id.sub);
  assert.equal(ui.email, 'alice@example.com');
  assert.equal(ui.email_verified, true);
  assert.equal(ui.name, 'Alice Liddell');

  const r1 = await token(meta, { grant_type: 'refresh_token', refresh_token: t.refresh_token });
  assert.equal(r1.status, 200);
  assert.ok(r1.json.refresh_token && r1.json.refresh_token !== t.refresh_token, 'refresh token rotates');
  assert.equal(claims(r1.json.id_token).sub, id.sub);
  const old = await token(meta, { grant_type: 'refresh_token', refresh_token: t.refresh_token });
  assert.equal(old.status, 400);
  assert.equal(old.json.error, 'invalid_grant', 'the rotated-out refresh token is refused');

  // Reusing the old token revoked the whole chain (refresh token reuse
  // detection); sign in again for revocation.
  const t2 = await fullSignIn(meta);
  const rev = await fetch(meta.revocation_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: t2.refresh_token, token_type_hint: 'refresh_token', client_id: 'authgear-login' }),
  });
  assert.equal(rev.status, 200);
  const afterRevoke = await token(meta, { grant_type: 'refresh_token', refresh_token: t2.refresh_token });
  assert.equal(afterRevoke.json.error, 'invalid_grant');

  const end = new URL(meta.end_session_endpoint);
  end.search = new URLSearchParams({ id_token_hint: t2.id_token, post_logout_redirect_uri: 'http://localhost:3000/', state: 'bye123' }).toString();
  const endPage = await fetch(end, { redirect: 'manual' });
  assert.equal(endPage.status, 200);
  const html = await endPage.text();
  const xsrf = html.match(/name="xsrf" value="([^"]+)"/)[1];
  const confirm = await fetch(new URL('/oauth2/end_session/confirm', issuer), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: endPage.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') },
    body: new URLSearchParams({ xsrf, logout: 'yes' }),
  });
  assert.equal(confirm.status, 303);
  const loc = new URL(confirm.headers.get('location'));
  assert.equal(`${loc.origin}${loc.pathname}`, 'http://localhost:3000/');
  assert.equal(loc.searchParams.get('state'), 'bye123');

  const after = await stats();
  assert.equal(after.authorization_code - before.authorization_code, 2);
  assert.ok(after.refresh - before.refresh >= 1);
  assert.equal(after.userinfo - before.userinfo, 1);
  assert.equal(after.revocation - before.revocation, 1);
});

test('confidential client with client_secret_basic', async () => {
  const meta = await discovery();
  const t = await fullSignIn(meta, CONFIDENTIAL);
  assert.equal(claims(t.id_token).aud, CONFIDENTIAL.id);
  assert.ok(t.refresh_token);
  const bad = await token(meta, { grant_type: 'refresh_token', refresh_token: t.refresh_token }, { ...CONFIDENTIAL, secret: 'wrong' });
  assert.equal(bad.json.error, 'invalid_client');
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
