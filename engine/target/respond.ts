/** Small helpers the demo target's endpoints share: sending JSON or a bare status, reading a body, bounded integers. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Response headers as the endpoints write them. */
export type Headers = Record<string, string | number | string[]>;

/** Upper bounds, so that one request cannot tie the target up. */
export const MAX_DELAY_MS = 60_000;
export const MAX_BYTES = 100 * 1024 * 1024;
export const MAX_REDIRECTS = 100;
export const MAX_STREAM_LINES = 100_000;
export const MAX_EVENTS = 100_000;

export function sendJson(res: ServerResponse, status: number, value: unknown, extra?: Headers): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

/** A response with no body. */
export function status(res: ServerResponse, code: number, extra?: Headers): void {
  res.writeHead(code, { 'content-length': 0, ...extra });
  res.end();
}

/** A 500, or a destroyed connection when the response has begun. */
export function fail(res: ServerResponse): void {
  if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
  else res.destroy();
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A non-negative integer from text, capped at `max`; `dflt` when absent or not a number. */
export function int(text: string | null | undefined, dflt: number, max: number): number {
  if (text === null || text === undefined || text === '') return dflt;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? Math.min(Math.floor(n), max) : dflt;
}
