import { describe, expect, it } from 'vitest';
import { Ramp } from './ramp.js';
import { arrivalRamp, planScenario, scheduledIterations } from './plan.js';
import { SegmentChain } from './segment.js';
import type { ResolvedScenario } from '../options/types.js';

const common = { startTimeMs: 0, gracefulStopMs: 30_000, exec: 'default', env: {}, tags: {} };

describe('Ramp', () => {
  const ramp = new Ramp(0, [
    { durationMs: 10_000, target: 10 },
    { durationMs: 10_000, target: 10 },
    { durationMs: 5_000, target: 0 },
  ]);
  it('interpolates values and stages', () => {
    expect(ramp.valueAt(0)).toBe(0);
    expect(ramp.valueAt(5_000)).toBe(5);
    expect(ramp.valueAt(15_000)).toBe(10);
    expect(ramp.valueAt(22_500)).toBe(5);
    expect(ramp.valueAt(99_000)).toBe(0);
    expect(ramp.stageAt(9_999)).toBe(0);
    expect(ramp.stageAt(10_000)).toBe(1);
    expect(ramp.durationMs).toBe(25_000);
  });
  it('inverts its area', () => {
    expect(ramp.areaAt(25_000)).toBe(50_000 + 100_000 + 25_000);
    for (const t of [0, 1, 2_500, 10_000, 12_345, 21_000, 24_999]) {
      expect(ramp.timeForArea(ramp.areaAt(t))).toBeCloseTo(t, 6);
    }
    expect(ramp.timeForArea(1e9)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('arrival-rate schedules', () => {
  it('constant 2000/s for 10s schedules exactly 20000 iterations', () => {
    const s: ResolvedScenario = { ...common, name: 'c', executor: 'constant-arrival-rate', rate: 2000, timeUnitMs: 1000, durationMs: 10_000, preAllocatedVUs: 10, maxVUs: 100 };
    expect(scheduledIterations(arrivalRamp(s))).toBe(20_000);
    const r = arrivalRamp(s);
    expect(r.timeForArea(1)).toBeCloseTo(0.5, 9);
  });
  it('ramping 0→2000/s over 10s schedules 10000, split exactly over segments', () => {
    const s: ResolvedScenario = { ...common, name: 'r', executor: 'ramping-arrival-rate', startRate: 0, timeUnitMs: 1000, stages: [{ durationMs: 10_000, target: 2000 }], preAllocatedVUs: 10, maxVUs: 100 };
    expect(planScenario(s).iterations).toBe(10_000);
    const parts = [0, 1, 2].map((w) => planScenario(s, SegmentChain.forWorker('0:1', '', w, 3)).iterations ?? 0);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(10_000);
  });
});
