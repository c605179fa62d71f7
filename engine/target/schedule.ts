import type { ServerResponse } from 'node:http';

/** How close to its due time a scheduled response stops sleeping and polls (see Schedule). */
const SPIN_MS = 2.5;
/** Above this many scheduled responses at once, none polls (see Schedule). */
const SPIN_MAX_PENDING = 8;
/** Responses waiting on a Schedule, in this process. */
let scheduledResponses = 0;

/**
 * Runs `fn` at `dueMs` (performance.now() time), never before. Node's timers run on the loop's
 * millisecond clock: a setTimeout can fire up to a millisecond early or late against
 * performance.now(). While few responses are scheduled, the timer is armed for a millisecond or
 * two before the due time and the rest is waited out in setImmediate turns (the loop keeps serving
 * I/O meanwhile): /delay/50 then answers at 50.00 ms rather than 50.3-51 ms, for about 2 ms of CPU
 * per response. Past SPIN_MAX_PENDING scheduled responses the target is under load, spinning would
 * cost it a whole core, and responses go out on the timer alone (never early, up to ~1 ms late).
 * One pending timer per response; cleared when the response closes (client gone, or the target
 * shutting down).
 */
export class Schedule {
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #closed = false;
  #pending = false;

  constructor(res: ServerResponse) {
    res.once('close', () => {
      this.#closed = true;
      this.#settle();
      clearTimeout(this.#timer);
      clearImmediate(this.#immediate);
    });
  }

  at(dueMs: number, fn: () => void): void {
    if (!this.#pending) {
      this.#pending = true;
      scheduledResponses++;
    }
    const check = (): void => {
      if (this.#closed) return;
      const leftMs = dueMs - performance.now();
      if (leftMs <= 0) {
        this.#settle();
        fn();
      } else if (scheduledResponses > SPIN_MAX_PENDING) this.#timer = setTimeout(check, Math.ceil(leftMs));
      else if (leftMs < SPIN_MS) this.#immediate = setImmediate(check);
      else this.#timer = setTimeout(check, Math.floor(leftMs - SPIN_MS + 1)); // fires ≥ 1 ms before due: never late
    };
    check();
  }

  #settle(): void {
    if (!this.#pending) return;
    this.#pending = false;
    scheduledResponses--;
  }
}
