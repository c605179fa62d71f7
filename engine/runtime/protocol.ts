import type { MessagePort } from 'node:worker_threads';
import type { MetricDef, MetricsSnapshot } from '../metrics/types.js';
import type { ResolvedOptions } from '../options/types.js';
import type { SummaryData } from '../output/summary-types.js';
import type { ScriptExit } from './script-faults.js';
import type { SampleMessage } from '../metrics/sample-tap.js';
import type { SecretSource } from '../secrets/sources.js';
import type { LogConfig } from './console.js';

/** Fields every task carries. */
interface TaskBase {
  /** file:// URL of the bundled script. */
  bundleUrl: string;
  /** The user's script path (for error locations). */
  scriptPath: string;
  /** __ENV outside scenarios. */
  env: Record<string, string>;
  /** When the test run started (epoch ms, before setup): exec.instance.currentTestRunDuration counts from it. */
  runStartedAtEpochMs: number;
  /** --secret-source sources, loaded (k6/secrets); their values are redacted from output. */
  secrets?: SecretSource[];
  /** How the CLI logs (format, --verbose, --console-output); undefined: k6's defaults. */
  log?: LogConfig;
  /** An output wants every raw sample (k6's JSON, CSV): the task sends them in batches. */
  wantsSamples?: boolean;
  /**
   * The task's channel (task-channel.ts): the result comes back on it as the last message, after
   * the task's progress messages; its closing before that means the worker thread is gone.
   */
  port: MessagePort;
}

/** exec.instance's counters (k6's), for this process. */
export interface InstanceCounters {
  vusActive: number;
  vusInitialized: number;
  iterationsCompleted: number;
  iterationsInterrupted: number;
}

/** Coordinator → worker tasks (one tinypool task each). */
export type WorkerTask =
  | (TaskBase & { kind: 'init' })
  | (TaskBase & { kind: 'setup'; options: ResolvedOptions })
  | (TaskBase & {
      kind: 'run';
      options: ResolvedOptions;
      workerIndex: number;
      workers: number;
      /** Test-wide VU id offset of each scenario (by name). */
      vuIdOffsets: Record<string, number>;
      /** The time series' interval: metrics are reported at its boundaries (from runStartedAtEpochMs). */
      seriesIntervalMs: number;
      setupData: unknown;
    })
  | (TaskBase & { kind: 'teardown'; options: ResolvedOptions; setupData: unknown })
  | (TaskBase & { kind: 'summary'; options: ResolvedOptions; data: SummaryData });

/** What the script's module exposes, learned by the init task. */
export interface InitResult {
  kind: 'init';
  /** The exported `options`, as plain data (undefined when not exported). */
  options: unknown;
  /** Names of exported functions. */
  functions: string[];
  /** Every metric defined at module scope (built-in and custom). */
  metricDefs: MetricDef[];
  snapshot: MetricsSnapshot;
}

export interface SetupResult {
  kind: 'setup';
  data: unknown;
  snapshot: MetricsSnapshot;
}

export interface TeardownResult {
  kind: 'teardown';
  snapshot: MetricsSnapshot;
}

export interface SummaryResult {
  kind: 'summary';
  /** handleSummary's map (key → content), or undefined when the script has no handleSummary. */
  outputs: Record<string, string | Uint8Array> | undefined;
}

/** The end of a worker's share of the load: what it measured since its last report. */
export interface RunResult {
  kind: 'run';
  snapshot: MetricsSnapshot;
  status: WorkerStatus;
}

/** A script failure inside a task, passed back as data (stack already source-mapped). */
export interface TaskFailure {
  kind: 'failure';
  phase: 'init' | 'setup' | 'teardown' | 'summary';
  message: string;
  /** 'script.ts:12:7' when known. */
  where: string | undefined;
  /** What the task measured before it failed (setup's own requests, say), since its last report. */
  snapshot?: MetricsSnapshot;
}

