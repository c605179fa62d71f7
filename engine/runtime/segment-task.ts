/**
 * A worker thread's share of the load (the 'run' task): it builds its scenarios' runs for its
 * execution segment, warms up when an open model needs it, waits for the coordinator's start, and
 * reports on the task's port: a status five times a second, what it measured once a second (every
 * 200 ms once a scenario is stopping, so a worker that gets stuck past its deadline loses little),
 * and everything left in its result.
 */
import { performance } from 'node:perf_hooks';
import { defineBuiltinMetrics, defineLoadtsMetrics } from '../metrics/builtin.js';
import { MetricsRegistry } from '../metrics/registry.js';
import { planScenario, type ScenarioPlan } from '../execution/plan.js';
import { SegmentChain } from '../execution/segment.js';
import type { HttpSampleSink } from '../protocols/http/client.js';
import { trace } from '../trace.js';
import type { WorkerRuntime } from './context.js';
import { executorRunners } from './executors/index.js';
import type { CoordinatorMessage, InstanceCounters, WorkerMessage, WorkerResult, WorkerStatus, WorkerTask } from './protocol.js';
import { ScenarioRun } from './scenario-run.js';
import { scriptFaultsReported } from './script-faults.js';
import { needsWarmUp, warmUpHttp, warmUpIterations, warmUpServer } from './warmup.js';
import { finalStatus, startReports } from './worker-reports.js';
import { abortHook, baseTags, health, httpFactory, loadScript, log, recordHttp, registry, rt } from './worker-runtime.js';

type RunTask = Extract<WorkerTask, { kind: 'run' }>;

/** This worker's counters as it ends now (process.exit(): see finalStatus); set while a run task runs. */
export const liveStatus: { get: (() => WorkerStatus) | undefined } = { get: undefined };

function statusOf(runs: readonly ScenarioRun[], finished: ReadonlySet<ScenarioRun>): WorkerStatus {
  const elu = performance.eventLoopUtilization();
  const s: WorkerStatus = { vus: 0, vusMax: 0, complete: 0, interrupted: 0, failed: 0, dropped: 0, responses: health.responses, networkErrors: health.networkErrors, firstNetworkError: health.firstError, scenarios: [] };
  s.invalidUrls = health.invalidUrls;
  s.brokenResponses = health.brokenResponses;
  s.brokenResponseBytes = health.brokenResponseBytes;
  s.loop = { idleMs: elu.idle, activeMs: elu.active };
  for (const r of runs) {
    s.vus += r.active;
    s.vusMax += Math.max(r.vus.length, r.deps.plan.initialVUs); // as k6: planned VUs count from the start
    s.complete += r.complete;
    s.interrupted += r.interrupted;
    s.failed += r.failed;
    s.dropped += r.dropped;
    s.running = (s.running ?? 0) + r.running;
    s.scenarios.push({ name: r.info.name, progress: r.info.progress(), vus: r.active, done: finished.has(r), stageMaxVUs: r.stageMaxVUs });
  }
  return s;
}

/** exec.instance's counters: this worker's, live, plus the others' as the coordinator last sent them. */
function installInstance(task: RunTask, own: () => WorkerStatus): (others: InstanceCounters) => void {
  let others: InstanceCounters = { vusActive: 0, vusInitialized: 0, iterationsCompleted: 0, iterationsInterrupted: 0 };
  rt.instance = {
    ...rt.instance,
    workerIndex: task.workerIndex,
    workers: task.workers,
    counters: () => {
      const s = own();
      return {
        vusActive: others.vusActive + s.vus,
        vusInitialized: others.vusInitialized + s.vusMax,
        iterationsCompleted: others.iterationsCompleted + s.complete + s.failed,
        iterationsInterrupted: others.iterationsInterrupted + s.interrupted,
      };
    },
  };
  return (o) => (others = o);
}

