import type { IncomingMessage, ServerResponse } from 'node:http';
import { int, sendJson } from './respond.js';

/**
 * Token buckets per client address and rate: capacity N, refilled at N per second. A burst of
 * N+k requests gets exactly k 429s, whatever the phase of the clock.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; atMs: number }>();

  /** Remaining tokens after this request, or -1 when it is over the limit. */
  take(key: string, rps: number): number {
    const now = performance.now();
    let b = this.#buckets.get(key);
    if (b === undefined) {
      if (this.#buckets.size >= 10_000) this.#buckets.clear();
      b = { tokens: rps, atMs: now };
      this.#buckets.set(key, b);
    } else {
      b.tokens = Math.min(rps, b.tokens + ((now - b.atMs) * rps) / 1000);
      b.atMs = now;
    }
    if (b.tokens < 1) return -1;
    b.tokens -= 1;
    return Math.floor(b.tokens);
  }

  clear(): void {
    this.#buckets.clear();
  }
}

/** /ratelimit?rps=N: 429 with Retry-After once a client address exceeds N requests/s. */
export function rateLimited(req: IncomingMessage, res: ServerResponse, url: URL, limiter: RateLimiter): void {
  const rps = Math.max(int(url.searchParams.get('rps'), 10, 1e9), 1);
  const left = limiter.take(`${req.socket.remoteAddress ?? ''}|${rps}`, rps);
  if (left < 0) return sendJson(res, 429, { error: `rate limited: more than ${rps} requests/s` }, { 'retry-after': 1, 'x-ratelimit-limit': rps, 'x-ratelimit-remaining': 0 });
  sendJson(res, 200, { ok: true }, { 'x-ratelimit-limit': rps, 'x-ratelimit-remaining': left });
}
