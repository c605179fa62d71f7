import { maskedOptions } from '../options/tls.js';
import { buildSummaryData } from '../output/summary-data.js';
import { summaryInputFromAggregate } from '../output/summary-input.js';
import { RECORD_FORMAT, RECORD_VERSION, type EnvironmentRecord, type RunRecord } from '../record/types.js';
import { evaluateThresholds } from '../thresholds/thresholds.js';
import type { RunContext } from './run-context.js';
import { stageResults } from './stage-results.js';

/** What the run record is made of besides the run context. */
export interface RecordInputs {
  durationMs: number;
  setupData: unknown;
  environment: EnvironmentRecord;
  endedAtMs: number;
}

/**
 * The run's record, from everything merged so far: the one value every consumer of the results
 * reads (the summary, --summary-export, the outputs, the step summary, `loadts summary`). Its end
 * state is as of now; the results phase settles it once everything that can fail has run.
 */
export function buildRunRecord(ctx: RunContext, inputs: RecordInputs): RunRecord {
  const { test, req, collector, end } = ctx;
  const { options } = test;
  const { durationMs } = inputs;
  const outcomes = evaluateThresholds(test.thresholds, collector.aggregate, durationMs);
  const merged = collector.totals('merged');
  const latest = collector.totals();
  const checks = buildSummaryData({
    ...summaryInputFromAggregate(collector.aggregate, [], [], durationMs),
    options: { summaryTrendStats: [], summaryTimeUnit: '', noColor: true },
    state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: durationMs },
  }).root_group;
  const series = collector.series;
  return {
    format: RECORD_FORMAT,
    version: `${RECORD_VERSION.major}.${RECORD_VERSION.minor}`,
    loadtsVersion: inputs.environment.loadts,
    script: { path: req.scriptPath },
    options: maskedOptions(options),
    startedAt: new Date(test.base.runStartedAtEpochMs).toISOString(),
    endedAt: new Date(inputs.endedAtMs).toISOString(),
    durationMs,
    end: { state: end.state, exitCode: end.exitCode(outcomes.some((o) => !o.ok)), errors: end.messages(), warnings: [...ctx.warnings] },
    thresholds: outcomes.map((o) => ({
      metric: o.threshold.key,
      source: o.threshold.expr.source,
      ok: o.ok,
      ...(o.observed === undefined ? {} : { value: o.observed }),
      abortOnFail: o.threshold.abortOnFail,
    })),
    rootGroup: checks,
    metrics: collector.aggregate.toSnapshot() as RunRecord['metrics'],
    timeSeries: { originMs: series.originMs, intervalMs: series.intervalMs, baseIntervalMs: series.baseIntervalMs, series: series.series() },
    stages: stageResults(collector.aggregate, options.scenarios, durationMs, (name, stage) => latest.scenarios.find((s) => s.name === name)?.stageMaxVUs[stage] ?? 0),
    run: {
      workers: test.workers,
      executionSegment: options.executionSegment,
      executionSegmentSequence: options.executionSegmentSequence,
      iterations: { complete: merged.complete + merged.failed, interrupted: merged.interrupted },
      summaryMode: req.summaryMode ?? 'compact',
      ...(ctx.loadStartPerf > 0 ? { loadStartedAtMs: performance.timeOrigin + ctx.loadStartPerf } : {}),
      scenarios: options.scenarios.map((s) => ({ name: s.name, executor: s.executor })),
    },
    environment: inputs.environment,
    ...(inputs.setupData === undefined ? {} : { setupData: inputs.setupData }),
  };
}
