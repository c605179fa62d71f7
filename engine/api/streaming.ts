import type { HttpResponse, RequestBody } from '../protocols/http/client.js';
import { SseParser, type SseEvent } from '../protocols/sse.js';
import { getRuntime, requireScope } from '../runtime/context.js';
import { IterationInterrupted } from '../runtime/vu.js';
import type { TagSet } from '../metrics/tags.js';
import { iterationJar } from './vu-iteration-http.js';

/** Params of a streaming request. */
export interface StreamParams {
  method?: string;
  headers?: Record<string, string>;
  body?: RequestBody;
  tags?: Record<string, string>;
  /** Total time allowed, ms or a duration string. Default 60s. */
  timeout?: number | string;
}

/** What a streaming request measured, for the caller to record. */
export interface StreamRun {
  res: HttpResponse;
  tags: TagSet;
  startMs: number;
  endMs: number;
  /** The first exception the callback threw, rethrown by the caller after the stream ends. */
  callbackError: unknown;
  /** The raw body (first 1 MiB) when `keepRaw` was asked for, e.g. for a non-streaming answer. */
  raw: string;
}

/**
 * Sends a request as the running VU and feeds the response's server-sent events to `onEvent` as
 * they arrive (the HTTP request is measured like any other). Shared by http.sse() and llm.chat().
 */
export async function streamEvents(
  what: string,
  url: string,
  params: StreamParams | undefined,
  accept: string,
  onEvent: (e: SseEvent, atMs: number) => void,
  keepRaw = false,
): Promise<StreamRun> {
  const scope = requireScope(what);
  const { vu } = scope;
  if (vu.interrupted) throw new IterationInterrupted();
  let callbackError: unknown;
  const parser = new SseParser((e) => {
    if (callbackError !== undefined) return;
    try {
      onEvent(e, performance.now());
    } catch (err) {
      callbackError = err;
    }
  });
  const headers: Record<string, string> = { accept, ...params?.headers };
  const tags = scope.tags.withAll(params?.tags).with('name', params?.tags?.name ?? url);
  const raw: Buffer[] = [];
  let rawBytes = 0;
  const jar = iterationJar(vu);
  const startMs = performance.now();
  const res = await vu.http.request(
    (params?.method ?? 'GET').toUpperCase(),
    url,
    params?.body,
    { headers, tags: params?.tags, timeout: params?.timeout },
    scope.tags,
    (chunk) => {
      if (keepRaw && rawBytes < 1 << 20) {
        raw.push(chunk);
        rawBytes += chunk.length;
      }
      parser.push(chunk);
    },
    jar,
  );
  if (vu.interrupted) throw new IterationInterrupted();
  return { res, tags, startMs, endMs: performance.now(), callbackError, raw: keepRaw ? Buffer.concat(raw).toString('utf8') : '' };
}

/** Defines a metric in this worker's registry (idempotent). */
export function defineMetric(name: string, type: 'trend' | 'counter', time: boolean) {
  return getRuntime().registry.define(name, type, time ? 'time' : 'default');
}
