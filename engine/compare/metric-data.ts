import type { JsHistogram } from 'hdr-histogram-js';
import { decodeHistogram } from '../metrics/hdr.js';
import { MergedSink } from '../metrics/merged-sink.js';
import { decodeData } from '../metrics/time-series.js';
import { TREND_SCALE, type MetricDef, type Tags } from '../metrics/types.js';
import type { RunRecord } from '../record/types.js';
import { bucketsOf, type Buckets } from '../stats/bootstrap.js';

/** One metric of a record, merged over its series (those whose tags include `filter`). */
export interface MetricData {
  def: MetricDef;
  sink: MergedSink;
  durationMs: number;
}

/** The metric `name` of `record` (a sub-metric with `filter`), or undefined when it has no samples there. */
export function metricData(record: RunRecord, name: string, filter: Tags = {}): MetricData | undefined {
  const def = record.metrics.defs.find((d) => d.name === name);
  if (def === undefined) return undefined;
  let sink: MergedSink | undefined;
  for (const s of record.metrics.series) {
    if (s.metric !== name || Object.entries(filter).some(([k, v]) => s.tags[k] !== v)) continue;
    (sink ??= new MergedSink(def.type)).add(decodeData(s.data));
  }
  return sink === undefined ? undefined : { def, sink, durationMs: record.durationMs };
}

/** A histogram's non-empty buckets as (value, count), value the bucket's upper edge in the metric's unit (as percentiles report it). */
function histogramPairs(h: JsHistogram | undefined, max: number): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  if (h === undefined) return pairs;
  const length = h.countsArrayLength;
  for (let i = 0; i < length; i++) {
    const c = h.getCountAtIndex(i);
    if (c > 0) pairs.push([Math.min(h.highestEquivalentValue(h.valueFromIndex(i)) / TREND_SCALE, max), c]);
  }
  return pairs;
}

/** A trend's buckets (values ≥ 0, in the metric's unit: ms for times), from its merged histogram. */
export function trendBuckets(m: MetricData): Buckets {
  return bucketsOf(histogramPairs(m.sink.positive, m.sink.max));
}

/** A trend's samples per interval of the record's time series (series of its tag sets merged), oldest first. */
export function trendIntervals(record: RunRecord, name: string, filter: Tags = {}): Array<Array<[number, number]>> {
  const byIndex = new Map<number, Map<number, number>>();
  for (const s of record.timeSeries.series) {
    if (s.metric !== name || Object.entries(filter).some(([k, v]) => s.tags[k] !== v)) continue;
    s.index.forEach((index, i) => {
      const d = s.data[i]!;
      if (d.type !== 'trend') return;
      const m = byIndex.get(index) ?? new Map<number, number>();
      for (const [v, c] of histogramPairs(decodeHistogram(d.hdr), d.max)) m.set(v, (m.get(v) ?? 0) + c);
      byIndex.set(index, m);
    });
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, m]) => [...m.entries()]);
}

/** A k6 statistic of the metric ('p(95)', 'med', 'rate', 'count', ...). */
export function statOf(m: MetricData, stat: string): number | undefined {
  return m.sink.values(m.def.type === 'trend' ? [stat] : [], m.durationMs)[stat];
}
