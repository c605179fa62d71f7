import type { LoadLevel } from '../record/load-level.js';
import type { StageResult } from '../runtime/stage-results.js';

/** Per-stage rows of a record older than 1.1 (no loadLevels), as load-level rows without verdicts. */
export function stageRowsAsLevels(stages: readonly StageResult[]): LoadLevel[] {
  return stages.map((r) => ({
    label: `${r.scenario} stage ${r.stage}`,
    load: { unit: r.unit, value: r.target, ...(r.from === r.target ? {} : { from: r.from }) },
    durationMs: r.durationMs,
    requestsPerSec: r.requestsPerSec,
    iterationsPerSec: r.iterationsPerSec,
    ...(r.p50 === undefined ? {} : { p50: r.p50 }),
    ...(r.p95 === undefined ? {} : { p95: r.p95 }),
    ...(r.p99 === undefined ? {} : { p99: r.p99 }),
    ...(r.errorRate === undefined ? {} : { errorRate: r.errorRate }),
    droppedIterations: 0,
    verdict: '-',
  }));
}
