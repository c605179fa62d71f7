/**
 * `import llm from 'loadts/llm'`: load tests for OpenAI-compatible chat completion APIs, measured
 * per token: time to first token, every inter-token gap, output tokens and tokens per second.
 * @module loadts/llm
 */
import { getRuntime } from '../runtime/context.js';
import { defineMetric, streamEvents } from './streaming.js';

const ttft = defineMetric('llm_time_to_first_token', 'trend', true);
const interToken = defineMetric('llm_inter_token_latency', 'trend', true);
const outputTokens = defineMetric('llm_output_tokens', 'counter', false);
const tokensPerSecond = defineMetric('llm_tokens_per_second', 'trend', false);
const requestDuration = defineMetric('llm_request_duration', 'trend', true);

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
  /** ms from the call to the first non-empty content chunk (undefined when none came). */
  time_to_first_token: number | undefined;
  /** ms from the call to the end of the stream. */
  duration: number;
  error: string;
  error_code: number;
}

interface Chunk {
  choices?: Array<{ delta?: { content?: string | null }; message?: { content?: string } }>;
  usage?: { completion_tokens?: number };
}

/**
 * Sends a streaming chat completion to `url` (e.g. `${BASE_URL}/v1/chat/completions`) and measures
 * it token by token. An empty first chunk (the role-only delta) is not a token. Records
 * llm_time_to_first_token, llm_inter_token_latency (each gap), llm_output_tokens,
 * llm_tokens_per_second (output tokens / request seconds, per request) and llm_request_duration.
 */
export async function chat(url: string, body: ChatBody, params?: ChatParams): Promise<ChatResult> {
  const { registry } = getRuntime();
  const parts: string[] = [];
  let chunks = 0;
  let reported: number | undefined;
  let first = 0;
  let last = 0;
  const gaps: number[] = [];
  let nonStream = '';
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
      if (msg.usage?.completion_tokens !== undefined) reported = msg.usage.completion_tokens;
      const content = msg.choices?.[0]?.delta?.content ?? msg.choices?.[0]?.message?.content;
      if (typeof content !== 'string' || content === '') return;
      if (chunks === 0) first = at;
      else gaps.push(at - last);
      last = at;
      chunks++;
      parts.push(content);
    },
    true,
  );
  const { res, tags } = run;
  // A server that ignores stream:true answers with one JSON completion.
  if (chunks === 0 && res.status === 200 && !(res.headers['Content-Type'] ?? '').includes('event-stream')) nonStream = run.raw;
  if (nonStream) {
    try {
      const msg = JSON.parse(nonStream) as Chunk;
      const content = msg.choices?.[0]?.message?.content ?? '';
      if (content) {
        parts.push(content);
        chunks = 1;
        first = run.endMs;
      }
      reported = msg.usage?.completion_tokens ?? reported;
    } catch {
      /* not JSON: reported as an error below */
    }
  }
  const duration = run.endMs - run.startMs;
  const tokens = reported ?? chunks;
  const timeToFirst = chunks > 0 ? first - run.startMs : undefined;
  if (timeToFirst !== undefined) registry.add(ttft, tags, timeToFirst);
  for (const g of gaps) registry.add(interToken, tags, g);
  registry.add(outputTokens, tags, tokens);
  if (tokens > 0 && duration > 0) registry.add(tokensPerSecond, tags, tokens / (duration / 1000));
  registry.add(requestDuration, tags, duration);
  let error = res.error;
  if (!error && (res.status < 200 || res.status >= 300)) error = `HTTP ${res.status} ${res.status_text}`.trim();
  if (run.callbackError !== undefined) throw run.callbackError;
  return { status: res.status, text: parts.join(''), output_tokens: tokens, time_to_first_token: timeToFirst, duration, error, error_code: res.error_code };
}

export default { chat };
