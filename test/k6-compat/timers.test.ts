import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, fixtureDir, loadts, readJson } from '../helpers.js';

/** The lines k6's timers.js example logs: 'last   now   difference'. */
const TIMER_LINE = /^(?:.*msg=")?\d{3} {9}\d{3} {10}-?\d+"?.*$/gm;

describe('k6/timers: iterations wait for their timers', () => {
  it("k6's timers.js example, made async: 3 iterations log 33 lines, as in k6", async () => {
    const dir = fixtureDir({});
    const r = await loadts(['run', '-q', '--workers', '1', '-i', '3', '--summary-export', join(dir, 'out.json'), join(ROOT, 'test/k6-compat/timers.ts')]);
    expect(r.code).toBe(0);
    expect((r.stdout + r.stderr).match(TIMER_LINE)?.length).toBe(33);
    expect(readJson(join(dir, 'out.json')).metrics.iterations.count).toBe(3);
  });

  it("the k6 docs' setInterval + setTimeout example: the iteration lasts until both are cleared", async () => {
    const dir = fixtureDir({
      'script.ts': `
        export const options = { iterations: 2 };
        export default async function () {
          const intervalId = setInterval(() => {
            console.log('This runs every 20ms');
          }, 20);
          const timeoutId = setTimeout(() => {
            console.log('This runs after 200ms');
            clearInterval(intervalId);
            clearTimeout(timeoutId);
          }, 200);
        }
      `,
    });
    const r = await loadts(['run', '-q', '--workers', '1', '--summary-export', 'out.json', 'script.ts'], { cwd: dir });
    expect(r.code).toBe(0);
    const out = r.stdout + r.stderr;
    expect(out.match(/This runs after 200ms/g)?.length).toBe(2);
    // ~9 interval ticks per iteration; timers may run late on a busy machine, never early
    const ticks = out.match(/This runs every 20ms/g)?.length ?? 0;
    expect(ticks).toBeGreaterThanOrEqual(2);
    expect(ticks).toBeLessThanOrEqual(20);
    const m = readJson(join(dir, 'out.json')).metrics;
    expect(m.iterations.count).toBe(2);
    expect(m.iteration_duration.min).toBeGreaterThanOrEqual(199);
  });

  it('an interval never cleared runs until the scenario stops: the iteration is interrupted, not counted', async () => {
    const dir = fixtureDir({
      'script.ts': `
        import { setInterval } from 'loadts/timers';
        export const options = { scenarios: { s: { executor: 'constant-vus', vus: 1, duration: '500ms', gracefulStop: '200ms' } } };
        export default async function () { setInterval(() => {}, 10); }
        export function handleSummary(data) { return { 'out.json': JSON.stringify(data) }; }
      `,
    });
    const t0 = performance.now();
    const r = await loadts(['run', '-q', '--workers', '1', 'script.ts'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(performance.now() - t0).toBeLessThan(20_000);
    const data = readJson(join(dir, 'out.json'));
    expect(data.loadts.iterations).toEqual({ complete: 0, interrupted: 1 });
    expect(data.metrics.iterations).toBeUndefined();
  });

  it('a callback that throws fails its iteration (counted and logged); setup() waits for its timers too', async () => {
    const dir2 = fixtureDir({
      'script.ts': `
        export const options = { iterations: 4 };
        export async function setup() {
          const data = { fired: 0 };
          setTimeout(() => { data.fired = 1; }, 30);
          return data; // copied to the VUs once setup's timers are done
        }
        export default async function (data) {
          if (data.fired !== 1) throw new Error('setup did not wait for its timer');
          setTimeout(() => { throw new Error('timer boom'); }, 5);
          setTimeout(async () => { await null; }, 1);
        }
        export function handleSummary(data) { return { 'out.json': JSON.stringify(data.metrics.iteration_errors.values) }; }
      `,
    });
    const r2 = await loadts(['run', '-q', '--workers', '1', 'script.ts'], { cwd: dir2 });
    expect(r2.code).toBe(0);
    expect(r2.stderr).toMatch(/timer boom/);
    expect(r2.stderr).not.toMatch(/did not wait/);
    expect(readJson(join(dir2, 'out.json')).count).toBe(4);
  });
});
