import { toError } from '../errors.js';
import { currentScope, vuStorage, type VUScope } from './context.js';
import { IterationInterrupted, type VU } from './vu.js';

/** Node's own timer functions, taken before anything can replace the globals. */
const native = { setTimeout, clearTimeout, setInterval, clearInterval } as const;

type Handle = NodeJS.Timeout;

/**
 * The timers one VU's current iteration started (k6's event loop, for timers): the iteration counts
 * as done only once every timer fired or was cleared and every promise a callback returned settled.
 * A callback that throws fails the iteration at once, also while the iteration's function still
 * runs (`abandon`: the VU's VU.abandon). Created on a VU's first timer: a VU that starts none pays
 * nothing.
 */
export class VuTimers {
  readonly #live = new Set<Handle>();
  /** Promises returned by async callbacks, not settled yet. */
  #running = 0;
  /** Bumped by cancel(): callbacks of an earlier iteration no longer count. */
  #generation = 0;
  #error: unknown = undefined;
  #waiter: { resolve: () => void; reject: (e: unknown) => void } | undefined;

  /** `abandon(e)` ends the wait for the iteration's function with a callback's error; false when it has returned. */
  constructor(private readonly abandon: (error: unknown) => boolean = () => false) {}

  /** Timers and callback promises outstanding. */
  get pending(): number {
    return this.#live.size + this.#running;
  }

  add(cb: (...a: unknown[]) => unknown, ms: number, args: unknown[], repeat: boolean): Handle {
    const generation = this.#generation;
    const fire = () => {
      if (generation !== this.#generation) return;
      if (!repeat) this.#live.delete(handle);
      this.#invoke(cb, args, generation);
      this.#settle();
    };
    const handle = repeat ? native.setInterval(fire, ms) : native.setTimeout(fire, ms);
    this.#live.add(handle);
    return handle;
  }

  clear(handle: unknown): void {
    const h = this.#find(handle);
    if (h === undefined) return;
    native.clearTimeout(h);
    this.#live.delete(h);
    this.#settle();
  }

  /** Resolves once nothing is pending; rejects with a callback's error, or on cancel(). */
  drain(): Promise<void> {
    if (this.#error !== undefined) return Promise.reject(this.#takeError());
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve, reject) => (this.#waiter = { resolve, reject }));
  }

  /** Clears every timer (the iteration failed or is interrupted); a drain() waiting rejects with `reason`. */
  cancel(reason: unknown = new IterationInterrupted()): void {
    this.#generation++;
    for (const h of this.#live) native.clearTimeout(h);
    this.#live.clear();
    this.#running = 0;
    this.#error = undefined;
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.reject(reason);
  }

  #invoke(cb: (...a: unknown[]) => unknown, args: unknown[], generation: number): void {
    let result: unknown;
    try {
      result = cb(...args);
    } catch (e) {
      this.#fail(e);
      return;
    }
    if (result === null || typeof result !== 'object' || typeof (result as PromiseLike<unknown>).then !== 'function') return;
    this.#running++;
    (result as PromiseLike<unknown>).then(
      () => this.#callbackDone(generation),
      (e: unknown) => {
        if (generation !== this.#generation) return;
        this.#running--;
        this.#fail(e);
      },
    );
  }

  #callbackDone(generation: number): void {
    if (generation !== this.#generation) return;
    this.#running--;
    this.#settle();
  }

  /**
   * A callback threw: the iteration fails with that error, and its other timers stop (k6's event
   * loop). While the iteration's function still runs, its wait is abandoned: what it awaits may be
   * one of the timers just cleared, and would never come.
   */
  #fail(e: unknown): void {
    this.#error ??= e === undefined ? new Error('a timer callback threw undefined') : e;
    this.#generation++;
    for (const h of this.#live) native.clearTimeout(h);
    this.#live.clear();
    this.#running = 0;
    if (this.#waiter === undefined && this.abandon(this.#error)) this.#error = undefined;
    else this.#settle();
  }

  #settle(): void {
    const w = this.#waiter;
    if (w === undefined) return;
    if (this.#error !== undefined) {
      this.#waiter = undefined;
      w.reject(this.#takeError());
    } else if (this.pending === 0) {
      this.#waiter = undefined;
      w.resolve();
    }
  }

  #takeError(): unknown {
    const e = this.#error;
    this.#error = undefined;
    return e;
  }

  #find(handle: unknown): Handle | undefined {
    if (typeof handle === 'object' && handle !== null) return this.#live.has(handle as Handle) ? (handle as Handle) : undefined;
    if (typeof handle !== 'number' && typeof handle !== 'string') return undefined;
    for (const h of this.#live) if (Number(h) === Number(handle)) return h;
    return undefined;
  }
}

function timersOf(vu: VU): VuTimers {
  return (vu.timers ??= new VuTimers((e) => vu.abandon(e)));
}

function checkCallback(what: string, cb: unknown): asserts cb is (...a: unknown[]) => unknown {
  if (typeof cb !== 'function') throw new TypeError(`${what}() needs a function as its first argument, got ${cb === null ? 'null' : typeof cb}`);
}

function delay(ms: unknown): number {
  const n = Number(ms);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** setTimeout for scripts: tracked by the running VU's iteration; Node's own outside VU code. */
export function trackedSetTimeout(cb: unknown, ms?: unknown, ...args: unknown[]): Handle {
  checkCallback('setTimeout', cb);
  const scope = currentScope();
  if (scope === undefined) return native.setTimeout(cb, delay(ms), ...args);
  return timersOf(scope.vu).add(cb, delay(ms), args, false);
}

/** setInterval for scripts: keeps the iteration running until cleared. */
export function trackedSetInterval(cb: unknown, ms?: unknown, ...args: unknown[]): Handle {
  checkCallback('setInterval', cb);
  const scope = currentScope();
  if (scope === undefined) return native.setInterval(cb, delay(ms), ...args);
  return timersOf(scope.vu).add(cb, delay(ms), args, true);
}

/** clearTimeout and clearInterval (interchangeable, as in browsers and k6). */
export function trackedClear(handle: unknown): void {
  const timers = currentScope()?.vu.timers;
  if (timers !== undefined) timers.clear(handle);
  if (handle !== undefined && handle !== null) native.clearTimeout(handle as Handle);
}

/**
 * Runs VU code (an iteration, setup() or teardown()) in `scope` and waits for the timers it started.
 * If the code throws, its timers are cleared. A VU whose code starts no timer pays one property read.
 */
export async function runVuCode(scope: VUScope, fn: (data: unknown) => unknown, data: unknown): Promise<unknown> {
  const vu = scope.vu;
  try {
    const result = await vu.guard(vuStorage.run(scope, fn, data));
    const timers = vu.timers;
    if (timers !== undefined && timers.pending > 0) await timers.drain();
    return result;
  } catch (e) {
    vu.timers?.cancel(toError(e));
    throw e;
  }
}
