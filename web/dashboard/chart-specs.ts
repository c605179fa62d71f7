import type { TickEvent, TrendPoint } from '../../engine/dashboard/events.js';
import { PALETTE, type ChartSpec } from './charts.js';
import type { PageState } from './state.js';

type Pick = (t: TickEvent) => number | null | undefined;

/** A time chart: x = each tick's end (s), one line per pick. */
function timeChart(state: PageState, id: string, title: string, unit: string, lines: Array<{ label: string; pick: Pick; color?: string; right?: boolean; dash?: boolean }>, rightUnit?: string): ChartSpec {
  const ticks = state.ticks;
  return {
    id,
    title,
    unit,
    ...(rightUnit === undefined ? {} : { rightUnit }),
    lines: lines.map((l, i) => ({ label: l.label, color: l.color ?? PALETTE[i % PALETTE.length]!, ...(l.right ? { right: true } : {}), ...(l.dash ? { dash: true } : {}) })),
    data: [ticks.map((t) => t.t), ...lines.map((l) => ticks.map((t) => l.pick(t) ?? null))],
  };
}

const perSecond = (v: number | undefined, t: TickEvent) => (v === undefined ? null : t.dt > 0 ? v / t.dt : 0);
const P50 = 2;
const P95 = 3;
const P99 = 4;

function percentiles(get: (t: TickEvent) => TrendPoint | undefined): Array<{ label: string; pick: Pick; dash?: boolean }> {
  return [
    { label: 'p50', pick: (t) => get(t)?.[P50] },
    { label: 'p95', pick: (t) => get(t)?.[P95] },
    { label: 'p99', pick: (t) => get(t)?.[P99], dash: true },
  ];
}

const has = (state: PageState, f: (t: TickEvent) => unknown) => state.ticks.some((t) => f(t) !== undefined);

/** The run's own charts: load, throughput, errors, latency (overall and per scenario), data, checks, the generator. */
export function coreCharts(state: PageState): ChartSpec[] {
  const out: ChartSpec[] = [
    timeChart(state, 'vus', 'Virtual users', '', [
      { label: 'VUs', pick: (t) => t.vus },
      { label: 'VUs max', pick: (t) => t.vusMax, dash: true },
    ]),
    timeChart(state, 'throughput', 'Request rate', '/s', [
      { label: 'requests/s', pick: (t) => perSecond(t.reqs, t) },
      { label: 'failed/s', pick: (t) => perSecond(t.failed, t), color: '#e03131' },
      { label: 'iterations/s', pick: (t) => perSecond(t.iterations, t), dash: true },
    ]),
    timeChart(state, 'errors', 'Errors', '%', [
      { label: 'failed requests %', pick: (t) => (t.reqs > 0 ? (100 * t.failed) / t.reqs : null), color: '#e03131' },
      { label: 'failed checks %', pick: (t) => (t.checks.passes + t.checks.fails > 0 ? (100 * t.checks.fails) / (t.checks.passes + t.checks.fails) : null), color: '#e8590c' },
    ]),
    timeChart(state, 'latency', 'Request duration (http_req_duration)', 'ms', percentiles((t) => t.latency[''])),
  ];
  const scenarios = state.start?.scenarios ?? [];
  if (scenarios.length > 1) {
    for (const s of scenarios) {
      if (!has(state, (t) => t.latency[s.name])) continue;
      out.push(timeChart(state, `latency-${s.name}`, `Request duration: scenario ${s.name}`, 'ms', percentiles((t) => t.latency[s.name])));
    }
  }
  out.push(
    timeChart(state, 'data', 'Data', 'bytes/s', [
      { label: 'received', pick: (t) => perSecond(t.dataReceived, t) },
      { label: 'sent', pick: (t) => perSecond(t.dataSent, t) },
    ]),
  );
  if (has(state, (t) => (t.checks.passes + t.checks.fails > 0 ? 1 : undefined))) {
    out.push(
      timeChart(state, 'checks', 'Checks', '/s', [
        { label: 'passed/s', pick: (t) => perSecond(t.checks.passes, t), color: '#2b9348' },
        { label: 'failed/s', pick: (t) => perSecond(t.checks.fails, t), color: '#e03131' },
      ]),
    );
  }
  const workers = Math.max(0, ...state.ticks.map((t) => t.cpu.length));
  if (workers > 0) {
    const lines = Array.from({ length: workers }, (_, w) => ({ label: `worker ${w + 1}`, pick: (t: TickEvent) => (t.cpu[w] === undefined ? null : t.cpu[w]! * 100) }));
    out.push(timeChart(state, 'cpu', 'Load generator CPU (share of one core per worker thread)', '%', lines));
  }
  return out;
}

/** One chart per metric of a section: trends as percentiles, counters per second, rates as %, gauges as values. */
export function sectionCharts(state: PageState, section: string): ChartSpec[] {
  const out: ChartSpec[] = [];
  const unitOf = (name: string) => (state.start?.metrics.find((m) => m.name === name)?.contains === 'time' ? 'ms' : '');
  for (const name of state.metricsOf(section, 'trend')) {
    if (!has(state, (t) => t.trends[name])) continue;
    out.push(timeChart(state, `trend-${name}`, name, unitOf(name), percentiles((t) => t.trends[name])));
  }
  for (const name of state.metricsOf(section, 'counter')) {
    if (!has(state, (t) => t.counters[name])) continue;
    const data = state.start?.metrics.find((m) => m.name === name)?.contains === 'data';
    out.push(timeChart(state, `counter-${name}`, `${name} per second`, data ? 'bytes/s' : '/s', [{ label: `${name}/s`, pick: (t) => perSecond(t.counters[name] ?? 0, t) }]));
  }
  for (const name of state.metricsOf(section, 'rate')) {
    if (!has(state, (t) => t.rates[name])) continue;
    const pick: Pick = (t) => {
      const r = t.rates[name];
      return r === undefined || r[0] + r[1] === 0 ? null : (100 * r[0]) / (r[0] + r[1]);
    };
    out.push(timeChart(state, `rate-${name}`, `${name} (share of true)`, '%', [{ label: name, pick }]));
  }
  for (const name of state.metricsOf(section, 'gauge')) {
    if (!has(state, (t) => t.gauges[name])) continue;
    out.push(timeChart(state, `gauge-${name}`, name, unitOf(name), [{ label: name, pick: (t) => t.gauges[name] }]));
  }
  return out;
}
