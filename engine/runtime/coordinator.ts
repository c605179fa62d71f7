import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { writeFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import Tinypool from 'tinypool';
import { ExitCode, LoadtsError, toError } from '../errors.js';
import { planScenario, testDurationMs, type ScenarioPlan } from '../execution/plan.js';
import { SegmentChain } from '../execution/segment.js';
import { loadConfigFile } from '../options/config-file.js';
import { environmentLayer } from '../options/env.js';
import { resolveOptionsWithWarnings, type OptionLayer } from '../options/resolve.js';
import type { Options, ResolvedOptions } from '../options/types.js';
import { buildSummaryData } from '../output/summary-data.js';
import { summaryExport } from '../output/summary-export.js';
import { textSummary } from '../output/text-summary.js';
import { unwritableReason, writeSummaryOutputs } from '../output/write-results.js';
import { ProgressReporter } from '../output/progress.js';
import type { SummaryData, SummaryExtras } from '../output/summary-types.js';
import { bundleScript, type Bundle } from '../script/bundle.js';
import { compileThresholds, evaluateThresholds, type CompiledThreshold, type ThresholdOutcome } from '../thresholds/thresholds.js';
import type { Collector } from './collector.js';
import type { InitResult, TaskFailure, WorkerMessage, WorkerResult, WorkerTask } from './protocol.js';
import { summaryInputFromAggregate } from './summary-input.js';
import { startRestApi, type RestControl } from './rest-api.js';
import { stageResults } from './stage-results.js';
import { targetFailureMessage } from './target-health.js';
import { redactText } from '../redact.js';
import { stageTable } from '../output/stage-table.js';
import { trace } from '../trace.js';
import { tuneHeapGrowth, workerResourceLimits } from './gc-tuning.js';

/** Everything `loadts run` needs; the CLI fills it from flags. */
export interface RunRequest {
  scriptPath: string;
  cwd: string;
  /** Options from CLI flags (highest priority). */
  flagOptions: Options;
  configPath?: string;
  /** -e K=V (over the process environment). */
  env: Record<string, string>;
  /** The process environment (LOADTS_* / K6_* options, and __ENV unless overridden). */
  processEnv: Record<string, string | undefined>;
  summaryExport?: string;
  noSummary: boolean;
  noThresholds: boolean;
  quiet: boolean;
  noColor: boolean;
  /** Worker threads; default: available cores. */
  workers?: number;
  /** host:port for the REST API (off when undefined). */
  address?: string;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  /** Stop on SIGINT/SIGTERM (the CLI sets it; tests may not). */
  handleSignals: boolean;
  /** Aborts the run like Ctrl-C. */
  signal?: AbortSignal;
  /** Where option warnings go (stderr in the CLI). */
  warn?: (line: string) => void;
}

export interface RunOutcome {
  exitCode: number;
  /** The summary data, when the test got as far as running. */
  summary: SummaryData | undefined;
  /** The error that ended the run early, if any (already printed). */
  error: LoadtsError | undefined;
}

type EndState = SummaryExtras['state'];

// '../runtime/' rather than './': the same path from dist/runtime/ and from dist/bundle/chunks/.
const workerFile = new URL('../runtime/worker.js', import.meta.url);

let collectorModule: Promise<typeof import('./collector.js')> | undefined;
/** The collector and, through it, hdr-histogram-js: loaded on demand (~60 ms of start-up). */
function loadCollector(): Promise<typeof import('./collector.js')> {
  if (collectorModule === undefined) {
    collectorModule = import('./collector.js');
    // compile the merging code while the main thread has nothing else to do (workers are starting)
    void collectorModule.then((m) => setImmediate(m.warmUpMerging)).catch(() => {});
  }
  return collectorModule;
}

function scriptFailure(f: TaskFailure, script: string): LoadtsError {
  const code = ({ init: 'SCRIPT_INIT', setup: 'SCRIPT_SETUP', teardown: 'SCRIPT_TEARDOWN', summary: 'SCRIPT_HANDLE_SUMMARY' } as const)[f.phase];
  const what = { init: 'the init context', setup: 'setup()', teardown: 'teardown()', summary: 'handleSummary()' }[f.phase];
  return new LoadtsError(code, `${f.where ?? script}: ${what} threw: ${f.message}`);
}

function timeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(onTimeout()), ms);
    }),
  ]);
}

