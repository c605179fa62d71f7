import type { Metric, MetricsRegistry } from './registry.js';

/** k6's built-in metrics, by their k6 names. */
export const BUILTIN_METRICS = {
  vus: ['gauge', 'default'],
  vus_max: ['gauge', 'default'],
  iterations: ['counter', 'default'],
  iteration_duration: ['trend', 'time'],
  dropped_iterations: ['counter', 'default'],
  data_sent: ['counter', 'data'],
  data_received: ['counter', 'data'],
  checks: ['rate', 'default'],
  group_duration: ['trend', 'time'],
  http_reqs: ['counter', 'default'],
  http_req_duration: ['trend', 'time'],
  http_req_blocked: ['trend', 'time'],
  http_req_connecting: ['trend', 'time'],
  http_req_tls_handshaking: ['trend', 'time'],
  http_req_sending: ['trend', 'time'],
  http_req_waiting: ['trend', 'time'],
  http_req_receiving: ['trend', 'time'],
  http_req_failed: ['rate', 'default'],
  /** loadts's own: responses that said "slow down": 429, or 503 with Retry-After (docs/capacity.md). */
  http_req_rate_limited: ['rate', 'default'],
} as const satisfies Record<string, readonly [string, string]>;

export type BuiltinMetricName = keyof typeof BUILTIN_METRICS;
export type BuiltinMetrics = { readonly [K in BuiltinMetricName]: Metric };

/** Defines every built-in metric in `registry` and returns their handles for the hot path. */
export function defineBuiltinMetrics(registry: MetricsRegistry): BuiltinMetrics {
  const out: Partial<Record<BuiltinMetricName, Metric>> = {};
  for (const name of Object.keys(BUILTIN_METRICS) as BuiltinMetricName[]) {
    const [type, contains] = BUILTIN_METRICS[name];
    out[name] = registry.define(name, type, contains);
  }
  return out as BuiltinMetrics;
}

/**
 * Metrics loadts adds to k6's set. They only appear in results when they got samples.
 * - iteration_errors: iterations that ended with an uncaught exception, also one thrown in a timer
 *   callback the iteration set (vu-timers.ts; they also count in `iterations`).
 * - script_errors: errors the script threw where no iteration could catch them: a rejected promise
 *   nobody awaited (fire-and-forget), an exception outside every iteration's promise chain
 *   (setImmediate, process.nextTick, an event listener, Node's own timers). The worker and its VUs
 *   keep running.
 * - iteration_start_lag: open-model executors only: how late an iteration started against its
 *   scheduled time (0 when the generator keeps up).
 * - iteration_duration_corrected: open-model executors only: iteration_duration measured from the
 *   scheduled start instead of the actual one (wrk2's corrected latency).
 */
export const LOADTS_METRICS = {
  iteration_errors: ['counter', 'default'],
  script_errors: ['counter', 'default'],
  iteration_start_lag: ['trend', 'time'],
  iteration_duration_corrected: ['trend', 'time'],
  /** The watched target (--watch-pid / --watch-cmd), sampled once a second by the coordinator. */
  target_rss: ['trend', 'data'],
  target_cpu: ['trend', 'default'],
  target_fds: ['trend', 'default'],
  target_threads: ['trend', 'default'],
  /** The target's RSS growth after the warm-up, bytes per minute: the lower end of its 95% interval (0 when it includes 0). */
  target_rss_growth: ['gauge', 'data'],
} as const satisfies Record<string, readonly [string, string]>;

export type LoadtsMetricName = keyof typeof LOADTS_METRICS;
export type LoadtsMetrics = { readonly [K in LoadtsMetricName]: Metric };

/** Defines loadts's own metrics in `registry`. */
export function defineLoadtsMetrics(registry: MetricsRegistry): LoadtsMetrics {
  const out: Partial<Record<LoadtsMetricName, Metric>> = {};
  for (const name of Object.keys(LOADTS_METRICS) as LoadtsMetricName[]) {
    const [type, contains] = LOADTS_METRICS[name];
    out[name] = registry.define(name, type, contains);
  }
  return out as LoadtsMetrics;
}
