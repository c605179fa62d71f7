/**
 * `import llm from 'loadts/llm'`: load tests for OpenAI-compatible chat completion APIs, measured
 * per token: time to first token, every inter-token gap, input and output tokens, tokens per
 * second, cost (with prices), goodput (with SLOs), and Retry-After honoured (with a retry policy).
 * @module loadts/llm
 */
import { getRuntime } from '../runtime/context.js';
import { sleep } from './index.js';
import { configure, costOf, currentConfig, estimateInputTokens, priceOf, retryWaitMs } from './llm-config.js';
import { defineMetric, streamEvents, type StreamRun } from './streaming.js';

export type { LlmConfig, ModelPrice } from './llm-config.js';
export { configure };

const ttft = defineMetric('llm_time_to_first_token', 'trend', true);
const interToken = defineMetric('llm_inter_token_latency', 'trend', true);
const outputTokens = defineMetric('llm_output_tokens', 'counter', false);
const inputTokens = defineMetric('llm_input_tokens', 'counter', false);
const tokensPerSecond = defineMetric('llm_tokens_per_second', 'trend', false);
const requestDuration = defineMetric('llm_request_duration', 'trend', true);
const cost = defineMetric('llm_cost', 'counter', false);
const requestCost = defineMetric('llm_request_cost', 'trend', false);
const retries = defineMetric('llm_retries', 'counter', false);
const goodput = getRuntime().registry.define('llm_goodput', 'rate');

/** A chat request body (OpenAI's); `stream: true` is added. */
export interface ChatBody {
  model: string;
  messages: Array<{ role: string; content: string }>;
  [key: string]: unknown;
}

export interface ChatParams {
  headers?: Record<string, string>;
  tags?: Record<string, string>;
  timeout?: number | string;
}

/** What llm.chat() measured. */
export interface ChatResult {
  status: number;
  /** The generated text (all content deltas joined). */
  text: string;
  /** Output tokens: the server's usage.completion_tokens when it reports usage, else the non-empty content chunks. */
  output_tokens: number;
  /** Input tokens: the server's usage.prompt_tokens, else an estimate (llm-config.ts, docs/streaming.md). */
  input_tokens: number;
  /** Whether input_tokens is the estimate. */
  input_tokens_estimated: boolean;
  /** USD, when a price applies to the model (llm.configure({ prices })). */
  cost: number | undefined;
  /** Retries after 429 / 503 + Retry-After (llm.configure({ retry })). */
  retries: number;
  /** ms from the (last attempt's) call to the first non-empty content chunk (undefined when none came). */
  time_to_first_token: number | undefined;
  /** ms from the (last attempt's) call to the end of the stream. */
  duration: number;
  error: string;
  error_code: number;
}

interface Chunk {
  choices?: Array<{ delta?: { content?: string | null }; message?: { content?: string } }>;
  usage?: { completion_tokens?: number; prompt_tokens?: number };
}

/** One attempt: the stream read, its chunks counted. */
interface Attempt {
  run: StreamRun;
  parts: string[];
  chunks: number;
  first: number;
  gaps: number[];
  usage: { output?: number; input?: number };
}

