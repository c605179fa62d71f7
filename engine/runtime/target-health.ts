import type { TagSet } from '../metrics/tags.js';
import { redactText } from '../redact.js';
import { RateLimitedLog } from './log.js';

/** k6's code for an invalid URL: a request that never reached the network. */
const INVALID_URL = '1020';

/**
 * Whether the target answers, as one worker sees it: every HTTP request either got a response
 * (of any status) or failed (refused, reset, timed out, no such host, an invalid URL, a body cut
 * short). Failures are logged as k6 logs them ("request failed"), rate-limited, and counted, so that
 * a run whose every request failed can end with a clear error instead of a quiet summary (see
 * docs/exit-codes.md: 111) that says what happened.
 */
export class TargetHealth {
  /** Requests that got a response. */
  responses = 0;
  /** Requests that failed before a complete response (status 0). */
  networkErrors = 0;
  /** Of those: the URL was invalid (never sent). */
  invalidUrls = 0;
  /** Of those: bytes of the response had arrived (a body cut short, a timeout while receiving). */
  brokenResponses = 0;
  /** The bytes those brought. */
  brokenResponseBytes = 0;
  /** The first failure, described. */
  firstError: string | undefined;
  readonly #log: RateLimitedLog;
  readonly #locate: () => string | undefined;

  /**
   * @param locate where in the script the current request was made ('script.ts:7:26'); called
   *   synchronously from the request, for invalid URLs
   */
  constructor(write: (line: string) => void, locate: () => string | undefined = () => undefined) {
    this.#log = new RateLimitedLog(write, { perKey: 1, maxLines: 20 });
    this.#locate = locate;
  }

  /** Records a failed request (unexpected status or network error) from its sample's tags and the bytes it received. */
  noteFailed(tags: TagSet, bytesReceived = 0): void {
    if (tags.get('status') !== '0') {
      this.responses++;
      return;
    }
    this.networkErrors++;
    const code = tags.get('error_code') ?? '';
    const url = tags.get('url') ?? tags.get('name') ?? '';
    let what = redactText(`${tags.get('method') ?? ''} ${url}: ${tags.get('error') ?? 'request failed'} (error_code ${code})`);
    if (code === INVALID_URL) {
      // a bug in the script: say where
      this.invalidUrls++;
      const where = this.#locate();
      if (where !== undefined) what += ` (at ${where})`;
      this.firstError ??= what;
      this.#log.error(`${code} ${where ?? url}`, `ERROR request failed: ${what}`);
      return;
    }
    if (bytesReceived > 0) {
      this.brokenResponses++;
      this.brokenResponseBytes += bytesReceived;
    }
    this.firstError ??= what;
    let origin = url;
    try {
      origin = new URL(url).origin;
    } catch {
      // not a URL: keep it whole
    }
    this.#log.error(`${code} ${origin}`, `WARN request failed: ${what}`);
  }
}

/** A run's summed TargetHealth counters. */
export interface TargetTotals {
  networkErrors: number;
  invalidUrls?: number | undefined;
  brokenResponses?: number | undefined;
  brokenResponseBytes?: number | undefined;
  firstNetworkError?: string | undefined;
}

/** '1.2 GB' (decimal units, as k6's summary prints data). */
function bytesText(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/**
 * The one-line message of exit code 111 (every HTTP request failed, not one got a response),
 * worded by what happened: the URL was invalid, the target answered but no response was complete,
 * or it never answered.
 */
export function targetFailureMessage(t: TargetTotals): string {
  const n = t.networkErrors;
  const all = n === 1 ? 'the one HTTP request' : `all ${n} HTTP requests`;
  const first = t.firstNetworkError ?? 'a network error';
  const invalid = t.invalidUrls ?? 0;
  if (invalid === n) return `no HTTP request was sent: the URL of ${all} was invalid, the first: ${first}`;
  const andInvalid = invalid > 0 ? `; ${invalid} had an invalid URL` : '';
  const broken = t.brokenResponses ?? 0;
  if (broken > 0) {
    const which = broken === n ? (n === 1 ? 'failed after its response had begun' : 'failed after their response had begun') : `failed, ${broken} of them after the response had begun`;
    return `no HTTP request got a complete response: ${all} ${which} (${bytesText(t.brokenResponseBytes ?? 0)} arrived)${andInvalid}; the first with ${first}`;
  }
  return `the target never answered: ${all} failed before any response${andInvalid}, the first with ${first}; is it running, and is the URL (BASE_URL) right?`;
}
