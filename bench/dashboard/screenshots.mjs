// The screenshots in docs/img/ (docs/dashboard.md): a 40-second run of report-load.ts with the live
// dashboard, shot mid-run, then its HTML report in the light and the dark scheme.
//   npm run build && node bench/dashboard/screenshots.mjs
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../..', import.meta.url));
const img = join(root, 'docs/img');
const dir = mkdtempSync(join(tmpdir(), 'loadts-shots-'));
const browser = await chromium.launch({
  executablePath: process.env.LOADTS_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const shoot = async (url, path, colorScheme, wait) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, colorScheme, deviceScaleFactor: 1 });
  await page.goto(url);
  await wait(page);
  await page.waitForTimeout(300);
  await page.screenshot({ path });
  return page;
};

const child = spawn(process.execPath, [join(root, 'bin/loadts.js'), 'run', '--quiet', '--out', `record=${join(dir, 'run.json')}`, '--out', `report=${join(dir, 'report.html')}`, join(root, 'bench/dashboard/report-load.ts')], {
  cwd: dir,
  env: { ...process.env, DURATION: '40', VUS: '30', K6_WEB_DASHBOARD: 'true', K6_WEB_DASHBOARD_PORT: '0', K6_WEB_DASHBOARD_PERIOD: '1s' },
  stdio: ['ignore', 'ignore', 'pipe'],
});
let stderr = '';
const url = await new Promise((resolve) => child.stderr.on('data', (d) => (stderr += d) && /web dashboard: (\S+)/.test(stderr) && resolve(/web dashboard: (\S+)/.exec(stderr)[1])));
await new Promise((r) => setTimeout(r, 26_000));
const live = await shoot(url, join(img, 'dashboard-live.png'), 'light', (p) => p.waitForFunction(() => Number(document.body.dataset.ticks) > 10));
await new Promise((r) => child.on('close', r));
await live.close();
const report = pathToFileURL(join(dir, 'report.html')).href;
const ended = (p) => p.waitForFunction(() => document.body.dataset.state === 'ended');
await (await shoot(report, join(img, 'report-light.png'), 'light', ended)).close();
const dark = await shoot(report, join(img, 'report-dark.png'), 'dark', ended);
await dark.evaluate(() => document.getElementById('degradation').scrollIntoView());
await dark.screenshot({ path: join(img, 'report-degradation-dark.png') });
await browser.close();
console.log(`screenshots in ${img}; the run is in ${dir}`);
