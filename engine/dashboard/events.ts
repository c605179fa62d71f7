/**
 * What the dashboard page is fed: the live page gets these events over server-sent events, the
 * HTML report embeds the same events (xk6-dashboard's model), so the two cannot drift apart. Plain
 * JSON, no Node imports: the page's code (web/dashboard/) imports these types too.
 */
import type { CapacityResult } from '../capacity/result.js';
import type { MetricDef } from '../metrics/types.js';
import type { LlmCost } from '../output/llm-cost.js';
import type { EnvironmentRecord, LoadLevel, RecordThreshold } from '../record/types.js';
import type { RunState } from '../runtime/run-end.js';
import type { StageResult } from '../runtime/stage-results.js';
import type { SummaryGroup } from '../output/summary-types.js';

/** The page's data: a start, ticks, and (once the run is over) an end. */
export type DashboardEvent = StartEvent | TickEvent | EndEvent;

/** Percentiles of a trend in one tick: [count, avg, p50, p95, p99, max] in the trend's units. */
export type TrendPoint = [count: number, avg: number, p50: number, p95: number, p99: number, max: number];

/** A metric the run defined, with the part of the page it belongs to. */
export interface PageMetric extends MetricDef {
  /** 'http', 'execution', 'network', 'sse', 'llm', 'custom', ... (as the summary's sections). */
  section: string;
}

export interface StartEvent {
  type: 'start';
  /** 'live' for the dashboard of a running test, 'report' for a report of a finished one. */
  mode: 'live' | 'report';
  script: string;
  /** Wall-clock ms of the run's start (ticks count seconds from here). */
  startedAtMs: number;
  /** The length of a tick, ms (the live dashboard's period, or the report's resolution). */
  periodMs: number;
  scenarios: Array<{ name: string; executor: string; ramping: boolean }>;
  /** Every threshold, in the order ticks give their state. */
  thresholds: Array<{ metric: string; source: string }>;
  metrics: PageMetric[];
  /** Each worker thread (its CPU is charted). */
  workers: number;
}

/** One tick: what happened in (t − dt, t], seconds from the start. */
export interface TickEvent {
  type: 'tick';
  t: number;
  dt: number;
  /** Active and allocated VUs at the tick's end (the last sample of the gauges). */
  vus: number;
  vusMax: number;
  /** Counts within the tick. */
  iterations: number;
  reqs: number;
  /** http_req_failed's failures (requests that failed). */
  failed: number;
  checks: { passes: number; fails: number };
  dataReceived: number;
  dataSent: number;
  /** http_req_duration by scenario ('' for all of them): [count, avg, p50, p95, p99, max], ms. */
  latency: Record<string, TrendPoint>;
  /** Every trend with samples in the tick (all series merged). */
  trends: Record<string, TrendPoint>;
  /** Every counter's sum in the tick. */
  counters: Record<string, number>;
  /** Every rate's passes and fails in the tick. */
  rates: Record<string, [passes: number, fails: number]>;
  /** Every gauge's value at the tick's end. */
  gauges: Record<string, number>;
  /** Each threshold's state at the tick's end, judged on everything so far (1 held, 0 crossed, -1 nothing to judge yet). */
  thresholds: number[];
  /** Each worker thread's share of one core (0..1) at the tick's end; [] where the platform does not tell. */
  cpu: number[];
  /** The live page only: the state of the run so far. */
  now?: LiveState;
}

/** The run so far, for the live page's tables (the report has the end event's instead). */
export interface LiveState {
  checks: Array<{ name: string; group: string; passes: number; fails: number }>;
  /** The rows of the per-stage table of the stages done so far. */
  stages: StageResult[];
  /** Each threshold's value so far (null when there is none yet). */
  thresholdValues: Array<number | null>;
}

/** One metric of the summary table: k6's values (trends: avg, min, med, max, p(90), p(95), p(99), count). */
export interface SummaryRow {
  name: string;
  type: MetricDef['type'];
  contains: MetricDef['contains'];
  section: string;
  values: Record<string, number>;
}

/** The run is over: its outcome, read from the run record. */
export interface EndEvent {
  type: 'end';
  state: RunState;
  exitCode: number;
  errors: string[];
  warnings: string[];
  startedAt: string;
  endedAt: string;
  durationMs: number;
  loadtsVersion: string;
  thresholds: RecordThreshold[];
  metrics: SummaryRow[];
  rootGroup: SummaryGroup;
  stages: StageResult[];
  /** Load levels of a run without stages or load-level rows: ticks grouped by their VU count. */
  levels: StageResult[];
  /** The record's load-level table (a capacity search's levels, a ramping test's stages), as the record orders it. */
  loadLevels?: LoadLevel[];
  /** A capacity search's result, its levels left out (they are loadLevels). */
  capacity?: Omit<CapacityResult, 'levels'>;
  /** What the priced LLM requests cost (llm.configure({ prices })). */
  llmCost?: LlmCost;
  iterations: { complete: number; interrupted: number };
  workers: number;
  environment: EnvironmentRecord;
}
