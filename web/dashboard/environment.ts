import type { EnvironmentRecord } from '../../engine/record/types.js';
import { h } from './dom.js';
import { formatBytes, formatPercent } from './format.js';

/** The environment record: where the numbers came from, and the generator's own load. */
export function environmentTable(env: EnvironmentRecord, workers: number): HTMLElement {
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(' / ');
  const rows: Array<[string, string]> = [
    ['host', env.hostname],
    ['OS', `${env.os.type} ${env.os.release} (${env.os.platform} ${env.os.arch})`],
    ['CPU', `${env.cpu.model}, ${env.cpu.logicalCores} logical cores`],
    ['memory', `${formatBytes(env.memory.totalBytes)} total; free ${formatBytes(env.memory.freeBytesAtStart)} at start, ${formatBytes(env.memory.freeBytesAtEnd)} at end`],
    ['load average (1/5/15 min)', `${load(env.loadAverage.start)} at start, ${load(env.loadAverage.end)} at end`],
    ['Node.js / loadts', `${env.node} / ${env.loadts}`],
    ['worker threads', String(workers)],
    ['generator CPU', `${(env.generator.processCpuMs / 1000).toFixed(1)} s of CPU (all threads)`],
    ...env.generator.workers.map((w): [string, string] => [
      `worker ${w.worker + 1}`,
      w.cpuShare === undefined ? 'unknown' : `${formatPercent(w.cpuShare)} of a core on average, peak ${formatPercent(w.peakCpuShare ?? 0)}`,
    ]),
    ['peak memory (RSS)', formatBytes(env.generator.peakRssBytes)],
  ];
  return h('table', { class: 'environment' }, h('tbody', {}, ...rows.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, v)))));
}
