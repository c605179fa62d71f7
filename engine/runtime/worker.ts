/**
 * The worker-thread entry (tinypool `filename`). Each thread imports the bundled script once
 * (module scope is per worker, not per VU), then runs the tasks the coordinator sends: init,
 * setup, its segment of the test, teardown, handleSummary.
 */
import { defineBuiltinMetrics, defineLoadtsMetrics, type BuiltinMetrics } from '../metrics/builtin.js';
import { MetricsRegistry } from '../metrics/registry.js';
import { TagSet } from '../metrics/tags.js';
import { planScenario } from '../execution/plan.js';
import { SegmentChain } from '../execution/segment.js';
import type { ResolvedOptions } from '../options/types.js';
import { VuHttp, defaultResponseCallback, type HttpSample, type HttpSampleSink } from '../protocols/http/client.js';
import { toError } from '../errors.js';
import { currentScope, installRuntime, vuStorage, type WorkerRuntime } from './context.js';
import { RateLimitedLog, userFrame } from './log.js';
import { ScenarioRun } from './scenario-run.js';
import { executorRunners } from './executors/index.js';
import { VU, type ScenarioInfo } from './vu.js';
import { needsWarmUp, warmUpHttp, warmUpIterations, warmUpServer } from './warmup.js';
import { TargetHealth } from './target-health.js';
import { trace } from '../trace.js';
import type { CoordinatorMessage, InstanceCounters, TaskFailure, WorkerMessage, WorkerResult, WorkerStatus, WorkerTask } from './protocol.js';

process.setSourceMapsEnabled(true);
(globalThis as { __loadtsThread?: string }).__loadtsThread = 'worker';
trace('worker module loaded');

const registry = new MetricsRegistry();
const rt: WorkerRuntime = {
  registry,
  metrics: defineBuiltinMetrics(registry),
  loadtsMetrics: defineLoadtsMetrics(registry),
  options: undefined,
  env: {},
  phase: 'init',
  instance: { workerIndex: 0, workers: 1, startedAtMs: performance.timeOrigin + performance.now(), counters: () => ({ vusActive: 0, vusInitialized: 0, iterationsCompleted: 0, iterationsInterrupted: 0 }) },
  abortReason: undefined,
  responseCallback: undefined,
  abortTest(reason: string) {
    if (this.abortReason === undefined) this.abortReason = reason || 'test aborted by the script';
    onAbort?.(this.abortReason);
  },
};
installRuntime(rt);
let onAbort: ((reason: string) => void) | undefined;

// k6's globals. They read the running VU, so concurrent async VUs in one thread each see their own.
Object.defineProperties(globalThis, {
  __ENV: { get: () => currentScope()?.vu.scenario.env ?? rt.env, configurable: true },
  __VU: { get: () => currentScope()?.vu.idInTest ?? 0, configurable: true },
  __ITER: { get: () => Math.max(currentScope()?.vu.iteration ?? 0, 0), configurable: true },
});

const log = new RateLimitedLog((line) => process.stderr.write(`${line}\n`));

type ScriptModule = Record<string, unknown>;
let loaded: { url: string; module: ScriptModule } | undefined;

async function loadScript(url: string): Promise<ScriptModule> {
  if (loaded?.url === url) return loaded.module;
  const module = (await import(url)) as ScriptModule;
  loaded = { url, module };
  return module;
}

/** The script's path (from the current task), for the file:line of errors in it. */
let scriptFile: string | undefined;
const health = new TargetHealth((line) => process.stderr.write(`${line}\n`), locateRequest);

/** Where in the script the request being recorded was made (the sink runs inside its call). */
function locateRequest(): string | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  const err = new Error();
  Error.stackTraceLimit = limit;
  return userFrame(err, scriptFile);
}

function httpSink(sample: HttpSample): void {
  recordHttp(registry, rt.metrics, sample);
  if (sample.failed) health.noteFailed(sample.tags, sample.bytesReceived);
  else health.responses++;
}

