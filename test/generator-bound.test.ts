import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir, loadts } from './helpers.js';
import { readRecordFile } from './record-helpers.js';

/**
 * The generator-bound warning, through the built CLI: a VU that busy-loops ~1 ms per iteration
 * keeps its worker's event loop busy all the time, so the results would say more about the load
 * generator than about a target. The warning is printed once and kept in the record.
 */
describe('a worker that runs flat out', () => {
  it('gets one warning that the results may be bounded by the load generator, kept in the record', async () => {
    const dir = fixtureDir({
      'busy.ts': `
        export const options = { scenarios: { busy: { executor: 'constant-vus', vus: 1, duration: '8s' } } };
        export default function () {
          const end = Date.now() + 1;
          while (Date.now() < end) { /* busy */ }
        }
      `,
    });
    const r = await loadts(['run', '-q', '--workers', '1', '--out', 'record=run.json', 'busy.ts'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning: '));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning: worker 1's event loop was busy over 90% of the time for 5 s .*: the results may be bounded by the load generator, not the target/);
    const record = readRecordFile(join(dir, 'run.json'));
    expect(record.end.warnings).toEqual([warnings[0]!.slice('warning: '.length)]);
    const [worker] = record.environment.generator.workers;
    expect(worker!.worker).toBe(0);
    expect(worker!.peakBusyShare).toBeGreaterThan(0.9);
    expect(worker!.busyShare).toBeGreaterThan(0.8);
    expect(worker!.busyShare).toBeLessThanOrEqual(1);
    if (process.platform === 'linux') {
      expect(worker!.cpuShare).toBeGreaterThan(0);
      expect(worker!.cpuShare).toBeLessThanOrEqual(1);
      expect(worker!.peakCpuShare).toBeLessThanOrEqual(1);
    }
  });
});
