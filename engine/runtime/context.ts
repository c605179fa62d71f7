import { AsyncLocalStorage } from 'node:async_hooks';
import type { BuiltinMetrics, LoadtsMetrics } from '../metrics/builtin.js';
import type { MetricsRegistry } from '../metrics/registry.js';
import type { TagSet } from '../metrics/tags.js';
import type { ResolvedOptions } from '../options/types.js';
import type { VU } from './vu.js';
import type { InstanceCounters } from './protocol.js';

/**
 * Where a VU's code runs right now: the VU, the tags its samples get, and the group path.
 * `group()` runs its callback in a child scope; everything else reads the current one.
 */
export interface VUScope {
  readonly vu: VU;
  /** Mutable only through exec.vu.tags, which applies to the rest of the iteration too. */
  tags: TagSet;
  /** '' at the top, '::outer::inner' inside groups (k6's group tag). */
  readonly groupPath: string;
}

/** The scope of the VU whose code is running; undefined in the init context (module scope). */
export const vuStorage = new AsyncLocalStorage<VUScope>();

/** What a script is currently running in this worker. */
export type Phase = 'init' | 'setup' | 'run' | 'teardown' | 'summary';

/** A worker thread's runtime: one per thread, shared by all the VUs it runs. */
export interface WorkerRuntime {
  readonly registry: MetricsRegistry;
  readonly metrics: BuiltinMetrics;
  /** Metrics loadts adds to k6's (see docs/metrics.md). */
  readonly loadtsMetrics: LoadtsMetrics;
  /** Undefined only while the script's module scope is first evaluated (options not known yet). */
  options: ResolvedOptions | undefined;
  /** __ENV outside scenarios: -e flags over the process environment. */
  env: Record<string, string>;
  phase: Phase;
  /** exec.instance facts; `counters` are this process's (this worker's live, the others' ≤ 0.2 s old). */
  instance: { workerIndex: number; workers: number; startedAtMs: number; counters: () => InstanceCounters };
  /** Stops the whole test (exec.test.abort()). */
  abortTest(reason: string): void;
  /** Set once exec.test.abort() was called. */
  abortReason: string | undefined;
  /** The watched target's latest sample (exec.target), when a watch runs. */
  target?: import('./protocol.js').TargetReading;
  /** http.setResponseCallback(): undefined = k6's default (200–399), null = none. */
  responseCallback: ((status: number) => boolean) | null | undefined;
}

let runtime: WorkerRuntime | undefined;

/** Installs this thread's runtime (the worker entry does it once). */
export function installRuntime(rt: WorkerRuntime): void {
  runtime = rt;
}

/** This thread's runtime; throws outside loadts (e.g. a script imported by plain node). */
export function getRuntime(): WorkerRuntime {
  if (runtime === undefined) {
    throw new Error('loadts API used outside a loadts run: start scripts with `loadts run script.ts`');
  }
  return runtime;
}

/** The running VU's scope, or undefined in the init context, setup and teardown outside a VU. */
export function currentScope(): VUScope | undefined {
  return vuStorage.getStore();
}

/** The running VU's scope; throws a clear error in the init context. */
export function requireScope(what: string): VUScope {
  const scope = vuStorage.getStore();
  if (scope === undefined) {
    throw new Error(`${what} can only be called inside a VU function, setup() or teardown(), not in the init context (module scope)`);
  }
  return scope;
}
