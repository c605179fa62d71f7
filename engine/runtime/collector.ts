import { MetricsAggregate } from '../metrics/aggregate.js';
import { defineBuiltinMetrics } from '../metrics/builtin.js';
import { MetricsRegistry } from '../metrics/registry.js';
import { TagSet } from '../metrics/tags.js';
import type { MetricsSnapshot, Tags } from '../metrics/types.js';
import type { TimeSeriesStore } from '../metrics/time-series.js';
import type { InstanceCounters, WorkerStatus } from './protocol.js';
import type { SampleBatch, SampleSeries } from '../output/outputs/output.js';

/**
 * The coordinator's view of a running test: merges the workers' metric snapshots (exact HDR
 * merges, no per-sample messages) and their status counters, and records the `vus` and `vus_max`
 * gauges, which only the coordinator can see whole.
 */
export class Collector {
  readonly aggregate = new MetricsAggregate();
  readonly #statuses = new Map<number, WorkerStatus>();
  /** Each worker's first status, sent as soon as its scenarios have started their VUs. */
  readonly #first = new Map<number, WorkerStatus>();
  /**
   * Each worker's status as of its last merged snapshot: its counters agree with the merged
   * metrics exactly (a worker lost mid-run leaves its later statuses ahead of its metrics).
   */
  readonly #merged = new Map<number, WorkerStatus>();
  readonly #gauges = new MetricsRegistry();
  readonly #vus;
  readonly #vusMax;
  readonly #tags: TagSet;

  /** The results over time: every snapshot merged here is merged into its interval too. */
  readonly series: TimeSeriesStore;
  /** Where the vus and vus_max samples go as raw samples, when an output wants them (k6's JSON, CSV). */
  onSamples: ((batch: SampleBatch) => void) | undefined;
  readonly #gaugeSeries: SampleSeries[];

