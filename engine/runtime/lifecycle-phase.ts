import { LoadtsError } from '../errors.js';
import type { MetricsSnapshot } from '../metrics/types.js';
import { lifecycleFault, scriptFailure } from './prepare.js';
import type { WorkerResult } from './protocol.js';
import type { RunContext } from './run-context.js';
import type { RunState } from './run-end.js';
import { WorkerFault, type TaskSpec } from './task-channel.js';
import { whereStuck } from './where-stuck.js';

/** How long a stopped or timed-out lifecycle task may take to unwind before its thread is terminated. */
export const LIFECYCLE_STOP_GRACE_MS = 2000;
/** handleSummary()'s time limit. */
export const HANDLE_SUMMARY_TIMEOUT_MS = 120_000;

interface Bounded {
  result: WorkerResult | undefined;
  fault: unknown;
  timedOut: boolean;
  /** A stop of the run (Ctrl-C) cut it short. */
  stopped: boolean;
  /** Where its thread was stuck when it had to be terminated ('script.ts:3:5'). */
  stuckAt: string | undefined;
}

/**
 * Runs a lifecycle task with a time limit. At the limit, or on a stop of the run when `stoppable`,
 * the task is told to stop (its VU is interrupted) and its thread is terminated when it has not
 * ended LIFECYCLE_STOP_GRACE_MS later. Whatever it measured is merged as it arrives, so its own
 * requests count even when it fails, times out or is stopped.
 */
export async function runBounded(ctx: RunContext, spec: TaskSpec, limitMs: number, stoppable: boolean): Promise<Bounded> {
  const merge = (s: MetricsSnapshot | undefined) => s !== undefined && ctx.collector.merge(s);
  const task = ctx.test.start(spec, (m) => {
    if (m.kind === 'metrics' || m.kind === 'exit') merge(m.snapshot);
    else if (m.kind === 'samples') ctx.samples.receive(task, m);
  });
  const out: Bounded = { result: undefined, fault: undefined, timedOut: false, stopped: false, stuckAt: undefined };
  let killer: NodeJS.Timeout | undefined;
  const kill = async () => {
    const places = await whereStuck(task.threadId === undefined ? [] : [task.threadId], ctx.test.base.bundleUrl, { flush: true });
    out.stuckAt = places.get(task.threadId ?? -1);
    await new Promise((r) => setTimeout(r, 50)); // the flushed report arrives
    task.terminate();
  };
  const stopTask = () => {
    task.post({ kind: 'stop' });
    killer ??= setTimeout(() => void kill(), LIFECYCLE_STOP_GRACE_MS);
  };
  const limit = setTimeout(() => {
    out.timedOut = true;
    stopTask();
  }, limitMs);
  const unhook = stoppable
    ? ctx.onStop(() => {
        out.stopped = true;
        stopTask();
      })
    : () => {};
  try {
    out.result = await task.result;
    if (out.result.kind === 'setup' || out.result.kind === 'teardown' || out.result.kind === 'failure') merge(out.result.snapshot);
  } catch (e) {
    out.fault = e;
  } finally {
    clearTimeout(limit);
    clearTimeout(killer);
    unhook();
  }
  return out;
}

/** 'script.ts:3:5: ' when the task's thread was stuck there. */
function stuckPrefix(r: Bounded): string {
  return r.stuckAt === undefined ? '' : `${r.stuckAt}: `;
}

function faultState(fault: unknown): RunState {
  if (!(fault instanceof WorkerFault)) return 'worker-crashed';
  return ({ exited: 'script-exited', 'out-of-memory': 'out-of-memory', terminated: 'setup-failed', crashed: 'worker-crashed' } as const)[fault.kind];
}

/** What setup() gave: its data, or ok: false when it failed, timed out or was stopped (no load then). */
export interface SetupOutcome {
  ok: boolean;
  data: unknown;
}

/** setup(): a failure, a timeout or a stop skips the load and teardown; what it measured is kept. */
export async function setupPhase(ctx: RunContext): Promise<SetupOutcome> {
  const { test, req } = ctx;
  if (!test.init.functions.includes('setup')) return { ok: true, data: undefined };
  const r = await runBounded(ctx, { ...test.base, kind: 'setup', options: test.options }, test.options.setupTimeoutMs, true);
  if (r.result?.kind === 'setup') return { ok: true, data: r.result.data };
  if (r.stopped && !r.timedOut) return { ok: false, data: undefined };
  if (r.timedOut) {
    ctx.fail(new LoadtsError('SETUP_TIMEOUT', `${stuckPrefix(r)}setup() did not finish within setupTimeout (${test.options.setupTimeoutMs} ms)`), 'setup-failed');
  } else if (r.result?.kind === 'failure') {
    ctx.fail(scriptFailure(r.result, req.scriptPath), 'setup-failed');
  } else {
    ctx.fail(lifecycleFault(r.fault ?? new Error('setup task returned the wrong result'), 'setup()', req.scriptPath, test.workerHeapMb), faultState(r.fault));
  }
  return { ok: false, data: undefined };
}

/**
 * teardown(data), as k6 runs it: after the load, also after a first Ctrl-C (a second one exits at
 * once), not when setup() failed. Its failure is reported and results are still written.
 */
export async function teardownPhase(ctx: RunContext, setup: SetupOutcome): Promise<void> {
  const { test, req } = ctx;
  if (!test.init.functions.includes('teardown') || !setup.ok) return;
  const r = await runBounded(ctx, { ...test.base, kind: 'teardown', options: test.options, setupData: setup.data }, test.options.teardownTimeoutMs, false);
  if (r.result?.kind === 'teardown') return;
  if (r.timedOut) ctx.end.fail(new LoadtsError('TEARDOWN_TIMEOUT', `${stuckPrefix(r)}teardown() did not finish within teardownTimeout (${test.options.teardownTimeoutMs} ms)`));
  else if (r.result?.kind === 'failure') ctx.end.fail(scriptFailure(r.result, req.scriptPath));
  else ctx.end.fail(lifecycleFault(r.fault ?? new Error('teardown task returned the wrong result'), 'teardown()', req.scriptPath, test.workerHeapMb));
}
