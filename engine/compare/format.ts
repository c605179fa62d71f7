import type { ComparisonRow } from './compare.js';
import type { FailOnOutcome } from './fail-on.js';

function value(r: ComparisonRow, v: number | undefined): string {
  if (v === undefined) return '-';
  if (r.kind === 'rate') return `${(v * 100).toFixed(2)}%`;
  if (r.time) return v >= 1000 ? `${(v / 1000).toFixed(3)}s` : `${v.toFixed(2)}ms`;
  return v >= 100 ? v.toFixed(0) : v.toFixed(2);
}

function signed(v: number, unit: string, digits = 1): string {
  return `${v >= 0 ? '+' : ''}${v.toFixed(digits)}${unit}`;
}

function change(r: ComparisonRow): string {
  if (r.change === undefined) return '-';
  return r.kind === 'rate' ? signed(r.change * 100, 'pp', 2) : signed(r.change * 100, '%');
}

function interval(r: ComparisonRow): string {
  if (r.interval === undefined) return '';
  const f = (v: number) => (r.kind === 'rate' ? signed(v * 100, 'pp', 2) : signed(v * 100, '%'));
  return `[${f(r.interval[0])}, ${f(r.interval[1])}]`;
}

const HEADER = ['metric', 'stat', 'base', 'new', 'change', 'interval', 'verdict'];

function cells(r: ComparisonRow): string[] {
  return [r.metric, r.stat, value(r, r.base), value(r, r.next), change(r), interval(r), r.verdict];
}

/** The one-line conclusion: the regressions and improvements found, or none. */
export function conclusion(rows: readonly ComparisonRow[], gates: readonly FailOnOutcome[]): string {
  const list = (v: ComparisonRow['verdict']) => rows.filter((r) => r.verdict === v).map((r) => `${r.metric} ${r.stat}`);
  const worse = list('regression');
  const better = list('improvement');
  const crossed = gates.filter((g) => g.crossed).map((g) => g.gate.source);
  const parts = [
    worse.length > 0 ? `${worse.length} regression${worse.length === 1 ? '' : 's'} (${worse.join(', ')})` : 'no regression',
    ...(better.length > 0 ? [`${better.length} improvement${better.length === 1 ? '' : 's'} (${better.join(', ')})`] : []),
  ];
  return `${parts.join('; ')}${crossed.length > 0 ? `; --fail-on crossed: ${crossed.join(', ')}` : ''}`;
}

function gateLine(g: FailOnOutcome): string {
  if (g.problem !== undefined) return `fail-on ${g.gate.source}: not judged (${g.problem})`;
  const r = g.row!;
  const why = g.crossed ? 'crossed' : r.significant ? 'held' : 'held (the change is within noise)';
  return `fail-on ${g.gate.source}: ${why}: ${change(r)} ${interval(r)}`.trimEnd();
}

/** The text report. */
export function compareText(title: string, method: string, rows: readonly ComparisonRow[], gates: readonly FailOnOutcome[]): string {
  const body = rows.map(cells);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (c: string[]) => ` ${c.map((x, i) => (i >= 2 && i <= 4 ? x.padStart(widths[i]!) : x.padEnd(widths[i]!))).join('  ').trimEnd()}`;
  return ['', ` ${title}`, ` ${method}`, '', line(HEADER), ...body.map(line), '', ...gates.map((g) => ` ${gateLine(g)}`), ` verdict: ${conclusion(rows, gates)}`, '', ''].join('\n');
}

/** A Markdown table, for a pull-request comment. */
export function compareMarkdown(title: string, method: string, rows: readonly ComparisonRow[], gates: readonly FailOnOutcome[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `### ${title}`,
    '',
    method,
    '',
    `| ${HEADER.join(' | ')} |`,
    `| --- | --- | ---: | ---: | ---: | --- | --- |`,
    ...rows.map((r) => `| ${cells(r).map(esc).join(' | ')} |`),
    '',
    ...gates.map((g) => `- ${esc(gateLine(g))}`),
    `**Verdict:** ${conclusion(rows, gates)}`,
    '',
  ].join('\n');
}
