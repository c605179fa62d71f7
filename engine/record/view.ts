import { MetricsAggregate } from '../metrics/aggregate.js';
import type { ResolvedOptions } from '../options/types.js';
import { buildSummaryData } from '../output/summary-data.js';
import { summaryInputFromAggregate } from '../output/summary-input.js';
import type { SummaryData } from '../output/summary-types.js';
import { compileThresholds, evaluateThresholds, type ThresholdOutcome } from '../thresholds/thresholds.js';
import type { RunRecord } from './types.js';

/** A run seen from its record: what the summary, the exports and the reports are made of. */
export interface RecordView {
  /** handleSummary's data (k6's shape). */
  summary: SummaryData;
  /** The final metrics, merged again from the record's series (exact). */
  aggregate: MetricsAggregate;
  outcomes: ThresholdOutcome[];
}

/**
 * Reads a record back into the end-of-run data: the live run derives its summary this way too, so
 * `loadts summary run.json` prints exactly what the run printed. `tty` says whether the streams
 * the summary goes to are terminals (handleSummary's `state`).
 */
export function viewRecord(record: RunRecord, tty: { stdout: boolean; stderr: boolean } = { stdout: false, stderr: false }): RecordView {
  const aggregate = new MetricsAggregate();
  aggregate.merge(record.metrics);
  const thresholds: ResolvedOptions['thresholds'] = {};
  for (const t of record.thresholds) (thresholds[t.metric] ??= []).push({ source: t.source, abortOnFail: t.abortOnFail, delayAbortEvalMs: 0 });
  const outcomes = evaluateThresholds(compileThresholds(thresholds, record.metrics.defs), aggregate, record.durationMs);
  const { options, run, end } = record;
  const summary = buildSummaryData({
    ...summaryInputFromAggregate(aggregate, outcomes, options.summaryTrendStats, record.durationMs),
    options: { summaryTrendStats: options.summaryTrendStats, summaryTimeUnit: options.summaryTimeUnit, noColor: options.noColor },
    state: { isStdOutTTY: tty.stdout, isStdErrTTY: tty.stderr, testRunDurationMs: record.durationMs },
    extras: {
      version: 1,
      state: end.state,
      exitCode: end.exitCode,
      errors: [...end.errors],
      workers: run.workers,
      executionSegment: run.executionSegment,
      iterations: { ...run.iterations },
      scenarios: run.scenarios.map((s) => ({ ...s })),
      stages: record.stages,
      ...(record.loadLevels === undefined ? {} : { loadLevels: record.loadLevels }),
      ...(record.target === undefined ? {} : { targetMemory: record.target.leak.text }),
      ...(record.capacity === undefined ? {} : { capacityVerdict: record.capacity.verdict }),
      warnings: [...end.warnings],
      environment: record.environment,
    },
    setupData: record.setupData,
  });
  return { summary, aggregate, outcomes };
}
