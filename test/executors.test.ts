import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir, loadts, readJson, testServer } from './helpers.js';

/**
 * One suite for every executor: each case is a scenario config and what its run must show,
 * checked the same way through the real CLI, real workers and a loopback server.
 */
interface Case {
  executor: string;
  scenario: Record<string, unknown>;
  /** Exact iteration count, or [min, max]. */
  iterations: number | [number, number];
  vusMax: number;
  maxSeconds: number;
}

const cases: Case[] = [
  { executor: 'shared-iterations', scenario: { executor: 'shared-iterations', vus: 3, iterations: 31 }, iterations: 31, vusMax: 3, maxSeconds: 10 },
  { executor: 'per-vu-iterations', scenario: { executor: 'per-vu-iterations', vus: 3, iterations: 7 }, iterations: 21, vusMax: 3, maxSeconds: 10 },
  { executor: 'constant-vus', scenario: { executor: 'constant-vus', vus: 3, duration: '1s' }, iterations: [30, 400], vusMax: 3, maxSeconds: 10 },
  { executor: 'ramping-vus', scenario: { executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '500ms', target: 4 }, { duration: '500ms', target: 4 }] }, iterations: [15, 400], vusMax: 4, maxSeconds: 10 },
  { executor: 'constant-arrival-rate', scenario: { executor: 'constant-arrival-rate', rate: 50, timeUnit: '1s', duration: '1s', preAllocatedVUs: 2, maxVUs: 5 }, iterations: 50, vusMax: 5, maxSeconds: 10 },
  { executor: 'ramping-arrival-rate', scenario: { executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '1s', preAllocatedVUs: 2, maxVUs: 5, stages: [{ duration: '1s', target: 100 }] }, iterations: 50, vusMax: 5, maxSeconds: 10 },
  { executor: 'externally-controlled', scenario: { executor: 'externally-controlled', vus: 2, maxVUs: 4, duration: '1s' }, iterations: [15, 300], vusMax: 2, maxSeconds: 10 },
];

