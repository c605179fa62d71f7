import type { DecodedData } from '../metrics/merged-sink.js';
import { MergedSink } from '../metrics/merged-sink.js';
import { tagsKey } from '../metrics/tags.js';
import type { MetricType, SeriesSnapshot, Tags } from '../metrics/types.js';

/** A merged sink seen as decoded data, to merge it on without encoding and decoding its histograms. */
export function decodedOf(sink: MergedSink): DecodedData {
  switch (sink.type) {
    case 'counter':
      return { data: { type: 'counter', sum: sink.sum }, positive: undefined, negative: undefined };
    case 'gauge':
      return { data: { type: 'gauge', value: sink.value, min: sink.min, max: sink.max, lastAtMs: sink.lastAtMs }, positive: undefined, negative: undefined };
    case 'rate':
      return { data: { type: 'rate', passes: sink.passes, fails: sink.fails }, positive: undefined, negative: undefined };
    case 'trend':
      return { data: { type: 'trend', count: sink.count, sum: sink.sum, min: sink.min, max: sink.max, hdr: '', negHdr: '' }, positive: sink.positive, negative: sink.negative };
  }
}

function sinkIn(map: Map<string, MergedSink>, key: string, type: MetricType): MergedSink {
  let sink = map.get(key);
  if (sink === undefined) map.set(key, (sink = new MergedSink(type)));
  return sink;
}

/** One tick's merged data: each metric's total, and http_req_duration per scenario. Lean: no per-series state. */
export class TickSinks {
  readonly metrics = new Map<string, MergedSink>();
  readonly latency = new Map<string, MergedSink>();
  hasData = false;

  add(s: SeriesSnapshot, decoded: DecodedData, byScenario: boolean): void {
    this.hasData = true;
    sinkIn(this.metrics, s.metric, s.data.type).add(decoded);
    if (byScenario && s.metric === 'http_req_duration') sinkIn(this.latency, s.tags.scenario ?? '', 'trend').add(decoded);
  }

  /** k6's values of a metric in the tick (see MergedSink.values); undefined without samples. */
  values(metric: string, stats: readonly string[] = []): Record<string, number> | undefined {
    return this.metrics.get(metric)?.values(stats, 0);
  }
}

/**
 * Series merged down to the tags that matter (those thresholds filter on, say): fewer series for
 * the cumulative aggregate to keep, with the same totals and sub-metrics. A metric not in
 * `keep` is left out.
 */
export function project(items: ReadonlyArray<{ series: SeriesSnapshot; decoded: DecodedData }>, keep: ReadonlyMap<string, readonly string[]>): Array<{ series: SeriesSnapshot; decoded: DecodedData }> {
  const groups = new Map<string, { series: SeriesSnapshot; members: DecodedData[] }>();
  for (const { series, decoded } of items) {
    const keys = keep.get(series.metric);
    if (keys === undefined) continue;
    const tags: Tags = {};
    for (const k of keys) if (series.tags[k] !== undefined) tags[k] = series.tags[k]!;
    const key = tagsKey(tags);
    const id = `${series.metric}\u0000${key}`;
    let g = groups.get(id);
    if (g === undefined) groups.set(id, (g = { series: { metric: series.metric, key, tags, data: series.data }, members: [] }));
    g.members.push(decoded);
  }
  return [...groups.values()].map(({ series, members }) => {
    if (members.length === 1) return { series, decoded: members[0]! };
    const sink = new MergedSink(series.data.type);
    for (const m of members) sink.add(m);
    return { series, decoded: decodedOf(sink) };
  });
}
