import type { JsHistogram } from 'hdr-histogram-js';
import { assert } from '../errors.js';
import { encodeHistogram, newHistogram } from './hdr.js';
import { trendPercentile } from './percentile.js';
import { parseTrendStat } from './trend-stat.js';
import type { MetricType, SinkSnapshot } from './types.js';

/** A snapshot's series data with its histograms decoded (once, then shared by every sink it goes into). */
export interface DecodedData {
  readonly data: SinkSnapshot;
  readonly positive: JsHistogram | undefined;
  readonly negative: JsHistogram | undefined;
}

/**
 * The coordinator's exact merge of one or more series of a metric: counters and rates add, gauges
 * keep min/max and the value with the latest wall-clock time, trends add exact count/sum/min/max
 * and their histograms (64-bit counts).
 */
export class MergedSink {
  readonly type: MetricType;
  /** Counter and trend sum. */
  sum = 0;
  /** Trend sample count. */
  count = 0;
  /** Gauge and trend bounds. */
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  /** Gauge value and when it was set. */
  value = 0;
  lastAtMs = Number.NEGATIVE_INFINITY;
  passes = 0;
  fails = 0;
  positive: JsHistogram | undefined;
  negative: JsHistogram | undefined;

  constructor(type: MetricType) {
    this.type = type;
  }

  /** Merges one snapshot of a series. */
  add({ data, positive, negative }: DecodedData): void {
    assert(data.type === this.type, `a ${data.type} snapshot cannot merge into a ${this.type}`);
    switch (data.type) {
      case 'counter':
        this.sum += data.sum;
        break;
      case 'gauge':
        this.#gauge(data.value, data.lastAtMs, data.min, data.max);
        break;
      case 'rate':
        this.passes += data.passes;
        this.fails += data.fails;
        break;
      case 'trend':
        this.#trend(data.count, data.sum, data.min, data.max, positive, negative);
        break;
    }
  }

  /** Merges another merged sink of the same type. */
  addMerged(o: MergedSink): void {
    assert(o.type === this.type, `a ${o.type} cannot merge into a ${this.type}`);
    switch (o.type) {
      case 'counter':
        this.sum += o.sum;
        break;
      case 'gauge':
        this.#gauge(o.value, o.lastAtMs, o.min, o.max);
        break;
      case 'rate':
        this.passes += o.passes;
        this.fails += o.fails;
        break;
      case 'trend':
        this.#trend(o.count, o.sum, o.min, o.max, o.positive, o.negative);
        break;
    }
  }

  #gauge(value: number, lastAtMs: number, min: number, max: number): void {
    if (lastAtMs >= this.lastAtMs) {
      this.value = value;
      this.lastAtMs = lastAtMs;
    }
    if (min < this.min) this.min = min;
    if (max > this.max) this.max = max;
  }

  #trend(count: number, sum: number, min: number, max: number, positive: JsHistogram | undefined, negative: JsHistogram | undefined): void {
    this.count += count;
    this.sum += sum;
    if (min < this.min) this.min = min;
    if (max > this.max) this.max = max;
    if (positive !== undefined && positive.totalCount > 0) (this.positive ??= newHistogram(64)).add(positive);
    if (negative !== undefined && negative.totalCount > 0) (this.negative ??= newHistogram(64)).add(negative);
  }

  /**
   * k6's values: counter → count, rate (per second over `durationMs`); gauge → value, min, max;
   * rate → rate (0 when empty), passes, fails; trend → one entry per stat in `stats` (avg, min, med,
   * max, count, sum, p(N)), in the trend's own units. Unknown stats throw LoadtsError('INVALID_OPTION').
   */
  values(stats: readonly string[], durationMs: number): Record<string, number> {
    switch (this.type) {
      case 'counter':
        return { count: this.sum, rate: durationMs > 0 ? this.sum / (durationMs / 1000) : 0 };
      case 'gauge':
        return { value: this.value, min: this.min, max: this.max };
      case 'rate': {
        const n = this.passes + this.fails;
        return { rate: n === 0 ? 0 : this.passes / n, passes: this.passes, fails: this.fails };
      }
      case 'trend': {
        const out: Record<string, number> = {};
        for (const stat of stats) out[stat] = this.#trendStat(stat);
        return out;
      }
    }
  }

  #trendStat(stat: string): number {
    const s = parseTrendStat(stat);
    const empty = this.count === 0;
    switch (s.kind) {
      case 'avg':
        return empty ? 0 : this.sum / this.count;
      case 'min':
        return empty ? 0 : this.min;
      case 'max':
        return empty ? 0 : this.max;
      case 'count':
        return this.count;
      case 'sum':
        return this.sum;
      case 'med':
        return trendPercentile(this, 50);
      case 'p':
        return trendPercentile(this, s.percentile);
    }
  }

  /** The merged state as plain snapshot data (histograms re-encoded). */
  toSnapshot(): SinkSnapshot {
    switch (this.type) {
      case 'counter':
        return { type: 'counter', sum: this.sum };
      case 'gauge':
        return { type: 'gauge', value: this.value, min: this.min, max: this.max, lastAtMs: this.lastAtMs };
      case 'rate':
        return { type: 'rate', passes: this.passes, fails: this.fails };
      case 'trend':
        return {
          type: 'trend',
          count: this.count,
          sum: this.sum,
          min: this.min,
          max: this.max,
          hdr: encodeHistogram(this.positive),
          negHdr: encodeHistogram(this.negative),
        };
    }
  }
}
