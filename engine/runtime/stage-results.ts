import type { MetricsAggregate } from '../metrics/aggregate.js';
import type { ResolvedScenario } from '../options/types.js';
import { Ramp } from '../execution/ramp.js';

/** One row of the per-stage table: how the target behaved under one stage's load. */
export interface StageResult {
  scenario: string;
  stage: number;
  /** 'VUs' for ramping-vus, 'iterations/s' for ramping-arrival-rate. */
  unit: 'VUs' | 'iterations/s';
  /** Load at the stage's start and end. */
  from: number;
  target: number;
  /** When the stage started, ms after the load's start. */
  startMs: number;
  /** Time actually spent in the stage (shorter when the run stopped early). */
  durationMs: number;
  requestsPerSec: number;
  iterationsPerSec: number;
  /** http_req_duration percentiles in ms (undefined without requests). */
  p50: number | undefined;
  p95: number | undefined;
  p99: number | undefined;
  /** http_req_failed rate, 0..1. */
  errorRate: number | undefined;
  /** The most VUs active at once during the stage (counted by the workers, not sampled). */
  maxVUs: number;
}

/** The most VUs active at once in stage `stage` of `scenario` (exact, from the workers). */
export type StageVUs = (scenario: string, stage: number) => number;

function stageRamp(s: ResolvedScenario): { ramp: Ramp; unit: StageResult['unit']; perUnit: number } | undefined {
  if (s.executor === 'ramping-vus') return { ramp: new Ramp(s.startVUs, s.stages), unit: 'VUs', perUnit: 1 };
  if (s.executor === 'ramping-arrival-rate') return { ramp: new Ramp(s.startRate, s.stages), unit: 'iterations/s', perUnit: 1000 / s.timeUnitMs };
  return undefined;
}

/**
 * The per-stage table of every ramping scenario, read off the `stage`-tagged series.
 * @param testDurationMs how long the test actually ran (to shorten stages cut by an early stop)
 */
export function stageResults(agg: MetricsAggregate, scenarios: readonly ResolvedScenario[], testDurationMs: number, vus: StageVUs): StageResult[] {
  const rows: StageResult[] = [];
  for (const s of scenarios) {
    const r = stageRamp(s);
    if (!r) continue;
    let startMs = s.startTimeMs;
    let from = r.ramp.start;
    r.ramp.stages.forEach((stage, i) => {
      const endMs = startMs + stage.durationMs;
      const spentMs = Math.max(Math.min(endMs, testDurationMs) - startMs, 0);
      const filter = { scenario: s.name, stage: String(i) };
      const secs = spentMs / 1000;
      const reqs = agg.values('http_reqs', filter, [], testDurationMs)?.count ?? 0;
      const iters = agg.values('iterations', filter, [], testDurationMs)?.count ?? 0;
      const d = agg.values('http_req_duration', filter, ['med', 'p(95)', 'p(99)'], testDurationMs);
      const failed = agg.values('http_req_failed', filter, [], testDurationMs);
      rows.push({
        scenario: s.name,
        stage: i,
        unit: r.unit,
        from: from * r.perUnit,
        target: stage.target * r.perUnit,
        startMs,
        durationMs: spentMs,
        requestsPerSec: secs > 0 ? reqs / secs : 0,
        iterationsPerSec: secs > 0 ? iters / secs : 0,
        p50: d?.med,
        p95: d?.['p(95)'],
        p99: d?.['p(99)'],
        errorRate: failed?.rate,
        maxVUs: vus(s.name, i),
      });
      from = stage.target;
      startMs = endMs;
    });
  }
  return rows;
}
