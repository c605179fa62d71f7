import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delayServer, fixtureDir, loadts, readJson, type testServer } from './helpers.js';

/** What the summary says about VUs: the vus/vus_max gauges, the per-stage table, setup data copies. */
describe('VU accounting', () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  beforeAll(async () => {
    server = await delayServer();
  });
  afterAll(() => server.close());

  it('vus and vus_max are reported for a sub-second run on two workers, and vus_max counts planned VUs from the start', async () => {
    const dir = fixtureDir({
      'script.ts': `
        import http from 'loadts/http';
        export const options = { scenarios: {
          quick: { executor: 'shared-iterations', vus: 4, iterations: 20 },
          later: { executor: 'constant-vus', vus: 2, duration: '300ms', startTime: '200ms', exec: 'later' },
        } };
        export default async function () { await http.get(__ENV.TARGET + '/'); }
        export async function later() { await http.get(__ENV.TARGET + '/delay/20'); }
      `,
    });
    for (let i = 0; i < 3; i++) {
      const r = await loadts(['run', '--workers', '2', '-e', `TARGET=${server.url}`, '--summary-export', 'o.json', 'script.ts'], { cwd: dir });
      expect(r.code).toBe(0);
      const m = readJson(join(dir, 'o.json')).metrics;
      expect(m.vus.max).toBe(4);
      expect(m.vus_max.min).toBe(6);
      expect(m.vus_max.max).toBe(6);
    }
  });

  it("the per-stage table counts each stage's VUs exactly and puts an iteration due at a boundary in the stage it starts", async () => {
    const dir = fixtureDir({
      'script.ts': `
        import http from 'loadts/http';
        import { sleep } from 'loadts';
        export const options = {
          scenarios: {
            closed: { executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '1s', target: 6 }, { duration: '1s', target: 6 }, { duration: '500ms', target: 0 }] },
            open: { executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '1s', preAllocatedVUs: 4, maxVUs: 40, exec: 'open',
                    stages: [{ duration: '1s', target: 100 }, { duration: '1s', target: 100 }] },
          },
          thresholds: { 'iterations{scenario:open,stage:0}': ['count==50'], 'iterations{scenario:open,stage:1}': ['count==100'] },
        };
        export default async function () { await http.get(__ENV.TARGET + '/delay/10'); await sleep(0.05); }
        export async function open() { await http.get(__ENV.TARGET + '/delay/100'); }
      `,
    });
    const r = await loadts(['run', '--workers', '2', '-e', `TARGET=${server.url}`, '--summary-export', 'o.json', 'script.ts'], { cwd: dir });
    expect(r.code).toBe(0);
    const stages = readJson(join(dir, 'o.json')).loadts.stages as Array<{ scenario: string; stage: number; maxVUs: number }>;
    const vus = (sc: string) => stages.filter((s) => s.scenario === sc).map((s) => s.maxVUs);
    // ramping-vus: 0→6 reaches 6 only at the boundary (stage 1), holds 6, then ramps down from 6
    expect(vus('closed')).toEqual([5, 6, 6]);
    // 100 iterations/s of 100 ms each keep about 10 VUs busy in the steady stage
    const [up, steady] = vus('open');
    expect(steady).toBeGreaterThanOrEqual(9);
    expect(steady).toBeLessThanOrEqual(40); // more when the target slows down (a loaded machine), never above maxVUs
    expect(up).toBeGreaterThan(0);
    expect(up).toBeLessThanOrEqual(steady!);
  });

  it('each VU gets its own copy of the setup data', async () => {
    const dir = fixtureDir({
      'script.ts': `
        export const options = { vus: 3, iterations: 9 };
        export function setup() { return { seen: [] as number[] }; }
        export default async function (data: { seen: number[] }) {
          data.seen.push(__VU);
          if (data.seen.some((v) => v !== __VU)) throw new Error('another VU changed my data: ' + data.seen.join(','));
        }
      `,
    });
    const r = await loadts(['run', '--workers', '1', '--summary-export', 'o.json', 'script.ts'], { cwd: dir, env: { BASE_URL: 'http://127.0.0.1:1' } });
    expect(r.code).toBe(0);
    const m = readJson(join(dir, 'o.json')).metrics;
    expect(m.iterations.count).toBe(9);
    expect(m.iteration_errors).toBeUndefined();
  });
});
