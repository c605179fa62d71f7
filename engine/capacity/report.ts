import { loadLevelMarkdown, loadLevelTable } from '../output/stage-table.js';
import type { CapacityResult } from './result.js';

function load(v: number | undefined, r: CapacityResult): string {
  if (v === undefined) return '-';
  const n = Number.isInteger(v) ? String(v) : v.toFixed(1);
  return r.unit === 'VUs' ? `${n} VUs` : `${n} iterations/s`;
}

function heading(r: CapacityResult): string {
  const s = r.settings;
  const model = r.model === 'open' ? 'open model: constant arrival rate per level' : 'closed model: constant VUs per level';
  return `capacity search (${model}; ${s.levelDurationMs / 1000}s measured after ${s.warmupMs / 1000}s warm-up; growth ×${s.growth}, precision ${(s.precision * 100).toFixed(0)}%)`;
}

/** The result's lines: sustainable load, the knee, the verdict. */
function resultLines(r: CapacityResult): string[] {
  const knee = r.knee === undefined ? 'none found (latency did not bend over the levels measured)' : `${load(r.knee.load, r)} (p95 ${r.knee.latencyMs.toFixed(1)} ms; Kneedle on p95 latency vs load)`;
  const bound = r.end === 'found' ? `; next failing level ${load(r.firstFailing, r)}` : r.end === 'none-passed' ? '' : ' (a lower bound)';
  return [
    `maximum sustainable ${r.unit === 'VUs' ? 'concurrency' : 'rate'}: ${load(r.maxSustainable, r)}${r.maxSustainable === undefined ? '' : bound}`,
    `knee: ${knee}`,
    `verdict: ${r.verdict}`,
  ];
}

/** The text report of a capacity search: heading, SLOs, the load-level table sorted by load, the result (and the watched target's memory line). */
export function capacityReport(r: CapacityResult, leak?: string): string {
  const sorted = [...r.levels].sort((a, b) => a.load.value - b.load.value);
  return [
    '',
    ` ${heading(r)}`,
    ` SLOs: ${r.slos.map((s) => `${s.metric} ${s.source}`).join(', ')}`,
    '',
    loadLevelTable(sorted, 'load levels'),
    '',
    ...resultLines(r).map((l) => ` ${l}`),
    ...(leak === undefined ? [] : [` ${leak}`]),
    '',
    '',
  ].join('\n');
}

/** The same in Markdown, for $GITHUB_STEP_SUMMARY. */
export function capacityMarkdown(r: CapacityResult, leak?: string): string {
  const sorted = [...r.levels].sort((a, b) => a.load.value - b.load.value);
  return [`### loadts capacity`, '', heading(r), '', `SLOs: ${r.slos.map((s) => `\`${s.metric} ${s.source}\``).join(', ')}`, '', loadLevelMarkdown(sorted), '', ...resultLines(r).map((l) => `- ${l}`), ...(leak === undefined ? [] : [`- ${leak}`]), '', ''].join('\n');
}
