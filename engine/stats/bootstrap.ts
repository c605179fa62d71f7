import jStat from 'jstat';
import { seededRandom } from './random.js';

/** A histogram as its buckets: each bucket's value (its upper edge, as percentiles report it) and count, ascending. */
export interface Buckets {
  values: Float64Array;
  /** Cumulative counts: cum[i] = samples in buckets 0..i. */
  cum: Float64Array;
  total: number;
}

export function bucketsOf(pairs: ReadonlyArray<readonly [number, number]>): Buckets {
  const values = new Float64Array(pairs.length);
  const cum = new Float64Array(pairs.length);
  let total = 0;
  pairs.forEach(([v, c], i) => {
    values[i] = v;
    total += c;
    cum[i] = total;
  });
  return { values, cum, total };
}

/** The value below which a share `u` (0..1] of the samples lie: the empirical quantile function. */
function quantileAt(b: Buckets, u: number): number {
  const target = u * b.total;
  let lo = 0;
  let hi = b.cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (b.cum[mid]! >= target) hi = mid;
    else lo = mid + 1;
  }
  return b.values[lo]!;
}

/**
 * One bootstrap replicate of percentile `p` (0..100) of a histogram: the k-th smallest of n values
 * drawn with replacement from its buckets (k = ⌈p/100 · n⌉, the nearest rank). It is drawn exactly
 * and at once, without drawing the n values: the k-th smallest of n uniforms is Beta(k, n − k + 1)
 * distributed, and the empirical quantile function maps it to the k-th smallest value drawn.
 */
export function percentileReplicate(b: Buckets, p: number): number {
  const n = b.total;
  const k = Math.min(n, Math.max(1, Math.ceil((p / 100) * n)));
  const u = k === n && n === 1 ? 1 : jStat.beta.sample(k, n - k + 1);
  return quantileAt(b, Math.max(u, 1 / (2 * n)));
}

/** What a comparison of one statistic between two runs found. */
export interface Difference {
  /** The statistic in each run (as given). */
  base: number;
  next: number;
  /** Relative change (next − base) / base; undefined when base is 0. */
  change: number | undefined;
  /** The interval of the relative change at the confidence asked (percentile bootstrap). */
  interval: [number, number] | undefined;
  /** The interval excludes 0: the change is not noise (at that confidence). */
  significant: boolean;
}

/**
 * The percentile bootstrap of the relative change of percentile `p` between two runs: each run is
 * resampled independently from its full histogram (every bucket count), `draws` times; the interval
 * is the (1 − confidence)/2 and (1 + confidence)/2 quantiles of (new* − base*) / base*. The seed is
 * fixed, so the same records always give the same interval.
 */
export function percentileChange(base: Buckets, next: Buckets, p: number, point: { base: number; next: number }, confidence: number, draws = 2000, seed = 0x5eed): Difference {
  const change = point.base === 0 ? undefined : (point.next - point.base) / point.base;
  if (base.total === 0 || next.total === 0) return { ...point, change, interval: undefined, significant: false };
  jStat.setRandom(seededRandom(seed));
  const ratios = new Float64Array(draws);
  for (let i = 0; i < draws; i++) {
    const b = percentileReplicate(base, p);
    ratios[i] = b === 0 ? 0 : (percentileReplicate(next, p) - b) / b;
  }
  jStat.setRandom(Math.random);
  ratios.sort();
  const at = (q: number) => ratios[Math.min(draws - 1, Math.max(0, Math.round(q * (draws - 1))))]!;
  const interval: [number, number] = [at((1 - confidence) / 2), at((1 + confidence) / 2)];
  return { ...point, change, interval, significant: interval[0] > 0 || interval[1] < 0 };
}
