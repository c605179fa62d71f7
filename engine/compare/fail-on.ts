import { LoadtsError } from '../errors.js';
import type { Tags } from '../metrics/types.js';
import type { RunRecord } from '../record/types.js';
import { parseMetricSelector } from '../thresholds/parse.js';
import { compareRate, compareTrend, type CompareSettings, type ComparisonRow } from './compare.js';
import { metricData } from './metric-data.js';

/** A regression gate: `http_req_duration p(95) > +10%`, `http_req_failed rate > +1pp`. */
export interface FailOn {
  source: string;
  metric: string;
  filter: Tags;
  /** Percentile (0..100) for a trend; undefined for a rate. */
  percentile: number | undefined;
  operator: '>' | '<';
  /** Relative change (trends, 0.1 for 10%) or difference of rates (0.01 for 1pp). */
  limit: number;
}

const FORM = /^\s*([A-Za-z_]\w*(?:\{[^}]*\})?)\s+(p\(\s*\d+(?:\.\d+)?\s*\)|med|rate)\s*([<>])\s*([+-]?\d+(?:\.\d+)?)\s*(%|pp)\s*$/;

/**
 * Parses --fail-on: `METRIC STAT OP CHANGE`, STAT p(N) or med for a trend (CHANGE in %, relative to
 * the base run), rate for a rate (CHANGE in pp, percentage points). `>` gates an increase, `<` a
 * decrease (e.g. `checks rate < -1pp`).
 * @throws LoadtsError INVALID_FLAG
 */
export function parseFailOn(source: string): FailOn {
  const m = FORM.exec(source);
  if (m === null) throw new LoadtsError('INVALID_FLAG', `--fail-on ${JSON.stringify(source)}: write METRIC STAT > +N%, e.g. 'http_req_duration p(95) > +10%' or 'http_req_failed rate > +1pp'`);
  const [, key, stat, op, value, unit] = m as unknown as [string, string, string, '>' | '<', string, '%' | 'pp'];
  const { name, filter } = parseMetricSelector(key);
  const percentile = stat === 'rate' ? undefined : stat === 'med' ? 50 : Number(stat.replace(/[p()\s]/g, ''));
  if (percentile !== undefined && (percentile <= 0 || percentile >= 100)) throw new LoadtsError('INVALID_FLAG', `--fail-on ${JSON.stringify(source)}: the percentile must be between 0 and 100`);
  if ((percentile === undefined) !== (unit === 'pp')) throw new LoadtsError('INVALID_FLAG', `--fail-on ${JSON.stringify(source)}: a percentile changes by %, a rate by pp (percentage points)`);
  return { source, metric: name, filter, percentile, operator: op, limit: Number(value) / 100 };
}

/** A gate judged: crossed when the change is significant and past the limit. */
export interface FailOnOutcome {
  gate: FailOn;
  row: ComparisonRow | undefined;
  crossed: boolean;
  /** Why it is not judged (a metric missing from a record). */
  problem?: string;
}

/**
 * Judges a gate on the two records. It is crossed only when the change is real (its interval at
 * the confidence asked excludes 0) and the measured change is past the limit: noise never fails a
 * build, and neither does a real change smaller than the limit (criterion.rs's rule).
 */
export function judgeFailOn(gate: FailOn, base: RunRecord, next: RunRecord, s: CompareSettings): FailOnOutcome {
  const a = metricData(base, gate.metric, gate.filter);
  const b = metricData(next, gate.metric, gate.filter);
  if (a === undefined || b === undefined) return { gate, row: undefined, crossed: false, problem: `${gate.metric} has no samples in ${a === undefined ? 'the base' : 'the new'} record` };
  if ((a.def.type === 'trend') !== (gate.percentile !== undefined) || (a.def.type !== 'trend' && a.def.type !== 'rate')) {
    throw new LoadtsError('INVALID_FLAG', `--fail-on ${JSON.stringify(gate.source)}: ${gate.metric} is a ${a.def.type}; gate a trend's percentile (p(95) > +10%) or a rate (rate > +1pp)`);
  }
  const row = gate.percentile !== undefined ? compareTrend({ base, next }, a, b, gate.metric, [gate.percentile], s, gate.filter)[0]! : compareRate(a, b, gate.metric, s);
  const past = row.change !== undefined && (gate.operator === '>' ? row.change > gate.limit : row.change < gate.limit);
  return { gate, row, crossed: row.significant && past };
}
