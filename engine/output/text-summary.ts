import chalk, { Chalk } from 'chalk';
import type { SummaryData, SummaryGroup, SummaryMetric } from './summary-types.js';
import { formatBytes, formatNumber, formatTime } from './format.js';

interface Style {
  ok(s: string): string;
  bad(s: string): string;
  dim(s: string): string;
  value(s: string): string;
}

function style(enable: boolean): Style {
  const c = enable ? new Chalk({ level: Math.max(chalk.level, 1) as 1 }) : new Chalk({ level: 0 });
  return { ok: (s) => c.green(s), bad: (s) => c.red(s), dim: (s) => c.gray(s), value: (s) => c.cyan(s) };
}

function checksBlock(group: SummaryGroup, indent: string, s: Style, out: string[]): void {
  for (const c of group.checks) {
    const total = c.passes + c.fails;
    if (c.fails === 0) out.push(`${indent}${s.ok(`✓ ${c.name}`)}`);
    else {
      const pct = total === 0 ? 0 : Math.floor((c.passes / total) * 100);
      out.push(`${indent}${s.bad(`✗ ${c.name}`)}`);
      out.push(`${indent} ${s.dim(`↳  ${pct}% — ✓ ${c.passes} / ✗ ${c.fails}`)}`);
    }
  }
  for (const g of group.groups) {
    out.push('');
    out.push(`${indent}█ ${g.name}`);
    out.push('');
    checksBlock(g, `${indent}  `, s, out);
  }
}

function valueText(m: SummaryMetric, stats: readonly string[], unit: string, s: Style): string {
  const v = m.values;
  const fmt = (x: number | undefined) => {
    if (x === undefined) return '-';
    if (m.contains === 'time') return formatTime(x, unit);
    if (m.contains === 'data') return formatBytes(x);
    return formatNumber(x);
  };
  switch (m.type) {
    case 'counter': {
      const rate = m.contains === 'data' ? `${formatBytes(v.rate ?? 0)}/s` : `${formatNumber(v.rate ?? 0)}/s`;
      return `${s.value(fmt(v.count).padEnd(7))} ${s.dim(rate)}`;
    }
    case 'gauge':
      return `${s.value(fmt(v.value).padEnd(7))} ${s.dim(`min=${fmt(v.min)}`.padEnd(10))} ${s.dim(`max=${fmt(v.max)}`)}`;
    case 'rate': {
      const pct = `${((v.rate ?? 0) * 100).toFixed(2)}%`;
      return `${s.value(pct.padEnd(7))} ${`✓ ${v.passes ?? 0}`.padEnd(10)} ✗ ${v.fails ?? 0}`;
    }
    case 'trend':
      return stats
        .filter((k) => k in v)
        .map((k) => `${k}=${s.value(fmt(v[k]))}`)
        .join(' ');
  }
}

/**
 * k6's end-of-test text summary: checks by group, then every metric (sub-metrics indented under
 * their metric) with dot padding, thresholds marked ✓/✗ before the metric.
 */
export function textSummary(data: SummaryData, opts: { indent?: string; enableColors?: boolean } = {}): string {
  const indent = opts.indent ?? ' ';
  const s = style(opts.enableColors ?? false);
  const out: string[] = [];
  const pad = `${indent}    `;
  const checksOut: string[] = [];
  checksBlock(data.root_group, pad, s, checksOut);
  if (checksOut.length > 0) out.push(...checksOut, '');

  const names = Object.keys(data.metrics);
  const parents = names.filter((n) => !n.includes('{')).sort();
  const subsOf = (name: string) => names.filter((n) => n.startsWith(`${name}{`)).sort();
  const label = (n: string) => (n.includes('{') ? `  { ${n.slice(n.indexOf('{') + 1, -1).replace(/,/g, ', ')} }` : n);
  const all = parents.flatMap((p) => [p, ...subsOf(p)]);
  // sub-metrics whose parent has no samples are still shown
  for (const n of names) if (n.includes('{') && !all.includes(n)) all.push(n);
  const width = Math.max(0, ...all.map((n) => label(n).length));
  const stats = data.options.summaryTrendStats;
  for (const name of all) {
    const m = data.metrics[name]!;
    let mark = '  ';
    if (m.thresholds !== undefined) mark = Object.values(m.thresholds).every((t) => t.ok) ? s.ok('✓ ') : s.bad('✗ ');
    const l = label(name);
    const dots = s.dim('.'.repeat(width - l.length + 3));
    out.push(`${pad.slice(2)}${mark}${l}${dots}: ${valueText(m, stats, data.options.summaryTimeUnit, s)}`);
  }
  const x = data.loadts;
  if (x !== undefined) {
    out.push('');
    const state = x.state === 'completed' ? '' : `, ${x.state}`;
    out.push(`${pad}${s.dim(`${x.iterations.complete} complete and ${x.iterations.interrupted} interrupted iterations in ${formatTime(data.state.testRunDurationMs)} on ${x.workers} worker thread${x.workers === 1 ? '' : 's'}${state}`)}`);
  }
  return out.join('\n');
}
