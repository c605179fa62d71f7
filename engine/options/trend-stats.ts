/** The trend columns of k6's end-of-test summary, besides percentiles p(N). */
export const NAMED_TREND_STATS = ['avg', 'min', 'med', 'max', 'count'] as const;

/** k6's default `summaryTrendStats`. */
export const DEFAULT_SUMMARY_TREND_STATS: readonly string[] = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];

/**
 * What is wrong with one `summaryTrendStats` entry, or undefined when k6 accepts it: avg, min,
 * med, max, count, or p(N) with 0 ≤ N ≤ 100 (k6's `GetResolversForTrendColumns`).
 */
export function trendStatProblem(stat: string): string | undefined {
  if ((NAMED_TREND_STATS as readonly string[]).includes(stat)) return undefined;
  const p = /^p\((.*)\)$/.exec(stat);
  if (!p) return `unknown trend stat ${JSON.stringify(stat)} (use avg, min, med, max, count or p(N))`;
  const text = (p[1] ?? '').trim();
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(n >= 0 && n <= 100)) {
    return `invalid percentile ${JSON.stringify(stat)} (N in p(N) is a number from 0 to 100)`;
  }
  return undefined;
}
