/**
 * `import http from 'loadts/http'` (also 'k6/http'). k6's HTTP API, async: `await http.get(url)`.
 * Network failures do not throw: the response has status 0, `error` and `error_code`.
 * @module loadts/http
 */
import type { HttpResponse, RequestBody, RequestParams } from '../protocols/http/client.js';
import { CookieJar, type CookieOptions } from '../protocols/http/cookie-jar.js';
import { FileData, type FileContent } from '../protocols/http/multipart.js';
import type { RequestCookie, RequestCookiesParam } from '../protocols/http/request-cookies.js';
import type { ResponseCookie } from '../protocols/http/response.js';
import type { Timings } from '../protocols/http/timings.js';
import { getRuntime, requireScope } from '../runtime/context.js';
import { IterationInterrupted } from '../runtime/vu.js';
import type { SseEvent } from '../protocols/sse.js';
import { defineMetric, streamEvents, type StreamParams } from './streaming.js';
import { iterationJar } from './vu-iteration-http.js';
import { setFollowUpRequester } from '../protocols/http/response.js';

export type { HttpResponse, RequestBody, RequestParams, CookieOptions, FileContent, RequestCookie, RequestCookiesParam, ResponseCookie, Timings };
export { CookieJar, FileData };

/** k6's TLS version names, for the `tlsVersion` option and `res.tls_version`. */
export const SSL_3_0 = 'ssl3.0';
export const TLS_1_0 = 'tls1.0';
export const TLS_1_1 = 'tls1.1';
export const TLS_1_2 = 'tls1.2';
export const TLS_1_3 = 'tls1.3';

/**
 * The running VU's cookie jar: cookies that responses set are stored in it and sent back by later
 * requests; emptied at the start of each iteration unless the `noCookiesReset` option is set.
 */
export function cookieJar(): CookieJar {
  return iterationJar(requireScope('http.cookieJar()').vu);
}

/**
 * A file for a multipart/form-data upload (k6's http.file): put it in an object body,
 * `http.post(url, { name: 'x', upload: http.file(bytes, 'photo.jpg', 'image/jpeg') })`.
 * @param filename default: a timestamp
 * @param contentType default: application/octet-stream
 */
export function file(data: FileContent, filename?: string, contentType?: string): FileData {
  return new FileData(data, filename, contentType);
}

/** A URL built with the http.url template tag: requests to it are named by the template. */
export class TemplateURL {
  readonly url: string;
  readonly name: string;
  constructor(url: string, name: string) {
    this.url = url;
    this.name = name;
  }
  toString(): string {
    return this.url;
  }
}

/**
 * Template tag that keeps dynamic URLs from exploding tag cardinality:
 * http.get(http.url`${base}/items/${id}`) is tagged name=`${base}/items/${}`.
 */
export function url(strings: TemplateStringsArray, ...values: unknown[]): TemplateURL {
  let full = strings[0] ?? '';
  let name = strings[0] ?? '';
  values.forEach((v, i) => {
    full += String(v) + (strings[i + 1] ?? '');
    name += '${}' + (strings[i + 1] ?? '');
  });
  return new TemplateURL(full, name);
}

type Target = string | URL | TemplateURL;

/** Sends one request as the running VU. */
export async function request(method: string, target: Target, body?: RequestBody | null, params?: RequestParams): Promise<HttpResponse> {
  const scope = requireScope(`http.${method.toLowerCase()}()`);
  const { vu } = scope;
  if (vu.interrupted) throw new IterationInterrupted();
  if (target instanceof TemplateURL && params?.tags?.name === undefined) params = { ...params, tags: { ...params?.tags, name: target.name } };
  const jar = iterationJar(vu);
  const res = await vu.http.request(method.toUpperCase(), String(target), body ?? undefined, params, scope.tags, undefined, jar);
  if (vu.interrupted) throw new IterationInterrupted();
  return res;
}

// res.submitForm() and res.clickLink() send through request(), as the running VU.
setFollowUpRequester((method, url, body, params) => request(method, url, body, params));

