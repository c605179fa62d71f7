/**
 * Custom metrics: `import { Counter, Gauge, Rate, Trend } from 'loadts/metrics'` (also 'k6/metrics').
 * Create them in the init context (module scope); add samples inside VU code.
 * @module loadts/metrics
 */
import type { Metric } from '../metrics/registry.js';
import { TagSet } from '../metrics/tags.js';
import type { MetricType, ValueType } from '../metrics/types.js';
import { currentScope, getRuntime } from '../runtime/context.js';

abstract class CustomMetric {
  /** The metric's name. */
  readonly name: string;
  readonly #metric: Metric;

  protected constructor(name: string, type: MetricType, contains: ValueType) {
    this.name = name;
    this.#metric = getRuntime().registry.define(name, type, contains);
  }

  /** Records one sample; returns true, as k6's `add()` does. */
  protected record(value: number, tags: Record<string, string> | undefined): true {
    const rt = getRuntime();
    let set = currentScope()?.tags ?? TagSet.EMPTY.withAll(rt.options?.tags);
    if (tags !== undefined) set = set.withAll(tags);
    rt.registry.add(this.#metric, set, value);
    return true;
  }
}

function numeric(name: string, value: unknown): number {
  const n = typeof value === 'boolean' ? Number(value) : value;
  if (typeof n !== 'number' || Number.isNaN(n)) throw new TypeError(`${name}.add() needs a number, got ${String(value)}`);
  return n;
}

/** A cumulative sum (summary: count and rate per second). */
export class Counter extends CustomMetric {
  constructor(name: string) {
    super(name, 'counter', 'default');
  }
  /** Adds `value` (default 1). */
  add(value = 1, tags?: Record<string, string>): boolean {
    return this.record(numeric(this.name, value), tags);
  }
}

/** The latest value (summary: value, min, max). */
export class Gauge extends CustomMetric {
  constructor(name: string, isTime = false) {
    super(name, 'gauge', isTime ? 'time' : 'default');
  }
  add(value: number, tags?: Record<string, string>): boolean {
    return this.record(numeric(this.name, value), tags);
  }
}

/** The share of non-zero values (summary: rate, passes, fails). */
export class Rate extends CustomMetric {
  constructor(name: string) {
    super(name, 'rate', 'default');
  }
  /** A truthy value counts as a pass. */
  add(value: number | boolean, tags?: Record<string, string>): boolean {
    return this.record(value ? 1 : 0, tags);
  }
}

/** A distribution in an HDR histogram (summary: avg, min, med, max, percentiles). */
export class Trend extends CustomMetric {
  /** @param isTime values are milliseconds (formatted as times). */
  constructor(name: string, isTime = false) {
    super(name, 'trend', isTime ? 'time' : 'default');
  }
  add(value: number, tags?: Record<string, string>): boolean {
    return this.record(numeric(this.name, value), tags);
  }
}

export default { Counter, Gauge, Rate, Trend };
