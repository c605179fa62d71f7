import { LoadtsError } from '../errors.js';
import { testDurationMs } from '../execution/plan.js';
import type { WorkerMessage, WorkerResult } from './protocol.js';
import type { RunContext } from './run-context.js';
import type { RunState } from './run-end.js';
import { WorkerFault, type TaskChannel } from './task-channel.js';
import { whereStuck } from './where-stuck.js';

/**
 * How long past the test's scheduled end (its scenarios' durations and gracefulStop) a worker may
 * take before it is terminated: the worker's own 2 s to unwind interrupted iterations, and margin.
 */
export const END_GRACE_MS = 5000;
/** How long after a stop (Ctrl-C, abortOnFail, exec.test.abort()) a worker may take to end. */
export const STOP_GRACE_MS = 5000;

/** How long a stuck worker's last report (sent while paused by the inspector) may take to arrive. */
const FLUSH_WAIT_MS = 500;

/** A running worker silent this long is warned about (it reports five times a second). */
export const SILENT_WARN_MS = 5000;

/** What the load phase does with each worker's reports. */
export interface LoadWorkerHooks {
  /** A worker sent its counters (and perhaps metrics). */
  onStatus(index: number): void;
}

/**
 * The worker threads of the load, one run task each: their messages merged into the collector as
 * they come, and a deadline, so a worker that is stuck (VU code that never returns control) or
 * gone (process.exit() in the script, out of memory, a crash) never holds the run hostage. A lost
 * worker is named in one line with its scenarios, and the rest of the test is stopped: what every
 * worker reported until then is kept.
 */
export class LoadWorkers {
  readonly count: number;
  readonly #ctx: RunContext;
  readonly #channels: TaskChannel[] = [];
  readonly #ready: Array<Promise<void>> = [];
  readonly #finished: Array<Promise<void>> = [];
  readonly #pending = new Set<number>();
  readonly #lastReportPerf: number[] = [];
  /** When each worker last sent anything (statuses come five times a second). */
  readonly #lastHeardPerf: number[] = [];
  readonly #warnedSilent = new Set<number>();
  #deadlineAt = Infinity;
  #deadlineTimer: NodeJS.Timeout | undefined;

  constructor(ctx: RunContext, setupData: unknown, hooks: LoadWorkerHooks) {
    this.#ctx = ctx;
    const { test } = ctx;
    this.count = test.workers;
    for (let i = 0; i < this.count; i++) {
      let onReady!: () => void;
      this.#ready.push(new Promise<void>((r) => (onReady = r)));
      const task = { ...test.base, kind: 'run' as const, options: test.options, workerIndex: i, workers: this.count, vuIdOffsets: test.vuIdOffsets, setupData, seriesIntervalMs: ctx.collector.series.baseIntervalMs };
      const channel = test.start(task, (m) => this.#onMessage(i, m, hooks, onReady));
      this.#channels.push(channel);
      this.#pending.add(i);
      this.#lastReportPerf.push(performance.now());
      this.#lastHeardPerf.push(performance.now());
      this.#finished.push(
        channel.result.then(
          (r) => this.#onResult(i, r),
          (e: unknown) => this.#onLost(i, e),
        ).finally(() => {
          this.#pending.delete(i);
          onReady();
        }),
      );
    }
  }

