import { assert } from '../errors.js';
import { decodeData } from './time-series.js';
import { MergedSink, type DecodedData } from './merged-sink.js';
import { tagsKey } from './tags.js';
import type { MetricDef, MetricsSnapshot, SeriesSnapshot, Tags } from './types.js';

export { parseTrendStat, type TrendStat } from './trend-stat.js';

interface Series {
  readonly tags: Tags;
  readonly key: string;
  readonly sink: MergedSink;
}

/** A sub-metric (metric{tag:value,...}): the merge of every series whose tags include `filter`. */
interface SubMetric {
  readonly filter: Readonly<Tags>;
  /** Undefined until a matching series has samples. */
  sink: MergedSink | undefined;
}

/** One series of a metric with its own values. */
export interface SeriesValues {
  readonly tags: Tags;
  /** As MetricsAggregate.values. */
  values(stats: readonly string[], durationMs: number): Record<string, number>;
}

/**
 * The coordinator's merged metrics. Merges are exact (see MergedSink), so the totals of N workers,
 * processes or machines equal those of one that got every sample. Series merge by TagSet key, so tag
 * order does not matter. Each metric's total and each sub-metric that was asked for once are kept up
 * to date on every merge; a snapshot's histograms are decoded once.
 */
export class MetricsAggregate {
  readonly #defs = new Map<string, MetricDef>();
  readonly #series = new Map<string, Map<string, Series>>();
  readonly #totals = new Map<string, MergedSink>();
  readonly #subMetrics = new Map<string, Map<string, SubMetric>>();

  /**
   * Merges a worker's (or another aggregate's) snapshot. `visit` sees each series with its
   * histograms decoded (once, here), e.g. to merge it into the time series too.
   */
  merge(snapshot: MetricsSnapshot, visit?: (s: SeriesSnapshot, decoded: DecodedData) => void): void {
    for (const d of snapshot.defs) {
      const known = this.#defs.get(d.name);
      if (known === undefined) this.#defs.set(d.name, { name: d.name, type: d.type, contains: d.contains });
      else assert(known.type === d.type, `metric ${d.name} is a ${known.type} and a ${d.type}`);
    }
    for (const s of snapshot.series) {
      const decoded = decodeData(s.data);
      this.#mergeSeries(s, decoded);
      visit?.(s, decoded);
    }
  }

  /** Merges series whose histograms the caller has already decoded (or merged): no decoding here. */
  mergeDecoded(series: ReadonlyArray<{ series: SeriesSnapshot; decoded: DecodedData }>): void {
    for (const { series: s, decoded } of series) this.#mergeSeries(s, decoded);
  }

  #mergeSeries(s: SeriesSnapshot, decoded: DecodedData): void {
    const type = s.data.type;
    let byKey = this.#series.get(s.metric);
    if (byKey === undefined) {
      byKey = new Map();
      this.#series.set(s.metric, byKey);
    }
    let series = byKey.get(s.key);
    if (series === undefined) {
      series = { tags: { ...s.tags }, key: s.key, sink: new MergedSink(type) };
      byKey.set(s.key, series);
    }
    series.sink.add(decoded);
    let total = this.#totals.get(s.metric);
    if (total === undefined) {
      total = new MergedSink(type);
      this.#totals.set(s.metric, total);
    }
    total.add(decoded);
    const subs = this.#subMetrics.get(s.metric);
    if (subs !== undefined) {
      for (const sub of subs.values()) {
        if (matches(series.tags, sub.filter)) (sub.sink ??= new MergedSink(type)).add(decoded);
      }
    }
  }

  /** Every metric definition seen, in order of first appearance. */
  defs(): MetricDef[] {
    return [...this.#defs.values()];
  }

  /** The definition of `name`, if any snapshot defined it. */
  def(name: string): MetricDef | undefined {
    return this.#defs.get(name);
  }

  /**
   * k6 values of `metric` over all its series, or only over those whose tags include `filter`
   * (a k6 sub-metric); undefined when no such series has samples. See MergedSink.values for the keys.
   */
  values(metric: string, filter: Readonly<Tags> | undefined, stats: readonly string[], durationMs: number): Record<string, number> | undefined {
    const sink = filter === undefined || Object.keys(filter).length === 0 ? this.#totals.get(metric) : this.#subMetric(metric, filter).sink;
    return sink?.values(stats, durationMs);
  }

  /** The sub-metric for `filter`, built from the series so far on first use and kept up to date afterwards. */
  #subMetric(metric: string, filter: Readonly<Tags>): SubMetric {
    let subs = this.#subMetrics.get(metric);
    if (subs === undefined) {
      subs = new Map();
      this.#subMetrics.set(metric, subs);
    }
    const key = tagsKey(filter);
    let sub = subs.get(key);
    if (sub === undefined) {
      sub = { filter: { ...filter }, sink: undefined };
      for (const s of this.#series.get(metric)?.values() ?? []) {
        if (matches(s.tags, sub.filter)) (sub.sink ??= new MergedSink(s.sink.type)).addMerged(s.sink);
      }
      subs.set(key, sub);
    }
    return sub;
  }

  /** Each series of `metric` (one per distinct tag set) with its own values; [] when none. */
  series(metric: string): SeriesValues[] {
    const byKey = this.#series.get(metric);
    if (byKey === undefined) return [];
    return [...byKey.values()].map(({ tags, sink }) => ({ tags, values: (stats, durationMs) => sink.values(stats, durationMs) }));
  }

  /** The whole merged state as one snapshot (to hand totals on to another process). */
  toSnapshot(): MetricsSnapshot {
    const series: SeriesSnapshot[] = [];
    for (const [metric, byKey] of this.#series) {
      for (const s of byKey.values()) series.push({ metric, key: s.key, tags: { ...s.tags }, data: s.sink.toSnapshot() });
    }
    return { defs: this.defs(), series };
  }
}

/** True when every tag of `filter` is in `tags` with the same value. */
function matches(tags: Readonly<Tags>, filter: Readonly<Tags>): boolean {
  for (const name of Object.keys(filter)) if (tags[name] !== filter[name]) return false;
  return true;
}
