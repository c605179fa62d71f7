import { LoadtsError } from '../errors.js';
import type { MetricsAggregate } from '../metrics/aggregate.js';
import type { MetricDef, MetricType, Tags } from '../metrics/types.js';
import type { ResolvedOptions } from '../options/types.js';
import { closestNames } from './closest.js';
import { parseMetricSelector, parseThresholdExpression, type ThresholdExpression } from './parse.js';

/** A threshold ready to evaluate. */
export interface CompiledThreshold {
  /** The metric key as written: 'http_req_duration{status:200}'. */
  key: string;
  /** The metric's name: 'http_req_duration'. */
  metric: string;
  /** The metric's type (what an empty metric evaluates as). */
  type: MetricType;
  /** Sub-metric tag filter; {} for the whole metric. */
  filter: Tags;
  expr: ThresholdExpression;
  abortOnFail: boolean;
  delayAbortEvalMs: number;
}

/** The result of one threshold. */
export interface ThresholdOutcome {
  threshold: CompiledThreshold;
  /** False when the threshold was crossed. */
  ok: boolean;
  /** The value compared, or undefined when nothing was compared (see evaluateThresholds). */
  observed: number | undefined;
}

/** Aggregations each metric type supports (k6's metrics/metric_type.go). */
const SUPPORTED: Record<MetricType, readonly string[]> = {
  counter: ['count', 'rate'],
  gauge: ['value'],
  rate: ['rate'],
  trend: ['avg', 'min', 'max', 'med', 'p(N)'],
};

function supports(type: MetricType, expr: ThresholdExpression): boolean {
  return SUPPORTED[type].includes(expr.percentile === undefined ? expr.aggregation : 'p(N)');
}

/**
 * Parses every threshold and checks it against the metric definitions: the metric exists (custom
 * metrics must be created in the init context) and the aggregation fits its type. Runs before load
 * starts; throws LoadtsError('INVALID_THRESHOLD') with a one-line message naming key and expression.
 */
export function compileThresholds(thresholds: ResolvedOptions['thresholds'], defs: readonly MetricDef[]): CompiledThreshold[] {
  const byName = new Map(defs.map((d) => [d.name, d]));
  const out: CompiledThreshold[] = [];
  for (const [key, list] of Object.entries(thresholds)) {
    const { name, filter } = parseMetricSelector(key);
    const def = byName.get(name);
    if (def === undefined) {
      const close = closestNames(name, byName.keys());
      const hint = close.length > 0 ? ` (did you mean ${close.join(', ')}?)` : '; custom metrics must be created in the init context (module scope)';
      throw new LoadtsError('INVALID_THRESHOLD', `invalid threshold on ${JSON.stringify(key)}: no metric named ${name}${hint}`);
    }
    for (const t of list) {
      let expr: ThresholdExpression;
      try {
        expr = parseThresholdExpression(t.source);
      } catch (e) {
        throw new LoadtsError('INVALID_THRESHOLD', `${(e as Error).message} (on ${key})`);
      }
      if (!supports(def.type, expr)) {
        throw new LoadtsError(
          'INVALID_THRESHOLD',
          `invalid threshold ${JSON.stringify(t.source)} on ${key}: ${name} is a ${def.type}, which supports ${SUPPORTED[def.type].join(', ')}, not ${expr.aggregation}`,
        );
      }
      out.push({ key, metric: name, type: def.type, filter, expr, abortOnFail: t.abortOnFail, delayAbortEvalMs: t.delayAbortEvalMs });
    }
  }
  return out;
}

/** How to treat metrics (or sub-metrics) without samples. */
export interface EvaluateOptions {
  /**
   * Skip them (ok, observed undefined), as k6 does in its periodic evaluation during the run, so that
   * abortOnFail does not fire before any data arrived. Default false: k6's end-of-test rules.
   */
  ignoreEmpty?: boolean;
}

/**
 * Evaluates thresholds on the merged metrics. A metric or sub-metric without samples follows k6's
 * end-of-test evaluation (metrics/thresholds.go, metrics/engine/engine.go): counters compare count
 * and rate as 0, gauges value 0, trends every aggregation as 0 (so `count>0` or `avg>10` fail and
 * `p(95)<200` passes); a rate has no value, which k6 logs as a threshold error without counting it as
 * crossed: ok, observed undefined. With `ignoreEmpty` (for the live abortOnFail checks) every empty
 * metric is skipped, as k6 does while the test runs.
 */
export function evaluateThresholds(
  compiled: readonly CompiledThreshold[],
  agg: MetricsAggregate,
  durationMs: number,
  options: EvaluateOptions = {},
): ThresholdOutcome[] {
  return compiled.map((threshold) => {
    const { expr } = threshold;
    const stats = threshold.type === 'trend' ? [expr.aggregation] : [];
    const values = agg.values(threshold.metric, threshold.filter, stats, durationMs);
    let observed: number | undefined;
    if (values !== undefined) observed = values[expr.aggregation];
    else if (!options.ignoreEmpty && threshold.type !== 'rate') observed = 0;
    if (observed === undefined) return { threshold, ok: true, observed };
    return { threshold, ok: compare(observed, expr.operator, expr.value), observed };
  });
}

function compare(observed: number, operator: ThresholdExpression['operator'], value: number): boolean {
  switch (operator) {
    case '<':
      return observed < value;
    case '<=':
      return observed <= value;
    case '>':
      return observed > value;
    case '>=':
      return observed >= value;
    case '==':
      return observed === value;
    case '!=':
      return observed !== value;
  }
}
