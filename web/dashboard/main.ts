import type { DashboardEvent } from '../../engine/dashboard/events.js';
import './style.css';
import { coreCharts, sectionCharts } from './chart-specs.js';
import { ChartPanel, type ChartSpec } from './charts.js';
import { degradationChart, degradationRows } from './degradation.js';
import { h } from './dom.js';
import { environmentTable } from './environment.js';
import { banners, header } from './header.js';
import { llmCostTable } from './llm-cost.js';
import { capacitySummary, levelCharts, levelTable } from './load-levels.js';
import { PageState } from './state.js';
import { checksTree, liveChecks, stagesTable, summaryTables, thresholdsTable } from './tables.js';

/**
 * The dashboard page, live or report: the same code draws both from the same events. A report has
 * them embedded (#loadts-events); the live page replays them from /events and then follows.
 */
class Page {
  readonly state = new PageState();
  readonly #root: HTMLElement;
  readonly #panels = new Map<string, ChartPanel>();
  readonly #parts: Record<string, HTMLElement> = {};
  #pending = false;

  constructor(root: HTMLElement) {
    this.#root = root;
    const part = (id: string, title: string, cls = 'card') => {
      const body = h('div', { class: 'body' });
      const el = h('section', { id, class: cls, hidden: '' }, h('h2', {}, title), body);
      this.#parts[id] = body;
      return el;
    };
    this.#parts.header = h('div', { id: 'head' });
    this.#parts.banners = h('div', { id: 'banners' });
    root.append(
      this.#parts.header,
      this.#parts.banners,
      part('thresholds', 'Thresholds'),
      part('charts', 'Over time', 'card charts'),
      part('degradation', 'Degradation: each stage or load level', 'card charts'),
      part('custom', 'Custom metrics', 'card charts'),
      part('streaming', 'LLM and streaming', 'card charts'),
      part('summary', 'Summary'),
      part('checks', 'Checks and groups'),
      part('environment', 'Environment'),
    );
    window.addEventListener('resize', () => this.#panels.forEach((p) => p.resize()));
    // Charts read their colours from CSS: draw them again for another scheme, and for paper.
    const rebuild = () => this.#panels.forEach((p) => p.rebuild());
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', rebuild);
    window.addEventListener('beforeprint', rebuild);
    window.addEventListener('afterprint', rebuild);
  }

  apply(e: DashboardEvent): void {
    this.state.apply(e);
    this.schedule();
  }

  /** Renders once per frame, however many events arrived (a replay brings them all at once). */
  schedule(): void {
    if (this.#pending) return;
    this.#pending = true;
    requestAnimationFrame(() => {
      this.#pending = false;
      this.render();
    });
  }

  render(): void {
    const s = this.state;
    if (s.start === undefined) return;
    this.#parts.header!.replaceChildren(header(s));
    this.#parts.banners!.replaceChildren(...[banners(s)].filter((b): b is HTMLElement => b !== undefined));
    this.#fill('thresholds', thresholdsTable(s));
    this.#charts('charts', coreCharts(s));
    this.#degradation();
    this.#charts('custom', sectionCharts(s, 'custom'));
    this.#charts('streaming', [...sectionCharts(s, 'llm'), ...sectionCharts(s, 'sse')], s.end?.llmCost ? [llmCostTable(s.end.llmCost)] : []);
    if (s.end) {
      this.#fill('summary', summaryTables(s.end.metrics));
      this.#fill('checks', checksTree(s.end.rootGroup));
      this.#fill('environment', environmentTable(s.end.environment, s.end.workers));
    } else if ((s.last?.now?.checks.length ?? 0) > 0) this.#fill('checks', liveChecks(s));
    document.body.dataset.ticks = String(s.ticks.length);
    document.body.dataset.state = s.end ? 'ended' : 'running';
  }

  #fill(id: string, ...children: HTMLElement[]): void {
    const body = this.#parts[id]!;
    body.replaceChildren(...children);
    body.parentElement!.hidden = false;
  }

  #charts(id: string, specs: ChartSpec[], extra: HTMLElement[] = []): void {
    const body = this.#parts[id]!;
    body.parentElement!.hidden = specs.length === 0 && extra.length === 0;
    let grid = body.querySelector<HTMLElement>(':scope > .grid');
    if (grid === null) {
      grid = h('div', { class: 'grid' });
      body.prepend(grid);
    }
    for (const spec of specs) {
      let panel = this.#panels.get(spec.id);
      if (panel === undefined) {
        panel = new ChartPanel(spec);
        this.#panels.set(spec.id, panel);
        grid.append(panel.el);
      }
      panel.update(spec);
    }
    for (const el of [...body.children]) if (el !== grid) el.remove();
    body.append(...extra);
  }

  #degradation(): void {
    const end = this.state.end;
    if (end?.loadLevels !== undefined) return this.#loadLevels(end);
    const { rows, levels } = degradationRows(this.state);
    const spec = degradationChart(rows);
    const note = h(
      'p',
      { class: 'muted' },
      levels
        ? 'No stages in this run: the ticks are grouped by their active VUs. Where throughput stops growing as load rises, the target is saturated.'
        : 'One row per stage of each ramping scenario. Where throughput stops growing while latency climbs, the target is saturated.',
    );
    this.#charts('degradation', spec ? [spec] : [], rows.length > 0 ? [note, stagesTable(rows, levels)] : []);
  }

  /** The record's load-level table (a capacity search's levels, a ramping test's stages): charts against load, the result, the table. */
  #loadLevels(end: NonNullable<PageState['end']>): void {
    const levels = end.loadLevels!;
    const capacity = end.capacity;
    const title = this.#parts.degradation!.parentElement!.querySelector('h2')!;
    title.textContent = capacity ? 'Capacity search: each load level' : 'Degradation: each stage';
    const note = h(
      'p',
      { class: 'muted' },
      capacity
        ? 'One row per level of the search, lowest load first (the order run is in the level numbers). Where latency turns up and throughput stops following the load, the target is saturated.'
        : 'One row per stage of each ramping scenario, lowest load first (a ramp at its midpoint). Where latency turns up and throughput stops following the load, the target is saturated.',
    );
    this.#charts('degradation', levelCharts(levels, capacity), [...(capacity ? [capacitySummary(capacity)] : []), note, levelTable(levels)]);
  }
}

function boot(): void {
  const page = new Page(document.getElementById('app')!);
  const embedded = document.getElementById('loadts-events');
  if (embedded !== null) {
    page.state.embedded = true;
    for (const e of JSON.parse(embedded.textContent ?? '[]') as DashboardEvent[]) page.state.apply(e);
    page.render();
    return;
  }
  const source = new EventSource('events');
  source.onmessage = (m) => {
    const e = JSON.parse(m.data as string) as DashboardEvent;
    page.state.disconnected = false;
    page.apply(e);
    // the run is over: the page keeps its final state and stops listening
    if (e.type === 'end') source.close();
  };
  source.onerror = () => {
    page.state.disconnected = page.state.end === undefined;
    page.schedule();
  };
}

boot();
