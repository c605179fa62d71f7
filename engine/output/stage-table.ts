import type { StageResult } from '../runtime/stage-results.js';

function ms(v: number | undefined): string {
  if (v === undefined) return '-';
  return v >= 1000 ? `${(v / 1000).toFixed(2)}s` : `${v.toFixed(2)}ms`;
}

function num(v: number): string {
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

/**
 * The per-stage table that follows the summary for ramping scenarios: the target's degradation
 * curve (where latency turns up and errors begin).
 */
export function stageTable(rows: readonly StageResult[], indent = ' '): string {
  if (rows.length === 0) return '';
  const header = ['scenario', 'stage', 'load', 'reqs/s', 'iters/s', 'p50', 'p95', 'p99', 'errors', 'VUs'];
  const body = rows.map((r) => [
    r.scenario,
    String(r.stage),
    `${num(r.from)}→${num(r.target)} ${r.unit}`,
    num(r.requestsPerSec),
    num(r.iterationsPerSec),
    ms(r.p50),
    ms(r.p95),
    ms(r.p99),
    r.errorRate === undefined ? '-' : `${(r.errorRate * 100).toFixed(2)}%`,
    String(r.maxVUs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => indent + cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [`${indent}per-stage results`, line(header), ...body.map(line)].join('\n');
}
