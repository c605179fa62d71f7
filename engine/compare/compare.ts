import type { Tags } from '../metrics/types.js';
import type { RunRecord } from '../record/types.js';
import { proportionDifference } from '../stats/proportions.js';
import { metricData, type MetricData } from './metric-data.js';
import { percentileChanges } from './trend-change.js';

/** One compared statistic: a row of `loadts compare`. */
export interface ComparisonRow {
  metric: string;
  /** 'p(50)', 'p(95)', 'p(99)', 'rate' or 'per second'. */
  stat: string;
  kind: 'trend' | 'rate' | 'counter';
  /** The metric holds times (ms). */
  time: boolean;
  base: number | undefined;
  next: number | undefined;
  /** Relative change for trends and counters; the difference in rate (0..1 units) for rates. */
  change: number | undefined;
  interval: [number, number] | undefined;
  significant: boolean;
  verdict: 'regression' | 'improvement' | 'no change' | '-';
  /** How the interval was found: 'block bootstrap', 'bootstrap' (percentiles) or 'newcombe' (rates). */
  method?: string;
}

export interface CompareSettings {
  confidence: number;
  /** Smallest relative change of a percentile that counts (below it: no change). */
  noise: number;
  draws: number;
}

/** Phases of a request that k6's compact summary leaves out: compared only when asked for. */
const PHASES = new Set(['http_req_blocked', 'http_req_connecting', 'http_req_tls_handshaking', 'http_req_sending', 'http_req_receiving', 'http_req_waiting', 'iteration_start_lag']);

/** Rates where more is worse (errors, failures, rate limiting); for the others (checks, goodput) more is better. */
export function higherIsWorse(metric: string): boolean {
  return /fail|error|rate_limited|dropped/.test(metric);
}

function verdictOf(significant: boolean, change: number | undefined, threshold: number, worseWhenHigher: boolean): ComparisonRow['verdict'] {
  if (!significant || change === undefined || Math.abs(change) < threshold) return 'no change';
  return change > 0 === worseWhenHigher ? 'regression' : 'improvement';
}

/** A trend's percentiles, compared: the point values as the summary computes them, the intervals by bootstrap (trend-change.ts). */
export function compareTrend(runs: { base: RunRecord; next: RunRecord }, a: MetricData, b: MetricData, metric: string, ps: readonly number[], s: CompareSettings, filter: Tags = {}): ComparisonRow[] {
  return percentileChanges(runs, { base: a, next: b }, metric, filter, ps, s.confidence, s.draws).map((d) => ({
    metric,
    stat: `p(${d.p})`,
    kind: 'trend',
    time: a.def.contains === 'time',
    base: d.base,
    next: d.next,
    change: d.change,
    interval: d.interval,
    significant: d.significant,
    verdict: verdictOf(d.significant, d.change, s.noise, true),
    method: d.method,
  }));
}

export function compareRate(a: MetricData, b: MetricData, metric: string, s: CompareSettings): ComparisonRow {
  const n1 = a.sink.passes + a.sink.fails;
  const n2 = b.sink.passes + b.sink.fails;
  const d = proportionDifference(a.sink.passes, n1, b.sink.passes, n2, s.confidence);
  const significant = d !== undefined && (d.interval[0] > 0 || d.interval[1] < 0);
  return {
    metric,
    stat: 'rate',
    kind: 'rate',
    time: false,
    base: n1 > 0 ? a.sink.passes / n1 : undefined,
    next: n2 > 0 ? b.sink.passes / n2 : undefined,
    change: d?.difference,
    interval: d?.interval,
    significant,
    verdict: verdictOf(significant, d?.difference, 0, higherIsWorse(metric)),
    method: 'newcombe',
  };
}

function compareCounter(a: MetricData, b: MetricData, metric: string): ComparisonRow {
  const base = a.durationMs > 0 ? a.sink.sum / (a.durationMs / 1000) : undefined;
  const next = b.durationMs > 0 ? b.sink.sum / (b.durationMs / 1000) : undefined;
  const change = base !== undefined && next !== undefined && base > 0 ? (next - base) / base : undefined;
  return { metric, stat: 'per second', kind: 'counter', time: false, base, next, change, interval: undefined, significant: false, verdict: '-' };
}

/** The metrics both records have, in the base record's order (request phases only when named). */
function metricsToCompare(base: RunRecord, next: RunRecord, only: readonly string[]): string[] {
  const names = only.length > 0 ? only : base.metrics.defs.map((d) => d.name).filter((n) => !PHASES.has(n));
  return names.filter((n) => next.metrics.defs.some((d) => d.name === n));
}

/**
 * Compares two run records metric by metric: every trend's p50/p95/p99 (bootstrap intervals from
 * the full histograms), every rate (Newcombe's interval of the difference), every counter per
 * second (no interval: a count over one run has no spread to resample). docs/capacity.md.
 */
export function compareRecords(base: RunRecord, next: RunRecord, s: CompareSettings, only: readonly string[] = [], filter: Tags = {}): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  for (const name of metricsToCompare(base, next, only)) {
    const a = metricData(base, name, filter);
    const b = metricData(next, name, filter);
    if (a === undefined || b === undefined) continue;
    if (a.def.type === 'trend') rows.push(...compareTrend({ base, next }, a, b, name, [50, 95, 99], s, filter));
    else if (a.def.type === 'rate') rows.push(compareRate(a, b, name, s));
    else if (a.def.type === 'counter') rows.push(compareCounter(a, b, name));
  }
  return rows;
}