describe('every executor, through one suite', () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  beforeAll(async () => {
    server = await testServer((_req, res) => setTimeout(() => res.end('ok'), 5));
  });
  afterAll(() => server.close());

  for (const c of cases) {
    it(`${c.executor}: iterations, VUs, scenario tag`, async () => {
      const dir = fixtureDir({
        'script.ts': `
          import http from 'loadts/http';
          import { sleep } from 'loadts';
          export const options = {
            scenarios: { main: ${JSON.stringify(c.executor === 'externally-controlled' ? c.scenario : { ...c.scenario, gracefulStop: '2s' })} },
            thresholds: { 'iterations{scenario:main}': ['count>0'] },
          };
          export default async function () { await http.get(__ENV.TARGET + '/'); await sleep(0.02); }
        `,
      });
      const started = Date.now();
      const r = await loadts(['run', '--workers', '2', '-e', `TARGET=${server.url}`, '--summary-export', 'o.json', 'script.ts'], { cwd: dir });
      expect(r.stderr).not.toMatch(/error/i);
      expect(r.code).toBe(0);
      expect(Date.now() - started).toBeLessThan(c.maxSeconds * 1000);
      const m = readJson(join(dir, 'o.json')).metrics;
      const n = m.iterations.count;
      // open-model executors schedule exactly; an iteration the VUs could not take is dropped, not lost
      if (typeof c.iterations === 'number') expect(n + (m.dropped_iterations?.count ?? 0)).toBe(c.iterations);
      else {
        expect(n).toBeGreaterThanOrEqual(c.iterations[0]);
        expect(n).toBeLessThanOrEqual(c.iterations[1]);
      }
      expect(m['iterations{scenario:main}'].count).toBe(n);
      expect(m.vus_max.max).toBeLessThanOrEqual(c.vusMax);
      expect(m.http_reqs.count).toBe(n);
    });
  }

  it('a high-rate open model is warmed up first: no warm-up request reaches the target, no warm-up sample reaches the results', async () => {
    let received = 0;
    const counting = await testServer((_req, res) => {
      received++;
      res.end('ok');
    });
    const dir = fixtureDir({
      'script.ts': `
        import http from 'loadts/http';
        export const options = {
          scenarios: { main: { executor: 'constant-arrival-rate', rate: 400, timeUnit: '1s', duration: '1s', preAllocatedVUs: 10, maxVUs: 50 } },
        };
        export default async function () { await http.get(__ENV.TARGET + '/'); }
      `,
    });
    // one worker at 400/s: over the 200/s per worker from which the warm-ups run
    const r = await loadts(['run', '--quiet', '--workers', '1', '-e', `TARGET=${counting.url}`, '--summary-export', 'o.json', 'script.ts'], { cwd: dir, env: { LOADTS_TRACE: '1' } });
    await counting.close();
    expect(r.stderr).toMatch(/warm-up: \d+ iterations in \d+ ms/);
    expect(r.code).toBe(0);
    const m = readJson(join(dir, 'o.json')).metrics;
    expect(m.iterations.count + (m.dropped_iterations?.count ?? 0)).toBe(400);
    expect(m.http_reqs.count).toBe(m.iterations.count);
    // the warm-up's own requests (hundreds) went to a private server and into a scratch registry
    expect(received).toBe(m.http_reqs.count);
  });

  it('runs several scenarios concurrently with startTime, exec and per-scenario env and tags', async () => {
    const dir = fixtureDir({
      'script.ts': `
        import http from 'loadts/http';
        export const options = {
          scenarios: {
            browse: { executor: 'constant-vus', vus: 2, duration: '1s', tags: { kind: 'closed' } },
            api: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '1s', preAllocatedVUs: 2, maxVUs: 10, startTime: '500ms', exec: 'api', env: { PATH_PART: 'api' } },
          },
          thresholds: { 'http_reqs{scenario:api}': ['count==20'], 'http_reqs{kind:closed}': ['count>5'] },
        };
        export default async function () { await http.get(__ENV.TARGET + '/browse'); }
        export async function api() { await http.get(__ENV.TARGET + '/' + __ENV.PATH_PART); }
      `,
    });
    const started = Date.now();
    const r = await loadts(['run', '--workers', '2', '-e', `TARGET=${server.url}`, '--summary-export', 'o.json', 'script.ts'], { cwd: dir });
    expect(r.code).toBe(0);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(8000);
    const m = readJson(join(dir, 'o.json')).metrics;
    expect(m['http_reqs{scenario:api}'].count).toBe(20);
  });

  it('drops iterations when maxVUs cannot keep up, and counts them', async () => {
    const dir = fixtureDir({
      'script.ts': `
        import { sleep } from 'loadts';
        export const options = {
          scenarios: { open: { executor: 'constant-arrival-rate', rate: 100, timeUnit: '1s', duration: '1s', preAllocatedVUs: 2, maxVUs: 2 } },
        };
        export default async function () { await sleep(0.2); }
      `,
    });
    const r = await loadts(['run', '--workers', '1', '--summary-export', 'o.json', 'script.ts'], { cwd: dir });
    expect(r.code).toBe(0);
    const m = readJson(join(dir, 'o.json')).metrics;
    // 2 VUs × 200 ms each can start ~10 iterations in 1 s; the rest of the 100 are dropped
    expect(m.iterations.count + m.dropped_iterations.count).toBe(100);
    expect(m.dropped_iterations.count).toBeGreaterThan(80);
    expect(m.vus_max.max).toBe(2);
  });

  it('ends on time when a ramp goes down to 0 VUs (no wait for gracefulStop)', async () => {
    const dir = fixtureDir({
      'script.ts': `
        import { sleep } from 'loadts';
        export const options = { stages: [{ duration: '700ms', target: 6 }, { duration: '700ms', target: 0 }] };
        export default async function () { await sleep(0.05); }
      `,
    });
    const started = Date.now();
    const r = await loadts(['run', '--workers', '2', '--summary-export', 'o.json', 'script.ts'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(6000);
    const out = readJson(join(dir, 'o.json'));
    expect(out.loadts.stages.map((s: { stage: number }) => s.stage)).toEqual([0, 1]);
    expect(out.metrics['iterations'].count).toBeGreaterThan(20);
  });

  it('interrupts iterations still running after gracefulStop and counts them as interrupted', async () => {
    const dir = fixtureDir({
      'script.ts': `
        import { sleep } from 'loadts';
        export const options = { scenarios: { s: { executor: 'constant-vus', vus: 2, duration: '500ms', gracefulStop: '200ms' } } };
        export default async function () { await sleep(5); }
      `,
    });
    const started = Date.now();
    const r = await loadts(['run', '--workers', '1', '--summary-export', 'o.json', 'script.ts'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(4000);
    const out = readJson(join(dir, 'o.json'));
    expect(out.metrics.iterations).toBeUndefined();
    expect(out.loadts.iterations.interrupted).toBe(2);
  });
});
