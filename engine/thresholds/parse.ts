import { LoadtsError } from '../errors.js';
import { DECIMAL, parsePercentile } from '../metrics/trend-stat.js';
import type { Tags } from '../metrics/types.js';

/** A comparison operator of a threshold. k6's `===` means the same as `==` and is read as `==`. */
export type ThresholdOperator = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** A parsed threshold expression, e.g. `p(95) < 200`. */
export interface ThresholdExpression {
  /** As written. */
  source: string;
  /** 'avg', 'min', 'max', 'med', 'count', 'rate', 'value', or 'p(N)' with N as a plain number ('p(99.9)'). */
  aggregation: string;
  /** N of 'p(N)'. */
  percentile?: number;
  operator: ThresholdOperator;
  value: number;
}

/**
 * Operators in k6's scanning order (metrics/thresholds_parser.go): the expression is split at the
 * first operator of this list that occurs in it, so `<=` is tried before `<`.
 */
const OPERATORS = ['<=', '<', '>=', '>', '===', '==', '!='] as const;
const AGGREGATIONS = new Set(['avg', 'min', 'max', 'med', 'count', 'rate', 'value']);

/**
 * Parses k6's threshold grammar: `<aggregation> <operator> <number>`, spaces allowed around the
 * operator, with aggregation avg|min|max|med|count|rate|value|p(N) (lower case, 0 ≤ N ≤ 100) and
 * operator < <= > >= == === !=. Throws LoadtsError('INVALID_THRESHOLD') saying what is wrong.
 */
export function parseThresholdExpression(source: string): ThresholdExpression {
  const fail = (what: string): never => {
    throw new LoadtsError('INVALID_THRESHOLD', `invalid threshold ${JSON.stringify(source)}: ${what}`);
  };
  let split: { left: string; operator: (typeof OPERATORS)[number]; right: string } | undefined;
  for (const operator of OPERATORS) {
    const at = source.indexOf(operator);
    if (at >= 0) {
      split = { left: source.slice(0, at).trim(), operator, right: source.slice(at + operator.length).trim() };
      break;
    }
  }
  if (split === undefined) return fail('no operator; expected <aggregation> <operator> <number>, e.g. p(95)<200 or rate>0.99');
  const { left, operator, right } = split;

  let percentile: number | undefined;
  let aggregation = left;
  if (!AGGREGATIONS.has(left)) {
    percentile = parsePercentile(left);
    if (percentile === undefined) return fail(aggregationProblem(left));
    aggregation = `p(${percentile})`;
  }

  if (right === '') return fail(`no number after ${operator}`);
  if (!DECIMAL.test(right)) return fail(`${JSON.stringify(right)} is not a number`);

  const expr: ThresholdExpression = { source, aggregation, operator: operator === '===' ? '==' : operator, value: Number(right) };
  if (percentile !== undefined) expr.percentile = percentile;
  return expr;
}

/** Why `left` is not an aggregation, with the likely fix. */
function aggregationProblem(left: string): string {
  const use = 'use avg, min, max, med, count, rate, value or p(N)';
  if (left === '') return `no aggregation before the operator; ${use}`;
  const lower = left.toLowerCase().replace(/\s+/g, '');
  if (AGGREGATIONS.has(lower)) return `unknown aggregation ${JSON.stringify(left)}; write ${lower}`;
  const loose = /^p\(?([^()]*)\)?$/.exec(lower);
  if (loose !== null) {
    const n = loose[1] ?? '';
    if (DECIMAL.test(n)) {
      const p = Number(n);
      if (p < 0 || p > 100) return `percentile ${n} is outside 0..100`;
      return `unknown aggregation ${JSON.stringify(left)}; percentiles are written p(${p})`;
    }
  }
  return `unknown aggregation ${JSON.stringify(left)}; ${use}`;
}

/**
 * Parses a threshold key: `name` or a k6 sub-metric `name{tag:value,tag2:value2}`. As in k6, tags are
 * split at commas and at the first colon, spaces around names and values are trimmed, and quotes
 * around them are dropped (`{status:"200"}`); a value may contain spaces and colons but not commas.
 * Throws LoadtsError('INVALID_THRESHOLD').
 */
export function parseMetricSelector(key: string): { name: string; filter: Tags } {
  const fail = (what: string): never => {
    throw new LoadtsError('INVALID_THRESHOLD', `invalid threshold metric ${JSON.stringify(key)}: ${what}`);
  };
  const open = key.indexOf('{');
  const close = key.lastIndexOf('}');
  if (open < 0 && close >= 0) fail('"}" without "{"');
  if (open >= 0 && close < open) fail('"{" without a closing "}"');
  const name = (open < 0 ? key : key.slice(0, open)).trim();
  if (name === '') fail('no metric name');
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) fail(`${JSON.stringify(name)} is not a metric name`);
  const filter: Tags = {};
  if (open < 0) return { name, filter };
  if (key.slice(close + 1).trim() !== '') fail('text after the closing "}"');
  const body = key.slice(open + 1, close);
  if (body.trim() === '') fail('empty tag filter {}; write name{tag:value}');
  for (const part of body.split(',')) {
    const colon = part.indexOf(':');
    if (colon < 0) fail(`${JSON.stringify(part.trim())} is not tag:value`);
    const tag = unquote(part.slice(0, colon));
    const rawValue = part.slice(colon + 1).trim();
    if (tag === '') fail(`no tag name in ${JSON.stringify(part.trim())}`);
    if (rawValue === '') fail(`no value for tag ${tag}`);
    filter[tag] = unquote(rawValue);
  }
  return { name, filter };
}

/** Trims spaces, then any quote characters around the text (k6: strings.Trim(s, `"'`)). */
function unquote(text: string): string {
  return text.trim().replace(/^["']+|["']+$/g, '');
}
