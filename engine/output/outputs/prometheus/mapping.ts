import type { MergedSink } from '../../../metrics/merged-sink.js';
import type { MetricDef, Tags } from '../../../metrics/types.js';
import { toNativeHistogram } from './native-histogram.js';
import type { Label, TimeSeries } from './wire.js';

/**
 * k6's mapping of its metrics to Prometheus series (xk6-output-prometheus-remote, now k6's
 * experimental-prometheus-rw), so the Grafana dashboards made for k6 work unchanged:
 *   counter → k6_<name>_total (the running total)        gauge → k6_<name> (the last value)
 *   rate    → k6_<name>_rate (passes / all, running)      trend → k6_<name>_<stat> per trend stat
 *   trend as native histogram → k6_<name>_seconds (time), k6_<name>_bytes (data), k6_<name>
 * Time values are in seconds (Prometheus's base unit), others as measured. Every tag becomes a
 * label; the static labels (K6_PROMETHEUS_RW_LABELS) are added where no tag has the name.
 */

/** 'p(99)' → 'p99', 'p(99.9)' → 'p999' (k6's series suffix for a trend stat). */
export function statSuffix(stat: string): string {
  const m = /^p\((.+)\)$/.exec(stat);
  return m === null ? stat : `p${m[1]!.replace('.', '')}`;
}

/** A label name Prometheus accepts: [a-zA-Z_][a-zA-Z0-9_]*. */
export function labelName(name: string): string {
  const s = name.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

/** The sorted labels of a series named `metricName` with `tags` and the static labels. */
export function labelsOf(metricName: string, tags: Tags, staticLabels: Readonly<Record<string, string>>): Label[] {
  const map = new Map<string, string>();
  for (const [k, v] of Object.entries(staticLabels)) if (k !== '' && v !== '' && k !== '__name__') map.set(labelName(k), v);
  for (const [k, v] of Object.entries(tags)) if (v !== '') map.set(labelName(k), v);
  map.set('__name__', metricName);
  return [...map.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([name, value]) => ({ name, value }));
}

/** How a trend is sent. */
export interface TrendMapping {
  nativeHistogram: boolean;
  stats: readonly string[];
}

/** The unit factor from a metric's values to Prometheus's base unit: ms → s for time. */
function unitOf(def: MetricDef): number {
  return def.contains === 'time' ? 1 / 1000 : 1;
}

/** The Prometheus series of one loadts series (its cumulative state `sink`) at `timestamp` (ms). */
export function toPrometheus(def: MetricDef, tags: Tags, sink: MergedSink, timestamp: number, trend: TrendMapping, labels: Readonly<Record<string, string>>): TimeSeries[] {
  const base = `k6_${def.name}`;
  const one = (name: string, value: number): TimeSeries => ({ labels: labelsOf(name, tags, labels), samples: [{ value, timestamp }] });
  switch (def.type) {
    case 'counter':
      return [one(`${base}_total`, sink.sum)];
    case 'gauge':
      return [one(base, sink.value)];
    case 'rate':
      return [one(`${base}_rate`, sink.passes + sink.fails === 0 ? 0 : sink.passes / (sink.passes + sink.fails))];
    case 'trend': {
      const unit = unitOf(def);
      if (trend.nativeHistogram) {
        const suffix = def.contains === 'time' ? '_seconds' : def.contains === 'data' ? '_bytes' : '';
        // HDR values are value × 1000 (µs for times): back to the value, then to the base unit.
        const h = toNativeHistogram(sink.positive, sink.negative, unit / 1000, sink.sum * unit, timestamp);
        return [{ labels: labelsOf(`${base}${suffix}`, tags, labels), histograms: [h] }];
      }
      const values = sink.values(trend.stats, 0);
      return trend.stats.map((stat) => one(`${base}_${statSuffix(stat)}`, stat === 'count' ? values[stat]! : values[stat]! * unit));
    }
  }
}
