import type { StageResult } from '../../engine/runtime/stage-results.js';
import type { SummaryGroup } from '../../engine/output/summary-types.js';
import type { SummaryRow } from '../../engine/dashboard/events.js';
import { h, numCell, table } from './dom.js';
import { formatPercent, metricValue, ms, num } from './format.js';
import type { PageState } from './state.js';

const STATE_TEXT: Record<number, string> = { 1: 'passed', 0: 'crossed', [-1]: 'no data yet' };

/** Thresholds with their state: the record's at the end, the live judgement before. */
export function thresholdsTable(state: PageState): HTMLElement {
  const end = state.end;
  const rows = end
    ? end.thresholds.map((t) => ({ metric: t.metric, source: t.source, value: t.value, ok: t.ok ? 1 : 0 }))
    : (state.start?.thresholds ?? []).map((t, i) => ({ metric: t.metric, source: t.source, value: state.last?.now?.thresholdValues[i] ?? undefined, ok: state.last?.thresholds[i] ?? -1 }));
  if (rows.length === 0) return h('p', { class: 'muted' }, 'No thresholds.');
  const defOf = (metric: string) => state.start?.metrics.find((m) => m.name === metric.split('{')[0]) ?? { type: 'trend' as const, contains: 'default' as const };
  return table(
    'thresholds',
    ['', 'metric', 'threshold', 'value', 'state'],
    rows.map((r) => [
      h('td', { class: `badge ${r.ok === 1 ? 'ok' : r.ok === 0 ? 'bad' : 'none'}` }, r.ok === 1 ? '✓' : r.ok === 0 ? '✗' : '…'),
      r.metric,
      r.source,
      numCell(r.value ?? undefined, r.value === undefined || r.value === null ? '–' : metricValue(r.value, defOf(r.metric))),
      h('td', { class: 'state' }, STATE_TEXT[r.ok] ?? ''),
    ]),
  );
}

/** The per-stage (or load-level) table: the degradation view's numbers. */
export function stagesTable(rows: readonly StageResult[], levels: boolean): HTMLElement {
  const load = (r: StageResult) => (levels ? (r.from === r.target ? `${num(r.from)} ${r.unit}` : `${num(r.from)}–${num(r.target)} ${r.unit}`) : `${num(r.from)} → ${num(r.target)} ${r.unit}`);
  return table(
    'stages',
    [levels ? 'level' : 'scenario', levels ? 'time' : 'stage', 'load', 'requests/s', 'iterations/s', 'p50', 'p95', 'p99', 'errors', 'VUs'],
    rows.map((r) => [
      levels ? String(r.stage + 1) : r.scenario,
      levels ? `${num(r.durationMs / 1000)} s` : String(r.stage),
      load(r),
      numCell(r.requestsPerSec, num(r.requestsPerSec)),
      numCell(r.iterationsPerSec, num(r.iterationsPerSec)),
      numCell(r.p50, ms(r.p50)),
      numCell(r.p95, ms(r.p95)),
      numCell(r.p99, ms(r.p99)),
      numCell(r.errorRate, r.errorRate === undefined ? '–' : `${(r.errorRate * 100).toFixed(2)}%`),
      numCell(r.maxVUs, String(r.maxVUs)),
    ]),
  );
}

const TREND_COLUMNS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'];

