/**
 * `import http from 'loadts/http'` (also 'k6/http'). k6's HTTP API, async: `await http.get(url)`.
 * Network failures do not throw: the response has status 0, `error` and `error_code`.
 * @module loadts/http
 */
import type { HttpResponse, RequestBody, RequestParams } from '../protocols/http/client.js';
import { getRuntime, requireScope } from '../runtime/context.js';
import { IterationInterrupted } from '../runtime/vu.js';
import type { SseEvent } from '../protocols/sse.js';
import { defineMetric, streamEvents, type StreamParams } from './streaming.js';

export type { HttpResponse, RequestBody, RequestParams };

/** Sends one request as the running VU. */
export async function request(method: string, url: string | URL, body?: RequestBody | null, params?: RequestParams): Promise<HttpResponse> {
  const scope = requireScope(`http.${method.toLowerCase()}()`);
  const { vu } = scope;
  if (vu.interrupted) throw new IterationInterrupted();
  const res = await vu.http.request(method.toUpperCase(), String(url), body ?? undefined, params, scope.tags);
  if (vu.interrupted) throw new IterationInterrupted();
  return res;
}

export function get(url: string | URL, params?: RequestParams): Promise<HttpResponse> {
  return request('GET', url, undefined, params);
}
export function head(url: string | URL, params?: RequestParams): Promise<HttpResponse> {
  return request('HEAD', url, undefined, params);
}
export function post(url: string | URL, body?: RequestBody | null, params?: RequestParams): Promise<HttpResponse> {
  return request('POST', url, body, params);
}
export function put(url: string | URL, body?: RequestBody | null, params?: RequestParams): Promise<HttpResponse> {
  return request('PUT', url, body, params);
}
export function patch(url: string | URL, body?: RequestBody | null, params?: RequestParams): Promise<HttpResponse> {
  return request('PATCH', url, body, params);
}
/** DELETE (k6 names it `del`). */
export function del(url: string | URL, body?: RequestBody | null, params?: RequestParams): Promise<HttpResponse> {
  return request('DELETE', url, body, params);
}
export function options(url: string | URL, body?: RequestBody | null, params?: RequestParams): Promise<HttpResponse> {
  return request('OPTIONS', url, body, params);
}

// Server-sent events metrics, defined when the script imports this module so thresholds on them
// are validated before load starts.
const sseTimeToFirstEvent = defineMetric('sse_time_to_first_event', 'trend', true);
const sseEventInterval = defineMetric('sse_event_interval', 'trend', true);
const sseEvents = defineMetric('sse_events', 'counter', false);
const sseStreamDuration = defineMetric('sse_stream_duration', 'trend', true);

export type { SseEvent, StreamParams };

/** The outcome of http.sse(). */
export interface SseResponse {
  status: number;
  headers: Record<string, string>;
  /** Events received. */
  events: number;
  error: string;
  error_code: number;
  /** The underlying HTTP response's timings. */
  timings: HttpResponse['timings'];
}

/**
 * Opens a server-sent events stream and calls `onEvent` for each event as it arrives; resolves when
 * the stream ends. Records sse_time_to_first_event (from the call to the first event),
 * sse_event_interval (every gap between events), sse_events and sse_stream_duration.
 */
export async function sse(url: string | URL, params: StreamParams | undefined, onEvent?: (event: SseEvent) => void): Promise<SseResponse> {
  const { registry } = getRuntime();
  let count = 0;
  let last = 0;
  let first = 0;
  const samples: number[] = [];
  const run = await streamEvents('http.sse()', String(url), params, 'text/event-stream', (e, at) => {
    if (count === 0) first = at;
    else samples.push(at - last);
    last = at;
    count++;
    onEvent?.(e);
  });
  const { tags } = run;
  if (count > 0) registry.add(sseTimeToFirstEvent, tags, first - run.startMs);
  for (const gap of samples) registry.add(sseEventInterval, tags, gap);
  if (count > 0) registry.add(sseEvents, tags, count);
  registry.add(sseStreamDuration, tags, run.endMs - run.startMs);
  if (run.callbackError !== undefined) throw run.callbackError;
  return { status: run.res.status, headers: run.res.headers, events: count, error: run.res.error, error_code: run.res.error_code, timings: run.res.timings };
}

export default { request, get, head, post, put, patch, del, options, sse };
