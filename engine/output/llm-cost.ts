import type { MetricsAggregate } from '../metrics/aggregate.js';

/** USD: cents from $1 up, three significant digits below (a cost per request is often a fraction of a cent). */
export function usd(v: number): string {
  if (v >= 1) return `$${v.toFixed(2)}`;
  if (v <= 0) return '$0';
  return `$${v.toFixed(Math.min(10, Math.max(2, 2 - Math.floor(Math.log10(v)))))}`;
}

/**
 * The LLM cost line of the summary (with llm.configure({ prices })): the total, per priced request
 * and per 1,000 tokens (input and output); '' when nothing was priced.
 */
export function llmCostLine(agg: MetricsAggregate, durationMs: number): string {
  const total = agg.values('llm_cost', undefined, [], durationMs)?.count;
  const priced = agg.values('llm_request_cost', undefined, ['count'], durationMs)?.count;
  if (total === undefined || priced === undefined || priced === 0) return '';
  const tokens = (agg.values('llm_input_tokens', undefined, [], durationMs)?.count ?? 0) + (agg.values('llm_output_tokens', undefined, [], durationMs)?.count ?? 0);
  const perK = tokens > 0 ? `, ${usd((total / tokens) * 1000)} per 1,000 tokens` : '';
  return ` LLM cost: ${usd(total)} in all, ${usd(total / priced)} per request (${priced} priced)${perK}`;
}
