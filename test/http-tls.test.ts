import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCert } from '../engine/target/self-signed-cert.js';
import { startDemoTarget, type DemoTarget } from '../engine/target/server.js';
import { fixtureDir, loadts, readJson, testServer } from './helpers.js';

/** Every check passed, and how many ran. */
function allChecks(path: string): { passes: number; fails: number; failed: string[] } {
  const out = readJson(path);
  let passes = 0;
  let fails = 0;
  const failed: string[] = [];
  for (const c of Object.values(out.root_group.checks) as Array<{ name: string; passes: number; fails: number }>) {
    passes += c.passes;
    fails += c.fails;
    if (c.fails > 0) failed.push(c.name);
  }
  return { passes, fails, failed };
}

describe('https and HTTP/2 through loadts run', () => {
  let target: DemoTarget;
  let plain: Awaited<ReturnType<typeof testServer>>;
  beforeAll(async () => {
    target = await startDemoTarget({ tls: true, h2: true });
    plain = await testServer((_q, res) => res.end('ok'));
  });
  afterAll(async () => {
    await target.close();
    await plain.close();
  });

  it('HTTP/2 via ALPN against the https demo target; tlsVersion pins the version; verification fails without insecureSkipTLSVerify', async () => {
    const dir = fixtureDir({
      'script.ts': `
        import http from 'k6/http';
        import { check } from 'k6';
        export const options = {
          iterations: 4,
          insecureSkipTLSVerify: __ENV.SKIP === '1',
          tlsVersion: { min: http.TLS_1_2, max: http.TLS_1_2 },
          thresholds: { 'http_reqs{proto:HTTP/2.0}': ['count==' + (__ENV.SKIP === '1' ? 12 : 0)] },
        };
        export default async function () {
          const r = await http.get(__ENV.BASE_URL + '/get');
          if (__ENV.SKIP !== '1') {
            check(r, { 'unknown authority': (x) => x.status === 0 && x.error_code === 1310 });
            await http.get(__ENV.PLAIN); // a target that answers: the run is not one that never reached its target
            return;
          }
          check(r, {
            'h2': (x) => x.status === 200 && x.proto === 'HTTP/2.0',
            'tls 1.2': (x) => x.tls_version === http.TLS_1_2,
          });
          const [a, b] = await http.batch([__ENV.BASE_URL + '/delay/5', ['POST', __ENV.BASE_URL + '/post', JSON.stringify({ x: 1 }), { headers: { 'Content-Type': 'application/json' } }]]);
          check(b, { 'batch over h2': (x) => a.status === 200 && x.json('json.x') === 1 && x.proto === 'HTTP/2.0' });
        }
      `,
    });
    const ok = await loadts(['run', '-q', '--workers', '1', '-e', `BASE_URL=${target.url}`, '-e', 'SKIP=1', '--summary-export', 'out.json', 'script.ts'], { cwd: dir });
    expect(ok.stderr).not.toMatch(/error/i);
    expect(ok.code).toBe(0);
    expect(allChecks(join(dir, 'out.json'))).toEqual({ passes: 12, fails: 0, failed: [] });
    const refused = await loadts(['run', '-q', '--workers', '1', '-e', `BASE_URL=${target.url}`, '-e', `PLAIN=${plain.url}`, '--summary-export', 'out2.json', 'script.ts'], { cwd: dir });
    expect(refused.code).toBe(0);
    expect(allChecks(join(dir, 'out2.json'))).toEqual({ passes: 4, fails: 0, failed: [] });
  });

  describe('tlsAuth', () => {
    const server = selfSignedCert();
    const client = selfSignedCert({ commonName: 'loadts e2e client' });
    let https: Server;
    let url = '';
    beforeAll(async () => {
      https = createServer({ cert: server.cert, key: server.key, requestCert: true, rejectUnauthorized: true, ca: [client.cert] }, (req, res) => {
        res.end((req.socket as TLSSocket).getPeerCertificate().subject.CN);
      });
      await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
      url = `https://localhost:${(https.address() as AddressInfo).port}`;
    });
    afterAll(() => {
      https.closeAllConnections();
      https.close();
    });

    it('the client certificate from the options is presented to its domain; a bad key is an option error (104)', async () => {
      const dir = fixtureDir({
        'script.ts': `
          import http from 'k6/http';
          import { check } from 'k6';
          export const options = {
            iterations: 2,
            insecureSkipTLSVerify: true,
            tlsAuth: [{ domains: ['localhost'], cert: __ENV.CERT, key: __ENV.KEY }],
          };
          export default async function () {
            check(await http.get(__ENV.URL), { 'mTLS': (r) => r.status === 200 && r.body === 'loadts e2e client' });
          }
        `,
      });
      const env = { CERT: client.cert, KEY: client.key, URL: url };
      const r = await loadts(['run', '-q', '--workers', '1', '--summary-export', 'out.json', 'script.ts'], { cwd: dir, env });
      expect(r.stderr).not.toMatch(/error/i);
      expect(r.code).toBe(0);
      expect(allChecks(join(dir, 'out.json'))).toEqual({ passes: 2, fails: 0, failed: [] });
      const bad = await loadts(['run', '-q', 'script.ts'], { cwd: dir, env: { ...env, KEY: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' } });
      expect(bad.code).toBe(104);
      expect(bad.stderr).toMatch(/invalid option tlsAuth\[0\]\.key \(script\): cannot be read/);
    });
  });
});

describe('loadts serve --tls / --h2', () => {
  it('serves https (HTTP/2 with --h2) on a certificate generated at start', async () => {
    const { spawn } = await import('node:child_process');
    const { Agent, request } = await import('undici');
    const { BIN } = await import('./helpers.js');
    const child = spawn(process.execPath, [BIN, 'serve', '--h2', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no URL: ${out}`)), 10_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening on (https:\/\/\S+) \(HTTP\/2 and HTTP\/1\.1\)/.exec(out);
          if (m && out.includes('insecureSkipTLSVerify')) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
      });
      const agent = new Agent({ allowH2: true, connect: { rejectUnauthorized: false } });
      const alpn: string[] = [];
      try {
        const res = await request(`${url}/get`, { dispatcher: agent });
        expect(res.statusCode).toBe(200);
        await res.body.dump();
        const { connect } = await import('node:tls');
        const u = new URL(url);
        await new Promise<void>((resolve, reject) => {
          const s = connect({ host: u.hostname, port: Number(u.port), ALPNProtocols: ['h2', 'http/1.1'], rejectUnauthorized: false }, () => {
            alpn.push(String(s.alpnProtocol));
            s.end();
            resolve();
          });
          s.on('error', reject);
        });
      } finally {
        await agent.close();
      }
      expect(alpn).toEqual(['h2']);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
