import { afterEach, describe, expect, it } from 'vitest';
import { expectConsistent, host, HTTP_IMPORT, run as runLoadts } from './harness.js';
import { closingServer, endlessBodyServer, malformedStatusServer, resetMidBodyServer, silentServer, slowBytesServer, type FaultServer } from './servers.js';

/**
 * The fault suite, HTTP side: the built `loadts` command against servers that misbehave on
 * purpose (servers.ts), through the harness (harness.ts). Every case checks the exit code, the
 * error line, that --summary-export is written and agrees with itself and with the server
 * (http_reqs is exactly what the server received), and that nothing is left behind: the process
 * ended by itself, no process still runs in the test's directory, and the server sees no
 * connection left open.
 */

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Runs a script that imports loadts/http (`script`: the rest of it) against `s`. */
const run = (s: FaultServer | undefined, script: string, args: string[] = []) => runLoadts(s, `${HTTP_IMPORT}\n${script}\n`, { args });

describe('fault suite: misbehaving HTTP servers', () => {
  it('a server that accepts and never answers: every request times out, exit 111 "never answered"', async () => {
    server = await silentServer();
    const r = await run(server, `export const options = { vus: 3, iterations: 3 };\nexport default async function () { await http.get(__ENV.TARGET + '/', { timeout: '1s' }); }`);
    expect(r.code).toBe(111);
    expect(r.error).toBe(`error: the target never answered: all 3 HTTP requests failed before any response, the first with GET ${server.url}/: request timeout (error_code 1050); is it running, and is the URL (BASE_URL) right?`);
    expectConsistent(r, server, { state: 'completed', iterations: 3 });
    expect(server.requests()).toBe(3);
    expect(r.summary.metrics.http_req_failed.passes).toBe(3);
  });

  it('a server that resets mid-body: not retried (bytes had arrived), exit 111 worded by what arrived', async () => {
    server = await resetMidBodyServer();
    const r = await run(server, `export const options = { vus: 2, iterations: 4 };\nexport default async function () { await http.get(__ENV.TARGET + '/'); }`);
    expect(r.code).toBe(111);
    // The reset, as the kernel reports it; once, in a CI run beside the whole suite, the first
    // failure read as an end of file instead (not understood yet: the server only resets).
    const broken = '(read: connection reset by peer \\(error_code 1220\\)|EOF: the server closed the connection \\(error_code 1000\\))';
    expect(r.error).toMatch(new RegExp(`^error: no HTTP request got a complete response: all 4 HTTP requests failed after their response had begun \\(4\\.\\d kB arrived\\); the first with GET ${host(server)}/: ${broken}$`));
    expectConsistent(r, server, { state: 'completed', iterations: 4 });
    expect(server.requests()).toBe(4);
    expect(r.summary.metrics.data_received.count).toBe(server.bytesWritten());
  });

  for (const header of [false, true]) {
    it(`a server that closes after every response ${header ? 'with Connection: close' : 'with a FIN and no header'}: GETs and POSTs sent once each, none fails`, async () => {
      server = await closingServer(header);
      const r = await run(
        server,
        `export const options = { vus: 4, iterations: 40 };\nexport default async function () {\n  const res = __ITER % 2 === 0 ? await http.get(__ENV.TARGET + '/') : await http.post(__ENV.TARGET + '/', 'body');\n  if (res.status !== 200) throw new Error(res.error);\n}`,
      );
      expect(r.code).toBe(0);
      expect(r.error).toBeUndefined();
      expect(r.stderr).not.toMatch(/EOF|iteration failed/);
      expectConsistent(r, server, { state: 'completed', iterations: 40 });
      expect(server.requests()).toBe(40);
      expect(r.summary.metrics.http_req_failed.passes).toBe(0);
      expect(server.connections()).toBe(40);
    });
  }
});