/**
 * Runs a test end to end: bundle → init (script options, metrics) → options → thresholds →
 * setup → workers run their segments → teardown → summary, JSON, exit code. Results of what ran
 * are written even when the run ends early (Ctrl-C, abortOnFail, exec.test.abort(), a failing
 * teardown).
 */
/** A test ready to run: bundled, its init context evaluated, options resolved, plans made. */
export interface PreparedTest {
  bundle: Bundle;
  pool: Tinypool;
  run: (task: WorkerTask, opts?: { transferList?: MessagePort[]; signal?: AbortSignal }) => Promise<WorkerResult>;
  base: { bundleUrl: string; scriptPath: string; env: Record<string, string>; runStartedAtEpochMs: number };
  init: InitResult;
  options: ResolvedOptions;
  thresholds: CompiledThreshold[];
  /** Each scenario's plan for the whole test. */
  wholePlans: ScenarioPlan[];
  /** Each scenario's plan for this process's execution segment. */
  processPlans: ScenarioPlan[];
  vuIdOffsets: Record<string, number>;
  workers: number;
  dispose(): Promise<void>;
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
  const requestedWorkers = req.workers ?? availableParallelism();
  const pool = new Tinypool({
    filename: workerFile.href,
    minThreads: 1,
    maxThreads: Math.max(requestedWorkers, 1),
    idleTimeout: 60_000,
    useAtomics: false,
    isolateWorkers: false,
    resourceLimits: workerResourceLimits(),
  });
  let bundle: Bundle;
  try {
    bundle = await bundleScript(req.scriptPath, req.cwd);
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
    const configOptions = req.configPath ? await loadConfigFile(resolve(req.cwd, req.configPath)) : undefined;
    const envLayer = environmentLayer(req.processEnv);
    const env: Record<string, string> = { ...definedEntries(req.processEnv), ...req.env };
    const base = { bundleUrl: bundle.url, scriptPath: bundle.scriptPath, env, runStartedAtEpochMs: performance.timeOrigin + performance.now() };

    const run = pool.run.bind(pool) as PreparedTest['run'];

    const init = await run({ ...base, kind: 'init' });
    trace('init context evaluated');
    if (init.kind === 'failure') throw scriptFailure(init, req.scriptPath);
    if (init.kind !== 'init') throw new LoadtsError('ENGINE', 'init task returned the wrong result');

    const layers: OptionLayer[] = [];
    if (configOptions) layers.push({ source: `config file ${req.configPath}`, options: configOptions });
    if (init.options !== undefined) layers.push({ source: 'script', options: init.options as Options });
    layers.push(envLayer);
    layers.push({ source: 'command line', options: { ...req.flagOptions, ...(req.noColor ? { noColor: true } : {}) } });
    const { options, warnings } = resolveOptionsWithWarnings(layers, { exportedFunctions: new Set(init.functions) });
    for (const w of warnings) req.warn?.(`warning: ${w}`);
    const thresholds = req.noThresholds ? [] : compileThresholds(options.thresholds, init.metricDefs);

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
    return { bundle, pool, run, base, init, options, thresholds, wholePlans, processPlans, vuIdOffsets, workers, dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}

/**
 * Runs a test end to end: prepare → setup → workers run their segments → teardown → summary,
 * JSON, exit code. Results of what ran are written even when the run ends early (Ctrl-C,
 * abortOnFail, exec.test.abort(), a failing teardown).
 */
export async function runTest(req: RunRequest): Promise<RunOutcome> {
  const say = (line: string) => req.stderr.write(`${redactText(line)}\n`);
  let prepared: PreparedTest | undefined;
  const cleanups: Array<() => void> = [];
  try {
    prepared = await prepareTest({ ...req, warn: req.warn ?? say });
    return await execute({ ...prepared, req, say, cleanups });
  } catch (e) {
    const error = e instanceof LoadtsError ? e : new LoadtsError('ENGINE', toError(e).message, { cause: e });
    say(`error: ${error.message}`);
    return { exitCode: error.exitCode, summary: undefined, error };
  } finally {
    for (const c of cleanups) c();
    trace('disposing');
    await prepared?.dispose();
    trace('disposed');
  }
}

interface ExecuteArgs extends PreparedTest {
  req: RunRequest;
  say: (line: string) => void;
  cleanups: Array<() => void>;
}

async function execute(a: ExecuteArgs): Promise<RunOutcome> {
  const { req, options, thresholds, init, run, base, say } = a;
  const { Collector } = await loadCollector();
  const collector = new Collector(options.tags);
  collector.merge(init.snapshot);
  let state = 'completed' as EndState;
  let abortMessage: string | undefined;
  let lateError: LoadtsError | undefined;
  const ports: MessagePort[] = [];
  let stopped = false;
  let onStop: (() => void) | undefined;
  const stopAll = (why: EndState, message?: string) => {
    if (stopped) return;
    stopped = true;
    state = why;
    abortMessage = message;
    onStop?.();
    for (const p of ports) p.postMessage({ kind: 'stop' });
  };

  // Ctrl-C: the first stops gracefully and still writes results; a second one exits at once.
  if (req.handleSignals) {
    let signals = 0;
    const onSignal = (sig: NodeJS.Signals) => {
      signals++;
      if (signals > 1) {
        say(`received ${sig} again, exiting without results`);
        process.exit(ExitCode.ExternalAbort);
      }
      say(`received ${sig}, stopping the test (press Ctrl-C again to exit at once); results of what ran will be written`);
      stopAll('interrupted', `stopped by ${sig}`);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    a.cleanups.push(() => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });
  }
  if (req.signal) {
    const onAbort = () => stopAll('interrupted', 'stopped by the caller');
    if (req.signal.aborted) onAbort();
    req.signal.addEventListener('abort', onAbort, { once: true });
  }

  // setup(): Ctrl-C aborts it (its worker thread is stopped); a failure, a timeout or an interrupt
  // skips the load and teardown, and what ran is still reported.
  let setupData: unknown;
  let setupFailed = false;
  if (init.functions.includes('setup')) {
    const abortSetup = new AbortController();
    onStop = () => abortSetup.abort();
    try {
      const res = await timeout(run({ ...base, kind: 'setup', options }, { signal: abortSetup.signal }), options.setupTimeoutMs, () => {
        abortSetup.abort();
        return new LoadtsError('SETUP_TIMEOUT', `setup() did not finish within setupTimeout (${options.setupTimeoutMs} ms)`);
      });
      if (res.kind === 'failure') throw scriptFailure(res, req.scriptPath);
      if (res.kind !== 'setup') throw new LoadtsError('ENGINE', 'setup task returned the wrong result');
      collector.merge(res.snapshot);
      setupData = res.data;
    } catch (e) {
      if (!stopped) {
        setupFailed = true;
        lateError = e instanceof LoadtsError ? e : new LoadtsError('ENGINE', `setup() failed: ${toError(e).message}`);
      }
    } finally {
      onStop = undefined;
    }
  }

  // The load: one task per worker, each with its own message port. Skipped when setup() failed,
  // timed out or was interrupted: the results of what ran (setup's own requests) are still written.
  const runLoad = async (): Promise<number> => {
    // The run: one task per worker, each with its own message port.
    const progress = new ProgressReporter(
      { stream: req.stdout, isTTY: Boolean(req.stdout.isTTY), quiet: req.quiet, enableColors: !options.noColor && Boolean(req.stdout.isTTY) },
      () => {
        const t = collector.totals();
        return {
          elapsedMs: startPerf === 0 ? 0 : performance.now() - startPerf,
          vus: t.vus,
          vusMax: t.vusMax,
          iterations: t.complete + t.failed,
          interrupted: t.interrupted,
          scenarios: a.processPlans.map((p) => {
            const s = t.scenarios.find((x) => x.name === p.name);
            return { name: p.name, executor: p.executor, progress: s?.progress ?? 0, detail: describePlan(p) };
          }),
        };
      },
    );
    let startPerf = 0;
    // k6 samples vus and vus_max once a second. Here: once every worker has reported its start (the
    // sum of those first statuses, so even a sub-second run has a sample), then on the ticker, but
    // not once a worker has finished (a half-finished test would read as half its VUs); and vus_max
    // once more at the end.
    let workersFinished = 0;
    let vuSamples = 0;
    const sampleVUs = (tick: boolean): void => {
      if (collector.reported() < a.workers) return;
      if (vuSamples === 0) {
        vuSamples++;
        collector.sampleVUs('first');
        return;
      }
      if (tick && workersFinished === 0) {
        vuSamples++;
        collector.sampleVUs('latest');
      }
    };
    const done: Array<Promise<void>> = [];
    const ready: Array<Promise<void>> = [];
    const tasks: Array<Promise<WorkerResult>> = [];
    for (let i = 0; i < a.workers; i++) {
      const { port1, port2 } = new MessageChannel();
      ports.push(port1);
      let onReady!: () => void;
      ready.push(new Promise<void>((r) => (onReady = r)));
      done.push(
        new Promise<void>((resolveDone) => {
          port1.on('message', (m: WorkerMessage) => {
            switch (m.kind) {
              case 'ready':
                onReady();
                break;
              case 'status':
                collector.setStatus(i, m.status);
                sampleVUs(false);
                if (a.workers > 1) port1.postMessage({ kind: 'instance', others: collector.countersExcept(i) });
                break;
              case 'metrics':
                collector.setStatus(i, m.status);
                sampleVUs(false);
                collector.merge(m.snapshot);
                if (a.workers > 1) port1.postMessage({ kind: 'instance', others: collector.countersExcept(i) });
                break;
              case 'done':
                workersFinished++;
                collector.setStatus(i, m.status);
                collector.merge(m.snapshot);
                port1.close();
                resolveDone();
                break;
              case 'abort':
                say(`test aborted by the script: ${m.reason}`);
                stopAll('script-aborted', m.reason);
                break;
            }
          });
        }),
      );
      const task = run(
        { ...base, kind: 'run', options, workerIndex: i, workers: a.workers, vuIdOffsets: a.vuIdOffsets, setupData, port: port2 },
        { transferList: [port2] },
      );
      // A worker that dies (or fails to start) must not leave the run waiting forever.
      task.catch((e: unknown) => {
        lateError ??= new LoadtsError('ENGINE', `worker ${i} failed: ${toError(e).message}`);
        onReady();
        port1.close();
      });
      tasks.push(task);
    }
    const workersDone = Promise.all(done.map((d, i) => Promise.race([d, tasks[i]!.then(() => d, () => undefined)])));
    await Promise.race([Promise.all(ready), workersDone]);
    startPerf = performance.now();
    trace('workers ready, test starts');
    const startEpoch = performance.timeOrigin + startPerf;
    for (const p of ports) p.postMessage({ kind: 'start', atEpochMs: startEpoch });
    if (stopped) for (const p of ports) p.postMessage({ kind: 'stop' });
    progress.start();
    if (req.address !== undefined) {
      const api = await startRestApi(req.address, restControl(a, collector, ports, () => stopped, () => stopAll('interrupted', 'stopped through the REST API'), () => performance.now() - startPerf));
      if (!req.quiet) say(`REST API listening on ${api.url}`);
      if (api.warning !== undefined) say(api.warning);
      a.cleanups.push(() => void api.close());
    }

    // Once a second: VU gauges, and thresholds with abortOnFail.
    const aborting = thresholds.filter((t) => t.abortOnFail);
    const ticker = setInterval(() => {
      sampleVUs(true);
      if (aborting.length === 0 || stopped) return;
      const elapsed = performance.now() - startPerf;
      const due = aborting.filter((t) => elapsed >= t.delayAbortEvalMs);
      const failed = evaluateThresholds(due, collector.aggregate, elapsed, { ignoreEmpty: true }).find((o) => !o.ok);
      if (failed) {
        say(`threshold ${failed.threshold.key}: ${failed.threshold.expr.source} crossed with abortOnFail, stopping the test`);
        stopAll('thresholds-aborted', `${failed.threshold.key} ${failed.threshold.expr.source}`);
      }
    }, 1000);
    await workersDone;
    if (vuSamples > 0) collector.sampleVUs('latest', true);
    trace('workers done');
    await Promise.allSettled(tasks);
    clearInterval(ticker);
    progress.stop(true);
    return performance.now() - startPerf;
  };
  const durationMs = setupFailed || stopped ? 0 : await runLoad();

  // teardown(data): its failure is reported, and results are still written.
  if (init.functions.includes('teardown') && state !== 'interrupted' && !setupFailed) {
    try {
      const res = await timeout(run({ ...base, kind: 'teardown', options, setupData }), options.teardownTimeoutMs, () =>
        new LoadtsError('TEARDOWN_TIMEOUT', `teardown() did not finish within teardownTimeout (${options.teardownTimeoutMs} ms)`),
      );
      if (res.kind === 'failure') lateError ??= scriptFailure(res, req.scriptPath);
      else if (res.kind === 'teardown') collector.merge(res.snapshot);
    } catch (e) {
      lateError ??= e instanceof LoadtsError ? e : new LoadtsError('ENGINE', toError(e).message);
    }
  }

  // Results.
  const outcomes = evaluateThresholds(thresholds, collector.aggregate, durationMs);
  const thresholdsFailed = outcomes.some((o) => !o.ok);
  const totals = collector.totals();
  if (lateError === undefined && state === 'completed' && totals.networkErrors > 0 && totals.responses === 0) {
    lateError = new LoadtsError('TARGET_UNREACHABLE', targetFailureMessage(totals));
  }
  const exitCode =
    state === 'interrupted'
      ? ExitCode.ExternalAbort
      : state === 'script-aborted'
        ? ExitCode.ScriptAborted
        : lateError !== undefined
          ? lateError.exitCode
          : thresholdsFailed || state === 'thresholds-aborted'
            ? ExitCode.ThresholdsFailed
            : ExitCode.OK;
  const summary = buildSummaryData({
    ...summaryInputFromAggregate(collector.aggregate, outcomes, options.summaryTrendStats, durationMs),
    options: { summaryTrendStats: options.summaryTrendStats, summaryTimeUnit: options.summaryTimeUnit, noColor: options.noColor },
    state: { isStdOutTTY: Boolean(req.stdout.isTTY), isStdErrTTY: Boolean(req.stderr.isTTY), testRunDurationMs: durationMs },
    extras: {
      version: 1,
      state,
      exitCode,
      workers: a.workers,
      executionSegment: options.executionSegment,
      iterations: { complete: totals.complete + totals.failed, interrupted: totals.interrupted },
      scenarios: options.scenarios.map((s) => ({ name: s.name, executor: s.executor })),
      stages: stageResults(collector.aggregate, options.scenarios, durationMs, (name, stage) => totals.scenarios.find((s) => s.name === name)?.stageMaxVUs[stage] ?? 0),
    },
    setupData,
  });

  // A results failure (handleSummary threw, a file could not be written) is reported where it
  // happens; it decides the exit code when nothing more important (a threshold, a stop) did.
  const writeError = await writeResults(a, summary);
  trace('results written');
  let finalCode: number = exitCode;
  if (writeError !== undefined && exitCode === ExitCode.OK) finalCode = writeError.exitCode;
  if (lateError) say(`error: ${lateError.message}`);
  if (abortMessage && state !== 'script-aborted') say(`test ${state === 'interrupted' ? 'interrupted' : 'aborted'}: ${abortMessage}`);
  if (thresholdsFailed) {
    const crossed = outcomes.filter((o) => !o.ok).map((o) => `${o.threshold.key} ${o.threshold.expr.source}`);
    say(`thresholds crossed: ${crossed.join(', ')}`);
  }
  return { exitCode: finalCode, summary, error: lateError ?? writeError };
}

/**
 * handleSummary (or the text summary) and --summary-export; a failing handleSummary falls back to
 * the text summary. Returns the first failure (already printed), if any.
 */
async function writeResults(a: ExecuteArgs, summary: SummaryData): Promise<LoadtsError | undefined> {
  const { req, options, init, run, base, say } = a;
  const io = { stdout: req.stdout, stderr: req.stderr, cwd: req.cwd };
  let handled = false;
  let failure: LoadtsError | undefined;
  if (init.functions.includes('handleSummary')) {
    const res = await run({ ...base, kind: 'summary', options, data: summary }).catch((e: unknown) => ({
      kind: 'failure' as const,
      phase: 'summary' as const,
      message: toError(e).message,
      where: undefined,
    }));
    if (res.kind === 'failure') {
      failure ??= scriptFailure(res, req.scriptPath);
      say(`error: ${failure.message}; printing the default summary instead`);
    } else if (res.kind === 'summary' && res.outputs) {
      try {
        await writeSummaryOutputs(res.outputs, io);
      } catch (e) {
        failure ??= e instanceof LoadtsError ? e : new LoadtsError('SCRIPT_HANDLE_SUMMARY', toError(e).message);
        say(`error: ${failure.message}`);
      }
      handled = true;
    }
  }
  if (!handled && !req.noSummary) {
    const stages = stageTable(summary.loadts?.stages ?? []);
    req.stdout.write(`\n${textSummary(summary, { indent: ' ', enableColors: !options.noColor && Boolean(req.stdout.isTTY) })}\n${stages ? `\n${stages}\n` : ''}\n`);
  }
  if (req.summaryExport) {
    const path = resolve(req.cwd, req.summaryExport);
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, `${JSON.stringify(summaryExport(summary), null, 2)}\n`);
    } catch (e) {
      failure ??= new LoadtsError('OUTPUT', `cannot write --summary-export ${req.summaryExport}: ${toError(e).message}`);
      say(`error: cannot write --summary-export ${req.summaryExport}: ${toError(e).message}`);
    }
  }
  return failure;
}

