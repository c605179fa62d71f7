import { decodeHistogram } from './hdr.js';
import type { DecodedData } from './merged-sink.js';
import { MemoryKeeper, type PointKeeper, type Slot } from './point-keeper.js';
import { PointSink } from './point-sink.js';
import { SeriesPoints, type PointBytes, type StoredSeries } from './series-points.js';
import type { MetricDef, SeriesSnapshot, SinkSnapshot, Tags } from './types.js';

export { mergeSnapshots } from './point-sink.js';
export type { StoredSeries } from './series-points.js';

/** One closed interval of the run: what every series got in [startMs, endMs) (wall-clock ms). */
export interface TimeInterval {
  readonly startMs: number;
  readonly endMs: number;
  /** Series with samples in the interval; trends with their HDR histogram of the interval. */
  readonly series: readonly SeriesSnapshot[];
}

/** Default interval, and the most points a series keeps before adjacent intervals are merged. */
export const DEFAULT_INTERVAL_MS = 1000;
export const DEFAULT_MAX_POINTS = 2000;
/**
 * The most the closed points of all series may hold (their encoded histograms, mostly) before
 * adjacent intervals are merged, whatever the number of series: bounds the record's size and the
 * spill file's (or the memory the points take, when they are kept in memory; docs/record.md,
 * docs/performance.md).
 */
export const DEFAULT_MAX_BYTES = 128 * 2 ** 20;

/**
 * A series in an open interval: the snapshots it got, as they came (merged when the interval
 * closes). Encoded, not decoded: a decoded 64-bit histogram takes 50-150 KiB, and a caller that
 * adds a whole run before closing anything (merging records) would hold one per point.
 */
interface OpenSeries {
  readonly metric: string;
  readonly key: string;
  readonly tags: Tags;
  readonly items: SinkSnapshot[];
}

/**
 * The run's results over time. Every snapshot merged into the run's totals is also merged into the
 * interval it covers, per metric and tag set: counters and rates as counts, gauges as last/min/max,
 * trends as an HDR histogram of the interval. Merges are exact, so all the intervals of a series
 * merged together give exactly its final values (the same histogram counts, so the same
 * percentiles).
 *
 * Data arrives and closes by base interval (`baseIntervalMs`, the workers' report period): an
 * interval stays open (decoded, cheap to add to) until `close`, then it goes to `onInterval` as it
 * is and into each series' points, kept encoded. Memory stays bounded: when an interval would be
 * point number `maxPoints` + 1, the points' interval (`intervalMs`) doubles, for every series at
 * once so they stay aligned; adjacent points merge exactly (one per series per close, see SeriesPoints), and
 * later intervals land in the coarser point that covers them.
 */
export class TimeSeriesStore {
  readonly originMs: number;
  readonly baseIntervalMs: number;
  /** Points are 2^shift base intervals long. */
  #shift = 0;
  readonly #maxPoints: number;
  readonly #maxBytes: number;
  readonly #bytes: PointBytes;
  readonly #open = new Map<number, Map<string, OpenSeries>>();
  readonly #series = new Map<string, SeriesPoints>();
  readonly #defs = new Map<string, MetricDef>();
  /** Base intervals below this index are closed: late data goes to the oldest open one. */
  #closedBelow = 0;
  readonly #onInterval: ((i: TimeInterval) => void) | undefined;

  /**
   * `maxPoints` is rounded up to an even number (at least 2). `keeper`: where closed points go
   * (default: memory; a run's coordinator gives a SpillKeeper, see point-keeper.ts).
   */
  constructor(opts: { originMs: number; intervalMs?: number; maxPoints?: number; maxBytes?: number; onInterval?: (i: TimeInterval) => void; keeper?: PointKeeper }) {
    this.originMs = opts.originMs;
    this.baseIntervalMs = opts.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.#maxPoints = Math.max(2, 2 * Math.ceil((opts.maxPoints ?? DEFAULT_MAX_POINTS) / 2));
    this.#maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
    this.#onInterval = opts.onInterval;
    this.#bytes = { bytes: 0, keeper: opts.keeper ?? new MemoryKeeper() };
  }

  /** Frees the closed points (a spill file is removed): the store cannot be read afterwards. */
  dispose(): void {
    this.#bytes.keeper.close();
  }

  /** The length of the points' interval (the base interval, doubled at each coalescing). */
  get intervalMs(): number {
    return this.baseIntervalMs * 2 ** this.#shift;
  }

  /** What the closed points hold, roughly, in bytes (the tails, still open, are not counted). */
  get bytes(): number {
    return this.#bytes.bytes;
  }

