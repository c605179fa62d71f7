import type { MetricDef, SeriesSnapshot, SinkSnapshot, Tags } from '../metrics/types.js';
import type { ResolvedOptions } from '../options/types.js';
import type { SummaryMode } from '../output/summary-report.js';
import type { SummaryGroup } from '../output/summary-types.js';
import type { RunState } from '../runtime/run-end.js';
import type { StageResult } from '../runtime/stage-results.js';
import type { TestIdentity } from './identity.js';
import type { LoadLevel } from './load-level.js';
import type { CapacityResult } from '../capacity/result.js';
import type { TargetRecord } from '../watch/types.js';

export type { LoadLevel } from './load-level.js';

/** The record's format name, so a reader can tell a run record from any JSON file. */
export const RECORD_FORMAT = 'loadts-run-record';
/**
 * The record's version. A reader refuses a newer major version (fields it does not understand may
 * change meaning); a newer minor version only adds fields, which an older reader ignores.
 */
export const RECORD_VERSION = { major: 1, minor: 1 } as const;

/** Where the numbers came from: the machine and the generator's own load (docs/record.md). */
export interface EnvironmentRecord {
  os: { platform: string; type: string; release: string; arch: string };
  cpu: { model: string; logicalCores: number };
  memory: { totalBytes: number; freeBytesAtStart: number; freeBytesAtEnd: number };
  /** 1, 5 and 15-minute load averages (all 0 on Windows). */
  loadAverage: { start: number[]; end: number[] };
  node: string;
  loadts: string;
  hostname: string;
  generator: {
    /** The loadts process's CPU time over the run, ms (user + system, all threads). */
    processCpuMs: number;
    /**
     * Each load worker (0-based): the share of the time its event loop was busy (not waiting for
     * I/O or timers), over the load and its highest over one second; and its thread's share of one
     * CPU core, likewise, when the platform tells (Linux). All 0..1.
     */
    workers: Array<{ worker: number; busyShare?: number; peakBusyShare?: number; cpuShare?: number; peakCpuShare?: number }>;
    peakRssBytes: number;
    /** Each worker's CPU share once a second over the run (record 1.1; absent in older records). */
    timeline?: CpuTimeline;
  };
}

/** Worker threads' CPU over time: at wall-clock `atMs[i]`, worker w used `shares[i][w]` of one core (0..1). */
export interface CpuTimeline {
  atMs: number[];
  shares: number[][];
}

/** One threshold, judged. */
export interface RecordThreshold {
  /** The metric key as written ('http_req_duration{status:200}'). */
  metric: string;
  /** The expression ('p(95)<200'). */
  source: string;
  ok: boolean;
  /** The value it was judged on; absent when nothing was compared (an empty rate). */
  value?: number;
  abortOnFail: boolean;
}

/** One series over the run: its points as in TimeSeriesStore. */
export interface RecordSeries {
  metric: string;
  key: string;
  tags: Tags;
  /** Interval index of each point: it starts at timeSeries.originMs + index × intervalMs. */
  index: number[];
  data: SinkSnapshot[];
}

/** One part of a fleet's run, or one record of a merge. */
export interface FleetPart {
  /** The part's number from 0: the fleet's slot, or the record's place in the merge (ordered by segment). */
  index: number;
  /** Its execution segment ('1/3:2/3'). */
  segment: string;
  /** Who ran it: the instance's name (its pod or host name), or the merged record's file. */
  name: string;
  /** Fleet: the slot's last state (done: it ran to its end; lost: it stopped reporting; failed; free; or a phase); merge: its record's end.state. */
  state: string;
  /** Where its numbers came from (merge: the record's environment; fleet: the instance's host). */
  hostname?: string;
  /** Its worker threads. */
  workers?: number;
}

/** A fleet's or a merge's parts (1.1): absent for a run of one process. */
export interface FleetRecord {
  parts: FleetPart[];
  /** The segments no part covered ([] when the whole test ran): the results lack them. */
  missingSegments: string[];
}

/**
 * Everything about one run, to see it again without rerunning it: `loadts summary`, `report`,
 * `compare` and `merge` read it. Versioned (RECORD_VERSION) and documented in docs/record.md.
 */
export interface RunRecord {
  format: typeof RECORD_FORMAT;
  version: string;
  loadtsVersion: string;
  script: { path: string };
  /** The resolved options (secrets such as TLS keys masked). */
  options: ResolvedOptions;
  /** Wall-clock times, ISO 8601 UTC. */
  startedAt: string;
  endedAt: string;
  /** The load's duration, ms (0 when no load ran). */
  durationMs: number;
  end: { state: RunState; exitCode: number; errors: string[]; warnings: string[] };
  thresholds: RecordThreshold[];
  /** The group tree with its checks, as in handleSummary's data. */
  rootGroup: SummaryGroup;
  /** The final metrics per metric and tag set; trends carry their HDR histograms (compressed base64). */
  metrics: { defs: MetricDef[]; series: SeriesSnapshot[] };
  /**
   * The run over time (docs/record.md): points of intervalMs (baseIntervalMs, the --series-interval,
   * doubled as often as the store had to coalesce) from originMs (wall-clock ms, the run's start).
   */
  timeSeries: { originMs: number; intervalMs: number; baseIntervalMs: number; series: RecordSeries[] };
  stages: StageResult[];
  /**
   * The load-level table (since 1.1): one row per stage of each ramping scenario, or per level of a
   * capacity search (docs/capacity.md).
   */
  loadLevels?: LoadLevel[];
  run: {
    workers: number;
    executionSegment: string;
    executionSegmentSequence: string;
    iterations: { complete: number; interrupted: number };
    /** The end-of-test summary's mode (--summary-mode): `loadts summary` prints the same by default. */
    summaryMode: SummaryMode;
    /** Wall-clock ms (Unix epoch) when the scenarios' clock started (their startTime 0); absent when no load ran. */
    loadStartedAtMs?: number;
    scenarios: Array<{ name: string; executor: string }>;
  };
  environment: EnvironmentRecord;
  /** Which test this is (1.1): hashes of the bundled script and of the options its parts share. */
  test?: TestIdentity;
  /** The parts of a fleet's run or of a merged record (1.1). */
  fleet?: FleetRecord;
  /** The watched target (since 1.1; --watch-pid / --watch-cmd): samples once a second and the leak judgement. */
  target?: TargetRecord;
  /** A capacity search's result (since 1.1; `loadts capacity`, docs/capacity.md). */
  capacity?: CapacityResult;
  /** setup()'s data, as handleSummary receives it. */
  setupData?: unknown;
}
