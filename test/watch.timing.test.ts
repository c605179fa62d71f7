import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, demoTargetProcess, fixtureDir, freePort, loadts, readJson } from './helpers.js';

const MiB = 1024 * 1024;
const SCRIPT = `
  import http from 'loadts/http';
  import exec from 'loadts/execution';
  import { check } from 'loadts';
  export const options = {
    scenarios: { load: { executor: 'constant-arrival-rate', rate: 100, timeUnit: '1s', duration: '10s', preAllocatedVUs: 10, maxVUs: 50 } },
    thresholds: { target_rss_growth: ['value<1048576'], target_rss: ['max<2000000000'] },
  };
  export default async function () {
    await http.get(__ENV.BASE_URL + '/' + __ENV.EP + '?kb=64');
    // the latest sample, for checks (about a second old; none before the first)
    const t = exec.target;
    if (t !== undefined) check(t, { 'target under 2 GB': (x) => x.rssBytes > 0 && x.rssBytes < 2e9 });
  }
`;

/**
 * The target watch against the demo target in its own process: /leak keeps 64 KiB per request
 * (100 requests/s: ~375 MiB/min), /noleak allocates as much and frees it. One is flagged, the
 * other not; the samples are metrics that thresholds gate on (target_rss_growth, target_rss).
 */
describe('target watch and leak detection', () => {
  it('--watch-cmd starts the target, flags the leaking endpoint and stops the target', async () => {
    const dir = fixtureDir({ 's.ts': SCRIPT });
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const r = await loadts(['run', '-q', '--watch-cmd', `"${process.execPath}" "${BIN}" serve --port ${port}`, '-e', `BASE_URL=${base}`, '-e', 'EP=leak', '--out', 'record=leak.json', '--summary-export', 'sum.json', 's.ts'], { cwd: dir, timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(99); // target_rss_growth crossed
    expect(r.stderr).toMatch(/thresholds crossed: target_rss_growth value<1048576/);
    expect(r.stdout).toMatch(/target memory: LEAK: RSS grows [\d.]+ MiB\/min/);
    const rec = readJson(join(dir, 'leak.json'));
    expect(rec.target.leak.verdict).toBe('leak');
    expect(rec.target.leak.slopeBytesPerMin).toBeGreaterThan(50 * MiB);
    expect(rec.target.leak.interval[0]).toBeGreaterThan(0);
    expect(rec.target.command).toMatch(/serve --port/);
    expect(rec.target.samples.rssBytes.length).toBeGreaterThanOrEqual(8);
    const m = readJson(join(dir, 'sum.json')).metrics;
    expect(m.checks.passes).toBeGreaterThan(500); // exec.target reached the VUs
    expect(m.target_rss.max).toBeGreaterThan(m.target_rss.min);
    expect(m.target_fds.max).toBeGreaterThan(0); // Linux: /proc
    expect(m.target_threads.max).toBeGreaterThan(0);
    // stopped at the end: the port is free again
    await expect(fetch(base).then(() => 'open', () => 'closed')).resolves.toBe('closed');
  }, 70_000);

  it('--watch-pid does not flag the endpoint that frees what it allocates', async () => {
    const target = await demoTargetProcess();
    try {
      const dir = fixtureDir({ 's.ts': SCRIPT });
      const r = await loadts(['run', '-q', '--watch-pid', String(target.pid), '-e', `BASE_URL=${target.url}`, '-e', 'EP=noleak', '--out', 'record=flat.json', 's.ts'], { cwd: dir, timeoutMs: 60_000 });
      expect(r.code, r.stderr + r.stdout).toBe(0);
      expect(r.stdout).toMatch(/target memory: no leak/);
      const rec = readJson(join(dir, 'flat.json'));
      expect(rec.target.leak.verdict).toBe('no-leak');
      expect(rec.target.pid).toBe(target.pid);
      expect(rec.thresholds.find((t: { metric: string }) => t.metric === 'target_rss_growth').ok).toBe(true);
    } finally {
      await target.close();
    }
  }, 70_000);

  it('a missing pid, and --watch-cmd without BASE_URL, are one-line errors (104)', async () => {
    const dir = fixtureDir({ 's.ts': SCRIPT });
    const a = await loadts(['run', '--watch-pid', '999999', 's.ts'], { cwd: dir });
    expect(a.code).toBe(104);
    expect(a.stderr).toMatch(/--watch-pid 999999: no such process/);
    const b = await loadts(['run', '--watch-cmd', 'sleep 5', 's.ts'], { cwd: dir });
    expect(b.code).toBe(104);
    expect(b.stderr).toMatch(/--watch-cmd needs BASE_URL/);
  });
});
