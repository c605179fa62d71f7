import { LoadtsError } from '../errors.js';
import type { MetricsAggregate } from '../metrics/aggregate.js';
import type { MetricDef, MetricType, Tags } from '../metrics/types.js';
import type { ResolvedOptions } from '../options/types.js';
import { parseMetricSelector, parseThresholdExpression, type ThresholdExpression } from './parse.js';

/** A threshold ready to evaluate. */
export interface CompiledThreshold {
  /** The metric key as written: 'http_req_duration{status:200}'. */
  key: string;
  metric: string;
  filter: Tags;
  expr: ThresholdExpression;
  abortOnFail: boolean;
  delayAbortEvalMs: number;
}

export interface ThresholdOutcome {
  threshold: CompiledThreshold;
  ok: boolean;
  /** The value compared, or undefined when the metric had no samples. */
  observed: number | undefined;
}

const ALLOWED: Record<MetricType, (agg: string) => boolean> = {
  counter: (a) => a === 'count' || a === 'rate',
  gauge: (a) => a === 'value',
  rate: (a) => a === 'rate',
  trend: (a) => a === 'avg' || a === 'min' || a === 'max' || a === 'med' || a.startsWith('p('),
};

const ALLOWED_TEXT: Record<MetricType, string> = {
  counter: 'count, rate',
  gauge: 'value',
  rate: 'rate',
  trend: 'avg, min, max, med, p(N)',
};

/**
 * Parses every threshold and checks it against the defined metrics: the metric exists and the
 * aggregation fits its type. Runs before load starts.
 */
export function compileThresholds(thresholds: ResolvedOptions['thresholds'], defs: readonly MetricDef[]): CompiledThreshold[] {
  const byName = new Map(defs.map((d) => [d.name, d]));
  const out: CompiledThreshold[] = [];
  for (const [key, list] of Object.entries(thresholds)) {
    const { name, filter } = parseMetricSelector(key);
    const def = byName.get(name);
    if (def === undefined) {
      const close = [...byName.keys()].filter((n) => n.includes(name) || name.includes(n)).slice(0, 3);
      throw new LoadtsError(
        'INVALID_THRESHOLD',
        `invalid threshold on "${key}": no metric named ${name}${close.length ? ` (did you mean ${close.join(', ')}?)` : ''}; custom metrics must be created at module scope`,
      );
    }
    for (const t of list) {
      let expr: ThresholdExpression;
      try {
        expr = parseThresholdExpression(t.source);
      } catch (e) {
        throw new LoadtsError('INVALID_THRESHOLD', `${(e as Error).message} (on ${key})`);
      }
      if (!ALLOWED[def.type](expr.aggregation)) {
        throw new LoadtsError(
          'INVALID_THRESHOLD',
          `invalid threshold "${t.source}" on ${key}: ${name} is a ${def.type}; its thresholds use ${ALLOWED_TEXT[def.type]}`,
        );
      }
      out.push({ key, metric: name, filter, expr, abortOnFail: t.abortOnFail, delayAbortEvalMs: t.delayAbortEvalMs });
    }
  }
  return out;
}

function compare(observed: number, op: ThresholdExpression['operator'], value: number): boolean {
  switch (op) {
    case '<':
      return observed < value;
    case '<=':
      return observed <= value;
    case '>':
      return observed > value;
    case '>=':
      return observed >= value;
    case '==':
    case '===':
      return observed === value;
    case '!=':
      return observed !== value;
  }
}

/**
 * Evaluates thresholds on the merged metrics. A metric or sub-metric without samples is compared
 * as 0 for counters (count 0) and otherwise passes, as k6 does not fail thresholds of metrics that
 * got no data.
 */
export function evaluateThresholds(compiled: readonly CompiledThreshold[], agg: MetricsAggregate, durationMs: number): ThresholdOutcome[] {
  return compiled.map((threshold) => {
    const stats = threshold.expr.aggregation.startsWith('p(') || ['avg', 'min', 'max', 'med'].includes(threshold.expr.aggregation) ? [threshold.expr.aggregation] : [];
    const values = agg.values(threshold.metric, threshold.filter, stats, durationMs);
    let observed = values?.[threshold.expr.aggregation];
    if (observed === undefined && agg.def(threshold.metric)?.type === 'counter') observed = 0;
    if (observed === undefined) return { threshold, ok: true, observed };
    return { threshold, ok: compare(observed, threshold.expr.operator, threshold.expr.value), observed };
  });
}
