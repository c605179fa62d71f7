/**
 * k6's outputs end to end: the built CLI against a loopback server that counts the requests it
 * gets, every output at once, and what each wrote read back with a real parser.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadts, testServer } from './helpers.js';
import { csvRows, junitCases, ndjsonLines, readRunRecord, stepSummaries } from './output-readers.js';

const SCRIPT = `import http from 'loadts/http';
import { check } from 'loadts';
export const options = {
  scenarios: { main: { executor: 'shared-iterations', vus: 5, iterations: Number(__ENV.ITERATIONS ?? 300), maxDuration: '60s' } },
  thresholds: { http_reqs: ['count<10'], http_req_failed: ['rate<0.01'], 'http_req_duration{status:200}': ['p(95)<10000'] },
};
export default async function () {
  const res = await http.get(__ENV.BASE_URL + '/item?id=' + (__ITER % 3));
  check(res, { 'is 200': (r) => r.status === 200 });
  if (__VU === 1 && __ITER === 30) console.log('UNDER-WAY');
}
`;

let server: Awaited<ReturnType<typeof testServer>>;
let count = 0;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loadts-outputs-'));
  writeFileSync(join(dir, 'script.js'), SCRIPT);
  server = await testServer((_req, res) => {
    count++;
    res.end('ok');
  });
});
afterAll(() => server?.close());

function run(args: string[], env: Record<string, string> = {}, opts: { interruptWhenUnderWay?: boolean } = {}) {
  count = 0;
  let sent = false;
  return loadts(['run', '-q', '--no-summary', ...args, join(dir, 'script.js')], {
    env: { BASE_URL: server.url, ...env },
    onStdout: opts.interruptWhenUnderWay
      ? (out, kill) => {
          if (sent || !out.includes('UNDER-WAY')) return;
          sent = true;
          kill('SIGINT');
        }
      : undefined,
  });
}

describe('outputs, end to end', () => {
  it('every output at once: each accounts for exactly the requests the server counted', async () => {
    const f = (name: string) => join(dir, `all-${name}`);
    const r = await run(['-o', `json=${f('out.json.gz')}`, '--out', `csv=${f('out.csv')}`, '-o', `junit=${f('junit.xml')}`, '-o', `record=${f('run.json')}`], { GITHUB_STEP_SUMMARY: f('summary.md') });
    expect(r.code, r.stderr).toBe(99); // count<10 is crossed
    expect(count).toBe(300);

    const lines = ndjsonLines(f('out.json.gz'));
    expect(lines.filter((l) => l.type === 'Point' && l.metric === 'http_reqs')).toHaveLength(count);
    expect(lines.find((l) => l.type === 'Metric' && l.metric === 'http_reqs')!.data).toEqual({ name: 'http_reqs', type: 'counter', contains: 'default', thresholds: ['count<10'], submetrics: null });
    expect(lines.some((l) => l.type === 'Point' && l.metric === 'vus')).toBe(true);
    const point = lines.find((l) => l.type === 'Point' && l.metric === 'http_req_duration')!;
    expect(point.data.tags).toEqual({ expected_response: 'true', group: '', method: 'GET', name: expect.stringMatching(/\/item\?id=\d$/), proto: 'HTTP/1.1', scenario: 'main', status: '200', url: expect.stringMatching(/\/item\?id=\d$/) });

    const rows = csvRows(f('out.csv'));
    expect(rows.filter((row) => row.metric_name === 'http_req_duration')).toHaveLength(count);
    expect(rows.filter((row) => row.metric_name === 'checks').every((row) => row.check === 'is 200' && row.scenario === 'main')).toBe(true);

    const cases = junitCases(f('junit.xml'));
    expect(cases.map((c) => c.name)).toEqual(['http_reqs - count<10', 'http_req_failed - rate<0.01', 'http_req_duration{status:200} - p(95)<10000']);
    expect(cases[0]!.failure?.message).toBe(`http_reqs threshold count<10 crossed: count was ${count}`);
    expect(cases.slice(1).every((c) => c.failure === undefined)).toBe(true);

    const [summary] = stepSummaries(f('summary.md'));
    expect(summary!.heading).toMatch(/^loadts `.*script\.js`: ❌ 1 threshold crossed$/);
    expect(summary!.state).toBe('completed');
    const keyMetrics = Object.fromEntries(summary!.tables.get('Key metrics')!.rows.map((row) => [row[0]!.text, row[1]!.text]));
    expect(keyMetrics['HTTP requests']).toMatch(new RegExp(`^${count} \\(`));
    expect(keyMetrics['failed requests']).toBe(`0.00% (0 of ${count})`);
    expect(summary!.tables.get('Environment')).toBeDefined();

    expect(await readRunRecord(f('run.json'))).toEqual({ state: 'completed', requests: count, thresholds: { total: 3, crossed: 1 } });
  });

  it('Ctrl-C: every output is written completely and validly (gzip streams closed), exit 105', async () => {
    const f = (name: string) => join(dir, `int-${name}`);
    const r = await run(['-o', `json=${f('out.json.gz')}`, '-o', `csv=${f('out.csv.gz')}`, '-o', `junit=${f('junit.xml')}`, '-o', `record=${f('run.json.gz')}`], { GITHUB_STEP_SUMMARY: f('summary.md'), ITERATIONS: '1000000' }, { interruptWhenUnderWay: true });
    expect(r.code, r.stderr).toBe(105);
    const requests = ndjsonLines(f('out.json.gz')).filter((l) => l.type === 'Point' && l.metric === 'http_reqs').length;
    expect(requests).toBeGreaterThan(30);
    // The stop aborts the request each VU has in flight: counted when it reached the server, not when it had not been sent.
    expect(requests).toBe(count);
    expect(csvRows(f('out.csv.gz')).filter((row) => row.metric_name === 'http_req_duration')).toHaveLength(requests);
    expect(junitCases(f('junit.xml'))).toHaveLength(3);
    expect(stepSummaries(f('summary.md')).map((s) => s.state)).toEqual(['interrupted']);
    expect(await readRunRecord(f('run.json.gz'))).toMatchObject({ state: 'interrupted', requests });
  });

  it('K6_OUT (LOADTS_OUT) chooses outputs as --out does; --no-step-summary writes no step summary', async () => {
    const f = (name: string) => join(dir, `env-${name}`);
    const r = await run(['--no-step-summary'], { K6_OUT: `json=${f('a.json')},csv=fileName=${f('b.csv')},timeFormat=unix_milli`, ITERATIONS: '20', GITHUB_STEP_SUMMARY: f('summary.md') });
    expect(r.code, r.stderr).toBe(99);
    expect(ndjsonLines(f('a.json')).filter((l) => l.metric === 'http_reqs' && l.type === 'Point')).toHaveLength(20);
    expect(csvRows(f('b.csv'))[0]!.timestamp).toMatch(/^\d{13}$/);
    expect(existsSync(f('summary.md'))).toBe(false);
  });

  it('--out json=- writes the NDJSON to stdout', async () => {
    const r = await run(['-o', 'json=-'], { ITERATIONS: '10' });
    expect(r.code, r.stderr).toBe(99);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; metric: string });
    expect(lines.filter((l) => l.type === 'Point' && l.metric === 'http_reqs')).toHaveLength(10);
  });
});