describe('fault suite: misbehaving HTTP servers, broken responses', () => {
  it('a server that sends a malformed status line: a failed request each, exit 111', async () => {
    server = await malformedStatusServer();
    const r = await run(server, `export const options = { vus: 1, iterations: 3 };\nexport default async function () { await http.get(__ENV.TARGET + '/'); }`);
    expect(r.code).toBe(111);
    expect(r.error).toMatch(new RegExp(`^error: no HTTP request got a complete response: all 3 HTTP requests failed after their response had begun \\(\\d+ B arrived\\); the first with GET ${host(server)}/: malformed HTTP response \\(HPE_INVALID_STATUS\\) \\(error_code 1000\\)$`));
    expectConsistent(r, server, { state: 'completed', iterations: 3 });
    expect(server.requests()).toBe(3);
  });

  it('a server that sends an endless body: the VU keeps at most maxResponseBodySize, the request times out, exit 111 with what arrived', async () => {
    server = await endlessBodyServer({ bytesPerSecond: 8e6 });
    const r = await run(server, `export const options = { vus: 2, iterations: 2 };\nexport default async function () { await http.get(__ENV.TARGET + '/', { timeout: '1s' }); }`, ['--max-response-body-size', '1MB']);
    expect(r.code).toBe(111);
    expect(r.error).toMatch(new RegExp(`^error: no HTTP request got a complete response: all 2 HTTP requests failed after their response had begun \\(\\d+\\.\\d MB arrived\\); the first with GET ${host(server)}/: request timeout \\(error_code 1050\\)$`));
    expectConsistent(r, server, { state: 'completed', iterations: 2 });
    expect(server.requests()).toBe(2);
    const received = r.summary.metrics.data_received.count as number;
    expect(received).toBeGreaterThan(2e6);
    expect(received).toBeLessThanOrEqual(server.bytesWritten());
  });

  it('a body longer than maxResponseBodySize: read to its end and counted, not kept; a clear error, not V8\'s', async () => {
    server = await endlessBodyServer({ totalBytes: 3_000_000 });
    const r = await run(server, `export const options = { vus: 1, iterations: 2 };\nexport default async function () { await http.get(__ENV.TARGET + '/'); }`, ['--max-response-body-size', '1MB']);
    expect(r.code).toBe(111);
    expect(r.error).toMatch(new RegExp(`^error: no HTTP request got a complete response: all 2 HTTP requests failed after their response had begun \\(6\\.0 MB arrived\\); the first with GET ${host(server)}/: response body too large: over maxResponseBodySize \\(1\\.0 MB\\), read and counted but not kept \\(error_code 1000\\)$`));
    expect(r.stderr).not.toMatch(/Cannot create a string/);
    expectConsistent(r, server, { state: 'completed', iterations: 2 });
    expect(r.summary.metrics.data_received.count).toBe(server.bytesWritten());
    expect(server.connections()).toBe(1); // each body was read to its end: the connection was kept
  });
});

describe('fault suite: invalid URLs and slow servers', () => {
  it('a script whose URL is invalid (an unset variable): an error with the script line, failed requests, exit 111 "no HTTP request was sent"', async () => {
    const r = await run(undefined, `export const options = { vus: 2, iterations: 6 };\nexport default async function () {\n  await http.get(\`\${__ENV.BASE_ULR}/get\`);\n}`);
    expect(r.code).toBe(111);
    expect(r.stderr).toMatch(/^ERROR request failed: GET undefined\/get: invalid URL: not an absolute URL \(it starts with "undefined": is a variable it is built from unset\?\) \(error_code 1020\) \(at script\.ts:4:14\)/m);
    expect(r.error).toBe('error: no HTTP request was sent: the URL of all 6 HTTP requests was invalid, the first: GET undefined/get: invalid URL: not an absolute URL (it starts with "undefined": is a variable it is built from unset?) (error_code 1020) (at script.ts:4:14)');
    expectConsistent(r, undefined, { state: 'completed', iterations: 6 });
    const m = r.summary.metrics;
    expect(m.http_reqs.count).toBe(6);
    expect(m.http_req_failed.passes).toBe(6);
    expect(m.data_sent.count).toBe(0);
    expect(m.iterations.count).toBe(6);
  });

  it('a server that answers slowly, byte by byte: complete responses, or a timeout after bytes arrived', async () => {
    server = await slowBytesServer(10);
    const script = `export const options = { vus: 2, iterations: 2 };\nexport default async function () { await http.get(__ENV.TARGET + '/', { timeout: __ENV.TIMEOUT || '10s' }); }`;
    const ok = await run(server, script);
    expect(ok.code).toBe(0);
    expect(ok.error).toBeUndefined();
    expectConsistent(ok, server, { state: 'completed', iterations: 2 });
    expect(ok.summary.metrics.http_req_failed.passes).toBe(0);
    expect(ok.summary.metrics.http_req_duration.min).toBeGreaterThan(550); // 63 bytes, 10 ms apart

    await server.close();
    server = await slowBytesServer(10); // a server of its own: its count is this run's
    const late = await run(server, script, ['-e', 'TIMEOUT=300ms']);
    expect(late.code).toBe(111);
    expect(late.error).toMatch(/^error: no HTTP request got a complete response: all 2 HTTP requests failed after their response had begun \(\d+ B arrived\); the first with GET .*: request timeout \(error_code 1050\)$/);
    expectConsistent(late, server, { state: 'completed', iterations: 2 });
    expect(server.requests()).toBe(2);
    expect(late.summary.metrics.http_req_failed.passes).toBe(2);
  });
});
