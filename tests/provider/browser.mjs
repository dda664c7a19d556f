// SPDX-License-Identifier: GPL-3.0-or-later
// Plays the person's web browser for the GUI tests of the browser path: the
// test session makes this the default handler for http(s) links, so the app
// "opens" its authorization URL here. It signs in through the development
// provider's email and code pages, then, as a browser would, requests the
// redirect URL it was sent to (the app's loopback listener) and notes what it
// got. With AG_TEST_BROWSER_MODE=print it notes the redirect URL instead,
// for the paste path. Notes go, one JSON line each, to AG_TEST_BROWSER_LOG.
//   node browser.mjs URL
import fs from 'node:fs';

import { signIn } from './flow.mjs';

const log = (entry) => fs.appendFileSync(process.env.AG_TEST_BROWSER_LOG, `${JSON.stringify(entry)}\n`);

try {
  const opened = process.argv[2];
  log({ opened: new URL(opened).origin });
  const redirect = await signIn(opened);
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
