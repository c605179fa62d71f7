/**
 * k6 1.x's end-of-test summary text (`--summary-mode compact|full`): `█ THRESHOLDS` (each metric
 * with thresholds, `✓ 'p(95)<200' p(95)=12.3ms`), `█ TOTAL RESULTS` (checks_total/succeeded/failed,
 * the checks, then the metrics by section: CUSTOM, HTTP, EXECUTION, NETWORK, …) and, in full mode,
 * `█ GROUP: name` and `█ SCENARIO: name` parts. Names are dot-padded to one column and values
 * aligned across the sections of a part, as k6 prints them.
 */
import { humanizeValue, strWidth } from './format.js';
import { SECTIONS, type ReportChecks, type ReportGroup, type ReportMetric, type ReportThreshold, type SummaryReport } from './summary-report.js';

export interface V1Options {
  enableColors: boolean;
  summaryTrendStats: readonly string[];
  summaryTimeUnit: string;
}

type Color = 'red' | 'green' | 'cyan' | 'white';
const CODE: Record<Color, string> = { red: '31', green: '32', cyan: '36', white: '37' };

class Style {
  constructor(readonly on: boolean) {}
  color(text: string, c: Color, faint = false): string {
    return this.on ? `\x1b[${faint ? '2;' : ''}${CODE[c]}m${text}\x1b[0m` : text;
  }
  bold(text: string): string {
    return this.on ? `\x1b[1m${text}\x1b[0m` : text;
  }
}

const pad = (level: number) => ' '.repeat(level * 2);
const displayName = (key: string) => (key.includes('{') ? `{ ${key.slice(key.indexOf('{') + 1, -1)} }` : key);
/** Sub-metrics sit two columns in from their metric. */
const extraIndent = (key: string) => (key.includes('{') ? '  ' : '');
const BLANK = '';

function compareKeys(a: string, b: string): number {
  const pa = a.split('{', 1)[0]!;
  const pb = b.split('{', 1)[0]!;
  if (pa !== pb) return pa.localeCompare(pb);
  return a.slice(pa.length).localeCompare(b.slice(pb.length));
}

/** Widths shared by the metric lines of one block, as k6's computeSummaryInfo. */
class Columns {
  name = 0;
  value = 0;
  readonly extras: number[] = [];
  readonly trend: number[];
  readonly cells = new Map<string, string[]>();
  constructor(
    metrics: readonly ReportMetric[],
    readonly o: V1Options,
  ) {
    this.trend = o.summaryTrendStats.map(() => 0);
    for (const m of metrics) {
      this.name = Math.max(this.name, strWidth(extraIndent(m.key) + displayName(m.key)));
      const cells = m.type === 'trend' ? o.summaryTrendStats.map((s) => this.#trendCell(m, s)) : nonTrendCells(m, o.summaryTimeUnit);
      if (m.type === 'trend') cells.forEach((c, i) => (this.trend[i] = Math.max(this.trend[i]!, strWidth(c))));
      else {
        this.value = Math.max(this.value, strWidth(cells[0]!));
        cells.slice(1).forEach((c, i) => (this.extras[i] = Math.max(this.extras[i] ?? 0, strWidth(c))));
      }
      this.cells.set(m.key, cells);
    }
  }
  #trendCell(m: ReportMetric, stat: string): string {
    const v = m.values[stat] ?? 0;
    return stat === 'count' ? String(v) : humanizeValue(v, m, this.o.summaryTimeUnit);
  }
}

function nonTrendCells(m: ReportMetric, timeUnit: string): string[] {
  const v = (k: string) => m.values[k] ?? 0;
  switch (m.type) {
    case 'counter':
      return [humanizeValue(v('count'), m, timeUnit), `${humanizeValue(v('rate'), m, timeUnit)}/s`];
    case 'gauge':
      return [humanizeValue(v('value'), m, timeUnit), `min=${humanizeValue(v('min'), m, timeUnit)}`, `max=${humanizeValue(v('max'), m, timeUnit)}`];
    case 'rate':
      return [humanizeValue(v('rate'), m, timeUnit), `${v('passes')} out of ${v('passes') + v('fails')}`];
    default:
      return ['[no data]'];
  }
}

function metricLine(m: ReportMetric, cols: Columns, level: number, s: Style): string {
  const cells = cols.cells.get(m.key)!;
  const gap = (text: string, width: number) => ' '.repeat(Math.max(0, width - strWidth(text)));
  const name = displayName(m.key);
  const dots = s.color(`${'.'.repeat(Math.max(0, cols.name - strWidth(name) - extraIndent(m.key).length + 3))}:`, 'white', true);
  let data: string;
  if (m.type === 'trend') data = cells.map((c, i) => `${cols.o.summaryTrendStats[i]}=${s.color(c, 'cyan')}${gap(c, cols.trend[i]!)}`).join(' ');
  else {
    const [first, ...extras] = cells;
    data = s.color(first!, 'cyan') + gap(first!, cols.value);
    if (extras.length === 1) data += ` ${s.color(extras[0]!, 'cyan', true)}`;
    else if (extras.length > 1) data += ` ${extras.map((e, i) => s.color(e, 'cyan', true) + gap(e, cols.extras[i] ?? 0)).join(' ')}`;
  }
  return `${pad(level)}${extraIndent(m.key)}${name}${dots} ${data}`;
}