/** The REST API's view of a running test: status, metrics, and live control of externally-controlled scenarios. */
function restControl(a: ExecuteArgs, collector: Collector, ports: MessagePort[], isStopped: () => boolean, stop: () => void, elapsedMs: () => number): RestControl {
  const external = a.options.scenarios.flatMap((s) =>
    s.executor === 'externally-controlled' ? [{ name: s.name, vus: s.vus, maxVUs: s.maxVUs, configuredMax: s.maxVUs, paused: false }] : [],
  );
  return {
    status: () => {
      const t = collector.totals();
      return { running: !isStopped(), paused: external.some((e) => e.paused), stopped: isStopped(), vus: t.vus, vusMax: t.vusMax, tainted: false };
    },
    patch: (c) => {
      if (c.stopped === true) {
        stop();
        return undefined;
      }
      if (external.length === 0 && (c.vus !== undefined || c.vusMax !== undefined || c.paused !== undefined)) {
        return 'no externally-controlled scenario: only {"stopped": true} applies to this test';
      }
      for (const e of external) {
        const maxVUs = c.vusMax ?? e.maxVUs;
        const vus = c.vus ?? e.vus;
        if (!Number.isInteger(vus) || vus < 0) return `vus must be a non-negative integer, got ${vus}`;
        if (maxVUs > e.configuredMax) return `vus-max ${maxVUs} exceeds scenario ${e.name}'s maxVUs (${e.configuredMax})`;
        if (vus > maxVUs) return `vus (${vus}) cannot exceed vus-max (${maxVUs})`;
      }
      for (const e of external) {
        e.maxVUs = c.vusMax ?? e.maxVUs;
        e.vus = c.vus ?? e.vus;
        e.paused = c.paused ?? e.paused;
        for (const p of ports) p.postMessage({ kind: 'control', scenario: e.name, vus: e.vus, maxVUs: e.maxVUs, paused: e.paused });
      }
      return undefined;
    },
    metrics: () => {
      const elapsed = elapsedMs();
      return collector.aggregate.defs().flatMap((d) => {
        const values = collector.aggregate.values(d.name, undefined, d.type === 'trend' ? a.options.summaryTrendStats : [], elapsed);
        return values === undefined ? [] : [{ name: d.name, type: d.type, contains: d.contains, values }];
      });
    },
  };
}

/** One line describing a scenario's plan, for progress and inspect. */
export function describePlan(p: ScenarioPlan): string {
  const secs = (ms: number) => `${Math.round(ms / 100) / 10}s`;
  const iters = p.iterations !== undefined ? `${p.iterations} iterations, ` : '';
  return `${iters}${p.maxVUs} max VUs, ${secs(p.durationMs)} (+${secs(p.gracefulStopMs)} graceful stop)`;
}

/** Total duration of the plans, for progress bars and inspect. */
export function plannedDurationMs(plans: readonly ScenarioPlan[]): number {
  return testDurationMs(plans);
}

function definedEntries(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

export type { ThresholdOutcome };
