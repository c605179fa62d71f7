import chalk, { Chalk, type ChalkInstance } from 'chalk';
import type { SummaryCheck, SummaryData, SummaryGroup, SummaryMetric } from './summary-types.js';
import { formatDuration, humanizeValue, strWidth } from './format.js';

/** Options of `textSummary`, as k6-summary's: the last two override `data.options`. */
export interface TextSummaryOptions {
  /** Put before every line (default ' '). */
  indent?: string;
  /** ANSI colours (default: on unless `data.options.noColor`, as k6's jslib defaults to colours). */
  enableColors?: boolean;
  summaryTimeUnit?: string;
  summaryTrendStats?: string[];
}

const DEFAULT_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];
const GROUP_PREFIX = '█';
const DETAILS_PREFIX = '↳';
const OK_MARK = '✓';
const FAIL_MARK = '✗';

interface Paint {
  green(s: string): string;
  red(s: string): string;
  cyan(s: string): string;
  /** cyan + faint: the secondary values (rates, min/max, ✓/✗ counts). */
  cyanFaint(s: string): string;
  faint(s: string): string;
}

export function paint(enable: boolean): Paint {
  const c: ChalkInstance = new Chalk({ level: enable ? (Math.max(chalk.level, 1) as 1 | 2 | 3) : 0 });
  return { green: (s) => c.green(s), red: (s) => c.red(s), cyan: (s) => c.cyan(s), cyanFaint: (s) => c.cyan.dim(s), faint: (s) => c.dim(s) };
}

function checkLines(indent: string, check: SummaryCheck, p: Paint): string[] {
  if (check.fails === 0) return [p.green(`${indent}${OK_MARK} ${check.name}`)];
  const total = check.passes + check.fails;
  const pct = Math.floor((100 * check.passes) / total);
  return [
    p.red(`${indent}${FAIL_MARK} ${check.name}`),
    p.red(`${indent} ${DETAILS_PREFIX}  ${pct}% — ${OK_MARK} ${check.passes} / ${FAIL_MARK} ${check.fails}`),
  ];
}

/** k6's summarizeGroup: a group's checks, a blank line after them, then its groups (`█ name` and a blank line, 2 more spaces). */
function groupLines(indent: string, group: SummaryGroup, p: Paint): string[] {
  const out: string[] = [];
  let inner = indent;
  if (group.name !== '') {
    out.push(`${indent}${GROUP_PREFIX} ${group.name}`, '');
    inner = `${indent}  `;
  }
  for (const c of group.checks) out.push(...checkLines(inner, c, p));
  if (group.checks.length > 0) out.push('');
  for (const g of group.groups) out.push(...groupLines(inner, g, p));
  return out;
}

/** Sub-metrics (`name{tag:value}`) shown as `{ tag:value }` under their metric. */
function displayName(key: string): string {
  const open = key.indexOf('{');
  return open < 0 ? key : `{ ${key.slice(open + 1, key.endsWith('}') ? -1 : undefined)} }`;
}

function nameIndent(key: string): string {
  return key.includes('{') ? '  ' : '';
}

