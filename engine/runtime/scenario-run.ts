import type { ScenarioPlan } from '../execution/plan.js';
import type { SegmentChain } from '../execution/segment.js';
import type { ResolvedScenario } from '../options/types.js';
import type { TagSet } from '../metrics/tags.js';
import type { VuHttp } from '../protocols/http/client.js';
import { vuStorage, type WorkerRuntime } from './context.js';
import type { RateLimitedLog } from './log.js';
import { describeFailure } from './iteration-error.js';
import { IterationInterrupted, NOT_COPIED, VU, type ScenarioInfo } from './vu.js';
import type { ExternalControl } from './executors/externally-controlled.js';

/** Everything a scenario needs in one worker. */
export interface ScenarioRunDeps {
  readonly rt: WorkerRuntime;
  readonly scenario: ResolvedScenario;
  /** This worker's plan (its share of the scenario). */
  readonly plan: ScenarioPlan;
  readonly seg: SegmentChain;
  /** The iteration function (the export named by `exec`). */
  readonly fn: (data: unknown) => unknown;
  readonly data: unknown;
  /** Added to VU numbers so ids are unique across scenarios (sum of earlier scenarios' max VUs). */
  readonly vuIdOffset: number;
  /** Tags of every sample of this scenario (options.tags, scenario tags, scenario, group ''). */
  readonly tags: TagSet;
  readonly env: Record<string, string>;
  readonly log: RateLimitedLog;
  readonly scriptFile: string;
  readonly makeHttp: () => VuHttp;
}

/** How an iteration ended. */
export type Outcome = 'complete' | 'interrupted' | 'failed';

/**
 * The executor-independent part of running a scenario in one worker: VU creation, running one
 * iteration with its metrics, and ending on time (scheduled end → gracefulStop → interrupt).
 * Executors decide only when which VU starts an iteration.
 */
export class ScenarioRun {
  readonly deps: ScenarioRunDeps;
  readonly info: ScenarioInfo;
  /** performance.now() at which the scenario starts. */
  readonly startPerfMs: number;
  /** Scheduled end (no new iterations after it). */
  readonly endPerfMs: number;
  /** Once true, no new iteration starts (open-model iterations already due before the end still do). */
  stopping = false;
  /** Stopped before its scheduled end (Ctrl-C, abortOnFail, exec.test.abort()): nothing more starts. */
  halted = false;
  readonly vus: VU[] = [];
  /** Index of the stage the scenario is in (ramping executors; 0 otherwise). */
  stage = 0;
  /** The most VUs active at once in each stage, exact (not sampled): the per-stage table's VUs. */
  readonly stageMaxVUs: number[] = [];
  #active = 0;
  /** Iterations running now. */
  running = 0;
  complete = 0;
  interrupted = 0;
  failed = 0;
  dropped = 0;
  /** Set by executors that accept live control (externally-controlled). */
  onControl: ((c: ExternalControl) => void) | undefined;
  readonly #runningVUs = new Set<VU>();
  #stopWaiters: Array<() => void> = [];
  #stopHooks: Array<() => void> = [];
  #progress: () => number = () => 0;
  #onHalt!: () => void;
  /** Resolves when the scenario is stopped before its end. */
  readonly #halt = new Promise<void>((resolve) => (this.#onHalt = resolve));

  constructor(deps: ScenarioRunDeps, startPerfMs: number) {
    this.deps = deps;
    this.startPerfMs = startPerfMs;
    this.endPerfMs = startPerfMs + deps.plan.durationMs;
    this.info = {
      name: deps.scenario.name,
      executor: deps.scenario.executor,
      startPerfMs,
      tags: deps.tags,
      env: deps.env,
      progress: () => this.#progress(),
    };
  }

  /** VUs currently counted as active (k6's `vus`). */
  get active(): number {
    return this.#active;
  }

  set active(n: number) {
    this.#active = n;
    if (n > (this.stageMaxVUs[this.stage] ?? 0)) this.stageMaxVUs[this.stage] = n;
  }

