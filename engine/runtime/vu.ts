import type { TagSet } from '../metrics/tags.js';
import type { VuHttp } from '../protocols/http/client.js';
import type { VuTimers } from './vu-timers.js';

/** Thrown into VU code that is still running when its iteration is interrupted (graceful stop ended). */
export class IterationInterrupted extends Error {
  constructor() {
    super('iteration interrupted');
    this.name = 'IterationInterrupted';
  }
}

/**
 * Whether VU code can start timers at all. Scripts reach loadts's timers only through the
 * loadts/timers module (a script's free setTimeout & co. are injected imports of it, see
 * script/bundle.ts), which sets this when it loads, at the script's load. Until then no VU code
 * needs VU.guard()'s wait, which would cost a no-op iteration a quarter of its speed.
 */
let timersInUse = false;

/** Called by loadts/timers as it loads: VU code may start timers from now on. */
export function markTimersInUse(): void {
  timersInUse = true;
}

/** VU.setupData before the VU's first iteration. */
export const NOT_COPIED: unique symbol = Symbol('not copied yet');

/** Facts about the scenario a VU is running, shared by its VUs (exec.scenario). */
export interface ScenarioInfo {
  readonly name: string;
  readonly executor: string;
  /** performance.now() at the scenario start. */
  readonly startPerfMs: number;
  /** Tags every sample of the scenario carries: options.tags, scenario tags, scenario=name (stage=N when ramping). */
  tags: TagSet;
  /** __ENV for this scenario's VUs: global env plus the scenario's env. */
  readonly env: Record<string, string>;
  /** Fraction of the scenario done, 0..1. */
  progress(): number;
}

/**
 * A virtual user: identity, counters for __VU/__ITER/exec.vu, its HTTP connections, and the means to
 * interrupt its current iteration. Cheap: no timers or connections until used.
 */
export class VU {
  /** Test-wide id, 1-based (__VU, exec.vu.idInTest). */
  readonly idInTest: number;
  /** Id within this instance (process), 1-based (exec.vu.idInInstance). */
  readonly idInInstance: number;
  /** __ITER: iterations this VU started in its scenario, 0-based for the running one. */
  iteration = -1;
  /** exec.scenario.iterationInTest of the running iteration (test-wide, unique per scenario). */
  iterationInTest = -1;
  scenario: ScenarioInfo;
  /** exec.vu.tags / exec.vu.metrics.tags: tags the script sets on this VU. */
  readonly userTags: Record<string, string> = {};
  /** Set while the current iteration must stop; API calls throw IterationInterrupted. */
  interrupted = false;
  /**
   * This VU's own copy of setup()'s data (as in k6, a VU that changes it changes only its copy),
   * made on its first iteration.
   */
  setupData: unknown = NOT_COPIED;
  /** Timers (setTimeout/setInterval) of the running iteration; created by the VU's first timer. */
  timers: VuTimers | undefined;
  #http: VuHttp | undefined;
  readonly #makeHttp: () => VuHttp;
  #sleepTimer: NodeJS.Timeout | undefined;
  #sleepReject: ((e: Error) => void) | undefined;
  /** Ends guard()'s wait early; set while the VU code it waits for is pending. */
  #abandon: ((e: unknown) => void) | undefined;

  constructor(idInTest: number, idInInstance: number, scenario: ScenarioInfo, makeHttp: () => VuHttp) {
    this.idInTest = idInTest;
    this.idInInstance = idInInstance;
    this.scenario = scenario;
    this.#makeHttp = makeHttp;
  }

  /** This VU's HTTP client (created on first use). */
  get http(): VuHttp {
    if (this.#http === undefined) this.#http = this.#makeHttp();
    return this.#http;
  }

  /** Sleeps `ms`; rejects with IterationInterrupted if the iteration is interrupted meanwhile. */
  sleep(ms: number): Promise<void> {
    if (this.interrupted) return Promise.reject(new IterationInterrupted());
    return new Promise<void>((resolve, reject) => {
      this.#sleepReject = reject;
      this.#sleepTimer = setTimeout(() => {
        this.#sleepTimer = undefined;
        this.#sleepReject = undefined;
        resolve();
      }, ms);
    });
  }

  /**
   * Waits for `body`, what the VU code now running returned (an iteration, setup(), teardown()),
   * unless abandon() ends the wait first. A synchronous result, or any result of a script that
   * cannot start timers, is returned as is.
   */
  guard(body: unknown): unknown {
    if (!timersInUse || body === null || typeof body !== 'object' || typeof (body as PromiseLike<unknown>).then !== 'function') return body;
    return new Promise((resolve, reject) => {
      this.#abandon = reject;
      const settled = () => {
        if (this.#abandon === reject) this.#abandon = undefined;
      };
      (body as PromiseLike<unknown>).then(
        (v) => (settled(), resolve(v)),
        (e: unknown) => (settled(), reject(e)),
      );
    });
  }

  /**
   * A timer callback of the running VU code failed: its wait in guard() ends with `error` (k6's
   * event loop ends the iteration at a callback's exception, whatever its function still awaits,
   * often the very timers that the failure cleared), and a sleep or requests it has in flight end.
   * Returns false when no VU code is pending (its timers are being waited for: drain() rejects).
   */
  abandon(error: unknown): boolean {
    const reject = this.#abandon;
    if (reject === undefined) return false;
    this.#abandon = undefined;
    this.#wake();
    reject(error);
    return true;
  }

  /** Stops the current iteration: wakes a sleep and aborts in-flight requests. */
  interrupt(): void {
    this.interrupted = true;
    this.timers?.cancel(new IterationInterrupted());
    this.#wake();
  }

  /** Ends a pending sleep (with IterationInterrupted) and the requests in flight. */
  #wake(): void {
    if (this.#sleepTimer !== undefined) {
      clearTimeout(this.#sleepTimer);
      this.#sleepTimer = undefined;
      this.#sleepReject?.(new IterationInterrupted());
      this.#sleepReject = undefined;
    }
    if (this.#http !== undefined) void this.#http.close().catch(() => {});
    this.#http = undefined;
  }

  /** Closes this VU's connections (end of test). */
  async close(): Promise<void> {
    const http = this.#http;
    this.#http = undefined;
    if (http !== undefined) await http.close().catch(() => {});
  }
}
