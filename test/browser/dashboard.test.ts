import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REPORT_TICKS, recordEvents, renderReport } from '../../engine/dashboard/report.js';
import type { LoadLevel, RunRecord } from '../../engine/record/types.js';
import { viewRecord } from '../../engine/record/view.js';
import { fixtureDir, loadts, readJson, testServer, type CliResult } from '../helpers.js';
import { ARTIFACTS, chartInk, launchChromium, watch } from './chromium.js';

/** A ramping run with checks, groups, a custom trend and counter, and a threshold: everything the page shows. */
const SCRIPT = `
import http from 'loadts/http';
import { check, group, sleep } from 'loadts';
import { Counter, Trend } from 'loadts/metrics';
const think = new Trend('think_time', true);
const orders = new Counter('orders');
export const options = {
  stages: [{ duration: '2s', target: 3 }, { duration: '2s', target: 8 }, { duration: '2s', target: 2 }],
  thresholds: { http_req_duration: ['p(95)<2000'], checks: ['rate>0.5'], think_time: ['avg<1000'] },
};
export default async function () {
  await group('shop', async () => {
    const res = await http.get(__ENV.BASE_URL + '/item');
    check(res, { 'status is 200': (r) => r.status === 200 });
    orders.add(1);
  });
  think.add(20 + (__ITER % 5));
  await sleep(0.05);
}
`;

let browser: Browser;
let dir: string;
let run: CliResult;
let record: RunRecord;
const vuSeen: number[] = [];
let ticksAtFirstLook = 0;
let ended = { status: '', ticks: 0 };
let snapshot = '';

beforeAll(async () => {
  browser = await launchChromium();
  const server = await testServer((_req, res) => setTimeout(() => res.end('ok'), 5));
  dir = fixtureDir({ 'script.ts': SCRIPT });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const log = watch(page);
  let opened: Promise<void> | undefined;
  try {
    run = await loadts(['run', '--quiet', '--out', `record=${join(dir, 'run.json')}`, '--out', `report=${join(dir, 'report.html')}`, 'script.ts'], {
      cwd: dir,
      env: { BASE_URL: server.url, K6_WEB_DASHBOARD: 'true', K6_WEB_DASHBOARD_PORT: '0', K6_WEB_DASHBOARD_PERIOD: '1s', K6_WEB_DASHBOARD_EXPORT: 'export.html' },
      onStdout: (text) => {
        const url = /web dashboard: (http:\/\/\S+)/.exec(text)?.[1];
        if (url !== undefined && opened === undefined) opened = watchLive(page, url);
      },
    });
    await opened;
    expect(log.errors).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-live-end.png'), fullPage: true });
  } finally {
    await page.close();
    await server.close();
  }
  record = readJson<RunRecord>(join(dir, 'run.json'));
}, 90_000);

/** Connects mid-run (history must be replayed), samples the VU count until the page says the run ended. */
async function watchLive(page: import('playwright-core').Page, url: string): Promise<void> {
  await new Promise((r) => setTimeout(r, 3500));
  await page.goto(url);
  await page.waitForFunction(() => Number(document.body.dataset.ticks ?? 0) > 0);
  ticksAtFirstLook = Number(await page.evaluate(() => document.body.dataset.ticks));
  snapshot = await (await fetch(`${url}/report`)).text();
  for (let i = 0; i < 60; i++) {
    const [vus, state] = await page.evaluate(() => [Number(document.querySelector('#kpi-vus .value')?.getAttribute('data-value')), document.body.dataset.state]);
    vuSeen.push(vus as number);
    if (i === 4) await page.screenshot({ path: join(ARTIFACTS, 'dashboard-live.png'), fullPage: true });
    if (state === 'ended') break;
    await new Promise((r) => setTimeout(r, 250));
  }
  await new Promise((r) => setTimeout(r, 300));
  ended = { status: (await page.textContent('#status')) ?? '', ticks: Number(await page.evaluate(() => document.body.dataset.ticks)) };
}

afterAll(async () => {
  await browser?.close();
});

describe('the live dashboard', () => {
  it('prints its URL, shows the history to a browser that connects mid-run, and its VU count changes', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/web dashboard: http:\/\/127\.0\.0\.1:\d+/);
    expect(ticksAtFirstLook).toBeGreaterThanOrEqual(2);
    expect(new Set(vuSeen.filter((v) => v > 0)).size).toBeGreaterThanOrEqual(2);
  });

  it('offers a report of the run so far at /report', () => {
    expect(snapshot).toMatch(/<script type="application\/json" id="loadts-events">\[\{"type":"start"/);
    expect(snapshot).not.toMatch(/"type":"end"/);
  });

  it('says the run ended and keeps its final state; the process did not wait for the browser', () => {
    expect(ended.status).toMatch(/finished: passed/);
    expect(ended.ticks).toBeGreaterThanOrEqual(5);
  });
});

