import type { Writable } from 'node:stream';
import type { LoadtsError } from '../errors.js';
import type { Options } from '../options/types.js';
import type { SummaryData } from '../output/summary-types.js';
import type { OutputSpec } from '../output/outputs/index.js';
import type { SecretSource } from '../secrets/sources.js';
import type { SummaryMode } from '../output/summary-report.js';
import type { LogConfig } from './console.js';
import type { Bundle } from '../script/bundle.js';
import type { ResolvedOptions } from '../options/types.js';
import type { Output, OutputType } from '../output/outputs/index.js';

/**
 * A test given ready-made, as a fleet's coordinator gives it to an instance: the bundle (not
 * bundled again), the resolved options (with the instance's own execution segment), and the run's
 * start (the time series' origin, shared by the whole fleet).
 */
export interface GivenTest {
  bundle: Bundle;
  options: ResolvedOptions;
  runStartedAtEpochMs: number;
}
import type { RunRecord } from '../record/types.js';
import type { WatchSpec } from '../watch/target-watch.js';

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
  /** --no-remote-modules: https:// imports are not fetched. */
  noRemoteModules?: boolean;
  /** --secret-source sources, loaded (their values are already redacted from this process's output). */
  secretSources?: SecretSource[];
  quiet: boolean;
  noColor: boolean;
  /** Worker threads; default: available cores. */
  workers?: number;
  /** Each worker thread's heap limit, MiB (default: Node's default for this machine). */
  workerHeapMb?: number;
  /** The process's memory limit, bytes (default: 90% of the machine's or the container's memory). */
  memoryLimitBytes?: number;
  /** --out NAME[=ARG] (and K6_OUT), parsed. */
  outputs?: OutputSpec[];
  /** The time series' interval, ms (default 1000). */
  seriesIntervalMs?: number;
  /** No Markdown summary appended to $GITHUB_STEP_SUMMARY (--no-step-summary). */
  noStepSummary?: boolean;
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
  /** --summary-mode: compact (k6 1.x's default), full or legacy. */
  summaryMode?: SummaryMode;
  /** The target process to watch (--watch-pid, --watch-cmd): its memory, CPU, fds and threads. */
  watch?: WatchSpec;
  /** How scripts' console and errors are logged (--log-format, -v, --console-output); default k6's text. */
  log?: LogConfig;
  /** A test given ready-made (a fleet instance): no bundling, no option resolution. */
  given?: GivenTest;
  /** Outputs made by the caller rather than by --out (a fleet instance's link to its coordinator). */
  extraOutputs?: Array<{ type: OutputType; output: Output }>;
  /** Never run the script's handleSummary() (a fleet instance: the coordinator runs it once). */
  noHandleSummary?: boolean;
}

export interface RunOutcome {
  exitCode: number;
  /** The summary data, when the test got as far as running. */
  summary: SummaryData | undefined;
  /** The error that ended the run early, if any (already printed). */
  error: LoadtsError | undefined;
  /** The run record, when the test got as far as running (what a caller such as the capacity search reads). */
  record?: RunRecord;
}
