import { afterEach, describe, expect, it } from 'vitest';
import { expectConsistent, HTTP_IMPORT, lines, run } from './harness.js';
import { okServer, slowPathServer, type FaultServer } from './servers.js';

/**
 * The fault suite, setup(): a setup() that fails, runs past setupTimeout awaiting, or is stuck in
 * a synchronous loop. Its own requests were measured and sent: they must be in http_reqs, exactly
 * as many as the server received, and no load runs after it. (Signals during setup: signals.test.ts.)
 */

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A script whose setup() sends two requests to /setup, then does `then` (line 6). */
const setupThen = (then: string) =>
  lines(
    HTTP_IMPORT,
    "import { sleep } from 'loadts';",
    'export const options = { vus: 1, iterations: 1 };',
    'export async function setup() {',
    "  for (let i = 0; i < 2; i++) await http.get(__ENV.TARGET + '/setup');",
    then,
    '}',
    "export default async function () { await http.get(__ENV.TARGET + '/'); }",
  );

describe('fault suite: setup()', () => {
  it('setup() sends 2 requests, then throws: exit 107 naming where, its requests kept, no load', async () => {
    server = await okServer();
    const r = await run(server, setupThen("  throw new Error('setup broke');"));
    expect(r.code).toBe(107);
    expect(r.error).toBe('error: script.ts:6:9: setup() threw: setup broke');
    expectConsistent(r, server, { state: 'setup-failed', iterations: 0 });
    expect(server.paths()).toEqual(['/setup', '/setup']);
  });

  it('setup() sends 2 requests, then awaits past setupTimeout: exit 100, its requests kept, no load', async () => {
    server = await okServer();
    const r = await run(server, setupThen('  await sleep(30);'), { args: ['--setup-timeout', '1s'] });
    expect(r.code).toBe(100);
    expect(r.error).toBe('error: setup() did not finish within setupTimeout (1000 ms)');
    expectConsistent(r, server, { state: 'setup-failed', iterations: 0 });
    expect(server.paths()).toEqual(['/setup', '/setup']);
  });

  it('setup() sends 2 requests and a third it does not await, then loops synchronously past setupTimeout: terminated, exit 100 naming script.ts:line:col, nothing lost, the third a failed request', async () => {
    server = await slowPathServer('/slow', 3000);
    const r = await run(server, setupThen("  http.get(__ENV.TARGET + '/slow'); await sleep(0.2); while (true) {}"), { args: ['--setup-timeout', '1s'] });
    expect(r.code).toBe(100);
    expect(r.error).toMatch(/^error: script\.ts:6:\d+: setup\(\) did not finish within setupTimeout \(1000 ms\)$/);
    expectConsistent(r, server, { state: 'setup-failed', iterations: 0 });
    expect(server.paths()).toEqual(['/setup', '/setup', '/slow']);
    expect(r.summary.metrics.http_req_failed.passes).toBe(1);
  });
});
