import type { SummaryData, SummaryGroup } from './summary-types.js';

interface LegacyGroup {
  name: string;
  path: string;
  id: string;
  groups: Record<string, LegacyGroup>;
  checks: Record<string, { name: string; path: string; id: string; passes: number; fails: number }>;
}

function legacyGroup(g: SummaryGroup): LegacyGroup {
  return {
    name: g.name,
    path: g.path,
    id: g.id,
    groups: Object.fromEntries(g.groups.map((c) => [c.name, legacyGroup(c)])),
    checks: Object.fromEntries(g.checks.map((c) => [c.name, { ...c }])),
  };
}

/**
 * k6's `--summary-export` JSON: metrics flattened (trends: the summaryTrendStats keys; counters:
 * count, rate; rates: passes, fails, value; gauges: value, min, max), thresholds as
 * `{ expression: failed }` (true when crossed, as k6 writes them), the group tree with groups and
 * checks keyed by name. loadts's own facts sit under `loadts` with a `version`.
 */
export function summaryExport(data: SummaryData): Record<string, unknown> {
  const metrics: Record<string, Record<string, unknown>> = {};
  for (const [name, m] of Object.entries(data.metrics)) {
    let flat: Record<string, unknown>;
    if (m.type === 'rate') flat = { passes: m.values.passes ?? 0, fails: m.values.fails ?? 0, value: m.values.rate ?? 0 };
    else flat = { ...m.values };
    if (m.thresholds !== undefined) flat.thresholds = Object.fromEntries(Object.entries(m.thresholds).map(([src, t]) => [src, !t.ok]));
    metrics[name] = flat;
  }
  return {
    root_group: legacyGroup(data.root_group),
    metrics,
    loadts: { ...(data.loadts ?? { version: 1 }), testRunDurationMs: data.state.testRunDurationMs },
  };
}
