import type { ResolvedTlsAuth, ResolvedTlsVersion } from './tls.js';
import type { Tags } from '../metrics/types.js';

/** A duration as users write it: k6 strings ('1m30s', '500ms', '2h', '1.5s') or a number of ms. */
export type DurationInput = string | number;

export interface Stage {
  duration: DurationInput;
  target: number;
}

/** A threshold as written: 'p(95)<200' or the object form. */
export type ThresholdInput =
  | string
  | { threshold: string; abortOnFail?: boolean; delayAbortEval?: DurationInput };

interface ScenarioCommonInput {
  /** Delay from the test start before this scenario begins. Default 0s. */
  startTime?: DurationInput;
  /** How long running iterations may finish after the scenario's end. Default 30s. */
  gracefulStop?: DurationInput;
  /** Name of the exported function that is this scenario's iteration. Default 'default'. */
  exec?: string;
  /** Extra __ENV entries for this scenario's VUs. */
  env?: Record<string, string>;
  /** Extra tags on every sample of this scenario. */
  tags?: Tags;
}

/** k6's executors and their parameters (https://grafana.com/docs/k6/latest/using-k6/scenarios/executors/). */
export type ScenarioInput = ScenarioCommonInput &
  (
    | { executor: 'shared-iterations'; vus?: number; iterations?: number; maxDuration?: DurationInput }
    | { executor: 'per-vu-iterations'; vus?: number; iterations?: number; maxDuration?: DurationInput }
    | { executor: 'constant-vus'; vus?: number; duration: DurationInput }
    | { executor: 'ramping-vus'; startVUs?: number; stages: Stage[]; gracefulRampDown?: DurationInput }
    | {
        executor: 'constant-arrival-rate';
        rate: number;
        timeUnit?: DurationInput;
        duration: DurationInput;
        preAllocatedVUs: number;
        maxVUs?: number;
      }
    | {
        executor: 'ramping-arrival-rate';
        startRate?: number;
        timeUnit?: DurationInput;
        stages: Stage[];
        preAllocatedVUs: number;
        maxVUs?: number;
      }
    | { executor: 'externally-controlled'; vus?: number; maxVUs?: number; duration?: DurationInput }
  );

export type ExecutorName = ScenarioInput['executor'];

/** The `options` a script exports, a config file holds, or flags and env vars set. k6's names. */
export interface Options {
  vus?: number;
  duration?: DurationInput;
  iterations?: number;
  stages?: Stage[];
  scenarios?: Record<string, ScenarioInput>;
  thresholds?: Record<string, ThresholdInput[] | ThresholdInput>;
  /** Tags added to every sample. */
  tags?: Tags;
  summaryTrendStats?: string[];
  /** '' (auto), 's', 'ms' or 'us'. */
  summaryTimeUnit?: string;
  setupTimeout?: DurationInput;
  teardownTimeout?: DurationInput;
  userAgent?: string;
  discardResponseBodies?: boolean;
  noConnectionReuse?: boolean;
  noVUConnectionReuse?: boolean;
  maxRedirects?: number;
  insecureSkipTLSVerify?: boolean;
  /** TLS versions allowed: 'tls1.2' (only that one) or { min, max } ('tls1.0' … 'tls1.3'). */
  tlsVersion?: string | { min?: string; max?: string };
  /** Client certificates (PEM) to present, per host: [{ domains: ['api.example.com'], cert, key, password? }]. */
  tlsAuth?: Array<{ domains?: string[]; cert: string; key: string; password?: string }>;
  /** TLS 1.2 cipher suites allowed, k6's (Go's) names: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']. TLS 1.3 suites are not restricted. */
  tlsCipherSuites?: string[];
  noCookiesReset?: boolean;
  /** Host name → 'ip' or 'ip:port'. */
  hosts?: Record<string, string>;
  batch?: number;
  batchPerHost?: number;
  /** The largest response body a VU keeps: bytes, or a size such as '256MiB' (default 256 MiB). */
  maxResponseBodySize?: number | string;
  executionSegment?: string;
  executionSegmentSequence?: string;
  /** No colours in terminal output (the --no-color flag, LOADTS_NO_COLOR / K6_NO_COLOR). */
  noColor?: boolean;
}

export type OptionName = keyof Options;

// ---------------------------------------------------------------------------------------------
// Resolved form: validated, durations in ms, shortcuts turned into scenarios. The runtime reads
// only this.

export interface ResolvedStage {
  durationMs: number;
  target: number;
}

/** The fields every resolved scenario has, whatever its executor. */
export interface ResolvedScenarioCommon {
  name: string;
  startTimeMs: number;
  gracefulStopMs: number;
  exec: string;
  env: Record<string, string>;
  tags: Tags;
}

export type ResolvedScenario = ResolvedScenarioCommon &
  (
    | { executor: 'shared-iterations'; vus: number; iterations: number; maxDurationMs: number }
    | { executor: 'per-vu-iterations'; vus: number; iterations: number; maxDurationMs: number }
    | { executor: 'constant-vus'; vus: number; durationMs: number }
    | { executor: 'ramping-vus'; startVUs: number; stages: ResolvedStage[]; gracefulRampDownMs: number }
    | {
        executor: 'constant-arrival-rate';
        rate: number;
        timeUnitMs: number;
        durationMs: number;
        preAllocatedVUs: number;
        maxVUs: number;
      }
    | {
        executor: 'ramping-arrival-rate';
        startRate: number;
        timeUnitMs: number;
        stages: ResolvedStage[];
        preAllocatedVUs: number;
        maxVUs: number;
      }
    | { executor: 'externally-controlled'; vus: number; maxVUs: number; durationMs: number }
  );

export interface ResolvedThreshold {
  /** The expression as written, e.g. 'p(95)<200'. */
  source: string;
  abortOnFail: boolean;
  delayAbortEvalMs: number;
}

export interface ResolvedOptions {
  scenarios: ResolvedScenario[];
  /** Metric key as written ('http_req_duration{status:200}') → its thresholds. */
  thresholds: Record<string, ResolvedThreshold[]>;
  tags: Tags;
  summaryTrendStats: string[];
  summaryTimeUnit: '' | 's' | 'ms' | 'us';
  setupTimeoutMs: number;
  teardownTimeoutMs: number;
  userAgent: string;
  discardResponseBodies: boolean;
  noConnectionReuse: boolean;
  noVUConnectionReuse: boolean;
  maxRedirects: number;
  insecureSkipTLSVerify: boolean;
  tlsVersion: ResolvedTlsVersion;
  tlsAuth: ResolvedTlsAuth[];
  /** k6 names, validated; [] = Node's defaults. */
  tlsCipherSuites: string[];
  noCookiesReset: boolean;
  hosts: Record<string, string>;
  batch: number;
  batchPerHost: number;
  /** Bytes: a longer response body is read and counted, not kept, and the response is an error. */
  maxResponseBodySize: number;
  /** '0:1' when not set. */
  executionSegment: string;
  /** '' when not set. */
  executionSegmentSequence: string;
  noColor: boolean;
}
