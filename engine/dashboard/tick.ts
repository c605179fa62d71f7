import type { MergedSink } from '../metrics/merged-sink.js';
import type { MetricDef } from '../metrics/types.js';
import type { CpuTimeline } from '../record/types.js';
import type { TickEvent, TrendPoint } from './events.js';
import type { TickSinks } from './sinks.js';

const TREND_STATS = ['count', 'avg', 'med', 'p(95)', 'p(99)', 'max'] as const;

/** Four significant digits: what a chart can show, and a third of the bytes of a full double. */
export function chartNumber(v: number): number {
  return v === 0 || !Number.isFinite(v) ? 0 : Number(v.toPrecision(4));
}

/** A trend's point of one tick, or undefined when it had no samples. */
export function trendPoint(sink: MergedSink | undefined): TrendPoint | undefined {
  const v = sink?.values(TREND_STATS, 0);
  if (v === undefined || !v.count) return undefined;
  return [v.count, chartNumber(v.avg!), chartNumber(v.med!), chartNumber(v['p(95)']!), chartNumber(v['p(99)']!), chartNumber(v.max!)];
}

/** What a tick is made of besides its aggregates. */
export interface TickInputs {
  t: number;
  dt: number;
  defs: readonly MetricDef[];
  scenarios: readonly string[];
  /** The last VU gauges seen (carried into ticks without a sample). */
  lastVus: { vus: number; vusMax: number };
  thresholds: number[];
  cpu: number[];
}

/**
 * One tick's digest from the merge of its intervals: counts, every trend's percentiles (exact
 * HDR merges, so p99 of a tick is the p99 of its samples), http_req_duration per scenario.
 */
export function digestTick(sinks: TickSinks, inputs: TickInputs): TickEvent {
  const count = (m: string) => sinks.values(m)?.count ?? 0;
  const rate = (m: string) => sinks.values(m);
  const gauge = (m: string) => sinks.values(m)?.value;
  const tick: TickEvent = {
    type: 'tick',
    t: chartNumber(inputs.t),
    dt: chartNumber(inputs.dt),
    vus: gauge('vus') ?? inputs.lastVus.vus,
    vusMax: gauge('vus_max') ?? inputs.lastVus.vusMax,
    iterations: count('iterations'),
    reqs: count('http_reqs'),
    failed: rate('http_req_failed')?.passes ?? 0,
    checks: { passes: rate('checks')?.passes ?? 0, fails: rate('checks')?.fails ?? 0 },
    dataReceived: count('data_received'),
    dataSent: count('data_sent'),
    latency: {},
    trends: {},
    counters: {},
    rates: {},
    gauges: {},
    thresholds: inputs.thresholds,
    cpu: inputs.cpu,
  };
  const all = trendPoint(sinks.metrics.get('http_req_duration'));
  if (all !== undefined) tick.latency[''] = all;
  for (const name of inputs.scenarios.length > 1 ? inputs.scenarios : []) {
    const p = trendPoint(sinks.latency.get(name));
    if (p !== undefined) tick.latency[name] = p;
  }
  for (const d of inputs.defs) {
    if (d.type === 'trend') {
      const p = trendPoint(sinks.metrics.get(d.name));
      if (p !== undefined) tick.trends[d.name] = p;
    } else if (d.type === 'counter') {
      const v = sinks.values(d.name);
      if (v !== undefined) tick.counters[d.name] = chartNumber(v.count!);
    } else if (d.type === 'rate') {
      const v = sinks.values(d.name);
      if (v !== undefined) tick.rates[d.name] = [v.passes!, v.fails!];
    } else {
      const v = gauge(d.name);
      if (v !== undefined) tick.gauges[d.name] = chartNumber(v);
    }
  }
  return tick;
}

/** Each worker's mean CPU share over (fromMs, toMs], or at the last sample before it; [] with none. */
export function cpuOver(timeline: CpuTimeline | undefined, fromMs: number, toMs: number): number[] {
  if (timeline === undefined || timeline.atMs.length === 0) return [];
  const { atMs, shares } = timeline;
  let sum: number[] | undefined;
  let n = 0;
  let before: number[] | undefined;
  for (let i = 0; i < atMs.length; i++) {
    const at = atMs[i]!;
    if (at > toMs) break;
    if (at <= fromMs) {
      before = shares[i];
      continue;
    }
    const s = shares[i]!;
    sum = sum === undefined ? [...s] : sum.map((v, k) => v + (s[k] ?? 0));
    n++;
  }
  const out = sum === undefined ? before : sum.map((v) => v / n);
  return (out ?? []).map((v) => Math.round(v * 1000) / 1000);
}
