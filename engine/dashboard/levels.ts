import { MetricsAggregate } from '../metrics/aggregate.js';
import type { SeriesSnapshot } from '../metrics/types.js';
import type { StageResult } from '../runtime/stage-results.js';

/** The metrics a load level's row is made of. */
export const LEVEL_METRICS = new Set(['http_reqs', 'iterations', 'http_req_duration', 'http_req_failed']);

/** The most rows the load-level table shows; more distinct VU counts are grouped into bands. */
const MAX_LEVELS = 12;

interface Level {
  vus: number;
  seconds: number;
  agg: MetricsAggregate;
}

/**
 * Load levels of a run without stages (constant VUs, arrival rates, a run cut short): ticks grouped
 * by their active VUs, each level with its throughput and exact latency percentiles (the HDR
 * histograms of its ticks merged). The degradation view of a run that has no per-stage table.
 */
export class LoadLevels {
  readonly #levels = new Map<number, Level>();

  /** Adds one tick at `vus` VUs, `seconds` long, with its series of LEVEL_METRICS. */
  add(vus: number, series: readonly SeriesSnapshot[], seconds: number): void {
    if (vus <= 0) return;
    let level = this.#levels.get(vus);
    if (level === undefined) {
      level = { vus, seconds: 0, agg: new MetricsAggregate() };
      this.#levels.set(vus, level);
    }
    level.seconds += seconds;
    level.agg.merge({ defs: [], series });
  }

  /** The levels as per-stage rows (scenario '', unit VUs), lowest load first, at most MAX_LEVELS (banded). */
  rows(): StageResult[] {
    const sorted = [...this.#levels.values()].sort((a, b) => a.vus - b.vus);
    if (sorted.length === 0) return [];
    const bands = sorted.length <= MAX_LEVELS ? sorted.map((l) => [l]) : band(sorted);
    return bands.map((levels, i) => row(levels, i));
  }
}

/** Groups levels into MAX_LEVELS bands of equal VU width. */
function band(sorted: Level[]): Level[][] {
  const lo = sorted[0]!.vus;
  const width = Math.ceil((sorted[sorted.length - 1]!.vus - lo + 1) / MAX_LEVELS);
  const out: Level[][] = [];
  for (const l of sorted) {
    const i = Math.floor((l.vus - lo) / width);
    (out[i] ??= []).push(l);
  }
  return out.filter((b) => b !== undefined);
}

function row(levels: Level[], index: number): StageResult {
  const agg = new MetricsAggregate();
  let seconds = 0;
  for (const l of levels) {
    agg.merge(l.agg.toSnapshot());
    seconds += l.seconds;
  }
  const count = (m: string) => agg.values(m, undefined, [], 0)?.count ?? 0;
  const d = agg.values('http_req_duration', undefined, ['med', 'p(95)', 'p(99)'], 0);
  const failed = agg.values('http_req_failed', undefined, [], 0);
  return {
    scenario: '',
    stage: index,
    unit: 'VUs',
    from: levels[0]!.vus,
    target: levels[levels.length - 1]!.vus,
    durationMs: Math.round(seconds * 1000),
    requestsPerSec: seconds > 0 ? count('http_reqs') / seconds : 0,
    iterationsPerSec: seconds > 0 ? count('iterations') / seconds : 0,
    p50: d?.med,
    p95: d?.['p(95)'],
    p99: d?.['p(99)'],
    errorRate: failed?.rate,
    maxVUs: levels[levels.length - 1]!.vus,
  };
}
