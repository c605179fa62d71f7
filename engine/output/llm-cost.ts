import type { MetricsAggregate } from '../metrics/aggregate.js';

/** USD: cents from $1 up, three significant digits below (a cost per request is often a fraction of a cent). */
export function usd(v: number): string {
  // A sum of prices carries float error that depends on the order the workers' sums were added in
  // (1.225 can arrive as 1.2249999999999999): settle it at a nano-dollar before rounding half up.
  v = Number(v.toFixed(9));
  if (v >= 1) return `$${roundHalfUp(v, 2).toFixed(2)}`;
  if (v <= 0) return '$0';
  const digits = Math.min(10, Math.max(2, 2 - Math.floor(Math.log10(v))));
  return `$${roundHalfUp(v, digits).toFixed(digits)}`;
}

function roundHalfUp(v: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(Number((v * scale).toFixed(6))) / scale;
}

/** What the priced LLM requests of a run cost (with llm.configure({ prices })), USD. */
export interface LlmCost {
  /** llm_cost's sum. */
  total: number;
  /** Requests priced (llm_request_cost's count). */
  priced: number;
  perRequest: number;
  /** llm_input_tokens and llm_output_tokens, all requests. */
  inputTokens: number;
  outputTokens: number;
  /** The total per 1,000 tokens (input and output); absent without tokens. */
  per1kTokens?: number;
}

/** The run's LLM cost; undefined when nothing was priced. */
export function llmCost(agg: MetricsAggregate, durationMs: number): LlmCost | undefined {
  const total = agg.values('llm_cost', undefined, [], durationMs)?.count;
  const priced = agg.values('llm_request_cost', undefined, ['count'], durationMs)?.count;
  if (total === undefined || priced === undefined || priced === 0) return undefined;
  const inputTokens = agg.values('llm_input_tokens', undefined, [], durationMs)?.count ?? 0;
  const outputTokens = agg.values('llm_output_tokens', undefined, [], durationMs)?.count ?? 0;
  const tokens = inputTokens + outputTokens;
  return { total, priced, perRequest: total / priced, inputTokens, outputTokens, ...(tokens > 0 ? { per1kTokens: (total / tokens) * 1000 } : {}) };
}

/**
 * The LLM cost line of the summary: the total, per priced request and per 1,000 tokens (input and
 * output); '' when nothing was priced. The report shows the same (web/dashboard/llm-cost.ts).
 */
export function llmCostLine(agg: MetricsAggregate, durationMs: number): string {
  const c = llmCost(agg, durationMs);
  if (c === undefined) return '';
  const perK = c.per1kTokens === undefined ? '' : `, ${usd(c.per1kTokens)} per 1,000 tokens`;
  return ` LLM cost: ${usd(c.total)} in all, ${usd(c.perRequest)} per request (${c.priced} priced)${perK}`;
}
