import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir, loadts, readJson, testServer } from './helpers.js';

describe('loadts run: a k6-style script end to end', () => {
  const seen = { auth: new Set<string>(), vus: new Set<string>(), requests: 0 };
  let server: Awaited<ReturnType<typeof testServer>>;
  beforeAll(async () => {
    server = await testServer((req, res) => {
      seen.requests++;
      if (req.headers.authorization) seen.auth.add(String(req.headers.authorization));
      if (req.headers['x-vu']) seen.vus.add(String(req.headers['x-vu']));
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true, path: req.url }));
    });
  });
  afterAll(() => server.close());

  it('runs setup → VUs → teardown, with checks, groups, custom metrics, globals and summary export', async () => {
    const dir = fixtureDir({
      'script.ts': `
        import http from 'k6/http';
        import { check, group, sleep } from 'k6';
        import { Counter, Gauge, Rate, Trend } from 'k6/metrics';
        import exec from 'k6/execution';
        import { helper } from './lib.ts';

        const items = new Counter('items_bought');
        const depth = new Gauge('queue_depth');
        const good = new Rate('good_answers');
        const size = new Trend('payload_size');
        const think = new Trend('think_time', true);

        export const options = {
          vus: 4,
          iterations: 40,
          thresholds: {
            http_req_duration: ['p(95)<1000'],
            'http_req_duration{name:items}': ['max<1000'],
            checks: ['rate==1'],
            items_bought: ['count==80'],
          },
        };
        export async function setup() {
          const res = await http.get(__ENV.TARGET + '/setup');
          return { token: 'Bearer abc', status: res.status };
        }
        export default async function (data: { token: string; status: number }) {
          await group('shop', async () => {
            await group('cart', async () => {
              const res = await http.get(__ENV.TARGET + '/items/' + __ITER, {
                headers: { Authorization: data.token, 'X-VU': String(__VU) },
                tags: { name: 'items' },
              });
              check(res, {
                'status 200': (r) => r.status === 200,
                'has path': (r) => r.json('path') === '/items/' + __ITER,
                'setup data arrived': () => data.status === 200 && helper() === 42,
              });
            });
          });
          check(exec.vu.idInTest, { 'vu id matches __VU': (id) => id === __VU && id >= 1 && id <= 4 });
          items.add(2);
          depth.add(__VU);
          good.add(true);
          size.add(1.5);
          think.add(3);
          await sleep(0.01);
        }
        export async function teardown(data: { token: string }) {
          await http.get(__ENV.TARGET + '/teardown', { headers: { Authorization: data.token } });
        }
      `,
      'lib.ts': 'export const helper = (): number => 42;\n',
    });
    const r = await loadts(['run', '--workers', '2', '-e', `TARGET=${server.url}`, '--summary-export', 'out.json', 'script.ts'], { cwd: dir });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const out = readJson(join(dir, 'out.json'));
    const m = out.metrics;
    expect(m.iterations.count).toBe(40);
    // 40 iterations + setup + teardown
    expect(m.http_reqs.count).toBe(42);
    expect(seen.auth).toEqual(new Set(['Bearer abc']));
    expect([...seen.vus].sort()).toEqual(['1', '2', '3', '4']);
    expect(m.items_bought.count).toBe(80);
    expect(m.good_answers.value).toBe(1);
    expect(m.payload_size.avg).toBeCloseTo(1.5, 6);
    expect(m.think_time.max).toBeCloseTo(3, 2);
    expect(m.queue_depth.max).toBeLessThanOrEqual(4);
    expect(m.checks.passes).toBe(160);
    expect(m.checks.fails).toBe(0);
    for (const k of ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)']) expect(typeof m.http_req_duration[k]).toBe('number');
    expect(m.http_req_duration.thresholds['p(95)<1000']).toBe(false);
    expect(m['http_req_duration{name:items}']).toBeDefined();
    expect(m.vus_max.max).toBe(4);
    // root_group with nested groups and their checks
    const text = JSON.stringify(out.root_group);
    expect(text).toContain('shop');
    expect(text).toContain('cart');
    expect(text).toContain('status 200');
    // the text summary went to stdout
    expect(r.stdout).toMatch(/http_req_duration/);
    expect(r.stdout).toMatch(/✓ status 200/);
  });

  it('lets handleSummary decide what is written where', async () => {
    const dir = fixtureDir({
      'script.ts': `
        import http from 'loadts/http';
        import { textSummary } from 'https://jslib.k6.io/k6-summary/0.0.2/index.js';
        export const options = { iterations: 3 };
        export default async function () { await http.get(__ENV.TARGET + '/'); }
        export function handleSummary(data) {
          return {
            stdout: 'CUSTOM SUMMARY ' + data.metrics.iterations.values.count + '\\n',
            'out/summary.json': JSON.stringify(data),
            'out/summary.txt': textSummary(data, { enableColors: false }),
          };
        }
      `,
    });
    const r = await loadts(['run', '--workers', '1', '-e', `TARGET=${server.url}`, 'script.ts'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('CUSTOM SUMMARY 3');
    const data = readJson(join(dir, 'out/summary.json'));
    expect(data.metrics.http_reqs.type).toBe('counter');
    expect(data.metrics.http_reqs.values.count).toBe(3);
    expect(data.root_group.path).toBe('');
    expect(data.state.testRunDurationMs).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'out/summary.txt'), 'utf8')).toMatch(/iterations/);
  });

  it('continues after an iteration throws, logs the error with its line, and counts it', async () => {
    const dir = fixtureDir({
      'script.ts': `
        import http from 'loadts/http';
        import exec from 'loadts/execution';
        export const options = { vus: 2, iterations: 20 };
        export default async function () {
          await http.get(__ENV.TARGET + '/');
          if (exec.scenario.iterationInTest % 2 === 0) {
            throw new Error('boom on purpose');
          }
        }
      `,
    });
    const r = await loadts(['run', '--workers', '1', '--summary-export', 'out.json', '-e', `TARGET=${server.url}`, 'script.ts'], { cwd: dir });
    expect(r.code).toBe(0);
    // k6's log line: the error and its stack (the script's frames), then the fields
    expect(r.stderr).toMatch(/level=error msg="Error: boom on purpose\\n\\tat default \(script\.ts:8:\d+\)" executor=shared-iterations iter=\d+ scenario=default source=stacktrace vu=[12]/);
    // rate-limited: 10 failures, at most 5 printed
    expect(r.stderr.match(/boom on purpose/g)!.length).toBeLessThanOrEqual(5);
    const m = readJson(join(dir, 'out.json')).metrics;
    expect(m.iterations.count).toBe(20);
    expect(m.iteration_errors.count).toBe(10);
    expect(m.http_reqs.count).toBe(20);
  });
});
