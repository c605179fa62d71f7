/**
 * loadts/llm's settings (`llm.configure()` in the init context, per worker thread): prices for cost,
 * SLOs for goodput, and the Retry-After policy. Off until configured: a plain llm.chat() records
 * what it did before.
 */

/** USD per million tokens of one model. */
export interface ModelPrice {
  input: number;
  output: number;
}

export interface LlmConfig {
  /** Prices by model name (the request body's `model`); '*' applies to models not listed. */
  prices?: Record<string, ModelPrice>;
  /** Goodput SLOs: a request is good when it succeeded and met every one given (ms). */
  goodput?: { ttft?: number; itl?: number; duration?: number };
  /**
   * Retry-After: on 429, or 503 with Retry-After, wait and retry up to `max` times (default 0:
   * no retry). The wait is the Retry-After (seconds or an HTTP date), else 1 s doubling each time,
   * at most `maxWaitMs` (default 10 s).
   */
  retry?: { max?: number; maxWaitMs?: number };
}

let config: LlmConfig = {};

/** Sets loadts/llm's prices, goodput SLOs and retry policy (call in the init context). */
export function configure(c: LlmConfig): void {
  for (const [model, p] of Object.entries(c.prices ?? {})) {
    if (!(p !== null && typeof p === 'object' && Number.isFinite(p.input) && Number.isFinite(p.output) && p.input >= 0 && p.output >= 0)) {
      throw new TypeError(`llm.configure: prices[${JSON.stringify(model)}] needs { input, output } in USD per million tokens, each ≥ 0`);
    }
  }
  const max = c.retry?.max ?? 0;
  if (!Number.isInteger(max) || max < 0 || max > 100) throw new TypeError('llm.configure: retry.max needs a whole number from 0 to 100');
  config = { ...c };
}

export function currentConfig(): LlmConfig {
  return config;
}

/** The price of `model`, or undefined when no price applies. */
export function priceOf(model: string): ModelPrice | undefined {
  return config.prices?.[model] ?? config.prices?.['*'];
}

/** A request's cost in USD. */
export function costOf(price: ModelPrice, inputTokens: number, outputTokens: number): number {
  return (inputTokens * price.input + outputTokens * price.output) / 1e6;
}

/**
 * Input tokens when the server does not report usage.prompt_tokens: about 4 characters per token
 * (OpenAI's rule of thumb for English) over every message's content, plus 4 tokens of framing per
 * message. An estimate: for exact counts, have the server report usage (stream_options.include_usage).
 */
export function estimateInputTokens(messages: ReadonlyArray<{ content: string }>): number {
  return messages.reduce((n, m) => n + Math.ceil((typeof m.content === 'string' ? m.content.length : 0) / 4) + 4, 0);
}

/** How long to wait before retry `attempt` (1-based), from the response's Retry-After; undefined: no retry. */
export function retryWaitMs(attempt: number, status: number, retryAfter: string | undefined): number | undefined {
  const max = config.retry?.max ?? 0;
  if (attempt > max) return undefined;
  if (status !== 429 && !(status === 503 && retryAfter !== undefined)) return undefined;
  const cap = config.retry?.maxWaitMs ?? 10_000;
  let wait = 1000 * 2 ** (attempt - 1);
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (retryAfter.trim() !== '' && Number.isFinite(seconds)) wait = seconds * 1000;
    else if (!Number.isNaN(Date.parse(retryAfter))) wait = Date.parse(retryAfter) - Date.now();
  }
  return Math.min(Math.max(wait, 0), cap);
}
