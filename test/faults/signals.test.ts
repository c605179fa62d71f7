import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { finalTotals, readRecordFile, schemaErrors } from '../record-helpers.js';
import { expectConsistent, HTTP_IMPORT, lines, run, sleep, until, type Run } from './harness.js';
import { okServer, type FaultServer } from './servers.js';

/**
 * The fault suite, signals: SIGINT and SIGTERM sent to the built `loadts` command as a terminal or
 * `timeout` sends them, during the load, a stuck VU, setup() and teardown(). Every case checks the
 * exit code, the error line, that --summary-export is written and agrees with the server, and that
 * nothing is left behind. docs/exit-codes.md#signals is the behaviour under test.
 */

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A 30 s load of requests to / with a teardown() that sends /teardown, then does `then` (line 7). */
const loadWithTeardown = (then = '') =>
  lines(
    HTTP_IMPORT,
    "import { sleep } from 'loadts';",
    "export const options = { vus: 2, duration: '30s' };",
    "export default async function () { await http.get(__ENV.TARGET + '/'); await sleep(0.1); }",
    'export async function teardown() {',
    "  await http.get(__ENV.TARGET + '/teardown');",
    then,
    '}',
  );

const signalLines = (r: Run) => r.stderr.split('\n').filter((l) => l.startsWith('received SIG'));

describe('fault suite: signals to a stuck VU and to setup()', () => {
  it('SIGINT while a VU is stuck in a synchronous loop: the worker is terminated 5 s later, exit 105, the stuck error and every result written', async () => {
    server = await okServer();
    const s = server;
    const r = await run(
      s,
      lines(HTTP_IMPORT, "export const options = { vus: 1, duration: '30s' };", 'export default async function () {', "  await http.get(__ENV.TARGET + '/');", '  if (__ITER === 2) while (true) {}', '}'),
      {
        during: async (d) => {
          await until(() => s.requests() === 3, 'the third request');
          await sleep(200);
          d.signal('SIGINT');
        },
      },
    );
    expect(r.code).toBe(105);
    expect(r.error).toMatch(
      /^error: script\.ts:5:\d+: worker 1 of 1 \(scenario default\) did not finish within 5 s of the stop: its VU code never returned control \(a synchronous loop\?\)\. The worker was stopped; what it measured was sent first, nothing is lost$/,
    );
    expect(signalLines(r)).toEqual(['received SIGINT, stopping the test (again to exit at once); teardown() will run and results will be written']);
    expectConsistent(r, s, { state: 'interrupted', iterations: 2 });
    expect(s.requests()).toBe(3);
  });

  it('SIGINT during setup(): setup is cut short, exit 105, its requests kept, no load', async () => {
    server = await okServer();
    const s = server;
    const script = lines(
      HTTP_IMPORT,
      "import { sleep } from 'loadts';",
      'export const options = { vus: 1, iterations: 1 };',
      "export async function setup() { for (let i = 0; i < 2; i++) await http.get(__ENV.TARGET + '/setup'); await sleep(30); }",
      "export default async function () { await http.get(__ENV.TARGET + '/'); }",
    );
    const r = await run(s, script, {
      during: async (d) => {
        await until(() => s.requests() === 2, 'setup\'s requests');
        d.signal('SIGINT');
      },
    });
    expect(r.code).toBe(105);
    expect(r.error).toBeUndefined();
    expect(r.stderr).toMatch(/^test interrupted: stopped by SIGINT$/m);
    expectConsistent(r, s, { state: 'interrupted', iterations: 0 });
    expect(s.paths()).toEqual(['/setup', '/setup']);
  });
});

