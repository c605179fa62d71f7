import { SOCKET_CLOSED } from './error-codes.js';

/**
 * When loadts sends a request again: Go's net/http rule (Transport.roundTrip →
 * persistConn.shouldRetryRequest and Request.isReplayable), which k6 inherits. A request is sent
 * again only when all of these hold:
 *   1. it went out on a connection that an earlier request had used (a kept-alive one; a server
 *      has no reason to hang up on a fresh connection, so a failure there is the answer);
 *   2. nothing of the response arrived (not one byte of the status line);
 *   3. the connection failed: the server closed it (EOF) or reset it, or the write found it broken
 *      (not a timeout, not a malformed response);
 *   4. it is idempotent: GET, HEAD, OPTIONS or TRACE, or it carries an `Idempotency-Key` or
 *      `X-Idempotency-Key` header (the bodies loadts sends are in memory, so always replayable).
 * The new attempt goes out on another connection (the failed one is closed), with what is left of
 * the request's timeout. Unlike Go, where the retry is hidden inside one round trip, each attempt
 * is a request of its own in the metrics: the failed one is a sample with status 0 and its error,
 * so `http_reqs` counts what was put on the wire.
 */

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** Socket-level failures that mean "the kept-alive connection was already closed". */
const STALE_CONNECTION = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', SOCKET_CLOSED]);

/** Go's Request.isReplayable: an idempotent method, or an idempotency key (headers: lower-case names). */
export function isReplayable(method: string, headers: Readonly<Record<string, string>> | null | undefined): boolean {
  if (IDEMPOTENT.has(method)) return true;
  return headers != null && (headers['idempotency-key'] !== undefined || headers['x-idempotency-key'] !== undefined);
}

/** What the rule looks at, from one attempt. */
export interface Attempt {
  method: string;
  headers: Readonly<Record<string, string>> | null | undefined;
  /** It went out on a connection an earlier request had used. */
  reused: boolean;
  /** A byte of the response arrived. */
  responseStarted: boolean;
  /** The failure (undefined: none). */
  error: unknown;
  /** It ran out of time (never retried). */
  timedOut: boolean;
}

/** Whether an attempt that failed is sent again (the rule above). */
export function shouldRetry(a: Attempt): boolean {
  if (a.error === undefined || a.timedOut || !a.reused || a.responseStarted) return false;
  const code = (a.error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !STALE_CONNECTION.has(code)) return false;
  return isReplayable(a.method, a.headers);
}
