import { MetricsAggregate } from '../metrics/aggregate.js';
import { decodeData, type TimeInterval } from '../metrics/time-series.js';
import type { MetricDef } from '../metrics/types.js';
import type { ResolvedOptions } from '../options/types.js';
import { sectionOf } from '../output/summary-report.js';
import type { CpuTimeline } from '../record/types.js';
import { compileThresholds, evaluateThresholds, type CompiledThreshold } from '../thresholds/thresholds.js';
import type { DashboardEvent, StartEvent, TickEvent } from './events.js';
import { LoadLevels } from './levels.js';
import { project, TickSinks } from './sinks.js';
import { liveState } from './live-state.js';
import { cpuOver, digestTick } from './tick.js';

/** The page's part for a metric: the summary's sections, with checks and group_duration apart from the custom metrics. */
function pageSection(name: string): string {
  return name === 'checks' || name === 'group_duration' ? 'checks' : sectionOf(name);
}

/** What a feed needs to know about the run. */
export interface FeedSetup {
  mode: 'live' | 'report';
  script: string;
  startedAtMs: number;
  periodMs: number;
  options: Pick<ResolvedOptions, 'scenarios' | 'thresholds'>;
  defs: readonly MetricDef[];
  workers: number;
  /** The generator's CPU so far (read at each tick). */
  cpu: () => CpuTimeline | undefined;
  /** Wall-clock ms the load started (after setup); live mode, for the stage table. */
  loadStartedAtMs?: () => number | undefined;
}

/**
 * Turns the run's closed intervals into the page's events: one tick per period, made of the exact
 * merge of the intervals that ended in it, with the thresholds judged on everything so far. The
 * live dashboard feeds it as intervals close; the report feeds it the record's time series. The
 * same code makes both, so the live page and the report show the same numbers.
 */
export class DashboardFeed {
  readonly events: DashboardEvent[] = [];
  readonly start: StartEvent;
  readonly levels = new LoadLevels();
  readonly #setup: FeedSetup;
  readonly #total = new MetricsAggregate();
  readonly #compiled: CompiledThreshold[];
  readonly #listeners = new Set<(e: DashboardEvent) => void>();
  #tick = new TickSinks();
  /** Metric → the tags the cumulative aggregate keeps of it (thresholds' filters; live: the stage table's and the checks'). */
  readonly #keep = new Map<string, string[]>();
  #tickStartMs: number;
  #lastVus = { vus: 0, vusMax: 0 };
  /** Each tick's end and the most VUs in it (the live stage table's VUs). */
  readonly #vusTrail: Array<{ atMs: number; vus: number }> = [];

