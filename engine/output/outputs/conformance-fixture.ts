import { MetricsAggregate } from '../../metrics/aggregate.js';
import { defineBuiltinMetrics } from '../../metrics/builtin.js';
import { MetricsRegistry } from '../../metrics/registry.js';
import { SampleTap, type SampleMessage } from '../../metrics/sample-tap.js';
import { TagSet } from '../../metrics/tags.js';
import { TimeSeriesStore, type TimeInterval } from '../../metrics/time-series.js';
import { resolveOptions } from '../../options/resolve.js';
import type { Options } from '../../options/types.js';
import { RECORD_FORMAT, RECORD_VERSION, type RunRecord } from '../../record/types.js';
import { viewRecord } from '../../record/view.js';
import { GeneratorMonitor } from '../../runtime/generator-monitor.js';
import type { RunState } from '../../runtime/run-end.js';
import { stageResults } from '../../runtime/stage-results.js';
import { compileThresholds, evaluateThresholds } from '../../thresholds/thresholds.js';
import { buildSummaryData } from '../summary-data.js';
import { summaryInputFromAggregate } from '../summary-input.js';
import type { OutputStart, RunEnd, SampleBatch } from './output.js';
import { SampleTables } from './sample-tables.js';

/** The options of the fixture run: a ramping scenario (per-stage rows) and thresholds, one crossed. */
const OPTIONS: Options = {
  stages: [
    { duration: '1s', target: 2 },
    { duration: '1s', target: 2 },
  ],
  thresholds: {
    http_req_duration: ['p(95)<500', { threshold: 'max<10000', abortOnFail: true }],
    'http_req_duration{status:200}': ['p(99)<1000'],
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
  },
};

/**
 * A small run made by loadts's own parts, for the output conformance suite: a worker's metrics
 * registry with its SampleTap (the raw samples as the workers batch them, through SampleTables as
 * the coordinator receives them), the time series, thresholds evaluated, and the run record and
 * summary at the end, as the results phase builds them.
 */
export class FixtureRun {
  readonly startedAtMs = Date.now() - 2000;
  readonly options = resolveOptions([{ source: 'script', options: OPTIONS }]);
  readonly #registry = new MetricsRegistry();
  readonly #metrics = defineBuiltinMetrics(this.#registry);
  readonly #messages: SampleMessage[] = [];
  readonly #aggregate = new MetricsAggregate();
  readonly #intervals: TimeInterval[] = [];
  readonly #series = new TimeSeriesStore({ originMs: this.startedAtMs, onInterval: (i) => this.#intervals.push(i) });
  /** Samples added (every one of them is in a batch). */
  samples = 0;
  requests = 0;

  constructor() {
    this.#registry.tap = new SampleTap((m) => this.#messages.push(m));
    this.#aggregate.merge({ defs: this.#registry.defs(), series: [] }); // as the init context's snapshot
  }

  get start(): OutputStart {
    return { scriptPath: 'fixture.ts', options: this.options, startedAtMs: this.startedAtMs, metrics: this.#registry.defs(), workers: 1 };
  }

  /** `n` requests as the HTTP client records them (one in ten fails with a 503), in stage `stage`. */
  requestsIn(stage: number, n: number): void {
    const m = this.#metrics;
    for (let i = 0; i < n; i++) {
      const status = i % 10 === 9 ? '503' : '200';
      const tags = TagSet.EMPTY.withAll({ scenario: 'default', stage: String(stage), group: '', method: 'GET', status, name: 'http://127.0.0.1/a?b=<c>&d', url: 'http://127.0.0.1/a?b=<c>&d', proto: 'HTTP/1.1', expected_response: String(status === '200') });
      const duration = 1 + ((i * 37) % 200) / 7;
      for (const [metric, value] of [
        [m.http_reqs, 1],
        [m.http_req_duration, duration],
        [m.http_req_waiting, duration * 0.9],
        [m.http_req_failed, status === '200' ? 0 : 1],
        [m.data_received, 1234567],
      ] as const) {
        this.#registry.add(metric, tags, value);
        this.samples++;
      }
      this.#registry.add(m.checks, TagSet.EMPTY.withAll({ scenario: 'default', stage: String(stage), group: '', check: 'is "ok", really' }), status === '200' ? 1 : 0);
      this.#registry.add(m.iterations, TagSet.EMPTY.withAll({ scenario: 'default', stage: String(stage), group: '' }), 1);
      this.samples += 2;
      this.requests++;
    }
    // Merged as the collector merges a worker's report: into the totals and into its interval.
    const atMs = this.startedAtMs + stage * 1000 + 500;
    this.#series.define(this.#registry.defs());
    this.#aggregate.merge(this.#registry.takeSnapshot(), (s, decoded) => this.#series.add(s, decoded, atMs));
  }

  /** The raw samples so far, as the coordinator hands them to the outputs (one task's table). */
  batches(): SampleBatch[] {
    this.#registry.tap!.flush();
    const out: SampleBatch[] = [];
    const tables = new SampleTables((name) => this.#registry.get(name)?.def, (b) => out.push(b));
    for (const m of this.#messages.splice(0)) tables.receive(this, m);
    return out;
  }

  /** Closed intervals of the time series (the snapshots merged, one per second). */
  intervals(): TimeInterval[] {
    this.#series.close(Infinity);
    return this.#intervals.splice(0);
  }

  /** The end of the run: its record and summary, as the results phase builds them. */
  end(state: RunState = 'completed'): RunEnd {
    const aggregate = this.#aggregate;
    const durationMs = 2000;
    const outcomes = evaluateThresholds(compileThresholds(this.options.thresholds, this.#registry.defs()), aggregate, durationMs);
    const crossed = outcomes.some((o) => !o.ok);
    const exitCode = state === 'interrupted' ? 105 : crossed ? 99 : 0;
    const rootGroup = buildSummaryData({
      ...summaryInputFromAggregate(aggregate, [], [], durationMs),
      options: { summaryTrendStats: [], summaryTimeUnit: '', noColor: true },
      state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: durationMs },
    }).root_group;
    const record: RunRecord = {
      format: RECORD_FORMAT,
      version: `${RECORD_VERSION.major}.${RECORD_VERSION.minor}`,
      loadtsVersion: '0.0.0-fixture',
      script: { path: 'fixture.ts' },
      options: this.options,
      startedAt: new Date(this.startedAtMs).toISOString(),
      endedAt: new Date(this.startedAtMs + durationMs).toISOString(),
      durationMs,
      end: { state, exitCode, errors: [], warnings: [] },
      thresholds: outcomes.map((o) => ({ metric: o.threshold.key, source: o.threshold.expr.source, ok: o.ok, ...(o.observed === undefined ? {} : { value: o.observed }), abortOnFail: o.threshold.abortOnFail })),
      rootGroup,
      metrics: aggregate.toSnapshot() as RunRecord['metrics'],
      timeSeries: { originMs: this.#series.originMs, intervalMs: this.#series.intervalMs, baseIntervalMs: this.#series.baseIntervalMs, series: this.#series.series().map((s) => ({ ...s })) },
      stages: stageResults(aggregate, this.options.scenarios, durationMs, () => 2),
      run: { workers: 1, executionSegment: '0:1', executionSegmentSequence: '', iterations: { complete: this.requests, interrupted: 0 }, summaryMode: 'compact', scenarios: [{ name: 'default', executor: 'ramping-vus' }] },
      environment: new GeneratorMonitor(() => {}).record(0),
    };
    return { record, summary: viewRecord(record).summary };
  }
}
