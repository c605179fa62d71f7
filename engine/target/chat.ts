/**
 * An OpenAI-compatible chat completions mock (/v1/chat/completions). ttft (ms to the first token),
 * tokens and gap (ms between tokens) come from the query or the JSON body (`ttft`, `tokens` or
 * `max_tokens`, `gap`). Streaming sends the role chunk with the first token at ttft, as the real API
 * does, then one chunk per token, a finish chunk, a usage chunk when `stream_options.include_usage`,
 * and `[DONE]`. With ?rps=N it is a rate-limited model endpoint: 429 with Retry-After past N/s.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RateLimiter } from './rate-limiter.js';
import { int, MAX_DELAY_MS, MAX_EVENTS, readBody, sendJson } from './respond.js';
import { Schedule } from './schedule.js';

interface ChatBody {
  stream?: boolean;
  model?: string;
  max_tokens?: number;
  ttft?: number;
  tokens?: number;
  gap?: number;
  stream_options?: { include_usage?: boolean };
}

/** One completion's schedule and identity. */
interface Completion {
  /** performance.now() at the request's arrival: ttft counts from it, as a real API's would. */
  start: number;
  ttft: number;
  tokens: number;
  gap: number;
  id: string;
  model: string;
  created: number;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

let chatSeq = 0;

const word = (i: number): string => `tok${i} `;

function completion(start: number, q: URLSearchParams, body: ChatBody): Completion {
  const tokens = int(q.get('tokens') ?? String(body.tokens ?? body.max_tokens ?? ''), 20, MAX_EVENTS);
  return {
    start,
    ttft: int(q.get('ttft') ?? String(body.ttft ?? ''), 100, MAX_DELAY_MS),
    tokens,
    gap: int(q.get('gap') ?? String(body.gap ?? ''), 20, MAX_DELAY_MS),
    model: typeof body.model === 'string' ? body.model : 'loadts-mock',
    id: `chatcmpl-loadts-${++chatSeq}`,
    created: Math.floor(Date.now() / 1000),
    usage: { prompt_tokens: 10, completion_tokens: tokens, total_tokens: 10 + tokens },
  };
}

/** Without stream: one JSON completion after ttft + (tokens-1)·gap. */
function whole(res: ServerResponse, c: Completion, schedule: Schedule): void {
  const { id, created, model, usage, tokens } = c;
  schedule.at(c.start + c.ttft + Math.max(tokens - 1, 0) * c.gap, () => {
    let content = '';
    for (let i = 0; i < tokens; i++) content += word(i);
    sendJson(res, 200, { id, object: 'chat.completion', created, model, choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage });
  });
}

/** With stream: SSE chunks, the first (role and first token) at ttft, then one token per gap. */
function streamed(res: ServerResponse, c: Completion, schedule: Schedule, includeUsage: boolean): void {
  const { id, created, model, usage, tokens } = c;
  const chunk = (delta: object, finish: string | null): string =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
  let i = 0;
  const next = (): void => {
    if (i === 0) res.write(chunk({ role: 'assistant', content: '' }, null));
    if (i < tokens) {
      res.write(chunk({ content: word(i) }, null));
      i++;
    }
    if (i < tokens) {
      schedule.at(c.start + c.ttft + i * c.gap, next);
      return;
    }
    res.write(chunk({}, 'stop'));
    if (includeUsage) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`);
    res.end('data: [DONE]\n\n');
  };
  schedule.at(c.start + c.ttft, next);
}

async function chat(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const start = performance.now(); // ttft counts from the request's arrival, as a real API's would
  const raw = (await readBody(req)).toString('utf8');
  let body: ChatBody = {};
  try {
    body = raw ? (JSON.parse(raw) as ChatBody) : {};
    if (body === null || typeof body !== 'object') throw new Error('not an object');
  } catch {
    sendJson(res, 400, { error: { message: 'invalid JSON body', type: 'invalid_request_error' } });
    return;
  }
  const c = completion(start, url.searchParams, body);
  const schedule = new Schedule(res);
  if (body.stream !== true) whole(res, c, schedule);
  else streamed(res, c, schedule, body.stream_options?.include_usage === true);
}

/** /v1/chat/completions, rate-limited per client address with ?rps=N. */
export function chatCompletions(req: IncomingMessage, res: ServerResponse, url: URL, limiter: RateLimiter): Promise<void> | void {
  if (url.searchParams.has('rps')) {
    const rps = Math.max(int(url.searchParams.get('rps'), 10, 1e9), 1);
    if (limiter.take(`${req.socket.remoteAddress ?? ''}|chat|${rps}`, rps) < 0) return sendJson(res, 429, { error: { message: `rate limited: more than ${rps} requests/s`, type: 'rate_limit_error' } }, { 'retry-after': 1 });
  }
  return chat(req, res, url);
}