  /** Notes metric definitions (kept for readers of the series). */
  define(defs: readonly MetricDef[]): void {
    for (const d of defs) if (!this.#defs.has(d.name)) this.#defs.set(d.name, d);
  }

  /**
   * Merges one series' data into the base interval that ends at or after `atMs` (a worker's report at a boundary belongs to the interval before it), or into the
   * oldest open one when that one is closed already.
   */
  add(s: SeriesSnapshot, decoded: DecodedData, atMs: number): void {
    const index = Math.max(this.#baseIndexOf(atMs - 1), this.#closedBelow);
    let open = this.#open.get(index);
    if (open === undefined) {
      open = new Map();
      this.#open.set(index, open);
    }
    const id = `${s.metric}\u0000${s.key}`;
    let series = open.get(id);
    if (series === undefined) {
      series = { metric: s.metric, key: s.key, tags: s.tags, items: [] };
      open.set(id, series);
    }
    series.items.push(decoded.data);
  }

  /**
   * Closes every base interval that ended at or before `atMs`, in order (the coordinator calls it
   * as time passes, and at the end with Infinity), and merges a few pending points.
   */
  close(atMs: number): void {
    const end = atMs === Infinity ? Infinity : this.#baseIndexOf(atMs);
    const due = [...this.#open.keys()].filter((i) => i < end).sort((a, b) => a - b);
    for (const index of due) this.#closeInterval(index);
    this.#closedBelow = Math.max(this.#closedBelow, end === Infinity ? (due.at(-1) ?? -1) + 1 : end);
    let pending = false;
    for (const s of this.#series.values()) {
      s.step();
      pending ||= s.pending;
    }
    // Over the byte budget (many series, or wide histograms): coarser points, once the last
    // doubling's merges are done (merging shrinks the points by a third or so: it may take two).
    if (this.#bytes.bytes > this.#maxBytes && !pending && atMs !== Infinity) this.#double(this.#shift + 1);
    // Merged points leave their old bytes in a spill file: dropped once they outweigh the live ones.
    if (!pending) this.#bytes.keeper.compact(this.#slots(), this.#bytes.bytes);
    this.#bytes.keeper.flush();
  }

  *#slots(): Generator<Slot> {
    for (const s of this.#series.values()) yield* s.slots();
  }

  /** Every series with its points, in order of first appearance: fresh arrays, the caller may keep them. */
  series(): StoredSeries[] {
    return [...this.#series.values()].map((s) => s.snapshot());
  }

  /** The metric definitions seen. */
  defs(): MetricDef[] {
    return [...this.#defs.values()];
  }

  /** Every interval that starts before this time (wall-clock ms) is closed: data for it is late. */
  get closedBeforeMs(): number {
    return this.originMs + this.#closedBelow * this.baseIntervalMs;
  }

  /** Start of point `index`, wall-clock ms. */
  startOf(index: number): number {
    return this.originMs + index * this.intervalMs;
  }

  #baseIndexOf(atMs: number): number {
    return Math.max(0, Math.floor((atMs - this.originMs) / this.baseIntervalMs));
  }

  #closeInterval(base: number): void {
    const open = this.#open.get(base)!;
    this.#open.delete(base);
    this.#coarsenFor(base);
    const point = Math.floor(base / 2 ** this.#shift);
    // Encoded only for a listener (an output that wants intervals): the points add them decoded.
    const closed: SeriesSnapshot[] | undefined = this.#onInterval === undefined ? undefined : [];
    for (const [id, o] of open) {
      if (closed !== undefined) {
        const sink = new PointSink(o.items[0]!.type);
        for (const d of o.items) sink.addSnapshot(d);
        closed.push({ metric: o.metric, key: o.key, tags: o.tags, data: sink.toSnapshot() });
      }
      let stored = this.#series.get(id);
      if (stored === undefined) {
        stored = new SeriesPoints(o.metric, o.key, o.tags, this.#bytes);
        this.#series.set(id, stored);
      }
      stored.append(point, o.items);
    }
    const startMs = this.originMs + base * this.baseIntervalMs;
    if (closed !== undefined) this.#onInterval?.({ startMs, endMs: startMs + this.baseIntervalMs, series: closed });
  }

  /** Doubles the points' interval as often as base interval `base` needs to be within maxPoints. */
  #coarsenFor(base: number): void {
    let shift = this.#shift;
    while (Math.floor(base / 2 ** shift) >= this.#maxPoints) shift++;
    if (shift !== this.#shift) this.#double(shift);
  }

  #double(shift: number): void {
    const by = shift - this.#shift;
    this.#shift = shift;
    // The next doubling by points is at least maxPoints closes away (one by bytes waits for these
    // merges): merge within half of that, one merge per series per close at most.
    for (const s of this.#series.values()) s.coarsen(by, this.#maxPoints / 2);
  }
}

/** A snapshot with its histograms decoded, ready to merge. */
export function decodeData(data: SinkSnapshot): DecodedData {
  return data.type === 'trend' ? { data, positive: decodeHistogram(data.hdr), negative: decodeHistogram(data.negHdr) } : { data, positive: undefined, negative: undefined };
}
