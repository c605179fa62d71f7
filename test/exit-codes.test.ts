import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delayServer, fixtureDir, loadts, readJson, type testServer } from './helpers.js';

/**
 * Exit codes follow k6: 0, 99 thresholds, 100 setup timeout, 104 config, 105 Ctrl-C, 107 script
 * error, 108 script abort; and loadts's 111: not one request got a response.
 */
describe('exit codes and errors', () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  beforeAll(async () => {
    server = await delayServer();
  });
  afterAll(() => server.close());

  const script = (body: string) => fixtureDir({ 'script.ts': body });

  it('0 when thresholds hold, 99 when one is crossed (summary still written)', async () => {
    const dir = script(`
      import http from 'loadts/http';
      export const options = { iterations: 5, thresholds: { http_req_duration: ['max<' + __ENV.LIMIT] } };
      export default async function () { await http.get(__ENV.TARGET + '/delay/30'); }
    `);
    const ok = await loadts(['run', '--workers', '1', '-e', `TARGET=${server.url}`, '-e', 'LIMIT=5000', 'script.ts'], { cwd: dir });
    expect(ok.code).toBe(0);
    const bad = await loadts(['run', '--workers', '1', '-e', `TARGET=${server.url}`, '-e', 'LIMIT=1', '--summary-export', 'o.json', 'script.ts'], { cwd: dir });
    expect(bad.code).toBe(99);
    expect(bad.stderr).toMatch(/thresholds crossed: http_req_duration max<1/);
    expect(readJson(join(dir, 'o.json')).metrics.http_req_duration.thresholds['max<1']).toBe(true);
  });

  it('99 and an early stop when an abortOnFail threshold is crossed', async () => {
    const dir = script(`
      import http from 'loadts/http';
      export const options = {
        vus: 2, duration: '30s',
        thresholds: { http_req_failed: [{ threshold: 'rate<0.5', abortOnFail: true }] },
      };
      export default async function () { await http.get(__ENV.TARGET + '/refused'); }
    `);
    const started = Date.now();
    const r = await loadts(['run', '--workers', '1', '-e', 'TARGET=http://127.0.0.1:1', '--summary-export', 'o.json', 'script.ts'], { cwd: dir });
    expect(r.code).toBe(99);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.stderr).toMatch(/abortOnFail/);
    expect(readJson(join(dir, 'o.json')).metrics.http_req_failed.value).toBe(1);
  });

  it('104 for invalid options, thresholds and flags, before any load', async () => {
    const badVus = script(`export const options = { vus: -1, duration: '1s' }; export default async function () {}`);
    const r1 = await loadts(['run', 'script.ts'], { cwd: badVus });
    expect(r1.code).toBe(104);
    expect(r1.stderr).toMatch(/vus/);
    expect(r1.stderr.trim().split('\n').filter((l) => l.startsWith('error')).length).toBe(1);

    const badThreshold = script(`export const options = { thresholds: { http_req_duration: ['p95<200'] } }; export default async function () {}`);
    const r2 = await loadts(['run', 'script.ts'], { cwd: badThreshold });
    expect(r2.code).toBe(104);
    expect(r2.stderr).toMatch(/p95<200/);

    const unknownMetric = script(`export const options = { thresholds: { no_such_metric: ['count>1'] } }; export default async function () {}`);
    const r3 = await loadts(['run', 'script.ts'], { cwd: unknownMetric });
    expect(r3.code).toBe(104);
    expect(r3.stderr).toMatch(/no_such_metric/);

    const fine = script(`export default async function () {}`);
    const r4 = await loadts(['run', '--vsu', '3', 'script.ts'], { cwd: fine });
    expect(r4.code).toBe(104);
    expect(r4.stderr).toMatch(/--vsu/);

    const r5 = await loadts(['run', '-d', '10 parsecs', 'script.ts'], { cwd: fine });
    expect(r5.code).toBe(104);
    expect(r5.stderr).toMatch(/10 parsecs/);
  });

  it('107 for a syntax error (file:line:column) and for an exception in the init context', async () => {
    const syntax = script(`export default async function () {\n  const x = ;\n}\n`);
    const r1 = await loadts(['run', 'script.ts'], { cwd: syntax });
    expect(r1.code).toBe(107);
    expect(r1.stderr).toMatch(/script\.ts:2:\d+/);

    const initThrow = script(`throw new Error('bad init');\nexport default async function () {}\n`);
    const r2 = await loadts(['run', 'script.ts'], { cwd: initThrow });
    expect(r2.code).toBe(107);
    expect(r2.stderr).toMatch(/bad init/);

    const missing = await loadts(['run', 'nope.ts'], { cwd: syntax });
    expect(missing.code).toBe(107);
    expect(missing.stderr).toMatch(/not found: nope\.ts/);
  });

  it('108 when the script calls exec.test.abort(), with results written', async () => {
    const dir = script(`
      import http from 'loadts/http';
      import exec from 'loadts/execution';
      export const options = { vus: 2, duration: '30s' };
      export default async function () {
        await http.get(__ENV.TARGET + '/');
        if (exec.scenario.iterationInTest >= 10) exec.test.abort('enough');
      }
    `);
    const r = await loadts(['run', '--workers', '1', '-e', `TARGET=${server.url}`, '--summary-export', 'o.json', 'script.ts'], { cwd: dir });
    expect(r.code).toBe(108);
    expect(r.stderr).toMatch(/aborted by the script: enough/);
    expect(readJson(join(dir, 'o.json')).metrics.http_reqs.count).toBeGreaterThanOrEqual(10);
  });

  it('105 on Ctrl-C (SIGINT), with the summary and JSON of what ran still written', async () => {
    const dir = script(`
      import http from 'loadts/http';
      import { sleep } from 'loadts';
      export const options = { vus: 3, duration: '60s' };
      export default async function () { await http.get(__ENV.TARGET + '/'); await sleep(0.05); }
    `);
    const r = await loadts(['run', '--workers', '1', '-e', `TARGET=${server.url}`, '--summary-export', 'o.json', 'script.ts'], {
      cwd: dir,
      signalAfterMs: 3000,
    });
    expect(r.code).toBe(105);
    expect(r.stdout).toMatch(/http_reqs/);
    expect(readJson(join(dir, 'o.json')).metrics.http_reqs.count).toBeGreaterThan(10);
  });

  it('111 when not one request got a response, with a warning per kind of failure and the summary still written', async () => {
    const dir = script(`
      import http from 'loadts/http';
      export const options = { vus: 2, iterations: 20 };
      export default async function () { await http.get('http://127.0.0.1:1/nothing-listens'); }
    `);
    const r = await loadts(['run', '--workers', '1', '--summary-export', 'o.json', 'script.ts'], { cwd: dir });
    expect(r.code).toBe(111);
    // one warning for the one kind of failure, not twenty
    expect(r.stderr.match(/WARN request failed: GET http:\/\/127\.0\.0\.1:1\/nothing-listens: .*\(error_code 1212\)/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/error: the target never answered: all 20 HTTP requests failed before any response, the first with GET http:\/\/127\.0\.0\.1:1\/nothing-listens/);
    expect(readJson(join(dir, 'o.json')).metrics.http_req_failed.passes).toBe(20);
    // one answered request is enough for a normal exit: the failures are then the test's result
    const some = script(`
      import http from 'loadts/http';
      export const options = { iterations: 4 };
      export default async function () { await http.get(__ITER % 2 === 0 ? __ENV.TARGET + '/' : 'http://127.0.0.1:1/'); }
    `);
    const ok = await loadts(['run', '--workers', '1', '-e', `TARGET=${server.url}`, 'script.ts'], { cwd: some });
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('107 when handleSummary throws (the default summary is printed instead); 104 for an unwritable --summary-export, before any load', async () => {
    const dir = script(`
      export const options = { iterations: 1 };
      export default async function () {}
      export function handleSummary() { throw new Error('nope'); }
    `);
    const r = await loadts(['run', 'script.ts'], { cwd: dir, env: { BASE_URL: 'http://127.0.0.1:1' } });
    expect(r.code).toBe(107);
    expect(r.stderr).toMatch(/script\.ts:\d+:\d+: handleSummary\(\) threw: nope; printing the default summary instead/);
    expect(r.stdout).toMatch(/iterations/);
    const bad = await loadts(['run', '--summary-export', 'script.ts/o.json', 'script.ts'], { cwd: dir, env: { BASE_URL: 'http://127.0.0.1:1' } });
    expect(bad.code).toBe(104);
    expect(bad.stderr).toMatch(/--summary-export script\.ts\/o\.json: cannot write there: .*script\.ts is not a directory/);
    expect(bad.stdout).not.toMatch(/iterations/);
  });

  it('100 on a setup timeout and 105 on Ctrl-C during setup: no load runs, the summary and JSON are written', async () => {
    const dir = script(`
      import http from 'loadts/http';
      export const options = { vus: 1, duration: '30s', setupTimeout: __ENV.TIMEOUT };
      export async function setup() { await new Promise((r) => setTimeout(r, 20_000)); }
      export default async function () { await http.get(__ENV.TARGET + '/'); }
    `);
    const slow = await loadts(['run', '-e', 'TIMEOUT=500ms', '-e', `TARGET=${server.url}`, '--summary-export', 'o.json', 'script.ts'], { cwd: dir });
    expect(slow.code).toBe(100);
    expect(slow.stderr).toMatch(/setup\(\) did not finish within setupTimeout \(500 ms\)/);
    expect(readJson(join(dir, 'o.json')).metrics.iterations).toBeUndefined();
    const started = Date.now();
    const stopped = await loadts(['run', '-e', 'TIMEOUT=60s', '-e', `TARGET=${server.url}`, '--summary-export', 'p.json', 'script.ts'], { cwd: dir, signalAfterMs: 1500 });
    expect(stopped.code).toBe(105);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(readJson(join(dir, 'p.json')).metrics.iterations).toBeUndefined();
  });
});
