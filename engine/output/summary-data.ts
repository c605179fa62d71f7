import { createHash } from 'node:crypto';
import type { MetricDef } from '../metrics/types.js';
import type { SummaryCheck, SummaryData, SummaryExtras, SummaryGroup, SummaryMetric } from './summary-types.js';

/** What the summary is built from (read off the merged metrics by the runtime). */
export interface SummaryInput {
  metrics: Array<{ key: string; def: MetricDef; values: Record<string, number>; thresholds?: Record<string, boolean> }>;
  checks: Array<{ groupPath: string; name: string; passes: number; fails: number }>;
  /** Every group path seen ('::a', '::a::b'); parents are implied. */
  groupPaths: string[];
  options: SummaryData['options'];
  state: SummaryData['state'];
  extras?: SummaryExtras;
  setupData?: unknown;
}

/** md5 hex of a group or check path: k6's ids. */
export function pathId(path: string): string {
  return createHash('md5').update(path).digest('hex');
}

function newGroup(path: string): SummaryGroup {
  const name = path === '' ? '' : path.slice(path.lastIndexOf('::') + 2);
  return { name, path, id: pathId(path), groups: [], checks: [] };
}

/** Builds k6's handleSummary data: metrics by name (sub-metrics as `name{tag:value}`) and the group tree with checks. */
export function buildSummaryData(input: SummaryInput): SummaryData {
  const root = newGroup('');
  const byPath = new Map<string, SummaryGroup>([['', root]]);
  const ensure = (path: string): SummaryGroup => {
    let g = byPath.get(path);
    if (g !== undefined) return g;
    const parentPath = path.slice(0, path.lastIndexOf('::'));
    const parent = ensure(parentPath);
    g = newGroup(path);
    parent.groups.push(g);
    byPath.set(path, g);
    return g;
  };
  for (const p of input.groupPaths) ensure(p);
  for (const c of input.checks) {
    const g = ensure(c.groupPath);
    const path = `${c.groupPath}::${c.name}`;
    const check: SummaryCheck = { name: c.name, path, id: pathId(path), passes: c.passes, fails: c.fails };
    g.checks.push(check);
  }
  const metrics: Record<string, SummaryMetric> = {};
  for (const m of input.metrics) {
    const entry: SummaryMetric = { type: m.def.type, contains: m.def.contains, values: m.values };
    if (m.thresholds !== undefined) {
      entry.thresholds = {};
      for (const [src, ok] of Object.entries(m.thresholds)) entry.thresholds[src] = { ok };
    }
    metrics[m.key] = entry;
  }
  const data: SummaryData = { root_group: root, options: input.options, state: input.state, metrics };
  if (input.extras !== undefined) data.loadts = input.extras;
  if (input.setupData !== undefined) data.setup_data = input.setupData;
  return data;
}