  constructor(tags: Tags, series: TimeSeriesStore) {
    this.series = series;
    const builtin = defineBuiltinMetrics(this.#gauges);
    this.#vus = builtin.vus;
    this.#vusMax = builtin.vus_max;
    this.#tags = TagSet.EMPTY.withAll(tags);
    this.#gaugeSeries = [this.#vus, this.#vusMax].map((m) => ({ metric: m.def, tags: { ...this.#tags.tags } }));
  }

  /**
   * Merges what a worker or a lifecycle task measured, into the totals and into the time series'
   * interval that `atMs` (wall clock; default now) ends.
   */
  merge(snapshot: MetricsSnapshot, atMs: number = performance.timeOrigin + performance.now()): void {
    const series = this.series;
    series.define(snapshot.defs);
    this.aggregate.merge(snapshot, (s, decoded) => series.add(s, decoded, atMs));
  }

  /**
   * Records worker `index`'s latest counters; `merged`: they were taken with a snapshot that has
   * been merged (the same moment in the worker).
   */
  setStatus(index: number, status: WorkerStatus, merged = false): void {
    this.#statuses.set(index, status);
    if (!this.#first.has(index)) this.#first.set(index, status);
    if (merged) this.#merged.set(index, status);
  }

  /**
   * Worker `index` was lost without a last report (out of memory, a crash): the iterations it was
   * running, as of its last merged report, count as interrupted, as they would have been.
   */
  markLost(index: number): void {
    const s = this.#merged.get(index);
    if (s === undefined || (s.running ?? 0) === 0) return;
    this.#merged.set(index, { ...s, interrupted: s.interrupted + (s.running ?? 0), running: 0 });
  }

  /** Worker `index`'s latest counters. */
  status(index: number): WorkerStatus | undefined {
    return this.#statuses.get(index);
  }

  /** exec.instance's counters summed over every worker but `index`. */
  countersExcept(index: number): InstanceCounters {
    const c: InstanceCounters = { vusActive: 0, vusInitialized: 0, iterationsCompleted: 0, iterationsInterrupted: 0 };
    for (const [i, s] of this.#statuses) {
      if (i === index) continue;
      c.vusActive += s.vus;
      c.vusInitialized += s.vusMax;
      c.iterationsCompleted += s.complete + s.failed;
      c.iterationsInterrupted += s.interrupted;
    }
    return c;
  }

  /** How many workers have reported a status. */
  reported(): number {
    return this.#statuses.size;
  }

  /**
   * Sums of all workers' latest counters; with 'first', of their first statuses; with 'merged',
   * of the statuses that go with the merged metrics (for results, where the two must agree).
   */
  totals(which: 'latest' | 'first' | 'merged' = 'latest'): WorkerStatus {
    const statuses = which === 'first' ? this.#first : which === 'merged' ? this.#merged : this.#statuses;
    const t: WorkerStatus = { vus: 0, vusMax: 0, complete: 0, interrupted: 0, failed: 0, dropped: 0, responses: 0, networkErrors: 0, scenarios: [] };
    const scenarios = new Map<string, { sum: number; n: number; vus: number; done: boolean; stageMaxVUs: number[] }>();
    for (const s of statuses.values()) {
      t.vus += s.vus;
      t.vusMax += s.vusMax;
      t.complete += s.complete;
      t.interrupted += s.interrupted;
      t.failed += s.failed;
      t.dropped += s.dropped;
      t.responses += s.responses;
      t.networkErrors += s.networkErrors;
      t.firstNetworkError ??= s.firstNetworkError;
      t.invalidUrls = (t.invalidUrls ?? 0) + (s.invalidUrls ?? 0);
      t.brokenResponses = (t.brokenResponses ?? 0) + (s.brokenResponses ?? 0);
      t.brokenResponseBytes = (t.brokenResponseBytes ?? 0) + (s.brokenResponseBytes ?? 0);
      for (const sc of s.scenarios) {
        const acc = scenarios.get(sc.name) ?? { sum: 0, n: 0, vus: 0, done: true, stageMaxVUs: [] };
        acc.sum += sc.progress;
        acc.vus += sc.vus;
        // Workers follow the same stage timeline, so the sum of their maxima is the test's.
        sc.stageMaxVUs.forEach((n, i) => (acc.stageMaxVUs[i] = (acc.stageMaxVUs[i] ?? 0) + (n ?? 0)));
        acc.n++;
        acc.done &&= sc.done;
        scenarios.set(sc.name, acc);
      }
    }
    for (const [name, acc] of scenarios) t.scenarios.push({ name, progress: acc.n ? acc.sum / acc.n : 0, vus: acc.vus, done: acc.done, stageMaxVUs: acc.stageMaxVUs });
    return t;
  }

  /**
   * Samples the VU gauges and merges them (call about once a second): vus and vus_max from the
   * latest statuses, or from the first ones (the test's start, for a test too short for a tick).
   * With `vusMaxOnly`, only vus_max (at the end: VUs are allocated, never freed, during a run).
   */
  sampleVUs(which: 'latest' | 'first' = 'latest', vusMaxOnly = false): void {
    const t = this.totals(which);
    if (!vusMaxOnly) this.#gauges.add(this.#vus, this.#tags, t.vus);
    this.#gauges.add(this.#vusMax, this.#tags, t.vusMax);
    this.merge(this.#gauges.takeSnapshot());
    if (this.onSamples !== undefined) {
      const now = performance.timeOrigin + performance.now();
      const series = vusMaxOnly ? Int32Array.of(1) : Int32Array.of(0, 1);
      const values = vusMaxOnly ? Float64Array.of(t.vusMax) : Float64Array.of(t.vus, t.vusMax);
      this.onSamples({ length: series.length, series, values, times: new Float64Array(series.length).fill(now), table: this.#gaugeSeries });
    }
  }
}

/**
 * Runs a snapshot through encode, merge and percentiles once, so the first real merge (the
 * workers' first snapshots, or a short run's only ones) does not also pay for compiling that code.
 * The coordinator calls it while it waits for the worker threads to start.
 */
export function warmUpMerging(): void {
  const registry = new MetricsRegistry();
  const trend = registry.define('warm_up', 'trend', 'time');
  const rate = registry.define('warm_up_rate', 'rate');
  const tags = TagSet.EMPTY.with('scenario', 'warm-up');
  for (let i = 1; i <= 100; i++) {
    registry.add(trend, tags, i * 0.37);
    registry.add(rate, tags, i % 2);
  }
  const aggregate = new MetricsAggregate();
  aggregate.merge(registry.takeSnapshot());
  aggregate.values('warm_up', {}, ['avg', 'med', 'p(95)', 'max'], 1000);
}
