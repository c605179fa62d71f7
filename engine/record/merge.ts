import { LoadtsError } from '../errors.js';
import type { MetricsAggregate } from '../metrics/aggregate.js';
import { formatExecutionSegment, type ExecutionSegment } from '../options/segment.js';
import { loadtsVersion } from '../options/version.js';
import type { ResolvedOptions } from '../options/types.js';
import { buildSummaryData } from '../output/summary-data.js';
import { summaryInputFromAggregate } from '../output/summary-input.js';
import { stageResults } from '../runtime/stage-results.js';
import { compileThresholds, evaluateThresholds } from '../thresholds/thresholds.js';
import { checkSameTest, coverage, type MergeInput } from './merge-checks.js';
import { mergeFinalMetrics, mergeTimeSeries, snapshotOf } from './merge-metrics.js';
import { RECORD_FORMAT, RECORD_VERSION, type FleetRecord, type RunRecord } from './types.js';
import { recordThresholds } from './thresholds.js';

export type { MergeInput } from './merge-checks.js';

/** The exit codes that the merged data decides anew (thresholds), not the parts. */
const REJUDGED = new Set([0, 99]);

/**
 * Merges the records of the parts of one test (execution segments run by separate processes or
 * machines) into the record of the whole test, exactly: counters and rates add, trends merge
 * their HDR histograms, gauges keep min/max and the last value by time (VU gauges add), the time
 * series align by wall-clock interval. Thresholds are judged again on the merged data.
 * @throws LoadtsError('RECORD') for records of different tests, overlapping segments, or a missing
 *   segment without `allowPartial`
 */
export function mergeRecords(inputs: readonly MergeInput[], opts: { allowPartial: boolean }): RunRecord {
  if (inputs.length === 0) throw new LoadtsError('INVALID_FLAG', 'loadts merge needs run records to merge: loadts merge a.json b.json -o merged.json');
  checkSameTest(inputs);
  const { parts, missing } = coverage(inputs);
  if (missing.length > 0 && !opts.allowPartial) {
    const have = parts.map((p) => `${formatExecutionSegment(p.segment)} from ${p.path}`).join(', ');
    throw new LoadtsError('RECORD', `segment ${missing.map(formatExecutionSegment).join(', ')} of the test is missing (have ${have}); add its record, or merge with --allow-partial to accept a partial result`);
  }
  const records = parts.map((p) => p.record);
  const first = records[0]!;
  const aggregate = mergeFinalMetrics(records);
  const durationMs = Math.max(...records.map((r) => r.durationMs));
  const fleet: FleetRecord = {
    parts: parts.map((p, index) => ({
      index,
      segment: formatExecutionSegment(p.segment),
      name: p.path,
      state: p.record.end.state,
      hostname: p.record.environment.hostname,
      workers: p.record.run.workers,
    })),
    missingSegments: missing.map(formatExecutionSegment),
  };
  return {
    format: RECORD_FORMAT,
    version: `${RECORD_VERSION.major}.${RECORD_VERSION.minor}`,
    loadtsVersion: loadtsVersion(),
    script: first.script,
    options: { ...first.options, executionSegment: span(parts.map((p) => p.segment)), executionSegmentSequence: first.options.executionSegmentSequence },
    startedAt: new Date(Math.min(...records.map((r) => Date.parse(r.startedAt)))).toISOString(),
    endedAt: new Date(Math.max(...records.map((r) => Date.parse(r.endedAt)))).toISOString(),
    durationMs,
    ...judged(parts, aggregate, durationMs, missing),
    rootGroup: rootGroupOf(aggregate, durationMs),
    metrics: snapshotOf(aggregate),
    timeSeries: mergeTimeSeries(records),
    stages: stageResults(aggregate, first.options.scenarios, durationMs, (scenario, stage) =>
      records.reduce((n, r) => n + (r.stages.find((s) => s.scenario === scenario && s.stage === stage)?.maxVUs ?? 0), 0),
    ),
    run: {
      workers: records.reduce((n, r) => n + r.run.workers, 0),
      executionSegment: span(parts.map((p) => p.segment)),
      executionSegmentSequence: first.run.executionSegmentSequence,
      summaryMode: first.run.summaryMode ?? 'compact',
      iterations: {
        complete: records.reduce((n, r) => n + r.run.iterations.complete, 0),
        interrupted: records.reduce((n, r) => n + r.run.iterations.interrupted, 0),
      },
      scenarios: first.run.scenarios,
    },
    environment: first.environment,
    ...(first.test === undefined ? {} : { test: first.test }),
    fleet,
    ...(first.setupData === undefined ? {} : { setupData: first.setupData }),
  };
}

/** The segment from the first part's start to the last one's end ('0:1' for a whole test). */
function span(segments: readonly ExecutionSegment[]): string {
  return formatExecutionSegment({ from: segments[0]!.from, to: segments[segments.length - 1]!.to });
}

/** The thresholds judged on the merged data, and the merged run's end. */
function judged(parts: ReadonlyArray<MergeInput>, aggregate: MetricsAggregate, durationMs: number, missing: readonly ExecutionSegment[]): Pick<RunRecord, 'thresholds' | 'end'> {
  const first = parts[0]!.record;
  const thresholds: ResolvedOptions['thresholds'] = {};
  for (const t of first.thresholds) (thresholds[t.metric] ??= []).push({ source: t.source, abortOnFail: t.abortOnFail, delayAbortEvalMs: 0 });
  const outcomes = evaluateThresholds(compileThresholds(thresholds, aggregate.defs()), aggregate, durationMs);
  const crossed = outcomes.some((o) => !o.ok);
  const failedPart = parts.find((p) => !REJUDGED.has(p.record.end.exitCode));
  const stopped = parts.find((p) => p.record.end.state !== 'completed');
  const warnings = parts.flatMap((p) => p.record.end.warnings.map((w) => `${p.path}: ${w}`));
  if (missing.length > 0) warnings.unshift(`partial result: segment ${missing.map(formatExecutionSegment).join(', ')} of the test is missing`);
  return {
    thresholds: recordThresholds(outcomes),
    end: {
      state: stopped?.record.end.state ?? 'completed',
      exitCode: failedPart?.record.end.exitCode ?? (crossed ? 99 : 0),
      errors: parts.flatMap((p) => p.record.end.errors.map((e) => `${p.path}: ${e}`)),
      warnings,
    },
  };
}

/** The group tree with its checks, from the merged metrics (as a run builds it). */
function rootGroupOf(aggregate: MetricsAggregate, durationMs: number): RunRecord['rootGroup'] {
  return buildSummaryData({
    ...summaryInputFromAggregate(aggregate, [], [], durationMs),
    options: { summaryTrendStats: [], summaryTimeUnit: '', noColor: true },
    state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: durationMs },
  }).root_group;
}
