import type { LoadLevel } from '../record/load-level.js';

function ms(v: number | undefined): string {
  if (v === undefined) return '-';
  return v >= 1000 ? `${(v / 1000).toFixed(2)}s` : `${v.toFixed(2)}ms`;
}

function num(v: number): string {
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

function pct(v: number | undefined): string {
  return v === undefined ? '-' : `${(v * 100).toFixed(2)}%`;
}

function mb(bytes: number | undefined): string {
  return bytes === undefined ? '-' : `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

function load(l: LoadLevel['load']): string {
  const unit = l.unit === 'VUs' ? 'VUs' : '/s';
  const n = (v: number) => (Number.isInteger(v) ? String(v) : num(v));
  return l.from === undefined ? `${n(l.value)} ${unit}` : `${n(l.from)}→${n(l.value)} ${unit}`;
}

const HEADER = ['level', 'load', 'reqs/s', 'iters/s', 'p50', 'p95', 'p99', 'errors', '429s', 'dropped', 'gen CPU', 'target RSS', 'verdict'];

/** One row's cells, in HEADER's order. */
function cells(r: LoadLevel): string[] {
  return [
    r.label,
    load(r.load),
    num(r.requestsPerSec),
    num(r.iterationsPerSec),
    ms(r.p50),
    ms(r.p95),
    ms(r.p99),
    pct(r.errorRate),
    pct(r.rateLimitedRate),
    String(r.droppedIterations),
    r.generatorCpu === undefined ? '-' : `${(r.generatorCpu * 100).toFixed(0)}%`,
    mb(r.targetRssBytes),
    r.verdict,
  ];
}

/**
 * The load-level table: the per-stage rows of ramping scenarios, or a capacity search's levels
 * (one shape, docs/capacity.md): the load, the throughput achieved, latency, errors, 429s, dropped
 * iterations, the generator's CPU, the target's memory and the verdict. '' for no rows.
 */
export function loadLevelTable(rows: readonly LoadLevel[], title = 'load levels', indent = ' '): string {
  if (rows.length === 0) return '';
  const body = rows.map(cells);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (c: string[]) => indent + c.map((x, i) => (i < 2 || i === c.length - 1 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ').trimEnd();
  const notes = rows.filter((r) => r.note !== undefined && r.verdict !== 'pass').map((r) => `${indent}  ${r.label}: ${r.note}`);
  return [`${indent}${title}`, line(HEADER), ...body.map(line), ...notes].join('\n');
}

/** The same table in Markdown (GitHub's step summary, pull-request comments). */
export function loadLevelMarkdown(rows: readonly LoadLevel[]): string {
  if (rows.length === 0) return '';
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const head = `| ${HEADER.join(' | ')} |\n|${HEADER.map((_, i) => (i < 2 ? ' --- ' : ' ---: ')).join('|')}|`;
  return [head, ...rows.map((r) => `| ${cells(r).map(esc).join(' | ')} |`)].join('\n');
}