  constructor(setup: FeedSetup) {
    this.#setup = setup;
    this.#tickStartMs = setup.startedAtMs;
    this.#compiled = compileThresholds(setup.options.thresholds, setup.defs);
    this.#total.merge({ defs: setup.defs, series: [] });
    const keep = (metric: string, tags: readonly string[]) => this.#keep.set(metric, [...new Set([...(this.#keep.get(metric) ?? []), ...tags])]);
    for (const c of this.#compiled) keep(c.metric, Object.keys(c.filter));
    if (setup.mode === 'live') {
      for (const m of ['http_reqs', 'iterations', 'http_req_duration', 'http_req_failed']) keep(m, ['scenario', 'stage']);
      keep('checks', ['check', 'group']);
    }
    this.start = {
      type: 'start',
      mode: setup.mode,
      script: setup.script,
      startedAtMs: setup.startedAtMs,
      periodMs: setup.periodMs,
      scenarios: setup.options.scenarios.map((s) => ({ name: s.name, executor: s.executor, ramping: s.executor === 'ramping-vus' || s.executor === 'ramping-arrival-rate' })),
      thresholds: this.#compiled.map((c) => ({ metric: c.key, source: c.expr.source })),
      metrics: setup.defs.map((d) => ({ name: d.name, type: d.type, contains: d.contains, section: pageSection(d.name) })),
      workers: setup.workers,
    };
    this.#emit(this.start);
  }

  /** Calls `f` with every event from now on. Returns the unsubscribe. */
  subscribe(f: (e: DashboardEvent) => void): () => void {
    this.#listeners.add(f);
    return () => this.#listeners.delete(f);
  }

  /** Adds one closed interval (to the tick that contains its end); ticks that ended before it are emitted first. */
  addInterval(interval: TimeInterval): void {
    this.advance(interval.endMs - 1);
    // Each histogram is decoded once; the tick keeps per-metric merges, the run so far only the tags that matter.
    const byScenario = this.start.scenarios.length > 1;
    const items = interval.series.map((series) => ({ series, decoded: decodeData(series.data) }));
    for (const { series, decoded } of items) this.#tick.add(series, decoded, byScenario);
    this.#total.mergeDecoded(project(items, this.#keep));
    if (interval.endMs >= this.#tickStartMs + this.#setup.periodMs) this.#emitTick(this.#tickStartMs + this.#setup.periodMs);
  }

  /** Emits the ticks that ended at or before `atMs` (empty ones too, so the time axis has no holes). */
  advance(atMs: number): void {
    while (atMs >= this.#tickStartMs + this.#setup.periodMs) this.#emitTick(this.#tickStartMs + this.#setup.periodMs);
  }

  /** Emits the last, partial tick (up to `endMs`) when it has data. */
  finish(endMs: number): void {
    this.advance(endMs);
    if (this.#tick.hasData) this.#emitTick(Math.max(endMs, this.#tickStartMs + 1));
  }

  /** Adds the end event (the run's outcome). */
  end(event: DashboardEvent): void {
    this.#emit(event);
  }

  /** The merged metrics of every interval so far. */
  get total(): MetricsAggregate {
    return this.#total;
  }

  #emitTick(endMs: number): void {
    const { startedAtMs } = this.#setup;
    const elapsedMs = endMs - startedAtMs;
    const outcomes = evaluateThresholds(this.#compiled, this.#total, elapsedMs, { ignoreEmpty: true });
    const tick: TickEvent = digestTick(this.#tick, {
      t: elapsedMs / 1000,
      dt: (endMs - this.#tickStartMs) / 1000,
      defs: this.#setup.defs,
      scenarios: this.start.scenarios.map((s) => s.name),
      lastVus: this.#lastVus,
      thresholds: outcomes.map((o) => (o.observed === undefined ? -1 : o.ok ? 1 : 0)),
      cpu: cpuOver(this.#setup.cpu(), this.#tickStartMs, endMs),
    });
    this.#lastVus = { vus: tick.vus, vusMax: tick.vusMax };
    if (this.#tick.hasData) this.levels.add(tick.vus, this.#tick, tick.dt);
    if (this.#setup.mode === 'live') {
      this.#vusTrail.push({ atMs: endMs, vus: this.#tick.values('vus')?.max ?? tick.vus });
      tick.now = liveState(this.#total, this.#setup.options.scenarios, outcomes, this.#setup.loadStartedAtMs?.(), endMs, this.#vusTrail);
    }
    this.#tick = new TickSinks();
    this.#tickStartMs = endMs;
    this.#emit(tick);
  }

  #emit(e: DashboardEvent): void {
    const previous = this.events[this.events.length - 1];
    this.events.push(e);
    for (const f of this.#listeners) f(e);
    if (e.type !== 'tick') return;
    // Kept for replay: only the latest tick's live tables matter, and a long run keeps every other old tick.
    if (previous?.type === 'tick') delete previous.now;
    if (this.events.length > 2 * MAX_KEPT_TICKS) thin(this.events);
  }
}

/** The most ticks the live dashboard replays to a new browser (about; past twice this, old ticks are halved). */
export const MAX_KEPT_TICKS = 2000;

/** Drops every other tick of the older half: charts stay right (each tick has its own length), replay stays bounded. */
function thin(events: DashboardEvent[]): void {
  const half = Math.floor(events.length / 2);
  const kept = events.slice(0, half).filter((e, i) => e.type !== 'tick' || i % 2 === 0);
  events.splice(0, half, ...kept);
}
