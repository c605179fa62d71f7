import { HdrSum } from './hdr-sum.js';
import type { MetricType, SinkSnapshot } from './types.js';

/**
 * One point of a time series while it is built: the exact merge of snapshots of one series, as
 * MergedSink merges them (counters and rates add, a gauge keeps min, max and the value set last,
 * trends add count, sum, min, max and their histograms), with the histograms as HdrSum counts
 * arrays, which add and encode several times faster than hdr-histogram-js's (see hdr-sum.ts).
 */
export class PointSink {
  readonly type: MetricType;
  #sum = 0;
  #count = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = Number.NEGATIVE_INFINITY;
  #value = 0;
  #lastAtMs = Number.NEGATIVE_INFINITY;
  #passes = 0;
  #fails = 0;
  #positive: HdrSum | undefined;
  #negative: HdrSum | undefined;

  constructor(type: MetricType) {
    this.type = type;
  }

  /** Adds a snapshot of the series (histograms encoded, as workers send them and points keep them). */
  addSnapshot(data: SinkSnapshot): void {
    this.#scalars(data);
    if (data.type !== 'trend') return;
    if (data.hdr !== '') (this.#positive ??= new HdrSum()).addEncoded(data.hdr);
    if (data.negHdr !== '') (this.#negative ??= new HdrSum()).addEncoded(data.negHdr);
  }

  /** Empties the point, keeping its arrays (to build the next point with). */
  reset(): void {
    this.#sum = 0;
    this.#count = 0;
    this.#min = Number.POSITIVE_INFINITY;
    this.#max = Number.NEGATIVE_INFINITY;
    this.#value = 0;
    this.#lastAtMs = Number.NEGATIVE_INFINITY;
    this.#passes = 0;
    this.#fails = 0;
    this.#positive?.reset();
    this.#negative?.reset();
  }

  #scalars(data: SinkSnapshot): void {
    if (data.type !== this.type) throw new Error(`a ${data.type} snapshot cannot merge into a ${this.type}`);
    switch (data.type) {
      case 'counter':
        this.#sum += data.sum;
        return;
      case 'rate':
        this.#passes += data.passes;
        this.#fails += data.fails;
        return;
      case 'gauge':
        if (data.lastAtMs >= this.#lastAtMs) {
          this.#value = data.value;
          this.#lastAtMs = data.lastAtMs;
        }
        this.#bounds(data.min, data.max);
        return;
      case 'trend':
        this.#count += data.count;
        this.#sum += data.sum;
        this.#bounds(data.min, data.max);
    }
  }

  #bounds(min: number, max: number): void {
    if (min < this.#min) this.#min = min;
    if (max > this.#max) this.#max = max;
  }

  /** The point as plain snapshot data (histograms encoded). */
  toSnapshot(): SinkSnapshot {
    switch (this.type) {
      case 'counter':
        return { type: 'counter', sum: this.#sum };
      case 'gauge':
        return { type: 'gauge', value: this.#value, min: this.#min, max: this.#max, lastAtMs: this.#lastAtMs };
      case 'rate':
        return { type: 'rate', passes: this.#passes, fails: this.#fails };
      case 'trend':
        return { type: 'trend', count: this.#count, sum: this.#sum, min: this.#min, max: this.#max, hdr: this.#positive?.encode() ?? '', negHdr: this.#negative?.encode() ?? '' };
    }
  }
}

/** One sink per type to merge snapshots in, reused (its counts arrays are 50-100 KiB). */
const scratch = new Map<MetricType, PointSink>();

/** The exact merge of snapshots of one series (at least one), in order. */
export function mergeSnapshots(list: readonly SinkSnapshot[]): SinkSnapshot {
  if (list.length === 1) return list[0]!;
  const type = list[0]!.type;
  let sink = scratch.get(type);
  if (sink === undefined) scratch.set(type, (sink = new PointSink(type)));
  try {
    for (const s of list) sink.addSnapshot(s);
    return sink.toSnapshot();
  } finally {
    sink.reset();
  }
}
