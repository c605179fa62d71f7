import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { axisValue, clock } from './format.js';
import { h } from './dom.js';

/** One line of a chart. */
export interface LineSpec {
  label: string;
  color: string;
  /** A second y axis on the right (e.g. latency over a throughput chart). */
  right?: boolean;
  dash?: boolean;
}

/** A chart: its lines and their data (x first), with units for the axes. */
export interface ChartSpec {
  id: string;
  title: string;
  unit: string;
  rightUnit?: string;
  lines: LineSpec[];
  /** [x, line 1, line 2, ...]; null where a line has no value. */
  data: Array<Array<number | null>>;
  /** x axis: seconds since the start (default), or a load level. */
  x?: { label: string; unit: string };
  /** Points rather than a time line (the degradation chart). */
  points?: boolean;
  /** Vertical markers at x values (the knee, the maximum sustainable load), labelled. */
  marks?: Mark[];
}

export interface Mark {
  x: number;
  label: string;
  color: string;
}

/** Draws each mark as a dashed vertical line across the plot, its label at the top. */
function drawMarks(u: uPlot, marks: readonly Mark[]): void {
  const ctx = u.ctx;
  const { top, height } = u.bbox;
  const px = devicePixelRatio;
  ctx.save();
  ctx.font = `${12 * px}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  marks.forEach((m, i) => {
    const x = Math.round(u.valToPos(m.x, 'x', true));
    ctx.strokeStyle = m.color;
    ctx.fillStyle = m.color;
    ctx.lineWidth = 2 * px;
    ctx.setLineDash([5 * px, 4 * px]);
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    const w = ctx.measureText(m.label).width;
    const left = x + 4 * px + w > u.bbox.left + u.bbox.width ? x - 4 * px - w : x + 4 * px;
    ctx.fillText(m.label, left, top + 2 * px + i * 15 * px);
  });
  ctx.restore();
}

/** Steps of the time axis, s: whole seconds and minutes, so no two labels read the same. */
const TIME_INCREMENTS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400];

/** Colours that read on light and dark backgrounds alike. */
export const PALETTE = ['#2f7ed8', '#e8590c', '#2b9348', '#c2255c', '#7048e8', '#0c8599', '#e67700', '#5c940d'];

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

function axis(unit: string, side: 0 | 1 = 0): uPlot.Axis {
  const stroke = cssVar('--muted');
  const grid = cssVar('--grid');
  return {
    stroke,
    side: side === 1 ? 1 : 3,
    scale: side === 1 ? 'right' : 'y',
    grid: { show: side === 0, stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1 },
    size: 64,
    values: (_u, splits) => splits.map((v) => axisValue(v, unit)),
  };
}

function options(spec: ChartSpec, width: number): uPlot.Options {
  const x = spec.x;
  const xAxis: uPlot.Axis = {
    stroke: cssVar('--muted'),
    grid: { stroke: cssVar('--grid'), width: 1 },
    ticks: { stroke: cssVar('--grid'), width: 1 },
    values: (_u, splits) => splits.map((v) => (x === undefined ? clock(v) : axisValue(v, x.unit))),
    ...(x === undefined ? { incrs: TIME_INCREMENTS } : { label: x.label }),
  };
  const axes = [xAxis, axis(spec.unit)];
  if (spec.lines.some((l) => l.right)) axes.push(axis(spec.rightUnit ?? spec.unit, 1));
  return {
    width,
    height: 220,
    legend: { show: true, live: true },
    cursor: { drag: { x: true, y: false } },
    scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] }, right: { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] } },
    axes,
    ...(spec.marks?.length ? { hooks: { draw: [(u: uPlot) => drawMarks(u, spec.marks!)] } } : {}),
    series: [
      { label: x?.label ?? 'time', value: (_u, v) => (v === null ? '–' : x === undefined ? clock(v) : axisValue(v, x.unit)) },
      ...spec.lines.map((l) => ({
        label: l.label,
        stroke: l.color,
        width: 2,
        scale: l.right ? 'right' : 'y',
        spanGaps: false,
        ...(l.dash ? { dash: [6, 4] } : {}),
        ...(spec.points ? { points: { show: true, size: 8, fill: l.color } } : { points: { show: false } }),
        value: (_u: uPlot, v: number | null) => (v === null ? '–' : axisValue(v, l.right ? (spec.rightUnit ?? spec.unit) : spec.unit)),
      })),
    ],
  };
}

/** A chart on the page: created once, its data replaced as ticks arrive, rebuilt when the theme or width changes. */
export class ChartPanel {
  readonly el: HTMLElement;
  #plot: uPlot | undefined;
  #spec: ChartSpec;
  readonly #holder: HTMLElement;

  constructor(spec: ChartSpec) {
    this.#spec = spec;
    this.#holder = h('div', { class: 'plot' });
    this.el = h('figure', { class: 'chart', id: `chart-${spec.id}`, 'data-chart': spec.id }, h('figcaption', {}, spec.title), this.#holder);
  }

  /** Draws (or redraws) with `spec`'s data. */
  update(spec: ChartSpec): void {
    const shape = (s: ChartSpec) => JSON.stringify([s.lines.map((l) => l.label), s.marks ?? []]);
    const rebuild = this.#plot === undefined || shape(spec) !== shape(this.#spec);
    this.#spec = spec;
    this.el.dataset.points = String(spec.data[0]?.length ?? 0);
    if (spec.marks !== undefined) this.el.dataset.marks = JSON.stringify(spec.marks.map((m) => ({ x: m.x, label: m.label })));
    if (rebuild) this.rebuild();
    else this.#plot!.setData(spec.data as uPlot.AlignedData);
  }

  /** Builds the chart anew (first draw, another theme, another width). */
  rebuild(): void {
    this.#plot?.destroy();
    const width = Math.max(this.#holder.clientWidth || this.el.clientWidth || 480, 240);
    this.#plot = new uPlot(options(this.#spec, width), this.#spec.data as uPlot.AlignedData, this.#holder);
  }

  resize(): void {
    if (this.#plot === undefined) return;
    const width = Math.max(this.#holder.clientWidth, 240);
    if (Math.abs(width - this.#plot.width) > 2) this.#plot.setSize({ width, height: 220 });
  }
}
