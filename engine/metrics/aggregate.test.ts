import { describe, expect, it } from 'vitest';
import { MetricsAggregate } from './aggregate.js';
import { MetricsRegistry } from './registry.js';
import { TagSet } from './tags.js';
import type { MetricsSnapshot, Tags } from './types.js';
import { seededRandom } from '../stats/random.js';

const STATS = ['avg', 'min', 'med', 'max', 'count', 'sum', 'p(0)', 'p(1)', 'p(10)', 'p(50)', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)', 'p(100)'];

/** k6's TrendSink.P over every sample: linear interpolation at pct × (n − 1) of the sorted values. */
function k6Percentile(sorted: readonly number[], pct: number): number {
  if (sorted.length === 0) return 0;
  const i = pct * (sorted.length - 1);
  const j = sorted[Math.floor(i)]!;
  const k = sorted[Math.ceil(i)]!;
  return j + (k - j) * (i - Math.floor(i));
}

function aggregateOf(...snapshots: MetricsSnapshot[]): MetricsAggregate {
  const agg = new MetricsAggregate();
  for (const s of snapshots) agg.merge(s);
  return agg;
}

function trendOf(values: readonly number[], contains: 'time' | 'default' = 'default'): MetricsAggregate {
  const r = new MetricsRegistry();
  const t = r.define('tr', 'trend', contains);
  for (const v of values) r.add(t, TagSet.EMPTY, v);
  return aggregateOf(r.takeSnapshot());
}

describe('MetricsAggregate merging', () => {
  it('merging snapshots of two registries equals one registry that got every sample', () => {
    const one = new MetricsRegistry();
    const a = new MetricsRegistry();
    const b = new MetricsRegistry();
    for (const r of [one, a, b]) {
      r.define('latency', 'trend', 'time');
      r.define('delta', 'trend');
      r.define('failed', 'rate');
      r.define('hits', 'counter');
    }
    const xy = TagSet.EMPTY.with('x', '1').with('y', '2');
    const yx = TagSet.EMPTY.with('y', '2').with('x', '1');
    const other = TagSet.EMPTY.with('x', '2');
    const rnd = seededRandom(3);
    const snapshots = { one: [] as MetricsSnapshot[], parts: [] as MetricsSnapshot[] };
    for (let i = 0; i < 30_000; i++) {
      // Multiples of 1/8: sums are exact in floating point whatever the order of additions.
      const ms = Math.floor(rnd() * rnd() * 8_000_000) / 8;
      const d = Math.floor((rnd() - 0.7) * 800) / 8;
      const part = i % 3 === 0 ? a : b;
      for (const r of [one, part]) {
        const tags = i % 5 === 0 ? other : i % 2 === 0 ? xy : yx;
        r.add(r.get('latency')!, tags, ms);
        r.add(r.get('delta')!, tags, d);
        r.add(r.get('failed')!, tags, i % 7 === 0 ? 1 : 0);
        r.add(r.get('hits')!, tags, 1);
      }
      if (i % 10_000 === 9_999) {
        snapshots.one.push(one.takeSnapshot());
        snapshots.parts.push(a.takeSnapshot(), b.takeSnapshot());
      }
    }
    const whole = aggregateOf(...snapshots.one);
    const parts = aggregateOf(...snapshots.parts.reverse());
    for (const metric of ['latency', 'delta', 'failed', 'hits']) {
      for (const filter of [undefined, { x: '1' }, { x: '2' }, { y: '2', x: '1' }] as Array<Tags | undefined>) {
        const want = whole.values(metric, filter, STATS, 2000);
        expect(want).toBeDefined();
        expect(parts.values(metric, filter, STATS, 2000), `${metric} ${JSON.stringify(filter)}`).toEqual(want);
      }
    }
    expect(parts.values('hits', undefined, [], 2000)).toEqual({ count: 30_000, rate: 15_000 });
    // x=1,y=2 built in both orders is one series
    const tags = parts.series('latency').map((s) => s.tags);
    expect(tags).toHaveLength(2);
    expect(tags).toEqual(expect.arrayContaining([{ x: '2' }, { x: '1', y: '2' }]));
  });

  it('toSnapshot hands on the whole state exactly', () => {
    const r = new MetricsRegistry();
    const t = r.define('delta', 'trend');
    const g = r.define('queue', 'gauge');
    const c = r.define('hits', 'counter');
    const rnd = seededRandom(5);
    for (let i = 0; i < 5000; i++) {
      const tags = TagSet.EMPTY.with('k', String(i % 3));
      r.add(t, tags, Math.round((rnd() - 0.5) * 1e6) / 64);
      r.add(g, tags, i);
      r.add(c, tags, 2);
    }
    const first = aggregateOf(r.takeSnapshot());
    const second = aggregateOf(structuredClone(first.toSnapshot()));
    expect(second.defs()).toEqual(first.defs());
    for (const m of ['delta', 'queue', 'hits']) {
      expect(second.values(m, undefined, STATS, 1000)).toEqual(first.values(m, undefined, STATS, 1000));
      expect(second.values(m, { k: '1' }, STATS, 1000)).toEqual(first.values(m, { k: '1' }, STATS, 1000));
    }
  });
});

