import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { LoadtsError } from '../errors.js';
import { formatDuration } from '../options/duration.js';
import { VU_GAUGES } from '../record/merge-metrics.js';
import type { RunPhases } from '../runtime/coordinator.js';
import { setupPhase, teardownPhase } from '../runtime/lifecycle-phase.js';
import { abortOnFailCheck, startProgress } from '../runtime/load-phase.js';
import type { RunContext } from '../runtime/run-context.js';
import type { StopState } from '../runtime/run-end.js';
import { apiDirUrl } from '../script/bundle.js';
import { trace } from '../trace.js';
import type { FleetBoard, Slot } from './board.js';
import { START_LEAD_MS, type Report } from './protocol.js';

/** How long every prepared instance may take to start its worker threads once it has setup()'s data. */
const READY_TIMEOUT_MS = 60_000;
/** Exit codes an instance reports that the coordinator judges fleet-wide itself (thresholds, stops, an unreachable target). */
const JUDGED_HERE = new Set([0, 99, 105, 108, 111]);

/**
 * A fleet coordinator's phases: setup() and teardown() run here, once, in a worker thread of
 * their own; the load is the instances': each is like a worker of a local run (a segment of the
 * test), with no load worker here. Instances join while setup() runs.
 */
export function fleetPhases(board: FleetBoard, joinTimeoutMs: number, onReport: (hook: (slot: Slot, r: Report) => void) => void): RunPhases {
  let joinDeadlinePerf = Infinity;
  return {
    started: async (ctx) => {
      await publish(ctx, board);
      joinDeadlinePerf = performance.now() + joinTimeoutMs;
      onReport((slot, r) => absorb(ctx, board, slot, r));
      ctx.onStop(() => board.stop(stopStateOf(ctx), ctx.end.stopMessage ?? ctx.end.messages()[0] ?? 'stopped by the coordinator'));
      ctx.fleet = fleetRecord(board);
    },
    setup: setupPhase,
    load: (ctx, setupData) => fleetLoad(ctx, board, setupData, joinDeadlinePerf),
    teardown: teardownPhase,
  };
}

/** Opens the fleet to joins: what every instance needs to run its segment of this test. */
async function publish(ctx: RunContext, board: FleetBoard): Promise<void> {
  const { test, req, collector } = ctx;
  board.publish({
    options: test.options,
    env: req.env,
    scriptPath: test.base.scriptPath,
    bundleCode: await readFile(fileURLToPath(test.bundle.url), 'utf8'),
    apiDirUrl: apiDirUrl(),
    bundleSha256: test.identity.bundleSha256,
    originMs: test.base.runStartedAtEpochMs,
    seriesIntervalMs: collector.series.intervalMs,
  });
}

function stopStateOf(ctx: RunContext): StopState {
  const s = ctx.end.state;
  return s === 'script-aborted' || s === 'thresholds-aborted' ? s : 'interrupted';
}

function who(board: FleetBoard, slot: Slot): string {
  return `instance ${slot.index + 1} of ${board.instances} (${slot.name || 'not joined'}, segment ${slot.segment})`;
}

/** An instance's report, merged: its intervals into the totals and the time series (exact), its counters, its stop, its end. */
function absorb(ctx: RunContext, board: FleetBoard, slot: Slot, r: Report): void {
  const defs = r.metricDefs ?? [];
  for (const interval of r.intervals) {
    // The VU gauges are sampled here from every instance's counters (each instance's are its own).
    ctx.collector.merge({ defs, series: interval.series.filter((s) => !VU_GAUGES.has(s.metric)) }, interval.endMs);
  }
  // Counters from the start on (before it, an instance has no VUs; the first status is the start's).
  if (r.phase === 'running' || r.phase === 'done') {
    if (r.mergedStatus !== undefined) ctx.collector.setStatus(slot.index, r.mergedStatus, true);
    if (r.status !== undefined) ctx.collector.setStatus(slot.index, r.status);
  }
  if (r.stopped !== undefined && !ctx.end.stopped) {
    ctx.say(`${who(board, slot)} stopped: ${r.stopped.message}; stopping the fleet`);
    ctx.stop(r.stopped.state, r.stopped.message);
  }
  if (r.phase === 'failed') {
    ctx.fail(new LoadtsError('FLEET_INCOMPLETE', `${who(board, slot)} could not run the test: ${r.errors?.[0] ?? 'no reason given'}`), 'fleet-incomplete');
  }
  if (r.phase === 'done' && r.exitCode !== undefined && !JUDGED_HERE.has(r.exitCode)) {
    for (const e of r.errors ?? []) ctx.end.fail(new LoadtsError('FLEET_LOST', `${who(board, slot)}: ${e}`));
  }
  ctx.fleet = fleetRecord(board);
}

