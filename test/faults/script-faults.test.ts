import { afterEach, describe, expect, it } from 'vitest';
import { expectConsistent, HTTP_IMPORT, lines, run } from './harness.js';
import { okServer, type FaultServer } from './servers.js';

/**
 * The fault suite, script side: scripts with bugs, through the built `loadts` command against a
 * server that behaves (it counts what it received). Every case checks the exit code, the first
 * error line, that --summary-export is written and consistent (or, when the run ended before any
 * load, that it is not), that http_reqs is exactly what the server received, and that nothing is
 * left behind.
 */

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const GET = "  await http.get(__ENV.TARGET + '/');";

describe('fault suite: faulty scripts, a worker stuck or gone', () => {
  it('VU code in a synchronous infinite loop: terminated at the scenario end + gracefulStop + 5 s, exit 113 naming script.ts:line:col, nothing lost', async () => {
    server = await okServer();
    const r = await run(
      server,
      lines(
        HTTP_IMPORT,
        "export const options = { scenarios: { s: { executor: 'per-vu-iterations', vus: 1, iterations: 3, maxDuration: '2s', gracefulStop: '0s' } } };",
        'export default async function () {',
        GET,
        '  if (__ITER === 2) while (true) {}',
        '}',
      ),
    );
    expect(r.code).toBe(113);
    expect(r.error).toMatch(
      /^error: script\.ts:5:\d+: worker 1 of 1 \(scenario s\) did not finish by the test's scheduled end plus gracefulStop and 5 s: its VU code never returned control \(a synchronous loop\?\)\. The worker was stopped; what it measured was sent first, nothing is lost$/,
    );
    expectConsistent(r, server, { state: 'worker-stuck', iterations: 2 });
    expect(server.requests()).toBe(3);
    expect(r.summary.loadts.iterations.interrupted).toBe(1);
  });

  it('process.exit(3) in VU code: exit 107 naming where, the rest stopped, what it measured kept', async () => {
    server = await okServer();
    const r = await run(server, lines(HTTP_IMPORT, 'export const options = { vus: 1, iterations: 5 };', 'export default async function () {', GET, '  if (__ITER === 1) process.exit(3);', '}'));
    expect(r.code).toBe(107);
    expect(r.error).toMatch(
      /^error: script\.ts:5:\d+: the script called process\.exit\(3\) \(scenario default, worker 1 of 1\): a script cannot end the process; to stop a test early, call exec\.test\.abort\(\)\. The test was stopped$/,
    );
    expectConsistent(r, server, { state: 'script-exited', iterations: 1 });
    expect(server.requests()).toBe(2);
  });

  it('process.exit(0) at module scope: exit 107 naming script.ts:1, and no --summary-export: nothing ran', async () => {
    const r = await run(undefined, lines('process.exit(0);', 'export default async function () {}'), { exported: false });
    expect(r.code).toBe(107);
    expect(r.error).toMatch(/^error: script\.ts:1:\d+: the init context called process\.exit\(0\)/);
  });
});

