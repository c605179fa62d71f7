import type { StageResult } from '../../engine/runtime/stage-results.js';
import type { ChartSpec } from './charts.js';
import type { PageState } from './state.js';

/** The degradation view's rows: the per-stage table (live: the stages done so far), or load levels without stages. */
export function degradationRows(state: PageState): { rows: StageResult[]; levels: boolean } {
  if (state.end) return state.end.stages.length > 0 ? { rows: state.end.stages, levels: false } : { rows: state.end.levels, levels: true };
  return { rows: state.last?.now?.stages ?? [], levels: false };
}

/** Load of a row for the x axis: a plateau's level, a ramp's midpoint. */
export function loadOf(r: StageResult): number {
  return (r.from + r.target) / 2;
}

/**
 * Throughput and latency against load: one point per stage (or level), in load order, so the
 * knee shows where throughput stops growing and latency turns up.
 */
export function degradationChart(rows: readonly StageResult[]): ChartSpec | undefined {
  const used = rows.filter((r) => r.durationMs > 0).sort((a, b) => loadOf(a) - loadOf(b));
  if (used.length === 0) return undefined;
  const unit = used[0]!.unit;
  return {
    id: 'degradation',
    title: `Throughput and latency against load (${unit})`,
    unit: '/s',
    rightUnit: 'ms',
    points: true,
    x: { label: `load (${unit})`, unit: '' },
    lines: [
      { label: 'requests/s', color: '#2f7ed8' },
      { label: 'p50', color: '#2b9348', right: true },
      { label: 'p95', color: '#e8590c', right: true },
      { label: 'p99', color: '#c2255c', right: true, dash: true },
    ],
    data: [used.map(loadOf), used.map((r) => r.requestsPerSec), used.map((r) => r.p50 ?? null), used.map((r) => r.p95 ?? null), used.map((r) => r.p99 ?? null)],
  };
}
