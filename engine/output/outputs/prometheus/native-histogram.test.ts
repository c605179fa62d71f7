import { describe, expect, it } from 'vitest';
import { newHistogram } from '../../../metrics/hdr.js';
import { bucketIndex, NATIVE_SCHEMA, spansAndDeltas, toNativeHistogram } from './native-histogram.js';
import { labelsOf, statSuffix } from './mapping.js';

describe('native histograms from HDR histograms', () => {
  it('puts a value in the bucket (2^((i-1)/256), 2^(i/256)]', () => {
    expect(bucketIndex(1)).toBe(0);
    expect(bucketIndex(2)).toBe(256);
    expect(bucketIndex(0.5)).toBe(-256);
    const x = 0.0123;
    const i = bucketIndex(x);
    expect(2 ** ((i - 1) / 2 ** NATIVE_SCHEMA)).toBeLessThan(x);
    expect(2 ** (i / 2 ** NATIVE_SCHEMA)).toBeGreaterThanOrEqual(x);
  });

  it('lays buckets out as Prometheus does: spans of consecutive buckets, counts as deltas', () => {
    const { spans, deltas } = spansAndDeltas(new Map([[3, 2], [4, 5], [7, 1], [-2, 4]]));
    expect(spans).toEqual([{ offset: -2, length: 1 }, { offset: 4, length: 2 }, { offset: 2, length: 1 }]);
    expect(deltas).toEqual([4, -2, 3, -4]);
  });

  it('keeps every count: zeros in the zero bucket, the rest in buckets; times in seconds', () => {
    const h = newHistogram(64);
    for (const us of [0, 0, 1500, 1500, 1501, 250_000]) h.recordValue(us);
    const n = toNativeHistogram(h, undefined, 1e-6, 0.2545, 1000);
    expect(n.countInt).toBe(6);
    expect(n.zeroCountInt).toBe(2);
    const counts = n.positiveDeltas.reduce<number[]>((acc, d) => [...acc, (acc[acc.length - 1] ?? 0) + d], []);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(4);
    expect(n.positiveSpans[0]!.offset).toBe(bucketIndex(0.0015));
  });
});

describe("k6's series names and labels", () => {
  it('names trend stats as k6 does', () => {
    expect(['p(99)', 'p(99.9)', 'p(95)', 'avg', 'med'].map(statSuffix)).toEqual(['p99', 'p999', 'p95', 'avg', 'med']);
  });
  it('sorts labels, with __name__, tags over static labels, names made valid', () => {
    expect(labelsOf('k6_http_reqs_total', { status: '200', 'my-tag': 'x', env: 'tag' }, { env: 'static', team: 'web' })).toEqual([
      { name: '__name__', value: 'k6_http_reqs_total' },
      { name: 'env', value: 'tag' },
      { name: 'my_tag', value: 'x' },
      { name: 'status', value: '200' },
      { name: 'team', value: 'web' },
    ]);
  });
});
