// SPDX-License-Identifier: GPL-3.0-or-later
// Plays the browser for the C tests: follows an authorization URL through the
// development provider's email and code pages and prints the redirect URL the
// provider sends back (without requesting it).
//   node signin.mjs AUTHORIZATION_URL [EMAIL]
import { signIn } from './flow.mjs';

try {
  const url = await signIn(process.argv[2], { email: process.argv[3] ?? 'alice@example.com' });
  process.stdout.write(`${url}\n`);
} catch (err) {
  console.error(`signin.mjs: ${err.message}`);
  process.exit(1);
}
