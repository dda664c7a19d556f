// SPDX-License-Identifier: GPL-3.0-or-later
// Plays the person's web browser for the GUI tests of the browser path: the
// test session makes this the default handler for http(s) links, so the app
// "opens" its authorization URL here. It signs in through the development
// provider's email and code pages, then, as a browser would, requests the
// redirect URL it was sent to (the app's loopback listener) and notes what it
// got. With AG_TEST_BROWSER_MODE=print it notes the redirect URL instead,
// for the paste path. Notes go, one JSON line each, to AG_TEST_BROWSER_LOG;
// one of them says whether the provider asked for the email (it does not
// when the browser kept its session cookie). With AG_TEST_BROWSER_PROFILE
// (a file) the browser's cookies outlive one run, as a real browser's do.
//   node browser.mjs URL
import fs from 'node:fs';

import { Jar, signIn } from './flow.mjs';

const log = (entry) => fs.appendFileSync(process.env.AG_TEST_BROWSER_LOG, `${JSON.stringify(entry)}\n`);

try {
  const opened = process.argv[2];
  log({ opened: new URL(opened).origin });
  const profile = process.env.AG_TEST_BROWSER_PROFILE;
  const jar = profile ? Jar.load(profile) : new Jar();
  let askedEmail = false;
  const redirect = await signIn(opened, { jar, onEmailPage: () => { askedEmail = true; } });
  if (profile) jar.save(profile);
  log({ asked_email: askedEmail });
  if (process.env.AG_TEST_BROWSER_MODE === 'print') {
    log({ redirect });
  } else {
    const res = await fetch(redirect);
    log({ status: res.status, body: await res.text() });
  }
} catch (err) {
  log({ error: err.message });
  process.exit(1);
}
