/**
 * The worker-thread entry (tinypool `filename`). Each thread imports the bundled script once
 * (module scope is per worker, not per VU), then runs the tasks the coordinator sends: init,
 * setup, its segment of the test, teardown, handleSummary. Every task's result goes back on the
 * task's own port as its last message (task-channel.ts reads it); faults of the script (an
 * exception no iteration can catch, a rejected promise nobody awaits, process.exit()) are handled
 * here, so they never take the thread down silently.
 */
import { toError } from '../errors.js';
import { currentScope } from './context.js';
import { lifecycle } from './lifecycle-task.js';
import { threadId, type MessagePort } from 'node:worker_threads';
import type { WorkerMessage, WorkerResult, WorkerTask } from './protocol.js';
import { installScriptFaultHandlers } from './script-faults.js';
import { recordInFlight } from '../protocols/http/in-flight.js';
import { liveStatus, runSegment } from './segment-task.js';
import { currentScript, failure, loadScript, log, registry, rt } from './worker-runtime.js';
import { installOpen } from './init-open.js';
import { installSecretSources } from '../secrets/store.js';
import { configureLogging } from './console.js';
import { routeStdio } from './worker-stdio.js';
import { SampleTap } from '../metrics/sample-tap.js';
import { currentTid } from './thread-stats.js';
import { trace } from '../trace.js';

process.setSourceMapsEnabled(true);
(globalThis as { __loadtsThread?: string }).__loadtsThread = 'worker';
trace('worker module loaded');

// k6's globals. They read the running VU, so concurrent async VUs in one thread each see their own.
Object.defineProperties(globalThis, {
  __ENV: { get: () => currentScope()?.vu.scenario.env ?? rt.env, configurable: true },
  __VU: { get: () => currentScope()?.vu.idInTest ?? 0, configurable: true },
  __ITER: { get: () => Math.max(currentScope()?.vu.iteration ?? 0, 0), configurable: true },
});

installOpen();

/** The port of the task under way (process.exit() reports on it). */
let taskPort: MessagePort | undefined;
const tid = currentTid();
routeStdio(() => taskPort);

installScriptFaultHandlers({
  rt,
  log,
  scriptFile: () => currentScript.path,
  onExit: (exit) => {
    // What it had on the wire and running, before what it measured (setup's and teardown's requests too).
    const status = liveStatus.get?.();
    recordInFlight();
    const m: WorkerMessage = { kind: 'exit', exit, snapshot: registry.takeSnapshot(), status };
    taskPort?.postMessage(m);
  },
});

async function initTask(task: Extract<WorkerTask, { kind: 'init' }>): Promise<WorkerResult> {
  rt.phase = 'init';
  try {
    const mod = await loadScript(task.bundleUrl);
    trace('script imported');
    let options: unknown;
    if (mod.options !== undefined) {
      try {
        options = JSON.parse(JSON.stringify(mod.options)) as unknown;
      } catch (e) {
        throw new Error(`the exported options are not plain data: ${toError(e).message}`);
      }
    }
    const functions = Object.keys(mod).filter((k) => typeof mod[k] === 'function');
    return { kind: 'init', options, functions, metricDefs: registry.defs(), snapshot: registry.takeSnapshot() };
  } catch (e) {
    return failure('init', e, task.scriptPath);
  }
}

async function summaryTask(task: Extract<WorkerTask, { kind: 'summary' }>): Promise<WorkerResult> {
  rt.options = task.options;
  rt.phase = 'summary';
  try {
    const mod = await loadScript(task.bundleUrl);
    const fn = mod.handleSummary;
    if (typeof fn !== 'function') return { kind: 'summary', outputs: undefined };
    const result = (await (fn as (d: unknown) => unknown)(task.data)) as unknown;
    return { kind: 'summary', outputs: normaliseOutputs(result) };
  } catch (e) {
    return failure('summary', e, task.scriptPath);
  }
}

function runTask(task: WorkerTask): Promise<WorkerResult> {
  switch (task.kind) {
    case 'init':
      return initTask(task);
    case 'setup':
      return lifecycle.setup(task);
    case 'run':
      return runSegment(task);
    case 'teardown':
      return lifecycle.teardown(task);
    case 'summary':
      return summaryTask(task);
  }
}

/**
 * The tinypool task function. The result travels on the task's port, after the task's progress
 * messages (one port keeps them in order); a fault of loadts itself rejects the task instead.
 */
export default async function handle(task: WorkerTask): Promise<void> {
  installSecretSources(task.secrets);
  configureLogging(task.log);
  rt.env = task.env;
  rt.instance.startedAtMs = task.runStartedAtEpochMs;
  currentScript.path = task.scriptPath;
  taskPort = task.port;
  task.port.postMessage({ kind: 'thread', threadId, tid } satisfies WorkerMessage);
  registry.tap = task.wantsSamples === true ? new SampleTap((m) => task.port.postMessage(m, [m.ids.buffer as ArrayBuffer, m.values.buffer as ArrayBuffer, m.times.buffer as ArrayBuffer])) : undefined;
  try {
    const result = await runTask(task);
    registry.tap?.flush(); // before the result: the batches and the result share the port, in order
    task.port.postMessage({ kind: 'result', result } satisfies WorkerMessage);
  } finally {
    registry.tap = undefined;
    taskPort = undefined;
  }
}

function normaliseOutputs(result: unknown): Record<string, string | Uint8Array> {
  if (result === null || typeof result !== 'object' || Array.isArray(result)) {
    throw new Error('handleSummary must return an object mapping "stdout", "stderr" or file paths to content');
  }
  const out: Record<string, string | Uint8Array> = {};
  for (const [key, value] of Object.entries(result)) {
    if (typeof value === 'string') out[key] = value;
    else if (value instanceof Uint8Array) out[key] = value;
    else if (value instanceof ArrayBuffer) out[key] = new Uint8Array(value);
    else if (value !== undefined && value !== null) out[key] = typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return out;
}
