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
  /** Most VUs seen running during the stage. */
  maxVUs: number;
}

/** Tracks the most VUs each ramping scenario ran in each of its stages (fed about once a second). */
export class StageVUTracker {
  readonly #ramps = new Map<string, { startMs: number; ramp: Ramp }>();
  readonly #max = new Map<string, number[]>();

  constructor(scenarios: readonly ResolvedScenario[]) {
    for (const s of scenarios) {
      const ramp = stageRamp(s);
      if (ramp) this.#ramps.set(s.name, { startMs: s.startTimeMs, ramp: ramp.ramp });
    }
  }

  /** Records `vus` of `scenario` at `elapsedMs` since the test start. */
  record(scenario: string, elapsedMs: number, vus: number): void {
    const r = this.#ramps.get(scenario);
    if (!r) return;
    const t = elapsedMs - r.startMs;
    if (t < 0) return;
    const stage = r.ramp.stageAt(t);
    const list = this.#max.get(scenario) ?? [];
    list[stage] = Math.max(list[stage] ?? 0, vus);
    this.#max.set(scenario, list);
  }

  maxVUs(scenario: string, stage: number): number {
    return this.#max.get(scenario)?.[stage] ?? 0;
  }
}

function stageRamp(s: ResolvedScenario): { ramp: Ramp; unit: StageResult['unit']; perUnit: number } | undefined {
  if (s.executor === 'ramping-vus') return { ramp: new Ramp(s.startVUs, s.stages), unit: 'VUs', perUnit: 1 };
  if (s.executor === 'ramping-arrival-rate') return { ramp: new Ramp(s.startRate, s.stages), unit: 'iterations/s', perUnit: 1000 / s.timeUnitMs };
  return undefined;
}

/**
 * The per-stage table of every ramping scenario, read off the `stage`-tagged series.
 * @param testDurationMs how long the test actually ran (to shorten stages cut by an early stop)
 */
export function stageResults(agg: MetricsAggregate, scenarios: readonly ResolvedScenario[], testDurationMs: number, vus: StageVUTracker): StageResult[] {
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
        durationMs: spentMs,
        requestsPerSec: secs > 0 ? reqs / secs : 0,
        iterationsPerSec: secs > 0 ? iters / secs : 0,
        p50: d?.med,
        p95: d?.['p(95)'],
        p99: d?.['p(99)'],
        errorRate: failed?.rate,
        maxVUs: vus.maxVUs(s.name, i),
      });
      from = stage.target;
      startMs = endMs;
    });
  }
  return rows;
}
