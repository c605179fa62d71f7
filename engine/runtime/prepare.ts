import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import Tinypool from 'tinypool';
import { LoadtsError, toError } from '../errors.js';
import { planScenario, type ScenarioPlan } from '../execution/plan.js';
import { SegmentChain } from '../execution/segment.js';
import { loadConfigFile } from '../options/config-file.js';
import { environmentLayer } from '../options/env.js';
import { resolveOptionsWithWarnings, type OptionLayer } from '../options/resolve.js';
import type { Options, ResolvedOptions } from '../options/types.js';
import type { SecretSource } from '../secrets/sources.js';
import type { LogConfig } from './console.js';
import { unwritableReason } from '../output/write-results.js';
import { apiDirUrl, bundleScript, type Bundle } from '../script/bundle.js';
import { testIdentity, type TestIdentity } from '../record/identity.js';
import { compileThresholds, type CompiledThreshold } from '../thresholds/thresholds.js';
import { trace } from '../trace.js';
import { tuneHeapGrowth, workerResourceLimits } from './gc-tuning.js';
import { defaultWorkerHeapMb } from './memory-guard.js';
import type { InitResult, TaskFailure } from './protocol.js';
import type { RunRequest } from './run-types.js';
import { startTask, WorkerFault, type TaskChannel, type TaskSpec } from './task-channel.js';
import type { WorkerMessage } from './protocol.js';

let collectorModule: Promise<typeof import('./collector.js')> | undefined;
/** The collector and, through it, hdr-histogram-js: loaded on demand (~60 ms of start-up). */
export function loadCollector(): Promise<typeof import('./collector.js')> {
  if (collectorModule === undefined) {
    collectorModule = import('./collector.js');
    // compile the merging code while the main thread has nothing else to do (workers are starting)
    void collectorModule.then((m) => setImmediate(m.warmUpMerging)).catch(() => {});
  }
  return collectorModule;
}

/** A test ready to run: bundled, its init context evaluated, options resolved, plans made. */
export interface PreparedTest {
  bundle: Bundle;
  pool: Tinypool;
  /** Starts a task in a worker thread (task-channel.ts). */
  start(task: TaskSpec, onMessage?: (m: WorkerMessage) => void): TaskChannel;
  base: { bundleUrl: string; scriptPath: string; env: Record<string, string>; runStartedAtEpochMs: number; secrets?: SecretSource[]; log?: LogConfig; wantsSamples?: boolean };
  init: InitResult;
  options: ResolvedOptions;
  thresholds: CompiledThreshold[];
  /** Each scenario's plan for the whole test. */
  wholePlans: ScenarioPlan[];
  /** Each scenario's plan for this process's execution segment. */
  processPlans: ScenarioPlan[];
  vuIdOffsets: Record<string, number>;
  workers: number;
  /** Each worker thread's heap limit, MiB. */
  workerHeapMb: number;
  /** Which test this is (hashes of the bundle and the shared options), for records and fleets. */
  identity: TestIdentity;
  dispose(): Promise<void>;
}

/** A script failure reported by a worker, as the one-line error the user sees. */
export function scriptFailure(f: TaskFailure, script: string): LoadtsError {
  const code = ({ init: 'SCRIPT_INIT', setup: 'SCRIPT_SETUP', teardown: 'SCRIPT_TEARDOWN', summary: 'SCRIPT_HANDLE_SUMMARY' } as const)[f.phase];
  const what = { init: 'the init context', setup: 'setup()', teardown: 'teardown()', summary: 'handleSummary()' }[f.phase];
  return new LoadtsError(code, `${f.where ?? script}: ${what} threw: ${f.message}`);
}

/** A lost worker during a lifecycle task (init, setup, teardown, handleSummary), as a one-line error. */
export function lifecycleFault(fault: unknown, what: string, script: string, heapMb: number): LoadtsError {
  if (!(fault instanceof WorkerFault)) return new LoadtsError('ENGINE', `${what}: ${toError(fault).message}`);
  switch (fault.kind) {
    case 'exited':
      return new LoadtsError('SCRIPT_EXIT', `${fault.exit?.where ?? script}: ${what} called process.exit(${fault.exit?.code ?? 0}): a script cannot end the process; to stop a test early, call exec.test.abort()`);
    case 'out-of-memory':
      return new LoadtsError('OUT_OF_MEMORY', `${what} ran out of memory: the worker's heap limit is ${heapMb} MiB (raise it with --worker-heap, or keep less data in memory)`);
    case 'terminated':
      return new LoadtsError('WORKER_STUCK', `${what} did not finish and its worker was stopped`);
    case 'crashed':
      return new LoadtsError('ENGINE', `${what}: the worker thread failed: ${fault.message}`);
  }
}

function startPool(req: Omit<RunRequest, 'stdout' | 'stderr' | 'handleSignals'>, heapMb: number): Tinypool {
  const requestedWorkers = req.workers ?? availableParallelism();
  const pool = new Tinypool({
    filename: new URL('../runtime/worker.js', import.meta.url).href, // the same path from dist/runtime/ and dist/bundle/chunks/
    minThreads: 1,
    maxThreads: Math.max(requestedWorkers, 1),
    idleTimeout: 60_000,
    useAtomics: false,
    isolateWorkers: false,
    resourceLimits: { ...workerResourceLimits(), maxOldGenerationSizeMb: heapMb },
  });
  // A thread that fails while it runs no task (its task channel reports the others).
  pool.on('error', (e: unknown) => process.stderr.write(`warning: a worker thread failed between tasks: ${toError(e).message}\n`));
  return pool;
}