describe('the HTML report', () => {
  it('is the same file from --out report, K6_WEB_DASHBOARD_EXPORT and loadts report', async () => {
    const report = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(readFileSync(join(dir, 'export.html'), 'utf8')).toBe(report);
    const again = await loadts(['report', 'run.json', '-o', 'again.html'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(join(dir, 'again.html'), 'utf8')).toBe(report);
  });

  it('charts ticks that add up to the run record', () => {
    const ticks = recordEvents(record).filter((e) => e.type === 'tick');
    const sum = (f: (t: (typeof ticks)[number] & { type: 'tick' }) => number) => ticks.reduce((a, t) => a + (t.type === 'tick' ? f(t) : 0), 0);
    const { aggregate } = viewRecord(record);
    expect(sum((t) => t.reqs)).toBe(aggregate.values('http_reqs', undefined, [], 1)!.count);
    expect(sum((t) => t.iterations)).toBe(aggregate.values('iterations', undefined, [], 1)!.count);
  });

  it('stays under 2 MB for a 1-hour run (this run stretched to an hour: 900 ticks of 4 s, as a 1-hour report has)', () => {
    const long: RunRecord = structuredClone(record);
    long.timeSeries.intervalMs = 4000;
    for (const s of long.timeSeries.series) {
      const data = s.data;
      s.index = Array.from({ length: 900 }, (_, i) => i);
      s.data = s.index.map((i) => data[i % data.length]!);
    }
    const events = recordEvents(long);
    expect(events.filter((e) => e.type === 'tick').length).toBeLessThanOrEqual(MAX_REPORT_TICKS);
    expect(Buffer.byteLength(renderReport(long))).toBeLessThan(2_000_000);
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`opens offline in ${colorScheme} mode: no console errors, no requests, every chart drawn`, async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme });
      const log = watch(page);
      const url = pathToFileURL(join(dir, 'report.html')).href;
      await page.goto(url);
      await page.waitForFunction(() => document.body.dataset.state === 'ended');
      await page.waitForTimeout(200);
      const charts = await chartInk(page);
      await page.screenshot({ path: join(ARTIFACTS, `report-${colorScheme}.png`), fullPage: true });
      await page.close();
      expect(log.errors).toEqual([]);
      expect(log.requests).toEqual([url]);
      expect(charts.map((c) => c.id)).toEqual(expect.arrayContaining(['vus', 'throughput', 'errors', 'latency', 'data', 'checks', 'load-latency', 'degradation', 'trend-think_time', 'counter-orders']));
      for (const c of charts) expect(c, c.id).toMatchObject({ ink: expect.any(Number) }), expect(c.ink, `${c.id} has no lines`).toBeGreaterThan(20);
    });
  }

  it("shows the run record's numbers in its tables", async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(dir, 'report.html')).href);
    await page.waitForFunction(() => document.body.dataset.state === 'ended');
    const read = (selector: string) => page.$$eval(selector, (cells) => cells.map((c) => Number(c.getAttribute('data-value'))));
    const { aggregate } = viewRecord(record);
    const trend = aggregate.values('http_req_duration', undefined, ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'], record.durationMs)!;
    expect(await read('tr[data-metric="http_req_duration"] td.num')).toEqual(Object.values(trend));
    expect(await read('tr[data-metric="http_reqs"] td.num')).toEqual([aggregate.values('http_reqs', undefined, [], record.durationMs)!.count, aggregate.values('http_reqs', undefined, [], record.durationMs)!.rate]);
    expect(await read('table.thresholds td.num')).toEqual(record.thresholds.map((t) => t.value));
    // the record's load-level table, lowest load first (a ramp at its midpoint)
    expect(record.loadLevels).toHaveLength(3);
    const mid = (l: LoadLevel) => (l.load.from === undefined ? l.load.value : (l.load.from + l.load.value) / 2);
    const levelCells = [...record.loadLevels!].sort((a, b) => mid(a) - mid(b)).flatMap((l) => [mid(l), l.requestsPerSec, l.iterationsPerSec, l.p50, l.p95, l.p99, l.errorRate, l.rateLimitedRate, l.droppedIterations, l.generatorCpu]);
    expect(await read('table.levels td.num[data-value]')).toEqual(levelCells.filter((v) => v !== undefined));
    const check = record.rootGroup.groups[0]!.checks[0]!;
    expect(await read('table.checks-table td.num')).toEqual([check.passes, check.fails, check.passes / (check.passes + check.fails)]);
    await page.close();
  });
});
