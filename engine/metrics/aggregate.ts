import type { Histogram } from 'hdr-histogram-js';
import { encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { LoadtsError } from '../errors.js';
import { decodeHistogram, newHistogram } from './sinks.js';
import { TREND_SCALE, type MetricDef, type MetricsSnapshot, type SeriesSnapshot, type SinkSnapshot, type Tags } from './types.js';

/** A trend statistic as summaryTrendStats and thresholds name it. */
export type TrendStat = { kind: 'avg' | 'min' | 'med' | 'max' | 'count' | 'sum' } | { kind: 'p'; percentile: number };

/** Parses 'avg', 'min', 'med', 'max', 'count', 'sum', 'p(N)' (0 ≤ N ≤ 100); throws LoadtsError otherwise. */
export function parseTrendStat(stat: string): TrendStat {
  const s = stat.trim();
  if (s === 'avg' || s === 'min' || s === 'med' || s === 'max' || s === 'count' || s === 'sum') return { kind: s };
  const m = /^p\(\s*(\d+(?:\.\d+)?)\s*\)$/.exec(s);
  if (m) {
    const percentile = Number(m[1]);
    if (percentile >= 0 && percentile <= 100) return { kind: 'p', percentile };
  }
  throw new LoadtsError('INVALID_OPTION', `invalid trend stat "${stat}" (use avg, min, med, max, count or p(N) with 0 ≤ N ≤ 100)`);
}

/** The merged data of one or more series. */
class Merged {
  readonly type: SinkSnapshot['type'];
  sum = 0;
  count = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  value = 0;
  lastAtMs = Number.NEGATIVE_INFINITY;
  passes = 0;
  fails = 0;
  pos: Histogram | undefined;
  neg: Histogram | undefined;

  constructor(type: SinkSnapshot['type']) {
    this.type = type;
  }

  addSnapshot(d: SinkSnapshot): void {
    switch (d.type) {
      case 'counter':
        this.sum += d.sum;
        break;
      case 'gauge':
        if (d.lastAtMs >= this.lastAtMs) {
          this.value = d.value;
          this.lastAtMs = d.lastAtMs;
        }
        this.min = Math.min(this.min, d.min);
        this.max = Math.max(this.max, d.max);
        break;
      case 'rate':
        this.passes += d.passes;
        this.fails += d.fails;
        break;
      case 'trend': {
        this.count += d.count;
        this.sum += d.sum;
        this.min = Math.min(this.min, d.min);
        this.max = Math.max(this.max, d.max);
        const pos = decodeHistogram(d.hdr);
        if (pos) (this.pos ??= newHistogram()).add(pos);
        const neg = decodeHistogram(d.negHdr);
        if (neg) (this.neg ??= newHistogram()).add(neg);
        break;
      }
    }
  }

  addMerged(o: Merged): void {
    this.sum += o.sum;
    this.count += o.count;
    this.min = Math.min(this.min, o.min);
    this.max = Math.max(this.max, o.max);
    if (o.lastAtMs >= this.lastAtMs) {
      this.value = o.value;
      this.lastAtMs = o.lastAtMs;
    }
    this.passes += o.passes;
    this.fails += o.fails;
    if (o.pos) (this.pos ??= newHistogram()).add(o.pos);
    if (o.neg) (this.neg ??= newHistogram()).add(o.neg);
  }

  /** Value at percentile p (0..100), in the metric's units. */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    if (p <= 0) return this.min;
    if (p >= 100) return this.max;
    const negN = this.neg?.totalCount ?? 0;
    const posN = this.pos?.totalCount ?? 0;
    const rank = (p / 100) * (negN + posN);
    let v: number;
    if (negN > 0 && rank <= negN) v = -this.neg!.getValueAtPercentile(100 * (1 - rank / negN)) / TREND_SCALE;
    else if (posN > 0) v = this.pos!.getValueAtPercentile(negN > 0 ? (100 * (rank - negN)) / posN : p) / TREND_SCALE;
    else v = 0;
    return Math.min(Math.max(v, this.min), this.max);
  }

  values(stats: readonly string[], durationMs: number): Record<string, number> {
    switch (this.type) {
      case 'counter':
        return { count: this.sum, rate: durationMs > 0 ? this.sum / (durationMs / 1000) : 0 };
      case 'gauge':
        return { value: this.value, min: this.min, max: this.max };
      case 'rate': {
        const n = this.passes + this.fails;
        return { rate: n === 0 ? 0 : this.passes / n, passes: this.passes, fails: this.fails };
      }
      case 'trend': {
        const out: Record<string, number> = {};
        for (const stat of stats) {
          const s = parseTrendStat(stat);
          switch (s.kind) {
            case 'avg':
              out[stat] = this.count === 0 ? 0 : this.sum / this.count;
              break;
            case 'min':
              out[stat] = this.count === 0 ? 0 : this.min;
              break;
            case 'max':
              out[stat] = this.count === 0 ? 0 : this.max;
              break;
            case 'med':
              out[stat] = this.percentile(50);
              break;
            case 'count':
              out[stat] = this.count;
              break;
            case 'sum':
              out[stat] = this.sum;
              break;
            case 'p':
              out[stat] = this.percentile(s.percentile);
              break;
          }
        }
        return out;
      }
    }
  }

  toSnapshot(): SinkSnapshot {
    switch (this.type) {
      case 'counter':
        return { type: 'counter', sum: this.sum };
      case 'gauge':
        return { type: 'gauge', value: this.value, min: this.min, max: this.max, lastAtMs: this.lastAtMs };
      case 'rate':
        return { type: 'rate', passes: this.passes, fails: this.fails };
      case 'trend': {
        const enc = (h: Histogram | undefined) => (h !== undefined && h.totalCount > 0 ? encodeIntoCompressedBase64(h) : '');
        return { type: 'trend', count: this.count, sum: this.sum, min: this.min, max: this.max, hdr: enc(this.pos), negHdr: enc(this.neg) };
      }
    }
  }
}

