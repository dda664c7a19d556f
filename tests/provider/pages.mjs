// SPDX-License-Identifier: GPL-3.0-or-later
// The development provider's HTML: small, self-contained (no web fonts or
// remote assets, the machine has no internet), light and dark.

export function escapeHtml(value) {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const STYLE = `
:root { color-scheme: light dark; --accent: #3584e4; --bg: #fafafa; --fg: #242424; --card: #fff; --err: #c01c28; }
@media (prefers-color-scheme: dark) { :root { --bg: #242424; --fg: #fff; --card: #303030; --err: #ff7b63; } }
body { font-family: Cantarell, "Noto Sans", sans-serif; background: var(--bg); color: var(--fg); margin: 0; padding: 32px 16px; }
main { max-width: 360px; margin: 0 auto; background: var(--card); border-radius: 12px; padding: 24px 28px; box-shadow: 0 1px 3px rgba(0,0,0,.2); }
h1 { font-size: 1.4em; margin-top: 0; }
label { display: block; margin: 12px 0 4px; font-weight: bold; }
input { box-sizing: border-box; width: 100%; font-size: 1.1em; padding: 8px; border-radius: 6px; border: 1px solid #888; background: var(--bg); color: var(--fg); }
button { margin-top: 16px; width: 100%; font-size: 1.05em; padding: 9px; border: 0; border-radius: 6px; background: var(--accent); color: #fff; font-weight: bold; }
.error { color: var(--err); font-weight: bold; }
.alt { margin-top: 16px; font-size: .9em; }
a { color: var(--accent); }
.brand { text-align: center; font-size: .85em; opacity: .7; margin-bottom: 12px; }
`;

export function renderPage(title, body) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Authgear (development)</title>
<style>${STYLE}</style>
</head>
<body>
<div class="brand">Authgear · development provider</div>
<main>
${body}
</main>
</body>
</html>`;
}
