import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir, loadts, readJson, testServer } from './helpers.js';

/** Work splits exactly: across worker threads, and across processes with execution segments. */
describe('exact splitting across workers and segment processes', () => {
  const hits = new Map<string, number>();
  let server: Awaited<ReturnType<typeof testServer>>;
  beforeAll(async () => {
    server = await testServer((req, res) => {
      const iter = req.url ?? '';
      hits.set(iter, (hits.get(iter) ?? 0) + 1);
      res.end('ok');
    });
  });
  afterAll(() => server.close());

  const dir = fixtureDir({
    'script.ts': `
      import http from 'loadts/http';
      import exec from 'loadts/execution';
      export const options = { vus: 5, iterations: 777 };
      export default async function () {
        await http.get(__ENV.TARGET + '/' + __ENV.RUN + '/' + exec.scenario.iterationInTest + '/vu' + exec.vu.idInTest);
      }
    `,
  });

  const countFor = (run: string) => {
    const iterations = new Set<string>();
    const vus = new Set<string>();
    let total = 0;
    for (const [url, n] of hits) {
      const m = new RegExp(`^/${run}/(\\d+)/vu(\\d+)$`).exec(url);
      if (!m) continue;
      total += n;
      iterations.add(m[1]!);
      vus.add(m[2]!);
    }
    return { total, iterations, vus };
  };

  it('777 shared iterations over 2 workers are exactly 777, each iteration number once', async () => {
    const r = await loadts(['run', '--workers', '2', '-e', `TARGET=${server.url}`, '-e', 'RUN=w2', '--summary-export', 'w2.json', 'script.ts'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readJson(join(dir, 'w2.json')).metrics.iterations.count).toBe(777);
    const c = countFor('w2');
    expect(c.total).toBe(777);
    expect(c.iterations.size).toBe(777);
    expect(c.vus).toEqual(new Set(['1', '2', '3', '4', '5']));
  });

  it('two processes with --execution-segment together run exactly the single-process test', async () => {
    const seq = ['--execution-segment-sequence', '0,1/2,1'];
    const common = ['run', '--workers', '2', '-e', `TARGET=${server.url}`, '-e', 'RUN=seg', ...seq];
    const [a, b] = await Promise.all([
      loadts([...common, '--execution-segment', '0:1/2', '--summary-export', 'a.json', 'script.ts'], { cwd: dir }),
      loadts([...common, '--execution-segment', '1/2:1', '--summary-export', 'b.json', 'script.ts'], { cwd: dir }),
    ]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const ma = readJson(join(dir, 'a.json')).metrics;
    const mb = readJson(join(dir, 'b.json')).metrics;
    expect(ma.iterations.count + mb.iterations.count).toBe(777);
    // 5 VUs split 3 + 2, with test-wide ids 1..5 used once each
    expect(ma.vus_max.max + mb.vus_max.max).toBe(5);
    const c = countFor('seg');
    expect(c.total).toBe(777);
    expect(c.iterations.size).toBe(777);
    expect(c.vus).toEqual(new Set(['1', '2', '3', '4', '5']));
  });

  it('inspect shows each process its own share', async () => {
    const r = await loadts(['inspect', '--execution-segment', '1/2:1', '--execution-segment-sequence', '0,1/2,1', 'script.ts'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/388 iterations/);
    expect(r.stdout).toMatch(/shared-iterations/);
  });
});
