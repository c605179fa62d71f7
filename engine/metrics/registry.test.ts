import { describe, expect, it } from 'vitest';
import { decodeHistogram, hdrIndex } from './hdr.js';
import { MetricsRegistry } from './registry.js';
import { TagSet } from './tags.js';
import type { SinkSnapshot } from './types.js';

describe('MetricsRegistry.define', () => {
  it('is idempotent for the same type and value type', () => {
    const r = new MetricsRegistry();
    const a = r.define('latency', 'trend', 'time');
    expect(r.define('latency', 'trend', 'time')).toBe(a);
    expect(r.get('latency')).toBe(a);
    expect(r.get('nope')).toBeUndefined();
    expect(r.define('hits', 'counter').def).toEqual({ name: 'hits', type: 'counter', contains: 'default' });
    expect(r.defs().map((d) => d.name)).toEqual(['latency', 'hits']);
    expect([a.id, r.get('hits')!.id]).toEqual([0, 1]);
  });

  it('rejects a redefinition with another type or value type', () => {
    const r = new MetricsRegistry();
    r.define('latency', 'trend', 'time');
    expect(() => r.define('latency', 'counter')).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', message: 'metric "latency" is already defined as a trend (time); it cannot be redefined as a counter (default)' }),
    );
    expect(() => r.define('latency', 'trend')).toThrow(/already defined as a trend \(time\)/);
  });

  // k6: ^[a-zA-Z_][a-zA-Z0-9_]{1,128}$
  it.each(['ab', '_x', 'A1', 'http_req_duration', 'a'.repeat(129)])('accepts %j', (name) => {
    expect(new MetricsRegistry().define(name, 'counter').def.name).toBe(name);
  });
  it.each(['', 'a', '1ab', 'has-dash', 'has space', 'dotted.name', 'ünïcode', 'a'.repeat(130)])('rejects %j', (name) => {
    expect(() => new MetricsRegistry().define(name, 'counter')).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringMatching(/^invalid metric name/) }));
  });
});

describe('MetricsRegistry snapshots', () => {
  it('hands out what was added since the previous snapshot, then resets', () => {
    const r = new MetricsRegistry();
    const c = r.define('hits', 'counter');
    const tags = TagSet.EMPTY.with('a', '1');
    r.add(c, tags, 2);
    r.add(c, tags, 3);
    expect(r.takeSnapshot()).toEqual({
      defs: [{ name: 'hits', type: 'counter', contains: 'default' }],
      series: [{ metric: 'hits', key: 'a=1', tags: { a: '1' }, data: { type: 'counter', sum: 5 } }],
    });
    expect(r.takeSnapshot().series).toEqual([]);
    r.add(c, tags, 1);
    expect(r.takeSnapshot().series.map((s) => s.data)).toEqual([{ type: 'counter', sum: 1 }]);
  });

  it('leaves out series without new samples and keeps definitions', () => {
    const r = new MetricsRegistry();
    const c = r.define('hits', 'counter');
    r.define('unused', 'trend');
    r.add(c, TagSet.EMPTY.with('a', '1'), 1);
    r.add(c, TagSet.EMPTY.with('a', '2'), 1);
    r.takeSnapshot();
    r.add(c, TagSet.EMPTY.with('a', '2'), 4);
    const s = r.takeSnapshot();
    expect(s.defs.map((d) => d.name)).toEqual(['hits', 'unused']);
    expect(s.series.map((x) => [x.key, x.data])).toEqual([['a=2', { type: 'counter', sum: 4 }]]);
  });

  it('gives tag sets built in different orders the same key', () => {
    const r = new MetricsRegistry();
    const c = r.define('hits', 'counter');
    const ab = TagSet.EMPTY.with('a', '1').with('b', '2');
    const ba = TagSet.EMPTY.with('b', '2').with('a', '1');
    expect(ab).not.toBe(ba);
    r.add(c, ab, 1);
    r.add(c, ba, 1);
    const keys = r.takeSnapshot().series.map((s) => s.key);
    expect(keys).toEqual(['a=1\u0000b=2', 'a=1\u0000b=2']);
  });

  it('records each metric type', () => {
    const r = new MetricsRegistry();
    const g = r.define('queue', 'gauge');
    const rate = r.define('ok_rate', 'rate');
    const t = r.define('size', 'trend');
    const before = performance.timeOrigin + performance.now();
    for (const v of [5, -2, 9, 4]) r.add(g, TagSet.EMPTY, v);
    for (const v of [1, 0, 0.5, 0, -1]) r.add(rate, TagSet.EMPTY, v);
    for (const v of [1.5, -0.25, 3, 0, -4]) r.add(t, TagSet.EMPTY, v);
    const byMetric = new Map(r.takeSnapshot().series.map((s) => [s.metric, s.data]));
    const gauge = byMetric.get('queue') as Extract<SinkSnapshot, { type: 'gauge' }>;
    expect(gauge).toMatchObject({ value: 4, min: -2, max: 9 });
    expect(gauge.lastAtMs).toBeGreaterThanOrEqual(before);
    expect(gauge.lastAtMs).toBeLessThanOrEqual(performance.timeOrigin + performance.now());
    expect(byMetric.get('ok_rate')).toEqual({ type: 'rate', passes: 3, fails: 2 });
    const trend = byMetric.get('size') as Extract<SinkSnapshot, { type: 'trend' }>;
    expect(trend).toMatchObject({ count: 5, sum: 0.25, min: -4, max: 3 });
    const pos = decodeHistogram(trend.hdr)!;
    const neg = decodeHistogram(trend.negHdr)!;
    // round(|value| × 1000): 1500, 3000, 0 and 250, 4000
    const at = (h: typeof pos, v: number) => h.getCountAtIndex(hdrIndex(v));
    expect([pos.totalCount, at(pos, 1500), at(pos, 3000), at(pos, 0)]).toEqual([3, 1, 1, 1]);
    expect([neg.totalCount, at(neg, 250), at(neg, 4000)]).toEqual([2, 1, 1]);
  });

  it('encodes no negative histogram when there are no negative values', () => {
    const r = new MetricsRegistry();
    const t = r.define('latency', 'trend', 'time');
    r.add(t, TagSet.EMPTY, 12.5);
    const data = r.takeSnapshot().series[0]!.data as Extract<SinkSnapshot, { type: 'trend' }>;
    expect(data.negHdr).toBe('');
    expect(decodeHistogram(data.hdr)!.totalCount).toBe(1);
  });

  it('drops NaN and infinite values', () => {
    const r = new MetricsRegistry();
    const t = r.define('latency', 'trend', 'time');
    const c = r.define('hits', 'counter');
    for (const v of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      r.add(t, TagSet.EMPTY, v);
      r.add(c, TagSet.EMPTY, v);
    }
    r.add(c, TagSet.EMPTY, 1);
    expect(r.takeSnapshot().series.map((s) => s.data)).toEqual([{ type: 'counter', sum: 1 }]);
  });

  it('snapshots are plain data that survive structured clone', () => {
    const r = new MetricsRegistry();
    r.add(r.define('latency', 'trend', 'time'), TagSet.EMPTY.with('k', 'v'), 3);
    const s = r.takeSnapshot();
    expect(structuredClone(s)).toEqual(s);
  });
});