interface Series {
  readonly tags: Tags;
  readonly key: string;
  readonly merged: Merged;
}

/**
 * The coordinator's merged metrics. Merges are exact: counters and rates add, gauges keep the
 * latest value (by wall clock) and min/max, trends add histograms and exact count/sum/min/max.
 * Per-metric totals are kept up to date on every merge; sub-metric (tag-filtered) values are
 * merged on request.
 */
export class MetricsAggregate {
  readonly #defs = new Map<string, MetricDef>();
  readonly #series = new Map<string, Map<string, Series>>();
  readonly #totals = new Map<string, Merged>();

  merge(snapshot: MetricsSnapshot): void {
    for (const d of snapshot.defs) if (!this.#defs.has(d.name)) this.#defs.set(d.name, d);
    for (const s of snapshot.series) this.#mergeSeries(s);
  }

  #mergeSeries(s: SeriesSnapshot): void {
    let byKey = this.#series.get(s.metric);
    if (byKey === undefined) {
      byKey = new Map();
      this.#series.set(s.metric, byKey);
    }
    let series = byKey.get(s.key);
    if (series === undefined) {
      series = { tags: s.tags, key: s.key, merged: new Merged(s.data.type) };
      byKey.set(s.key, series);
    }
    series.merged.addSnapshot(s.data);
    let total = this.#totals.get(s.metric);
    if (total === undefined) {
      total = new Merged(s.data.type);
      this.#totals.set(s.metric, total);
    }
    total.addSnapshot(s.data);
  }

  defs(): MetricDef[] {
    return [...this.#defs.values()];
  }

  def(name: string): MetricDef | undefined {
    return this.#defs.get(name);
  }

  /**
   * k6 values of `metric` over all its series, or only those whose tags include `filter`
   * (a sub-metric); undefined when no such series has samples.
   */
  values(metric: string, filter: Readonly<Tags> | undefined, stats: readonly string[], durationMs: number): Record<string, number> | undefined {
    const merged = this.#select(metric, filter);
    return merged?.values(stats, durationMs);
  }

  #select(metric: string, filter: Readonly<Tags> | undefined): Merged | undefined {
    if (filter === undefined || Object.keys(filter).length === 0) return this.#totals.get(metric);
    const byKey = this.#series.get(metric);
    if (byKey === undefined) return undefined;
    let out: Merged | undefined;
    for (const s of byKey.values()) {
      let match = true;
      for (const k of Object.keys(filter)) if (s.tags[k] !== filter[k]) match = false;
      if (!match) continue;
      out ??= new Merged(s.merged.type);
      out.addMerged(s.merged);
    }
    return out;
  }

  /** Each series of `metric` with its own values. */
  series(metric: string): Array<{ tags: Tags; values(stats: readonly string[], durationMs: number): Record<string, number> }> {
    const byKey = this.#series.get(metric);
    if (byKey === undefined) return [];
    return [...byKey.values()].map((s) => ({ tags: s.tags, values: (stats: readonly string[], durationMs: number) => s.merged.values(stats, durationMs) }));
  }

  /** The whole merged state as one snapshot (to hand totals on to another process). */
  toSnapshot(): MetricsSnapshot {
    const series: SeriesSnapshot[] = [];
    for (const [metric, byKey] of this.#series) {
      for (const s of byKey.values()) series.push({ metric, key: s.key, tags: s.tags, data: s.merged.toSnapshot() });
    }
    return { defs: this.defs(), series };
  }
}
