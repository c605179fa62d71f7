import { describe, expect, it } from 'vitest';
import { bucketsOf, percentileChange } from './bootstrap.js';
import { proportionDifference } from './proportions.js';
import { seededRandom } from './random.js';

/** A histogram of n values drawn around `centre` ms (a log-normal-ish latency). */
function histogram(n: number, centre: number, seed: number) {
  const r = seededRandom(seed);
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const v = Math.round(centre * Math.exp(0.2 * Math.sqrt(-2 * Math.log(r() || 1e-9)) * Math.cos(2 * Math.PI * r())) * 10) / 10;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const pairs = [...counts.entries()].sort((a, b) => a[0] - b[0]);
  return bucketsOf(pairs);
}

function exact(b: ReturnType<typeof bucketsOf>, p: number): number {
  const k = Math.ceil((p / 100) * b.total);
  return b.values[b.cum.findIndex((c) => c >= k)]!;
}

describe('percentile bootstrap', () => {
  it('two samples of one distribution: the interval holds 0', () => {
    const a = histogram(5000, 20, 1);
    const b = histogram(5000, 20, 2);
    const d = percentileChange(a, b, 95, { base: exact(a, 95), next: exact(b, 95) }, 0.95);
    expect(d.interval![0]).toBeLessThan(0);
    expect(d.interval![1]).toBeGreaterThan(0);
    expect(d.significant).toBe(false);
  });

  it('a 30% slower sample: significant, the interval around +30%', () => {
    const a = histogram(3000, 20, 3);
    const b = histogram(3000, 26, 4);
    const d = percentileChange(a, b, 95, { base: exact(a, 95), next: exact(b, 95) }, 0.95);
    expect(d.significant).toBe(true);
    expect(d.interval![0]).toBeGreaterThan(0.2);
    expect(d.interval![1]).toBeLessThan(0.4);
  });

  it('is the same every time (fixed seed)', () => {
    const a = histogram(500, 20, 5);
    const b = histogram(500, 21, 6);
    const x = percentileChange(a, b, 99, { base: 1, next: 1 }, 0.95);
    const y = percentileChange(a, b, 99, { base: 1, next: 1 }, 0.95);
    expect(x.interval).toEqual(y.interval);
  });
});

describe('difference of proportions (Newcombe)', () => {
  it('0 of 1000 against 0 of 1000: an interval around 0', () => {
    const d = proportionDifference(0, 1000, 0, 1000, 0.95)!;
    expect(d.difference).toBe(0);
    expect(d.interval[0]).toBeLessThan(0);
    expect(d.interval[1]).toBeGreaterThan(0);
  });
  it('1% against 5% of 2000: significant', () => {
    const d = proportionDifference(20, 2000, 100, 2000, 0.95)!;
    expect(d.interval[0]).toBeGreaterThan(0);
  });
});
