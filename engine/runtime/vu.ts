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

  /** Stops the current iteration: wakes a sleep and aborts in-flight requests. */
  interrupt(): void {
    this.interrupted = true;
    this.timers?.cancel(new IterationInterrupted());
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