describe('fault suite: signals during the load', () => {
  it('a first SIGINT: the load stops, teardown() runs (its request reaches the server), exit 105', async () => {
    server = await okServer();
    const s = server;
    const r = await run(s, loadWithTeardown(), {
      during: async (d) => {
        await until(() => s.requests() >= 4, 'a few requests');
        d.signal('SIGINT');
      },
    });
    expect(r.code).toBe(105);
    expect(r.error).toBeUndefined();
    expectConsistent(r, s, { state: 'interrupted' });
    expect(s.paths().at(-1)).toBe('/teardown');
    expect(s.paths().filter((p) => p === '/teardown')).toHaveLength(1);
  });

  it('two SIGTERMs 1 ms apart (as `timeout` sends them) are one graceful stop: teardown and results, exit 105', async () => {
    server = await okServer();
    const s = server;
    const r = await run(s, loadWithTeardown(), {
      during: async (d) => {
        await until(() => s.requests() >= 4, 'a few requests');
        d.signal('SIGTERM');
        await sleep(1);
        d.signal('SIGTERM');
      },
    });
    expect(r.code).toBe(105);
    expect(r.error).toBeUndefined();
    expect(signalLines(r)).toEqual(['received SIGTERM, stopping the test (again to exit at once); teardown() will run and results will be written']);
    expectConsistent(r, s, { state: 'interrupted' });
    expect(s.paths().at(-1)).toBe('/teardown');
  });
});

describe('fault suite: signals, exit at once and `timeout`', () => {
  it('a second SIGINT 1.5 s after the first, while teardown() sleeps: exit 105 at once, --summary-export, the record, json and csv still written with what was merged', async () => {
    server = await okServer();
    const s = server;
    let secondAt = 0;
    const r = await run(s, loadWithTeardown('  await sleep(30);'), {
      args: ['--out', 'record=run.json.gz', '--out', 'json=samples.ndjson.gz', '--out', 'csv=samples.csv'],
      during: async (d) => {
        await until(() => s.requests() >= 4, 'a few requests');
        d.signal('SIGINT');
        await until(() => s.paths().includes('/teardown'), "teardown's request");
        await sleep(1500); // teardown reports what it measured once a second
        secondAt = Date.now();
        d.signal('SIGINT');
      },
    });
    expect(Date.now() - secondAt).toBeLessThan(3000);
    expect(r.code).toBe(105);
    expect(r.error).toBeUndefined();
    expect(signalLines(r)).toEqual([
      'received SIGINT, stopping the test (again to exit at once); teardown() will run and results will be written',
      'received SIGINT again: exiting now, without teardown(); writing the results measured so far',
    ]);
    expectConsistent(r, s, { state: 'interrupted' });
    expect(s.paths().at(-1)).toBe('/teardown');
    expectOutputsWritten(r);
  });

  it('`timeout -s TERM 3 loadts run …`, 5 times: every run writes --summary-export (state interrupted, exitCode 105) and runs teardown', async () => {
    server = await okServer();
    const s = server;
    for (let i = 0; i < 5; i++) {
      const before = s.requests();
      const r = await run(s, loadWithTeardown(), { wrap: ['timeout', '-s', 'TERM', '3'] });
      expect(r.code, `run ${i + 1}: timeout's own status for a command it timed out`).toBe(124);
      expect(r.error).toBeUndefined();
      expect(signalLines(r)).toEqual(['received SIGTERM, stopping the test (again to exit at once); teardown() will run and results will be written']);
      expectConsistent(r, undefined, { state: 'interrupted', exitCode: 105 });
      expect(r.summary.metrics.http_reqs.count).toBe(s.requests() - before);
      expect(s.paths().at(-1)).toBe('/teardown');
    }
  });
});

/** The record, json (gzip) and csv outputs of `r` are complete, valid, and hold its http_reqs. */
function expectOutputsWritten(r: Run): void {
  const reqs = r.summary.metrics.http_reqs.count as number;
  const record = readRecordFile(join(r.dir, 'run.json.gz'));
  expect(schemaErrors(record)).toEqual([]);
  expect(record.end).toMatchObject({ state: 'interrupted', exitCode: 105 });
  expect(finalTotals(record, 'http_reqs').sum).toBe(reqs);
  const points = gunzipSync(readFileSync(join(r.dir, 'samples.ndjson.gz')))
    .toString('utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; metric: string });
  expect(points.filter((p) => p.type === 'Point' && p.metric === 'http_reqs')).toHaveLength(reqs);
  const rows = readFileSync(join(r.dir, 'samples.csv'), 'utf8').trimEnd().split('\n');
  expect(rows[0]).toMatch(/^metric_name,timestamp,metric_value,/);
  expect(rows.filter((row) => row.startsWith('http_reqs,'))).toHaveLength(reqs);
}
