import type { MetricsAggregate } from '../metrics/aggregate.js';
import type { StoredSeries } from '../metrics/time-series.js';
import type { Tags } from '../metrics/types.js';
import type { LoadLevel } from '../record/load-level.js';
import type { TargetRecord } from '../watch/types.js';
import { evaluateThresholds, type CompiledThreshold } from '../thresholds/thresholds.js';
import { BUSY_SHARE } from './generator-monitor.js';
import type { StageResult } from './stage-results.js';

/** What a level's judgement reads besides its samples. */
export interface LevelContext {
  agg: MetricsAggregate;
  /** The run's thresholds (the capacity search's SLOs): judged on the level's samples alone. */
  thresholds: readonly CompiledThreshold[];
  /** The busiest worker's CPU share in a wall-clock window. */
  cpu: (startMs: number, endMs: number) => number | undefined;
  /** The run's time series (read once: a run's points are in a spill file). */
  series: SeriesView;
  /** Wall-clock ms at which the load started. */
  loadStartMs: number;
  durationMs: number;
  /** The watched target's samples (--watch-pid / --watch-cmd). */
  target?: TargetRecord;
}

/** The level's thresholds: trend and rate thresholds, each narrowed to the level's tags. */
export function levelSlos(ctx: LevelContext, filter: Tags): NonNullable<LoadLevel['slos']> {
  const scoped = ctx.thresholds.filter((t) => t.type === 'trend' || t.type === 'rate').map((t) => ({ ...t, filter: { ...t.filter, ...filter } }));
  return evaluateThresholds(scoped, ctx.agg, ctx.durationMs).map((o) => ({
    metric: o.threshold.key,
    source: o.threshold.expr.source,
    ok: o.ok,
    ...(o.observed === undefined ? {} : { value: o.observed }),
  }));
}

/** A run's time series as the record holds it: its series, and where each point starts. */
export interface SeriesView {
  readonly series: readonly StoredSeries[];
  readonly intervalMs: number;
  startOf(index: number): number;
}

/** The largest value of `metric` (a trend or gauge) in any interval overlapping [startMs, endMs). */
export function seriesMax(store: SeriesView, metric: string, startMs: number, endMs: number): number | undefined {
  let max: number | undefined;
  for (const s of store.series) {
    if (s.metric !== metric) continue;
    s.index.forEach((index, i) => {
      const from = store.startOf(index);
      const d = s.data[i]!;
      if (from >= endMs || from + store.intervalMs <= startMs) return;
      if (d.type === 'trend' || d.type === 'gauge') max = Math.max(max ?? -Infinity, d.max);
    });
  }
  return max;
}

/**
 * The watched target's RSS in a level, bytes: its largest sample in [startMs, endMs]; a level
 * shorter than the watch's second may hold none, and then the sample in effect at its end (the
 * last before it), or the first after its start. Without the samples, target_rss's series.
 */
export function levelRss(ctx: LevelContext, startMs: number, endMs: number): number | undefined {
  const s = ctx.target?.samples;
  if (s === undefined || s.atMs.length === 0) return seriesMax(ctx.series, 'target_rss', startMs, endMs);
  let max: number | undefined;
  let before: number | undefined;
  let after: number | undefined;
  s.atMs.forEach((at, i) => {
    const rss = s.rssBytes[i]!;
    if (at >= startMs && at <= endMs) max = Math.max(max ?? 0, rss);
    else if (at < startMs) before = rss;
    else after ??= rss;
  });
  return max ?? before ?? after;
}

/**
 * The verdict of a level: generator-bound when the busiest load worker was running or waiting for a
 * CPU BUSY_SHARE of the time or more (it needed a whole core: the generator, not the target, set the
 * pace; on a machine shared with other work it may have had less than it needed); else fail when an
 * SLO was crossed; else pass ('-' with no SLO to judge).
 * Iteration start lag is not used: it also grows when a slow target makes the executor add VUs.
 */
export function judge(slos: NonNullable<LoadLevel['slos']>, generatorCpu: number | undefined): Pick<LoadLevel, 'verdict' | 'note'> {
  if (generatorCpu !== undefined && generatorCpu >= BUSY_SHARE) return { verdict: 'generator-bound', note: `a load worker needed a whole CPU core (running or waiting to run ${(generatorCpu * 100).toFixed(0)}% of the time)` };
  const crossed = slos.find((s) => !s.ok);
  if (crossed !== undefined) return { verdict: 'fail', note: `${crossed.metric} ${crossed.source} crossed${crossed.value === undefined ? '' : ` (${round(crossed.value)})`}` };
  return { verdict: slos.length > 0 ? 'pass' : '-' };
}

function round(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) >= 100 ? 0 : 3);
}

/** The load-level row of stage `r` of a ramping scenario. */
export function stageLevel(ctx: LevelContext, r: StageResult): LoadLevel {
  const filter = { scenario: r.scenario, stage: String(r.stage) };
  const startMs = ctx.loadStartMs + r.startMs;
  const endMs = startMs + r.durationMs;
  const slos = levelSlos(ctx, filter);
  const generatorCpu = ctx.cpu(startMs, endMs);
  const rateLimited = ctx.agg.values('http_req_rate_limited', filter, [], ctx.durationMs)?.rate;
  const rss = levelRss(ctx, startMs, endMs);
  return {
    label: `${r.scenario} stage ${r.stage}`,
    load: { unit: r.unit, value: r.target, ...(r.from === r.target ? {} : { from: r.from }) },
    durationMs: r.durationMs,
    requestsPerSec: r.requestsPerSec,
    iterationsPerSec: r.iterationsPerSec,
    ...defined({ p50: r.p50, p95: r.p95, p99: r.p99, errorRate: r.errorRate, rateLimitedRate: rateLimited, generatorCpu, targetRssBytes: rss }),
    droppedIterations: ctx.agg.values('dropped_iterations', filter, [], ctx.durationMs)?.count ?? 0,
    ...judge(slos, generatorCpu),
    ...(slos.length > 0 ? { slos } : {}),
  };
}

function defined<T extends Record<string, number | undefined>>(o: T): Partial<Record<keyof T, number>> {
  const out: Partial<Record<keyof T, number>> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && Number.isFinite(v)) out[k as keyof T] = v;
  return out;
}
