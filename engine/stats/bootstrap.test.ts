import jStat from 'jstat';
import { describe, expect, it } from 'vitest';
import { blockReplicates, blocksOf } from './block-bootstrap.js';
import { bucketsOf, percentileReplicate } from './bootstrap.js';
import { proportionDifference } from './proportions.js';
import { seededRandom } from './random.js';

/** n values around `centre` (log-normal-ish latencies), as sorted (value, count) pairs. */
function sample(n: number, centre: number, seed: number): Array<[number, number]> {
  const r = seededRandom(seed);
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const v = Math.round(centre * Math.exp(0.2 * Math.sqrt(-2 * Math.log(r() || 1e-9)) * Math.cos(2 * Math.PI * r())) * 10) / 10;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => a[0] - b[0]);
}

function exact(list: Array<[number, number]>, p: number): number {
  const merged = new Map<number, number>();
  for (const [v, c] of list) merged.set(v, (merged.get(v) ?? 0) + c);
  const b = bucketsOf([...merged.entries()].sort((x, y) => x[0] - y[0]));
  const k = Math.ceil((p / 100) * b.total);
  return b.values[b.cum.findIndex((c) => c >= k)]!;
}

function quantile(xs: Float64Array | number[], q: number): number {
  const s = Float64Array.from(xs).sort();
  return s[Math.round(q * (s.length - 1))]!;
}

describe('exact single-sample bootstrap of a percentile (Beta law of order statistics)', () => {
  it('centres on the sample percentile, and narrows as n grows', () => {
    jStat.setRandom(seededRandom(7));
    const widths = [500, 20_000].map((n) => {
      const pairs = sample(n, 20, n);
      const b = bucketsOf(pairs);
      const reps = Array.from({ length: 2000 }, () => percentileReplicate(b, 95));
      expect(quantile(reps, 0.5)).toBeCloseTo(exact(pairs, 95), 0);
      return quantile(reps, 0.975) - quantile(reps, 0.025);
    });
    jStat.setRandom(Math.random);
    expect(widths[1]!).toBeLessThan(widths[0]! / 3);
  });
});

describe('block bootstrap', () => {
  it("holds the true percentile; a run's slow stretch widens the interval", () => {
    const steady = Array.from({ length: 30 }, (_, i) => sample(100, 20, i + 1));
    const stalled = steady.map((b, i) => (i < 5 ? sample(100, 60, 100 + i) : b));
    const width = (blocks: Array<Array<[number, number]>>) => {
      const [p95] = blockReplicates(blocksOf(blocks), [95], 1000, 1);
      return [quantile(p95!, 0.025), quantile(p95!, 0.975)] as const;
    };
    const a = width(steady);
    expect(a[0]).toBeLessThanOrEqual(exact(steady.flat(), 95) + 0.1);
    expect(a[1]).toBeGreaterThanOrEqual(exact(steady.flat(), 95) - 0.1);
    const b = width(stalled);
    expect(b[1] - b[0]).toBeGreaterThan(3 * (a[1] - a[0]));
  });

  it('is the same every time (fixed seed)', () => {
    const blocks = blocksOf(Array.from({ length: 12 }, (_, i) => sample(50, 20, i)));
    expect(blockReplicates(blocks, [50, 99], 200, 3)).toEqual(blockReplicates(blocks, [50, 99], 200, 3));
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
