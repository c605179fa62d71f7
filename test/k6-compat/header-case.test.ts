import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCert } from '../../engine/target/self-signed-cert.js';
import { startDemoTarget, type DemoTarget } from '../../engine/target/server.js';
import { fixtureDir, loadts, readJson, testServer } from '../helpers.js';

const SCRIPT = `
  import http from 'k6/http';
  export const options = { iterations: 1, insecureSkipTLSVerify: true };
  export default async function () {
    await http.post(__ENV.URL, 'x', { headers: { 'x-test': '1', 'content-type': 'text/plain', 'X-UPPER': '2' } });
  }
  export function handleSummary(data) { return { 'out.json': JSON.stringify(data.metrics.http_reqs.values) }; }
`;

describe('header names on the wire: canonical on HTTP/1.1 (as Go sends them), lower case on HTTP/2', () => {
  const seen: string[][] = [];
  let plain: Awaited<ReturnType<typeof testServer>>;
  let https: ReturnType<typeof createHttpsServer>;
  let httpsUrl = '';
  let h2: DemoTarget;
  beforeAll(async () => {
    plain = await testServer((req, res) => {
      seen.push(req.rawHeaders.filter((_, i) => i % 2 === 0));
      req.resume();
      res.end('ok');
    });
    const cert = selfSignedCert({ commonName: 'localhost' });
    https = createHttpsServer({ cert: cert.cert, key: cert.key }, (req, res) => {
      seen.push(req.rawHeaders.filter((_, i) => i % 2 === 0));
      req.resume();
      res.end('ok');
    });
    await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
    httpsUrl = `https://127.0.0.1:${(https.address() as AddressInfo).port}/`;
    h2 = await startDemoTarget({ tls: true, h2: true });
  });
  afterAll(async () => {
    await plain.close();
    https.closeAllConnections();
    await new Promise<void>((r) => https.close(() => r()));
    await h2.close();
  });

  it("loadts's own HTTP/1.1 client (http:) writes Host, User-Agent, X-Test, Content-Length; undici's (https:) the script's and User-Agent", async () => {
    const dir = fixtureDir({ 'script.ts': SCRIPT });
    seen.length = 0;
    const r = await loadts(['run', '-q', '--workers', '1', 'script.ts'], { cwd: dir, env: { URL: `${plain.url}/` } });
    expect(r.code).toBe(0);
    expect(seen[0]).toEqual(['Host', 'User-Agent', 'X-Test', 'Content-Type', 'X-Upper', 'Content-Length']);
    // undici writes those it sets itself (host, connection, content-length) in lower case (docs/differences-from-k6.md)
    seen.length = 0;
    const s = await loadts(['run', '-q', '--workers', '1', 'script.ts'], { cwd: dir, env: { URL: httpsUrl } });
    expect(s.code).toBe(0);
    expect(seen[0]).toEqual(['host', 'connection', 'User-Agent', 'X-Test', 'Content-Type', 'X-Upper', 'content-length']);
  });

  it('HTTP/2 stays lower case; the demo target echoes names canonical either way, as httpbin', async () => {
    const dir = fixtureDir({
      'script.ts': `
        import http from 'k6/http';
        import { check } from 'k6';
        export const options = { iterations: 1, insecureSkipTLSVerify: true };
        export default async function () {
          const res = await http.get(__ENV.BASE_URL + '/headers', { headers: { 'x-test': '1' } });
          check(res, { h2: (r) => r.proto === 'HTTP/2.0', 'echoed X-Test': (r) => r.json('headers.X-Test') === '1' && r.json('headers.User-Agent') !== undefined });
        }
      `,
    });
    const r = await loadts(['run', '-q', '--workers', '1', '--summary-export', 'out.json', 'script.ts'], { cwd: dir, env: { BASE_URL: h2.url } });
    expect(r.code).toBe(0);
    expect(readJson(join(dir, 'out.json')).metrics.checks.fails).toBe(0);
  });
});
