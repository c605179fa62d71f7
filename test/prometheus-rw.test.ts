import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viewRecord } from '../engine/record/view.js';
import { fixtureDir, loadts, readJson, testServer } from './helpers.js';
import { startCoordinator, startInstance } from './fleet-helpers.js';

/** A free loopback port. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * A real Prometheus (Debian's package), started here with its remote-write receiver and native
 * histograms on, on a loopback port with a temporary data folder; loadts pushes to it and the test
 * reads the series back through Prometheus's HTTP API.
 */
describe('--out experimental-prometheus-rw against a real Prometheus', () => {
  let prometheus: ChildProcess;
  let api = '';
  let target: Awaited<ReturnType<typeof testServer>>;
  let served = 0;

  beforeAll(async () => {
    const which = spawnSync('sh', ['-c', 'command -v prometheus']);
    if (which.status !== 0) throw new Error("the prometheus binary is missing: install Debian's package (apt-get install prometheus); .ci/run does");
    const dir = mkdtempSync(join(tmpdir(), 'loadts-prometheus-'));
    writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n');
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      'prometheus',
      [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--web.enable-remote-write-receiver', '--enable-feature=native-histograms'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    prometheus.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const until = Date.now() + 20_000;
    for (;;) {
      const ready = await fetch(`${api}/-/ready`).then((r) => r.ok, () => false);
      if (ready) break;
      if (Date.now() > until || prometheus.exitCode !== null) throw new Error(`prometheus did not start:\n${log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    target = await testServer((req, res) => {
      served++;
      setTimeout(() => res.end('ok'), 1 + ((served * 7) % 23));
    });
  }, 60_000);
  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    await target?.close();
  });

  const query = async (expr: string, time?: number): Promise<any[]> => {
    const url = `${api}/api/v1/query?query=${encodeURIComponent(expr)}${time === undefined ? '' : `&time=${time / 1000}`}`;
    const body = (await (await fetch(url)).json()) as { status: string; data: { result: any[] }; error?: string };
    if (body.status !== 'success') throw new Error(`${expr}: ${body.error}`);
    return body.data.result;
  };
  /** The last raw sample of the series `selector` (range query): [timestamp ms, value]. */
  const lastSample = async (selector: string): Promise<[number, number]> => {
    const [series] = await query(`${selector}[1h]`);
    const values: Array<[number, string]> = series.values;
    const [t, v] = values[values.length - 1]!;
    return [Math.round(t * 1000), Number(v)];
  };
  const dir = fixtureDir({
    'script.ts': `
      import http from 'loadts/http';
      export const options = { scenarios: { s: { executor: 'shared-iterations', vus: 4, iterations: 400 } } };
      export default async function () { await http.get(__ENV.TARGET + '/item'); }
    `,
  });
  const env = (testid: string, extra: Record<string, string>) => ({
    K6_PROMETHEUS_RW_SERVER_URL: `${api}/api/v1/write`,
    K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s',
    K6_PROMETHEUS_RW_LABELS: `testid=${testid}`,
    ...extra,
  });

  it('one process, native histograms: the request count exactly, p95 and p99 within the histograms\' precision, stale at the end', async () => {
    const before = served;
    const r = await loadts(['run', '-q', '-e', `TARGET=${target.url}`, '--out', 'experimental-prometheus-rw', '--out', 'record=single.json', 'script.ts'], {
      cwd: dir,
      env: env('single', { K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true', K6_PROMETHEUS_RW_STALE_MARKERS: 'true' }),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(served - before).toBe(400);
    const record = readJson(join(dir, 'single.json'));
    const [at, count] = await lastSample('k6_http_reqs_total{testid="single"}');
    expect(count).toBe(400);
    const d = viewRecord(record).aggregate.values('http_req_duration', undefined, ['p(95)', 'p(99)'], record.durationMs)!;
    const got: Record<string, number> = {};
    for (const q of [0.95, 0.99]) {
      const [res] = await query(`histogram_quantile(${q}, sum(k6_http_req_duration_seconds{testid="single"}))`, at);
      got[q] = Number(res.value[1]) * 1000;
    }
    console.log(`Prometheus (native histograms): k6_http_reqs_total ${count}; p95 ${got[0.95]} ms (run: ${d['p(95)']} ms), p99 ${got[0.99]} ms (run: ${d['p(99)']} ms)`);
    // schema 8 buckets are 0.27% wide; the run's own percentiles are within 0.1% (HDR): 1% covers both
    expect(Math.abs(got[0.95]! - d['p(95)']!) / d['p(95)']!).toBeLessThan(0.01);
    expect(Math.abs(got[0.99]! - d['p(99)']!) / d['p(99)']!).toBeLessThan(0.01);
    // the stale markers: at the end, the series stop at once (not 5 minutes later)
    expect(await query('k6_http_reqs_total{testid="single"}', at + 2)).toEqual([]);
    expect((await query('k6_http_reqs_total{testid="single"}', at)).length).toBe(1);
  }, 120_000);

  it("a fleet: the coordinator pushes the merged series once; counts exact, trend stats exactly the run's", async () => {
    const before = served;
    const promEnv = env('fleet', { K6_PROMETHEUS_RW_TREND_STATS: 'p(95),p(99),count' });
    const { proc, url } = await startCoordinator(['--instances', '2', '-e', `TARGET=${target.url}`, '--out', 'experimental-prometheus-rw', '--out', 'record=fleet.json', 'script.ts'], { cwd: dir, env: promEnv });
    // instances get the same environment: they must not push (only the coordinator's outputs do)
    const results = await Promise.all([proc.result, startInstance(url, 0, { cwd: dir, env: promEnv }).result, startInstance(url, 1, { cwd: dir, env: promEnv }).result]);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(served - before).toBe(400);
    const record = readJson(join(dir, 'fleet.json'));
    const series = await query('last_over_time(k6_http_reqs_total{testid="fleet"}[1h])');
    expect(series.length).toBe(record.metrics.series.filter((s: any) => s.metric === 'http_reqs').length);
    expect(series.reduce((n, s) => n + Number(s.value[1]), 0)).toBe(400);
    const [, p95] = await lastSample('k6_http_req_duration_p95{testid="fleet", expected_response="true"}');
    const [, n] = await lastSample('k6_http_req_duration_count{testid="fleet", expected_response="true"}');
    const view = viewRecord(record).aggregate.values('http_req_duration', { expected_response: 'true' }, ['p(95)', 'count'], record.durationMs)!;
    console.log(`Prometheus (fleet, trend stats): k6_http_reqs_total 400; k6_http_req_duration_p95 ${p95 * 1000} ms (run: ${view['p(95)']} ms)`);
    expect(n).toBe(view.count);
    expect(p95 * 1000).toBeCloseTo(view['p(95)']!, 9);
  }, 150_000);
});
