import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../engine/dashboard/report.js';
import type { LoadLevel, RunRecord } from '../../engine/record/types.js';
import { capServer, fixtureDir, loadts, readJson, type CliResult } from '../helpers.js';
import { ARTIFACTS, chartInk, launchChromium, watch, type PageLog } from './chromium.js';

/**
 * The report of a real `loadts capacity` record (its load-level view: the curve, the knee and the
 * maximum sustainable load marked, the verdict, the level table) and of a priced LLM run (its cost),
 * opened in Chromium. The two commands run at once, in about 8 s. The search runs against capServer:
 * latency climbs with the requests in flight.
 */

const CAPACITY = `
  import http from 'loadts/http';
  export default async function () { await http.get(__ENV.BASE_URL + '/cap'); }
`;

/** 10 requests to the demo target's chat mock: 10 prompt and 20 completion tokens each, at $1000 and $2000 a million. */
const LLM = `
  import llm from 'loadts/llm';
  llm.configure({ prices: { 'mock-a': { input: 1000, output: 2000 } } });
  export const options = { scenarios: { chat: { executor: 'shared-iterations', vus: 2, iterations: 10 } } };
  export default async function () {
    await llm.chat(__ENV.BASE_URL + '/v1/chat/completions?ttft=5&tokens=20&gap=1', { model: 'mock-a', messages: [{ role: 'user', content: 'hi' }], stream_options: { include_usage: true } });
  }
`;

let browser: Browser;
const dir = fixtureDir({ 'cap.ts': CAPACITY, 'llm.ts': LLM });
let cap: CliResult;
let llm: CliResult;

beforeAll(async () => {
  const server = await capServer();
  try {
    [browser, cap, llm] = await Promise.all([
      launchChromium(),
      loadts(['capacity', '--model', 'closed', '--start', '2', '--slo', 'http_req_duration: p(95)<150', '--level-duration', '500ms', '--warmup', '300ms', '--max-levels', '4', '--no-step-summary', '--out', 'record=cap.json', 'cap.ts'], { cwd: dir, env: { BASE_URL: server.url } }),
      loadts(['run', '-q', '--out', 'report=llm.html', 'llm.ts'], { cwd: dir }),
    ]);
  } finally {
    await server.close();
  }
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** Opens a report; screenshots its section `section` (the whole page takes a second to shoot). */
async function open(file: string, section: string, shot: string): Promise<{ page: Page; log: PageLog }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const log = watch(page);
  await page.goto(pathToFileURL(join(dir, file)).href);
  await page.waitForFunction(() => document.body.dataset.state === 'ended');
  await page.waitForTimeout(200);
  await page.locator(section).screenshot({ path: join(ARTIFACTS, shot) });
  return { page, log };
}

describe("the report of a capacity search's record", () => {
  it('draws latency and errors against load, marks the knee and the maximum sustainable load, and has the verdict and every level', async () => {
    expect([0, 99], cap.stderr).toContain(cap.code); // 99: no level passed (a very busy machine)
    const record = readJson<RunRecord>(join(dir, 'cap.json'));
    writeFileSync(join(dir, 'cap.html'), renderReport(record)); // what `loadts report cap.json` writes (test/browser/dashboard.test.ts)
    const capacity = record.capacity!;
    const levels = record.loadLevels!;
    expect(levels.length).toBeGreaterThanOrEqual(2);
    const { page, log } = await open('cap.html', '#degradation', 'report-capacity.png'); // docs/img/report-capacity.png
    try {
      expect(log.errors).toEqual([]);
      const charts = await chartInk(page);
      const curve = charts.find((c) => c.id === 'load-latency');
      expect(curve, JSON.stringify(charts)).toBeDefined();
      expect(curve!.points).toBe(levels.filter((l) => l.durationMs > 0).length);
      expect(curve!.ink).toBeGreaterThan(20);
      expect(charts.find((c) => c.id === 'degradation')!.ink).toBeGreaterThan(20);
      const marks = JSON.parse((await page.getAttribute('#chart-load-latency', 'data-marks')) ?? '[]') as Array<{ x: number; label: string }>;
      const expected = [...(capacity.maxSustainable === undefined ? [] : [capacity.maxSustainable]), ...(capacity.knee === undefined ? [] : [capacity.knee.load])];
      expect(marks.map((m) => m.x)).toEqual(expected);
      expect(await page.textContent('#capacity-verdict')).toBe(`Verdict: ${capacity.verdict}`);
      const rows = await page.$$eval('table.levels tbody tr', (trs) =>
        trs.map((tr) => ({
          label: tr.querySelector('td')!.textContent,
          values: [...tr.querySelectorAll('td.num')].map((c) => (c.hasAttribute('data-value') ? Number(c.getAttribute('data-value')) : null)),
          verdict: tr.querySelector('td.verdict')!.classList[1],
        })),
      );
      const want = (l: LoadLevel) => [l.load.value, l.requestsPerSec, l.iterationsPerSec, l.p50, l.p95, l.p99, l.errorRate, l.rateLimitedRate, l.droppedIterations, l.generatorCpu, l.targetRssBytes].map((v) => v ?? null);
      expect(rows).toEqual([...levels].sort((a, b) => a.load.value - b.load.value).map((l) => ({ label: l.label, values: want(l), verdict: l.verdict })));
    } finally {
      await page.close();
    }
  });
});

describe('the report of a priced LLM run', () => {
  it('shows the cost in all, per request and per 1,000 tokens, as the summary does', async () => {
    expect(llm.code, llm.stderr).toBe(0);
    const { page, log } = await open('llm.html', '#llm-cost', 'report-llm-cost.png');
    try {
      expect(log.errors).toEqual([]);
      // each request: (10 × $1000 + 20 × $2000) / 1M = $0.05; 10 of them, 300 tokens
      const cells = await page.$$eval('table.llm-cost td.num', (tds) => tds.map((c) => Number(c.getAttribute('data-value'))));
      expect(cells[0]).toBeCloseTo(0.5, 10);
      expect(cells[1]).toBeCloseTo(0.05, 10);
      expect(cells[2]).toBeCloseTo((0.5 / 300) * 1000, 10);
      expect(cells.slice(3)).toEqual([10, 100, 200]);
      expect(await page.textContent('table.llm-cost')).toMatch(/per request\$0\.0500/);
      expect(await page.textContent('#kpi-llm-cost')).toMatch(/\$0\.500.*\$0\.0500 per request · \$1\.67 per 1,000 tokens/);
    } finally {
      await page.close();
    }
  });
});
