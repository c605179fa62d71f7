import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir, loadts, readJson, testServer } from './helpers.js';
import { start, startCoordinator, startInstance, waitForOutput } from './fleet-helpers.js';

/**
 * A fleet's faults: an instance killed mid-run (the rest go on, the coordinator names it and its
 * segment is missing), the coordinator killed mid-run (instances stop by themselves and write
 * records that loadts merge recovers), a wrong token, a late instance, and abortOnFail fleet-wide.
 */
describe('fleet faults', () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  beforeAll(async () => {
    server = await testServer((req, res) => {
      res.statusCode = req.url?.includes('/fail') ? 500 : 200;
      setTimeout(() => res.end('ok'), 5);
    });
  });
  afterAll(() => server.close());

  const script = (duration: string, extra = '') => `
    import http from 'loadts/http';
    import { sleep } from 'loadts';
    export const options = { scenarios: { s: { executor: 'constant-vus', vus: 3, duration: '${duration}' } }, ${extra} };
    export default async function () {
      await http.get(__ENV.TARGET + (__ENV.FAIL ? '/fail' : '/ok'));
      await sleep(0.05);
    }
  `;

  it('an instance killed mid-run is lost and named; the rest go on; the record says which segment is missing; a late instance is refused', async () => {
    const dir = fixtureDir({ 'script.ts': script('10s') });
    const { proc: coordinator, url } = await startCoordinator(['--instances', '3', '--lost-after', '4s', '-e', `TARGET=${server.url}`, '--out', 'record=fleet.json', 'script.ts'], { cwd: dir });
    const instances = [0, 1, 2].map((i) => startInstance(url, i, { cwd: dir }));
    await waitForOutput(coordinator, /the test starts at/, 90_000); // 1 s before the start
    await new Promise((r) => setTimeout(r, 3500));
    instances[1]!.child.kill('SIGKILL');
    const late = await start(['fleet', 'instance', '--join', url, '--index', '1'], { cwd: dir }).result;
    expect(late.code).toBe(115);
    expect(late.stderr).toMatch(/refused this instance: instance "[^"]+" is late: the test started at .*, and an instance that joins after the start is refused/);
    const [c, a, , b] = await Promise.all([coordinator.result, instances[0]!.result, instances[1]!.result, instances[2]!.result]);
    expect(c.code, c.stderr).toBe(114);
    expect(c.stderr).toMatch(/error: instance 2 of 3 \([^)]*segment 1\/3:2\/3\) was lost: no report for 4s; the rest of the fleet goes on, and its segment 1\/3:2\/3 is missing from the results/);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const fleet = readJson(join(dir, 'fleet.json'));
    expect(fleet.fleet.missingSegments).toEqual(['1/3:2/3']);
    expect(fleet.fleet.parts.map((p: any) => p.state)).toEqual(['done', 'lost', 'done']);
    expect(fleet.end.exitCode).toBe(114);
    // What the lost instance sent before it died is kept: more requests than the two others made.
    const reqs = (r: any) => r.metrics.series.filter((s: any) => s.metric === 'http_reqs').reduce((n: number, s: any) => n + s.data.sum, 0);
    const others = reqs(readJson(join(dir, 'instance-0.json'))) + reqs(readJson(join(dir, 'instance-2.json')));
    expect(reqs(fleet)).toBeGreaterThan(others);
    // loadts merge refuses the two records without the missing part, and names it with --allow-partial.
    const refused = await loadts(['merge', 'instance-0.json', 'instance-2.json'], { cwd: dir });
    expect(refused.code).toBe(104);
    expect(refused.stderr).toMatch(/^error: segment 1\/3:2\/3 of the test is missing \(have 0:1\/3 from instance-0.json, 2\/3:1 from instance-2.json\); add its record, or merge with --allow-partial/m);
    const partial = await loadts(['merge', '--allow-partial', 'instance-0.json', 'instance-2.json', '-o', 'partial.json'], { cwd: dir });
    expect(partial.code, partial.stderr).toBe(0);
    expect(partial.stderr).toMatch(/warning: partial result: segment 1\/3:2\/3 of the test is missing/);
    expect(readJson(join(dir, 'partial.json')).fleet.missingSegments).toEqual(['1/3:2/3']);
  }, 150_000);

  it('the coordinator killed mid-run: instances stop by themselves and write records that loadts merge recovers', async () => {
    const dir = fixtureDir({ 'script.ts': script('40s') });
    const { proc: coordinator, url } = await startCoordinator(['--instances', '3', '--lost-after', '4s', '-e', `TARGET=${server.url}`, 'script.ts'], { cwd: dir });
    const instances = [0, 1, 2].map((i) => startInstance(url, i, { cwd: dir }));
    await waitForOutput(coordinator, /the test starts at/, 90_000);
    await new Promise((r) => setTimeout(r, 2000));
    const killedAt = Date.now();
    coordinator.child.kill('SIGKILL');
    const results = await Promise.all(instances.map((p) => p.result));
    expect(Date.now() - killedAt).toBeLessThan(20_000); // 4 s to notice, the stop, the results: far from the 40 s test
    for (const r of results) {
      expect(r.code, r.stderr).toBe(114);
      expect(r.stderr).toMatch(/error: the fleet coordinator at http:\/\/127\.0\.0\.1:\d+ has not answered for 4s .*: this instance stopped; its record holds its part of the run/);
    }
    for (const i of [0, 1, 2]) expect(readJson(join(dir, `instance-${i}.json`)).end.state).toBe('coordinator-lost');
    const merged = await loadts(['merge', 'instance-0.json', 'instance-1.json', 'instance-2.json', '-o', 'recovered.json'], { cwd: dir });
    expect(merged.code, merged.stderr).toBe(114); // the merged run ended as its parts did
    const recovered = readJson(join(dir, 'recovered.json'));
    expect(recovered.run.executionSegment).toBe('0:1');
    expect(recovered.fleet.missingSegments).toEqual([]);
    expect(recovered.metrics.series.filter((s: any) => s.metric === 'http_reqs').reduce((n: number, s: any) => n + s.data.sum, 0)).toBeGreaterThan(0);
  }, 150_000);

  it('a wrong token is refused in one line on both sides; without a token the coordinator keeps to loopback', async () => {
    const dir = fixtureDir({ 'script.ts': script('1s') });
    const { proc: coordinator, url } = await startCoordinator(['--instances', '1', '--join-timeout', '4s', '-e', `TARGET=${server.url}`, 'script.ts'], { cwd: dir, env: { LOADTS_FLEET_TOKEN: 'right-token' } });
    const wrong = await startInstance(url, 0, { cwd: dir, env: { LOADTS_FLEET_TOKEN: 'wrong-token' } }).result;
    expect(wrong.code).toBe(115);
    expect(wrong.stderr).toMatch(/^error: the fleet coordinator at http:\/\/127\.0\.0\.1:\d+ refused this instance: wrong or missing fleet token: set LOADTS_FLEET_TOKEN to the coordinator's token$/m);
    const none = await startInstance(url, 0, { cwd: dir }).result;
    expect(none.code).toBe(115);
    const c = await coordinator.result;
    expect(c.code).toBe(115);
    expect(c.stderr).toMatch(/warning: fleet: refused a call from 127\.0\.0\.1: wrong or missing token \(LOADTS_FLEET_TOKEN\)/);
    expect(c.stderr).toMatch(/error: only 0 of 1 instances joined and prepared the test in time; missing: slot 0 \(segment 0:1\)\. No load was sent/);
    const open = await loadts(['fleet', 'coordinator', '--instances', '1', '--listen', '0.0.0.0:0', 'script.ts'], { cwd: dir });
    expect(open.code).toBe(104);
    expect(open.stderr).toMatch(/--listen 0\.0\.0\.0:0: without a shared token the coordinator listens on loopback only; set LOADTS_FLEET_TOKEN/);
    expect(existsSync(join(dir, 'instance-0.json'))).toBe(false);
  }, 150_000);

  it('abortOnFail crossed on the fleet\'s data stops every instance', async () => {
    const thresholds = "thresholds: { http_req_failed: [{ threshold: 'rate<0.5', abortOnFail: true }] }";
    const dir = fixtureDir({ 'script.ts': script('60s', thresholds) });
    const { proc: coordinator, url } = await startCoordinator(['--instances', '3', '-e', `TARGET=${server.url}`, '-e', 'FAIL=1', '--out', 'record=fleet.json', 'script.ts'], { cwd: dir });
    const t0 = Date.now();
    const results = await Promise.all([coordinator.result, ...[0, 1, 2].map((i) => startInstance(url, i, { cwd: dir }).result)]);
    expect(Date.now() - t0).toBeLessThan(40_000); // far from the 60 s scenario
    expect(results[0]!.code, results[0]!.stderr).toBe(99);
    expect(results[0]!.stderr).toMatch(/threshold http_req_failed: rate<0\.5 crossed with abortOnFail, stopping the test/);
    for (const r of results.slice(1)) {
      expect(r.code, r.stderr).toBe(99);
      expect(r.stderr).toMatch(/the fleet coordinator stopped the test: http_req_failed rate<0\.5/);
    }
    const fleet = readJson(join(dir, 'fleet.json'));
    expect(fleet.end.state).toBe('thresholds-aborted');
    expect(fleet.fleet.parts.every((p: any) => p.state === 'done')).toBe(true);
  }, 150_000);
});
