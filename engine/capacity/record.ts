import { MetricsAggregate } from '../metrics/aggregate.js';
import { tagsKey } from '../metrics/tags.js';
import type { SeriesSnapshot } from '../metrics/types.js';
import { buildSummaryData } from '../output/summary-data.js';
import { summaryInputFromAggregate } from '../output/summary-input.js';
import type { RecordSeries, RunRecord } from '../record/types.js';
import type { CapacityResult } from './result.js';
import { searchTarget } from './target.js';

/** The search's record (`capacity` is set): what `loadts summary`, `report` and `compare` read. */
export type CapacityRunRecord = RunRecord & { capacity: CapacityResult };

function tagged<T extends { tags: Record<string, string> }>(s: T, level: number): T & { key: string } {
  const tags = { ...s.tags, level: String(level) };
  return { ...s, tags, key: tagsKey(tags) };
}

/**
 * One run record for the whole search: the levels' metrics and time series, each series tagged
 * level=N (so every level can be seen apart, and the totals are the whole search), the levels as
 * the load-level table, the watched target's samples over the whole search (`target`), and the
 * result under `capacity`. The first level's record gives the script, options and environment;
 * times span the search.
 */
export function capacityRecord(levels: ReadonlyArray<{ index: number; record: RunRecord }>, result: CapacityResult, exitCode: number, warnings: string[]): CapacityRunRecord {
  const first = levels[0]!.record;
  const last = levels[levels.length - 1]!.record;
  const series: SeriesSnapshot[] = [];
  const timeSeries: RecordSeries[] = [];
  const intervalMs = first.timeSeries.intervalMs;
  for (const { index, record } of levels) {
    for (const s of record.metrics.series) series.push(tagged(s, index));
    // one time axis for the search: each level's intervals shifted to the first level's origin
    const shift = Math.round((record.timeSeries.originMs - first.timeSeries.originMs) / intervalMs);
    const scale = record.timeSeries.intervalMs / intervalMs;
    for (const s of record.timeSeries.series) timeSeries.push({ ...tagged(s, index), index: s.index.map((i) => Math.round(i * scale) + shift) });
  }
  const defs = [...new Map(levels.flatMap((l) => l.record.metrics.defs).map((d) => [d.name, d])).values()];
  const aggregate = new MetricsAggregate();
  aggregate.merge({ defs, series });
  const durationMs = levels.reduce((n, l) => n + l.record.durationMs, 0);
  const rootGroup = buildSummaryData({
    ...summaryInputFromAggregate(aggregate, [], [], durationMs),
    options: { summaryTrendStats: [], summaryTimeUnit: '', noColor: true },
    state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: durationMs },
  }).root_group;
  const sorted = [...result.levels].sort((a, b) => a.load.value - b.load.value);
  const { target: _firstLevelsWatch, ...rest } = first; // a level's leak judgement is not the search's
  const target = searchTarget(levels.map((l) => l.record));
  return {
    ...rest,
    endedAt: last.endedAt,
    durationMs,
    end: { state: last.end.state, exitCode, errors: levels.flatMap((l) => l.record.end.errors), warnings },
    thresholds: [],
    rootGroup,
    metrics: { defs, series },
    timeSeries: { originMs: first.timeSeries.originMs, intervalMs, baseIntervalMs: first.timeSeries.baseIntervalMs ?? intervalMs, series: timeSeries },
    stages: [],
    loadLevels: sorted,
    run: {
      ...first.run,
      iterations: {
        complete: levels.reduce((n, l) => n + l.record.run.iterations.complete, 0),
        interrupted: levels.reduce((n, l) => n + l.record.run.iterations.interrupted, 0),
      },
    },
    ...(target === undefined ? {} : { target }),
    capacity: result,
  };
}
