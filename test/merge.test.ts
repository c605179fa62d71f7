import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir, loadts, readJson, testServer } from './helpers.js';
import { buckets, histogramOf, sum } from './fleet-helpers.js';

/** `loadts merge` of records written by separate `loadts run --execution-segment` processes. */
describe('loadts merge', () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  beforeAll(async () => {
    server = await testServer((req, res) => setTimeout(() => res.end('ok'), (req.url?.length ?? 0) % 5));
  });
  afterAll(() => server.close());

  const script = (threshold: string) => `
    import http from 'loadts/http';
    export const options = { scenarios: { s: { executor: 'shared-iterations', vus: 4, iterations: 301 } }, thresholds: { http_req_duration: ['${threshold}'] } };
    export default async function () { await http.get(__ENV.TARGET + '/m'); }
  `;
  const dir = fixtureDir({ 'ok.ts': script('p(95)<5000'), 'strict.ts': script('p(95)<0.001') });
  const part = (file: string, segment: string, out: string) =>
    loadts(['run', '-q', '--workers', '1', '-e', `TARGET=${server.url}`, '--execution-segment', segment, '--execution-segment-sequence', '0,1/3,2/3,1', '--out', `record=${out}`, file], { cwd: dir });

  it('merges the parts exactly, refuses other tests and overlaps in one line each, exits 99 for a threshold crossed on the merged data', async () => {
    const runs = await Promise.all([part('ok.ts', '0:1/3', 'a.json'), part('ok.ts', '1/3:2/3', 'b.json'), part('ok.ts', '2/3:1', 'c.json'), part('strict.ts', '0:1/3', 's0.json'), part('strict.ts', '1/3:2/3', 's1.json'), part('strict.ts', '2/3:1', 's2.json')]);
    for (const [i, r] of runs.entries()) expect(r.code, r.stderr).toBe(i < 3 ? 0 : 99);

    const m = await loadts(['merge', 'c.json', 'a.json', 'b.json', '-o', 'whole.json', '--summary-export', 'summary.json'], { cwd: dir });
    expect(m.code, m.stderr).toBe(0);
    expect(m.stdout).toMatch(/http_reqs\.+: 301 /);
    const whole = readJson(join(dir, 'whole.json'));
    expect(whole.run.executionSegment).toBe('0:1');
    expect(whole.fleet.parts.map((p: any) => `${p.segment} ${p.name}`)).toEqual(['0:1/3 a.json', '1/3:2/3 b.json', '2/3:1 c.json']);
    expect(readJson(join(dir, 'summary.json')).metrics.http_reqs.count).toBe(301);
    const parts = ['a.json', 'b.json', 'c.json'].map((f) => readJson(join(dir, f)));
    for (const s of whole.metrics.series.filter((x: any) => x.data.type === 'trend')) {
      expect(buckets(histogramOf(whole, s.metric, s.key)), s.metric).toEqual(buckets(sum(parts.map((p) => histogramOf(p, s.metric, s.key)))));
    }
    // the time series add up to the totals
    const perInterval = whole.timeSeries.series.filter((s: any) => s.metric === 'http_reqs').flatMap((s: any) => s.data.map((d: any) => d.sum));
    expect(perInterval.reduce((a: number, b: number) => a + b, 0)).toBe(301);

    const other = await loadts(['merge', 'a.json', 's1.json', 'c.json'], { cwd: dir });
    expect(other.code).toBe(104);
    expect(other.stderr).toMatch(/^error: s1\.json is a run of another test than a\.json: the (scripts|options) differ/m);
    const overlap = await loadts(['merge', 'a.json', 'b.json', 'a.json'], { cwd: dir });
    expect(overlap.code).toBe(104);
    expect(overlap.stderr).toMatch(/^error: a\.json \(segment 0:1\/3\) overlaps a\.json \(segment 0:1\/3\): each part of the test must be merged once$/m);

    const strict = await loadts(['merge', 's0.json', 's1.json', 's2.json', '-o', 'strict.json'], { cwd: dir });
    expect(strict.code).toBe(99);
    expect(strict.stderr).toMatch(/thresholds crossed: http_req_duration p\(95\)<0\.001/);
    expect(readJson(join(dir, 'strict.json')).end.exitCode).toBe(99);
  }, 120_000);
});
