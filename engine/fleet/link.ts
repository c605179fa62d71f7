import { LoadtsError } from '../errors.js';
import { trace } from '../trace.js';
import { formatDuration } from '../options/duration.js';
import type { TimeInterval } from '../metrics/time-series.js';
import type { Output, OutputType, RunEnd } from '../output/outputs/index.js';
import type { RunContext } from '../runtime/run-context.js';
import type { StopState } from '../runtime/run-end.js';
import { errorOf, type FleetClient } from './client.js';
import { FLEET_PATHS, REPORT_EVERY_MS, WAIT_POLL_MS, type InstancePhase, type JoinResponse, type Report, type ReportReply } from './protocol.js';

/** How long the last report (at the end of the run) may keep trying to reach the coordinator. */
const LAST_REPORT_MS = 5000;
const STOP_STATES: readonly string[] = ['interrupted', 'script-aborted', 'thresholds-aborted'];

/**
 * An instance's link to its coordinator. It is an output of the instance's run (each closed
 * interval of its time series is queued and sent, exactly once, with its counters) and the way
 * the coordinator steers it: every reply may carry setup()'s data, the start time or a stop.
 * Without an answer for `lostAfterMs` the coordinator is lost: the instance stops, and its own
 * record keeps its part of the run.
 */
export class InstanceLink implements Output {
  readonly description: string;
  readonly #queue: TimeInterval[] = [];
  #sentSeq = 0;
  #ctx: RunContext | undefined;
  #phase: InstancePhase = 'joined';
  /** A stop or loss heard before the run was attached, applied when it is. */
  #early: { stop?: { state: StopState; message: string }; lost?: string } = {};
  #lastAnswerPerf = performance.now();
  #setup: { data: unknown } | undefined;
  #startAtMs: number | undefined;
  #stopReported = false;
  #stoppedByCoordinator = false;
  #gone: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;
  /** Reports go one at a time (each takes what is queued; a resend must not overtake). */
  #chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: FleetClient,
    private readonly join: JoinResponse,
  ) {
    this.description = `fleet link (${client.url})`;
  }

  async start(): Promise<void> {}

  addInterval(interval: TimeInterval): void {
    this.#queue.push(interval);
  }

  /** Reports from the join on, so that a slow preparation (the init context, threads) never reads as silence. */
  heartbeat(): void {
    this.#schedule(0);
  }

  /** Reports for the run `ctx` from now on (its 'started' phase): the test is prepared. */
  attach(ctx: RunContext): void {
    this.#ctx = ctx;
    this.#phase = 'prepared';
    if (this.#early.lost !== undefined) this.#lose(ctx, this.#early.lost, true);
    else if (this.#early.stop !== undefined) this.#obey(ctx, { stop: this.#early.stop });
    this.#schedule(0);
  }

  /** Resolves with setup()'s data once the coordinator ran it; {ok: false} when the run stops first. */
  async waitForSetup(): Promise<{ ok: boolean; data: unknown }> {
    await this.#until(() => this.#setup !== undefined);
    return this.#setup === undefined ? { ok: false, data: undefined } : { ok: true, data: this.#setup.data };
  }

  /** Says this instance is ready and resolves with the fleet's start time; rejects when the run stops first. */
  async startTime(): Promise<number> {
    this.#phase = 'ready';
    this.#schedule(0);
    await this.#until(() => this.#startAtMs !== undefined);
    if (this.#startAtMs === undefined) throw new Error('stopped before the start');
    this.#phase = 'running';
    return this.#startAtMs;
  }

  /** The last report: what remains of the series, the final counters and how the run ended. */
  async stop(end: RunEnd): Promise<void> {
    clearTimeout(this.#timer);
    await this.#inFlight;
    if (this.#gone !== undefined) return;
    this.#phase = 'done';
    const rec = end.record;
    const extra = { durationMs: rec.durationMs, exitCode: rec.end.exitCode, errors: rec.end.errors, warnings: rec.end.warnings };
    const until = performance.now() + LAST_REPORT_MS;
    while (performance.now() < until) {
      if (await this.#send(extra, true)) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`the coordinator did not take this instance's last report; its record holds its part of the run`);
  }

  async #until(cond: () => boolean): Promise<void> {
    while (!cond() && this.#ctx?.end.stopped !== true && this.#gone === undefined) await new Promise((r) => setTimeout(r, WAIT_POLL_MS / 2));
  }

  #schedule(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#inFlight = this.#tick();
    }, ms);
  }

  async #tick(): Promise<void> {
    await this.#send({}, false);
    if (this.#gone !== undefined || this.#early.lost !== undefined || this.#phase === 'done') return;
    this.#schedule(this.#phase === 'running' ? REPORT_EVERY_MS : WAIT_POLL_MS);
  }

  /** Sends one report, after any other; true when the coordinator took it. */
  #send(extra: Partial<Report>, last: boolean): Promise<boolean> {
    const next = this.#chain.then(() => this.#sendNow(extra, last));
    this.#chain = next.catch(() => {});
    return next;
  }

  async #sendNow(extra: Partial<Report>, last: boolean): Promise<boolean> {
    const ctx = this.#ctx;
    if (ctx === undefined) return this.#beat();
    const intervals = [...this.#queue];
    const report: Report = {
      index: this.join.index,
      session: this.join.session,
      phase: this.#phase,
      status: ctx.collector.totals(),
      mergedStatus: ctx.collector.totals('merged'),
      intervals,
      firstSeq: this.#sentSeq,
      closedBeforeMs: last ? Number.MAX_SAFE_INTEGER : ctx.collector.series.closedBeforeMs,
      metricDefs: ctx.collector.series.defs(),
      workers: ctx.test.workers,
      ...this.#ownStop(ctx),
      ...extra,
    };
    trace(`fleet: report ${report.phase}, ${intervals.length} intervals`);
    const reply = await this.client.post<ReportReply>(FLEET_PATHS.report, report);
    trace(`fleet: reply ${reply.status}${reply.failure === undefined ? '' : ` (${reply.failure})`}`);
    if (reply.status === 200) {
      this.#queue.splice(0, intervals.length);
      this.#sentSeq += intervals.length;
      this.#lastAnswerPerf = performance.now();
      this.#obey(ctx, reply.body as ReportReply);
      return true;
    }
    if (reply.status === 401 || reply.status === 410) this.#lose(ctx, `the fleet coordinator refused this instance: ${errorOf(reply)}`);
    else if (performance.now() - this.#lastAnswerPerf > this.join.lostAfterMs) {
      this.#lose(ctx, `the fleet coordinator at ${this.client.url} has not answered for ${formatDuration(this.join.lostAfterMs)} (${errorOf(reply)}): this instance stopped; its record holds its part of the run (loadts merge recovers the run from the instances' records)`);
    }
    return false;
  }

  /** A report while the test is being prepared here (no run yet): only that this instance is alive. */
  async #beat(): Promise<boolean> {
    const reply = await this.client.post<ReportReply>(FLEET_PATHS.report, { index: this.join.index, session: this.join.session, phase: 'joined', intervals: [], firstSeq: 0, closedBeforeMs: 0 } satisfies Report);
    if (reply.status === 200) {
      this.#lastAnswerPerf = performance.now();
      const stop = (reply.body as ReportReply).stop;
      if (stop !== undefined) this.#early.stop ??= stop;
      return true;
    }
    if (reply.status === 401 || reply.status === 410) this.#early.lost ??= `the fleet coordinator refused this instance: ${errorOf(reply)}`;
    else if (performance.now() - this.#lastAnswerPerf > this.join.lostAfterMs) this.#early.lost ??= `the fleet coordinator at ${this.client.url} has not answered for ${formatDuration(this.join.lostAfterMs)} (${errorOf(reply)})`;
    return false;
  }

  /** This instance's own stop (Ctrl-C, exec.test.abort()), told once so that the fleet follows. */
  #ownStop(ctx: RunContext): Pick<Report, 'stopped'> {
    if (this.#stopReported || this.#stoppedByCoordinator || !ctx.end.stopped || !STOP_STATES.includes(ctx.end.state)) return {};
    this.#stopReported = true;
    return { stopped: { state: ctx.end.state as StopState, message: `instance ${this.join.index + 1}: ${ctx.end.stopMessage ?? ctx.end.state}` } };
  }

  #obey(ctx: RunContext, reply: ReportReply): void {
    if (reply.setup !== undefined) this.#setup ??= reply.setup;
    if (reply.startAtMs !== undefined) this.#startAtMs ??= reply.startAtMs;
    if (reply.stop !== undefined && !ctx.end.stopped) {
      this.#stoppedByCoordinator = true;
      ctx.say(`the fleet coordinator stopped the test: ${reply.stop.message}`);
      ctx.stop(reply.stop.state, `stopped by the fleet coordinator: ${reply.stop.message}`);
    }
  }

  #lose(ctx: RunContext, message: string, beforeStart = false): void {
    if (this.#gone !== undefined) return;
    this.#gone = message;
    ctx.fail(new LoadtsError(beforeStart ? 'FLEET_REFUSED' : 'FLEET_LOST', message), beforeStart ? 'fleet-incomplete' : 'coordinator-lost');
  }
}

/** The link's output type (it is never chosen with --out: `loadts fleet instance` adds it). */
export const linkOutputType: OutputType = {
  name: 'fleet-link',
  help: "a fleet instance's reports to its coordinator",
  wantsSamples: false,
  create() {
    throw new Error('the fleet link is made by loadts fleet instance');
  },
};
