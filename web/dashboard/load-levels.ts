import type { EndEvent } from '../../engine/dashboard/events.js';
import type { LoadLevel } from '../../engine/record/load-level.js';
import type { ChartSpec, Mark } from './charts.js';
import { h, numCell, table } from './dom.js';
import { formatBytes, ms, num } from './format.js';

type Capacity = NonNullable<EndEvent['capacity']>;

/** A row's load on the x axis: the level's (a ramp's midpoint, as the per-stage chart has it). */
export function levelLoad(l: LoadLevel): number {
  return l.load.from === undefined ? l.load.value : (l.load.from + l.load.value) / 2;
}

/** A load as text: '40/s', '8 VUs', '20 → 40/s' for a ramp. */
function loadText(unit: LoadLevel['load']['unit'], value: number, from?: number): string {
  const v = unit === 'VUs' ? `${num(value)} VUs` : `${num(value)}/s`;
  return from === undefined || from === value ? v : `${num(from)} → ${v}`;
}

/** The rows, lowest load first (the table and the charts share this order). */
function byLoad(levels: readonly LoadLevel[]): LoadLevel[] {
  return [...levels].sort((a, b) => levelLoad(a) - levelLoad(b));
}

function axisLabel(levels: readonly LoadLevel[]): string {
  const units = new Set(levels.map((l) => l.load.unit));
  return units.size === 1 ? `load (${[...units][0]})` : 'load (mixed units)';
}

/** The knee and the maximum sustainable load of a capacity search, as chart marks. */
function capacityMarks(capacity: Capacity | undefined): Mark[] {
  const marks: Mark[] = [];
  if (capacity?.maxSustainable !== undefined) marks.push({ x: capacity.maxSustainable, label: `max sustainable ${loadText(capacity.unit, capacity.maxSustainable)}`, color: '#2b8a3e' });
  if (capacity?.knee !== undefined) marks.push({ x: capacity.knee.load, label: `knee ${loadText(capacity.unit, capacity.knee.load)}`, color: '#7048e8' });
  return marks;
}

/**
 * The load-level charts: latency p50/p95/p99 and the error share against the load, with the knee
 * and the maximum sustainable load marked; and achieved throughput against the load, where the
 * target's saturation shows as the line flattening.
 */
export function levelCharts(levels: readonly LoadLevel[], capacity: Capacity | undefined): ChartSpec[] {
  const rows = byLoad(levels).filter((l) => l.durationMs > 0); // a level that did not run has nothing to draw
  if (rows.length === 0) return [];
  const x = { label: axisLabel(rows), unit: '' };
  const loads = rows.map(levelLoad);
  const pct = (v: number | undefined) => (v === undefined ? null : v * 100);
  const latency: ChartSpec = {
    id: 'load-latency',
    title: 'Latency and errors against load',
    unit: 'ms',
    rightUnit: '%',
    points: true,
    x,
    lines: [
      { label: 'p50', color: '#2b9348' },
      { label: 'p95', color: '#e8590c' },
      { label: 'p99', color: '#c2255c', dash: true },
      { label: 'errors %', color: '#e03131', right: true },
    ],
    data: [loads, rows.map((l) => l.p50 ?? null), rows.map((l) => l.p95 ?? null), rows.map((l) => l.p99 ?? null), rows.map((l) => pct(l.errorRate))],
    marks: capacityMarks(capacity),
  };
  const throughput: ChartSpec = {
    id: 'degradation',
    title: 'Achieved throughput against load',
    unit: '/s',
    points: true,
    x,
    lines: [
      { label: 'requests/s', color: '#2f7ed8' },
      { label: 'iterations/s', color: '#0c8599', dash: true },
    ],
    data: [loads, rows.map((l) => l.requestsPerSec), rows.map((l) => l.iterationsPerSec)],
  };
  return [latency, throughput];
}

const pctText = (v: number | undefined) => (v === undefined ? '–' : `${(v * 100).toFixed(2)}%`);

/** The load-level table, as the text summary's: one row per level (or stage), lowest load first. */
export function levelTable(levels: readonly LoadLevel[]): HTMLElement {
  const header = ['', 'load', 'reqs/s', 'iters/s', 'p50', 'p95', 'p99', 'errors', '429s', 'dropped', 'gen CPU', 'target RSS', 'verdict'];
  const rows = byLoad(levels).map((l) => [
    l.label,
    numCell(levelLoad(l), loadText(l.load.unit, l.load.value, l.load.from)),
    numCell(l.requestsPerSec, num(l.requestsPerSec)),
    numCell(l.iterationsPerSec, num(l.iterationsPerSec)),
    numCell(l.p50, ms(l.p50)),
    numCell(l.p95, ms(l.p95)),
    numCell(l.p99, ms(l.p99)),
    numCell(l.errorRate, pctText(l.errorRate)),
    numCell(l.rateLimitedRate, pctText(l.rateLimitedRate)),
    numCell(l.droppedIterations, num(l.droppedIterations)),
    numCell(l.generatorCpu, l.generatorCpu === undefined ? '–' : `${Math.round(l.generatorCpu * 100)}%`),
    numCell(l.targetRssBytes, l.targetRssBytes === undefined ? '–' : formatBytes(l.targetRssBytes)),
    h('td', { class: `verdict ${l.verdict}`, title: l.note }, l.verdict, l.note && l.verdict !== 'pass' ? h('span', { class: 'muted note' }, ` ${l.note}`) : undefined),
  ]);
  return table('levels', header, rows);
}

/** A capacity search's result: the verdict line, then the maximum sustainable load, the knee and how the levels ran. */
export function capacitySummary(c: Capacity): HTMLElement {
  const load = (v: number | undefined) => (v === undefined ? '–' : loadText(c.unit, v));
  const knee = c.knee === undefined ? 'none found' : `${load(c.knee.load)} (p95 ${ms(c.knee.latencyMs)}; Kneedle on p95 latency against load)`;
  const s = c.settings;
  const how = `${c.model} model, ${num(s.levelDurationMs / 1000)} s a level after ${num(s.warmupMs / 1000)} s of warm-up; SLOs: ${c.slos.map((x) => `${x.metric} ${x.source}`).join(', ')}`;
  return h(
    'div',
    { class: 'capacity', 'data-max': c.maxSustainable, 'data-knee': c.knee?.load, 'data-end': c.end },
    h('p', { id: 'capacity-verdict', class: 'verdict-line' }, h('strong', {}, 'Verdict: '), c.verdict),
    h('p', { class: 'muted' }, `maximum sustainable ${c.unit === 'VUs' ? 'concurrency' : 'rate'}: ${load(c.maxSustainable)} · knee: ${knee}`),
    h('p', { class: 'muted' }, how),
  );
}
