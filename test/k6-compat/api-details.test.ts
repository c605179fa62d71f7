import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoTarget, type DemoTarget } from '../../engine/target/server.js';
import { fixtureDir, loadts, readJson } from '../helpers.js';

describe("k6's small API details through loadts run", () => {
  let tls: DemoTarget;
  beforeAll(async () => {
    tls = await startDemoTarget({ tls: true });
  });
  afterAll(async () => {
    await tls.close();
  });

  it('Counter/Gauge/Rate/Trend.add() return true; data_sent and data_received show 0 in a run without requests', async () => {
    const dir = fixtureDir({
      'script.ts': `
        import { check } from 'k6';
        import { Counter, Gauge, Rate, Trend } from 'k6/metrics';
        const c = new Counter('my_counter'), g = new Gauge('my_gauge'), r = new Rate('my_rate'), t = new Trend('my_trend');
        export const options = { iterations: 2 };
        export default async function () {
          check(null, { 'add() returns true': () => c.add(1) === true && g.add(2) === true && r.add(true) === true && t.add(3) === true });
        }
      `,
    });
    const r = await loadts(['run', '-q', '--workers', '1', '--summary-export', 'out.json', 'script.ts'], { cwd: dir });
    expect(r.code).toBe(0);
    const m = readJson(join(dir, 'out.json')).metrics;
    expect(m.checks.passes).toBe(2);
    expect(m.checks.fails).toBe(0);
    expect(m.data_sent).toEqual({ count: 0, rate: 0 });
    expect(m.data_received).toEqual({ count: 0, rate: 0 });
    expect(r.stdout).toMatch(/data_received\.*: 0 B/);
  });

  it('res.tls_cipher_suite names the negotiated suite; tlsCipherSuites restricts TLS 1.2 to the listed ones', async () => {
    const dir = fixtureDir({
      'script.ts': `
        import http from 'k6/http';
        import { check } from 'k6';
        export const options = {
          iterations: 2,
          insecureSkipTLSVerify: true,
          tlsVersion: http.TLS_1_2,
          tlsCipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'],
        };
        export default async function () {
          const res = await http.get(__ENV.BASE_URL + '/get');
          check(res, {
            '200': (x) => x.status === 200,
            'the listed suite': (x) => x.tls_cipher_suite === 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
            'tls1.2': (x) => x.tls_version === 'tls1.2',
          });
        }
      `,
      'tls13.ts': `
        import http from 'k6/http';
        import { check } from 'k6';
        export const options = { iterations: 1, insecureSkipTLSVerify: true };
        export default async function () {
          const res = await http.get(__ENV.BASE_URL + '/get');
          check(res, { 'a TLS 1.3 suite': (x) => x.tls_cipher_suite.startsWith('TLS_AES_') || x.tls_cipher_suite === 'TLS_CHACHA20_POLY1305_SHA256' });
        }
      `,
      'bad.ts': `export const options = { tlsCipherSuites: ['TLS_NOT_A_SUITE'] }; export default async function () {}`,
    });
    const env = { BASE_URL: tls.url };
    const r = await loadts(['run', '-q', '--workers', '1', '--summary-export', 'out.json', 'script.ts'], { cwd: dir, env });
    expect(r.code).toBe(0);
    const m = readJson(join(dir, 'out.json')).metrics;
    expect(m.checks.fails).toBe(0);
    expect(m.checks.passes).toBe(6);
    const r13 = await loadts(['run', '-q', '--workers', '1', '--summary-export', 'out13.json', 'tls13.ts'], { cwd: dir, env });
    expect(r13.code).toBe(0);
    expect(readJson(join(dir, 'out13.json')).metrics.checks.fails).toBe(0);
    const bad = await loadts(['run', '-q', 'bad.ts'], { cwd: dir, env });
    expect(bad.code).toBe(104);
    expect(bad.stderr).toContain('invalid option tlsCipherSuites[0] (script): unknown cipher suite "TLS_NOT_A_SUITE"');
  });
});