/** The summary tables: trends with their percentiles, then counters, rates and gauges. */
export function summaryTables(rows: readonly SummaryRow[]): HTMLElement {
  const trends = rows.filter((r) => r.type === 'trend');
  const others = rows.filter((r) => r.type !== 'trend');
  const cell = (r: SummaryRow, stat: string) => {
    const v = r.values[stat];
    if (v === undefined) return h('td', {}, '');
    return numCell(v, stat === 'count' ? num(v) : metricValue(v, r));
  };
  const row = (r: SummaryRow, cells: HTMLTableCellElement[]) => {
    const tr = h('tr', { 'data-metric': r.name }, h('th', { scope: 'row' }, r.name), ...cells);
    return tr;
  };
  const trendTable = h(
    'table',
    { class: 'summary trends' },
    h('thead', {}, h('tr', {}, h('th', {}, 'trend'), ...TREND_COLUMNS.map((c) => h('th', {}, c)))),
    h('tbody', {}, ...trends.map((r) => row(r, TREND_COLUMNS.map((c) => cell(r, c))))),
  );
  const otherCells = (r: SummaryRow): HTMLTableCellElement[] => {
    if (r.type === 'counter') {
      const text = (v: number) => (r.contains === 'data' ? metricValue(v, r) : num(v));
      return [numCell(r.values.count, text(r.values.count ?? 0)), h('td', {}, 'total'), numCell(r.values.rate, `${text(r.values.rate ?? 0)}/s`), h('td', {}, '')];
    }
    if (r.type === 'rate') return [numCell(r.values.rate, formatPercent(r.values.rate ?? 0)), h('td', {}, 'true'), numCell(r.values.passes, `${num(r.values.passes ?? 0)} true`), numCell(r.values.fails, `${num(r.values.fails ?? 0)} false`)];
    return [cell(r, 'value'), h('td', {}, 'last'), numCell(r.values.min, `min ${metricValue(r.values.min ?? 0, r)}`), numCell(r.values.max, `max ${metricValue(r.values.max ?? 0, r)}`)];
  };
  const otherTable = h(
    'table',
    { class: 'summary others' },
    h('thead', {}, h('tr', {}, h('th', {}, 'metric'), h('th', {}, 'value'), h('th', {}, ''), h('th', {}, ''), h('th', {}, ''))),
    h('tbody', {}, ...others.map((r) => row(r, otherCells(r)))),
  );
  return h('div', { class: 'tables' }, trendTable, otherTable);
}

/** Checks by group, as in the end-of-test summary: ✓/✗, passes, fails, share passed. */
export function checksTree(group: SummaryGroup): HTMLElement {
  const out = h('div', { class: 'checks' });
  const walk = (g: SummaryGroup, depth: number) => {
    if (g.path !== '') out.append(h('h3', { class: 'group', style: `margin-left:${depth - 1}em` }, `█ ${g.name}`));
    if (g.checks.length > 0) {
      out.append(
        table(
          'checks-table',
          ['', 'check', 'passes', 'fails', 'passed'],
          g.checks.map((c) => [
            h('td', { class: `badge ${c.fails === 0 ? 'ok' : 'bad'}` }, c.fails === 0 ? '✓' : '✗'),
            c.name,
            numCell(c.passes, num(c.passes)),
            numCell(c.fails, num(c.fails)),
            numCell(c.passes / Math.max(c.passes + c.fails, 1), formatPercent(c.passes / Math.max(c.passes + c.fails, 1))),
          ]),
        ),
      );
    }
    for (const sub of g.groups) walk(sub, depth + 1);
  };
  walk(group, 0);
  if (out.childElementCount === 0) out.append(h('p', { class: 'muted' }, 'No checks.'));
  return out;
}

/** The live checks (before the end event brings the record's group tree). */
export function liveChecks(state: PageState): HTMLElement {
  const checks = state.last?.now?.checks ?? [];
  const root: SummaryGroup = { name: '', path: '', id: '', groups: [], checks: [] };
  const groups = new Map<string, SummaryGroup>([['', root]]);
  for (const c of checks) {
    let g = groups.get(c.group);
    if (g === undefined) {
      g = { name: c.group.split('::').pop() ?? c.group, path: c.group, id: '', groups: [], checks: [] };
      groups.set(c.group, g);
      root.groups.push(g);
    }
    g.checks.push({ name: c.name, path: `${c.group}::${c.name}`, id: '', passes: c.passes, fails: c.fails });
  }
  return checksTree(root);
}