function recordHttp(registry: MetricsRegistry, m: BuiltinMetrics, sample: HttpSample): void {
  const { tags, timings: t } = sample;
  registry.add(m.http_reqs, tags, 1);
  registry.add(m.http_req_duration, tags, t.duration);
  registry.add(m.http_req_blocked, tags, t.blocked);
  registry.add(m.http_req_connecting, tags, t.connecting);
  registry.add(m.http_req_tls_handshaking, tags, t.tls_handshaking);
  registry.add(m.http_req_sending, tags, t.sending);
  registry.add(m.http_req_waiting, tags, t.waiting);
  registry.add(m.http_req_receiving, tags, t.receiving);
  registry.add(m.http_req_failed, tags, sample.failed ? 1 : 0);
  registry.add(m.data_sent, tags, sample.bytesSent);
  registry.add(m.data_received, tags, sample.bytesReceived);
}

function httpFactory(options: ResolvedOptions, sink: HttpSampleSink = httpSink): () => VuHttp {
  const config = {
    userAgent: options.userAgent,
    discardResponseBodies: options.discardResponseBodies,
    noConnectionReuse: options.noConnectionReuse,
    defaultTimeoutMs: 60_000,
    maxRedirects: options.maxRedirects,
    insecureSkipTLSVerify: options.insecureSkipTLSVerify,
    tlsVersion: options.tlsVersion,
    tlsAuth: options.tlsAuth,
    maxConnectionsPerHost: options.batchPerHost,
    maxResponseBodyBytes: options.maxResponseBodySize,
    hosts: options.hosts,
    responseCallback: () => (rt.responseCallback === undefined ? defaultResponseCallback : rt.responseCallback),
  };
  return () => new VuHttp(config, sink);
}

function baseTags(options: ResolvedOptions): TagSet {
  return TagSet.EMPTY.withAll(options.tags);
}

function failure(phase: TaskFailure['phase'], e: unknown, scriptPath: string): TaskFailure {
  const err = toError(e);
  return { kind: 'failure', phase, message: err.message, where: userFrame(err, scriptPath) };
}

/** A VU outside scenarios, for setup() and teardown() (id 0, as in k6). */
async function runLifecycle(fnName: 'setup' | 'teardown', task: WorkerTask & { options: ResolvedOptions }, arg: unknown): Promise<unknown> {
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
  try {
    return await vuStorage.run({ vu, tags: info.tags, groupPath: `::${fnName}` }, fn as (a: unknown) => unknown, arg);
  } finally {
    await vu.close();
  }
}