export type WorkerResult = InitResult | SetupResult | TeardownResult | SummaryResult | RunResult | TaskFailure;

/** A worker's counters, sent about five times a second. */
export interface WorkerStatus {
  vus: number;
  vusMax: number;
  complete: number;
  interrupted: number;
  failed: number;
  dropped: number;
  /** Iterations running at the moment (counted as interrupted when the worker is lost). */
  running?: number;
  /** HTTP requests that got a response, and that failed before any (see target-health.ts). */
  responses: number;
  networkErrors: number;
  /** The first network failure, described ('GET http://…: dial: connection refused (error_code 1212)'). */
  firstNetworkError?: string;
  /** Of networkErrors: the URL was invalid (the request never reached the network). */
  invalidUrls?: number;
  /** Of networkErrors: bytes of the response had arrived, and how many (see target-health.ts). */
  brokenResponses?: number;
  brokenResponseBytes?: number;
  /** Per scenario: progress 0..1, active VUs, and whether it has finished in this worker. */
  /** stageMaxVUs: the most VUs active at once in each stage (ramping executors), this worker's. */
  scenarios: Array<{ name: string; progress: number; vus: number; done: boolean; stageMaxVUs: number[] }>;
  /** The worker's event loop since its thread started (Node's eventLoopUtilization), ms: for the generator-bound warning. */
  loop?: LoopTimes;
}

/** How long an event loop has been idle (waiting for I/O or timers) and active, ms. */
export interface LoopTimes {
  idleMs: number;
  activeMs: number;
}

/** Worker → coordinator messages on a task's port. */
export type WorkerMessage =
  /** What the thread wrote to its stdout or stderr (worker-stdio.ts). */
  | { kind: 'output'; stream: 'stdout' | 'stderr'; text: string }
  /** Raw samples, batched (only when the task wantsSamples). */
  | SampleMessage
  /** The first message of every task: the thread that runs it (to find where a stuck one is). */
  | { kind: 'thread'; threadId: number; /** Linux's thread id, for its CPU time */ tid: number | undefined }
  | { kind: 'ready' }
  | { kind: 'status'; status: WorkerStatus }
  /**
   * What was measured since the last report (status: only on run tasks, as of the same moment).
   * `atMs`: the wall-clock time it covers up to (an interval boundary for the time series).
   */
  | { kind: 'metrics'; snapshot: MetricsSnapshot; status?: WorkerStatus; atMs?: number }
  /** The last message of every task. */
  | { kind: 'result'; result: WorkerResult }
  /** The script called exec.test.abort(reason). */
  | { kind: 'abort'; reason: string }
  /** The script called process.exit(): the thread ends right after this, with what it measured. */
  | { kind: 'exit'; exit: ScriptExit; snapshot: MetricsSnapshot; status?: WorkerStatus };

/** Coordinator → worker messages on a task's port. */
export type CoordinatorMessage =
  /** Start the scenarios at this wall-clock time (performance.timeOrigin + now). */
  | { kind: 'start'; atEpochMs: number }
  /** Stop now: no new iterations, running ones interrupted (setup() and teardown() too). */
  | { kind: 'stop' }
  /** The other workers' counters, sent back after each status (exec.instance adds its own, live). */
  | { kind: 'instance'; others: InstanceCounters }
  /** New settings for an externally-controlled scenario (test-wide numbers). */
  | { kind: 'control'; scenario: string; vus: number; maxVUs: number; paused: boolean }
  /** The watched target's latest sample (--watch-pid / --watch-cmd), once a second: exec.target. */
  | { kind: 'target'; sample: TargetReading };

/** One sample of the watched target, as VU code reads it (exec.target). */
export interface TargetReading {
  /** Wall-clock ms of the sample. */
  atMs: number;
  rssBytes: number;
  cpuPercent: number;
  fds: number | undefined;
  threads: number | undefined;
}
