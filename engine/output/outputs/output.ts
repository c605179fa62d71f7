import type { Writable } from 'node:stream';
import type { TimeInterval } from '../../metrics/time-series.js';
import type { MetricDef, Tags } from '../../metrics/types.js';
import type { ResolvedOptions } from '../../options/types.js';
import type { CpuTimeline, RunRecord } from '../../record/types.js';
import type { SummaryData } from '../summary-types.js';

/** What an output learns when the run starts. */
export interface OutputStart {
  /** The script, as the user named it. */
  scriptPath: string;
  options: ResolvedOptions;
  /** Wall-clock ms when the run started (the time series' origin). */
  startedAtMs: number;
  /** The metrics the script's init context defined (built-in and custom). */
  metrics: readonly MetricDef[];
  /** Load worker threads. */
  workers: number;
  /** Facts of the running test that are not metrics (a live view such as the web dashboard reads them). */
  live?: LiveRun;
}

/** What an output may ask the running test at any time (cheap reads of the coordinator's state). */
export interface LiveRun {
  /** Wall-clock ms when the load started (after setup()); undefined before. */
  loadStartedAtMs(): number | undefined;
  /** Each load worker's CPU share over the run so far (the generator's own load). */
  generatorCpu(): CpuTimeline;
}

/** One series a batch of raw samples refers to. */
export interface SampleSeries {
  readonly metric: MetricDef;
  readonly tags: Tags;
}

/**
 * Raw samples, as the workers batch them (only for outputs that want them): sample i is
 * `values[i]` of series `table[series[i]]`, taken at `times[i]` (wall-clock ms, µs precision).
 */
export interface SampleBatch {
  readonly length: number;
  readonly series: Int32Array;
  readonly values: Float64Array;
  readonly times: Float64Array;
  readonly table: readonly SampleSeries[];
}

/** The end of a run: every consumer of the results reads this one value (also after Ctrl-C or a fault). */
export interface RunEnd {
  record: RunRecord;
  /** handleSummary's data, derived from the record. */
  summary: SummaryData;
}

/**
 * An output, k6's shape (output/types.go: Start, AddMetricSamples, Stop): one file each in this
 * folder, chosen with `--out NAME[=ARG]`. Every output passes the shared conformance suite
 * (conformance.ts). An output never slows the test: what it receives during the run it buffers
 * and writes on its own schedule.
 */
export interface Output {
  /** For messages: 'json (results.ndjson.gz)'. */
  readonly description: string;
  /** Opens the destination. A failure stops the run before any load, as one line naming the output. */
  start(info: OutputStart): Promise<void>;
  /** One closed interval of the time series (once per interval, 1 s by default). */
  addInterval?(interval: TimeInterval): void;
  /** A batch of raw samples (only when the output's type wants samples). */
  addSamples?(batch: SampleBatch): void;
  /** Writes what remains and closes; `end` is the run's result. */
  stop(end: RunEnd): Promise<void>;
}

/** What creating an output may use. */
export interface OutputEnv {
  cwd: string;
  /** Where an output says something to the user (its URL, a warning): one line each. */
  say?: (line: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  /** Where `--out json=-` (or `--out json`) writes, as in k6; absent where there is no such stream. */
  stdout?: Writable;
}

/** An output type: `--out NAME[=ARG]`. */
export interface OutputType {
  readonly name: string;
  /** One line for `loadts help run`. */
  readonly help: string;
  /** Whether it needs every sample: the workers then batch them (a cost on the hot path, stated in docs/performance.md). */
  readonly wantsSamples: boolean;
  /**
   * Whether it writes the run's end state (exit code, errors) for others to gate on: such outputs
   * stop after all the others, so a failure of another output is in what they write.
   */
  readonly writesEndState?: boolean;
  /** Checks `arg` and makes the output; throws a LoadtsError (INVALID_FLAG) naming the output. */
  create(arg: string | undefined, env: OutputEnv): Output;
}
