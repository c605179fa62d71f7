import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoTargetProcess, fixtureDir, loadts, readJson, testServer } from './helpers.js';

/**
 * The open model, exactly: against a 5 ms loopback target, arrival-rate executors start the
 * scheduled number of iterations at their scheduled times.
 */
describe('arrival-rate precision', () => {
  let arrivals: number[] = [];
  let server: Awaited<ReturnType<typeof testServer>>;
  beforeAll(async () => {
    server = await testServer((_req, res) => {
      arrivals.push(performance.now());
      setTimeout(() => res.end('ok'), 5);
    });
  });
  afterAll(() => server.close());
  // The demo target in its own process for the count test: a target inside the vitest worker adds
  // that process's own stalls to the target's latency, and VUs held up there are VUs the open model
  // cannot start iterations on.
  let target: Awaited<ReturnType<typeof demoTargetProcess>>;
  beforeAll(async () => {
    target = await demoTargetProcess({ warm: true });
  });
  afterAll(() => target.close());

  it('constant-arrival-rate 2000/s for 10 s completes 20,000 iterations ±0.5%', async () => {
    arrivals = [];
    const dir = fixtureDir({
      'script.ts': `
        import http from 'loadts/http';
        // maxVUs leaves room for the first half second, when connections are new and code is cold
        // and the same rate needs several times the VUs; what is measured is the schedule.
        export const options = { scenarios: { open: { executor: 'constant-arrival-rate', rate: 2000, timeUnit: '1s', duration: '10s', preAllocatedVUs: 50, maxVUs: 200 } } };
        export default async function () { await http.get(__ENV.TARGET + '/delay/5'); }
      `,
    });
    const r = await loadts(['run', '--quiet', '--no-summary', '-e', `TARGET=${target.url}`, '--summary-export', 'o.json', 'script.ts'], { cwd: dir, timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    const m = readJson(join(dir, 'o.json')).metrics;
    expect(Math.abs(m.iterations.count - 20_000)).toBeLessThanOrEqual(100);
    expect(m.dropped_iterations?.count ?? 0).toBeLessThanOrEqual(100);
    // and on time: most iterations start within a few ms of their intended time
    expect(m.iteration_start_lag['p(95)']).toBeLessThan(10);
    console.log(`constant-arrival-rate: ${m.iterations.count} iterations, dropped ${m.dropped_iterations?.count ?? 0}, start lag p(95) ${m.iteration_start_lag['p(95)']} ms`);
  });

  it('ramping-arrival-rate 0→2000/s over 10 s completes 10,000 ±1%, each second within ±3% of the ramp', async () => {
    arrivals = [];
    const dir = fixtureDir({
      'script.ts': `
        import http from 'loadts/http';
        export const options = { scenarios: { ramp: { executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '1s', preAllocatedVUs: 50, maxVUs: 200, stages: [{ duration: '10s', target: 2000 }] } } };
        export default async function () { await http.get(__ENV.TARGET + '/'); }
      `,
    });
    const r = await loadts(['run', '--quiet', '--no-summary', '-e', `TARGET=${server.url}`, '--summary-export', 'o.json', 'script.ts'], { cwd: dir, timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    const m = readJson(join(dir, 'o.json')).metrics;
    expect(Math.abs(m.iterations.count - 10_000)).toBeLessThanOrEqual(100);
    // Buckets by arrival time at the server, from the first arrival: second k should get
    // the ramp's integral over [k, k+1) = 100·(2k+1).
    const t0 = arrivals[0]!;
    const buckets = new Array(10).fill(0);
    for (const t of arrivals) {
      const k = Math.floor((t - t0) / 1000);
      if (k >= 0 && k < 10) buckets[k]++;
    }
    const report: string[] = [];
    for (let k = 1; k < 10; k++) {
      const expected = 100 * (2 * k + 1);
      report.push(`${k}s: ${buckets[k]} / ${expected}`);
      expect(Math.abs(buckets[k] - expected) / expected).toBeLessThanOrEqual(0.03);
    }
    console.log(`ramping-arrival-rate: ${m.iterations.count} iterations; per second ${report.join(', ')}`);
  });
});
