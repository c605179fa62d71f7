// How long Chromium takes to open an HTML report and draw it (docs/dashboard.md):
//   node bench/dashboard/open-time.mjs report.html [runs]
// Each run is a fresh page: navigation start until the page has drawn every chart (its
// body[data-state] says 'ended' once the embedded events are rendered), as seen by the browser.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [file, runsText = '5'] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: node bench/dashboard/open-time.mjs report.html [runs]');
const url = pathToFileURL(resolve(file)).href;
const browser = await chromium.launch({
  executablePath: process.env.LOADTS_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const times = [];
for (let i = 0; i < Number(runsText); i++) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => document.body?.dataset.state === 'ended' && document.querySelectorAll('figure.chart canvas').length > 0);
  // performance.now() counts from the navigation's start, in the page's own clock
  times.push(await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now())))));
  await page.close();
}
await browser.close();
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`${file}: ${(statSync(file).size / 1024).toFixed(0)} kB, drawn in ${median.toFixed(0)} ms (median of ${times.length}; ${times.map((t) => t.toFixed(0)).join(', ')} ms)`);
