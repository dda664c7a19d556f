// SPDX-License-Identifier: GPL-3.0-or-later
// Plays a browser through the development provider's Email + code sign-in.
// Used by the provider's own test, and by the C tests through `signin.mjs`.

import crypto from 'node:crypto';
import fs from 'node:fs';

export function pkcePair() {
  const verifier = crypto.randomBytes(32).toString('base64url');
  const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

// A tiny cookie jar: enough for the provider's interaction cookies.
export class Jar {
  #cookies = new Map();

  store(response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const expired = attributes.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now())
        || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired) this.#cookies.delete(name);
      else this.#cookies.set(name, pair.slice(eq + 1).trim());
    }
  }

  has(name) {
    return this.#cookies.has(name);
  }

  // A browser's cookies outlive one sign-in: kept in a file between runs.
  static load(file) {
    const jar = new Jar();
    try {
      for (const [k, v] of JSON.parse(fs.readFileSync(file, 'utf8'))) jar.#cookies.set(k, v);
    } catch { /* a new browser profile */ }
    return jar;
  }

  save(file) {
    fs.writeFileSync(file, JSON.stringify([...this.#cookies]), { mode: 0o600 });
  }

  header() {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

async function go(jar, url, init = {}) {
  const response = await fetch(url, {
    ...init,
    redirect: 'manual',
    headers: { ...(init.headers ?? {}), cookie: jar.header() },
  });
  jar.store(response);
  return response;
}

export async function latestCode(issuer, email) {
  const outbox = await (await fetch(new URL('/dev/outbox', issuer))).json();
  const mail = outbox.filter((m) => m.to === email).at(-1);
  if (!mail) throw new Error(`no code in the outbox for ${email}`);
  return mail.code;
}

// Follows an authorization URL through the email and code pages and returns
// the final redirect to the client's redirect URI (not requested).
// @jar: the browser's cookies (a fresh one by default); @onEmailPage is
// called when the provider asks for the email (not when its session cookie
// signs the person in at once).
export async function signIn(authorizationUrl, { email = 'alice@example.com', wrongCodes = 0, jar = new Jar(), onEmailPage } = {}) {
  const issuer = new URL(authorizationUrl).origin;
  let url = authorizationUrl;
  let response;
  let page = '';
  for (let hops = 0; hops < 10; hops += 1) {
    response = await go(jar, url);
    if (response.status >= 300 && response.status < 400) {
      url = new URL(response.headers.get('location'), url).href;
      if (!url.startsWith(issuer)) return url;
      continue;
    }
    page = await response.text();
    break;
  }
  const form = page.match(/action="([^"]*\/email)"/);
  if (!form) throw new Error(`no email form: ${response.status} ${page.slice(0, 300)}`);
  onEmailPage?.();
  response = await go(jar, new URL(form[1], issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email }).toString(),
  });
  page = await response.text();
  const codeForm = page.match(/action="([^"]*\/code)"/);
  if (!codeForm) throw new Error(`no code form: ${page.slice(0, 300)}`);
  const code = await latestCode(issuer, email);
  for (let i = 0; i < wrongCodes; i += 1) {
    const wrong = String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
    response = await go(jar, new URL(codeForm[1], issuer), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ code: wrong }).toString(),
    });
    page = await response.text();
    if (!/Incorrect code/.test(page)) return { page };
  }
  response = await go(jar, new URL(codeForm[1], issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ code }).toString(),
  });
  url = new URL(codeForm[1], issuer).href;
  for (let hops = 0; hops < 10; hops += 1) {
    if (response.status < 300 || response.status >= 400) {
      throw new Error(`sign-in stopped at ${response.status}: ${(await response.text()).slice(0, 300)}`);
    }
    url = new URL(response.headers.get('location'), url).href;
    if (!url.startsWith(issuer)) return url;
    response = await go(jar, url);
  }
  throw new Error('too many redirects');
}
