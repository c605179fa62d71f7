import { registry } from './worker-runtime.js';
import type { ScenarioRun } from './scenario-run.js';
import type { WorkerMessage, WorkerStatus, WorkerTask } from './protocol.js';
import { FLUSH_GLOBAL } from './where-stuck.js';
import { recordInFlight } from '../protocols/http/in-flight.js';

/** How often a worker sends its counters. */
const STATUS_EVERY_MS = 200;

/** Calls `fn(boundaryMs)` at each boundary originMs + k × intervalMs (wall clock), until stopped. */
class AlignedTimer {
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #last = -Infinity;
  constructor(
    private readonly originMs: number,
    private readonly intervalMs: number,
    private readonly fn: (boundaryMs: number) => void,
  ) {
    this.#arm();
  }

  #arm(): void {
    if (this.#stopped) return;
    const now = performance.timeOrigin + performance.now();
    let boundary = this.originMs + Math.floor((now - this.originMs) / this.intervalMs + 1) * this.intervalMs;
    if (boundary <= this.#last) boundary = this.#last + this.intervalMs; // a timer may fire a little early
    this.#timer = setTimeout(() => {
      this.#last = boundary;
      this.fn(boundary);
      this.#arm();
    }, boundary - now);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }
}

/**
 * The counters of a worker about to end (stuck and paused, or process.exit()): its requests on the
 * wire recorded as failed (recordInFlight), and its running iterations counted as interrupted.
 */
export function finalStatus(runs: readonly ScenarioRun[], status: () => WorkerStatus): WorkerStatus {
  recordInFlight();
  const s = status();
  for (const r of runs) s.interrupted += r.running;
  return s;
}

/**
 * A run task's reports to the coordinator: its counters five times a second (the first as soon as
 * the executors have started their VUs, so short runs report VUs too); its metrics (and raw samples)
 * at each boundary of the time series' intervals, so each report falls in one interval, and with
 * every status once a scenario is stopping, so a worker stuck past its deadline loses little; and
 * FLUSH_GLOBAL, through which a stuck worker, paused by the coordinator's inspector before it is
 * terminated, reports what it measured (where-stuck.ts), its running iterations as interrupted.
 * Returns the function that stops them.
 */
export function startReports(task: Extract<WorkerTask, { kind: 'run' }>, runs: readonly ScenarioRun[], status: () => WorkerStatus, stopRequested: () => boolean): () => void {
  const post = (m: WorkerMessage) => task.port.postMessage(m);
  setImmediate(() => post({ kind: 'status', status: status() }));
  const report = (atMs: number, s = status()) => {
    registry.tap?.flush();
    post({ kind: 'metrics', snapshot: registry.takeSnapshot(), status: s, atMs });
  };
  (globalThis as Record<string, unknown>)[FLUSH_GLOBAL] = () => report(performance.timeOrigin + performance.now(), finalStatus(runs, status));
  const metrics = new AlignedTimer(task.runStartedAtEpochMs, task.seriesIntervalMs, report);
  const timer = setInterval(() => {
    const ending = stopRequested() || runs.some((r) => r.stopping);
    if (ending) report(performance.timeOrigin + performance.now());
    else post({ kind: 'status', status: status() });
  }, STATUS_EVERY_MS);
  return () => {
    clearInterval(timer);
    metrics.stop();
    delete (globalThis as Record<string, unknown>)[FLUSH_GLOBAL];
  };
}