async function runSegment(task: Extract<WorkerTask, { kind: 'run' }>): Promise<WorkerResult> {
  const { options, port } = task;
  const mod = await loadScript(task.bundleUrl);
  let others: InstanceCounters = { vusActive: 0, vusInitialized: 0, iterationsCompleted: 0, iterationsInterrupted: 0 };
  rt.instance = {
    ...rt.instance,
    workerIndex: task.workerIndex,
    workers: task.workers,
    counters: () => {
      const own = status();
      return {
        vusActive: others.vusActive + own.vus,
        vusInitialized: others.vusInitialized + own.vusMax,
        iterationsCompleted: others.iterationsCompleted + own.complete + own.failed,
        iterationsInterrupted: others.iterationsInterrupted + own.interrupted,
      };
    },
  };
  const seg = SegmentChain.forWorker(options.executionSegment, options.executionSegmentSequence, task.workerIndex, task.workers);
  const makeHttp = httpFactory(options);
  const tags = baseTags(options);
  const runs: ScenarioRun[] = [];

  const status = (): WorkerStatus => {
    const s: WorkerStatus = { vus: 0, vusMax: 0, complete: 0, interrupted: 0, failed: 0, dropped: 0, responses: health.responses, networkErrors: health.networkErrors, firstNetworkError: health.firstError, scenarios: [] };
    s.invalidUrls = health.invalidUrls;
    s.brokenResponses = health.brokenResponses;
    s.brokenResponseBytes = health.brokenResponseBytes;
    for (const r of runs) {
      s.vus += r.active;
      s.vusMax += Math.max(r.vus.length, r.deps.plan.initialVUs); // as k6: planned VUs count from the start
      s.complete += r.complete;
      s.interrupted += r.interrupted;
      s.failed += r.failed;
      s.dropped += r.dropped;
      s.scenarios.push({ name: r.info.name, progress: r.info.progress(), vus: r.active, done: finished.has(r), stageMaxVUs: r.stageMaxVUs });
    }
    return s;
  };
  const finished = new Set<ScenarioRun>();
  const post = (m: WorkerMessage) => port.postMessage(m);

  let stopRequested = false;
  const stopAll = () => {
    stopRequested = true;
    for (const r of runs) r.stopNow();
  };
  onAbort = (reason) => {
    post({ kind: 'abort', reason });
    stopAll();
  };

  const startAt = new Promise<number>((resolve) => {
    port.on('message', (m: CoordinatorMessage) => {
      if (m.kind === 'start') resolve(m.atEpochMs);
      else if (m.kind === 'instance') others = m.others;
      else if (m.kind === 'stop') stopAll();
      else if (m.kind === 'control') runs.find((r) => r.info.name === m.scenario)?.onControl?.(m);
    });
  });
  // An open model at a high rate starts at full speed: warm the request path up first (no traffic
  // to the target, no samples in the test's metrics; see warmup.ts).
  const plans = options.scenarios.map((s) => planScenario(s, seg));
  if (needsWarmUp(plans)) {
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
  rt.phase = 'run';
  post({ kind: 'ready' });
  const testStartPerf = (await startAt) - performance.timeOrigin;
  trace(`start received, ${(performance.now() - testStartPerf).toFixed(1)} ms after the coordinator sent it`);

  for (const [i, scenario] of options.scenarios.entries()) {
    const fn = mod[scenario.exec];
    if (typeof fn !== 'function') throw new Error(`scenario ${scenario.name}: the script exports no function "${scenario.exec}"`);
    const env = Object.keys(scenario.env).length > 0 ? { ...rt.env, ...scenario.env } : rt.env;
    runs.push(
      new ScenarioRun(
        {
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
        },
        testStartPerf + scenario.startTimeMs,
      ),
    );
  }
  if (stopRequested) stopAll();

  // A first status as soon as the executors have started their VUs, so short runs report VUs too.
  setImmediate(() => post({ kind: 'status', status: status() }));
  let tick = 0;
  const timer = setInterval(() => {
    tick++;
    if (tick % 5 === 0) post({ kind: 'metrics', snapshot: registry.takeSnapshot(), status: status() });
    else post({ kind: 'status', status: status() });
  }, 200);

  await Promise.all(
    runs.map(async (r) => {
      if (await r.waitUntil(r.startPerfMs)) await executorRunners[r.deps.scenario.executor](r);
      finished.add(r);
    }),
  );
  clearInterval(timer);
  trace('scenarios done');
  onAbort = undefined;
  const final = status();
  post({ kind: 'done', snapshot: registry.takeSnapshot(), status: final });
  port.close();
  rt.phase = 'teardown';
  return { kind: 'run', status: final };
}

/** The tinypool task function. */
export default async function handle(task: WorkerTask): Promise<WorkerResult> {
  rt.env = task.env;
  scriptFile = task.scriptPath;
  rt.instance.startedAtMs = task.runStartedAtEpochMs;
  switch (task.kind) {
    case 'init': {
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
    case 'setup': {
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
    case 'run':
      rt.options = task.options;
      return runSegment(task);
    case 'teardown': {
      rt.options = task.options;
      rt.phase = 'teardown';
      try {
        await runLifecycle('teardown', task, task.setupData);
        return { kind: 'teardown', snapshot: registry.takeSnapshot() };
      } catch (e) {
        return failure('teardown', e, task.scriptPath);
      }
    }
    case 'summary': {
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
