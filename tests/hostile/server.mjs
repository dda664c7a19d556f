// SPDX-License-Identifier: GPL-3.0-or-later
//
// A hostile OpenID provider for tests: on loopback, one issuer per case at
// http://127.0.0.1:PORT/<case>, each answering like a correct provider except
// for the one thing its case breaks (a bad signature, a wrong nonce, a token
// body that never ends, ...). The cases are in cases.mjs; the client under
// test does not know which one it talks to.
//
//   node tests/hostile/server.mjs        prints "port: N" when ready
//
// /<case>/authorize answers at once with a redirect to the redirect URI (no
// login page: the tests are about what comes back). /<case>/stats tells what
// the case saw (requests per endpoint, PKCE checks), and /<case>/reset
// forgets it. Nothing here is secret: the keys are made at start-up.

import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';

import { CASES } from './cases.mjs';

const CLIENT_ID = 'authgear-login';
let tlsPort = null;          // the self-signed listener, once started
const CLIENT_SECRET = 'hostile-client-secret';

// Signing keys, made fresh at each start.
function makeKey(alg, kid) {
  let pair;
  if (alg === 'ES256')
    pair = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  else
    pair = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...pair.publicKey.export({ format: 'jwk' }), alg, use: 'sig' };
  if (kid)
    jwk.kid = kid;
  return { alg, kid, privateKey: pair.privateKey, publicKey: pair.publicKey, jwk };
}
const KEYS = {
  RS256: makeKey('RS256', 'rs-1'),
  ES256: makeKey('ES256', 'es-1'),
  PS256: makeKey('PS256', 'ps-1'),
  rotated: makeKey('RS256', 'rs-2'),
  // The provider set up again: a new RSA key under the old kid.
  replaced: makeKey('RS256', 'rs-1'),
  other: makeKey('RS256', 'rs-other'),
};

const b64url = (buf) => Buffer.from(buf).toString('base64url');

function sign(alg, key, input) {
  switch (alg) {
    case 'RS256':
      return crypto.sign('sha256', Buffer.from(input), key.privateKey);
    case 'PS256':
      return crypto.sign('sha256', Buffer.from(input), {
        key: key.privateKey,
        padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 32,
      });
    case 'ES256':
      return crypto.sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
    default:
      throw new Error(`cannot sign ${alg}`);
  }
}

// Makes a compact JWS. `header.alg` may be anything; `signWith` says how the
// signature is really made: a key, 'none', or an HMAC secret.
export function makeJws(header, claims, signWith) {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  let signature;
  if (signWith === 'none')
    signature = Buffer.alloc(0);
  else if (signWith.hmac !== undefined)
    signature = crypto.createHmac('sha256', signWith.hmac).update(input).digest();
  else
    signature = sign(signWith.alg, signWith, input);
  return `${input}.${b64url(signature)}`;
}

const state = new Map();      // case name -> what the case has seen
function caseState(name) {
  if (!state.has(name))
    state.set(name, {
      counts: {},
      pkce: [],
      codes: new Map(),
      refreshTokens: new Map(),
      rotatedKeys: false,
      lastState: null,
    });
  return state.get(name);
}

function count(st, what) {
  st.counts[what] = (st.counts[what] ?? 0) + 1;
}

function send(res, status, body, type = 'application/json') {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(text);
}