/** The record's fleet section: every part, and the segments lost. */
function fleetRecord(board: FleetBoard): NonNullable<RunContext['fleet']> {
  return {
    parts: board.slots.map((s) => ({
      index: s.index,
      segment: s.segment,
      name: s.name,
      state: s.state,
      ...(s.name === '' ? {} : { hostname: s.name }),
      ...(s.workers === undefined ? {} : { workers: s.workers }),
    })),
    missingSegments: board.slots.filter((s) => s.state === 'lost' || s.state === 'failed' || (board.startAtMs !== undefined && s.state === 'free')).map((s) => s.segment),
  };
}

/** Polls `done` every 50 ms until it holds, `give up` does, or `untilPerf`; true when it held. */
async function waitFor(done: () => boolean, giveUp: () => boolean, untilPerf: number, each: () => void = () => {}): Promise<boolean> {
  while (!done()) {
    if (giveUp() || performance.now() > untilPerf) return false;
    each();
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** Frees the slots of instances that went silent before the start (a restarted pod may take them). */
function freeSilent(ctx: RunContext, board: FleetBoard): void {
  for (const s of board.checkSilence(performance.now())) ctx.say(`warning: ${who(board, s)} stopped reporting before the start: its slot is open again`);
}

async function fleetLoad(ctx: RunContext, board: FleetBoard, setupData: unknown, joinDeadlinePerf: number): Promise<number> {
  ctx.say(`fleet: waiting for ${board.instances} instances (${board.slots.filter((s) => s.state !== 'free').length} joined)`);
  const stopped = () => ctx.end.stopped;
  if (!(await waitFor(() => board.allAt('prepared'), stopped, joinDeadlinePerf, () => freeSilent(ctx, board)))) return notFormed(ctx, board, 'joined and prepared the test');
  board.setSetupData(setupData);
  const readyBy = performance.now() + READY_TIMEOUT_MS;
  if (!(await waitFor(() => board.allAt('ready'), stopped, readyBy, () => freeSilent(ctx, board)))) return notFormed(ctx, board, 'started their worker threads');
  const startAtMs = performance.timeOrigin + performance.now() + START_LEAD_MS;
  board.start(startAtMs);
  const startPerf = startAtMs - performance.timeOrigin;
  ctx.loadStartPerf = startPerf;
  trace('fleet ready, test starts');
  ctx.say(`fleet: ${board.instances} instances ready, the test starts at ${new Date(startAtMs).toISOString()}`);
  ctx.seriesWatermark = () => watermark(board);
  const elapsedMs = () => Math.max(0, performance.now() - startPerf);
  const progress = startProgress(ctx, elapsedMs);
  const ticker = startFleetTicker(ctx, board, elapsedMs);
  // A stop goes to every instance in its next reply; each then ends and sends the rest (or is lost).
  await waitFor(() => board.allEnded(), () => false, Infinity);
  clearInterval(ticker);
  if (ctx.collector.reported() > 0) ctx.collector.sampleVUs('latest', true);
  progress.stop(true);
  ctx.fleet = fleetRecord(board);
  const durations = board.slots.flatMap((s) => (s.durationMs === undefined ? [] : [s.durationMs]));
  return durations.length > 0 ? Math.max(...durations) : elapsedMs();
}

/** The time before which every running instance has sent its intervals (the coordinator may close them). */
function watermark(board: FleetBoard): number {
  const live = board.slots.filter((s) => s.state === 'ready' || s.state === 'running');
  if (live.length === 0) return performance.timeOrigin + performance.now();
  return Math.min(...live.map((s) => s.closedBeforeMs));
}

/** Once a second: instances gone silent are lost, the VU gauges, abortOnFail on the fleet's data. */
function startFleetTicker(ctx: RunContext, board: FleetBoard, elapsedMs: () => number): NodeJS.Timeout {
  const checkAbort = abortOnFailCheck(ctx);
  let sampled = false;
  return setInterval(() => {
    for (const s of board.checkSilence(performance.now())) {
      const error = new LoadtsError(
        'FLEET_LOST',
        `${who(board, s)} was lost: no report for ${formatDuration(board.lostAfterMs)}; the rest of the fleet goes on, and its segment ${s.segment} is missing from the results (what it sent until then is kept)`,
      );
      ctx.end.fail(error);
      ctx.sayError(error);
      ctx.fleet = fleetRecord(board);
    }
    const running = board.slots.filter((s) => s.state === 'running');
    if (running.length > 0 && running.every((s) => s.status !== undefined)) {
      ctx.collector.sampleVUs(sampled ? 'latest' : 'first');
      sampled = true;
    }
    checkAbort(elapsedMs());
  }, 1000);
}

function notFormed(ctx: RunContext, board: FleetBoard, what: string): number {
  if (ctx.end.stopped) return 0;
  const missing = board.slots.filter((s) => !['prepared', 'ready', 'running', 'done'].includes(s.state)).map((s) => `${s.index} (segment ${s.segment})`);
  const done = board.instances - missing.length;
  ctx.fail(new LoadtsError('FLEET_INCOMPLETE', `only ${done} of ${board.instances} instances ${what} in time; missing: slot ${missing.join(', slot ')}. No load was sent`), 'fleet-incomplete');
  return 0;
}
