/**
 * The fleet protocol: JSON over HTTP between one coordinator and its instances. Instances call,
 * the coordinator answers (instances need no open port); every call carries the shared token as
 * `authorization: Bearer <LOADTS_FLEET_TOKEN>` when the coordinator has one.
 *
 *   POST /v1/join    JoinRequest → JoinResponse: the instance's slot, segment, options, env, origin
 *   GET  /v1/bundle  the bundled script (the instance does not bundle it again)
 *   POST /v1/report  Report → ReportReply: its phase, its counters and each closed interval of its
 *                    time series (encoded HDR histograms, never samples); the reply carries
 *                    setup()'s data, the start time, or a stop
 */
import type { TimeInterval } from '../metrics/time-series.js';
import type { MetricDef } from '../metrics/types.js';
import type { ResolvedOptions } from '../options/types.js';
import type { WorkerStatus } from '../runtime/protocol.js';
import type { StopState } from '../runtime/run-end.js';

export const FLEET_PATHS = { join: '/v1/join', bundle: '/v1/bundle', report: '/v1/report' } as const;

/** The environment variable holding the fleet's shared token. */
export const TOKEN_ENV = 'LOADTS_FLEET_TOKEN';

/** The coordinator's default port (k6's REST API has 6565). */
export const DEFAULT_FLEET_PORT = 6566;

/** How often a running instance reports (its intervals and counters). */
export const REPORT_EVERY_MS = 1000;
/** How often an instance asks while it waits (for setup()'s data, for the start). */
export const WAIT_POLL_MS = 100;
/** How long before the start time the coordinator sets it, so every instance learns it in time. */
export const START_LEAD_MS = 1000;
/** Defaults of the coordinator's --lost-after and --join-timeout. */
export const DEFAULT_LOST_AFTER_MS = 10_000;
export const DEFAULT_JOIN_TIMEOUT_MS = 120_000;

export interface JoinRequest {
  /** The instance's name for messages (its pod or host name). */
  name: string;
  /** The slot it asks for (an Indexed Job's JOB_COMPLETION_INDEX), from 0; absent: any free one. */
  index?: number;
  loadtsVersion: string;
}

export interface JoinResponse {
  /** The slot given, from 0. */
  index: number;
  /** Identifies this instance's later calls (a restarted pod gets a new one). */
  session: string;
  instances: number;
  /** The instance's execution segment and the fleet's sequence. */
  segment: string;
  sequence: string;
  /** The resolved options, with the instance's segment set. */
  options: ResolvedOptions;
  /** The coordinator's -e values (the script's __ENV over the instance's own environment). */
  env: Record<string, string>;
  /** The script's path on the coordinator (open() reads files relative to it: mount them at the same path). */
  scriptPath: string;
  /** The engine's API folder in the coordinator's bundle, to be replaced by the instance's own. */
  apiDirUrl: string;
  /** The bundle's identity, checked by the instance once it has it. */
  bundleSha256: string;
  /** The run's start (the time series' origin) and the series' interval. */
  originMs: number;
  seriesIntervalMs: number;
  /** The instance stops after hearing nothing from the coordinator for this long. */
  lostAfterMs: number;
}

/** An instance's phase, as it reports it. */
export type InstancePhase = 'joined' | 'prepared' | 'ready' | 'running' | 'done' | 'failed';

export interface Report {
  index: number;
  session: string;
  phase: InstancePhase;
  /** Its counters now, and as of the metrics it has sent (see Collector.totals). */
  status?: WorkerStatus;
  mergedStatus?: WorkerStatus;
  /** Closed intervals of its time series not sent before (resent after a failed call: the coordinator skips those it has). */
  intervals: TimeInterval[];
  /** The number of intervals[0] in this instance's sequence of intervals, from 0. */
  firstSeq: number;
  /** Every interval that starts before this (epoch ms) is closed and sent. */
  closedBeforeMs: number;
  metricDefs?: MetricDef[];
  /** Its worker threads. */
  workers?: number;
  /** The instance stopped on its own (exec.test.abort(), Ctrl-C): the fleet follows. */
  stopped?: { state: StopState; message: string };
  /** With 'done': how long its load ran, its errors and warnings; with 'failed': why. */
  durationMs?: number;
  exitCode?: number;
  errors?: string[];
  warnings?: string[];
}

export interface ReportReply {
  /** setup()'s data, once it ran (JSON, as k6 passes it). */
  setup?: { data: unknown };
  /** The start time, epoch ms. */
  startAtMs?: number;
  /** Stop now. */
  stop?: { state: StopState; message: string };
}

/** An error answer: one line for the user. */
export interface FleetError {
  error: string;
  /** Try again later (the coordinator is still preparing the test). */
  retry?: boolean;
}
