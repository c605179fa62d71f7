import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LoadtsError } from '../errors.js';
import type { DashboardEvent } from './events.js';

/** The page's script and styles as `npm run build` writes them (scripts/bundle-engine.mjs). */
const ASSETS = ['dist/bundle/web/dashboard.js', 'dist/bundle/web/dashboard.css'] as const;

let cached: { js: string; css: string } | undefined;

/** The package root: the folder above this file whose package.json is loadts's (source and builds alike). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      if ((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === 'loadts') return dir;
    } catch {
      // not here: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) throw new LoadtsError('ENGINE', 'the dashboard page is missing: loadts\'s package.json was not found above its code');
    dir = parent;
  }
}

function assets(): { js: string; css: string } {
  if (cached !== undefined) return cached;
  const root = packageRoot();
  try {
    cached = { js: readFileSync(join(root, ASSETS[0]), 'utf8'), css: readFileSync(join(root, ASSETS[1]), 'utf8') };
  } catch {
    throw new LoadtsError('ENGINE', `the dashboard page is missing (${ASSETS[0]}): run npm run build`);
  }
  return cached;
}

/** JSON safe inside a <script> element: no '</script>' or '<!--' can end or confuse it. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/**
 * The dashboard page: one HTML file with its script, styles and (for a report) the run's events
 * inline. The live page gets its events from /events instead. The Content-Security-Policy lets the
 * page load nothing from anywhere (the report) or only its own server's events (live).
 */
export function pageHtml(opts: { mode: 'live' | 'report'; title: string; events?: readonly DashboardEvent[] }): string {
  const { js, css } = assets();
  const connect = opts.mode === 'live' ? "connect-src 'self'" : "connect-src 'none'";
  const csp = `default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; ${connect}`;
  const data = opts.events === undefined ? '' : `<script type="application/json" id="loadts-events">${scriptJson(opts.events)}</script>\n`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="color-scheme" content="light dark">
<link rel="icon" href="data:,">
<title>${escapeHtml(opts.title)}</title>
<style>${css}</style>
</head>
<body data-mode="${opts.mode}">
<main id="app"></main>
${data}<script>${js.replace(/<\/script/gi, '<\\/script')}</script>
</body>
</html>
`;
}