/**
 * Bundles the script, evaluates its init context in a worker (options, exports, custom metrics),
 * resolves options from every source and validates thresholds: every user mistake that can be
 * found before load starts is found here.
 */
export async function prepareTest(req: Omit<RunRequest, 'stdout' | 'stderr' | 'handleSignals'>): Promise<PreparedTest> {
  if (req.summaryExport !== undefined) {
    const why = unwritableReason(resolve(req.cwd, req.summaryExport));
    if (why !== undefined) throw new LoadtsError('INVALID_FLAG', `--summary-export ${req.summaryExport}: cannot write there: ${why}`);
  }
  void loadCollector(); // start loading the results side (HDR histograms) while the script bundles
  // The pool starts its first worker thread at once: thread start-up and the worker's module
  // loading run on another core while esbuild bundles the script here.
  const workerHeapMb = req.workerHeapMb ?? defaultWorkerHeapMb();
  const pool = startPool(req, workerHeapMb);
  let bundle: Bundle;
  try {
    bundle = req.given?.bundle ?? (await bundleScript(req.scriptPath, req.cwd, { remoteModules: { allow: req.noRemoteModules !== true } }));
  } catch (e) {
    await pool.destroy().catch(() => {});
    throw e;
  }
  trace('script bundled');
  const dispose = async () => {
    await pool.destroy().catch(() => {});
    await bundle.dispose().catch(() => {});
  };
  try {
    return { ...(await initAndResolve(req, pool, bundle, workerHeapMb)), bundle, pool, workerHeapMb, dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}

async function initAndResolve(req: Omit<RunRequest, 'stdout' | 'stderr' | 'handleSignals'>, pool: Tinypool, bundle: Bundle, heapMb: number) {
  const configOptions = req.configPath && req.given === undefined ? await loadConfigFile(resolve(req.cwd, req.configPath)) : undefined;
  const env: Record<string, string> = { ...definedEntries(req.processEnv), ...req.env };
  const runStartedAtEpochMs = req.given?.runStartedAtEpochMs ?? performance.timeOrigin + performance.now();
  const base = { bundleUrl: bundle.url, scriptPath: bundle.scriptPath, env, runStartedAtEpochMs, secrets: req.secretSources, log: req.log };
  const start = (task: TaskSpec, onMessage?: (m: WorkerMessage) => void) => startTask(pool, task, onMessage);

  const init = await start({ ...base, kind: 'init' }).result.catch((e: unknown) => {
    throw lifecycleFault(e, 'the init context', req.scriptPath, heapMb);
  });
  trace('init context evaluated');
  if (init.kind === 'failure') throw scriptFailure(init, req.scriptPath);
  if (init.kind !== 'init') throw new LoadtsError('ENGINE', 'init task returned the wrong result');

  const { options, warnings } = req.given === undefined ? resolveLayers(req, init, configOptions) : { options: req.given.options, warnings: [] };
  for (const w of warnings) req.warn?.(`warning: ${w}`);
  const thresholds = req.noThresholds ? [] : compileThresholds(options.thresholds, init.metricDefs);
  const identity = testIdentity(await readFile(fileURLToPath(bundle.url), 'utf8'), apiDirUrl(), options);
  return { start, base, init, options, thresholds, identity, ...plan(options, req.workers ?? availableParallelism()) };
}

/** Options from every source: defaults < config file < script < environment < flags. */
function resolveLayers(req: Omit<RunRequest, 'stdout' | 'stderr' | 'handleSignals'>, init: InitResult, configOptions: Options | undefined) {
  const layers: OptionLayer[] = [];
  if (configOptions) layers.push({ source: `config file ${req.configPath}`, options: configOptions });
  if (init.options !== undefined) layers.push({ source: 'script', options: init.options as Options });
  layers.push(environmentLayer(req.processEnv));
  layers.push({ source: 'command line', options: { ...req.flagOptions, ...(req.noColor ? { noColor: true } : {}) } });
  return resolveOptionsWithWarnings(layers, { exportedFunctions: new Set(init.functions) });
}

/** Plans for the whole test and for this process's segment; VU id offsets; how many workers. */
function plan(options: ResolvedOptions, requestedWorkers: number) {
  // VU id offsets come from the whole-test plans, so ids stay unique across processes.
  const wholePlans = options.scenarios.map((s) => planScenario(s));
  const vuIdOffsets: Record<string, number> = {};
  let offset = 0;
  for (const p of wholePlans) {
    vuIdOffsets[p.name] = offset;
    offset += p.maxVUs;
  }
  const processSeg = SegmentChain.forWorker(options.executionSegment, options.executionSegmentSequence, 0, 1);
  const processPlans = options.scenarios.map((s) => planScenario(s, processSeg));
  const maxVUs = processPlans.reduce((n, p) => n + p.maxVUs, 0);
  const workers = Math.max(1, Math.min(requestedWorkers, maxVUs));
  tuneHeapGrowth(maxVUs);
  return { wholePlans, processPlans, vuIdOffsets, workers };
}

function definedEntries(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}
