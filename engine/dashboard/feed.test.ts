import { describe, expect, it } from 'vitest';
import { encodeHistogram, newHistogram } from '../metrics/hdr.js';
import { trendPercentile } from '../metrics/percentile.js';
import type { TimeInterval } from '../metrics/time-series.js';
import { TREND_SCALE, type MetricDef, type SeriesSnapshot } from '../metrics/types.js';
import type { ResolvedOptions } from '../options/types.js';
import type { TickEvent } from './events.js';
import { DashboardFeed, MAX_KEPT_TICKS } from './feed.js';
import { cpuOver } from './tick.js';

const DEFS: MetricDef[] = [
  { name: 'http_reqs', type: 'counter', contains: 'default' },
  { name: 'http_req_duration', type: 'trend', contains: 'time' },
  { name: 'http_req_failed', type: 'rate', contains: 'default' },
  { name: 'vus', type: 'gauge', contains: 'default' },
];
const ORIGIN = 1_000_000;

function trend(values: number[], tags: Record<string, string> = {}): SeriesSnapshot {
  const h = newHistogram(64);
  for (const v of values) h.recordValue(Math.round(v * TREND_SCALE));
  const data = { type: 'trend' as const, count: values.length, sum: values.reduce((a, b) => a + b, 0), min: Math.min(...values), max: Math.max(...values), hdr: encodeHistogram(h), negHdr: '' };
  return { metric: 'http_req_duration', key: JSON.stringify(tags), tags, data };
}

/** One second of the run: `n` requests taking the given times, `failed` of them failed, at `vus` VUs. */
function second(index: number, durations: number[], failed: number, vus: number): TimeInterval {
  return {
    startMs: ORIGIN + index * 1000,
    endMs: ORIGIN + (index + 1) * 1000,
    series: [
      { metric: 'http_reqs', key: '', tags: {}, data: { type: 'counter', sum: durations.length } },
      { metric: 'http_req_failed', key: '', tags: {}, data: { type: 'rate', passes: failed, fails: durations.length - failed } },
      { metric: 'vus', key: '', tags: {}, data: { type: 'gauge', value: vus, min: vus, max: vus, lastAtMs: ORIGIN + index * 1000 + 500 } },
      trend(durations),
    ],
  };
}

const options = {
  scenarios: [],
  thresholds: { http_req_duration: [{ source: 'p(99)<50', abortOnFail: false, delayAbortEvalMs: 0 }], http_req_failed: [{ source: 'rate<0.1', abortOnFail: false, delayAbortEvalMs: 0 }] },
} as unknown as Pick<ResolvedOptions, 'scenarios' | 'thresholds'>;

function feed(periodMs: number): DashboardFeed {
  return new DashboardFeed({ mode: 'report', script: 's.ts', startedAtMs: ORIGIN, periodMs, options, defs: DEFS, workers: 1, cpu: () => undefined });
}

const ticks = (f: DashboardFeed) => f.events.filter((e): e is TickEvent => e.type === 'tick');

describe('DashboardFeed', () => {
  it('makes one tick per period from the exact merge of its intervals', () => {
    const f = feed(2000);
    const all = [1, 2, 3, 4, 5, 6, 7, 8, 9, 40];
    f.addInterval(second(0, all.slice(0, 5), 0, 2));
    f.addInterval(second(1, all.slice(5), 1, 4));
    f.finish(ORIGIN + 2000);
    const [tick] = ticks(f);
    expect(ticks(f)).toHaveLength(1);
    expect(tick).toMatchObject({ t: 2, dt: 2, reqs: 10, failed: 1, vus: 4 });
    // p99 of the tick is the p99 of its ten samples, not a mix of the two seconds' p99s
    const h = newHistogram(64);
    for (const v of all) h.recordValue(v * TREND_SCALE);
    expect(tick!.latency['']![4]).toBe(Number(trendPercentile({ min: 1, max: 40, positive: h, negative: undefined }, 99).toPrecision(4)));
  });

  it('judges thresholds on everything so far, tick by tick', () => {
    const f = feed(1000);
    f.addInterval(second(0, [10, 10, 10], 0, 1));
    f.addInterval(second(1, [10, 90, 90], 3, 1));
    expect(ticks(f).map((t) => t.thresholds)).toEqual([
      [1, 1],
      [0, 0],
    ]);
  });

  it('sends empty ticks for idle stretches, so the time axis has no holes', () => {
    const f = feed(1000);
    f.addInterval(second(0, [5], 0, 1));
    f.addInterval(second(3, [5], 0, 1));
    expect(ticks(f).map((t) => [t.t, t.reqs])).toEqual([
      [1, 1],
      [2, 0],
      [3, 0],
      [4, 1],
    ]);
    expect(ticks(f)[1]!.vus).toBe(1); // the last VU count carries over
  });

  it('groups ticks into load levels by their VUs', () => {
    const f = feed(1000);
    f.addInterval(second(0, [10, 10], 0, 5));
    f.addInterval(second(1, [20, 20, 20, 20], 0, 10));
    f.addInterval(second(2, [10, 10], 0, 5));
    const rows = f.levels.rows();
    expect(rows.map((r) => [r.from, r.durationMs, r.requestsPerSec])).toEqual([
      [5, 2000, 2],
      [10, 1000, 4],
    ]);
  });
});

describe('DashboardFeed (live)', () => {
  it('keeps only the latest live tables, and a bounded replay on a long run', () => {
    const f = new DashboardFeed({ mode: 'live', script: 's.ts', startedAtMs: ORIGIN, periodMs: 1000, options, defs: DEFS, workers: 1, cpu: () => undefined });
    for (let i = 0; i < 2 * MAX_KEPT_TICKS + 10; i++) f.addInterval(second(i, [5], 0, 1));
    const kept = ticks(f);
    expect(kept.length).toBeLessThanOrEqual(2 * MAX_KEPT_TICKS);
    expect(kept.length).toBeGreaterThan(MAX_KEPT_TICKS);
    expect(kept.filter((t) => t.now !== undefined)).toHaveLength(1);
    expect(kept[kept.length - 1]!.t).toBe(2 * MAX_KEPT_TICKS + 10);
    expect(kept.every((t, i) => i === 0 || t.t > kept[i - 1]!.t)).toBe(true);
  });
});

describe('cpuOver', () => {
  it("averages each worker's samples in a tick, or takes the last one before it", () => {
    const timeline = { atMs: [1000, 2000, 3000], shares: [[0.2, 0.4], [0.4, 0.6], [1, 1]] };
    expect(cpuOver(timeline, 500, 2000)).toEqual([0.3, 0.5]);
    expect(cpuOver(timeline, 3000, 3500)).toEqual([1, 1]);
    expect(cpuOver(undefined, 0, 1)).toEqual([]);
  });
});
