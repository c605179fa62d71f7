import type { MetricType, ValueType } from '../metrics/types.js';
import type { StageResult } from '../runtime/stage-results.js';
import type { LoadLevel } from '../record/load-level.js';
import type { EnvironmentRecord } from '../record/types.js';
import type { RunState } from '../runtime/run-end.js';

/**
 * The data `handleSummary(data)` receives, in k6's shape (k6 v0.4x+ `handleSummary` data):
 * users' and community reporters (k6-reporter, k6-summary's textSummary) read these fields.
 */
export interface SummaryData {
  root_group: SummaryGroup;
  options: { summaryTrendStats: string[]; summaryTimeUnit: string; noColor: boolean };
  state: { isStdOutTTY: boolean; isStdErrTTY: boolean; testRunDurationMs: number };
  /** Metric name (or sub-metric `name{k:v}`) → values. */
  metrics: Record<string, SummaryMetric>;
  /** loadts additions (ignored by k6 tools): see docs/summary.md. */
  loadts?: SummaryExtras;
  /** The value setup() returned, as in k6. */
  setup_data?: unknown;
}

export interface SummaryMetric {
  type: MetricType;
  contains: ValueType;
  /**
   * counter: count, rate (per second); gauge: value, min, max; rate: rate, passes, fails;
   * trend: one key per summaryTrendStats entry (avg, min, med, max, p(90), p(95), count, ...) in ms
   * for time trends.
   */
  values: Record<string, number>;
  /** Threshold source → whether it held. */
  thresholds?: Record<string, { ok: boolean }>;
}

export interface SummaryCheck {
  name: string;
  /** `::group::check` path as in k6. */
  path: string;
  /** md5 of the path, as k6. */
  id: string;
  passes: number;
  fails: number;
}

export interface SummaryGroup {
  name: string;
  /** '' for the root group, `::outer::inner` below it. */
  path: string;
  id: string;
  groups: SummaryGroup[];
  checks: SummaryCheck[];
}

/** Facts k6's data does not carry; kept under one key so k6 tools are not confused. */
export interface SummaryExtras {
  version: number;
  /** How the run ended (see docs/summary.md). */
  state: RunState;
  exitCode: number;
  /** Every error of the run, one line each, in the order they happened (empty when none). */
  errors: string[];
  workers: number;
  executionSegment: string;
  iterations: { complete: number; interrupted: number };
  scenarios: Array<{ name: string; executor: string }>;
  /** Per-stage results of ramping scenarios (docs/scenarios.md). */
  stages?: StageResult[];
  /** The load-level table (docs/capacity.md): the stages' rows with latency, errors, 429s, generator CPU, target RSS and a verdict. */
  loadLevels?: LoadLevel[];
  /** The watched target's memory judgement (--watch-pid / --watch-cmd), one line. */
  targetMemory?: string;
  /** A capacity search's verdict (loadts capacity's record), one line. */
  capacityVerdict?: string;
  /** Warnings about the results (a generator-bound worker), one line each. */
  warnings?: string[];
  /** Where the numbers came from: the machine and the load generator's own load (docs/record.md). */
  environment?: EnvironmentRecord;
}