/** An open model at a high rate starts at full speed: the request path is warmed up first (see warmup.ts). */
async function warmUp(task: RunTask, plans: readonly ScenarioPlan[]): Promise<void> {
  if (!needsWarmUp(plans)) return;
  const { options } = task;
  const scratch = new MetricsRegistry();
  const scratchMetrics = defineBuiltinMetrics(scratch);
  const sink: HttpSampleSink = (sample) => recordHttp(scratch, scratchMetrics, sample);
  const server = await warmUpServer();
  try {
    await warmUpHttp((s) => httpFactory(options, s)(), sink, server.url);
    const scratchRt: WorkerRuntime = { ...rt, registry: scratch, metrics: scratchMetrics, loadtsMetrics: defineLoadtsMetrics(scratch) };
    const warm = await warmUpIterations({ rt: scratchRt, env: rt.env, log, scriptFile: task.scriptPath, makeHttp: httpFactory(options, sink) }, plans, server.url);
    trace(`warm-up: ${warm.iterations} iterations in ${warm.ms.toFixed(0)} ms`);
  } finally {
    await server.close();
  }
}

function scenarioRuns(task: RunTask, mod: Record<string, unknown>, plans: readonly ScenarioPlan[], seg: SegmentChain, testStartPerf: number): ScenarioRun[] {
  const { options } = task;
  const makeHttp = httpFactory(options);
  const tags = baseTags(options);
  return options.scenarios.map((scenario, i) => {
    const fn = mod[scenario.exec];
    if (typeof fn !== 'function') throw new Error(`scenario ${scenario.name}: the script exports no function "${scenario.exec}"`);
    const env = Object.keys(scenario.env).length > 0 ? { ...rt.env, ...scenario.env } : rt.env;
    const deps = {
      rt,
      scenario,
      plan: plans[i]!,
      seg,
      fn: fn as (data: unknown) => unknown,
      data: task.setupData,
      vuIdOffset: task.vuIdOffsets[scenario.name] ?? 0,
      tags: tags.withAll(scenario.tags).with('scenario', scenario.name).with('group', ''),
      env,
      log,
      scriptFile: task.scriptPath,
      makeHttp,
    };
    return new ScenarioRun(deps, testStartPerf + scenario.startTimeMs);
  });
}

/** Runs this worker's segment of every scenario; resolves with what was measured since the last report. */
export async function runSegment(task: RunTask): Promise<WorkerResult> {
  const { options, port } = task;
  rt.options = options;
  const mod = await loadScript(task.bundleUrl);
  const runs: ScenarioRun[] = [];
  const finished = new Set<ScenarioRun>();
  const status = () => statusOf(runs, finished);
  liveStatus.get = () => finalStatus(runs, status);
  const setOthers = installInstance(task, status);
  const seg = SegmentChain.forWorker(options.executionSegment, options.executionSegmentSequence, task.workerIndex, task.workers);
  const post = (m: WorkerMessage) => port.postMessage(m);

  let stopRequested = false;
  const stopAll = () => {
    stopRequested = true;
    for (const r of runs) r.stopNow();
  };
  abortHook.onAbort = (reason) => {
    post({ kind: 'abort', reason });
    stopAll();
  };
  const startAt = new Promise<number>((resolve) => {
    port.on('message', (m: CoordinatorMessage) => {
      if (m.kind === 'start') resolve(m.atEpochMs);
      else if (m.kind === 'instance') setOthers(m.others);
      else if (m.kind === 'stop') stopAll();
      else if (m.kind === 'control') runs.find((r) => r.info.name === m.scenario)?.onControl?.(m);
      else if (m.kind === 'target') rt.target = m.sample;
    });
  });
  const plans = options.scenarios.map((s) => planScenario(s, seg));
  await warmUp(task, plans);
  rt.phase = 'run';
  post({ kind: 'ready' });
  const testStartPerf = (await startAt) - performance.timeOrigin;
  trace(`start received, ${(performance.now() - testStartPerf).toFixed(1)} ms after the coordinator sent it`);
  runs.push(...scenarioRuns(task, mod, plans, seg, testStartPerf));
  if (stopRequested) stopAll();

  const stopReports = startReports(task, runs, status, () => stopRequested);
  await Promise.all(
    runs.map(async (r) => {
      if (await r.waitUntil(r.startPerfMs)) await executorRunners[r.deps.scenario.executor](r);
      finished.add(r);
    }),
  );
  stopReports();
  trace('scenarios done');
  abortHook.onAbort = undefined;
  liveStatus.get = undefined;
  port.removeAllListeners('message');
  rt.phase = 'teardown';
  await scriptFaultsReported();
  return { kind: 'run', snapshot: registry.takeSnapshot(), status: status() };
}
