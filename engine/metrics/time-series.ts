import { decodeHistogram } from './hdr.js';
import { MergedSink, type DecodedData } from './merged-sink.js';
import type { MetricDef, SeriesSnapshot, SinkSnapshot, Tags } from './types.js';

/** One closed interval of the run: what every series got in [startMs, endMs) (wall-clock ms). */
export interface TimeInterval {
  readonly startMs: number;
  readonly endMs: number;
  /** Series with samples in the interval; trends with their HDR histogram of the interval. */
  readonly series: readonly SeriesSnapshot[];
}

/** A series over the whole run: its points, oldest first (only intervals in which it had samples). */
export interface StoredSeries {
  readonly metric: string;
  readonly key: string;
  readonly tags: Tags;
  /** Interval index of each point (its start is origin + index × intervalMs). */
  readonly index: number[];
  readonly data: SinkSnapshot[];
}

/** Default interval, and the most points a series keeps before adjacent intervals are merged. */
export const DEFAULT_INTERVAL_MS = 1000;
export const DEFAULT_MAX_POINTS = 2000;

interface OpenSeries {
  readonly metric: string;
  readonly key: string;
  readonly tags: Tags;
  readonly sink: MergedSink;
}

/**
 * The run's results over time. Every snapshot merged into the run's totals is also merged into the
 * interval it covers, per metric and tag set: counters and rates as counts, gauges as last/min/max,
 * trends as an HDR histogram of the interval. Merges are exact, so all the intervals of a series
 * merged together give exactly its final values (the same histogram counts, so the same
 * percentiles). An interval stays open (decoded, for cheap merging) until `close`; closed ones are
 * kept encoded. Memory stays bounded: past `maxPoints` intervals, adjacent pairs are merged
 * (exactly) into intervals twice as long, for every series at once, so series stay aligned.
 */
export class TimeSeriesStore {
  readonly originMs: number;
  #intervalMs: number;
  readonly #maxPoints: number;
  readonly #open = new Map<number, Map<string, OpenSeries>>();
  readonly #series = new Map<string, StoredSeries>();
  readonly #defs = new Map<string, MetricDef>();
  /** Intervals below this index are closed: late data goes to the oldest open one. */
  #closedBelow = 0;
  readonly #onInterval: ((i: TimeInterval) => void) | undefined;

  constructor(opts: { originMs: number; intervalMs?: number; maxPoints?: number; onInterval?: (i: TimeInterval) => void }) {
    this.originMs = opts.originMs;
    this.#intervalMs = opts.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.#maxPoints = Math.max(2, opts.maxPoints ?? DEFAULT_MAX_POINTS);
    this.#onInterval = opts.onInterval;
  }

  /** The current length of an interval (it doubles each time the series are coalesced). */
  get intervalMs(): number {
    return this.#intervalMs;
  }

  /** Notes metric definitions (kept for readers of the series). */
  define(defs: readonly MetricDef[]): void {
    for (const d of defs) if (!this.#defs.has(d.name)) this.#defs.set(d.name, d);
  }

  /** Merges one series' data (already decoded by the caller) into the interval that ends at or after `atMs`. */
  add(s: SeriesSnapshot, decoded: DecodedData, atMs: number): void {
    const index = Math.max(this.#indexOf(atMs - 1), this.#closedBelow);
    let open = this.#open.get(index);
    if (open === undefined) {
      open = new Map();
      this.#open.set(index, open);
    }
    const id = `${s.metric}\u0000${s.key}`;
    let series = open.get(id);
    if (series === undefined) {
      series = { metric: s.metric, key: s.key, tags: s.tags, sink: new MergedSink(s.data.type) };
      open.set(id, series);
    }
    series.sink.add(decoded);
  }

  /** Closes every interval that ended before `atMs` (the coordinator calls it as time passes, and at the end with Infinity). */
  close(atMs: number): void {
    const end = atMs === Infinity ? Infinity : this.#indexOf(atMs);
    for (const index of [...this.#open.keys()].sort((a, b) => a - b)) {
      if (index >= end) break;
      this.#closeInterval(index);
    }
    if (end !== Infinity) this.#closedBelow = Math.max(this.#closedBelow, end);
  }

  /** Every series with its points, in order of first appearance. */
  series(): StoredSeries[] {
    return [...this.#series.values()];
  }

  /** The metric definitions seen. */
  defs(): MetricDef[] {
    return [...this.#defs.values()];
  }

  /** Every interval that starts before this time (wall-clock ms) is closed: data for it is late. */
  get closedBeforeMs(): number {
    return this.startOf(this.#closedBelow);
  }

  /** Start of interval `index`, wall-clock ms. */
  startOf(index: number): number {
    return this.originMs + index * this.#intervalMs;
  }

  #indexOf(atMs: number): number {
    return Math.max(0, Math.floor((atMs - this.originMs) / this.#intervalMs));
  }

  #closeInterval(index: number): void {
    const open = this.#open.get(index)!;
    this.#open.delete(index);
    const closed: SeriesSnapshot[] = [];
    for (const [id, o] of open) {
      const data = o.sink.toSnapshot();
      closed.push({ metric: o.metric, key: o.key, tags: o.tags, data });
      let stored = this.#series.get(id);
      if (stored === undefined) {
        stored = { metric: o.metric, key: o.key, tags: o.tags, index: [], data: [] };
        this.#series.set(id, stored);
      }
      appendPoint(stored, index, data);
    }
    this.#onInterval?.({ startMs: this.startOf(index), endMs: this.startOf(index + 1), series: closed });
    if (index + 1 > this.#maxPoints) this.#coalesce();
  }

  /** Doubles the interval length: adjacent pairs of points merge exactly; open intervals follow. */
  #coalesce(): void {
    this.#intervalMs *= 2;
    this.#closedBelow = Math.floor(this.#closedBelow / 2);
    for (const s of this.#series.values()) {
      const index = s.index.splice(0);
      const data = s.data.splice(0);
      for (let i = 0; i < index.length; i++) appendPoint(s, index[i]! >> 1, data[i]!);
    }
    const open = [...this.#open.entries()];
    this.#open.clear();
    for (const [index, bySeries] of open) {
      const target = this.#open.get(index >> 1) ?? new Map<string, OpenSeries>();
      for (const [id, o] of bySeries) {
        const existing = target.get(id);
        if (existing === undefined) target.set(id, o);
        else existing.sink.addMerged(o.sink);
      }
      this.#open.set(index >> 1, target);
    }
  }
}

/** Appends a point, merging it into the last one when they share an interval. */
function appendPoint(s: StoredSeries, index: number, data: SinkSnapshot): void {
  const last = s.index.length - 1;
  if (last >= 0 && s.index[last] === index) {
    s.data[last] = mergeSnapshots(s.data[last]!, data);
    return;
  }
  s.index.push(index);
  s.data.push(data);
}

/** The exact merge of two snapshots of one series. */
export function mergeSnapshots(a: SinkSnapshot, b: SinkSnapshot): SinkSnapshot {
  const sink = new MergedSink(a.type);
  sink.add(decodeData(a));
  sink.add(decodeData(b));
  return sink.toSnapshot();
}

/** A snapshot with its histograms decoded, ready to merge. */
export function decodeData(data: SinkSnapshot): DecodedData {
  return data.type === 'trend' ? { data, positive: decodeHistogram(data.hdr), negative: decodeHistogram(data.negHdr) } : { data, positive: undefined, negative: undefined };
}