// A case with a clock of its own says so in every Date header.
function withCaseClock(res, c) {
  if (c.clockOffset)
    res.setHeader('Date', new Date(Date.now() + c.clockOffset * 1000).toUTCString());
}

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function metadata(issuer, origin, c) {
  const base = `${origin}/${c.name}`;
  const doc = {
    issuer,
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/token`,
    userinfo_endpoint: `${base}/userinfo`,
    jwks_uri: `${base}/jwks`,
    revocation_endpoint: `${base}/revoke`,
    end_session_endpoint: `${base}/end_session`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256', 'ES256', 'PS256'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'none'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    scopes_supported: ['openid', 'offline_access', 'email', 'profile'],
    authorization_response_iss_parameter_supported: true,
  };
  return c.discovery ? c.discovery(doc, { base, issuer, tlsPort, name: c.name }) : doc;
}

function jwks(c, st) {
  const mode = c.jwks ?? 'normal';
  const key = KEYS[c.alg ?? 'RS256'] ?? KEYS.RS256;
  switch (mode) {
    case 'no-kid': {
      const { kid, ...jwk } = key.jwk;
      return { keys: [jwk] };
    }
    case 'several-no-kid':
      return { keys: [KEYS.other.jwk, key.jwk].map(({ kid, ...jwk }) => jwk) };
    case 'replaced':
      return { keys: [KEYS.replaced.jwk] };
    case 'rotate':
      // The first fetch has only the old key; later ones the new key too.
      return { keys: st.counts.jwks > 1 ? [key.jwk, KEYS.rotated.jwk] : [key.jwk] };
    default:
      return { keys: [KEYS.RS256.jwk, KEYS.ES256.jwk, KEYS.PS256.jwk] };
  }
}

// The case's clock: this machine's, shifted by its clockOffset.
const caseNow = (c) => Math.floor(Date.now() / 1000) + (c.clockOffset ?? 0);

function idToken(issuer, c, st, grant) {
  const now = caseNow(c);
  let claims = {
    iss: issuer,
    sub: 'user-1',
    aud: CLIENT_ID,
    exp: now + 600,
    iat: now,
    auth_time: now,
  };
  if (grant.nonce !== undefined)
    claims.nonce = grant.nonce;
  if (c.claims && (grant.kind === 'code' || c.claimsOnRefresh))
    claims = c.claims(claims, { issuer, now, clientId: CLIENT_ID });
  if (grant.kind === 'refresh' && c.refreshClaims)
    claims = c.refreshClaims(claims, { issuer, now, clientId: CLIENT_ID });

  const alg = c.alg ?? 'RS256';
  let key = KEYS[alg] ?? KEYS.RS256;
  let header = { alg, typ: 'JWT', kid: key.kid };
  let signWith = key;
  switch (c.sign) {
    case 'none':
      header = { alg: 'none', typ: 'JWT' };
      signWith = 'none';
      break;
    case 'hs256-secret':
      header = { alg: 'HS256', typ: 'JWT' };
      signWith = { hmac: CLIENT_SECRET };
      break;
    case 'hs256-pubkey':
      header = { alg: 'HS256', typ: 'JWT', kid: key.kid };
      signWith = { hmac: KEYS.RS256.publicKey.export({ format: 'pem', type: 'spki' }) };
      break;
    case 'no-kid':
      delete header.kid;
      break;
    case 'replaced':
      key = KEYS.replaced;
      signWith = key;
      break;
    case 'rotated':
      key = KEYS.rotated;
      header.kid = key.kid;
      signWith = key;
      break;
    case 'unknown-kid':
      key = KEYS.other;
      header.kid = key.kid;
      signWith = key;
      break;
    default:
      break;
  }
  let jws = makeJws(header, claims, signWith);
  if (c.sign === 'corrupt') {
    // Flip one bit in the middle of the signature.
    const [h, p, s] = jws.split('.');
    const sig = Buffer.from(s, 'base64url');
    sig[sig.length >> 1] ^= 0x01;
    jws = `${h}.${p}.${b64url(sig)}`;
  }
  return jws;
}

function randomToken(prefix) {
  return `${prefix}-${crypto.randomBytes(24).toString('base64url')}`;
}

function authorize(url, c, st, issuer, res) {
  count(st, 'authorize');
  const q = url.searchParams;
  const code = randomToken('code');
  const challenge = q.get('code_challenge');
  st.codes.set(code, {
    nonce: q.get('nonce') ?? undefined,
    challenge,
    method: q.get('code_challenge_method'),
    redirectUri: q.get('redirect_uri'),
  });
  st.lastState = q.get('state');
  st.pkce.push({ method: q.get('code_challenge_method'), challenge_length: challenge ? challenge.length : 0 });

  let params = [['code', code], ['state', q.get('state')], ['iss', issuer]];
  if (c.redirect)
    params = c.redirect(params, { code, state: q.get('state'), issuer });
  const target = new URL(q.get('redirect_uri'));
  target.search = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  res.writeHead(302, { Location: target.toString() });
  res.end();
}

function basicAuth(req) {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic '))
    return null;
  const [id, secret] = Buffer.from(header.slice(6), 'base64').toString().split(':').map(decodeURIComponent);
  return { id, secret };
}

async function token(req, c, st, issuer, res) {
  count(st, 'token');
  const form = new URLSearchParams(await readBody(req));
  const grantType = form.get('grant_type');
  const mode = grantType === 'refresh_token' ? (c.refresh ?? c.token) : c.token;

  switch (mode) {
    case 'hang':
      return; // never answer
    case 'endless': {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"access_token":"');
      const timer = setInterval(() => res.write('a'.repeat(64)), 100);
      res.on('close', () => clearInterval(timer));
      return;
    }
    case 'oversize':
      return send(res, 200, `{"access_token":"${'a'.repeat(2 * 1024 * 1024)}","token_type":"Bearer"}`);
    case 'html':
      return send(res, 200, '<html><body>Sign-in service unavailable</body></html>', 'text/html');
    case 'redirect':
      // 307 keeps the method and the body: a client that followed it would
      // send the code (and its credentials) to the target.
      res.writeHead(307, { Location: `/${c.name}/target` });
      return res.end();
    case 'invalid_grant':
      return send(res, 400, { error: 'invalid_grant', error_description: 'grant is not valid' });
    case 'server-error':
      return send(res, 500, 'Internal Server Error', 'text/plain');
    case 'drop':
      req.socket.destroy();
      return;
    case 'invalid_client':
      count(st, 'refresh');
      return send(res, 401, { error: 'invalid_client', error_description: 'client authentication failed' });
    case 'unavailable':
      count(st, 'refresh');
      (st.refreshTimes ??= []).push(Date.now());
      return send(res, 503, 'Service Unavailable', 'text/plain');
    default:
      break;
  }

  const auth = basicAuth(req);
  const formSecret = form.get('client_secret');
  st.clientAuth = auth ? 'client_secret_basic' : formSecret !== null ? 'client_secret_post' : 'none';
  if (auth && c.refuseBasic)
    return send(res, 401, { error: 'invalid_client', error_description: 'client_secret_basic is not supported' });
  if (auth && formSecret !== null)
    return send(res, 400, { error: 'invalid_request', error_description: 'more than one client authentication method' });
  if (auth && (auth.id !== CLIENT_ID || auth.secret !== CLIENT_SECRET))
    return send(res, 401, { error: 'invalid_client' });
  if (!auth && form.get('client_id') !== CLIENT_ID)
    return send(res, 401, { error: 'invalid_client' });
  if (formSecret !== null && formSecret !== CLIENT_SECRET)
    return send(res, 401, { error: 'invalid_client' });

  let grant;
  if (grantType === 'authorization_code') {
    const code = form.get('code');
    const entry = st.codes.get(code);
    st.codes.delete(code);
    if (!entry)
      return send(res, 400, { error: 'invalid_grant' });
    const verifier = form.get('code_verifier') ?? '';
    const computed = crypto.createHash('sha256').update(verifier).digest('base64url');
    const last = st.pkce[st.pkce.length - 1];
    last.verifier_length = verifier.length;
    last.challenge_matches = computed === entry.challenge;
    last.verifier_hash = crypto.createHash('sha256').update(`seen:${verifier}`).digest('hex');
    if (!last.challenge_matches || form.get('redirect_uri') !== entry.redirectUri)
      return send(res, 400, { error: 'invalid_grant' });
    grant = { kind: 'code', nonce: entry.nonce };
  } else if (grantType === 'refresh_token') {
    count(st, 'refresh');
    const rt = form.get('refresh_token');
    if (!st.refreshTokens.has(rt))
      return send(res, 400, { error: 'invalid_grant' });
    if (c.rotate !== false)
      st.refreshTokens.delete(rt); // rotation: the old one is refused from now on
    (st.refreshTokensUsed ??= []).push(crypto.createHash('sha256').update(`seen:${rt}`).digest('hex'));
    grant = { kind: 'refresh' };
  } else {
    return send(res, 400, { error: 'unsupported_grant_type' });
  }

  // Without rotation (Authgear's default) a refresh answer has no refresh_token.
  const refreshToken = grant.kind === 'refresh' && c.rotate === false ? undefined : randomToken('rt');
  if (refreshToken)
    st.refreshTokens.set(refreshToken, true);
  const accessToken = randomToken('at');
  let body = {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: 600,
    refresh_token: refreshToken,
    scope: 'openid offline_access',
    id_token: idToken(issuer, c, st, grant),
  };
  if (c.tokenBody)
    body = c.tokenBody(body);
  return send(res, 200, body);
}

function userinfo(req, c, st, res) {
  count(st, 'userinfo');
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Bearer at-'))
    return send(res, 401, { error: 'invalid_token' });
  switch (c.userinfo) {
    case '401':
      return send(res, 401, { error: 'invalid_token' });
    case '401-second':
      // The sign-in's profile request works; the next one is refused once.
      if (st.counts.userinfo === 2)
        return send(res, 401, { error: 'invalid_token' });
      break;
    case 'html':
      return send(res, 200, '<html>profile</html>', 'text/html');
    case 'other-sub':
      return send(res, 200, { sub: 'someone-else', name: 'Mallory', email: 'mallory@example.com' });
    default:
      break;
  }
  return send(res, 200, { sub: 'user-1', name: 'Hostile Tester', email: 'tester@example.com', email_verified: true });
}

async function handle(req, res) {
  const origin = `http://${req.headers.host}`;
  const url = new URL(req.url, origin);
  const [, name, ...rest] = url.pathname.split('/');
  const c = CASES[name];
  if (!c)
    return send(res, 404, { error: 'no such case' });
  c.name = name;
  withCaseClock(res, c);
  const st = caseState(name);
  const issuer = `${origin}/${name}`;
  const path = rest.join('/');

  switch (path) {
    case '.well-known/openid-configuration':
      count(st, 'discovery');
      if (c.discoveryRaw !== undefined)
        return send(res, 200, c.discoveryRaw, 'text/html');
      return send(res, 200, metadata(issuer, origin, c));
    case 'jwks':
    case 'jwks-new':
      count(st, 'jwks');
      // A case whose keys moved: the old address is gone.
      if (c.moved === 'jwks' && path === 'jwks')
        return send(res, 404, { error: 'not found' });
      if (c.jwks === 'down')
        return send(res, 503, 'Service Unavailable', 'text/plain');
      return send(res, 200, jwks(c, st));
    case 'authorize':
      if (c.page)
        return send(res, 200, c.page({ redirectUri: url.searchParams.get('redirect_uri'), issuer, port: req.socket.localPort }),
                    'text/html; charset=utf-8');
      return authorize(url, c, st, issuer, res);
    case 'beacon':
      st.beacons = st.beacons ?? [];
      st.beacons.push({ step: Number(url.searchParams.get('step')), href: url.searchParams.get('href') });
      return send(res, 204, '');
    case 'attachment':
      count(st, 'attachment');
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Disposition': 'attachment; filename="evil.txt"' });
      return res.end('EVIL FILE\n');
    case 'target':
      count(st, 'target');
      return send(res, 200, '<h1>You should not see this</h1>', 'text/html');
    case 'token':
    case 'token-new':
      if (c.moved === 'token' && path === 'token') {
        count(st, 'token_not_found');
        return send(res, 404, { error: 'not found' });
      }
      return token(req, c, st, issuer, res);
    case 'userinfo':
      return userinfo(req, c, st, res);
    case 'revoke':
      count(st, 'revoke');
      if (c.revoke === 'down')
        return send(res, 503, 'Service Unavailable', 'text/plain');
      {
        const form = new URLSearchParams(await readBody(req));
        st.refreshTokens.delete(form.get('token'));
      }
      return send(res, 200, '');
    case 'end_session':
      count(st, 'end_session');
      if (c.endSession) {
        // Back to the post-logout URI with a state of the case's choosing.
        const target = new URL(url.searchParams.get('post_logout_redirect_uri') ?? 'http://localhost:3000/');
        const state = c.endSession(url.searchParams.get('state'));
        if (state !== null)
          target.searchParams.set('state', state);
        res.writeHead(302, { Location: target.toString() });
        return res.end();
      }
      return send(res, 200, '<html>Signed out</html>', 'text/html');
    case 'stats':
      return send(res, 200, {
        counts: st.counts,
        pkce: st.pkce,
        beacons: st.beacons ?? [],
        refresh_tokens: st.refreshTokens.size,
        refresh_tokens_used: st.refreshTokensUsed ?? [],
        refresh_times: st.refreshTimes ?? [],
        client_auth: st.clientAuth ?? null,
      });
    case 'reset':
      state.delete(name);
      return send(res, 200, {});
    default:
      return send(res, 404, { error: 'not found' });
  }
}

function serve(req, res) {
  handle(req, res).catch((e) => {
    console.error(e);
    if (!res.headersSent)
      send(res, 500, 'error', 'text/plain');
  });
}

// A second listener with TLS on a self-signed certificate (made here with
// openssl, for localhost), for the cases about certificate errors.
function selfSignedCertificate() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ag-hostile-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) };
  } catch {
    return null;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const server = http.createServer(serve);
server.keepAliveTimeout = 1000;
server.listen(Number(process.env.AG_HOSTILE_PORT ?? 0), '127.0.0.1', () => {
  console.log(`port: ${server.address().port}`);
  const tls = selfSignedCertificate();
  if (!tls)
    return;
  const secure = https.createServer(tls, serve);
  secure.listen(0, '127.0.0.1', () => {
    tlsPort = secure.address().port;
    console.log(`tls-port: ${tlsPort}`);
  });
});
for (const sig of ['SIGTERM', 'SIGINT'])
  process.on(sig, () => process.exit(0));
// The test closes our stdin when it ends: go with it.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
