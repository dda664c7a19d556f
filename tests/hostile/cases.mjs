// SPDX-License-Identifier: GPL-3.0-or-later
//
// What each case of the hostile provider does. The name is the issuer path;
// what the client should make of it is in tests/test-core-hostile.c.
// A case with no field set behaves like a correct provider.

const hour = 3600;

const withClaims = (fn) => ({ claims: fn });
const drop = (params, name) => params.filter(([k]) => k !== name);
const replace = (params, name, value) => params.map(([k, v]) => [k, k === name ? value : v]);

export const CASES = {
  // ID token
  'valid-rs256': {},
  'valid-es256': { alg: 'ES256' },
  'valid-ps256': { alg: 'PS256' },
  'corrupt-signature': { sign: 'corrupt' },
  'alg-none': { sign: 'none' },
  'hs256-client-secret': { sign: 'hs256-secret' },
  'hs256-public-key': { sign: 'hs256-pubkey' },
  'wrong-iss': withClaims((c) => ({ ...c, iss: 'https://evil.example' })),
  'wrong-aud': withClaims((c) => ({ ...c, aud: 'someone-else' })),
  'missing-aud': withClaims(({ aud, ...c }) => c),
  'several-aud-no-azp': withClaims((c, { clientId }) => ({ ...c, aud: [clientId, 'other-client'] })),
  'azp-not-client': withClaims((c, { clientId }) => ({ ...c, aud: [clientId, 'other-client'], azp: 'other-client' })),
  'several-aud-with-azp': withClaims((c, { clientId }) => ({ ...c, aud: [clientId, 'other-client'], azp: clientId })),
  'missing-sub': withClaims(({ sub, ...c }) => c),
  'missing-iat': withClaims(({ iat, ...c }) => c),
  'iat-future': withClaims((c, { now }) => ({ ...c, iat: now + hour, exp: now + 2 * hour })),
  'exp-past': withClaims((c, { now }) => ({ ...c, iat: now - 2 * hour, exp: now - 300 })),
  'exp-within-skew': withClaims((c, { now }) => ({ ...c, exp: now - 20 })),
  'wrong-nonce': withClaims((c) => ({ ...c, nonce: 'not-the-nonce-that-was-sent' })),
  'missing-nonce': withClaims(({ nonce, ...c }) => c),
  'no-id-token': { tokenBody: ({ id_token, ...b }) => b },

  // The real Authgear's shape (pkg/lib/oauth/oidc/id_token.go, protocol/authz.go):
  // aud an array, exp = iat + 5 minutes, no RFC 9207 iss, not announced.
  'authgear-shape': {
    claims: (c, { clientId, now }) => ({ ...c, aud: [clientId], iat: now, exp: now + 300, sid: 'o_session' }),
    discovery: ({ authorization_response_iss_parameter_supported, ...d }) => d,
    redirect: (p) => drop(p, 'iss'),
  },
  'aud-array': withClaims((c, { clientId }) => ({ ...c, aud: [clientId] })),

  // Clocks: the Date header and the tokens on the provider's clock, which is
  // off from this machine's by the offset (seconds).
  'clock-ahead-5min': { clockOffset: 300 },
  'clock-behind-5min': { clockOffset: -300 },
  'clock-ahead-20min': { clockOffset: 1200 },
  'expired-by-provider-clock': {
    clockOffset: 300,
    claims: (c, { now }) => ({ ...c, iat: now - 400, exp: now - 100 }),
  },

  // Client authentication: Authgear before release 2026-07-30.0 lists no
  // client_secret_basic and refuses a Basic header.
  'basic-refused': {
    discovery: (d) => ({ ...d, token_endpoint_auth_methods_supported: ['none', 'client_secret_post'] }),
    refuseBasic: true,
  },
  'basic-listed': {
    discovery: (d) => ({ ...d, token_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'] }),
  },

  // Keys
  'one-key-no-kid': { jwks: 'no-kid', sign: 'no-kid' },
  'several-keys-no-kid': { jwks: 'several-no-kid', sign: 'no-kid' },
  'rotated-key': { jwks: 'rotate', sign: 'rotated' },
  'unknown-kid': { sign: 'unknown-kid' },
  'jwks-down': { jwks: 'down' },
  // Stale caches (tests/test-core-hostile.c writes the disk cache that an
  // earlier run would have left): the provider set up again with a new key
  // under the same kid; a bad signature against keys from the cache; the
  // key set and the token endpoint moved since the discovery document was
  // cached.
  'key-replaced': { jwks: 'replaced', sign: 'replaced' },
  'corrupt-signature-cached': { sign: 'corrupt' },
  'jwks-moved': { moved: 'jwks', discovery: (d, { base }) => ({ ...d, jwks_uri: `${base}/jwks-new` }) },
  'token-moved': { moved: 'token', discovery: (d, { base }) => ({ ...d, token_endpoint: `${base}/token-new` }) },

  // Discovery
  'discovery-issuer-differs': { discovery: (d) => ({ ...d, issuer: 'https://authgear.example' }) },
  'discovery-http-endpoint': { discovery: (d) => ({ ...d, token_endpoint: 'http://authgear.example/oauth2/token' }) },
  'discovery-no-jwks-uri': { discovery: ({ jwks_uri, ...d }) => d },
  'discovery-not-json': { discoveryRaw: '<html><body>It works!</body></html>' },

  // Authorization response
  'wrong-state': { redirect: (p) => replace(p, 'state', 'forged-state') },
  'missing-state': { redirect: (p) => drop(p, 'state') },
  'duplicate-code': { redirect: (p, { code }) => [...p, ['code', code]] },
  'duplicate-state': { redirect: (p, { state }) => [...p, ['state', state]] },
  'access-denied': { redirect: (p, { state, issuer }) => [['error', 'access_denied'], ['state', state], ['iss', issuer]] },
  'server-error': {
    redirect: (p, { state, issuer }) => [['error', 'server_error'], ['error_description', 'The database is on fire'],
      ['state', state], ['iss', issuer]],
  },
  'wrong-iss-param': { redirect: (p) => replace(p, 'iss', 'https://evil.example') },
  'missing-iss-param': { redirect: (p) => drop(p, 'iss') },

  // Token endpoint
  'token-invalid-grant': { token: 'invalid_grant' },
  'token-html': { token: 'html' },
  'token-500': { token: 'server-error' },
  'token-no-access-token': { tokenBody: ({ access_token, ...b }) => b },
  'token-type-mac': { tokenBody: (b) => ({ ...b, token_type: 'MAC' }) },
  'token-type-lowercase': { tokenBody: (b) => ({ ...b, token_type: 'bearer' }) },
  'token-not-object': { tokenBody: () => ['access_token'] },
  'token-oversize': { token: 'oversize' },
  'token-endless': { token: 'endless' },
  'token-hangs': { token: 'hang' },
  'token-redirects': { token: 'redirect' },

  // Userinfo
  'userinfo-other-sub': { userinfo: 'other-sub' },
  'userinfo-401': { userinfo: '401' },
  'userinfo-not-json': { userinfo: 'html' },
  'profile-401-then-refresh': { userinfo: '401-second' },

  // Refresh (the sign-in itself is correct)
  'refresh-rotates': {},
  'refresh-no-rotation': { rotate: false },
  'refresh-invalid-client': { refresh: 'invalid_client' },
  'refresh-503': { refresh: 'unavailable' },
  'refresh-invalid-grant': { refresh: 'invalid_grant' },
  'refresh-network-down': { refresh: 'drop' },
  'refresh-other-iss': { refreshClaims: (c) => ({ ...c, iss: 'https://evil.example' }) },
  'refresh-other-sub': { refreshClaims: (c) => ({ ...c, sub: 'someone-else' }) },

  // Logout
  'revocation-down': { revoke: 'down' },
  'end-session-wrong-state': { endSession: () => 'not-the-state-that-was-sent' },
  'end-session-no-state': { endSession: () => null },

  // The web view (tests/test-gui.py): a sign-in page that tries, one after
  // the other, a pop-up and a target=_blank link to another origin, then
  // top-level navigations to file:, data: and a custom scheme, reporting
  // where it is after each; then it sends the view to the callback with a
  // state of its own.
  'webview-hostile': { page: webviewHostilePage },
  // A sign-in page whose frames go to the redirect URI with forged states:
  // an iframe, a named iframe through a link's target, and a form posted
  // into it. None may end the sign-in: after these the page reports that it
  // is still there, then sends the main frame to the callback, forged too.
  'webview-subframe': { page: webviewSubframePage },
  // A sign-in page that tries to put files on this computer and to take one
  // from it: <a download>, a hidden frame and the main frame on an
  // attachment, a file input filling the page, and a link to right-click.
  'webview-files': { page: webviewFilesPage },
  // A sign-in page that loads things from the redirect URI's origin, written
  // as localhost, 127.0.0.1 and [::1]: an image, fetch, XHR, an iframe, a
  // prefetch, a beacon, a form posted into a hidden frame and a WebSocket.
  // Nothing of it may connect. The same from its own loopback port works.
  'webview-port-probe': { page: webviewPortProbePage },
  // The sign-in page on a self-signed certificate.
  'webview-tls': {
    discovery: (d, { tlsPort, name }) => ({ ...d, authorization_endpoint: `https://localhost:${tlsPort}/${name}/authorize` }),
  },
};

function webviewPortProbePage({ redirectUri, port }) {
  const redirectPort = new URL(redirectUri).port || '80';
  return `<!doctype html><html><head><title>Sign in</title></head><body><h1>Sign in</h1>
<script>
const beacon = (step) => fetch('beacon?step=' + step + '&href=' + encodeURIComponent(location.href));
const hosts = ['localhost', '127.0.0.1', '[::1]'];
hosts.forEach((host, i) => {
  const origin = 'http://' + host + ':${redirectPort}';
  const probe = (kind) => origin + '/callback?code=probe-' + kind + '&state=probe';
  new Image().src = probe('img');
  fetch(probe('fetch'), { mode: 'no-cors' }).catch(() => {});
  try { const x = new XMLHttpRequest(); x.open('GET', probe('xhr')); x.send(); } catch (e) {}
  const frame = document.createElement('iframe'); frame.style.display = 'none'; frame.src = probe('iframe');
  document.body.appendChild(frame);
  const link = document.createElement('link'); link.rel = 'prefetch'; link.href = probe('prefetch');
  document.head.appendChild(link);
  try { navigator.sendBeacon(probe('beacon'), 'x'); } catch (e) {}
  const sink = document.createElement('iframe'); sink.name = 'sink' + i; sink.style.display = 'none';
  document.body.appendChild(sink);
  const form = document.createElement('form'); form.method = 'post'; form.target = 'sink' + i; form.action = probe('form');
  document.body.appendChild(form); form.submit();
  try { new WebSocket('ws://' + host + ':${redirectPort}/'); } catch (e) {}
});
// Another loopback port, this provider's own: these must arrive.
new Image().src = 'http://localhost:${port}/webview-port-probe/beacon?step=201&href=img';
fetch('http://127.0.0.1:${port}/webview-port-probe/beacon?step=202&href=fetch', { mode: 'no-cors' }).catch(() => {});
setTimeout(() => beacon(100), 3000);
</script></body></html>`;
}

function webviewFilesPage() {
  return `<!doctype html><html><head><title>Sign in</title>
<style>body{margin:0} #link{position:fixed;top:0;left:0;right:0;height:90px;font-size:40px;background:#eee}
#pick{position:fixed;top:120px;left:0;right:0;height:300px;display:block;background:#ddf}</style></head><body>
<a id="link" href="target">A link to right-click</a>
<label id="pick" for="file">Choose a file</label><input id="file" type="file">
<a id="dl" download="evil.txt" href="attachment?via=download-attribute">x</a>
<script>
const beacon = (step) => fetch('beacon?step=' + step + '&href=' + encodeURIComponent(location.href));
document.getElementById('file').addEventListener('change', () => beacon(50));
setTimeout(() => document.getElementById('dl').click(), 300);
setTimeout(() => { const f = document.createElement('iframe'); f.style.display = 'none';
                   f.src = 'attachment?via=frame'; document.body.appendChild(f); }, 600);
setTimeout(() => { location.href = 'attachment?via=main-frame'; }, 900);
setTimeout(() => beacon(1), 2000);
</script></body></html>`;
}

function webviewSubframePage({ redirectUri }) {
  const forged = (s) => `${redirectUri}?code=forged-code&state=${s}`;
  return `<!doctype html><html><head><title>Sign in</title></head><body><h1>Sign in</h1>
<iframe id="plain" src="about:blank"></iframe>
<iframe name="named" src="about:blank"></iframe>
<a id="link" target="named" href="${forged('via-named-frame')}">x</a>
<form id="form" target="named" method="get" action="${redirectUri}">
  <input type="hidden" name="code" value="forged-code"><input type="hidden" name="state" value="via-form">
</form>
<script>
const beacon = (step) => fetch('beacon?step=' + step + '&href=' + encodeURIComponent(location.href));
setTimeout(() => { document.getElementById('plain').src = ${JSON.stringify(forged('via-iframe'))}; }, 300);
setTimeout(() => { document.getElementById('link').click(); }, 700);
setTimeout(() => { document.getElementById('form').submit(); }, 1100);
setTimeout(() => beacon(100), 2500);
setTimeout(() => { location.href = ${JSON.stringify(forged('main-frame'))}; }, 3000);
</script></body></html>`;
}

function webviewHostilePage({ redirectUri, issuer, port }) {
  const elsewhere = `http://localhost:${port}/webview-hostile/target`;
  const forged = `${redirectUri}?code=forged-code&state=forged-state&iss=${encodeURIComponent(issuer)}`;
  return `<!doctype html><html><head><title>Sign in</title></head><body><h1>Sign in</h1>
<script>
const steps = [
  () => window.open(${JSON.stringify(elsewhere + '?via=window.open')}),
  () => { const a = document.createElement('a'); a.href = ${JSON.stringify(elsewhere + '?via=blank')};
          a.target = '_blank'; a.textContent = 'x'; document.body.appendChild(a); a.click(); },
  () => { location.href = 'file:///etc/passwd'; },
  () => { location.href = 'data:text/html,<h1>data</h1>'; },
  () => { location.href = 'evil-scheme://steal'; },
];
let i = 0;
function next() {
  fetch('beacon?step=' + i + '&href=' + encodeURIComponent(location.href));
  if (i < steps.length) {
    try { steps[i](); } catch (e) {}
    i++;
    setTimeout(next, 800);
  } else {
    setTimeout(() => { location.href = ${JSON.stringify(forged)}; }, 300);
  }
}
setTimeout(next, 500);
</script></body></html>`;
}