function checkLines(checks: ReportChecks, level: number, o: V1Options, s: Style): string[] {
  const metrics = [checks.total, checks.succeeded, checks.failed];
  const cols = new Columns(metrics, o);
  const out = metrics.map((m) => metricLine(m, cols, level, s));
  out.push(BLANK);
  for (const c of checks.ordered) {
    if (c.fails === 0) {
      out.push(pad(level) + s.color(`✓ ${c.name}`, 'green'));
      continue;
    }
    const pct = Math.floor((100 * c.passes) / (c.passes + c.fails));
    out.push(pad(level) + s.color(`✗ ${c.name}`, 'red'), pad(level + 1) + s.color(`↳  ${pct}% — ✓ ${c.passes} / ✗ ${c.fails}`, 'red'));
  }
  out.push(BLANK);
  return out;
}

function metricSections(group: ReportGroup, level: number, o: V1Options, s: Style): string[] {
  const all = SECTIONS.flatMap((sec) => group.metrics[sec] ?? []);
  const cols = new Columns(all, o);
  const out: string[] = [];
  for (const sec of SECTIONS) {
    const list = [...(group.metrics[sec] ?? [])].sort((a, b) => compareKeys(a.key, b.key));
    if (list.length === 0) continue;
    out.push(pad(level) + s.bold(sec.toUpperCase()), ...list.map((m) => metricLine(m, cols, level, s)), BLANK);
  }
  return out;
}

/** A group's or scenario's content at nesting `level` (0 for a part): its checks, its metrics, then its groups as `↳ GROUP: name`. */
function groupContent(group: ReportGroup, level: number, o: V1Options, s: Style): string[] {
  const out = group.checks === undefined ? [] : checkLines(group.checks, level + 2, o, s);
  out.push(...metricSections(group, level + 2, o, s));
  for (const name of Object.keys(group.groups).sort((a, b) => a.localeCompare(b))) {
    out.push(`${pad(level + 2)}↳ ${s.bold(`GROUP: ${name}`)}`, ...groupContent(group.groups[name]!, level + 1, o, s));
  }
  return out;
}

function thresholdLines(thresholds: readonly ReportThreshold[], o: V1Options, s: Style): string[] {
  const byKey = new Map(thresholds.map((t) => [t.metric.key, t]));
  const out: string[] = [];
  for (const key of [...byKey.keys()].sort(compareKeys)) {
    const t = byKey.get(key)!;
    const parent = key.split('{', 1)[0]!;
    const nested = key !== parent && byKey.has(parent);
    const level = nested ? 3 : 2;
    out.push(pad(level) + (nested ? key.slice(parent.length) : key));
    for (const r of t.results) {
      // a counter's rate shows per second, as its line in TOTAL RESULTS
      const perSecond = t.metric.type === 'counter' && r.agg !== 'count' ? '/s' : '';
      const value = r.value === undefined ? '-' : humanizeValue(r.value, t.metric, o.summaryTimeUnit) + perSecond;
      const mark = r.ok ? s.color('✓', 'green') : s.color('✗', 'red');
      out.push(`${pad(level)}${mark} ${s.color(`'${r.source}'`, 'white')} ${s.color(r.agg, 'white')}=${s.color(value, 'cyan')}`);
    }
    out.push(BLANK);
  }
  return out;
}

/** The summary text (no leading or trailing blank line); lines carry no trailing blanks. */
export function textSummaryV1(report: SummaryReport, o: V1Options): string {
  const s = new Style(o.enableColors);
  const parts: Array<{ title: string; content: string[] }> = [];
  if (report.thresholds.length > 0) parts.push({ title: 'THRESHOLDS', content: thresholdLines(report.thresholds, o, s) });
  parts.push({ title: 'TOTAL RESULTS', content: groupContent(report.total, 0, o, s) });
  for (const name of Object.keys(report.groups).sort((a, b) => a.localeCompare(b))) parts.push({ title: `GROUP: ${name}`, content: groupContent(report.groups[name]!, 0, o, s) });
  for (const name of Object.keys(report.scenarios).sort((a, b) => a.localeCompare(b))) parts.push({ title: `SCENARIO: ${name}`, content: groupContent(report.scenarios[name]!, 0, o, s) });
  const lines: string[] = [];
  for (const p of parts) lines.push(`${pad(1)}█ ${s.bold(p.title)}`, BLANK, ...p.content, BLANK);
  while (lines.at(-1) === BLANK) lines.pop();
  return lines.map((l) => l.trimEnd()).join('\n');
}
