import { LoadtsError } from '../errors.js';

/** A trend statistic as summaryTrendStats and thresholds name it. */
export type TrendStat = { kind: 'avg' | 'min' | 'med' | 'max' | 'count' | 'sum' } | { kind: 'p'; percentile: number };

/** A decimal number as k6 reads it (Go's ParseFloat, decimal forms): 95, 99.9, .5, 1e3, -2. */
export const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * N of a percentile written `p(N)`, with 0 ≤ N ≤ 100 (decimals allowed, no spaces, as in k6);
 * undefined when `text` is not of that form.
 */
export function parsePercentile(text: string): number | undefined {
  if (!text.startsWith('p(') || !text.endsWith(')')) return undefined;
  const inner = text.slice(2, -1);
  if (!DECIMAL.test(inner)) return undefined;
  const percentile = Number(inner);
  return percentile >= 0 && percentile <= 100 ? percentile : undefined;
}

/**
 * Parses one summaryTrendStats entry: avg, min, med, max, count, p(N) (k6's set), and sum (loadts).
 * Throws LoadtsError('INVALID_OPTION') otherwise.
 */
export function parseTrendStat(stat: string): TrendStat {
  switch (stat) {
    case 'avg':
    case 'min':
    case 'med':
    case 'max':
    case 'count':
    case 'sum':
      return { kind: stat };
  }
  const percentile = parsePercentile(stat);
  if (percentile !== undefined) return { kind: 'p', percentile };
  throw new LoadtsError('INVALID_OPTION', `invalid trend stat ${JSON.stringify(stat)}: use avg, min, med, max, count, sum or p(N) with 0 ≤ N ≤ 100`);
}
