import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SummaryCheck, SummaryData, SummaryExtras, SummaryGroup } from './summary-types.js';

/** Version of the `loadts` object in the export; raised when loadts's part of the shape changes. */
export const SUMMARY_EXPORT_VERSION = 1;

/** A group in k6's legacy export: sub-groups and checks are objects keyed by name, not arrays. */
export interface LegacyGroup {
  name: string;
  path: string;
  id: string;
  groups: Record<string, LegacyGroup>;
  checks: Record<string, SummaryCheck>;
}

/**
 * A metric in k6's legacy export: its values flattened (rates: `passes`, `fails`, `value`), plus
 * `thresholds: { source: failed }` where **true means the threshold was crossed**.
 */
export type LegacyMetric = Record<string, number | Record<string, boolean>>;

/** What `--summary-export` writes. */
export interface LegacySummary {
  root_group: LegacyGroup;
  metrics: Record<string, LegacyMetric>;
  setup_data?: unknown;
  /** loadts's facts and the version of this shape; k6 tools read only root_group and metrics. */
  loadts: Partial<SummaryExtras> & { version: number; testRunDurationMs: number };
  /** The version of this shape (also at loadts.version), bumped when a field changes meaning. */
  version: number;
}

function legacyGroup(g: SummaryGroup): LegacyGroup {
  const groups: Record<string, LegacyGroup> = {};
  for (const sub of g.groups) groups[sub.name] = legacyGroup(sub);
  const checks: Record<string, SummaryCheck> = {};
  for (const c of g.checks) checks[c.name] = { ...c };
  return { name: g.name, path: g.path, id: g.id, groups, checks };
}

/**
 * k6's legacy `--summary-export` JSON (the `oldJSONSummary` of k6's summary wrapper): the
 * handleSummary data without `options` and `state`; each metric replaced by its values, with
 * `thresholds` as `{ source: !ok }` and a rate's `rate` renamed `value`; `root_group` with groups
 * and checks keyed by name; `setup_data` as is. loadts's facts (with `version` and the
 * `testRunDurationMs` that `state` carried) go under a top-level `loadts` key.
 */
export function summaryExport(data: SummaryData): LegacySummary {
  const metrics: Record<string, LegacyMetric> = {};
  for (const [key, m] of Object.entries(data.metrics)) {
    const flat: LegacyMetric = { ...m.values };
    if (m.thresholds !== undefined && Object.keys(m.thresholds).length > 0) {
      const crossed: Record<string, boolean> = {};
      for (const [source, t] of Object.entries(m.thresholds)) crossed[source] = !t.ok;
      flat.thresholds = crossed;
    }
    if (m.type === 'rate' && 'rate' in flat) {
      flat.value = flat.rate!;
      delete flat.rate;
    }
    metrics[key] = flat;
  }
  // Key order as k6 writes it (root_group, metrics, setup_data), then loadts's.
  const out: LegacySummary = {
    root_group: legacyGroup(data.root_group),
    metrics,
    ...(data.setup_data !== undefined ? { setup_data: data.setup_data } : {}),
    loadts: { ...data.loadts, version: SUMMARY_EXPORT_VERSION, testRunDurationMs: data.state.testRunDurationMs },
    version: SUMMARY_EXPORT_VERSION,
  };
  // k6 copies the data through JSON; doing the same keeps the result detached from `data`.
  return JSON.parse(JSON.stringify(out)) as LegacySummary;
}

/**
 * The export as k6 writes the file (js/summary-wrapper.js: `JSON.stringify(results, null, 4)`):
 * JSON indented by four spaces, with no newline after it.
 */
export function summaryExportJSON(data: SummaryData): string {
  return JSON.stringify(summaryExport(data), null, 4);
}

/**
 * Writes the `--summary-export` file (its folder created): the one writer of the run, `loadts
 * summary` and `loadts merge`, so a file derived from a record is byte for byte the run's.
 */
export async function writeSummaryExport(path: string, data: SummaryData): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, summaryExportJSON(data));
}
