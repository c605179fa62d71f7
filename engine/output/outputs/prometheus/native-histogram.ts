import type { JsHistogram } from 'hdr-histogram-js';
import type { BucketSpan, NativeHistogram } from './wire.js';

/**
 * The finest schema Prometheus has: bucket i holds (2^((i−1)/256), 2^(i/256)], each 0.27% wide,
 * close to the HDR histograms' 0.1% (3 significant digits). k6 uses a factor of 1.1 (schema 3,
 * 9% buckets); the finer schema keeps percentiles read back from Prometheus within 0.3% of the
 * run's own.
 */
export const NATIVE_SCHEMA = 8;
/** client_golang's default: values below it count as zero. */
export const ZERO_THRESHOLD = 2 ** -128;

/** The native bucket holding `x` > 0 for `schema`. */
export function bucketIndex(x: number, schema = NATIVE_SCHEMA): number {
  return Math.ceil(Math.log2(x) * 2 ** schema);
}

/** Counts per native bucket of an HDR histogram whose values are `unit` × the base unit. */
function bucketCounts(h: JsHistogram | undefined, unit: number): { buckets: Map<number, number>; zeros: number; total: number } {
  const buckets = new Map<number, number>();
  let zeros = 0;
  let total = 0;
  if (h === undefined) return { buckets, zeros, total };
  for (let i = 0; i < h.countsArrayLength; i++) {
    const n = h.getCountAtIndex(i);
    if (n === 0) continue;
    total += n;
    // Each HDR slot goes whole to the native bucket holding its middle value.
    const x = h.medianEquivalentValue(h.valueFromIndex(i)) * unit;
    if (x <= ZERO_THRESHOLD) zeros += n;
    else {
      const b = bucketIndex(x);
      buckets.set(b, (buckets.get(b) ?? 0) + n);
    }
  }
  return { buckets, zeros, total };
}

/** Prometheus's sparse layout: spans of consecutive buckets, counts as deltas from the previous bucket. */
export function spansAndDeltas(buckets: ReadonlyMap<number, number>): { spans: BucketSpan[]; deltas: number[] } {
  const indices = [...buckets.keys()].sort((a, b) => a - b);
  const spans: BucketSpan[] = [];
  const deltas: number[] = [];
  let previousIndex = 0;
  let previousCount = 0;
  for (const [k, index] of indices.entries()) {
    const count = buckets.get(index)!;
    const last = spans[spans.length - 1];
    if (last !== undefined && index === previousIndex + 1) last.length++;
    else spans.push({ offset: k === 0 ? index : index - previousIndex - 1, length: 1 });
    deltas.push(count - previousCount);
    previousIndex = index;
    previousCount = count;
  }
  return { spans, deltas };
}

/**
 * A trend's cumulative HDR histograms (values × `unit` in the base unit: 1e-6 turns µs into seconds)
 * as one Prometheus native histogram sample.
 */
export function toNativeHistogram(positive: JsHistogram | undefined, negative: JsHistogram | undefined, unit: number, sum: number, timestamp: number): NativeHistogram {
  const pos = bucketCounts(positive, unit);
  const neg = bucketCounts(negative, unit);
  const p = spansAndDeltas(pos.buckets);
  const n = spansAndDeltas(neg.buckets);
  return {
    countInt: pos.total + neg.total,
    sum,
    schema: NATIVE_SCHEMA,
    zeroThreshold: ZERO_THRESHOLD,
    zeroCountInt: pos.zeros + neg.zeros,
    negativeSpans: n.spans,
    negativeDeltas: n.deltas,
    positiveSpans: p.spans,
    positiveDeltas: p.deltas,
    timestamp,
  };
}
