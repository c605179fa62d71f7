import type { MetricsAggregate } from '../metrics/aggregate.js';
import { llmCost } from '../output/llm-cost.js';
import { sectionOf } from '../output/summary-report.js';
import type { RunRecord } from '../record/types.js';
import { viewRecord } from '../record/view.js';
import type { EndEvent, SummaryRow } from './events.js';
import type { LoadLevels } from './levels.js';

/** The trend statistics of the summary table. */
export const TABLE_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'];

/** The summary table: every metric with samples, k6's values over the whole run, merged from the record. */
export function summaryRows(record: RunRecord, aggregate: MetricsAggregate = viewRecord(record).aggregate): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const d of record.metrics.defs) {
    const values = aggregate.values(d.name, undefined, d.type === 'trend' ? TABLE_TREND_STATS : [], record.durationMs);
    if (values === undefined) continue;
    rows.push({ name: d.name, type: d.type, contains: d.contains, section: sectionOf(d.name), values });
  }
  return rows;
}

/** A capacity search's result without its levels: they are the record's loadLevels already. */
function capacityOf(record: RunRecord): EndEvent['capacity'] {
  if (record.capacity === undefined) return undefined;
  const { levels: _levels, ...rest } = record.capacity;
  return rest;
}

/** The end event: the run's outcome, all read from its record (the report's tables). */
export function endEvent(record: RunRecord, levels: LoadLevels): EndEvent {
  const { timeline: _timeline, ...generator } = record.environment.generator;
  const { aggregate } = viewRecord(record);
  const loadLevels = record.loadLevels ?? [];
  const cost = llmCost(aggregate, record.durationMs);
  const capacity = capacityOf(record);
  return {
    type: 'end',
    state: record.end.state,
    exitCode: record.end.exitCode,
    errors: record.end.errors,
    warnings: record.end.warnings,
    startedAt: record.startedAt,
    endedAt: record.endedAt,
    durationMs: record.durationMs,
    loadtsVersion: record.loadtsVersion,
    thresholds: record.thresholds,
    metrics: summaryRows(record, aggregate),
    rootGroup: record.rootGroup,
    stages: record.stages,
    levels: record.stages.length > 0 || loadLevels.length > 0 ? [] : levels.rows(),
    ...(loadLevels.length > 0 ? { loadLevels } : {}),
    ...(capacity === undefined ? {} : { capacity }),
    ...(cost === undefined ? {} : { llmCost: cost }),
    iterations: record.run.iterations,
    workers: record.run.workers,
    environment: { ...record.environment, generator },
  };
}
