import { afterEach, describe, expect, it } from 'vitest';
import { expectConsistent, HTTP_IMPORT, lines, run } from './harness.js';
import { okServer, slowPathServer, type FaultServer } from './servers.js';

/**
 * The fault suite, two workers (--workers 2) with VUs on both, one of them faulty: its VU code
 * calls process.exit(), loops synchronously, or throws where no iteration can catch it. The run
 * still ends, names the worker and the script's line, keeps what the other worker measured, and
 * http_reqs is exactly what the server received, also the requests the faulty worker still had on
 * the wire when it ended.
 */

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Lines 1–4 of each script: its imports, and `first`: worker 2's first VU to run (per worker: module scope is). */
const HEAD = [HTTP_IMPORT, "import exec from 'loadts/execution';", "import { sleep } from 'loadts';", 'let first;'];
/** Line 6: whether this VU is the faulty one, worker 2's first. */
const FAULTY = '  const faulty = exec.instance.workerIndex === 1 && (first ??= exec.vu.idInTest) === exec.vu.idInTest;';
/** Line 7: worker 2's other VU sends requests the server answers after 3 s; the rest, at once. */
const SEND = "  const slow = exec.instance.workerIndex === 1 && !faulty;";
const GET = "  await http.get(__ENV.TARGET + (slow ? '/slow' : '/'));";

describe('fault suite: two workers, one faulty', () => {
  it('process.exit() late in one worker: exit 107 naming where, the other worker stopped, its sibling\'s request on the wire counted', async () => {
    server = await slowPathServer('/slow', 3000);
    const r = await run(
      server,
      lines(...HEAD, "export const options = { vus: 4, duration: '20s' };", 'export default async function () {', FAULTY, SEND, '  if (faulty && exec.instance.currentTestRunDuration > 1500) process.exit(3);', GET, '  await sleep(0.05);', '}'),
      { workers: 2 },
    );
    expect(r.code).toBe(107);
    expect(r.error).toMatch(/^error: script\.ts:9:\d+: the script called process\.exit\(3\) \(scenario default, worker 2 of 2\): a script cannot end the process; to stop a test early, call exec\.test\.abort\(\)\. The test was stopped$/);
    expectConsistent(r, server, { state: 'script-exited' });
    const { metrics: m, loadts: x } = r.summary;
    expect(x.testRunDurationMs).toBeLessThan(10_000);
    expect(m.vus.max).toBe(4);
    expect(m.vus_max.value).toBe(4);
    expect(server.paths().filter((p) => p === '/slow')).toHaveLength(1); // on the wire when its worker ended
    expect(m.http_req_failed.passes).toBeGreaterThanOrEqual(1);
    // the exiting VU's and its sibling's, and the other worker's two unless one was between iterations at the stop
    expect(x.iterations.interrupted).toBeGreaterThanOrEqual(2);
    expect(x.iterations.interrupted).toBeLessThanOrEqual(4);
    // Every iteration sends one request to '/' (the slow sibling's go to '/slow'), then sleeps: the
    // complete ones are what the server answered at '/' but for those of iterations interrupted
    // after their request. So nothing the other worker finished was lost, at any machine speed.
    const root = server.paths().filter((p) => p === '/').length;
    expect(x.iterations.complete).toBeLessThanOrEqual(root);
    expect(x.iterations.complete).toBeGreaterThanOrEqual(root - x.iterations.interrupted);
    // It ran on until the stop: 69 complete iterations on a quiet machine, 19 in a CI run beside the whole suite.
    expect(x.iterations.complete).toBeGreaterThanOrEqual(10);
  });

  it('a synchronous loop in one worker: exit 113 naming the worker and script.ts:line, the other worker\'s results and the stuck one\'s request on the wire kept', async () => {
    server = await slowPathServer('/slow', 3000);
    const r = await run(
      server,
      lines(
        ...HEAD,
        // the loop starts 300 ms after the sibling's request to /slow went out (a fixed time into the
        // test failed on a loaded machine: the worker started late and looped before it was sent)
        "export const options = { scenarios: { s: { executor: 'constant-vus', vus: 4, duration: '3s', gracefulStop: '0s' } } }; let slowAt;",
        'export default async function () {',
        FAULTY,
        SEND,
        '  if (faulty && slowAt !== undefined && Date.now() - slowAt > 300) while (true) {}',
        `  if (slow) slowAt ??= Date.now();${GET}`,
        '  await sleep(0.05);',
        '}',
      ),
      { workers: 2 },
    );
    expect(r.code).toBe(113);
    expect(r.error).toMatch(
      /^error: script\.ts:9:\d+: worker 2 of 2 \(scenario s\) did not finish by the test's scheduled end plus gracefulStop and 5 s: its VU code never returned control \(a synchronous loop\?\)\. The worker was stopped; what it measured was sent first, nothing is lost$/,
    );
    expectConsistent(r, server, { state: 'worker-stuck' });
    const { metrics: m, loadts: x } = r.summary;
    expect(server.paths().filter((p) => p === '/slow')).toHaveLength(1);
    expect(m.http_req_failed.passes).toBe(1); // that one, aborted with its worker
    // the looping VU's and its sibling's, and the other worker's two unless one was between iterations at the end (gracefulStop 0s)
    expect(x.iterations.interrupted).toBeGreaterThanOrEqual(2);
    expect(x.iterations.interrupted).toBeLessThanOrEqual(4);
    // the other worker's, kept: every complete iteration's request reached the server ('/'), and
    // every request to '/' is a complete iteration's but for those of interrupted ones
    const root = server.paths().filter((p) => p === '/').length;
    expect(x.iterations.complete).toBeLessThanOrEqual(root);
    expect(x.iterations.complete).toBeGreaterThanOrEqual(root - x.iterations.interrupted);
    expect(x.iterations.complete).toBeGreaterThanOrEqual(10);
    expect(m.vus.max).toBe(4);
  });
});

