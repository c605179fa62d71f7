import { MetricsAggregate } from '../metrics/aggregate.js';
import { decodeData, TimeSeriesStore } from '../metrics/time-series.js';
import type { MetricsSnapshot, SeriesSnapshot, SinkSnapshot } from '../metrics/types.js';
import type { RunRecord } from './types.js';

/**
 * The VU gauges: each part of a test counts its own VUs, so across parts they add (the other
 * gauges keep min, max and the last value by time, as any merge of gauges does).
 */
export const VU_GAUGES: ReadonlySet<string> = new Set(['vus', 'vus_max']);

type Gauge = Extract<SinkSnapshot, { type: 'gauge' }>;

/** The sum of the parts' VU gauges: values, minima and maxima add; the latest time is kept. */
export function sumGauges(parts: readonly Gauge[]): Gauge {
  let value = 0;
  let min = 0;
  let max = 0;
  let lastAtMs = Number.NEGATIVE_INFINITY;
  for (const g of parts) {
    value += g.value;
    min += g.min;
    max += g.max;
    lastAtMs = Math.max(lastAtMs, g.lastAtMs);
  }
  return { type: 'gauge', value, min, max, lastAtMs };
}

/** The parts' final metrics merged exactly: counters and rates add, histograms merge, VU gauges add. */
export function mergeFinalMetrics(records: readonly RunRecord[]): MetricsAggregate {
  const aggregate = new MetricsAggregate();
  const vuParts = new Map<string, { series: SeriesSnapshot; gauges: Gauge[] }>();
  for (const r of records) {
    const series = r.metrics.series.filter((s) => {
      if (!VU_GAUGES.has(s.metric) || s.data.type !== 'gauge') return true;
      const id = `${s.metric}\u0000${s.key}`;
      const entry = vuParts.get(id) ?? { series: s, gauges: [] };
      entry.gauges.push(s.data);
      vuParts.set(id, entry);
      return false;
    });
    aggregate.merge({ defs: r.metrics.defs, series });
  }
  const summed: SeriesSnapshot[] = [...vuParts.values()].map(({ series, gauges }) => ({ ...series, data: sumGauges(gauges) }));
  aggregate.merge({ defs: [], series: summed });
  return aggregate;
}

/**
 * The parts' time series on one grid: the earliest origin and the longest interval of the parts
 * (a fleet's parts share both). Each point goes to the merged interval that holds its start, so
 * when parts' grids differ a point may move by less than one interval; totals stay exact. VU
 * gauges add across parts (each part's latest value in the interval).
 */
export function mergeTimeSeries(records: readonly RunRecord[]): RunRecord['timeSeries'] {
  const originMs = Math.min(...records.map((r) => r.timeSeries.originMs));
  const intervalMs = Math.max(...records.map((r) => r.timeSeries.intervalMs));
  const store = new TimeSeriesStore({ originMs, intervalMs });
  const binOf = (t: number) => Math.floor((t - originMs) / intervalMs);
  const vu = new Map<string, { s: SeriesSnapshot; byBin: Map<number, Map<number, Gauge>> }>();
  records.forEach((r, part) => {
    store.define(r.metrics.defs);
    for (const rs of r.timeSeries.series) {
      rs.index.forEach((idx, i) => {
        const data = rs.data[i]!;
        const startMs = r.timeSeries.originMs + idx * r.timeSeries.intervalMs;
        const s: SeriesSnapshot = { metric: rs.metric, key: rs.key, tags: rs.tags, data };
        if (VU_GAUGES.has(rs.metric) && data.type === 'gauge') {
          const id = `${rs.metric}\u0000${rs.key}`;
          const entry = vu.get(id) ?? { s, byBin: new Map() };
          vu.set(id, entry);
          const parts = entry.byBin.get(binOf(startMs)) ?? new Map<number, Gauge>();
          entry.byBin.set(binOf(startMs), parts);
          const prev = parts.get(part);
          if (prev === undefined || data.lastAtMs >= prev.lastAtMs) parts.set(part, data);
          return;
        }
        store.add(s, decodeData(data), startMs + 1);
      });
    }
  });
  for (const { s, byBin } of vu.values()) {
    for (const [bin, parts] of byBin) {
      const data = sumGauges([...parts.values()]);
      store.add({ ...s, data }, decodeData(data), originMs + bin * intervalMs + 1);
    }
  }
  store.close(Infinity);
  return { originMs, intervalMs: store.intervalMs, baseIntervalMs: store.baseIntervalMs, series: store.series().map((s) => ({ metric: s.metric, key: s.key, tags: s.tags, index: s.index, data: s.data })) };
}

/** A snapshot of an aggregate (for a record's `metrics`). */
export function snapshotOf(aggregate: MetricsAggregate): RunRecord['metrics'] {
  return aggregate.toSnapshot() as MetricsSnapshot as RunRecord['metrics'];
}
