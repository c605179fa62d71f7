import type { JsHistogram } from 'hdr-histogram-js';
import { TREND_SCALE } from './types.js';

/** What a trend's percentiles are computed from: exact bounds and the two histograms (scaled values). */
export interface TrendData {
  readonly min: number;
  readonly max: number;
  /** round(value × TREND_SCALE) of the values ≥ 0. */
  readonly positive: JsHistogram | undefined;
  /** round(|value| × TREND_SCALE) of the negative values. */
  readonly negative: JsHistogram | undefined;
}

/**
 * The value at percentile `p` (0..100) in the trend's units, computed as k6 does from its sorted
 * samples: position p/100 × (n − 1), interpolated linearly between its two neighbours. Here the
 * neighbours come from the histograms, each as its HDR slot's upper edge (toward +∞, also for
 * negatives) clamped to the exact min/max, so they are within 0.1% of the true sample, exact for
 * |value| × TREND_SCALE < 2048, and exact at both ends (p(0) is the min, p(100) the max). 0 when
 * there are no samples.
 */
export function trendPercentile(t: TrendData, p: number): number {
  const negativeCount = t.negative?.totalCount ?? 0;
  const n = negativeCount + (t.positive?.totalCount ?? 0);
  if (n === 0) return 0;
  if (p <= 0) return t.min;
  if (p >= 100) return t.max;
  const position = (p / 100) * (n - 1);
  const low = Math.floor(position);
  const fraction = position - low;
  const a = clamp(valueAtRank(t, negativeCount, low), t);
  return fraction === 0 ? a : a + (clamp(valueAtRank(t, negativeCount, low + 1), t) - a) * fraction;
}

function clamp(v: number, t: TrendData): number {
  return v < t.min ? t.min : v > t.max ? t.max : v;
}

/** The `rank`-th smallest sample (0-based) over both histograms, unscaled. */
function valueAtRank(t: TrendData, negativeCount: number, rank: number): number {
  if (rank < negativeCount) {
    // Negatives ascend as their absolute values descend.
    const h = t.negative!;
    return -h.lowestEquivalentValue(h.valueFromIndex(indexAtRank(h, negativeCount - 1 - rank))) / TREND_SCALE;
  }
  const h = t.positive!;
  return h.highestEquivalentValue(h.valueFromIndex(indexAtRank(h, rank - negativeCount))) / TREND_SCALE;
}

/** The counts-array slot holding the `rank`-th smallest value (0-based) of `h`. */
function indexAtRank(h: JsHistogram, rank: number): number {
  let seen = 0;
  const length = h.countsArrayLength;
  for (let i = 0; i < length; i++) {
    seen += h.getCountAtIndex(i);
    if (seen > rank) return i;
  }
  return length - 1;
}
