import { afterEach, describe, expect, it } from 'vitest';
import { MetricsAggregate } from './aggregate.js';
import { decodeHistogram, encodeHistogram, newHistogram } from './hdr.js';
import { MemoryKeeper, SpillKeeper } from './point-keeper.js';
import { decodeData, TimeSeriesStore, type TimeInterval } from './time-series.js';
import { TREND_SCALE, type SinkSnapshot } from './types.js';
import { seededRandom } from '../stats/random.js';

const ORIGIN = 1_800_000_000_000;
const S = 1000;

function counter(sum: number): SinkSnapshot {
  return { type: 'counter', sum };
}

/** A trend snapshot of `values` as a worker sends it (32-bit histograms, encoded). */
function trend(values: readonly number[]): SinkSnapshot {
  const pos = newHistogram(32);
  const neg = newHistogram(32);
  for (const v of values) (v < 0 ? neg : pos).recordValue(Math.round(Math.abs(v) * TREND_SCALE));
  return { type: 'trend', count: values.length, sum: values.reduce((a, b) => a + b, 0), min: Math.min(...values), max: Math.max(...values), hdr: encodeHistogram(pos), negHdr: encodeHistogram(neg) };
}

/** Adds `data` for series `metric` as a worker's report at the end of base interval `b` (plus `lateMs`). */
function add(store: TimeSeriesStore, metric: string, data: SinkSnapshot, b: number, lateMs = 0): void {
  store.add({ metric, key: '', tags: {}, data }, decodeData(data), ORIGIN + (b + 1) * S + lateMs);
}

/** Closes what the coordinator's clock would close 250 ms after base interval `b` ended. */
function closeAfter(store: TimeSeriesStore, b: number): void {
  store.close(ORIGIN + (b + 1) * S + 250);
}

function points(store: TimeSeriesStore, metric: string): Array<[number, number]> {
  const s = store.series().find((x) => x.metric === metric);
  return (s?.index ?? []).map((i, n) => [i, (s!.data[n] as { sum: number }).sum]);
}

