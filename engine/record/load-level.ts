/**
 * One row of the load-level table: how the target behaved under one load. The per-stage rows of a
 * ramping test and the levels of a capacity search are the same rows, in the text summary, the run
 * record (`loadLevels`) and the step summary: the table engineers otherwise build by hand.
 */
export interface LoadLevel {
  /** What the row is: 'default stage 2' (a ramping scenario's stage) or 'level 3' (a capacity search's). */
  label: string;
  /** The offered load: an arrival rate (iterations/s, the open model) or concurrent VUs (closed). `from` when the stage ramped. */
  load: { unit: 'iterations/s' | 'VUs'; value: number; from?: number };
  /** Time measured, ms. */
  durationMs: number;
  /** Achieved throughput over the measured time. */
  requestsPerSec: number;
  iterationsPerSec: number;
  /** http_req_duration percentiles, ms (absent without requests). */
  p50?: number;
  p95?: number;
  p99?: number;
  /** http_req_failed rate, 0..1. */
  errorRate?: number;
  /** http_req_rate_limited rate (429, or 503 with Retry-After), 0..1. */
  rateLimitedRate?: number;
  droppedIterations: number;
  /** The busiest load worker thread's demand for a CPU core, 0..1: the share of the time it ran or waited to run (Linux). */
  generatorCpu?: number;
  /** The watched target's largest RSS in the level, bytes (with --watch-pid / --watch-cmd). */
  targetRssBytes?: number;
  /**
   * pass: every SLO held; fail: one did not (or the offered rate was not sustained); generator-bound:
   * the load generator ran out of CPU or could not keep its schedule, so the row says nothing about
   * the target; '-' when nothing was judged.
   */
  verdict: 'pass' | 'fail' | 'generator-bound' | '-';
  /** Each SLO (threshold) judged on this level's samples alone. */
  slos?: Array<{ metric: string; source: string; ok: boolean; value?: number }>;
  /** Why the verdict is what it is, one line (the first SLO crossed, the generator's CPU). */
  note?: string;
}
