import type { TagSet } from '../metrics/tags.js';
import { RateLimitedLog } from './log.js';

/**
 * Whether the target answers, as one worker sees it: every HTTP request either got a response
 * (of any status) or failed on the network (refused, reset, timed out, no such host). Network
 * failures are logged as k6 logs them ("Request Failed"), rate-limited, and counted, so that a run
 * whose every request failed can end with a clear error instead of a quiet summary (see
 * docs/exit-codes.md: 111).
 */
export class TargetHealth {
  /** Requests that got a response. */
  responses = 0;
  /** Requests that failed before any response. */
  networkErrors = 0;
  /** The first network failure, described. */
  firstError: string | undefined;
  readonly #log: RateLimitedLog;

  constructor(write: (line: string) => void) {
    this.#log = new RateLimitedLog(write, { perKey: 1, maxLines: 20 });
  }

  /** Records a failed request (unexpected status or network error) from its sample's tags. */
  noteFailed(tags: TagSet): void {
    if (tags.get('status') !== '0') {
      this.responses++;
      return;
    }
    this.networkErrors++;
    const code = tags.get('error_code') ?? '';
    const url = tags.get('url') ?? tags.get('name') ?? '';
    const what = `${tags.get('method') ?? ''} ${url}: ${tags.get('error') ?? 'request failed'} (error_code ${code})`;
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
