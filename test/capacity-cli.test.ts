import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir, freePort, loadts } from './helpers.js';
import { schemaErrors } from './record-helpers.js';

describe('loadts capacity: flags and mistakes', () => {
  it('prints its help', async () => {
    const r = await loadts(['capacity', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: loadts capacity/);
    expect(r.stdout).toMatch(/--slo/);
  });

  it('refuses a malformed SLO before any load, with exit 104', async () => {
    const dir = fixtureDir({ 's.ts': `export default async function () {}` });
    const r = await loadts(['capacity', '--slo', 'http_req_duration p95<3', 's.ts'], { cwd: dir });
    expect(r.code).toBe(104);
    expect(r.stderr).toMatch(/--slo "http_req_duration p95<3"/);
    const b = await loadts(['capacity', '--precision', '2', '--slo', 'iteration_duration: p(95)<10', 's.ts'], { cwd: dir });
    expect(b.code).toBe(104);
    expect(b.stderr).toMatch(/--precision needs a share/);
  });

  it('needs SLOs: none given and none in the script is a one-line error', async () => {
    const dir = fixtureDir({ 's.ts': `export default async function () {}` });
    const r = await loadts(['capacity', '--level-duration', '200ms', '--warmup', '0s', '--max-levels', '1', 's.ts'], { cwd: dir, env: { BASE_URL: 'http://127.0.0.1:1' } });
    expect(r.code).toBe(104);
    expect(r.stderr).toMatch(/needs SLOs/);
  });

  it("takes the script's thresholds as SLOs; a closed model steps VUs; exit 99 when no level passes", async () => {
    const dir = fixtureDir({
      's.ts': `
        import { sleep } from 'loadts';
        export const options = { thresholds: { iteration_duration: ['p(95)<5'] } };
        export default async function () { await sleep(0.02); }
      `,
    });
    const r = await loadts(['capacity', '--model', 'closed', '--level-duration', '300ms', '--warmup', '0s', '--max-levels', '2', 's.ts'], { cwd: dir, env: { BASE_URL: 'http://127.0.0.1:1', GITHUB_STEP_SUMMARY: join(dir, 'step.md') } });
    expect(r.code).toBe(99);
    const step = readFileSync(join(dir, 'step.md'), 'utf8');
    expect(step).toMatch(/^### loadts capacity/m);
    expect(step).toMatch(/^\| level \| load \| reqs\/s \| iters\/s \| p50 \| p95 \| p99 \| errors \| 429s \| dropped \| gen CPU \| target RSS \| verdict \|$/m);
    expect(step).toMatch(/^\| level 1 \| 1 VUs \|.*\| fail \|$/m);
    expect(r.stdout).toMatch(/SLOs: iteration_duration p\(95\)<5/);
    expect(r.stdout).toMatch(/1 VUs/);
    expect(r.stdout).toMatch(/verdict: no level met the SLOs/);
  });
});

describe('loadts capacity: Ctrl-C', () => {
  it('stops the search, prints and records the levels that ran, exits 105', async () => {
    const dir = fixtureDir({
      's.ts': `
        import { sleep } from 'loadts';
        export default async function () { await sleep(0.01); }
      `,
    });
    const r = await loadts(['capacity', '--slo', 'iteration_duration: p(95)<1000', '--level-duration', '1s', '--warmup', '0s', '--out', 'record=cap.json', 's.ts'], {
      cwd: dir,
      env: { BASE_URL: 'http://127.0.0.1:1' },
      onStdout: (out, kill) => {
        if (/level 2: /.test(out)) kill('SIGINT');
      },
    });
    expect(r.code).toBe(105);
    expect(r.stdout).toMatch(/verdict: the search was stopped; so far the target sustained/);
    const cap = JSON.parse(readFileSync(join(dir, 'cap.json'), 'utf8')).capacity;
    expect(cap.end).toBe('stopped');
    expect(cap.levels.length).toBeGreaterThanOrEqual(2);
  });
});

describe('loadts capacity --watch-cmd', () => {
  it("keeps the watched target in the search's record: every level's samples, the leak judged over the search, each level's RSS", async () => {
    const dir = fixtureDir({
      's.ts': `
        import http from 'loadts/http';
        export default async function () { await http.get(__ENV.BASE_URL + '/'); }
      `,
      'target.mjs': `
        import { createServer } from 'node:http';
        createServer((_req, res) => res.end('ok')).listen(Number(process.argv[2]), '127.0.0.1');
      `,
    });
    const port = await freePort();
    const cmd = `"${process.execPath}" "${join(dir, 'target.mjs')}" ${port}`;
    const args = ['capacity', '--model', 'closed', '--slo', 'http_req_duration: p(95)<1000', '--level-duration', '500ms', '--warmup', '0s', '--max-levels', '3', '--no-step-summary'];
    const r = await loadts([...args, '--watch-cmd', cmd, '-e', `BASE_URL=http://127.0.0.1:${port}`, '--out', 'record=cap.json', 's.ts'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const rec = JSON.parse(readFileSync(join(dir, 'cap.json'), 'utf8'));
    expect(schemaErrors(rec)).toEqual([]);
    expect(rec.loadLevels).toHaveLength(3);
    for (const l of rec.loadLevels) expect(l.targetRssBytes, l.label).toBeGreaterThan(1_000_000);
    const t = rec.target;
    expect(t.command).toBe(cmd);
    expect(t.samples.atMs.length).toBeGreaterThanOrEqual(3);
    expect([...t.samples.atMs].sort((a: number, b: number) => a - b)).toEqual(t.samples.atMs);
    for (const k of ['rssBytes', 'cpuPercent', 'fds', 'threads']) expect(t.samples[k]).toHaveLength(t.samples.atMs.length);
    expect(['leak', 'no-leak', 'unknown']).toContain(t.leak.verdict);
    expect(r.stdout).toMatch(/target memory: /);
  });
});

describe('the load-level table of a ramping test', () => {
  it("judges each stage by the test's thresholds on its own samples", async () => {
    const dir = fixtureDir({
      's.ts': `
        import { sleep } from 'loadts';
        import exec from 'loadts/execution';
        export const options = {
          scenarios: { ramp: { executor: 'ramping-vus', startVUs: 2, stages: [{ duration: '1s', target: 2 }, { duration: '1s', target: 2 }] } },
          thresholds: { iteration_duration: ['p(95)<150'] },
        };
        export default async function () {
          const late = performance.timeOrigin + performance.now() - exec.scenario.startTime > 1050;
          await sleep(late ? 0.3 : 0.02);
        }
      `,
    });
    const r = await loadts(['run', '--summary-export', 'sum.json', 's.ts'], { cwd: dir, env: { BASE_URL: 'http://127.0.0.1:1' } });
    expect(r.code).toBe(99);
    const levels = JSON.parse(readFileSync(join(dir, 'sum.json'), 'utf8')).loadts.loadLevels;
    expect(levels.map((l: { label: string; verdict: string }) => [l.label, l.verdict])).toEqual([
      ['ramp stage 0', 'pass'],
      ['ramp stage 1', 'fail'],
    ]);
    expect(levels[1].slos[0]).toMatchObject({ metric: 'iteration_duration', source: 'p(95)<150', ok: false });
    expect(levels[0].load).toEqual({ unit: 'VUs', value: 2 });
    expect(r.stdout).toMatch(/ramp stage 1: iteration_duration p\(95\)<150 crossed/);
  });
});