  /**
   * Moves the scenario into stage `index`: its samples get the tag stage=index (k6-utils'
   * tagWithCurrentStageIndex) on top of `baseTags`, and the stage's VU count starts at the VUs
   * active now.
   */
  enterStage(index: number, baseTags: TagSet): void {
    this.stage = index;
    this.info.tags = baseTags.with('stage', String(index));
    if (this.#active > (this.stageMaxVUs[index] ?? 0)) this.stageMaxVUs[index] = this.#active;
    else this.stageMaxVUs[index] ??= 0;
  }

  /** Sets how the executor reports progress (0..1). */
  setProgress(fn: () => number): void {
    this.#progress = fn;
  }

  /** Fraction of scheduled time elapsed. */
  timeProgress(): number {
    const d = this.deps.plan.durationMs;
    if (d <= 0) return 1;
    return Math.min(Math.max((performance.now() - this.startPerfMs) / d, 0), 1);
  }

  /** Creates this worker's `local`-th VU of the scenario. */
  newVU(local: number): VU {
    const { seg, vuIdOffset, makeHttp } = this.deps;
    const vu = new VU(vuIdOffset + seg.globalIndex(local) + 1, vuIdOffset + seg.instanceIndex(local) + 1, this.info, makeHttp);
    this.vus.push(vu);
    return vu;
  }

  /**
   * Runs one iteration on `vu` and records `iterations` and `iteration_duration` (and, for the open
   * model, `iteration_duration_corrected` from `scheduledPerfMs`).
   */
  async iterate(vu: VU, iterationInTest: number, scheduledPerfMs?: number): Promise<Outcome> {
    const { rt, fn, data, log } = this.deps;
    vu.iteration++;
    vu.iterationInTest = iterationInTest;
    vu.interrupted = false;
    this.running++;
    this.#runningVUs.add(vu);
    const tags = this.info.tags;
    const t0 = performance.now();
    let outcome: Outcome = 'complete';
    try {
      if (vu.setupData === NOT_COPIED) vu.setupData = data === undefined ? undefined : structuredClone(data);
      // guard(): a timer callback that throws ends the iteration even while its function awaits
      await vu.guard(vuStorage.run({ vu, tags, groupPath: '' }, fn, vu.setupData));
      // k6's event loop: the iteration ends once the timers it started are done (see vu-timers.ts);
      // inlined rather than runVuCode(), so an iteration that starts none pays one property read
      const timers = vu.timers;
      if (timers !== undefined && timers.pending > 0) await timers.drain();
    } catch (e) {
      vu.timers?.cancel(e);
      if (vu.interrupted || e instanceof IterationInterrupted) outcome = 'interrupted';
      else {
        outcome = 'failed';
        const f = describeFailure(e, vu, this.deps.scriptFile);
        log.error(f.key, f.message, { executor: this.info.executor, scenario: this.info.name, source: 'stacktrace', vu: String(vu.idInTest), iter: String(vu.iteration) });
      }
    }
    this.running--;
    this.#runningVUs.delete(vu);
    if (outcome === 'interrupted') {
      this.interrupted++;
      return outcome;
    }
    const end = performance.now();
    rt.registry.add(rt.metrics.iterations, tags, 1);
    rt.registry.add(rt.metrics.iteration_duration, tags, end - t0);
    if (scheduledPerfMs !== undefined) rt.registry.add(rt.loadtsMetrics.iteration_duration_corrected, tags, end - scheduledPerfMs);
    if (outcome === 'failed') {
      this.failed++;
      rt.registry.add(rt.loadtsMetrics.iteration_errors, tags, 1);
    } else this.complete++;
    return outcome;
  }

  /** Records an iteration the executor could not start (no free VU). */
  drop(): void {
    this.dropped++;
    this.deps.rt.registry.add(this.deps.rt.metrics.dropped_iterations, this.info.tags, 1);
  }

  /**
   * Resolves at `perfMs` (never before: timers may fire early against performance.now(), so it
   * re-arms), or earlier when the scenario is stopped. Returns false if stopped.
   */
  waitUntil(perfMs: number): Promise<boolean> {
    if (this.stopping) return Promise.resolve(false);
    if (perfMs - performance.now() <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout;
      const onStop = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const arm = () => {
        const ms = perfMs - performance.now();
        if (ms > 0) {
          timer = setTimeout(arm, Math.max(ms, 1));
          return;
        }
        this.#stopWaiters = this.#stopWaiters.filter((w) => w !== onStop);
        resolve(!this.stopping);
      };
      this.#stopWaiters.push(onStop);
      arm();
    });
  }

  /** Calls `fn` once when the scenario starts stopping (scheduled end, or a stop). */
  onStopping(fn: () => void): void {
    if (this.stopping) fn();
    else this.#stopHooks.push(fn);
  }

  /**
   * Waits for the executor's `work` to end, at most until the scheduled end plus gracefulStop;
   * then interrupts iterations still running and waits briefly for them to unwind.
   */
  async finish(work: Promise<unknown>, scheduledEndPerfMs = this.endPerfMs): Promise<void> {
    let done = false;
    const settled = work.then(
      () => {
        done = true;
      },
      () => {
        done = true;
      },
    );
    await Promise.race([settled, this.waitUntil(scheduledEndPerfMs)]);
    this.#markStopping();
    // gracefulStop lets iterations finish at the scheduled end; a stop (Ctrl-C, abort) interrupts at once, as in k6
    if (!done && !this.halted) {
      await Promise.race([settled, this.#halt, this.#sleepUnstoppable(scheduledEndPerfMs + this.deps.plan.gracefulStopMs - performance.now())]);
    }
    if (!done) {
      this.interruptAll();
      await Promise.race([settled, this.#sleepUnstoppable(2000)]);
      // Whatever is still running ignores interruption (e.g. awaits a promise that never settles): count it.
      this.interrupted += this.#runningVUs.size;
      this.#runningVUs.clear();
    }
    await Promise.all(this.vus.map((vu) => vu.close()));
  }

  /** Interrupts every running iteration now. */
  interruptAll(): void {
    for (const vu of this.#runningVUs) vu.interrupt();
  }

  /** Stops the scenario now (Ctrl-C, abortOnFail, exec.test.abort()): no new iterations, running ones interrupted. */
  stopNow(): void {
    this.halted = true;
    this.#onHalt();
    this.#markStopping();
    this.interruptAll();
  }

  #markStopping(): void {
    if (this.stopping) return;
    this.stopping = true;
    const waiters = this.#stopWaiters;
    this.#stopWaiters = [];
    for (const w of waiters) w();
    const hooks = this.#stopHooks;
    this.#stopHooks = [];
    for (const h of hooks) h();
  }

  #sleepUnstoppable(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(ms, 0)));
  }
}

/**
 * Yields to the event loop when the caller has run for a while without doing so, so a VU whose
 * iterations never wait (no requests, no sleep) cannot starve timers and other VUs.
 */
export class Yielder {
  #last = performance.now();
  maybeYield(): Promise<void> | undefined {
    const now = performance.now();
    if (now - this.#last < 5) return undefined;
    this.#last = now;
    return new Promise((resolve) => setImmediate(resolve));
  }
}
