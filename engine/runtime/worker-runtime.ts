/**
 * A worker thread's singletons: its metrics registry, the runtime the script's `loadts/*` imports
 * read (context.ts), the error log, the target-health counters, the loaded script, and the HTTP
 * client factory that records every request. The worker entry (worker.ts) and its tasks
 * (segment-task.ts, lifecycle-task.ts) share them.
 */
import { defineBuiltinMetrics, defineLoadtsMetrics, type BuiltinMetrics } from '../metrics/builtin.js';
import { MetricsRegistry } from '../metrics/registry.js';
import { TagSet } from '../metrics/tags.js';
import type { ResolvedOptions } from '../options/types.js';
import { VuHttp, defaultResponseCallback, type HttpSample, type HttpSampleSink } from '../protocols/http/client.js';
import { toError } from '../errors.js';
import { installRuntime, type WorkerRuntime } from './context.js';
import { RateLimitedLog, userFrame } from './log.js';
import { logLine } from './console.js';
import { whereThrown } from './thrown.js';
import { TargetHealth } from './target-health.js';
import { setInitContext } from './init-open.js';
import type { TaskFailure } from './protocol.js';

export const registry = new MetricsRegistry();

/** Called when the script calls exec.test.abort() during a run task (set by segment-task.ts). */
export const abortHook: { onAbort: ((reason: string) => void) | undefined } = { onAbort: undefined };

export const rt: WorkerRuntime = {
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
    abortHook.onAbort?.(this.abortReason);
  },
};
installRuntime(rt);

export const log = new RateLimitedLog((line, fields) => logLine('error', line, fields));
export const health = new TargetHealth((line) => process.stderr.write(`${line}\n`), locateRequest);

/** Where in the script the request being recorded was made (the sink runs inside its call). */
function locateRequest(): string | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  const err = new Error();
  Error.stackTraceLimit = limit;
  return userFrame(err, currentScript.path);
}

type ScriptModule = Record<string, unknown>;
let loaded: { url: string; module: ScriptModule } | undefined;
/** The user's script path of the task under way (for error locations). */
export const currentScript: { path: string | undefined } = { path: undefined };

/** Imports the bundled script once per thread (module scope is per worker, not per VU). */
export async function loadScript(url: string): Promise<ScriptModule> {
  if (loaded?.url === url) return loaded.module;
  setInitContext(currentScript.path); // open() works while the module scope runs
  try {
    const module = (await import(url)) as ScriptModule;
    loaded = { url, module };
    return module;
  } finally {
    setInitContext(undefined);
  }
}

function httpSink(sample: HttpSample): void {
  recordHttp(registry, rt.metrics, sample);
  if (sample.failed) health.noteFailed(sample.tags, sample.bytesReceived);
  else health.responses++;
}

/** Records one request's samples (the hot path: twelve registry adds, no allocation). */
export function recordHttp(registry: MetricsRegistry, m: BuiltinMetrics, sample: HttpSample): void {
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
  registry.add(m.http_req_rate_limited, tags, sample.rateLimited ? 1 : 0);
  registry.add(m.data_sent, tags, sample.bytesSent);
  registry.add(m.data_received, tags, sample.bytesReceived);
}

/** A factory of VU HTTP clients configured by the test's options, recording into `sink`. */
export function httpFactory(options: ResolvedOptions, sink: HttpSampleSink = httpSink): () => VuHttp {
  const config = {
    userAgent: options.userAgent,
    discardResponseBodies: options.discardResponseBodies,
    noConnectionReuse: options.noConnectionReuse,
    defaultTimeoutMs: 60_000,
    maxRedirects: options.maxRedirects,
    insecureSkipTLSVerify: options.insecureSkipTLSVerify,
    tlsVersion: options.tlsVersion,
    tlsAuth: options.tlsAuth,
    tlsCipherSuites: options.tlsCipherSuites,
    maxConnectionsPerHost: options.batchPerHost,
    maxResponseBodyBytes: options.maxResponseBodySize,
    hosts: options.hosts,
    responseCallback: () => (rt.responseCallback === undefined ? defaultResponseCallback : rt.responseCallback),
  };
  return () => new VuHttp(config, sink);
}

/** The tags every sample of the test carries (options.tags). */
export function baseTags(options: ResolvedOptions): TagSet {
  return TagSet.EMPTY.withAll(options.tags);
}

/** A script failure in `phase`, as data for the coordinator, with what was measured until then. */
export function failure(phase: TaskFailure['phase'], e: unknown, scriptPath: string): TaskFailure {
  const err = toError(e);
  return { kind: 'failure', phase, message: err.message, where: whereThrown(e, undefined, scriptPath), snapshot: registry.takeSnapshot() };
}
