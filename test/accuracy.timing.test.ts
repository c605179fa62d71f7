import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoTargetProcess, fixtureDir, loadts, readJson } from './helpers.js';

/** Measured numbers match a server with known timings. */
describe('measurement accuracy against the demo target', () => {
  let target: Awaited<ReturnType<typeof demoTargetProcess>>;
  beforeAll(async () => {
    target = await demoTargetProcess({ warm: true });
  });
  afterAll(() => target.close());

  it('p50 of http_req_duration is within 2 ms of a 50 ms server delay', async () => {
    const dir = fixtureDir({
      'script.ts': `
        import http from 'loadts/http';
        export const options = { vus: 5, iterations: 100, summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(99)'] };
        export default async function () { await http.get(__ENV.BASE_URL + '/delay/50'); }
      `,
    });
    const r = await loadts(['run', '--workers', '1', '--summary-export', 'o.json', 'script.ts'], { cwd: dir, env: { BASE_URL: target.url } });
    expect(r.code).toBe(0);
    const d = readJson(join(dir, 'o.json')).metrics.http_req_duration;
    const w = readJson(join(dir, 'o.json')).metrics.http_req_waiting;
    console.log(`/delay/50: http_req_duration p50 ${d.med.toFixed(2)} ms, min ${d.min.toFixed(2)} ms; http_req_waiting p50 ${w.med.toFixed(2)} ms`);
    expect(Math.abs(d.med - 50)).toBeLessThan(2);
    expect(d.min).toBeGreaterThanOrEqual(49.5);
    expect(d['p(99)']).toBeGreaterThanOrEqual(d.med);
    expect(Math.abs(w.med - 50)).toBeLessThan(2);
  });

  it('ramping stages move the VU count and tag samples with the stage', async () => {
    const dir = fixtureDir({
      'script.ts': `
        import http from 'loadts/http';
        import { sleep } from 'loadts';
        export const options = {
          stages: [{ duration: '1s', target: 4 }, { duration: '1s', target: 4 }, { duration: '500ms', target: 0 }],
          thresholds: { 'http_reqs{stage:1}': ['count>0'] },
        };
        export default async function () { await http.get(__ENV.BASE_URL + '/'); await sleep(0.05); }
      `,
    });
    const r = await loadts(['run', '--workers', '2', '--summary-export', 'o.json', 'script.ts'], { cwd: dir, env: { BASE_URL: target.url } });
    expect(r.code).toBe(0);
    const m = readJson(join(dir, 'o.json')).metrics;
    expect(m.vus_max.max).toBe(4);
    expect(m.vus.max).toBe(4);
    expect(m['http_reqs{stage:1}'].count).toBeGreaterThan(20);
  });
});