/** By metric name, each sub-metric right after its metric (k6's later fix of a plain sort). */
function compareKeys(a: string, b: string): number {
  const pa = a.split('{', 1)[0]!;
  const pb = b.split('{', 1)[0]!;
  if (pa !== pb) return pa < pb ? -1 : 1;
  const sa = a.slice(pa.length);
  const sb = b.slice(pb.length);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** First value and extras of a non-trend metric, as k6's nonTrendMetricValueForSum. */
function nonTrendValues(m: SummaryMetric, timeUnit: string): string[] {
  const v = (k: string) => m.values[k] ?? 0;
  switch (m.type) {
    case 'counter':
      return [humanizeValue(v('count'), m, timeUnit), `${humanizeValue(v('rate'), m, timeUnit)}/s`];
    case 'gauge':
      return [humanizeValue(v('value'), m, timeUnit), `min=${humanizeValue(v('min'), m, timeUnit)}`, `max=${humanizeValue(v('max'), m, timeUnit)}`];
    case 'rate':
      return [humanizeValue(v('rate'), m, timeUnit), `${OK_MARK} ${v('passes')}`, `${FAIL_MARK} ${v('fails')}`];
    default:
      return ['[no data]'];
  }
}

function trendColumn(m: SummaryMetric, stat: string, timeUnit: string): string {
  const value = m.values[stat];
  // A metric with no samples has no values: k6's empty sinks report zeros.
  if (value === undefined) return Object.keys(m.values).length === 0 ? humanizeValue(0, m, timeUnit) : '-';
  return stat === 'count' ? String(value) : humanizeValue(value, m, timeUnit);
}

/** k6's summarizeMetrics: one line per metric, names dot-padded to one column, values in aligned columns. */
function metricLines(data: SummaryData, indent: string, stats: readonly string[], timeUnit: string, p: Paint): string[] {
  const keys = Object.keys(data.metrics).sort(compareKeys);
  const nameWidth = Math.max(0, ...keys.map((k) => strWidth(nameIndent(k) + displayName(k))));
  const trendCols = new Map<string, string[]>();
  const trendColWidths = stats.map(() => 0);
  const plain = new Map<string, string[]>();
  let valueWidth = 0;
  const extraWidths = [0, 0];
  for (const key of keys) {
    const m = data.metrics[key]!;
    if (m.type === 'trend') {
      const cols = stats.map((s) => trendColumn(m, s, timeUnit));
      cols.forEach((c, i) => (trendColWidths[i] = Math.max(trendColWidths[i]!, strWidth(c))));
      trendCols.set(key, cols);
    } else {
      const vals = nonTrendValues(m, timeUnit);
      valueWidth = Math.max(valueWidth, strWidth(vals[0]!));
      vals.slice(1).forEach((e, i) => (extraWidths[i] = Math.max(extraWidths[i] ?? 0, strWidth(e))));
      plain.set(key, vals);
    }
  }
  const pad = (s: string, width: number) => ' '.repeat(Math.max(0, width - strWidth(s)));
  const valueText = (key: string): string => {
    const cols = trendCols.get(key);
    if (cols !== undefined) return cols.map((c, i) => `${stats[i]}=${p.cyan(c)}${pad(c, trendColWidths[i]!)}`).join(' ');
    const [first, ...extras] = plain.get(key)!;
    let text = `${p.cyan(first!)}${pad(first!, valueWidth)}`;
    if (extras.length === 1) text += ` ${p.cyanFaint(extras[0]!)}`;
    else if (extras.length > 1) text += ` ${extras.map((e, i) => `${p.cyanFaint(e)}${pad(e, extraWidths[i] ?? 0)}`).join(' ')}`;
    return text;
  };
  return keys.map((key) => {
    const m = data.metrics[key]!;
    let mark = ' ';
    if (m.thresholds !== undefined && Object.keys(m.thresholds).length > 0) {
      mark = Object.values(m.thresholds).every((t) => t.ok) ? p.green(OK_MARK) : p.red(FAIL_MARK);
    }
    const ind = nameIndent(key);
    const name = displayName(key);
    const dots = p.faint(`${'.'.repeat(Math.max(0, nameWidth - strWidth(name) - strWidth(ind) + 3))}:`);
    // k6 pads the last column too; the trailing blanks are dropped here.
    return `${indent}${ind}${mark} ${name}${dots} ${valueText(key)}`.trimEnd();
  });
}

/** loadts's own end-of-run facts, kept to one or two lines. */
export function extrasLines(data: SummaryData, indent: string, p: Paint): string[] {
  const x = data.loadts;
  if (x === undefined) return [];
  const threads = `${x.workers} worker thread${x.workers === 1 ? '' : 's'}`;
  const out = ['', p.faint(`${indent}${x.iterations.complete} complete and ${x.iterations.interrupted} interrupted iterations in ${formatDuration(data.state.testRunDurationMs)} on ${threads}`)];
  if (x.state !== 'completed') out.push(p.red(`${indent}run ended: ${x.state} (exit code ${x.exitCode})`));
  return out;
}

/**
 * k6's classic end-of-test summary (k6 v0.3x–v0.5x, jslib k6-summary `textSummary`): checks by
 * group (`✓ name`, or `✗ name` and `↳  N% — ✓ passes / ✗ fails`; groups as `█ name`), then every
 * metric sorted by name with dot padding, sub-metrics indented under their metric as
 * `{ tag:value }`, and `✓`/`✗` before metrics that have thresholds. loadts adds its end state last.
 */
export function textSummary(data: SummaryData, opts: TextSummaryOptions = {}): string {
  const indent = opts.indent ?? ' ';
  const p = paint(opts.enableColors ?? !(data.options?.noColor ?? false));
  const stats = opts.summaryTrendStats ?? data.options?.summaryTrendStats ?? DEFAULT_TREND_STATS;
  const timeUnit = opts.summaryTimeUnit ?? data.options?.summaryTimeUnit ?? '';
  const lines: string[] = [];
  if (data.root_group !== undefined) lines.push(...groupLines(`${indent}    `, data.root_group, p));
  lines.push(...metricLines(data, `${indent}  `, stats, timeUnit, p));
  lines.push(...extrasLines(data, `${indent}    `, p));
  return lines.join('\n');
}