export function get(url: Target, params?: RequestParams): Promise<HttpResponse> {
  return request('GET', url, undefined, params);
}
export function head(url: Target, params?: RequestParams): Promise<HttpResponse> {
  return request('HEAD', url, undefined, params);
}
export function post(url: Target, body?: RequestBody | null, params?: RequestParams): Promise<HttpResponse> {
  return request('POST', url, body, params);
}
export function put(url: Target, body?: RequestBody | null, params?: RequestParams): Promise<HttpResponse> {
  return request('PUT', url, body, params);
}
export function patch(url: Target, body?: RequestBody | null, params?: RequestParams): Promise<HttpResponse> {
  return request('PATCH', url, body, params);
}
/** DELETE (k6 names it `del`). */
export function del(url: Target, body?: RequestBody | null, params?: RequestParams): Promise<HttpResponse> {
  return request('DELETE', url, body, params);
}
export function options(url: Target, body?: RequestBody | null, params?: RequestParams): Promise<HttpResponse> {
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

/**
 * k6's http.expectedStatuses: a response callback for which the given statuses (numbers or
 * { min, max } ranges) are expected; others count in http_req_failed.
 */
export function expectedStatuses(...statuses: Array<number | { min: number; max: number }>): (status: number) => boolean {
  for (const s of statuses) {
    if (typeof s !== 'number' && (typeof s !== 'object' || typeof s.min !== 'number' || typeof s.max !== 'number')) {
      throw new TypeError('expectedStatuses() takes status numbers or { min, max } ranges');
    }
  }
  return (status) => statuses.some((s) => (typeof s === 'number' ? status === s : status >= s.min && status <= s.max));
}

/** Sets which statuses count as expected for every request of this script (null: none fail). */
export function setResponseCallback(callback: ((status: number) => boolean) | null): void {
  getRuntime().responseCallback = callback;
}

/** One request of http.batch: [method, url, body?, params?] or an object. */
export type BatchRequest =
  | Target
  | [string, Target, (RequestBody | null)?, RequestParams?]
  | { method: string; url: Target; body?: RequestBody | null; params?: RequestParams };

function batchURL(r: BatchRequest): Target {
  if (typeof r === 'string' || r instanceof URL || r instanceof TemplateURL) return r;
  return Array.isArray(r) ? r[1] : r.url;
}

function hostOf(target: Target): string {
  try {
    return new URL(String(target)).host;
  } catch {
    return '';
  }
}

/**
 * Sends several requests in parallel (at most the `batch` option at once, and at most
 * `batchPerHost` to one host; 0: no per-host limit) and resolves with the responses in the same
 * shape: an array for an array, an object for an object.
 */
export async function batch<T extends BatchRequest[] | Record<string, BatchRequest>>(requests: T): Promise<T extends BatchRequest[] ? HttpResponse[] : Record<keyof T, HttpResponse>> {
  const options = getRuntime().options;
  const limit = Math.max(options?.batch ?? 20, 1);
  const perHost = options?.batchPerHost ?? 6;
  const entries = Object.entries(requests) as Array<[string, BatchRequest]>;
  const results: Record<string, HttpResponse> = {};
  let next = 0;
  const one = (r: BatchRequest): Promise<HttpResponse> => {
    if (typeof r === 'string' || r instanceof URL || r instanceof TemplateURL) return request('GET', r);
    if (Array.isArray(r)) return request(r[0], r[1], r[2], r[3]);
    return request(r.method, r.url, r.body, r.params);
  };
  // Per-host slots: a request waits for one before it is sent (k6's batchPerHost).
  const inFlight = new Map<string, number>();
  const waiting = new Map<string, Array<() => void>>();
  const acquire = async (host: string): Promise<void> => {
    if (perHost <= 0) return;
    while ((inFlight.get(host) ?? 0) >= perHost) {
      await new Promise<void>((resolve) => {
        let q = waiting.get(host);
        if (q === undefined) waiting.set(host, (q = []));
        q.push(resolve);
      });
    }
    inFlight.set(host, (inFlight.get(host) ?? 0) + 1);
  };
  const release = (host: string): void => {
    if (perHost <= 0) return;
    inFlight.set(host, inFlight.get(host)! - 1);
    waiting.get(host)?.shift()?.();
  };
  const worker = async () => {
    while (next < entries.length) {
      const [key, r] = entries[next++]!;
      const host = hostOf(batchURL(r));
      await acquire(host);
      try {
        results[key] = await one(r);
      } finally {
        release(host);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, entries.length) }, worker));
  const out = Array.isArray(requests) ? entries.map(([k]) => results[k]!) : results;
  return out as never;
}

export default {
  request,
  get,
  head,
  post,
  put,
  patch,
  del,
  options,
  sse,
  batch,
  url,
  expectedStatuses,
  setResponseCallback,
  cookieJar,
  CookieJar,
  file,
  SSL_3_0,
  TLS_1_0,
  TLS_1_1,
  TLS_1_2,
  TLS_1_3,
};
