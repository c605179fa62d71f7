/**
 * setup() and teardown() in a worker thread: one VU outside the scenarios (id 0, as in k6). What
 * they measure is reported once a second on the task's port, and a 'stop' from the coordinator
 * (setupTimeout, Ctrl-C) interrupts the VU, so its requests count even when it fails, times out or
 * is stopped.
 */
import { toError } from '../errors.js';
import type { ResolvedOptions } from '../options/types.js';
import { scriptFaultsReported } from './script-faults.js';
import { runVuCode } from './vu-timers.js';
import type { CoordinatorMessage, WorkerResult, WorkerTask } from './protocol.js';
import { VU, type ScenarioInfo } from './vu.js';
import { FLUSH_GLOBAL } from './where-stuck.js';
import { recordInFlight } from '../protocols/http/in-flight.js';
import { baseTags, failure, httpFactory, loadScript, registry, rt } from './worker-runtime.js';

/** How often setup() and teardown() report what they measured. */
const REPORT_EVERY_MS = 1000;

type LifecycleTask = Extract<WorkerTask, { kind: 'setup' | 'teardown' }>;

async function runLifecycle(fnName: 'setup' | 'teardown', task: LifecycleTask & { options: ResolvedOptions }, arg: unknown): Promise<unknown> {
  const mod = await loadScript(task.bundleUrl);
  const fn = mod[fnName];
  if (typeof fn !== 'function') return undefined;
  const info: ScenarioInfo = {
    name: fnName,
    executor: '',
    startPerfMs: performance.now(),
    tags: baseTags(task.options).with('group', `::${fnName}`),
    env: rt.env,
    progress: () => 0,
  };
  const vu = new VU(0, 0, info, httpFactory(task.options));
  const onMessage = (m: CoordinatorMessage) => {
    if (m.kind === 'stop') vu.interrupt();
  };
  task.port.on('message', onMessage);
  const flush = () => {
    registry.tap?.flush();
    task.port.postMessage({ kind: 'metrics', snapshot: registry.takeSnapshot() });
  };
  const report = setInterval(flush, REPORT_EVERY_MS);
  // A stuck one reports before it is terminated, its requests on the wire as failed (recordInFlight).
  (globalThis as Record<string, unknown>)[FLUSH_GLOBAL] = () => (recordInFlight(), flush());
  try {
    return await runVuCode({ vu, tags: info.tags, groupPath: `::${fnName}` }, fn as (a: unknown) => unknown, arg);
  } finally {
    await scriptFaultsReported();
    clearInterval(report);
    delete (globalThis as Record<string, unknown>)[FLUSH_GLOBAL];
    task.port.off('message', onMessage);
    await vu.close();
  }
}

/** Runs setup(): its data, checked to be copyable to the VUs, or the failure. */
async function setupTask(task: Extract<WorkerTask, { kind: 'setup' }>): Promise<WorkerResult> {
  rt.options = task.options;
  rt.phase = 'setup';
  try {
    const data = await runLifecycle('setup', task, undefined);
    try {
      structuredClone(data); // what passing it to the VUs will do
    } catch (e) {
      throw new Error(`setup() returned data that cannot be copied to the VUs (${toError(e).message}): return plain data (objects, arrays, strings, numbers, booleans, Dates, Maps, Sets, typed arrays)`);
    }
    return { kind: 'setup', data, snapshot: registry.takeSnapshot() };
  } catch (e) {
    return failure('setup', e, task.scriptPath);
  }
}

/** Runs teardown(data). */
async function teardownTask(task: Extract<WorkerTask, { kind: 'teardown' }>): Promise<WorkerResult> {
  rt.options = task.options;
  rt.phase = 'teardown';
  try {
    await runLifecycle('teardown', task, task.setupData);
    return { kind: 'teardown', snapshot: registry.takeSnapshot() };
  } catch (e) {
    return failure('teardown', e, task.scriptPath);
  }
}

/** The lifecycle tasks. */
export const lifecycle = { setup: setupTask, teardown: teardownTask };
