import { MergedSink } from '../metrics/merged-sink.js';
import type { StageResult } from '../runtime/stage-results.js';
import type { TickSinks } from './sinks.js';

/** The metrics a load level's row is made of. */
const LEVEL_METRICS = ['http_reqs', 'iterations', 'http_req_duration', 'http_req_failed'] as const;

/** The most rows the load-level table shows; more distinct VU counts are grouped into bands. */
const MAX_LEVELS = 12;

interface Level {
  vus: number;
  seconds: number;
  sinks: Map<string, MergedSink>;
}

/**
 * Load levels of a run without stages (constant VUs, arrival rates, a run cut short): ticks grouped
 * by their active VUs, each level with its throughput and exact latency percentiles (the HDR
 * histograms of its ticks merged). The degradation view of a run that has no per-stage table.
 */
export class LoadLevels {
  readonly #levels = new Map<number, Level>();

  /** Adds one tick at `vus` VUs, `seconds` long. */
  add(vus: number, tick: TickSinks, seconds: number): void {
    if (vus <= 0) return;
    let level = this.#levels.get(vus);
    if (level === undefined) this.#levels.set(vus, (level = { vus, seconds: 0, sinks: new Map() }));
    level.seconds += seconds;
    merge(level.sinks, [tick.metrics]);
  }

  /** The levels as per-stage rows (scenario '', unit VUs), lowest load first, at most MAX_LEVELS (banded). */
  rows(): StageResult[] {
    const sorted = [...this.#levels.values()].sort((a, b) => a.vus - b.vus);
    if (sorted.length === 0) return [];
    const bands = sorted.length <= MAX_LEVELS ? sorted.map((l) => [l]) : band(sorted);
    return bands.map((levels, i) => row(levels, i));
  }
}

function merge(into: Map<string, MergedSink>, from: ReadonlyArray<ReadonlyMap<string, MergedSink>>): void {
  for (const sinks of from) {
    for (const name of LEVEL_METRICS) {
      const s = sinks.get(name);
      if (s === undefined) continue;
      let target = into.get(name);
      if (target === undefined) into.set(name, (target = new MergedSink(s.type)));
      target.addMerged(s);
    }
  }
}

/** Groups levels into MAX_LEVELS bands of equal VU width. */
function band(sorted: Level[]): Level[][] {
  const lo = sorted[0]!.vus;
  const width = Math.ceil((sorted[sorted.length - 1]!.vus - lo + 1) / MAX_LEVELS);
  const out: Level[][] = [];
  for (const l of sorted) (out[Math.floor((l.vus - lo) / width)] ??= []).push(l);
  return out.filter((b) => b !== undefined);
}

function row(levels: Level[], index: number): StageResult {
  const sinks = new Map<string, MergedSink>();
  merge(sinks, levels.map((l) => l.sinks));
  const seconds = levels.reduce((a, l) => a + l.seconds, 0);
  const count = (m: string) => sinks.get(m)?.values([], 0).count ?? 0;
  const d = sinks.get('http_req_duration')?.values(['med', 'p(95)', 'p(99)'], 0);
  const failed = sinks.get('http_req_failed')?.values([], 0);
  return {
    scenario: '',
    stage: index,
    unit: 'VUs',
    from: levels[0]!.vus,
    target: levels[levels.length - 1]!.vus,
    startMs: 0, // a band gathers ticks from all over the run: it has no one start
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
