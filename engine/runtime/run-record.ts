import { maskedOptions } from '../options/tls.js';
import { buildSummaryData } from '../output/summary-data.js';
import { summaryInputFromAggregate } from '../output/summary-input.js';
import { RECORD_FORMAT, RECORD_VERSION, type EnvironmentRecord, type RunRecord } from '../record/types.js';
import { evaluateThresholds } from '../thresholds/thresholds.js';
import type { RunContext } from './run-context.js';
import type { TargetRecord } from '../watch/types.js';
import { stageLevel } from './load-levels.js';
import { stageResults } from './stage-results.js';
import { recordThresholds } from '../record/thresholds.js';

/** What the run record is made of besides the run context. */
export interface RecordInputs {
  durationMs: number;
  setupData: unknown;
  environment: EnvironmentRecord;
  endedAtMs: number;
  /** The watched target's samples and leak judgement (--watch-pid / --watch-cmd). */
  target?: TargetRecord;
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
  const timeSeries = series.series();
  const stages = stageResults(collector.aggregate, options.scenarios, durationMs, (name, stage) => latest.scenarios.find((s) => s.name === name)?.stageMaxVUs[stage] ?? 0);
  const levelCtx = {
    agg: collector.aggregate,
    thresholds: test.thresholds,
    cpu: (from: number, to: number) => ctx.monitor.busiestShare(from, to),
    series: { series: timeSeries, intervalMs: series.intervalMs, startOf: (index: number) => series.startOf(index) },
    loadStartMs: performance.timeOrigin + ctx.loadStartPerf,
    durationMs,
    ...(inputs.target === undefined ? {} : { target: inputs.target }),
  };
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
    thresholds: recordThresholds(outcomes),
    rootGroup: checks,
    metrics: collector.aggregate.toSnapshot() as RunRecord['metrics'],
    timeSeries: { originMs: series.originMs, intervalMs: series.intervalMs, baseIntervalMs: series.baseIntervalMs, series: timeSeries },
    stages,
    loadLevels: ctx.loadStartPerf > 0 ? stages.map((r) => stageLevel(levelCtx, r)) : [],
    run: {
      // a fleet's coordinator runs no load worker: its instances' threads
      workers: ctx.fleet?.parts.reduce((n, p) => n + (p.workers ?? 0), 0) || test.workers,
      executionSegment: options.executionSegment,
      executionSegmentSequence: options.executionSegmentSequence,
      iterations: { complete: merged.complete + merged.failed, interrupted: merged.interrupted },
      summaryMode: req.summaryMode ?? 'compact',
      ...(ctx.loadStartPerf > 0 ? { loadStartedAtMs: performance.timeOrigin + ctx.loadStartPerf } : {}),
      scenarios: options.scenarios.map((s) => ({ name: s.name, executor: s.executor })),
    },
    environment: inputs.environment,
    test: test.identity,
    ...(ctx.fleet === undefined ? {} : { fleet: structuredClone(ctx.fleet) }),
    ...(inputs.target === undefined ? {} : { target: inputs.target }),
    ...(inputs.setupData === undefined ? {} : { setupData: inputs.setupData }),
  };
}