describe('fault suite: two workers, one with errors it survives', () => {
  it('errors late in one worker: a rejection nobody awaits and throws in setImmediate, process.nextTick and an event listener in script_errors, a throwing timer in iteration_errors; every VU of both workers runs on, vus right, exit 0', async () => {
    server = await okServer();
    const r = await run(
      server,
      lines(
        ...HEAD,
        "import { EventEmitter } from 'node:events';",
        "export const options = { vus: 4, duration: '2500ms' };",
        "const ee = new EventEmitter().on('tick', () => { throw new Error('in a listener'); });",
        'export default async function () {',
        FAULTY,
        '  if (faulty && exec.instance.currentTestRunDuration > 1000 && !ee.fired) {',
        '    ee.fired = true;',
        "    Promise.reject(new Error('forgotten'));",
        "    setImmediate(() => { throw new Error('in setImmediate'); });",
        "    process.nextTick(() => { throw new Error('in nextTick'); });",
        "    globalThis.setTimeout(() => ee.emit('tick'), 1);",
        "    setTimeout(() => { throw new Error('in a timer'); }, 1);", // loadts's: fails its iteration
        '  }',
        "  await http.get(`${__ENV.TARGET}/${exec.vu.idInTest}${exec.instance.currentTestRunDuration > 1800 ? '/late' : ''}`);",
        '  await sleep(0.05);',
        '}',
      ),
      { workers: 2 },
    );
    expect(r.code).toBe(0);
    expect(r.error).toBeUndefined();
    for (const [what, line] of [['unhandled promise rejection in the script: Error: forgotten', 12], ['uncaught exception in the script: Error: in setImmediate', 13], ['uncaught exception in the script: Error: in nextTick', 14], ['uncaught exception in the script: Error: in a listener', 7]] as const) {
      expect(r.stderr).toMatch(new RegExp(`level=error msg="${what}\\\\n\\\\tat [^"]*\\(script\\.ts:${line}:\\d+\\)`));
    }
    expectConsistent(r, server, { state: 'completed' });
    const m = r.summary.metrics;
    expect(m.script_errors.count).toBe(4);
    expect(r.stderr).toMatch(/level=error msg="Error: in a timer\\n\\tat <anonymous> \(script\.ts:16:\d+\)"/);
    expect(m.iteration_errors.count).toBe(1); // the timer's iteration, as k6 counts it
    expect([m.vus.min, m.vus.max, m.vus.value]).toEqual([4, 4, 4]);
    for (const vu of [1, 2, 3, 4]) expect(server.paths(), `VU ${vu} ran on`).toContain(`/${vu}/late`);
  });
});
