import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir, loadts, readJson } from '../helpers.js';

const SCRIPT = `
  import http from 'k6/http';
  import { check, group } from 'k6';
  import { Trend } from 'k6/metrics';
  const cart = new Trend('cart_time', true);
  export const options = {
    scenarios: {
      shop: { executor: 'ramping-vus', startVUs: 1, stages: [{ duration: '300ms', target: 2 }, { duration: '300ms', target: 1 }] },
      api: { executor: 'shared-iterations', vus: 1, iterations: 3, exec: 'api' },
    },
    thresholds: { http_req_duration: ['p(95)<5000'], 'http_req_duration{scenario:api}': ['p(99)<5000'], checks: ['rate>0.4'] },
  };
  export default async function () {
    await group('browse', async () => {
      check(await http.get(__ENV.BASE_URL + '/get'), { 'browse ok': (r) => r.status === 200 });
    });
    cart.add(12);
  }
  export async function api() {
    check(await http.get(__ENV.BASE_URL + '/status/404'), { 'api 200': (r) => r.status === 200 });
  }
`;

function sectionOf(stdout: string, title: string): string {
  const at = stdout.indexOf(`█ ${title}`);
  if (at < 0) return '';
  const next = stdout.indexOf('█ ', at + 2);
  return stdout.slice(at, next < 0 ? undefined : next);
}

describe("k6 1.x's end-of-test summary through loadts run", () => {
  it('compact by default: THRESHOLDS, TOTAL RESULTS with checks_* and CUSTOM/HTTP/EXECUTION/NETWORK; the per-stage table still follows', async () => {
    const dir = fixtureDir({ 'script.ts': SCRIPT });
    const r = await loadts(['run', '--workers', '1', '--summary-export', 'out.json', 'script.ts'], { cwd: dir });
    expect(r.code).toBe(0);
    const out = r.stdout;
    const thresholds = sectionOf(out, 'THRESHOLDS');
    expect(thresholds).toMatch(/^ {4}http_req_duration\n {4}✓ 'p\(95\)<5000' p\(95\)=[\d.]+(ms|µs)$/m);
    expect(thresholds).toMatch(/^ {6}\{scenario:api\}\n {6}✓ 'p\(99\)<5000' p\(99\)=/m);
    expect(thresholds).toMatch(/^ {4}checks\n {4}✓ 'rate>0\.4' rate=\d+\.\d\d%$/m);
    const total = sectionOf(out, 'TOTAL RESULTS');
    expect(total).toMatch(/^ {4}checks_total\.+: \d+ +[\d.]+\/s$/m);
    expect(total).toMatch(/^ {4}checks_succeeded\.+: \d+\.\d\d% \d+ out of \d+$/m);
    expect(total).toMatch(/^ {4}checks_failed\.+: \d+\.\d\d% +3 out of \d+$/m);
    expect(total).toMatch(/^ {4}✓ browse ok$/m);
    expect(total).toMatch(/^ {4}✗ api 200\n {6}↳ {2}0% — ✓ 0 \/ ✗ 3$/m);
    const order = ['CUSTOM', 'HTTP', 'EXECUTION', 'NETWORK'].map((s) => total.search(new RegExp(`^ {4}${s}$`, 'm')));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    // loadts's own built-in metrics sit with their kind, not under CUSTOM (which is the script's)
    expect(total.slice(order[1], order[2])).toMatch(/^ {4}http_req_rate_limited\.+: 0\.00%/m);
    expect(total.slice(order[0], order[1])).not.toMatch(/http_req_rate_limited/);
    expect(total).toMatch(/^ {4}cart_time\.+: avg=12ms/m);
    expect(total).toMatch(/^ {6}\{ expected_response:true \}\.+: avg=/m);
    expect(total).not.toMatch(/http_req_blocked|group_duration|^ {4}checks\.+/m);
    expect(out).not.toContain('█ GROUP');
    expect(out).not.toContain('█ SCENARIO');
    expect(out).toMatch(/per-stage results\n +level +load +reqs\/s/); // the per-stage (load-level) table
    // --summary-export and handleSummary data keep k6's (legacy) shape
    const exp = readJson(join(dir, 'out.json'));
    expect(exp.metrics.checks).toMatchObject({ passes: expect.any(Number), fails: 3 });
    expect(exp.root_group.groups.browse.checks['browse ok'].passes).toBeGreaterThan(0);
  });

  it('full adds a part per group and per scenario, and the timing metrics; legacy is the classic summary; K6_SUMMARY_MODE', async () => {
    const dir = fixtureDir({ 'script.ts': SCRIPT });
    const full = await loadts(['run', '--workers', '1', '--summary-mode=full', 'script.ts'], { cwd: dir });
    expect(full.code).toBe(0);
    expect(sectionOf(full.stdout, 'TOTAL RESULTS')).toMatch(/^ {4}http_req_blocked\.+: avg=/m);
    expect(sectionOf(full.stdout, 'SCENARIO: api')).toMatch(/^ {4}✗ api 200$/m);
    const shop = sectionOf(full.stdout, 'SCENARIO: shop');
    expect(shop).toMatch(/^ {4}↳ GROUP: browse\n {6}checks_total/m);
    expect(shop).toMatch(/^ {6}✓ browse ok$/m);
    expect(full.stdout).not.toContain('SCENARIO: default');

    const legacy = await loadts(['run', '--workers', '1', 'script.ts'], { cwd: dir, env: { K6_SUMMARY_MODE: 'legacy' } });
    expect(legacy.code).toBe(0);
    expect(legacy.stdout).not.toContain('TOTAL RESULTS');
    expect(legacy.stdout).toMatch(/^ {5}█ browse$/m);
    expect(legacy.stdout).toMatch(/^ {3}✓ checks\.+: \d+\.\d\d% +✓ \d+ +✗ 3$/m);
    expect(legacy.stdout).toMatch(/per-stage results\n +level +load +reqs\/s/);

    const bad = await loadts(['run', '--summary-mode', 'short', 'script.ts'], { cwd: dir });
    expect(bad.code).toBe(104);
    expect(bad.stderr).toContain('--summary-mode must be one of compact, full, legacy, got "short"');
  });
});
