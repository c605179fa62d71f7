import type { LoadLevel } from '../record/load-level.js';
import { findKnee, type Knee } from './knee.js';
import type { SearchEnd, SearchSettings } from './search.js';

/** A capacity search's result, as the run record keeps it (`capacity`, docs/record.md). */
export interface CapacityResult {
  model: 'open' | 'closed';
  unit: 'iterations/s' | 'VUs';
  /** The SLOs every level was judged by (threshold syntax). */
  slos: Array<{ metric: string; source: string }>;
  settings: SearchSettings & { levelDurationMs: number; warmupMs: number };
  /** Every level, in the order they ran (the load-level table sorts them by load). */
  levels: LoadLevel[];
  end: SearchEnd;
  /** The highest load that met every SLO (the maximum sustainable rate, or VUs). */
  maxSustainable?: number;
  /** The lowest load that failed (above maxSustainable). */
  firstFailing?: number;
  /** Where latency (p95 of http_req_duration) starts to climb, by Kneedle; absent when the curve has no knee. */
  knee?: Knee & { method: 'kneedle'; metric: 'http_req_duration p(95)' };
  /** One line that answers the question. */
  verdict: string;
}

function fmt(load: number, unit: CapacityResult['unit']): string {
  const n = Number.isInteger(load) ? String(load) : load.toFixed(1);
  return unit === 'VUs' ? `${n} VUs` : `${n} iterations/s`;
}

/** The curve's knee from the levels that measured the target (generator-bound ones do not). */
export function levelKnee(levels: readonly LoadLevel[]): CapacityResult['knee'] {
  const points = levels.filter((l) => l.verdict !== 'generator-bound' && l.p95 !== undefined).map((l) => ({ load: l.load.value, latencyMs: l.p95! }));
  const knee = findKnee(points);
  return knee === undefined ? undefined : { ...knee, method: 'kneedle', metric: 'http_req_duration p(95)' };
}

/** The verdict line: what the target sustains, where it bends, and how sure the bound is. */
export function verdictLine(r: Omit<CapacityResult, 'verdict'>): string {
  const max = r.maxSustainable === undefined ? undefined : fmt(r.maxSustainable, r.unit);
  const knee = r.knee === undefined ? '' : `; latency starts to climb at about ${fmt(r.knee.load, r.unit)} (the knee)`;
  const bound = r.levels.find((l) => l.verdict === 'generator-bound');
  switch (r.end) {
    case 'found':
      return `the target sustains ${max} within its SLOs (${fmt(r.firstFailing!, r.unit)} failed: ${firstNote(r, r.firstFailing!)})${knee}`;
    case 'generator-bound':
      if (max === undefined) return `nothing was learned about the target: at ${fmt(bound!.load.value, r.unit)}, the first level, the load generator ran out (${bound!.note}): start lower (--start), or add --workers, cores or machines`;
      return `the target sustains at least ${max}; at ${fmt(bound!.load.value, r.unit)} the load generator ran out (${bound!.note}), so the target's limit was not reached: add --workers, cores or machines`;
    case 'max-reached':
      return `the target sustains at least ${max}, the most this search offered (raise --max)${knee}`;
    case 'none-passed':
      return `no level met the SLOs, down to ${fmt(r.firstFailing!, r.unit)} (${firstNote(r, r.firstFailing!)})`;
    case 'max-levels':
      return `the target sustains at least ${max ?? 'nothing measured'}${r.firstFailing === undefined ? '' : ` and fails at ${fmt(r.firstFailing, r.unit)}`}; the level budget ran out before the precision was reached (raise --max-levels)${knee}`;
    case 'stopped':
      return `the search was stopped; so far the target sustained ${max ?? 'no level'}${r.firstFailing === undefined ? '' : ` and failed at ${fmt(r.firstFailing, r.unit)}`}`;
  }
}

function firstNote(r: Omit<CapacityResult, 'verdict'>, load: number): string {
  return r.levels.find((l) => l.load.value === load && l.verdict === 'fail')?.note ?? 'an SLO was crossed';
}
