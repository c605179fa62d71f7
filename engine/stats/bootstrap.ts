import jStat from 'jstat';

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
