import { LoadtsError } from '../errors.js';
import type { Tags } from '../metrics/types.js';

/** A parsed threshold expression, e.g. `p(95) < 200`. */
export interface ThresholdExpression {
  /** As written. */
  source: string;
  /** 'avg', 'min', 'max', 'med', 'count', 'rate', 'value', or 'p(N)'. */
  aggregation: string;
  /** N for 'p(N)'. */
  percentile?: number;
  operator: '<' | '<=' | '>' | '>=' | '==' | '!=' | '===';
  value: number;
}

const EXPR = /^\s*(avg|min|max|med|count|rate|value|p\(\s*(\d+(?:\.\d+)?)\s*\))\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/i;

/**
 * Parses k6's threshold grammar: `<aggregation> <operator> <number>` with
 * aggregation avg|min|max|med|count|rate|value|p(N) and operator < <= > >= == === !=.
 */
export function parseThresholdExpression(source: string): ThresholdExpression {
  const m = EXPR.exec(source);
  if (!m) {
    const hint = /^\s*p\d/.test(source) ? ' (percentiles are written p(95))' : '';
    throw new LoadtsError(
      'INVALID_THRESHOLD',
      `invalid threshold "${source}": expected <aggregation> <operator> <number>, e.g. p(95)<200 or rate>0.99${hint}`,
    );
  }
  const aggregation = (m[1] ?? '').replace(/\s+/g, '').toLowerCase();
  const out: ThresholdExpression = { source, aggregation, operator: m[3] as ThresholdExpression['operator'], value: Number(m[4]) };
  if (m[2] !== undefined) {
    const p = Number(m[2]);
    if (p > 100) throw new LoadtsError('INVALID_THRESHOLD', `invalid threshold "${source}": percentile ${p} is above 100`);
    out.percentile = p;
    out.aggregation = `p(${p})`;
  }
  return out;
}

/**
 * Parses a threshold key: `name` or `name{tag:value,tag2:value2}` (k6 sub-metric syntax; values
 * may be quoted and may contain spaces).
 */
export function parseMetricSelector(key: string): { name: string; filter: Tags } {
  const m = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:\{(.*)\})?\s*$/.exec(key);
  if (!m) throw new LoadtsError('INVALID_THRESHOLD', `invalid threshold metric "${key}": expected name or name{tag:value}`);
  const filter: Tags = {};
  const body = m[2];
  if (body !== undefined) {
    if (body.trim() === '') throw new LoadtsError('INVALID_THRESHOLD', `invalid threshold metric "${key}": empty tag filter {}`);
    for (const part of body.split(',')) {
      const i = part.indexOf(':');
      if (i < 0) throw new LoadtsError('INVALID_THRESHOLD', `invalid threshold metric "${key}": "${part.trim()}" is not tag:value`);
      const k = part.slice(0, i).trim();
      const v = part.slice(i + 1).trim().replace(/^(["'])(.*)\1$/, '$2');
      if (k === '') throw new LoadtsError('INVALID_THRESHOLD', `invalid threshold metric "${key}": empty tag name`);
      filter[k] = v;
    }
  }
  return { name: m[1] ?? '', filter };
}
