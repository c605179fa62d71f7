import { MetricsAggregate } from '../metrics/aggregate.js';
import type { RunRecord } from '../record/types.js';
import type { StageResult } from '../runtime/stage-results.js';
import { formatBytes, formatDuration, formatPercent, humanizeValue } from './format.js';

/** A table cell: pipes escaped, lines joined (GitHub-flavoured Markdown tables). */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Inline code that survives any text (backticks inside get a longer fence). */
function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ' ' : ''}${text}${fence === '``' ? ' ' : ''}${fence}`;
}

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const perSecond = (n: number) => `${n >= 100 ? count(n) : n.toFixed(1)}/s`;

/** The run's verdict line: passed, thresholds crossed, or how it ended otherwise. */
function verdict(record: RunRecord): string {
  const crossed = record.thresholds.filter((t) => !t.ok).length;
  const { state, exitCode } = record.end;
  if (state === 'completed' && exitCode === 0) return '✅ passed';
  if (state === 'completed' && crossed > 0 && exitCode === 99) return `❌ ${crossed} threshold${crossed === 1 ? '' : 's'} crossed`;
  return `⚠️ ${state === 'completed' ? 'failed' : state}`;
}

function thresholdsPart(record: RunRecord): string {
  if (record.thresholds.length === 0) return '';
  const contains = new Map(record.metrics.defs.map((d) => [d.name, d]));
  const rows = record.thresholds.map((t) => {
    const def = contains.get(t.metric.split('{')[0]!.trim());
    const value = t.value === undefined ? 'no samples' : def !== undefined ? humanizeValue(t.value, def) : String(t.value);
    return [t.ok ? '✅' : '❌', code(t.metric), code(t.source), value];
  });
  const passed = record.thresholds.filter((t) => t.ok).length;
  return `### Thresholds: ${passed} passed, ${record.thresholds.length - passed} crossed\n\n${table(['', 'metric', 'threshold', 'observed'], rows)}`;
}

/** requests, failure rate, http_req_duration p50/p95/p99, iterations, checks, data. */
function keyMetricsPart(record: RunRecord): string {
  const agg = new MetricsAggregate();
  agg.merge(record.metrics);
  const d = record.durationMs;
  const v = (metric: string, stats: string[] = []) => agg.values(metric, undefined, stats, d);
  const rows: string[][] = [];
  const reqs = v('http_reqs');
  if (reqs) rows.push(['HTTP requests', `${count(reqs.count!)} (${perSecond(reqs.rate!)})`]);
  const failed = v('http_req_failed');
  if (failed) rows.push(['failed requests', `${formatPercent(failed.rate!)} (${count(failed.passes!)} of ${count(failed.passes! + failed.fails!)})`]);
  const dur = v('http_req_duration', ['med', 'p(95)', 'p(99)', 'max']);
  if (dur) rows.push(['http_req_duration', `p50 ${formatDuration(dur.med!)} · p95 ${formatDuration(dur['p(95)']!)} · p99 ${formatDuration(dur['p(99)']!)} · max ${formatDuration(dur.max!)}`]);
  const iters = v('iterations');
  if (iters) rows.push(['iterations', `${count(iters.count!)} (${perSecond(iters.rate!)})`]);
  const checks = v('checks');
  if (checks) rows.push(['checks', `${formatPercent(checks.rate!)} passed (${count(checks.passes!)} of ${count(checks.passes! + checks.fails!)})`]);
  const received = v('data_received');
  const sent = v('data_sent');
  if (received || sent) rows.push(['data', `${formatBytes(received?.count ?? 0)} received, ${formatBytes(sent?.count ?? 0)} sent`]);
  const vus = v('vus_max');
  if (vus) rows.push(['VUs (max)', count(vus.max ?? vus.value!)]);
  if (rows.length === 0) return '';
  return `### Key metrics\n\n${table(['metric', 'value'], rows)}`;
}

function stagesPart(stages: readonly StageResult[]): string {
  if (stages.length === 0) return '';
  const ms = (x: number | undefined) => (x === undefined ? '-' : formatDuration(x));
  const n = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const load = (x: number) => (Number.isInteger(x) ? String(x) : n(x));
  const rows = stages.map((r) => [
    r.scenario,
    String(r.stage),
    `${load(r.from)}→${load(r.target)} ${r.unit}`,
    n(r.requestsPerSec),
    n(r.iterationsPerSec),
    ms(r.p50),
    ms(r.p95),
    ms(r.p99),
    r.errorRate === undefined ? '-' : formatPercent(r.errorRate),
    String(r.maxVUs),
  ]);
  return `### Per stage\n\n${table(['scenario', 'stage', 'load', 'reqs/s', 'iters/s', 'p50', 'p95', 'p99', 'errors', 'VUs'], rows)}`;
}

function environmentPart(record: RunRecord): string {
  const e = record.environment;
  const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  const shares = e.generator.workers.filter((w) => w.cpuShare !== undefined).map((w) => `${Math.round(w.cpuShare! * 100)}%`);
  const rows = [
    ['loadts', `${e.loadts} on Node.js ${e.node}`],
    ['host', e.hostname],
    ['OS', `${e.os.type} ${e.os.release} (${e.os.platform}/${e.os.arch})`],
    ['CPU', `${e.cpu.model} × ${e.cpu.logicalCores}`],
    ['memory', `${gib(e.memory.totalBytes)} total, ${gib(e.memory.freeBytesAtStart)} free at start, ${gib(e.memory.freeBytesAtEnd)} at end`],
    ['load average', `${load(e.loadAverage.start)} at start, ${load(e.loadAverage.end)} at end`],
    ['generator', `${(e.generator.processCpuMs / 1000).toFixed(1)} s of CPU, peak RSS ${(e.generator.peakRssBytes / 2 ** 20).toFixed(0)} MiB${shares.length > 0 ? `, workers at ${shares.join(', ')} of a core` : ''}`],
  ];
  return `### Environment\n\n${table(['', ''], rows)}`;
}

function endPart(record: RunRecord): string {
  const { end } = record;
  const lines = [`**End state:** ${end.state}, exit code ${end.exitCode} · ${formatDuration(record.durationMs)} of load · ${record.run.workers} worker${record.run.workers === 1 ? '' : 's'} · ${record.startedAt} to ${record.endedAt}`];
  for (const e of end.errors) lines.push(`- error: ${e}`);
  for (const w of end.warnings) lines.push(`- warning: ${w}`);
  return lines.join('\n');
}

/**
 * The run as a GitHub Actions step summary: the verdict, the end state, thresholds passed and
 * crossed with their observed values, the key metrics, the per-stage table and the environment.
 */
export function stepSummaryMarkdown(record: RunRecord): string {
  const parts = [`## loadts ${code(record.script.path)}: ${verdict(record)}`, endPart(record), thresholdsPart(record), keyMetricsPart(record), stagesPart(record.stages), environmentPart(record)];
  return `${parts.filter((p) => p !== '').join('\n\n')}\n\n`;
}
