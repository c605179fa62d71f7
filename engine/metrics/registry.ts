import { LoadtsError } from '../errors.js';
import { newSink, type Sink } from './sinks.js';
import type { TagSet } from './tags.js';
import type { SampleTap } from './sample-tap.js';
import type { MetricDef, MetricType, MetricsSnapshot, SeriesSnapshot, ValueType } from './types.js';

/** A defined metric: its definition and a dense id for the hot path. */
export interface Metric {
  readonly def: MetricDef;
  readonly id: number;
}

/**
 * k6's rule for metric names (metrics/registry.go): a letter or underscore, then 1 to 128 letters,
 * digits or underscores. Like k6, a one-character name is rejected.
 */
const NAME = /^[a-zA-Z_][a-zA-Z0-9_]{1,128}$/;

/**
 * A worker thread's metrics: definitions, and one sink per (metric, tag set) accumulating samples
 * until the next snapshot. `add` is the hot path: an array index, a Map lookup by TagSet identity,
 * and the sink's arithmetic; no strings are built and nothing is allocated once a series exists.
 */
export class MetricsRegistry {
  readonly #metrics: Metric[] = [];
  readonly #byName = new Map<string, Metric>();
  readonly #series: Array<Map<TagSet, Sink>> = [];
  /** Where raw samples go when an output wants them (k6's JSON, CSV); undefined otherwise. */
  tap: SampleTap | undefined;

  /**
   * Defines a metric, or returns the existing one when `type` and `contains` match. Throws
   * LoadtsError('INVALID_OPTION') for an invalid name or a redefinition with another type.
   */
  define(name: string, type: MetricType, contains: ValueType = 'default'): Metric {
    if (!NAME.test(name)) {
      throw new LoadtsError(
        'INVALID_OPTION',
        `invalid metric name ${JSON.stringify(name)}: use a letter or underscore followed by 1 to 128 letters, digits or underscores (k6's rule)`,
      );
    }
    const existing = this.#byName.get(name);
    if (existing !== undefined) {
      if (existing.def.type !== type || existing.def.contains !== contains) {
        throw new LoadtsError(
          'INVALID_OPTION',
          `metric "${name}" is already defined as a ${existing.def.type} (${existing.def.contains}); it cannot be redefined as a ${type} (${contains})`,
        );
      }
      return existing;
    }
    const metric: Metric = { def: Object.freeze({ name, type, contains }), id: this.#metrics.length };
    this.#metrics.push(metric);
    this.#byName.set(name, metric);
    this.#series.push(new Map());
    return metric;
  }

  /** The metric named `name`, if defined. */
  get(name: string): Metric | undefined {
    return this.#byName.get(name);
  }

  /** Every definition, in definition order. */
  defs(): MetricDef[] {
    return this.#metrics.map((m) => m.def);
  }

  /**
   * Adds one sample to the series (metric, tags). Tag sets are matched by identity, so use interned
   * TagSets. NaN and ±Infinity are dropped (a histogram cannot hold them; scripts' values are
   * validated by the API layer, as k6 does).
   */
  add(metric: Metric, tags: TagSet, value: number): void {
    if (!Number.isFinite(value)) return;
    if (this.tap !== undefined) this.tap.record(metric, tags, value);
    const series = this.#series[metric.id]!;
    let sink = series.get(tags);
    if (sink === undefined) {
      sink = newSink(metric.def.type);
      series.set(tags, sink);
    }
    sink.add(value);
  }

  /**
   * Everything added since the previous snapshot (series without new samples are left out), then
   * resets the sinks. Series with identical tags built in a different order carry the same key and
   * are merged by the receiver.
   */
  takeSnapshot(): MetricsSnapshot {
    const series: SeriesSnapshot[] = [];
    for (const metric of this.#metrics) {
      for (const [tags, sink] of this.#series[metric.id]!) {
        if (sink.empty) continue;
        series.push({ metric: metric.def.name, key: tags.key, tags: { ...tags.tags }, data: sink.snapshot() });
        sink.reset();
      }
    }
    return { defs: this.defs(), series };
  }
}