describe('fault suite: faulty scripts, errors the worker survives', () => {
  it('a promise rejected with nobody waiting (fire-and-forget): logged with script.ts:line, counted in script_errors, the worker keeps running, exit 0', async () => {
    server = await okServer();
    const r = await run(server, lines(HTTP_IMPORT, 'export const options = { vus: 1, iterations: 3 };', 'export default async function () {', GET, "  Promise.reject(new Error('forgotten'));", '}'));
    expect(r.code).toBe(0);
    expect(r.error).toBeUndefined();
    expect(r.stderr).toMatch(/level=error msg="unhandled promise rejection in the script: Error: forgotten\\n\\tat default \(script\.ts:5:\d+\)"/);
    expectConsistent(r, server, { state: 'completed', iterations: 3 });
    expect(r.stderr.match(/unhandled promise rejection in the script/g)).toHaveLength(3);
    expect(r.summary.metrics.script_errors.count).toBe(3); // the last iteration's too
    expect(server.requests()).toBe(3);
  });

  it('an exception thrown outside any iteration (setImmediate), 8 times: 5 lines printed, the fifth saying so, all 8 in script_errors, exit 0', async () => {
    server = await okServer();
    const r = await run(server, lines(HTTP_IMPORT, 'export const options = { vus: 1, iterations: 8 };', 'export default async function () {', "  setImmediate(() => { throw new Error('again'); });", GET, '}'));
    expect(r.code).toBe(0);
    expect(r.error).toBeUndefined();
    const printed = r.stderr.split('\n').filter((l) => l.includes('uncaught exception in the script: Error: again'));
    expect(printed).toHaveLength(5);
    expect(printed.slice(0, 4).every((l) => /\(script\.ts:4:\d+\)" iter=\d/.test(l))).toBe(true);
    expect(printed[4]).toMatch(/\(script\.ts:4:\d+\) \(further occurrences are counted, not printed\)"/);
    expectConsistent(r, server, { state: 'completed', iterations: 8 });
    expect(r.summary.metrics.script_errors.count).toBe(8);
    expect(r.summary.metrics.iteration_errors).toBeUndefined();
  });

  it('a timer callback that throws while its iteration awaits another timer: the iteration fails at once (it used to wait for the cleared timer until the scenario stopped)', async () => {
    server = await okServer();
    const r = await run(
      server,
      lines(
        HTTP_IMPORT,
        'export const options = { vus: 1, iterations: 3 };',
        'export default async function () {',
        GET,
        "  setTimeout(() => { throw new Error('late'); }, 0);",
        '  await new Promise((r) => setTimeout(r, 50));',
        "  await http.get(__ENV.TARGET + '/never');",
        '}',
      ),
    );
    expect(r.code).toBe(0);
    expect(r.error).toBeUndefined();
    expect(r.stderr).toMatch(/level=error msg="Error: late\\n\\tat <anonymous> \(script\.ts:5:\d+\)"/);
    expectConsistent(r, server, { state: 'completed', iterations: 3 });
    expect(r.summary.metrics.iteration_errors.count).toBe(3);
    expect(r.summary.loadts.testRunDurationMs).toBeLessThan(5000);
    expect(server.paths()).toEqual(['/', '/', '/']);
  });
});

describe('fault suite: faulty scripts, out of memory', () => {
  it('a worker out of heap (--worker-heap 96): exit 112, state out-of-memory, what it had reported kept', async () => {
    server = await okServer();
    const r = await run(
      server,
      lines(
        HTTP_IMPORT,
        "import { sleep } from 'loadts';",
        'export const options = { vus: 1, iterations: 1 };',
        'const kept = [];',
        'export default async function () {',
        GET,
        '  await sleep(1.5);', // a report goes out
        '  for (;;) kept.push(new Array(1e5).fill(Math.random()));',
        '}',
      ),
      { args: ['--worker-heap', '96'] },
    );
    expect(r.code).toBe(112);
    expect(r.error).toMatch(/^error: worker 1 of 1 \(scenario default\) ran out of memory: its heap limit is 96 MiB; raise it with --worker-heap, or keep less data per VU \(discardResponseBodies for large responses\)\. The test was stopped; what it measured after its last report, \d+\.\d s before, is lost$/);
    expectConsistent(r, server, { state: 'out-of-memory', iterations: 0 });
    expect(r.summary.loadts.iterations.interrupted).toBe(1); // the iteration it was running, as of its last report
    expect(server.requests()).toBe(1);
  });

  it('the process past --memory-limit: a warning, then a graceful stop, exit 112, every result written', async () => {
    server = await okServer();
    const r = await run(
      server,
      lines(
        HTTP_IMPORT,
        "import { sleep } from 'loadts';",
        "export const options = { vus: 1, duration: '20s' };",
        'const kept = [];',
        'export default async function () {',
        GET,
        '  kept.push(Buffer.alloc(3 * 2 ** 20, 1));', // 30 MiB a second, outside the heap
        '  await sleep(0.1);',
        '}',
      ),
      { args: ['--memory-limit', '200MB'] },
    );
    expect(r.code).toBe(112);
    expect(r.stderr).toMatch(/^warning: loadts uses \d+ MiB of memory, past 80% of its limit \(200 MiB\): at the limit the test stops$/m);
    expect(r.error).toMatch(/^error: loadts used \d+ MiB of memory, past its limit of 200 MiB \(--memory-limit\): the test was stopped before the system ran out; use fewer VUs or less data per VU, or raise the limit$/);
    expectConsistent(r, server, { state: 'out-of-memory' });
    expect(r.summary.loadts.testRunDurationMs).toBeLessThan(15_000);
    expect(server.requests()).toBeGreaterThan(5);
  });
});

describe('fault suite: handleSummary()', () => {
  it('handleSummary() throws: exit 107, the default summary instead, and the JSON says exitCode 107', async () => {
    server = await okServer();
    const r = await run(
      server,
      lines(HTTP_IMPORT, 'export const options = { vus: 1, iterations: 2 };', 'export default async function () {', GET, '}', "export function handleSummary() { throw new Error('no summary today'); }"),
    );
    expect(r.code).toBe(107);
    expect(r.error).toBe('error: script.ts:6:41: handleSummary() threw: no summary today; printing the default summary instead');
    expectConsistent(r, server, { state: 'completed', iterations: 2 });
  });
});

describe('fault suite: config files and imports', () => {
  const script = lines(HTTP_IMPORT, 'export default async function () {', GET, '}');

  it('a YAML config file works in the built command; an invalid one is exit 104 naming the file and line', async () => {
    server = await okServer();
    const ok = await run(server, script, { args: ['-c', 'config.yaml'], files: { 'config.yaml': 'vus: 2\niterations: 4\n' } });
    expect(ok.code).toBe(0);
    expect(ok.error).toBeUndefined();
    expectConsistent(ok, server, { state: 'completed', iterations: 4 });
    expect(server.requests()).toBe(4);

    const bad = await run(server, script, { args: ['-c', 'config.yaml'], files: { 'config.yaml': 'vus: 2\niterations: [4,\n' }, exported: false });
    expect(bad.code).toBe(104);
    expect(bad.error).toMatch(/^error: invalid YAML in config file \/.*\/config\.yaml:3:1: Flow sequence in block collection must be sufficiently indented and end with a \]$/);
    expect(server.requests()).toBe(4);
  });

  for (const [file, text] of [['config.json', '{ "vus": -1 }'], ['config.yaml', 'iterations: 1\nvus: -1\n']] as const) {
    it(`a bad value in ${file} is one line, exit 104 naming the file, even where the script sets the same option`, async () => {
      const r = await run(undefined, lines('export const options = { vus: 1, iterations: 1 };', 'export default async function () {}'), { args: ['-c', file], files: { [file]: text }, exported: false });
      expect(r.code).toBe(104);
      expect(r.stderr).toBe(`error: invalid option vus (config file ${file}): must be a non-negative integer, got -1\n`);
    });
  }

  it('a missing named import: exit 107 with script.ts:1:10 and the module name, not a bundle path', async () => {
    const r = await run(undefined, lines("import { nosuch } from 'loadts/http';", 'export default async function () { nosuch(); }'), { exported: false });
    expect(r.code).toBe(107);
    expect(r.error).toMatch(/^error: script\.ts:1:10: module "loadts\/http" has no export named "nosuch"; it exports CookieJar, .*\bget\b/);
    expect(r.error).not.toMatch(/dist|bundle|loadts-api/);
  });
});
