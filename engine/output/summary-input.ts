import type { MetricsAggregate } from '../metrics/aggregate.js';
import type { ThresholdOutcome } from '../thresholds/thresholds.js';
import type { SummaryInput } from './summary-data.js';

/** Shown with zeros when they got no samples: k6 emits them for every iteration, requests or not. */
const ALWAYS_SHOWN = new Set(['data_sent', 'data_received']);

/**
 * What the summary shows, read off the merged metrics: every metric with samples, every
 * sub-metric that has thresholds, checks by group, and the group tree.
 */
export function summaryInputFromAggregate(
  agg: MetricsAggregate,
  outcomes: readonly ThresholdOutcome[],
  trendStats: readonly string[],
  durationMs: number,
): Pick<SummaryInput, 'metrics' | 'checks' | 'groupPaths'> {
  const metrics: SummaryInput['metrics'] = [];
  const byKey = new Map<string, ThresholdOutcome[]>();
  for (const o of outcomes) {
    const list = byKey.get(o.threshold.key) ?? [];
    list.push(o);
    byKey.set(o.threshold.key, list);
  }
  const statsFor = (type: string) => (type === 'trend' ? trendStats : []);
  for (const def of agg.defs()) {
    const values = agg.values(def.name, undefined, statsFor(def.type), durationMs);
    const own = byKey.get(def.name);
    if (values === undefined && own === undefined && !ALWAYS_SHOWN.has(def.name)) continue;
    metrics.push({ key: def.name, def, values: values ?? {}, thresholds: thresholdMap(own) });
  }
  for (const [key, list] of byKey) {
    const first = list[0]!;
    if (Object.keys(first.threshold.filter).length === 0) continue;
    const def = agg.def(first.threshold.metric);
    if (def === undefined) continue;
    const values = agg.values(def.name, first.threshold.filter, statsFor(def.type), durationMs) ?? {};
    metrics.push({ key, def, values, thresholds: thresholdMap(list) });
  }

  const checks = new Map<string, { groupPath: string; name: string; passes: number; fails: number }>();
  for (const s of agg.series('checks')) {
    const groupPath = s.tags.group ?? '';
    const name = s.tags.check ?? '';
    const v = s.values([], durationMs);
    const k = `${groupPath}\u0000${name}`;
    const acc = checks.get(k) ?? { groupPath, name, passes: 0, fails: 0 };
    acc.passes += v.passes ?? 0;
    acc.fails += v.fails ?? 0;
    checks.set(k, acc);
  }
  const groupPaths = new Set<string>();
  for (const s of agg.series('group_duration')) if (s.tags.group) groupPaths.add(s.tags.group);
  for (const c of checks.values()) if (c.groupPath) groupPaths.add(c.groupPath);
  return { metrics, checks: [...checks.values()], groupPaths: [...groupPaths] };
}

function thresholdMap(list: readonly ThresholdOutcome[] | undefined): Record<string, boolean> | undefined {
  if (list === undefined) return undefined;
  const out: Record<string, boolean> = {};
  for (const o of list) out[o.threshold.expr.source] = o.ok;
  return out;
}