describe('MetricsAggregate trend values', () => {
  it('percentiles of 1..10000 ms uniform are within 0.1%; min, max, avg, count exact', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => i + 1);
    const v = trendOf(values, 'time').values('tr', undefined, ['min', 'max', 'avg', 'count', 'sum', 'med', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)'], 1)!;
    expect([v.min, v.max, v.avg, v.count, v.sum]).toEqual([1, 10_000, 5000.5, 10_000, 50_005_000]);
    for (const [stat, pct] of [['med', 0.5], ['p(90)', 0.9], ['p(95)', 0.95], ['p(99)', 0.99], ['p(99.9)', 0.999]] as const) {
      const want = k6Percentile(values, pct);
      expect(Math.abs(v[stat]! - want) / want, stat).toBeLessThan(0.001);
    }
  });

  it('equals k6 exactly where the histogram is exact (|value| < 2.048 with 3 decimals), negatives included', () => {
    const rnd = seededRandom(11);
    const values = Array.from({ length: 3001 }, () => Math.floor(rnd() * 4095 - 2047) / 1000);
    const agg = trendOf(values);
    const sorted = [...values].sort((x, y) => x - y);
    const pcts = [0, 0.1, 1, 5, 10, 25, 33.3, 50, 66.6, 75, 90, 95, 99, 99.9, 100];
    const v = agg.values('tr', undefined, pcts.map((p) => `p(${p})`), 1)!;
    for (const p of pcts) expect(v[`p(${p})`], `p(${p})`).toBeCloseTo(k6Percentile(sorted, p / 100), 12);
  });

  it('stays within 0.1% of k6 for wide distributions mixing negative and positive values', () => {
    const rnd = seededRandom(13);
    const values = Array.from({ length: 20_000 }, () => (rnd() < 0.3 ? -1 : 1) * Math.round(rnd() * rnd() * 5e9) / 1000);
    const agg = trendOf(values);
    const sorted = [...values].sort((x, y) => x - y);
    for (let p = 0; p <= 100; p += 2.5) {
      const got = agg.values('tr', undefined, [`p(${p})`], 1)![`p(${p})`]!;
      const i = (p / 100) * (sorted.length - 1);
      const scale = Math.max(Math.abs(sorted[Math.floor(i)]!), Math.abs(sorted[Math.ceil(i)]!));
      expect(Math.abs(got - k6Percentile(sorted, p / 100)), `p(${p})`).toBeLessThanOrEqual(scale * 0.001 + 0.0005);
    }
  });

  it('handles negative and fractional non-time trends', () => {
    const v = trendOf([-5, -1.5, 0, 0.25, 2, 10]).values('tr', undefined, ['min', 'max', 'avg', 'sum', 'med', 'p(10)', 'p(90)'], 1)!;
    expect(v).toEqual({ min: -5, max: 10, avg: 5.75 / 6, sum: 5.75, med: 0.125, 'p(10)': -3.25, 'p(90)': 6 });
  });

  it('gives one sample for every percentile, and only negatives their own order', () => {
    expect(trendOf([42.5]).values('tr', undefined, ['med', 'p(1)', 'p(99)'], 1)).toEqual({ med: 42.5, 'p(1)': 42.5, 'p(99)': 42.5 });
    expect(trendOf([-1, -2, -3, -4]).values('tr', undefined, ['min', 'med', 'max', 'p(0)', 'p(100)'], 1)).toEqual({ min: -4, med: -2.5, max: -1, 'p(0)': -4, 'p(100)': -1 });
  });

  it('rejects unknown stats', () => {
    expect(() => trendOf([1]).values('tr', undefined, ['mean'], 1)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});

describe('MetricsAggregate other types', () => {
  it('counters: count and rate per second; rates: rate, passes, fails', () => {
    const r = new MetricsRegistry();
    const c = r.define('hits', 'counter');
    const rate = r.define('ok', 'rate');
    for (let i = 0; i < 10; i++) {
      r.add(c, TagSet.EMPTY, 3);
      r.add(rate, TagSet.EMPTY, i < 4 ? 1 : 0);
    }
    const agg = aggregateOf(r.takeSnapshot());
    expect(agg.values('hits', undefined, [], 4000)).toEqual({ count: 30, rate: 7.5 });
    expect(agg.values('ok', undefined, [], 4000)).toEqual({ rate: 0.4, passes: 4, fails: 6 });
  });

  it('gauges: the value set last (by wall clock) wins; min and max over all', () => {
    const snap = (value: number, lastAtMs: number, min: number, max: number): MetricsSnapshot => ({
      defs: [{ name: 'queue', type: 'gauge', contains: 'default' }],
      series: [{ metric: 'queue', key: 'w=1', tags: { w: '1' }, data: { type: 'gauge', value, min, max, lastAtMs } }],
    });
    const agg = aggregateOf(snap(7, 2000, 1, 9), snap(3, 1000, -4, 3), snap(5, 1500, 5, 5));
    expect(agg.values('queue', undefined, [], 1)).toEqual({ value: 7, min: -4, max: 9 });
    expect(agg.values('queue', { w: '1' }, [], 1)).toEqual({ value: 7, min: -4, max: 9 });
  });

  it('gauges from two live registries: the later add wins', async () => {
    const a = new MetricsRegistry();
    const b = new MetricsRegistry();
    a.add(a.define('queue', 'gauge'), TagSet.EMPTY, 7);
    b.add(b.define('queue', 'gauge'), TagSet.EMPTY, 3);
    await new Promise((resolve) => setTimeout(resolve, 5));
    a.add(a.get('queue')!, TagSet.EMPTY, 5);
    expect(aggregateOf(a.takeSnapshot(), b.takeSnapshot()).values('queue', undefined, [], 1)).toEqual({ value: 5, min: 3, max: 7 });
  });
});

describe('MetricsAggregate sub-metrics and series', () => {
  const tagged = (status: string, method: string) => TagSet.EMPTY.with('status', status).with('method', method);

  it('filters by tags and reflects later merges', () => {
    const r = new MetricsRegistry();
    const d = r.define('dur', 'trend', 'time');
    r.add(d, tagged('200', 'GET'), 10);
    r.add(d, tagged('200', 'POST'), 20);
    r.add(d, tagged('500', 'GET'), 1000);
    const agg = aggregateOf(r.takeSnapshot());
    expect(agg.values('dur', { status: '200' }, ['max', 'count'], 1)).toEqual({ max: 20, count: 2 });
    expect(agg.values('dur', { method: 'GET', status: '200' }, ['max'], 1)).toEqual({ max: 10 });
    expect(agg.values('dur', { status: '404' }, ['max'], 1)).toBeUndefined();
    expect(agg.values('dur', {}, ['count'], 1)).toEqual({ count: 3 });
    expect(agg.values('nope', undefined, [], 1)).toBeUndefined();
    expect(agg.values('nope', { a: 'b' }, [], 1)).toBeUndefined();

    r.add(d, tagged('200', 'GET'), 30);
    r.add(d, tagged('404', 'GET'), 5);
    agg.merge(r.takeSnapshot());
    expect(agg.values('dur', { status: '200' }, ['max', 'count'], 1)).toEqual({ max: 30, count: 3 });
    expect(agg.values('dur', { status: '404' }, ['max', 'count'], 1)).toEqual({ max: 5, count: 1 });
    expect(agg.values('dur', undefined, ['count'], 1)).toEqual({ count: 5 });
  });

  it('lists each series with its own values', () => {
    const r = new MetricsRegistry();
    const checks = r.define('checks', 'rate');
    const base = TagSet.EMPTY.with('group', '::login');
    r.add(checks, base.with('check', 'status is 200'), 1);
    r.add(checks, base.with('check', 'status is 200'), 0);
    r.add(checks, base.with('check', 'has body'), 1);
    const agg = aggregateOf(r.takeSnapshot());
    expect(agg.series('checks').map((s) => [s.tags, s.values([], 1)])).toEqual([
      [{ group: '::login', check: 'status is 200' }, { rate: 0.5, passes: 1, fails: 1 }],
      [{ group: '::login', check: 'has body' }, { rate: 1, passes: 1, fails: 0 }],
    ]);
    expect(agg.series('nope')).toEqual([]);
    expect(agg.def('checks')).toEqual({ name: 'checks', type: 'rate', contains: 'default' });
  });
});
