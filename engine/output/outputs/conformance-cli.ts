/**
 * The conformance suite's cases through the built CLI (conformance.ts registers them), against a
 * loopback server that counts the requests it got.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadts, testServer } from '../../../test/helpers.js';
import { expectWritten, using, type Destination, type OutputUnderTest } from './conformance.js';

/** The script of the CLI cases: VUs request the counting server until stopped; VU 1 says when it is under way. */
const VUS = 4;
const SCRIPT = `import http from 'loadts/http';
export const options = { vus: ${VUS}, duration: '30s', thresholds: { http_req_duration: ['p(95)<10000'], http_req_failed: ['rate<0.5'] } };
export default async function () {
  await http.get(__ENV.BASE_URL + '/');
  if (__VU === 1 && __ITER === 30) console.log('UNDER-WAY');
}
`;
/** The script's thresholds: neither is crossed by a server that answers 'ok'. */
const THRESHOLDS = { total: 2, crossed: 0 };

/** Feeds each whole line of the command's output (stdout and stderr together) to the destination, once. */
function lineFeeder(d: Destination): (text: string) => void {
  let seen = 0;
  return (text) => {
    const end = text.lastIndexOf('\n') + 1;
    if (end <= seen) return;
    for (const line of text.slice(seen, end).split('\n').slice(0, -1)) d.heard?.(line);
    seen = end;
  };
}

export function cliCases(t: OutputUnderTest): void {
  const dir = mkdtempSync(join(tmpdir(), `loadts-${t.type.name}-cli-`));
  let server: Awaited<ReturnType<typeof testServer>>;
  let requests = 0;
  beforeAll(async () => {
    writeFileSync(join(dir, 'script.js'), SCRIPT);
    server = await testServer((_req, res) => {
      requests++;
      res.end('ok');
    });
  });
  afterAll(() => server?.close());

  const run = (d: Destination, interrupt: boolean) => {
    let sent = false; // one Ctrl-C: a second one means "exit at once"
    const feed = lineFeeder(d);
    return loadts(['run', '-q', '--no-summary', ...(d.arg === undefined ? [] : ['--out', `${t.type.name}=${d.arg}`]), join(dir, 'script.js')], {
      env: { BASE_URL: server.url, ...d.env },
      onStdout: (out, kill) => {
        feed(out);
        if (!interrupt || sent || !out.includes('UNDER-WAY')) return;
        sent = true;
        kill('SIGINT');
      },
    });
  };

  it('through the CLI, Ctrl-C (SIGINT): exit 105, and the destination is complete and valid', () =>
    using(t.destination(), async (d) => {
      requests = 0;
      const r = await run(d, true);
      expect(r.code, r.stderr).toBe(105);
      const w = await d.read();
      if (t.reports.includes('samples')) expect(w.samples).toBeGreaterThan(0);
      expect(requests).toBeGreaterThan(0);
      // The stop aborts the request each VU has in flight: counted when it had reached the server,
      // left out when not a byte of it was sent, so the destination and the server agree exactly.
      expectWritten(t, w, { samples: w.samples ?? 0, requests, state: 'interrupted', thresholds: THRESHOLDS });
    }));

  it('through the CLI, an unwritable destination: exit 104 with one line naming the output, before any request', () =>
    using(t.unwritable(), async (d) => {
      requests = 0;
      const r = await run(d, false);
      expect(r.code, r.stderr).toBe(104);
      expect(r.stderr).toMatch(new RegExp(`^error: output ${t.type.name} \\([^\\n]*\\): ${d.why.source}`, 'm'));
      expect(requests).toBe(0);
    }));
}
