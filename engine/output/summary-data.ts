import { createHash } from 'node:crypto';
import type { MetricDef, MetricType } from '../metrics/types.js';
import type { SummaryCheck, SummaryData, SummaryExtras, SummaryGroup, SummaryMetric } from './summary-types.js';

/** What the summary is built from (read off the merged metrics by the runtime). */
export interface SummaryInput {
  /** Every metric and sub-metric to show. `key`: 'http_req_duration' or 'http_req_duration{status:200}'. */
  metrics: Array<{ key: string; def: MetricDef; values: Record<string, number>; thresholds?: Record<string, boolean /* ok */> }>;
  /** Check results; `groupPath` is '' for the root group, '::a::b' below it. */
  checks: Array<{ groupPath: string; name: string; passes: number; fails: number }>;
  /** Every group path seen, in first-seen order ('::a', '::a::b'); parents may be implied. */
  groupPaths: string[];
  options: SummaryData['options'];
  state: SummaryData['state'];
  extras?: SummaryExtras;
  setupData?: unknown;
}

/** k6's group path separator (lib.GroupSeparator). */
export const GROUP_SEPARATOR = '::';

/** A group's or check's id, as k6 (lib/models.go): the md5 hex of its path. */
export function pathId(path: string): string {
  return createHash('md5').update(path).digest('hex');
}

/** '::a::b' → { parent: '::a', name: 'b' }. Names may end in ':' ('::a:::b' is 'b' in '::a:'). */
function splitPath(path: string): { parent: string; name: string } {
  const at = path.lastIndexOf(GROUP_SEPARATOR);
  return { parent: path.slice(0, at), name: path.slice(at + GROUP_SEPARATOR.length) };
}

/** Paths always start with '::' below the root; a bare name is taken as a group of the root. */
function normalizePath(path: string): string {
  return path === '' || path.startsWith(GROUP_SEPARATOR) ? path : `${GROUP_SEPARATOR}${path}`;
}

function newGroup(path: string): SummaryGroup {
  return { name: path === '' ? '' : splitPath(path).name, path, id: pathId(path), groups: [], checks: [] };
}

/** The keys k6's sinks always report, so reporters never read `undefined` from an empty metric. */
function defaultKeys(type: MetricType, trendStats: readonly string[]): readonly string[] {
  switch (type) {
    case 'counter':
      return ['count', 'rate'];
    case 'gauge':
      return ['value', 'min', 'max'];
    case 'rate':
      return ['rate', 'passes', 'fails'];
    case 'trend':
      return trendStats;
  }
}

/**
 * Builds k6's handleSummary data: metrics by key (sub-metrics as `name{tag:value}`), every value
 * k6 would report (zeros for a metric without samples, as k6's empty sinks), thresholds as
 * `{ source: { ok } }`, and the group tree as k6 builds it: groups and checks in first-seen order,
 * paths `::outer::inner` and `::outer::check`, ids the md5 hex of the path.
 */
export function buildSummaryData(input: SummaryInput): SummaryData {
  const root = newGroup('');
  const groups = new Map<string, SummaryGroup>([['', root]]);
  const group = (rawPath: string): SummaryGroup => {
    const path = normalizePath(rawPath);
    const found = groups.get(path);
    if (found !== undefined) return found;
    const created = newGroup(path);
    group(splitPath(path).parent).groups.push(created);
    groups.set(path, created);
    return created;
  };
  for (const p of input.groupPaths) group(p);

  const checks = new Map<string, SummaryCheck>();
  for (const c of input.checks) {
    const g = group(c.groupPath);
    const path = `${g.path}${GROUP_SEPARATOR}${c.name}`;
    const seen = checks.get(path);
    if (seen !== undefined) {
      seen.passes += c.passes;
      seen.fails += c.fails;
      continue;
    }
    const check: SummaryCheck = { name: c.name, path, id: pathId(path), passes: c.passes, fails: c.fails };
    checks.set(path, check);
    g.checks.push(check);
  }

  const metrics: Record<string, SummaryMetric> = {};
  for (const m of input.metrics) {
    const values: Record<string, number> = { ...m.values };
    for (const k of defaultKeys(m.def.type, input.options.summaryTrendStats)) values[k] ??= 0;
    const entry: SummaryMetric = { type: m.def.type, contains: m.def.contains, values };
    if (m.thresholds !== undefined && Object.keys(m.thresholds).length > 0) {
      entry.thresholds = {};
      for (const [source, ok] of Object.entries(m.thresholds)) entry.thresholds[source] = { ok };
    }
    metrics[m.key] = entry;
  }

  const data: SummaryData = { root_group: root, options: input.options, state: input.state, metrics };
  if (input.extras !== undefined) data.loadts = input.extras;
  if (input.setupData !== undefined) data.setup_data = input.setupData;
  return data;
}
