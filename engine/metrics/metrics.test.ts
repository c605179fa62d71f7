import { describe, expect, it } from 'vitest';
import { MetricsAggregate, parseTrendStat } from './aggregate.js';
import { MetricsRegistry } from './registry.js';
import { TagSet } from './tags.js';

const STATS = ['avg', 'min', 'med', 'max', 'count', 'p(90)', 'p(95)', 'p(99.9)'];

describe('MetricsRegistry', () => {
  it('snapshots deltas and resets', () => {
    const r = new MetricsRegistry();
    const c = r.define('c', 'counter');
    const tags = TagSet.EMPTY.with('a', '1');
    r.add(c, tags, 2);
    r.add(c, tags, 3);
    const s1 = r.takeSnapshot();
    expect(s1.series).toEqual([{ metric: 'c', key: 'a=1', tags: { a: '1' }, data: { type: 'counter', sum: 5 } }]);
    expect(r.takeSnapshot().series).toEqual([]);
    r.add(c, tags, 1);
    expect(r.takeSnapshot().series[0]!.data).toEqual({ type: 'counter', sum: 1 });
  });

  it('rejects bad names and redefinition with another type', () => {
    const r = new MetricsRegistry();
    r.define('ok_name', 'trend', 'time');
    expect(r.define('ok_name', 'trend', 'time').def.type).toBe('trend');
    expect(() => r.define('ok_name', 'counter')).toThrow(/already defined as a trend/);
    expect(() => r.define('1bad', 'counter')).toThrow(/invalid metric name/);
    expect(() => r.define('has-dash', 'counter')).toThrow(/invalid metric name/);
  });
});

describe('MetricsAggregate', () => {
  it('merging two registries equals one registry that got all samples', () => {
    const one = new MetricsRegistry();
    const a = new MetricsRegistry();
    const b = new MetricsRegistry();
    for (const r of [one, a, b]) {
      r.define('t', 'trend', 'time');
      r.define('r', 'rate');
      r.define('c', 'counter');
    }
    const tagsAB = TagSet.EMPTY.with('x', '1').with('y', '2');
    const tagsBA = TagSet.EMPTY.with('y', '2').with('x', '1');
    for (let i = 0; i < 5000; i++) {
      const v = (i * 7919) % 1000 + 0.5;
      const target = i % 2 === 0 ? a : b;
      for (const r of [one, target]) {
        r.add(r.get('t')!, i % 3 === 0 ? tagsAB : tagsBA, v);
        r.add(r.get('r')!, tagsAB, i % 4 === 0 ? 1 : 0);
        r.add(r.get('c')!, tagsBA, 1);
      }
    }
    const whole = new MetricsAggregate();
    whole.merge(one.takeSnapshot());
    const parts = new MetricsAggregate();
    parts.merge(a.takeSnapshot());
    parts.merge(b.takeSnapshot());
    expect(parts.values('t', undefined, STATS, 1000)).toEqual(whole.values('t', undefined, STATS, 1000));
    expect(parts.values('r', undefined, [], 1000)).toEqual(whole.values('r', undefined, [], 1000));
    expect(parts.values('c', undefined, [], 2000)).toEqual({ count: 5000, rate: 2500 });
    // tag order does not split series
    expect(parts.series('t').length).toBe(1);
  });

  it('percentiles of a uniform 1..10000 ms distribution within 0.1%', () => {
    const r = new MetricsRegistry();
    const t = r.define('t', 'trend', 'time');
    for (let i = 1; i <= 10_000; i++) r.add(t, TagSet.EMPTY, i);
    const agg = new MetricsAggregate();
    agg.merge(r.takeSnapshot());
    const v = agg.values('t', undefined, STATS, 1)!;
    expect(v.min).toBe(1);
    expect(v.max).toBe(10_000);
    expect(v.avg).toBeCloseTo(5000.5, 6);
    expect(v.count).toBe(10_000);
    for (const [k, want] of [['med', 5000], ['p(90)', 9000], ['p(95)', 9500], ['p(99.9)', 9990]] as const) {
      expect(Math.abs(v[k]! - want) / want).toBeLessThan(0.001);
    }
  });

  it('handles negative and fractional non-time trends', () => {
    const r = new MetricsRegistry();
    const t = r.define('n', 'trend');
    for (const v of [-5, -1.5, 0, 0.25, 2, 10]) r.add(t, TagSet.EMPTY, v);
    const agg = new MetricsAggregate();
    agg.merge(r.takeSnapshot());
    const v = agg.values('n', undefined, ['min', 'max', 'avg', 'med', 'p(10)'], 1)!;
    expect(v.min).toBe(-5);
    expect(v.max).toBe(10);
    expect(v.avg).toBeCloseTo(5.75 / 6, 9);
    expect(v.med).toBeCloseTo(0, 2);
    expect(v['p(10)']).toBeLessThan(-1);
  });

  it('gauges keep the latest value and min/max across snapshots', async () => {
    const a = new MetricsRegistry();
    const b = new MetricsRegistry();
    a.add(a.define('g', 'gauge'), TagSet.EMPTY, 7);
    b.add(b.define('g', 'gauge'), TagSet.EMPTY, 3);
    await new Promise((res) => setTimeout(res, 5));
    a.add(a.get('g')!, TagSet.EMPTY, 5);
    const agg = new MetricsAggregate();
    agg.merge(a.takeSnapshot());
    agg.merge(b.takeSnapshot());
    expect(agg.values('g', undefined, [], 1)).toEqual({ value: 5, min: 3, max: 7 });
  });

  it('filters sub-metrics by tags', () => {
    const r = new MetricsRegistry();
    const d = r.define('d', 'trend', 'time');
    r.add(d, TagSet.EMPTY.with('status', '200').with('method', 'GET'), 10);
    r.add(d, TagSet.EMPTY.with('status', '200').with('method', 'POST'), 20);
    r.add(d, TagSet.EMPTY.with('status', '500').with('method', 'GET'), 1000);
    const agg = new MetricsAggregate();
    agg.merge(r.takeSnapshot());
    expect(agg.values('d', { status: '200' }, ['max', 'count'], 1)).toEqual({ max: 20, count: 2 });
    expect(agg.values('d', { status: '200', method: 'GET' }, ['max'], 1)).toEqual({ max: 10 });
    expect(agg.values('d', { status: '404' }, ['max'], 1)).toBeUndefined();
    expect(agg.values('nope', undefined, [], 1)).toBeUndefined();
  });

  it('validates trend stats', () => {
    expect(parseTrendStat('p(99.99)')).toEqual({ kind: 'p', percentile: 99.99 });
    expect(() => parseTrendStat('p(101)')).toThrow(/invalid trend stat/);
    expect(() => parseTrendStat('mean')).toThrow(/invalid trend stat/);
  });
});
