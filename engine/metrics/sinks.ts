import { HdrCounts } from './hdr-counts.js';
import { TREND_SCALE, type MetricType, type SinkSnapshot } from './types.js';

/**
 * Accumulates one series (metric + tag set) in a worker between two snapshots. `add` is on the hot
 * path: arithmetic only, no allocation once the series exists.
 */
export interface Sink {
  add(value: number): void;
  /** True when nothing was added since the last reset. */
  readonly empty: boolean;
  snapshot(): SinkSnapshot;
  reset(): void;
}

/** Counter: the sum of the values. */
export class CounterSink implements Sink {
  sum = 0;
  empty = true;
  add(value: number): void {
    this.sum += value;
    this.empty = false;
  }
  snapshot(): SinkSnapshot {
    return { type: 'counter', sum: this.sum };
  }
  reset(): void {
    this.sum = 0;
    this.empty = true;
  }
}

/** Gauge: the last value, min, max, and the wall-clock time of the last value (the latest wins on merge). */
export class GaugeSink implements Sink {
  value = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  lastAtMs = 0;
  empty = true;
  add(value: number): void {
    this.value = value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.lastAtMs = performance.timeOrigin + performance.now();
    this.empty = false;
  }
  snapshot(): SinkSnapshot {
    return { type: 'gauge', value: this.value, min: this.min, max: this.max, lastAtMs: this.lastAtMs };
  }
  reset(): void {
    this.min = Number.POSITIVE_INFINITY;
    this.max = Number.NEGATIVE_INFINITY;
    this.empty = true;
  }
}

/** Rate: how many values were non-zero (passes) and zero (fails). */
export class RateSink implements Sink {
  passes = 0;
  fails = 0;
  get empty(): boolean {
    return this.passes + this.fails === 0;
  }
  add(value: number): void {
    if (value !== 0) this.passes++;
    else this.fails++;
  }
  snapshot(): SinkSnapshot {
    return { type: 'rate', passes: this.passes, fails: this.fails };
  }
  reset(): void {
    this.passes = 0;
    this.fails = 0;
  }
}

/**
 * Trend: exact count, sum, min and max, and HDR counts of round(|value| × TREND_SCALE) (µs for
 * times) for percentiles; negative values go to a second histogram by absolute value.
 */
export class TrendSink implements Sink {
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  readonly #positive = new HdrCounts();
  #negative: HdrCounts | undefined;
  get empty(): boolean {
    return this.count === 0;
  }
  add(value: number): void {
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (value >= 0) this.#positive.record(Math.round(value * TREND_SCALE));
    else (this.#negative ??= new HdrCounts()).record(Math.round(-value * TREND_SCALE));
  }
  snapshot(): SinkSnapshot {
    return {
      type: 'trend',
      count: this.count,
      sum: this.sum,
      min: this.min,
      max: this.max,
      hdr: this.#positive.encode(),
      negHdr: this.#negative?.encode() ?? '',
    };
  }
  reset(): void {
    this.count = 0;
    this.sum = 0;
    this.min = Number.POSITIVE_INFINITY;
    this.max = Number.NEGATIVE_INFINITY;
    this.#positive.reset();
    this.#negative?.reset();
  }
}

/** A new, empty sink for a metric type. */
export function newSink(type: MetricType): Sink {
  switch (type) {
    case 'counter':
      return new CounterSink();
    case 'gauge':
      return new GaugeSink();
    case 'rate':
      return new RateSink();
    case 'trend':
      return new TrendSink();
  }
}
