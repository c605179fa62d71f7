import { build, encodeIntoCompressedBase64, decodeFromCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { MetricType, SinkSnapshot } from './types.js';
import { TREND_SCALE } from './types.js';

/** Builds an empty trend histogram: 3 significant digits, growing as values need. */
export function newHistogram(): Histogram {
  return build({ bitBucketSize: 32, autoResize: true, lowestDiscernibleValue: 1, highestTrackableValue: 2, numberOfSignificantValueDigits: 3, useWebAssembly: false });
}

/** Decodes a snapshot's histogram ('' → undefined). */
export function decodeHistogram(encoded: string): Histogram | undefined {
  if (encoded === '') return undefined;
  return decodeFromCompressedBase64(encoded, 32, false);
}

/** Accumulates one series between two snapshots (worker side). */
export interface Sink {
  add(value: number): void;
  /** True when nothing was added since the last reset. */
  readonly empty: boolean;
  snapshot(): SinkSnapshot;
  reset(): void;
}

class CounterSink implements Sink {
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

class GaugeSink implements Sink {
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

class RateSink implements Sink {
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
 * Exact count, sum, min and max, plus HDR histograms of value × TREND_SCALE (µs for times) for
 * percentiles; negative values go to a second histogram by absolute value. Histograms are kept and
 * reset between snapshots, not reallocated.
 */
class TrendSink implements Sink {
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  #pos: Histogram | undefined;
  #neg: Histogram | undefined;
  get empty(): boolean {
    return this.count === 0;
  }
  add(value: number): void {
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (value >= 0) (this.#pos ??= newHistogram()).recordValue(Math.round(value * TREND_SCALE));
    else (this.#neg ??= newHistogram()).recordValue(Math.round(-value * TREND_SCALE));
  }
  snapshot(): SinkSnapshot {
    const enc = (h: Histogram | undefined) => (h !== undefined && h.totalCount > 0 ? encodeIntoCompressedBase64(h) : '');
    return { type: 'trend', count: this.count, sum: this.sum, min: this.min, max: this.max, hdr: enc(this.#pos), negHdr: enc(this.#neg) };
  }
  reset(): void {
    this.count = 0;
    this.sum = 0;
    this.min = Number.POSITIVE_INFINITY;
    this.max = Number.NEGATIVE_INFINITY;
    this.#pos?.reset();
    this.#neg?.reset();
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
