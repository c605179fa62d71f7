import type { TimeInterval } from '../metrics/time-series.js';
import type { SeriesSnapshot } from '../metrics/types.js';
import type { ResolvedOptions } from '../options/types.js';
import type { RunRecord } from '../record/types.js';
import { endEvent } from './end-event.js';
import type { DashboardEvent } from './events.js';
import { DashboardFeed } from './feed.js';
import { pageHtml } from './page.js';

/** The most ticks a report charts: a 1-hour run at 4 s a tick, well under 2 MB (docs/dashboard.md). */
export const MAX_REPORT_TICKS = 1000;

/** The record's time series as the intervals the run closed (coalesced ones as they are), oldest first. */
export function recordIntervals(record: RunRecord): TimeInterval[] {
  const { originMs, intervalMs, series } = record.timeSeries;
  const byIndex = new Map<number, SeriesSnapshot[]>();
  for (const s of series) {
    s.index.forEach((index, i) => {
      let list = byIndex.get(index);
      if (list === undefined) byIndex.set(index, (list = []));
      list.push({ metric: s.metric, key: s.key, tags: s.tags, data: s.data[i]! });
    });
  }
  return [...byIndex.keys()]
    .sort((a, b) => a - b)
    .map((index) => ({ startMs: originMs + index * intervalMs, endMs: originMs + (index + 1) * intervalMs, series: byIndex.get(index)! }));
}

/** A report's tick length: the record's interval, doubled until the run fits MAX_REPORT_TICKS. */
export function reportPeriodMs(record: RunRecord, lastEndMs: number): number {
  let period = record.timeSeries.intervalMs;
  while ((lastEndMs - record.timeSeries.originMs) / period > MAX_REPORT_TICKS) period *= 2;
  return period;
}

function recordThresholds(record: RunRecord): ResolvedOptions['thresholds'] {
  const out: ResolvedOptions['thresholds'] = {};
  for (const t of record.thresholds) (out[t.metric] ??= []).push({ source: t.source, abortOnFail: t.abortOnFail, delayAbortEvalMs: 0 });
  return out;
}

/** Every event of a finished run, from its record: start, a tick per period, end. */
export function recordEvents(record: RunRecord): DashboardEvent[] {
  const intervals = recordIntervals(record);
  const lastEndMs = intervals[intervals.length - 1]?.endMs ?? record.timeSeries.originMs;
  const feed = new DashboardFeed({
    mode: 'report',
    script: record.script.path,
    startedAtMs: record.timeSeries.originMs,
    periodMs: reportPeriodMs(record, lastEndMs),
    // the thresholds the run judged (none with --no-thresholds), as the record keeps them
    options: { scenarios: record.options.scenarios, thresholds: recordThresholds(record) },
    defs: record.metrics.defs,
    workers: record.run.workers,
    cpu: () => record.environment.generator.timeline,
  });
  for (const i of intervals) feed.addInterval(i);
  feed.finish(lastEndMs);
  feed.end(endEvent(record, feed.levels));
  return feed.events;
}

/** The self-contained HTML report of a run: the dashboard page with the run's events embedded. */
export function renderReport(record: RunRecord): string {
  return pageHtml({ mode: 'report', title: `loadts report: ${record.script.path}`, events: recordEvents(record) });
}