describe.each([
  ['memory', () => new MemoryKeeper()],
  ['a spill file', () => new SpillKeeper(undefined, 0)], // compacted whenever merged points outweigh the live ones
] as const)('TimeSeriesStore, closed points in %s', (_, keeper) => {
  const stores: TimeSeriesStore[] = [];
  afterEach(() => stores.splice(0).forEach((s) => s.dispose()));
  const newStore = (opts: ConstructorParameters<typeof TimeSeriesStore>[0]) => {
    const store = new TimeSeriesStore({ ...opts, keeper: keeper() });
    stores.push(store);
    return store;
  };

  it('keeps each interval of each series, only those with samples, and hands every closed interval on', () => {
    const seen: TimeInterval[] = [];
    const store = newStore({ originMs: ORIGIN, onInterval: (i) => seen.push(i) });
    add(store, 'reqs', counter(3), 0);
    add(store, 'reqs', counter(4), 0);
    add(store, 'other', counter(1), 1);
    add(store, 'reqs', counter(5), 3);
    closeAfter(store, 2);
    expect(points(store, 'reqs')).toEqual([[0, 7]]);
    expect(seen.map((i) => [i.startMs - ORIGIN, i.endMs - ORIGIN, i.series.map((s) => s.metric)])).toEqual([
      [0, 1000, ['reqs']],
      [1000, 2000, ['other']],
    ]);
    store.close(Infinity);
    expect(points(store, 'reqs')).toEqual([
      [0, 7],
      [3, 5],
    ]);
    expect(seen.at(-1)!.startMs - ORIGIN).toBe(3000);
  });

  it('past maxPoints, adjacent intervals merge exactly into ones twice as long, every series at once', () => {
    const seen: TimeInterval[] = [];
    const store = newStore({ originMs: ORIGIN, maxPoints: 4, onInterval: (i) => seen.push(i) });
    for (let b = 0; b < 10; b++) {
      add(store, 'reqs', counter(b + 1), b);
      if (b % 3 === 0) add(store, 'sparse', counter(100 + b), b);
      closeAfter(store, b);
      if (b === 3) expect([store.intervalMs, points(store, 'reqs')]).toEqual([S, [[0, 1], [1, 2], [2, 3], [3, 4]]]);
      if (b === 4) expect([store.intervalMs, points(store, 'reqs')]).toEqual([2 * S, [[0, 3], [1, 7], [2, 5]]]);
      if (b === 5) expect(points(store, 'reqs')).toEqual([[0, 3], [1, 7], [2, 11]]);
    }
    store.close(Infinity);
    expect(store.intervalMs).toBe(4 * S);
    expect(points(store, 'reqs')).toEqual([
      [0, 1 + 2 + 3 + 4],
      [1, 5 + 6 + 7 + 8],
      [2, 9 + 10],
    ]);
    expect(points(store, 'sparse')).toEqual([
      [0, 100 + 103],
      [1, 106],
      [2, 109],
    ]);
    // the outputs get every interval as it closed, at the interval it was measured in
    expect(seen.map((i) => [i.startMs - ORIGIN, i.endMs - i.startMs])).toEqual(Array.from({ length: 10 }, (_, b) => [b * S, S]));
    expect(seen.map((i) => (i.series.find((s) => s.metric === 'reqs')!.data as { sum: number }).sum)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('open intervals follow a coalescing: several intervals closed at once land in their coarser points', () => {
    const store = newStore({ originMs: ORIGIN, maxPoints: 4 });
    for (let b = 2; b <= 6; b++) add(store, 'reqs', counter(10 ** (b - 2)), b); // 1, 10, 100, 1000, 10000
    closeAfter(store, 6); // closes 2..6 in one go; 4 coalesces
    expect(store.intervalMs).toBe(2 * S);
    expect(points(store, 'reqs')).toEqual([
      [1, 11],
      [2, 1100],
      [3, 10000],
    ]);
    // an interval far ahead coalesces as often as it takes
    add(store, 'reqs', counter(7), 40);
    closeAfter(store, 40);
    expect(store.intervalMs).toBe(16 * S);
    expect(points(store, 'reqs')).toEqual([
      [0, 11111],
      [2, 7],
    ]);
  });

  it('late data goes to the oldest open interval, also after a coalescing', () => {
    const store = newStore({ originMs: ORIGIN, maxPoints: 4 });
    add(store, 'reqs', counter(1), 0);
    closeAfter(store, 0);
    add(store, 'reqs', counter(2), 0, 300); // interval 0 closed 50 ms before this report came
    add(store, 'reqs', counter(4), 2);
    closeAfter(store, 2);
    expect(points(store, 'reqs')).toEqual([
      [0, 1],
      [1, 2],
      [2, 4],
    ]);
    for (let b = 3; b <= 4; b++) {
      add(store, 'reqs', counter(8), b);
      closeAfter(store, b);
    }
    expect(store.intervalMs).toBe(2 * S);
    add(store, 'reqs', counter(16), 1, 3000); // very late: intervals below 5 are closed
    closeAfter(store, 5);
    expect(points(store, 'reqs')).toEqual([
      [0, 3],
      [1, 12],
      [2, 8 + 16],
    ]);
  });

  it('trend points stay exact through coalescing: every point merges its intervals, all of them the final histogram', () => {
    const rnd = seededRandom(11);
    const store = newStore({ originMs: ORIGIN, maxPoints: 6 });
    const all = new MetricsAggregate();
    const byBase: SinkSnapshot[][] = [];
    for (let b = 0; b < 37; b++) {
      byBase[b] = [];
      for (let worker = 0; worker < 2; worker++) {
        const values = Array.from({ length: 50 + Math.floor(rnd() * 200) }, () => (rnd() < 0.05 ? -rnd() * 10 : 10 ** (rnd() * 4)));
        const data = trend(values);
        byBase[b]!.push(data);
        add(store, 'lat', data, b);
        all.merge({ defs: [{ name: 'lat', type: 'trend', contains: 'time' }], series: [{ metric: 'lat', key: '', tags: {}, data }] });
      }
      closeAfter(store, b);
    }
    store.close(Infinity);
    const width = store.intervalMs / S;
    expect(width).toBe(8); // 37 intervals, at most 6 points: 8 s each
    const s = store.series()[0]!;
    expect(s.index).toEqual([0, 1, 2, 3, 4]);
    const stats = ['count', 'min', 'max', 'med', 'p(90)', 'p(99)', 'p(99.9)'];
    s.index.forEach((i, n) => {
      const expected = new MetricsAggregate();
      for (let b = i * width; b < Math.min((i + 1) * width, 37); b++) for (const data of byBase[b]!) expected.merge({ defs: [], series: [{ metric: 'lat', key: '', tags: {}, data }] });
      const got = new MetricsAggregate();
      got.merge({ defs: [], series: [{ metric: 'lat', key: '', tags: {}, data: s.data[n]! }] });
      expect(got.values('lat', undefined, stats, 1)).toEqual(expected.values('lat', undefined, stats, 1));
    });
    const merged = new MetricsAggregate();
    merged.merge({ defs: [], series: s.data.map((data) => ({ metric: 'lat', key: '', tags: {}, data })) });
    expect(merged.values('lat', undefined, stats, 1)).toEqual(all.values('lat', undefined, stats, 1));
    const [a, f] = [merged.toSnapshot().series[0]!.data, all.toSnapshot().series[0]!.data];
    if (a.type !== 'trend' || f.type !== 'trend') throw new Error('not trends');
    for (const [x, y] of [
      [a.hdr, f.hdr],
      [a.negHdr, f.negHdr],
    ]) {
      const hx = decodeHistogram(x!)!;
      const hy = decodeHistogram(y!)!;
      expect(hx.totalCount).toBe(hy.totalCount);
      for (let i = 0; i < Math.max(hx.countsArrayLength, hy.countsArrayLength); i++) if (hx.getCountAtIndex(i) !== hy.getCountAtIndex(i)) expect.fail(`slot ${i}`);
    }
  });

  it('gauges keep the last value, min and max through coalescing', () => {
    const store = newStore({ originMs: ORIGIN, maxPoints: 2 });
    const g = (value: number, b: number): SinkSnapshot => ({ type: 'gauge', value, min: value, max: value, lastAtMs: ORIGIN + b * S + 10 });
    [5, 9, 2, 7].forEach((v, b) => {
      add(store, 'depth', g(v, b), b);
      closeAfter(store, b);
    });
    const s = store.series()[0]!;
    expect(store.intervalMs).toBe(2 * S);
    expect(s.data).toEqual([g(9, 1), g(7, 3)].map((d, n) => ({ ...d, min: [5, 2][n], max: [9, 7][n] })));
  });

  it('series() is a snapshot: the caller can keep it while the run goes on', () => {
    const store = newStore({ originMs: ORIGIN, maxPoints: 2 });
    add(store, 'reqs', counter(1), 0);
    closeAfter(store, 0);
    const before = store.series();
    for (let b = 1; b < 6; b++) {
      add(store, 'reqs', counter(1), b);
      closeAfter(store, b);
    }
    expect(before[0]!.index).toEqual([0]);
    expect(points(store, 'reqs')).toEqual([
      [0, 4],
      [1, 2],
    ]);
  });
});

describe('TimeSeriesStore with a spill file', () => {
  it('compacts the file after coalescings: it holds the live points, exactly, and little else', () => {
    const keeper = new SpillKeeper(undefined, 0);
    const store = new TimeSeriesStore({ originMs: ORIGIN, maxPoints: 8, keeper });
    try {
      const rnd = seededRandom(5);
      const all: number[] = [];
      for (let b = 0; b < 100; b++) {
        const values = Array.from({ length: 50 }, () => Math.round(rnd() * 4000) / 10);
        all.push(...values);
        add(store, 'lat', trend(values), b);
        add(store, 'reqs', counter(1), b);
        closeAfter(store, b);
        expect(keeper.fileBytes).toBeLessThanOrEqual(2 * store.bytes + 2000); // + what the last close added
      }
      expect(keeper.compactions).toBeGreaterThanOrEqual(3);
      store.close(Infinity);
      expect(points(store, 'reqs').reduce((n, [, sum]) => n + sum, 0)).toBe(100);
      const merged = new MetricsAggregate();
      const lat = store.series().find((x) => x.metric === 'lat')!;
      merged.merge({ defs: [{ name: 'lat', type: 'trend', contains: 'time' }], series: lat.data.map((data) => ({ metric: 'lat', key: '', tags: {}, data })) });
      const once = new MetricsAggregate();
      once.merge({ defs: [{ name: 'lat', type: 'trend', contains: 'time' }], series: [{ metric: 'lat', key: '', tags: {}, data: trend(all) }] });
      expect(merged.values('lat', undefined, ['count', 'min', 'max', 'p(50)', 'p(99)'], 1000)).toEqual(once.values('lat', undefined, ['count', 'min', 'max', 'p(50)', 'p(99)'], 1000));
    } finally {
      store.dispose();
    }
  });
});

describe('TimeSeriesStore byte budget (memory)', () => {
  it('past maxBytes (whatever the number of series), points coarsen too; an interval that closes into the last coarse point merges into it', () => {
    // counters' points count ~100 bytes each: 3 series × 4 points = 1,200 bytes > 1,000
    const store = new TimeSeriesStore({ originMs: ORIGIN, maxPoints: 1000, maxBytes: 1000 });
    const seen: number[] = [];
    for (let b = 0; b < 9; b++) {
      for (const m of ['a', 'b', 'c']) add(store, m, counter(b + 1), b);
      closeAfter(store, b);
      seen.push(store.intervalMs / S);
    }
    // b = 3 closes the 4th point (1,200 bytes): x2; merging brings 12 points to 6, 600 bytes;
    // b = 4 closed into coarse point 2, which base 5 shares; at b = 7: 4 points a series again
    expect(seen).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 4]);
    store.close(Infinity);
    expect(points(store, 'a')).toEqual([
      [0, 1 + 2 + 3 + 4],
      [1, 5 + 6 + 7 + 8],
      [2, 9],
    ]);
    expect(store.bytes).toBe(3 * 3 * 100); // the doubling after b = 8 closed every point
  });

});