async function attempt(url: string, body: ChatBody, params: ChatParams | undefined): Promise<Attempt> {
  const a: Omit<Attempt, 'run'> = { parts: [], chunks: 0, first: 0, gaps: [], usage: {} };
  let last = 0;
  const read = (msg: Chunk) => {
    if (msg.usage?.completion_tokens !== undefined) a.usage.output = msg.usage.completion_tokens;
    if (msg.usage?.prompt_tokens !== undefined) a.usage.input = msg.usage.prompt_tokens;
  };
  const run = await streamEvents(
    'llm.chat()',
    url,
    { method: 'POST', headers: { 'content-type': 'application/json', ...params?.headers }, body: JSON.stringify({ ...body, stream: true }), tags: params?.tags, timeout: params?.timeout },
    'text/event-stream',
    (e, at) => {
      if (e.data === '[DONE]') return;
      let msg: Chunk;
      try {
        msg = JSON.parse(e.data) as Chunk;
      } catch {
        return;
      }
      read(msg);
      const content = msg.choices?.[0]?.delta?.content ?? msg.choices?.[0]?.message?.content;
      if (typeof content !== 'string' || content === '') return;
      if (a.chunks === 0) a.first = at;
      else a.gaps.push(at - last);
      last = at;
      a.chunks++;
      a.parts.push(content);
    },
    true,
  );
  // A server that ignores stream:true answers with one JSON completion.
  if (a.chunks === 0 && run.res.status === 200 && !(run.res.headers['Content-Type'] ?? '').includes('event-stream') && run.raw) {
    try {
      const msg = JSON.parse(run.raw) as Chunk;
      const content = msg.choices?.[0]?.message?.content ?? '';
      if (content) {
        a.parts.push(content);
        a.chunks = 1;
        a.first = run.endMs;
      }
      read(msg);
    } catch {
      /* not JSON: reported as an error below */
    }
  }
  return { run, ...a };
}

/**
 * Sends a streaming chat completion to `url` (e.g. `${BASE_URL}/v1/chat/completions`) and measures
 * it token by token. An empty first chunk (the role-only delta) is not a token. Records
 * llm_time_to_first_token, llm_inter_token_latency (each gap), llm_output_tokens, llm_input_tokens,
 * llm_tokens_per_second (output tokens / request seconds, per request), llm_request_duration, and
 * with llm.configure(): llm_cost and llm_request_cost (prices), llm_goodput (SLOs), llm_retries.
 * Every metric but llm_retries measures the last attempt.
 */
export async function chat(url: string, body: ChatBody, params?: ChatParams): Promise<ChatResult> {
  const { registry } = getRuntime();
  let a = await attempt(url, body, params);
  let n = 0;
  for (;;) {
    const wait = retryWaitMs(n + 1, a.run.res.status, a.run.res.headers['Retry-After']);
    if (wait === undefined || a.run.callbackError !== undefined) break;
    n++;
    registry.add(retries, a.run.tags, 1);
    await sleep(wait / 1000);
    a = await attempt(url, body, params);
  }
  const { run, chunks, gaps } = a;
  const { res, tags } = run;
  const duration = run.endMs - run.startMs;
  const tokens = a.usage.output ?? chunks;
  const input = a.usage.input ?? estimateInputTokens(body.messages ?? []);
  const timeToFirst = chunks > 0 ? a.first - run.startMs : undefined;
  if (timeToFirst !== undefined) registry.add(ttft, tags, timeToFirst);
  for (const g of gaps) registry.add(interToken, tags, g);
  registry.add(outputTokens, tags, tokens);
  registry.add(inputTokens, tags, input);
  if (tokens > 0 && duration > 0) registry.add(tokensPerSecond, tags, tokens / (duration / 1000));
  registry.add(requestDuration, tags, duration);
  let error = res.error;
  if (!error && (res.status < 200 || res.status >= 300)) error = `HTTP ${res.status} ${res.status_text}`.trim();
  const price = priceOf(typeof body.model === 'string' ? body.model : '');
  const usd = price === undefined || error ? undefined : costOf(price, input, tokens);
  if (usd !== undefined) {
    registry.add(cost, tags, usd);
    registry.add(requestCost, tags, usd);
  }
  const slo = currentConfig().goodput;
  if (slo !== undefined) {
    const itl = gaps.length > 0 ? gaps.reduce((x, y) => x + y, 0) / gaps.length : 0;
    const good = !error && timeToFirst !== undefined && (slo.ttft === undefined || timeToFirst < slo.ttft) && (slo.itl === undefined || itl < slo.itl) && (slo.duration === undefined || duration < slo.duration);
    registry.add(goodput, tags, good ? 1 : 0);
  }
  if (run.callbackError !== undefined) throw run.callbackError;
  return { status: res.status, text: a.parts.join(''), output_tokens: tokens, input_tokens: input, input_tokens_estimated: a.usage.input === undefined, cost: usd, retries: n, time_to_first_token: timeToFirst, duration, error, error_code: res.error_code };
}

export default { chat, configure };
