/**
 * k6 1.x's end-of-test summary data (its "report"): thresholds, the total results (checks as
 * checks_total/succeeded/failed, metrics by section) and, in full mode, one part per group and per
 * scenario. Built from the handleSummary data (which stays k6's legacy shape) and, for the full
 * mode's groups and scenarios, the merged metrics filtered by tag.
 */
import type { MetricsAggregate } from '../metrics/aggregate.js';
import type { MetricType, ValueType } from '../metrics/types.js';
import type { SummaryCheck, SummaryData, SummaryGroup } from './summary-types.js';

/** k6's --summary-mode values. */
export const SUMMARY_MODES = ['compact', 'full', 'legacy'] as const;
export type SummaryMode = (typeof SUMMARY_MODES)[number];

/** Sections of a group's metrics, in the order k6 prints them (custom first). */
export const SECTIONS = ['custom', 'http', 'execution', 'network', 'sse', 'llm', 'browser', 'grpc', 'websocket'] as const;
export type Section = (typeof SECTIONS)[number];

export interface ReportMetric {
  /** 'http_reqs', or a sub-metric 'http_req_duration{expected_response:true}'. */
  key: string;
  type: MetricType;
  contains: ValueType;
  values: Record<string, number>;
}

export interface ReportChecks {
  total: ReportMetric;
  succeeded: ReportMetric;
  failed: ReportMetric;
  /** By name, in first-seen order (k6 merges same-named checks). */
  ordered: Array<Pick<SummaryCheck, 'name' | 'passes' | 'fails'>>;
}

export interface ReportGroup {
  checks: ReportChecks | undefined;
  metrics: Partial<Record<Section, ReportMetric[]>>;
  groups: Record<string, ReportGroup>;
}

export interface ReportThreshold {
  metric: ReportMetric;
  results: Array<{ source: string; ok: boolean; /** The value the expression tests ('p(95)', 'rate', 'count'…), when known. */ value: number | undefined; agg: string }>;
}

export interface SummaryReport {
  thresholds: ReportThreshold[];
  total: ReportGroup;
  /** Full mode only: the default scenario's groups. */
  groups: Record<string, ReportGroup>;
  /** Full mode only: every scenario but 'default'. */
  scenarios: Record<string, ReportGroup>;
}

const HTTP = ['http_reqs', 'http_req_failed', 'http_req_rate_limited', 'http_req_duration', 'http_req_blocked', 'http_req_connecting', 'http_req_tls_handshaking', 'http_req_sending', 'http_req_waiting', 'http_req_receiving'];
const EXECUTION = ['vus', 'vus_max', 'iterations', 'iteration_duration', 'dropped_iterations', 'iteration_errors', 'script_errors', 'iteration_start_lag', 'iteration_duration_corrected'];
const NETWORK = ['data_sent', 'data_received'];
const HIDDEN_ALWAYS = ['checks', 'group_duration'];
const HIDDEN_COMPACT = ['http_req_blocked', 'http_req_connecting', 'http_req_receiving', 'http_req_sending', 'http_req_tls_handshaking', 'http_req_waiting'];

const base = (key: string) => key.split('{', 1)[0]!;

/** The section of a metric key (k6's prefix rules; loadts's own execution, SSE and LLM metrics have theirs). */
export function sectionOf(key: string): Section {
  const name = base(key);
  if (HTTP.includes(name)) return 'http';
  if (EXECUTION.includes(name)) return 'execution';
  if (NETWORK.includes(name)) return 'network';
  if (name.startsWith('sse_')) return 'sse';
  if (name.startsWith('llm_')) return 'llm';
  if (name.startsWith('browser_')) return 'browser';
  if (name.startsWith('grpc_')) return 'grpc';
  if (name.startsWith('ws_')) return 'websocket';
  return 'custom';
}

/** Metrics the mode leaves out (the checks metric is shown as checks_total/succeeded/failed). */
export function hiddenIn(mode: SummaryMode, key: string): boolean {
  const name = base(key);
  return HIDDEN_ALWAYS.includes(name) || (mode === 'compact' && HIDDEN_COMPACT.includes(name));
}

function checksPart(checks: ReadonlyArray<Pick<SummaryCheck, 'name' | 'passes' | 'fails'>>, durationMs: number): ReportChecks | undefined {
  if (checks.length === 0) return undefined;
  const merged = new Map<string, { name: string; passes: number; fails: number }>();
  for (const c of checks) {
    const m = merged.get(c.name) ?? { name: c.name, passes: 0, fails: 0 };
    m.passes += c.passes;
    m.fails += c.fails;
    merged.set(c.name, m);
  }
  let passes = 0;
  let fails = 0;
  for (const c of merged.values()) {
    passes += c.passes;
    fails += c.fails;
  }
  const total = passes + fails;
  const rateOf = (n: number) => (total === 0 ? 0 : n / total);
  return {
    total: { key: 'checks_total', type: 'counter', contains: 'default', values: { count: total, rate: durationMs > 0 ? total / (durationMs / 1000) : 0 } },
    succeeded: { key: 'checks_succeeded', type: 'rate', contains: 'default', values: { rate: rateOf(passes), passes, fails } },
    failed: { key: 'checks_failed', type: 'rate', contains: 'default', values: { rate: rateOf(fails), passes: fails, fails: passes } },
    ordered: [...merged.values()],
  };
}

function bySection(metrics: readonly ReportMetric[]): Partial<Record<Section, ReportMetric[]>> {
  const out: Partial<Record<Section, ReportMetric[]>> = {};
  for (const m of metrics) (out[sectionOf(m.key)] ??= []).push(m);
  return out;
}

