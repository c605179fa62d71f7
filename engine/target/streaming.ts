/** Streamed responses: /stream/:n (JSON lines, chunked) and /sse (server-sent events on a known schedule). */
import type { ServerResponse } from 'node:http';
import { int, MAX_DELAY_MS, MAX_EVENTS, MAX_STREAM_LINES } from './respond.js';
import { Schedule } from './schedule.js';

/** /stream/:n: n JSON lines, chunked. */
export function ndjsonStream(res: ServerResponse, path: string, arg: string): void {
  const n = int(arg, 1, MAX_STREAM_LINES);
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  for (let i = 0; i < n; i++) res.write(`${JSON.stringify({ id: i, url: path })}\n`);
  res.end();
}

/** Server-sent events with a known schedule: the first after `ttft` ms, then one every `gap` ms. */
export function sse(res: ServerResponse, url: URL): void {
  const ttft = int(url.searchParams.get('ttft'), 100, MAX_DELAY_MS);
  const n = int(url.searchParams.get('n'), 5, MAX_EVENTS);
  const gap = int(url.searchParams.get('gap'), 20, MAX_DELAY_MS);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
  const schedule = new Schedule(res);
  const start = performance.now();
  let sent = 0;
  // Each event is scheduled from the start, so that timer lateness does not accumulate.
  const next = (): void => {
    res.write(`id: ${sent}\nevent: message\ndata: ${JSON.stringify({ i: sent })}\n\n`);
    sent++;
    if (sent >= n) res.end();
    else schedule.at(start + ttft + sent * gap, next);
  };
  if (n === 0) schedule.at(start + ttft, () => res.end());
  else schedule.at(start + ttft, next);
}