  /** Resolves once every worker is warmed up and waits for the start (or is gone). */
  whenReady(): Promise<void> {
    return Promise.all(this.#ready).then(() => undefined);
  }

  /** Starts the scenarios at `atEpochMs`; a worker not done by the scheduled end plus END_GRACE_MS is terminated. */
  go(atEpochMs: number): void {
    for (const c of this.#channels) c.post({ kind: 'start', atEpochMs });
    for (const control of this.#ctx.controls.values()) this.broadcast(control); // REST API changes made before the start
    const endPerf = atEpochMs - performance.timeOrigin + testDurationMs(this.#ctx.test.processPlans);
    this.#armDeadline(endPerf + END_GRACE_MS, `by the test's scheduled end plus gracefulStop and ${END_GRACE_MS / 1000} s`);
  }

  /** Stops every worker now; one not done within STOP_GRACE_MS is terminated. */
  stop(): void {
    for (const c of this.#channels) c.post({ kind: 'stop' });
    this.#armDeadline(performance.now() + STOP_GRACE_MS, `within ${STOP_GRACE_MS / 1000} s of the stop`);
  }

  /** Sends worker `index` a message (exec.instance counters, externally-controlled changes). */
  post(index: number, m: Parameters<TaskChannel['post']>[0]): void {
    this.#channels[index]?.post(m);
  }

  /** Sends every worker a message. */
  broadcast(m: Parameters<TaskChannel['post']>[0]): void {
    for (const c of this.#channels) c.post(m);
  }

  /** Worker `index`'s Linux thread id, once known (for its CPU time). */
  tid(index: number): number | undefined {
    return this.#channels[index]?.tid;
  }

  /** How many workers have finished (or are gone). */
  get finishedCount(): number {
    return this.count - this.#pending.size;
  }

  /** Resolves when every worker has finished or is gone. */
  async done(): Promise<void> {
    await Promise.all(this.#finished);
    clearTimeout(this.#deadlineTimer);
  }

  /**
   * Warns once about a running worker that has not reported for SILENT_WARN_MS: its event loop is
   * blocked (VU code that never yields), so it cannot be stopped until its deadline terminates it.
   */
  async checkSilence(): Promise<void> {
    const now = performance.now();
    const silent = [...this.#pending].filter((i) => !this.#warnedSilent.has(i) && now - this.#lastHeardPerf[i]! > SILENT_WARN_MS);
    if (silent.length === 0) return;
    for (const i of silent) this.#warnedSilent.add(i);
    const places = await whereStuck(silent.flatMap((i) => this.#channels[i]!.threadId ?? []), this.#ctx.test.base.bundleUrl);
    for (const i of silent) {
      const at = places.get(this.#channels[i]!.threadId ?? -1);
      this.#ctx.say(
        `warning: ${at === undefined ? '' : `${at}: `}worker ${i + 1} of ${this.count}${this.#scenariosOf(i)} has not reported for ${SILENT_WARN_MS / 1000} s: VU code blocks its event loop (a synchronous loop?); it cannot stop until its deadline, when it is terminated`,
      );
    }
  }

  #onMessage(i: number, m: WorkerMessage, hooks: LoadWorkerHooks, onReady: () => void): void {
    const { collector } = this.#ctx;
    this.#lastHeardPerf[i] = performance.now();
    switch (m.kind) {
      case 'ready':
        return onReady();
      case 'status':
        collector.setStatus(i, m.status);
        return hooks.onStatus(i);
      case 'metrics':
      case 'exit':
        this.#lastReportPerf[i] = performance.now();
        collector.merge(m.snapshot, m.kind === 'metrics' ? m.atMs : undefined);
        if (m.status !== undefined) collector.setStatus(i, m.status, true);
        return m.kind === 'metrics' ? hooks.onStatus(i) : undefined;
      case 'abort':
        this.#ctx.say(`test aborted by the script: ${m.reason}`);
        return this.#ctx.stop('script-aborted', m.reason);
      case 'samples':
        return this.#ctx.samples.receive(this.#channels[i]!, m);
      case 'result':
        return; // the channel resolves its result with it
    }
  }

  #onResult(i: number, r: WorkerResult): void {
    if (r.kind !== 'run') throw new LoadtsError('ENGINE', `worker ${i + 1}: the run task returned a ${r.kind} result`);
    this.#ctx.collector.merge(r.snapshot);
    this.#ctx.collector.setStatus(i, r.status, true);
  }

  #onLost(i: number, e: unknown): void {
    if (e instanceof WorkerFault && e.kind === 'terminated') return; // the deadline reported it
    if (!(e instanceof WorkerFault && e.kind === 'exited')) this.#ctx.collector.markLost(i); // an exit reported first
    const { error, state } = this.#describeLoss(i, e);
    this.#ctx.fail(error, state);
  }

  #describeLoss(i: number, e: unknown): { error: LoadtsError; state: RunState } {
    const { test, req } = this.#ctx;
    const who = `worker ${i + 1} of ${this.count}${this.#scenariosOf(i)}`;
    const kind = e instanceof WorkerFault ? e.kind : 'crashed';
    if (kind === 'exited') {
      const exit = (e as WorkerFault).exit;
      const at = exit?.where ?? req.scriptPath;
      const scenario = exit?.scenario ? `scenario ${exit.scenario}, ` : '';
      return {
        error: new LoadtsError('SCRIPT_EXIT', `${at}: the script called process.exit(${exit?.code ?? 0}) (${scenario}worker ${i + 1} of ${this.count}): a script cannot end the process; to stop a test early, call exec.test.abort(). The test was stopped`),
        state: 'script-exited',
      };
    }
    // A thread that dies without warning could not send what it measured since its last report.
    const lost = `what it measured after its last report, ${((performance.now() - this.#lastReportPerf[i]!) / 1000).toFixed(1)} s before, is lost`;
    if (kind === 'out-of-memory') {
      return {
        error: new LoadtsError('OUT_OF_MEMORY', `${who} ran out of memory: its heap limit is ${test.workerHeapMb} MiB; raise it with --worker-heap, or keep less data per VU (discardResponseBodies for large responses). The test was stopped; ${lost}`),
        state: 'out-of-memory',
      };
    }
    const message = e instanceof Error ? e.message : String(e);
    return { error: new LoadtsError('ENGINE', `${who} failed inside loadts: ${message}. The test was stopped; ${lost}`), state: 'worker-crashed' };
  }

  /** Resolves once each of `workers` has reported since `sincePerf`, or after `maxMs`. */
  async #reportsSince(workers: readonly number[], sincePerf: number, maxMs: number): Promise<void> {
    const until = performance.now() + maxMs;
    while (performance.now() < until && workers.some((i) => this.#pending.has(i) && this.#lastReportPerf[i]! < sincePerf)) {
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** ' (scenario a, b)': the scenarios worker `i` had not finished, as its last status said. */
  #scenariosOf(i: number): string {
    const open = this.#ctx.collector.status(i)?.scenarios.filter((s) => !s.done).map((s) => s.name) ?? [];
    return open.length === 0 ? '' : ` (scenario ${open.join(', ')})`;
  }

  #armDeadline(atPerf: number, why: string): void {
    if (atPerf >= this.#deadlineAt || this.#pending.size === 0) return;
    this.#deadlineAt = atPerf;
    clearTimeout(this.#deadlineTimer);
    this.#deadlineTimer = setTimeout(() => void this.#onDeadline(why), Math.max(0, atPerf - performance.now()));
  }

  async #onDeadline(why: string): Promise<void> {
    const stuck = [...this.#pending];
    const threads = stuck.map((i) => this.#channels[i]!.threadId).filter((t): t is number => t !== undefined);
    const flushAt = performance.now();
    const silentS = stuck.map((i) => ((flushAt - (this.#lastReportPerf[i] ?? 0)) / 1000).toFixed(1));
    const places = await whereStuck(threads, this.#ctx.test.base.bundleUrl, { flush: true });
    await this.#reportsSince(stuck, flushAt, FLUSH_WAIT_MS);
    for (const [k, i] of stuck.entries()) {
      if (!this.#pending.has(i)) continue; // it finished while we looked
      const channel = this.#channels[i]!;
      const at = channel.threadId === undefined ? undefined : places.get(channel.threadId);
      const flushed = this.#lastReportPerf[i]! >= flushAt;
      const lost = flushed ? 'what it measured was sent first, nothing is lost' : `what it measured after its last report, ${silentS[k]} s before, is lost`;
      this.#ctx.fail(
        new LoadtsError(
          'WORKER_STUCK',
          `${at === undefined ? '' : `${at}: `}worker ${i + 1} of ${this.count}${this.#scenariosOf(i)} did not finish ${why}: its VU code never returned control (a synchronous loop?). The worker was stopped; ${lost}`,
        ),
        'worker-stuck',
      );
      channel.terminate();
    }
  }
}