/** Every check of a group tree, depth first. */
function allChecks(g: SummaryGroup): SummaryCheck[] {
  return [...g.checks, ...g.groups.flatMap(allChecks)];
}

/** What the text summary shows in `mode` (not 'legacy', which prints the handleSummary data as it is). */
export function buildSummaryReport(data: SummaryData, agg: MetricsAggregate, mode: SummaryMode, durationMs: number): SummaryReport {
  const stats = data.options.summaryTrendStats;
  const metrics: ReportMetric[] = [];
  for (const [key, m] of Object.entries(data.metrics)) {
    if (!hiddenIn(mode, key)) metrics.push({ key, type: m.type, contains: m.contains, values: m.values });
  }
  // k6 always shows the successful requests' durations under http_req_duration
  const expected = 'http_req_duration{expected_response:true}';
  if (data.metrics.http_req_duration !== undefined && data.metrics[expected] === undefined) {
    const values = agg.values('http_req_duration', { expected_response: 'true' }, stats, durationMs);
    if (values !== undefined) metrics.push({ key: expected, type: 'trend', contains: 'time', values });
  }
  const thresholds: ReportThreshold[] = [];
  for (const [key, m] of Object.entries(data.metrics)) {
    if (m.thresholds === undefined || Object.keys(m.thresholds).length === 0) continue;
    const metric: ReportMetric = { key, type: m.type, contains: m.contains, values: m.values };
    const results = Object.entries(m.thresholds).map(([source, t]) => {
      const aggName = source.split(/[=><!]/, 1)[0]!.trim();
      return { source, ok: t.ok, agg: aggName, value: thresholdValue(agg, key, m.type, aggName, m.values, durationMs) };
    });
    thresholds.push({ metric, results });
  }
  const report: SummaryReport = {
    thresholds,
    total: { checks: checksPart(allChecks(data.root_group), durationMs), metrics: bySection(metrics), groups: {} },
    groups: {},
    scenarios: {},
  };
  if (mode === 'full') {
    const parts = new TaggedParts(agg, mode, stats, durationMs);
    report.groups = parts.groups({ scenario: 'default' });
    for (const s of data.loadts?.scenarios ?? []) if (s.name !== 'default') report.scenarios[s.name] = parts.group({ scenario: s.name });
  }
  return report;
}

/** The value a threshold tests, from the metric's values or (a percentile not in summaryTrendStats) the merged metrics. */
function thresholdValue(agg: MetricsAggregate, key: string, type: MetricType, aggName: string, values: Record<string, number>, durationMs: number): number | undefined {
  if (type === 'counter') return aggName === 'count' ? values.count : values.rate;
  if (type === 'rate') return values.rate;
  if (type === 'gauge') return values.value;
  if (values[aggName] !== undefined) return values[aggName];
  const open = key.indexOf('{');
  const filter = open < 0 ? undefined : Object.fromEntries(key.slice(open + 1, -1).split(',').map((kv) => [kv.slice(0, kv.indexOf(':')).trim(), kv.slice(kv.indexOf(':') + 1).trim()]));
  return agg.values(base(key), filter, [aggName], durationMs)?.[aggName];
}

/** The full mode's parts: the metrics and checks of samples with given tags (a scenario, a group). */
class TaggedParts {
  readonly #names: string[];
  constructor(
    readonly agg: MetricsAggregate,
    readonly mode: SummaryMode,
    readonly stats: readonly string[],
    readonly durationMs: number,
  ) {
    this.#names = agg.defs().map((d) => d.name).filter((n) => !hiddenIn(mode, n));
  }

  /** A part: samples whose tags include `filter` (k6 counts a group's own samples, not its subgroups'). */
  group(filter: Record<string, string>): ReportGroup {
    const metrics: ReportMetric[] = [];
    for (const name of this.#names) {
      const def = this.agg.def(name)!;
      const values = this.agg.values(name, filter, def.type === 'trend' ? this.stats : [], this.durationMs);
      if (values !== undefined) metrics.push({ key: name, type: def.type, contains: def.contains, values });
    }
    // a scenario's checks are all of its checks; a group's, those made directly in it
    const checks = this.agg
      .series('checks')
      .filter((s) => Object.entries(filter).every(([k, v]) => s.tags[k] === v))
      .map((s) => {
        const v = s.values([], this.durationMs);
        return { name: s.tags.check ?? '', passes: v.passes ?? 0, fails: v.fails ?? 0 };
      });
    return { checks: checksPart(checks, this.durationMs), metrics: bySection(metrics), groups: this.groups(filter) };
  }

  /** The groups directly below `filter.group` ('' at the top) among samples with the other tags of `filter`. */
  groups(filter: Record<string, string>): Record<string, ReportGroup> {
    const parent = filter.group ?? '';
    const out: Record<string, ReportGroup> = {};
    for (const path of this.#groupPaths(filter)) {
      const rest = path.slice(parent.length);
      if (!path.startsWith(`${parent}::`) || rest.slice(2).includes('::')) continue;
      out[rest.slice(2)] = this.group({ ...filter, group: path });
    }
    return out;
  }

  /** Every group path (and its ancestors) seen in series matching `filter` but its group. */
  #groupPaths(filter: Record<string, string>): Set<string> {
    const paths = new Set<string>();
    for (const name of ['group_duration', 'checks', ...this.#names]) {
      for (const s of this.agg.series(name)) {
        const g = s.tags.group;
        if (g === undefined || g === '' || (filter.scenario !== undefined && s.tags.scenario !== filter.scenario)) continue;
        for (let at = g.indexOf('::', 2); at > 0; at = g.indexOf('::', at + 2)) paths.add(g.slice(0, at));
        paths.add(g);
      }
    }
    return paths;
  }
}
