import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir, loadts, readJson, testServer } from './helpers.js';
import { viewRecord } from '../engine/record/view.js';
import { buckets, histogramOf, startCoordinator, startInstance, sum } from './fleet-helpers.js';

/** A run's final series by metric and tag key. */
function seriesOf(record: any): Map<string, any> {
  return new Map(record.metrics.series.map((s: any) => [`${s.metric}${s.key}`, s.data]));
}

/**
 * The same iteration-count test as one process and as a fleet of 3 instance processes, against a
 * loopback server that counts what it got: the fleet's numbers are exactly those of one process,
 * its histograms are exactly the sum of its instances', and `loadts merge` of the instances'
 * records gives exactly what the live coordinator gave.
 */
describe('a fleet of 3 instances runs exactly the single-process test', () => {
  const counts = new Map<string, number>();
  let server: Awaited<ReturnType<typeof testServer>>;
  beforeAll(async () => {
    server = await testServer((req, res) => {
      const run = /^\/(\w+)\//.exec(req.url ?? '')?.[1] ?? '?';
      counts.set(run, (counts.get(run) ?? 0) + 1);
      setTimeout(() => res.end('ok'), (req.url?.length ?? 0) % 4);
    });
  });
  afterAll(() => server.close());

  const dir = fixtureDir({
    'script.ts': `
      import http from 'loadts/http';
      import { check } from 'loadts';
      import { Trend } from 'loadts/metrics';
      import exec from 'loadts/execution';
      const size = new Trend('body_size');
      export const options = {
        scenarios: {
          shared: { executor: 'shared-iterations', vus: 6, iterations: 900 },
          each: { executor: 'per-vu-iterations', vus: 3, iterations: 50 },
        },
        thresholds: { http_req_duration: ['p(95)<2000'], checks: ['rate>0.99'] },
      };
      export function setup() { return { token: 'abc' }; }
      export default async function (data: { token: string }) {
        const r = await http.get(__ENV.TARGET + '/' + __ENV.RUN + '/item' + (exec.scenario.iterationInTest % 3));
        check(r, { 'status 200': (x) => x.status === 200, 'setup data arrived': () => data.token === 'abc' });
        size.add(String(r.body).length + exec.scenario.iterationInTest % 7);
      }
    `,
  });

  it('one process: 1050 requests', async () => {
    const r = await loadts(['run', '-q', '--workers', '2', '-e', `TARGET=${server.url}`, '-e', 'RUN=solo', '--out', 'record=single.json', 'script.ts'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(counts.get('solo')).toBe(1050);
  });

  it('3 instances and a coordinator: the same counts, the server agrees, the records merge to the live result', async () => {
    const { proc: coordinator, url } = await startCoordinator(['--instances', '3', '-e', `TARGET=${server.url}`, '-e', 'RUN=flet', '--out', 'record=fleet.json', 'script.ts'], { cwd: dir });
    const instances = [0, 1, 2].map((i) => startInstance(url, i, { cwd: dir }));
    const results = await Promise.all([coordinator.result, ...instances.map((p) => p.result)]);
    for (const r of results) expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(results[0]!.stderr).toMatch(/fleet: 3 instances ready, the test starts at/);
    expect(results[1]!.stderr).toMatch(/joined http:\/\/127\.0\.0\.1:\d+ as instance 1 of 3 \(segment 0:1\/3\)/);

    const single = readJson(join(dir, 'single.json'));
    const fleet = readJson(join(dir, 'fleet.json'));
    const parts = [0, 1, 2].map((i) => readJson(join(dir, `instance-${i}.json`)));
    // The server's count, the fleet's count and the single process's are one number.
    const s = seriesOf(single);
    const f = seriesOf(fleet);
    // counters: their sum; trends: their sample count; rates: passes and fails
    const total = (rec: any, metric: string) =>
      rec.metrics.series.filter((x: any) => x.metric === metric).reduce((n: number, x: any) => n + (x.data.type === 'trend' ? x.data.count : (x.data.sum ?? x.data.passes + x.data.fails)), 0);
    expect(counts.get('flet')).toBe(1050);
    for (const metric of ['http_reqs', 'iterations', 'checks', 'http_req_duration', 'body_size', 'data_sent']) expect(total(fleet, metric), metric).toBe(total(single, metric));
    expect(f.get('checks{"check":"setup data arrived","group":"","scenario":"shared"}') ?? [...f.entries()].find(([k]) => k.startsWith('checks') && k.includes('setup data'))?.[1]).toMatchObject({ fails: 0 });
    expect(fleet.run.iterations).toEqual(single.run.iterations);
    expect(fleet.thresholds.every((t: any) => t.ok)).toBe(true);
    expect(fleet.fleet).toMatchObject({ missingSegments: [], parts: [{ segment: '0:1/3', state: 'done' }, { segment: '1/3:2/3', state: 'done' }, { segment: '2/3:1', state: 'done' }] });
    expect(fleet.test).toEqual(single.test);

    // Each of the fleet's histograms is the sum of its instances', slot for slot.
    for (const series of fleet.metrics.series.filter((x: any) => x.data.type === 'trend')) {
      const mine = buckets(histogramOf(fleet, series.metric, series.key));
      const theirs = buckets(sum(parts.map((p) => histogramOf(p, series.metric, series.key))));
      expect(mine, `${series.metric}${series.key}`).toEqual(theirs);
    }

    // loadts merge of the instances' records equals the live coordinator's result.
    const merged = await loadts(['merge', 'instance-0.json', 'instance-1.json', 'instance-2.json', '-o', 'merged.json', '--summary-export', 'merged-summary.json'], { cwd: dir });
    expect(merged.code, merged.stderr).toBe(0);
    const m = seriesOf(readJson(join(dir, 'merged.json')));
    expect([...m.keys()].sort()).toEqual([...f.keys()].sort());
    for (const [key, data] of f) {
      if (key.startsWith('vus')) continue; // sampled live by the coordinator; the merge adds the parts' gauges
      const other = m.get(key);
      if (data.type !== 'trend') expect(other, key).toEqual(data);
      else {
        expect({ ...other, sum: 0, hdr: '' }, key).toEqual({ ...data, sum: 0, hdr: '' });
        expect(other.sum, key).toBeCloseTo(data.sum, 6);
        expect(buckets(histogramOf(readJson(join(dir, 'merged.json')), key.split('{')[0]!, key.slice(key.split('{')[0]!.length))), key).toEqual(buckets(histogramOf(fleet, key.split('{')[0]!, key.slice(key.split('{')[0]!.length))));
      }
    }
    expect(m.get('vus_max')?.value).toBe(f.get('vus_max')?.value);
    expect(merged.stdout).toMatch(/http_reqs\.+: 1050/);

    // The figures, side by side (the closing note of issue 15 quotes them).
    const figures = (rec: any, server?: number) => {
      const d = viewRecord(rec).aggregate.values('http_req_duration', undefined, ['p(95)', 'p(99)'], rec.durationMs)!;
      return { http_reqs: total(rec, 'http_reqs'), iterations: total(rec, 'iterations'), checks: total(rec, 'checks'), p95: d['p(95)'], p99: d['p(99)'], ...(server === undefined ? {} : { server }) };
    };
    console.log(`single process: ${JSON.stringify(figures(single))}\n3 instances:    ${JSON.stringify(figures(fleet, counts.get('flet')))}`);
  }, 150_000);
});
