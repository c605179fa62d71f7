import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir, loadts, testServer } from './helpers.js';
import { finalTotals, perInterval, readRecordFile, schemaErrors } from './record-helpers.js';

/**
 * The workers' reports land in the interval they measured: a ramping-arrival-rate test on two
 * workers, whose request count per 1 s interval of the record is set by the ramp. The rate goes
 * 0 → 100/s over 4 s, holds 100/s for 2 s: F(t) = 12.5 t² iterations by t s, then 200 + 100 (t − 4).
 * The intervals start at the run's origin, not at the load's start (run.loadStartedAtMs), so each
 * interval expects F(end − start) − F(begin − start).
 */
const F = (t: number) => (t <= 0 ? 0 : t <= 4 ? 12.5 * t * t : Math.min(400, 200 + 100 * (t - 4)));

/**
 * Measured on this 2-core machine with other sessions' load on it (load average 10-12), 19 runs:
 * most intervals within 2 of F's count, the worst 6 (iterations of a loaded worker that started
 * ~60 ms late and counted in the next interval, which then had 6 more). Each report fires a few ms
 * after its boundary too. Allowed: 8 requests, or 8% of the interval's count.
 */
const allowed = (expected: number) => Math.max(8, 0.08 * expected);

describe('the time series of a ramping test', () => {
  let requests = 0;
  let server: Awaited<ReturnType<typeof testServer>>;
  beforeAll(async () => {
    server = await testServer((_req, res) => {
      requests++;
      res.end('ok');
    });
  });
  afterAll(() => server.close());

  it('has per-interval request counts (with the iterations dropped) that follow the ramp', async () => {
    const dir = fixtureDir({
      'ramp.ts': `
        import http from 'k6/http';
        export const options = {
          scenarios: {
            ramp: {
              executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '1s', preAllocatedVUs: 20,
              stages: [{ duration: '4s', target: 100 }, { duration: '2s', target: 100 }],
            },
          },
        };
        export default async function () {
          await http.get(__ENV.TARGET + '/');
        }
      `,
    });
    const r = await loadts(['run', '-q', '--workers', '2', '-e', `TARGET=${server.url}`, '--out', 'record=run.json', 'ramp.ts'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const record = readRecordFile(join(dir, 'run.json'));
    expect(schemaErrors(record)).toEqual([]); // with the per-stage table's rows
    expect(record.stages.map((s) => [s.stage, s.from, s.target])).toEqual([
      [0, 0, 100],
      [1, 100, 100],
    ]);
    expect(finalTotals(record, 'http_reqs').sum).toBe(requests);
    // On a busy machine a few iterations can find no free VU: they count as dropped, in their interval.
    const dropped = finalTotals(record, 'dropped_iterations').sum;
    expect(requests + dropped).toBe(400);
    const start = record.run.loadStartedAtMs!;
    const { originMs, intervalMs } = record.timeSeries;
    expect(start).toBeGreaterThan(originMs);
    const counts = perInterval(record, 'http_reqs');
    for (const [i, n] of perInterval(record, 'dropped_iterations')) counts.set(i, (counts.get(i) ?? 0) + n);
    const rows: Array<{ interval: number; got: number; expected: number }> = [];
    const first = Math.floor((start - originMs) / intervalMs);
    for (let i = first; i <= first + 7; i++) {
      const from = (originMs + i * intervalMs - start) / 1000;
      const to = from + intervalMs / 1000;
      rows.push({ interval: i, got: counts.get(i) ?? 0, expected: Math.round(F(to) - F(from)) });
    }
    expect([...counts.keys()].every((i) => i >= first && i <= first + 7)).toBe(true);
    const off = rows.filter((row) => Math.abs(row.got - row.expected) > allowed(row.expected));
    expect(off, JSON.stringify(rows)).toEqual([]);
    // and the ramp shows: the counts grow over the first four seconds of load
    const growing = rows.slice(1, 4).map((row) => row.got);
    expect(growing).toEqual([...growing].sort((a, b) => a - b));
  });
});
